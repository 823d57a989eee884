//! Seeing what a server had done at the very moment its reply arrived.
//!
//! A server that replies first and finishes its work just after (renames
//! the file it reported stored, flushes it) breaks a promise such as "when
//! the client reads `OK`, the file is there"; but a test that looks after
//! reading the reply sees the mistake only if it wins a race of
//! microseconds, which the server usually wins. [`Freeze`] takes the race
//! away, with the kernel's signal-driven IO: the test's socket is put in
//! `O_ASYNC` mode, owned by the server's process group, with `SIGSTOP` as
//! its signal (`F_SETOWN`, `F_SETSIG`). When bytes from the server arrive,
//! the kernel sends the server `SIGSTOP` while it is still inside the
//! `write` that sent them (loopback delivers in the sender's own system
//! call), and a signal is acted on before the process returns to its own
//! code: whatever the test then sees is what the server had done when it
//! sent those bytes.
//!
//! One case is left to timing: under a flood of network traffic the kernel
//! may hand loopback delivery to its softirq thread, and the stop then comes
//! as late as that thread runs (a check without the freeze is no better).
//!
//! The kernel sends no signal while a thread is blocked reading the socket
//! (it reckons that thread will take the data), so a freeze waits with
//! `poll` ([`Freeze::wait_for`]), never with a blocking read. Dropping it
//! disarms the socket and lets the server go on (`SIGCONT`).
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// `fcntl`'s command to choose the signal of signal-driven IO (Linux's
/// `F_SETSIG`, the same on every architecture the grader runs on; the libc
/// crate does not name it).
const F_SETSIG: libc::c_int = 10;

/// A socket of the test's armed to stop the server's process group when
/// bytes arrive (see the module's documentation).
pub struct Freeze {
    stream: TcpStream,
    pgid: i32,
    flags_before: libc::c_int,
}

impl Freeze {
    /// Arms `stream` (a clone of the test's connection: the mode belongs to
    /// the connection, not to the clone) to stop process group `pgid` when
    /// bytes arrive. `None` when the system refuses it; the caller then
    /// checks without a freeze, as well as it can.
    pub fn arm(stream: TcpStream, pgid: i32) -> Option<Freeze> {
        // Never the grader's own group, nor every process (`F_SETOWN` 0 or
        // -1 mean no owner or a single process 1).
        if pgid <= 1 || pgid == nix::unistd::getpgrp().as_raw() {
            return None;
        }
        let fd = stream.as_raw_fd();
        // SAFETY: fcntl on a descriptor the stream owns, with integer
        // arguments only.
        unsafe {
            let flags_before = libc::fcntl(fd, libc::F_GETFL);
            if flags_before < 0
                || libc::fcntl(fd, libc::F_SETOWN, -pgid) != 0
                || libc::fcntl(fd, F_SETSIG, libc::SIGSTOP) != 0
                || libc::fcntl(fd, libc::F_SETFL, flags_before | libc::O_ASYNC) != 0
            {
                libc::fcntl(fd, libc::F_SETOWN, 0);
                return None;
            }
            Some(Freeze {
                stream,
                pgid,
                flags_before,
            })
        }
    }

    /// Waits, at most `timeout`, until the bytes the server sent so far
    /// satisfy `enough` (they are only peeked at, left for the test to
    /// read), or the server closed the connection. Each arrival stops the
    /// server; while what arrived is not enough, it is let go on to send
    /// more. Returns true when it is enough, the server then stopped right
    /// after sending the last of them; false on time-out, the server then
    /// running.
    pub fn wait_for(&mut self, enough: impl Fn(&[u8]) -> bool, timeout: Duration) -> bool {
        let until = Instant::now() + timeout;
        let fd = self.stream.as_raw_fd();
        let mut seen = 0usize;
        let mut buf = [0u8; 256];
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.resume();
                return false;
            }
            let mut pfd = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            let ms = left.as_millis().clamp(1, 100) as libc::c_int;
            // SAFETY: one pollfd of ours, for a descriptor the stream owns.
            let ready = unsafe { libc::poll(&mut pfd, 1, ms) };
            if ready <= 0 {
                continue;
            }
            // SAFETY: a peek into a buffer of ours, of the length given.
            let n = unsafe {
                libc::recv(
                    fd,
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    libc::MSG_PEEK | libc::MSG_DONTWAIT,
                )
            };
            if n < 0 {
                // A reset, or nothing after all: let the test's read say.
                if std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock {
                    continue;
                }
                return true;
            }
            let n = n as usize;
            if n == 0 || enough(&buf[..n]) || n == buf.len() {
                return true;
            }
            if n > seen {
                // More arrived, not enough yet: the server was stopped by
                // it; let it go on.
                seen = n;
                self.resume();
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Lets the server go on (`SIGCONT`); the socket stays armed.
    pub fn resume(&mut self) {
        // SAFETY: a signal to the server's own process group.
        unsafe { libc::kill(-self.pgid, libc::SIGCONT) };
    }
}

impl Drop for Freeze {
    fn drop(&mut self) {
        let fd = self.stream.as_raw_fd();
        // SAFETY: fcntl on a descriptor the stream owns, integers only.
        unsafe {
            libc::fcntl(fd, libc::F_SETFL, self.flags_before);
            libc::fcntl(fd, libc::F_SETOWN, 0);
        }
        self.resume();
    }
}
