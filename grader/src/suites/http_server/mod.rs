//! Suite of `http_server ADDR WEBROOT`: a static file server over HTTP/1.1.
//!
//! Ordinary requests go through a real HTTP client library (`ureq`); the
//! cases where the bytes on the wire matter (requests in pieces, keep-alive,
//! pipelining, HEAD, malformed requests, path traversal) use raw loopback
//! [`Session`]s and parse the responses here. Every test writes the same web
//! root into its directory, with a `secret.txt` beside it (outside WEBROOT)
//! whose marker must never appear in a response.
//!
//! Beside this file: `check.rs` checks a response, `fetch.rs` sends a
//! request through the client library, `raw.rs` sends one on a session and
//! reads its response; `hidden.rs` holds the hidden tests.
use std::net::SocketAddr;
use std::time::Duration;

use crate::harness::escape::{escape_bytes, shell_quote};
use crate::harness::{
    compare, say, Cause, Ctx, Detail, Failure, Label, ResultExt, Server, Session, TestDef,
    TestResult,
};
use crate::model::Sentence;
use crate::text::{Arg, Phrase};

mod check;
mod fetch;
mod hidden;
mod raw;

use check::*;
use fetch::*;
use raw::*;

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
    get_not_found(t, &server, "/files/").context(say("httpd-dir-without-index"))?;
    get_not_found(t, &server, "/nested/deeper/").context(say("httpd-dir-without-index"))
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
        .context(say("httpd-escaped-space"))?;
    get_file(t, &server, "/%69ndex.%68tml", "index.html").context(say("httpd-escaped-letters"))?;
    get_file(t, &server, "/style.css?v=2", "style.css").context(say("httpd-query-ignored"))?;
    get_file(t, &server, "/?lang=zh&page=1", "index.html").context(say("httpd-query-ignored"))?;
    get_file(t, &server, "/nested/?x=%2e%2e", "nested/index.html")
        .context(say("httpd-query-ignored"))
}

// ---------------------------------------------------------------------------
// The tests: connections

fn keep_alive(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let mut s = t.connect(&server)?;
    let steps = [
        ("/", "index.html", "httpd-first-request"),
        ("/style.css", "style.css", "httpd-second-request"),
        ("/logo.png", "logo.png", "httpd-third-request"),
    ];
    for (path, rel, what) in steps {
        let what = say(what).into();
        exchange_file(&mut s, &get(path, addr), rel, false, &what).map_err(keep_alive_note)?;
    }
    Ok(())
}

fn closes_when_asked(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    {
        let mut s = t.connect(&server)?;
        let req = request("GET", "/style.css", addr, "Connection: close\r\n");
        let what = say("httpd-with-close").into();
        exchange_file(&mut s, &req, "style.css", false, &what)?;
        s.expect_closed()
            .context(what)
            .map_err(|f| f.say(say("httpd-close-note")))?;
    }
    let mut s = t.connect(&server)?;
    let req = b"GET /data.json HTTP/1.0\r\n\r\n";
    let what = say("httpd-http10").into();
    exchange_file(&mut s, req, "data.json", false, &what)?;
    s.expect_closed()
        .context(what)
        .map_err(|f| f.say(say("httpd-http10-note")))
}

fn split_request(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let mut s = t.connect(&server)?;
    let note = || say("httpd-pieces-note");
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
            .say(note())
    };
    for piece in &first {
        s.send(piece.as_bytes())?;
        std::thread::sleep(PIECE_PAUSE);
    }
    let what = say("httpd-four-pieces").into();
    expect_file_response(&mut s, "style.css", false, &what).map_err(in_pieces)?;
    for piece in &second {
        s.send(piece.as_bytes())?;
        std::thread::sleep(PIECE_PAUSE);
    }
    let what = say("httpd-second-in-pieces").into();
    expect_file_response(&mut s, "data.json", false, &what)
        .map_err(|f| keep_alive_note(in_pieces(f)))
}

