//! Suite of `http_get ADDR PATH OUT_FILE`: an HTTP/1.1 client on a raw TCP
//! socket.
//!
//! The suite plays the server. It accepts the program's connection, reads
//! its request (checking its exact form in the request tests), answers with
//! a response written in one piece or in many (the empty line that ends the
//! head split across two writes, with pauses), and closes its side. Then it
//! compares the exit code (0 for 2xx, 1 for any other status, 2 for a
//! response that is not HTTP or a failed connection), stdout (the response's
//! head, one line each, CR removed) and OUT_FILE (every byte after the empty
//! line: binary, up to 10 MiB).
use std::net::SocketAddr;
use std::time::Duration;

use crate::harness::escape::{escape_bytes, printf_arg, show_line_endings};
use crate::harness::{
    compare, say, Cause, Ctx, Detail, Failure, Label, Listener, ResultExt, RunOutput, Running,
    Session, TestDef, TestResult,
};
use crate::messages;
use crate::text::{Arg, Phrase};

mod hidden;

/// The file the tests ask the program to save the body in.
const OUT_FILE: &str = "body.out";

/// How long the program may take to connect once started.
const CONNECT_WAIT: Duration = Duration::from_secs(5);

/// How long the suite waits for the rest of a request: a client writes it
/// at once.
const REQUEST_WAIT: Duration = Duration::from_secs(3);

/// The longest request head the suite reads.
const MAX_REQUEST: usize = 16 * 1024;

/// How long one write of the response may block (a program that stopped
/// reading).
const WRITE_WAIT: Duration = Duration::from_secs(10);

/// The pause between the pieces of a response sent in pieces: long enough
/// that each piece reaches the program's `read` on its own.
const PIECE_PAUSE: Duration = Duration::from_millis(500);

/// Each run's limit (the program has nothing slow to do).
const RUN_LIMIT: Duration = Duration::from_secs(10);

/// The limit of a test with one exchange or several.
const TEST_LIMIT: Duration = Duration::from_secs(15);

/// Bytes of each transcript piece shown with a failure.
const TRANSCRIPT_SHOWN: usize = 320;

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("simple_get", 3, simple_get)
            .clauses(&[4, 5, 6, 7])
            .timeout(TEST_LIMIT),
        TestDef::visible("request_format", 3, request_format)
            .clauses(&[1, 2, 3])
            .timeout(TEST_LIMIT),
        TestDef::visible("head_split_across_writes", 3, head_split_across_writes)
            .clauses(&[4, 5, 6, 7])
            .timeout(TEST_LIMIT),
        TestDef::visible("binary_body", 3, binary_body)
            .clauses(&[5, 6, 7])
            .timeout(TEST_LIMIT),
        TestDef::visible("not_found", 2, not_found)
            .clauses(&[5, 6, 8])
            .timeout(TEST_LIMIT),
        TestDef::visible("malformed_response", 2, malformed_response)
            .clauses(&[10])
            .timeout(TEST_LIMIT),
        TestDef::visible("connection_refused", 2, connection_refused).clauses(&[9]),
        TestDef::visible("host_name_as_given", 2, host_name_as_given)
            .clauses(&[1, 3])
            .timeout(TEST_LIMIT),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// Responses the suite serves

/// One write of the response, after a pause.
struct Piece {
    pause: Duration,
    bytes: Vec<u8>,
}

/// The response in one write.
fn whole(bytes: Vec<u8>) -> Vec<Piece> {
    vec![Piece {
        pause: Duration::ZERO,
        bytes,
    }]
}

/// What the program must make of a response.
struct Expected {
    code: i32,
    stdout: String,
    body: Vec<u8>,
}

