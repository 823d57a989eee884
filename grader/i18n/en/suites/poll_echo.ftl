# The poll_echo suite's own words: situations of a property (`.context(say(…))`),
# properties, notes (`f.say(say(…))`) and labels. Quoted data is an argument,
# never part of the text. Keys start with the suite's prefix.

poll-blocked-note = a server that waits for one client (a blocking `read` or `read_line`, a loop until the `\n` comes, or one client at a time) answers no one else meanwhile: register every socket with one `Poll`, read only what is ready, keep each client's half line in its own buffer, and go back to `poll`
poll-silence-note = a line echo server sends a line back once its `\n` has arrived: keep the bytes after the last `\n` in the client's buffer until the rest of the line comes
poll-runs-threads = the server runs { $n } threads { $situation }; it must serve every client from one thread
poll-threads-counted = counted in /proc/{ $pid }/status (`grep Threads /proc/$(pgrep poll_echo)/status`)
poll-one-thread-note = no thread per client, no thread pool: one `Poll` tells the one thread which sockets are ready, and it serves them in turn
poll-echoed-early = the server echoed the start of a line before its `\n` arrived
poll-echoed-early-after-whole = the server echoed the start of a line (sent after a whole one) before its `\n` arrived
poll-after-end-mid-line = after the client ended its stream in the middle of a line
poll-end-note = when `read` returns 0 the client sends nothing more: send the echoes it is still owed, drop its unfinished last line, and close the connection (drop the stream); the end of the stream may come in the same readiness event as the last bytes, so read until `WouldBlock` or 0
poll-after-that-one = a client after that one
poll-while-a-waits = while client A waits in the middle of a line
poll-client-a-label = client A, in another terminal
poll-burst-note = connections and bytes that arrived together are reported by one readiness event (mio is edge-triggered): after an event, `accept` until `WouldBlock`, and `read` until `WouldBlock`
poll-connecting-client = connecting client { $i } of { $count }, the others staying connected
poll-queue-note = the clients connect one after another and stay connected: a server that does not go back to `accept` (it is serving one client) leaves them in the listen queue until it is full
poll-paused-batch = client { $i } of { $count }, one of { $batch } that connected while the server was paused (SIGSTOP), then resumed
poll-paused-lines = client { $i } of { $count }, all connected at once, every line sent while the server was paused (SIGSTOP) and then resumed
poll-all-connected = client { $i } of { $count }, all connected at once
poll-earlier-connected = client { $i } of { $count }, the earlier ones staying connected
poll-while-connected = while { $count } clients are connected
poll-client-of = client { $i } of { $count }
poll-after-second-line = after every client sent a second line

# Hidden tests.
poll-connected-with-others = a client connected with others
poll-after-left-mid-line = after clients left in the middle of a line
poll-stayer-note = a client that stayed got no echo after others left: when a client leaves (`read` returns 0 or an error), remove exactly its own entry, and never give a new client a token another client still holds (a token taken from `clients.len()` can be one)
poll-stayed-right-after = a client that stayed connected, right after others left mid-line
poll-connected-after-mid-line = a client that connected after others left mid-line
poll-stayed-while-left = a client that stayed connected while others left mid-line
poll-connected-after-left = a client that connected after others left
poll-no-echo-within = a client that sent a whole line and half of another got no echo within { $wait }
poll-no-echo-error = a client that sent a whole line and half of another got no echo ({ $error })
poll-first-client = the first client
poll-reset-note = a client that ended its stream and then reset the connection makes every write to it fail (connection reset, broken pipe): only `WouldBlock` means "later"; on any other error close that client and go back to `poll`, never retry the write in a loop
poll-after-reset = a client connected all along, after another one (the { $round ->
        [1] first
       *[other] second
    }) sent { $size } of lines without reading, ended its stream and reset the connection
