//! A running program's file descriptors, as a suite sees them from outside:
//! how many it has open (`/proc/PID/fd`), and a lower limit on how many it
//! may open (`prlimit`), so that a test can make it run out.
//!
//! Linux only; elsewhere both say so as a grader error.

use super::ctx::grader_io_error;
use super::Failure;
use crate::text::Phrase;

/// The numbers of the file descriptors process `pid` has open now, in
/// order.
pub fn open_descriptors(pid: i32) -> Result<Vec<i32>, Failure> {
    let dir = format!("/proc/{pid}/fd");
    let entries = std::fs::read_dir(&dir)
        .map_err(|e| grader_io_error(Phrase::new("harness-listing").arg("dir", &dir), e))?;
    let mut fds: Vec<i32> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    fds.sort_unstable();
    Ok(fds)
}

/// Lowers the soft limit on the open files of process `pid` to `limit`
/// (its hard limit stays): from then on, any call of the program's that
/// would open a descriptor numbered `limit` or more fails with EMFILE.
/// Returns the soft limit it had.
#[cfg(target_os = "linux")]
pub fn limit_open_files(pid: i32, limit: u64) -> Result<u64, Failure> {
    let mut old = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: reads the limit into a variable of ours; a null new value
    // changes nothing.
    let got = unsafe { libc::prlimit(pid, libc::RLIMIT_NOFILE, std::ptr::null(), &mut old) };
    if got != 0 {
        let e = std::io::Error::last_os_error();
        return Err(grader_io_error(
            Phrase::new("harness-reading-fd-limit").arg("pid", pid),
            e,
        ));
    }
    let new = libc::rlimit {
        rlim_cur: limit.min(old.rlim_max),
        rlim_max: old.rlim_max,
    };
    // SAFETY: passes a valid limit, and no place for the old one.
    let set = unsafe { libc::prlimit(pid, libc::RLIMIT_NOFILE, &new, std::ptr::null_mut()) };
    if set != 0 {
        let e = std::io::Error::last_os_error();
        return Err(grader_io_error(
            Phrase::new("harness-setting-fd-limit")
                .arg("pid", pid)
                .arg("limit", limit),
            e,
        ));
    }
    Ok(old.rlim_cur)
}

/// Lowers the open-file limit of process `pid`: Linux only.
#[cfg(not(target_os = "linux"))]
pub fn limit_open_files(pid: i32, limit: u64) -> Result<u64, Failure> {
    Err(super::ctx::grader_error(
        Phrase::new("harness-fd-limit-needs-linux")
            .arg("pid", pid)
            .arg("limit", limit),
    ))
}
