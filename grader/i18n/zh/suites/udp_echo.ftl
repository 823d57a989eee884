# udp_echo 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）和提示（`f.say(say(…))`）。引用的数据是参数，
# 不翻译。键以本套件的前缀开头。

udpecho-still-owed = 还欠着回复的数据报：{ $sizes }
udpecho-size = { $size }
udpecho-list = { $first }、{ $rest }
udpecho-got-others-reply = `{ $client }` 收到了 `{ $owner }` 发出的数据报的回复
udpecho-reply-to-sender = 回复发往 `recv_from` 随每个数据报返回的地址：每个数据报都可能来自另一个客户端
udpecho-same-reply-twice = 同一个回复来了两次，有一个数据报没有得到回复
udpecho-reply = 回复
udpecho-went-astray = `{ $client }` 的数据报的回复发给了 `{ $other }`：回复要发往 `recv_from` 随每个数据报返回的地址，而不是之前记下的某个客户端
udpecho-buffer-too-small = 数据报比 `recv_from` 的缓冲区长时，会被截成缓冲区的长度，剩下的部分直接丢掉：用一个能装下任何数据报的缓冲区接收（UDP 数据报最多装 65507 字节）
udpecho-cut = 一个数据报（{ $size }）发回来时被截得只剩前 { $kept }
udpecho-line-ending = 回复末尾多了一个数据报里没有的行尾换行符：字节怎么来的就怎么发回去，不要当成一行文本
udpecho-followed-by = 回复是这个数据报后面又多了 { $extra }
udpecho-reply-to-empty = 对一个空数据报回复了 { $size }
udpecho-binary = 这个数据报是二进制数据，不是文本：直接发回这些字节（`&buf[..n]`），不要把它们转成 `String`
udpecho-differs = 回复和发出的数据报不同（发出 { $sent }，收回 { $back }，第一处不同在第 { $at } 字节）
udpecho-first-datagram = 第一个数据报
udpecho-second-datagram = 第二个数据报
udpecho-back-to-back = 连续发出的五个数据报
udpecho-empty-datagram = 一个空数据报
udpecho-empty-is-datagram = 空数据报也是数据报：`recv_from` 收到它时返回 0 字节（UDP 没有文件末尾一说），回复是一个空数据报：`send_to(&[], addr)`
udpecho-after-empty = 空数据报之后的一个数据报
udpecho-large-datagram = 一个 1400 字节的数据报
udpecho-small-after-large = 大数据报之后的一个小数据报
udpecho-datagram-of = 一个 { $len } 字节的数据报
udpecho-cut-to-buffer = 数据报比交给 `recv_from` 的缓冲区长时，会被截成缓冲区的长度：65507 字节的缓冲区能装下任何 UDP 数据报
udpecho-small-after-them = 它们之后的一个小数据报
udpecho-all-byte-values = 包含全部 256 种字节值的数据报
udpecho-three-nul = 由三个 NUL 字节组成的数据报
udpecho-not-utf8 = 不是 UTF-8 的数据报
udpecho-round-datagram = `{ $client }` 在第 { $round } 轮发出的数据报
udpecho-other-address = 回复不是从 ADDR 发出的
udpecho-reply-from = 数据报发往 { $to }，回复却来自 { $from }：用收到数据报的那个套接字调用 `send_to` 回复。把 UDP 套接字 `connect` 到服务器的客户端（`nc -u` 就是这样）永远收不到来自别的地址或端口的回复
udpecho-datagram-n-of = 第 { $n } 个数据报（共 { $total } 个）
udpecho-one-at-a-time = 一次发一个数据报
udpecho-burst = 第 { $n } 批（每批 { $count } 个数据报）
udpecho-in-bursts = 成批发送
udpecho-round-burst = `{ $client }` 在第 { $round } 轮成批发出的数据报

# 客户端在等什么，以及通信记录的备注（`UdpClient::recv`、`set_remark`）：
# 它们目前接受的是英文文本，所以在它们改为接受句子之前，这些仍以英文显示。
udpecho-reply-to = 对{ $what }的回复
udpecho-replies-to = 对{ $what }的回复（已收到 { $got } 个，共 { $total } 个）
udpecho-reply-to-datagram = 对第 { $n } 个数据报的回复
udpecho-three-clients = 三个客户端从三个端口同时发送；每个客户端都必须正好收到对它自己的数据报的回复
udpecho-three-clients-bursts = 三个客户端同时成批地发送数据报
