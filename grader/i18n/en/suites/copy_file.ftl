# The copy_file suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`) and notes (`f.say(say(…))`).
# Quoted data is an argument, never part of the text. Keys start with the
# suite's prefix.

copyf-dest-after-run = DEST_DIR after the run
copyf-longer = the copy is { $excess } longer than SRC: write only the `n` bytes each `read` returned (`&buf[..n]`), and truncate an existing copy (`File::create` does)
copyf-stops-after = the copy stops after { $copied } of { $total }: keep reading until `read` returns 0
copyf-not-created = the copy was not created: it goes to DEST_DIR/<the file name of SRC>
copyf-expected-file = expected the file `{ $path }`
copyf-cannot-read = the copy cannot be read: { $error }
copyf-file = file: `{ $path }`
copyf-not-regular = the copy is not a regular file
copyf-differs = the copy differs from SRC
copyf-binary = SRC is binary (every byte value, bytes that are not UTF-8, no newline at the end): copy bytes, not text
copyf-empty = SRC is an empty file
copyf-file-name-only = `{ $src }` is copied to `{ $copy }`
copyf-absolute = SRC is the absolute path `{ $src }`: the copy is `{ $copy }`
copyf-src-changed = SRC itself changed: the copy goes to DEST_DIR joined with SRC's file name only (`Path::file_name`); joining an absolute path replaces DEST_DIR
copyf-spaces-chinese = SRC and DEST_DIR have spaces and Chinese in their names
copyf-replaces-longer = DEST_DIR already holds a longer `{ $name }`: it is replaced completely
copyf-missing-src = SRC `{ $src }` does not exist
copyf-created-without-src = a file was created in DEST_DIR although SRC does not exist: open SRC before creating the copy
copyf-src-is-directory = SRC `{ $src }` is a directory: it opens, but reading it fails
copyf-created-unreadable-src = something was created in DEST_DIR although SRC cannot be read as a file: check what SRC is (`metadata().is_file()`), or read from it, before creating the copy
copyf-missing-dest = DEST_DIR `{ $dest }` does not exist
copyf-buffer-sizes = a binary file whose size is around a common buffer size
copyf-large = copying a { $size } file
copyf-peak-memory = peak memory { $peak } while copying a { $size } file, over the { $limit } limit: stream the file through a fixed buffer instead of reading it whole
