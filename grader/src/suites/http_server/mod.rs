//! Suite of `http_server ADDR WEBROOT`: a static file server over HTTP/1.1.
//!
//! Ordinary requests go through a real HTTP client library (`ureq`); the
//! cases where the bytes on the wire matter (requests in pieces, keep-alive,
//! pipelining, HEAD, malformed requests, path traversal) use raw loopback
//! [`Session`]s and parse the responses here. Every test writes the same web
//! root into its directory, with a `secret.txt` beside it (outside WEBROOT)
//! whose marker must never appear in a response.
use std::net::SocketAddr;
use std::time::Duration;

use crate::harness::escape::{escape_bytes, shell_quote};
use crate::harness::{
    compare, Cause, Ctx, Detail, Failure, ResultExt, Server, Session, TestDef, TestResult,
};
use crate::messages;

mod hidden;

/// Embeds files of `fixtures/http_server/webroot/` as (path, bytes) pairs.
macro_rules! webroot {
    ($($rel:literal),* $(,)?) => {
        &[$(($rel, include_bytes!(concat!("../../../../fixtures/http_server/webroot/", $rel)))),*]
    };
}

/// The web root every test serves, file by file.
const WEBROOT: &[(&str, &[u8])] = webroot![
    "index.html",
    "style.css",
    "app.js",
    "data.json",
    "notes.txt",
    "logo.png",
    "photo.jpg",
    "banner.jpeg",
    "dot.gif",
    "icon.svg",
    "page.htm",
    "hello world.html",
    "archive.bin",
    "LICENSE",
    "empty.txt",
    "nested/index.html",
    "nested/deeper/report.txt",
    "files/list.txt",
];

/// The file outside WEBROOT that path traversal would reach.
const SECRET: &str = "secret.txt";

/// The largest response head the suite reads.
const MAX_HEAD: usize = 64 * 1024;

/// How long a client waits for a response while another client is silent:
/// generous, since only a server that never answers should miss it.
const CONCURRENT_WAIT: Duration = Duration::from_secs(8);

/// The pause between the pieces of a request sent in pieces.
const PIECE_PAUSE: Duration = Duration::from_millis(400);

/// The size of the large file.
const LARGE: usize = 32 << 20;

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("serves_index", 2, serves_index).clauses(&[1, 4]),
        TestDef::visible("content_types", 3, content_types).clauses(&[1, 4]),
        TestDef::visible("directory_index", 2, directory_index).clauses(&[2, 5]),
        TestDef::visible("missing_file_404", 2, missing_file_404).clauses(&[5]),
        TestDef::visible("query_and_escapes", 2, query_and_escapes).clauses(&[3]),
        TestDef::visible("keep_alive", 3, keep_alive).clauses(&[10]),
        TestDef::visible("closes_when_asked", 2, closes_when_asked)
            .clauses(&[10])
            .timeout(Duration::from_secs(15)),
        TestDef::visible("split_request", 3, split_request).clauses(&[11]),
        TestDef::visible("head_request", 2, head_request)
            .clauses(&[6, 10])
            .timeout(Duration::from_secs(15)),
        TestDef::visible("method_not_allowed", 2, method_not_allowed).clauses(&[7]),
        TestDef::visible("malformed_requests", 2, malformed_requests)
            .clauses(&[8])
            .timeout(Duration::from_secs(15)),
        TestDef::visible("path_traversal", 3, path_traversal).clauses(&[9]),
        TestDef::visible("silent_client", 3, silent_client)
            .clauses(&[13])
            .timeout(Duration::from_secs(25)),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// Setting up

/// Writes the web root and the secret beside it, and starts the server.
fn start(t: &mut Ctx) -> Result<Server, Failure> {
    for (rel, bytes) in WEBROOT {
        t.write_quietly(format!("webroot/{rel}"), bytes)?;
    }
    t.write_quietly(SECRET, secret_marker(t).as_bytes())?;
    let addr = t.addr();
    t.start_server(&[addr.to_string(), "webroot".into()], addr)
}

