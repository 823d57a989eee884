# The line_upper suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`) and notes (`f.say(say(…))`).
# Quoted data is an argument, never part of the text. Keys start with the
# suite's prefix.

lineupper-answer-at-once = answer each line as soon as its `\n` arrives: the client waits for the reply before it sends anything more, so a server that waits for the end of the stream (or for a full buffer) never answers
lineupper-close-at-end = at end of stream (`read` returns 0) every line has been answered: close the connection, and send nothing for the empty rest after the last `\n`
lineupper-reply-too-early = a reply arrived before the line was complete
lineupper-keep-piece = a `read` returns whatever bytes have arrived, here a piece of a line: keep them in a buffer and answer only when the `\n` is there (`BufRead::read_until` or `read_line` do this)
lineupper-after-client-shutdown = after the client closed its side
lineupper-several-lines = one `read` can return several lines at once: answer every line in what it returned, not only the first
lineupper-after-piece = after piece { $n } of a line sent in five pieces
lineupper-last-line = at end of stream (`read` returns 0), bytes after the last `\n` are a last line: answer it, with a `\n`, then close the connection
lineupper-line-and-last-line = replies to a line and to a last line without `\n`
lineupper-single-line = reply to a single line without `\n`
lineupper-nothing-left = after the last `\n`, nothing is left to answer
lineupper-sends-nothing = a client that sends nothing
lineupper-cr-kept = a `\r` before the `\n` is a byte of the line like any other: it comes back (`str::lines` and `trim` remove it)
lineupper-last-line-cr = reply to a last line `{ $line }` without `\n`
lineupper-last-after-many = reply to a last line without `\n` after many lines
lineupper-long-line = the suite sent one line of 1 MiB (1,048,576 bytes, then `\n`) and read the reply while sending: a line is as long as it is, so grow the buffer (a `Vec` with `read_until`, or a `String` with `read_line`) instead of cutting it at a fixed size
lineupper-sending-failed = sending the 1 MiB line failed: { $error }
lineupper-next-client = the next client
lineupper-misbehaving = a client's failure (a reset, an abrupt close, bytes that are not UTF-8) is an error for that connection only: report it on stderr and go on serving
lineupper-closed-mid-line = after a client closed in the middle of a line
lineupper-reset-unread = after a client reset the connection without reading its replies
lineupper-not-utf8 = after a client sent bytes that are not UTF-8

# What a reply is, for the session's checks (`Session::send_expect`,
# `expect_bytes`): those take English text for now, so these show in English
# until they take a sentence.
lineupper-reply-to-line = reply to line { $n }
lineupper-three-in-one-write = replies to three lines sent in one write
lineupper-line-after-them = reply to the line after them
lineupper-five-in-one-write = replies to five lines sent in one write
lineupper-five-pieces = reply to the line sent in five pieces
lineupper-next-line = reply to the next line
lineupper-two-lines = replies to two lines
lineupper-reply-to-crlf-line = reply to line { $n } (ending in `\r\n`)
lineupper-random-pieces = replies to many lines sent in random pieces
lineupper-reply-to-long-line = reply to a 1 MiB line
lineupper-short-after-long = reply to a short line after the long one
lineupper-reply-to-next-client = reply to the next client
