//! http_server ADDR WEBROOT: serve the files under WEBROOT over HTTP/1.1.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: http_server ADDR WEBROOT");
        process::exit(2);
    }
    let (addr, webroot) = (&args[1], &args[2]);
    // TODO: listen on ADDR (`TcpListener::bind`) and give each connection a
    // thread of its own. On a connection, read into a buffer until it holds
    // `\r\n\r\n` (however many reads that takes), parse the request line and
    // the headers, skip the body (Content-Length bytes), and answer: the file
    // under WEBROOT with Content-Type and Content-Length, or 404, 405, 400,
    // 403 as README.md says. Then wait for the next request on the same
    // connection, unless it is HTTP/1.0 or the client sent
    // `Connection: close`.
    todo!("serve {webroot} on {addr} over HTTP/1.1")
}
