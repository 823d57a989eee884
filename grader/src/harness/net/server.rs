//! Starting the student's server and waiting until it listens; [`Server`],
//! the running process, and why it exited.
use std::ffi::{OsStr, OsString};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::ready::{is_ready, Ready};
use super::{Endpoint, POLL};
use crate::harness::ctx::quote;
use crate::harness::escape::{printf_arg, shell_quote};
use crate::harness::{Cause, Ctx, Detail, Failure, Quoted};
use crate::model::Sentence;
use crate::process::{self, Child, Stdin, Termination};
use crate::text::{Arg, Phrase};

impl Ctx {
    /// Starts the student's server with `args` and waits until it listens
    /// on the Unix stream socket `path`.
    pub fn start_unix_server<S: AsRef<OsStr>>(
        &mut self,
        args: &[S],
        path: &Path,
    ) -> Result<UnixServer, Failure> {
        self.start(args, Ready::Unix(path.to_path_buf()), path.to_path_buf())
    }

    /// Starts the student's server with `args` and waits until it listens
    /// for TCP connections on `addr`.
    pub fn start_server<S: AsRef<OsStr>>(
        &mut self,
        args: &[S],
        addr: SocketAddr,
    ) -> Result<Server, Failure> {
        self.start(args, Ready::Tcp(addr), addr)
    }

    /// Starts the student's server with `args` and waits until it has a UDP
    /// socket bound to `addr`.
    pub fn start_udp_server<S: AsRef<OsStr>>(
        &mut self,
        args: &[S],
        addr: SocketAddr,
    ) -> Result<Server, Failure> {
        self.start(args, Ready::Udp(addr), addr)
    }

    fn start<S: AsRef<OsStr>, A>(
        &mut self,
        args: &[S],
        ready: Ready,
        at: A,
    ) -> Result<Server<A>, Failure> {
        let args: Vec<OsString> = args.iter().map(|a| a.as_ref().to_os_string()).collect();
        let invocation = self.invocation(&args, None);
        // A server's output is its log: past the cap it is dropped, and the
        // server goes on (a server that logs each failed `accept` in a loop
        // writes megabytes in the time a test takes, more or less of them
        // as the machine is fast).
        let mut child = self.spawn_child(
            &args,
            Stdin::Null,
            (process::DEFAULT_OUTPUT_CAP, process::PastCap::Drop),
        )?;
        let started = Instant::now();
        loop {
            if is_ready(&ready) {
                break;
            }
            if let Some(t) = child.try_termination() {
                let stderr = child.stderr_so_far();
                let cause = match t {
                    Termination::Exited(101) if process::panic_message(&stderr).is_some() => {
                        Cause::Panic
                    }
                    _ => Cause::NotListening,
                };
                let property = Sentence::template(
                    "exited-before-listening",
                    vec![
                        ("addr", Sentence::plain(ready.endpoint().to_string())),
                        ("how", describe(t, &stderr)),
                    ],
                );
                let mut f = Failure::new(cause, property).with(Detail::Command {
                    label: "run".into(),
                    command: invocation,
                });
                if !stderr.is_empty() {
                    f = f.text("stderr", quote(&stderr));
                }
                return Err(f);
            }
            if Instant::now() >= self.deadline() {
                let stderr = child.stderr_so_far();
                let mut f = Failure::new(
                    Cause::NotListening,
                    crate::messages::never_listened(&ready.endpoint(), started.elapsed()),
                )
                .with(Detail::Command {
                    label: "run".into(),
                    command: invocation,
                });
                if !stderr.is_empty() {
                    f = f.text("stderr", quote(&stderr));
                }
                return Err(f);
            }
            std::thread::sleep(POLL);
        }
        Ok(Server {
            child: Arc::new(Mutex::new(child)),
            endpoint: ready.endpoint(),
            at,
            invocation,
        })
    }
}

/// Where `nc` connects to reach `endpoint`: `IP PORT`, or `-U PATH`.
pub(super) fn nc_target(endpoint: &Endpoint) -> String {
    match endpoint {
        Endpoint::Inet(a) => format!("{} {}", a.ip(), a.port()),
        Endpoint::Unix(p) => format!("-U {}", shell_quote(&p.to_string_lossy())),
    }
}

/// How a process ended, in words.
pub(super) fn describe(t: Termination, stderr: &[u8]) -> Sentence {
    let phrase = match t {
        Termination::Exited(101) => match process::panic_message(stderr) {
            Some(m) => Phrase::new("harness-panicked").arg("message", m),
            None => Phrase::new("harness-exit-code").arg("code", 101),
        },
        Termination::Exited(code) => Phrase::new("harness-exit-code").arg("code", code),
        Termination::Signaled(sig) => {
            Phrase::new("harness-killed-by").arg("signal", crate::messages::signal_name(sig))
        }
        Termination::TimedOut(_) => Phrase::new("harness-time-limit"),
        Termination::OutputLimit(n) => {
            Phrase::new("harness-output-stopped").arg("size", Arg::Bytes(n as u64))
        }
    };
    phrase.into()
}

/// A student's server, running until the test ends: at an IP address and
/// port ([`Server::addr`]) as [`Ctx::start_server`] and
/// [`Ctx::start_udp_server`] start it, or at a Unix socket path
/// ([`UnixServer`], [`Server::path`]) as [`Ctx::start_unix_server`] does.
pub struct Server<A = SocketAddr> {
    pub(super) child: Arc<Mutex<Child>>,
    pub(super) endpoint: Endpoint,
    at: A,
    pub(super) invocation: Quoted,
}

