//! broadcast_send ADDR MESSAGE COUNT: sends MESSAGE as COUNT UDP datagrams,
//! 100 ms apart, to the broadcast address and port ADDR.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: broadcast_send ADDR MESSAGE COUNT");
        process::exit(2);
    }
    let (addr, message, count) = (&args[1], &args[2], &args[3]);
    // TODO: parse ADDR (IP:PORT) and COUNT (a whole number); if either is
    // bad, a message on stderr and exit 2. Bind a UDP socket to any local
    // address, allow it to send to a broadcast address (SO_BROADCAST), and
    // send MESSAGE as COUNT datagrams with 100 ms between two of them. An
    // I/O error: a message on stderr, exit 2.
    todo!("send {message:?} {count} times to {addr}")
}
