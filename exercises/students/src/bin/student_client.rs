//! student_client ADDR: read records from stdin, one `id,name,age,height` a
//! line, pack each into 28 bytes and send it to ADDR as one datagram.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;

#[allow(unused_imports)]
use students::{Student, NAME_LEN};

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: student_client ADDR < records.csv");
        process::exit(2);
    }
    let addr = &args[1];
    // TODO: bind a UDP socket to port 0 (any free port). For each line of
    // stdin, split `id,name,age,height`, parse the numbers, pack the record
    // and send it to ADDR as one datagram. A line that cannot be parsed, or
    // whose name is over NAME_LEN bytes, is not sent: say why on stderr and
    // go on with the next line. Exit 0, or 1 if any line was not sent.
    todo!("send the records of stdin to {addr}")
}
