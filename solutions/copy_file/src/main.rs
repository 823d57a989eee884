//! copy_file SRC DEST_DIR: copy the file SRC into the directory DEST_DIR,
//! under SRC's file name, byte for byte.
//!
//! The lesson (the notes' 作业 day03/copy_file.py): open the source for
//! reading and the copy for writing, both in binary (in Rust every `File` is
//! binary), and move the bytes through a fixed buffer, `read` after `read`,
//! until a `read` returns 0. The file may be large: it is never held whole.
use std::env;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// The size of the buffer the file is streamed through (the notes use
/// `fr.read(1024)`; a bigger buffer means fewer system calls, and the memory
/// used stays the same whatever the size of the file).
const CHUNK: usize = 64 * 1024;

/// Copies everything `reader` holds into `writer`, one chunk at a time: the
/// notes' `while True: data = fr.read(1024); if not data: break;
/// fw.write(data)`. (`io::copy(&mut reader, &mut writer)` does the same.)
fn stream(reader: &mut impl Read, writer: &mut impl Write) -> io::Result<u64> {
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(total); // end of file
        }
        // Only the `n` bytes this read returned: the rest of `buf` holds
        // bytes of an earlier chunk (or zeros), not part of the file.
        writer.write_all(&buf[..n])?;
        total += n as u64;
    }
}

/// Prints `message` on stderr and gives the exit code of a failure.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("copy_file: {message}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    // `args_os`: a path need not be valid UTF-8.
    let args: Vec<OsString> = env::args_os().collect();
    if args.len() != 3 {
        eprintln!("usage: copy_file SRC DEST_DIR");
        return ExitCode::from(2);
    }
    let (src, dest_dir) = (Path::new(&args[1]), Path::new(&args[2]));

    // The notes' `img.split('/')[-1]`: the last component of the path. It is
    // `None` for a path such as `..` or `/`, which names no file.
    let Some(name) = src.file_name() else {
        return fail(format_args!("{} does not name a file", src.display()));
    };

    // Open SRC first: if it cannot be read, we stop before creating anything
    // in DEST_DIR (creating the copy first would leave an empty file behind).
    let mut reader = match File::open(src) {
        Ok(f) => f,
        Err(e) => return fail(format_args!("cannot open {}: {e}", src.display())),
    };
    // Opening a directory for reading succeeds on Unix; reading it does not.
    if reader.metadata().is_ok_and(|m| m.is_dir()) {
        return fail(format_args!("{} is a directory", src.display()));
    }
    if !dest_dir.is_dir() {
        return fail(format_args!("{} is not a directory", dest_dir.display()));
    }

    let dest = dest_dir.join(name);
    // Not part of the contract, but cheap insurance: `File::create` empties
    // its file at once, so copying a file onto itself (`copy_file a.txt .`)
    // would destroy it before the first read.
    if let (Ok(a), Ok(b)) = (fs::canonicalize(src), fs::canonicalize(&dest)) {
        if a == b {
            return fail(format_args!(
                "{} would be copied onto itself",
                src.display()
            ));
        }
    }
    // `File::create` is the notes' `open(..., 'wb')`: it creates the file,
    // or truncates an existing one to 0 bytes, so an older, longer copy
    // leaves no stale tail behind.
    let mut writer = match File::create(&dest) {
        Ok(f) => f,
        Err(e) => return fail(format_args!("cannot create {}: {e}", dest.display())),
    };
    match stream(&mut reader, &mut writer) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => fail(format_args!(
            "copying {} to {}: {e}",
            src.display(),
            dest.display()
        )),
    }
}
