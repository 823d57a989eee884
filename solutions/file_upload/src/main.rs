//! file_upload ADDR DEST_DIR: a file-upload server. Each connection carries
//! one upload: a header line `NAME SIZE\n`, then exactly SIZE bytes, stored
//! as DEST_DIR/NAME; the reply is `OK\n` or `ERR <reason>\n`.
//!
//! The lessons: TCP is a byte stream with no message boundaries (粘包), so
//! the header is read up to its `\n` however many reads that takes, and the
//! bytes that arrived after it in the same read belong to the content; the
//! content ends after SIZE bytes, not at end of stream, because the client is
//! still waiting for the reply; and a file is written under a temporary name
//! and renamed once complete, so an upload cut short never leaves a partial
//! file under NAME.
use std::env;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

/// The longest header line accepted, `\n` included.
const MAX_HEADER: u64 = 4096;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: file_upload ADDR DEST_DIR");
        return ExitCode::from(2);
    }
    let (addr, dest) = (&args[1], Path::new(&args[2]));
    if !dest.is_dir() {
        eprintln!("file_upload: {} is not a directory", dest.display());
        return ExitCode::from(2);
    }
    let listener = match TcpListener::bind(addr) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("file_upload: cannot listen on {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    // One upload after another. A client that misbehaves (closes early,
    // resets, sends garbage) costs its own connection, never the server.
    for conn in listener.incoming() {
        match conn {
            Ok(stream) => {
                if let Err(e) = serve(&stream, dest) {
                    eprintln!("file_upload: a connection failed: {e}");
                }
            }
            Err(e) => eprintln!("file_upload: accept failed: {e}"),
        }
    }
    ExitCode::SUCCESS
}

/// Receives one upload on `stream` and replies to it.
fn serve(stream: &TcpStream, dest: &Path) -> io::Result<()> {
    // The BufReader may read past the header's `\n`: those bytes are the
    // start of the content, and they stay in its buffer. From here on every
    // byte is read through `reader`, never from `stream` directly.
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    // `read_until` reads as many times as it takes to see `\n`; `take` stops
    // a client that never sends one from filling our memory.
    (&mut reader)
        .take(MAX_HEADER)
        .read_until(b'\n', &mut line)?;
    if line.last() != Some(&b'\n') {
        if line.len() as u64 == MAX_HEADER {
            return reply(stream, "ERR header line too long");
        }
        // The connection ended inside the header: no one to answer.
        return Ok(());
    }
    line.pop();
    let (name, size) = match parse_header(&line) {
        Ok(header) => header,
        Err(reason) => return reply(stream, &format!("ERR {reason}")),
    };
    match receive(&mut reader, dest, name, size)? {
        Received::Complete => reply(stream, "OK"),
        // The client left before sending SIZE bytes: nothing was stored,
        // and there is no one left to answer.
        Received::Incomplete => Ok(()),
        Received::NotStored(e) => reply(stream, &format!("ERR cannot store {name}: {e}")),
    }
}

/// The NAME and SIZE of a header line (without its `\n`), or why it is
/// refused.
fn parse_header(line: &[u8]) -> Result<(&str, u64), &'static str> {
    let line = std::str::from_utf8(line).map_err(|_| "malformed header: not UTF-8")?;
    let (name, size) = line
        .split_once(' ')
        .ok_or("malformed header: expected `NAME SIZE`")?;
    // `u64::from_str` would also take `+5`: the contract wants digits only.
    if size.is_empty() || !size.bytes().all(|b| b.is_ascii_digit()) {
        return Err("malformed header: SIZE is not a number");
    }
    let size = size
        .parse()
        .map_err(|_| "malformed header: SIZE is too large")?;
    // NAME becomes a path under DEST_DIR: anything that could leave it, or
    // name DEST_DIR itself, is refused before any file is touched.
    if name.is_empty() {
        return Err("bad name: empty");
    }
    if name == "." || name == ".." {
        return Err("bad name: `.` and `..` are directories");
    }
    if name.contains(['/', '\\']) {
        return Err("bad name: contains a path separator");
    }
    Ok((name, size))
}

/// How an upload's content ended.
enum Received {
    /// SIZE bytes arrived and DEST_DIR/NAME holds them.
    Complete,
    /// The connection ended first; nothing was stored.
    Incomplete,
    /// DEST_DIR refused the file (full disk, NAME is a directory, ...).
    NotStored(io::Error),
}

/// Copies exactly `size` bytes from `reader` into DEST_DIR/NAME, through a
/// temporary file that is renamed only once the content is complete.
/// An error of the connection or of writing the content is returned; one of
/// creating or renaming the file is a [`Received::NotStored`].
fn receive(reader: &mut impl BufRead, dest: &Path, name: &str, size: u64) -> io::Result<Received> {
    let temp = match TempFile::create(dest) {
        Ok(t) => t,
        Err(e) => return Ok(Received::NotStored(e)),
    };
    // `take(size)` ends the copy after SIZE bytes, so we never wait for an
    // end of stream the client will not send before it has our reply.
    let copied = io::copy(&mut reader.take(size), &mut &temp.file)?;
    if copied < size {
        return Ok(Received::Incomplete); // the temporary file is removed on drop
    }
    match temp.persist(&dest.join(name)) {
        Ok(()) => Ok(Received::Complete),
        Err(e) => Ok(Received::NotStored(e)),
    }
}

/// Sends the one-line reply.
fn reply(mut stream: &TcpStream, line: &str) -> io::Result<()> {
    stream.write_all(format!("{line}\n").as_bytes())
}

/// A file under a temporary name in DEST_DIR (the same file system as the
/// target, so the final `rename` is atomic), removed when dropped unless it
/// was persisted.
struct TempFile {
    path: PathBuf,
    file: File,
    persisted: bool,
}

impl TempFile {
    fn create(dir: &Path) -> io::Result<TempFile> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".upload-{}-{n}.part", std::process::id()));
        let file = File::create(&path)?;
        Ok(TempFile {
            path,
            file,
            persisted: false,
        })
    }

    /// Gives the complete file its real name. `rename` replaces an existing
    /// file in one step: a reader sees the old content or the new, never a
    /// mix.
    fn persist(mut self, target: &Path) -> io::Result<()> {
        fs::rename(&self.path, target)?;
        self.persisted = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.persisted {
            let _ = fs::remove_file(&self.path);
        }
    }
}
