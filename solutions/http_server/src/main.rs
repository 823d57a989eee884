//! http_server ADDR WEBROOT: serve the files under WEBROOT over HTTP/1.1.
//!
//! The lesson: HTTP is text on top of a TCP byte stream, and TCP keeps no
//! message boundaries (the notes' 粘包). One `read` may return half a
//! request, or one request and the start of the next, so a server reads into
//! a buffer until the head's end (`\r\n\r\n`) is in it, however many reads
//! that takes, and keeps whatever follows for later: the request's body,
//! then the next request on the same connection.
use std::env;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// The largest request head (request line and headers) we accept.
const MAX_HEAD: usize = 64 * 1024;

/// How long an idle connection is kept before its thread gives up on it.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: http_server ADDR WEBROOT");
        return ExitCode::from(2);
    }
    let root = PathBuf::from(&args[2]);
    if !root.is_dir() {
        eprintln!("http_server: {} is not a directory", root.display());
        return ExitCode::from(2);
    }
    let listener = match TcpListener::bind(&args[1]) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("http_server: cannot listen on {}: {e}", args[1]);
            return ExitCode::from(2);
        }
    };
    let root = Arc::new(root);
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                // One thread per connection: a client that sends nothing
                // blocks only its own thread, never the accept loop.
                let root = Arc::clone(&root);
                thread::spawn(move || {
                    if let Err(e) = serve_connection(stream, &root) {
                        eprintln!("http_server: connection: {e}");
                    }
                });
            }
            Err(e) => eprintln!("http_server: accept: {e}"),
        }
    }
    ExitCode::SUCCESS
}

/// One client connection: the stream and the bytes read but not used yet.
struct Connection {
    stream: TcpStream,
    buf: Vec<u8>,
}

/// What reading a request head gave.
enum Head {
    /// A whole head of this many bytes (with its `\r\n\r\n`) is in the buffer.
    Complete(usize),
    /// The client closed the connection (or went idle) between requests.
    Closed,
    /// No `\r\n\r\n` within [`MAX_HEAD`] bytes.
    TooLarge,
}

impl Connection {
    /// Reads until the buffer holds a whole head. A request may arrive in
    /// any number of pieces: keep reading, and search only the new bytes
    /// (and the three before them, since `\r\n\r\n` may straddle two reads).
    fn read_head(&mut self) -> io::Result<Head> {
        let mut searched: usize = 0;
        loop {
            let from = searched.saturating_sub(3);
            if let Some(pos) = find(&self.buf[from..], b"\r\n\r\n") {
                return Ok(Head::Complete(from + pos + 4));
            }
            if self.buf.len() > MAX_HEAD {
                return Ok(Head::TooLarge);
            }
            searched = self.buf.len();
            let mut chunk = [0u8; 8192];
            match self.stream.read(&mut chunk) {
                Ok(0) => return Ok(Head::Closed),
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return Ok(Head::Closed)
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads and throws away a request body of `len` bytes, so the next
    /// request starts where it should. Some of it may already be buffered.
    fn discard_body(&mut self, len: u64) -> io::Result<()> {
        let buffered = (self.buf.len() as u64).min(len);
        self.buf.drain(..buffered as usize);
        let rest = len - buffered;
        let skipped = io::copy(&mut (&self.stream).take(rest), &mut io::sink())?;
        if skipped < rest {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the request body was cut short",
            ));
        }
        Ok(())
    }

    /// Ends the connection after a last response. Shutting down our side
    /// first, then reading what the client still sends, makes the kernel
    /// close with FIN: closing with unread bytes would send RST, and the
    /// client might lose the response we just wrote.
    fn close(self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        let _ = self.stream.set_read_timeout(Some(Duration::from_secs(1)));
        let _ = io::copy(&mut (&self.stream).take(1 << 20), &mut io::sink());
    }
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Serves requests on one connection until it should close.
fn serve_connection(stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    let mut conn = Connection {
        stream,
        buf: Vec::new(),
    };
    loop {
        let head_len = match conn.read_head()? {
            Head::Complete(n) => n,
            Head::Closed => return Ok(()),
            Head::TooLarge => {
                send_error(&mut conn.stream, 400, "Bad Request", false, true)?;
                conn.close();
                return Ok(());
            }
        };
        // The head leaves the buffer; anything after it (a body, the next
        // request) stays.
        let head: Vec<u8> = conn.buf.drain(..head_len).collect();
        let request = match parse_head(&head) {
            Ok(r) => r,
            Err(status) => {
                let reason = if status == 501 {
                    "Not Implemented"
                } else {
                    "Bad Request"
                };
                send_error(&mut conn.stream, status, reason, false, true)?;
                conn.close();
                return Ok(());
            }
        };
        conn.discard_body(request.content_length)?;
        respond(&mut conn.stream, root, &request)?;
        if request.close {
            conn.close();
            return Ok(());
        }
    }
}

/// What we need from a request head.
struct Request {
    method: String,
    target: String,
    /// The connection closes after the response: HTTP/1.0, or
    /// `Connection: close`.
    close: bool,
    content_length: u64,
}

/// Parses the request line and headers; `Err(status)` for a malformed head.
fn parse_head(head: &[u8]) -> Result<Request, u16> {
    let text = std::str::from_utf8(head).map_err(|_| 400u16)?;
    let mut lines = text.strip_suffix("\r\n\r\n").ok_or(400u16)?.split("\r\n");

    // The request line: exactly three parts, `METHOD TARGET HTTP/1.x`.
    let line = lines.next().unwrap_or("");
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(400);
    };
    let is_token = !method.is_empty() && method.bytes().all(|b| b.is_ascii_alphabetic());
    if !is_token || !target.starts_with('/') {
        return Err(400);
    }
    let mut close = match version {
        "HTTP/1.1" => false,
        // HTTP/1.0: one request per connection.
        "HTTP/1.0" => true,
        _ => return Err(400),
    };

    // The headers: `Name: value`, the name without spaces.
    let mut content_length = None;
    for line in lines {
        let (name, value) = line.split_once(':').ok_or(400u16)?;
        if name.is_empty() || name.bytes().any(|b| b.is_ascii_whitespace()) {
            return Err(400);
        }
        let value = value.trim();
        if name.eq_ignore_ascii_case("connection") {
            if value
                .split(',')
                .any(|t| t.trim().eq_ignore_ascii_case("close"))
            {
                close = true;
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(400);
            }
            let n: u64 = value.parse().map_err(|_| 400u16)?;
            if content_length.is_some_and(|m| m != n) {
                return Err(400);
            }
            content_length = Some(n);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // A chunked body: we could not tell where it ends.
            return Err(501);
        }
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        close,
        content_length: content_length.unwrap_or(0),
    })
}

