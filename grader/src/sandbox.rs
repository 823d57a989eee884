//! The sandbox around every process the grader starts for a submission:
//! resource limits, a process-count bound, a private network namespace,
//! Landlock file and exec rules, each test's own PID, mount and network
//! namespaces, and the sweep that ends escaped processes.
//!
//! Layers are applied best effort: [`init`] finds out once which ones this
//! machine allows, [`status`] reports them (`grader doctor`), and
//! `--sandbox strict` refuses to grade unless all are active.
use std::collections::HashSet;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use landlock::{
    Access, AccessFs, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset, RulesetAttr,
    RulesetCreatedAttr, Scope, ABI,
};

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

/// Whether a layer is on, and why not when it is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layer {
    /// In force.
    Active(String),
    /// Not available here; the reason.
    Unavailable(String),
}

impl Layer {
    /// True when in force.
    pub fn is_active(&self) -> bool {
        matches!(self, Layer::Active(_))
    }

    /// The explanation.
    pub fn detail(&self) -> &str {
        match self {
            Layer::Active(s) | Layer::Unavailable(s) => s,
        }
    }
}

/// The layers in force for this run.
#[derive(Debug, Clone)]
pub struct Status {
    /// Resource limits, own process group, cleared environment, subreaper.
    pub limits: Layer,
    /// A bound on the number of processes.
    pub processes: Layer,
    /// The private network namespace.
    pub network: Layer,
    /// Landlock file and exec rules.
    pub filesystem: Layer,
    /// Each test in its own PID namespace with its own `/proc`, and in its
    /// own network namespace.
    pub isolation: Layer,
}

