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

#[cfg(test)]
mod tests {
    use super::*;

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
