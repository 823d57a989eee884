//! Suite of `file_upload ADDR DEST_DIR`: one upload per connection, a header
//! line `NAME SIZE\n` and exactly SIZE bytes, stored as DEST_DIR/NAME and
//! answered `OK\n`; refused names and malformed headers answered
//! `ERR <reason>\n` with nothing written; uploads cut short leave no file of
//! their NAME and an older file unchanged.
//!
//! Every test starts the server on an empty `dest/` in its directory and
//! talks to it over recorded loopback [`Session`]s, one connection per
//! upload, one after another (concurrency is not in the contract).
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::harness::{
    compare, say, Cause, Ctx, Failure, Freeze, ResultExt, Server, Session, TestDef, TestResult,
};
use crate::model::Sentence;
use crate::text::{Arg, Phrase};

mod hidden;

/// DEST_DIR, inside the test's directory.
const DEST: &str = "dest";

/// The pause between the pieces of an upload sent in pieces: long enough
/// that the server reads each piece on its own.
const PIECE_PAUSE: Duration = Duration::from_millis(400);

/// How long the server is given to finish with an upload cut short, counted
/// after a later upload was answered, before the suite looks at DEST_DIR. A
/// correct server never creates the file, so this only bounds how late a
/// wrong one is caught.
const SETTLE: Duration = Duration::from_secs(1);

/// How long the suite waits for a reply, the server to be stopped as soon as
/// it arrives.
const REPLY_WAIT: Duration = Duration::from_secs(10);

/// How long the reply is still read once such a wait is over without it:
/// the server was let go on at the end of the wait, and what it sent is
/// already there to read.
const AFTER_REPLY_WAIT: Duration = Duration::from_millis(500);

/// What a server must do with an upload cut short.
fn abort_note() -> Phrase {
    say("upload-abort-note")
}

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("uploads_a_file", 3, uploads_a_file).clauses(&[1, 2, 3, 4]),
        TestDef::visible("header_in_pieces", 3, header_in_pieces).clauses(&[1]),
        TestDef::visible("refuses_bad_names", 3, refuses_bad_names).clauses(&[5]),
        TestDef::visible(
            "aborted_upload_leaves_no_file",
            3,
            aborted_upload_leaves_no_file,
        )
        .timeout(Duration::from_secs(20))
        .clauses(&[8]),
        TestDef::visible("uploads_in_sequence", 3, uploads_in_sequence).clauses(&[2, 3]),
        TestDef::visible(
            "ok_once_the_file_is_complete",
            3,
            ok_once_the_file_is_complete,
        )
        .timeout(Duration::from_secs(40))
        .clauses(&[3, 4]),
        TestDef::visible("bad_address", 1, bad_address).clauses(&[12]),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// Setting up and uploading

/// Creates DEST_DIR and starts the server on it.
fn start(t: &mut Ctx) -> Result<Server, Failure> {
    t.mkdir(DEST)?;
    let addr = t.addr();
    t.start_server(&[addr.to_string(), DEST.to_string()], addr)
}

/// The header line of an upload.
fn header(name: &str, size: usize) -> Vec<u8> {
    format!("{name} {size}\n").into_bytes()
}

/// The header and the content, as one message.
fn message(name: &str, content: &[u8]) -> Vec<u8> {
    let mut m = header(name, content.len());
    m.extend_from_slice(content);
    m
}

/// The path of DEST_DIR/NAME, and how feedback shows it.
fn dest_path(t: &Ctx, name: &str) -> (PathBuf, String) {
    (t.path(DEST).join(name), format!("{DEST}/{name}"))
}

/// Uploads `content` as NAME in one write on a new connection, and expects
/// `OK` and the file.
fn upload(t: &Ctx, server: &Server, name: &str, content: &[u8], what: &Sentence) -> TestResult {
    let mut s = t.connect(server).map_err(|f| server.or_exit(f))?;
    let m = message(name, content);
    finish(t, &mut s, server, &m, (name, content), what, REPLY_WAIT)
}

/// Sends the `last` bytes of an upload of `file`, NAME and content,
/// expects `OK` within `wait` and the file. The server is stopped the moment
/// its reply arrives ([`Freeze`]), so the file is seen as it was when the
/// server replied, not a moment later.
fn finish(
    t: &Ctx,
    s: &mut Session,
    server: &Server,
    last: &[u8],
    (name, content): (&str, &[u8]),
    what: &Sentence,
    wait: Duration,
) -> TestResult {
    let mut freeze = s
        .tcp_stream()
        .and_then(|stream| stream.try_clone().ok())
        .and_then(|stream| Freeze::arm(stream, server.pid()));
    send(s, server, last, what)?;
    let replied = freeze
        .as_mut()
        .is_none_or(|f| f.wait_for(|b| b.len() >= 3 || b.contains(&b'\n'), wait));
    let ok = if replied {
        expect_ok(s, server, what)
    } else {
        // The whole wait is over without the reply: read what did arrive,
        // without waiting as long again.
        s.waiting(AFTER_REPLY_WAIT, |s| expect_ok(s, server, what))
    };
    let checked = ok.and_then(|()| expect_file(t, s, name, content, what));
    drop(freeze);
    checked.map_err(|f| {
        if f.property.contains("after `OK`") {
            f.say(say("upload-stopped-at-ok"))
        } else {
            f
        }
    })
}

