//! udp_echo ADDR: reply to every datagram with the same bytes, to its sender.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: udp_echo ADDR");
        process::exit(2);
    }
    let addr = &args[1];
    // TODO: bind a UDP socket to ADDR (on failure: a message on stderr, exit
    // 2), then forever: receive one datagram with `recv_from` (into a buffer
    // big enough for any datagram) and send the same bytes back with
    // `send_to`, from the same socket, to the address it came from. An empty
    // datagram gets an empty reply.
    todo!("serve UDP echo on {addr}")
}
