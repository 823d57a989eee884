# The timeout_probe suite's own words: properties, notes and labels. Quoted
# data is an argument, never part of the text. Keys start with the suite's
# prefix.

probe-sent-instead = your program sent `{ $line }` instead of `PING\n`
probe-no-ping = your program did not send `PING\n`
probe-closed-before-ping = your program closed the connection before sending `PING\n`
probe-same-server = a server that behaves the same (start it first; OpenBSD netcat)
probe-kept-waiting = no full line ever came, and your program kept waiting: a blocking `read` waits forever unless `set_read_timeout` bounds it; TIMEOUT_MS is in milliseconds (`Duration::from_millis`)
probe-reply-note = print `reply: `, the line's bytes as received without its `\n`, and one `\n`
probe-bytes-not-text = the line is bytes, not text: write them with `write_all`, never through `String::from_utf8_lossy` (it replaces bytes that are not UTF-8) or `String::from_utf8` (it fails on them)
probe-ended-late = your program ended { $took } after connecting, but TIMEOUT_MS was { $ms }: it must end within TIMEOUT_MS + { $margin } ms of connecting
probe-one-deadline = one deadline counts from connecting, `Instant::now() + timeout`; before each `read`, set the read timeout to the time left until it, not to TIMEOUT_MS again
probe-gave-up-early = your program printed `timeout` { $took } after it started, before TIMEOUT_MS ({ $ms } ms) had passed
probe-pieces-note = TCP keeps no message boundaries: the line came in three writes, { $pause } apart. Append each read to one buffer until it holds a `\n`
probe-silent-note = no line came within TIMEOUT_MS: print `timeout` and exit 3
probe-refused-note = nothing listens at ADDR: `connect` fails with `ErrorKind::ConnectionRefused`; print `refused` and exit 4

# Hidden tests.
probe-late-note = the reply came { $at } after connecting, with TIMEOUT_MS { $ms }: wait the whole TIMEOUT_MS
probe-two-lines-note = two lines came in one write: the reply is the first one, up to its `\n`
probe-trickle-note = bytes without a `\n` are not a reply: when the deadline passes before a full line, print `timeout` and exit 3
probe-last-byte-note = a byte came { $ms } ms before the deadline, then nothing: the wait for the next byte must end at the deadline, not TIMEOUT_MS after the last byte
probe-stopped-note = the program was stopped (SIGSTOP, as Ctrl-Z does) and continued (SIGCONT, as `fg` does) while it waited: on Linux a `read` with a timeout that the stop interrupted fails with `ErrorKind::Interrupted`; retry it with the time left
probe-never-answered-note = the server never answers the connection (its listen queue is full): the deadline covers `connect` too (`TcpStream::connect_timeout`)
probe-no-connection-note = no connection, so no line, within TIMEOUT_MS: print `timeout` and exit 3
probe-unreachable-note = ADDR is a multicast address, which TCP cannot connect to: `connect` fails with `ErrorKind::NetworkUnreachable`, another I/O error: a message on stderr, exit 2 (not `refused`, not `timeout`)

# The refusal test (its other cases are the harness's words).
probe-bad-timeout = TIMEOUT_MS `1s`, not a number of milliseconds
