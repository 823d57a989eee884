//! bracket_check ADDR: the notes' bracket-checking server. Each client sends
//! a text and shuts down its sending side; the server answers with one line,
//! `All parentheses are matched` or `Unmatching is found at {i} for {c}`,
//! and closes the connection.
//!
//! The lessons: the end of the text is the end of the stream (`read`
//! returning 0 once the client has shut down its side), not the end of one
//! `read`: TCP keeps no message boundaries, so a text may arrive in any
//! number of pieces, even with a UTF-8 character cut in two. So the bytes
//! are collected first and decoded once. And positions count characters
//! (`chars()`), not bytes.
use std::env;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: bracket_check ADDR");
        return ExitCode::from(2);
    }
    let addr = &args[1];
    let listener = match TcpListener::bind(addr) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("bracket_check: cannot listen on {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    // One client after another; a client that resets or vanishes costs its
    // own connection, never the server.
    for conn in listener.incoming() {
        match conn {
            Ok(stream) => {
                if let Err(e) = serve(stream) {
                    eprintln!("bracket_check: a connection failed: {e}");
                }
            }
            Err(e) => eprintln!("bracket_check: accept failed: {e}"),
        }
    }
    ExitCode::SUCCESS
}

/// Reads one text to the end of the stream and answers it.
fn serve(mut stream: TcpStream) -> io::Result<()> {
    // `read_to_end` calls `read` until it returns 0: the client has shut
    // down its sending side, so the whole text is here. One `read` may hold
    // any part of it.
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes)?;
    // Decoded once, whole: a character split between two reads is whole
    // again. (Invalid UTF-8 is outside the contract; lossy decoding keeps
    // the server answering anyway.)
    let text = String::from_utf8_lossy(&bytes);
    writeln!(stream, "{}", check(&text))?;
    // Dropping `stream` closes the connection: the client reads end of file
    // after the line.
    Ok(())
}

/// The verdict on `text`, as the reply line without its `\n`.
fn check(text: &str) -> String {
    // The openers not closed yet, with their character positions; the top
    // of the stack is the one the next closer must match.
    let mut open: Vec<(usize, char)> = Vec::new();
    // `enumerate` over `chars()` counts characters; `char_indices` would
    // give byte offsets, which differ as soon as a character is not ASCII.
    for (i, c) in text.chars().enumerate() {
        let wanted = match c {
            '(' | '[' | '{' => {
                open.push((i, c));
                continue;
            }
            ')' => '(',
            ']' => '[',
            '}' => '{',
            _ => continue,
        };
        match open.pop() {
            Some((_, opener)) if opener == wanted => {}
            // Nothing open, or an opener of another kind: this closer is
            // where the text goes wrong.
            _ => return format!("Unmatching is found at {i} for {c}"),
        }
    }
    match open.pop() {
        None => "All parentheses are matched".to_string(),
        // Openers left at the end: the last one opened is reported.
        Some((i, c)) => format!("Unmatching is found at {i} for {c}"),
    }
}
