# The http_server suite's own words: situations of a property (`.context(say(…))`),
# properties, notes (`f.say(say(…))`) and labels. A property about a
# response is said of its request: "`GET /`: status 404, expected 200".
# Quoted data is an argument, never part of the text. Keys start with the
# suite's prefix.

httpd-status = status { $status }, expected { $expected }
httpd-no-content-type = no Content-Type header, expected `{ $expected }`
httpd-content-type = Content-Type `{ $got }`, expected `{ $expected }`
httpd-no-length = no Content-Length header (expected { $len })
httpd-length = Content-Length { $got }, expected { $len }
httpd-body-label = body (WEBROOT/{ $rel })
httpd-body-differs = the body differs from WEBROOT/{ $rel }
httpd-404-no-length = the 404 response has no Content-Length header
httpd-404-no-body = the 404 response has no body; send a small HTML page
httpd-404-not-html = the 404 body is not an HTML page: "{ $body }"
httpd-404-length = Content-Length { $len } but the body has { $n } bytes
httpd-404-type = the 404 page is `{ $type }`, expected an HTML page (`text/html`)
httpd-404-no-type = the 404 page has no Content-Type (`text/html; charset=utf-8`)
httpd-405-no-allow = the 405 response has no `Allow: GET, HEAD` header
httpd-405-allow = `Allow: { $allow }`, expected `Allow: GET, HEAD`
httpd-webroot-note = the server runs in a directory holding `webroot/` (like exercises/http_server/webroot)
httpd-stopped-short = the { $part ->
        [body] body
       *[head] response head
    } stopped short: nothing more arrived for { $wait }
httpd-incomplete = no complete { $part ->
        [body] body
       *[head] response head
    } within { $wait }
httpd-client-failed = the HTTP client failed reading the { $part ->
        [body] body
       *[head] response head
    }: { $error }
httpd-no-length-status = the { $status } response has no Content-Length header
httpd-headers-label = response headers received
httpd-status-received = status { $status }
httpd-no-status-line = the bytes received do not start with a status line such as `HTTP/1.1 200 OK`
httpd-length-not-number = Content-Length `{ $value }` is not a number
httpd-the-body = the body (Content-Length { $n })
httpd-no-length-no-close = the response has no Content-Length and the connection did not close
httpd-keep-alive-note = an HTTP/1.1 connection stays open after a response, for the next request, unless the client sent `Connection: close`
httpd-dir-without-index = a directory without index.html
httpd-escaped-space = a percent-escaped space
httpd-escaped-letters = percent-escaped letters
httpd-query-ignored = the query string is ignored
httpd-first-request = the first request on a connection
httpd-second-request = the second request on the same connection
httpd-third-request = the third request on the same connection
httpd-with-close = a request with `Connection: close`
httpd-close-note = after the response to a request with `Connection: close`, close the connection
httpd-http10 = an HTTP/1.0 request
httpd-http10-note = HTTP/1.0 has one request per connection: close it after the response
httpd-pieces-note = TCP has no message boundaries: a request may arrive in several reads. Read until the buffer holds `\r\n\r\n`, however many reads that takes
httpd-four-pieces = a request sent in four pieces
httpd-second-in-pieces = a second request in pieces on the same connection
httpd-thread-note = give each connection its own thread (`std::thread::spawn`): a server that serves one client at a time waits for the silent one and answers no one else
httpd-while-silent = while another client is connected and silent
httpd-while-half = while another client has sent half a request
httpd-completed-after = a request completed after other clients were served
httpd-head-note = a response to HEAD has the GET response's headers (Content-Length included) but no body: the next bytes on the connection are the next response
httpd-get-after-head = the GET after a HEAD on the same connection
httpd-get-after-head-404 = the GET after a HEAD of a missing file
httpd-head-with-close = `{ $request }` with `Connection: close`
httpd-head-carried-body = the response to HEAD carried a body (the bytes after its headers are not a status line)
httpd-400-close-note = after a 400 response the server closes the connection
httpd-one-word = a request line with one word
httpd-no-version = a request line without the HTTP version
httpd-no-colon = a header line without a colon
httpd-after-malformed = after malformed requests
httpd-leak = the response holds the content of a file outside WEBROOT
httpd-secret-note = the test put `secret.txt` in the directory above WEBROOT
httpd-traversal-note = percent-decode the path first, then refuse any `..` segment, and never join an absolute path onto WEBROOT
httpd-status-403-404 = status { $status }, expected 403 or 404
httpd-absolute-path = an absolute path after the `/` (`//tmp/.../secret.txt`)
httpd-after-traversal = after the traversal attempts

