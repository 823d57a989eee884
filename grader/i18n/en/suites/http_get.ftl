# The http_get suite's own words: situations of a property (`.context(say(…))`),
# properties, notes (`f.say(say(…))`) and labels. Quoted data is an argument,
# never part of the text. Keys start with the suite's prefix.

get-same-server = a server that answers the same (start it first; OpenBSD netcat)
get-head-too-long = the request's head is longer than { $size } without an empty line
get-no-request = your program connected but sent no request
get-request-never-ended = the request never ended: after the headers, send an empty line (`\r\n`)
get-closed-mid-request = your program closed the connection before the end of its request
get-exit-2-note = exit 2 is for a response that is not HTTP, or a failed connection; this one was a whole, well-formed response (your stderr says what your program made of it)
get-exit-0-note = exit 0 for a 2xx status
get-exit-1-note = exit 1 for a status other than 2xx (and still save the body)
get-stdout-note = print the status line and the header lines as received, each followed by `\n` (the `\r` removed), and not the empty line that ends the head
get-out-not-created = OUT_FILE was not created
get-out-not-body = OUT_FILE does not hold exactly the body
get-body-note = the body is every byte after the first `\r\n\r\n`, until the server closes: write them as bytes (`&[u8]`), untouched, into a file created afresh
get-malformed-note = a response that does not start with a status line (`HTTP/1.1 200 OK`), or that ends before the empty line after its head, is malformed: exit 2 with a message on stderr
get-read-to-end-note = the server closed the connection after its response: read until `read` returns 0 (end of stream), then save the body and exit
get-expected-label = expected (other headers may be added, in any order)
get-request-line-lf = the request line ends in `\n` alone: every line of an HTTP request ends in `\r\n`
get-empty-line-lf = the empty line that ends the request ends in `\n` alone: every line of an HTTP request ends in `\r\n`
get-header-line-lf = header line { $i } ends in `\n` alone: every line of an HTTP request ends in `\r\n`
get-not-get-line = the request line is not `GET PATH HTTP/1.1` with PATH as given
get-request-line-label = request line
get-not-name-value = a header line is not `Name: value`
get-the-line = the line: `{ $line }`
get-no-host = the request has no `Host` header (HTTP/1.1 requires it)
get-host-not-addr = the `Host` header is not ADDR as given (`host:port`)
get-host-received = `Host: { $got }` received, `Host: { $addr }` expected
get-two-hosts = the request has more than one `Host` header
get-no-close = the request has no `Connection: close` header: without it an HTTP/1.1 server keeps the connection open, and the client never sees the end of the body
get-bytes-after = bytes follow the request's empty line: a GET request has no body
get-localhost-note = ADDR here is `localhost:PORT`: send `Host: localhost:PORT`, ADDR exactly as given
get-split-note = TCP keeps no message boundaries: here `...\r\n\r` came in one write and `\n...` in the next. Append every read to one buffer and look for `\r\n\r\n` in the whole buffer
get-not-http = a response that is not HTTP
get-closes-silently = a server that closes without answering
get-refused-note = nothing listens at ADDR: `connect` fails; exit 2 with a message

# Hidden tests.
get-201 = a 201 response
get-204 = a 204 response without a body
get-301 = a 301 response
get-500 = a 500 response
get-without-reason = `{ $status }`, without a reason
get-ends-before-empty = a response that ends before the empty line after its head
get-no-status-code = a status line without a status code
get-four-digits = a status line whose code has four digits
get-no-version = a status line without the HTTP version
get-long-head = a response whose head is almost { $size } ({ $count } Set-Cookie headers)
get-long-head-note = a response head may be { $size } or more: read until the empty line into a buffer that grows, and refuse a head only once it reaches { $limit }
get-endless-head = a response whose head went on past { $limit } without its end, the connection left open
get-endless-note = read the head with a limit: once { $limit } have come without the empty line that ends it, the response is malformed: exit 2 with a message on stderr, rather than read (and keep) whatever the server sends
get-reset-mid-body = a server that sent the head and { $size } of the body, then reset the connection (a crash, not a close)
get-reset-note = only the end of the stream (`read` returns 0) ends the body; a `read` that fails (connection reset) means the body is cut short: exit 2 with a message, not 0
