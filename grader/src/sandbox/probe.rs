//! Probing a layer in a child of the grader's own: start a child with new
//! namespaces, and turn its exit code into the step that failed.

/// The signal a `clone`d child sends its parent when it ends, as a forked
/// one does.
pub(super) const CLONE_FORK: libc::c_ulong = libc::SIGCHLD as libc::c_ulong;

/// Starts a child like `fork`, with extra `clone` flags (new namespaces).
///
/// # Safety
/// In the child, only system calls: the grader may run several threads.
pub(super) unsafe fn clone_process(flags: libc::c_int) -> libc::pid_t {
    libc::syscall(
        libc::SYS_clone,
        flags as libc::c_ulong | CLONE_FORK,
        0usize,
        0usize,
        0usize,
        0usize,
    ) as libc::pid_t
}

/// Waits for the probe child `pid` and turns its exit code into a result:
/// 0 is success, else the step that failed and its errno.
pub(super) fn probe_result(pid: libc::pid_t, steps: &[&str]) -> Result<(), String> {
    if pid < 0 {
        return Err(format!(
            "the kernel refused: {}",
            std::io::Error::last_os_error()
        ));
    }
    let mut status = 0;
    // SAFETY: our own child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
        return Ok(());
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        0
    };
    let (step, errno) = ((code / 40) as usize, code % 40);
    let what = steps.get(step.saturating_sub(1)).unwrap_or(&"the probe");
    Err(format!(
        "{what}: {}",
        std::io::Error::from_raw_os_error(errno)
    ))
}

/// The exit code of a probe child for a failed `step` (1-based).
pub(super) unsafe fn probe_exit(step: i32) -> ! {
    let errno = *libc::__errno_location();
    libc::_exit(step * 40 + errno.clamp(1, 39))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The result of a probe child exiting with `code`.
    #[allow(clippy::disallowed_methods)] // reaped at once by probe_result, as a probe child is
    fn exiting(code: i32) -> Result<(), String> {
        let child = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("exit {code}"))
            .spawn()
            .unwrap();
        // Reaped by probe_result, as a probe child is: std's handle goes
        // without a wait of its own.
        let pid = child.id() as libc::pid_t;
        std::mem::forget(child);
        probe_result(pid, &["the first step", "the second step"])
    }

    #[test]
    fn the_exit_code_names_the_step_and_the_error() {
        assert_eq!(exiting(0), Ok(()));
        let second = 2 * 40 + libc::ENOENT;
        let err = exiting(second).unwrap_err();
        assert!(err.starts_with("the second step: "), "{err}");
        assert!(
            err.contains(&std::io::Error::from_raw_os_error(libc::ENOENT).to_string()),
            "{err}"
        );
    }

    #[test]
    fn a_refused_clone_is_said() {
        let err = probe_result(-1, &["a step"]).unwrap_err();
        assert!(err.starts_with("the kernel refused: "), "{err}");
    }
}
