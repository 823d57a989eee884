//! chat_server ADDR DATA_DIR: the notes' instant-messaging server. Clients
//! log in with a name and send each other lines of text through the server,
//! which relays a message at once to a user who is online and keeps it in
//! DATA_DIR for one who is not, until that user's next LOGIN. The full
//! contract is in README.md (README.zh.md in Chinese).
//!
//! Design: one thread reads each connection and one writes to it. Everything
//! shared (who is online, the stored messages) sits behind one mutex, so
//! every command is one step that no other command can interleave with.
use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::{self, BufRead, BufReader, ErrorKind, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: chat_server ADDR DATA_DIR");
        return ExitCode::from(2);
    }
    let (addr, data_dir) = (&args[1], PathBuf::from(&args[2]));
    if let Err(e) = fs::create_dir_all(&data_dir) {
        eprintln!("chat_server: cannot use {}: {e}", data_dir.display());
        return ExitCode::from(2);
    }
    let listener = match TcpListener::bind(addr) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("chat_server: cannot listen on {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    let hub = Arc::new(Mutex::new(Hub {
        online: BTreeMap::new(),
        store: Store { dir: data_dir },
    }));
    // Each connection gets an id, so that a connection that goes away
    // removes its own entry from `online` and never a newer one of the same
    // name.
    for (id, conn) in (0u64..).zip(listener.incoming()) {
        match conn {
            Ok(stream) => {
                let hub = Arc::clone(&hub);
                thread::spawn(move || serve(stream, id, &hub));
            }
            // A failed accept (the client already gone, too many open files)
            // concerns one connection, not the server.
            Err(e) => eprintln!("chat_server: accept failed: {e}"),
        }
    }
    ExitCode::SUCCESS
}

/// What all connections share.
struct Hub {
    /// The users logged in now. A `BTreeMap` keeps its keys sorted (byte
    /// order for `String`), which is the order `WHO` lists them in.
    online: BTreeMap<String, Online>,
    /// The messages waiting for users who are offline.
    store: Store,
}

/// A user who is online: their connection's id, and the queue of lines
/// that connection's writer thread sends.
struct Online {
    id: u64,
    out: Sender<String>,
}

/// Locks the hub. A thread that panicked while holding the lock leaves it
/// "poisoned"; the data is still consistent here (every change is a single
/// insert, remove or file operation), so carry on rather than take every
/// other connection down with it.
fn lock(hub: &Mutex<Hub>) -> MutexGuard<'_, Hub> {
    hub.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Serves one client until it disconnects.
fn serve(stream: TcpStream, id: u64, hub: &Mutex<Hub>) {
    let (out, lines) = mpsc::channel::<String>();
    let writer = match stream.try_clone() {
        Ok(w) => thread::spawn(move || write_lines(w, lines)),
        Err(e) => {
            eprintln!("chat_server: {e}");
            return;
        }
    };
    let mut reader = BufReader::new(stream);
    let mut me: Option<String> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        // `read_until` works on bytes: a line that is not UTF-8 gets an ERR
        // instead of ending the connection, as `BufRead::lines` would.
        match reader.read_until(b'\n', &mut line) {
            // End of file: the client closed the connection.
            Ok(0) => break,
            // A last line without `\n`: the client closed the connection in
            // the middle of it. It is not a command; ignore it.
            Ok(_) if !line.ends_with(b"\n") => break,
            Ok(_) => {}
            // A reset connection is the client's problem, not the server's.
            Err(_) => break,
        }
        line.pop();
        if line.ends_with(b"\r") {
            line.pop();
        }
        let reply = match std::str::from_utf8(&line) {
            Ok(text) => handle(text, id, &mut me, &out, hub),
            Err(_) => Some("ERR the line is not UTF-8 text".to_string()),
        };
        // Replies go through the same queue as the FROM lines relayed to
        // this user, so each line leaves whole and in order.
        if let Some(reply) = reply {
            let _ = out.send(reply + "\n");
        }
    }
    // The user goes offline: messages to them are stored from now on.
    if let Some(name) = me {
        let mut hub = lock(hub);
        if hub.online.get(&name).is_some_and(|o| o.id == id) {
            hub.online.remove(&name);
        }
    }
    // The last sender of the queue is gone once `online` forgets us: the
    // writer sends what is left and stops.
    drop(out);
    let _ = writer.join();
}

/// Sends the connection's queued lines, in order, until the queue closes.
fn write_lines(mut stream: TcpStream, lines: Receiver<String>) {
    for line in lines {
        if stream.write_all(line.as_bytes()).is_err() {
            // The client is gone; its reader thread finds out too.
            break;
        }
    }
}

/// A command, parsed.
enum Command<'a> {
    Login(&'a str),
    Send { to: &'a str, text: &'a str },
    Who,
}

/// Parses one line (without its line ending).
fn parse(line: &str) -> Result<Command<'_>, &'static str> {
    if let Some(name) = line.strip_prefix("LOGIN ") {
        check_name(name)?;
        Ok(Command::Login(name))
    } else if let Some(rest) = line.strip_prefix("SEND ") {
        // The text is the rest of the line after the recipient and one
        // space, spaces and all.
        let (to, text) = rest.split_once(' ').ok_or("usage: SEND <to> <text>")?;
        check_name(to)?;
        if text.is_empty() {
            return Err("the message text is empty");
        }
        Ok(Command::Send { to, text })
    } else if line == "WHO" {
        Ok(Command::Who)
    } else {
        Err("unknown command (LOGIN <name>, SEND <to> <text>, WHO)")
    }
}