/// A well-formed response (head and body as bytes), and what the program
/// must print, save and exit with.
fn response(status_line: &str, headers: &[(&str, &str)], body: &[u8]) -> (Vec<u8>, Expected) {
    let mut head = format!("{status_line}\r\n");
    let mut stdout = format!("{status_line}\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
        stdout.push_str(&format!("{name}: {value}\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    let status = status_line.split(' ').nth(1).unwrap_or("");
    let code = if status.starts_with('2') { 0 } else { 1 };
    (
        bytes,
        Expected {
            code,
            stdout,
            body: body.to_vec(),
        },
    )
}

/// A shell command that serves the same pieces with OpenBSD netcat, for a
/// student to try their program against (small responses only).
fn nc_command(addr: SocketAddr, pieces: &[Piece]) -> Option<Detail> {
    let total: usize = pieces.iter().map(|p| p.bytes.len()).sum();
    if total > 1024 || pieces.len() > 8 {
        return None;
    }
    let mut script = Vec::new();
    for p in pieces {
        if !p.pause.is_zero() {
            script.push(format!("sleep {}", p.pause.as_secs_f64()));
        }
        if !p.bytes.is_empty() {
            script.push(format!("printf {}", printf_arg(&p.bytes)));
        }
    }
    let script = match script.len() {
        0 => "true".to_string(),
        1 => script.remove(0),
        _ => format!("({})", script.join("; ")),
    };
    Some(Detail::Command {
        label: say("get-same-server").into(),
        command: format!("{script} | nc -N -l {} {}", addr.ip(), addr.port()).into(),
    })
}

// ---------------------------------------------------------------------------
// Playing the server

/// A program started against the suite's listener, its connection accepted.
struct Client {
    running: Running,
    session: Session,
    addr: SocketAddr,
    /// ADDR as given to the program.
    host: String,
}

impl Client {
    /// Adds the command that runs the program to a failure found while it
    /// runs.
    fn with_command(&self, mut f: Failure) -> Failure {
        f.details.insert(
            0,
            Detail::Command {
                label: "run".into(),
                command: self.running.invocation().clone(),
            },
        );
        f
    }
}

/// Starts the program to fetch `path` from a listener of the suite's own,
/// to run at most `limit`, and accepts its connection.
fn start_client(t: &mut Ctx, path: &str, limit: Duration) -> Result<Client, Failure> {
    let listener = t.listen()?;
    let host = listener.addr().to_string();
    start_client_on(t, listener, host, path, limit)
}

/// Starts the program to fetch `path` from `listener`, given as ADDR `host`.
fn start_client_on(
    t: &mut Ctx,
    listener: Listener,
    host: String,
    path: &str,
    limit: Duration,
) -> Result<Client, Failure> {
    let addr = listener.addr();
    let args = [host.clone(), path.to_string(), OUT_FILE.to_string()];
    let running = t.command(&args).timeout(limit).start()?;
    let (session, running) = listener.accept_from(running, CONNECT_WAIT)?;
    Ok(Client {
        running,
        session,
        addr,
        host,
    })
}

/// A request as received: its lines, each with its line ending, the last
/// one empty.
struct Request {
    lines: Vec<Vec<u8>>,
}

/// Reads the request's head, a line at a time, up to its empty line; a
/// line may end in `\r\n` or `\n` here (the request tests check which).
fn read_request(s: &mut Session) -> Result<Request, Failure> {
    s.set_read_timeout(REQUEST_WAIT);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut total = 0;
    loop {
        let line = s
            .recv_until(b"\n", MAX_REQUEST)
            .map_err(|f| request_cut(f, lines.is_empty()))?;
        total += line.len();
        let blank = line == b"\n" || line == b"\r\n";
        lines.push(line);
        if blank {
            return Ok(Request { lines });
        }
        if total > MAX_REQUEST {
            return Err(
                s.fail(say("get-head-too-long").arg("size", Arg::Bytes(MAX_REQUEST as u64)))
            );
        }
    }
}

/// Says what a request that did not come whole lacks (the session's own
/// wording is about servers).
fn request_cut(mut f: Failure, nothing_yet: bool) -> Failure {
    f.property = match (f.cause, nothing_yet) {
        (Cause::Timeout, true) => say("get-no-request").into(),
        (Cause::Timeout, false) => say("get-request-never-ended").into(),
        _ => say("get-closed-mid-request").into(),
    };
    f.cause = Cause::Mismatch;
    f
}

/// Sends the pieces, pausing before each, then closes the sending side: the
/// program reads end of stream. A write that fails (the program stopped
/// reading, or exited) ends the response early; the program's output shows
/// what it missed.
fn serve(s: &mut Session, pieces: &[Piece]) {
    if let Some(stream) = s.tcp_stream() {
        let _ = stream.set_write_timeout(Some(WRITE_WAIT));
    }
    for p in pieces {
        std::thread::sleep(p.pause);
        if s.send(&p.bytes).is_err() {
            break;
        }
    }
    let _ = s.shutdown_write();
}

/// A finished exchange: the program's output, the transcript, and how to
/// reproduce it.
struct Done {
    out: RunOutput,
    session: Session,
    nc: Option<Detail>,
}

/// Adds the command of a server that answers the same, and the transcript,
/// to a failure. Each piece of the transcript is cut to a readable length:
/// the head and the start of a binary body say enough.
fn decorate(mut f: Failure, session: &Session, nc: Option<&Detail>) -> Failure {
    if let Some(nc) = nc {
        f.details.insert(0, nc.clone());
    }
    for mut detail in session.fail("").details {
        if let Detail::Transcript { exchanges, .. } = &mut detail {
            for e in exchanges {
                e.bytes.truncate(TRANSCRIPT_SHOWN);
            }
        }
        f.details.push(detail);
    }
    f
}

impl Done {
    /// Adds the server command and the transcript to a failure of this run.
    fn decorate(&self, f: Failure) -> Failure {
        decorate(f, &self.session, self.nc.as_ref())
    }

    /// A failure of this run, with its command, output and transcript.
    fn fail(&self, property: impl Into<crate::model::Sentence>) -> Failure {
        self.decorate(self.out.fail(property))
    }

    /// The program exited with `code`.
    fn expect_code(&self, code: i32, note: Phrase) -> TestResult {
        if self.out.code == code {
            Ok(())
        } else {
            Err(self
                .fail(messages::wrong_exit_code(code, self.out.code))
                .say(note))
        }
    }

    /// The program printed the head, saved the body, and exited as the
    /// status says.
    fn expect(&self, t: &Ctx, expected: &Expected) -> TestResult {
        let note = say(match (expected.code, self.out.code) {
            (_, 2) => "get-exit-2-note",
            (0, _) => "get-exit-0-note",
            _ => "get-exit-1-note",
        });
        self.expect_code(expected.code, note)?;
        self.out
            .expect_stdout(&expected.stdout)
            .map_err(|f| self.decorate(f).say(say("get-stdout-note")))?;
        compare::file(&t.path(OUT_FILE), "OUT_FILE", &expected.body).map_err(|f| {
            let property = if f.property.contains("not created") {
                say("get-out-not-created")
            } else {
                say("get-out-not-body")
            };
            let mut g = self.fail(property);
            g.details.extend(f.details);
            g.say(say("get-body-note"))
        })
    }

    /// The program refused a response that is not HTTP: exit 2, a message.
    fn expect_refused_response(&self, what: Phrase) -> TestResult {
        self.expect_code(2, say("get-malformed-note"))
            .context(what.clone())?;
        self.out
            .expect_stderr_nonempty()
            .map_err(|f| self.decorate(f))
            .context(what)
    }
}

/// Waits for the program to exit after the response.
fn finish(client: Client, nc: Option<Detail>) -> Result<Done, Failure> {
    let Client {
        running, session, ..
    } = client;
    match running.finish() {
        Ok(out) => Ok(Done { out, session, nc }),
        Err(f) => {
            let f = if f.cause == Cause::Timeout {
                f.say(say("get-read-to-end-note"))
            } else {
                f
            };
            Err(decorate(f, &session, nc.as_ref()))
        }
    }
}

/// One exchange: the program fetches `path`, the suite reads its request
/// (leniently) and answers with `pieces`.
fn exchange(t: &mut Ctx, path: &str, pieces: &[Piece]) -> Result<Done, Failure> {
    let mut client = start_client(t, path, RUN_LIMIT)?;
    let nc = nc_command(client.addr, pieces);
    read_request(&mut client.session).map_err(|f| client.with_command(f))?;
    serve(&mut client.session, pieces);
    finish(client, nc)
}

/// An exchange whose response comes in one write, checked against what it
/// must produce.
fn fetch_and_check(t: &mut Ctx, path: &str, bytes: Vec<u8>, expected: &Expected) -> TestResult {
    let done = exchange(t, path, &whole(bytes))?;
    done.expect(t, expected)
}

// ---------------------------------------------------------------------------
// Checking the request

/// Checks the request's exact form: `GET PATH HTTP/1.1`, a `Host` header
/// with ADDR as given, `Connection: close`, CRLF line endings, nothing after
/// the empty line.
fn check_request(s: &Session, req: &Request, path: &str, addr: &str) -> TestResult {
    let expected = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let fail = |property: Phrase| {
        s.fail(property)
            .text(say("get-expected-label"), show_line_endings(&expected))
    };
    if let Some(i) = req.lines.iter().position(|l| !l.ends_with(b"\r\n")) {
        return Err(fail(match i {
            0 => say("get-request-line-lf"),
            i if i + 1 == req.lines.len() => say("get-empty-line-lf"),
            i => say("get-header-line-lf").arg("i", i),
        }));
    }
    let request_line = &req.lines[0];
    let want = format!("GET {path} HTTP/1.1\r\n");
    if request_line.as_slice() != want.as_bytes() {
        return Err(
            fail(say("get-not-get-line")).with_opt(compare::labelled_bytes(
                Label::Phrase(say("get-request-line-label")),
                want.as_bytes(),
                request_line,
            )),
        );
    }
    let mut headers = Vec::new();
    for line in &req.lines[1..req.lines.len() - 1] {
        let text = String::from_utf8_lossy(&line[..line.len() - 2]).into_owned();
        match text.split_once(':') {
            Some((name, value)) if !name.is_empty() && !name.contains([' ', '\t']) => {
                headers.push((name.to_string(), value.trim().to_string()));
            }
            _ => {
                return Err(fail(say("get-not-name-value"))
                    .say(say("get-the-line").arg("line", escape_bytes(line))))
            }
        }
    }
    let named = |wanted: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(wanted))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    match named("host").as_slice() {
        [] => return Err(fail(say("get-no-host"))),
        [value] if *value == addr => {}
        [value] => {
            return Err(fail(say("get-host-not-addr")).say(
                say("get-host-received")
                    .arg("got", escape_bytes(value.as_bytes()))
                    .arg("addr", addr),
            ))
        }
        _ => return Err(fail(say("get-two-hosts"))),
    }
    if !named("connection")
        .iter()
        .any(|v| v.eq_ignore_ascii_case("close"))
    {
        return Err(fail(say("get-no-close")));
    }
    if !s.pending().is_empty() {
        return Err(fail(say("get-bytes-after")));
    }
    Ok(())
}

/// Fetches `path` and checks the request it sends.
fn expect_request(t: &mut Ctx, path: &str) -> TestResult {
    let client = start_client(t, path, RUN_LIMIT)?;
    expect_request_of(client, path)
}

/// Reads the request of a started client, checks it, and answers it.
fn expect_request_of(mut client: Client, path: &str) -> TestResult {
    let host = client.host.clone();
    let req = read_request(&mut client.session).map_err(|f| client.with_command(f))?;
    check_request(&client.session, &req, path, &host).map_err(|f| client.with_command(f))?;
    let (bytes, _) = response(
        "HTTP/1.1 200 OK",
        &[("Content-Type", "text/plain"), ("Content-Length", "3")],
        b"ok\n",
    );
    let pieces = whole(bytes);
    serve(&mut client.session, &pieces);
    // Only the request is checked here; the program must still finish.
    finish(client, None).map(|_| ())
}

// ---------------------------------------------------------------------------
// The tests: requests

fn request_format(t: &mut Ctx) -> TestResult {
    expect_request(t, "/index.html")
}

fn host_name_as_given(t: &mut Ctx) -> TestResult {
    // ADDR is a name: `Host` carries the name as given, not the IP address
    // it resolved to or the connection's peer address.
    let listener = t.listen_localhost()?;
    let host = format!("localhost:{}", listener.addr().port());
    let client = start_client_on(t, listener, host, "/about.html", RUN_LIMIT)?;
    expect_request_of(client, "/about.html").map_err(|f| f.say(say("get-localhost-note")))
}

// ---------------------------------------------------------------------------
// The tests: responses

fn simple_get(t: &mut Ctx) -> TestResult {
    let body = "你好，HTTP！\nA page fetched over a raw TCP socket.\n";
    let len = body.len().to_string();
    let (bytes, expected) = response(
        "HTTP/1.1 200 OK",
        &[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", &len),
            ("Connection", "close"),
        ],
        body.as_bytes(),
    );
    fetch_and_check(t, "/hello.txt", bytes, &expected)
}

fn not_found(t: &mut Ctx) -> TestResult {
    let body = "<!DOCTYPE html>\n<html><body><h1>404 Not Found</h1></body></html>\n";
    let len = body.len().to_string();
    let (bytes, expected) = response(
        "HTTP/1.1 404 Not Found",
        &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", &len),
            ("Connection", "close"),
        ],
        body.as_bytes(),
    );
    fetch_and_check(t, "/no-such-page.html", bytes, &expected)
}

fn head_split_across_writes(t: &mut Ctx) -> TestResult {
    // No Content-Length: the body ends when the server closes.
    let (bytes, expected) = response(
        "HTTP/1.1 200 OK",
        &[("Content-Type", "text/plain"), ("X-Split", "yes")],
        b"The first half of the body, and after a pause,\nthe second half.\n",
    );
    let blank = find(&bytes, b"\r\n\r\n").expect("a response has an empty line") + 3;
    let cuts = [0, 30, blank, blank + 30, bytes.len()];
    let pieces: Vec<Piece> = cuts
        .windows(2)
        .enumerate()
        .map(|(i, w)| Piece {
            pause: if i == 0 { Duration::ZERO } else { PIECE_PAUSE },
            bytes: bytes[w[0]..w[1]].to_vec(),
        })
        .collect();
    let done = exchange(t, "/split.txt", &pieces)?;
    done.expect(t, &expected)
        .map_err(|f| f.say(say("get-split-note")))
}

/// `n` random bytes with `\r\n\r\n` inside, so that only the first empty
/// line of the response ends its head.
fn binary(t: &Ctx, n: usize) -> Vec<u8> {
    let mut body = vec![0u8; n];
    t.rng().fill(&mut body);
    for at in [0, n / 3, n - 4] {
        body[at..at + 4].copy_from_slice(b"\r\n\r\n");
    }
    // Bytes that are never UTF-8.
    body[n / 2] = 0xff;
    body[n / 2 + 1] = 0xfe;
    body
}

fn binary_body(t: &mut Ctx) -> TestResult {
    let body = binary(t, 64 * 1024);
    let len = body.len().to_string();
    let (bytes, expected) = response(
        "HTTP/1.1 200 OK",
        &[
            ("Content-Type", "application/octet-stream"),
            ("Content-Length", &len),
            ("Connection", "close"),
        ],
        &body,
    );
    fetch_and_check(t, "/data.bin", bytes, &expected)
}

/// Serves `bytes` (possibly nothing) and expects exit 2 with a message.
fn expect_malformed(t: &mut Ctx, bytes: &[u8], what: Phrase) -> TestResult {
    let done = exchange(t, "/index.html", &whole(bytes.to_vec()))?;
    done.expect_refused_response(what)
}

fn malformed_response(t: &mut Ctx) -> TestResult {
    expect_malformed(t, b"garbage\r\n\r\n", say("get-not-http"))?;
    expect_malformed(t, b"", say("get-closes-silently"))
}

fn connection_refused(t: &mut Ctx) -> TestResult {
    // A fresh address: nothing listens there.
    let addr = t.addr();
    let out = t.run(&[addr.to_string(), "/".to_string(), OUT_FILE.to_string()])?;
    out.expect_code(2)
        .map_err(|f| f.say(say("get-refused-note")))?;
    out.expect_stderr_nonempty()
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
