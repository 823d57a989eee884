# What the grader says about one failed test: the fixed sentence of each
# cause for hidden tests, the feedback's labels and headings, and the
# properties the harness writes. Keys are used in grader/src as literals.

## Quantities

seconds = { $n } s
bytes = { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
}

## A failed hidden test: one fixed sentence per cause

hidden-mismatch = mismatch: your program does not do what the contract says here
hidden-panic = panic: your program panicked
hidden-signal = signal: a signal ended your program (a crash or an abort)
hidden-timeout = timeout: your program did not finish in time
hidden-output-limit = output_limit: your program wrote more output than the grader keeps
hidden-not-listening = not_listening: your server did not start listening
hidden-server-exited = server_exited: your server exited while the test talked to it
hidden-build-failed = build_failed: the exercise did not compile
hidden-missing = missing: the submission has no crate for this exercise
hidden-grader-error = grader_error: the grader could not run this test (not your program's fault)
hidden-cpu-limit = cpu_limit: your program used up its CPU time
hidden-memory-limit = memory_limit: your program ran out of memory
hidden-file-size-limit = file_size_limit: your program wrote a file over the size limit
hidden-process-limit = process_limit: your program started too many processes or threads
hidden-forbidden-access = forbidden_access: the sandbox refused a file access or a program start
hidden-forbidden-network = forbidden_network: the sandbox refused a connection (only loopback exists)
hidden-test = (hidden test: its inputs and details are not shown)

## Why a limit or the sandbox ended a program

limit-cpu = it used up its CPU time limit: a loop that never waits or ends?
limit-file-size = it wrote a file larger than the file size limit
limit-memory = it ran out of memory: it allocates without end, or reads a whole large input at once
limit-process = it could not start another process or thread: the process limit was reached
limit-network = it tried to reach a host other than loopback, which the grader's network does not have
limit-access = the sandbox refused it a file or a program: it may read and write only its test directory, and run only itself

## Properties the harness writes

in-situation = { $situation }: { $sentence }
grader-error = grader error: { $what }
test-never-finished = the test did not finish; its processes were stopped
panicked = your program panicked: { $message }
killed-by-signal = your program was killed by { $signal }
timed-out = timeout: your program did not finish within { $limit }
output-limit = output over { $cap }: your program was stopped for writing too much
wrong-exit-code = exit code { $actual }, expected { $expected }
wrong-stdout = stdout differs from the expected output
exited-before-listening = your program exited before listening on { $addr } ({ $how })
never-listened = your program did not listen on { $addr } within { $waited }: bind the address given as the first argument
client-never-connected = your program did not connect to { $addr } within { $waited }: connect to the address given as the first argument
server-exited = your server exited during the test ({ $how }); a server must survive every client
ended-output-limit = stopped after { $size } of output
stdout-should-be-empty = stdout should be empty
stderr-is-empty = stderr is empty: explain the problem on stderr
stderr-does-not-mention = stderr does not mention { $what }
no-reply = no reply within { $waited }
closed-early = the server closed the connection before sending the whole reply
exercise-missing = the submission has no `{ $name }` directory
build-failed = `{ $name }` did not compile; fix the errors shown and run the grader again
not-run = { $reason }; its { $points } points are left out of the score

## Labels of the feedback's pieces

label-stdout = stdout
label-stderr = stderr
label-server-stdout = server stdout
label-server-stderr = server stderr
label-receiver-stdout = stdout of receiver { $n }
label-receiver-stderr = stderr of receiver { $n }
label-run = run
label-start-server = start your server
label-server-command = server
label-then-try = then try
label-then-send-same = then send the same bytes
label-then-send-datagram = then send a datagram yourself
label-send-in-pieces = send it in pieces, as the test did
label-input-file = input file { $name }

## Headings and words of the feedback

feedback-label = { $label }:
feedback-note = note:
feedback-transcript = transcript with { $peer }:
feedback-sent = → sent
feedback-received = ← received
feedback-shown-of = … ({ $shown } of { $total } shown)
feedback-more-lines = … ({ $count } more lines)
feedback-diff-expected = - expected
feedback-diff-actual = + actual
feedback-printed-nothing = (the program printed nothing)
feedback-empty = (empty)
feedback-no-newline = (no newline at end)
feedback-first-difference = first difference at byte { $offset } (expected { $expected }, got { $actual })
feedback-expected = expected:
feedback-actual = actual:

## The harness's sentences: connections, files, refusals