impl Status {
    /// The layers, named, in order.
    pub fn layers(&self) -> [(&'static str, &Layer); 5] {
        [
            ("limits", &self.limits),
            ("processes", &self.processes),
            ("network", &self.network),
            ("filesystem", &self.filesystem),
            ("isolation", &self.isolation),
        ]
    }

    /// True when every layer is in force.
    pub fn all_active(&self) -> bool {
        self.layers().iter().all(|(_, l)| l.is_active())
    }

    /// One line naming the active layers and the missing ones.
    pub fn summary(&self) -> String {
        let on: Vec<&str> = self
            .layers()
            .iter()
            .filter(|(_, l)| l.is_active())
            .map(|(n, _)| *n)
            .collect();
        let off: Vec<String> = self
            .layers()
            .iter()
            .filter(|(_, l)| !l.is_active())
            .map(|(n, l)| format!("{n} ({})", l.detail()))
            .collect();
        if off.is_empty() {
            format!("sandbox: all layers active ({})", on.join(", "))
        } else {
            format!(
                "sandbox: active: {}; unavailable: {}",
                if on.is_empty() {
                    "none".into()
                } else {
                    on.join(", ")
                },
                off.join("; ")
            )
        }
    }
}

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
    /// (`/proc/self/stat`): a test's init process, a copy of the grader,
    /// blanks them so that the test's programs cannot read them.
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
        Layer::Active("CPU time, memory, file size, open files; own process group; cleared environment; escaped processes swept at each test's end".into())
    } else {
        Layer::Unavailable("the grader could not become a child subreaper".into())
    };
    let root = nix::unistd::geteuid().is_root();
    // The cgroup must be made before a user namespace hides the real root.
    let cgroup = if root {
        make_pids_cgroup()
    } else {
        Err(String::new())
    };
    let network = if opts.no_network_namespace {
        Layer::Unavailable("turned off".into())
    } else {
        match enter_network_namespace(root) {
            Ok(()) => Layer::Active("private network namespace: loopback only".into()),
            Err(e) => Layer::Unavailable(e),
        }
    };
    let (processes, cgroup_procs, nproc) = if root {
        match cgroup {
            Ok((fd, dir)) => (
                Layer::Active(format!(
                    "at most {PROCESS_LIMIT} tasks per test (a pids cgroup each, under {})",
                    dir.display()
                )),
                Some((fd, dir)),
                None,
            ),
            Err(e) => (
                Layer::Unavailable(format!(
                    "running as root, where RLIMIT_NPROC does not apply, and no pids cgroup: {e}"
                )),
                None,
                None,
            ),
        }
    } else {
        let mine = tasks_of_user(nix::unistd::getuid().as_raw());
        (
            Layer::Active(format!(
                "at most {PROCESS_LIMIT} tasks beyond the {mine} the user has (RLIMIT_NPROC)"
            )),
            None,
            Some(mine + PROCESS_LIMIT),
        )
    };
    let landlock_abi = probe_landlock();
    let filesystem = if opts.no_landlock {
        Layer::Unavailable("turned off".into())
    } else {
        match landlock_abi {
            Some(abi) => Layer::Active(format!(
                "Landlock ABI {abi}: read system libraries and the test directory, write only the test directory, execute only the program"
            )),
            None => Layer::Unavailable("the kernel does not offer Landlock".into()),
        }
    };
    let pid_ns = if opts.no_isolation {
        Err("turned off".to_string())
    } else {
        probe_pid_namespace()
    };
    let net_per_test = if opts.no_isolation {
        Err("turned off".to_string())
    } else if !network.is_active() {
        Err("the run has no network namespace".to_string())
    } else {
        probe_net_per_test()
    };
    let isolation = match (&pid_ns, &net_per_test) {
        (Ok(_), Ok(())) => Layer::Active(
            "each test in its own PID namespace (its programs see only their own processes in their own /proc, and end with the test's init) and its own network namespace (loopback only: no test reaches another's sockets)".into(),
        ),
        _ if opts.no_isolation => Layer::Unavailable(
            "turned off: escaped processes swept at each test's end; tests share the run's loopback".into(),
        ),
        _ => {
            let mut missing = Vec::new();
            if let Err(e) = &pid_ns {
                missing.push(format!(
                    "no PID namespace per test ({e}): programs see the machine's processes, escaped ones are swept at each test's end"
                ));
            }
            if let Err(e) = &net_per_test {
                missing.push(format!(
                    "no network namespace per test ({e}): tests share the run's loopback"
                ));
            }
            Layer::Unavailable(missing.join("; "))
        }
    };
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

/// The signal a `clone`d child sends its parent when it ends, as a forked
/// one does.
const CLONE_FORK: libc::c_ulong = libc::SIGCHLD as libc::c_ulong;

