//! Suite of `bracket_check ADDR`: the notes' bracket-checking server. Each
//! connection sends a text and shuts down its sending side; the reply is
//! one line, `All parentheses are matched` or `Unmatching is found at {i}
//! for {c}` (`i` counts characters), and then the server closes.
//!
//! The expected replies come from a reference checker here; texts arrive in
//! one write, in pieces with pauses (a UTF-8 character cut between two of
//! them), or as a large stream. Connections are served one after another
//! (concurrency is not in the contract).
use std::time::Duration;

use crate::harness::{
    say, Cause, Ctx, Detail, Failure, ResultExt, Server, Session, TestDef, TestResult,
};
use crate::text::{Arg, Phrase};

mod hidden;

/// The pause between the pieces of a text sent in pieces: long enough that
/// the server reads each piece on its own.
const PIECE_PAUSE: Duration = Duration::from_millis(300);

/// How to try a failing exchange by hand.
fn nc_note() -> Phrase {
    say("bracket-nc-note")
}

/// Why a server must wait for the end of the stream.
fn eof_note() -> Phrase {
    say("bracket-eof-note")
}

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("matched_text", 2, matched_text).clauses(&[4, 5]),
        TestDef::visible("unmatched_closing", 2, unmatched_closing).clauses(&[6, 8]),
        TestDef::visible("unclosed_opening", 2, unclosed_opening).clauses(&[6, 9]),
        TestDef::visible("mismatched_kind", 2, mismatched_kind).clauses(&[8]),
        TestDef::visible("char_index_not_byte", 2, char_index_not_byte).clauses(&[6, 7]),
        TestDef::visible("empty_text", 1, empty_text).clauses(&[5]),
        TestDef::visible("text_in_pieces", 3, text_in_pieces).clauses(&[1]),
        TestDef::visible(
            "multibyte_split_across_writes",
            3,
            multibyte_split_across_writes,
        )
        .clauses(&[2]),
        TestDef::visible("bad_address", 1, bad_address).clauses(&[11]),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// The reference checker

/// The reply line the contract gives `text`, `\n` included.
fn expected_reply(text: &str) -> String {
    let mut open: Vec<(usize, char)> = Vec::new();
    for (i, c) in text.chars().enumerate() {
        let opener = match c {
            '(' | '[' | '{' => {
                open.push((i, c));
                continue;
            }
            ')' => '(',
            ']' => '[',
            '}' => '{',
            _ => continue,
        };
        if open.pop().map(|(_, o)| o) != Some(opener) {
            return format!("Unmatching is found at {i} for {c}\n");
        }
    }
    match open.last() {
        None => "All parentheses are matched\n".to_string(),
        Some((i, c)) => format!("Unmatching is found at {i} for {c}\n"),
    }
}

// ---------------------------------------------------------------------------
// Talking to the server

/// Starts the server.
fn start(t: &mut Ctx) -> Result<Server, Failure> {
    let addr = t.addr();
    t.start_server(&[addr.to_string()], addr)
}

/// Sends a text in `pieces` on a new connection (pausing `pause` between
/// them), shuts down the sending side, and expects the reply the contract
/// gives the whole text, then the connection closed.
fn check_pieces(
    t: &Ctx,
    server: &Server,
    pieces: &[&[u8]],
    pause: Duration,
    reply_timeout: Option<Duration>,
    what: &Phrase,
) -> TestResult {
    exchange(t, server, pieces, pause, reply_timeout, what).map_err(|f| {
        let small = pieces.iter().map(|p| p.len()).sum::<usize>() <= 512;
        if pieces.len() > 1 && !pause.is_zero() && small && f.cause != Cause::GraderError {
            f.with(server.pieces_command(pieces, pause, true))
        } else {
            f
        }
    })
}

