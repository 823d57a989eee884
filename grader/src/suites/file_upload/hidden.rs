//! The hidden tests of `file_upload`: left out of the repository students clone.
use super::*;
use crate::harness::{compare, say, Cause, Ctx, Failure, ResultExt, Session, TestDef, TestResult};
use crate::model::Sentence;
use crate::text::{Arg, Phrase};
use std::os::fd::AsRawFd;
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden(
            "content_with_newlines_and_markers",
            2,
            content_with_newlines_and_markers,
        )
        .clauses(&[2]),
        TestDef::hidden("malformed_headers", 3, malformed_headers).clauses(&[7]),
        TestDef::hidden("size_with_a_sign", 2, size_with_a_sign).clauses(&[7]),
        TestDef::hidden("more_bad_names", 2, more_bad_names).clauses(&[5]),
        TestDef::hidden("valid_unusual_names", 2, valid_unusual_names).clauses(&[6]),
        TestDef::hidden(
            "aborted_upload_keeps_old_file",
            3,
            aborted_upload_keeps_old_file,
        )
        .timeout(Duration::from_secs(20))
        .clauses(&[3, 8]),
        TestDef::hidden("survives_bad_clients", 2, survives_bad_clients)
            .timeout(Duration::from_secs(20))
            .clauses(&[8, 9]),
        TestDef::hidden("huge_size_announced", 3, huge_size_announced)
            .timeout(Duration::from_secs(30))
            .clauses(&[11]),
        TestDef::hidden("refuses_dot_name", 1, refuses_dot_name)
            .timeout(Duration::from_secs(30))
            .clauses(&[5]),
        TestDef::hidden("refuses_dot_dot_name", 1, refuses_dot_dot_name)
            .timeout(Duration::from_secs(30))
            .clauses(&[5]),
        TestDef::hidden(
            "failed_uploads_leave_nothing",
            2,
            failed_uploads_leave_nothing,
        )
        .timeout(Duration::from_secs(30))
        .clauses(&[8]),
        TestDef::hidden("header_line_too_long", 2, header_line_too_long)
            .timeout(Duration::from_secs(20))
            .clauses(&[13]),
        TestDef::hidden("large_binary_upload", 4, large_binary_upload)
            .timeout(Duration::from_secs(60))
            .clauses(&[10])
            .cpu_heavy(),
    ]
}

/// The size of the large upload.
const LARGE: usize = 64 << 20;

/// How long the reply to the large upload may take once it is sent.
const LARGE_REPLY: Duration = Duration::from_secs(30);

/// How long a server is given to remove the temporary file of an upload cut
/// short, once the connection has ended. A correct server does it at once,
/// so this only bounds how late a wrong one is caught.
const CLEAN_WAIT: Duration = Duration::from_secs(10);

/// A header line this long without `\n` must be refused (clause 13).
const LONG_HEADER: usize = 64 * 1024;

/// An announced SIZE far beyond any memory: 1 TiB.
const HUGE: u64 = 1 << 40;

/// The bytes sent on `stream` that the peer has not acknowledged yet.
fn unacknowledged(stream: &std::net::TcpStream) -> libc::c_int {
    let mut n: libc::c_int = 0;
    // SAFETY: TIOCOUTQ writes one int, to a variable of ours.
    let ok = unsafe { libc::ioctl(stream.as_raw_fd(), libc::TIOCOUTQ, &mut n) } == 0;
    if ok {
        n
    } else {
        0
    }
}

fn content_with_newlines_and_markers(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let text = b"## not the end\nnotes.txt 12\n\r\n\n##\nline\r\nlast line##";
    upload(
        t,
        &server,
        "notes.md",
        text,
        &say("upload-newlines-markers").into(),
    )?;
    upload(
        t,
        &server,
        "empty.txt",
        b"",
        &say("upload-empty-file").into(),
    )?;
    let mut binary = t.rng().bytes(5000);
    binary[0] = b'\n';
    binary[1..3].copy_from_slice(b"##");
    *binary.last_mut().expect("not empty") = b'\n';
    upload(
        t,
        &server,
        "blob.bin",
        &binary,
        &say("upload-binary-newlines").into(),
    )
}

fn valid_unusual_names(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases = [
        (".hidden", say("upload-name-dot-start")),
        ("v1..2.txt", say("upload-name-dots-inside")),
        ("中文名.txt", say("upload-name-chinese")),
        ("a.b.c", say("upload-name-dots")),
    ];
    for (name, what) in cases {
        // The content quotes the English description, as it always did.
        let content = format!("the content of a file with {what}\n");
        let situation = Sentence::template("upload-valid-name", vec![("what", what.into())]);
        upload(t, &server, name, content.as_bytes(), &situation)?;
    }
    Ok(())
}

