//! Suite of `timeout_probe ADDR TIMEOUT_MS`: a client that waits for one
//! reply line, but never longer than TIMEOUT_MS after connecting.
//!
//! The suite plays the server: it accepts the program's connection, expects
//! `PING\n`, then replies at once, in pieces, late (yet in time), never, or
//! with a trickle of bytes that never ends a line. A timed-out program must
//! end within TIMEOUT_MS + 1.5 s of connecting; how that is measured, so
//! that a loaded machine never fails a correct program, is explained at
//! [`Probe::finish`].
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::harness::escape::{escape_bytes, printf_arg};
use crate::harness::{
    compare, say, Cause, Ctx, Detail, Failure, RunOutput, Running, Session, TestDef, TestResult,
};
use crate::messages;
use crate::text::{Arg, Phrase};

mod hidden;

/// How long the program may take to connect once started.
const CONNECT_WAIT: Duration = Duration::from_secs(5);

/// How long the suite waits for `PING\n` (a client sends it at once).
const PING_WAIT: Duration = Duration::from_secs(3);

/// What the contract allows past TIMEOUT_MS, from connecting to exiting.
/// A correct program ended up to 280 ms late on a 2-core machine at load
/// average 18 (and 300 ms failed correct programs at load 14 to 17), so the
/// margin is wide; the wrong programs the tests look for (a wait restarted
/// by every byte, a deadline checked only between reads) end 3.8 s late or
/// more.
const MARGIN: Duration = Duration::from_millis(1500);

/// How much sooner than TIMEOUT_MS after its start a program may give up
/// and still count as having waited (clock granularity only: no timer
/// fires early).
const EARLY_SLACK: Duration = Duration::from_millis(100);

/// How long past TIMEOUT_MS a run may last before it is stopped: a program
/// without a working timeout.
const OVERRUN: Duration = Duration::from_secs(6);

