//! copy_dir SRC_DIR DEST_DIR: copy the regular files directly inside SRC_DIR
//! into DEST_DIR, byte for byte.
//!
//! The lesson (the notes' 练习2): list a directory (`os.listdir` is
//! `fs::read_dir`), keep only regular files (`os.path.isfile` is
//! `fs::metadata(..).is_file()`, which follows symbolic links), and copy each
//! one through a fixed buffer, never holding a whole file in memory.
use std::env;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// The size of the buffer each file is streamed through (the notes use
/// `fr.read(1024)`; a bigger buffer means fewer system calls).
const CHUNK: usize = 64 * 1024;

/// Copies `from` into `to` one chunk at a time, like the notes' loop
/// `while True: data = fr.read(1024) ...`. (`io::copy(&mut reader, &mut
/// writer)` does the same job.)
fn copy_file(from: &Path, to: &Path) -> io::Result<()> {
    let mut reader = File::open(from)?;
    // `File::create` truncates a file that already exists, so an older,
    // longer copy leaves no stale bytes behind.
    let mut writer = File::create(to)?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break; // end of file
        }
        // Only the `n` bytes this read returned: the rest of `buf` is junk.
        writer.write_all(&buf[..n])?;
    }
    Ok(())
}

/// Copies every regular file directly inside `src` into `dest`.
fn copy_dir(src: &Path, dest: &Path) -> io::Result<()> {
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let path = entry.path();
        // `fs::metadata` follows symbolic links: a link to a file counts as
        // a file, and a broken link is an error, which we skip. (The entry's
        // own `file_type()` and `fs::symlink_metadata` do not follow links.)
        // Directories, FIFOs and sockets are not regular files.
        match fs::metadata(&path) {
            Ok(meta) if meta.is_file() => copy_file(&path, &dest.join(entry.file_name()))?,
            _ => {}
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    // `args_os`: a path need not be valid UTF-8.
    let args: Vec<OsString> = env::args_os().collect();
    if args.len() != 3 {
        eprintln!("usage: copy_dir SRC_DIR DEST_DIR");
        return ExitCode::from(2);
    }
    let (src, dest) = (Path::new(&args[1]), Path::new(&args[2]));

    // `canonicalize` resolves `.`, `..` and symbolic links, so two spellings
    // of one directory give the same path; it also fails if SRC is missing.
    let src_real = match fs::canonicalize(src) {
        Ok(p) if p.is_dir() => p,
        Ok(_) => {
            eprintln!("copy_dir: {} is not a directory", src.display());
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("copy_dir: cannot open {}: {e}", src.display());
            return ExitCode::from(2);
        }
    };
    // Refuse before opening anything for writing: if DEST is SRC, creating
    // each "copy" would truncate its source.
    if fs::canonicalize(dest).is_ok_and(|d| d == src_real) {
        eprintln!(
            "copy_dir: {} and {} are the same directory",
            src.display(),
            dest.display()
        );
        return ExitCode::from(2);
    }

    // Like `mkdir -p`: creates the missing parents, and is fine if DEST
    // exists. If DEST lies inside SRC, it is a subdirectory there, so the
    // regular-file filter in `copy_dir` skips it.
    if let Err(e) = fs::create_dir_all(dest) {
        eprintln!("copy_dir: cannot create {}: {e}", dest.display());
        return ExitCode::from(1);
    }
    match copy_dir(&src_real, dest) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("copy_dir: {e}");
            ExitCode::from(1)
        }
    }
}
