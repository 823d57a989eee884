//! Suite of `line_upper ADDR`: a TCP server that answers every `\n`-terminated
//! line with the line in upper case, as soon as that line is complete.
//!
//! TCP carries bytes, not messages (the notes' 粘包), so the tests cut the
//! stream where a program that trusts `read` would go wrong: several lines in
//! one write, one line in pieces with pauses between them, a last line
//! without `\n` at end of stream, and a 1 MiB line. Every line the suite
//! checks is UTF-8 text whose only cased letters are ASCII, so
//! `to_ascii_uppercase` and `to_uppercase` give the same reply.
use std::time::Duration;

use crate::harness::{
    say, Cause, Ctx, Failure, Heard, ResultExt, Server, Session, TestDef, TestResult,
};
use crate::messages;
use crate::text::Phrase;

mod hidden;

/// The pause after each piece of a line sent in pieces: long enough for a
/// server that answers each read to have answered, on a loaded machine.
const PIECE_PAUSE: Duration = Duration::from_millis(400);

/// The note for a server that waits before answering.
fn answer_at_once() -> Phrase {
    say("lineupper-answer-at-once")
}

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("replies_line_by_line", 3, replies_line_by_line).clauses(&[1, 2, 5]),
        TestDef::visible("several_lines_in_one_write", 3, several_lines_in_one_write).clauses(&[4]),
        TestDef::visible("line_in_pieces", 3, line_in_pieces).clauses(&[3]),
        TestDef::visible("final_line_without_newline", 3, final_line_without_newline)
            .timeout(Duration::from_secs(20))
            .clauses(&[5]),
        TestDef::visible("bad_address", 1, bad_address).clauses(&[8]),
    ];
    tests.extend(hidden::tests());
    tests
}

/// Starts the server on a fresh address.
fn start(t: &mut Ctx) -> Result<Server, Failure> {
    let addr = t.addr();
    t.start_server(&[addr.to_string()], addr)
}

/// The reply the contract asks for: ASCII letters upper-cased, every
/// `\n`-terminated line as it is otherwise, a last unterminated line with a
/// `\n` added.
fn upper(stream: &[u8]) -> Vec<u8> {
    let mut reply = stream.to_ascii_uppercase();
    if !reply.is_empty() && reply.last() != Some(&b'\n') {
        reply.push(b'\n');
    }
    reply
}

/// Sends `line` (with its `\n`) and expects its reply before anything else
/// is sent.
fn exchange(s: &mut Session, line: &str, what: &Phrase) -> TestResult {
    // The session takes `what` as English text for now.
    s.send_expect(line.as_bytes(), &upper(line.as_bytes()), what)
        .map_err(|f| note_if_silent(f, answer_at_once()))
}

/// Adds `note` to a failure where the server went silent.
fn note_if_silent(f: Failure, note: Phrase) -> Failure {
    if f.cause == Cause::Timeout || f.property.contains("nothing more arrived") {
        f.say(note)
    } else {
        f
    }
}

/// Closes the sending side and expects the server to close the connection
/// without sending anything more.
fn expect_close_after_end(s: &mut Session, what: Phrase) -> TestResult {
    s.shutdown_write()?;
    s.expect_closed()
        .context(what)
        .map_err(|f| f.say(say("lineupper-close-at-end")))
}

/// Expects nothing to arrive for `pause`.
fn expect_silence(s: &mut Session, pause: Duration, what: Phrase) -> TestResult {
    match s.wait_silent(pause)? {
        Heard::Nothing => Ok(()),
        Heard::Bytes => Err(s
            .fail(say("lineupper-reply-too-early"))
            .context(what)
            .say(say("lineupper-keep-piece"))),
        Heard::Closed => Err(s.fail(messages::closed_early()).context(what)),
    }
}

fn replies_line_by_line(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect(&server)?;
    let lines = [
        "hello, world\n",
        "Rust 2021: read, write, flush!\n",
        "你好 rust 世界\n",
        "already UPPER CASE 123\n",
    ];
    for (i, line) in lines.iter().enumerate() {
        exchange(
            &mut s,
            line,
            &say("lineupper-reply-to-line").arg("n", i + 1),
        )?;
    }
    expect_close_after_end(&mut s, say("lineupper-after-client-shutdown"))
}

fn several_lines_in_one_write(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect(&server)?;
    let lines = b"first line\nsecond line\nthird line\n";
    s.send(lines)?;
    s.expect_bytes(&upper(lines), say("lineupper-three-in-one-write"))
        .map_err(|f| {
            if s.pending().is_empty() {
                note_if_silent(f, answer_at_once())
            } else {
                f.say(say("lineupper-several-lines"))
            }
        })?;
    // Still line by line afterwards.
    exchange(&mut s, "and a fourth\n", &say("lineupper-line-after-them"))?;
    let more = "five\nsix 六\nseven\nEight\nnine\n";
    s.send(more.as_bytes())?;
    s.expect_bytes(&upper(more.as_bytes()), say("lineupper-five-in-one-write"))?;
    expect_close_after_end(&mut s, say("lineupper-after-client-shutdown"))
}

fn line_in_pieces(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect(&server)?;
    let line = b"tcp is a stream of bytes, not of messages\n";
    let cuts = [0, 4, 11, 20, 33, line.len()];
    for i in 0..4 {
        s.send(&line[cuts[i]..cuts[i + 1]])?;
        expect_silence(
            &mut s,
            PIECE_PAUSE,
            say("lineupper-after-piece").arg("n", i + 1),
        )?;
    }
    s.send(&line[cuts[4]..])?;
    s.expect_bytes(&upper(line), say("lineupper-five-pieces"))
        .map_err(|f| note_if_silent(f, answer_at_once()))?;
    // Exactly one reply: the next line's reply comes right after it.
    exchange(&mut s, "one more line\n", &say("lineupper-next-line"))?;
    expect_close_after_end(&mut s, say("lineupper-after-client-shutdown"))
}

fn final_line_without_newline(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let note = say("lineupper-last-line");
    {
        let mut s = t.connect(&server)?;
        let sent = b"first line\nlast line, no newline";
        s.send(sent)?;
        s.shutdown_write()?;
        let what = say("lineupper-line-and-last-line");
        s.expect_bytes(&upper(sent), &what)
            .map_err(|f| f.say(note.clone()))?;
        s.expect_closed()
            .context(what)
            .map_err(|f| f.say(note.clone()))?;
    }
    {
        let mut s = t.connect(&server)?;
        let sent = "只有一行, only one line".as_bytes();
        s.send(sent)?;
        s.shutdown_write()?;
        let what = say("lineupper-single-line");
        s.expect_bytes(&upper(sent), &what)
            .map_err(|f| f.say(note.clone()))?;
        s.expect_closed()
            .context(what)
            .map_err(|f| f.say(note.clone()))?;
    }
    {
        let mut s = t.connect(&server)?;
        let sent = b"two lines\nboth ended\n";
        s.send(sent)?;
        s.expect_bytes(&upper(sent), say("lineupper-two-lines"))
            .map_err(|f| note_if_silent(f, answer_at_once()))?;
        expect_close_after_end(&mut s, say("lineupper-nothing-left"))?;
    }
    let mut s = t.connect(&server)?;
    expect_close_after_end(&mut s, say("lineupper-sends-nothing"))
}

fn bad_address(t: &mut Ctx) -> TestResult {
    let held = t.held_tcp_addr()?;
    t.expect_addr_refusals(&held, &[])
}
