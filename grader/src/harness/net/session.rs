//! [`Session`]: a client connection to the student's server (TCP or Unix),
//! every byte each way recorded for feedback.
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::server::{exit_within, nc_target, server_exit, EXIT_GRACE};
use super::{Endpoint, Server, DEFAULT_READ_TIMEOUT};
use crate::harness::escape::printf_arg;
use crate::harness::{Cause, Ctx, Detail, Direction, Exchange, Failure, Label, Quoted};
use crate::messages;
use crate::model::Sentence;
use crate::process::Child;
use crate::text::{Arg, Phrase};

/// Bytes of each transcript piece kept for feedback.
const TRANSCRIPT_KEEP: usize = 1024;

impl Ctx {
    /// Opens a client connection to `server` (TCP or Unix, as it serves),
    /// whose reads wait at most `wait` (never past the test's deadline).
    /// If it cannot connect because the server has exited, the failure is
    /// the exit.
    pub fn connect_waiting<A>(
        &self,
        server: &Server<A>,
        wait: Duration,
    ) -> Result<Session, Failure> {
        let mut s = self.connect(server)?;
        s.set_read_timeout(wait);
        Ok(s)
    }

    /// Opens a client connection to `server` (TCP or Unix, as it serves),
    /// whose reads wait at most 5 s. If it cannot
    /// connect because the server has exited, the failure is the exit.
    pub fn connect<A>(&self, server: &Server<A>) -> Result<Session, Failure> {
        let timeout = self
            .remaining()
            .min(DEFAULT_READ_TIMEOUT)
            .max(Duration::from_millis(1));
        let mut session = Session {
            stream: None,
            peer: server.endpoint.clone(),
            buf: Vec::new(),
            exchanges: Vec::new(),
            deadline: self.deadline(),
            read_timeout: DEFAULT_READ_TIMEOUT,
            server: Some(server.child.clone()),
            server_invocation: Some(server.invocation.clone()),
            shut_down: false,
        };
        let connected = match &server.endpoint {
            Endpoint::Inet(addr) => TcpStream::connect_timeout(addr, timeout).map(|s| {
                let _ = s.set_nodelay(true);
                Stream::Tcp(s)
            }),
            Endpoint::Unix(path) => UnixStream::connect(path).map(Stream::Unix),
        };
        match connected {
            Ok(s) => {
                session.stream = Some(s);
                Ok(session)
            }
            Err(e) => Err(session.io_failure(
                Phrase::new("harness-could-not-connect")
                    .arg("endpoint", server.endpoint.to_string()),
                e,
            )),
        }
    }
}

/// A connected stream of either family.
pub(super) enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Stream {
    fn read(&self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Tcp(s) => (&*s).read(buf),
            Stream::Unix(s) => (&*s).read(buf),
        }
    }

    fn write_all(&self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Stream::Tcp(s) => (&*s).write_all(buf),
            Stream::Unix(s) => (&*s).write_all(buf),
        }
    }

    fn shutdown(&self, how: Shutdown) -> std::io::Result<()> {
        match self {
            Stream::Tcp(s) => s.shutdown(how),
            Stream::Unix(s) => s.shutdown(how),
        }
    }

    fn set_write_timeout(&self, t: Option<Duration>) -> std::io::Result<()> {
        match self {
            Stream::Tcp(s) => s.set_write_timeout(t),
            Stream::Unix(s) => s.set_write_timeout(t),
        }
    }

    fn set_read_timeout(&self, t: Option<Duration>) -> std::io::Result<()> {
        match self {
            Stream::Tcp(s) => s.set_read_timeout(t),
            Stream::Unix(s) => s.set_read_timeout(t),
        }
    }
}

/// What the peer did while a test waited for silence
/// ([`Session::wait_silent`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// Nothing: it stayed silent.
    Nothing,
    /// It sent bytes.
    Bytes,
    /// It closed or reset the connection.
    Closed,
}

/// A client connection to the student's server; every byte each way is
/// recorded for feedback.
pub struct Session {
    pub(super) stream: Option<Stream>,
    pub(super) peer: Endpoint,
    pub(super) buf: Vec<u8>,
    pub(super) exchanges: Vec<Exchange>,
    pub(super) deadline: Instant,
    pub(super) read_timeout: Duration,
    pub(super) server: Option<Arc<Mutex<Child>>>,
    pub(super) server_invocation: Option<Quoted>,
    /// The sending side was shut down (the reproduction needs `nc -N`).
    pub(super) shut_down: bool,
}

