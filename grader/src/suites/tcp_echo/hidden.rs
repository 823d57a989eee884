//! The hidden tests of `tcp_echo`: left out of the repository students clone.
use super::*;
use crate::harness::{say, Ctx, Failure, ResultExt, TestDef, TestResult};
use crate::text::Arg;
use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("one_mebibyte", 3, one_mebibyte)
            .timeout(Duration::from_secs(40))
            .clauses(&[5, 6, 7]),
        TestDef::hidden("survives_a_reset", 3, survives_a_reset)
            .timeout(Duration::from_secs(30))
            .clauses(&[1, 9]),
    ]
}

/// How long the server is given to die after a reset or a refused
/// connection, if it is going to.
const AFTER_RESET: Duration = Duration::from_millis(500);

/// The size of the large echo.
// One byte over 1 MiB: no power-of-two buffer divides it, so some read is short,
// and a server that writes back its whole buffer instead of the bytes read
// is caught whatever the timing.
const BIG: usize = (1 << 20) + 1;

/// What to do so that a misbehaving client cannot end the server.
fn survive(f: Failure) -> Failure {
    f.say(say("tcpecho-survive"))
}

fn one_mebibyte(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut data = vec![0u8; BIG];
    rng.fill(&mut data);
    let mut s = t.connect_waiting(&server, WAIT)?;
    // Send from another thread while this one reads the echo: a client that
    // only sends would fill its receive buffer, then the server's send
    // buffer, and both sides would wait for each other forever.
    let stream = s
        .tcp_stream()
        .ok_or_else(|| Failure::grader("a TCP session has a TCP stream"))?;
    let mut writer: TcpStream = stream
        .try_clone()
        .map_err(|e| Failure::grader(format!("cloning the connection: {e}")))?;
    let _ = writer.set_write_timeout(Some(t.remaining().max(Duration::from_millis(1))));
    let mut sizes = Vec::new();
    let mut left = BIG;
    while left > 0 {
        let n = (rng.range(1, 64 * 1024) as usize).min(left);
        sizes.push(n);
        left -= n;
    }
    let to_send = data.clone();
    let sender = std::thread::spawn(move || -> std::io::Result<()> {
        let mut at = 0;
        for n in sizes {
            writer.write_all(&to_send[at..at + n])?;
            at += n;
        }
        Ok(())
    });
    let echoed = s.expect_bytes(&data, say("tcpecho-echo-of-big"));
    if echoed.is_err() {
        // Unblock the sender if the server stopped reading.
        if let Some(stream) = s.tcp_stream() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
    let sent = sender
        .join()
        .map_err(|_| Failure::grader("the sending thread panicked"))?;
    echoed.map_err(|f| f.say(say("tcpecho-big-echo").arg("size", Arg::Bytes(BIG as u64))))?;
    sent.map_err(|e| {
        s.fail(say("tcpecho-sending-failed").arg("error", e.to_string()))
            .say(say("tcpecho-keep-reading"))
    })?;
    // Nothing may follow the echo: a server that writes back its whole
    // buffer after the last, short read sends its stale bytes after every
    // byte the test expected.
    s.shutdown_write()?;
    s.expect_closed()
        .map_err(|f| f.say(say("tcpecho-then-more")))
}

fn survives_a_reset(t: &mut Ctx) -> TestResult {
    let server = start(t)?;

    // A client that resets the connection while the server waits to read.
    let situation = say("tcpecho-reset-waiting");
    let mut s = t.connect_waiting(&server, WAIT)?;
    exchange(
        &mut s,
        b"this client will reset the connection\n",
        &say("tcpecho-echo"),
    )?;
    // SO_LINGER 0, then close: a reset (RST) instead of the usual FIN, so the
    // server's next `read` or `write` fails with "connection reset by peer".
    s.reset();
    std::thread::sleep(AFTER_RESET);
    server
        .expect_running()
        .map_err(survive)
        .context(situation)?;

    // A client that resets in the middle of its echo, most of it unread.
    let situation = say("tcpecho-reset-mid-echo");
    let mut s = t.connect_waiting(&server, WAIT)?;
    let data = text(t, 64 * 1024);
    s.send(&data)?;
    s.expect_bytes(&data[..1024], say("tcpecho-start-of-echo"))?;
    s.reset();
    std::thread::sleep(AFTER_RESET);
    server
        .expect_running()
        .map_err(survive)
        .context(situation)?;

    // The next client is served as if nothing happened.
    let situation = say("tcpecho-after-two-resets");
    let mut s = t
        .connect_waiting(&server, WAIT)
        .map_err(survive)
        .context(situation.clone())?;
    exchange(&mut s, b"still there?\n", &say("tcpecho-echo"))
        .map_err(survive)
        .context(situation)?;
    server.expect_running().map_err(survive)
}
