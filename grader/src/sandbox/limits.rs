//! The resource limits of one student process, and the process-count
//! bounds of a run.
use std::time::Duration;

/// Resource limits of one student process (set with `setrlimit` before exec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// CPU seconds; the kernel sends SIGXCPU at this many, SIGKILL a second later.
    pub cpu_secs: u64,
    /// Address space in bytes: allocation fails past it. Low enough that a
    /// program allocating without end reaches it within a test's time
    /// (filling 4 GiB took 10 s of system time on a 2-core machine), high
    /// enough for every exercise (a whole 256 MiB file read into memory
    /// fits, so its test fails on its measured peak, not on this limit).
    pub address_space: u64,
    /// Largest file it may write, in bytes (SIGXFSZ past it).
    pub file_size: u64,
    /// Open file descriptors.
    pub open_files: u64,
}

impl Limits {
    /// The limits of a test with this wall-clock limit.
    pub fn for_timeout(timeout: Duration) -> Limits {
        Limits {
            cpu_secs: timeout.as_secs() + 2,
            ..Limits::default()
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            cpu_secs: 12,
            address_space: 1 << 30,
            file_size: 1 << 30,
            open_files: 1024,
        }
    }
}

/// Tasks (processes and threads) all of a run's student processes may have
/// at once, beyond those the user already has.
pub const PROCESS_LIMIT: u64 = 512;

/// How the build is bounded.
pub const BUILD_PROCESS_LIMIT: u64 = 1024;

/// Lets this process hold as many descriptors as it may (its soft limit
/// raised to its hard one; an ordinary user's soft limit is often 1024):
/// each test holds sockets, pipes and namespace descriptors, and up to 64
/// tests per core run at once. The programs the grader starts get limits
/// of their own ([`Limits`]).
pub fn raise_open_files() {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        if soft < hard {
            // Failing leaves the limit as it was.
            let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_file_limit_is_raised_to_the_hard_one() {
        use nix::sys::resource::{getrlimit, setrlimit, Resource};
        let (_, hard) = getrlimit(Resource::RLIMIT_NOFILE).unwrap();
        assert!(hard > 64, "a hard limit of {hard}");
        // In a child of its own: the other tests of this process keep
        // their limit. The child makes system calls only.
        // SAFETY: fork; the child makes system calls only, then _exit.
        match unsafe { nix::unistd::fork() }.unwrap() {
            nix::unistd::ForkResult::Child => {
                let lowered = setrlimit(Resource::RLIMIT_NOFILE, 64, hard).is_ok()
                    && getrlimit(Resource::RLIMIT_NOFILE) == Ok((64, hard));
                raise_open_files();
                let raised = getrlimit(Resource::RLIMIT_NOFILE) == Ok((hard, hard));
                // SAFETY: _exit ends the child at once.
                unsafe { libc::_exit(if lowered && raised { 0 } else { 1 }) }
            }
            nix::unistd::ForkResult::Parent { child } => {
                let status = nix::sys::wait::waitpid(child, None).unwrap();
                assert_eq!(status, nix::sys::wait::WaitStatus::Exited(child, 0));
            }
        }
    }

    #[test]
    fn cpu_time_follows_the_tests_limit_and_the_rest_stays() {
        let limits = Limits::for_timeout(Duration::from_secs(20));
        assert_eq!(limits.cpu_secs, 22);
        assert_eq!(
            Limits {
                cpu_secs: Limits::default().cpu_secs,
                ..limits
            },
            Limits::default()
        );
    }
}
