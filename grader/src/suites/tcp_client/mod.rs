//! Suite of `tcp_client ADDR`: a client that sends each line of its input
//! and prints each reply line. The suite plays the server: it listens on its
//! own loopback address, starts the client with the lines on stdin, checks
//! every line it receives, and replies: at once, in fragments with pauses,
//! only after a long silence (during which the client must not send the
//! next line), or not at all (it closes the connection early).
use std::io::{ErrorKind, Read};
use std::time::{Duration, Instant};

use crate::harness::escape::escape_bytes;
use crate::harness::{
    compare, say, Cause, Ctx, Detail, Failure, Heard, ResultExt, RunOutput, Running, Session,
    TestDef, TestResult,
};
use crate::messages;
use crate::model::Sentence;
use crate::text::{Arg, Phrase};

mod hidden;

/// How long the client has to connect.
const CONNECT_WAIT: Duration = Duration::from_secs(5);

/// How long the suite waits for each line, or for the client to close.
const WAIT: Duration = Duration::from_secs(5);

/// How long the suite keeps a reply back while it checks that the client
/// sends nothing more.
const HOLD: Duration = Duration::from_millis(1500);

/// The pause between two fragments of a reply.
const PAUSE: Duration = Duration::from_millis(400);

/// How long a client that the test gave up on has to exit by itself.
const EXIT_WAIT: Duration = Duration::from_secs(2);

/// The longest line the suite reads.
const MAX_LINE: usize = 1 << 20;

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("one_line", 2, one_line).clauses(&[1, 6]),
        TestDef::visible("several_lines", 2, several_lines).clauses(&[1, 6]),
        TestDef::visible("waits_for_each_reply", 3, waits_for_each_reply)
            .timeout(Duration::from_secs(25))
            .clauses(&[1, 2]),
        TestDef::visible("reply_in_fragments", 3, reply_in_fragments)
            .timeout(Duration::from_secs(25))
            .clauses(&[1, 3]),
        TestDef::visible("replies_ahead_in_one_write", 3, replies_ahead_in_one_write)
            .timeout(Duration::from_secs(25))
            .clauses(&[1, 3]),
        TestDef::visible("closes_at_end_of_input", 2, closes_at_end_of_input)
            .timeout(Duration::from_secs(15))
            .clauses(&[6]),
        TestDef::visible("server_closes_early", 3, server_closes_early)
            .timeout(Duration::from_secs(15))
            .clauses(&[7]),
        TestDef::visible("connection_refused", 2, connection_refused).clauses(&[8]),
        TestDef::visible("bad_arguments", 1, bad_arguments)
            .timeout(Duration::from_secs(20))
            .clauses(&[8, 9]),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// Running the client against the suite's server

/// Starts the client with `stdin`, plays the server with `serve`, and
/// returns what the client did once it exited. The suite's side of the
/// connection closes when `serve` returns.
fn talk(
    t: &mut Ctx,
    stdin: &[u8],
    serve: impl FnOnce(&mut Session) -> TestResult,
) -> Result<RunOutput, Failure> {
    let listener = t.listen()?;
    let running = t
        .command(&[listener.addr().to_string()])
        .stdin(stdin.to_vec())
        .start()?;
    let (mut s, running) = listener.accept_from(running, CONNECT_WAIT)?;
    s.set_read_timeout(WAIT);
    let served = serve(&mut s);
    drop(s);
    match served {
        Ok(()) => running.finish(),
        Err(f) => Err(explain(f, running)),
    }
}

