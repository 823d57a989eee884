//! line_upper ADDR: a TCP server that answers every `\n`-terminated line
//! with the same line in upper case.
//!
//! The lesson (the notes' "tcp粘包"): TCP carries a stream of bytes, not
//! messages. One `read` may return three lines, or a third of one; the
//! program finds the line boundaries itself, by looking for `\n` in a buffer
//! it keeps between reads. `BufReader::read_until` does exactly that.
use std::env;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;

/// Answers the lines of one connection until the client closes its side.
fn serve(stream: TcpStream) -> io::Result<()> {
    // Reads and writes share the socket: one handle to read through a
    // buffer, a second one to write replies.
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    // One line, reused: it grows to the longest line seen (1 MiB is fine).
    let mut line = Vec::new();
    loop {
        line.clear();
        // Returns as soon as a `\n` is in the buffer, with the bytes up to
        // and including it, however many reads that took. At end of stream
        // it returns what is left (a last line without `\n`), then 0.
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 {
            // The client closed its sending side and every line has been
            // answered: returning drops the socket, which closes it.
            return Ok(());
        }
        // Bytes, not `str`: a-z become A-Z, every other byte (the bytes of
        // `你好` included) stays as it is, and non-UTF-8 input is no error.
        line.make_ascii_uppercase();
        if line.last() != Some(&b'\n') {
            // The last line of the stream had no `\n`: its reply has one.
            line.push(b'\n');
        }
        writer.write_all(&line)?;
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: line_upper ADDR");
        return ExitCode::from(2);
    }
    let listener = match TcpListener::bind(&args[1]) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("line_upper: cannot listen on {}: {e}", args[1]);
            return ExitCode::from(2);
        }
    };
    for conn in listener.incoming() {
        match conn {
            // One thread per client: a client that is slow to finish its
            // line does not hold up the others. A failing client (reset,
            // abrupt close) ends its own thread, never the server.
            Ok(stream) => {
                thread::spawn(move || {
                    if let Err(e) = serve(stream) {
                        eprintln!("line_upper: client: {e}");
                    }
                });
            }
            Err(e) => eprintln!("line_upper: accept: {e}"),
        }
    }
    ExitCode::SUCCESS
}
