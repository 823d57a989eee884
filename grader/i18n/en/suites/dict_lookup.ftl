# The dict_lookup suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`) and notes (`f.say(say(…))`).
# Quoted data is an argument, never part of the text. Keys start with the
# suite's prefix.

dict-looking-up = looking up `{ $word }`
dict-must-not-match = `{ $word }` must not match `{ $entry }`
dict-only-a-prefix = `{ $word }` is only a prefix of entries
dict-prefix-of = `{ $entry }` is a prefix of `{ $word }`
dict-case-not = case matters: `{ $word }` is not `{ $entry }`
dict-not-first-in-file = `{ $word }` is not `{ $entry }`, which comes first in the file
dict-spelled-capital = `{ $word }` is spelled with a capital in the dictionary
dict-only-capital = case matters: the only entry is `{ $entry }`, with a capital
dict-neither = case matters: `{ $word }` is neither `{ $first }` nor `{ $second }`
dict-between-two-entries = a word between two entries
dict-after-last-entry = a word after the last entry
dict-missing-path = the path of the missing dictionary
dict-unreadable-path = the path of the unreadable dictionary
dict-directory = DICT was a directory: reading it fails, which is not the end of a dictionary
dict-crlf = a line ending in \r\n
dict-after-blank = a line after a blank line
dict-lf = a line ending in \n
dict-last-without-newline = the last line, without a newline
dict-between-entries = a word between entries
dict-first-word = the first word
dict-middle-word = the middle word
dict-last-word = the last word
dict-before-first = a word before the first
dict-after-last = a word after the last
dict-fifo-never-ends = the dictionary was a FIFO that never reaches end of file: the lines are sorted, so stop reading at the first word greater than WORD (or at WORD itself)
dict-trailing-spaces-crlf = a line whose explanation ends in two spaces, then \r\n: only the line ending goes
dict-trailing-tab = a line whose explanation ends in a tab: only the line ending goes
dict-trailing-space = a line whose explanation ends in a space: only the line ending goes