/// A name is one word: not empty, no spaces.
fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        Err("a name is one word without spaces")
    } else {
        Ok(())
    }
}

/// Carries out one command and returns the reply line to queue (`None` for
/// a LOGIN that succeeded: it queued its `OK` itself, before the stored
/// messages).
fn handle(
    line: &str,
    id: u64,
    me: &mut Option<String>,
    out: &Sender<String>,
    hub: &Mutex<Hub>,
) -> Option<String> {
    let command = match parse(line) {
        Ok(c) => c,
        Err(reason) => return Some(format!("ERR {reason}")),
    };
    let reply = match (command, me.as_deref()) {
        (Command::Login(_), Some(_)) => "ERR already logged in".into(),
        (Command::Login(name), None) => match login(name, id, out, hub) {
            Ok(()) => {
                *me = Some(name.to_string());
                return None;
            }
            Err(reason) => format!("ERR {reason}"),
        },
        (_, None) => "ERR log in first: LOGIN <name>".into(),
        (Command::Send { to, text }, Some(from)) => {
            let hub = lock(hub);
            let line = format!("FROM {from} {text}\n");
            // Online: relay at once. The recipient may have gone in the
            // meantime (its writer stopped): then store the message instead.
            let relayed = match hub.online.get(to) {
                Some(user) => user.out.send(line).is_ok(),
                None => false,
            };
            if relayed {
                "OK".into()
            } else {
                // Offline: the message is in DATA_DIR before the sender
                // hears OK, so an acknowledged message survives a crash.
                match hub.store.append(to, from, text) {
                    Ok(()) => "OK".into(),
                    Err(e) => {
                        eprintln!("chat_server: storing a message for {to}: {e}");
                        "ERR the message could not be stored".into()
                    }
                }
            }
        }
        (Command::Who, Some(_)) => {
            let hub = lock(hub);
            let names: Vec<&str> = hub.online.keys().map(String::as_str).collect();
            format!("USERS {}", names.join(" "))
        }
    };
    Some(reply)
}

/// Logs `name` in on connection `id`: queues `OK`, then the messages stored
/// for `name` in the order they were acknowledged, then forgets them. All
/// under the lock, so a message sent to `name` meanwhile is either among the
/// stored ones or relayed after them.
fn login(name: &str, id: u64, out: &Sender<String>, hub: &Mutex<Hub>) -> Result<(), String> {
    let mut hub = lock(hub);
    if hub.online.contains_key(name) {
        return Err("this name is already online".into());
    }
    let stored = hub.store.read(name).map_err(|e| {
        eprintln!("chat_server: reading the messages of {name}: {e}");
        "the stored messages could not be read".to_string()
    })?;
    let _ = out.send("OK\n".into());
    for (from, text) in &stored {
        let _ = out.send(format!("FROM {from} {text}\n"));
    }
    // Handed to the connection: remove them from DATA_DIR now, so that a
    // restarted server does not deliver them a second time. (Removing them
    // only after the writer has sent them would trade this small window for
    // the opposite one, a message delivered twice: a crash always falls
    // between two steps. The suite kills the server only at quiet moments.)
    if !stored.is_empty() {
        if let Err(e) = hub.store.remove(name) {
            eprintln!("chat_server: removing the delivered messages of {name}: {e}");
        }
    }
    hub.online.insert(
        name.to_string(),
        Online {
            id,
            out: out.clone(),
        },
    );
    Ok(())
}

/// The messages waiting for offline users: one file per recipient in
/// DATA_DIR, one line `<sender> <text>` per message, oldest first. Nothing
/// of it is kept in memory, so a restarted server finds it all.
struct Store {
    dir: PathBuf,
}

impl Store {
    /// The file of `name`'s messages. A name is the user's to choose (it
    /// could be `..` or contain `/`), so it is never used as a file name:
    /// its bytes are written in hexadecimal instead.
    fn inbox(&self, name: &str) -> PathBuf {
        let hex: String = name.bytes().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{hex}.inbox"))
    }

    /// Appends a message for `to`. When this returns, the line is in the
    /// kernel's hands: a killed process loses nothing that `write` accepted
    /// (only a power failure could, which `file.sync_data()` would guard
    /// against, at the cost of a disk flush per message).
    fn append(&self, to: &str, from: &str, text: &str) -> io::Result<()> {
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.inbox(to))?;
        // One `write_all` of the whole line, not a `BufWriter` that would
        // keep it in this process's memory until flushed.
        file.write_all(format!("{from} {text}\n").as_bytes())
    }

    /// The messages stored for `name`, oldest first.
    fn read(&self, name: &str) -> io::Result<Vec<(String, String)>> {
        let bytes = match fs::read(self.inbox(name)) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let text = String::from_utf8_lossy(&bytes);
        // `split_inclusive` keeps each `\n`: a last line without one was cut
        // short by a crash in the middle of `append` and never acknowledged.
        Ok(text
            .split_inclusive('\n')
            .filter_map(|l| l.strip_suffix('\n'))
            .filter_map(|l| l.split_once(' '))
            .map(|(from, text)| (from.to_string(), text.to_string()))
            .collect())
    }

    /// Forgets the messages stored for `name`.
    fn remove(&self, name: &str) -> io::Result<()> {
        fs::remove_file(self.inbox(name))
    }
}
