//! udp_echo ADDR: reply to every datagram with the same bytes, to its sender.
//!
//! The lesson: a UDP socket is not a stream. Each `recv_from` returns one
//! whole datagram (never part of one, never two glued together) and the
//! address of whoever sent it; each `send_to` sends one datagram to one
//! address. There is no connection, so one socket serves every client.
use std::env;
use std::net::UdpSocket;
use std::process::ExitCode;

/// The largest payload a UDP datagram can carry over IPv4 (65,535 bytes
/// minus the 8-byte UDP header and the 20-byte IP header). A datagram longer
/// than the buffer handed to `recv_from` is cut to the buffer's size and the
/// rest is thrown away: there is no "next read" for the remainder.
const MAX_DATAGRAM: usize = 65_507;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: udp_echo ADDR");
        return ExitCode::from(2);
    }
    let addr = &args[1];
    // No listen, no accept: binding is all a UDP server does before serving.
    let socket = match UdpSocket::bind(addr) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("udp_echo: cannot bind {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        // One call, one datagram, and who sent it. `n` may be 0: an empty
        // datagram is a datagram like any other (it is not an end of file;
        // UDP has none), and it gets an empty reply.
        let (n, sender) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) => {
                eprintln!("udp_echo: receiving: {e}");
                continue;
            }
        };
        // Reply from the same socket, so that the reply comes from ADDR,
        // to the address this very datagram came from (clients differ).
        if let Err(e) = socket.send_to(&buf[..n], sender) {
            eprintln!("udp_echo: replying to {sender}: {e}");
        }
    }
}