/// Starts a child like `fork`, with extra `clone` flags (new namespaces).
///
/// # Safety
/// In the child, only system calls: the grader may run several threads.
unsafe fn clone_process(flags: libc::c_int) -> libc::pid_t {
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
fn probe_result(pid: libc::pid_t, steps: &[&str]) -> Result<(), String> {
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
unsafe fn probe_exit(step: i32) -> ! {
    let errno = *libc::__errno_location();
    libc::_exit(step * 40 + errno.clamp(1, 39))
}

/// Whether a child may start in a PID namespace of its own, make its
/// mounts private and mount a `/proc` of that namespace, as the programs
/// of a test do.
fn probe_pid_namespace() -> Result<(), String> {
    // SAFETY: the child only makes system calls and exits.
    let pid = unsafe { clone_process(libc::CLONE_NEWPID | libc::CLONE_NEWNS) };
    if pid == 0 {
        // SAFETY: system calls on constant strings, in the child.
        unsafe {
            if mount_own_proc() != 0 {
                probe_exit(1);
            }
            let mut buf = [0u8; 8];
            let n = libc::readlink(c"/proc/self".as_ptr(), buf.as_mut_ptr().cast(), buf.len());
            if n != 1 || buf[0] != b'1' {
                *libc::__errno_location() = libc::ESRCH;
                probe_exit(2);
            }
            libc::_exit(0);
        }
    }
    probe_result(
        pid,
        &[
            "mounting a /proc of its own",
            "its /proc shows another PID namespace",
        ],
    )
}

/// Whether a test's thread may make a network namespace of its own with
/// `lo` up.
fn probe_net_per_test() -> Result<(), String> {
    // SAFETY: the child only makes system calls and exits.
    let pid = unsafe { clone_process(0) };
    if pid == 0 {
        // SAFETY: system calls only, in the child.
        unsafe {
            if libc::unshare(libc::CLONE_NEWNET) != 0 {
                probe_exit(1);
            }
            if loopback_up().is_err() {
                probe_exit(2);
            }
            libc::_exit(0);
        }
    }
    probe_result(pid, &["a new network namespace", "bringing lo up"])
}

/// Makes the calling process's mounts private (in the mount namespace it
/// has just entered) and mounts a `/proc` of its PID namespace over
/// `/proc`, showing only the processes the caller may trace (Linux 5.8+).
/// Returns 0, or -1 with errno set. Only system calls.
unsafe fn mount_own_proc() -> libc::c_int {
    if libc::mount(
        std::ptr::null(),
        c"/".as_ptr(),
        std::ptr::null(),
        libc::MS_REC | libc::MS_PRIVATE,
        std::ptr::null(),
    ) != 0
    {
        return -1;
    }
    let flags = libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC;
    // `ptraceable` hides every process the caller may not trace, whatever
    // its groups (`invisible` lets the group of `gid=`, root's by default,
    // see all); Landlock lets a program trace only its own processes.
    libc::mount(
        c"proc".as_ptr(),
        c"/proc".as_ptr(),
        c"proc".as_ptr(),
        flags,
        c"hidepid=ptraceable".as_ptr().cast(),
    )
}

/// The grader's command line and environment areas, from `/proc/self/stat`
/// (`arg_start arg_end env_start env_end`, fields 48 to 51).
fn own_arg_and_env_areas() -> [(usize, usize); 2] {
    let fields: Vec<usize> = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = &s[s.rfind(')')? + 1..];
            // Field 3 (state) is the first after the command.
            Some(
                rest.split_whitespace()
                    .skip(47 - 2)
                    .take(4)
                    .filter_map(|f| f.parse().ok())
                    .collect(),
            )
        })
        .unwrap_or_default();
    match fields[..] {
        [a, b, c, d] if a < b && c < d => [(a, b), (c, d)],
        _ => [(0, 0), (0, 0)],
    }
}

/// The Landlock ABI version of the kernel, if any.
fn probe_landlock() -> Option<i64> {
    // SAFETY: the documented version query: no pointer is read.
    let v = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            1u32, // LANDLOCK_CREATE_RULESET_VERSION
        )
    };
    (v > 0).then_some(v)
}

/// Counts the tasks (processes and threads) of `uid`, which RLIMIT_NPROC counts.
fn tasks_of_user(uid: u32) -> u64 {
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
fn make_pids_cgroup() -> Result<(OwnedFd, PathBuf), String> {
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
fn remove_cgroup_tree(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_cgroup_tree(&e.path());
            }
        }
    }
    let _ = std::fs::remove_dir(dir);
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

/// Moves this process into new network (and, unless root, user) namespaces
/// with `lo` up.
fn enter_network_namespace(root: bool) -> Result<(), String> {
    let threads = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|v| v.trim().parse::<u32>().ok())
        })
        .unwrap_or(1);
    if threads > 1 {
        return Err("the grader already runs several threads".into());
    }
    let uid = nix::unistd::getuid().as_raw();
    let gid = nix::unistd::getgid().as_raw();
    let flags = if root {
        libc::CLONE_NEWNET
    } else {
        libc::CLONE_NEWUSER | libc::CLONE_NEWNET
    };
    // SAFETY: unshare with flags only.
    if unsafe { libc::unshare(flags) } != 0 {
        let e = std::io::Error::last_os_error();
        return Err(format!("the kernel refused a new network namespace: {e}"));
    }
    if !root {
        let write = |path: &str, text: String| {
            std::fs::write(path, text).map_err(|e| format!("writing {path}: {e}"))
        };
        write("/proc/self/setgroups", "deny".into())?;
        write("/proc/self/uid_map", format!("{uid} {uid} 1"))?;
        write("/proc/self/gid_map", format!("{gid} {gid} 1"))?;
    }
    loopback_up()
}

