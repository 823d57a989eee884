//! The sandbox around every process the grader starts for a submission:
//! resource limits, a process-count bound, a private network namespace,
//! Landlock file and exec rules, each test's own PID, mount and network
//! namespaces, and the sweep that ends escaped processes.
//!
//! Layers are applied best effort: [`init`] finds out once which ones this
//! machine allows, [`status`] reports them (`grader doctor`), and
//! `--sandbox strict` refuses to grade unless all are active.
//!
//! One module per job: `limits` and `child` (what a process applies to
//! itself before exec), `processes` (the process-count bound: cgroups or
//! RLIMIT_NPROC), `network` (the run's and each test's network
//! namespace), `filesystem` (Landlock), `pid_ns` (each test's PID
//! namespace), `orphans` (the sweep of escaped processes), `status`
//! (which layers are on), and here the set-up that finds out which layers
//! this machine allows.
use crate::model::Sentence;
use crate::text::Phrase;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

mod child;
mod filesystem;
mod init_image;
mod limits;
mod network;
mod orphans;
mod pid_ns;
mod probe;
mod processes;
mod status;

pub use child::ChildSetup;
pub use limits::{raise_open_files, Limits, BUILD_PROCESS_LIMIT, PROCESS_LIMIT};
pub use network::{enter_test_network, network_per_test};
pub use orphans::{
    output_registered, register_child, spawn_registered, sweep_orphans, unregister_child,
};
pub use pid_ns::{serve_as_init_if_asked, PidNamespace, Spawner};
pub use processes::ProcessGroup;
pub use status::{Layer, Status};

use filesystem::probe_landlock;
use network::{enter_network_namespace, probe_net_per_test};
use pid_ns::{own_arg_and_env_areas, probe_pid_namespace};
use processes::{make_pids_cgroup, remove_cgroup_tree, tasks_of_user};

/// What [`init`] asks for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Do not try the network namespace (a test of the fallback path, or a
    /// machine where it misbehaves).
    pub no_network_namespace: bool,
    /// Do not apply Landlock rules.
    pub no_landlock: bool,
    /// Do not give each test its own PID, mount and network namespaces.
    pub no_isolation: bool,
}

struct State {
    status: Status,
    /// An open `cgroup.procs` of the run's pids cgroup (root only): where
    /// a program goes when its own cgroup (see [`ProcessGroup`]) cannot be
    /// made. The run's cgroup holds one cgroup per test and per build.
    cgroup_procs: Option<(OwnedFd, PathBuf)>,
    /// The RLIMIT_NPROC to set (non-root).
    nproc: Option<u64>,
    landlock: bool,
    /// Tests get a PID namespace of their own, and their programs a `/proc`
    /// of their own.
    pid_ns: bool,
    /// Tests get a network namespace of their own.
    net_per_test: bool,
    /// Where the grader's command line and environment lie in its memory
    /// (`/proc/self/stat`): a test's init that is a copy of the grader
    /// (in programs other than the grader, see `pid_ns`) blanks them so
    /// that the test's programs cannot read them.
    scrub: [(usize, usize); 2],
}

impl State {
    /// The `cgroup.procs` a program joins: its test's (or build's) cgroup,
    /// else the run's.
    fn procs_fd(&self, group: Option<&ProcessGroup>) -> Option<RawFd> {
        group
            .map(|g| g.procs.as_raw_fd())
            .or_else(|| self.cgroup_procs.as_ref().map(|(fd, _)| fd.as_raw_fd()))
    }
}

static STATE: OnceLock<State> = OnceLock::new();

/// Sets the sandbox up for this process. Must run before the grader starts
/// any thread (a multi-threaded process cannot enter a user namespace).
/// Later calls return the first result.
pub fn init(opts: Options) -> &'static Status {
    &STATE.get_or_init(|| setup(opts)).status
}

/// The layers in force ([`init`] with default options if not yet called).
pub fn status() -> &'static Status {
    init(Options::default())
}

fn state() -> &'static State {
    status();
    STATE.get().expect("initialized")
}

fn setup(opts: Options) -> State {
    // SAFETY: prctl with integer arguments.
    let reaper = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } == 0;
    let limits = if reaper {
        Layer::active(Phrase::new("sandbox-limits-on"))
    } else {
        Layer::unavailable(Phrase::new("sandbox-limits-off"))
    };
    let root = nix::unistd::geteuid().is_root();
    // The cgroup must be made before a user namespace hides the real root.
    let cgroup = if root {
        make_pids_cgroup()
    } else {
        Err(String::new())
    };
    let network = if opts.no_network_namespace {
        Layer::unavailable(Phrase::new("sandbox-turned-off"))
    } else {
        match enter_network_namespace(root) {
            Ok(()) => Layer::active(Phrase::new("sandbox-network-on")),
            Err(e) => Layer::Unavailable(Sentence::plain(e)),
        }
    };
    let (processes, cgroup_procs, nproc) = processes_layer(root, cgroup);
    let filesystem = if opts.no_landlock {
        Layer::unavailable(Phrase::new("sandbox-turned-off"))
    } else {
        filesystem_layer(probe_landlock())
    };
    let turned_off = || Sentence::from(Phrase::new("sandbox-turned-off"));
    let pid_ns = if opts.no_isolation {
        Err(turned_off())
    } else {
        probe_pid_namespace().map_err(Sentence::plain)
    };
    let net_per_test = if opts.no_isolation {
        Err(turned_off())
    } else if !network.is_active() {
        Err(Phrase::new("sandbox-run-without-network-namespace").into())
    } else {
        probe_net_per_test().map_err(Sentence::plain)
    };
    let isolation = isolation_layer(opts.no_isolation, &pid_ns, &net_per_test);
    State {
        landlock: filesystem.is_active(),
        status: Status {
            limits,
            processes,
            network,
            filesystem,
            isolation,
        },
        cgroup_procs,
        nproc,
        pid_ns: pid_ns.is_ok(),
        net_per_test: net_per_test.is_ok(),
        scrub: own_arg_and_env_areas(),
    }
}