/// The pause between the pieces of a reply sent in pieces.
const PIECE_PAUSE: Duration = Duration::from_millis(300);

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let limit = Duration::from_secs(20);
    let mut tests = vec![
        TestDef::visible("immediate_reply", 2, immediate_reply)
            .clauses(&[1, 2])
            .timeout(limit),
        TestDef::visible("reply_in_pieces", 3, reply_in_pieces)
            .clauses(&[1, 2, 3])
            .timeout(limit),
        TestDef::visible("silent_server_times_out", 3, silent_server_times_out)
            .clauses(&[4, 5, 6])
            .timeout(limit),
        TestDef::visible("refused", 2, refused)
            .clauses(&[7])
            .timeout(limit),
        TestDef::visible("bad_arguments", 1, bad_arguments)
            .clauses(&[8])
            .timeout(Duration::from_secs(30)),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// Playing the server

/// A program started against the suite's listener, its connection accepted
/// and its `PING\n` received.
struct Probe {
    running: Running,
    session: Session,
    addr: SocketAddr,
    timeout: Duration,
    /// Just before the program was started.
    spawned: Instant,
    /// Just after its connection was accepted.
    accepted: Instant,
}

/// The program's output and the measures of its run.
struct Done {
    out: RunOutput,
    session: Session,
    server: Detail,
    timeout: Duration,
    /// From connecting to exiting, never more than the real time.
    after_connecting: Duration,
    /// From starting to exiting, never less than the real time.
    after_start: Duration,
}

/// Starts the program with TIMEOUT_MS `timeout_ms`, accepts its connection
/// and expects `PING\n`.
fn start_probe(t: &mut Ctx, timeout_ms: u64) -> Result<Probe, Failure> {
    let listener = t.listen()?;
    let addr = listener.addr();
    let timeout = Duration::from_millis(timeout_ms);
    let args = [addr.to_string(), timeout_ms.to_string()];
    let spawned = Instant::now();
    let running = t.command(&args).timeout(timeout + OVERRUN).start()?;
    let (mut session, running) = listener.accept_from(running, CONNECT_WAIT)?;
    let accepted = Instant::now();
    expect_ping(&mut session).map_err(|mut f| {
        f.details.insert(
            0,
            Detail::Command {
                label: "run".into(),
                command: running.invocation().clone(),
            },
        );
        f
    })?;
    Ok(Probe {
        running,
        session,
        addr,
        timeout,
        spawned,
        accepted,
    })
}

/// Reads the program's first line and expects exactly `PING\n`.
fn expect_ping(s: &mut Session) -> TestResult {
    s.set_read_timeout(PING_WAIT);
    match s.recv_until(b"\n", 1024) {
        Ok(line) if line == b"PING\n" => Ok(()),
        Ok(line) => Err(s.fail(say("probe-sent-instead").arg("line", escape_bytes(&line)))),
        Err(mut f) => {
            f.property = if f.cause == Cause::Timeout {
                say("probe-no-ping").into()
            } else {
                say("probe-closed-before-ping").into()
            };
            f.cause = Cause::Mismatch;
            Err(f)
        }
    }
}

impl Probe {
    /// Sends bytes; a failure (the program is gone) is not the suite's
    /// concern: the program's output tells what it did.
    fn send(&mut self, bytes: &[u8]) {
        let _ = self.session.send(bytes);
    }

    /// Waits for the program to exit, the connection still open, and
    /// measures its run.
    ///
    /// The bound on a timed-out program is on the time from connecting to
    /// exiting. The suite never overstates it, so a loaded machine cannot
    /// fail a correct program: `out.duration` runs from the program's start
    /// (taken after the spawn returned) to its exit as `wait4` reported it,
    /// so `spawned + duration` is no later than that exit; and `accepted` is
    /// no earlier than the connection. The lower bound (it did not give up
    /// early) uses the opposite ends: the moment `finish` returned, which is
    /// no earlier than the exit, against `spawned`, no later than the start.
    fn finish(self, server: &str) -> Result<Done, Failure> {
        let server = Detail::Command {
            label: say("probe-same-server").into(),
            command: format!("{server} | nc -l {} {}", self.addr.ip(), self.addr.port()).into(),
        };
        let finished = self.running.finish();
        let ended = Instant::now();
        let out = finished.map_err(|f| {
            let f = if f.cause == Cause::Timeout {
                f.say(say("probe-kept-waiting"))
            } else {
                f
            };
            decorate(f, &self.session, &server)
        })?;
        let exited = self.spawned + out.duration;
        Ok(Done {
            after_connecting: exited.saturating_duration_since(self.accepted),
            after_start: ended.duration_since(self.spawned),
            out,
            session: self.session,
            server,
            timeout: self.timeout,
        })
    }
}

/// Adds the command of a server that behaves the same, and the transcript,
/// to a failure.
fn decorate(mut f: Failure, session: &Session, server: &Detail) -> Failure {
    f.details.insert(0, server.clone());
    f.details.extend(session.fail("").details);
    f
}

impl Done {
    /// A failure of this run, with its command, output and transcript.
    fn fail(&self, property: impl Into<crate::model::Sentence>) -> Failure {
        decorate(self.out.fail(property), &self.session, &self.server)
    }

    /// Stdout is exactly `expected`.
    fn expect_stdout(&self, expected: &str, note: Phrase) -> TestResult {
        self.out
            .expect_stdout(expected)
            .map_err(|f| decorate(f, &self.session, &self.server).say(note))
    }

    /// The exit code is `code`.
    fn expect_code(&self, code: i32) -> TestResult {
        if self.out.code == code {
            Ok(())
        } else {
            Err(self.fail(messages::wrong_exit_code(code, self.out.code)))
        }
    }

    /// The program printed `reply: LINE` and exited 0.
    fn expect_reply(&self, line: &[u8]) -> TestResult {
        let note = || say("probe-reply-note");
        match std::str::from_utf8(line) {
            Ok(text) => self.expect_stdout(&format!("reply: {text}\n"), note())?,
            Err(_) => {
                // Bytes that are not UTF-8 are printed as they came: compare
                // bytes, not text decoded with replacement characters.
                let mut expected = b"reply: ".to_vec();
                expected.extend_from_slice(line);
                expected.push(b'\n');
                if let Some(diff) = compare::bytes("stdout", &expected, &self.out.stdout) {
                    return Err(self
                        .fail(messages::wrong_stdout())
                        .with(diff)
                        .say(note())
                        .say(say("probe-bytes-not-text")));
                }
            }
        }
        self.expect_code(0)
    }

    /// The program printed `timeout`, exited 3, and did so within the
    /// contract's bounds.
    fn expect_timeout(&self, note: Phrase) -> TestResult {
        self.expect_stdout("timeout\n", note)?;
        self.expect_code(3)?;
        let ms = self.timeout.as_millis() as u64;
        if self.after_connecting > self.timeout + MARGIN {
            return Err(self
                .fail(
                    say("probe-ended-late")
                        .arg("took", Arg::Seconds(self.after_connecting))
                        .arg("ms", ms)
                        .arg("margin", MARGIN.as_millis() as u64),
                )
                .say(say("probe-one-deadline")));
        }
        if self.after_start + EARLY_SLACK < self.timeout {
            return Err(self.fail(
                say("probe-gave-up-early")
                    .arg("took", Arg::Seconds(self.after_start))
                    .arg("ms", ms),
            ));
        }
        Ok(())
    }
}

/// A reply line made of the test's random words.
fn reply_line(t: &Ctx) -> Vec<u8> {
    let mut rng = t.rng();
    format!("PONG {} {}", rng.word(6), rng.word(9)).into_bytes()
}

/// The `printf` of bytes, for the reproduction command.
fn printf(bytes: &[u8]) -> String {
    format!("printf {}", printf_arg(bytes))
}

// ---------------------------------------------------------------------------
// The tests

fn immediate_reply(t: &mut Ctx) -> TestResult {
    let line = reply_line(t);
    let mut p = start_probe(t, 5000)?;
    let mut reply = line.clone();
    reply.push(b'\n');
    p.send(&reply);
    let done = p.finish(&format!("({}; sleep 30)", printf(&reply)))?;
    done.expect_reply(&line)
}

fn reply_in_pieces(t: &mut Ctx) -> TestResult {
    // A UTF-8 character split between two pieces: the line is bytes until
    // its `\n`, not text decoded one read at a time.
    let mut line = "PONG 你好".as_bytes().to_vec();
    line.extend_from_slice(b" ");
    line.extend_from_slice(t.rng().word(8).as_bytes());
    let cut = "PONG 你".len() + 1;
    let pieces = [&line[..cut], &line[cut..], b"\n"];
    let mut p = start_probe(t, 3000)?;
    let mut script = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(PIECE_PAUSE);
            script.push(format!("sleep {}", PIECE_PAUSE.as_secs_f64()));
        }
        p.send(piece);
        script.push(printf(piece));
    }
    let done = p.finish(&format!("({}; sleep 30)", script.join("; ")))?;
    done.expect_reply(&line)
        .map_err(|f| f.say(say("probe-pieces-note").arg("pause", Arg::Seconds(PIECE_PAUSE))))
}

