# tcp_client 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）和提示（`f.say(say(…))`）。引用的数据是参数，
# 不翻译。键以本套件的前缀开头。

tcpclient-by-hand = 测试扮演了服务器。想自己扮演服务器，就在一个终端里运行 `nc -l 127.0.0.1 9000`，在另一个终端里用 `127.0.0.1:9000` 运行你的客户端，然后在 nc 里输入回复（或者把你的 `tcp_echo` 当作服务器运行）
tcpclient-still-running = 你的程序还在运行，测试把它停掉了
tcpclient-was-checking = 测试当时在检查：{ $property }
tcpclient-exited-with = 你的程序以退出码 { $code } 退出
tcpclient-line = 第 { $k } 行
tcpclient-no-newline = 收到了 { $size }，但 { $wait }内没有收到 `\n`
tcpclient-newline-after-each = 发送每一行时都要在末尾加上 `\n`，输入的最后一行没有 `\n` 时也一样：服务器一直读到 `\n` 为止
tcpclient-other-bytes = 你的程序发送的字节不是这一行加 `\n`
tcpclient-send-as-is = 输入的每一行都原样发送（行里的 `\r` 也一样），后面加一个 `\n`
tcpclient-sent-early = 你的程序还没收到第 { $k } 行的回复，就又发送了数据
tcpclient-one-at-a-time = 发送一行，然后读完它的整条回复（直到 `\n`）并打印出来；之后才读取并发送下一行
tcpclient-closed-before-reply = 你的程序在收到第 { $k } 行的回复之前就关闭了连接
tcpclient-sent-more = 你的程序发送的内容比输入的各行多
tcpclient-sent-after-last = 最后一行之后发送的内容
tcpclient-print-once = 每条回复打印一次，和服务器发来的一样，后面加一个 `\n`
tcpclient-whole-reply-only = 一条回复的 `\n` 到达之后才打印它：一行的一部分不算回复
tcpclient-exit-1 = 服务器在整条回复到达之前就关闭了连接时，以退出码 1 退出
tcpclient-closed-early = 服务器在一整条回复到达之前就关闭了连接
tcpclient-server-closed-silently = 测试扮演的服务器收到第 1 行之后，没有回复就关闭了连接
tcpclient-server-closed-mid-reply = 测试扮演的服务器回复了第 1 行，然后只发了第 2 行回复的一部分就关闭了连接
tcpclient-fragments = 服务器把每条回复分成几段发送，每段间隔 { $pause }：{ $first }，然后 { $second }，然后 { $third }
tcpclient-read-until-newline = 一条回复可能要读好几次才能收完，中间还有停顿：一直读到 `\n`（在 stream 上用 `BufReader::read_line` 或 `read_until`），再把整行打印出来
tcpclient-did-not-close = 输入结束之后 { $wait }内，你的程序没有关闭连接
tcpclient-close-at-eof = stdin 结束时，把 stream drop 掉（或者调用 `shutdown(Shutdown::Write)`）然后退出：服务器要等读到你这边的文件结束，才会关闭它那一边
tcpclient-nothing-listens = 这个地址上没有程序在监听
tcpclient-refused = 连接失败（连接被拒绝）：在 stderr 上说明原因，退出码 2
tcpclient-ahead = 收到第 1 行之后，服务器一次写出了 "{ $sent }"：第 1 行的回复、第 2 行的整条回复和第 3 行回复的开头
tcpclient-keep-bytes = 一条回复的 `\n` 之后的字节属于后面的回复：要留着它们（整个连接用同一个 `BufReader`，而不是每条回复新建一个）
tcpclient-cr-kept = `\n` 前面的 `\r` 是回复的一部分：原样打印出来（`str::lines` 和 `trim` 会把它去掉）

# 参数哪里不对，供 `expect_refusal` 使用：它目前接受的是英文文本，
# 所以在它改为接受句子之前，这些仍以英文显示。
tcpclient-no-arguments = 没有参数
tcpclient-bad-addr = ADDR 为 `{ $addr }`
tcpclient-extra-argument = 两个参数：ADDR 和 `{ $extra }`

## 测试框架关于连接的话，说的是学生的客户端
tcpclient-said-closed-early = 你的程序关闭了连接
tcpclient-said-no-reply = { $waited }内没有收到你的程序发来的任何数据
tcpclient-said-reset = 你的程序重置了连接
tcpclient-said-closed = 你的程序关闭了连接
tcpclient-said-stopped-reading = 你的程序不再读取发给它的数据，直到测试的时间用完
tcpclient-said-too-much = 你的程序发来了超过 { $max }的数据，却没有关闭连接
tcpclient-said-more-than-expected = 你的程序发来的数据比预期的多
tcpclient-said-more-instead-of-close = 你的程序没有关闭连接，而是发来了比预期更多的数据
tcpclient-said-did-not-close = 你的程序没有关闭连接
tcpclient-said-incomplete-closed = { $what }不完整：之后你的程序关闭了连接
