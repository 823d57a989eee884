//! unix_echo PATH: an echo server on a Unix-domain stream socket.
//!
//! The lesson: a local socket (the notes' `socket(AF_UNIX, SOCK_STREAM)`)
//! is addressed by a path in the file system instead of an IP address and a
//! port, and is used exactly like TCP: `UnixListener` / `UnixStream` have
//! the same `accept`, `read` and `write` as `TcpListener` / `TcpStream`.
//! What is new is the file: `bind` creates it, and it stays after the server
//! exits, so the next run must remove it before it can bind again.
use std::env;
use std::fs;
use std::io::{self, ErrorKind, Read, Write};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::process::ExitCode;

/// Removes a socket file an earlier run left at `path`. Anything else at
/// `path` (a regular file, a directory) is left alone: `bind` then fails.
fn remove_stale_socket(path: &Path) -> io::Result<()> {
    // `symlink_metadata` looks at the path itself, not at what a link
    // points to.
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_socket() => fs::remove_file(path),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Echoes everything the client sends until it ends its stream.
fn echo(mut stream: UnixStream) -> io::Result<()> {
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = match stream.read(&mut buf) {
            // `read` returning 0 is end of stream: the client closed (or
            // shut down) its sending side. Returning drops `stream`, which
            // closes our side too, so the client's read returns 0 as well.
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // `write` may take only part of the bytes; `write_all` loops.
        stream.write_all(&buf[..n])?;
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: unix_echo PATH");
        return ExitCode::from(2);
    }
    let path = Path::new(&args[1]);
    if let Err(e) = remove_stale_socket(path) {
        eprintln!(
            "unix_echo: cannot remove the old socket {}: {e}",
            path.display()
        );
        return ExitCode::from(2);
    }
    // `bind` creates the socket file; it fails if the directory is missing
    // or something else is in the way.
    let listener = match UnixListener::bind(path) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("unix_echo: cannot listen at {}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    // One client after another: the next one waits in the listen queue.
    for conn in listener.incoming() {
        match conn {
            // A client that resets or vanishes ends its own session only.
            Ok(stream) => {
                if let Err(e) = echo(stream) {
                    eprintln!("unix_echo: client: {e}");
                }
            }
            Err(e) => eprintln!("unix_echo: accept: {e}"),
        }
    }
    ExitCode::SUCCESS
}
