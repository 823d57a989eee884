//! The hidden tests of `line_upper`: left out of the repository students clone.
use super::*;
use crate::harness::{Ctx, Failure, ResultExt, Rng, Server, TestDef, TestResult};
use std::io::Write;
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("random_lines_random_pieces", 3, random_lines_random_pieces)
            .clauses(&[2, 3, 4]),
        TestDef::hidden("carriage_returns_kept", 2, carriage_returns_kept).clauses(&[1, 2, 5]),
        TestDef::hidden("long_line", 3, long_line)
            .timeout(Duration::from_secs(40))
            .clauses(&[6]),
        TestDef::hidden(
            "survives_misbehaving_clients",
            3,
            survives_misbehaving_clients,
        )
        .timeout(Duration::from_secs(30))
        .clauses(&[7]),
    ]
}

/// The length of the long line, before its `\n`.
const LONG: usize = 1 << 20;

/// How long each read of the reply to the long line waits. A server that
/// searches all it has buffered for the newline after each read of 4 KiB
/// (slow, but correct) spends about half a second of CPU on that line in a
/// debug build, and so seconds on a loaded machine before the reply's
/// first byte: with 5 s it failed beside a self-check and two gradings.
const LONG_REPLY_WAIT: Duration = Duration::from_secs(20);

/// Words the random lines are made of, besides random ASCII words: text
/// without case (Chinese, digits, punctuation) that must come back as is.
const CASELESS: &[&str] = &[
    "你好",
    "世界",
    "字节流",
    "消息边界",
    "粘包",
    "套接字",
    "2024",
    "42",
    "3.14",
    "-",
    ",",
    "!",
    "?",
    "(ok)",
    "#1",
    "a+b=c",
    "...",
    ":",
];

/// A random line (without its `\n`): ASCII words of both cases and words
/// without case; now and then an empty line.
fn random_line(rng: &mut Rng) -> String {
    if rng.below(8) == 0 {
        return String::new();
    }
    let words = rng.range(1, 10);
    let mut line = String::new();
    for i in 0..words {
        if i > 0 {
            line.push(' ');
        }
        let len = rng.range(1, 12) as usize;
        match rng.below(3) {
            0 => line.push_str(rng.choose(CASELESS)),
            1 => line.push_str(&rng.word(len).to_ascii_uppercase()),
            _ => line.push_str(&rng.word(len)),
        }
    }
    line
}

fn carriage_returns_kept(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect(&server)?;
    let note = say("lineupper-cr-kept");
    let lines = [
        "get / http/1.1\r\n",
        "host: example\r\n",
        "\r\n",
        "mid\rline\r\n",
    ];
    for (i, line) in lines.iter().enumerate() {
        exchange(
            &mut s,
            line,
            &say("lineupper-reply-to-crlf-line").arg("n", i + 1),
        )
        .map_err(|f| f.say(note.clone()))?;
    }
    // A last line ending in `\r`, without `\n`, then the end of stream.
    s.send(b"bye\r")?;
    s.shutdown_write()?;
    let what = say("lineupper-last-line-cr").arg("line", "bye\\r");
    s.expect_bytes(b"BYE\r\n", &what).map_err(|f| f.say(note))?;
    s.expect_closed().context(what)
}

fn random_lines_random_pieces(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect(&server)?;
    let mut rng = t.rng();
    let mut stream = Vec::new();
    let n = rng.range(40, 80);
    for _ in 0..n {
        stream.extend_from_slice(random_line(&mut rng).as_bytes());
        stream.push(b'\n');
    }
    let mut at = 0;
    while at < stream.len() {
        let end = (at + rng.range(1, 150) as usize).min(stream.len());
        s.send(&stream[at..end])?;
        at = end;
    }
    s.expect_bytes(&upper(&stream), say("lineupper-random-pieces"))
        .map_err(|f| note_if_silent(f, answer_at_once()))?;
    // Then a last line without `\n`, in two pieces, and end of stream.
    let mut last = random_line(&mut rng);
    if last.is_empty() {
        last = rng.word(8);
    }
    let cut = (last.len() / 2..=last.len())
        .find(|&i| last.is_char_boundary(i))
        .unwrap_or(last.len());
    s.send(&last.as_bytes()[..cut])?;
    s.send(&last.as_bytes()[cut..])?;
    s.shutdown_write()?;
    let what = say("lineupper-last-after-many");
    s.expect_bytes(&upper(last.as_bytes()), &what)?;
    s.expect_closed().context(what)
}

