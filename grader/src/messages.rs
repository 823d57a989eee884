//! Every sentence the grader says about a student's program in more than one
//! place, as a function named after the situation. Short, and saying how to
//! fix it where that is known.
use std::net::SocketAddr;
use std::time::Duration;

/// Seconds, as people read them.
pub fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 10.0 || s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s:.1} s")
    }
}

/// A byte count, as people read it.
pub fn size(n: u64) -> String {
    const MIB: u64 = 1 << 20;
    const KIB: u64 = 1 << 10;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= KIB && n % KIB == 0 {
        format!("{} KiB", n / KIB)
    } else if n == 1 {
        "1 byte".to_string()
    } else {
        format!("{n} bytes")
    }
}

/// The name of a signal number.
pub fn signal_name(sig: i32) -> String {
    nix::sys::signal::Signal::try_from(sig)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {sig}"))
}

/// The program panicked.
pub fn panicked(message: &str) -> String {
    format!("your program panicked: {message}")
}

/// A signal ended the program.
pub fn killed_by_signal(sig: i32) -> String {
    format!("your program was killed by {}", signal_name(sig))
}

/// The program ran past its time.
pub fn timed_out(limit: Duration) -> String {
    format!(
        "timeout: your program did not finish within {}",
        secs(limit)
    )
}

/// The program flooded its output.
pub fn output_limit(cap: usize) -> String {
    format!(
        "output over {}: your program was stopped for writing too much",
        size(cap as u64)
    )
}

/// The exit code differs from the contract's.
pub fn wrong_exit_code(expected: i32, actual: i32) -> String {
    format!("exit code {actual}, expected {expected}")
}

/// The program's stdout differs.
pub fn wrong_stdout() -> String {
    "stdout differs from the expected output".to_string()
}

/// The server exited before it listened.
pub fn exited_before_listening(addr: &impl std::fmt::Display, how: &str) -> String {
    format!("your program exited before listening on {addr} ({how})")
}

/// The server never listened.
pub fn never_listened(addr: &impl std::fmt::Display, waited: Duration) -> String {
    format!(
        "your program did not listen on {addr} within {}: bind the address given as the first argument",
        secs(waited)
    )
}

/// The student's client never connected to the suite's server.
pub fn client_never_connected(addr: SocketAddr, waited: Duration) -> String {
    format!(
        "your program did not connect to {addr} within {}: connect to the address given as the first argument",
        secs(waited)
    )
}

/// The server died during the test.
pub fn server_exited(how: &str) -> String {
    format!("your server exited during the test ({how}); a server must survive every client")
}

/// No reply came in time.
pub fn no_reply(waited: Duration) -> String {
    format!("no reply within {}", secs(waited))
}

/// The connection ended before the expected reply.
pub fn closed_early() -> String {
    "the server closed the connection before sending the whole reply".to_string()
}

/// The submission has no crate for the exercise.
pub fn exercise_missing(name: &str) -> String {
    format!("the submission has no `{name}` directory")
}

/// The exercise did not compile.
pub fn build_failed(name: &str) -> String {
    format!("`{name}` did not compile; fix the errors shown and run the grader again")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_read_well() {
        assert_eq!(size(4 << 20), "4 MiB");
        assert_eq!(size(1536), "1536 bytes");
        assert_eq!(size(2048), "2 KiB");
        assert_eq!(secs(Duration::from_millis(2500)), "2.5 s");
        assert_eq!(secs(Duration::from_secs(10)), "10 s");
        assert_eq!(signal_name(9), "SIGKILL");
    }
}
