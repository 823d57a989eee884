//! timeout_probe ADDR TIMEOUT_MS: send `PING\n` to ADDR and wait at most
//! TIMEOUT_MS for one reply line.
//!
//! The lesson: a blocking `read` waits as long as it takes, forever if the
//! server says nothing. `set_read_timeout` bounds one `read`, not the whole
//! wait: a server that trickles a byte at a time would restart it on every
//! byte. So compute one deadline when connecting, and before each `read`
//! give it only the time that is left.
use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// What the probe found.
enum Outcome {
    /// A full line arrived (without its `\n`).
    Reply(Vec<u8>),
    /// No full line within the time.
    Timeout,
    /// Nothing listens at the address.
    Refused,
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: timeout_probe ADDR TIMEOUT_MS");
        return ExitCode::from(2);
    }
    let Ok(ms) = args[2].parse::<u64>() else {
        eprintln!(
            "timeout_probe: TIMEOUT_MS must be a number of milliseconds, not {:?}",
            args[2]
        );
        return ExitCode::from(2);
    };
    let outcome = resolve(&args[1]).and_then(|addr| probe(addr, Duration::from_millis(ms)));
    let mut stdout = io::stdout().lock();
    let printed = match outcome {
        Ok(Outcome::Reply(line)) => {
            // The line's bytes as received: no lossy UTF-8 conversion.
            let printed = stdout
                .write_all(b"reply: ")
                .and_then(|()| stdout.write_all(&line))
                .and_then(|()| stdout.write_all(b"\n"));
            printed.map(|()| ExitCode::SUCCESS)
        }
        Ok(Outcome::Timeout) => writeln!(stdout, "timeout").map(|()| ExitCode::from(3)),
        Ok(Outcome::Refused) => writeln!(stdout, "refused").map(|()| ExitCode::from(4)),
        Err(e) => {
            eprintln!("timeout_probe: {e}");
            return ExitCode::from(2);
        }
    };
    printed.unwrap_or_else(|e| {
        eprintln!("timeout_probe: writing to stdout: {e}");
        ExitCode::from(2)
    })
}

/// The socket address of ADDR (`127.0.0.1:9000`, or a name and a port).
fn resolve(addr: &str) -> io::Result<SocketAddr> {
    addr.to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::new(ErrorKind::InvalidInput, format!("no address for {addr}")))
}

/// Connects, sends `PING\n`, and waits until `timeout` after connecting for
/// a full line.
fn probe(addr: SocketAddr, timeout: Duration) -> io::Result<Outcome> {
    // The one deadline for the whole exchange.
    let deadline = Instant::now() + timeout;
    let mut stream = match TcpStream::connect_timeout(&addr, timeout.max(Duration::from_millis(1)))
    {
        Ok(s) => s,
        // On loopback, a port where nothing listens answers with a reset at
        // once: `connect` fails with ConnectionRefused.
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => return Ok(Outcome::Refused),
        Err(e) if e.kind() == ErrorKind::TimedOut => return Ok(Outcome::Timeout),
        Err(e) => return Err(e),
    };
    stream.write_all(b"PING\n")?;

    let mut line = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        // Only the time that is left; `Some(Duration::ZERO)` would be an
        // error, so an expired deadline is checked first.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            // A partial line is not a reply.
            return Ok(Outcome::Timeout);
        }
        stream.set_read_timeout(Some(left))?;
        match stream.read(&mut chunk) {
            Ok(0) => {
                return Err(io::Error::new(
                    ErrorKind::UnexpectedEof,
                    "the server closed the connection before a full line",
                ))
            }
            Ok(n) => {
                line.extend_from_slice(&chunk[..n]);
                // A line may come in pieces, and more may follow it in the
                // same read: keep only what precedes the first `\n`.
                if let Some(end) = line.iter().position(|&b| b == b'\n') {
                    line.truncate(end);
                    return Ok(Outcome::Reply(line));
                }
            }
            // The read timed out: Unix reports it as WouldBlock, Windows as
            // TimedOut. The loop's check above ends the wait.
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
