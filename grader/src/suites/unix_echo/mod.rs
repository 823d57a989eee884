//! Suite of `unix_echo PATH`: an echo server on a Unix-domain stream socket
//! at PATH, serving clients one after another.
//!
//! Every test starts the server with the absolute path of a socket file in
//! the test's directory, named after that directory (see [`socket_path`]),
//! and connects to that file. The tests never connect a second
//! client while another is open: the contract allows a server that serves
//! one client at a time (and one that serves several at once).

use std::os::unix::net::UnixListener;
use std::path::PathBuf;
use std::time::Duration;

use crate::harness::{
    say, Cause, Ctx, Failure, ResultExt, Session, TestDef, TestResult, UnixServer,
};
use crate::model::Sentence;

mod hidden;

/// How long a client waits for an echo: generous, the machine may be busy.
const ECHO_WAIT: Duration = Duration::from_secs(10);

/// How long a client that ended its stream waits for the server to close
/// the connection, once every echo has arrived: a correct server closes
/// as soon as its read returns 0, within milliseconds, so this is generous
/// on a loaded machine. A server that never closes keeps every such test
/// waiting this out (often spinning on its reads meanwhile).
const CLOSE_WAIT: Duration = Duration::from_secs(3);

/// The pause between the pieces of a message sent in pieces.
const PIECE_PAUSE: Duration = Duration::from_millis(300);

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("echoes_bytes", 2, echoes_bytes)
            .clauses(&[1, 4])
            .timeout(Duration::from_secs(30)),
        TestDef::visible("closes_at_end_of_stream", 2, closes_at_end_of_stream)
            .clauses(&[5])
            .timeout(Duration::from_secs(30)),
        TestDef::visible("binary_bytes", 2, binary_bytes)
            .clauses(&[4])
            .timeout(Duration::from_secs(30)),
        TestDef::visible("clients_in_sequence", 3, clients_in_sequence)
            .clauses(&[4, 5, 6])
            .timeout(Duration::from_secs(40)),
        TestDef::visible("removes_stale_socket", 3, removes_stale_socket)
            .clauses(&[2])
            .timeout(Duration::from_secs(30)),
        TestDef::visible("missing_directory", 2, missing_directory)
            .clauses(&[8])
            .timeout(Duration::from_secs(20)),
        TestDef::visible("keeps_a_regular_file", 2, keeps_a_regular_file)
            .clauses(&[3, 8])
            .timeout(Duration::from_secs(20)),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// Helpers

/// The socket file of a test: in its directory, and named after it.
///
/// The readiness check accepts a listening socket of the same file name
/// when the path exists; a name no other test uses keeps it from taking a
/// socket of a test running at the same time for this one (the stale socket
/// file exists before the server starts). Short: a Unix socket path holds
/// at most 107 bytes.
fn socket_path(t: &Ctx) -> PathBuf {
    // The directory is `socklings-unix_echo-XXXXXX`, the X random.
    let dir = t.dir().file_name().unwrap_or_default().to_string_lossy();
    let tail = dir.rsplit('-').next().unwrap_or_default();
    t.path(format!("echo-{tail}.sock"))
}

/// Starts the server at [`socket_path`].
fn start(t: &mut Ctx) -> Result<UnixServer, Failure> {
    let path = socket_path(t);
    t.start_unix_server(&[path.as_os_str()], &path)
}

/// Ends the client's stream and expects the server to close its side (with
/// what to do when it does not).
fn end_and_expect_close(s: &mut Session, situation: impl Into<Sentence>) -> TestResult {
    s.shutdown_write()?;
    expect_close(s, situation)
}

/// Expects the server to close the connection within [`CLOSE_WAIT`].
fn expect_close(s: &mut Session, situation: impl Into<Sentence>) -> TestResult {
    s.waiting(CLOSE_WAIT, Session::expect_closed)
        .context(situation)
        .map_err(|f| f.say(say("unix-close-note")))
}

// ---------------------------------------------------------------------------
// The tests

fn echoes_bytes(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    s.echo(b"hello\n", say("unix-echo-hello"))?;
    s.echo(b"no newline at the end", say("unix-echo-no-newline"))?;
    s.echo("本地套接字\n".as_bytes(), say("unix-echo-utf8"))?;
    for piece in [&b"sent "[..], b"in ", b"three pieces\n"] {
        s.echo(piece, say("unix-echo-piece"))
            .context(say("unix-each-piece"))?;
        std::thread::sleep(PIECE_PAUSE);
    }
    let many: Vec<u8> = (0..200)
        .flat_map(|i| format!("line {i} of many\n").into_bytes())
        .collect();
    s.echo(&many, say("unix-echo-lines").arg("n", 200))
}

