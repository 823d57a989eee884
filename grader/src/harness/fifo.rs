//! [`FifoFeeder`]: a named pipe that serves bytes and never reaches end of
//! file, to prove a program stops reading as soon as it has its answer.
use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::stat::Mode;

use super::ctx::grader_io_error;
use super::Failure;
use crate::text::Phrase;

/// Writes bytes into a FIFO and keeps it open, so its reader never sees end
/// of file, until dropped or the deadline passes.
pub struct FifoFeeder {
    stop: Arc<AtomicBool>,
}

impl FifoFeeder {
    /// Creates a FIFO at `path` and starts feeding it `bytes`.
    pub fn start(path: &Path, bytes: Vec<u8>, deadline: Instant) -> Result<FifoFeeder, Failure> {
        nix::unistd::mkfifo(path, Mode::from_bits_truncate(0o644))
            .map_err(|e| grader_io_error(Phrase::new("harness-creating-fifo"), e))?;
        // Opening read-write never blocks, whether or not a reader has come;
        // the grader never reads from its own end.
        let mut fifo = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| grader_io_error(Phrase::new("harness-opening-fifo"), e))?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        thread::spawn(move || {
            let mut written = 0;
            while !stopped.load(Ordering::Acquire) && Instant::now() < deadline {
                if written < bytes.len() {
                    match fifo.write(&bytes[written..]) {
                        Ok(n) => written += n,
                        Err(e) if e.kind() == ErrorKind::WouldBlock => {
                            thread::sleep(Duration::from_millis(2))
                        }
                        Err(_) => break,
                    }
                } else {
                    thread::sleep(Duration::from_millis(10));
                }
            }
            // Dropping `fifo` here is the first time the reader could see
            // end of file.
        });
        Ok(FifoFeeder { stop })
    }
}

impl Drop for FifoFeeder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}
