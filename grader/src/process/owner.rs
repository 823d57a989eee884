//! [`TestProcesses`]: every process one test started, and the end of them
//! all. The test's [`crate::harness::Ctx`] starts its programs through it;
//! the runner holds a handle of its own and ends the test's processes when
//! the test ends, whether the suite's thread returned or hangs.
use std::sync::{Arc, Mutex, MutexGuard};

use super::{Child, Spec};
use crate::sandbox::{ChildSetup, PidNamespace, ProcessGroup, PROCESS_LIMIT};

/// The processes of one test. Cloning gives another handle on the same
/// processes; [`TestProcesses::end`] through any handle ends them all, and
/// no process starts through any handle after that.
#[derive(Clone, Default)]
pub struct TestProcesses(Arc<Mutex<Owned>>);

#[derive(Default)]
struct Owned {
    /// Set once the test has ended: nothing more may start.
    ended: bool,
    /// The process groups of the programs started.
    groups: Vec<i32>,
    /// The test's pids cgroup, made at its first program (None inside:
    /// none could be made, or the grader is not root).
    cgroup: Option<Option<ProcessGroup>>,
    /// The test's PID namespace, made at its first program (None inside:
    /// the isolation layer is off).
    pid_ns: Option<Option<PidNamespace>>,
}

impl TestProcesses {
    /// A test with no process yet.
    pub fn new() -> TestProcesses {
        TestProcesses::default()
    }

    fn lock(&self) -> MutexGuard<'_, Owned> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts `spec` as one of the test's processes, with the sandbox
    /// setup `setup` makes from the test's cgroup and PID namespace (both
    /// made at the first process). An error once the test has ended.
    pub fn spawn(
        &self,
        mut spec: Spec,
        setup: impl FnOnce(Option<&ProcessGroup>, Option<&PidNamespace>) -> ChildSetup,
    ) -> Result<Child, String> {
        // The lock is held until the process is registered, so that `end`
        // cannot slip between its start and its record.
        let mut owned = self.lock();
        if owned.ended {
            return Err("the test has ended: no program starts after its end".into());
        }
        if owned.cgroup.is_none() {
            owned.cgroup = Some(ProcessGroup::new(PROCESS_LIMIT));
        }
        if owned.pid_ns.is_none() {
            owned.pid_ns = Some(PidNamespace::new()?);
        }
        let group = owned.cgroup.as_ref().and_then(Option::as_ref);
        let pid_ns = owned.pid_ns.as_ref().and_then(Option::as_ref);
        spec.setup = Some(Arc::new(setup(group, pid_ns)));
        let child = Child::spawn(&spec).map_err(|e| format!("starting the program: {e}"))?;
        owned.groups.push(child.pid());
        Ok(child)
    }

    /// The pids of the programs started (their process groups' leaders),
    /// ended or not.
    pub fn pids(&self) -> Vec<i32> {
        self.lock().groups.clone()
    }

    /// Whether the test has ended.
    pub fn has_ended(&self) -> bool {
        self.lock().ended
    }

    /// Ends every process the test started: kills their groups, ends the
    /// test's PID namespace (and with it whatever left its group), sweeps
    /// the escapees of a run without one, and removes the test's cgroup.
    /// Nothing starts after it; a second call does nothing.
    pub fn end(&self) {
        let (groups, pid_ns, cgroup) = {
            let mut owned = self.lock();
            if owned.ended {
                return;
            }
            owned.ended = true;
            (
                std::mem::take(&mut owned.groups),
                owned.pid_ns.take(),
                owned.cgroup.take(),
            )
        };
        for pgid in groups {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(pgid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        // Ending the test's init ends every process left in its PID
        // namespace, those that left their group (setsid) included.
        drop(pid_ns);
        // Without one, processes that left their group and lost their
        // parent were reparented to the grader: end them too.
        crate::sandbox::sweep_orphans();
        // Then the test's cgroup, empty now, goes.
        drop(cgroup);
    }
}
