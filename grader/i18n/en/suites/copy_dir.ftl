# The copy_dir suite's own words: situations of a property (`.context(say(…))`),
# properties (`Failure::mismatch(say(…))`) and notes (`f.say(say(…))`).
# Quoted data is an argument, never part of the text. Keys start with the
# suite's prefix.

copyd-src-before-run = SRC_DIR before the run
copyd-dest-before-run = DEST_DIR before the run
copyd-missing-from-dest = missing from DEST_DIR
copyd-unexpected-in-dest = unexpected in DEST_DIR
copyd-dest-not-created = DEST_DIR `{ $dest }` was not created
copyd-dest-cannot-list = DEST_DIR `{ $dest }` cannot be listed: { $error }
copyd-missing = { $missing } of the { $expected ->
        [one] { $expected } file
       *[other] { $expected } files
    } expected in DEST_DIR { $missing ->
        [one] is
       *[other] are
    } missing
copyd-holds-directory = DEST_DIR holds a directory: copy only the regular files of SRC_DIR, not its subdirectories
copyd-holds-extra = DEST_DIR holds { $extra ->
        [one] { $extra } entry
       *[other] { $extra } entries
    } that should not be there: only regular files (and links to them) are copied
copyd-copy-cannot-read = a copy in DEST_DIR cannot be read: { $error }
copyd-file = file: { $name }
copyd-copy-is-link = a copy in DEST_DIR is a symbolic link: copy the content of the link's target into a regular file
copyd-copy-not-regular = a copy in DEST_DIR is not a regular file
copyd-copy-differs = a copy in DEST_DIR differs from its source file
copyd-longer = the copy is { $excess } longer than its source: write only the `n` bytes each `read` returned (`&buf[..n]`), and truncate a file that already exists (`File::create` does)
copyd-stops-after = the copy stops after { $copied } of { $total }: keep reading until `read` returns 0
copyd-print-nothing = print nothing on success
copyd-subdirectories = SRC_DIR holds subdirectories, which are not copied
copyd-skip-links = SRC_DIR holds a broken link and a link to a directory: skip them
copyd-links = a link to a file is copied as a regular file; broken links and links to directories are skipped
copyd-overwrites = DEST_DIR already held longer files of the same names
copyd-other-changed = a file of DEST_DIR that is not in SRC_DIR changed: only the files copied from SRC_DIR are replaced
copyd-create-parents = neither DEST_DIR nor its parents existed: create them all
copyd-inside-first-run = DEST_DIR `{ $dest }` lies inside SRC_DIR `{ $src }` (first run: it did not exist yet)
copyd-inside-second-run = DEST_DIR `{ $dest }` lies inside SRC_DIR `{ $src }` (second run of the same command: it exists, with copies)
copyd-link-is-same = `{ $link }` is a symbolic link to `{ $target }`: they are the same directory
copyd-same-directory = `{ $first }` and `{ $second }` are the same directory
copyd-src-file-changed = a file of SRC_DIR changed: refuse before opening anything for writing (compare the two directories after `fs::canonicalize`)
copyd-no-src = SRC_DIR does not exist
copyd-src-is-file = SRC_DIR is a regular file, not a directory
copyd-src-changed = SRC_DIR changed: refuse before writing anything
copyd-fifo = SRC_DIR holds a FIFO, which is not a regular file
copyd-fifo-waits = opening a FIFO (named pipe) for reading waits for a writer, forever here: copy only what `fs::metadata(&path).is_ok_and(|m| m.is_file())` calls a regular file
copyd-buffer-sizes = binary files whose sizes fall around common buffer sizes
copyd-many-files = { $count } files with spaces and non-ASCII characters in their names
copyd-large = copying a { $size } file
copyd-large-differs = the copy of a { $size } file differs from its source
copyd-peak-memory = peak memory { $peak } while copying a { $size } file, over the { $limit } limit: stream each file in chunks through a fixed buffer instead of reading it whole
