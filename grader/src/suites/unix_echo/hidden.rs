//! The hidden tests of `unix_echo`: left out of the repository students clone.
use super::*;
use crate::harness::{
    compare, Ctx, Detail, Failure, Label, ResultExt, TestDef, TestResult, UnixServer,
};
use crate::text::Arg;
use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("large_transfer", 3, large_transfer)
            .clauses(&[4])
            .timeout(Duration::from_secs(40)),
        TestDef::hidden("abrupt_close", 3, abrupt_close)
            .clauses(&[7])
            .timeout(Duration::from_secs(40)),
    ]
}

/// The size of the large transfer: more than the socket buffers hold, so
/// the server's writes block until the client reads.
const LARGE: usize = 256 << 10;

/// How long a client that does not read keeps sending before it gives up
/// and closes.
const STUCK: Duration = Duration::from_secs(1);

/// A failure of a client the suite drove by hand (without a [`Session`]).
fn raw_failure(server: &UnixServer, property: impl Into<crate::model::Sentence>) -> Failure {
    let f = Failure::mismatch(property).with(Detail::Command {
        label: "start your server".into(),
        command: server.invocation().clone(),
    });
    server.or_exit(f)
}

fn large_transfer(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let data = t.rng().bytes(LARGE);
    let size = Arg::Bytes(LARGE as u64);
    let path = socket_path(t);
    let stream = UnixStream::connect(&path).map_err(|e| {
        raw_failure(
            &server,
            say("unix-could-not-connect").arg("error", e.to_string()),
        )
    })?;
    let writer = stream.try_clone().map_err(Failure::grader)?;
    stream
        .set_read_timeout(Some(ECHO_WAIT))
        .map_err(Failure::grader)?;
    writer
        .set_write_timeout(Some(ECHO_WAIT))
        .map_err(Failure::grader)?;
    // One thread sends (in pieces of various sizes) while this one reads:
    // sending it all before reading would fill both directions' buffers.
    let to_send = data.clone();
    let sending = std::thread::spawn(move || -> std::io::Result<()> {
        let mut w = &writer;
        let mut at = 0;
        let mut piece = 1000;
        while at < to_send.len() {
            let end = (at + piece).min(to_send.len());
            w.write_all(&to_send[at..end])?;
            at = end;
            piece = piece * 3 % 40_000 + 1;
        }
        writer.shutdown(std::net::Shutdown::Write)
    });
    let mut got = Vec::with_capacity(LARGE);
    let mut buf = vec![0u8; 64 * 1024];
    let mut wait = ECHO_WAIT;
    let outcome = loop {
        match (&stream).read(&mut buf) {
            Ok(0) => break None,
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                if got.len() > 2 * LARGE {
                    break Some(say("unix-large-more"));
                }
                if got.len() >= LARGE && wait != CLOSE_WAIT {
                    // Every byte is back: what is left is the close.
                    wait = CLOSE_WAIT;
                    stream
                        .set_read_timeout(Some(wait))
                        .map_err(Failure::grader)?;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                break Some(say("unix-large-silent").arg("wait", Arg::Seconds(wait)))
            }
            Err(e) => break Some(say("unix-large-recv-failed").arg("error", e.to_string())),
        }
    };
    // Unblocks the sender if the server stopped reading.
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let sent = sending.join().unwrap_or(Ok(()));
    let problem = match (outcome, sent) {
        (Some(p), _) => Some(
            p.arg("size", size.clone())
                .arg("got", Arg::Bytes(got.len() as u64)),
        ),
        (None, Err(e)) => Some(
            say("unix-send-failed")
                .arg("size", size.clone())
                .arg("error", e.to_string()),
        ),
        (None, Ok(())) if got != data => Some(say("unix-large-wrong").arg("size", size.clone())),
        (None, Ok(())) => None,
    };
    match problem {
        None => Ok(()),
        Some(p) => Err(raw_failure(&server, p)
            .with_opt(compare::labelled_bytes(
                Label::Phrase(say("unix-large-echo").arg("size", size)),
                &data,
                &got,
            ))
            .say(say("unix-large-note"))),
    }
}

fn abrupt_close(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let path = socket_path(t);
    let mut rng = t.rng();
    let connect = || {
        UnixStream::connect(&path).map_err(|e| {
            raw_failure(
                &server,
                say("unix-could-not-connect").arg("error", e.to_string()),
            )
        })
    };
    let note = || say("unix-vanish-note");

    // A client whose echo arrives, and which closes without reading it all:
    // the server's next read fails with `ConnectionReset`.
    {
        let stream = connect()?;
        stream
            .set_read_timeout(Some(ECHO_WAIT))
            .map_err(Failure::grader)?;
        (&stream).write_all(&rng.bytes(1000)).map_err(|e| {
            raw_failure(
                &server,
                say("unix-sending-failed").arg("error", e.to_string()),
            )
        })?;
        let mut first = [0u8; 1];
        (&stream).read_exact(&mut first).map_err(|e| {
            raw_failure(
                &server,
                say("unix-no-echo")
                    .arg("n", 1000)
                    .arg("error", e.to_string()),
            )
        })?;
        // Dropped with the rest of the echo unread.
    }
    let situation = say("unix-after-unread");
    std::thread::sleep(PIECE_PAUSE);
    server
        .expect_running()
        .context(situation.clone())
        .map_err(|f| f.say(note()))?;
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    s.echo(b"still there?\n", say("unix-echo"))
        .and_then(|()| end_and_expect_close(&mut s, say("unix-after-its-echo")))
        .map_err(|f| server.or_exit(f))
        .context(situation)
        .map_err(|f| f.say(note()))?;
    drop(s);

    // A client that sends much more than it reads, then closes while the
    // server is still writing to it.
    {
        let stream = connect()?;
        stream
            .set_write_timeout(Some(STUCK))
            .map_err(Failure::grader)?;
        // The server's echoes fill this client's buffer, the server blocks
        // (or buffers), and sending stops: then the client closes.
        let _ = (&stream).write_all(&rng.bytes(4 * LARGE));
    }
    let situation = say("unix-after-large-close");
    std::thread::sleep(PIECE_PAUSE);
    server
        .expect_running()
        .context(situation.clone())
        .map_err(|f| f.say(note()))?;
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    s.echo(b"and now?\n", say("unix-echo"))
        .and_then(|()| end_and_expect_close(&mut s, say("unix-after-its-echo")))
        .map_err(|f| server.or_exit(f))
        .context(situation)
        .map_err(|f| f.say(note()))?;
    server.expect_running()
}
