//! The hidden tests of `http_server`: left out of the repository students clone.
use super::*;
use crate::harness::stop::stop_and_continue;
use crate::harness::{compare, Ctx, ResultExt, TestDef, TestResult};
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
        ("page.htm", say("httpd-an-ext-file").arg("ext", ".htm")),
        ("photo.jpg", say("httpd-a-ext-file").arg("ext", ".jpg")),
        ("banner.jpeg", say("httpd-a-ext-file").arg("ext", ".jpeg")),
        ("dot.gif", say("httpd-a-ext-file").arg("ext", ".gif")),
        ("icon.svg", say("httpd-an-ext-file").arg("ext", ".svg")),
        ("archive.bin", say("httpd-unknown-extension")),
        ("LICENSE", say("httpd-no-extension")),
        ("empty.txt", say("httpd-empty-file")),
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
    .map_err(|f| f.say(say("httpd-whole-file-note")))?;
    let what = say("httpd-large-get")
        .arg("size", Arg::Bytes(LARGE as u64))
        .into();
    let checked = check_status(&fetched.resp, 200, &what)
        .and_then(|()| check_length_header(&fetched.resp, LARGE, &what))
        .and_then(|()| {
            match compare::labelled_bytes(
                Label::Phrase(say("httpd-body-word")),
                &data,
                &fetched.resp.body,
            ) {
                None => Ok(()),
                Some(d) => Err(Problem {
                    property: at(&what, say("httpd-differs-from-file")),
                    detail: Some(Box::new(d)),
                }),
            }
        });
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
    let steps = [
        ("index.html", false, "httpd-pipelined-first"),
        ("data.json", true, "httpd-pipelined-second"),
        ("logo.png", false, "httpd-pipelined-third"),
    ];
    let mut after_head = false;
    for (rel, head_only, what) in steps {
        let what = say(what).into();
        expect_file_response(&mut s, rel, head_only, &what).map_err(|f| {
            if after_head && f.property.contains("status line") {
                f.say(say("httpd-head-no-body-note"))
            } else {
                keep_alive_note(f.say(say("httpd-pipelined-note")))
            }
        })?;
        after_head = head_only;
    }
    Ok(())
}

fn request_bodies(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let note = || say("httpd-request-body-note");
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
    let what = say("httpd-post-with-body").into();
    let resp = read_response(&mut s, false, &what)?;
    check_not_allowed(&resp, &what).map_err(|p| session_failure(&s, p))?;
    exchange_file(
        &mut s,
        &get("/style.css", addr),
        "style.css",
        false,
        &say("httpd-get-after-post").into(),
    )
    .map_err(|f| keep_alive_note(f.say(note())))?;

    // A GET whose body looks like a request, in the same write.
    let fake = format!("GET /notes.txt HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let mut with_body = request(
        "GET",
        "/data.json",
        addr,
        &format!("Content-Length: {}\r\n", fake.len()),
    );
    with_body.extend_from_slice(fake.as_bytes());
    exchange_file(
        &mut s,
        &with_body,
        "data.json",
        false,
        &say("httpd-get-with-body").into(),
    )
    .map_err(|f| f.say(note()))?;
    exchange_file(
        &mut s,
        &get("/logo.png", addr),
        "logo.png",
        false,
        &say("httpd-after-get-with-body").into(),
    )
    .map_err(|f| keep_alive_note(f.say(note())))?;

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
    let what = say("httpd-post-in-pieces").into();
    let resp = read_response(&mut s, false, &what)?;
    check_not_allowed(&resp, &what).map_err(|p| session_failure(&s, p))?;
    exchange_file(
        &mut s,
        &get("/notes.txt", addr),
        "notes.txt",
        false,
        &say("httpd-get-after-post-pieces").into(),
    )
    .map_err(|f| keep_alive_note(f.say(note())))
}

fn slow_client(t: &mut Ctx) -> TestResult {
    let server = start(t)?;

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
            say("httpd-while-slow"),
            say("httpd-slow-note"),
        )?;
    }
    expect_file_response(
        &mut slow,
        "notes.txt",
        false,
        &say("httpd-slow-request").into(),
    )
}

