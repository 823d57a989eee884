//! Stopping a program and letting it continue, as Ctrl-Z and `fg` do: SIGSTOP
//! to its process group, then SIGCONT once it is seen stopped. On Linux a
//! blocking call with a timeout (a socket read with `SO_RCVTIMEO`) that the
//! stop interrupted then fails with EINTR, even without a signal handler: a
//! program must retry it.

use std::time::{Duration, Instant};

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

use super::ctx::{grader_error, grader_io_error};
use super::Failure;
use crate::text::{Arg, Phrase};

/// How long a program may take to be seen stopped after SIGSTOP.
const STOP_WAIT: Duration = Duration::from_secs(5);

/// How long it stays stopped once seen stopped.
const STOPPED_FOR: Duration = Duration::from_millis(100);

/// Stops the process group `pgid` (led by process `pgid`), waits until its
/// leader is seen stopped, keeps it stopped a moment, and lets it continue.
/// It is continued whatever happens, failure included.
pub fn stop_and_continue(pgid: i32) -> Result<(), Failure> {
    let group = Pid::from_raw(pgid);
    killpg(group, Signal::SIGSTOP)
        .map_err(|e| grader_io_error(Phrase::new("harness-stopping").arg("pgid", pgid), e))?;
    let until = Instant::now() + STOP_WAIT;
    let seen = loop {
        match state(pgid) {
            Some('T') | Some('t') => break true,
            // Gone: the caller sees it exit.
            None => break false,
            Some(_) if Instant::now() >= until => break false,
            Some(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    if seen {
        std::thread::sleep(STOPPED_FOR);
    }
    let continued = killpg(group, Signal::SIGCONT);
    if !seen && state(pgid).is_some() {
        return Err(grader_error(
            Phrase::new("harness-not-seen-stopped")
                .arg("pgid", pgid)
                .arg("wait", Arg::Seconds(STOP_WAIT)),
        ));
    }
    match continued {
        Ok(()) => Ok(()),
        // It exited meanwhile: the caller sees it exit.
        Err(nix::errno::Errno::ESRCH) => Ok(()),
        Err(e) => Err(grader_io_error(
            Phrase::new("harness-continuing").arg("pgid", pgid),
            e,
        )),
    }
}

/// The state letter of `/proc/<pid>/stat` (`R`, `S`, `T`, ...), or `None`
/// once the process is gone (or a zombie).
fn state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let c = stat
        .rsplit_once(')')?
        .1
        .split_whitespace()
        .next()?
        .chars()
        .next()?;
    (c != 'Z' && c != 'X').then_some(c)
}
