//! dict_lookup DICT WORD: print the line of WORD in the sorted dictionary DICT.
//!
//! The lesson: a file is read as a stream of lines, never loaded whole, and
//! because the lines are sorted we can stop at the first word greater than
//! the one we look for: the rest of the file cannot hold it.
use std::cmp::Ordering;
use std::env;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::process::ExitCode;

/// Looks `word` up in a sorted dictionary, reading no further than needed.
fn lookup(dict: impl BufRead, word: &str) -> io::Result<Option<String>> {
    // `lines()` reads one line at a time and strips `\n` or `\r\n`.
    for line in dict.lines() {
        let line = line?;
        // The word is the first token; a blank line has none and is skipped.
        let Some(first) = line.split_whitespace().next() else {
            continue;
        };
        // `str` compares byte by byte, the order the file is sorted in.
        match first.cmp(word) {
            Ordering::Equal => return Ok(Some(line)),
            // Sorted: every later word is greater still. Stop reading here.
            Ordering::Greater => return Ok(None),
            Ordering::Less => {}
        }
    }
    Ok(None)
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: dict_lookup DICT WORD");
        return ExitCode::from(2);
    }
    let (path, word) = (&args[1], &args[2]);
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("dict_lookup: cannot open {path}: {e}");
            return ExitCode::from(2);
        }
    };
    match lookup(BufReader::new(file), word) {
        Ok(Some(line)) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Ok(None) => {
            println!("not found");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("dict_lookup: reading {path}: {e}");
            ExitCode::from(2)
        }
    }
}
