//! The Unix side of [`Child`]: process groups, `wait4`, and group kills.
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

use super::spawn::Plan;
use super::{Finished, PastCap, Spec, Stdin, Termination};

/// How long output readers may go on after the end of the process while
/// nothing is left to read (a descendant that left the process group may
/// still hold a pipe open).
const DRAIN_GRACE: Duration = Duration::from_millis(500);

/// The longest output readers may go on after the end of the process while
/// bytes are still waiting in a pipe: a reader thread held off the CPU on a
/// loaded machine must still collect what the program wrote, yet a
/// descendant that left the process group and writes without end must not
/// hold the test.
const DRAIN_LIMIT: Duration = Duration::from_secs(5);

/// How long the grader waits for the kernel to report a killed process.
const REAP_GRACE: Duration = Duration::from_secs(5);

/// The minimal environment a student program sees.
const PATH: &str = "/usr/local/bin:/usr/bin:/bin";

struct Exit {
    status: libc::c_int,
    peak_rss: u64,
    at: Instant,
}

/// Output of one pipe, filled by its reader thread.
#[derive(Clone)]
struct Capture {
    /// The output, up to the cap.
    bytes: Arc<Mutex<Vec<u8>>>,
    /// Past the cap, where it is dropped ([`PastCap::Drop`]): its last
    /// [`TAIL_KEPT`] bytes or more (a panic's message, say, comes last).
    tail: Arc<Mutex<Vec<u8>>>,
    /// Set once the reader met the end of the pipe.
    done: Arc<AtomicBool>,
    /// Set from the moment the reader knows bytes are waiting until they
    /// are in `bytes`: read off the pipe but not yet appended, they are in
    /// neither place the drain looks at.
    in_flight: Arc<AtomicBool>,
    /// A duplicate of the pipe's read end, to ask how many bytes wait in it.
    probe: Option<Arc<OwnedFd>>,
}

impl Capture {
    /// The output so far: up to the cap and, where output past it was
    /// dropped, `[…]` and its last [`TAIL_KEPT`] bytes.
    fn snapshot(&self) -> Vec<u8> {
        let mut out = self.bytes.lock().map(|b| b.clone()).unwrap_or_default();
        if let Ok(tail) = self.tail.lock() {
            if !tail.is_empty() {
                out.extend_from_slice("\n[…]\n".as_bytes());
                out.extend_from_slice(&tail[tail.len().saturating_sub(TAIL_KEPT)..]);
            }
        }
        out
    }

    /// Bytes written to the pipe that the reader has not taken yet.
    fn waiting(&self) -> usize {
        let Some(fd) = &self.probe else { return 0 };
        let mut n: libc::c_int = 0;
        // SAFETY: FIONREAD writes one int through the pointer given.
        let r = unsafe { libc::ioctl(fd.as_raw_fd(), libc::FIONREAD, &mut n) };
        if r == 0 {
            n.max(0) as usize
        } else {
            0
        }
    }