fn closes_at_end_of_stream(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    s.send(b"the last words")?;
    s.shutdown_write()?;
    s.expect_bytes(b"the last words", say("unix-echo-before-end"))?;
    expect_close(&mut s, say("unix-after-end"))?;
    drop(s);
    // A client that sends nothing at all.
    let mut quiet = t.connect_waiting(&server, ECHO_WAIT)?;
    end_and_expect_close(&mut quiet, say("unix-quiet-client"))?;
    drop(quiet);
    let mut next = t.connect_waiting(&server, ECHO_WAIT)?;
    next.echo(b"next\n", say("unix-echo-next"))
        .context(say("unix-after-those-two"))
}

fn binary_bytes(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    let all: Vec<u8> = (0u8..=255).collect();
    s.echo(&all, say("unix-echo-all-bytes"))?;
    let mut shuffled = all.clone();
    t.rng().shuffle(&mut shuffled);
    s.echo(&shuffled, say("unix-echo-shuffled"))?;
    s.echo(
        b"\0\xff\xfe\r\n\x80 invalid UTF-8 \xc3\x28",
        say("unix-echo-not-utf8"),
    )?;
    end_and_expect_close(&mut s, say("unix-after-binary"))
}

fn clients_in_sequence(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    for i in 1..=5 {
        let situation = say("unix-client-of").arg("i", i).arg("count", 5);
        let mut s = t
            .connect_waiting(&server, ECHO_WAIT)
            .context(situation.clone())?;
        for piece in 0..3 {
            let mut bytes = format!("client {i}, message {piece}: ").into_bytes();
            let len = rng.range(1, 2000) as usize;
            bytes.extend(rng.bytes(len));
            s.echo(&bytes, say("unix-echo"))
                .map_err(|f| server.or_exit(f))
                .context(situation.clone())
                .map_err(|f| {
                    let waited = f.cause == Cause::Timeout
                        || f.property.ends_with("then nothing more arrived");
                    if waited && i > 1 {
                        f.say(say("unix-next-client-note"))
                    } else {
                        f
                    }
                })?;
        }
        end_and_expect_close(&mut s, situation).map_err(|f| server.or_exit(f))?;
    }
    server.expect_running()
}

fn removes_stale_socket(t: &mut Ctx) -> TestResult {
    let path = socket_path(t);
    // A socket file with nobody behind it, as a killed server leaves it.
    drop(
        UnixListener::bind(&path)
            .map_err(|e| Failure::grader(format!("making a stale socket: {e}")))?,
    );
    if !path.exists() {
        return Err(Failure::grader("the stale socket file vanished"));
    }
    let server = start(t)
        .context(say("unix-with-stale"))
        .map_err(|f| f.say(say("unix-stale-note")))?;
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    s.echo(b"hello\n", say("unix-echo-hello"))
        .context(say("unix-over-stale"))?;
    end_and_expect_close(&mut s, say("unix-over-stale"))
}

fn missing_directory(t: &mut Ctx) -> TestResult {
    let out = t
        .command(&["no-such-dir/echo.sock"])
        .timeout(Duration::from_secs(10))
        .run()
        .context(say("unix-missing-dir"))?;
    out.expect_code(2).context(say("unix-missing-dir"))?;
    out.expect_stderr_nonempty()
}

fn keeps_a_regular_file(t: &mut Ctx) -> TestResult {
    // A regular file at PATH is not a stale socket: the server must leave
    // it alone, and then it cannot listen there.
    let path = socket_path(t);
    let content = format!("notes {}: not a socket, keep me\n", t.rng().word(8));
    std::fs::write(&path, &content).map_err(Failure::grader)?;
    let what = say("unix-regular-file");
    let out = t
        .command(&[path.as_os_str()])
        .timeout(Duration::from_secs(10))
        .run()
        .context(what.clone())?;
    let kept = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
        && std::fs::read(&path).is_ok_and(|b| b == content.as_bytes());
    if !kept {
        return Err(out
            .fail(say("unix-file-changed"))
            .context(what)
            .say(say("unix-keep-file-note")));
    }
    out.expect_code(2).context(what.clone())?;
    out.expect_stderr_nonempty().context(what)
}
