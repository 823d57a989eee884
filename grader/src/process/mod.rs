//! Running one student process under the grader's control: [`Child`] is a
//! process started in its own process group, with a cleared environment, its
//! output captured up to a cap, and the whole group killed when it is dropped;
//! [`TestProcesses`] is every process of one test, ended with the test.
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::sandbox::ChildSetup;

mod owner;
#[cfg(unix)]
mod spawn;
#[cfg(unix)]
mod unix;
pub use owner::TestProcesses;
#[cfg(unix)]
pub(crate) use spawn::clone_sharing_memory;
#[cfg(unix)]
pub use unix::Child;

#[cfg(not(unix))]
compile_error!("the socklings grader runs student programs on Unix-like systems only");

/// Keeps the grader's resident memory small, for the whole process; call
/// it first in `main`, before any thread starts. glibc's dynamic threshold
/// would keep each test's freed MiB buffers resident (450 MB during a
/// self-check), a fixed one maps every large buffer on its own and unmaps
/// it when freed (50 MB). Programs start without a copy of the grader's
/// memory (see `spawn`), except where the kernel refuses to share it; a
/// test's init is a copy only in programs other than the grader.
pub fn keep_memory_small() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before the
    // process starts threads.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
    }
}

/// The bytes a process may write to stdout, and again to stderr, before it is
/// stopped.
pub const DEFAULT_OUTPUT_CAP: usize = 4 << 20;

/// What to start.
#[derive(Clone)]
pub struct Spec {
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
    /// Its working directory (also its `HOME`).
    pub cwd: PathBuf,
    /// What it reads on standard input.
    pub stdin: Stdin,
    /// Bytes of stdout (and, separately, of stderr) kept.
    pub output_cap: usize,
    /// What happens to output past [`Spec::output_cap`].
    pub past_cap: PastCap,
    /// Limits and sandbox rules applied before exec (none: only the
    /// process group, the cleared environment and no core files).
    pub setup: Option<Arc<ChildSetup>>,
    /// Variables set on top of the minimal environment (which is cleared
    /// otherwise), replacing those of the same name.
    pub env: Vec<(OsString, OsString)>,
}

impl Spec {
    /// A process of `program` with `args`, run in `cwd`, with no input.
    pub fn new(program: impl Into<PathBuf>, args: Vec<OsString>, cwd: impl Into<PathBuf>) -> Self {
        Spec {
            program: program.into(),
            args,
            cwd: cwd.into(),
            stdin: Stdin::Null,
            output_cap: DEFAULT_OUTPUT_CAP,
            past_cap: PastCap::Stop,
            setup: None,
            env: Vec::new(),
        }
    }
}

/// What happens to a process's output past its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PastCap {
    /// The process is stopped ([`Termination::OutputLimit`]): its output
    /// is its result, and a flood of it ends it.
    Stop,
    /// The rest is read and dropped, at a bounded pace: the output is a
    /// log beside the result (a server's), and its size is not a fault the
    /// tests grade. Stopping it instead would make the result depend on the
    /// machine's speed: how much a server that logs in a loop writes before
    /// the test moves on.
    Drop,
}

/// What a process reads on standard input.
#[derive(Debug, Clone)]
pub enum Stdin {
    /// `/dev/null`.
    Null,
    /// These bytes, then end of file.
    Bytes(Vec<u8>),
}

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// It exited with this code.
    Exited(i32),
    /// A signal it did not cause through the grader ended it.
    Signaled(i32),
    /// The grader stopped it when its time was up.
    TimedOut(Duration),
    /// The grader stopped it because it wrote more than this many bytes.
    OutputLimit(usize),
}

/// A finished process: how it ended and what it wrote.
#[derive(Debug, Clone)]
pub struct Finished {
    /// How it ended.
    pub termination: Termination,
    /// Its standard output (up to the cap).
    pub stdout: Vec<u8>,
    /// Its standard error (up to the cap).
    pub stderr: Vec<u8>,
    /// The peak resident memory of the process, in bytes (from `wait4`).
    pub peak_rss: Option<u64>,
    /// Wall-clock time from start to end.
    pub duration: Duration,
}

/// Extracts the message of a Rust panic from a program's stderr, if it
/// panicked.
pub fn panic_message(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let start = text.find("panicked at ")?;
    let rest = &text[start + "panicked at ".len()..];
    // `panicked at src/main.rs:3:5:\nnot yet implemented`
    let mut lines = rest.lines();
    let location = lines.next().unwrap_or("").trim_end_matches(':').to_string();
    let message: Vec<&str> = lines
        .take_while(|l| !l.starts_with("note: ") && !l.starts_with("stack backtrace"))
        .collect();
    let message = message.join("\n");
    Some(if message.is_empty() {
        location
    } else {
        format!("{message} ({location})")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_message_is_extracted() {
        let stderr = b"\nthread 'main' panicked at src/main.rs:3:5:\nnot yet implemented: look the word up\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            panic_message(stderr).unwrap(),
            "not yet implemented: look the word up (src/main.rs:3:5)"
        );
        assert_eq!(panic_message(b"error: no such file\n"), None);
    }
}
