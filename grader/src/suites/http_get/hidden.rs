//! The hidden tests of `http_get`: left out of the repository students clone.
use super::*;
use crate::harness::{
    Cause, Ctx, Detail, Failure, ResultExt, RunOutput, Running, TestDef, TestResult,
};
use crate::text::{Arg, Phrase};
use std::time::{Duration, Instant};

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("request_with_query", 2, request_with_query)
            .clauses(&[1, 2, 3])
            .timeout(TEST_LIMIT),
        TestDef::hidden("other_statuses", 3, other_statuses)
            .clauses(&[5, 6, 7, 8])
            .timeout(Duration::from_secs(30)),
        TestDef::hidden("status_without_reason", 2, status_without_reason)
            .clauses(&[5, 6, 7, 8, 10])
            .timeout(Duration::from_secs(20)),
        TestDef::hidden("tiny_writes", 2, tiny_writes)
            .clauses(&[4, 5, 6, 7])
            .timeout(TEST_LIMIT),
        TestDef::hidden("more_malformed_responses", 2, more_malformed_responses)
            .clauses(&[10])
            .timeout(Duration::from_secs(20)),
        TestDef::hidden("long_response_head", 2, long_response_head)
            .clauses(&[5, 11])
            .timeout(TEST_LIMIT),
        TestDef::hidden("endless_response_head", 2, endless_response_head)
            .clauses(&[11])
            .timeout(TEST_LIMIT),
        TestDef::hidden("reset_during_body", 2, reset_during_body)
            .clauses(&[12])
            .timeout(TEST_LIMIT),
        TestDef::hidden("large_binary_body", 3, large_binary_body)
            .clauses(&[4, 6, 7])
            .timeout(Duration::from_secs(60))
            .cpu_heavy(),
    ]
}

/// The pause between tiny writes.
const TINY_PAUSE: Duration = Duration::from_millis(15);

/// The size of the large body.
const LARGE: usize = 10 << 20;

/// A response head this long without its end must be refused.
const ENDLESS_HEAD: usize = 64 * 1024;

fn request_with_query(t: &mut Ctx) -> TestResult {
    let word = t.rng().word(8);
    expect_request(t, &format!("/files/{word}%20notes.txt?lang=zh-CN&page=2"))
}

fn large_binary_body(t: &mut Ctx) -> TestResult {
    let body = binary(t, LARGE);
    let len = body.len().to_string();
    let (bytes, expected) = response(
        "HTTP/1.1 200 OK",
        &[
            ("Content-Type", "application/octet-stream"),
            ("Content-Length", &len),
        ],
        &body,
    );
    let mut client = start_client(t, "/big.bin", Duration::from_secs(45))?;
    read_request(&mut client.session).map_err(|f| client.with_command(f))?;
    serve(&mut client.session, &whole(bytes));
    let done = finish(client, None)?;
    done.expect(t, &expected)
}

fn tiny_writes(t: &mut Ctx) -> TestResult {
    let (bytes, expected) = response(
        "HTTP/1.1 200 OK",
        &[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("X-Note", "written a few bytes at a time"),
        ],
        "一点一点地到达的响应。\n".as_bytes(),
    );
    // Three bytes a write; the empty line is split in its middle, with a
    // longer pause there.
    let blank = find(&bytes, b"\r\n\r\n").expect("a response has an empty line") + 2;
    let mut pieces = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let end = if at < blank {
            (at + 3).min(blank)
        } else {
            (at + 3).min(bytes.len())
        };
        pieces.push(Piece {
            pause: match at {
                0 => Duration::ZERO,
                a if a == blank => PIECE_PAUSE,
                _ => TINY_PAUSE,
            },
            bytes: bytes[at..end].to_vec(),
        });
        at = end;
    }
    let done = exchange(t, "/slow.txt", &pieces)?;
    done.expect(t, &expected)
}