fn silent_server_times_out(t: &mut Ctx) -> TestResult {
    let p = start_probe(t, 1000)?;
    // The connection stays open and silent until the program exits.
    let done = p.finish("sleep 30")?;
    done.expect_timeout(say("probe-silent-note"))
}

fn refused(t: &mut Ctx) -> TestResult {
    // A fresh address: nothing listens there.
    let addr = t.addr();
    let out = t
        .command(&[addr.to_string(), "3000".to_string()])
        .timeout(Duration::from_millis(3000) + OVERRUN)
        .run()?;
    let note = || say("probe-refused-note");
    out.expect_stdout("refused\n").map_err(|f| f.say(note()))?;
    out.expect_code(4).map_err(|f| f.say(note()))
}

fn bad_arguments(t: &mut Ctx) -> TestResult {
    t.command_no_args()
        .expect_refusal(say("harness-no-arguments"))?;
    let args = ["not-an-address".to_string(), "1000".to_string()];
    t.command(&args)
        .expect_refusal(say("harness-addr-not-an-address"))?;
    // A good ADDR where the suite listens (and never answers), so that only
    // TIMEOUT_MS is wrong.
    let listener = t.listen()?;
    let args = [listener.addr().to_string(), "1s".to_string()];
    t.command(&args).expect_refusal(say("probe-bad-timeout"))
}