/// Adds to a failure of the conversation what the client did: its crash if
/// it crashed, else its exit code and output (stopping it if it still runs).
fn explain(mut f: Failure, mut running: Running) -> Failure {
    let until = Instant::now() + EXIT_WAIT;
    while running.is_running() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    if running.is_running() {
        let out = running.stop();
        f = f.say(say("tcpclient-still-running"));
        f.details.extend(out.fail("").details);
        return f;
    }
    match running.finish() {
        // A panic or a crash says more than what the suite saw.
        Err(mut crash) => {
            if !f.details.is_empty() {
                crash = crash.note(Sentence::template(
                    "tcpclient-was-checking",
                    vec![("property", f.property.clone())],
                ));
                crash.details.extend(f.details);
            }
            crash
        }
        Ok(out) => {
            f = f.say(say("tcpclient-exited-with").arg("code", out.code));
            f.details.extend(out.fail("").details);
            f
        }
    }
}

/// The session's failures speak of "the server"; here the peer is the
/// student's client. A property that needs no other words is kept as it is
/// (and so in the reader's language).
fn client_words(mut f: Failure) -> Failure {
    f.property = f.property.rekeyed(&[
        ("closed-early", "tcpclient-said-closed-early"),
        ("no-reply", "tcpclient-said-no-reply"),
        ("harness-reset", "tcpclient-said-reset"),
        ("harness-closed", "tcpclient-said-closed"),
        ("harness-stopped-reading", "tcpclient-said-stopped-reading"),
        ("harness-too-much", "tcpclient-said-too-much"),
        (
            "harness-more-than-expected",
            "tcpclient-said-more-than-expected",
        ),
        (
            "harness-more-instead-of-close",
            "tcpclient-said-more-instead-of-close",
        ),
        ("harness-did-not-close", "tcpclient-said-did-not-close"),
        (
            "harness-incomplete-closed",
            "tcpclient-said-incomplete-closed",
        ),
    ]);
    f
}

// ---------------------------------------------------------------------------
// The server's side of the conversation

/// Receives line `k` and checks that it is `expected` and `\n`.
fn expect_line(s: &mut Session, k: usize, expected: &str) -> TestResult {
    let what = say("tcpclient-line").arg("k", k);
    let got = match s.recv_until(b"\n", MAX_LINE) {
        Ok(got) => got,
        Err(f) if f.cause == Cause::Timeout && !s.pending().is_empty() => {
            let f = client_words(f);
            let property = say("tcpclient-no-newline")
                .arg("size", Arg::Bytes(s.pending().len() as u64))
                .arg("wait", Arg::Seconds(WAIT));
            return Err(Failure {
                property: property.into(),
                ..f
            }
            .context(what)
            .say(say("tcpclient-newline-after-each")));
        }
        Err(f) => return Err(client_words(f).context(what)),
    };
    let mut want = expected.as_bytes().to_vec();
    want.push(b'\n');
    if got == want {
        return Ok(());
    }
    let detail = if want.len() <= 4096 {
        compare::labelled_text(what.clone().into(), &format!("{expected}\n"), &got)
    } else {
        compare::labelled_bytes(what.clone().into(), &want, &got)
    };
    Err(s
        .fail(say("tcpclient-other-bytes"))
        .context(what)
        .with_opt(detail)
        .say(say("tcpclient-send-as-is")))
}

/// Sends bytes to the client.
fn send(s: &mut Session, bytes: &[u8]) -> TestResult {
    s.send(bytes).map_err(client_words)
}

/// Waits [`HOLD`] without replying to line `k` and checks that the client
/// sends nothing meanwhile.
fn expect_silence(s: &mut Session, k: usize) -> TestResult {
    let early = |s: &Session| {
        s.fail(say("tcpclient-sent-early").arg("k", k))
            .say(say("tcpclient-one-at-a-time"))
    };
    match s.wait_silent(HOLD)? {
        Heard::Nothing => Ok(()),
        Heard::Closed => Err(s.fail(say("tcpclient-closed-before-reply").arg("k", k))),
        Heard::Bytes => Err(early(s)),
    }
}

