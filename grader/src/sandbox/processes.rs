//! The processes layer: a pids cgroup per run, test and build (root), or
//! RLIMIT_NPROC counted from the user's tasks (everyone else).
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::limits::{BUILD_PROCESS_LIMIT, PROCESS_LIMIT};
use super::state;

/// Counts the tasks (processes and threads) of `uid`, which RLIMIT_NPROC counts.
pub(super) fn tasks_of_user(uid: u32) -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut n = 0;
    for e in dir.flatten() {
        let name = e.file_name();
        if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(status) = std::fs::read_to_string(e.path().join("status")) else {
            continue;
        };
        let field = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.split_whitespace().next().unwrap_or("").to_string())
        };
        if field("Uid:").and_then(|u| u.parse::<u32>().ok()) == Some(uid) {
            n += field("Threads:")
                .and_then(|t| t.parse::<u64>().ok())
                .unwrap_or(1);
        }
    }
    n
}

/// Makes this run's pids cgroup (v1 `pids` hierarchy or v2) and opens its
/// `cgroup.procs` for children to join.
pub(super) fn make_pids_cgroup() -> Result<(OwnedFd, PathBuf), String> {
    let base = if Path::new("/sys/fs/cgroup/pids/cgroup.procs").exists() {
        PathBuf::from("/sys/fs/cgroup/pids")
    } else if std::fs::read_to_string("/sys/fs/cgroup/cgroup.controllers")
        .is_ok_and(|c| c.split_whitespace().any(|x| x == "pids"))
    {
        PathBuf::from("/sys/fs/cgroup")
    } else {
        return Err("no pids controller is mounted".into());
    };
    // Remove the cgroups of earlier runs that were killed before cleaning up.
    if let Ok(entries) = std::fs::read_dir(&base) {
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("socklings-")) else {
                continue;
            };
            if !Path::new("/proc").join(pid).exists() {
                remove_cgroup_tree(&e.path());
            }
        }
    }
    let dir = base.join(format!("socklings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    // Each test and each build gets a cgroup of its own below this one,
    // with its own bound, so that a fork bomb in one test cannot keep a
    // test or a build running beside it from starting threads. Here, a
    // bound for all of them together.
    std::fs::write(
        dir.join("pids.max"),
        (PROCESS_LIMIT * 4 + BUILD_PROCESS_LIMIT * 4).to_string(),
    )
    .map_err(|e| format!("setting {}/pids.max: {e}", dir.display()))?;
    if dir.join("cgroup.subtree_control").exists() {
        // cgroup v2: the controller must be handed down to the children.
        std::fs::write(dir.join("cgroup.subtree_control"), "+pids")
            .map_err(|e| format!("enabling pids below {}: {e}", dir.display()))?;
    }
    let procs = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join("cgroup.procs"))
        .map_err(|e| format!("opening {}/cgroup.procs: {e}", dir.display()))?;
    Ok((OwnedFd::from(procs), dir))
}

/// Removes a cgroup and the cgroups below it (those left empty).
pub(super) fn remove_cgroup_tree(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_cgroup_tree(&e.path());
            }
        }
    }
    let _ = std::fs::remove_dir(dir);
}

/// The pids cgroup of one test (or one build), below the run's: every
/// process the test starts joins it, and the test's processes together
/// are bounded, whatever the tests beside it do. Removed when dropped, once
/// the test's processes are gone. Root only; elsewhere RLIMIT_NPROC bounds
/// the user's processes as a whole.
pub struct ProcessGroup {
    dir: PathBuf,
    pub(super) procs: OwnedFd,
}

impl ProcessGroup {
    /// A new cgroup bounded to `limit` tasks, or None when the run has no
    /// cgroup or this one cannot be made (the run's cgroup is used then).
    pub fn new(limit: u64) -> Option<ProcessGroup> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let (_, run) = state().cgroup_procs.as_ref()?;
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = run.join(format!("t{n}"));
        std::fs::create_dir(&dir).ok()?;
        let made = std::fs::write(dir.join("pids.max"), limit.to_string())
            .and_then(|()| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(dir.join("cgroup.procs"))
            })
            .map(|procs| ProcessGroup {
                dir: dir.clone(),
                procs: OwnedFd::from(procs),
            });
        if made.is_err() {
            let _ = std::fs::remove_dir(&dir);
        }
        made.ok()
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        // A killed process leaves the cgroup once the kernel has reaped
        // it: a moment after the kill. What stays is removed with the run's.
        for _ in 0..50 {
            if std::fs::remove_dir(&self.dir).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_tasks_count_this_processs_threads() {
        let threads: u64 = std::fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("Threads:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap();
        assert!(tasks_of_user(nix::unistd::getuid().as_raw()) >= threads);
    }

    #[test]
    fn a_tree_of_empty_directories_is_removed_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path().join("socklings-1");
        std::fs::create_dir_all(top.join("t0/inner")).unwrap();
        std::fs::create_dir_all(top.join("t1")).unwrap();
        remove_cgroup_tree(&top);
        assert!(!top.exists());
    }
}