fn long_line(t: &mut Ctx) -> TestResult {
    const ALPHABET: &[u8] =
        b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-";
    let server = start(t)?;
    let mut s = t.connect(&server)?;
    let mut rng = t.rng();
    let mut line: Vec<u8> = (0..LONG).map(|_| rng.choose(ALPHABET)).collect();
    line.push(b'\n');
    let expected = upper(&line);
    // The reply comes back while the line is still being sent: neither side
    // may wait for the other, so a thread sends and this one reads.
    let writer = s
        .tcp_stream()
        .ok_or_else(|| Failure::grader("the session has no TCP stream"))?
        .try_clone()
        .map_err(Failure::grader)?;
    writer
        .set_write_timeout(Some(t.remaining().max(Duration::from_secs(1))))
        .map_err(Failure::grader)?;
    let sending = std::thread::spawn(move || (&writer).write_all(&line));
    s.waiting(LONG_REPLY_WAIT, |s| {
        s.expect_bytes(&expected, say("lineupper-reply-to-long-line"))
    })
    .map_err(|f| f.say(say("lineupper-long-line")))?;
    match sending.join() {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            return Err(s.fail(say("lineupper-sending-failed").arg("error", e.to_string())))
        }
        Err(_) => return Err(Failure::grader("the sending thread panicked")),
    }
    exchange(&mut s, "short again\n", &say("lineupper-short-after-long"))?;
    expect_close_after_end(&mut s, say("lineupper-after-client-shutdown"))
}

/// One ordinary client: a line, its reply, end of stream, close.
fn still_serves(t: &Ctx, server: &Server, situation: Phrase) -> TestResult {
    server.expect_running().context(situation.clone())?;
    let mut s = t.connect(server).context(situation.clone())?;
    exchange(
        &mut s,
        "still there?\n",
        &say("lineupper-reply-to-next-client"),
    )
    .context(situation.clone())?;
    expect_close_after_end(&mut s, say("lineupper-next-client")).context(situation)
}

fn survives_misbehaving_clients(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let note = say("lineupper-misbehaving");
    // Half a line, then gone.
    {
        let mut s = t.connect(&server)?;
        s.send(b"half a li")?;
    }
    std::thread::sleep(PIECE_PAUSE);
    still_serves(t, &server, say("lineupper-closed-mid-line")).map_err(|f| f.say(note.clone()))?;
    // Many lines, then a close without reading the replies: the kernel
    // answers the server's next replies with a reset.
    {
        let mut s = t.connect(&server)?;
        let mut many = Vec::new();
        for i in 0..2000 {
            many.extend_from_slice(format!("line number {i} of many\n").as_bytes());
        }
        s.send(&many)?;
        std::thread::sleep(PIECE_PAUSE);
    }
    std::thread::sleep(PIECE_PAUSE);
    still_serves(t, &server, say("lineupper-reset-unread")).map_err(|f| f.say(note.clone()))?;
    // Bytes that are not UTF-8 (the reply is not checked).
    {
        let mut s = t.connect(&server)?;
        s.send(b"caf\xe9 \xff\xfe bytes\n")?;
        s.shutdown_write()?;
        s.set_read_timeout(Duration::from_secs(2));
        let _ = s.recv_to_end(1 << 16);
    }
    std::thread::sleep(PIECE_PAUSE);
    still_serves(t, &server, say("lineupper-not-utf8")).map_err(|f| f.say(note))
}
