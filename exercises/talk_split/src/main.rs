//! talk_split TALK OUT_DIR: write what each speaker of the dialogue TALK
//! said to OUT_DIR/NAME.txt.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: talk_split TALK OUT_DIR");
        process::exit(2);
    }
    let (talk, out_dir) = (&args[1], &args[2]);
    // TODO: open TALK (on failure: a message on stderr, exit 2, and write
    // nothing). Read it line by line: skip lines of only white space; split
    // the others at the first `：` or `:` into NAME (trimmed) and WORDS (the
    // rest, verbatim). Warn on stderr, with the line number, about a line
    // without a colon, with an empty NAME, or with a NAME that is not a safe
    // file name. Create OUT_DIR, write each speaker's WORDS to
    // OUT_DIR/NAME.txt (one per line, replacing any old file), and exit 0,
    // or 1 if any line was skipped with a warning.
    todo!("split {talk} into one file per speaker in {out_dir}")
}