/// The unique text inside `secret.txt`; it must never reach a client.
fn secret_marker(t: &Ctx) -> String {
    let mut rng = t.rng();
    format!("SECRET-{}-{}", rng.word(12), rng.word(12))
}

/// The content of a file of the web root.
fn file(rel: &str) -> &'static [u8] {
    WEBROOT
        .iter()
        .find(|(r, _)| *r == rel)
        .map(|(_, b)| *b)
        .expect("the suite asks for files of its own web root")
}

/// The Content-Type the contract gives a file name.
fn expected_type(rel: &str) -> &'static str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = match name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => String::new(),
    };
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

/// A media type compared the way HTTP does: case and the spaces around `;`
/// do not matter.
fn normalize_type(value: &str) -> String {
    value
        .split(';')
        .map(|p| p.trim().to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(";")
}

// ---------------------------------------------------------------------------
// Responses and their checks

/// A response, whether a client library or the suite's own parser read it.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    /// The first header of this name (names are case-insensitive).
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What is wrong with a response: the property, and a comparison if any
/// (boxed: a `Detail` is large, and a `Problem` is an error value).
struct Problem {
    property: String,
    detail: Option<Box<Detail>>,
}

impl Problem {
    fn new(property: impl Into<String>) -> Problem {
        Problem {
            property: property.into(),
            detail: None,
        }
    }
}

/// Checks the status code.
fn check_status(resp: &Response, expected: u16, what: &str) -> Result<(), Problem> {
    if resp.status == expected {
        Ok(())
    } else {
        Err(Problem::new(format!(
            "{what}: status {}, expected {expected}",
            resp.status
        )))
    }
}

/// Checks that a response is the file `rel` (headers only for HEAD).
fn check_file(resp: &Response, rel: &str, head_only: bool, what: &str) -> Result<(), Problem> {
    let expected = file(rel);
    check_status(resp, 200, what)?;
    check_length_header(resp, expected.len(), what)?;
    let want_type = expected_type(rel);
    match resp.header("content-type") {
        None => {
            return Err(Problem::new(format!(
                "{what}: no Content-Type header, expected `{want_type}`"
            )))
        }
        Some(got) if normalize_type(got) != normalize_type(want_type) => {
            return Err(Problem::new(format!(
                "{what}: Content-Type `{got}`, expected `{want_type}`"
            )))
        }
        Some(_) => {}
    }
    if !head_only {
        check_body(&resp.body, expected, rel, what)?;
    }
    Ok(())
}

/// Checks that Content-Length is there and says `len`.
fn check_length_header(resp: &Response, len: usize, what: &str) -> Result<(), Problem> {
    match resp.header("content-length") {
        None => Err(Problem::new(format!(
            "{what}: no Content-Length header (expected {len})"
        ))),
        Some(v) if v.trim() != len.to_string() => Err(Problem::new(format!(
            "{what}: Content-Length {}, expected {len}",
            v.trim()
        ))),
        Some(_) => Ok(()),
    }
}

/// Checks a body against the file it should be.
fn check_body(got: &[u8], expected: &[u8], rel: &str, what: &str) -> Result<(), Problem> {
    let label = format!("body (WEBROOT/{rel})");
    let detail = match std::str::from_utf8(expected) {
        Ok(text) if expected.len() <= 64 * 1024 => compare::text(&label, text, got),
        _ => compare::bytes(&label, expected, got),
    };
    match detail {
        None => Ok(()),
        Some(d) => Err(Problem {
            property: format!("{what}: the body differs from WEBROOT/{rel}"),
            detail: Some(Box::new(d)),
        }),
    }
}

/// Checks a 404: status, Content-Length, and a small HTML body.
fn check_not_found(resp: &Response, head_only: bool, what: &str) -> Result<(), Problem> {
    check_status(resp, 404, what)?;
    let Some(len) = resp.header("content-length") else {
        return Err(Problem::new(format!(
            "{what}: the 404 response has no Content-Length header"
        )));
    };
    if !head_only {
        if resp.body.is_empty() {
            return Err(Problem::new(format!(
                "{what}: the 404 response has no body; send a small HTML page"
            )));
        }
        // A page, not a stray byte or a bare status text: some markup.
        if !(resp.body.contains(&b'<') && resp.body.contains(&b'>')) {
            return Err(Problem::new(format!(
                "{what}: the 404 body is not an HTML page: \"{}\"",
                escape_bytes(&resp.body[..resp.body.len().min(80)])
            )));
        }
        if len.trim() != resp.body.len().to_string() {
            return Err(Problem::new(format!(
                "{what}: Content-Length {} but the body has {} bytes",
                len.trim(),
                resp.body.len()
            )));
        }
    }
    match resp.header("content-type") {
        Some(t) if normalize_type(t).starts_with("text/html") => Ok(()),
        Some(t) => Err(Problem::new(format!(
            "{what}: the 404 page is `{t}`, expected an HTML page (`text/html`)"
        ))),
        None => Err(Problem::new(format!(
            "{what}: the 404 page has no Content-Type (`text/html; charset=utf-8`)"
        ))),
    }
}

/// Checks a 405 and its Allow header.
fn check_not_allowed(resp: &Response, what: &str) -> Result<(), Problem> {
    check_status(resp, 405, what)?;
    let Some(allow) = resp.header("allow") else {
        return Err(Problem::new(format!(
            "{what}: the 405 response has no `Allow: GET, HEAD` header"
        )));
    };
    let mut methods: Vec<String> = allow.split(',').map(|m| m.trim().to_string()).collect();
    methods.sort();
    if methods != ["GET", "HEAD"] {
        return Err(Problem::new(format!(
            "{what}: `Allow: {allow}`, expected `Allow: GET, HEAD`"
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Requests through the HTTP client library

/// The methods sent through the client library.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Head,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
        }
    }
}

/// One request through the client library, and how a student repeats it.
struct Fetched {
    resp: Response,
    curl: String,
}

/// Sends one request through `ureq` on a fresh connection and reads the
/// whole response; waits at most `wait` (and never past the test's time).
fn fetch(
    t: &Ctx,
    server: &Server,
    method: Method,
    path: &str,
    wait: Duration,
) -> Result<Fetched, Failure> {
    fetch_with_idle(t, server, method, path, wait, None)
}

/// [`fetch`], failing as soon as nothing arrives for `idle` (a response
/// that stops short of its Content-Length) if given.
fn fetch_with_idle(
    t: &Ctx,
    server: &Server,
    method: Method,
    path: &str,
    wait: Duration,
    idle: Option<Duration>,
) -> Result<Fetched, Failure> {
    let url = format!("http://{}{path}", server.addr());
    let flag = if method == Method::Head { " -I" } else { "" };
    let curl = format!("curl -v{flag} {}", shell_quote(&url));
    let what = format!("`{} {path}`", method.as_str());
    let decorate = |f: Failure| {
        f.with(Detail::Command { label: "start your server".into(), command: server.invocation().into() })
            .with(Detail::Command { label: "then try".into(), command: curl.clone() })
            .note("the server runs in a directory holding `webroot/` (like exercises/http_server/webroot)")
    };
    // Keep a little time so that a slow server fails here, with this
    // message, rather than at the test's own limit.
    let timeout = wait
        .min(t.remaining().saturating_sub(Duration::from_millis(500)))
        .max(Duration::from_millis(100));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        // Nothing may leave loopback, whatever the environment says.
        .proxy(None)
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections(0)
        .timeout_global(Some(timeout))
        .timeout_per_read(idle)
        .build()
        .into();
    let result = match method {
        Method::Get => agent.get(&url).call(),
        Method::Head => agent.head(&url).call(),
    };
    let client_failure = |e: ureq::Error, part: &str| {
        if let Err(f) = server.expect_running() {
            return decorate(f);
        }
        decorate(match e {
            ureq::Error::Timeout(ureq::Timeout::PerRead) => Failure::new(
                Cause::Timeout,
                format!(
                    "{what}: the {part} stopped short: nothing more arrived for {}",
                    messages::secs(idle.unwrap_or(timeout))
                ),
            ),
            ureq::Error::Timeout(_) => Failure::new(
                Cause::Timeout,
                format!(
                    "{what}: no complete {part} within {}",
                    messages::secs(timeout)
                ),
            ),
            e => Failure::mismatch(format!(
                "{what}: the HTTP client failed reading the {part}: {e}"
            )),
        })
    };
    let mut response = result.map_err(|e| client_failure(e, "response head"))?;
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut resp = Response {
        status,
        headers,
        body: Vec::new(),
    };
    // Without Content-Length a client reads until the connection closes,
    // which a kept-alive connection never does: check before reading.
    if matches!(status, 200 | 404) && resp.header("content-length").is_none() {
        return Err(decorate(Failure::mismatch(format!(
            "{what}: the {status} response has no Content-Length header"
        ))));
    }
    if method == Method::Get {
        resp.body = response
            .body_mut()
            .with_config()
            .limit(2 * LARGE as u64)
            .read_to_vec()
            .map_err(|e| client_failure(e, "body"))?;
    }
    Ok(Fetched { resp, curl })
}

/// Turns a problem with a fetched response into a failure.
fn fetched_failure(server: &Server, fetched: &Fetched, problem: Problem) -> Failure {
    let mut f = Failure::mismatch(problem.property)
        .with(Detail::Command {
            label: "start your server".into(),
            command: server.invocation().into(),
        })
        .with(Detail::Command {
            label: "then try".into(),
            command: fetched.curl.clone(),
        })
        .with_opt(problem.detail.map(|d| *d));
    let mut head = format!("status {}\n", fetched.resp.status);
    for (n, v) in &fetched.resp.headers {
        head.push_str(&format!("{n}: {v}\n"));
    }
    f = f.text("response headers received", head);
    f
}

/// Fetches `path` and expects the file `rel` of the web root.
fn get_file(t: &Ctx, server: &Server, path: &str, rel: &str) -> TestResult {
    let fetched = fetch(t, server, Method::Get, path, t.remaining())?;
    check_file(&fetched.resp, rel, false, &format!("`GET {path}`"))
        .map_err(|p| fetched_failure(server, &fetched, p))
}

/// Fetches `path` and expects a 404.
fn get_not_found(t: &Ctx, server: &Server, path: &str) -> TestResult {
    let fetched = fetch(t, server, Method::Get, path, t.remaining())?;
    check_not_found(&fetched.resp, false, &format!("`GET {path}`"))
        .map_err(|p| fetched_failure(server, &fetched, p))
}

// ---------------------------------------------------------------------------
// Raw requests on recorded sessions

/// A request with a Host header and any extra header lines.
fn request(method: &str, target: &str, host: SocketAddr, extra: &str) -> Vec<u8> {
    format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n").into_bytes()
}

/// A GET request.
fn get(target: &str, host: SocketAddr) -> Vec<u8> {
    request("GET", target, host, "")
}

/// A problem found on a session, as a failure with its transcript.
fn session_failure(s: &Session, problem: Problem) -> Failure {
    s.fail(problem.property)
        .with_opt(problem.detail.map(|d| *d))
}

/// Reads one response from the session: the head up to `\r\n\r\n`, then
/// exactly Content-Length bytes of body (none for HEAD). A response without
/// Content-Length has a body only if the connection closes after it.
fn read_response(s: &mut Session, head_only: bool, what: &str) -> Result<Response, Failure> {
    let head = s.recv_until(b"\r\n\r\n", MAX_HEAD).context(what)?;
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.trim_end_matches("\r\n").split("\r\n");
    let status = lines.next().and_then(parse_status_line).ok_or_else(|| {
        s.fail(format!(
            "{what}: the bytes received do not start with a status line such as `HTTP/1.1 200 OK`"
        ))
    })?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut resp = Response {
        status,
        headers,
        body: Vec::new(),
    };
    if head_only {
        return Ok(resp);
    }
    match resp.header("content-length") {
        Some(v) => {
            let n: usize = v
                .parse()
                .map_err(|_| s.fail(format!("{what}: Content-Length `{v}` is not a number")))?;
            resp.body = s
                .recv_exact(n)
                .context(format!("{what}: the body (Content-Length {n})"))?;
        }
        None if matches!(status, 200 | 404) => {
            return Err(s.fail(format!(
                "{what}: the {status} response has no Content-Length header"
            )));
        }
        None if status == 400
            || resp
                .header("connection")
                .is_some_and(|c| c.eq_ignore_ascii_case("close")) =>
        {
            resp.body = s.recv_to_end(1 << 20).map_err(|f| {
                if f.cause == Cause::Timeout {
                    s.fail(format!("{what}: the response has no Content-Length and the connection did not close"))
                } else {
                    f
                }
            })?;
        }
        None => {}
    }
    Ok(resp)
}

/// The status code of `HTTP/1.x NNN reason`.
fn parse_status_line(line: &str) -> Option<u16> {
    let (version, rest) = line.split_once(' ')?;
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return None;
    }
    let code = rest.get(..3)?;
    if !code.bytes().all(|b| b.is_ascii_digit()) || !(rest.len() == 3 || rest[3..].starts_with(' '))
    {
        return None;
    }
    code.parse().ok()
}

/// Sends `req` and expects the file `rel`.
fn exchange_file(
    s: &mut Session,
    req: &[u8],
    rel: &str,
    head_only: bool,
    what: &str,
) -> TestResult {
    s.send(req)?;
    expect_file_response(s, rel, head_only, what)
}

/// Reads a response and expects the file `rel`.
fn expect_file_response(s: &mut Session, rel: &str, head_only: bool, what: &str) -> TestResult {
    let resp = read_response(s, head_only, what)?;
    check_file(&resp, rel, head_only, what).map_err(|p| session_failure(s, p))
}

/// The note for a connection closed too early.
const KEEP_ALIVE_NOTE: &str =
    "an HTTP/1.1 connection stays open after a response, for the next request, \
     unless the client sent `Connection: close`";

/// Adds the keep-alive note to a failure that comes from a closed connection.
fn keep_alive_note(f: Failure) -> Failure {
    if f.property.contains("closed the connection") || f.property.contains("reset") {
        f.note(KEEP_ALIVE_NOTE)
    } else {
        f
    }
}

// ---------------------------------------------------------------------------
// The tests: ordinary requests

fn serves_index(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    get_file(t, &server, "/", "index.html")?;
    get_file(t, &server, "/index.html", "index.html")
}

fn content_types(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    for rel in ["style.css", "app.js", "data.json", "notes.txt", "logo.png"] {
        get_file(t, &server, &format!("/{rel}"), rel)?;
    }
    Ok(())
}

fn directory_index(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    get_file(t, &server, "/nested/", "nested/index.html")?;
    get_file(t, &server, "/nested", "nested/index.html")?;
    get_file(
        t,
        &server,
        "/nested/deeper/report.txt",
        "nested/deeper/report.txt",
    )?;
    get_not_found(t, &server, "/files/").context("a directory without index.html")?;
    get_not_found(t, &server, "/nested/deeper/").context("a directory without index.html")
}

fn missing_file_404(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    get_not_found(t, &server, "/no-such-page.html")?;
    get_not_found(t, &server, "/nested/missing.css")?;
    get_not_found(t, &server, "/no-such-dir/index.html")
}

fn query_and_escapes(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    get_file(t, &server, "/hello%20world.html", "hello world.html")
        .context("a percent-escaped space")?;
    get_file(t, &server, "/%69ndex.%68tml", "index.html").context("percent-escaped letters")?;
    get_file(t, &server, "/style.css?v=2", "style.css").context("the query string is ignored")?;
    get_file(t, &server, "/?lang=zh&page=1", "index.html")
        .context("the query string is ignored")?;
    get_file(t, &server, "/nested/?x=%2e%2e", "nested/index.html")
        .context("the query string is ignored")
}

// ---------------------------------------------------------------------------
// The tests: connections

fn keep_alive(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let mut s = t.connect(&server)?;
    let steps = [
        ("/", "index.html", "the first request on a connection"),
        (
            "/style.css",
            "style.css",
            "the second request on the same connection",
        ),
        (
            "/logo.png",
            "logo.png",
            "the third request on the same connection",
        ),
    ];
    for (path, rel, what) in steps {
        exchange_file(&mut s, &get(path, addr), rel, false, what).map_err(keep_alive_note)?;
    }
    Ok(())
}

fn closes_when_asked(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    {
        let mut s = t.connect(&server)?;
        let req = request("GET", "/style.css", addr, "Connection: close\r\n");
        let what = "a request with `Connection: close`";
        exchange_file(&mut s, &req, "style.css", false, what)?;
        s.expect_closed().context(what).map_err(|f| {
            f.note("after the response to a request with `Connection: close`, close the connection")
        })?;
    }
    let mut s = t.connect(&server)?;
    let req = b"GET /data.json HTTP/1.0\r\n\r\n";
    let what = "an HTTP/1.0 request";
    exchange_file(&mut s, req, "data.json", false, what)?;
    s.expect_closed()
        .context(what)
        .map_err(|f| f.note("HTTP/1.0 has one request per connection: close it after the response"))
}

fn split_request(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let mut s = t.connect(&server)?;
    let note = "TCP has no message boundaries: a request may arrive in several reads. \
                Read until the buffer holds `\\r\\n\\r\\n`, however many reads that takes";
    // The head's end straddles the last two pieces of the first request;
    // the empty line that ends the second arrives on its own.
    let first = [
        "GET /sty".to_string(),
        "le.css HTTP/1.1\r\nHo".to_string(),
        format!("st: {addr}\r\n\r"),
        "\n".to_string(),
    ];
    let second = [
        format!("GET /data.json HTTP/1.1\r\nHost: {addr}\r\n"),
        "Accept: */*\r\n".to_string(),
        "\r\n".to_string(),
    ];
    let all: Vec<&[u8]> = first.iter().chain(&second).map(String::as_bytes).collect();
    let in_pieces = |f: Failure| {
        f.with(server.pieces_command(&all, PIECE_PAUSE, false))
            .note(note)
    };
    for piece in &first {
        s.send(piece.as_bytes())?;
        std::thread::sleep(PIECE_PAUSE);
    }
    let what = "a request sent in four pieces";
    expect_file_response(&mut s, "style.css", false, what).map_err(in_pieces)?;
    for piece in &second {
        s.send(piece.as_bytes())?;
        std::thread::sleep(PIECE_PAUSE);
    }
    let what = "a second request in pieces on the same connection";
    expect_file_response(&mut s, "data.json", false, what)
        .map_err(|f| keep_alive_note(in_pieces(f)))
}

fn silent_client(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let note =
        "give each connection its own thread (`std::thread::spawn`): a server that serves one \
                client at a time waits for the silent one and answers no one else";
    // Connects and sends nothing, for the whole test.
    let _silent = t.connect(&server)?;
    fetch_while_waiting(
        t,
        &server,
        "/style.css",
        "style.css",
        "while another client is connected and silent",
        note,
    )?;
    // Sends half a request line and stops.
    let mut half = t.connect(&server)?;
    let rest = format!("TP/1.1\r\nHost: {}\r\n\r\n", server.addr());
    half.send(b"GET /notes.txt HT")?;
    std::thread::sleep(PIECE_PAUSE);
    fetch_while_waiting(
        t,
        &server,
        "/",
        "index.html",
        "while another client has sent half a request",
        note,
    )?;
    // The half request, completed, is served too.
    half.send(rest.as_bytes())?;
    let what = "a request completed after other clients were served";
    expect_file_response(&mut half, "notes.txt", false, what).map_err(|f| {
        let pieces = [&b"GET /notes.txt HT"[..], rest.as_bytes()];
        f.with(server.pieces_command(&pieces, Duration::from_secs(2), false))
    })
}

/// Fetches a file while other clients hold connections open.
fn fetch_while_waiting(
    t: &Ctx,
    server: &Server,
    path: &str,
    rel: &str,
    situation: &str,
    note: &str,
) -> TestResult {
    let fetched = fetch(t, server, Method::Get, path, CONCURRENT_WAIT)
        .map_err(|f| {
            if f.cause == Cause::Timeout {
                f.note(note)
            } else {
                f
            }
        })
        .context(situation)?;
    check_file(&fetched.resp, rel, false, &format!("`GET {path}`"))
        .map_err(|p| fetched_failure(server, &fetched, p))
        .context(situation)
}

// ---------------------------------------------------------------------------
// The tests: methods and malformed requests

fn head_request(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let note =
        "a response to HEAD has the GET response's headers (Content-Length included) but no body: \
                the next bytes on the connection are the next response";
    // Through a client library first: the GET's headers, no body.
    let fetched = fetch(t, &server, Method::Head, "/index.html", t.remaining())?;
    check_file(&fetched.resp, "index.html", true, "`HEAD /index.html`")
        .map_err(|p| fetched_failure(&server, &fetched, p))?;
    {
        let mut s = t.connect(&server)?;
        let what = "`HEAD /style.css`";
        exchange_file(
            &mut s,
            &request("HEAD", "/style.css", addr, ""),
            "style.css",
            true,
            what,
        )?;
        // The response to the next request must follow the HEAD's headers.
        s.send(&get("/data.json", addr))?;
        expect_next_response(
            &mut s,
            "data.json",
            "the GET after a HEAD on the same connection",
            note,
        )?;
        let what = "`HEAD /no-such-file.txt`";
        s.send(&request("HEAD", "/no-such-file.txt", addr, ""))?;
        let resp = read_response(&mut s, true, what)?;
        check_not_found(&resp, true, what).map_err(|p| session_failure(&s, p))?;
        s.send(&get("/notes.txt", addr))?;
        expect_next_response(
            &mut s,
            "notes.txt",
            "the GET after a HEAD of a missing file",
            note,
        )?;
    }
    let mut s = t.connect(&server)?;
    let what = "`HEAD /logo.png` with `Connection: close`";
    exchange_file(
        &mut s,
        &request("HEAD", "/logo.png", addr, "Connection: close\r\n"),
        "logo.png",
        true,
        what,
    )?;
    s.expect_closed().context(what).map_err(|f| f.note(note))
}

/// Reads the response that follows a HEAD response and expects `rel`; bytes
/// before its status line are a body the HEAD response should not have had.
fn expect_next_response(s: &mut Session, rel: &str, what: &str, note: &str) -> TestResult {
    let resp = read_response(s, false, what).map_err(|f| {
        if f.property.contains("status line") {
            let mut f = f.note(note);
            f.property = format!("{what}: the response to HEAD carried a body (the bytes after its headers are not a status line)").into();
            f
        } else {
            f
        }
    })?;
    check_file(&resp, rel, false, what).map_err(|p| session_failure(s, p))
}

fn method_not_allowed(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let cases = [
        request("DELETE", "/index.html", addr, ""),
        request("PUT", "/new.txt", addr, "Content-Length: 0\r\n"),
        request("OPTIONS", "/", addr, ""),
    ];
    for req in cases {
        let what = format!(
            "`{}`",
            String::from_utf8_lossy(req.split(|&b| b == b'\r').next().unwrap_or(&[]))
        );
        let mut s = t.connect(&server)?;
        s.send(&req)?;
        let resp = read_response(&mut s, false, &what)?;
        check_not_allowed(&resp, &what).map_err(|p| session_failure(&s, p))?;
    }
    Ok(())
}

/// Sends a malformed request and expects a 400, then the connection closed.
fn expect_bad_request(t: &Ctx, server: &Server, raw: &[u8], what: &str) -> TestResult {
    let mut s = t.connect(server)?;
    s.send(raw)?;
    let resp = read_response(&mut s, false, what)?;
    check_status(&resp, 400, what).map_err(|p| session_failure(&s, p))?;
    s.expect_closed()
        .context(what)
        .map_err(|f| f.note("after a 400 response the server closes the connection"))
}

fn malformed_requests(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let host = server.addr();
    let cases = [
        (b"HELLO\r\n\r\n".to_vec(), "a request line with one word"),
        (
            b"GET /index.html\r\n\r\n".to_vec(),
            "a request line without the HTTP version",
        ),
        (
            format!("GET /index.html HTTP/1.1\r\nHost: {host}\r\nAccept text/html\r\n\r\n")
                .into_bytes(),
            "a header line without a colon",
        ),
    ];
    for (raw, what) in cases {
        expect_bad_request(t, &server, &raw, what)?;
    }
    // The server is still fine for the next client.
    get_file(t, &server, "/style.css", "style.css").context("after malformed requests")
}

// ---------------------------------------------------------------------------
// The tests: path traversal

/// The absolute path of the secret as a request target (`//tmp/.../secret.txt`),
/// with `/` written as `sep`.
fn absolute_secret(t: &Ctx, sep: &str) -> String {
    let path = t.path(SECRET);
    let mut target = String::new();
    for part in path.to_string_lossy().split('/').filter(|p| !p.is_empty()) {
        target.push_str(sep);
        for b in part.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                target.push(b as char);
            } else {
                target.push_str(&format!("%{b:02X}"));
            }
        }
    }
    format!("/{target}")
}

