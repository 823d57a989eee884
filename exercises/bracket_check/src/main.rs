//! bracket_check ADDR: a server that checks the brackets of the text each
//! client sends, and answers with one line.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: bracket_check ADDR");
        process::exit(2);
    }
    let addr = &args[1];
    // TODO: listen on ADDR (on failure: a message on stderr, exit 2), then
    // serve one connection after another:
    // - read the whole text, until `read` returns 0 (the client shut down
    //   its sending side), then decode it as UTF-8, once;
    // - check `()[]{}` with a stack and reply with one line:
    //   `All parentheses are matched\n` or
    //   `Unmatching is found at {i} for {c}\n` (`i` counts characters);
    // - close the connection.
    // A client that misbehaves must never stop the server.
    todo!("check brackets for clients of {addr}")
}
