//! Loopback networking for suites, one file per job:
//!
//! - [`addr`](self): a fresh loopback address per test ([`Ctx::addr`]), a free
//!   port for wildcard binds ([`Ctx::free_port`]);
//! - `ready`: reading the kernel's socket tables, to see when a server
//!   listens (and which UDP sockets a program holds);
//! - `server`: starting the student's server and waiting until it listens
//!   ([`Ctx::start_server`]), and [`Server`], how it runs and why it exited;
//! - `listener`: the suite's own TCP server for a student's client
//!   ([`Ctx::listen`], [`Listener::accept`]);
//! - `session`: [`Session`], a client connection (TCP or Unix) that records
//!   its transcript;
//! - `udp`: [`UdpClient`], the same for datagrams.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

mod addr;
mod listener;
mod ready;
mod server;
mod session;
mod udp;

pub use addr::HeldAddr;
pub use listener::Listener;
pub use ready::udp_sockets_on_port;
pub use server::{Server, UnixServer};
pub use session::{Heard, Session};
pub use udp::{Datagram, UdpClient};

/// How long a session waits for bytes unless told otherwise.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// How often readiness is polled.
pub(super) const POLL: Duration = Duration::from_millis(10);

/// Where a server serves: an IP address and port, or a Unix socket path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A TCP or UDP address.
    Inet(SocketAddr),
    /// A Unix-domain stream socket.
    Unix(PathBuf),
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Inet(a) => a.fmt(f),
            Endpoint::Unix(p) => p.display().fmt(f),
        }
    }
}
