//! Test addresses and free ports: each test gets its own loopback address,
//! and ports that the kernel never hands out by itself.
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, UdpSocket};
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::harness::ctx::grader_io_error;
use crate::harness::{Ctx, Failure, TestResult};
use crate::text::Phrase;

static NEXT_ADDR: AtomicU32 = AtomicU32::new(0);

/// The port of this grader's test addresses: fixed per process, so that
/// addresses differ by their IP alone, and below the kernel's ephemeral
/// range, so that no socket bound to port 0 (an outgoing connection, a
/// [`Ctx::free_port`] probe on the wildcard address) can take it between
/// the moment an address is proved free and the moment a program binds it.
fn grader_port(pid: u32) -> u16 {
    let (base, end) = fixed_ports();
    (base + pid % (end - base)) as u16
}

/// The ports the kernel never hands out by itself (below its ephemeral
/// range, or above it when it starts low), as `base..end`.
fn fixed_ports() -> (u32, u32) {
    static RANGE: std::sync::OnceLock<(u32, u32)> = std::sync::OnceLock::new();
    *RANGE.get_or_init(|| {
        let ephemeral_start = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
            .ok()
            .and_then(|r| r.split_whitespace().next()?.parse::<u32>().ok())
            .unwrap_or(32768);
        if ephemeral_start > 12000 {
            (10000, ephemeral_start)
        } else {
            // The ephemeral range starts low: use the ports above it instead.
            (61000, 65535)
        }
    })
}

/// Ports handed out by [`Ctx::free_port`] so far in this grader.
static NEXT_PORT: AtomicU32 = AtomicU32::new(0);

impl Ctx {
    /// A loopback address and port that no other test of any grader is
    /// using: Linux routes all of 127.0.0.0/8 to `lo`, so each test gets its
    /// own 127.x.y.z and tests run in parallel without colliding.
    pub fn addr(&self) -> SocketAddr {
        let pid = std::process::id();
        static PORT: std::sync::OnceLock<u16> = std::sync::OnceLock::new();
        let port = *PORT.get_or_init(|| grader_port(pid));
        loop {
            let n = NEXT_ADDR.fetch_add(1, Ordering::Relaxed);
            let ip = Ipv4Addr::new(
                127,
                100 + (pid % 100) as u8,
                ((n / 250) % 256) as u8,
                (n % 250 + 2) as u8,
            );
            let addr = SocketAddr::V4(SocketAddrV4::new(ip, port));
            // In a test's own network namespace nothing else binds there.
            // Elsewhere, prove the address free for both protocols before
            // handing it out. (Not in the namespace: a process forked at
            // that moment, anywhere in the grader, would hold a copy of the
            // proof's socket until it execs, and the address would look
            // taken to the test that asked for it.)
            if crate::sandbox::network_per_test()
                || (TcpListener::bind(addr).is_ok() && UdpSocket::bind(addr).is_ok())
            {
                return addr;
            }
        }
    }

    /// A port that nothing uses on any address, TCP or UDP, for programs that
    /// bind the wildcard address `0.0.0.0:PORT` (tests that run at the same
    /// time get different ports). Taken outside the kernel's ephemeral
    /// range: there, any outgoing connection of any test could be given the
    /// port between this proof and the moment it is bound (seen in CI under
    /// selfcheck's load).
    pub fn free_port(&self) -> u16 {
        let (base, end) = fixed_ports();
        let span = end - base;
        let pid = std::process::id();
        // Each grader starts at its own place in the range (and skips the
        // port of its test addresses).
        let start = pid.wrapping_mul(7919) % span;
        let own = u32::from(grader_port(pid));
        loop {
            let n = NEXT_PORT.fetch_add(1, Ordering::Relaxed);
            let port = base + (start + n) % span;
            if port == own {
                continue;
            }
            let wild = SocketAddr::from(([0, 0, 0, 0], port as u16));
            // As in `addr`: a test's own namespace needs no proof.
            if crate::sandbox::network_per_test()
                || (TcpListener::bind(wild).is_ok() && UdpSocket::bind(wild).is_ok())
            {
                return port as u16;
            }
        }
    }
}

/// A fresh test address that a socket of the suite's holds until this is
/// dropped, for the "ADDR already in use" refusal test: a program that
/// binds it must fail.
pub struct HeldAddr {
    addr: SocketAddr,
    /// The socket that holds it.
    _socket: OwnedFd,
}

impl HeldAddr {
    /// The address held.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Ctx {
    /// A fresh address where a TCP listener of the suite's listens until
    /// the returned value is dropped.
    pub fn held_tcp_addr(&self) -> Result<HeldAddr, Failure> {
        let addr = self.addr();
        let listener = TcpListener::bind(addr).map_err(|e| {
            grader_io_error(
                Phrase::new("harness-listening-on").arg("addr", addr.to_string()),
                e,
            )
        })?;
        Ok(HeldAddr {
            addr,
            _socket: listener.into(),
        })
    }

    /// A fresh address that a UDP socket of the suite's is bound to until
    /// the returned value is dropped.
    pub fn held_udp_addr(&self) -> Result<HeldAddr, Failure> {
        let addr = self.addr();
        let socket = UdpSocket::bind(addr).map_err(|e| {
            grader_io_error(
                Phrase::new("harness-binding-udp-on").arg("addr", addr.to_string()),
                e,
            )
        })?;
        Ok(HeldAddr {
            addr,
            _socket: socket.into(),
        })
    }
}

impl Ctx {
    /// The refusals every server started as `PROGRAM ADDR [ARGS...]` owes
    /// (a message on stderr and exit code 2, at once): no arguments at
    /// all, ADDR `not-an-address`, and an ADDR that `held` holds (from
    /// [`Ctx::held_tcp_addr`] or [`Ctx::held_udp_addr`]). `rest` are the
    /// arguments after ADDR, right in both cases where ADDR is wrong.
    pub fn expect_addr_refusals(&mut self, held: &HeldAddr, rest: &[&str]) -> TestResult {
        let with = |addr: String| -> Vec<String> {
            std::iter::once(addr)
                .chain(rest.iter().map(|a| a.to_string()))
                .collect()
        };
        self.command_no_args()
            .expect_refusal(Phrase::new("harness-no-arguments"))?;
        self.command(&with("not-an-address".into()))
            .expect_refusal(Phrase::new("harness-addr-not-an-address"))?;
        self.command(&with(held.addr().to_string()))
            .expect_refusal(Phrase::new("harness-addr-taken").arg("addr", held.addr().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_never_ones_the_kernel_hands_out() {
        // An outgoing connection takes its port from the ephemeral range:
        // a free port must lie outside it, differ from the last one, and
        // from the port of this grader's test addresses.
        let (lo, hi) = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
            .map(|r| {
                let v: Vec<u32> = r.split_whitespace().map(|x| x.parse().unwrap()).collect();
                (v[0], v[1])
            })
            .unwrap_or((32768, 60999));
        let def = crate::harness::TestDef::visible("t", 1, |_| Ok(()));
        let exe = std::env::current_exe().unwrap();
        let ctx = Ctx::new("e", &def, &exe, 1).unwrap();
        let a = ctx.free_port();
        let b = ctx.free_port();
        for p in [a, b] {
            assert!(!(lo..=hi).contains(&u32::from(p)), "{p} in {lo}-{hi}");
            assert_ne!(p, grader_port(std::process::id()));
            UdpSocket::bind(("0.0.0.0", p)).unwrap();
        }
        assert_ne!(a, b);
    }
}
