//! The orphan sweep: the children the grader waits for itself are
//! registered; any other child of the grader (as child subreaper) is what
//! is left of an escaped student process, and is ended.
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Pids of the children the grader started and still waits for.
pub(super) static LIVE: Mutex<Option<HashSet<i32>>> = Mutex::new(None);

/// Held while a child is started and registered, and while orphans are
/// swept, so that a child just forked is never taken for an orphan.
pub(super) static SPAWNING: Mutex<()> = Mutex::new(());

/// Starts a child with `spawn` and registers its pid as one the grader
/// waits for, atomically with respect to [`sweep_orphans`].
pub fn spawn_registered<T>(
    spawn: impl FnOnce() -> std::io::Result<T>,
    pid_of: impl Fn(&T) -> i32,
) -> std::io::Result<T> {
    let _guard = SPAWNING.lock().unwrap_or_else(|e| e.into_inner());
    let child = spawn()?;
    register_child(pid_of(&child));
    Ok(child)
}

/// Runs `command` to its end as a child the grader waits for itself (see
/// [`spawn_registered`]): the way to run a helper program (git, cargo,
/// rustc) while other tests' orphan sweeps may run. Unlike
/// `Command::output`, what is not set is inherited, not piped.
pub fn output_registered(
    command: &mut std::process::Command,
) -> std::io::Result<std::process::Output> {
    #[allow(clippy::disallowed_methods)] // the one place it is registered
    let child = spawn_registered(|| command.spawn(), |c| c.id() as i32)?;
    let pid = child.id() as i32;
    let out = child.wait_with_output();
    unregister_child(pid);
    out
}

/// Records a child the grader waits for itself.
pub fn register_child(pid: i32) {
    if let Ok(mut live) = LIVE.lock() {
        live.get_or_insert_with(HashSet::new).insert(pid);
    }
}

/// Forgets a child once it is reaped.
pub fn unregister_child(pid: i32) {
    if let Ok(mut live) = LIVE.lock() {
        if let Some(set) = live.as_mut() {
            set.remove(&pid);
        }
    }
}

/// Kills and reaps every process that was reparented to the grader (as
/// child subreaper) and that the grader does not wait for itself: what is
/// left of student processes that left their process group (`setsid`,
/// double fork) after their parent died. Returns how many it ended.
pub fn sweep_orphans() -> usize {
    let me = std::process::id() as i32;
    let mut ended = 0;
    let until = Instant::now() + Duration::from_secs(2);
    loop {
        let _guard = SPAWNING.lock().unwrap_or_else(|e| e.into_inner());
        let known: HashSet<i32> = LIVE.lock().ok().and_then(|l| l.clone()).unwrap_or_default();
        let orphans: Vec<i32> = children_of(me)
            .into_iter()
            .filter(|p| !known.contains(p))
            .collect();
        if orphans.is_empty() || Instant::now() >= until {
            return ended;
        }
        for pid in orphans {
            let pid = nix::unistd::Pid::from_raw(pid);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
            let _ = nix::sys::wait::waitpid(pid, None);
            ended += 1;
        }
    }
}

/// The parent pid in a `/proc/PID/stat` line: `pid (comm) state ppid ...`,
/// where the command name may hold spaces and parentheses.
fn parent_in_stat(stat: &str) -> Option<i32> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse::<i32>().ok()
}

/// The pids whose parent is `parent`, from `/proc`.
pub(super) fn children_of(parent: i32) -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| parent_in_stat(&s))
                == Some(parent)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parent_is_read_past_a_command_name_with_spaces_and_parentheses() {
        assert_eq!(parent_in_stat("42 (sleep) S 7 42 42 0 -1"), Some(7));
        assert_eq!(parent_in_stat("42 (a b) c) R 1234 1 1 0"), Some(1234));
        assert_eq!(parent_in_stat("garbage"), None);
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // registered
    fn a_started_child_is_registered_until_reaped() {
        let child = spawn_registered(
            || std::process::Command::new("true").spawn(),
            |c| c.id() as i32,
        )
        .unwrap();
        let pid = child.id() as i32;
        let known = || {
            LIVE.lock()
                .unwrap()
                .as_ref()
                .is_some_and(|l| l.contains(&pid))
        };
        assert!(known(), "the child was registered");
        let mut child = child;
        child.wait().unwrap();
        unregister_child(pid);
        assert!(!known(), "the reaped child was forgotten");
    }

    #[test]
    fn this_process_is_a_child_of_its_parent() {
        let me = std::process::id() as i32;
        let parent = nix::unistd::getppid().as_raw();
        assert!(children_of(parent).contains(&me));
    }
}