impl Session {
    /// Waits at most `timeout` for each read (never past the test's deadline).
    pub fn set_read_timeout(&mut self, timeout: Duration) {
        self.read_timeout = timeout;
    }

    /// Runs `f` with each read waiting at most `timeout`, then waits as
    /// before: for one step of a test whose wait differs from the others'.
    pub fn waiting<T>(&mut self, timeout: Duration, f: impl FnOnce(&mut Session) -> T) -> T {
        let usual = std::mem::replace(&mut self.read_timeout, timeout);
        let out = f(self);
        self.read_timeout = usual;
        out
    }

    /// The underlying TCP stream, for tests that need socket options
    /// (`None` for a Unix-socket session).
    pub fn tcp_stream(&self) -> Option<&TcpStream> {
        match self.stream.as_ref() {
            Some(Stream::Tcp(s)) => Some(s),
            _ => None,
        }
    }

    fn stream(&self) -> &Stream {
        self.stream
            .as_ref()
            .expect("a session holds a stream once connected")
    }

    fn record(&mut self, direction: Direction, bytes: &[u8]) {
        match self.exchanges.last_mut() {
            Some(last) if last.direction == direction => {
                let room = TRANSCRIPT_KEEP.saturating_sub(last.bytes.len());
                last.bytes
                    .extend_from_slice(&bytes[..bytes.len().min(room)]);
                last.total += bytes.len();
            }
            _ => self.exchanges.push(Exchange {
                direction,
                bytes: bytes[..bytes.len().min(TRANSCRIPT_KEEP)].to_vec(),
                total: bytes.len(),
            }),
        }
    }