/// Sends bytes of an upload; if the server closed the connection first,
/// says so, with whatever it replied before.
fn send(s: &mut Session, server: &Server, bytes: &[u8], what: &Sentence) -> TestResult {
    let Err(f) = s.send(bytes) else {
        return Ok(());
    };
    if matches!(f.cause, Cause::ServerExited | Cause::Panic | Cause::Signal) {
        return Err(f.context(what.clone()));
    }
    // What the server sent before it closed is still readable.
    s.set_read_timeout(Duration::from_secs(1));
    let closed = !matches!(s.recv_to_end(64 * 1024), Err(f) if f.cause == Cause::Timeout);
    let f = if closed {
        s.fail(say("upload-closed-early"))
    } else {
        s.fail(say("upload-stopped-reading"))
    }
    .context(what.clone());
    Err(server.or_exit(f))
}

/// Reads the reply and expects `OK\n`.
fn expect_ok(s: &mut Session, server: &Server, what: &Sentence) -> TestResult {
    s.expect_bytes(b"OK\n", "reply")
        .context(what.clone())
        .map_err(|f| server.or_exit(f).say(say("upload-ok-note")))
}

/// Expects DEST_DIR/NAME to hold exactly `content`.
fn expect_file(t: &Ctx, s: &Session, name: &str, content: &[u8], what: &Sentence) -> TestResult {
    let (path, shown) = dest_path(t, name);
    compare::file(&path, &shown, content).map_err(|f| {
        let property = Sentence::template("upload-after-ok", vec![("sentence", f.property)]);
        let mut g = s.fail(property).context(what.clone());
        g.details.extend(f.details);
        g
    })
}

/// Fails if anything exists at `path`.
fn expect_absent(s: &Session, path: &Path, shown: &str, property: Phrase) -> TestResult {
    if path.symlink_metadata().is_ok() {
        Err(s.fail(property).say(say("upload-found").arg("path", shown)))
    } else {
        Ok(())
    }
}

/// Checks that a reply line is `ERR <reason>\n`.
fn check_err(s: &Session, line: &[u8], what: &Sentence) -> TestResult {
    let reason = line
        .strip_prefix(b"ERR ")
        .and_then(|r| r.strip_suffix(b"\n"))
        .unwrap_or_default();
    if reason.iter().any(|b| !b.is_ascii_whitespace()) {
        Ok(())
    } else {
        Err(s.fail(say("upload-not-err")).context(what.clone()))
    }
}

/// Sends `bytes` on a new connection and expects `ERR <reason>`; nothing may
/// exist at any of `forbidden` afterwards.
fn expect_refused(
    t: &Ctx,
    server: &Server,
    bytes: &[u8],
    forbidden: &[(PathBuf, String)],
    what: &Sentence,
) -> TestResult {
    let mut s = t.connect(server)?;
    s.send(bytes)?;
    let reply = s
        .recv_line()
        .context(what.clone())
        .map_err(|f| server.or_exit(f));
    // A file written under a refused name is the worse mistake: look first.
    for (path, shown) in forbidden {
        expect_absent(&s, path, shown, say("upload-written-though-refused"))
            .context(what.clone())?;
    }
    check_err(&s, &reply?, what)
}

// ---------------------------------------------------------------------------
// The tests: uploads that succeed

fn uploads_a_file(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let content = "床前明月光，疑是地上霜。\nThe moon before my bed.\n";
    upload(
        t,
        &server,
        "poem.txt",
        content.as_bytes(),
        &say("upload-one-write").arg("name", "poem.txt").into(),
    )
}

fn header_in_pieces(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let content: &[u8] = b"line one\n##\nline three\n";
    let head = header("lecture.txt", content.len());
    // The header's `\n` ends the third piece; the content follows later, in
    // two more pieces.
    let pieces: [&[u8]; 5] = [
        &head[..3],
        &head[3..head.len() - 2],
        &head[head.len() - 2..],
        &content[..12],
        &content[12..],
    ];
    let what = &say("upload-header-pieces").into();
    let mut s = t.connect(&server)?;
    let in_pieces = |f: Failure| {
        f.with(server.pieces_command(&pieces, PIECE_PAUSE, false))
            .say(say("upload-no-boundaries"))
    };
    let (last, first) = pieces.split_last().expect("five pieces");
    for (i, piece) in first.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(PIECE_PAUSE);
        }
        send(&mut s, &server, piece, what).map_err(in_pieces)?;
    }
    std::thread::sleep(PIECE_PAUSE);
    let file = ("lecture.txt", content);
    finish(t, &mut s, &server, last, file, what, REPLY_WAIT).map_err(in_pieces)
}