fn other_statuses(t: &mut Ctx) -> TestResult {
    // 201, into an OUT_FILE that already holds something longer.
    t.write_quietly(
        OUT_FILE,
        "an older, longer file that must not survive\n".repeat(20),
    )?;
    let body = b"{\"id\": 7}\n";
    let (bytes, expected) = response(
        "HTTP/1.1 201 Created",
        &[
            ("content-type", "application/json"),
            ("location", "http://127.0.0.1/items/7"),
            ("x-request-time", "12:30:45"),
        ],
        body,
    );
    fetch_and_check(t, "/items", bytes, &expected).context(say("get-201"))?;

    let (bytes, expected) = response(
        "HTTP/1.1 204 No Content",
        &[("X-Request-Id", "empty-204"), ("Connection", "close")],
        b"",
    );
    fetch_and_check(t, "/empty", bytes, &expected).context(say("get-204"))?;

    let body = b"<html><body>Moved to <a href=\"/new\">/new</a></body></html>\n";
    let (bytes, expected) = response(
        "HTTP/1.1 301 Moved Permanently",
        &[("Location", "/new"), ("Content-Type", "text/html")],
        body,
    );
    fetch_and_check(t, "/old", bytes, &expected).context(say("get-301"))?;

    let body = b"Internal error: the database is asleep.\n";
    let (bytes, expected) = response(
        "HTTP/1.1 500 Internal Server Error",
        &[("Content-Type", "text/plain"), ("Connection", "close")],
        body,
    );
    fetch_and_check(t, "/broken", bytes, &expected).context(say("get-500"))
}

fn status_without_reason(t: &mut Ctx) -> TestResult {
    // The reason phrase is optional: `HTTP/1.1 200` is a whole status line.
    let body = t.rng().word(12);
    let (bytes, expected) = response(
        "HTTP/1.1 200",
        &[("Content-Type", "text/plain"), ("Connection", "close")],
        body.as_bytes(),
    );
    fetch_and_check(t, "/terse", bytes, &expected)
        .context(say("get-without-reason").arg("status", "HTTP/1.1 200"))?;
    let (bytes, expected) = response("HTTP/1.0 404", &[("Content-Type", "text/plain")], b"gone\n");
    fetch_and_check(t, "/gone", bytes, &expected)
        .context(say("get-without-reason").arg("status", "HTTP/1.0 404"))
}

fn more_malformed_responses(t: &mut Ctx) -> TestResult {
    expect_malformed(
        t,
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n",
        say("get-ends-before-empty"),
    )?;
    expect_malformed(
        t,
        b"HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n",
        say("get-no-status-code"),
    )?;
    expect_malformed(
        t,
        b"HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
        say("get-four-digits"),
    )?;
    expect_malformed(
        t,
        b"200 OK\r\nContent-Length: 2\r\n\r\nok",
        say("get-no-version"),
    )
}

/// Waits for the program's exit once the suite is done with the
/// connection, whose transcript is `transcript`; a program still running at
/// its limit gets `note`.
fn finish_with(
    running: Running,
    transcript: Vec<Detail>,
    note: Phrase,
) -> Result<RunOutput, Failure> {
    running.finish().map_err(|mut f| {
        f.details.extend(transcript.iter().cloned());
        if f.cause == Cause::Timeout {
            f.say(note)
        } else {
            f
        }
    })
}

fn long_response_head(t: &mut Ctx) -> TestResult {
    // A head of almost 16 KiB: many cookies, as a web application sets them.
    let mut rng = t.rng();
    let values: Vec<String> = (1..=64)
        .map(|i| format!("c{i}={}; Path=/; HttpOnly", rng.word(200)))
        .collect();
    let mut headers: Vec<(&str, &str)> = vec![("Content-Type", "text/plain")];
    headers.extend(values.iter().map(|v| ("Set-Cookie", v.as_str())));
    let (bytes, expected) = response("HTTP/1.1 200 OK", &headers, b"the body after a long head\n");
    fetch_and_check(t, "/cookies", bytes, &expected)
        .context(
            say("get-long-head")
                .arg("size", Arg::Bytes(16 << 10))
                .arg("count", values.len()),
        )
        .map_err(|f| {
            f.say(
                say("get-long-head-note")
                    .arg("size", Arg::Bytes(16 << 10))
                    .arg("limit", Arg::Bytes(ENDLESS_HEAD as u64)),
            )
        })
}