/// The exchange of [`check_pieces`].
fn exchange(
    t: &Ctx,
    server: &Server,
    pieces: &[&[u8]],
    pause: Duration,
    reply_timeout: Option<Duration>,
    what: &Phrase,
) -> TestResult {
    let text = String::from_utf8(pieces.concat()).expect("the suite sends UTF-8 texts");
    let expected = expected_reply(&text);
    let mut s = t.connect(server).map_err(|f| server.or_exit(f))?;
    if let Some(d) = reply_timeout {
        s.set_read_timeout(d);
        if let Some(stream) = s.tcp_stream() {
            // A server that stops reading makes the send fail, not hang.
            let _ = stream.set_write_timeout(Some(d));
        }
    }
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 && !pause.is_zero() {
            std::thread::sleep(pause);
        }
        if let Err(f) = s.send(piece) {
            return Err(gave_up_early(&mut s, server, f, what));
        }
    }
    if let Err(f) = s.shutdown_write() {
        return Err(gave_up_early(&mut s, server, f, what));
    }
    // The session takes what it reads as English text for now.
    s.expect_bytes(expected.as_bytes(), say("bracket-reply"))
        .context(what.clone())
        .map_err(|f| server.or_exit(f).say(nc_note()))?;
    s.expect_closed()
        .context(what.clone())
        .map_err(|f| f.say(say("bracket-close-after-reply")))
}

/// Adds a note unless the failure already has it.
fn note_once(f: Failure, note: Phrase) -> Failure {
    let english = note.to_string();
    let has = f
        .details
        .iter()
        .any(|d| matches!(d, Detail::Note { text } if *text == english));
    if has {
        f
    } else {
        f.say(note)
    }
}

/// Sends a text in one write and checks the reply.
fn check_text(t: &Ctx, server: &Server, text: &str, what: &Phrase) -> TestResult {
    check_pieces(t, server, &[text.as_bytes()], Duration::ZERO, None, what)
}

/// The failure for a send that failed because the server closed the
/// connection before the whole text was sent; what it answered, if
/// anything, goes into the transcript.
fn gave_up_early(s: &mut Session, server: &Server, f: Failure, what: &Phrase) -> Failure {
    if matches!(f.cause, Cause::ServerExited | Cause::Panic | Cause::Signal) {
        return f.context(what.clone());
    }
    // Whatever the server sent before it closed is still readable.
    s.set_read_timeout(Duration::from_secs(1));
    let closed = !matches!(s.recv_to_end(64 * 1024), Err(f) if f.cause == Cause::Timeout);
    let property = if closed {
        say("bracket-closed-before-whole-text")
    } else {
        say("bracket-stopped-reading")
    };
    let f = s.fail(property).context(what.clone());
    server.or_exit(f).say(eof_note())
}

// ---------------------------------------------------------------------------
// The tests: one text in one write

fn matched_text(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases = [
        (
            "def f(a):\n    return {'k': [a[0], (a[1])]}\n",
            say("bracket-all-match"),
        ),
        ("no brackets at all\n", say("bracket-no-brackets")),
        ("({[]})[]{}()", say("bracket-nested-pairs")),
    ];
    for (text, what) in cases {
        check_text(t, &server, text, &what)?;
    }
    Ok(())
}

fn unmatched_closing(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases = [
        ("a(b)c)d", say("bracket-nothing-open").arg("closer", ")")),
        ("x]", say("bracket-nothing-open").arg("closer", "]")),
        (
            "print(len(x)))\n(",
            say("bracket-extra-before-unclosed")
                .arg("closer", ")")
                .arg("opener", "("),
        ),
    ];
    for (text, what) in cases {
        check_text(t, &server, text, &what)?;
    }
    Ok(())
}

fn unclosed_opening(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases = [
        ("(a[b", say("bracket-two-left-open")),
        (
            "{x(y)[z",
            say("bracket-open-pair-open")
                .arg("first", "{")
                .arg("second", "["),
        ),
        (
            "((()",
            say("bracket-three-and-one")
                .arg("opener", "(")
                .arg("closer", ")"),
        ),
    ];
    for (text, what) in cases {
        check_text(t, &server, text, &what).map_err(|f| f.say(say("bracket-report-last-open")))?;
    }
    Ok(())
}

