# The tcp_client suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`) and notes (`f.say(say(…))`).
# Quoted data is an argument, never part of the text. Keys start with the
# suite's prefix.

tcpclient-by-hand = the test played the server. To play it yourself, run `nc -l 127.0.0.1 9000` in one terminal and your client with `127.0.0.1:9000` in another, then type the replies into nc (or run your tcp_echo as the server)
tcpclient-still-running = your program was still running; the test stopped it
tcpclient-was-checking = the test was checking: { $property }
tcpclient-exited-with = your program exited with code { $code }
tcpclient-line = line { $k }
tcpclient-no-newline = { $size } arrived, but no `\n` within { $wait }
tcpclient-newline-after-each = send each line with `\n` at its end, even the last line of the input when it has none: the server reads up to `\n`
tcpclient-other-bytes = your program sent other bytes than the line and `\n`
tcpclient-send-as-is = send each line of the input exactly as it is (a `\r` in it included), then one `\n`
tcpclient-sent-early = your program sent more before it got the reply to line { $k }
tcpclient-one-at-a-time = send one line, then read its whole reply (up to `\n`) and print it; only then read and send the next line
tcpclient-closed-before-reply = your program closed the connection before the reply to line { $k }
tcpclient-sent-more = your program sent more than the lines of its input
tcpclient-sent-after-last = sent after the last line
tcpclient-print-once = print each reply line once, as the server sent it, with one `\n` after it
tcpclient-whole-reply-only = print a reply only once its `\n` has arrived: a part of a line is no reply
tcpclient-exit-1 = when the server closes before the whole reply, exit with code 1
tcpclient-closed-early = the server closed the connection before a whole reply
tcpclient-server-closed-silently = the test's server received line 1, then closed the connection without replying
tcpclient-server-closed-mid-reply = the test's server replied to line 1, then sent a part of the reply to line 2 and closed the connection
tcpclient-fragments = the server sent each reply in fragments, { $pause } apart: { $first }, then { $second }, then { $third }
tcpclient-read-until-newline = a reply may arrive in several reads, with pauses between them: keep reading until `\n` (`BufReader::read_line` or `read_until` on the stream), then print the whole line
tcpclient-did-not-close = your program did not close the connection within { $wait } after the end of its input
tcpclient-close-at-eof = at the end of stdin, drop the stream (or `shutdown(Shutdown::Write)`) and exit: the server waits for your end of file before it closes its side
tcpclient-nothing-listens = nothing listens at the address
tcpclient-refused = connecting fails (connection refused): say why on stderr, exit 2
tcpclient-ahead = after line 1 the server sent "{ $sent }" in one write: the reply to line 1, the whole reply to line 2 and the start of the reply to line 3
tcpclient-keep-bytes = bytes after a reply's `\n` belong to the next replies: keep them (one `BufReader` for the whole connection, not a new one per reply)
tcpclient-cr-kept = a `\r` before the `\n` is part of the reply: print it as it came (`str::lines` and `trim` remove it)

# What is wrong with the arguments, for `expect_refusal`: it takes English
# text for now, so these show in English until it takes a sentence.
tcpclient-no-arguments = no arguments
tcpclient-bad-addr = ADDR `{ $addr }`
tcpclient-extra-argument = two arguments, ADDR and `{ $extra }`

## The harness's sentences about a connection, said of the student's client
tcpclient-said-closed-early = your program closed the connection
tcpclient-said-no-reply = nothing arrived from your program within { $waited }
tcpclient-said-reset = your program reset the connection
tcpclient-said-closed = your program closed the connection
tcpclient-said-stopped-reading = your program stopped reading what was sent, until the test's time ran out
tcpclient-said-too-much = your program sent more than { $max } without closing
tcpclient-said-more-than-expected = your program sent more than expected
tcpclient-said-more-instead-of-close = your program sent more than expected instead of closing
tcpclient-said-did-not-close = your program did not close the connection
tcpclient-said-incomplete-closed = incomplete { $what }: then your program closed the connection