fn large_binary_upload(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let data = t.rng().bytes(LARGE);
    let what = &say("upload-large")
        .arg("size", Arg::Bytes(LARGE as u64))
        .into();
    let mut s = t.connect(&server)?;
    s.set_read_timeout(LARGE_REPLY);
    if let Some(stream) = s.tcp_stream() {
        // A server that stops reading makes the send fail, not hang.
        let _ = stream.set_write_timeout(Some(LARGE_REPLY));
    }
    // The header and the first MiB in one write, then the rest.
    let mut head = header("big.bin", LARGE);
    head.extend_from_slice(&data[..1 << 20]);
    send(&mut s, &server, &head, what)?;
    send(&mut s, &server, &data[1 << 20..LARGE - 1], what)?;
    // Before the last byte, the traffic of the rest dies down: every byte
    // acknowledged, and a moment for the server to write what it holds.
    // Then the reply travels alone, and the freeze stops the server as it
    // sends it (under a flood of packets the kernel may deliver it late).
    if let Some(stream) = s.tcp_stream() {
        let until = std::time::Instant::now() + LARGE_REPLY;
        while unacknowledged(stream) > 0 && std::time::Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    std::thread::sleep(SETTLE);
    let last = &data[LARGE - 1..];
    finish(
        t,
        &mut s,
        &server,
        last,
        ("big.bin", &data),
        what,
        LARGE_REPLY,
    )
}

fn huge_size_announced(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let what: Sentence = say("upload-huge")
        .arg("header", format!("huge.bin {HUGE}"))
        .into();
    let mut s = t.connect(&server)?;
    let mut m = format!("huge.bin {HUGE}\n").into_bytes();
    m.extend(t.rng().bytes(64 * 1024));
    send(&mut s, &server, &m, &what)?;
    std::thread::sleep(PIECE_PAUSE);
    s.shutdown_write()?;
    let after = Sentence::template("upload-after", vec![("what", what.clone())]);
    upload(t, &server, "after.txt", b"still serving\n", &after)
        .map_err(|f| f.say(say("upload-size-announced-note")))?;
    std::thread::sleep(SETTLE);
    server.expect_running().context(after)?;
    let s = t.connect(&server)?;
    let (path, shown) = dest_path(t, "huge.bin");
    expect_absent(&s, &path, &shown, say("upload-file-left"))
        .context(what)
        .map_err(|f| f.say(abort_note()))
}

fn more_bad_names(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let absolute = t.path("absolute.txt").to_string_lossy().into_owned();
    let cases = [
        (
            absolute.clone(),
            vec![(t.path("absolute.txt"), "an absolute path".to_string())],
            say("upload-absolute"),
        ),
        (
            "..\\escape.txt".to_string(),
            vec![dest_path(t, "..\\escape.txt")],
            say("upload-backslash-after-dots"),
        ),
        (
            "a\\b.txt".to_string(),
            vec![dest_path(t, "a\\b.txt")],
            say("upload-backslash"),
        ),
        (
            "nested/../../escape.txt".to_string(),
            vec![(t.path("escape.txt"), "a file beside DEST_DIR".to_string())],
            say("upload-climbs-out"),
        ),
    ];
    for (name, forbidden, what) in cases {
        expect_refused(
            t,
            &server,
            &message(&name, b"hello"),
            &forbidden,
            &what.into(),
        )?;
    }
    upload(
        t,
        &server,
        "fine.txt",
        b"still here\n",
        &say("upload-valid-after-refused").into(),
    )
}

fn malformed_headers(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases: [(&[u8], Phrase); 5] = [
        (b"notes.txt\n", say("upload-no-size")),
        (b"notes.txt ten\n", say("upload-size-word")),
        (b"notes.txt -5\n", say("upload-size-negative")),
        (b"notes.txt 0x10\n", say("upload-size-not-decimal")),
        (b"\n", say("upload-empty-header")),
    ];
    let forbidden = [dest_path(t, "notes.txt")];
    for (bytes, what) in cases {
        let what: Sentence = what.into();
        expect_refused(t, &server, bytes, &forbidden, &what)
            .map_err(|f| f.say(say("upload-malformed-note")))?;
        server.expect_running().context(what)?;
    }
    upload(
        t,
        &server,
        "notes.txt",
        b"a well-formed upload\n",
        &say("upload-valid-after-malformed").into(),
    )
}

fn size_with_a_sign(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases: [(&[u8], Phrase); 2] = [
        (
            b"notes.txt +5\nhello",
            say("upload-size-plus").arg("size", "+5"),
        ),
        (b"notes.txt +0\n", say("upload-size-is").arg("size", "+0")),
    ];
    let forbidden = [dest_path(t, "notes.txt")];
    for (bytes, what) in cases {
        let what: Sentence = what.into();
        expect_refused(t, &server, bytes, &forbidden, &what)
            .map_err(|f| f.say(say("upload-digits-note")))?;
        server.expect_running().context(what)?;
    }
    upload(
        t,
        &server,
        "notes.txt",
        b"a well-formed upload\n",
        &say("upload-valid-after-malformed").into(),
    )
}

/// The names in DEST_DIR, sorted.
fn dest_entries(t: &Ctx) -> Result<Vec<String>, Failure> {
    let dir = t.path(DEST);
    let read = std::fs::read_dir(&dir)
        .map_err(|e| Failure::grader(format!("listing {}: {e}", dir.display())))?;
    let mut names = Vec::new();
    for entry in read {
        let entry = entry.map_err(|e| Failure::grader(format!("listing {DEST}: {e}")))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// Waits until DEST_DIR holds exactly `expected` (sorted names), at most
/// [`CLEAN_WAIT`]; fails with what else it holds.
fn expect_dest_holds(t: &Ctx, s: &Session, expected: &[&str], what: &Sentence) -> TestResult {
    let until = std::time::Instant::now() + CLEAN_WAIT;
    loop {
        let names = dest_entries(t)?;
        if names == expected {
            return Ok(());
        }
        if std::time::Instant::now() >= until {
            let extra: Vec<String> = names
                .iter()
                .filter(|n| !expected.contains(&n.as_str()))
                .map(|n| format!("`{DEST}/{n}`"))
                .collect();
            let mut f = s
                .fail(say("upload-dest-new").arg("secs", CLEAN_WAIT.as_secs().to_string()))
                .context(what.clone());
            if !extra.is_empty() {
                f = f.say(say("upload-found-list").arg("names", extra.join(", ")));
            }
            return Err(f);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends the header of an upload of NAME `.` or `..` and part of its
/// content, and expects `ERR` at once, without the rest, and nothing in
/// DEST_DIR.
fn refuses_dot(t: &mut Ctx, name: &str) -> TestResult {
    let server = start(t)?;
    let what: Sentence = say("upload-dot-name")
        .arg("name", name)
        .arg("header", format!("{name} 1000"))
        .into();
    let mut s = t.connect(&server)?;
    let mut m = header(name, 1000);
    m.extend_from_slice(&[b'd'; 10]);
    send(&mut s, &server, &m, &what)?;
    s.set_read_timeout(REPLY_WAIT);
    let reply = s
        .recv_line()
        .context(what.clone())
        .map_err(|f| server.or_exit(f))
        .map_err(|f| f.say(say("upload-dot-note")))?;
    check_err(&s, &reply, &what)?;
    expect_dest_holds(t, &s, &[], &what)?;
    upload(
        t,
        &server,
        "fine.txt",
        b"still here\n",
        &say("upload-valid-after-refused-one").into(),
    )
}

fn refuses_dot_name(t: &mut Ctx) -> TestResult {
    refuses_dot(t, ".")
}

fn refuses_dot_dot_name(t: &mut Ctx) -> TestResult {
    refuses_dot(t, "..")
}

fn header_line_too_long(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let what: &Sentence = &say("upload-long-header")
        .arg("size", Arg::Bytes(LONG_HEADER as u64))
        .into();
    let mut s = t.connect(&server)?;
    // The server may refuse and close before all of it is sent: what it
    // replied before is still readable.
    let _ = s.send(&vec![b'n'; LONG_HEADER]);
    s.set_read_timeout(REPLY_WAIT);
    let reply = s
        .recv_line()
        .context(what.clone())
        .map_err(|f| server.or_exit(f))
        .map_err(|f| f.say(say("upload-line-limit-note")))?;
    check_err(&s, &reply, what)?;
    expect_dest_holds(t, &s, &[], what)?;
    upload(
        t,
        &server,
        "after.txt",
        b"still serving\n",
        &say("upload-after-long-header").into(),
    )
}

fn failed_uploads_leave_nothing(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    upload(
        t,
        &server,
        "kept.txt",
        b"a complete upload\n",
        &say("upload-a-first").into(),
    )?;
    let content = [b'c'; 1000];
    // Closed after 100 of 1000 bytes.
    let mut s = start_aborted(t, &server, "closed.bin", &content, 100)?;
    std::thread::sleep(PIECE_PAUSE);
    s.shutdown_write()?;
    let what = &say("upload-cut-closed")
        .arg("sent", 100)
        .arg("total", content.len())
        .into();
    expect_dest_holds(t, &s, &["kept.txt"], what).map_err(|f| f.say(abort_note()))?;
    drop(s);
    // Reset after 300 of 1000 bytes.
    let s = start_aborted(t, &server, "reset.bin", &content, 300)?;
    std::thread::sleep(PIECE_PAUSE);
    let probe = t.connect(&server)?;
    s.reset();
    let what = &say("upload-cut-reset")
        .arg("sent", 300)
        .arg("total", content.len())
        .into();
    expect_dest_holds(t, &probe, &["kept.txt"], what).map_err(|f| f.say(abort_note()))?;
    drop(probe);
    upload(
        t,
        &server,
        "after.txt",
        b"still serving\n",
        &say("upload-after-two-cut").into(),
    )?;
    let s = t.connect(&server)?;
    expect_dest_holds(
        t,
        &s,
        &["after.txt", "kept.txt"],
        &say("upload-after-three").into(),
    )
}

fn aborted_upload_keeps_old_file(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let old = rng.bytes(3000);
    let new = rng.bytes(5000);
    upload(
        t,
        &server,
        "data.bin",
        &old,
        &say("upload-first-of-file").into(),
    )?;
    let (path, shown) = dest_path(t, "data.bin");
    let unchanged = |s: &Session, when: Phrase| {
        compare::file(&path, &shown, &old).map_err(|f| {
            let mut g = s.fail(Sentence::template(
                "upload-older-changed",
                vec![("when", when.into()), ("sentence", f.property)],
            ));
            g.details.extend(f.details);
            g.say(abort_note())
        })
    };
    // Half the new content, a pause, and the connection closes.
    let mut s = start_aborted(t, &server, "data.bin", &new, 2000)?;
    std::thread::sleep(PIECE_PAUSE);
    unchanged(&s, say("upload-while-second"))?;
    s.shutdown_write()?;
    // All the new content but its last byte.
    let mut s = start_aborted(t, &server, "data.bin", &new, new.len() - 1)?;
    std::thread::sleep(PIECE_PAUSE);
    s.shutdown_write()?;
    upload(
        t,
        &server,
        "other.txt",
        b"another file\n",
        &say("upload-after-two-cut").into(),
    )?;
    std::thread::sleep(SETTLE);
    unchanged(&s, say("upload-after-two-cut-same"))?;
    // A complete upload does replace it, with shorter content.
    upload(
        t,
        &server,
        "data.bin",
        &new[..1000],
        &say("upload-replacing-shorter").into(),
    )
}

fn survives_bad_clients(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let after =
        |what: Phrase| Sentence::template("upload-after-client", vec![("what", what.into())]);
    // Connects and closes at once.
    drop(t.connect(&server)?);
    upload(
        t,
        &server,
        "one.txt",
        b"1\n",
        &after(say("upload-closed-at-once")),
    )?;
    // Closes in the middle of the header.
    let mut s = t.connect(&server)?;
    s.send(b"two.txt 1")?;
    s.shutdown_write()?;
    drop(s);
    upload(
        t,
        &server,
        "two.txt",
        b"2\n",
        &after(say("upload-closed-in-header")),
    )?;
    // Speaks another protocol.
    let http = format!("GET / HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr());
    expect_refused(
        t,
        &server,
        http.as_bytes(),
        &[],
        &say("upload-http-instead").into(),
    )?;
    upload(
        t,
        &server,
        "three.txt",
        b"3\n",
        &after(say("upload-sent-http")),
    )?;
    // Resets the connection in the middle of the content.
    let s = start_aborted(t, &server, "reset.txt", &[b'r'; 1000], 300)?;
    std::thread::sleep(PIECE_PAUSE);
    s.reset();
    let what = after(say("upload-reset-in-content"));
    upload(t, &server, "four.txt", b"4\n", &what).map_err(|f| {
        if matches!(f.cause, Cause::ServerExited | Cause::Panic | Cause::Signal) {
            f.say(say("upload-reset-note"))
        } else {
            f
        }
    })?;
    std::thread::sleep(SETTLE);
    let s = t.connect(&server)?;
    let (path, shown) = dest_path(t, "reset.txt");
    expect_absent(&s, &path, &shown, say("upload-reset-left-file"))
        .map_err(|f| f.say(abort_note()))?;
    server.expect_running()
}