    /// Waits, once the process has ended, until everything it wrote is in
    /// `bytes`: until the reader has met the end of the pipe, or, after
    /// `DRAIN_GRACE`, until nothing is waiting in the pipe or in the reader's
    /// hands; never beyond `DRAIN_LIMIT`.
    fn drain(&self, ended: Instant) {
        let grace = ended + DRAIN_GRACE;
        let limit = ended + DRAIN_LIMIT;
        loop {
            if self.done.load(Ordering::Acquire) {
                return;
            }
            let now = Instant::now();
            if now >= limit {
                return;
            }
            // The pipe is asked first: bytes leave it only once the reader
            // has marked itself in flight, so "nothing waiting, nobody in
            // flight" read in this order means every byte is in `bytes`.
            if now >= grace && self.waiting() == 0 && !self.in_flight.load(Ordering::Acquire) {
                return;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }
}

/// A running student process, leader of its own process group. Dropping it
/// kills the whole group.
pub struct Child {
    pid: i32,
    started: Instant,
    exit_rx: Receiver<Exit>,
    exit: Option<Exit>,
    stdout: Capture,
    stderr: Capture,
    overflowed: Arc<AtomicBool>,
    output_cap: usize,
}

/// The environment of `spec`'s program: the minimal one, then `spec.env`
/// replacing variables of the same name.
fn environment(spec: &Spec) -> Vec<(OsString, OsString)> {
    let mut env: Vec<(OsString, OsString)> = [
        ("PATH", OsStr::new(PATH)),
        ("HOME", spec.cwd.as_os_str()),
        ("LANG", OsStr::new("C.UTF-8")),
        ("RUST_BACKTRACE", OsStr::new("0")),
        // glibc reserves 64 MiB of address space for each malloc arena,
        // and makes up to eight per core: a threaded server on a big
        // machine would meet the address-space limit without using the
        // memory. Two arenas are plenty for the course's programs.
        ("MALLOC_ARENA_MAX", OsStr::new("2")),
    ]
    .into_iter()
    .map(|(k, v)| (OsString::from(k), v.to_os_string()))
    .collect();
    for (k, v) in &spec.env {
        env.retain(|(name, _)| name != k);
        env.push((k.clone(), v.clone()));
    }
    env
}

impl Child {
    /// Starts the process described by `spec`.
    pub fn spawn(spec: &Spec) -> std::io::Result<Child> {
        let plan = Plan::new(
            &spec.program,
            &spec.args,
            &spec.cwd,
            &environment(spec),
            spec.setup.clone(),
        )?;
        let piped_stdin = matches!(spec.stdin, Stdin::Bytes(_));
        // The child starts sharing the grader's memory, and the kernel
        // counts the grader's peak in the child's (`ru_maxrss`) at its
        // exec: the grader's peak is brought down to its size just before
        // the start, and read again once the child has executed, which
        // bounds what the child inherited (see [`wait4`]). Both happen
        // while no other thread starts a child, so no other start resets
        // the peak in between; the grader's other threads may grow it
        // meanwhile, and the second reading sees that.
        let (child, inherited) = crate::sandbox::spawn_registered(
            || {
                reset_own_peak();
                let child = plan.start(piped_stdin)?;
                Ok((child, own_peak()))
            },
            |(c, _)| c.pid,
        )?;
        let pid = child.pid;
        let started = Instant::now();

        let overflowed = Arc::new(AtomicBool::new(false));
        let cap = (spec.output_cap, spec.past_cap);
        let stdout = capture(child.stdout, pid, cap, overflowed.clone());
        let stderr = capture(child.stderr, pid, cap, overflowed.clone());
        if let (Stdin::Bytes(bytes), Some(mut pipe)) = (&spec.stdin, child.stdin) {
            let bytes = bytes.clone();
            thread::spawn(move || {
                // A program that exits without reading its input closes the
                // pipe; that is its business, not an error of the grader.
                let _ = pipe.write_all(&bytes);
            });
        }

        let (tx, exit_rx) = mpsc::channel();
        thread::spawn(move || {
            let exit = wait4(pid, inherited);
            crate::sandbox::unregister_child(pid);
            let _ = tx.send(exit);
        });

        Ok(Child {
            pid,
            started,
            exit_rx,
            exit: None,
            stdout,
            stderr,
            overflowed,
            output_cap: spec.output_cap,
        })
    }

    /// The process id (also the process group id).
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// True while the process has not exited. Once it has, its output is
    /// read to the end first (a moment at most), so that what it printed
    /// last, such as a panic message, is in `stderr_so_far`.
    pub fn is_running(&mut self) -> bool {
        if self.exit.is_none() {
            if let Ok(exit) = self.exit_rx.try_recv() {
                self.exit = Some(exit);
                let now = Instant::now();
                self.stdout.drain(now);
                self.stderr.drain(now);
            }
        }
        self.exit.is_none()
    }

    /// How the process ended, if it has.
    pub fn try_termination(&mut self) -> Option<Termination> {
        if self.is_running() {
            return None;
        }
        let status = self.exit.as_ref()?.status;
        if self.overflowed.load(Ordering::Acquire) {
            // Killed by its reader for flooding: the cap is the cause, as
            // in `finish`, not the signal.
            Some(Termination::OutputLimit(self.output_cap))
        } else if libc::WIFSIGNALED(status) {
            Some(Termination::Signaled(libc::WTERMSIG(status)))
        } else {
            Some(Termination::Exited(libc::WEXITSTATUS(status)))
        }
    }

    /// What the process has written to stderr so far.
    pub fn stderr_so_far(&self) -> Vec<u8> {
        self.stderr.snapshot()
    }

    /// What the process has written to stdout so far.
    pub fn stdout_so_far(&self) -> Vec<u8> {
        self.stdout.snapshot()
    }

    /// Kills the whole process group.
    pub fn kill(&self) {
        let _ = killpg(Pid::from_raw(self.pid), Signal::SIGKILL);
    }

    /// Waits for the process to end by itself until `deadline`, kills its
    /// group when the time is up, and returns what happened.
    pub fn wait_until(mut self, deadline: Instant) -> Finished {
        let mut timed_out = false;
        if self.exit.is_none() {
            let timeout = deadline.saturating_duration_since(Instant::now());
            match self.exit_rx.recv_timeout(timeout) {
                Ok(exit) => self.exit = Some(exit),
                Err(RecvTimeoutError::Timeout) => timed_out = true,
                Err(RecvTimeoutError::Disconnected) => {}
            }
        }
        self.finish(timed_out)
    }

    /// Kills the process group now and returns what happened so far.
    pub fn stop(self) -> Finished {
        self.finish(false)
    }

    fn finish(mut self, timed_out: bool) -> Finished {
        // Whatever happened, nothing of the group outlives the test.
        self.kill();
        if self.exit.is_none() {
            self.exit = self.exit_rx.recv_timeout(REAP_GRACE).ok();
        }
        let now = Instant::now();
        self.stdout.drain(now);
        self.stderr.drain(now);
        let end = self.exit.as_ref().map_or_else(Instant::now, |e| e.at);
        let duration = end.duration_since(self.started);
        let termination = if self.overflowed.load(Ordering::Acquire) {
            Termination::OutputLimit(self.output_cap)
        } else if timed_out {
            Termination::TimedOut(duration)
        } else {
            match &self.exit {
                Some(exit) if libc::WIFEXITED(exit.status) => {
                    Termination::Exited(libc::WEXITSTATUS(exit.status))
                }
                Some(exit) if libc::WIFSIGNALED(exit.status) => {
                    Termination::Signaled(libc::WTERMSIG(exit.status))
                }
                _ => Termination::TimedOut(duration),
            }
        };
        Finished {
            termination,
            stdout: self.stdout.snapshot(),
            stderr: self.stderr.snapshot(),
            peak_rss: self.exit.as_ref().map(|e| e.peak_rss),
            duration,
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Reads `pipe` in a thread of its own into the returned capture.
fn capture(
    pipe: impl Read + AsFd + Send + 'static,
    pgid: i32,
    cap: (usize, PastCap),
    overflowed: Arc<AtomicBool>,
) -> Capture {
    let capture = Capture::of(&pipe);
    let out = capture.clone();
    thread::spawn(move || read_pipe(pipe, &out, pgid, cap, &overflowed));
    capture
}

impl Capture {
    fn of(pipe: &impl AsFd) -> Capture {
        Capture {
            bytes: Arc::new(Mutex::new(Vec::new())),
            tail: Arc::new(Mutex::new(Vec::new())),
            done: Arc::new(AtomicBool::new(false)),
            in_flight: Arc::new(AtomicBool::new(false)),
            probe: pipe.as_fd().try_clone_to_owned().ok().map(Arc::new),
        }
    }
}

/// How long the reader pauses between two reads of output it drops: a
/// process that floods its log gets 64 KiB through every millisecond (64
/// MB/s, far more than a log a test would want to read), and waits on its
/// full pipe beyond that, so the grader spends under 1 % of a core on the
/// worst flood (a read of a pipe takes microseconds).
const DROP_PAUSE: Duration = Duration::from_millis(1);

/// The bytes kept of the end of output dropped past the cap.
const TAIL_KEPT: usize = 16 * 1024;

/// The reader: takes everything from `pipe` into `out` until the pipe ends
/// or `cap` bytes are exceeded; then kills the group `pgid`
/// ([`PastCap::Stop`]), or reads on, a read every [`DROP_PAUSE`], and
/// keeps only the end of what comes ([`PastCap::Drop`]).
fn read_pipe(
    mut pipe: impl Read + AsFd,
    out: &Capture,
    pgid: i32,
    (cap, past_cap): (usize, PastCap),
    overflowed: &AtomicBool,
) {
    let mut buf = [0u8; 64 * 1024];
    let mut past = false;
    loop {
        // Wait until the pipe holds bytes (or its end), then say so before
        // taking them: see `Capture::drain`.
        let mut fds = [libc::pollfd {
            fd: pipe.as_fd().as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        // SAFETY: poll on one valid descriptor, no timeout.
        if unsafe { libc::poll(fds.as_mut_ptr(), 1, -1) } < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            break;
        }
        out.in_flight.store(true, Ordering::Release);
        match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let mut bytes = out.bytes.lock().expect("capture lock");
                let room = cap.saturating_sub(bytes.len());
                bytes.extend_from_slice(&buf[..n.min(room)]);
                drop(bytes);
                if n > room && past_cap == PastCap::Stop {
                    out.in_flight.store(false, Ordering::Release);
                    overflowed.store(true, Ordering::Release);
                    let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
                    break;
                }
                if n > room {
                    let mut tail = out.tail.lock().expect("capture lock");
                    tail.extend_from_slice(&buf[room.min(n)..n]);
                    if tail.len() > 2 * TAIL_KEPT {
                        let cut = tail.len() - TAIL_KEPT;
                        tail.drain(..cut);
                    }
                    past = true;
                }
                out.in_flight.store(false, Ordering::Release);
                if past {
                    thread::sleep(DROP_PAUSE);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                out.in_flight.store(false, Ordering::Release);
            }
            Err(_) => break,
        }
    }
    out.done.store(true, Ordering::Release);
}

/// How soon after its start the waiter first samples a running child's
/// peak memory; the pause between samples then doubles up to
/// [`SAMPLE_AT_MOST_EVERY`]. A program's peak above the grader's own size
/// is exact without samples (`ru_maxrss`); below it, a sample now and then
/// is enough, and frequent ones cost the grader CPU for every waiting test.
const SAMPLE_FIRST: Duration = Duration::from_millis(5);

/// The longest pause between two samples of a running child's memory.
const SAMPLE_AT_MOST_EVERY: Duration = Duration::from_millis(100);

/// Below this much over the grader's peak at the program's start,
/// `ru_maxrss` may be the grader's rather than the program's.
const INHERITED_SLACK: u64 = 8 << 20;

/// Brings the grader's peak resident memory (`VmHWM`) down to its size
/// now (Linux 4.0), so that a child starting now inherits no older peak.
fn reset_own_peak() {
    static CLEAR_REFS: OnceLock<Option<std::fs::File>> = OnceLock::new();
    let file = CLEAR_REFS.get_or_init(|| {
        std::fs::File::options()
            .write(true)
            .open("/proc/self/clear_refs")
            .ok()
    });
    if let Some(mut file) = file.as_ref() {
        let _ = file.write_all(b"5");
    }
}

/// The grader's peak resident memory since it was last brought down
/// ([`reset_own_peak`]), in bytes (0 when unknown).
fn own_peak() -> u64 {
    vm_hwm(std::process::id() as i32).unwrap_or(0)
}

/// The peak resident memory of the program `pid` runs now, in bytes: its
/// `VmHWM`, which starts again from zero at `exec`.
fn vm_hwm(pid: i32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// A process's pidfd: readable once the process has exited.
struct PidFd(std::os::fd::OwnedFd);

impl PidFd {
    fn open(pid: i32) -> Option<PidFd> {
        // SAFETY: pidfd_open takes a pid and flags and returns a new fd.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
        let fd = i32::try_from(fd).ok().filter(|fd| *fd >= 0)?;
        // SAFETY: the kernel just gave us this descriptor; we own it.
        Some(PidFd(unsafe {
            <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd)
        }))
    }

    /// Waits until the process exits or `at_most` has passed.
    fn wait(&self, at_most: Duration) {
        use std::os::fd::AsRawFd;
        let mut poll = libc::pollfd {
            fd: self.0.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(at_most.as_millis()).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd; an interrupted poll just returns early.
        unsafe { libc::poll(&mut poll, 1, ms) };
    }
}

/// Reaps `pid` and measures its peak memory. `ru_maxrss` is exact for the
/// program once it grows past the grader's peak it started with (at most
/// `inherited` bytes); below that, it may be the grader's, and the
/// program's own peak comes from sampling `VmHWM` while it ran (the pid
/// stays ours until reaped here, so the samples are of the right process).
fn wait4(pid: i32, inherited: u64) -> Exit {
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data, filled in by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut sampled: u64 = 0;
    // The child's exit wakes the waiter at once through a pidfd; without
    // one (kernels before 5.3) it is polled.
    let exited = PidFd::open(pid);
    let mut pause = SAMPLE_FIRST;
    loop {
        // SAFETY: pid is our own child, reaped only here.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        if r == 0 {
            if let Some(hwm) = vm_hwm(pid) {
                sampled = sampled.max(hwm);
            }
            match &exited {
                Some(fd) => {
                    fd.wait(pause);
                    pause = (pause * 2).min(SAMPLE_AT_MOST_EVERY);
                }
                None => thread::sleep(SAMPLE_FIRST),
            }
            continue;
        }
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break;
    }
    // Linux reports kibibytes.
    let maxrss = (usage.ru_maxrss.max(0) as u64) * 1024;
    // At or below the grader's peak, `ru_maxrss` says nothing of the
    // program: its samples do (none for a program that ended before the
    // first: it had no time to grow).
    let peak_rss = if maxrss > inherited + INHERITED_SLACK {
        maxrss
    } else {
        sampled
    };
    Exit {
        status,
        peak_rss,
        at: Instant::now(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn sh(script: &str) -> Spec {
        let dir = std::env::temp_dir();
        Spec::new(
            "/bin/sh",
            vec![OsString::from("-c"), OsString::from(script)],
            dir,
        )
    }

    fn in_secs(s: u64) -> Instant {
        Instant::now() + Duration::from_secs(s)
    }

    /// True once the process is gone or a zombie nobody has reaped yet.
    fn ended(pid: i32) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat
                .rsplit(')')
                .next()
                .is_some_and(|rest| rest.trim_start().starts_with('Z')),
        }
    }

    #[test]
    fn exit_code_and_output_are_captured() {
        let mut spec = sh("printf out; printf err >&2; exit 3");
        spec.stdin = Stdin::Bytes(b"ignored".to_vec());
        let f = Child::spawn(&spec).unwrap().wait_until(in_secs(30));
        assert_eq!(f.termination, Termination::Exited(3));
        assert_eq!(f.stdout, b"out");
        assert_eq!(f.stderr, b"err");
    }

    #[test]
    fn stdin_bytes_reach_the_program() {
        let mut spec = sh("cat");
        spec.stdin = Stdin::Bytes(b"hello\n".to_vec());
        let f = Child::spawn(&spec).unwrap().wait_until(in_secs(30));
        assert_eq!(f.stdout, b"hello\n");
    }

    #[test]
    fn environment_is_cleared() {
        std::env::set_var("SOCKLINGS_SECRET_FOR_TEST", "1");
        let f = Child::spawn(&sh("env")).unwrap().wait_until(in_secs(30));
        let env = String::from_utf8_lossy(&f.stdout);
        assert!(!env.contains("SOCKLINGS_SECRET_FOR_TEST"), "{env}");
        assert!(env.contains("PATH="), "{env}");
    }

    #[test]
    fn no_descriptor_of_the_grader_reaches_the_program() {
        // A descriptor the grader inherited without close-on-exec, as from
        // the shell or CI runner that started it.
        // High numbers, so that the program's own descriptors (the
        // directory `ls` opens) cannot be taken for them.
        let (read_end, write_end) = nix::unistd::pipe().unwrap();
        // SAFETY: duplicates descriptors this test owns, without
        // close-on-exec (F_DUPFD never sets it).
        let (r, w) = unsafe {
            (
                libc::fcntl(read_end.as_raw_fd(), libc::F_DUPFD, 300),
                libc::fcntl(write_end.as_raw_fd(), libc::F_DUPFD, 300),
            )
        };
        assert!(r >= 300 && w >= 300, "{r} {w}");
        let f = Child::spawn(&sh("ls /proc/self/fd"))
            .unwrap()
            .wait_until(in_secs(30));
        let open: Vec<String> = String::from_utf8_lossy(&f.stdout)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        for fd in [r, w] {
            assert!(
                !open.contains(&fd.to_string()),
                "descriptor {fd} reached the program: {open:?}"
            );
        }
        // SAFETY: closes the duplicates this test made.
        unsafe {
            libc::close(r);
            libc::close(w);
        }
        drop((read_end, write_end));
    }

    #[test]
    fn the_program_starts_with_no_signal_blocked_and_sigpipe_taken() {
        // The grader ignores SIGPIPE (the Rust runtime does) and blocks
        // every signal while a program starts; the program starts as any
        // other.
        let f = Child::spawn(&sh("grep -E '^Sig(Blk|Ign)' /proc/self/status"))
            .unwrap()
            .wait_until(in_secs(30));
        let status = String::from_utf8_lossy(&f.stdout);
        let mask = |name: &str| {
            let line = status.lines().find(|l| l.starts_with(name)).unwrap();
            u64::from_str_radix(line[name.len()..].trim(), 16).unwrap()
        };
        assert_eq!(mask("SigBlk:"), 0, "{status}");
        assert_eq!(mask("SigIgn:") & (1 << (libc::SIGPIPE - 1)), 0, "{status}");
    }

    #[test]
    fn a_program_that_cannot_start_is_an_error_of_the_start() {
        let dir = std::env::temp_dir();
        let missing = Spec::new("/nonexistent/socklings-program", Vec::new(), &dir);
        let e = Child::spawn(&missing).err().expect("no such program");
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{e}");
        let unknown = Spec::new("socklings-no-such-program", Vec::new(), &dir);
        let e = Child::spawn(&unknown).err().expect("not in PATH");
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{e}");
        let mut gone = Spec::new("/bin/true", Vec::new(), dir.join("socklings-no-such-dir"));
        gone.stdin = Stdin::Bytes(b"x".to_vec());
        let e = Child::spawn(&gone).err().expect("no such directory");
        assert!(e.to_string().contains("working directory"), "{e}");
        // A bare name is looked up in the program's PATH.
        let f = Child::spawn(&Spec::new("true", Vec::new(), &dir))
            .unwrap()
            .wait_until(in_secs(30));
        assert_eq!(f.termination, Termination::Exited(0));
    }

    #[test]
    fn a_hanging_program_is_stopped_at_its_deadline() {
        let f = Child::spawn(&sh("sleep 600"))
            .unwrap()
            .wait_until(Instant::now() + Duration::from_millis(300));
        assert!(
            matches!(f.termination, Termination::TimedOut(_)),
            "{:?}",
            f.termination
        );
    }

    #[test]
    fn a_flood_of_output_is_stopped_at_the_cap() {
        let mut spec = sh("yes");
        spec.output_cap = 1 << 20;
        let f = Child::spawn(&spec).unwrap().wait_until(in_secs(60));
        assert_eq!(f.termination, Termination::OutputLimit(1 << 20));
        assert_eq!(f.stdout.len(), 1 << 20);
    }

    #[test]
    fn a_flood_stopped_at_the_cap_is_said_so_while_the_test_goes_on() {
        let mut spec = sh("yes");
        spec.output_cap = 1 << 20;
        let mut child = Child::spawn(&spec).unwrap();
        let until = in_secs(60);
        while child.try_termination().is_none() && Instant::now() < until {
            thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(
            child.try_termination(),
            Some(Termination::OutputLimit(1 << 20))
        );
    }

    #[test]
    fn a_log_past_the_cap_is_dropped_and_its_writer_goes_on() {
        // 3 MiB to stderr past a 1 MiB cap, its last words, then the exit
        // status: the process is not stopped, and it gets through at a
        // bounded pace; the start and the end of its log are kept.
        let mut spec = sh("head -c 3145728 /dev/zero >&2; echo 'the last words' >&2; exit 7");
        spec.output_cap = 1 << 20;
        spec.past_cap = PastCap::Drop;
        let started = Instant::now();
        let f = Child::spawn(&spec).unwrap().wait_until(in_secs(60));
        assert_eq!(f.termination, Termination::Exited(7));
        let (head, rest) = f.stderr.split_at(1 << 20);
        assert!(head.iter().all(|&b| b == 0));
        let rest = String::from_utf8_lossy(rest);
        assert!(rest.starts_with("\n[…]\n"), "{:?}", &rest[..20]);
        assert!(
            rest.ends_with("\0\0the last words\n"),
            "{:?}",
            &rest[rest.len() - 20..]
        );
        assert!(
            rest.len() <= TAIL_KEPT + 8,
            "{} bytes of the end kept",
            rest.len()
        );
        // 2 MiB dropped, 64 KiB a read at most, a pause after each: 32
        // reads or more.
        assert!(
            started.elapsed() >= DROP_PAUSE * 30,
            "the dropped output was read at full speed: {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn background_children_die_with_the_group() {
        let f = Child::spawn(&sh("sleep 600 & echo $!"))
            .unwrap()
            .wait_until(in_secs(30));
        assert_eq!(f.termination, Termination::Exited(0));
        let pid: i32 = String::from_utf8_lossy(&f.stdout).trim().parse().unwrap();
        let until = in_secs(10);
        while !ended(pid) && Instant::now() < until {
            thread::sleep(Duration::from_millis(20));
        }
        assert!(ended(pid), "the background sleep {pid} survived its test");
    }

    #[test]
    fn a_signal_is_reported() {
        let f = Child::spawn(&sh("kill -SEGV $$"))
            .unwrap()
            .wait_until(in_secs(30));
        assert_eq!(f.termination, Termination::Signaled(libc::SIGSEGV));
    }

    #[test]
    fn peak_memory_is_the_programs_not_the_graders() {
        // A grader grown large (many gradings in one process) must not
        // lend its size to a small program, and a large program is still
        // measured as large.
        let big: Vec<u8> = vec![1; 300 << 20];
        let small = Child::spawn(&sh("sleep 0.3"))
            .unwrap()
            .wait_until(in_secs(30));
        let large = Child::spawn(&sh(
            "x=$(head -c 120000000 /dev/zero | tr '\\0' a); sleep 0.3; echo ${#x}",
        ))
        .unwrap()
        .wait_until(in_secs(60));
        assert_eq!(
            big.iter().step_by(4096).map(|&b| u64::from(b)).sum::<u64>(),
            (300 << 20) / 4096
        );
        let small_peak = small.peak_rss.unwrap();
        assert!(
            small_peak < 32 << 20,
            "a sleeping shell measured at {small_peak} bytes"
        );
        assert_eq!(large.stdout, b"120000000\n");
        let large_peak = large.peak_rss.unwrap();
        assert!(
            large_peak > 100 << 20,
            "a shell holding 120 MB measured at {large_peak} bytes"
        );
    }

    #[test]
    fn a_grader_growing_while_programs_start_lends_them_nothing() {
        // Many gradings in one process: while one test starts a program,
        // another grows the grader and shrinks it again (a large buffer,
        // a broken program's huge output read back). The program must not
        // be charged the grader's peak of that moment (a correct copy was
        // measured at 284 MiB in a self-check that way).
        let stop = Arc::new(AtomicBool::new(false));
        let churn = {
            let stop = stop.clone();
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let big: Vec<u8> = vec![1; 150 << 20];
                    std::hint::black_box(&big);
                }
            })
        };
        let peaks: Vec<u64> = (0..80)
            .map(|_| {
                Child::spawn(&sh("sleep 0.02"))
                    .unwrap()
                    .wait_until(in_secs(30))
                    .peak_rss
                    .unwrap()
            })
            .collect();
        stop.store(true, Ordering::Relaxed);
        churn.join().unwrap();
        let charged: Vec<u64> = peaks.into_iter().filter(|&p| p >= 64 << 20).collect();
        assert!(
            charged.is_empty(),
            "short shells measured at {charged:?} bytes"
        );
    }

    #[test]
    fn a_reader_held_off_the_cpu_still_collects_what_was_written() {
        // On a loaded machine the reader thread may run long after the
        // program ended: bytes waiting in the pipe must still be collected,
        // and a pipe that stays open with nothing in it (held by an escaped
        // descendant) must not hold the drain past its grace.
        let (read_end, write_end) = nix::unistd::pipe().unwrap();
        let mut writer = std::fs::File::from(write_end);
        writer.write_all(b"the panic message\n").unwrap();
        let reader = std::fs::File::from(read_end);
        let capture = Capture::of(&reader);
        let out = capture.clone();
        let overflowed = AtomicBool::new(false);
        thread::spawn(move || {
            thread::sleep(DRAIN_GRACE * 2);
            read_pipe(reader, &out, 0, (1 << 20, PastCap::Stop), &overflowed);
        });
        let ended = Instant::now();
        capture.drain(ended);
        assert_eq!(capture.snapshot(), b"the panic message\n");
        assert!(ended.elapsed() < DRAIN_LIMIT);
        // The writer is still open and has nothing more to say.
        let again = Instant::now();
        capture.drain(again);
        assert!(again.elapsed() < DRAIN_LIMIT);
        drop(writer);
    }

    #[test]
    fn once_exited_everything_printed_is_there() {
        // The last bytes of a program, such as its panic message, must be
        // read by the time its exit is seen, even when they reach the pipe
        // a moment after the exit (here from a child still writing).
        let mut child = Child::spawn(&sh("(sleep 0.2; echo last >&2) & exit 101")).unwrap();
        let until = in_secs(30);
        while child.try_termination().is_none() && Instant::now() < until {
            thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(child.try_termination(), Some(Termination::Exited(101)));
        assert_eq!(child.stderr_so_far(), b"last\n");
    }
}
