# The tcp_echo suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`) and notes (`f.say(say(…))`).
# Quoted data is an argument, never part of the text. Keys start with the
# suite's prefix.

tcpecho-echo-at-once = write back the bytes of each `read` as soon as it returns them (`write_all(&buf[..n])`), then read again: the client stays connected and waits for its echo before it sends more or closes
tcpecho-read-returns-zero = the client shut down its sending side: your `read` returns `Ok(0)`. Nothing more will come, so stop reading and drop the stream: that closes the connection
tcpecho-nothing-more = after an echo, the next bytes to come must be the echo of the next piece, nothing else: write back exactly the `n` bytes each `read` returned (`&buf[..n]`), not the whole buffer, and keep reading until the client closes
tcpecho-echo-before-zero = echo everything that arrived before `read` returns 0
tcpecho-after-client-shutdown = after the client closed its sending side
tcpecho-closes-without-sending = a client that closes without sending anything
tcpecho-bytes-as-they-are = echo the bytes as they are, as `&[u8]`: converting them to a `String` (or reading lines) changes or holds back what is not UTF-8 text
tcpecho-back-to-accept = when a client has closed, go back to `accept` for the next one: the server runs until it is killed
tcpecho-client-first = client { $n } of { $total }
tcpecho-client-after = client { $n } of { $total }, connected after client { $previous } closed
tcpecho-bind-fails = { $addr } was already in use, so `bind` fails: print why on stderr and exit 2
tcpecho-listening-in-use = listening on an address already in use
tcpecho-survive = a client may vanish at any time: then `read` or `write` returns an error (connection reset, broken pipe). End that connection and go back to `accept`: no `unwrap()`, and no `?` that leaves the accept loop
tcpecho-big-echo = the test sent { $size } of random bytes in pieces of up to 64 KiB, while reading the echo; every byte must come back, in order. Loop: `read`, then `write_all` of exactly the `n` bytes read
tcpecho-sending-failed = sending 1 MiB and 1 byte failed: { $error }
tcpecho-keep-reading = the server must keep reading until the client closes
tcpecho-then-more = every byte came back, then more: write back exactly the `n` bytes each read returned, not the whole buffer
tcpecho-reset-waiting = a client reset its connection while the server waited for its next bytes
tcpecho-reset-mid-echo = a client reset its connection in the middle of its echo
tcpecho-after-two-resets = the client after two clients that reset their connections

# What an echo is, for the session's checks (`Session::echo`, `expect_bytes`,
# `Ctx`'s `expect_refusal`): those take English text for now, so these show in
# English until they take a sentence.
tcpecho-echo = echo
tcpecho-echo-of-line = echo of a line
tcpecho-echo-of-second-line = echo of the second line
tcpecho-echo-of-first-piece = echo of the first piece
tcpecho-echo-without-newline = echo of a piece without `\n`
tcpecho-echo-of-single-byte = echo of a single byte
tcpecho-echo-of-utf8 = echo of UTF-8 text
tcpecho-echo-of-text = echo of { $n } bytes of text
tcpecho-echo-in-two-writes = echo of a piece sent in two writes
tcpecho-echo-before-close = echo of bytes sent just before the client closed its side
tcpecho-echo-of-binary = echo of binary bytes (all 256 values)
tcpecho-echo-after-binary = echo of the piece after the binary bytes
tcpecho-echo-of-big = echo of 1 MiB and 1 byte of random bytes
tcpecho-start-of-echo = start of the echo
tcpecho-no-arguments = no arguments
tcpecho-bad-addr = ADDR `{ $addr }`
