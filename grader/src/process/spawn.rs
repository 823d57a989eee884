//! Starting a program without copying the grader. A forked child starts
//! with a copy of the grader's page tables (a self-check's grader holds
//! 100–200 MB in a thousand mappings, with hundreds of threads) and drops
//! them again at `exec`: a fifth of a self-check's CPU went there. Here the
//! child shares the grader's memory until it executes (`CLONE_VM |
//! CLONE_VFORK`, as `posix_spawn` does; the calling thread waits meanwhile),
//! runs on a stack of its own, and only makes system calls, on things
//! prepared beforehand: its descriptors, its directory, the sandbox's setup
//! ([`ChildSetup::apply`]).
use std::ffi::{c_char, c_int, c_void, CString, OsStr};
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::sandbox::ChildSetup;

/// A program just started: its pid (also its process group) and the
/// grader's ends of its pipes.
pub(super) struct Started {
    pub pid: i32,
    pub stdin: Option<File>,
    pub stdout: File,
    pub stderr: File,
}

/// Everything the child needs, made before it starts.
pub(super) struct Plan {
    program: CString,
    _argv: Vec<CString>,
    argv_ptrs: Vec<*const c_char>,
    _envp: Vec<CString>,
    envp_ptrs: Vec<*const c_char>,
    cwd: CString,
    setup: Option<Arc<ChildSetup>>,
}

// SAFETY: the raw pointers point into the plan's own strings, which move
// with it.
unsafe impl Send for Plan {}

/// The descriptors of one start: the child's ends, then the grader's.
struct Pipes {
    child: [OwnedFd; 3],
    report: OwnedFd,
}

/// The bytes a child that failed before `exec` reports: the step, then
/// the error number.
const REPORT_LEN: usize = 8;

/// The child's stack, a guard page below it.
const STACK: usize = 256 << 10;

/// Steps the child reports a failure of, by index.
const STEPS: [&str; 4] = [
    "setting up its standard input and output",
    "entering its working directory",
    "applying the sandbox's setup",
    "executing the program",
];

/// The index of the exec in [`STEPS`].
const EXEC_STEP: u32 = 3;

impl Plan {
    /// The start of `program` with `args` in `cwd` with exactly `env`
    /// (`PATH` among them names where a bare program name is looked up).
    pub fn new(
        program: &Path,
        args: &[std::ffi::OsString],
        cwd: &Path,
        env: &[(std::ffi::OsString, std::ffi::OsString)],
        setup: Option<Arc<ChildSetup>>,
    ) -> std::io::Result<Plan> {
        let c = |s: &OsStr| {
            CString::new(s.as_bytes()).map_err(|_| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("{s:?} holds a NUL byte"),
                )
            })
        };
        let path = env
            .iter()
            .rev()
            .find(|(k, _)| k == "PATH")
            .map(|(_, v)| v.as_os_str());
        let resolved = resolve(program, cwd, path)?;
        let mut argv = vec![c(program.as_os_str())?];
        for a in args {
            argv.push(c(a)?);
        }
        let mut envp = Vec::with_capacity(env.len());
        for (k, v) in env {
            let mut kv = k.clone();
            kv.push("=");
            kv.push(v);
            envp.push(c(&kv)?);
        }
        let ptrs = |v: &[CString]| {
            v.iter()
                .map(|s| s.as_ptr())
                .chain(std::iter::once(std::ptr::null()))
                .collect()
        };
        Ok(Plan {
            program: c(resolved.as_os_str())?,
            argv_ptrs: ptrs(&argv),
            _argv: argv,
            envp_ptrs: ptrs(&envp),
            _envp: envp,
            cwd: c(cwd.as_os_str())?,
            setup,
        })
    }

    /// Starts the program: piped stdout and stderr, stdin piped when
    /// `piped_stdin` (else `/dev/null`), in a process group of its own,
    /// with no other descriptor of the grader's, dying with the thread
    /// that starts it (the spawner of the test's PID namespace when the
    /// setup has one, else the calling thread), without core files.
    /// Returns once it executes; a failure before that is this call's
    /// error.
    pub fn start(self, piped_stdin: bool) -> std::io::Result<Started> {
        match self.setup.clone() {
            Some(setup) => setup.spawn(move || self.start_here(piped_stdin)),
            None => self.start_here(piped_stdin),
        }
    }

    /// [`Plan::start`] from the calling thread.
    fn start_here(self, piped_stdin: bool) -> std::io::Result<Started> {
        let (stdin_child, stdin) = if piped_stdin {
            let (r, w) = pipe()?;
            (r, Some(File::from(w)))
        } else {
            let null = File::options().read(true).open("/dev/null")?;
            (OwnedFd::from(null), None)
        };
        let (stdout, stdout_child) = pipe()?;
        let (stderr, stderr_child) = pipe()?;
        let (report_r, report_w) = pipe()?;
        let pipes = Pipes {
            child: [stdin_child, stdout_child, stderr_child],
            report: report_w,
        };
        let pid = self.clone_child(&pipes)?;
        drop(pipes);
        let mut report = [0u8; REPORT_LEN];
        let n = read_full(&report_r, &mut report);
        if n == REPORT_LEN {
            let mut status = 0;
            // SAFETY: our own child, which has exited or is exiting.
            unsafe { libc::waitpid(pid, &mut status, 0) };
            let step = u32::from_ne_bytes(report[..4].try_into().expect("4 bytes")) as usize;
            let errno = i32::from_ne_bytes(report[4..].try_into().expect("4 bytes"));
            let e = std::io::Error::from_raw_os_error(errno);
            // A failed exec is the program's own error (not found, not
            // executable), as `Command::spawn` reports it.
            return Err(match STEPS.get(step) {
                Some(what) if step != EXEC_STEP as usize => {
                    std::io::Error::new(e.kind(), format!("{what}: {e}"))
                }
                _ => e,
            });
        }
        Ok(Started {
            pid,
            stdin,
            stdout: File::from(stdout),
            stderr: File::from(stderr),
        })
    }

    /// Clones the child (see [`clone_sharing_memory`]).
    fn clone_child(&self, pipes: &Pipes) -> std::io::Result<i32> {
        let child = Child { plan: self, pipes };
        // SAFETY: `run_child` makes system calls only, on `child`, which
        // outlives its use (the call returns once the child executed).
        unsafe { clone_sharing_memory(run_child, &child as *const Child as *mut c_void, 0) }
    }
}

