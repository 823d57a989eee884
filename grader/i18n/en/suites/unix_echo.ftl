# The unix_echo suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`), notes (`f.say(say(…))`) and
# labels. Quoted data is an argument, never part of the text. Keys start
# with the suite's prefix.

unix-close-note = `read` returning 0 means the client closed its sending side: stop reading, drop the stream (which closes the connection) and accept the next client
unix-each-piece = each piece must come back before the next is sent
unix-after-end = after the client ended its stream
unix-quiet-client = a client that sent nothing and ended its stream
unix-after-those-two = the client after those two
unix-after-binary = after binary bytes
unix-client-of = client { $i } of { $count }, each one connecting after the last closed
unix-next-client-note = the server must go back to `accept` when a client is done and serve the next one
unix-with-stale = with a stale socket file at PATH
unix-stale-note = a socket file left at PATH by an earlier run makes `bind` fail with `Address already in use` (the notes: the file stays after the server exits): if PATH is a socket, remove it (`fs::remove_file`) before `bind`
unix-over-stale = a server started over a stale socket file
unix-missing-dir = PATH in a directory that does not exist
unix-regular-file = a regular file at PATH
unix-file-changed = the regular file at PATH was removed or changed
unix-keep-file-note = remove PATH only if it is a socket (`fs::symlink_metadata(path)` and `file_type().is_socket()` from `std::os::unix::fs::FileTypeExt`): any other file there is someone's data

# What the echoes are (in "wrong …", "incomplete …: …" and as the label of
# the comparison).
unix-echo = echo
unix-echo-hello = echo of `hello\n`
unix-echo-no-newline = echo of bytes without a newline (echo what arrives, not lines)
unix-echo-utf8 = echo of UTF-8 text
unix-echo-piece = echo of one piece of a message sent in pieces
unix-echo-lines = echo of { $n } lines sent in one write
unix-echo-before-end = echo of bytes sent just before the end of the stream
unix-echo-next = echo of `next\n`
unix-echo-all-bytes = echo of the 256 byte values in order
unix-echo-shuffled = echo of the 256 byte values shuffled
unix-echo-not-utf8 = echo of bytes that are not UTF-8 text

# Hidden tests.
unix-could-not-connect = could not connect to the socket at PATH: { $error }
unix-large-echo = echo of { $size } of random bytes, sent while reading
unix-large-more = incomplete echo of { $size } of random bytes, sent while reading: { $got } came back, the server sent more than it was sent
unix-large-silent = incomplete echo of { $size } of random bytes, sent while reading: { $got } came back, then nothing more within { $wait } and the connection stayed open
unix-large-recv-failed = incomplete echo of { $size } of random bytes, sent while reading: { $got } came back, then receiving failed: { $error }
unix-send-failed = sending the { $size } failed: { $error }
unix-large-wrong = wrong echo of { $size } of random bytes, sent while reading
unix-large-note = echo every byte of each `read` (`write_all(&buf[..n])`, not the whole buffer), until `read` returns 0; then close
unix-sending-failed = sending failed: { $error }
unix-no-echo = a client that sent { $n } bytes got no echo ({ $error })
unix-vanish-note = a client may vanish at any time: then `read` or `write` returns an error (`ConnectionReset`, `BrokenPipe`): end that client's session (no `unwrap`, no exit) and accept the next client
unix-after-unread = the client after one that closed with its echo unread
unix-after-its-echo = after its echo
unix-after-large-close = the client after one that closed in the middle of a large echo
