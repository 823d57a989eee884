//! broadcast_recv PORT: prints every datagram received on `0.0.0.0:PORT`
//! as `{sender_ip}: {message}`; several receivers share the port.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: broadcast_recv PORT");
        process::exit(2);
    }
    let port = &args[1];
    // TODO: parse PORT (on failure: a message on stderr, exit 2). Build a UDP
    // socket with socket2, set SO_REUSEADDR on it *before* binding it to
    // 0.0.0.0:PORT (a bind error: a message on stderr, exit 2), then print
    // each datagram as one line `{sender_ip}: {message}` as soon as it
    // arrives, until killed.
    todo!("receive broadcasts on port {port}")
}
