# timeout_probe 测试套件自己的话：性质、提示和标签。引用的数据是参数，不翻译。
# 键以本套件的前缀开头。

probe-sent-instead = 你的程序发送的是 `{ $line }`，而不是 `PING\n`
probe-no-ping = 你的程序没有发送 `PING\n`
probe-closed-before-ping = 你的程序还没发送 `PING\n` 就关闭了连接
probe-same-server = 行为相同的服务端（先启动它；用 OpenBSD 的 `netcat`）
probe-kept-waiting = 始终没有收到完整的一行，你的程序就一直等下去：阻塞的 `read` 会永远等待，除非用 `set_read_timeout` 给它设上限；TIMEOUT_MS 的单位是毫秒（`Duration::from_millis`）
probe-reply-note = 输出 `reply: `、这一行按收到的原样、去掉 `\n` 的字节，再加一个 `\n`
probe-bytes-not-text = 这一行是字节，不是文本：用 `write_all` 原样写出，绝不要经过 `String::from_utf8_lossy`（它会替换掉不是 UTF-8 的字节）或 `String::from_utf8`（遇到这种字节它会失败）
probe-ended-late = 你的程序在连接后 { $took }才结束，而 TIMEOUT_MS 是 { $ms }：它必须在连接后 TIMEOUT_MS + { $margin } 毫秒之内结束
probe-one-deadline = 只有一个期限，从连接时算起：`Instant::now() + timeout`；每次 `read` 之前，把读超时设为离期限还剩的时间，而不是再设成 TIMEOUT_MS
probe-gave-up-early = 你的程序在启动后 { $took }就输出了 `timeout`，这时 TIMEOUT_MS（{ $ms } 毫秒）还没过去
probe-pieces-note = TCP 不保留消息边界（粘包）：这一行分三次写入，每次间隔 { $pause }。把每次读到的内容追加到同一个缓冲区里，直到其中出现 `\n`
probe-silent-note = TIMEOUT_MS 之内没有收到一行：输出 `timeout`，退出码 3
probe-refused-note = ADDR 上没有程序在监听：`connect` 会以 `ErrorKind::ConnectionRefused` 失败；输出 `refused`，退出码 4

# 隐藏测试。
probe-late-note = 回复在连接后 { $at }才到，而 TIMEOUT_MS 是 { $ms }：要等满整个 TIMEOUT_MS
probe-two-lines-note = 一次写入里来了两行：回复是第一行，到它的 `\n` 为止
probe-trickle-note = 没有 `\n` 的字节不算回复：期限到了还没有完整的一行，就输出 `timeout`，退出码 3
probe-last-byte-note = 在期限前 { $ms } 毫秒来了一个字节，之后再没有数据：等下一个字节也要在期限时结束，而不是在最后一个字节之后再等 TIMEOUT_MS
probe-stopped-note = 程序在等待时被暂停（SIGSTOP，和 Ctrl-Z 一样）又继续运行（SIGCONT，和 `fg` 一样）：在 Linux 上，被这次暂停打断的带超时的 `read` 会以 `ErrorKind::Interrupted` 失败；用剩下的时间重试
probe-never-answered-note = 服务端始终不应答这个连接（它的监听队列满了）：期限也要管住 `connect`（`TcpStream::connect_timeout`）
probe-no-connection-note = TIMEOUT_MS 之内没有连上，也就没有收到一行：输出 `timeout`，退出码 3
probe-unreachable-note = ADDR 是一个组播地址，TCP 连不上：`connect` 会以 `ErrorKind::NetworkUnreachable` 失败，这是另一种 IO 错误：在 stderr 输出一条信息，退出码 2（不是 `refused`，也不是 `timeout`）

# 拒绝运行的测试（其他情形用测试框架的话）。
probe-bad-timeout = TIMEOUT_MS 为 `1s`，不是毫秒数
