# students 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）、提示（`f.say(say(…))`）和反馈的标签
# （`.text(say(…), …)`）。引用的数据是参数，不翻译。键以本套件的前缀开头。

students-send-failed = 发送数据报失败：“{ $error }”
students-after-record = 第 { $n } 个数据报（一条记录）之后
students-after-datagram = 一个 { $size }的数据报之后
students-no-warning = 收到一个 { $size }的数据报之后，{ $wait }内 stderr 上没有警告（一条记录是 { $record } 字节）
students-out-file-changed = 收到一个 { $size }的数据报之后 OUT_FILE 变了，而这个数据报不是记录
students-wrong-lines = OUT_FILE 里不是预期的那些行
students-line-missing = { $wait }内 OUT_FILE 里没有出现这条记录的那一行
students-flush = 每一行都要在读下一个数据报之前写进文件：`BufWriter` 会把行留在内存里，直到 flush（或者 drop，而被信号杀掉的服务器根本不会 drop）
students-out-file = OUT_FILE（{ $name }）
students-append = OUT_FILE 原来就存在：用追加方式打开（`OpenOptions::new().append(true).create(true)`），让原有的行保留下来
students-nul-in-file = OUT_FILE 里有 NUL 字节：名字是 NUL 补齐部分之前的那些字节，不包括补齐的部分
students-datagrams-sent = 发往 { $addr } 的数据报（每条一个 UDP 数据报）
students-send-with-client = 然后用你的客户端发送这些记录
students-last-with-nc = 再用 nc 发送最后一个数据报
students-listen-first = 想看它发送了什么，先在那里监听（另开一个终端）
students-datagrams-received = 收到的数据报，解码后
students-sent-skipped = 输入的第 { $line } 行不应该发送，却发出了一个数据报
students-line-text = 第 { $line } 行：`{ $text }`
students-too-many = 要发送 { $lines } 行，却收到了 { $got } 个数据报
students-not-its-record = 输入第 { $line } 行对应的数据报不是这一行的记录
students-wrong-size = 收到一个 { $size }的数据报（一条记录是 { $record } 字节）
students-input-line = 输入的第 { $line } 行
students-datagram = 数据报
students-big-endian = 数字是大端序的：约定要求按小端序打包（`to_le_bytes`）
students-pad-name = 名字要用 NUL 字节补齐到 16 字节：不管名字多长，每条记录都是 28 字节
students-no-datagram = 输入的第 { $line } 行没有收到数据报
students-hint-pad = `{ $format }` 按字符数补齐到 10 个字符：{ $name } 是 2 个字符（6 字节），所以后面跟 8 个空格
students-hint-five-han = 5 个汉字的名字是 15 字节，后面跟 5 个空格
students-hint-char = { $char } 是一个字符，占 2 字节
students-hint-sixteen = 正好 16 字节的名字占满了它的位置：后面没有 NUL
students-cut-to-buffer = 数据报比交给 `recv_from` 的缓冲区长时，会被悄悄截成缓冲区的长度：用比一条记录更大的缓冲区接收，才能看出它太长了
students-long-name = 超过 16 字节的名字放不下：这一行不发送（也不截成 16 字节），在 stderr 上输出一条信息说明，后面的行照常发送
students-name-too-long = 超过 16 字节的名字
students-not-a-record-line = 不是记录的一行
students-exit-1 = 有一行没有发送（{ $what }）：处理完最后一行后以退出码 1 退出（数一数没有发送的行）
students-one-byte = 1 字节
students-two-records = 一个数据报里装了两条记录
students-1400-bytes = 1400 字节
students-record-and-newline = 一条记录加一个换行符
students-i32 = 放不进 `i32` 的 id 或年龄不是合法的记录：按 `i32` 解析（`str::parse::<i32>` 会解析失败），而不是先按更宽的类型解析再用 `as` 转换，那样会回绕

# 程序的参数哪里不对，供 `expect_refusal` 使用：它目前接受的是英文文本，
# 所以在它改为接受句子之前，这些仍以英文显示。
students-no-arguments = 不带参数运行 `{ $program }`
students-bad-addr = 以 ADDR `{ $addr }` 运行 `{ $program }`
students-addr-taken = 以一个已被别的套接字绑定的 ADDR 运行 `{ $program }`
students-out-file-directory = 以一个目录作为 OUT_FILE 运行 `{ $program }`

## 解码后的数据报（发送的和收到的数据报列表）：各字段是数据

students-record = id { $id }，name "{ $name }"，age { $age }，height { $height }
students-not-a-record = { $size }（不是记录：一条记录是 { $record } 字节）
students-numbered = { $n }. { $item }
students-sent-record = 一条记录：{ $record }
students-sent-datagram = 一个 { $size }的数据报："{ $bytes }"
students-nothing = （什么也没收到）
students-expected-record = 预期：{ $record }