fn silent_client(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let note = || say("httpd-thread-note");
    // Connects and sends nothing, for the whole test.
    let _silent = t.connect(&server)?;
    fetch_while_waiting(
        t,
        &server,
        "/style.css",
        "style.css",
        say("httpd-while-silent"),
        note(),
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
        say("httpd-while-half"),
        note(),
    )?;
    // The half request, completed, is served too.
    half.send(rest.as_bytes())?;
    let what = say("httpd-completed-after").into();
    expect_file_response(&mut half, "notes.txt", false, &what).map_err(|f| {
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
    situation: Phrase,
    note: Phrase,
) -> TestResult {
    let fetched = fetch(t, server, Method::Get, path, CONCURRENT_WAIT)
        .map_err(|f| {
            if f.cause == Cause::Timeout {
                f.say(note)
            } else {
                f
            }
        })
        .context(situation.clone())?;
    check_file(&fetched.resp, rel, false, &named(format!("GET {path}")))
        .map_err(|p| fetched_failure(server, &fetched, p))
        .context(situation)
}

// ---------------------------------------------------------------------------
// The tests: methods and malformed requests

fn head_request(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let note = || say("httpd-head-note");
    // Through a client library first: the GET's headers, no body.
    let fetched = fetch(t, &server, Method::Head, "/index.html", t.remaining())?;
    check_file(
        &fetched.resp,
        "index.html",
        true,
        &named("HEAD /index.html".into()),
    )
    .map_err(|p| fetched_failure(&server, &fetched, p))?;
    {
        let mut s = t.connect(&server)?;
        let what = named("HEAD /style.css".into());
        exchange_file(
            &mut s,
            &request("HEAD", "/style.css", addr, ""),
            "style.css",
            true,
            &what,
        )?;
        // The response to the next request must follow the HEAD's headers.
        s.send(&get("/data.json", addr))?;
        expect_next_response(&mut s, "data.json", say("httpd-get-after-head"), note())?;
        let what = named("HEAD /no-such-file.txt".into());
        s.send(&request("HEAD", "/no-such-file.txt", addr, ""))?;
        let resp = read_response(&mut s, true, &what)?;
        check_not_found(&resp, true, &what).map_err(|p| session_failure(&s, p))?;
        s.send(&get("/notes.txt", addr))?;
        expect_next_response(&mut s, "notes.txt", say("httpd-get-after-head-404"), note())?;
    }
    let mut s = t.connect(&server)?;
    let what = say("httpd-head-with-close")
        .arg("request", "HEAD /logo.png")
        .into();
    exchange_file(
        &mut s,
        &request("HEAD", "/logo.png", addr, "Connection: close\r\n"),
        "logo.png",
        true,
        &what,
    )?;
    s.expect_closed().context(what).map_err(|f| f.say(note()))
}

/// Reads the response that follows a HEAD response and expects `rel`; bytes
/// before its status line are a body the HEAD response should not have had.
fn expect_next_response(s: &mut Session, rel: &str, what: Phrase, note: Phrase) -> TestResult {
    let what = Sentence::from(what);
    let resp = read_response(s, false, &what).map_err(|f| {
        if f.property.contains("status line") {
            let mut f = f.say(note);
            f.property = at(&what, say("httpd-head-carried-body"));
            f
        } else {
            f
        }
    })?;
    check_file(&resp, rel, false, &what).map_err(|p| session_failure(s, p))
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
        let what = named(
            String::from_utf8_lossy(req.split(|&b| b == b'\r').next().unwrap_or(&[])).into_owned(),
        );
        let mut s = t.connect(&server)?;
        s.send(&req)?;
        let resp = read_response(&mut s, false, &what)?;
        check_not_allowed(&resp, &what).map_err(|p| session_failure(&s, p))?;
    }
    Ok(())
}

/// Sends a malformed request and expects a 400, then the connection closed.
fn expect_bad_request(t: &Ctx, server: &Server, raw: &[u8], what: Phrase) -> TestResult {
    let what = Sentence::from(what);
    let mut s = t.connect(server)?;
    s.send(raw)?;
    let resp = read_response(&mut s, false, &what)?;
    check_status(&resp, 400, &what).map_err(|p| session_failure(&s, p))?;
    s.expect_closed()
        .context(what)
        .map_err(|f| f.say(say("httpd-400-close-note")))
}

fn malformed_requests(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let host = server.addr();
    let cases = [
        (b"HELLO\r\n\r\n".to_vec(), say("httpd-one-word")),
        (b"GET /index.html\r\n\r\n".to_vec(), say("httpd-no-version")),
        (
            format!("GET /index.html HTTP/1.1\r\nHost: {host}\r\nAccept text/html\r\n\r\n")
                .into_bytes(),
            say("httpd-no-colon"),
        ),
    ];
    for (raw, what) in cases {
        expect_bad_request(t, &server, &raw, what)?;
    }
    // The server is still fine for the next client.
    get_file(t, &server, "/style.css", "style.css").context(say("httpd-after-malformed"))
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
fn expect_no_escape(t: &Ctx, server: &Server, attacks: &[(String, Sentence)]) -> TestResult {
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
                .fail(at(what, say("httpd-leak")))
                .say(say("httpd-secret-note"))
                .say(say("httpd-traversal-note")));
        }
        let resp = resp?;
        if resp.status != 403 && resp.status != 404 {
            return Err(s.fail(at(
                what,
                say("httpd-status-403-404").arg("status", u32::from(resp.status)),
            )));
        }
        server.expect_running()?;
    }
    Ok(())
}

fn path_traversal(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let attacks = [
        (format!("/../{SECRET}"), named(format!("/../{SECRET}"))),
        (
            format!("/nested/../../{SECRET}"),
            named(format!("/nested/../../{SECRET}")),
        ),
        (
            format!("/%2e%2e/{SECRET}"),
            named(format!("/%2e%2e/{SECRET}")),
        ),
        (absolute_secret(t, "/"), say("httpd-absolute-path").into()),
    ];
    expect_no_escape(t, &server, &attacks)?;
    get_file(t, &server, "/style.css", "style.css").context(say("httpd-after-traversal"))
}