    /// Sends bytes.
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.record(Direction::Sent, bytes);
        // A peer that stops reading must not block the test past its deadline.
        let remaining = self
            .deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        let _ = self.stream().set_write_timeout(Some(remaining));
        let result = self.stream().write_all(bytes);
        result.map_err(|e| self.io_failure(Phrase::new("harness-sending-failed"), e))
    }

    /// Closes the sending side, so the server reads end of file.
    pub fn shutdown_write(&mut self) -> Result<(), Failure> {
        self.shut_down = true;
        let result = self.stream().shutdown(Shutdown::Write);
        result.map_err(|e| self.io_failure(Phrase::new("harness-closing-send-failed"), e))
    }

    /// Sets the socket's read timeout for the next read: the session's
    /// timeout, never past the test's deadline. Returns it.
    fn arm_read_timeout(&self) -> Duration {
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        let timeout = self
            .read_timeout
            .min(remaining)
            .max(Duration::from_millis(1));
        let _ = self.stream().set_read_timeout(Some(timeout));
        timeout
    }

    /// Reads once into the buffer; `Ok(0)` at end of stream.
    fn fill(&mut self) -> Result<usize, Failure> {
        let timeout = self.arm_read_timeout();
        let mut chunk = [0u8; 64 * 1024];
        let result = self.stream().read(&mut chunk);
        match result {
            Ok(n) => {
                if n > 0 {
                    self.record(Direction::Received, &chunk[..n]);
                }
                self.buf.extend_from_slice(&chunk[..n]);
                Ok(n)
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if let Some(f) = self.server.as_ref().and_then(server_exit) {
                    return Err(self.decorate(f));
                }
                Err(self.decorate(Failure::new(Cause::Timeout, messages::no_reply(timeout))))
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => Ok(self.buf.len().max(1)),
            Err(e) => Err(self.io_failure(Phrase::new("harness-receiving-failed"), e)),
        }
    }

    /// Reads until `delim` has arrived and returns everything up to and
    /// including it; fails if the peer closes first or `max` bytes pass.
    pub fn recv_until(&mut self, delim: &[u8], max: usize) -> Result<Vec<u8>, Failure> {
        let mut searched = 0usize;
        loop {
            let from = searched.saturating_sub(delim.len());
            if let Some(pos) = self.buf[from..]
                .windows(delim.len())
                .position(|w| w == delim)
            {
                let end = from + pos + delim.len();
                return Ok(self.buf.drain(..end).collect());
            }
            searched = self.buf.len();
            if self.buf.len() > max {
                return Err(self.fail(
                    Phrase::new("harness-no-delimiter")
                        .arg("delim", crate::harness::escape::escape_bytes(delim))
                        .arg("max", Arg::Bytes(max as u64)),
                ));
            }
            if self.fill()? == 0 {
                return Err(self.closed_early());
            }
        }
    }

    /// Reads one line, up to and including `\n`.
    pub fn recv_line(&mut self) -> Result<Vec<u8>, Failure> {
        self.recv_until(b"\n", 64 * 1024)
    }

    /// Reads exactly `n` bytes.
    pub fn recv_exact(&mut self, n: usize) -> Result<Vec<u8>, Failure> {
        while self.buf.len() < n {
            if self.fill()? == 0 {
                return Err(self.closed_early());
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    /// Reads until the peer closes, at most `max` bytes.
    pub fn recv_to_end(&mut self, max: usize) -> Result<Vec<u8>, Failure> {
        while self.fill()? > 0 {
            if self.buf.len() > max {
                return Err(
                    self.fail(Phrase::new("harness-too-much").arg("max", Arg::Bytes(max as u64)))
                );
            }
        }
        Ok(std::mem::take(&mut self.buf))
    }

    /// Waits `pause` (never past the test's deadline) for the peer to stay
    /// silent, and says what it heard: nothing, bytes (then in
    /// [`Session::pending`] and the transcript; bytes received earlier and
    /// not read yet count), or a close. For "no reply before the line is
    /// complete" and "the client waits for the reply".
    pub fn wait_silent(&mut self, pause: Duration) -> Result<Heard, Failure> {
        if !self.buf.is_empty() {
            return Ok(Heard::Bytes);
        }
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        let until = Instant::now() + pause.min(remaining);
        let mut chunk = [0u8; 4096];
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(Heard::Nothing);
            }
            let _ = self.stream().set_read_timeout(Some(left));
            let result = self.stream().read(&mut chunk);
            match result {
                Ok(0) => return Ok(Heard::Closed),
                Ok(n) => {
                    self.record(Direction::Received, &chunk[..n]);
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(Heard::Bytes);
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Ok(Heard::Nothing)
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::ConnectionReset => return Ok(Heard::Closed),
                Err(e) => return Err(self.io_failure(Phrase::new("harness-receiving-failed"), e)),
            }
        }
    }

    /// Expects the peer to close the connection (after any unread bytes); a
    /// reset counts as closed.
    pub fn expect_closed(&mut self) -> Result<(), Failure> {
        if !self.buf.is_empty() {
            return Err(self.fail(Phrase::new("harness-more-than-expected")));
        }
        self.arm_read_timeout();
        let mut chunk = [0u8; 4096];
        let result = self.stream().read(&mut chunk);
        match result {
            Ok(0) => Ok(()),
            Ok(n) => {
                self.record(Direction::Received, &chunk[..n]);
                Err(self.fail(Phrase::new("harness-more-instead-of-close")))
            }
            Err(e) if e.kind() == ErrorKind::ConnectionReset => Ok(()),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                Err(self.fail(Phrase::new("harness-did-not-close")))
            }
            Err(e) => Err(self.io_failure(Phrase::new("harness-receiving-failed"), e)),
        }
    }

    /// Reads `expected.len()` bytes and fails at the first one that differs.
    /// `what` says what the bytes are (`say("unix-echo-hello")`, or text
    /// shown as it is): the failure's property names it ("wrong echo of
    /// …"), and it labels the comparison.
    pub fn expect_bytes(
        &mut self,
        expected: &[u8],
        what: impl Into<Sentence> + Into<Label> + Clone,
    ) -> Result<(), Failure> {
        while self.buf.len() < expected.len() {
            let n = match self.fill() {
                Ok(n) => n,
                Err(f) if f.cause == Cause::Timeout => {
                    let got = self.buf.clone();
                    return Err(self.mismatch_at(
                        "harness-incomplete-silent",
                        what,
                        expected,
                        &got,
                    ));
                }
                Err(f) => return Err(f),
            };
            if n == 0 {
                let got = self.buf.clone();
                return Err(self.mismatch_at("harness-incomplete-closed", what, expected, &got));
            }
            if crate::harness::compare::first_difference(&self.buf, expected)
                .is_some_and(|d| d < self.buf.len())
            {
                break;
            }
        }
        let got: Vec<u8> = self.buf.iter().take(expected.len()).copied().collect();
        if got == expected {
            self.buf.drain(..expected.len());
            Ok(())
        } else {
            Err(self.mismatch_at("harness-wrong", what, expected, &got))
        }
    }

    /// Sends `bytes` and expects `reply` back while the connection stays
    /// open. Every failure names the exchange: `what` says what the reply
    /// is (`echo of the first line`), also when the connection was reset or
    /// closed instead.
    pub fn send_expect(
        &mut self,
        bytes: &[u8],
        reply: &[u8],
        what: impl Into<Sentence> + Into<Label> + Clone,
    ) -> Result<(), Failure> {
        let said: Sentence = what.clone().into();
        self.send(bytes)
            .and_then(|()| self.expect_bytes(reply, what))
            .map_err(|f| {
                if f.property.contains(said.english()) {
                    f
                } else {
                    f.context(said)
                }
            })
    }

    /// Sends `bytes` and expects them back (see [`Session::send_expect`]).
    pub fn echo(
        &mut self,
        bytes: &[u8],
        what: impl Into<Sentence> + Into<Label> + Clone,
    ) -> Result<(), Failure> {
        self.send_expect(bytes, bytes, what)
    }

    /// The failure `key` ("wrong { $what }", "incomplete { $what }: …") of
    /// the bytes `what`, with their first difference.
    fn mismatch_at(
        &self,
        key: &'static str,
        what: impl Into<Sentence> + Into<Label> + Clone,
        expected: &[u8],
        got: &[u8],
    ) -> Failure {
        let label: Label = what.clone().into();
        let property = Sentence::template(key, vec![("what", what.into())]);
        self.fail(property)
            .with_opt(crate::harness::compare::labelled_bytes(
                label, expected, got,
            ))
    }

    /// A failure of this exchange, with its transcript and a command to
    /// reproduce it.
    pub fn fail(&self, property: impl Into<crate::model::Sentence>) -> Failure {
        self.decorate(Failure::mismatch(property))
    }

    /// The bytes received but not consumed yet.
    pub fn pending(&self) -> &[u8] {
        &self.buf
    }

    /// Resets the connection (SO_LINGER 0, then close): the peer's next read
    /// or write fails with "connection reset", as when a client crashes.
    pub fn reset(mut self) {
        if let Some(stream) = self.stream.take() {
            let fd = match &stream {
                Stream::Tcp(s) => std::os::fd::AsRawFd::as_raw_fd(s),
                Stream::Unix(s) => std::os::fd::AsRawFd::as_raw_fd(s),
            };
            let linger = libc::linger {
                l_onoff: 1,
                l_linger: 0,
            };
            // SAFETY: a valid socket, a correctly sized option value.
            unsafe {
                libc::setsockopt(
                    fd,
                    libc::SOL_SOCKET,
                    libc::SO_LINGER,
                    (&linger as *const libc::linger).cast(),
                    std::mem::size_of::<libc::linger>() as libc::socklen_t,
                );
            }
            drop(stream);
        }
    }

    /// The server's exit, waiting a moment for it: a server that panicked
    /// closes its sockets a little before its exit can be seen.
    fn server_exit_soon(&self) -> Option<Failure> {
        exit_within(self.server.as_ref()?, EXIT_GRACE)
    }

    fn closed_early(&self) -> Failure {
        match self.server_exit_soon() {
            Some(f) => self.decorate(f),
            None => self.fail(messages::closed_early()),
        }
    }

    /// The failure of `doing`, which failed with `e`: "doing: why".
    fn io_failure(&self, doing: Phrase, e: std::io::Error) -> Failure {
        if let Some(f) = self.server_exit_soon() {
            return self.decorate(f);
        }
        let reason: Sentence = match e.kind() {
            ErrorKind::ConnectionReset => Phrase::new("harness-reset").into(),
            ErrorKind::ConnectionRefused => Phrase::new("harness-refused").into(),
            ErrorKind::BrokenPipe => Phrase::new("harness-closed").into(),
            ErrorKind::WouldBlock | ErrorKind::TimedOut => {
                Phrase::new("harness-stopped-reading").into()
            }
            _ => Sentence::plain(e.to_string()),
        };
        self.fail(Sentence::in_situation(doing.into(), reason))
    }

    fn decorate(&self, mut f: Failure) -> Failure {
        if !self.exchanges.is_empty() {
            f = f.with(Detail::Transcript {
                peer: self.peer.to_string().into(),
                exchanges: self.exchanges.clone(),
            });
        }
        if let Some(server) = &self.server_invocation {
            f = f.with(Detail::Command {
                label: "start your server".into(),
                command: server.clone(),
            });
        }
        let sent: Vec<u8> = self
            .exchanges
            .iter()
            .filter(|e| e.direction == Direction::Sent)
            .flat_map(|e| e.bytes.iter().copied())
            .collect();
        let sent_total: usize = self
            .exchanges
            .iter()
            .filter(|e| e.direction == Direction::Sent)
            .map(|e| e.total)
            .sum();
        let is_server = self.server_invocation.is_some();
        if is_server && !sent.is_empty() && sent_total == sent.len() && sent.len() <= 512 {
            let target = nc_target(&self.peer);
            f = f.with(Detail::Command {
                label: "then send the same bytes".into(),
                command: format!(
                    "printf -- {} | nc{} {target}",
                    printf_arg(&sent),
                    // -N: shut down the sending side at the end of input, as the test did.
                    if self.shut_down { " -N" } else { "" }
                )
                .into(),
            });
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::net::TcpStream;

    use super::*;
    use crate::text::Lang;

    /// A session with a peer that sends `bytes` and then closes.
    fn session_with_peer_sending(bytes: &'static [u8]) -> (Session, Ctx) {
        let def = crate::harness::TestDef::visible("t", 1, |_| Ok(()));
        let exe = std::env::current_exe().unwrap();
        let ctx = Ctx::new("e", &def, &exe, 1).unwrap();
        let listener = ctx.listen().unwrap();
        let addr = listener.addr();
        std::thread::spawn(move || {
            let mut peer = TcpStream::connect(addr).unwrap();
            peer.write_all(bytes).unwrap();
        });
        let session = listener.accept(Duration::from_secs(10)).unwrap();
        (session, ctx)
    }

    #[test]
    fn a_wrong_reply_is_said_in_the_suites_words_in_both_languages() {
        let (mut s, _ctx) = session_with_peer_sending(b"hellx\n");
        let f = s
            .expect_bytes(b"hello\n", Phrase::new("unix-echo-hello"))
            .unwrap_err();
        assert_eq!(f.property.english(), "wrong echo of `hello\\n`");
        assert_eq!(f.property.show(Lang::Zh), "`hello\\n` 的回显有误");
        let label = f.details.iter().find_map(|d| match d {
            Detail::Bytes { label, .. } => Some(label.clone()),
            _ => None,
        });
        let label = label.expect("a comparison of the bytes");
        assert_eq!(label.english(), "echo of `hello\\n`");
        assert_eq!(label.show(Lang::Zh), "`hello\\n` 的回显");
    }

    #[test]
    fn an_incomplete_reply_says_what_came_after() {
        let (mut s, _ctx) = session_with_peer_sending(b"hel");
        let f = s
            .expect_bytes(b"hello\n", Phrase::new("unix-echo-hello"))
            .unwrap_err();
        assert_eq!(
            f.property.english(),
            "incomplete echo of `hello\\n`: then the server closed the connection"
        );
        assert_eq!(
            f.property.show(Lang::Zh),
            "`hello\\n` 的回显不完整：之后服务器关闭了连接"
        );
        // Text a suite wrote itself is still shown as it is.
        let (mut s, _ctx) = session_with_peer_sending(b"hellx\n");
        let f = s.expect_bytes(b"hello\n", "greeting").unwrap_err();
        assert_eq!(f.property.english(), "wrong greeting");
        assert_eq!(f.property.show(Lang::Zh), "greeting有误");
    }
}
