# The hole_file suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`) and notes (`f.say(say(…))`).
# Quoted data is an argument, never part of the text. Keys start with the
# suite's prefix.

hole-not-created = PATH was not created
hole-missing = missing: `{ $path }`
hole-cannot-read = PATH cannot be read: { $error }
hole-file = file: `{ $path }`
hole-not-regular = PATH is not a regular file
hole-too-long = the file is { $excess } too long: it holds START, GAP zero bytes and END, 5 + GAP + 3 bytes in all
hole-too-short = the file is { $lack } too short: it holds START, GAP zero bytes and END, 5 + GAP + 3 bytes in all
hole-bad-start = the file does not start with `START`
hole-not-zeros = the hole does not read as zeros: the GAP bytes after `START` must be 0
hole-bad-end = the file does not end with `END`, right after the hole
hole-sizes = GAP = { $gap }: expected 5 + { $gap } + 3 = { $wanted } bytes, got { $actual }
hole-gap = GAP = { $gap }
hole-in-subdirectory = PATH is in a subdirectory that exists
hole-replaces-longer = PATH already held a longer file: it is replaced, not overwritten in place
hole-gap-not-a-number = GAP `{ $gap }` is not a number
hole-gap-empty = GAP `{ $gap }` is empty
hole-gap-negative = GAP `{ $gap }` is negative
hole-gap-missing = GAP is missing (one argument only)
hole-gap-u64-max = GAP { $gap } is too large for any file (u64::MAX: cast to an i64 it is -1, a step back into START)
hole-gap-i64-min = GAP { $gap } is too large for any file (i64::MAX + 1: cast to an i64 it is i64::MIN)
hole-gap-minus-five = GAP { $gap } is too large for any file (u64::MAX - 4: cast to an i64 it is -5, back to the start of the file)
hole-gap-beyond-u64 = GAP { $gap } is too large for any file (beyond even a u64)
hole-offset-is-i64 = a file offset is an i64: convert GAP with `i64::try_from` and refuse it when it does not fit (`as` wraps a large u64 around to a negative number), and exit 2 when `seek` or `write` fails
hole-not-sparse = the file occupies { $size } on disk for a { $gap } hole, over the { $limit } limit: it is not sparse. Move the file offset with `seek` past the end instead of writing zeros
hole-random-gap = a random GAP
hole-no-such-directory = PATH is in a directory that does not exist
