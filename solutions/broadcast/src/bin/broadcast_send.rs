//! broadcast_send ADDR MESSAGE COUNT: sends MESSAGE as COUNT UDP datagrams,
//! 100 ms apart, to the broadcast address and port ADDR.
//!
//! The lesson: one datagram sent to a broadcast address (the notes'
//! `192.168.1.255 广播地址`; on loopback, `127.255.255.255`) reaches every
//! socket bound to that port on the network. The kernel refuses to send it
//! (`Permission denied`) unless the socket asked for it with SO_BROADCAST:
//! std's `UdpSocket::set_broadcast(true)`.
use std::env;
use std::net::{SocketAddrV4, UdpSocket};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

/// The pause between two datagrams.
const PAUSE: Duration = Duration::from_millis(100);

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: broadcast_send ADDR MESSAGE COUNT");
        return ExitCode::from(2);
    }
    let Ok(addr) = args[1].parse::<SocketAddrV4>() else {
        eprintln!(
            "broadcast_send: bad ADDR {:?}: expected IP:PORT, such as 127.255.255.255:9000",
            args[1]
        );
        return ExitCode::from(2);
    };
    let message = &args[2];
    let Ok(count) = args[3].parse::<u32>() else {
        eprintln!(
            "broadcast_send: bad COUNT {:?}: expected a whole number",
            args[3]
        );
        return ExitCode::from(2);
    };
    match send(addr, message.as_bytes(), count) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("broadcast_send: sending to {addr}: {e}");
            ExitCode::from(2)
        }
    }
}

/// Sends `message` `count` times to `addr`, with a pause between two sends.
fn send(addr: SocketAddrV4, message: &[u8], count: u32) -> std::io::Result<()> {
    // Any local address and port will do for the sending side.
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    // Without this, `send_to` a broadcast address fails with EACCES.
    socket.set_broadcast(true)?;
    for i in 0..count {
        if i > 0 {
            thread::sleep(PAUSE);
        }
        // One `send_to`, one datagram: UDP keeps message boundaries.
        socket.send_to(message, addr)?;
    }
    Ok(())
}
