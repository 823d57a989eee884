//! Every sentence the grader says about a student's program in more than one
//! place, as a function named after the situation. Short, and saying how to
//! fix it where that is known. Each is a [`Sentence`] made of a catalog
//! phrase ([`crate::text`]), so it reads in every language.
use std::net::SocketAddr;
use std::time::Duration;

use crate::model::Sentence;
use crate::text::{self, Arg, Lang, Phrase};

/// Seconds, as people read them (in English; [`crate::text::secs`] in any
/// language).
pub fn secs(d: Duration) -> String {
    text::secs(Lang::En, d)
}

/// A byte count, as people read it (in English; [`crate::text::size`] in
/// any language).
pub fn size(n: u64) -> String {
    text::size(Lang::En, n)
}

/// The name of a signal number.
pub fn signal_name(sig: i32) -> String {
    nix::sys::signal::Signal::try_from(sig)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {sig}"))
}

/// The program panicked.
pub fn panicked(message: &str) -> Sentence {
    Phrase::new("panicked").arg("message", message).into()
}

/// A signal ended the program.
pub fn killed_by_signal(sig: i32) -> Sentence {
    Phrase::new("killed-by-signal")
        .arg("signal", signal_name(sig))
        .into()
}

/// The program ran past its time.
pub fn timed_out(limit: Duration) -> Sentence {
    Phrase::new("timed-out")
        .arg("limit", Arg::Seconds(limit))
        .into()
}

/// The program flooded its output.
pub fn output_limit(cap: usize) -> Sentence {
    Phrase::new("output-limit")
        .arg("cap", Arg::Bytes(cap as u64))
        .into()
}

/// The exit code differs from the contract's.
pub fn wrong_exit_code(expected: i32, actual: i32) -> Sentence {
    Phrase::new("wrong-exit-code")
        .arg("expected", expected)
        .arg("actual", actual)
        .into()
}

/// The program's stdout differs.
pub fn wrong_stdout() -> Sentence {
    Phrase::new("wrong-stdout").into()
}

/// The server exited before it listened.
pub fn exited_before_listening(addr: &impl std::fmt::Display, how: Sentence) -> Sentence {
    Sentence::template(
        "exited-before-listening",
        vec![("addr", Sentence::plain(addr.to_string())), ("how", how)],
    )
}

/// The server never listened.
pub fn never_listened(addr: &impl std::fmt::Display, waited: Duration) -> Sentence {
    Phrase::new("never-listened")
        .arg("addr", addr.to_string())
        .arg("waited", Arg::Seconds(waited))
        .into()
}

/// The student's client never connected to the suite's server.
pub fn client_never_connected(addr: SocketAddr, waited: Duration) -> Sentence {
    Phrase::new("client-never-connected")
        .arg("addr", addr.to_string())
        .arg("waited", Arg::Seconds(waited))
        .into()
}

/// The server died during the test.
pub fn server_exited(how: Sentence) -> Sentence {
    Sentence::template("server-exited", vec![("how", how)])
}

/// No reply came in time.
pub fn no_reply(waited: Duration) -> Sentence {
    Phrase::new("no-reply")
        .arg("waited", Arg::Seconds(waited))
        .into()
}

/// The connection ended before the expected reply.
pub fn closed_early() -> Sentence {
    Phrase::new("closed-early").into()
}

/// The submission has no crate for the exercise.
pub fn exercise_missing(name: &str) -> Sentence {
    Phrase::new("exercise-missing").arg("name", name).into()
}

/// The exercise did not compile.
pub fn build_failed(name: &str) -> Sentence {
    Phrase::new("build-failed").arg("name", name).into()
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
