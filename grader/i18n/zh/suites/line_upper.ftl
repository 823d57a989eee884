# line_upper 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）和提示（`f.say(say(…))`）。引用的数据是参数，
# 不翻译。键以本套件的前缀开头。

lineupper-answer-at-once = 一行的 `\n` 一到就回复这一行：客户端要等到回复才会接着发，所以等数据流结束（或者等缓冲区读满）才回复的服务器永远回复不了
lineupper-close-at-end = 数据流结束时（`read` 返回 0）每一行都已经回复过了：关闭连接，最后一个 `\n` 之后什么都没有，就什么都不要发
lineupper-reply-too-early = 这一行还没收完，回复就来了
lineupper-keep-piece = 一次 `read` 返回的是目前已经到达的字节，这里只是一行的一部分：把它们存进缓冲区，等 `\n` 到了再回复（`BufRead::read_until` 或 `read_line` 就是这样做的）
lineupper-after-client-shutdown = 客户端关闭自己的发送方向之后
lineupper-several-lines = 一次 `read` 可能一下子返回好几行：它返回的每一行都要回复，不能只回复第一行
lineupper-after-piece = 一行分五段发送，第 { $n } 段之后
lineupper-last-line = 数据流结束时（`read` 返回 0），最后一个 `\n` 之后的字节是最后一行：回复它（加上 `\n`），然后关闭连接
lineupper-line-and-last-line = 对一行和一个没有 `\n` 的最后一行的回复
lineupper-single-line = 对唯一一行（没有 `\n`）的回复
lineupper-nothing-left = 最后一个 `\n` 之后，没有什么要回复的了
lineupper-sends-nothing = 一个什么都不发的客户端
lineupper-cr-kept = `\n` 前面的 `\r` 和行里的其他字节一样：要原样发回（`str::lines` 和 `trim` 会把它去掉）
lineupper-last-line-cr = 对没有 `\n` 的最后一行 `{ $line }` 的回复
lineupper-last-after-many = 许多行之后、对没有 `\n` 的最后一行的回复
lineupper-long-line = 测试发送了 1 MiB 长的一行（1,048,576 字节，再加 `\n`），并且一边发送一边读回复：行有多长就是多长，所以要让缓冲区增长（`Vec` 配 `read_until`，或者 `String` 配 `read_line`），而不是在固定长度处截断
lineupper-sending-failed = 发送 1 MiB 长的那一行失败：“{ $error }”
lineupper-next-client = 下一个客户端
lineupper-misbehaving = 客户端出的问题（重置连接、突然关闭、发送不是 UTF-8 的字节）只是这一个连接上的错误：在 stderr 上报告，然后接着服务
lineupper-closed-mid-line = 一个客户端在一行中间断开之后
lineupper-reset-unread = 一个客户端不读回复就重置了连接之后
lineupper-not-utf8 = 一个客户端发送了不是 UTF-8 的字节之后

# 回复是什么，供会话的检查使用（`Session::send_expect`、`expect_bytes`）：
# 它们目前接受的是英文文本，所以在它们改为接受句子之前，这些仍以英文显示。
lineupper-reply-to-line = 对第 { $n } 行的回复
lineupper-three-in-one-write = 对一次写入的三行的回复
lineupper-line-after-them = 对它们之后那一行的回复
lineupper-five-in-one-write = 对一次写入的五行的回复
lineupper-five-pieces = 对分五段发送的那一行的回复
lineupper-next-line = 对下一行的回复
lineupper-two-lines = 对两行的回复
lineupper-reply-to-crlf-line = 对第 { $n } 行（以 `\r\n` 结尾）的回复
lineupper-random-pieces = 对随机分段发送的许多行的回复
lineupper-reply-to-long-line = 对 1 MiB 长的一行的回复
lineupper-short-after-long = 对长行之后一个短行的回复
lineupper-reply-to-next-client = 对下一个客户端的回复
