//! student_client ADDR: read records from stdin, one `id,name,age,height` a
//! line, pack each into 28 bytes and send it to ADDR as one datagram.
//!
//! The lesson: packing is choosing bytes on purpose. `to_le_bytes` gives a
//! number's bytes in a stated order, the name is padded with NULs to its
//! fixed room, and a name that does not fit is refused rather than cut.
use std::env;
use std::io::{self, BufRead};
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::process::ExitCode;

use students::{Student, NAME_LEN};

/// Parses `id,name,age,height`.
fn parse(line: &str) -> Result<Student, String> {
    let fields: Vec<&str> = line.split(',').collect();
    let [id, name, age, height] = fields[..] else {
        return Err(format!(
            "expected 4 comma-separated fields (id,name,age,height), found {}",
            fields.len()
        ));
    };
    Ok(Student {
        id: id.parse().map_err(|e| format!("id {id:?}: {e}"))?,
        name: name.to_string(),
        age: age.parse().map_err(|e| format!("age {age:?}: {e}"))?,
        height: height
            .parse()
            .map_err(|e| format!("height {height:?}: {e}"))?,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: student_client ADDR < records.csv");
        return ExitCode::from(2);
    }
    let addr: SocketAddr = match args[1].to_socket_addrs().map(|mut a| a.next()) {
        Ok(Some(a)) => a,
        _ => {
            eprintln!("student_client: bad address {}", args[1]);
            return ExitCode::from(2);
        }
    };
    // Port 0: the system picks a free port to send from. No `connect`, no
    // `bind` to a known port: a UDP client only needs somewhere to send from.
    let local: SocketAddr = if addr.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        ([0u16; 8], 0).into()
    };
    let socket = match UdpSocket::bind(local) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("student_client: cannot open a UDP socket: {e}");
            return ExitCode::from(2);
        }
    };
    let mut rejected = 0;
    for (i, line) in io::stdin().lock().lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("student_client: reading stdin: {e}");
                return ExitCode::from(2);
            }
        };
        let number = i + 1;
        let student = match parse(&line) {
            Ok(s) => s,
            Err(why) => {
                eprintln!("student_client: line {number} not sent: {why}");
                rejected += 1;
                continue;
            }
        };
        let Some(record) = student.pack() else {
            eprintln!(
                "student_client: line {number} not sent: the name {:?} is {} bytes, over {NAME_LEN}",
                student.name,
                student.name.len()
            );
            rejected += 1;
            continue;
        };
        // One record, one datagram: the server receives exactly these 28 bytes.
        if let Err(e) = socket.send_to(&record, addr) {
            eprintln!("student_client: sending to {addr}: {e}");
            return ExitCode::from(2);
        }
    }
    if rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
