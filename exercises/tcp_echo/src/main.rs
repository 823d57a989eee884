//! tcp_echo ADDR: a TCP echo server that serves clients one after another.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: tcp_echo ADDR   (for example 127.0.0.1:8000)");
        process::exit(2);
    }
    let addr = &args[1];
    // TODO: listen on ADDR (on failure: a message on stderr, exit 2). Then,
    // forever: accept a client, and until its `read` returns 0, write back
    // every byte it sends, as soon as it arrives; then take the next client.
    // A client that resets its connection must not end the server.
    todo!("echo the clients of {addr}")
}