/// Reads until the client closes, for at most `wait`; a reset counts as a
/// close. Returns the bytes that came first, and whether it closed.
fn read_until_closed(s: &Session, wait: Duration) -> Result<(Vec<u8>, bool), Failure> {
    let mut extra = s.pending().to_vec();
    let stream = s
        .tcp_stream()
        .ok_or_else(|| Failure::grader("a TCP session has a TCP stream"))?;
    let until = Instant::now() + wait;
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok((extra, false));
        }
        let _ = stream.set_read_timeout(Some(left));
        match (&*stream).read(&mut chunk) {
            Ok(0) => return Ok((extra, true)),
            Ok(n) if extra.len() < MAX_LINE => extra.extend_from_slice(&chunk[..n]),
            Ok(_) => return Ok((extra, false)),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Ok((extra, false))
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Ok((extra, true)),
        }
    }
}

/// Fails if the client sent bytes after its last line.
fn expect_nothing_more(s: &Session, extra: &[u8]) -> TestResult {
    if extra.is_empty() {
        return Ok(());
    }
    let shown = &extra[..extra.len().min(200)];
    Err(s
        .fail(say("tcpclient-sent-more"))
        .text(say("tcpclient-sent-after-last"), escape_bytes(shown)))
}

/// The end of a conversation that went well: the suite closes its sending
/// side, and the client, at the end of its input, closes too without
/// sending anything more.
fn end(s: &mut Session) -> TestResult {
    s.shutdown_write().map_err(client_words)?;
    let (extra, _) = read_until_closed(s, WAIT)?;
    expect_nothing_more(s, &extra)
}

/// The server closes (its sending side) without another byte; whatever the
/// client sends after that is read and dropped until it closes.
fn close_early(s: &mut Session) -> TestResult {
    s.shutdown_write().map_err(client_words)?;
    read_until_closed(s, WAIT)?;
    Ok(())
}

/// Serves `lines` with `replies`, each reply sent whole.
fn serve_lines(s: &mut Session, lines: &[&str], replies: &[&str]) -> TestResult {
    for (k, (line, reply)) in lines.iter().zip(replies).enumerate() {
        expect_line(s, k + 1, line)?;
        send(s, format!("{reply}\n").as_bytes())?;
    }
    end(s)
}

/// The input a client reads: each line and `\n`.
fn input(lines: &[&str]) -> Vec<u8> {
    lines
        .iter()
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect()
}

/// What the client prints: each reply and `\n`.
fn printed(replies: &[&str]) -> String {
    replies.iter().map(|r| format!("{r}\n")).collect()
}

/// Checks stdout, with a diff for text and the first difference for long
/// output.
fn expect_stdout(out: &RunOutput, expected: &str) -> TestResult {
    if expected.len() <= 8 * 1024 {
        return out
            .expect_stdout(expected)
            .map_err(|f| f.say(say("tcpclient-print-once")));
    }
    match compare::bytes("stdout", expected.as_bytes(), &out.stdout) {
        None => Ok(()),
        Some(d) => Err(Failure::mismatch(messages::wrong_stdout())
            .with(Detail::Command {
                label: "run".into(),
                command: out.invocation.clone(),
            })
            .with(d)),
    }
}

/// A successful run: the replies on stdout, exit code 0.
fn expect_success(out: &RunOutput, replies: &[&str]) -> TestResult {
    expect_stdout(out, &printed(replies))?;
    out.expect_code(0)
}

/// The client after the server closed early: an error on stderr, exit 1,
/// and on stdout only the replies that came whole.
fn expect_closed_early(out: &RunOutput, replies: &[&str], server_did: Phrase) -> TestResult {
    let checks = expect_stdout(out, &printed(replies))
        .map_err(|f| f.say(say("tcpclient-whole-reply-only")))
        .and_then(|()| {
            out.expect_code(1)
                .map_err(|f| f.say(say("tcpclient-exit-1")))
        })
        .and_then(|()| out.expect_stderr_nonempty());
    checks
        .map_err(|f| f.say(server_did))
        .context(say("tcpclient-closed-early"))
}

