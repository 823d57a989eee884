# unix_echo 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）、提示（`f.say(say(…))`）和标签。引用的数据
# 是参数，不翻译。键以本套件的前缀开头。

unix-close-note = `read` 返回 0 表示客户端结束了发送：停止读取，drop 这个流（这会关闭连接），然后接受下一个客户端
unix-each-piece = 每一段都要在下一段发出之前回显
unix-after-end = 客户端结束发送之后
unix-quiet-client = 一个什么都没发就结束发送的客户端
unix-after-those-two = 这两个客户端之后的客户端
unix-after-binary = 回显二进制字节之后
unix-client-of = 第 { $i } 个客户端（共 { $count } 个，每个都在上一个关闭之后才连接）
unix-next-client-note = 一个客户端结束后，服务器要回到 `accept`，接着服务下一个客户端
unix-with-stale = PATH 上有残留的套接字文件时
unix-stale-note = 以前运行时留在 PATH 的套接字文件会让 `bind` 失败，报 `Address already in use`（讲义：服务器退出后文件还在）：如果 PATH 是套接字，在 `bind` 之前先删掉它（`fs::remove_file`）
unix-over-stale = 在残留的套接字文件上启动的服务器
unix-missing-dir = PATH 所在的目录不存在
unix-regular-file = PATH 上是一个普通文件
unix-file-changed = PATH 上的普通文件被删除或改动了
unix-keep-file-note = 只有 PATH 是套接字时才删除它（用 `fs::symlink_metadata(path)` 和 `std::os::unix::fs::FileTypeExt` 里的 `file_type().is_socket()` 判断）：那里的其他文件都是别人的数据

# 各个回显是什么（用在“……有误”“……不完整：……”里，也是比较的标签）。
unix-echo = 回显
unix-echo-hello = `hello\n` 的回显
unix-echo-no-newline = 不带换行符的字节的回显（收到什么就回显什么，不是按行回显）
unix-echo-utf8 = UTF-8 文本的回显
unix-echo-piece = 分段发送的消息中一段的回显
unix-echo-lines = 一次写入发送的 { $n } 行的回显
unix-echo-before-end = 结束发送之前刚发出的字节的回显
unix-echo-next = `next\n` 的回显
unix-echo-all-bytes = 按顺序排列的 256 个字节值的回显
unix-echo-shuffled = 打乱顺序的 256 个字节值的回显
unix-echo-not-utf8 = 不是 UTF-8 文本的字节的回显

# 隐藏测试。
unix-could-not-connect = 无法连接 PATH 上的套接字：“{ $error }”
unix-large-echo = 边读边发的 { $size } 随机字节的回显
unix-large-more = 边读边发的 { $size } 随机字节的回显不完整：收回了 { $got }，服务器发回的比收到的还多
unix-large-silent = 边读边发的 { $size } 随机字节的回显不完整：收回了 { $got }，之后 { $wait }内再没有数据，连接也没有关闭
unix-large-recv-failed = 边读边发的 { $size } 随机字节的回显不完整：收回了 { $got }，之后接收失败：“{ $error }”
unix-send-failed = 发送那 { $size } 失败：“{ $error }”
unix-large-wrong = 边读边发的 { $size } 随机字节的回显有误
unix-large-note = 每次 `read` 读到的每个字节都要回显（`write_all(&buf[..n])`，不是整个缓冲区），直到 `read` 返回 0；然后关闭连接
unix-sending-failed = 发送失败：“{ $error }”
unix-no-echo = 发了 { $n } 字节的客户端没有收到回显（“{ $error }”）
unix-vanish-note = 客户端随时可能消失：这时 `read` 或 `write` 会返回错误（`ConnectionReset`、`BrokenPipe`）：结束这个客户端的会话（不要 `unwrap`，也不要退出），然后接受下一个客户端
unix-after-unread = 上一个客户端带着没读的回显关闭之后，下一个客户端
unix-after-its-echo = 回显之后
unix-after-large-close = 上一个客户端在大量回显的中途关闭之后，下一个客户端