/// Starts a child that runs `run(arg)` on a stack of its own, sharing the
/// grader's memory until it executes or ends (`CLONE_VM | CLONE_VFORK`,
/// with `flags` besides: new namespaces), and returns its pid once it has.
/// Every signal is blocked meanwhile, in the calling thread and so in the
/// child, until the child resets or leaves them: a grader's handler must
/// never run in it. A kernel that lets no child share its parent's memory
/// (in another PID namespace, EINVAL) gets a copy instead, as `fork` makes.
///
/// # Safety
/// `run` makes system calls only, and `arg` stays valid until this
/// returns.
pub(crate) unsafe fn clone_sharing_memory(
    run: extern "C" fn(*mut c_void) -> c_int,
    arg: *mut c_void,
    flags: c_int,
) -> std::io::Result<i32> {
    let stack = Stack::new()?;
    let mut all: libc::sigset_t = std::mem::zeroed();
    let mut old: libc::sigset_t = std::mem::zeroed();
    libc::sigfillset(&mut all);
    libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
    let shared = libc::CLONE_VM | libc::CLONE_VFORK;
    let mut pid = libc::clone(run, stack.top(), shared | flags | libc::SIGCHLD, arg);
    let mut err = std::io::Error::last_os_error();
    if pid < 0 && err.raw_os_error() == Some(libc::EINVAL) {
        // The copy runs on its copy of the stack.
        pid = libc::clone(run, stack.top(), flags | libc::SIGCHLD, arg);
        err = std::io::Error::last_os_error();
    }
    libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
    if pid < 0 {
        return Err(err);
    }
    Ok(pid)
}

/// What the child reads: the plan and the descriptors.
struct Child<'a> {
    plan: &'a Plan,
    pipes: &'a Pipes,
}

