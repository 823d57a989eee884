//! Suite of `tcp_echo ADDR`: an echo server that serves clients one after
//! another. Each echo is awaited while the client stays connected (so a
//! server that waits for the end of the stream fails), the server must close
//! when the client closes, binary bytes and 1 MiB come back intact, five
//! clients are served in turn, and a client that resets its connection does
//! not end the server.
//!
//! Clients connect only after the previous one has closed: a server that
//! serves one client at a time passes, and so does one with a thread per
//! client.
use std::time::Duration;

use crate::harness::{say, Cause, Ctx, Failure, ResultExt, Server, Session, TestDef, TestResult};
use crate::text::Phrase;

mod hidden;

/// How long a session waits for the next bytes of an echo, or for the close.
const WAIT: Duration = Duration::from_secs(5);

/// The pause between the two halves of a piece sent in two writes.
const PAUSE: Duration = Duration::from_millis(300);

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("echoes_a_line", 2, echoes_a_line).clauses(&[1, 3, 5]),
        TestDef::visible("echoes_each_piece_at_once", 3, echoes_each_piece_at_once)
            .timeout(Duration::from_secs(20))
            .clauses(&[3, 4, 5]),
        TestDef::visible("closes_when_client_closes", 3, closes_when_client_closes)
            .timeout(Duration::from_secs(20))
            .clauses(&[5, 6]),
        TestDef::visible("binary_bytes", 3, binary_bytes).clauses(&[4, 5]),
        TestDef::visible("five_clients_in_sequence", 3, five_clients_in_sequence)
            .timeout(Duration::from_secs(30))
            .clauses(&[1, 2, 6, 8]),
        TestDef::visible("address_in_use", 2, address_in_use).clauses(&[10]),
        TestDef::visible("bad_arguments", 1, bad_arguments).clauses(&[10]),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// Helpers

/// Starts the server on a fresh address.
fn start(t: &mut Ctx) -> Result<Server, Failure> {
    let addr = t.addr();
    t.start_server(&[addr.to_string()], addr)
}

/// What to do when an echo stops short or never comes.
fn echo_at_once(f: Failure) -> Failure {
    f.say(say("tcpecho-echo-at-once"))
}

/// Sends `bytes` and expects exactly them back, while the connection stays
/// open. `what` names the echo; the session takes it as English text.
fn exchange(s: &mut Session, bytes: &[u8], what: &Phrase) -> TestResult {
    s.echo(bytes, what).map_err(echo_at_once)
}

/// Closes the sending side and expects the server to close the connection
/// (after echoing whatever was still due, which the caller reads first).
fn expect_close_after_eof(s: &mut Session) -> TestResult {
    s.expect_closed()
        .map_err(|f| f.say(say("tcpecho-read-returns-zero")))
}

/// Printable text of `len` bytes: words and newlines.
fn text(t: &Ctx, len: usize) -> Vec<u8> {
    let mut rng = t.rng();
    let mut out = String::with_capacity(len + 16);
    while out.len() < len {
        let n = rng.range(1, 10) as usize;
        out.push_str(&rng.word(n));
        out.push(if rng.below(8) == 0 { '\n' } else { ' ' });
    }
    out.truncate(len);
    out.into_bytes()
}

// ---------------------------------------------------------------------------
// The tests

/// Sends a second piece after an echo and expects exactly its echo next: any
/// byte the server sent after the first echo shows up here, without waiting.
fn exchange_next(s: &mut Session, bytes: &[u8], what: &Phrase) -> TestResult {
    s.send(bytes)?;
    // What to do when the echo of a second piece is not the next thing to come.
    s.expect_bytes(bytes, what)
        .map_err(|f| f.say(say("tcpecho-nothing-more")))
}

fn echoes_a_line(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect_waiting(&server, WAIT)?;
    exchange(
        &mut s,
        b"hello, echo server\n",
        &say("tcpecho-echo-of-line"),
    )?;
    exchange_next(
        &mut s,
        b"and a second line\n",
        &say("tcpecho-echo-of-second-line"),
    )
}

