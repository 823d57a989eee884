//! Suite of `udp_echo ADDR`: every datagram comes back whole, as a datagram
//! of its own, to its sender and from ADDR: text, binary, empty and
//! 1,400-byte to 65,507-byte datagrams, datagrams sent back to back, and several clients
//! at once.
//!
//! Each client is a [`UdpClient`] of the harness, which records its
//! datagrams as a transcript, one line per datagram. UDP promises no order, so replies to
//! datagrams sent back to back may arrive in any order; each must hold
//! exactly the bytes of one datagram sent.
use std::time::Duration;

use crate::harness::{compare, say, Cause, Ctx, Failure, Server, TestDef, TestResult, UdpClient};
use crate::model::Sentence;
use crate::text::{Arg, Phrase};

mod hidden;

/// How long the suite waits for datagrams nobody should receive, after
/// every expected reply has arrived.
const EXTRA_WAIT: Duration = Duration::from_millis(500);

/// The large datagram of the contract.
const LARGE: usize = 1400;

/// The largest UDP payload over IPv4: 65,535 bytes less the 8-byte UDP
/// header and the 20-byte IP header.
const LARGEST: usize = 65_507;

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("echoes_a_datagram", 2, echoes_a_datagram).clauses(&[1]),
        TestDef::visible("message_boundaries", 3, message_boundaries).clauses(&[3]),
        TestDef::visible("empty_datagram", 2, empty_datagram).clauses(&[5]),
        TestDef::visible("large_datagram", 3, large_datagram).clauses(&[6]),
        TestDef::visible("largest_datagrams", 3, largest_datagrams).clauses(&[6]),
        TestDef::visible("binary_content", 2, binary_content).clauses(&[4]),
        TestDef::visible("several_clients", 3, several_clients)
            .timeout(Duration::from_secs(20))
            .clauses(&[7]),
        TestDef::visible(
            "replies_from_server_address",
            2,
            replies_from_server_address,
        )
        .clauses(&[2]),
        TestDef::visible("bad_arguments", 1, bad_arguments)
            .timeout(Duration::from_secs(30))
            .clauses(&[8]),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// The suite's UDP client

/// What this suite asks of a [`UdpClient`]: echoes.
trait Echoes {
    /// Sends `bytes` and expects them back.
    fn echo(&mut self, bytes: &[u8], what: &Phrase) -> TestResult;

