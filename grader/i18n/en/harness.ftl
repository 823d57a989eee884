# The harness's own sentences (grader/src/harness/): what it says about a
# connection, a server's exit, a refusal, a file, and the grader errors of
# its parts. A sentence composed of a suite's words ("wrong { $what }")
# takes them as an argument, shown in the reader's language too. Quoted
# data (addresses, sizes, OS errors) is an argument. Keys start with
# `harness-`.

## A connection to the student's server (Session)

harness-could-not-connect = could not connect to { $endpoint }
harness-sending-failed = sending failed
harness-closing-send-failed = closing the sending side failed
harness-receiving-failed = receiving failed
harness-reset = the server reset the connection
harness-refused = connection refused
harness-closed = the server closed the connection
harness-stopped-reading = the server stopped reading what was sent, until the test's time ran out
harness-no-delimiter = expected { $delim } within { $max }, got more without it
harness-too-much = the server sent more than { $max } without closing
harness-more-than-expected = the server sent more than expected
harness-more-instead-of-close = the server sent more than expected instead of closing
harness-did-not-close = the server did not close the connection
harness-wrong = wrong { $what }
harness-incomplete-silent = incomplete { $what }: then nothing more arrived
harness-incomplete-closed = incomplete { $what }: then the server closed the connection

## How a program ended (inside a server's exit)

harness-panicked = panicked: { $message }
harness-exit-code = exit code { $code }
harness-killed-by = killed by { $signal }
harness-time-limit = stopped at the time limit
harness-output-stopped = stopped after { $size } of output

## The student's client (Listener)

harness-exited-without-connecting = your program exited with code { $code } without connecting to { $addr }

## Refusals (Run::expect_refusal, Ctx::expect_addr_refusals)

harness-refusal-note = the program cannot work with these arguments: print why on stderr and exit 2, at once
harness-no-arguments = no arguments
harness-addr-not-an-address = ADDR `not-an-address`
harness-addr-taken = ADDR { $addr }, where another socket is already bound

## Files (compare::file)

harness-file-not-created = an expected file was not created
harness-file-missing = missing: `{ $name }`
harness-file-unreadable = an expected file could not be read
harness-file-content = a file does not hold the expected content

## Datagrams (UdpClient)

harness-datagram-send-failed = sending a datagram failed
harness-datagram-after-replies = { $client } received a datagram after all the replies it was owed
harness-label-send-datagram = then send a datagram yourself

## What the grader was doing when it failed (after "grader error: ")

harness-listening-on = listening on { $addr }
harness-listening-localhost = listening on localhost
harness-accepting-on = accepting on { $addr }
harness-binding-udp = binding a UDP socket
harness-binding-udp-on = binding a UDP socket on { $addr }
harness-datagram-cut = sent { $sent } of the { $total } bytes of a datagram
harness-listing = listing { $dir }
harness-reading-fd-limit = reading the open-file limit of process { $pid }
harness-setting-fd-limit = setting the open-file limit of process { $pid } to { $limit }
harness-fd-limit-needs-linux = lowering the open-file limit of process { $pid } to { $limit } needs Linux
harness-stopping = stopping process group { $pgid }
harness-not-seen-stopped = process { $pgid } was not seen stopped within { $wait } of SIGSTOP
harness-continuing = letting process group { $pgid } continue
harness-creating-fifo = creating a FIFO
harness-opening-fifo = opening the FIFO

## The grader's words inside quoted data (model::Quoted): the data are the
## arguments, shown as they are in every language

harness-command-stdin = { $command }  # with { $size } on stdin
harness-quote-cut = … ({ $size } in all)
harness-udp-peer = { $addr } over UDP ({ $client }, from { $local }; one line per datagram)
harness-listing-empty = (empty)
harness-listing-cannot-list = (cannot be listed)
harness-listing-more = … ({ $total } in all)
harness-listing-file = { $name } ({ $size })
harness-listing-directory = { $name }/ (directory)
harness-listing-link = { $name } -> { $target } (symbolic link)
harness-listing-other = { $name } (not a regular file)
