# The broadcast suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`) and notes (`f.say(say(…))`).
# Quoted data is an argument, never part of the text. Keys start with the
# suite's prefix.

bcast-share-note = several receivers bind the same port only if every one of them sets SO_REUSEADDR (or SO_REUSEPORT) before `bind`: std's `UdpSocket::bind` cannot, so build the socket with socket2 (`Socket::new`, `set_reuse_address(true)`, `bind`, then `.into()`)
bcast-permission-note = the kernel refuses to send to a broadcast address (EACCES, `Permission denied`) unless the socket asked for it: call `socket.set_broadcast(true)` before `send_to`
bcast-not-count = a receiver did not get exactly COUNT datagrams
bcast-receiver-got = receiver { $receiver } of { $receivers } (the suite's, bound to 0.0.0.0 on ADDR's port) got { $got } datagram(s); COUNT was { $count }
bcast-send-to-addr = send to ADDR itself (the broadcast address and its port), with one `send_to` per datagram
bcast-send-count-times = send MESSAGE exactly COUNT times, one `send_to` each
bcast-not-message = a datagram does not hold exactly MESSAGE
bcast-message-as-is = each datagram holds MESSAGE's bytes as they are: no newline, no prefix
bcast-too-close = datagrams { $first } and { $second } were sent { $gap } ms apart, expected 100 ms
bcast-pause-note = pause 100 ms between two datagrams (`std::thread::sleep(Duration::from_millis(100))`); the suite accepts { $min } ms or more
bcast-port-zero = ADDR with port 0, where the kernel refuses to send (`Invalid argument`)
bcast-check-send-to = check the result of every `send_to`: when it is an `Err`, print it on stderr and exit 2
bcast-addr-no-port = ADDR without a port
bcast-addr-port-nan = ADDR with a port that is not a number
bcast-count-nan = COUNT that is not a number
bcast-count-not-whole = COUNT that is not a whole number
bcast-no-count = no COUNT
bcast-receiver-exited = receiver { $receiver } of { $receivers } exited before binding port { $port }
bcast-receiver-exited-code = receiver { $receiver } of { $receivers } exited before binding port { $port } (exit code { $code })
bcast-not-bound = receiver { $receiver } of { $receivers } did not bind UDP port { $port } within { $wait }
bcast-not-one-line = receiver { $receiver } of { $receivers } did not print one `{ $line }` line per datagram
bcast-suite-broadcast = the suite broadcast { $count } datagram(s) to { $addr }, each from a socket bound to the IP shown before it; try it with your sender: `{ $command }`
bcast-receiver-exited-note = the receiver exited: it must go on receiving until it is killed
bcast-bind-wildcard = a socket bound to 127.0.0.1 gets only datagrams sent to 127.0.0.1, not broadcasts: bind 0.0.0.0:PORT
bcast-flush = nothing reached stdout while the receiver ran: print each line as its datagram arrives, and flush stdout if you write through a `BufWriter` (`println!` flushes at each `\n`)
bcast-port-nan = PORT that is not a number
bcast-port-too-big = PORT above 65535
bcast-no-port = no PORT
bcast-port-held = PORT held by a socket that does not share it
bcast-datagram = datagram