/// Sends each attack on a fresh connection: the secret must never appear,
/// and the status must be 403 or 404.
fn expect_no_escape(t: &Ctx, server: &Server, attacks: &[(String, &str)]) -> TestResult {
    let marker = secret_marker(t);
    for (target, what) in attacks {
        let mut s = t.connect(server)?;
        s.send(&get(target, server.addr()))?;
        let resp = read_response(&mut s, false, what);
        let leaked = |body: &[u8]| body.windows(marker.len()).any(|w| w == marker.as_bytes());
        let seen_leak = match &resp {
            Ok(r) => leaked(&r.body) || leaked(s.pending()),
            Err(_) => leaked(s.pending()),
        };
        if seen_leak {
            return Err(s
                .fail(format!("{what}: the response holds the content of a file outside WEBROOT"))
                .note("the test put `secret.txt` in the directory above WEBROOT")
                .note("percent-decode the path first, then refuse any `..` segment, and never join an absolute path onto WEBROOT"));
        }
        let resp = resp?;
        if resp.status != 403 && resp.status != 404 {
            return Err(s.fail(format!(
                "{what}: status {}, expected 403 or 404",
                resp.status
            )));
        }
        server.expect_running()?;
    }
    Ok(())
}

fn path_traversal(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let attacks = [
        (format!("/../{SECRET}"), "`/../secret.txt`"),
        (
            format!("/nested/../../{SECRET}"),
            "`/nested/../../secret.txt`",
        ),
        (format!("/%2e%2e/{SECRET}"), "`/%2e%2e/secret.txt`"),
        (
            absolute_secret(t, "/"),
            "an absolute path after the `/` (`//tmp/.../secret.txt`)",
        ),
    ];
    expect_no_escape(t, &server, &attacks)?;
    get_file(t, &server, "/style.css", "style.css").context("after the traversal attempts")
}
