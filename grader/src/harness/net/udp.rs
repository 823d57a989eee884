//! [`UdpClient`]: a UDP socket of the suite's talking to the student's
//! server, its datagrams recorded as a transcript, one line per datagram.
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use super::{Server, DEFAULT_READ_TIMEOUT};
use crate::harness::ctx::{grader_error, grader_io_error};
use crate::harness::escape::printf_arg;
use crate::harness::{Cause, Ctx, Detail, Direction, Exchange, Failure, Label};
use crate::messages;
use crate::model::Sentence;
use crate::text::Phrase;

/// Bytes of each datagram shown in a transcript (a difference is shown
/// separately, around its first differing byte).
const TRANSCRIPT_KEEP: usize = 96;

/// Text datagrams up to this size get a command to resend them by hand.
const RESEND_LIMIT: usize = 256;

/// The largest datagram a client receives whole.
const RECV_BUFFER: usize = 65_536;

/// A datagram the suite received, and where it came from.
pub struct Datagram {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its sender.
    pub from: SocketAddr,
}

/// A UDP socket of the suite's talking to the student's server (started
/// with [`Ctx::start_udp_server`]); every datagram each way is recorded for
/// feedback.
pub struct UdpClient<'s> {
    server: &'s Server,
    socket: UdpSocket,
    name: &'static str,
    deadline: Instant,
    reply_wait: Duration,
    exchanges: Vec<Exchange>,
    remark: Option<Sentence>,
}

impl Ctx {
    /// A UDP client named `name` ("client A") of `server`, bound to the
    /// server's own loopback address (a server bound to the wildcard
    /// address then replies from ADDR too). It waits
    /// 5 s for each datagram unless told otherwise.
    pub fn udp_client<'s>(
        &self,
        server: &'s Server,
        name: &'static str,
    ) -> Result<UdpClient<'s>, Failure> {
        let socket = UdpSocket::bind(SocketAddr::new(server.addr().ip(), 0))
            .map_err(|e| grader_io_error(Phrase::new("harness-binding-udp"), e))?;
        Ok(UdpClient {
            server,
            socket,
            name,
            deadline: self.deadline(),
            reply_wait: DEFAULT_READ_TIMEOUT,
            exchanges: Vec::new(),
            remark: None,
        })
    }
}

