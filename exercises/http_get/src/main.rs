//! http_get ADDR PATH OUT_FILE: fetch PATH from the HTTP server at ADDR over a
//! raw TCP socket, print the response's head, save its body to OUT_FILE.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: http_get ADDR PATH OUT_FILE");
        process::exit(2);
    }
    let (addr, path, out) = (&args[1], &args[2], &args[3]);
    // TODO: connect to ADDR with `TcpStream::connect` (failure: message on
    // stderr, exit 2) and send `GET PATH HTTP/1.1`, a `Host: ADDR` header and
    // `Connection: close`, every line ending in \r\n, then an empty line.
    // Read until the server closes. The head ends at the first \r\n\r\n, which
    // may arrive split across two reads: print its lines (without \r) to
    // stdout, write every byte after it to OUT_FILE. Exit 0 for a 2xx status,
    // 1 for any other, 2 if the response is not HTTP.
    todo!("fetch {path} from {addr} into {out}")
}