/// The child, from `clone` to `exec`: system calls only.
extern "C" fn run_child(arg: *mut c_void) -> c_int {
    // SAFETY: `arg` is the parent's `Child`, alive while the parent waits.
    let child = unsafe { &*(arg as *const Child) };
    let fail = |step: u32| -> c_int {
        let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        let mut report = [0u8; REPORT_LEN];
        report[..4].copy_from_slice(&step.to_ne_bytes());
        report[4..].copy_from_slice(&errno.to_ne_bytes());
        // SAFETY: a write of a local buffer, then the end.
        unsafe {
            libc::write(
                child.pipes.report.as_raw_fd(),
                report.as_ptr().cast(),
                REPORT_LEN,
            );
            libc::_exit(127)
        }
    };
    // SAFETY: system calls on descriptors and strings prepared beforehand,
    // in a child that shares the grader's memory but none of its other
    // state (descriptor table, signal handlers, limits are its own).
    unsafe {
        // No handler of the grader's runs here; SIGPIPE, which the Rust
        // runtime ignores, is the program's to take as usual.
        for sig in 1..libc::SIGRTMAX() {
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(sig, std::ptr::null(), &mut old) == 0
                && (old.sa_sigaction != libc::SIG_IGN || sig == libc::SIGPIPE)
                && old.sa_sigaction != libc::SIG_DFL
            {
                let mut dfl: libc::sigaction = std::mem::zeroed();
                dfl.sa_sigaction = libc::SIG_DFL;
                libc::sigaction(sig, &dfl, std::ptr::null_mut());
            }
        }
        for (target, fd) in child.pipes.child.iter().enumerate() {
            if libc::dup2(fd.as_raw_fd(), target as c_int) < 0 {
                return fail(0);
            }
        }
        // No descriptor of the grader's reaches the program: those the
        // grader was started with (a CI runner's pipes, a shell's) are not
        // close-on-exec. Marked, not closed: the setup below still uses
        // its own, and the report pipe must stay open until `exec`.
        libc::syscall(
            libc::SYS_close_range,
            3 as libc::c_uint,
            libc::c_uint::MAX,
            CLOSE_RANGE_CLOEXEC,
        );
        // Die with the grader (the calling thread), leave no core files.
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        if libc::setpgid(0, 0) != 0 {
            return fail(0);
        }
        if let Some(setup) = &child.plan.setup {
            if setup.apply().is_err() {
                return fail(2);
            }
        }
        // After the setup: joining the test's mount namespace moves the
        // process to that namespace's root.
        if libc::chdir(child.plan.cwd.as_ptr()) != 0 {
            return fail(1);
        }
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        libc::pthread_sigmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
        libc::execve(
            child.plan.program.as_ptr(),
            child.plan.argv_ptrs.as_ptr(),
            child.plan.envp_ptrs.as_ptr(),
        );
        fail(EXEC_STEP)
    }
}

/// `close_range`'s flag that marks the descriptors close-on-exec instead of
/// closing them (Linux 5.11).
const CLOSE_RANGE_CLOEXEC: libc::c_uint = 1 << 2;

/// A mapped stack with a guard page below it, unmapped when dropped.
struct Stack(*mut c_void);

impl Stack {
    fn new() -> std::io::Result<Stack> {
        let page = 4096;
        // SAFETY: a new private anonymous mapping, then its lowest page
        // made inaccessible.
        unsafe {
            let p = libc::mmap(
                std::ptr::null_mut(),
                STACK,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_STACK,
                -1,
                0,
            );
            if p == libc::MAP_FAILED {
                return Err(std::io::Error::last_os_error());
            }
            libc::mprotect(p, page, libc::PROT_NONE);
            Ok(Stack(p))
        }
    }

    /// The stack's top: it grows down from the end of the mapping.
    fn top(&self) -> *mut c_void {
        (self.0 as usize + STACK) as *mut c_void
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, no longer used.
        unsafe { libc::munmap(self.0, STACK) };
    }
}

/// A close-on-exec pipe: (read end, write end).
fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(std::io::Error::from)
}

/// Reads until `buf` is full or the pipe ends; the bytes read.
fn read_full(fd: &OwnedFd, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        // SAFETY: a read into the rest of `buf`.
        let r = unsafe { libc::read(fd.as_raw_fd(), buf[n..].as_mut_ptr().cast(), buf.len() - n) };
        if r > 0 {
            n += r as usize;
        } else if r == 0
            || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted
        {
            break;
        }
    }
    n
}

/// The file `program` names: itself when it holds a `/`, else the first
/// executable file of that name in `path`'s directories (relative ones
/// from `cwd`), as `execvp` would find it in the child.
fn resolve(program: &Path, cwd: &Path, path: Option<&OsStr>) -> std::io::Result<PathBuf> {
    if program.as_os_str().as_bytes().contains(&b'/') {
        return Ok(program.to_path_buf());
    }
    let not_found = || {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{} is not in the program's PATH", program.display()),
        )
    };
    let path = path.ok_or_else(not_found)?;
    for dir in std::env::split_paths(path) {
        let candidate = cwd.join(dir).join(program);
        let c = CString::new(candidate.as_os_str().as_bytes()).map_err(|_| not_found())?;
        // SAFETY: access on a NUL-terminated path.
        if unsafe { libc::access(c.as_ptr(), libc::X_OK) } == 0 && candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(not_found())
}