/// A student's server on a Unix stream socket.
pub type UnixServer = Server<PathBuf>;

impl Server {
    /// The address it serves.
    pub fn addr(&self) -> SocketAddr {
        self.at
    }
}

impl UnixServer {
    /// The socket path it serves.
    pub fn path(&self) -> &Path {
        &self.at
    }
}

impl<A> Server<A> {
    /// Where it serves.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// How a student starts it by hand.
    pub fn invocation(&self) -> &Quoted {
        &self.invocation
    }

    /// Fails if the server has exited.
    pub fn expect_running(&self) -> Result<(), Failure> {
        match server_exit(&self.child) {
            None => Ok(()),
            Some(f) => Err(f.with(Detail::Command {
                label: "server".into(),
                command: self.invocation.clone(),
            })),
        }
    }

    /// The process id of the server (its process group).
    pub fn pid(&self) -> i32 {
        self.child.lock().map(|c| c.pid()).unwrap_or(-1)
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> Vec<u8> {
        self.child
            .lock()
            .map(|c| c.stderr_so_far())
            .unwrap_or_default()
    }

    /// What the server wrote to stdout so far.
    pub fn stdout(&self) -> Vec<u8> {
        self.child
            .lock()
            .map(|c| c.stdout_so_far())
            .unwrap_or_default()
    }

    /// `f`, or the server's exit if it has exited: a server that dies
    /// closes its clients' connections a moment before its exit can be
    /// seen, so a connection that ended (closed, reset, refused, silent) is
    /// explained by the exit when it comes within a second. The exit's
    /// failure keeps `f`'s transcript and reproduction.
    pub fn or_exit(&self, f: Failure) -> Failure {
        if matches!(
            f.cause,
            Cause::ServerExited
                | Cause::Panic
                | Cause::Signal
                | Cause::CpuLimit
                | Cause::MemoryLimit
                | Cause::FileSizeLimit
                | Cause::ProcessLimit
        ) {
            return f;
        }
        match exit_within(&self.child, EXIT_GRACE) {
            Some(exited) => {
                let mut exited = exited.with(Detail::Command {
                    label: "server".into(),
                    command: self.invocation.clone(),
                });
                // `f`'s details, without a second way to start the server.
                exited.details.extend(f.details.into_iter().filter(|d| {
                    !matches!(
                        d,
                        Detail::Command {
                            label: crate::model::Label::StartServer,
                            ..
                        }
                    )
                }));
                exited
            }
            None => f,
        }
    }

    /// How a student sends `pieces` to it with `pause` between them, as a
    /// test did (its transcript shows them joined); with `shut_down` the
    /// sending side is shut down at the end (`nc -N`), as the test did.
    pub fn pieces_command(&self, pieces: &[&[u8]], pause: Duration, shut_down: bool) -> Detail {
        let sends: Vec<String> = pieces
            .iter()
            .map(|p| format!("printf {}", printf_arg(p)))
            .collect();
        Detail::Command {
            label: "send it in pieces, as the test did".into(),
            command: format!(
                "({}) | nc{} {}",
                sends.join(&format!("; sleep {}; ", pause.as_secs_f64())),
                if shut_down { " -N" } else { "" },
                nc_target(&self.endpoint),
            )
            .into(),
        }
    }

    /// Kills the server now (it is killed at the end of the test anyway).
    pub fn kill(&self) {
        if let Ok(c) = self.child.lock() {
            c.kill();
        }
    }
}

impl<A> Drop for Server<A> {
    fn drop(&mut self) {
        self.kill();
    }
}

/// How long a server whose connection ended is given to be seen exiting,
/// so that the feedback says "your server panicked" rather than "closed
/// the connection".
pub(super) const EXIT_GRACE: Duration = Duration::from_secs(1);

/// The server's exit, if it exits within `grace`.
pub(super) fn exit_within(child: &Arc<Mutex<Child>>, grace: Duration) -> Option<Failure> {
    let until = Instant::now() + grace;
    loop {
        if let Some(f) = server_exit(child) {
            return Some(f);
        }
        if Instant::now() >= until {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The failure for a server that is no longer running, if it is not.
pub(super) fn server_exit(child: &Arc<Mutex<Child>>) -> Option<Failure> {
    let mut child = child.lock().ok()?;
    let t = child.try_termination()?;
    let stderr = child.stderr_so_far();
    let signal = match t {
        Termination::Signaled(sig) => Some(sig),
        _ => None,
    };
    let limit = Cause::of_limit(signal, &stderr);
    let cause = match t {
        _ if limit.is_some() => limit.as_ref().map_or(Cause::ServerExited, |(c, _)| *c),
        Termination::Exited(101) if process::panic_message(&stderr).is_some() => Cause::Panic,
        Termination::Signaled(_) => Cause::Signal,
        _ => Cause::ServerExited,
    };
    let property = Sentence::template("server-exited", vec![("how", describe(t, &stderr))]);
    let mut f = Failure::new(cause, property);
    if let Some((_, why)) = limit {
        f = f.note(why);
    }
    if !stderr.is_empty() {
        f = f.text("server stderr", quote(&stderr));
    }
    Some(f)
}
