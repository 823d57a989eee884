//! poll_echo ADDR: a line echo server that serves many clients at once from
//! ONE thread, with readiness-based IO (mio, or libc's poll).
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::net::SocketAddr;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: poll_echo ADDR");
        process::exit(2);
    }
    let addr: SocketAddr = match args[1].parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("poll_echo: bad address {}: {e}", args[1]);
            process::exit(2);
        }
    };
    // TODO: listen on ADDR with `mio::net::TcpListener::bind` (on failure: a
    // message on stderr, exit 2), register it with a `mio::Poll`, and loop on
    // `poll.poll(&mut events, None)`: accept new clients and register them
    // too; keep, per client, the bytes of its unfinished line and the echoes
    // not written yet. Send each line back once its `\n` has arrived. Never
    // wait on one client: read and write only what is ready, then poll again.
    todo!("serve line echoes on {addr} from one thread")
}
