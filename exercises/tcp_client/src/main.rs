//! tcp_client ADDR: send each line of stdin to a TCP server, print each reply.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: tcp_client ADDR   (for example 127.0.0.1:8000)");
        process::exit(2);
    }
    let addr = &args[1];
    // TODO: connect to ADDR (on failure: a message on stderr, exit 2). For
    // each line of stdin: send it with `\n`, read the reply up to its `\n`
    // (it may come in several pieces), print it. At the end of stdin, close
    // the connection and exit 0. If the server closes before a whole reply:
    // a message on stderr, exit 1.
    todo!("talk to the server at {addr}")
}
