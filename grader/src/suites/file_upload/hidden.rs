//! The hidden tests of `file_upload`: left out of the repository students clone.
use super::*;
use crate::harness::{compare, Cause, Ctx, Failure, ResultExt, Session, TestDef, TestResult};
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
        "content holding `\\n`, `\\r\\n`, `##` and a line that looks like a header",
    )?;
    upload(t, &server, "empty.txt", b"", "an empty file (SIZE 0)")?;
    let mut binary = t.rng().bytes(5000);
    binary[0] = b'\n';
    binary[1..3].copy_from_slice(b"##");
    *binary.last_mut().expect("not empty") = b'\n';
    upload(
        t,
        &server,
        "blob.bin",
        &binary,
        "binary content starting and ending with `\\n`",
    )
}

fn valid_unusual_names(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases = [
        (".hidden", "a name starting with `.`"),
        ("v1..2.txt", "a name containing `..` (but not equal to it)"),
        ("中文名.txt", "a name in Chinese characters"),
        ("a.b.c", "a name with several dots"),
    ];
    for (name, what) in cases {
        let content = format!("the content of a file with {what}\n");
        upload(
            t,
            &server,
            name,
            content.as_bytes(),
            &format!("{what} is a valid NAME"),
        )?;
    }
    Ok(())
}

fn large_binary_upload(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let data = t.rng().bytes(LARGE);
    let what = "a 64 MiB binary upload";
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
    let what = format!(
        "a client that announced `huge.bin {HUGE}` (1 TiB), sent 64 KiB and closed the \
         connection"
    );
    let mut s = t.connect(&server)?;
    let mut m = format!("huge.bin {HUGE}\n").into_bytes();
    m.extend(t.rng().bytes(64 * 1024));
    send(&mut s, &server, &m, &what)?;
    std::thread::sleep(PIECE_PAUSE);
    s.shutdown_write()?;
    let after = format!("an upload after {what}");
    upload(t, &server, "after.txt", b"still serving\n", &after).map_err(|f| {
        f.note(
            "SIZE is only announced: write the content to the file as it arrives, and never \
             allocate SIZE bytes before they come (`vec![0; size]`, `Vec::with_capacity(size)`)",
        )
    })?;
    std::thread::sleep(SETTLE);
    server.expect_running().context(&after)?;
    let s = t.connect(&server)?;
    let (path, shown) = dest_path(t, "huge.bin");
    expect_absent(
        &s,
        &path,
        &shown,
        format!("{what}: a file was left under its NAME"),
    )
    .map_err(|f| f.note(ABORT_NOTE))
}

fn more_bad_names(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let absolute = t.path("absolute.txt").to_string_lossy().into_owned();
    let cases = [
        (
            absolute.clone(),
            vec![(t.path("absolute.txt"), "an absolute path".to_string())],
            "an absolute path as NAME",
        ),
        (
            "..\\escape.txt".to_string(),
            vec![dest_path(t, "..\\escape.txt")],
            "a NAME with a backslash after `..`",
        ),
        (
            "a\\b.txt".to_string(),
            vec![dest_path(t, "a\\b.txt")],
            "a NAME with a backslash",
        ),
        (
            "nested/../../escape.txt".to_string(),
            vec![(t.path("escape.txt"), "a file beside DEST_DIR".to_string())],
            "a NAME that climbs out through a subdirectory",
        ),
    ];
    for (name, forbidden, what) in cases {
        expect_refused(t, &server, &message(&name, b"hello"), &forbidden, what)?;
    }
    upload(
        t,
        &server,
        "fine.txt",
        b"still here\n",
        "a valid upload after the refused ones",
    )
}

