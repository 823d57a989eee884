//! hole_file PATH GAP: create PATH holding `START`, a hole of GAP bytes,
//! then `END`.
//!
//! The lesson (the notes' 文件偏移量 and 空洞文件): every open file has an
//! offset where the next read or write happens. `seek` moves it, even past
//! the end of the file, and nothing is written by moving it. The next
//! `write` then leaves a gap between the old end and the new bytes: a hole,
//! which reads as zeros and takes no room on disk (a sparse file).
use std::env;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::ExitCode;

/// What the file starts with.
const START: &[u8] = b"START";

/// What the file ends with, after the hole.
const END: &[u8] = b"END";

/// Creates `path` as START, `gap` bytes of hole, END: the notes'
/// `f.write(b'START'); f.seek(1024*1024*10, 2); f.write(b'END')`.
fn make_hole_file(path: &Path, gap: u64) -> io::Result<()> {
    // `File::create` is `open(path, 'wb')`: it truncates an existing file to
    // 0 bytes, so nothing of an older, longer file survives (not in the hole,
    // not after END).
    let mut file = File::create(path)?;
    file.write_all(START)?;
    // Move the offset GAP bytes past the current end. `SeekFrom::Current`
    // takes an i64, so a GAP beyond i64::MAX is refused here; the file
    // system refuses sizes it cannot hold when END is written.
    let gap = i64::try_from(gap)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "GAP is too large"))?;
    file.seek(SeekFrom::Current(gap))?;
    // This write extends the file to 5 + GAP + 3 bytes. The bytes in
    // between were never written: the file system records a hole and
    // allocates no blocks for it.
    file.write_all(END)?;
    Ok(())
}

/// Prints `message` on stderr and gives the exit code of a failure.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("hole_file: {message}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().collect();
    if args.len() != 3 {
        eprintln!("usage: hole_file PATH GAP");
        return ExitCode::from(2);
    }
    let path = Path::new(&args[1]);
    // Parsing as `u64` refuses what is not a whole number, and a negative
    // one too (`-1` is not a `u64`): a hole has no negative size.
    let gap: u64 = match args[2].to_str().map(str::parse) {
        Some(Ok(gap)) => gap,
        _ => {
            return fail(format_args!(
                "GAP must be a non-negative number of bytes, not {:?}",
                args[2]
            ))
        }
    };
    match make_hole_file(path, gap) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format_args!("{}: {e}", path.display())),
    }
}
