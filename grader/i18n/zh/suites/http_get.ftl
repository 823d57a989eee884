# http_get 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质、提示
# （`f.say(say(…))`）和标签。引用的数据是参数，不翻译。键以本套件的前缀开头。

get-same-server = 给出同样响应的服务端（先启动它；用 OpenBSD 的 `netcat`）
get-head-too-long = 请求头超过了 { $size }，还没有出现空行
get-no-request = 你的程序连上了，却没有发送请求
get-request-never-ended = 请求一直没有结束：头部之后要发送一个空行（`\r\n`）
get-closed-mid-request = 你的程序在请求结束之前就关闭了连接
get-exit-2-note = 退出码 2 只用于不是 HTTP 的响应或连接失败；这次是一个完整、格式正确的响应（你的 stderr 说明了程序把它当成了什么）
get-exit-0-note = 状态码是 2xx 时退出码为 0
get-exit-1-note = 状态码不是 2xx 时退出码为 1（响应体照样保存）
get-stdout-note = 按收到的原样输出响应行和各个头部行，每行后面跟一个 `\n`（去掉 `\r`），不输出结束响应头的那个空行
get-out-not-created = 没有创建 OUT_FILE
get-out-not-body = OUT_FILE 的内容和响应体不完全一致
get-body-note = 响应体是第一个 `\r\n\r\n` 之后、直到服务端关闭连接的所有字节：把它们当作字节（`&[u8]`）原样写进一个新建（或清空）的文件
get-malformed-note = 不以响应行（`HTTP/1.1 200 OK`）开头、或者在响应头后的空行之前就结束的响应，格式不对：退出码 2，并在 stderr 输出一条说明
get-read-to-end-note = 服务端发完响应就关闭了连接：一直读到 `read` 返回 0（流结束），再保存响应体并退出
get-expected-label = 应为（可以再加别的头部，顺序不限）
get-request-line-lf = 请求行只以 `\n` 结尾：HTTP 请求的每一行都要以 `\r\n` 结尾
get-empty-line-lf = 结束请求的空行只以 `\n` 结尾：HTTP 请求的每一行都要以 `\r\n` 结尾
get-header-line-lf = 第 { $i } 个头部行只以 `\n` 结尾：HTTP 请求的每一行都要以 `\r\n` 结尾
get-not-get-line = 请求行不是 `GET PATH HTTP/1.1`（PATH 按给出的原样）
get-request-line-label = 请求行
get-not-name-value = 有一个头部行不是 `Name: value` 的形式
get-the-line = 这一行：`{ $line }`
get-no-host = 请求里没有 `Host` 头部（HTTP/1.1 要求必须有）
get-host-not-addr = `Host` 头部不是给出的 ADDR 原文（`host:port`）
get-host-received = 收到的是 `Host: { $got }`，应为 `Host: { $addr }`
get-two-hosts = 请求里有不止一个 `Host` 头部
get-no-close = 请求里没有 `Connection: close` 头部：没有它，HTTP/1.1 服务器会保持连接不断开，客户端就永远等不到响应体的结束
get-bytes-after = 请求的空行之后还有字节：GET 请求没有请求体
get-localhost-note = 这里的 ADDR 是 `localhost:PORT`：要发送 `Host: localhost:PORT`，和给出的 ADDR 完全一样
get-split-note = TCP 不保留消息边界（粘包）：这里 `...\r\n\r` 在一次写入里到达，`\n...` 在下一次。把每次读到的内容都追加到同一个缓冲区里，在整个缓冲区里找 `\r\n\r\n`
get-not-http = 不是 HTTP 的响应
get-closes-silently = 一言不发就关闭连接的服务端
get-refused-note = ADDR 上没有程序在监听：`connect` 会失败；退出码 2，并输出一条说明

# 隐藏测试。
get-201 = 状态码 201 的响应
get-204 = 状态码 204、没有响应体的响应
get-301 = 状态码 301 的响应
get-500 = 状态码 500 的响应
get-without-reason = 没有原因短语的 `{ $status }`
get-ends-before-empty = 在响应头后的空行之前就结束的响应
get-no-status-code = 没有状态码的响应行
get-four-digits = 状态码有四位数字的响应行
get-no-version = 没有 HTTP 版本号的响应行
get-long-head = 响应头将近 { $size } 的响应（{ $count } 个 `Set-Cookie` 头部）
get-long-head-note = 响应头可能有 { $size } 甚至更长：把内容读进一个会增长的缓冲区，直到出现空行，只有到了 { $limit } 才拒绝
get-endless-head = 响应头超过 { $limit } 还没有结束、连接也没有关闭的响应
get-endless-note = 读响应头时要有上限：已经来了 { $limit } 还没有出现结束它的空行，这个响应的格式就不对：退出码 2，并在 stderr 输出一条说明，而不是服务端发什么就读（并存）什么
get-reset-mid-body = 服务端发完响应头和 { $size } 的响应体后重置了连接（是崩溃，不是关闭）
get-reset-note = 只有流结束（`read` 返回 0）才表示响应体结束；`read` 失败（连接被重置）说明响应体被截断了：退出码 2，并输出一条说明，而不是 0