fn more_malformed_requests(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let host = server.addr();
    let cases = [
        (
            format!("GET /index.html HTTP/1.1 extra\r\nHost: {host}\r\n\r\n"),
            say("httpd-four-words"),
        ),
        (
            format!("GET /index.html FTP/1.1\r\nHost: {host}\r\n\r\n"),
            say("httpd-not-http-version"),
        ),
        (
            format!("GET /index.html HTTP/1.1\r\nHost: {host}\r\n: no-name\r\n\r\n"),
            say("httpd-no-name"),
        ),
        (
            format!(" /index.html HTTP/1.1\r\nHost: {host}\r\n\r\n"),
            say("httpd-no-method"),
        ),
    ];
    for (raw, what) in cases {
        expect_bad_request(t, &server, raw.as_bytes(), what)?;
    }
    get_file(t, &server, "/style.css", "style.css").context(say("httpd-after-malformed"))
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
    let what = say("httpd-long-head")
        .arg("size", Arg::Bytes(req.len() as u64))
        .arg("count", count)
        .into();
    let note = || {
        say("httpd-long-head-note")
            .arg("size", Arg::Bytes(BIG_HEAD as u64))
            .arg("limit", Arg::Bytes(ENDLESS_HEAD as u64))
    };
    let mut s = t.connect(&server)?;
    exchange_file(&mut s, &req, "index.html", false, &what).map_err(|f| f.say(note()))?;
    exchange_file(
        &mut s,
        &get("/style.css", addr),
        "style.css",
        false,
        &say("httpd-after-long-head")
            .arg("size", Arg::Bytes(BIG_HEAD as u64))
            .into(),
    )
    .map_err(|f| keep_alive_note(f.say(note())))
}

fn endless_request_head(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let limit = Arg::Bytes(ENDLESS_HEAD as u64);
    let what = say("httpd-endless-head").arg("limit", limit.clone()).into();
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
    let note = || say("httpd-endless-note").arg("limit", limit.clone());
    let resp = read_response(&mut s, false, &what).map_err(|f| f.say(note()))?;
    check_status(&resp, 400, &what).map_err(|p| session_failure(&s, p).say(note()))?;
    s.expect_closed()
        .context(what)
        .map_err(|f| f.say(say("httpd-400-close-note")))?;
    get_file(t, &server, "/style.css", "style.css").context(say("httpd-after-head-too-long"))
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
    let note = || say("httpd-repeated-length-note");
    exchange_file(
        &mut s,
        &same,
        "notes.txt",
        false,
        &say("httpd-equal-lengths").arg("n", body.len()).into(),
    )
    .map_err(|f| f.say(note()))?;
    exchange_file(
        &mut s,
        &get("/style.css", addr),
        "style.css",
        false,
        &say("httpd-next-request").into(),
    )
    .map_err(|f| keep_alive_note(f.say(note())))?;
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
        say("httpd-different-lengths")
            .arg("first", 7)
            .arg("second", 8),
    )
    .map_err(|f| f.say(note()))?;
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
        say("httpd-different-lengths")
            .arg("first", 8)
            .arg("second", 7),
    )
    .map_err(|f| f.say(note()))
}

fn stopped_and_continued(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let addr = server.addr();
    let note = || say("httpd-stopped-note");
    let mut s = t.connect(&server)?;
    exchange_file(
        &mut s,
        &get("/index.html", addr),
        "index.html",
        false,
        &say("httpd-a-first-request").into(),
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
        &say("httpd-stopped-mid-request").arg("n", 12).into(),
    )
    .map_err(|f| f.say(note()))?;
    std::thread::sleep(PIECE_PAUSE);
    stop_and_continue(server.pid())?;
    std::thread::sleep(PIECE_PAUSE);
    exchange_file(
        &mut s,
        &get("/data.json", addr),
        "data.json",
        false,
        &say("httpd-idle-while-stopped").into(),
    )
    .map_err(|f| keep_alive_note(f.say(note())))?;
    get_file(t, &server, "/notes.txt", "notes.txt").context(say("httpd-after-stopped"))
}

fn encoded_traversal(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let attacks = [
        (
            format!("/nested/%2f..%2f..%2f{SECRET}"),
            say("httpd-dots-between-slashes").into(),
        ),
        (
            format!("/%2E%2E/{SECRET}"),
            say("httpd-dots-capitals").into(),
        ),
        (
            format!("/..%2f{SECRET}"),
            say("httpd-dots-then-slash").into(),
        ),
        (
            format!("/%2e%2e%2f{SECRET}"),
            say("httpd-dots-all-encoded").into(),
        ),
        (format!("/.%2e/{SECRET}"), say("httpd-dots-half").into()),
        (
            format!("/nested/deeper/..%2f..%2f..%2f{SECRET}"),
            say("httpd-three-dots").into(),
        ),
        (
            absolute_secret(t, "%2f"),
            say("httpd-absolute-encoded").into(),
        ),
        (
            format!("/%252e%252e/{SECRET}"),
            say("httpd-double-encoded").into(),
        ),
    ];
    expect_no_escape(t, &server, &attacks)?;
    get_file(t, &server, "/style.css", "style.css").context(say("httpd-after-traversal"))
}