/// Random lines of words.
fn random_lines(t: &Ctx, n: usize, prefix: &str) -> Vec<String> {
    let mut rng = t.rng();
    (0..n)
        .map(|i| {
            let words: Vec<String> = (0..rng.range(1, 6))
                .map(|_| {
                    let len = rng.range(1, 9) as usize;
                    rng.word(len)
                })
                .collect();
            format!("{prefix}{} {}", i + 1, words.join(" "))
        })
        .collect()
}

/// Each test's failures also say how to play the server by hand (a panic
/// already points at the line to fix).
fn by_hand(f: Failure) -> Failure {
    if matches!(f.cause, Cause::GraderError | Cause::Panic) {
        f
    } else {
        f.say(say("tcpclient-by-hand"))
    }
}

// ---------------------------------------------------------------------------
// The tests

fn one_line(t: &mut Ctx) -> TestResult {
    let lines = ["hello, server"];
    let replies = ["HELLO, CLIENT"];
    let out = talk(t, &input(&lines), |s| serve_lines(s, &lines, &replies)).map_err(by_hand)?;
    expect_success(&out, &replies).map_err(by_hand)
}

fn several_lines(t: &mut Ctx) -> TestResult {
    let lines = random_lines(t, 5, "line ");
    let replies: Vec<String> = lines
        .iter()
        .map(|l| format!("reply to {}", l.chars().rev().collect::<String>()))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let replies: Vec<&str> = replies.iter().map(String::as_str).collect();
    let out = talk(t, &input(&lines), |s| serve_lines(s, &lines, &replies)).map_err(by_hand)?;
    expect_success(&out, &replies).map_err(by_hand)
}

fn waits_for_each_reply(t: &mut Ctx) -> TestResult {
    let lines = ["first question", "second question", "third question"];
    let replies = ["first answer", "second answer", "third answer"];
    let out = talk(t, &input(&lines), |s| {
        for (k, (line, reply)) in lines.iter().zip(replies).enumerate() {
            expect_line(s, k + 1, line)?;
            expect_silence(s, k + 1)?;
            send(s, format!("{reply}\n").as_bytes())?;
        }
        end(s)
    })
    .map_err(by_hand)?;
    expect_success(&out, &replies).map_err(by_hand)
}

fn reply_in_fragments(t: &mut Ctx) -> TestResult {
    let lines = ["one", "two", "three"];
    let fragments: [&[&str]; 3] = [
        &["frag", "ments of the ", "first reply\n"],
        &["the second reply, its newline alone", "\n"],
        &["t", "h", "ird reply", "\n"],
    ];
    let replies = [
        "fragments of the first reply",
        "the second reply, its newline alone",
        "third reply",
    ];
    let mut cut_short = None;
    let out = talk(t, &input(&lines), |s| {
        for (k, (line, pieces)) in lines.iter().zip(fragments).enumerate() {
            expect_line(s, k + 1, line)?;
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    std::thread::sleep(PAUSE);
                }
                // A client that took a fragment for the reply may be gone:
                // its stdout tells the story better than this send.
                if let Err(f) = send(s, piece.as_bytes()) {
                    cut_short = Some(f);
                    return Ok(());
                }
            }
        }
        end(s)
    })
    .map_err(by_hand)?;
    let sent: Vec<String> = fragments
        .iter()
        .map(|pieces| {
            let quoted: Vec<String> = pieces
                .iter()
                .map(|p| format!("\"{}\"", escape_bytes(p.as_bytes())))
                .collect();
            quoted.join(" | ")
        })
        .collect();
    expect_stdout(&out, &printed(&replies))
        .map_err(|f| {
            f.say(
                say("tcpclient-fragments")
                    .arg("pause", Arg::Seconds(PAUSE))
                    .arg("first", &sent[0])
                    .arg("second", &sent[1])
                    .arg("third", &sent[2]),
            )
            .say(say("tcpclient-read-until-newline"))
        })
        .map_err(by_hand)?;
    out.expect_code(0).map_err(by_hand)?;
    match cut_short {
        Some(f) => Err(by_hand(f)),
        None => Ok(()),
    }
}