/// The run's cgroup (its `cgroup.procs` open) as root.
type RunCgroup = (OwnedFd, PathBuf);

/// The processes layer: a root grader's pids `cgroup` (or why there is
/// none), else RLIMIT_NPROC counted from the user's tasks; with the run's
/// cgroup and the RLIMIT_NPROC to set.
fn processes_layer(
    root: bool,
    cgroup: Result<RunCgroup, String>,
) -> (Layer, Option<RunCgroup>, Option<u64>) {
    if !root {
        let mine = tasks_of_user(nix::unistd::getuid().as_raw());
        return (
            Layer::active(
                Phrase::new("sandbox-processes-user")
                    .arg("limit", PROCESS_LIMIT)
                    .arg("mine", mine),
            ),
            None,
            Some(mine + PROCESS_LIMIT),
        );
    }
    match cgroup {
        Ok((fd, dir)) => (
            Layer::active(
                Phrase::new("sandbox-processes-cgroup")
                    .arg("limit", PROCESS_LIMIT)
                    .arg("dir", dir.display().to_string()),
            ),
            Some((fd, dir)),
            None,
        ),
        Err(e) => (
            Layer::unavailable(Phrase::new("sandbox-processes-root-off").arg("error", e)),
            None,
            None,
        ),
    }
}

/// The filesystem layer, given the kernel's Landlock ABI (if any).
fn filesystem_layer(landlock_abi: Option<i64>) -> Layer {
    match landlock_abi {
        Some(abi) => Layer::active(Phrase::new("sandbox-landlock-on").arg("abi", abi)),
        None => Layer::unavailable(Phrase::new("sandbox-landlock-off")),
    }
}

/// The isolation layer, given whether it was turned off and what the
/// probes of a PID and a network namespace per test found.
fn isolation_layer(
    turned_off: bool,
    pid_ns: &Result<(), Sentence>,
    net_per_test: &Result<(), Sentence>,
) -> Layer {
    match (pid_ns, net_per_test) {
        (Ok(()), Ok(())) => Layer::active(Phrase::new("sandbox-isolation-on")),
        _ if turned_off => Layer::unavailable(Phrase::new("sandbox-isolation-off")),
        (Err(pid), Ok(())) => Layer::Unavailable(no_pid_ns(pid)),
        (Ok(()), Err(net)) => Layer::Unavailable(no_net_per_test(net)),
        (Err(pid), Err(net)) => Layer::Unavailable(Sentence::template(
            "sandbox-both-missing",
            vec![("first", no_pid_ns(pid)), ("second", no_net_per_test(net))],
        )),
    }
}

fn no_pid_ns(why: &Sentence) -> Sentence {
    Sentence::template("sandbox-no-pid-namespace", vec![("error", why.clone())])
}

fn no_net_per_test(why: &Sentence) -> Sentence {
    Sentence::template("sandbox-no-network-per-test", vec![("error", why.clone())])
}

/// Removes the run's pids cgroup (once no process is left in it).
pub fn cleanup() {
    if let Some(State {
        cgroup_procs: Some((_, dir)),
        ..
    }) = STATE.get()
    {
        for _ in 0..50 {
            remove_cgroup_tree(dir);
            if !dir.exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isolation_is_on_only_with_both_namespaces_per_test() {
        assert!(isolation_layer(false, &Ok(()), &Ok(())).is_active());
        let t = || Err(Sentence::plain("turned off"));
        let off = isolation_layer(true, &t(), &t());
        assert!(off.detail().starts_with("turned off: "), "{}", off.detail());
        let no_pid = isolation_layer(false, &Err(Sentence::plain("EPERM")), &Ok(()));
        assert!(!no_pid.is_active());
        assert!(no_pid
            .detail()
            .starts_with("no PID namespace per test (EPERM)"));
        assert!(!no_pid.detail().contains("network"), "{}", no_pid.detail());
        let neither = isolation_layer(
            false,
            &Err(Sentence::plain("a")),
            &Err(Sentence::plain("b")),
        );
        assert!(
            neither.detail().contains("(a)")
                && neither
                    .detail()
                    .contains("no network namespace per test (b)")
        );
    }

    #[test]
    fn root_without_a_cgroup_has_no_process_bound_and_says_why() {
        let (layer, cgroup, nproc) = processes_layer(true, Err("no pids controller".into()));
        assert!(!layer.is_active());
        assert!(layer
            .detail()
            .ends_with("no pids cgroup: no pids controller"));
        assert!(cgroup.is_none() && nproc.is_none());
    }

    #[test]
    fn an_ordinary_user_is_bounded_beyond_the_tasks_they_have() {
        let (layer, cgroup, nproc) = processes_layer(false, Err(String::new()));
        assert!(layer.is_active() && layer.detail().contains("RLIMIT_NPROC"));
        assert!(cgroup.is_none());
        assert!(nproc.is_some_and(|n| n > PROCESS_LIMIT));
    }

    #[test]
    fn the_filesystem_layer_names_the_landlock_abi() {
        assert!(filesystem_layer(Some(6))
            .detail()
            .starts_with("Landlock ABI 6: "));
        assert!(!filesystem_layer(None).is_active());
    }
}