/// Brings `lo` up in the current network namespace.
fn loopback_up() -> Result<(), String> {
    // SAFETY: a plain socket for the interface ioctls, closed below.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(format!(
            "a socket to configure lo: {}",
            std::io::Error::last_os_error()
        ));
    }
    // SAFETY: ifreq is plain data; the name fits; the ioctls read and write it.
    let result = unsafe {
        let mut req: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo\0".iter().enumerate() {
            req.ifr_name[i] = *b as libc::c_char;
        }
        if libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut req) < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            req.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
            if libc::ioctl(fd, libc::SIOCSIFFLAGS, &req) < 0 {
                Err(std::io::Error::last_os_error())
            } else {
                Ok(())
            }
        }
    };
    // SAFETY: fd is ours.
    unsafe { libc::close(fd) };
    result.map_err(|e| format!("bringing lo up: {e}"))
}

/// Whether each test runs in a network namespace of its own
/// ([`enter_test_network`]): its addresses and ports are then free by
/// construction.
pub fn network_per_test() -> bool {
    state().net_per_test
}

/// Gives the calling thread, a test's own, a network namespace of its own
/// with `lo` up (when the isolation layer has it): the threads it starts
/// and the programs it runs inherit it, so the test's sockets, the suite's
/// and its programs', are out of every other test's reach.
pub fn enter_test_network() -> Result<(), String> {
    if !state().net_per_test {
        return Ok(());
    }
    // SAFETY: unshare with a flag only; it concerns this thread alone.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
        let e = std::io::Error::last_os_error();
        return Err(format!("the test's network namespace: {e}"));
    }
    loopback_up().map_err(|e| format!("the test's network namespace: {e}"))
}

/// One test's PID namespace. Its first process is an init of the grader's
/// own (a copy of it that only waits), which reaps the test's orphans.
/// The test's programs are started into it by a thread of the test's,
/// its spawner, whose children go there (such a thread cannot start
/// threads, and an ordinary user's grader cannot return it to its own
/// namespace, so it does nothing else); each program mounts a `/proc` of
/// its own showing the namespace: it sees its own processes, not the
/// grader's, not other tests'. Dropping it ends the spawner and kills the
/// init, and with it every process left in the namespace, `setsid`
/// escapees included.
pub struct PidNamespace {
    init: libc::pid_t,
    spawner: Option<(Spawner, std::thread::JoinHandle<()>)>,
}

/// Work for a PID namespace's spawner: start a process, or (None) stop.
type SpawnJob = Option<Box<dyn FnOnce() + Send>>;

/// Where a test's programs are started from (see [`PidNamespace`]).
#[derive(Clone)]
pub struct Spawner(std::sync::mpsc::Sender<SpawnJob>);

impl Spawner {
    /// Starts `command` from the spawner's thread, in the namespace.
    fn spawn(&self, mut command: std::process::Command) -> std::io::Result<std::process::Child> {
        let (tx, rx) = std::sync::mpsc::channel();
        let job = Box::new(move || {
            let _ = tx.send(command.spawn());
        });
        let gone = || std::io::Error::other("the test's PID namespace is gone");
        self.0.send(Some(job)).map_err(|_| gone())?;
        rx.recv().map_err(|_| gone())?
    }
}