fn closes_at_end_of_input(t: &mut Ctx) -> TestResult {
    let lines = ["last question", "really the last one"];
    let replies = ["an answer", "the last answer"];
    let out = talk(t, &input(&lines), |s| {
        for (k, (line, reply)) in lines.iter().zip(replies).enumerate() {
            expect_line(s, k + 1, line)?;
            send(s, format!("{reply}\n").as_bytes())?;
        }
        // The suite keeps its side open: the client must close first.
        let (extra, closed) = read_until_closed(s, WAIT)?;
        expect_nothing_more(s, &extra)?;
        if closed {
            Ok(())
        } else {
            Err(s
                .fail(say("tcpclient-did-not-close").arg("wait", Arg::Seconds(WAIT)))
                .say(say("tcpclient-close-at-eof")))
        }
    })
    .map_err(by_hand)?;
    expect_success(&out, &replies).map_err(by_hand)
}

fn server_closes_early(t: &mut Ctx) -> TestResult {
    let lines = ["is anybody there?", "hello?", "anyone?"];
    let out = talk(t, &input(&lines), |s| {
        expect_line(s, 1, lines[0])?;
        close_early(s)
    })
    .map_err(by_hand)?;
    expect_closed_early(&out, &[], say("tcpclient-server-closed-silently")).map_err(by_hand)
}

fn connection_refused(t: &mut Ctx) -> TestResult {
    // A fresh address that nothing listens on.
    let addr = t.addr();
    let situation = say("tcpclient-nothing-listens");
    let out = t
        .command(&[addr.to_string()])
        .stdin(b"hello\n".to_vec())
        .timeout(WAIT)
        .run()
        .context(situation.clone())?;
    out.expect_code(2)
        .map_err(|f| f.say(say("tcpclient-refused")))
        .and_then(|()| out.expect_stderr_nonempty())
        .and_then(|()| out.expect_stdout_empty())
        .context(situation)
}

fn replies_ahead_in_one_write(t: &mut Ctx) -> TestResult {
    let lines = ["ask 1", "ask 2", "ask 3", "ask 4"];
    let replies = ["answer 1", "answer 2", "answer 3", "answer 4"];
    // The reply to line 1, all of reply 2 and the start of reply 3 in one
    // write: a client that reads them into a buffer and drops the buffer
    // after each reply loses reply 2 and the start of reply 3.
    let first_write = "answer 1\nanswer 2\nansw";
    let out = talk(t, &input(&lines), |s| {
        expect_line(s, 1, lines[0])?;
        send(s, first_write.as_bytes())?;
        expect_line(s, 2, lines[1])?;
        std::thread::sleep(PAUSE);
        send(s, b"er 3\n")?;
        expect_line(s, 3, lines[2])?;
        send(s, b"answer 4\n")?;
        expect_line(s, 4, lines[3])?;
        end(s)
    })
    .map_err(by_hand)?;
    expect_success(&out, &replies)
        .map_err(|f| {
            f.say(say("tcpclient-ahead").arg("sent", escape_bytes(first_write.as_bytes())))
                .say(say("tcpclient-keep-bytes"))
        })
        .map_err(by_hand)
}

fn bad_arguments(t: &mut Ctx) -> TestResult {
    // `expect_refusal` takes what is wrong as English text for now.
    t.command_no_args()
        .stdin(b"hello\n".to_vec())
        .expect_refusal(say("tcpclient-no-arguments"))?;
    t.command(&["not-an-address"])
        .stdin(b"hello\n".to_vec())
        .expect_refusal(say("tcpclient-bad-addr").arg("addr", "not-an-address"))?;
    // An extra argument, with a server listening at ADDR.
    let listener = t.listen()?;
    t.command(&[listener.addr().to_string(), "extra".to_string()])
        .stdin(b"hello\n".to_vec())
        .expect_refusal(say("tcpclient-extra-argument").arg("extra", "extra"))
}