    /// Expects one reply to each datagram of `sent`, in any order, each
    /// holding exactly the bytes of one of them. `others` are datagrams other
    /// clients sent, to recognize a reply that went to the wrong client.
    fn expect_replies(
        &mut self,
        sent: &[Vec<u8>],
        what: &Phrase,
        others: &[(&'static str, Vec<u8>)],
    ) -> TestResult;

    /// Explains a reply that matches no datagram still owed a reply.
    fn wrong_reply(
        &self,
        reply: &[u8],
        owed: &[&[u8]],
        sent: &[Vec<u8>],
        others: &[(&'static str, Vec<u8>)],
        what: &Phrase,
    ) -> Failure;
}

impl Echoes for UdpClient<'_> {
    /// Sends `bytes` and expects them back.
    fn echo(&mut self, bytes: &[u8], what: &Phrase) -> TestResult {
        self.send(bytes)?;
        self.expect_replies(&[bytes.to_vec()], what, &[])
    }

    /// Expects one reply to each datagram of `sent`, in any order, each
    /// holding exactly the bytes of one of them. `others` are datagrams other
    /// clients sent, to recognize a reply that went to the wrong client.
    fn expect_replies(
        &mut self,
        sent: &[Vec<u8>],
        what: &Phrase,
        others: &[(&'static str, Vec<u8>)],
    ) -> TestResult {
        let mut owed: Vec<&[u8]> = sent.iter().map(Vec::as_slice).collect();
        for got in 0..sent.len() {
            let named = Sentence::from(what.clone());
            let awaited = if sent.len() == 1 {
                Sentence::template("udpecho-reply-to", vec![("what", named)])
            } else {
                Sentence::template(
                    "udpecho-replies-to",
                    vec![
                        ("what", named),
                        ("got", Sentence::plain(got.to_string())),
                        ("total", Sentence::plain(sent.len().to_string())),
                    ],
                )
            };
            // `recv` takes the reply awaited as English text for now.
            let reply = self.recv(&awaited).map_err(|f| {
                if f.cause != Cause::Timeout {
                    return f;
                }
                let sizes = list(owed.iter().map(|d| size(d.len())).collect());
                f.note(Sentence::template(
                    "udpecho-still-owed",
                    vec![("sizes", sizes)],
                ))
            })?;
            match owed.iter().position(|d| *d == reply.bytes.as_slice()) {
                Some(k) => {
                    owed.remove(k);
                }
                None => return Err(self.wrong_reply(&reply.bytes, &owed, sent, others, what)),
            }
        }
        Ok(())
    }

    /// Explains a reply that matches no datagram still owed a reply.
    fn wrong_reply(
        &self,
        reply: &[u8],
        owed: &[&[u8]],
        sent: &[Vec<u8>],
        others: &[(&'static str, Vec<u8>)],
        what: &Phrase,
    ) -> Failure {
        if let Some((owner, _)) = others.iter().find(|(_, d)| d.as_slice() == reply) {
            return self
                .fail(
                    say("udpecho-got-others-reply")
                        .arg("client", self.name())
                        .arg("owner", *owner),
                )
                .say(say("udpecho-reply-to-sender"));
        }
        if sent.iter().any(|d| d.as_slice() == reply) {
            return self
                .fail(say("udpecho-same-reply-twice"))
                .context(what.clone());
        }
        // Compare with the owed datagram it resembles most: the one with the
        // longest common start.
        let closest = owed
            .iter()
            .copied()
            .max_by_key(|d| compare::first_difference(d, reply).unwrap_or(d.len()))
            .unwrap_or_default();
        let (property, note) = describe_difference(closest, reply);
        let mut f = self
            .fail(property)
            .context(what.clone())
            .with_opt(compare::labelled_bytes(
                say("udpecho-reply").into(),
                closest,
                reply,
            ));
        if let Some(note) = note {
            f = f.say(note);
        }
        f
    }
}

/// A byte count, as a sentence of its own (an item of a [`list`]).
fn size(n: usize) -> Sentence {
    say("udpecho-size").arg("size", Arg::Bytes(n as u64)).into()
}

/// Sentences as a list, in the reader's language: `a, b, c`.
fn list(mut items: Vec<Sentence>) -> Sentence {
    let first = match items.len() {
        0 => return Sentence::plain(""),
        1 => return items.remove(0),
        _ => items.remove(0),
    };
    Sentence::template(
        "udpecho-list",
        vec![("first", first), ("rest", list(items))],
    )
}

/// Drains the datagrams waiting at the other clients and names the first
/// one that holds a datagram `owed` to client `i`: the reply went astray.
fn misdelivered(clients: &[UdpClient], i: usize, owed: &[Vec<u8>]) -> Option<Phrase> {
    for (j, other) in clients.iter().enumerate() {
        if j == i {
            continue;
        }
        let found = other.drain().iter().any(|d| owed.contains(d));
        if found {
            return Some(
                say("udpecho-went-astray")
                    .arg("client", clients[i].name())
                    .arg("other", other.name()),
            );
        }
    }
    None
}

/// Adds to a time-out of client `i` where its reply went, if another
/// client got it.
fn explain_timeout(f: Failure, clients: &[UdpClient], i: usize, owed: &[Vec<u8>]) -> Failure {
    if f.cause != Cause::Timeout {
        return f;
    }
    match misdelivered(clients, i, owed) {
        Some(note) => f.say(note),
        None => f,
    }
}

/// What is wrong with `reply` to a datagram `sent`: a property naming no
/// content (so it is safe for hidden tests), and a hint where the mistake
/// is a known one.
fn describe_difference(sent: &[u8], reply: &[u8]) -> (Phrase, Option<Phrase>) {
    let (m, n) = (sent.len(), reply.len());
    let bytes = |n: usize| Arg::Bytes(n as u64);
    if n < m && sent.starts_with(reply) {
        let hint = (n != 0).then(|| say("udpecho-buffer-too-small"));
        return (
            say("udpecho-cut")
                .arg("size", bytes(m))
                .arg("kept", bytes(n)),
            hint,
        );
    }
    if n > m && reply.starts_with(sent) {
        let hint =
            (reply[m..] == *b"\n" || reply[m..] == *b"\r\n").then(|| say("udpecho-line-ending"));
        return (say("udpecho-followed-by").arg("extra", bytes(n - m)), hint);
    }
    if m == 0 {
        return (say("udpecho-reply-to-empty").arg("size", bytes(n)), None);
    }
    let hint = (std::str::from_utf8(sent).is_err()).then(|| say("udpecho-binary"));
    let at = compare::first_difference(sent, reply).unwrap_or(0);
    (
        say("udpecho-differs")
            .arg("sent", bytes(m))
            .arg("back", bytes(n))
            .arg("at", at),
        hint,
    )
}

// ---------------------------------------------------------------------------
// Setting up

/// Starts the server on a fresh address.
fn start(t: &mut Ctx) -> Result<Server, Failure> {
    let addr = t.addr();
    t.start_udp_server(&[addr.to_string()], addr)
}

// ---------------------------------------------------------------------------
// The tests

fn echoes_a_datagram(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    c.echo(b"hello, udp!", &say("udpecho-first-datagram"))?;
    c.echo(b"and a second one", &say("udpecho-second-datagram"))
}

fn message_boundaries(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    let datagrams: Vec<Vec<u8>> = [
        &b"one\ntwo\n"[..],
        b"no line ending here",
        b"x",
        b"a\r\nb\r\n\r\nc",
        b"    spaces around    ",
    ]
    .iter()
    .map(|d| d.to_vec())
    .collect();
    // Back to back, before reading any reply: each is still a datagram of
    // its own, and so is each reply.
    for d in &datagrams {
        c.send(d)?;
    }
    c.expect_replies(&datagrams, &say("udpecho-back-to-back"), &[])?;
    c.expect_nothing_more()
}

fn empty_datagram(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    c.echo(b"", &say("udpecho-empty-datagram")).map_err(|f| {
        if f.cause == Cause::Timeout {
            f.say(say("udpecho-empty-is-datagram"))
        } else {
            f
        }
    })?;
    c.echo(b"after the empty one", &say("udpecho-after-empty"))
}

fn large_datagram(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    let big = t.rng().bytes(LARGE);
    c.echo(&big, &say("udpecho-large-datagram"))?;
    c.echo(b"small after large", &say("udpecho-small-after-large"))
}

fn largest_datagrams(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    let mut rng = t.rng();
    // Just above the sizes a fixed buffer is commonly given, then the most
    // a datagram can hold.
    for len in [1401, 2049, 4097, 8193, 16_385, 32_769, LARGEST] {
        let d = rng.bytes(len);
        c.echo(&d, &say("udpecho-datagram-of").arg("len", len))
            .map_err(|f| f.say(say("udpecho-cut-to-buffer")))?;
    }
    c.echo(b"small after the largest", &say("udpecho-small-after-them"))
}

fn binary_content(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    let mut every_byte: Vec<u8> = (0..=255u8).collect();
    t.rng().shuffle(&mut every_byte);
    c.echo(&every_byte, &say("udpecho-all-byte-values"))?;
    c.echo(b"\0\0\0", &say("udpecho-three-nul"))?;
    c.echo(b"\xff\xfe not UTF-8 \x80\n", &say("udpecho-not-utf8"))
}

fn several_clients(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let names = ["client A", "client B", "client C"];
    let mut clients = Vec::new();
    for name in names {
        let mut c = t.udp_client(&server, name)?;
        // The remark is English text for now.
        c.set_remark(say("udpecho-three-clients"));
        clients.push(c);
    }
    let mut rng = t.rng();
    for round in 1..=4 {
        let sent: Vec<Vec<u8>> = names
            .iter()
            .map(|n| format!("{n}, round {round}").into_bytes())
            .collect();
        // All three send before anyone reads, in a different order each round.
        let mut order = [0usize, 1, 2];
        rng.shuffle(&mut order);
        for &i in &order {
            clients[i].send(&sent[i])?;
        }
        for i in 0..clients.len() {
            let others: Vec<(&'static str, Vec<u8>)> = (0..names.len())
                .filter(|&j| j != i)
                .map(|j| (names[j], sent[j].clone()))
                .collect();
            let what = say("udpecho-round-datagram")
                .arg("client", names[i])
                .arg("round", round);
            clients[i]
                .expect_replies(&sent[i..=i], &what, &others)
                .map_err(|f| explain_timeout(f, &clients, i, &sent[i..=i]))?;
        }
    }
    std::thread::sleep(EXTRA_WAIT);
    for c in &mut clients {
        c.expect_nothing_more()?;
    }
    Ok(())
}

fn replies_from_server_address(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    for (i, d) in [&b"where do you"[..], b"answer", b"from?"]
        .iter()
        .enumerate()
    {
        c.send(d)?;
        let reply = c.recv(say("udpecho-reply-to-datagram").arg("n", i + 1))?;
        if reply.from != server.addr() {
            return Err(c.fail(say("udpecho-other-address")).say(
                say("udpecho-reply-from")
                    .arg("to", server.addr().to_string())
                    .arg("from", reply.from.to_string()),
            ));
        }
    }
    Ok(())
}

fn bad_arguments(t: &mut Ctx) -> TestResult {
    let held = t.held_udp_addr()?;
    t.expect_addr_refusals(&held, &[])
}