impl PidNamespace {
    /// A new namespace, or None when the isolation layer is off (the
    /// orphan sweep ends escapees then); an error when the layer is on and
    /// the kernel refuses one now.
    pub fn new() -> Result<Option<PidNamespace>, String> {
        let st = state();
        if !st.pid_ns {
            return Ok(None);
        }
        Self::make(st.scrub)
            .map(Some)
            .map_err(|e| format!("the test's PID namespace: {e}"))
    }

    fn make(scrub: [(usize, usize); 2]) -> Result<PidNamespace, String> {
        // The init closes its end of this pipe once it has blanked what
        // the test's programs must not read: they start after that.
        let (ready, ready_w) =
            nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| e.to_string())?;
        let init = spawn_registered(
            || {
                // SAFETY: the child runs `init_process`, system calls only.
                let pid = unsafe { clone_process(libc::CLONE_NEWPID) };
                if pid == 0 {
                    // SAFETY: in the freshly cloned child.
                    unsafe { init_process(scrub) }
                }
                if pid < 0 {
                    Err(std::io::Error::last_os_error())
                } else {
                    Ok(pid)
                }
            },
            |pid| *pid,
        )
        .map_err(|e| e.to_string())?;
        drop(ready_w);
        let mut ns = PidNamespace {
            init,
            spawner: None,
        };
        let mut fds = [libc::pollfd {
            fd: ready.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        // SAFETY: poll on one open descriptor.
        if unsafe { libc::poll(fds.as_mut_ptr(), 1, 10_000) } != 1 {
            return Err("its init did not start".into());
        }
        let fd = std::fs::File::open(format!("/proc/{init}/ns/pid"))
            .map(OwnedFd::from)
            .map_err(|e| format!("opening it: {e}"))?;
        let (jobs, queue) = std::sync::mpsc::channel::<SpawnJob>();
        let (entered_tx, entered) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("spawner".into())
            .spawn(move || {
                // SAFETY: setns on an open namespace descriptor: this
                // thread's children go there from now on.
                let r = unsafe { libc::setns(fd.as_raw_fd(), libc::CLONE_NEWPID) };
                let _ = entered_tx.send(r == 0);
                drop(fd);
                while let Ok(Some(job)) = queue.recv() {
                    job();
                }
            })
            .map_err(|e| format!("starting its spawner: {e}"))?;
        ns.spawner = Some((Spawner(jobs), thread));
        match entered.recv() {
            Ok(true) => Ok(ns),
            _ => Err("its spawner could not enter it".into()),
        }
    }

    /// Where the test's programs are started from.
    pub fn spawner(&self) -> Option<Spawner> {
        self.spawner.as_ref().map(|(s, _)| s.clone())
    }
}

impl Drop for PidNamespace {
    fn drop(&mut self) {
        if let Some((spawner, thread)) = self.spawner.take() {
            let _ = spawner.0.send(None);
            let _ = thread.join();
        }
        end_init(self.init);
    }
}

/// Kills a test's init (the kernel then kills every process of its
/// namespace) and reaps it once they are gone.
fn end_init(init: libc::pid_t) {
    // SAFETY: kill and waitpid on our own child.
    unsafe { libc::kill(init, libc::SIGKILL) };
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        // SAFETY: as above.
        let r = unsafe { libc::waitpid(init, std::ptr::null_mut(), libc::WNOHANG) };
        if r != 0 || Instant::now() >= until {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    unregister_child(init);
}

/// The life of a test's init: die with the test's thread, blank the
/// grader's command line and environment (the test's programs may read
/// this process's), hold no file of the grader's, let the kernel reap the
/// orphans it inherits, and wait.
///
/// # Safety
/// Only in a freshly cloned child: system calls and writes to its own
/// memory.
unsafe fn init_process(scrub: [(usize, usize); 2]) -> ! {
    // Every file first: the clone holds copies of all the grader's sockets,
    // other tests' among them, and a socket a test has just closed stays
    // bound until its last copy is gone.
    libc::syscall(libc::SYS_close_range, 0u32, u32::MAX, 0u32);
    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    libc::prctl(libc::PR_SET_NAME, c"socklings-init".as_ptr());
    for (start, end) in scrub {
        if start < end {
            std::ptr::write_bytes(start as *mut u8, 0, end - start);
        }
    }
    libc::signal(libc::SIGCHLD, libc::SIG_IGN);
    loop {
        libc::pause();
    }
}

/// Everything a child needs between fork and exec, prepared beforehand so
/// that the child only makes system calls.
pub struct ChildSetup {
    limits: Limits,
    nproc: Option<u64>,
    cgroup_procs: Option<RawFd>,
    landlock: Option<OwnedFd>,
    /// The spawner of the test's PID namespace, to start the child in;
    /// the child then mounts a `/proc` of its own.
    pid_ns: Option<Spawner>,
}

/// `struct landlock_path_beneath_attr` of the kernel.
#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// `LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR`.
const LANDLOCK_READ: u64 = (1 << 2) | (1 << 3);

/// The pids cgroup of one test (or one build), below the run's: every
/// process the test starts joins it, and the test's processes together
/// are bounded, whatever the tests beside it do. Removed when dropped, once
/// the test's processes are gone. Root only; elsewhere RLIMIT_NPROC bounds
/// the user's processes as a whole.
pub struct ProcessGroup {
    dir: PathBuf,
    procs: OwnedFd,
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
            pid_ns: pid_ns.and_then(PidNamespace::spawner),
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

    /// Starts `command`: in the test's PID namespace, from its spawner's
    /// thread, if there is one (the child's parent-death signal then
    /// follows that thread, which lives as long as the test).
    pub fn spawn(
        &self,
        mut command: std::process::Command,
    ) -> std::io::Result<std::process::Child> {
        match &self.pid_ns {
            Some(spawner) => spawner.spawn(command),
            None => command.spawn(),
        }
    }

    /// Applies everything to the calling process. Runs between fork and
    /// exec: only system calls, no allocation.
    ///
    /// # Safety
    /// Call only in a freshly forked child.
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
        set(libc::RLIMIT_NOFILE, self.limits.open_files);
        set(libc::RLIMIT_CORE, 0);
        if let Some(n) = self.nproc {
            set(libc::RLIMIT_NPROC, n);
        }
        if let Some(fd) = self.cgroup_procs {
            if libc::write(fd, b"0".as_ptr().cast(), 1) != 1 {
                return Err(std::io::Error::last_os_error());
            }
        }
        if self.pid_ns.is_some() {
            // A /proc of the test's PID namespace, in a mount namespace of
            // the program's own.
            if libc::unshare(libc::CLONE_NEWNS) != 0 || mount_own_proc() != 0 {
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
        Ok(())
    }
}

/// System directories every program may read (shared libraries, locale
/// and time zone data, `/proc/self`, devices such as `/dev/null`).
const SYSTEM_READ: &[&str] = &[
    "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/proc", "/sys", "/dev",
];

/// The dynamic loaders a program must be allowed to execute to start.
const LOADERS: &[&str] = &["/lib64", "/lib", "/usr/lib", "/usr/lib64"];

fn student_ruleset(program: &Path, dir: &Path) -> Result<OwnedFd, landlock::RulesetError> {
    let abi = ABI::V6;
    let read = AccessFs::from_read(abi) & !AccessFs::Execute;
    let ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_all(abi))?
        .scope(Scope::Signal | Scope::AbstractUnixSocket)?
        .create()?;
    let mut ruleset = ruleset;
    for p in SYSTEM_READ {
        if let Ok(fd) = PathFd::new(p) {
            ruleset = ruleset.add_rule(PathBeneath::new(fd, read))?;
        }
    }
    // The loader: ELF interpreters are opened for execution by the kernel.
    for p in loaders() {
        if let Ok(fd) = PathFd::new(&p) {
            ruleset =
                ruleset.add_rule(PathBeneath::new(fd, AccessFs::ReadFile | AccessFs::Execute))?;
        }
    }
    if let Ok(fd) = PathFd::new(program) {
        ruleset = ruleset.add_rule(PathBeneath::new(fd, AccessFs::ReadFile | AccessFs::Execute))?;
    }
    if let Ok(fd) = PathFd::new(dir) {
        let rw = AccessFs::from_all(abi) & !AccessFs::Execute;
        ruleset = ruleset.add_rule(PathBeneath::new(fd, rw))?;
    }
    // /dev/null and friends are written to as well.
    for p in ["/dev/null", "/dev/zero", "/dev/full", "/dev/tty"] {
        if let Ok(fd) = PathFd::new(p) {
            ruleset = ruleset.add_rule(PathBeneath::new(
                fd,
                AccessFs::from_file(abi) & !AccessFs::Execute,
            ))?;
        }
    }
    let fd: Option<OwnedFd> = ruleset.into();
    fd.ok_or(landlock::RulesetError::CreateRuleset(
        landlock::CreateRulesetError::MissingHandledAccess,
    ))
}

/// The ELF interpreter files of this system (`ld-linux*.so*`).
fn loaders() -> Vec<PathBuf> {
    static FOUND: OnceLock<Vec<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let mut found = Vec::new();
            for dir in LOADERS {
                let mut dirs = vec![PathBuf::from(dir)];
                if let Ok(entries) = std::fs::read_dir(dir) {
                    dirs.extend(
                        entries
                            .flatten()
                            .filter(|e| e.file_name().to_string_lossy().ends_with("-linux-gnu"))
                            .map(|e| e.path()),
                    );
                }
                for d in dirs {
                    let Ok(entries) = std::fs::read_dir(&d) else {
                        continue;
                    };
                    for e in entries.flatten() {
                        if e.file_name().to_string_lossy().starts_with("ld-") {
                            found.push(e.path());
                        }
                    }
                }
            }
            found
        })
        .clone()
}