impl UdpClient<'_> {
    /// Its name in feedback.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Its socket's own address, as feedback shows it.
    pub fn local(&self) -> String {
        self.socket
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_else(|_| "?".into())
    }

    /// Waits at most `wait` for each datagram (never past the test's
    /// deadline).
    pub fn set_reply_wait(&mut self, wait: Duration) {
        self.reply_wait = wait;
    }

    /// A remark added to every failure of this client (what else was
    /// going on at the time).
    pub fn set_remark(&mut self, remark: impl Into<Sentence>) {
        self.remark = Some(remark.into());
    }

    fn record(&mut self, direction: Direction, bytes: &[u8]) {
        self.exchanges.push(Exchange {
            direction,
            bytes: bytes[..bytes.len().min(TRANSCRIPT_KEEP)].to_vec(),
            total: bytes.len(),
        });
    }

    /// Sends one datagram to the server.
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.record(Direction::Sent, bytes);
        match self.socket.send_to(bytes, self.server.addr()) {
            Ok(n) if n == bytes.len() => Ok(()),
            Ok(n) => Err(grader_error(
                Phrase::new("harness-datagram-cut")
                    .arg("sent", n)
                    .arg("total", bytes.len()),
            )),
            Err(e) => Err(self.fail(Sentence::in_situation(
                Phrase::new("harness-datagram-send-failed").into(),
                Sentence::plain(e.to_string()),
            ))),
        }
    }

    /// Waits for the next datagram; `what` names the reply awaited, for the
    /// failure if none comes (the server's exit if it exited, else a
    /// time-out).
    ///
    /// (`what` is a `&str` until the suites that pass `&format!(…)` say it
    /// as a phrase: a generic `impl Into<Sentence>` makes clippy ask them to
    /// drop the `&`.)
    pub fn recv(&mut self, what: impl Into<Sentence>) -> Result<Datagram, Failure> {
        let what = what.into();
        let until = (Instant::now() + self.reply_wait).min(self.deadline);
        let mut buf = vec![0u8; RECV_BUFFER];
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.no_reply(what));
            }
            let _ = self.socket.set_read_timeout(Some(left));
            match self.socket.recv_from(&mut buf) {
                Ok((n, from)) => {
                    self.record(Direction::Received, &buf[..n]);
                    return Ok(Datagram {
                        bytes: buf[..n].to_vec(),
                        from,
                    });
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock
                            | std::io::ErrorKind::TimedOut
                            | std::io::ErrorKind::Interrupted
                    ) => {}
                Err(e) => {
                    return Err(self.fail(Sentence::in_situation(
                        Phrase::new("harness-receiving-failed").into(),
                        Sentence::plain(e.to_string()),
                    )))
                }
            }
        }
    }

    /// The failure for a reply that did not come.
    fn no_reply(&self, what: Sentence) -> Failure {
        let f = match self.server.expect_running() {
            Err(exited) => exited,
            Ok(()) => Failure::new(
                Cause::Timeout,
                Sentence::in_situation(messages::no_reply(self.reply_wait), what),
            ),
        };
        self.decorate(f)
    }

    /// Takes the datagrams waiting at this client now, without waiting,
    /// and records none of them (they were meant for another client).
    pub fn drain(&self) -> Vec<Vec<u8>> {
        let mut buf = vec![0u8; RECV_BUFFER];
        let mut got = Vec::new();
        let _ = self.socket.set_nonblocking(true);
        while let Ok((n, _)) = self.socket.recv_from(&mut buf) {
            got.push(buf[..n].to_vec());
        }
        let _ = self.socket.set_nonblocking(false);
        got
    }

    /// Fails if a datagram is waiting at this client now: every reply it
    /// was owed has arrived already.
    pub fn expect_nothing_more(&mut self) -> Result<(), Failure> {
        let _ = self.socket.set_nonblocking(true);
        let mut buf = vec![0u8; RECV_BUFFER];
        let got = self.socket.recv_from(&mut buf);
        let _ = self.socket.set_nonblocking(false);
        match got {
            Ok((n, _)) => {
                self.record(Direction::Received, &buf[..n]);
                Err(self
                    .fail(Phrase::new("harness-datagram-after-replies").arg("client", self.name)))
            }
            Err(_) => Ok(()),
        }
    }

    /// A failure of this client, with its transcript.
    pub fn fail(&self, property: impl Into<crate::model::Sentence>) -> Failure {
        self.decorate(Failure::mismatch(property))
    }

    /// `f` with this client's remark, transcript, and commands to start the
    /// server and resend the last datagram by hand.
    pub fn decorate(&self, mut f: Failure) -> Failure {
        if let Some(remark) = &self.remark {
            f = f.note(remark.clone());
        }
        if !self.exchanges.is_empty() {
            f = f
                .with(Detail::Transcript {
                    peer: Phrase::new("harness-udp-peer")
                        .arg("addr", self.server.addr().to_string())
                        .arg("client", self.name)
                        .arg("local", self.local())
                        .into(),
                    exchanges: self.exchanges.clone(),
                })
                .with(Detail::Command {
                    label: "start your server".into(),
                    command: self.server.invocation().clone(),
                });
        }
        let last_sent = self
            .exchanges
            .iter()
            .rev()
            .find(|e| e.direction == Direction::Sent && e.total > 0);
        if let Some(e) = last_sent.filter(|e| e.total <= RESEND_LIMIT && is_typable(&e.bytes)) {
            let addr = self.server.addr();
            f = f.with(Detail::Command {
                label: Label::Phrase(Phrase::new("harness-label-send-datagram")),
                command: format!(
                    "printf {} | nc -u -w1 {} {}",
                    printf_arg(&e.bytes),
                    addr.ip(),
                    addr.port()
                )
                .into(),
            });
        }
        f
    }
}

/// Whether a datagram is text one could type (a command to resend it is
/// then worth showing).
fn is_typable(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|s| {
        s.chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
    })
}
