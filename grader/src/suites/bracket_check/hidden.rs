//! The hidden tests of `bracket_check`: left out of the repository students clone.
use super::*;
use crate::harness::{Ctx, Rng, TestDef, TestResult};
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("curly_braces", 2, curly_braces).clauses(&[7, 8, 9]),
        TestDef::hidden("long_pauses", 2, long_pauses)
            .timeout(Duration::from_secs(30))
            .clauses(&[1]),
        TestDef::hidden("random_texts", 4, random_texts)
            .timeout(Duration::from_secs(20))
            .clauses(&[5, 6, 7, 8, 9]),
        TestDef::hidden("large_text", 3, large_text)
            .timeout(Duration::from_secs(40))
            .clauses(&[3])
            .cpu_heavy(),
        TestDef::hidden("survives_abrupt_clients", 2, survives_abrupt_clients)
            .timeout(Duration::from_secs(15))
            .clauses(&[10]),
    ]
}

/// The pause of [`long_pauses`]: longer than any read time-out a server
/// might take for the end of the text.
const LONG_PAUSE: Duration = Duration::from_millis(3500);

/// The size of the large text, in bytes (about).
const LARGE: usize = 3 << 20;

/// How long the reply to the large text may take once it is sent.
const LARGE_REPLY: Duration = Duration::from_secs(20);

fn curly_braces(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let cases = [
        ("a{b", say("bracket-unclosed").arg("opener", "{")),
        ("}", say("bracket-lone").arg("closer", "}")),
        (
            "fn main() { let v = [1, 2]; }}",
            say("bracket-extra").arg("closer", "}"),
        ),
        (
            "{(})",
            say("bracket-while-open")
                .arg("closer", "}")
                .arg("opener", "("),
        ),
    ];
    for (text, what) in cases {
        check_text(t, &server, text, &what)?;
    }
    Ok(())
}

fn long_pauses(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    // The first piece alone would get another reply.
    let pieces: [&[u8]; 3] = [b"let v = (a[0", b"] + b[1]", b");"];
    check_pieces(
        t,
        &server,
        &pieces,
        LONG_PAUSE,
        None,
        &say("bracket-pieces-apart").arg("pause", Arg::Seconds(LONG_PAUSE)),
    )
    .map_err(|f| note_once(f, eof_note()).say(say("bracket-pause-not-end")))
}

/// Characters between the brackets: ASCII, 2-, 3- and 4-byte characters, and
/// full-width brackets that are not brackets.
const FILLER: &[char] = &[
    'a', 'b', 'x', 'y', 'z', '0', '7', ' ', ' ', '\n', '\t', '+', '=', ';', ',', '.', '#', 'é',
    'ü', 'ß', '«', '»', '中', '文', '括', '号', '测', '试', '（', '）', '【', '】', '「', '」',
    '🦀', '😀',
];

/// The three pairs.
const PAIRS: [(char, char); 3] = [('(', ')'), ('[', ']'), ('{', '}')];

/// Appends a random text whose brackets all match, of about `budget`
/// characters, nesting at most `depth` deep.
fn balanced(rng: &mut Rng, out: &mut String, budget: usize, depth: usize) {
    let mut left = budget;
    while left > 0 {
        if depth > 0 && left > 2 && rng.below(4) == 0 {
            let (o, c) = PAIRS[rng.below(3) as usize];
            let inner = rng.below(left as u64 - 1) as usize;
            out.push(o);
            balanced(rng, out, inner, depth - 1);
            out.push(c);
            left -= inner + 2;
        } else {
            out.push(rng.choose(FILLER));
            left -= 1;
        }
    }
}

/// A random matched text of `n` characters, starting with a non-ASCII one.
fn matched(rng: &mut Rng, n: usize) -> String {
    let mut s = String::from("中");
    balanced(rng, &mut s, n, 6);
    s
}

/// The closing bracket of another kind than `open`'s.
fn other_closer(rng: &mut Rng, open: char) -> char {
    let others: Vec<char> = PAIRS
        .iter()
        .filter(|(o, _)| *o != open)
        .map(|(_, c)| *c)
        .collect();
    rng.choose(&others)
}

/// One random text of each kind the contract distinguishes; every one has
/// multibyte characters before the position it is answered with.
fn random_text(rng: &mut Rng, kind: usize) -> (String, Phrase) {
    let n = rng.range(20, 400) as usize;
    let mut s = matched(rng, n);
    match kind {
        0 => {
            let n = rng.range(20, 400) as usize;
            balanced(rng, &mut s, n, 8);
            (s, say("bracket-random-matched"))
        }
        1 => {
            let (_, c) = PAIRS[rng.below(3) as usize];
            s.push(c);
            let n = rng.range(0, 200) as usize;
            balanced(rng, &mut s, n, 4);
            (s, say("bracket-random-nothing-open"))
        }
        2 => {
            let (o, _) = PAIRS[rng.below(3) as usize];
            s.push(o);
            let n = rng.range(1, 100) as usize;
            balanced(rng, &mut s, n, 4);
            s.push(other_closer(rng, o));
            let n = rng.range(0, 200) as usize;
            balanced(rng, &mut s, n, 4);
            (s, say("bracket-random-wrong-kind"))
        }
        3 => {
            // Two or three openers left open.
            for _ in 0..rng.range(2, 3) {
                let (o, _) = PAIRS[rng.below(3) as usize];
                s.push(o);
                let n = rng.range(1, 150) as usize;
                balanced(rng, &mut s, n, 4);
            }
            (s, say("bracket-random-left-open"))
        }
        _ => {
            s.push('{');
            let n = rng.range(1, 200) as usize;
            balanced(rng, &mut s, n, 4);
            (s, say("bracket-random-one-open").arg("opener", "{"))
        }
    }
}

fn random_texts(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut kinds: Vec<usize> = (0..15).map(|k| k % 5).collect();
    rng.shuffle(&mut kinds);
    for kind in kinds {
        let (text, what) = random_text(&mut rng, kind);
        check_text(t, &server, &text, &what)?;
    }
    Ok(())
}

fn large_text(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut text = String::with_capacity(LARGE + 1024);
    while text.len() < LARGE {
        text.push_str("中文");
        balanced(&mut rng, &mut text, 2000, 30);
    }
    // Left open at the end: `(`, then `[`, the one to report.
    text.push('(');
    balanced(&mut rng, &mut text, 300, 5);
    text.push('[');
    balanced(&mut rng, &mut text, 300, 5);
    // Pieces of an odd size, cut wherever they fall.
    let bytes = text.as_bytes();
    let pieces: Vec<&[u8]> = bytes.chunks(64 * 1024 + 1).collect();
    check_pieces(
        t,
        &server,
        &pieces,
        Duration::ZERO,
        Some(LARGE_REPLY),
        &say("bracket-large-text").arg("size", Arg::Bytes(LARGE as u64)),
    )
}

fn survives_abrupt_clients(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let note = say("bracket-vanishing-client");
    // Sends a text and closes the whole connection without reading.
    let mut s = t.connect(&server)?;
    s.send("(abc".as_bytes())?;
    drop(s);
    // Connects and closes at once.
    drop(t.connect(&server)?);
    // Sends a text, then resets the connection.
    let mut s = t.connect(&server)?;
    s.send("[1, 2".as_bytes())?;
    std::thread::sleep(PIECE_PAUSE);
    s.reset();
    let what = say("bracket-after-abrupt-clients");
    check_text(t, &server, "{ok}", &what).map_err(|f| f.say(note.clone()))?;
    server.expect_running().map_err(|f| f.say(note))
}
