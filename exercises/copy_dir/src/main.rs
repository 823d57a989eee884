//! copy_dir SRC_DIR DEST_DIR: copy the regular files directly inside SRC_DIR
//! into DEST_DIR. The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::ffi::OsString;
use std::path::Path;
use std::process;

fn main() {
    let args: Vec<OsString> = env::args_os().collect();
    if args.len() != 3 {
        eprintln!("usage: copy_dir SRC_DIR DEST_DIR");
        process::exit(2);
    }
    let (src, dest) = (Path::new(&args[1]), Path::new(&args[2]));
    // TODO: refuse (a message on stderr, exit 2) when SRC_DIR is missing or
    // not a directory, or when SRC_DIR and DEST_DIR are the same directory,
    // however they are spelled. Otherwise create DEST_DIR with its parents
    // and copy every regular file directly inside SRC_DIR (links to files
    // included) into it, a chunk at a time. Print nothing; exit 0.
    todo!(
        "copy the regular files of {} into {}",
        src.display(),
        dest.display()
    )
}