fn mismatched_kind(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases = [
        (
            "(]",
            say("bracket-closed-by")
                .arg("opener", "(")
                .arg("closer", "]"),
        ),
        (
            "[a(b]c)",
            say("bracket-while-last-open")
                .arg("closer", "]")
                .arg("opener", "("),
        ),
        (
            "{[}]",
            say("bracket-while-last-open")
                .arg("closer", "}")
                .arg("opener", "["),
        ),
    ];
    for (text, what) in cases {
        check_text(t, &server, text, &what).map_err(|f| f.say(say("bracket-match-kind")))?;
    }
    Ok(())
}

fn char_index_not_byte(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases = [
        (
            "你好(世界",
            say("bracket-after-chinese")
                .arg("bracket", "(")
                .arg("size", Arg::Bytes(3)),
        ),
        (
            "café)",
            say("bracket-after-char")
                .arg("bracket", ")")
                .arg("char", "é")
                .arg("size", Arg::Bytes(2)),
        ),
        (
            "🦀[🦀]🦀)",
            say("bracket-after-emoji")
                .arg("bracket", ")")
                .arg("size", Arg::Bytes(4)),
        ),
        (
            "（中文括号）不算)",
            say("bracket-full-width").arg("pair", "（）"),
        ),
    ];
    for (text, what) in cases {
        check_text(t, &server, text, &what).map_err(|f| f.say(say("bracket-count-chars")))?;
    }
    Ok(())
}

fn empty_text(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    check_text(t, &server, "", &say("bracket-empty-text"))
}

// ---------------------------------------------------------------------------
// The tests: texts in pieces

fn text_in_pieces(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    // Each piece alone, or the pieces so far, would get another answer.
    let pieces: [&[u8]; 4] = [b"if (a[0] ", b"== b) {\n", b"  call(x", b"]\n}\n"];
    check_pieces(
        t,
        &server,
        &pieces,
        PIECE_PAUSE,
        None,
        &say("bracket-four-pieces"),
    )
    .map_err(|f| note_once(f, eof_note()))?;
    let pieces: [&[u8]; 3] = [b"((", b"))", b")"];
    check_pieces(
        t,
        &server,
        &pieces,
        PIECE_PAUSE,
        None,
        &say("bracket-problem-in-last-piece"),
    )
    .map_err(|f| note_once(f, eof_note()))
}

fn multibyte_split_across_writes(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let note = say("bracket-utf8-cut");
    // `中` is E4 B8 AD, `文` E6 96 87: each piece ends inside a character.
    let text = "中文(和[English]混排)结尾{";
    let bytes = text.as_bytes();
    let cuts = [1, 5, 14, bytes.len() - 2];
    let pieces = [
        &bytes[..cuts[0]],
        &bytes[cuts[0]..cuts[1]],
        &bytes[cuts[1]..cuts[2]],
        &bytes[cuts[2]..cuts[3]],
        &bytes[cuts[3]..],
    ];
    check_pieces(
        t,
        &server,
        &pieces,
        PIECE_PAUSE,
        None,
        &say("bracket-cut-in-chinese"),
    )
    .map_err(|f| f.say(note.clone()))?;
    let text = "é🦀)";
    let bytes = text.as_bytes();
    let pieces = [&bytes[..1], &bytes[1..4], &bytes[4..]];
    check_pieces(
        t,
        &server,
        &pieces,
        PIECE_PAUSE,
        None,
        &say("bracket-cut-e-and-emoji")
            .arg("text", text)
            .arg("char", "é"),
    )
    .map_err(|f| f.say(note))
}

// ---------------------------------------------------------------------------
// The tests: clients that misbehave, and arguments

fn bad_address(t: &mut Ctx) -> TestResult {
    let held = t.held_tcp_addr()?;
    t.expect_addr_refusals(&held, &[])
}
