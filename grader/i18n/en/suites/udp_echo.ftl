# The udp_echo suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`) and notes (`f.say(say(…))`).
# Quoted data is an argument, never part of the text. Keys start with the
# suite's prefix.

udpecho-still-owed = still owed a reply: the datagram(s) of { $sizes }
udpecho-size = { $size }
udpecho-list = { $first }, { $rest }
udpecho-got-others-reply = { $client } received the reply to a datagram that { $owner } sent
udpecho-reply-to-sender = reply to the address `recv_from` returns with each datagram: every datagram may come from another client
udpecho-same-reply-twice = the same reply came twice, one datagram got none
udpecho-reply = reply
udpecho-went-astray = the reply to { $client }'s datagram went to { $other }: reply to the address `recv_from` returns with each datagram, not to a client remembered from before
udpecho-buffer-too-small = `recv_from` cuts a datagram longer than its buffer to the buffer's size and throws the rest away: receive into a buffer as large as any datagram (65,507 bytes is the largest UDP payload)
udpecho-cut = a datagram of { $size } came back cut to its first { $kept }
udpecho-line-ending = the reply ends with a line ending the datagram did not have: send back the bytes as they came, not as a line of text
udpecho-followed-by = the reply is the datagram followed by { $extra } more
udpecho-reply-to-empty = a reply of { $size } to an empty datagram
udpecho-binary = the datagram was binary data, not text: send back the bytes themselves (`&buf[..n]`), without turning them into a `String`
udpecho-differs = the reply differs from the datagram sent ({ $sent } sent, { $back } back, first difference at byte { $at })
udpecho-first-datagram = a first datagram
udpecho-second-datagram = a second datagram
udpecho-back-to-back = five datagrams sent back to back
udpecho-empty-datagram = an empty datagram
udpecho-empty-is-datagram = an empty datagram is still a datagram: `recv_from` returns 0 bytes for it (UDP has no end of file), and the reply is an empty datagram: `send_to(&[], addr)`
udpecho-after-empty = a datagram after the empty one
udpecho-large-datagram = a 1,400-byte datagram
udpecho-small-after-large = a small datagram after the large one
udpecho-datagram-of = a datagram of { $len } bytes
udpecho-cut-to-buffer = a datagram longer than the buffer given to `recv_from` is cut to the buffer's size: a buffer of 65,507 bytes holds any UDP datagram
udpecho-small-after-them = a small datagram after them
udpecho-all-byte-values = a datagram of all 256 byte values
udpecho-three-nul = a datagram of three NUL bytes
udpecho-not-utf8 = a datagram that is not UTF-8
udpecho-round-datagram = { $client }'s datagram of round { $round }
udpecho-other-address = a reply came from another address than ADDR
udpecho-reply-from = the datagram went to { $to }, the reply came from { $from }: reply with `send_to` on the socket that received the datagram. A client that `connect`s its UDP socket to the server (as `nc -u` does) never sees a reply from another address or port
udpecho-datagram-n-of = datagram { $n } of { $total }
udpecho-one-at-a-time = one datagram at a time
udpecho-burst = burst { $n } of { $count } datagrams
udpecho-in-bursts = in bursts
udpecho-round-burst = { $client }'s burst of round { $round }

# What a client awaits, and remarks of its transcript (`UdpClient::recv`,
# `set_remark`): those take English text for now, so these show in English
# until they take a sentence.
udpecho-reply-to = the reply to { $what }
udpecho-replies-to = the replies to { $what } ({ $got } of { $total } arrived)
udpecho-reply-to-datagram = the reply to datagram { $n }
udpecho-three-clients = three clients were sending at the same time, from three ports; each must get exactly the replies to its own datagrams
udpecho-three-clients-bursts = three clients were each sending bursts of datagrams at the same time
