//! copy_file SRC DEST_DIR: copy the file SRC into the directory DEST_DIR.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::ffi::OsString;
use std::path::Path;
use std::process;

fn main() {
    let args: Vec<OsString> = env::args_os().collect();
    if args.len() != 3 {
        eprintln!("usage: copy_file SRC DEST_DIR");
        process::exit(2);
    }
    let (src, dest_dir) = (Path::new(&args[1]), Path::new(&args[2]));
    // TODO: open SRC (if you cannot: a message on stderr, exit 2, and create
    // nothing), check that DEST_DIR is a directory (if not: exit 2), then
    // copy SRC into DEST_DIR/<the file name of SRC> through a fixed buffer,
    // one chunk at a time, replacing an older copy. Exit 0.
    todo!(
        "copy {} into the directory {}",
        src.display(),
        dest_dir.display()
    )
}
