# The talk_split suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`) and notes (`f.say(say(…))`).
# Quoted data is an argument, never part of the text. Keys start with the
# suite's prefix.

talk-outside = nothing may be written outside OUT_DIR
talk-dir-missing = the directory is missing
talk-does-not-exist = `{ $path }` does not exist
talk-should-not-hold = `{ $dir }` should not hold { $names }
talk-should-hold = `{ $dir }` should hold { $names }
talk-holds = `{ $dir }` holds { $names }
talk-holds-nothing = `{ $dir }` holds nothing
talk-ends-in-cr = a line of the file ends in `\r`: remove the whole `\r\n` line ending from each line of TALK
talk-edges = the lines differ only in white space at their start or end: WORDS keep every space and tab after the colon and before the line ending
talk-file-missing = the file is missing
talk-not-written-no-dir = `{ $file }` was not written; the directory does not exist
talk-not-written = `{ $file }` was not written; `{ $dir }` holds { $names }
talk-not-written-empty = `{ $file }` was not written; `{ $dir }` holds nothing
talk-file-unreadable = the file cannot be read
talk-file-error = `{ $file }`: { $error }
talk-one-file-per-speaker = OUT_DIR must hold one NAME.txt per speaker and no other new file
talk-speaker-file = a speaker's file must hold their WORDS, one per line, in order
talk-left-alone = a file in OUT_DIR of no speaker of this dialogue must be left alone
talk-written-outside = written outside OUT_DIR `{ $out }`: { $names }
talk-written-in-cwd = written in the working directory: { $names }
talk-needs-warning = a skipped line needs a warning on stderr
talk-name-line-numbers = the warnings on stderr must name the number of each skipped line (from 1, blank lines counted)
talk-skipped-lines = skipped lines: { $all }; not named: { $missing }
talk-every-line-fine = every line was fine
talk-out-dir-created = OUT_DIR did not exist before the run
talk-older-dialogue = OUT_DIR already held `{ $file }` from an older dialogue
talk-second-run = a second run into the same OUT_DIR
talk-crlf = lines end in \r\n, the last line has no line ending
talk-stderr-empty = stderr must stay empty: lines of only white space are skipped silently
talk-blank-not-bad = lines of only white space are no bad lines
talk-good-lines-written = the good lines must still be written
talk-some-skipped = some lines were skipped
talk-out-dir-is = OUT_DIR is `{ $out }`
talk-missing-leaves-all = a missing TALK must leave everything as it was, OUT_DIR not created
talk-out-dir-exists = OUT_DIR exists
talk-missing-keeps-files = TALK is missing, so the files already in OUT_DIR stay as they were