fn endless_response_head(t: &mut Ctx) -> TestResult {
    let mut client = start_client(t, "/index.html", RUN_LIMIT)?;
    read_request(&mut client.session).map_err(|f| client.with_command(f))?;
    let limit = Arg::Bytes(ENDLESS_HEAD as u64);
    let what = say("get-endless-head").arg("limit", limit.clone());
    let note = say("get-endless-note").arg("limit", limit);
    // A first piece of an odd size, then header lines up to twice the
    // limit, and the connection left open: a program without a limit waits
    // for ever.
    let s = &mut client.session;
    if let Some(stream) = s.tcp_stream() {
        let _ = stream.set_write_timeout(Some(WRITE_WAIT));
    }
    let _ = s.send(b"HTTP/1.1 200 OK\r\n");
    std::thread::sleep(PIECE_PAUSE);
    let mut rest = Vec::new();
    let mut i = 0;
    while rest.len() < 2 * ENDLESS_HEAD {
        i += 1;
        rest.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "f".repeat(100)).as_bytes());
    }
    // Not recorded (128 KiB); the program may be gone before all of it.
    if let Some(stream) = s.tcp_stream() {
        let _ = std::io::Write::write_all(&mut &*stream, &rest);
    }
    let Client {
        running, session, ..
    } = client;
    let transcript = session.fail("").details;
    let out = finish_with(running, transcript.clone(), note.clone())?;
    let fail = |f: Failure| {
        let mut f = f.context(what.clone()).say(note.clone());
        f.details.extend(transcript.iter().cloned());
        f
    };
    out.expect_code(2).map_err(fail)?;
    out.expect_stderr_nonempty().map_err(fail)
}

fn reset_during_body(t: &mut Ctx) -> TestResult {
    let body = binary(t, 64 * 1024);
    let (bytes, _) = response(
        "HTTP/1.1 200 OK",
        &[("Content-Type", "application/octet-stream")],
        &body,
    );
    let sent = bytes.len() - 40 * 1024;
    let mut client = start_client(t, "/data.bin", RUN_LIMIT)?;
    read_request(&mut client.session).map_err(|f| client.with_command(f))?;
    let head = bytes.len() - body.len();
    let what = say("get-reset-mid-body").arg("size", Arg::Bytes((sent - head) as u64));
    let note = say("get-reset-note");
    let s = &mut client.session;
    if let Some(stream) = s.tcp_stream() {
        let _ = stream.set_write_timeout(Some(WRITE_WAIT));
    }
    let _ = s.send(&bytes[..sent]);
    // Every byte delivered to the program's socket before the reset, so
    // that what it reads first is all of it, then the reset.
    if let Some(stream) = s.tcp_stream() {
        let until = Instant::now() + WRITE_WAIT;
        while unacknowledged(stream) > 0 && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    std::thread::sleep(PIECE_PAUSE);
    let Client {
        running, session, ..
    } = client;
    let transcript = session.fail("").details;
    session.reset();
    let out = finish_with(running, transcript.clone(), note.clone())?;
    let fail = |f: Failure| {
        let mut f = f.context(what.clone()).say(note.clone());
        f.details.extend(transcript.iter().cloned());
        f
    };
    out.expect_code(2).map_err(fail)?;
    out.expect_stderr_nonempty().map_err(fail)
}

/// The bytes sent on `stream` that the peer has not acknowledged yet.
fn unacknowledged(stream: &std::net::TcpStream) -> libc::c_int {
    let mut n: libc::c_int = 0;
    let fd = std::os::fd::AsRawFd::as_raw_fd(stream);
    // SAFETY: TIOCOUTQ writes one int, to a variable of ours.
    if unsafe { libc::ioctl(fd, libc::TIOCOUTQ, &mut n) } == 0 {
        n
    } else {
        0
    }
}
