//! poll_echo ADDR: a line echo server that serves every client from one
//! thread, with readiness-based IO.
//!
//! The lesson: instead of one blocking `read` per client (which needs one
//! thread per client), every socket is non-blocking and registered with one
//! `Poll` (epoll on Linux). The only place the thread waits is `poll.poll`,
//! and it wakes up with the list of sockets that are ready. Because a socket
//! is never waited on by itself, each client needs its own state: the bytes
//! of a line not finished yet, and the echoes the kernel could not take yet.
use std::collections::HashMap;
use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::SocketAddr;
use std::process::ExitCode;

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

/// The listening socket's token; clients get 1, 2, 3, ...
const LISTENER: Token = Token(0);

/// One connected client and what the server keeps for it between events.
struct Client {
    stream: TcpStream,
    /// Bytes received after the last `\n`: the start of a line still coming.
    partial: Vec<u8>,
    /// Echoes not written yet, because the socket's send buffer was full;
    /// the first `sent` bytes of it are written already.
    pending: Vec<u8>,
    sent: usize,
    /// The client ended its stream (`read` returned 0): close the connection
    /// as soon as `pending` is written.
    finished: bool,
}

/// What to do with a client after handling its event.
enum Next {
    Keep,
    Close,
}

impl Client {
    fn new(stream: TcpStream) -> Client {
        Client {
            stream,
            partial: Vec::new(),
            pending: Vec::new(),
            sent: 0,
            finished: false,
        }
    }

    /// Reads everything the socket holds. mio is edge-triggered: it reports
    /// "readable" once, so we must read until `WouldBlock`, or the rest of
    /// the bytes would wait for an event that never comes.
    fn read_all(&mut self) -> io::Result<()> {
        let mut buf = [0u8; 16 * 1024];
        while !self.finished {
            match self.stream.read(&mut buf) {
                // End of stream: the client will send nothing more. Its
                // last line, if it has no `\n`, is dropped.
                Ok(0) => self.finished = true,
                Ok(n) => self.take(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Adds received bytes; every line they complete becomes an echo.
    fn take(&mut self, bytes: &[u8]) {
        self.partial.extend_from_slice(bytes);
        // TCP has no message boundaries: one read may hold several lines,
        // or a piece of one. Echo up to the last `\n`, keep the rest.
        if let Some(last) = self.partial.iter().rposition(|&b| b == b'\n') {
            self.pending.extend(self.partial.drain(..=last));
        }
    }

    /// Writes as much of `pending` as the socket takes now. A non-blocking
    /// `write` may take only part of it, or nothing (`WouldBlock`): what is
    /// left stays in `pending` until the next "writable" event.
    fn flush(&mut self) -> io::Result<()> {
        while self.sent < self.pending.len() {
            match self.stream.write(&self.pending[self.sent..]) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => self.sent += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        // All written: start the buffer afresh.
        self.pending.clear();
        self.sent = 0;
        Ok(())
    }

    /// Handles one readiness event of this client.
    fn on_event(&mut self, readable: bool) -> io::Result<Next> {
        if readable {
            self.read_all()?;
        }
        // Try to write after every event: a read may have produced echoes,
        // and a "writable" event means room was made for the pending ones.
        self.flush()?;
        if self.finished && self.pending.is_empty() {
            Ok(Next::Close)
        } else {
            Ok(Next::Keep)
        }
    }
}

/// Serves forever; returns only on an error of the poll itself.
fn serve(mut listener: TcpListener) -> io::Result<()> {
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    let mut clients: HashMap<Token, Client> = HashMap::new();
    // Tokens are never reused: a token taken from `clients.len()` could be
    // one a connected client still has after another one left.
    let mut next_token = 1;
    let mut events = Events::with_capacity(256);
    loop {
        // The one place the thread waits: until some socket is ready.
        if let Err(e) = poll.poll(&mut events, None) {
            if e.kind() == ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        for event in events.iter() {
            if event.token() == LISTENER {
                // Accept every waiting connection (edge-triggered, again).
                loop {
                    match listener.accept() {
                        Ok((mut stream, _)) => {
                            let token = Token(next_token);
                            next_token += 1;
                            // Registered for both: we are told when it can be
                            // read, and when it can take more of our echoes.
                            poll.registry().register(
                                &mut stream,
                                token,
                                Interest::READABLE | Interest::WRITABLE,
                            )?;
                            clients.insert(token, Client::new(stream));
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        // A connection that failed before we accepted it, or
                        // no file descriptor left: keep serving the others.
                        Err(e) => {
                            eprintln!("poll_echo: accept: {e}");
                            break;
                        }
                    }
                }
                continue;
            }
            let token = event.token();
            // The client may be gone already (closed earlier in this batch).
            let Some(client) = clients.get_mut(&token) else {
                continue;
            };
            let close = match client.on_event(event.is_readable()) {
                Ok(Next::Keep) => false,
                Ok(Next::Close) => true,
                // A reset or a broken pipe ends this client only.
                Err(e) => {
                    eprintln!("poll_echo: client {}: {e}", token.0);
                    true
                }
            };
            if close {
                if let Some(mut client) = clients.remove(&token) {
                    let _ = poll.registry().deregister(&mut client.stream);
                    // Dropping the stream closes the connection.
                }
            }
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: poll_echo ADDR");
        return ExitCode::from(2);
    }
    let addr: SocketAddr = match args[1].parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("poll_echo: bad address {}: {e}", args[1]);
            return ExitCode::from(2);
        }
    };
    // mio's listener is non-blocking from the start.
    let listener = match TcpListener::bind(addr) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("poll_echo: cannot listen on {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    match serve(listener) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("poll_echo: {e}");
            ExitCode::from(2)
        }
    }
}
