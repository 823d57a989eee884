//! Each test's PID namespace: its init, the spawner its programs start
//! from, and the `/proc` of their own they mount.
use std::ffi::{c_char, c_int, c_void, CStr, OsStr};
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::orphans::{spawn_registered, unregister_child};
use super::probe::{clone_process, probe_exit, probe_result};
use super::state;

/// Whether a child may start in a PID namespace of its own, make its
/// mounts private and mount a `/proc` of that namespace, as the programs
/// of a test do.
pub(super) fn probe_pid_namespace() -> Result<(), String> {
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

/// Makes the calling process's mounts private (in the mount namespace it
/// has just entered) and mounts a `/proc` of its PID namespace over
/// `/proc`, showing only the processes the caller may trace (Linux 5.8+).
/// Returns 0, or -1 with errno set. Only system calls.
pub(super) unsafe fn mount_own_proc() -> libc::c_int {
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
pub(super) fn own_arg_and_env_areas() -> [(usize, usize); 2] {
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

/// One test's PID namespace. Its first process is an init of the grader's
/// own, which only waits and reaps the test's orphans: a small program of
/// the grader's (see `init_image`), else the grader's executable started
/// anew (see [`serve_as_init_if_asked`]), else a copy of the grader.
/// The test's programs are started into it by a thread of the test's,
/// its spawner, whose children go there (such a thread cannot start
/// threads, and an ordinary user's grader cannot return it to its own
/// namespace, so it does nothing else).
///
/// The init also starts a mount namespace of the test's, where it mounts
/// a `/proc` showing the PID namespace, and each program joins it: a
/// program sees its own processes, not the grader's, not other tests'.
/// One mount namespace per test, not per program: the kernel tears a
/// mount namespace down in the exit of its last process, waiting there for
/// an expedited RCU grace period, and under the load of a self-check those
/// waits queue up: a program with a mount namespace of its own was seen
/// to take 1.5 s to exit (5 s in a grading), which failed correct
/// programs on time-outs and timing margins. The test's one namespace goes
/// with its init, once the test is over.
///
/// Dropping it ends the spawner and kills the init, and with it every
/// process left in the namespace, `setsid` escapees included.
pub struct PidNamespace {
    init: libc::pid_t,
    /// The test's mount namespace (the init's), which programs join.
    mounts: Arc<OwnedFd>,
    spawner: Option<(Spawner, std::thread::JoinHandle<()>)>,
}

/// Work for a PID namespace's spawner: start a process, or (None) stop.
pub(super) type SpawnJob = Option<Box<dyn FnOnce() + Send>>;

/// Where a test's programs are started from (see [`PidNamespace`]).
#[derive(Clone)]
pub struct Spawner(std::sync::mpsc::Sender<SpawnJob>);

impl Spawner {
    /// Runs `start` (which starts a process) on the spawner's thread, so
    /// that the process starts in the namespace; returns its result.
    pub(super) fn run<T: Send + 'static>(
        &self,
        start: impl FnOnce() -> std::io::Result<T> + Send + 'static,
    ) -> std::io::Result<T> {
        let (tx, rx) = std::sync::mpsc::channel();
        let job = Box::new(move || {
            let _ = tx.send(start());
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
        let init = start_init(scrub)?;
        let open = |ns: &str| {
            std::fs::File::open(format!("/proc/{init}/ns/{ns}"))
                .map(OwnedFd::from)
                .map_err(|e| format!("opening its {ns} namespace: {e}"))
        };
        let (fd, mounts) = match (open("pid"), open("mnt")) {
            (Ok(pid), Ok(mnt)) => (pid, mnt),
            (Err(e), _) | (_, Err(e)) => {
                end_init(init);
                return Err(e);
            }
        };
        let mut ns = PidNamespace {
            init,
            mounts: Arc::new(mounts),
            spawner: None,
        };
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

    /// The test's mount namespace, with its `/proc`, for its programs to
    /// join.
    pub(super) fn mounts(&self) -> Arc<OwnedFd> {
        Arc::clone(&self.mounts)
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

/// Starts the init of a new PID namespace: the grader's small init
/// program (see `init_image`), else the grader's executable started anew,
/// else a copy of the grader.
fn start_init(scrub: [(usize, usize); 2]) -> Result<libc::pid_t, String> {
    if let Some(image) = super::init_image::descriptor() {
        match spawn_registered(|| start_executable_init(Some(image)), |pid| *pid) {
            Ok(pid) => return Ok(pid),
            // The kernel would not run it: never again in this process.
            Err(e) if e.kind() == std::io::ErrorKind::Unsupported => super::init_image::refused(),
            Err(e) => return Err(e.to_string()),
        }
    }
    if EXECUTABLE_INIT.load(Ordering::Relaxed) {
        spawn_registered(|| start_executable_init(None), |pid| *pid).map_err(|e| e.to_string())
    } else {
        start_copied_init(scrub)
    }
}

/// Starts a copy of the grader as the init of a new PID namespace (see
/// [`init_process`]) and waits until it has blanked what the test's
/// programs must not read: they start after that.
fn start_copied_init(scrub: [(usize, usize); 2]) -> Result<libc::pid_t, String> {
    // The init closes its end of this pipe once it has blanked.
    let (ready, ready_w) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| e.to_string())?;
    let init = spawn_registered(
        || {
            // SAFETY: the child runs `init_process`, system calls only.
            let pid = unsafe { clone_process(libc::CLONE_NEWPID | libc::CLONE_NEWNS) };
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
    let mut fds = [libc::pollfd {
        fd: ready.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    }];
    // SAFETY: poll on one open descriptor.
    if unsafe { libc::poll(fds.as_mut_ptr(), 1, 10_000) } != 1 {
        end_init(init);
        return Err("its init did not start".into());
    }
    Ok(init)
}

/// Kills a test's init (the kernel then kills every process of its
/// namespace) and reaps it once they are gone.
pub(super) fn end_init(init: libc::pid_t) {
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

/// The argument that makes the grader's executable a test's init.
const INIT_ARG: &CStr = c"--socklings-test-init";

/// Whether this process's executable serves as a test's init (its `main`
/// called [`serve_as_init_if_asked`]).
static EXECUTABLE_INIT: AtomicBool = AtomicBool::new(false);

/// Called first by the grader's `main`: when the arguments ask for it,
/// this process is a test's init and only waits (it never returns);
/// otherwise a test's init is from now on this executable started anew
/// with those arguments. Such an init owns nothing of the grader's: no
/// copy of its memory (command line, environment, the data of every test
/// running) for the kernel to copy at its start and free at its end, and
/// no file.
pub fn serve_as_init_if_asked() {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() == Some(OsStr::new(INIT_ARG.to_str().unwrap_or_default()))
        && args.next().is_none()
    {
        // SAFETY: system calls only, in a process of its own.
        unsafe { init_wait() }
    }
    EXECUTABLE_INIT.store(true, Ordering::Relaxed);
}

/// Starts the init program in the memory file `image` (closed on exec),
/// else this executable, as the init of a new PID namespace. Until it
/// executes, the child shares the grader's memory (see
/// `process::clone_sharing_memory`), so nothing is copied; it closes every
/// other file, dies with the calling thread and ignores its children's
/// ends (the kernel reaps the orphans it inherits), all of which holds
/// across the exec, as does the mask blocking every signal (it only
/// waits). An `Unsupported` error when the program did not start.
fn start_executable_init(image: Option<c_int>) -> std::io::Result<libc::pid_t> {
    struct Exec {
        argv: [*const c_char; 3],
        envp: [*const c_char; 1],
        image: c_int,
    }
    extern "C" fn child(arg: *mut c_void) -> c_int {
        // SAFETY: `arg` is the parent's `Exec`, alive while the parent
        // waits for this exec; only system calls follow.
        unsafe {
            let exec = &*(arg as *const Exec);
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            libc::signal(libc::SIGCHLD, libc::SIG_IGN);
            // The test's `/proc`, before the exec: the grader's start of
            // the init returns once it is there.
            if mount_own_proc() != 0 {
                libc::_exit(127);
            }
            if exec.image >= 0 {
                let image = exec.image as u32;
                if image > 0 {
                    libc::syscall(libc::SYS_close_range, 0u32, image - 1, 0u32);
                }
                libc::syscall(libc::SYS_close_range, image + 1, u32::MAX, 0u32);
                super::init_image::execute(exec.image, exec.argv.as_ptr(), exec.envp.as_ptr());
            } else {
                libc::syscall(libc::SYS_close_range, 0u32, u32::MAX, 0u32);
                libc::execve(
                    c"/proc/self/exe".as_ptr(),
                    exec.argv.as_ptr(),
                    exec.envp.as_ptr(),
                );
            }
            libc::_exit(127)
        }
    }
    let exec = Exec {
        argv: [
            c"socklings-init".as_ptr(),
            INIT_ARG.as_ptr(),
            std::ptr::null(),
        ],
        envp: [std::ptr::null()],
        image: image.unwrap_or(-1),
    };
    // SAFETY: `child` makes system calls only, on `exec`, which outlives
    // its use (the call returns once the child executed).
    let pid = unsafe {
        crate::process::clone_sharing_memory(
            child,
            &exec as *const Exec as *mut c_void,
            libc::CLONE_NEWPID | libc::CLONE_NEWNS,
        )
    }?;
    let mut status = 0;
    // SAFETY: waitpid on our own child, without waiting.
    if unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) } == pid {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            if image.is_some() {
                "the grader's init program did not start"
            } else {
                "the grader's executable (/proc/self/exe) did not start"
            },
        ));
    }
    Ok(pid)
}

/// The life of a test's init that is a copy of the grader: die with the
/// test's thread, blank the grader's command line and environment (the
/// test's programs may read this process's), hold no file of the
/// grader's, then as [`init_wait`].
///
/// # Safety
/// Only in a freshly cloned child: system calls and writes to its own
/// memory.
pub(super) unsafe fn init_process(scrub: [(usize, usize); 2]) -> ! {
    // The test's `/proc` in the test's mount namespace, before the grader
    // learns the init has started (the end of the files below) and lets
    // programs join.
    if mount_own_proc() != 0 {
        libc::_exit(127);
    }
    // Every file first: the clone holds copies of all the grader's sockets,
    // other tests' among them, and a socket a test has just closed stays
    // bound until its last copy is gone.
    libc::syscall(libc::SYS_close_range, 0u32, u32::MAX, 0u32);
    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    for (start, end) in scrub {
        if start < end {
            std::ptr::write_bytes(start as *mut u8, 0, end - start);
        }
    }
    init_wait()
}

/// A test's init from here on: let the kernel reap the orphans it
/// inherits, and wait.
///
/// # Safety
/// Only in a test's init.
unsafe fn init_wait() -> ! {
    libc::prctl(libc::PR_SET_NAME, c"socklings-init".as_ptr());
    libc::signal(libc::SIGCHLD, libc::SIG_IGN);
    loop {
        libc::pause();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes of this process's memory from `start` to `end`.
    fn own_memory(start: usize, end: usize) -> Vec<u8> {
        // SAFETY: the kernel's own record of this process's argument and
        // environment areas: mapped and readable for its whole life.
        unsafe { std::slice::from_raw_parts(start as *const u8, end - start) }.to_vec()
    }

    #[test]
    fn the_areas_an_init_blanks_are_this_processs_command_line_and_environment() {
        let [(arg_start, arg_end), (env_start, env_end)] = own_arg_and_env_areas();
        assert!(arg_start < arg_end && env_start < env_end);
        let cmdline = std::fs::read("/proc/self/cmdline").unwrap();
        assert_eq!(own_memory(arg_start, arg_end), cmdline);
        let environ = std::fs::read("/proc/self/environ").unwrap();
        assert_eq!(own_memory(env_start, env_end), environ);
    }
}
