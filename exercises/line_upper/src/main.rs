//! line_upper ADDR: a TCP server that answers every `\n`-terminated line
//! with the same line in upper case.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: line_upper ADDR");
        process::exit(2);
    }
    let addr = &args[1];
    // TODO: listen on ADDR (on failure: a message on stderr, exit 2) and
    // serve clients until killed. For each connection, find the lines in the
    // byte stream yourself: a read may return several lines or part of one.
    // Answer each line (a-z turned into A-Z, then `\n`) as soon as its `\n`
    // arrives; at end of stream, answer a last line that has no `\n`, then
    // close the connection. A client that misbehaves must not stop the server.
    todo!("serve upper-cased lines on {addr}")
}
