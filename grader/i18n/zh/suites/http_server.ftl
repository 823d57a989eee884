# http_server 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质、
# 提示（`f.say(say(…))`）和标签。关于响应的性质都挂在它的请求名下：
# “`GET /`：状态码为 404，应为 200”。引用的数据是参数，不翻译。键以本套件的
# 前缀开头。

httpd-status = 状态码为 { $status }，应为 { $expected }
httpd-no-content-type = 没有 `Content-Type` 头部，应为 `{ $expected }`
httpd-content-type = `Content-Type` 为 `{ $got }`，应为 `{ $expected }`
httpd-no-length = 没有 `Content-Length` 头部（应为 { $len }）
httpd-length = `Content-Length` 为 { $got }，应为 { $len }
httpd-body-label = 响应体（WEBROOT/{ $rel }）
httpd-body-differs = 响应体和 WEBROOT/{ $rel } 不同
httpd-404-no-length = 404 响应没有 `Content-Length` 头部
httpd-404-no-body = 404 响应没有响应体；要发送一个简短的 HTML 页面
httpd-404-not-html = 404 响应体不是 HTML 页面："{ $body }"
httpd-404-length = `Content-Length` 为 { $len }，但响应体有 { $n } 字节
httpd-404-type = 404 页面是 `{ $type }`，应为 HTML 页面（`text/html`）
httpd-404-no-type = 404 页面没有 `Content-Type`（`text/html; charset=utf-8`）
httpd-405-no-allow = 405 响应没有 `Allow: GET, HEAD` 头部
httpd-405-allow = 收到 `Allow: { $allow }`，应为 `Allow: GET, HEAD`
httpd-webroot-note = 服务器在一个包含 `webroot/` 的目录里运行（就像 `exercises/http_server/webroot`）
httpd-stopped-short = { $part ->
        [body] 响应体
       *[head] 响应头
    }没有收完：{ $wait }内再没有数据到达
httpd-incomplete = { $wait }内没有收到完整的{ $part ->
        [body] 响应体
       *[head] 响应头
    }
httpd-client-failed = HTTP 客户端读取{ $part ->
        [body] 响应体
       *[head] 响应头
    }时出错：“{ $error }”
httpd-no-length-status = { $status } 响应没有 `Content-Length` 头部
httpd-headers-label = 收到的响应头
httpd-status-received = 状态码 { $status }
httpd-no-status-line = 收到的字节不是以响应行（例如 `HTTP/1.1 200 OK`）开头的
httpd-length-not-number = `Content-Length` 的值 `{ $value }` 不是数字
httpd-the-body = 响应体（`Content-Length` 为 { $n }）
httpd-no-length-no-close = 响应没有 `Content-Length`，连接也没有关闭
httpd-keep-alive-note = HTTP/1.1 的连接在响应之后保持打开，等待下一个请求，除非客户端发送了 `Connection: close`
httpd-dir-without-index = 没有 index.html 的目录
httpd-escaped-space = 百分号转义的空格
httpd-escaped-letters = 百分号转义的字母
httpd-query-ignored = 忽略查询字符串
httpd-first-request = 连接上的第一个请求
httpd-second-request = 同一连接上的第二个请求
httpd-third-request = 同一连接上的第三个请求
httpd-with-close = 带 `Connection: close` 的请求
httpd-close-note = 回答了带 `Connection: close` 的请求之后，关闭连接
httpd-http10 = HTTP/1.0 请求
httpd-http10-note = HTTP/1.0 每个连接只有一个请求：响应之后关闭连接
httpd-pieces-note = TCP 不保留消息边界（粘包）：一个请求可能要读好几次才能读完。一直读到缓冲区里出现 `\r\n\r\n` 为止，不管要读多少次
httpd-four-pieces = 分四段发送的请求
httpd-second-in-pieces = 同一连接上分段发送的第二个请求
httpd-thread-note = 每个连接给一个单独的线程（`std::thread::spawn`）：一次只服务一个客户端的服务器会等着那个不说话的客户端，谁也不理
httpd-while-silent = 在另一个客户端连着却不说话的时候
httpd-while-half = 在另一个客户端只发了半个请求的时候
httpd-completed-after = 在其他客户端都得到服务之后才补完的请求
httpd-head-note = HEAD 的响应带着 GET 响应的头部（包括 `Content-Length`），但没有响应体：连接上接下来的字节就是下一个响应
httpd-get-after-head = 同一连接上 HEAD 之后的 GET
httpd-get-after-head-404 = 对不存在的文件发出 HEAD 之后的 GET
httpd-head-with-close = 带 `Connection: close` 的 `{ $request }`
httpd-head-carried-body = HEAD 的响应带了响应体（它的头部之后的字节不是响应行）
httpd-400-close-note = 发出 400 响应之后，服务器要关闭连接
httpd-one-word = 只有一个词的请求行
httpd-no-version = 没有 HTTP 版本号的请求行
httpd-no-colon = 没有冒号的头部行
httpd-after-malformed = 在格式错误的请求之后
httpd-leak = 响应里有 WEBROOT 之外某个文件的内容
httpd-secret-note = 测试在 WEBROOT 的上一级目录里放了 `secret.txt`
httpd-traversal-note = 先对路径做百分号解码，再拒绝任何 `..` 路径段，也绝不要把绝对路径拼接到 WEBROOT 上
httpd-status-403-404 = 状态码为 { $status }，应为 403 或 404
httpd-absolute-path = `/` 之后跟一个绝对路径（`//tmp/.../secret.txt`）
httpd-after-traversal = 在这些越界访问的尝试之后

