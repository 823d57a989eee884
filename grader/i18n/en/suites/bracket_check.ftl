# The bracket_check suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`) and notes (`f.say(say(…))`).
# Quoted data is an argument, never part of the text (a bracket too: Fluent
# reserves `{` and `}`). Keys start with the suite's prefix.

bracket-nc-note = to try it by hand, pipe the text into `nc -N HOST PORT`: `-N` shuts down the sending side at the end of the input, as the test did (without it the server never sees the end of the text)
bracket-eof-note = the text ends when the client shuts down its sending side, that is when `read` returns 0 (`read_to_end` reads until then); one `read` may return any part of it
bracket-close-after-reply = after the reply line, close the connection: the client reads until it closes
bracket-closed-before-whole-text = the server closed the connection before the client had sent the whole text
bracket-stopped-reading = the server stopped reading before the client had sent the whole text
bracket-all-match = a text whose brackets all match
bracket-no-brackets = a text without brackets
bracket-nested-pairs = nested and side-by-side pairs
bracket-nothing-open = a `{ $closer }` with nothing open
bracket-extra-before-unclosed = an extra `{ $closer }` before an unclosed `{ $opener }`: the first problem is reported
bracket-two-left-open = two brackets left open: the last one opened is reported
bracket-open-pair-open = an open `{ $first }`, a matched pair, an open `{ $second }`
bracket-three-and-one = three `{ $opener }` and one `{ $closer }`
bracket-report-last-open = when brackets are left open at the end, report the last one opened (the top of the stack)
bracket-closed-by = a `{ $opener }` closed by `{ $closer }`
bracket-while-last-open = a `{ $closer }` while `{ $opener }` is the last one open
bracket-match-kind = a closing bracket must match the kind of the last one opened; if it does not, it is unmatched where it stands
bracket-after-chinese = a `{ $bracket }` after two Chinese characters ({ $size } each)
bracket-after-char = a `{ $bracket }` after `{ $char }` ({ $size })
bracket-after-emoji = a `{ $bracket }` after emoji ({ $size } each)
bracket-full-width = full-width `{ $pair }` are not brackets
bracket-count-chars = the position counts characters, not bytes: `text.chars().enumerate()`, not `char_indices` or byte offsets
bracket-empty-text = an empty text (the client shut down its side at once)
bracket-four-pieces = a text sent in four pieces with pauses
bracket-problem-in-last-piece = a text sent in three pieces whose last piece holds the problem
bracket-utf8-cut = a write boundary may fall inside a UTF-8 character: collect all the bytes first, then decode them once (decoding each `read` on its own breaks the character)
bracket-cut-in-chinese = a text sent in five pieces, each cut inside a Chinese character
bracket-cut-e-and-emoji = `{ $text }` in three pieces, cutting `{ $char }` and the emoji
bracket-unclosed = an unclosed `{ $opener }`
bracket-lone = a lone `{ $closer }`
bracket-extra = an extra `{ $closer }`
bracket-while-open = a `{ $closer }` while `{ $opener }` is open
bracket-pieces-apart = a text sent in three pieces, { $pause } apart
bracket-pause-not-end = a pause, however long, is not the end of the text: read until `read` returns 0, with no read time-out
bracket-random-matched = a random text whose brackets all match
bracket-random-nothing-open = a random text with a closing bracket and nothing open
bracket-random-wrong-kind = a random text with a closing bracket of the wrong kind
bracket-random-left-open = a random text with several brackets left open
bracket-random-one-open = a random text with one `{ $opener }` left open
bracket-large-text = a { $size } text with multibyte characters, sent in many writes
bracket-vanishing-client = a client that vanishes ends its own connection only: a failed `read` or `write` is reported on stderr, and the server goes on accepting
bracket-after-abrupt-clients = a text after clients that closed without reading, closed at once, and reset

# What the session reads, for `Session::expect_bytes`: it takes English text
# for now, so this shows in English until it takes a sentence.
bracket-reply = reply
