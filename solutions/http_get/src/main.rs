//! http_get ADDR PATH OUT_FILE: fetch PATH from the HTTP server at ADDR over a
//! raw `TcpStream`, print the response's head, save its body to OUT_FILE.
//!
//! The lesson: HTTP is text lines on a byte stream. The request is a few
//! `\r\n`-terminated lines and an empty line; the response is a head (status
//! line, headers), an empty line, then the body. TCP keeps no message
//! boundaries, so the empty line may arrive split across two reads, and the
//! body is raw bytes (an image is not UTF-8). With `Connection: close` the
//! server marks the end of the body by closing: `read` returns 0.
use std::env;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;

/// The blank line that ends a response's head.
const HEAD_END: &[u8] = b"\r\n\r\n";

/// A head longer than this is refused: clause 11 sets the limit at 64 KiB.
const MAX_HEAD: usize = 64 * 1024;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: http_get ADDR PATH OUT_FILE");
        return ExitCode::from(2);
    }
    let (addr, path, out) = (&args[1], &args[2], &args[3]);
    match fetch(addr, path, out) {
        // 2xx is success; any other status still had its body saved.
        Ok(status) if (200..300).contains(&status) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(message) => {
            eprintln!("http_get: {message}");
            ExitCode::from(2)
        }
    }
}

/// Sends the request, prints the head, saves the body; returns the status
/// code, or what went wrong.
fn fetch(addr: &str, path: &str, out: &str) -> Result<u16, String> {
    let mut stream =
        TcpStream::connect(addr).map_err(|e| format!("cannot connect to {addr}: {e}"))?;

    // Every line ends in CRLF, and an empty line ends the request. `Host` is
    // required by HTTP/1.1; `Connection: close` asks the server to close the
    // connection after the response, which is how we find the body's end.
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("sending the request: {e}"))?;

    // Read until the buffer holds the empty line. It may straddle two reads
    // (`...\r\n\r` then `\n...`), so search the whole buffer, not each chunk.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_len = loop {
        if let Some(pos) = find(&buf, HEAD_END) {
            break pos;
        }
        if buf.len() > MAX_HEAD {
            return Err(format!("no end of the head within {MAX_HEAD} bytes"));
        }
        let n = read(&mut stream, &mut chunk)?;
        if n == 0 {
            return Err("the connection closed before the end of the head".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };

    let head = &buf[..head_len];
    let status_line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let status = parse_status_line(status_line.strip_suffix(b"\r").unwrap_or(status_line))
        .ok_or("the response does not start with a status line such as `HTTP/1.1 200 OK`")?;

    // The head, one line at a time, CR removed. Bytes, not `str`: a header
    // value is not guaranteed to be UTF-8, and we print it as received.
    let mut shown = Vec::with_capacity(head.len() + 1);
    for line in head.split(|&b| b == b'\n') {
        shown.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
        shown.push(b'\n');
    }
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(&shown)
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("writing to stdout: {e}"))?;

    // The body: what came after the empty line in the last read, then
    // everything until the server closes. `File::create` empties an older
    // file; raw bytes go in untouched.
    let file = File::create(out).map_err(|e| format!("cannot create {out}: {e}"))?;
    let mut file = BufWriter::new(file);
    let write_err = |e: io::Error| format!("writing {out}: {e}");
    file.write_all(&buf[head_len + HEAD_END.len()..])
        .map_err(write_err)?;
    loop {
        let n = read(&mut stream, &mut chunk)?;
        if n == 0 {
            break; // End of stream: the server closed, the body is complete.
        }
        file.write_all(&chunk[..n]).map_err(write_err)?;
    }
    file.flush().map_err(write_err)?;
    Ok(status)
}

/// One `read`, retried when a signal interrupts it.
fn read(stream: &mut TcpStream, chunk: &mut [u8]) -> Result<usize, String> {
    loop {
        match stream.read(chunk) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("receiving the response: {e}")),
        }
    }
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The status code of `HTTP/1.1 200 OK` (the reason phrase may be absent).
fn parse_status_line(line: &[u8]) -> Option<u16> {
    let rest = line.strip_prefix(b"HTTP/")?;
    let space = rest.iter().position(|&b| b == b' ')?;
    let after = &rest[space + 1..];
    let code = after.get(..3)?;
    if !code.iter().all(u8::is_ascii_digit) || !(after.len() == 3 || after[3] == b' ') {
        return None;
    }
    std::str::from_utf8(code).ok()?.parse().ok()
}
