# The students suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`), notes (`f.say(say(…))`) and labels
# of feedback (`.text(say(…), …)`). Quoted data is an argument, never part of
# the text. Keys start with the suite's prefix.

students-send-failed = sending a datagram failed: { $error }
students-after-record = after datagram { $n } (a record)
students-after-datagram = after a datagram of { $size }
students-no-warning = no warning on stderr within { $wait } for a datagram of { $size } (a record is { $record } bytes)
students-out-file-changed = OUT_FILE changed after a datagram of { $size }, which is not a record
students-wrong-lines = OUT_FILE does not hold the expected lines
students-line-missing = the line of a record was not in OUT_FILE within { $wait }
students-flush = write each line so that it is in the file before the next datagram is read: a `BufWriter` keeps lines in memory until it is flushed (or dropped, which a server killed by a signal never does)
students-out-file = OUT_FILE ({ $name })
students-append = OUT_FILE existed already: open it for appending (`OpenOptions::new().append(true).create(true)`), so that its old lines stay
students-nul-in-file = OUT_FILE holds NUL bytes: the name is the bytes before its NUL padding, without the padding
students-datagrams-sent = datagrams sent to { $addr } (one UDP datagram each)
students-send-with-client = then send the records with your client
students-last-with-nc = and the last datagram with nc
students-listen-first = to see what it sends, listen there first (another terminal)
students-datagrams-received = datagrams received, decoded
students-sent-skipped = a datagram was sent for input line { $line }, which must not be sent
students-line-text = line { $line }: `{ $text }`
students-too-many = { $got } datagrams arrived for { $lines } lines to send
students-not-its-record = the datagram for input line { $line } is not its record
students-wrong-size = a datagram of { $size } arrived (a record is { $record } bytes)
students-input-line = input line { $line }
students-datagram = datagram
students-big-endian = the numbers are big-endian: the contract packs them little-endian (`to_le_bytes`)
students-pad-name = pad the name with NUL bytes to 16: every record is 28 bytes, whatever the name's length
students-no-datagram = no datagram arrived for input line { $line }
students-hint-pad = `{ $format }` pads to 10 characters: { $name } is 2 characters (6 bytes), so 8 spaces follow it
students-hint-five-han = a name of 5 Chinese characters is 15 bytes and gets 5 spaces
students-hint-char = { $char } is one character of 2 bytes
students-hint-sixteen = a name of exactly 16 bytes fills its room: there is no NUL after it
students-cut-to-buffer = a datagram longer than the buffer given to `recv_from` is cut to the buffer's size without a word: receive into a buffer larger than a record to see it is too long
students-long-name = a name over 16 bytes does not fit in its room: the line is not sent (not cut to 16 bytes), a message on stderr says so, and the next lines are still sent
students-name-too-long = a name over 16 bytes
students-not-a-record-line = a line that is not a record
students-exit-1 = a line was not sent ({ $what }): after the last line, exit 1 (count the lines not sent)
students-one-byte = 1 byte
students-two-records = two records in one datagram
students-1400-bytes = 1,400 bytes
students-record-and-newline = a record and a newline
students-i32 = an id or age that does not fit in an `i32` is no record: parse it as `i32` (`str::parse::<i32>` fails on it) rather than as a wider type cast with `as`, which wraps it

# What is wrong with a program's arguments, for `expect_refusal`: it takes
# English text for now, so these show in English until it takes a sentence.
students-no-arguments = `{ $program }` with no arguments
students-bad-addr = `{ $program }` with ADDR `{ $addr }`
students-addr-taken = `{ $program }` with an ADDR another socket is already bound to
students-out-file-directory = `{ $program }` with an OUT_FILE that is a directory

## Datagrams as a person reads them (the lists of datagrams sent and
## received): the fields are data

students-record = id { $id }, name "{ $name }", age { $age }, height { $height }
students-not-a-record = { $size } (not a record: a record is { $record } bytes)
students-numbered = { $n }. { $item }
students-sent-record = a record: { $record }
students-sent-datagram = a datagram of { $size }: "{ $bytes }"
students-nothing = (nothing)
students-expected-record = expected: { $record }
