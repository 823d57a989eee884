//! broadcast_recv PORT: receives the datagrams sent to PORT, broadcasts
//! included, and prints each as `{sender_ip}: {message}`.
//!
//! The lesson: several receivers on one machine share the port. A second
//! `bind` of a port already bound fails (`Address already in use`) unless
//! every socket on it set SO_REUSEADDR *before* binding; std's
//! `UdpSocket::bind` creates, binds and returns the socket in one call, so
//! there is no moment to set the option. socket2 builds the socket step by
//! step. The socket binds `0.0.0.0` (every address): a socket bound to
//! `127.0.0.1` only gets datagrams addressed to `127.0.0.1`, not broadcasts.
use std::env;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::process::ExitCode;

use socket2::{Domain, Protocol, Socket, Type};

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: broadcast_recv PORT");
        return ExitCode::from(2);
    }
    let Ok(port) = args[1].parse::<u16>() else {
        eprintln!(
            "broadcast_recv: bad PORT {:?}: expected 0 to 65535",
            args[1]
        );
        return ExitCode::from(2);
    };
    let socket = match bind_shared(port) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("broadcast_recv: cannot bind 0.0.0.0:{port}: {e}");
            return ExitCode::from(2);
        }
    };
    // The largest UDP payload: a datagram longer than the buffer would be
    // cut, and the rest lost (UDP does not keep it for the next read).
    let mut buf = vec![0u8; 65536];
    loop {
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) => {
                eprintln!("broadcast_recv: receiving: {e}");
                return ExitCode::from(2);
            }
        };
        // One datagram, one line. `from` is IP and port; the contract wants
        // the IP. `println!` goes through stdout's line buffer, which is
        // flushed at every `\n`, so each line leaves at once.
        println!("{}: {}", from.ip(), String::from_utf8_lossy(&buf[..n]));
    }
}

/// A UDP socket bound to `0.0.0.0:port` that other receivers may share.
fn bind_shared(port: u16) -> io::Result<UdpSocket> {
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
    // Before `bind`: the kernel checks it when the port is taken.
    socket.set_reuse_address(true)?;
    let addr = SocketAddr::from((Ipv4Addr::UNSPECIFIED, port));
    socket.bind(&addr.into())?;
    Ok(socket.into())
}
