//! The hidden tests of `http_server`: left out of the repository students clone.
use super::*;
use crate::harness::stop::stop_and_continue;
use crate::harness::{compare, Ctx, ResultExt, TestDef, TestResult};
use crate::messages;
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
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

/// How long the large file's body may pause before the client gives up.
const LARGE_IDLE: Duration = Duration::from_secs(5);

/// A request head every server must take (request line and headers: a
/// browser with many cookies sends that much).
const BIG_HEAD: usize = 16 * 1024;

/// A request head this long without its blank line gets 400.
const ENDLESS_HEAD: usize = 64 * 1024;

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