fn build_ruleset(
    toolchain: &[PathBuf],
    writable: &[PathBuf],
) -> Result<OwnedFd, landlock::RulesetError> {
    let abi = ABI::V6;
    let read_exec = AccessFs::from_read(abi);
    let mut ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_all(abi))?
        .create()?;
    for p in SYSTEM_READ
        .iter()
        .map(PathBuf::from)
        .chain(toolchain.iter().cloned())
    {
        if let Ok(fd) = PathFd::new(&p) {
            ruleset = ruleset.add_rule(PathBeneath::new(fd, read_exec))?;
        }
    }
    for p in writable {
        if let Ok(fd) = PathFd::new(p) {
            ruleset = ruleset.add_rule(PathBeneath::new(fd, AccessFs::from_all(abi)))?;
        }
    }
    for p in ["/dev/null", "/dev/tty"] {
        if let Ok(fd) = PathFd::new(p) {
            ruleset = ruleset.add_rule(PathBeneath::new(fd, AccessFs::from_file(abi)))?;
        }
    }
    let fd: Option<OwnedFd> = ruleset.into();
    fd.ok_or(landlock::RulesetError::CreateRuleset(
        landlock::CreateRulesetError::MissingHandledAccess,
    ))
}

/// Pids of the children the grader started and still waits for.
static LIVE: Mutex<Option<HashSet<i32>>> = Mutex::new(None);

/// Held while a child is started and registered, and while orphans are
/// swept, so that a child just forked is never taken for an orphan.
static SPAWNING: Mutex<()> = Mutex::new(());

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

/// The pids whose parent is `parent`, from `/proc`.
fn children_of(parent: i32) -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| {
                    // pid (comm) state ppid ...: comm may hold spaces.
                    let rest = &s[s.rfind(')')? + 1..];
                    rest.split_whitespace().nth(1)?.parse::<i32>().ok()
                })
                == Some(parent)
        })
        .collect()
}
