# tcp_echo 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）和提示（`f.say(say(…))`）。引用的数据是参数，
# 不翻译。键以本套件的前缀开头。

tcpecho-echo-at-once = 每次 `read` 一返回，就把读到的字节发回去（`write_all(&buf[..n])`），然后接着读：客户端一直连着，要先等到回显，才会接着发或者关闭连接
tcpecho-read-returns-zero = 客户端关闭了自己的发送方向：你的 `read` 返回 `Ok(0)`。不会再有数据来了，所以停止读取，把 `stream` drop 掉：这样就关闭了连接
tcpecho-nothing-more = 一次回显之后，接下来到达的字节只能是下一段数据的回显，不能有别的：每次 `read` 返回多少字节，就正好发回这 `n` 个字节（`&buf[..n]`），而不是整个缓冲区，并且一直读到客户端关闭为止
tcpecho-echo-before-zero = `read` 返回 0 之前到达的所有字节都要发回去
tcpecho-after-client-shutdown = 客户端关闭自己的发送方向之后
tcpecho-closes-without-sending = 一个什么都没发就关闭的客户端
tcpecho-bytes-as-they-are = 字节要原样发回，一直用 `&[u8]` 保存：把它们转成 `String`（或者按行读）会改掉或者扣住不是 UTF-8 文本的字节
tcpecho-back-to-accept = 一个客户端关闭之后，回到 `accept` 等下一个：服务器一直运行，直到被杀掉
tcpecho-client-first = 第 { $n } 个客户端（共 { $total } 个）
tcpecho-client-after = 第 { $n } 个客户端（共 { $total } 个），在第 { $previous } 个客户端关闭之后连接
tcpecho-bind-fails = `{ $addr }` 已经被占用，所以 `bind` 会失败：在 stderr 上输出原因，退出码 2
tcpecho-listening-in-use = 在一个已被占用的地址上监听
tcpecho-survive = 客户端随时可能消失：这时 `read` 或 `write` 会返回错误（连接被重置、管道断开）。结束这条连接，回到 `accept`：不要 `unwrap()`，也不要用会跳出 accept 循环的 `?`
tcpecho-big-echo = 测试一边读回显，一边把 { $size } 的随机字节分成每段最多 64 KiB 发出去；每个字节都要按顺序回来。循环：`read`，然后用 `write_all` 正好发回读到的 `n` 个字节
tcpecho-sending-failed = 发送 1 MiB 加 1 字节失败：“{ $error }”
tcpecho-keep-reading = 服务器必须一直读，直到客户端关闭
tcpecho-then-more = 每个字节都回来了，后面却还有多余的字节：每次读返回多少字节，就正好发回这 `n` 个字节，而不是整个缓冲区
tcpecho-reset-waiting = 服务器等待下一批数据时，一个客户端重置了连接
tcpecho-reset-mid-echo = 一个客户端在回显进行到一半时重置了连接
tcpecho-after-two-resets = 两个客户端重置连接之后的下一个客户端

# 回显是什么，供会话的检查使用（`Session::echo`、`expect_bytes`、`Ctx` 的
# `expect_refusal`）：它们目前接受的是英文文本，所以在它们改为接受句子之前，
# 这些仍以英文显示。
tcpecho-echo = 回显
tcpecho-echo-of-line = 一行的回显
tcpecho-echo-of-second-line = 第二行的回显
tcpecho-echo-of-first-piece = 第一段数据的回显
tcpecho-echo-without-newline = 一段没有 `\n` 的数据的回显
tcpecho-echo-of-single-byte = 单个字节的回显
tcpecho-echo-of-utf8 = UTF-8 文本的回显
tcpecho-echo-of-text = { $n } 字节文本的回显
tcpecho-echo-in-two-writes = 分两次写出的一段数据的回显
tcpecho-echo-before-close = 客户端关闭发送方向之前刚发出的字节的回显
tcpecho-echo-of-binary = 二进制字节（全部 256 种取值）的回显
tcpecho-echo-after-binary = 二进制字节之后那段数据的回显
tcpecho-echo-of-big = 1 MiB 加 1 字节随机字节的回显
tcpecho-start-of-echo = 回显的开头
tcpecho-no-arguments = 没有参数
tcpecho-bad-addr = ADDR 为 `{ $addr }`