fn uploads_in_sequence(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut binary = t.rng().bytes(300);
    binary[..4].copy_from_slice(b"\0\n##");
    let steps: [(&str, &[u8], Phrase); 4] = [
        ("a.txt", b"the first file\n", say("upload-first")),
        (
            "b.txt",
            b"the second file, a little longer\n",
            say("upload-second"),
        ),
        (
            "a.txt",
            b"1st\n",
            say("upload-third-replacing").arg("name", "a.txt"),
        ),
        ("c.bin", &binary, say("upload-fourth-binary")),
    ];
    for (name, content, what) in steps {
        upload(t, &server, name, content, &what.into())?;
    }
    // Every file still holds its last upload.
    let s = t.connect(&server)?;
    let after = &say("upload-after-four").into();
    expect_file(t, &s, "a.txt", b"1st\n", after)?;
    expect_file(t, &s, "b.txt", b"the second file, a little longer\n", after)?;
    expect_file(t, &s, "c.bin", &binary, after)
}

fn ok_once_the_file_is_complete(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let content = t.rng().bytes(100 * 1024);
    let name = "complete.bin";
    let what = &say("upload-stopped-at-reply")
        .arg("size", Arg::Bytes(content.len() as u64))
        .into();
    let m = message(name, &content);
    let mut s = t.connect(&server).map_err(|f| server.or_exit(f))?;
    send(&mut s, &server, &m[..m.len() - 1], what)?;
    let last = &m[m.len() - 1..];
    finish(t, &mut s, &server, last, (name, &content), what, REPLY_WAIT)?;
    s.expect_closed()
        .map_err(|f| f.say(say("upload-closes-after-reply")))
}

// ---------------------------------------------------------------------------
// The tests: refusals

fn refuses_bad_names(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    t.mkdir(format!("{DEST}/sub"))?;
    let escape = (
        t.path("escape.txt"),
        "escape.txt (beside DEST_DIR)".to_string(),
    );
    let cases = [
        (
            "../escape.txt",
            vec![escape],
            say("upload-name").arg("name", "../escape.txt"),
        ),
        (
            "sub/inner.txt",
            vec![dest_path(t, "sub/inner.txt")],
            say("upload-name-sub-exists").arg("name", "sub/inner.txt"),
        ),
        ("..", vec![], say("upload-name").arg("name", "..")),
        (".", vec![], say("upload-name").arg("name", ".")),
        ("", vec![], say("upload-empty-name").arg("header", " 5")),
    ];
    for (name, forbidden, what) in cases {
        expect_refused(
            t,
            &server,
            &message(name, b"hello"),
            &forbidden,
            &what.into(),
        )
        .map_err(|f| f.say(say("upload-plain-name-note")))?;
    }
    upload(
        t,
        &server,
        "fine.txt",
        b"still here\n",
        &say("upload-valid-after-refused").into(),
    )
}

// ---------------------------------------------------------------------------
// The tests: uploads cut short and clients that misbehave

/// Starts an upload of `content` as NAME but sends only the header and the
/// first `sent` bytes; the caller cuts it short.
fn start_aborted(
    t: &Ctx,
    server: &Server,
    name: &str,
    content: &[u8],
    sent: usize,
) -> Result<Session, Failure> {
    let mut s = t.connect(server)?;
    let mut m = header(name, content.len());
    m.extend_from_slice(&content[..sent]);
    s.send(&m)?;
    Ok(s)
}

fn aborted_upload_leaves_no_file(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let content = "x".repeat(100);
    let mut s = start_aborted(t, &server, "report.txt", content.as_bytes(), 40)?;
    std::thread::sleep(PIECE_PAUSE);
    s.shutdown_write()?;
    upload(
        t,
        &server,
        "next.txt",
        b"the next upload\n",
        &say("upload-after-cut-short")
            .arg("sent", 40)
            .arg("total", content.len())
            .into(),
    )?;
    std::thread::sleep(SETTLE);
    server.expect_running()?;
    let (path, shown) = dest_path(t, "report.txt");
    expect_absent(
        &s,
        &path,
        &shown,
        say("upload-cut-short-left-file")
            .arg("sent", 40)
            .arg("total", content.len()),
    )
    .map_err(|f| f.say(abort_note()))
}

// ---------------------------------------------------------------------------
// The tests: arguments

fn bad_address(t: &mut Ctx) -> TestResult {
    t.mkdir(DEST)?;
    let held = t.held_tcp_addr()?;
    t.expect_addr_refusals(&held, &[DEST])
}
