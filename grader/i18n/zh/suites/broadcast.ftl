# broadcast 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）和提示（`f.say(say(…))`）。引用的数据是参数，
# 不翻译。键以本套件的前缀开头。

bcast-share-note = 只有在同一个端口上的每个套接字都在 `bind` 之前设置了 `SO_REUSEADDR`（或 `SO_REUSEPORT`）时，多个接收者才能绑定这个端口：std 的 `UdpSocket::bind` 做不到，要用 `socket2` 构造套接字（`Socket::new`、`set_reuse_address(true)`、`bind`，再 `.into()`）
bcast-permission-note = 套接字事先没有要求的话，内核拒绝向广播地址发送（`EACCES`，`Permission denied`）：在 `send_to` 之前调用 `socket.set_broadcast(true)`
bcast-not-count = 有一个接收者收到的数据报不是正好 `COUNT` 个
bcast-receiver-got = 第 { $receiver } 个接收者（共 { $receivers } 个，是评分程序自己的，绑定在 0.0.0.0 上，端口与 `ADDR` 的相同）收到了 { $got } 个数据报；`COUNT` 是 { $count }
bcast-send-to-addr = 要发往 `ADDR` 本身（广播地址和它的端口），每个数据报调用一次 `send_to`
bcast-send-count-times = `MESSAGE` 要正好发送 `COUNT` 次，每次调用一次 `send_to`
bcast-not-message = 有一个数据报的内容不正好是 `MESSAGE`
bcast-message-as-is = 每个数据报的内容就是 `MESSAGE` 的字节，原样不变：不加换行，也不加前缀
bcast-too-close = 第 { $first } 个和第 { $second } 个数据报发出的间隔是 { $gap } ms，应为 100 ms
bcast-pause-note = 两个数据报之间要暂停 100 ms（`std::thread::sleep(Duration::from_millis(100))`）；评分程序接受 { $min } ms 或更长的间隔
bcast-port-zero = `ADDR` 的端口为 0，内核拒绝往那里发送（`Invalid argument`）
bcast-check-send-to = 检查每次 `send_to` 的结果：是 `Err` 时，把它输出到 `stderr`，并以退出码 2 结束
bcast-addr-no-port = 没有端口的 `ADDR`
bcast-addr-port-nan = 端口不是数字的 `ADDR`
bcast-count-nan = 不是数字的 `COUNT`
bcast-count-not-whole = 不是整数的 `COUNT`
bcast-no-count = 缺少 `COUNT`
bcast-receiver-exited = 第 { $receiver } 个接收者（共 { $receivers } 个）在绑定端口 { $port } 之前就退出了
bcast-receiver-exited-code = 第 { $receiver } 个接收者（共 { $receivers } 个）在绑定端口 { $port } 之前就退出了（退出码 { $code }）
bcast-not-bound = 第 { $receiver } 个接收者（共 { $receivers } 个）没有在 { $wait } 内绑定 UDP 端口 { $port }
bcast-not-one-line = 第 { $receiver } 个接收者（共 { $receivers } 个）没有为每个数据报输出一行 `{ $line }`
bcast-suite-broadcast = 评分程序向 { $addr } 广播了 { $count } 个数据报，每个都从一个绑定到它前面所显示的 IP 的套接字发出；可以用你的发送者试一试：`{ $command }`
bcast-receiver-exited-note = 接收者退出了：它要一直接收，直到被杀掉
bcast-bind-wildcard = 绑定到 127.0.0.1 的套接字只能收到发往 127.0.0.1 的数据报，收不到广播：要绑定 `0.0.0.0:PORT`
bcast-flush = 接收者运行期间 `stdout` 上什么都没有：每个数据报一到就输出对应的一行；如果通过 `BufWriter` 写，要刷新 `stdout`（`println!` 遇到每个 `\n` 都会刷新）
bcast-port-nan = 不是数字的 `PORT`
bcast-port-too-big = 大于 65535 的 `PORT`
bcast-no-port = 缺少 `PORT`
bcast-port-held = `PORT` 被一个不允许共用的套接字占着
bcast-datagram = 数据报
