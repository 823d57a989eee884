//! The hidden tests of `timeout_probe`: left out of the repository students clone.
use super::*;
use crate::harness::stop::stop_and_continue;
use crate::harness::{Ctx, Failure, TestDef, TestResult};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    let limit = Duration::from_secs(20);
    vec![
        TestDef::hidden("late_reply_in_time", 2, late_reply_in_time)
            .clauses(&[2, 6])
            .timeout(limit),
        TestDef::hidden("trickle_without_newline", 3, trickle_without_newline)
            .clauses(&[4, 5, 6])
            .timeout(limit),
        TestDef::hidden("byte_before_deadline", 3, byte_before_deadline)
            .clauses(&[4, 5])
            .timeout(limit),
        TestDef::hidden("only_the_first_line", 2, only_the_first_line)
            .clauses(&[2])
            .timeout(limit),
        TestDef::hidden("reply_not_utf8", 2, reply_not_utf8)
            .clauses(&[2, 3])
            .timeout(limit),
        TestDef::hidden("connect_never_answered", 2, connect_never_answered)
            .clauses(&[4])
            .timeout(limit),
        TestDef::hidden("stopped_and_continued", 2, stopped_and_continued)
            .clauses(&[10])
            .timeout(limit)
            .linux_only(),
        TestDef::hidden("unreachable_address", 2, unreachable_address)
            .clauses(&[9])
            .timeout(limit),
    ]
}

/// An address TCP cannot connect to (a multicast group): `connect` fails at
/// once with ENETUNREACH, with or without a network around.
const UNREACHABLE: &str = "224.0.0.1:9";

/// How often a trickling server sends one more byte of a line it never ends.
const TRICKLE_EVERY: Duration = Duration::from_millis(200);

/// How long the trickle goes on (if the program does not end first): long
/// past TIMEOUT_MS + MARGIN, so that a timeout restarted by every byte shows.
const TRICKLE_FOR: Duration = Duration::from_secs(4);

impl Probe {
    /// Sleeps until `after` has passed since the connection was accepted.
    fn wait_until(&self, after: Duration) {
        let at = self.accepted + after;
        std::thread::sleep(at.saturating_duration_since(Instant::now()));
    }

    /// Like [`Probe::wait_until`], but returns as soon as the program has
    /// exited: its exit is then measured when it happened, not when the
    /// suite was done waiting.
    fn wait_while_running_until(&mut self, after: Duration) {
        let at = self.accepted + after;
        while self.running.is_running() {
            let left = at.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            std::thread::sleep(left.min(Duration::from_millis(10)));
        }
    }
}

fn late_reply_in_time(t: &mut Ctx) -> TestResult {
    let line = reply_line(t);
    let mut p = start_probe(t, 3000)?;
    let mut reply = line.clone();
    reply.push(b'\n');
    let at = Duration::from_millis(1500);
    p.wait_until(at);
    p.send(&reply);
    let done = p.finish(&format!("(sleep 1.5; {}; sleep 30)", printf(&reply)))?;
    let gave_up = done.out.stdout == b"timeout\n";
    done.expect_reply(&line).map_err(|f| {
        if gave_up {
            f.say(
                say("probe-late-note")
                    .arg("at", Arg::Seconds(at))
                    .arg("ms", 3000),
            )
        } else {
            f
        }
    })
}

fn only_the_first_line(t: &mut Ctx) -> TestResult {
    let line = reply_line(t);
    let mut p = start_probe(t, 5000)?;
    let mut reply = line.clone();
    reply.extend_from_slice(b"\nand a second line, which is not the reply\n");
    p.send(&reply);
    let done = p.finish(&format!("({}; sleep 30)", printf(&reply)))?;
    done.expect_reply(&line)
        .map_err(|f| f.say(say("probe-two-lines-note")))
}

fn trickle_without_newline(t: &mut Ctx) -> TestResult {
    let word = t.rng().word(40);
    let mut p = start_probe(t, 1000)?;
    // One byte every 200 ms, never a `\n`, until the program ends (or long
    // after TIMEOUT_MS); then silence, the connection still open.
    for (i, b) in word.bytes().cycle().enumerate() {
        if !p.running.is_running() || TRICKLE_EVERY * (i as u32) >= TRICKLE_FOR {
            break;
        }
        p.wait_until(TRICKLE_EVERY * (i as u32));
        p.send(&[b]);
    }
    let done = p.finish("(while :; do printf x; sleep 0.2; done)")?;
    done.expect_timeout(say("probe-trickle-note"))
}

