//! chat_server ADDR DATA_DIR: an instant-messaging server. Clients log in
//! with a name and send each other messages through the server, which relays
//! a message at once to a user online and stores it in DATA_DIR for a user
//! offline, until their next LOGIN. The full contract is in README.md
//! (README.zh.md in Chinese).
use std::env;
use std::process;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: chat_server ADDR DATA_DIR");
        process::exit(2);
    }
    let (addr, data_dir) = (&args[1], &args[2]);
    // TODO: listen on ADDR (on failure: a message on stderr, exit 2) and
    // serve many clients at once (a thread per connection, or poll). Read
    // each connection line by line, as bytes (`read_until(b'\n', ..)`), and
    // answer each command with one line:
    //   LOGIN <name>      -> OK, then the messages stored for <name>
    //   SEND <to> <text>  -> OK; the recipient gets `FROM <sender> <text>`
    //                        now if online, else after its next LOGIN
    //   WHO               -> USERS <name> <name> ... (online, sorted)
    //   anything else     -> ERR <reason>
    // Messages for users offline live in files under DATA_DIR: written
    // before the OK, removed when delivered, so that a server killed with
    // SIGKILL and restarted loses none and repeats none.
    todo!("serve the chat on {addr}, storing offline messages in {data_dir}")
}
