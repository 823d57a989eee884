//! tcp_client ADDR: for each line of stdin, send it to the server with `\n`,
//! read one reply line, and print it. At the end of the input, close the
//! connection and exit 0; if the server closes before a whole reply, say so
//! on stderr and exit 1.
//!
//! The lesson: TCP has no message boundaries (the notes' 粘包). One `read`
//! may return half a reply, or a reply and its `\n` may come in two reads.
//! The `\n` is the boundary the two sides agreed on, so the client reads
//! until it has seen one, however many reads that takes.
use std::env;
use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::ExitCode;

/// How the conversation ended, when it did not end well.
enum Error {
    /// The server closed the connection before a whole reply line.
    ClosedEarly { line: usize, partial: usize },
    /// Any other I/O error (connecting, sending, reading stdin...).
    Io(&'static str, io::Error),
}

/// Sends each line of `input` and prints each reply to `output`.
fn converse(stream: &TcpStream, input: impl BufRead, mut output: impl Write) -> Result<(), Error> {
    // A `BufReader` over the socket keeps the bytes after a `\n` for the
    // next reply instead of losing them; `&TcpStream` is `Read` and `Write`,
    // so one stream serves both directions.
    let mut replies = BufReader::new(stream);
    let mut to_server = stream;
    let mut input = input;
    let mut line = Vec::new();
    let mut reply = Vec::new();
    for number in 1.. {
        line.clear();
        // Bytes, not `String`: the client need not care what the text is.
        let n = input
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::Io("reading stdin", e))?;
        if n == 0 {
            break; // end of input
        }
        // The last line may lack its `\n`; it is still a line.
        if line.last() != Some(&b'\n') {
            line.push(b'\n');
        }
        // One `write_all` for the line and its `\n`: two small writes would
        // be two segments, and the second one may wait for an ACK.
        to_server
            .write_all(&line)
            .map_err(|e| Error::Io("sending a line", e))?;

        // Read up to and including `\n`, across as many reads as it takes.
        reply.clear();
        let got = replies
            .read_until(b'\n', &mut reply)
            .map_err(|e| Error::Io("reading a reply", e))?;
        // `read_until` stops early only at end of stream: the server closed
        // the connection before the whole line arrived. Print nothing of it.
        if reply.last() != Some(&b'\n') {
            return Err(Error::ClosedEarly {
                line: number,
                partial: got,
            });
        }
        output
            .write_all(&reply)
            .and_then(|()| output.flush())
            .map_err(|e| Error::Io("writing stdout", e))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: tcp_client ADDR   (for example 127.0.0.1:8000)");
        return ExitCode::from(2);
    }
    let addr = &args[1];
    let stream = match TcpStream::connect(addr) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tcp_client: cannot connect to {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    let result = converse(&stream, io::stdin().lock(), io::stdout().lock());
    // Dropping the stream closes the connection: the server's next read
    // returns 0. Done here explicitly, since it is part of the contract.
    drop(stream);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::ClosedEarly { line, partial }) => {
            if partial == 0 {
                eprintln!(
                    "tcp_client: the server closed the connection without replying to line {line}"
                );
            } else {
                eprintln!("tcp_client: the server closed the connection in the middle of the reply to line {line} ({partial} bytes, no newline)");
            }
            ExitCode::from(1)
        }
        Err(Error::Io(what, e)) => {
            eprintln!("tcp_client: {what}: {e}");
            ExitCode::from(2)
        }
    }
}
