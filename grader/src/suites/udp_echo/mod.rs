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

use crate::harness::{compare, Cause, Ctx, Failure, Server, TestDef, TestResult, UdpClient};
use crate::messages;

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
    fn echo(&mut self, bytes: &[u8], what: &str) -> TestResult;

    /// Expects one reply to each datagram of `sent`, in any order, each
    /// holding exactly the bytes of one of them. `others` are datagrams other
    /// clients sent, to recognize a reply that went to the wrong client.
    fn expect_replies(
        &mut self,
        sent: &[Vec<u8>],
        what: &str,
        others: &[(&'static str, Vec<u8>)],
    ) -> TestResult;

    /// Explains a reply that matches no datagram still owed a reply.
    fn wrong_reply(
        &self,
        reply: &[u8],
        owed: &[&[u8]],
        sent: &[Vec<u8>],
        others: &[(&'static str, Vec<u8>)],
        what: &str,
    ) -> Failure;
}

impl Echoes for UdpClient<'_> {
    /// Sends `bytes` and expects them back.
    fn echo(&mut self, bytes: &[u8], what: &str) -> TestResult {
        self.send(bytes)?;
        self.expect_replies(&[bytes.to_vec()], what, &[])
    }

    /// Expects one reply to each datagram of `sent`, in any order, each
    /// holding exactly the bytes of one of them. `others` are datagrams other
    /// clients sent, to recognize a reply that went to the wrong client.
    fn expect_replies(
        &mut self,
        sent: &[Vec<u8>],
        what: &str,
        others: &[(&'static str, Vec<u8>)],
    ) -> TestResult {
        let mut owed: Vec<&[u8]> = sent.iter().map(Vec::as_slice).collect();
        for got in 0..sent.len() {
            let awaited = if sent.len() == 1 {
                format!("the reply to {what}")
            } else {
                format!("the replies to {what} ({got} of {} arrived)", sent.len())
            };
            let reply = self.recv(&awaited).map_err(|f| {
                if f.cause != Cause::Timeout {
                    return f;
                }
                let sizes: Vec<String> = owed
                    .iter()
                    .map(|d| messages::size(d.len() as u64))
                    .collect();
                f.note(format!(
                    "still owed a reply: the datagram(s) of {}",
                    sizes.join(", ")
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
        what: &str,
    ) -> Failure {
        if let Some((owner, _)) = others.iter().find(|(_, d)| d.as_slice() == reply) {
            return self
                .fail(format!(
                    "{} received the reply to a datagram that {owner} sent",
                    self.name()
                ))
                .note(
                    "reply to the address `recv_from` returns with each datagram: every \
                     datagram may come from another client",
                );
        }
        if sent.iter().any(|d| d.as_slice() == reply) {
            return self.fail(format!(
                "{what}: the same reply came twice, one datagram got none"
            ));
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
            .fail(format!("{what}: {property}"))
            .with_opt(compare::bytes("reply", closest, reply));
        if let Some(note) = note {
            f = f.note(note);
        }
        f
    }
}

/// Drains the datagrams waiting at the other clients and names the first
/// one that holds a datagram `owed` to client `i`: the reply went astray.
fn misdelivered(clients: &[UdpClient], i: usize, owed: &[Vec<u8>]) -> Option<String> {
    for (j, other) in clients.iter().enumerate() {
        if j == i {
            continue;
        }
        let found = other.drain().iter().any(|d| owed.contains(d));
        if found {
            return Some(format!(
                "the reply to {}'s datagram went to {}: reply to the address `recv_from` \
                 returns with each datagram, not to a client remembered from before",
                clients[i].name(),
                other.name()
            ));
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
        Some(note) => f.note(note),
        None => f,
    }
}

/// What is wrong with `reply` to a datagram `sent`: a property naming no
/// content (so it is safe for hidden tests), and a hint where the mistake
/// is a known one.
fn describe_difference(sent: &[u8], reply: &[u8]) -> (String, Option<&'static str>) {
    let (m, n) = (sent.len(), reply.len());
    if n < m && sent.starts_with(reply) {
        let hint = if n == 0 {
            None
        } else {
            Some(
                "`recv_from` cuts a datagram longer than its buffer to the buffer's size and \
                 throws the rest away: receive into a buffer as large as any datagram \
                 (65,507 bytes is the largest UDP payload)",
            )
        };
        return (
            format!(
                "a datagram of {} came back cut to its first {}",
                messages::size(m as u64),
                messages::size(n as u64)
            ),
            hint,
        );
    }
    if n > m && reply.starts_with(sent) {
        let hint = (reply[m..] == *b"\n" || reply[m..] == *b"\r\n").then_some(
            "the reply ends with a line ending the datagram did not have: send back the bytes \
             as they came, not as a line of text",
        );
        return (
            format!(
                "the reply is the datagram followed by {} more",
                messages::size((n - m) as u64)
            ),
            hint,
        );
    }
    if m == 0 {
        return (
            format!(
                "a reply of {} to an empty datagram",
                messages::size(n as u64)
            ),
            None,
        );
    }
    let hint = (std::str::from_utf8(sent).is_err()).then_some(
        "the datagram was binary data, not text: send back the bytes themselves (`&buf[..n]`), \
         without turning them into a `String`",
    );
    let at = compare::first_difference(sent, reply).unwrap_or(0);
    (
        format!(
            "the reply differs from the datagram sent ({} sent, {} back, first difference at byte {at})",
            messages::size(m as u64),
            messages::size(n as u64)
        ),
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
    c.echo(b"hello, udp!", "a first datagram")?;
    c.echo(b"and a second one", "a second datagram")
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
    c.expect_replies(&datagrams, "five datagrams sent back to back", &[])?;
    c.expect_nothing_more()
}

fn empty_datagram(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    c.echo(b"", "an empty datagram").map_err(|f| {
        if f.cause == Cause::Timeout {
            f.note(
                "an empty datagram is still a datagram: `recv_from` returns 0 bytes for it \
                 (UDP has no end of file), and the reply is an empty datagram: `send_to(&[], addr)`",
            )
        } else {
            f
        }
    })?;
    c.echo(b"after the empty one", "a datagram after the empty one")
}

fn large_datagram(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    let big = t.rng().bytes(LARGE);
    c.echo(&big, "a 1,400-byte datagram")?;
    c.echo(b"small after large", "a small datagram after the large one")
}

fn largest_datagrams(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    let mut rng = t.rng();
    // Just above the sizes a fixed buffer is commonly given, then the most
    // a datagram can hold.
    for len in [1401, 2049, 4097, 8193, 16_385, 32_769, LARGEST] {
        let d = rng.bytes(len);
        c.echo(&d, &format!("a datagram of {len} bytes"))
            .map_err(|f| {
                f.note(
                    "a datagram longer than the buffer given to `recv_from` is cut to the \
                     buffer's size: a buffer of 65,507 bytes holds any UDP datagram",
                )
            })?;
    }
    c.echo(b"small after the largest", "a small datagram after them")
}

fn binary_content(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut c = t.udp_client(&server, "client A")?;
    let mut every_byte: Vec<u8> = (0..=255u8).collect();
    t.rng().shuffle(&mut every_byte);
    c.echo(&every_byte, "a datagram of all 256 byte values")?;
    c.echo(b"\0\0\0", "a datagram of three NUL bytes")?;
    c.echo(b"\xff\xfe not UTF-8 \x80\n", "a datagram that is not UTF-8")
}

fn several_clients(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let names = ["client A", "client B", "client C"];
    let mut clients = Vec::new();
    for name in names {
        let mut c = t.udp_client(&server, name)?;
        c.set_remark(
            "three clients were sending at the same time, from three ports; each must get \
             exactly the replies to its own datagrams",
        );
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
            let what = format!("{}'s datagram of round {round}", names[i]);
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
        let reply = c.recv(&format!("the reply to datagram {}", i + 1))?;
        if reply.from != server.addr() {
            return Err(c
                .fail("a reply came from another address than ADDR")
                .note(format!(
                    "the datagram went to {}, the reply came from {}: reply with `send_to` on \
                     the socket that received the datagram. A client that `connect`s its UDP \
                     socket to the server (as `nc -u` does) never sees a reply from another \
                     address or port",
                    server.addr(),
                    reply.from
                )));
        }
    }
    Ok(())
}

fn bad_arguments(t: &mut Ctx) -> TestResult {
    let held = t.held_udp_addr()?;
    t.expect_addr_refusals(&held, &[])
}
