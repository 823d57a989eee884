//! hole_file PATH GAP: create PATH holding `START`, a hole of GAP bytes,
//! then `END`. The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::ffi::OsString;
use std::path::Path;
use std::process;

fn main() {
    let args: Vec<OsString> = env::args_os().collect();
    if args.len() != 3 {
        eprintln!("usage: hole_file PATH GAP");
        process::exit(2);
    }
    let (path, gap) = (Path::new(&args[1]), &args[2]);
    // TODO: parse GAP as a number of bytes (not a number, or negative: a
    // message on stderr, exit 2). Create PATH (an existing file is replaced),
    // write `START`, move the file offset GAP bytes past the end with `seek`
    // (do not write the zeros yourself), write `END`. Exit 0; exit 2 with a
    // message if PATH cannot be created or written.
    todo!(
        "write START, a hole of {} bytes and END to {}",
        gap.to_string_lossy(),
        path.display()
    )
}