poll-after-two-unread = a client that connected after two left with their echoes unread
poll-all-along-after-left = a client connected all along, after others left
poll-descriptors-kept = { $left } clients left (by a reset or a close, some with echoes unread), and { $wait } later the server still has { $now } descriptors open, { $before } before they came
poll-fd-counted = counted in /proc/{ $pid }/fd (`ls /proc/$(pgrep poll_echo)/fd | wc -l`)
poll-release-note = a `read` or `write` that fails with anything but `WouldBlock` (a reset, a broken pipe) ends that client: deregister it and drop its socket, as when `read` returns 0; a client kept for ever is a descriptor lost, and a server that loses one per client runs out
poll-over-limit = after { $more } more clients connected to a server with { $free } descriptors left (`accept` fails with "too many open files")
poll-accept-note = when `accept` fails with anything but `WouldBlock` (EMFILE: no descriptor left), report it and go back to `poll`: the same call fails again until a descriptor is free, so retrying it in a loop serves no one
poll-first-client-in = the first client, { $situation }
poll-newcomer-in = a client connecting once descriptors were free again, { $situation }
poll-keep-note = keep the echoes a client does not read yet in its own buffer: a write to a non-blocking socket may take part of the bytes, or none (`WouldBlock`); write the rest when `poll` says the socket is writable, and keep reading meanwhile
poll-stopped-reading-stall = a client sent { $size } of lines without reading its echoes, and the server stopped reading from it (nothing more could be sent for { $wait })
poll-stopped-reading-error = a client sent { $size } of lines without reading its echoes, and the server stopped reading from it ({ $error })
poll-stopped-reading-queued = a client sent { $size } of lines without reading its echoes, and the server stopped reading from it ({ $queued } still unread in its socket after { $wait })
poll-burst-echo = echo of { $size } of lines sent in one write, read only afterwards
poll-burst-incomplete-silent = incomplete echo of { $size } of lines sent in one write, read only afterwards: { $got } of { $size } came back, then nothing more
poll-burst-incomplete-closed = incomplete echo of { $size } of lines sent in one write, read only afterwards: { $got } of { $size } came back, then the server closed the connection
poll-burst-wrong = wrong echo of { $size } of lines sent in one write, read only afterwards
poll-after-all-echoes = after all echoes, the client having ended its stream
poll-before-idle = before the idle stretch
poll-after-idle = after the idle stretch
poll-never-slept = the server wanted a core for { $wanted } s of the { $window } s while its one client sent nothing (running { $used } s, the rest ready to run and waiting for a core): it never slept
poll-idle-cpu = the server used { $used } s of CPU time in { $window } while its one client sent nothing (at most { $limit } s allowed)
poll-busy-note = a loop that tries `accept` and `read` on non-blocking sockets over and over keeps a core busy: wait in `poll` (with no timeout) until some socket is ready

# What the echoes are (in "wrong …", "incomplete …: …" and as the label of
# the comparison).
poll-echo = echo
poll-echo-hello = echo of `hello\n`
poll-echo-three-lines = echo of three lines sent in one write
poll-echo-utf8 = echo of a UTF-8 line
poll-echo-empty = echo of an empty line
poll-echo-in-pieces = echo of a line sent in three pieces
poll-echo-two-of-three = echo of two lines sent with the start of a third
poll-echo-third-completed = echo of the third line, completed
poll-echo-abc-def = echo of a line sent as `abc`, then `def\n`
poll-echo-first-with-next = echo of `first\n`, sent with the start of the next line
poll-echo-second-completed = echo of `second\n`, completed
poll-echo-zero = echo of `zero\n`
poll-echo-whole-before-end = echo of the whole lines sent before the end of the stream
poll-echo-next = echo of `next\n`
poll-echo-b = echo of client B's line
poll-echo-c = echo of client C's line
poll-echo-b-again = echo of client B's second line
poll-echo-a = echo of client A's line (`abc`, then `def\n` after B and C were served)
poll-echo-first-line = echo of a first line
poll-echo-second-line = echo of a second line
poll-echo-begun-before-left = echo of a line begun before other clients left and completed after
poll-echo-long = echo of a 200 KB line sent in one write
poll-echo-every-byte = echo of a line holding every byte value but `\n`
poll-echo-crlf = echo of a line ending in `\r\n` (the `\r` is part of the line)
poll-echo-newline-alone = echo of a binary line whose `\n` came in a write of its own
poll-echo-short-lines = echo of { $n } short lines sent one write each