fn byte_before_deadline(t: &mut Ctx) -> TestResult {
    // One byte early, one byte 400 ms before the deadline, then silence with
    // the connection open. A read timeout of the whole TIMEOUT_MS, armed
    // again after that last byte, runs 4.6 s past the deadline, three times
    // the margin; a read timeout of the time left ends at the deadline
    // whenever the bytes come. TIMEOUT_MS is long enough that a program
    // waiting a fixed second ends 4 s early: a start delayed by load cannot
    // hide that.
    let timeout_ms = 5000;
    let word = t.rng().word(2);
    let bytes = word.as_bytes();
    let mut p = start_probe(t, timeout_ms)?;
    p.wait_until(Duration::from_millis(200));
    p.send(&bytes[..1]);
    // A program that gave up early is measured when it exited.
    p.wait_while_running_until(Duration::from_millis(4600));
    p.send(&bytes[1..2]);
    let script = format!(
        "(sleep 0.2; {}; sleep 4.4; {}; sleep 30)",
        printf(&bytes[..1]),
        printf(&bytes[1..2])
    );
    let done = p.finish(&script)?;
    done.expect_timeout(say("probe-last-byte-note").arg("ms", 400))
}

fn stopped_and_continued(t: &mut Ctx) -> TestResult {
    // Stopped (SIGSTOP) 0.5 s into its wait and continued (SIGCONT) at
    // once, as Ctrl-Z and `fg` do; the reply comes 1.5 s after connecting,
    // well within TIMEOUT_MS.
    let line = reply_line(t);
    let mut reply = line.clone();
    reply.push(b'\n');
    let mut p = start_probe(t, 5000)?;
    p.wait_until(Duration::from_millis(500));
    stop_and_continue(p.running.pid())?;
    p.wait_until(Duration::from_millis(1500));
    p.send(&reply);
    let done = p.finish(&format!("(sleep 1.5; {}; sleep 30)", printf(&reply)))?;
    done.expect_reply(&line)
        .map_err(|f| f.say(say("probe-stopped-note")))
}

fn reply_not_utf8(t: &mut Ctx) -> TestResult {
    let mut line = b"PONG ".to_vec();
    line.extend_from_slice(t.rng().word(5).as_bytes());
    // Latin-1 and stray bytes: never UTF-8.
    line.extend_from_slice(b" caf\xe9 \xff\xfe\x80 end");
    let mut reply = line.clone();
    reply.push(b'\n');
    let mut p = start_probe(t, 5000)?;
    p.send(&reply);
    let done = p.finish(&format!("({}; sleep 30)", printf(&reply)))?;
    done.expect_reply(&line)
}

fn connect_never_answered(t: &mut Ctx) -> TestResult {
    // A listener whose queue of connections waiting for `accept` holds one,
    // filled by the suite: Linux drops the program's SYN, so its `connect`
    // gets no answer at all, and only a deadline over the connect ends it.
    let addr = t.addr();
    let listener = TcpListener::bind(addr)
        .map_err(|e| Failure::grader(format!("listening on {addr}: {e}")))?;
    // SAFETY: `listen` on a socket this function owns; it only changes the
    // length of its queue.
    if unsafe { libc::listen(listener.as_raw_fd(), 0) } != 0 {
        let e = std::io::Error::last_os_error();
        return Err(Failure::grader(format!("shortening the listen queue: {e}")));
    }
    let mut queued = Vec::new();
    loop {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            Ok(s) => queued.push(s),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => break,
            Err(e) => return Err(Failure::grader(format!("filling the listen queue: {e}"))),
        }
        if queued.len() > 8 {
            return Err(Failure::grader(
                "the listen queue does not fill: the kernel keeps accepting connections",
            ));
        }
    }
    let args = [addr.to_string(), "1000".to_string()];
    let out = t
        .command(&args)
        .timeout(Duration::from_millis(1000) + OVERRUN)
        .run()
        .map_err(|f| f.say(say("probe-never-answered-note")))?;
    drop(queued);
    let note = || say("probe-no-connection-note");
    out.expect_stdout("timeout\n").map_err(|f| f.say(note()))?;
    out.expect_code(3).map_err(|f| f.say(note()))
}

fn unreachable_address(t: &mut Ctx) -> TestResult {
    // TCP cannot connect to a multicast address: Linux fails `connect` at
    // once with "Network is unreachable", an error that is neither a refused
    // connection nor a timeout.
    let args = [UNREACHABLE.to_string(), "3000".to_string()];
    let out = t
        .command(&args)
        .timeout(Duration::from_millis(3000) + OVERRUN)
        .run()?;
    let note = || say("probe-unreachable-note");
    out.expect_code(2).map_err(|f| f.say(note()))?;
    out.expect_stderr_nonempty().map_err(|f| f.say(note()))
}
