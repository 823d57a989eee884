//! tcp_echo ADDR: a TCP echo server. It serves clients one after another and
//! sends every byte a client sends straight back, until the client closes.
//!
//! The lesson: a TCP connection is a stream of bytes, not of messages. `read`
//! returns whatever has arrived (one byte or many kilobytes), and `Ok(0)`
//! only when the peer has closed its side. A server must survive a client
//! that misbehaves: an error on one connection ends that connection, never
//! the server.
use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;

/// Echoes everything `stream` sends until it closes; returns the byte count.
fn echo(mut stream: TcpStream) -> io::Result<u64> {
    // Any size works: a read returns at most this much, and whatever
    // arrived is written back before the next read.
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0u64;
    loop {
        let n = match stream.read(&mut buf) {
            // The client closed its sending side (the notes: `recv` returns
            // an empty string). Nothing more will come: we are done, and
            // dropping `stream` closes our side too.
            Ok(0) => return Ok(total),
            Ok(n) => n,
            // A signal interrupted the call before any byte arrived: retry.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // `write` may send only part of the slice; `write_all` loops until
        // every byte of it is in the send buffer. Send only `buf[..n]`: the
        // rest of the buffer holds nothing this client sent.
        stream.write_all(&buf[..n])?;
        total += n as u64;
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: tcp_echo ADDR   (for example 127.0.0.1:8000)");
        return ExitCode::from(2);
    }
    let addr = &args[1];
    // socket() + bind() + listen() in one call.
    let listener = match TcpListener::bind(addr) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("tcp_echo: cannot listen on {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    eprintln!("tcp_echo: listening on {addr}");
    // `incoming()` is `accept()` in a loop. While one client is served, the
    // next ones wait in the listen queue (the backlog).
    for conn in listener.incoming() {
        let stream = match conn {
            Ok(s) => s,
            Err(e) => {
                eprintln!("tcp_echo: accept failed: {e}");
                continue;
            }
        };
        let peer = stream
            .peer_addr()
            .map(|a| a.to_string())
            .unwrap_or_else(|_| "a client".into());
        // A reset (the client vanished) is this client's problem: report it
        // and take the next one.
        match echo(stream) {
            Ok(n) => eprintln!("tcp_echo: {peer} closed after {n} bytes"),
            Err(e) => eprintln!("tcp_echo: {peer}: {e}"),
        }
    }
    ExitCode::SUCCESS
}
