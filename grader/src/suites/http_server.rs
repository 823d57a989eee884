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

use crate::harness::escape::{escape_bytes, printf_arg, shell_quote};
use crate::harness::stop::stop_and_continue;
use crate::harness::{
    compare, Cause, Ctx, Detail, Failure, ResultExt, Server, Session, TestDef, TestResult,
};
use crate::messages;

/// Embeds files of `fixtures/http_server/webroot/` as (path, bytes) pairs.
macro_rules! webroot {
    ($($rel:literal),* $(,)?) => {
        &[$(($rel, include_bytes!(concat!("../../../fixtures/http_server/webroot/", $rel)))),*]
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

/// How long the large file's body may pause before the client gives up.
const LARGE_IDLE: Duration = Duration::from_secs(5);

/// A request head every server must take (request line and headers: a
/// browser with many cookies sends that much).
const BIG_HEAD: usize = 16 * 1024;

/// A request head this long without its blank line gets 400.
const ENDLESS_HEAD: usize = 64 * 1024;

/// The tests.
pub fn tests() -> Vec<TestDef> {
    vec![
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
        TestDef::hidden("more_content_types", 2, more_content_types).clauses(&[4]),
        TestDef::hidden("more_malformed_requests", 2, more_malformed_requests)
            .clauses(&[8])
            .timeout(Duration::from_secs(15)),
        TestDef::hidden("encoded_traversal", 3, encoded_traversal)
            .clauses(&[9])
            .timeout(Duration::from_secs(15)),
        TestDef::hidden("request_bodies", 3, request_bodies)
            .clauses(&[7, 12])
            .timeout(Duration::from_secs(15)),
        TestDef::hidden("pipelined_requests", 2, pipelined_requests).clauses(&[6, 11]),
        TestDef::hidden("slow_client", 2, slow_client)
            .clauses(&[13])
            .timeout(Duration::from_secs(40)),
        TestDef::hidden("long_request_head", 2, long_request_head).clauses(&[15]),
        TestDef::hidden("endless_request_head", 2, endless_request_head)
            .clauses(&[15])
            .timeout(Duration::from_secs(20)),
        TestDef::hidden("repeated_content_length", 2, repeated_content_length)
            .clauses(&[16])
            .timeout(Duration::from_secs(15)),
        TestDef::hidden("stopped_and_continued", 2, stopped_and_continued)
            .clauses(&[17])
            .timeout(Duration::from_secs(20))
            .linux_only(),
        TestDef::hidden("large_file", 3, large_file)
            .clauses(&[14])
            .timeout(Duration::from_secs(60))
            .cpu_heavy(),
    ]
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

fn more_content_types(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases = [
        ("page.htm", "an .htm file"),
        ("photo.jpg", "a .jpg file"),
        ("banner.jpeg", "a .jpeg file"),
        ("dot.gif", "a .gif file"),
        ("icon.svg", "an .svg file"),
        ("archive.bin", "a file of unknown extension"),
        ("LICENSE", "a file without extension"),
        ("empty.txt", "an empty file"),
    ];
    for (rel, what) in cases {
        get_file(t, &server, &format!("/{rel}"), rel).context(what)?;
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

fn large_file(t: &mut Ctx) -> TestResult {
    let mut data = vec![0u8; LARGE];
    t.rng().fill(&mut data);
    t.write_quietly("webroot/big/blob.bin", &data)?;
    let server = start(t)?;
    let fetched = fetch_with_idle(
        t,
        &server,
        Method::Get,
        "/big/blob.bin",
        t.remaining(),
        Some(LARGE_IDLE),
    )
    .map_err(|f| {
        f.note(
            "send the whole file, Content-Length bytes: `io::copy` from the file to the stream, \
                    or a loop of `read` and `write_all` until `read` returns 0",
        )
    })?;
    let what = "`GET` of a 32 MiB file";
    let checked = check_status(&fetched.resp, 200, what)
        .and_then(|()| check_length_header(&fetched.resp, LARGE, what))
        .and_then(
            |()| match compare::bytes("body", &data, &fetched.resp.body) {
                None => Ok(()),
                Some(d) => Err(Problem {
                    property: format!("{what}: the body differs from the file"),
                    detail: Some(Box::new(d)),
                }),
            },
        );
    checked.map_err(|p| fetched_failure(&server, &fetched, p))
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
    let all: Vec<&str> = first.iter().chain(&second).map(String::as_str).collect();
    let in_pieces = |f: Failure| f.with(pieces_command(&all, PIECE_PAUSE, addr)).note(note);
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

/// How a student sends pieces with pauses between them, as a test did (the
/// transcript shows them joined).
fn pieces_command(pieces: &[&str], pause: Duration, addr: SocketAddr) -> Detail {
    let sends: Vec<String> = pieces
        .iter()
        .map(|p| format!("printf {}", printf_arg(p.as_bytes())))
        .collect();
    let sleep = format!("; sleep {}; ", pause.as_secs_f64());
    Detail::Command {
        label: "send it in pieces, as the test did".into(),
        command: format!(
            "({}) | nc {} {}",
            sends.join(&sleep),
            addr.ip(),
            addr.port()
        ),
    }
}

fn pipelined_requests(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let mut s = t.connect(&server)?;
    let mut all = get("/index.html", addr);
    all.extend(request("HEAD", "/data.json", addr, ""));
    all.extend(get("/logo.png", addr));
    s.send(&all)?;
    let note = "TCP has no message boundaries: one read may hold several requests. \
                Keep the bytes after a request's head for the next request";
    let steps = [
        (
            "index.html",
            false,
            "the first of three requests sent in one write",
        ),
        (
            "data.json",
            true,
            "the second (HEAD) of three requests sent in one write",
        ),
        (
            "logo.png",
            false,
            "the third of three requests sent in one write",
        ),
    ];
    let mut after_head = false;
    for (rel, head_only, what) in steps {
        expect_file_response(&mut s, rel, head_only, what).map_err(|f| {
            if after_head && f.property.contains("status line") {
                f.note("a response to HEAD has no body: the next response follows its headers")
            } else {
                keep_alive_note(f.note(note))
            }
        })?;
        after_head = head_only;
    }
    Ok(())
}

fn request_bodies(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let note =
        "a request with `Content-Length: N` is followed by N bytes of body: read (and drop) \
                them before you look for the next request";
    let mut s = t.connect(&server)?;

    // A POST with its body in the same write.
    let body = "name=socklings&lesson=http";
    let mut post = request(
        "POST",
        "/form",
        addr,
        &format!("Content-Length: {}\r\n", body.len()),
    );
    post.extend_from_slice(body.as_bytes());
    s.send(&post)?;
    let what = "a POST with a body";
    let resp = read_response(&mut s, false, what)?;
    check_not_allowed(&resp, what).map_err(|p| session_failure(&s, p))?;
    exchange_file(
        &mut s,
        &get("/style.css", addr),
        "style.css",
        false,
        "a GET after a POST with a body",
    )
    .map_err(|f| keep_alive_note(f.note(note)))?;

    // A GET whose body looks like a request, in the same write.
    let fake = format!("GET /notes.txt HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let mut with_body = request(
        "GET",
        "/data.json",
        addr,
        &format!("Content-Length: {}\r\n", fake.len()),
    );
    with_body.extend_from_slice(fake.as_bytes());
    exchange_file(&mut s, &with_body, "data.json", false, "a GET with a body")
        .map_err(|f| f.note(note))?;
    exchange_file(
        &mut s,
        &get("/logo.png", addr),
        "logo.png",
        false,
        "the request after a GET with a body",
    )
    .map_err(|f| keep_alive_note(f.note(note)))?;

    // A POST whose body arrives after a pause, in two pieces.
    let body = "x".repeat(3000);
    s.send(&request(
        "POST",
        "/upload",
        addr,
        &format!("Content-Length: {}\r\n", body.len()),
    ))?;
    std::thread::sleep(PIECE_PAUSE);
    s.send(&body.as_bytes()[..1000])?;
    std::thread::sleep(PIECE_PAUSE);
    s.send(&body.as_bytes()[1000..])?;
    let what = "a POST whose body came in later pieces";
    let resp = read_response(&mut s, false, what)?;
    check_not_allowed(&resp, what).map_err(|p| session_failure(&s, p))?;
    exchange_file(
        &mut s,
        &get("/notes.txt", addr),
        "notes.txt",
        false,
        "a GET after a POST with a body in pieces",
    )
    .map_err(|f| keep_alive_note(f.note(note)))
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
        let pieces = ["GET /notes.txt HT", rest.as_str()];
        f.with(pieces_command(
            &pieces,
            Duration::from_secs(2),
            server.addr(),
        ))
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

fn slow_client(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let note = "a client that sends its request slowly must not hold up the others: \
                give each connection its own thread";
    let mut slow = t.connect(&server)?;
    let req = get("/notes.txt", server.addr());
    // Six pieces; between two of them, another client is served.
    let cut = |i: usize| i * req.len() / 6;
    let others = [
        ("/style.css", "style.css"),
        ("/data.json", "data.json"),
        ("/logo.png", "logo.png"),
        ("/", "index.html"),
        ("/nested/deeper/report.txt", "nested/deeper/report.txt"),
        ("/notes.txt", "notes.txt"),
    ];
    for (i, (path, rel)) in others.into_iter().enumerate() {
        slow.send(&req[cut(i)..cut(i + 1)])?;
        std::thread::sleep(PIECE_PAUSE);
        fetch_while_waiting(
            t,
            &server,
            path,
            rel,
            "while another client sends its request slowly",
            note,
        )?;
    }
    expect_file_response(
        &mut slow,
        "notes.txt",
        false,
        "a request sent slowly in six pieces",
    )
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
            f.property = format!("{what}: the response to HEAD carried a body (the bytes after its headers are not a status line)");
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

fn more_malformed_requests(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let host = server.addr();
    let cases = [
        (
            format!("GET /index.html HTTP/1.1 extra\r\nHost: {host}\r\n\r\n"),
            "a request line with four words",
        ),
        (
            format!("GET /index.html FTP/1.1\r\nHost: {host}\r\n\r\n"),
            "a request line whose version is not HTTP",
        ),
        (
            format!("GET /index.html HTTP/1.1\r\nHost: {host}\r\n: no-name\r\n\r\n"),
            "a header line without a name",
        ),
        (
            format!(" /index.html HTTP/1.1\r\nHost: {host}\r\n\r\n"),
            "a request line without a method (it starts with the space)",
        ),
    ];
    for (raw, what) in cases {
        expect_bad_request(t, &server, raw.as_bytes(), what)?;
    }
    get_file(t, &server, "/style.css", "style.css").context("after malformed requests")
}

fn long_request_head(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let mut rng = t.rng();
    let mut cookies = String::new();
    let mut count = 0;
    loop {
        let line = format!("Cookie: c{}={}\r\n", count + 1, rng.word(180));
        if request("GET", "/index.html", addr, &(cookies.clone() + &line)).len() > BIG_HEAD {
            break;
        }
        cookies.push_str(&line);
        count += 1;
    }
    let req = request("GET", "/index.html", addr, &cookies);
    let what = format!(
        "a GET whose head is {} ({count} long Cookie headers)",
        messages::size(req.len() as u64)
    );
    let note = "a request head may be 16 KiB or more (a browser sends every cookie of the \
                site): read until the blank line into a buffer that grows, and refuse a head \
                only past a limit far above that, such as 64 KiB";
    let mut s = t.connect(&server)?;
    exchange_file(&mut s, &req, "index.html", false, &what).map_err(|f| f.note(note))?;
    exchange_file(
        &mut s,
        &get("/style.css", addr),
        "style.css",
        false,
        "the next request on the same connection, after a head of 16 KiB",
    )
    .map_err(|f| keep_alive_note(f.note(note)))
}

fn endless_request_head(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let what = "a request whose head went on past 64 KiB without its blank line";
    let mut s = t.connect(&server)?;
    // A first piece of an odd size, so that the server's reads need not
    // add up to a round number.
    s.send(format!("GET /index.html HTTP/1.1\r\nHost: {addr}\r\n").as_bytes())?;
    std::thread::sleep(PIECE_PAUSE);
    let mut rest = Vec::new();
    let mut i = 0;
    while rest.len() < ENDLESS_HEAD + 16 * 1024 {
        i += 1;
        rest.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "f".repeat(100)).as_bytes());
    }
    // Sent straight on the socket (not recorded): the server may answer and
    // close before all of it is sent, and what it answered stays readable.
    if let Some(stream) = s.tcp_stream() {
        let _ = stream.set_write_timeout(Some(CONCURRENT_WAIT));
        let _ = std::io::Write::write_all(&mut &*stream, &rest);
    }
    let note = "read the head with a limit: once the buffer holds 64 KiB and still no blank \
                line, answer `400` and close the connection, rather than read (and keep in \
                memory) whatever the client sends";
    let resp = read_response(&mut s, false, what).map_err(|f| f.note(note))?;
    check_status(&resp, 400, what).map_err(|p| session_failure(&s, p).note(note))?;
    s.expect_closed()
        .context(what)
        .map_err(|f| f.note("after a 400 response the server closes the connection"))?;
    get_file(t, &server, "/style.css", "style.css").context("after a request head too long")
}

fn repeated_content_length(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let body = "a=1&b=22";
    let mut same = request(
        "GET",
        "/notes.txt",
        addr,
        &format!("Content-Length: {0}\r\nContent-Length: {0}\r\n", body.len()),
    );
    same.extend_from_slice(body.as_bytes());
    let mut s = t.connect(&server)?;
    let note = "several Content-Length headers that say the same number are one length; \
                if they differ, no one can tell where the body ends: `400`, then close";
    exchange_file(
        &mut s,
        &same,
        "notes.txt",
        false,
        "a GET with two equal Content-Length headers (8) and its 8-byte body",
    )
    .map_err(|f| f.note(note))?;
    exchange_file(
        &mut s,
        &get("/style.css", addr),
        "style.css",
        false,
        "the next request on the same connection",
    )
    .map_err(|f| keep_alive_note(f.note(note)))?;
    let mut differ = request(
        "GET",
        "/notes.txt",
        addr,
        "Content-Length: 7\r\nContent-Length: 8\r\n",
    );
    differ.extend_from_slice(body.as_bytes());
    expect_bad_request(
        t,
        &server,
        &differ,
        "a GET with two different Content-Length headers (7, then 8)",
    )
    .map_err(|f| f.note(note))?;
    let mut differ = request(
        "GET",
        "/notes.txt",
        addr,
        "Content-Length: 8\r\nContent-Length: 7\r\n",
    );
    differ.extend_from_slice(body.as_bytes());
    expect_bad_request(
        t,
        &server,
        &differ,
        "a GET with two different Content-Length headers (8, then 7)",
    )
    .map_err(|f| f.note(note))
}

fn stopped_and_continued(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let note = "a server stopped with Ctrl-Z (SIGSTOP) and continued with `fg` (SIGCONT) \
                carries on: on Linux a `read` with a timeout (`set_read_timeout`) that the \
                stop interrupted fails with `ErrorKind::Interrupted`; retry it, as \
                `read_exact` and `BufRead::read_line` do, instead of dropping the connection";
    let mut s = t.connect(&server)?;
    exchange_file(
        &mut s,
        &get("/index.html", addr),
        "index.html",
        false,
        "a first request",
    )?;
    let req = get("/style.css", addr);
    s.send(&req[..12])?;
    std::thread::sleep(PIECE_PAUSE);
    stop_and_continue(server.pid())?;
    std::thread::sleep(PIECE_PAUSE);
    s.send(&req[12..])?;
    expect_file_response(
        &mut s,
        "style.css",
        false,
        "a request whose first 12 bytes came before the server was stopped (SIGSTOP) and \
         continued (SIGCONT), the rest after",
    )
    .map_err(|f| f.note(note))?;
    std::thread::sleep(PIECE_PAUSE);
    stop_and_continue(server.pid())?;
    std::thread::sleep(PIECE_PAUSE);
    exchange_file(
        &mut s,
        &get("/data.json", addr),
        "data.json",
        false,
        "the next request on the connection, which was idle while the server was stopped \
         and continued",
    )
    .map_err(|f| keep_alive_note(f.note(note)))?;
    get_file(t, &server, "/notes.txt", "notes.txt")
        .context("after the server was stopped and continued")
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

fn encoded_traversal(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let attacks = [
        (
            format!("/nested/%2f..%2f..%2f{SECRET}"),
            "`..` between encoded slashes (`%2f`)",
        ),
        (
            format!("/%2E%2E/{SECRET}"),
            "`..` encoded in capitals (`%2E%2E`)",
        ),
        (
            format!("/..%2f{SECRET}"),
            "`..` followed by an encoded slash",
        ),
        (
            format!("/%2e%2e%2f{SECRET}"),
            "`..` and the slash all encoded",
        ),
        (format!("/.%2e/{SECRET}"), "`..` half encoded (`.%2e`)"),
        (
            format!("/nested/deeper/..%2f..%2f..%2f{SECRET}"),
            "three `..` with encoded slashes",
        ),
        (
            absolute_secret(t, "%2f"),
            "an absolute path with encoded slashes",
        ),
        (
            format!("/%252e%252e/{SECRET}"),
            "a doubly encoded `..` (decode once only)",
        ),
    ];
    expect_no_escape(t, &server, &attacks)?;
    get_file(t, &server, "/style.css", "style.css").context("after the traversal attempts")
}