fn malformed_headers(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases: [(&[u8], &str); 5] = [
        (b"notes.txt\n", "a header without SIZE"),
        (b"notes.txt ten\n", "a header whose SIZE is a word"),
        (b"notes.txt -5\n", "a header whose SIZE is negative"),
        (b"notes.txt 0x10\n", "a header whose SIZE is not decimal"),
        (b"\n", "an empty header line"),
    ];
    let forbidden = [dest_path(t, "notes.txt")];
    for (bytes, what) in cases {
        expect_refused(t, &server, bytes, &forbidden, what).map_err(|f| {
            f.note("a malformed header gets `ERR <reason>\\n`, and the server goes on serving")
        })?;
        server.expect_running().context(what)?;
    }
    upload(
        t,
        &server,
        "notes.txt",
        b"a well-formed upload\n",
        "a valid upload after the malformed ones",
    )
}

fn size_with_a_sign(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases: [(&[u8], &str); 2] = [
        (
            b"notes.txt +5\nhello",
            "a header whose SIZE has a plus sign (`+5`)",
        ),
        (b"notes.txt +0\n", "a header whose SIZE is `+0`"),
    ];
    let forbidden = [dest_path(t, "notes.txt")];
    for (bytes, what) in cases {
        expect_refused(t, &server, bytes, &forbidden, what).map_err(|f| {
            f.note(
                "SIZE is decimal digits only: `str::parse::<u64>` also accepts a leading `+`, \
                 so check that every byte is an ASCII digit first",
            )
        })?;
        server.expect_running().context(what)?;
    }
    upload(
        t,
        &server,
        "notes.txt",
        b"a well-formed upload\n",
        "a valid upload after the malformed ones",
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
fn expect_dest_holds(t: &Ctx, s: &Session, expected: &[&str], what: &str) -> TestResult {
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
            let mut f = s.fail(format!(
                "{what}: DEST_DIR holds something new {} s after the connection ended",
                CLEAN_WAIT.as_secs()
            ));
            if !extra.is_empty() {
                f = f.note(format!("found {}", extra.join(", ")));
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
    let what = format!(
        "NAME `{name}` (the header `{name} 1000`, then 10 of the 1000 bytes, the client \
         waiting for the reply)"
    );
    let mut s = t.connect(&server)?;
    let mut m = header(name, 1000);
    m.extend_from_slice(&[b'd'; 10]);
    send(&mut s, &server, &m, &what)?;
    s.set_read_timeout(REPLY_WAIT);
    let reply = s
        .recv_line()
        .context(&what)
        .map_err(|f| server.or_exit(f))
        .map_err(|f| {
            f.note(
                "`.` and `..` name directories, never a file: refuse them as soon as the header \
                 line is in (`ERR <reason>\\n`), before creating any file or waiting for the \
                 content",
            )
        })?;
    check_err(&s, &reply, &what)?;
    expect_dest_holds(t, &s, &[], &what)?;
    upload(
        t,
        &server,
        "fine.txt",
        b"still here\n",
        "a valid upload after the refused one",
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
    let what = "a client that sent 64 KiB without a `\\n`";
    let mut s = t.connect(&server)?;
    // The server may refuse and close before all of it is sent: what it
    // replied before is still readable.
    let _ = s.send(&vec![b'n'; LONG_HEADER]);
    s.set_read_timeout(REPLY_WAIT);
    let reply = s
        .recv_line()
        .context(what)
        .map_err(|f| server.or_exit(f))
        .map_err(|f| {
            f.note(
                "read the header line with a limit (`take(1024)` before `read_until`): a line \
                 that does not end within it gets `ERR <reason>\\n`, then close the connection",
            )
        })?;
    check_err(&s, &reply, what)?;
    expect_dest_holds(t, &s, &[], what)?;
    upload(
        t,
        &server,
        "after.txt",
        b"still serving\n",
        "an upload after a header line too long",
    )
}

fn failed_uploads_leave_nothing(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    upload(
        t,
        &server,
        "kept.txt",
        b"a complete upload\n",
        "a first upload",
    )?;
    let content = [b'c'; 1000];
    // Closed after 100 of 1000 bytes.
    let mut s = start_aborted(t, &server, "closed.bin", &content, 100)?;
    std::thread::sleep(PIECE_PAUSE);
    s.shutdown_write()?;
    let what = "an upload cut short (100 of 1000 bytes, then the client closed)";
    expect_dest_holds(t, &s, &["kept.txt"], what).map_err(|f| f.note(ABORT_NOTE))?;
    drop(s);
    // Reset after 300 of 1000 bytes.
    let s = start_aborted(t, &server, "reset.bin", &content, 300)?;
    std::thread::sleep(PIECE_PAUSE);
    let probe = t.connect(&server)?;
    s.reset();
    let what = "an upload cut short (300 of 1000 bytes, then the client reset the connection)";
    expect_dest_holds(t, &probe, &["kept.txt"], what).map_err(|f| f.note(ABORT_NOTE))?;
    drop(probe);
    upload(
        t,
        &server,
        "after.txt",
        b"still serving\n",
        "an upload after two cut short",
    )?;
    let s = t.connect(&server)?;
    expect_dest_holds(t, &s, &["after.txt", "kept.txt"], "after three uploads")
}

fn aborted_upload_keeps_old_file(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let old = rng.bytes(3000);
    let new = rng.bytes(5000);
    upload(t, &server, "data.bin", &old, "the first upload of a file")?;
    let (path, shown) = dest_path(t, "data.bin");
    let unchanged = |s: &Session, when: &str| {
        compare::file(&path, &shown, &old).map_err(|f| {
            let mut g = s.fail(format!(
                "{when}, the older file of that NAME was changed: {}",
                f.property
            ));
            g.details.extend(f.details);
            g.note(ABORT_NOTE)
        })
    };
    // Half the new content, a pause, and the connection closes.
    let mut s = start_aborted(t, &server, "data.bin", &new, 2000)?;
    std::thread::sleep(PIECE_PAUSE);
    unchanged(&s, "while a second upload of that NAME was in progress")?;
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
        "an upload after two cut short",
    )?;
    std::thread::sleep(SETTLE);
    unchanged(&s, "after two uploads of that NAME were cut short")?;
    // A complete upload does replace it, with shorter content.
    upload(
        t,
        &server,
        "data.bin",
        &new[..1000],
        "a complete upload replacing the file with shorter content",
    )
}

fn survives_bad_clients(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let after = |what: &str| format!("an upload after a client that {what}");
    // Connects and closes at once.
    drop(t.connect(&server)?);
    upload(t, &server, "one.txt", b"1\n", &after("closed at once"))?;
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
        &after("closed inside the header"),
    )?;
    // Speaks another protocol.
    let http = format!("GET / HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr());
    expect_refused(
        t,
        &server,
        http.as_bytes(),
        &[],
        "an HTTP request instead of a header",
    )?;
    upload(
        t,
        &server,
        "three.txt",
        b"3\n",
        &after("sent an HTTP request"),
    )?;
    // Resets the connection in the middle of the content.
    let s = start_aborted(t, &server, "reset.txt", &[b'r'; 1000], 300)?;
    std::thread::sleep(PIECE_PAUSE);
    s.reset();
    let what = after("reset the connection in the middle of the content");
    upload(t, &server, "four.txt", b"4\n", &what).map_err(|f| {
        if matches!(f.cause, Cause::ServerExited | Cause::Panic | Cause::Signal) {
            f.note(
                "a `read` that fails (connection reset) ends that connection only: report it \
                 on stderr and go on accepting",
            )
        } else {
            f
        }
    })?;
    std::thread::sleep(SETTLE);
    let s = t.connect(&server)?;
    let (path, shown) = dest_path(t, "reset.txt");
    expect_absent(
        &s,
        &path,
        &shown,
        "an upload cut short by a reset left a file under its NAME".into(),
    )
    .map_err(|f| f.note(ABORT_NOTE))?;
    server.expect_running()
}
