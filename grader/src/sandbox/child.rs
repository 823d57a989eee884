//! [`ChildSetup`]: everything a student program or a build applies to
//! itself between its start and exec, prepared beforehand.
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::filesystem::{build_ruleset, student_ruleset};
use super::limits::{Limits, BUILD_PROCESS_LIMIT, PROCESS_LIMIT};
use super::pid_ns::{PidNamespace, Spawner};
use super::processes::ProcessGroup;
use super::state;

/// Everything a child needs between its start and exec, prepared beforehand so
/// that the child only makes system calls.
pub struct ChildSetup {
    limits: Limits,
    nproc: Option<u64>,
    cgroup_procs: Option<RawFd>,
    landlock: Option<OwnedFd>,
    /// The spawner of the test's PID namespace, to start the child in,
    /// and the test's mount namespace (with a `/proc` of the PID
    /// namespace), which the child joins.
    pid_ns: Option<(Spawner, Arc<OwnedFd>)>,
}

/// `struct landlock_path_beneath_attr` of the kernel.
#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// `LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR`.
pub(super) const LANDLOCK_READ: u64 = (1 << 2) | (1 << 3);

impl ChildSetup {
    /// The setup of a student process: `limits`, the process bound (its
    /// test's cgroup `group`, when there is one), and Landlock rules
    /// letting it read system files and `dir`, write only `dir`, and
    /// execute only `program`.
    pub fn student(
        limits: Limits,
        program: &Path,
        dir: &Path,
        group: Option<&ProcessGroup>,
        pid_ns: Option<&PidNamespace>,
    ) -> ChildSetup {
        let st = state();
        let landlock = if st.landlock {
            student_ruleset(program, dir).ok()
        } else {
            None
        };
        ChildSetup {
            limits,
            nproc: st.nproc,
            cgroup_procs: st.procs_fd(group),
            landlock,
            pid_ns: pid_ns.and_then(|ns| Some((ns.spawner()?, ns.mounts()))),
        }
    }

    /// The setup of a build (cargo, rustc, build scripts, the linker): the
    /// process bound, and Landlock rules letting it read and execute system
    /// files and the toolchain, read and write `writable`, and nothing else.
    pub fn build(
        toolchain: &[PathBuf],
        writable: &[PathBuf],
        group: Option<&ProcessGroup>,
    ) -> ChildSetup {
        let st = state();
        let landlock = if st.landlock {
            build_ruleset(toolchain, writable).ok()
        } else {
            None
        };
        ChildSetup {
            limits: Limits {
                cpu_secs: 3600,
                address_space: u64::MAX,
                file_size: u64::MAX,
                open_files: 4096,
            },
            nproc: st.nproc.map(|n| n - PROCESS_LIMIT + BUILD_PROCESS_LIMIT),
            cgroup_procs: st.procs_fd(group),
            landlock,
            pid_ns: None,
        }
    }

    /// Runs `start` (which starts a process): on the spawner of the
    /// test's PID namespace, if there is one, so that the process starts
    /// there (its parent-death signal then follows that thread, which
    /// lives as long as the test), else on the calling thread.
    pub fn spawn<T: Send + 'static>(
        &self,
        start: impl FnOnce() -> std::io::Result<T> + Send + 'static,
    ) -> std::io::Result<T> {
        match &self.pid_ns {
            Some((spawner, _)) => spawner.run(start),
            None => start(),
        }
    }

    /// Applies everything to the calling process. Runs between the
    /// child's start and exec: only system calls, no allocation (the
    /// child may share the grader's memory, see `process::spawn`).
    ///
    /// # Safety
    /// Call only in a freshly started child.
    pub unsafe fn apply(&self) -> std::io::Result<()> {
        let set = |res, value: u64| {
            let lim = libc::rlimit {
                rlim_cur: value,
                rlim_max: value,
            };
            libc::setrlimit(res, &lim);
        };
        let cpu = libc::rlimit {
            rlim_cur: self.limits.cpu_secs,
            rlim_max: self.limits.cpu_secs + 1,
        };
        libc::setrlimit(libc::RLIMIT_CPU, &cpu);
        if self.limits.address_space != u64::MAX {
            set(libc::RLIMIT_AS, self.limits.address_space);
        }
        if self.limits.file_size != u64::MAX {
            set(libc::RLIMIT_FSIZE, self.limits.file_size);
        }
        set(libc::RLIMIT_CORE, 0);
        if let Some(n) = self.nproc {
            set(libc::RLIMIT_NPROC, n);
        }
        if let Some(fd) = self.cgroup_procs {
            if libc::write(fd, b"0".as_ptr().cast(), 1) != 1 {
                return Err(std::io::Error::last_os_error());
            }
        }
        if let Some((_, mounts)) = &self.pid_ns {
            // The test's mount namespace, with its /proc of the test's PID
            // namespace. Joining it sets the working directory to its root:
            // the caller changes directory after this.
            if libc::setns(mounts.as_raw_fd(), libc::CLONE_NEWNS) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if let Some(ruleset) = &self.landlock {
                // Landlock's rule for /proc names the grader's /proc, now
                // hidden under this one: this one gets the same rule.
                let fd = libc::open(
                    c"/proc".as_ptr(),
                    libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
                );
                if fd < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                let attr = PathBeneathAttr {
                    allowed_access: LANDLOCK_READ,
                    parent_fd: fd,
                };
                let added = libc::syscall(
                    libc::SYS_landlock_add_rule,
                    ruleset.as_raw_fd(),
                    1u32, // LANDLOCK_RULE_PATH_BENEATH
                    &attr as *const PathBeneathAttr,
                    0u32,
                );
                libc::close(fd);
                if added != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
        }
        if let Some(ruleset) = &self.landlock {
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::syscall(libc::SYS_landlock_restrict_self, ruleset.as_raw_fd(), 0u32) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        // Last: the child still holds a copy of the grader's descriptors
        // (closed at exec), so the lowest free number, the one the `/proc`
        // above gets, can be past the program's limit when the grader runs
        // many tests at once ("Too many open files", seen in a self-check).
        set(libc::RLIMIT_NOFILE, self.limits.open_files);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;

    #[test]
    fn the_limits_are_in_force_in_the_child() {
        let setup = ChildSetup {
            limits: Limits {
                cpu_secs: 9,
                address_space: 1 << 30,
                file_size: 1 << 20,
                open_files: 77,
            },
            nproc: None,
            cgroup_procs: None,
            landlock: None,
            pid_ns: None,
        };
        let mut command = std::process::Command::new("cat");
        command.arg("/proc/self/limits");
        // SAFETY: apply makes only system calls.
        unsafe { command.pre_exec(move || setup.apply()) };
        let out = crate::sandbox::output_registered(command.stdout(std::process::Stdio::piped()))
            .unwrap();
        assert!(out.status.success());
        let limits = String::from_utf8_lossy(&out.stdout);
        let limit = |name: &str| -> Vec<String> {
            let line = limits.lines().find(|l| l.starts_with(name)).unwrap();
            line[name.len()..]
                .split_whitespace()
                .take(2)
                .map(str::to_string)
                .collect()
        };
        assert_eq!(limit("Max cpu time"), ["9", "10"]);
        assert_eq!(limit("Max open files"), ["77", "77"]);
        assert_eq!(limit("Max file size"), ["1048576", "1048576"]);
        assert_eq!(limit("Max address space"), ["1073741824", "1073741824"]);
        assert_eq!(limit("Max core file size"), ["0", "0"]);
    }
}