# Hidden tests.
httpd-an-ext-file = an { $ext } file
httpd-a-ext-file = a { $ext } file
httpd-unknown-extension = a file of unknown extension
httpd-no-extension = a file without extension
httpd-empty-file = an empty file
httpd-whole-file-note = send the whole file, Content-Length bytes: `io::copy` from the file to the stream, or a loop of `read` and `write_all` until `read` returns 0
httpd-large-get = `GET` of a { $size } file
httpd-body-word = body
httpd-differs-from-file = the body differs from the file
httpd-pipelined-first = the first of three requests sent in one write
httpd-pipelined-second = the second (HEAD) of three requests sent in one write
httpd-pipelined-third = the third of three requests sent in one write
httpd-head-no-body-note = a response to HEAD has no body: the next response follows its headers
httpd-pipelined-note = TCP has no message boundaries: one read may hold several requests. Keep the bytes after a request's head for the next request
httpd-request-body-note = a request with `Content-Length: N` is followed by N bytes of body: read (and drop) them before you look for the next request
httpd-post-with-body = a POST with a body
httpd-get-after-post = a GET after a POST with a body
httpd-get-with-body = a GET with a body
httpd-after-get-with-body = the request after a GET with a body
httpd-post-in-pieces = a POST whose body came in later pieces
httpd-get-after-post-pieces = a GET after a POST with a body in pieces
httpd-slow-note = a client that sends its request slowly must not hold up the others: give each connection its own thread
httpd-while-slow = while another client sends its request slowly
httpd-slow-request = a request sent slowly in six pieces
httpd-four-words = a request line with four words
httpd-not-http-version = a request line whose version is not HTTP
httpd-no-name = a header line without a name
httpd-no-method = a request line without a method (it starts with the space)
httpd-long-head = a GET whose head is { $size } ({ $count } long Cookie headers)
httpd-long-head-note = a request head may be { $size } or more (a browser sends every cookie of the site): read until the blank line into a buffer that grows, and refuse a head only past a limit far above that, such as { $limit }
httpd-after-long-head = the next request on the same connection, after a head of { $size }
httpd-endless-head = a request whose head went on past { $limit } without its blank line
httpd-endless-note = read the head with a limit: once the buffer holds { $limit } and still no blank line, answer `400` and close the connection, rather than read (and keep in memory) whatever the client sends
httpd-after-head-too-long = after a request head too long
httpd-repeated-length-note = several Content-Length headers that say the same number are one length; if they differ, no one can tell where the body ends: `400`, then close
httpd-equal-lengths = a GET with two equal Content-Length headers ({ $n }) and its { $n }-byte body
httpd-next-request = the next request on the same connection
httpd-different-lengths = a GET with two different Content-Length headers ({ $first }, then { $second })
httpd-stopped-note = a server stopped with Ctrl-Z (SIGSTOP) and continued with `fg` (SIGCONT) carries on: on Linux a `read` with a timeout (`set_read_timeout`) that the stop interrupted fails with `ErrorKind::Interrupted`; retry it, as `read_exact` and `BufRead::read_line` do, instead of dropping the connection
httpd-a-first-request = a first request
httpd-stopped-mid-request = a request whose first { $n } bytes came before the server was stopped (SIGSTOP) and continued (SIGCONT), the rest after
httpd-idle-while-stopped = the next request on the connection, which was idle while the server was stopped and continued
httpd-after-stopped = after the server was stopped and continued
httpd-dots-between-slashes = `..` between encoded slashes (`%2f`)
httpd-dots-capitals = `..` encoded in capitals (`%2E%2E`)
httpd-dots-then-slash = `..` followed by an encoded slash
httpd-dots-all-encoded = `..` and the slash all encoded
httpd-dots-half = `..` half encoded (`.%2e`)
httpd-three-dots = three `..` with encoded slashes
httpd-absolute-encoded = an absolute path with encoded slashes
httpd-double-encoded = a doubly encoded `..` (decode once only)
