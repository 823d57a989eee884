//! The suite's own TCP server, for tests of a student's client.
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use super::session::Stream;
use super::{Endpoint, Session, DEFAULT_READ_TIMEOUT, POLL};
use crate::harness::ctx::grader_io_error;
use crate::harness::{Cause, Ctx, Failure, Running};
use crate::messages;
use crate::text::Phrase;

impl Ctx {
    /// A TCP listener of the suite's own on a fresh loopback address, for
    /// tests where the student's program is the client.
    pub fn listen(&self) -> Result<Listener, Failure> {
        let mut attempts = 0;
        loop {
            let addr = self.addr();
            match TcpListener::bind(addr) {
                Ok(listener) => {
                    return Ok(Listener {
                        listener,
                        addr,
                        deadline: self.deadline(),
                    })
                }
                // Taken since it was proved free: take another.
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && attempts < 10 => {
                    attempts += 1;
                }
                Err(e) => {
                    return Err(grader_io_error(
                        Phrase::new("harness-listening-on").arg("addr", addr.to_string()),
                        e,
                    ))
                }
            }
        }
    }

    /// A TCP listener of the suite's own for a client given the name
    /// `localhost:PORT`, at a port the kernel picks (bound at once, so
    /// nothing can take it). `localhost` may resolve to `::1` before
    /// `127.0.0.1`, and a client may try only the first address: the
    /// listener takes both (the IPv6 wildcard, dual-stack), or `127.0.0.1`
    /// alone where there is no IPv6. [`Listener::addr`] is `127.0.0.1:PORT`.
    pub fn listen_localhost(&self) -> Result<Listener, Failure> {
        let listener = TcpListener::bind((std::net::Ipv6Addr::UNSPECIFIED, 0))
            .or_else(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
            .map_err(|e| grader_io_error(Phrase::new("harness-listening-localhost"), e))?;
        let port = listener.local_addr().map_err(Failure::grader)?.port();
        Ok(Listener {
            listener,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            deadline: self.deadline(),
        })
    }
}

/// How often [`Listener::accept_from`] looks whether the program still runs.
const ACCEPT_POLL: Duration = Duration::from_millis(50);

/// The suite's own TCP server, for tests of a client program.
pub struct Listener {
    listener: TcpListener,
    addr: SocketAddr,
    deadline: Instant,
}

impl Listener {
    /// The address the student's client must connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits until the client connects (at most `within`, never past the
    /// test's deadline) and returns a session with it, recording a
    /// transcript like any other [`Session`].
    pub fn accept(&self, within: Duration) -> Result<Session, Failure> {
        let until = (Instant::now() + within).min(self.deadline);
        self.listener.set_nonblocking(true).map_err(|e| {
            grader_io_error(
                Phrase::new("harness-listening-on").arg("addr", self.addr.to_string()),
                e,
            )
        })?;
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_nodelay(true);
                    return Ok(Session {
                        stream: Some(Stream::Tcp(stream)),
                        peer: Endpoint::Inet(self.addr),
                        buf: Vec::new(),
                        exchanges: Vec::new(),
                        deadline: self.deadline,
                        read_timeout: DEFAULT_READ_TIMEOUT,
                        server: None,
                        server_invocation: None,
                        shut_down: false,
                    });
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    if Instant::now() >= until {
                        return Err(Failure::new(
                            Cause::Timeout,
                            messages::client_never_connected(self.addr, within),
                        ));
                    }
                    std::thread::sleep(POLL);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(grader_io_error(
                        Phrase::new("harness-accepting-on").arg("addr", self.addr.to_string()),
                        e,
                    ))
                }
            }
        }
    }

    /// Waits until the student's client program, started as `running`,
    /// connects (at most `within`), and returns the session with it and the
    /// run. Fails at once if the program exits first (a stub that panics, a
    /// client that cannot connect): the failure then shows how it ended and
    /// its output; and at `within`, stopping it.
    pub fn accept_from(
        &self,
        mut running: Running,
        within: Duration,
    ) -> Result<(Session, Running), Failure> {
        let until = Instant::now() + within;
        loop {
            match self.accept(ACCEPT_POLL) {
                Ok(s) => return Ok((s, running)),
                Err(f) if f.cause == Cause::Timeout => {}
                Err(f) => return Err(f),
            }
            if !running.is_running() {
                // It may have connected just before it exited.
                if let Ok(s) = self.accept(Duration::ZERO) {
                    return Ok((s, running));
                }
                let out = running.finish()?;
                return Err(out.fail(
                    Phrase::new("harness-exited-without-connecting")
                        .arg("code", out.code)
                        .arg("addr", self.addr.to_string()),
                ));
            }
            if Instant::now() >= until {
                let mut f = running
                    .stop()
                    .fail(messages::client_never_connected(self.addr, within));
                f.cause = Cause::Timeout;
                return Err(f);
            }
        }
    }
}
