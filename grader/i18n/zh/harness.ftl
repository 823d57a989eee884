# 测试框架自己的话（grader/src/harness/）：关于连接、服务器的退出、拒绝运行、
# 文件的句子，以及它各部分的评分程序错误。由套件的话组成的句子
# （“{ $what }有误”）把那些话作为参数，也以读者的语言显示。引用的数据
# （地址、大小、操作系统的错误信息）是参数。键以 `harness-` 开头。

## 与学生服务器的连接（Session）

harness-could-not-connect = 无法连接 { $endpoint }
harness-sending-failed = 发送失败
harness-closing-send-failed = 结束发送失败
harness-receiving-failed = 接收失败
harness-reset = 服务器重置了连接
harness-refused = 连接被拒绝
harness-closed = 服务器关闭了连接
harness-stopped-reading = 服务器不再读取发给它的数据，直到测试的时间用完
harness-no-delimiter = 应在 { $max }以内收到 { $delim }，但收到了更多字节，其中没有它
harness-too-much = 服务器发来了超过 { $max }的数据，却没有关闭连接
harness-more-than-expected = 服务器发来的数据比预期的多
harness-more-instead-of-close = 服务器没有关闭连接，而是发来了比预期更多的数据
harness-did-not-close = 服务器没有关闭连接
harness-wrong = { $what }有误
harness-incomplete-silent = { $what }不完整：之后再没有收到数据
harness-incomplete-closed = { $what }不完整：之后服务器关闭了连接

## 程序是怎样结束的（用在服务器的退出里）

harness-panicked = panic 了：“{ $message }”
harness-exit-code = 退出码 { $code }
harness-killed-by = 被 { $signal } 结束
harness-time-limit = 到了时间限制，被停止
harness-output-stopped = 输出了 { $size }后被停止

## 学生的客户端（Listener）

harness-exited-without-connecting = 你的程序没有连接 { $addr } 就退出了，退出码为 { $code }

## 拒绝运行（Run::expect_refusal、Ctx::expect_addr_refusals）

harness-refusal-note = 程序无法使用这些参数工作：应立即在 stderr 上说明原因，并以退出码 2 退出
harness-no-arguments = 没有参数
harness-addr-not-an-address = ADDR 为 `not-an-address`
harness-addr-taken = ADDR 为 { $addr }，而已有另一个套接字绑定在这个地址上

## 文件（compare::file）

harness-file-not-created = 一个应有的文件没有被创建
harness-file-missing = 缺少：`{ $name }`
harness-file-unreadable = 一个应有的文件无法读取
harness-file-content = 有一个文件的内容与预期不同

## 数据报（UdpClient）

harness-datagram-send-failed = 发送数据报失败
harness-datagram-after-replies = { $client } 在收到应得的全部回复之后，又收到了一个数据报
harness-label-send-datagram = 然后自己发送一个数据报

## 评分程序出错时正在做什么（跟在“评分程序出错：”之后）

harness-listening-on = 在 { $addr } 上监听
harness-listening-localhost = 在 localhost 上监听
harness-accepting-on = 在 { $addr } 上接受连接
harness-binding-udp = 绑定 UDP 套接字
harness-binding-udp-on = 在 { $addr } 上绑定 UDP 套接字
harness-datagram-cut = 一个 { $total } 字节的数据报只发出了 { $sent } 字节
harness-listing = 列出 { $dir }
harness-reading-fd-limit = 读取进程 { $pid } 的打开文件数限制
harness-setting-fd-limit = 把进程 { $pid } 的打开文件数限制设为 { $limit }
harness-fd-limit-needs-linux = 把进程 { $pid } 的打开文件数限制降到 { $limit } 需要 Linux
harness-stopping = 暂停进程组 { $pgid }
harness-not-seen-stopped = 发出 SIGSTOP 后 { $wait }内没有看到进程 { $pgid } 暂停
harness-continuing = 让进程组 { $pgid } 继续
harness-creating-fifo = 创建 FIFO
harness-opening-fifo = 打开 FIFO

## 引用的数据里评分程序自己的话（model::Quoted）：数据是参数，在每种语言里都原样显示

harness-command-stdin = { $command }  # 由 stdin 输入 { $size }
harness-quote-cut = …（共 { $size }）
harness-udp-peer = { $addr }（UDP；{ $client } 从 { $local } 发送；每个数据报一行）
harness-listing-empty = （空）
harness-listing-cannot-list = （无法列出）
harness-listing-more = …（共 { $total } 项）
harness-listing-file = { $name }（{ $size }）
harness-listing-directory = { $name }/（目录）
harness-listing-link = { $name } -> { $target }（符号链接）
harness-listing-other = { $name }（不是普通文件）