/// Answers one well-formed request.
fn respond(stream: &mut TcpStream, root: &Path, request: &Request) -> io::Result<()> {
    let head_only = match request.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => {
            let body = error_page(405, "Method Not Allowed");
            let extra = "Allow: GET, HEAD\r\n";
            let page = Page {
                status: 405,
                reason: "Method Not Allowed",
                extra,
            };
            return send(stream, page, &body, false, request.close);
        }
    };
    // An error page answers HEAD with its headers only, like a file.
    let error = |stream: &mut TcpStream, status, reason| {
        send_error(stream, status, reason, head_only, request.close)
    };
    let path = match resolve(root, &request.target) {
        Ok(p) => p,
        Err(403) => return error(stream, 403, "Forbidden"),
        Err(_) => return error(stream, 400, "Bad Request"),
    };
    // A directory is served through its index.html.
    let path = if path.is_dir() {
        path.join("index.html")
    } else {
        path
    };
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            return error(stream, 403, "Forbidden")
        }
        Err(_) => return error(stream, 404, "Not Found"),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return error(stream, 404, "Not Found");
    }
    let len = meta.len();
    let head = response_head(200, "OK", content_type(&path), len, "", request.close);
    stream.write_all(head.as_bytes())?;
    if !head_only {
        // Stream the file: a 32 MiB file is never held in memory whole.
        let sent = io::copy(&mut file.take(len), stream)?;
        if sent < len {
            // The file shrank while we sent it: the client cannot frame the
            // response any more, so end the connection.
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "file shorter than announced",
            ));
        }
    }
    Ok(())
}

/// Maps a request target to a path under `root`, or `Err(status)`.
///
/// The order matters: percent-decode first, then split into segments and
/// check each one. Checking before decoding lets `%2e%2e` through, and
/// `Path::join` with an absolute path (`//etc/passwd`) would replace `root`
/// altogether; building the path segment by segment rules out both.
fn resolve(root: &Path, target: &str) -> Result<PathBuf, u16> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path).ok_or(400u16)?;
    let mut file = root.to_path_buf();
    for segment in decoded.split(|&b| b == b'/') {
        match segment {
            b"" | b"." => {}
            b".." => return Err(403),
            s if s.contains(&0) => return Err(400),
            s => file.push(OsStr::from_bytes(s)),
        }
    }
    Ok(file)
}

/// Decodes `%XX` escapes; `None` for a `%` not followed by two hex digits.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The Content-Type of a file, from its extension.
fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(OsStr::to_str)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The status line and headers, ending with the empty line.
fn response_head(
    status: u16,
    reason: &str,
    content_type: &str,
    len: u64,
    extra: &str,
    close: bool,
) -> String {
    let connection = if close { "Connection: close\r\n" } else { "" };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\n{extra}{connection}\r\n"
    )
}

/// The status of an error page, and any extra header lines.
struct Page<'a> {
    status: u16,
    reason: &'a str,
    extra: &'a str,
}

/// Sends an HTML page held in memory (its head only for HEAD).
fn send(
    stream: &mut TcpStream,
    page: Page,
    body: &[u8],
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let ctype = "text/html; charset=utf-8";
    let head = response_head(
        page.status,
        page.reason,
        ctype,
        body.len() as u64,
        page.extra,
        close,
    );
    let mut response = head.into_bytes();
    if !head_only {
        response.extend_from_slice(body);
    }
    stream.write_all(&response)
}

/// Sends an error page. Even an error carries Content-Length, or the client
/// could not tell where it ends on a connection that stays open.
fn send_error(
    stream: &mut TcpStream,
    status: u16,
    reason: &str,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let body = error_page(status, reason);
    send(
        stream,
        Page {
            status,
            reason,
            extra: "",
        },
        &body,
        head_only,
        close,
    )
}

/// A small HTML page for an error status.
fn error_page(status: u16, reason: &str) -> Vec<u8> {
    format!("<!DOCTYPE html>\n<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1></body></html>\n")
        .into_bytes()
}
