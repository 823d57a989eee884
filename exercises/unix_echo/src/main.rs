//! unix_echo PATH: an echo server on a Unix-domain stream socket at PATH.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::path::Path;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: unix_echo PATH");
        process::exit(2);
    }
    let path = Path::new(&args[1]);
    // TODO: if a socket file from an earlier run is at PATH, remove it. Then
    // listen with `std::os::unix::net::UnixListener::bind` (on failure: a
    // message on stderr, exit 2) and serve clients one after another: echo
    // every byte a client sends until `read` returns 0, then close and accept
    // the next. A client that vanishes must not stop the server.
    todo!("serve echoes at {}", path.display())
}
