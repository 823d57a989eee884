//! student_server ADDR OUT_FILE: receive packed student records over UDP and
//! append one line per record to OUT_FILE.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

#[allow(unused_imports)]
use students::{Student, RECORD_LEN};

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: student_server ADDR OUT_FILE");
        process::exit(2);
    }
    let (addr, out_file) = (&args[1], &args[2]);
    // TODO: open OUT_FILE for appending (create it if missing) and bind a
    // UDP socket to ADDR (on failure: a message on stderr, exit 2). Then
    // forever: receive one datagram into a buffer larger than a record; if
    // it is not exactly RECORD_LEN bytes, warn on stderr and go on; else
    // unpack it and append its line, written so that it is in the file
    // before the next datagram is read:
    //     format!("{id}   {name:<10}  {age}   {height:.2}\n")
    todo!("receive records on {addr} into {out_file}")
}
