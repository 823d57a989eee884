//! student_server ADDR OUT_FILE: receive packed student records over UDP and
//! append one line per record to OUT_FILE.
//!
//! The lesson: a datagram is a message. One `recv_from` gives one whole
//! record, so the size of what arrived says whether it is a record at all.
//! And a line written to a `File` goes to the kernel at once: no buffer to
//! flush, so whoever reads the file sees it before the next datagram.
use std::env;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::net::UdpSocket;
use std::process::ExitCode;

use students::{Student, RECORD_LEN};

/// Larger than any datagram: a datagram longer than the buffer would be cut
/// to the buffer's size without a word, and a 29-byte datagram received
/// into a 28-byte buffer would look like a record.
const MAX_DATAGRAM: usize = 65_507;

/// The line of a record in OUT_FILE, as the notes' `"%d   %-10s  %d   %.2f\n"`.
/// `{:<10}` pads to 10 *characters* (not bytes), as Python's `%-10s` does.
fn line(s: &Student) -> String {
    format!("{}   {:<10}  {}   {:.2}\n", s.id, s.name, s.age, s.height)
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: student_server ADDR OUT_FILE");
        return ExitCode::from(2);
    }
    let (addr, out_path) = (&args[1], &args[2]);
    // `append`: every write goes to the end, after what the file held
    // already (Python's mode 'a'); `create`: make it if it is missing.
    let mut out: File = match OpenOptions::new().append(true).create(true).open(out_path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("student_server: cannot open {out_path}: {e}");
            return ExitCode::from(2);
        }
    };
    let socket = match UdpSocket::bind(addr) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("student_server: cannot bind {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        let (n, sender) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) => {
                eprintln!("student_server: receiving: {e}");
                continue;
            }
        };
        // Exactly one record per datagram: anything else is not ours.
        let Ok(record) = <&[u8; RECORD_LEN]>::try_from(&buf[..n]) else {
            eprintln!(
                "student_server: ignored a datagram of {n} bytes from {sender} \
                 (a record is {RECORD_LEN} bytes)"
            );
            continue;
        };
        let student = match Student::unpack(record) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("student_server: ignored a record from {sender}: name is not UTF-8: {e}");
                continue;
            }
        };
        // One `write_all` of the whole line: a `File` has no user-space
        // buffer, so the line is in the file when this returns. (A
        // `BufWriter` would keep it in memory until flushed.)
        if let Err(e) = out.write_all(line(&student).as_bytes()) {
            eprintln!("student_server: writing {out_path}: {e}");
            return ExitCode::from(2);
        }
    }
}