# 隐藏测试。
httpd-an-ext-file = 一个 `{ $ext }` 文件
httpd-a-ext-file = 一个 `{ $ext }` 文件
httpd-unknown-extension = 扩展名未知的文件
httpd-no-extension = 没有扩展名的文件
httpd-empty-file = 空文件
httpd-whole-file-note = 把整个文件都发出去，一共 `Content-Length` 个字节：用 `io::copy` 从文件复制到流，或者循环 `read` 和 `write_all`，直到 `read` 返回 0
httpd-large-get = 对一个 { $size } 文件的 `GET`
httpd-body-word = 响应体
httpd-differs-from-file = 响应体和文件不同
httpd-pipelined-first = 一次写入发送的三个请求中的第一个
httpd-pipelined-second = 一次写入发送的三个请求中的第二个（HEAD）
httpd-pipelined-third = 一次写入发送的三个请求中的第三个
httpd-head-no-body-note = HEAD 的响应没有响应体：下一个响应紧跟在它的头部之后
httpd-pipelined-note = TCP 不保留消息边界（粘包）：一次读取可能包含好几个请求。把一个请求的头部之后的字节留给下一个请求
httpd-request-body-note = 带 `Content-Length: N` 的请求后面跟着 N 个字节的请求体：在找下一个请求之前，先把它们读掉（并丢弃）
httpd-post-with-body = 带请求体的 POST
httpd-get-after-post = 带请求体的 POST 之后的 GET
httpd-get-with-body = 带请求体的 GET
httpd-after-get-with-body = 带请求体的 GET 之后的请求
httpd-post-in-pieces = 请求体在之后分段到达的 POST
httpd-get-after-post-pieces = 请求体分段到达的 POST 之后的 GET
httpd-slow-note = 发请求很慢的客户端不能耽误其他客户端：每个连接给一个单独的线程
httpd-while-slow = 在另一个客户端慢慢发送请求的时候
httpd-slow-request = 分六段慢慢发送的请求
httpd-four-words = 有四个词的请求行
httpd-not-http-version = 版本不是 HTTP 的请求行
httpd-no-name = 没有名字的头部行
httpd-no-method = 没有方法的请求行（以空格开头）
httpd-long-head = 请求头有 { $size } 的 GET（{ $count } 个很长的 `Cookie` 头部）
httpd-long-head-note = 请求头可能有 { $size } 甚至更长（浏览器会发送这个网站的所有 cookie）：把内容读进一个会增长的缓冲区，直到出现空行，只有超过一个远大于此的上限（例如 { $limit }）才拒绝
httpd-after-long-head = 在 { $size } 的请求头之后，同一连接上的下一个请求
httpd-endless-head = 请求头超过 { $limit } 还没有出现空行的请求
httpd-endless-note = 读请求头时要有上限：缓冲区已经有 { $limit } 还没有空行，就回答 `400` 并关闭连接，而不是客户端发什么就读（并留在内存里）什么
httpd-after-head-too-long = 在过长的请求头之后
httpd-repeated-length-note = 几个值相同的 `Content-Length` 头部算作一个长度；值不同时，谁也说不清请求体在哪里结束：回答 `400`，然后关闭连接
httpd-equal-lengths = 带两个相同 `Content-Length` 头部（{ $n }）和 { $n } 字节请求体的 GET
httpd-next-request = 同一连接上的下一个请求
httpd-different-lengths = 带两个不同 `Content-Length` 头部（先 { $first }，后 { $second }）的 GET
httpd-stopped-note = 用 Ctrl-Z（SIGSTOP）暂停、再用 `fg`（SIGCONT）继续的服务器要照常工作：在 Linux 上，被这次暂停打断的带超时（`set_read_timeout`）的 `read` 会以 `ErrorKind::Interrupted` 失败；像 `read_exact` 和 `BufRead::read_line` 那样重试，而不是断开连接
httpd-a-first-request = 第一个请求
httpd-stopped-mid-request = 前 { $n } 个字节在服务器被暂停（SIGSTOP）又继续（SIGCONT）之前到达、其余在之后到达的请求
httpd-idle-while-stopped = 连接上的下一个请求（服务器被暂停又继续期间，这个连接一直空闲）
httpd-after-stopped = 在服务器被暂停又继续之后
httpd-dots-between-slashes = 夹在编码的斜杠（`%2f`）之间的 `..`
httpd-dots-capitals = 用大写字母编码的 `..`（`%2E%2E`）
httpd-dots-then-slash = 后面跟着编码的斜杠的 `..`
httpd-dots-all-encoded = `..` 和斜杠全部编码
httpd-dots-half = 编码了一半的 `..`（`.%2e`）
httpd-three-dots = 三个 `..` 加编码的斜杠
httpd-absolute-encoded = 斜杠经过编码的绝对路径
httpd-double-encoded = 编码了两次的 `..`（只解码一次）
