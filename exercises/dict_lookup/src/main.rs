//! dict_lookup DICT WORD: print the line of WORD in the sorted dictionary DICT.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: dict_lookup DICT WORD");
        process::exit(2);
    }
    let (dict, word) = (&args[1], &args[2]);
    // TODO: open DICT (on failure: a message naming it on stderr, exit 2),
    // read it line by line, print the line whose first word is exactly WORD
    // and exit 0; otherwise print `not found` and exit 1. The lines are
    // sorted: stop reading at the first word greater than WORD.
    todo!("look up {word:?} in {dict}")
}