fn echoes_each_piece_at_once(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect_waiting(&server, WAIT)?;
    let long = text(t, 3000);
    let pieces: [(&[u8], Phrase); 5] = [
        (b"first piece\n", say("tcpecho-echo-of-first-piece")),
        (
            b"a piece without a newline",
            say("tcpecho-echo-without-newline"),
        ),
        (b"x", say("tcpecho-echo-of-single-byte")),
        ("回声：三个汉字\n".as_bytes(), say("tcpecho-echo-of-utf8")),
        (&long, say("tcpecho-echo-of-text").arg("n", 3000)),
    ];
    for (bytes, what) in pieces {
        exchange(&mut s, bytes, &what)?;
    }
    // A piece in two writes with a pause: the echo may come in two parts,
    // but all of it must come.
    s.send(b"half a li")?;
    std::thread::sleep(PAUSE);
    s.send(b"ne, then the rest\n")?;
    s.expect_bytes(
        b"half a line, then the rest\n",
        say("tcpecho-echo-in-two-writes"),
    )
    .map_err(echo_at_once)
}

fn closes_when_client_closes(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut data = text(t, 1999);
    data.push(b'\n');
    {
        let mut s = t.connect_waiting(&server, WAIT)?;
        s.send(&data)?;
        s.shutdown_write()?;
        let what = say("tcpecho-echo-before-close");
        s.expect_bytes(&data, &what)
            .map_err(|f| f.say(say("tcpecho-echo-before-zero")))?;
        expect_close_after_eof(&mut s).context(say("tcpecho-after-client-shutdown"))?;
    }
    // A fresh server, so that this test does not depend on serving a second
    // client (five_clients_in_sequence checks that).
    let server = start(t)?;
    let mut s = t.connect_waiting(&server, WAIT)?;
    s.shutdown_write()?;
    expect_close_after_eof(&mut s).context(say("tcpecho-closes-without-sending"))
}

fn binary_bytes(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    // Every byte value in order, then shuffled, then random bytes (invalid
    // UTF-8 for sure), with no newline at the end.
    let mut data: Vec<u8> = (0..=255u8).collect();
    let mut shuffled: Vec<u8> = (0..=255u8).filter(|&b| b != b'\n').collect();
    rng.shuffle(&mut shuffled);
    data.extend(shuffled);
    let mut noise = vec![0u8; 1000];
    rng.fill(&mut noise);
    noise.retain(|&b| b != b'\n');
    data.extend(noise);
    let mut s = t.connect_waiting(&server, WAIT)?;
    s.send(&data)?;
    s.expect_bytes(&data, say("tcpecho-echo-of-binary"))
        .map_err(|f| f.say(say("tcpecho-bytes-as-they-are")))?;
    exchange_next(
        &mut s,
        b"end of the binary bytes",
        &say("tcpecho-echo-after-binary"),
    )
}

fn five_clients_in_sequence(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let next_client = |f: Failure| f.say(say("tcpecho-back-to-accept"));
    for i in 1..=5 {
        let situation = match i {
            1 => say("tcpecho-client-first").arg("n", i).arg("total", 5),
            _ => say("tcpecho-client-after")
                .arg("n", i)
                .arg("total", 5)
                .arg("previous", i - 1),
        };
        let message = format!("client {i}: {} {}\n", rng.word(6), rng.word(9));
        let mut s = t
            .connect_waiting(&server, WAIT)
            .map_err(next_client)
            .context(situation.clone())?;
        exchange(&mut s, message.as_bytes(), &say("tcpecho-echo"))
            .map_err(next_client)
            .context(situation.clone())?;
        if i % 2 == 1 {
            // Half of them close their sending side and wait for the close.
            s.shutdown_write()?;
            expect_close_after_eof(&mut s).context(situation)?;
        }
        // The others just close.
    }
    server.expect_running()
}

fn address_in_use(t: &mut Ctx) -> TestResult {
    // The suite holds the address, so the server cannot listen there.
    let held = t.held_tcp_addr()?;
    let addr = held.addr();
    let out = t
        .command(&[addr.to_string()])
        .timeout(WAIT)
        .run()
        .map_err(|f| {
            if f.cause == Cause::Timeout {
                f.say(say("tcpecho-bind-fails").arg("addr", addr.to_string()))
            } else {
                f
            }
        })
        .context(say("tcpecho-listening-in-use"))?;
    out.expect_code(2)
        .and_then(|()| out.expect_stderr_nonempty())
        .context(say("tcpecho-listening-in-use"))
}

fn bad_arguments(t: &mut Ctx) -> TestResult {
    t.command_no_args()
        .expect_refusal(say("tcpecho-no-arguments"))?;
    t.command(&["not-an-address"])
        .expect_refusal(say("tcpecho-bad-addr").arg("addr", "not-an-address"))
}
