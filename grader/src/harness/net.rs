//! Loopback networking for suites: a fresh address per test, starting a
//! server and waiting until it listens ([`Ctx::start_server`]), and
//! [`Session`], a client connection that records its transcript.
use std::ffi::{OsStr, OsString};
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, SocketAddrV4, TcpListener, TcpStream, UdpSocket};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::ctx::quote;
use super::escape::printf_arg;
use super::{Cause, Ctx, Detail, Direction, Exchange, Failure};
use crate::messages;
use crate::process::{self, Child, Stdin, Termination};

/// Bytes of each transcript piece kept for feedback.
const TRANSCRIPT_KEEP: usize = 1024;

/// How long a session waits for bytes unless told otherwise.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// How often readiness is polled.
const POLL: Duration = Duration::from_millis(10);

static NEXT_ADDR: AtomicU32 = AtomicU32::new(0);

/// Where a server serves: an IP address and port, or a Unix socket path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A TCP or UDP address.
    Inet(SocketAddr),
    /// A Unix-domain stream socket.
    Unix(PathBuf),
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Inet(a) => a.fmt(f),
            Endpoint::Unix(p) => p.display().fmt(f),
        }
    }
}

/// The port of this grader's test addresses: fixed per process, so that
/// addresses differ by their IP alone, and below the kernel's ephemeral
/// range, so that no socket bound to port 0 (an outgoing connection, a
/// [`Ctx::free_port`] probe on the wildcard address) can take it between
/// the moment an address is proved free and the moment a program binds it.
fn grader_port(pid: u32) -> u16 {
    let (base, end) = fixed_ports();
    (base + pid % (end - base)) as u16
}

/// The ports the kernel never hands out by itself (below its ephemeral
/// range, or above it when it starts low), as `base..end`.
fn fixed_ports() -> (u32, u32) {
    static RANGE: std::sync::OnceLock<(u32, u32)> = std::sync::OnceLock::new();
    *RANGE.get_or_init(|| {
        let ephemeral_start = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
            .ok()
            .and_then(|r| r.split_whitespace().next()?.parse::<u32>().ok())
            .unwrap_or(32768);
        if ephemeral_start > 12000 {
            (10000, ephemeral_start)
        } else {
            // The ephemeral range starts low: use the ports above it instead.
            (61000, 65535)
        }
    })
}

/// Ports handed out by [`Ctx::free_port`] so far in this grader.
static NEXT_PORT: AtomicU32 = AtomicU32::new(0);

/// What shows that a server is ready.
#[derive(Debug, Clone)]
enum Ready {
    /// A TCP socket listening on the address.
    Tcp(SocketAddr),
    /// A UDP socket bound to the address.
    Udp(SocketAddr),
    /// A Unix stream socket listening at the path.
    Unix(PathBuf),
}

impl Ready {
    fn endpoint(&self) -> Endpoint {
        match self {
            Ready::Tcp(a) | Ready::Udp(a) => Endpoint::Inet(*a),
            Ready::Unix(p) => Endpoint::Unix(p.clone()),
        }
    }
}

impl Ctx {
    /// A loopback address and port that no other test of any grader is
    /// using: Linux routes all of 127.0.0.0/8 to `lo`, so each test gets its
    /// own 127.x.y.z and tests run in parallel without colliding.
    pub fn addr(&self) -> SocketAddr {
        let pid = std::process::id();
        static PORT: std::sync::OnceLock<u16> = std::sync::OnceLock::new();
        let port = *PORT.get_or_init(|| grader_port(pid));
        loop {
            let n = NEXT_ADDR.fetch_add(1, Ordering::Relaxed);
            let ip = Ipv4Addr::new(
                127,
                100 + (pid % 100) as u8,
                ((n / 250) % 256) as u8,
                (n % 250 + 2) as u8,
            );
            let addr = SocketAddr::V4(SocketAddrV4::new(ip, port));
            // In a test's own network namespace nothing else binds there.
            // Elsewhere, prove the address free for both protocols before
            // handing it out. (Not in the namespace: a process forked at
            // that moment, anywhere in the grader, would hold a copy of the
            // proof's socket until it execs, and the address would look
            // taken to the test that asked for it.)
            if crate::sandbox::network_per_test()
                || (TcpListener::bind(addr).is_ok() && UdpSocket::bind(addr).is_ok())
            {
                return addr;
            }
        }
    }

    /// A port that nothing uses on any address, TCP or UDP, for programs that
    /// bind the wildcard address `0.0.0.0:PORT` (tests that run at the same
    /// time get different ports). Taken outside the kernel's ephemeral
    /// range: there, any outgoing connection of any test could be given the
    /// port between this proof and the moment it is bound (seen in CI under
    /// selfcheck's load).
    pub fn free_port(&self) -> u16 {
        let (base, end) = fixed_ports();
        let span = end - base;
        let pid = std::process::id();
        // Each grader starts at its own place in the range (and skips the
        // port of its test addresses).
        let start = pid.wrapping_mul(7919) % span;
        let own = u32::from(grader_port(pid));
        loop {
            let n = NEXT_PORT.fetch_add(1, Ordering::Relaxed);
            let port = base + (start + n) % span;
            if port == own {
                continue;
            }
            let wild = SocketAddr::from(([0, 0, 0, 0], port as u16));
            // As in `addr`: a test's own namespace needs no proof.
            if crate::sandbox::network_per_test()
                || (TcpListener::bind(wild).is_ok() && UdpSocket::bind(wild).is_ok())
            {
                return port as u16;
            }
        }
    }

    /// A TCP listener of the suite's own on a fresh loopback address, for
    /// tests where the student's program is the client.
    pub fn listen(&self) -> Result<Listener, Failure> {
        let mut attempts = 0;
        loop {
            let addr = self.addr();
            match TcpListener::bind(addr) {
                Ok(listener) => {
                    return Ok(Listener {
                        listener,
                        addr,
                        deadline: self.deadline(),
                    })
                }
                // Taken since it was proved free: take another.
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && attempts < 10 => {
                    attempts += 1;
                }
                Err(e) => return Err(Failure::grader(format!("listening on {addr}: {e}"))),
            }
        }
    }

    /// A TCP listener of the suite's own for a client given the name
    /// `localhost:PORT`, at a port the kernel picks (bound at once, so
    /// nothing can take it). `localhost` may resolve to `::1` before
    /// `127.0.0.1`, and a client may try only the first address: the
    /// listener takes both (the IPv6 wildcard, dual-stack), or `127.0.0.1`
    /// alone where there is no IPv6. [`Listener::addr`] is `127.0.0.1:PORT`.
    pub fn listen_localhost(&self) -> Result<Listener, Failure> {
        let listener = TcpListener::bind((std::net::Ipv6Addr::UNSPECIFIED, 0))
            .or_else(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
            .map_err(|e| Failure::grader(format!("listening on localhost: {e}")))?;
        let port = listener.local_addr().map_err(Failure::grader)?.port();
        Ok(Listener {
            listener,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            deadline: self.deadline(),
        })
    }

    /// Starts the student's server with `args` and waits until it listens
    /// on the Unix stream socket `path`.
    pub fn start_unix_server<S: AsRef<OsStr>>(
        &mut self,
        args: &[S],
        path: &Path,
    ) -> Result<Server, Failure> {
        self.start(args, Ready::Unix(path.to_path_buf()))
    }

    /// Starts the student's server with `args` and waits until it listens
    /// for TCP connections on `addr`.
    pub fn start_server<S: AsRef<OsStr>>(
        &mut self,
        args: &[S],
        addr: SocketAddr,
    ) -> Result<Server, Failure> {
        self.start(args, Ready::Tcp(addr))
    }

    /// Starts the student's server with `args` and waits until it has a UDP
    /// socket bound to `addr`.
    pub fn start_udp_server<S: AsRef<OsStr>>(
        &mut self,
        args: &[S],
        addr: SocketAddr,
    ) -> Result<Server, Failure> {
        self.start(args, Ready::Udp(addr))
    }

    fn start<S: AsRef<OsStr>>(&mut self, args: &[S], ready: Ready) -> Result<Server, Failure> {
        let args: Vec<OsString> = args.iter().map(|a| a.as_ref().to_os_string()).collect();
        let invocation = self.invocation(&args, None);
        let mut child = self.spawn_child(&args, Stdin::Null, process::DEFAULT_OUTPUT_CAP)?;
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
                let mut f = Failure::new(
                    cause,
                    messages::exited_before_listening(&ready.endpoint(), &describe(t, &stderr)),
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
            if Instant::now() >= self.deadline() {
                let stderr = child.stderr_so_far();
                let mut f = Failure::new(
                    Cause::NotListening,
                    messages::never_listened(&ready.endpoint(), started.elapsed()),
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
            invocation,
        })
    }

    /// Opens a client connection to `server` (TCP or Unix, as it serves).
    pub fn connect(&self, server: &Server) -> Result<Session, Failure> {
        let timeout = self
            .remaining()
            .min(DEFAULT_READ_TIMEOUT)
            .max(Duration::from_millis(1));
        let mut session = Session {
            stream: None,
            peer: server.endpoint.clone(),
            buf: Vec::new(),
            exchanges: Vec::new(),
            deadline: self.deadline(),
            read_timeout: DEFAULT_READ_TIMEOUT,
            server: Some(server.child.clone()),
            server_invocation: Some(server.invocation.clone()),
            shut_down: false,
        };
        let connected = match &server.endpoint {
            Endpoint::Inet(addr) => TcpStream::connect_timeout(addr, timeout).map(|s| {
                let _ = s.set_nodelay(true);
                Stream::Tcp(s)
            }),
            Endpoint::Unix(path) => UnixStream::connect(path).map(Stream::Unix),
        };
        match connected {
            Ok(s) => {
                session.stream = Some(s);
                Ok(session)
            }
            Err(e) => {
                Err(session.io_failure(&format!("could not connect to {}", server.endpoint), e))
            }
        }
    }
}

/// The suite's own TCP server, for tests of a client program.
pub struct Listener {
    listener: TcpListener,
    addr: SocketAddr,
    deadline: Instant,
}

impl Listener {
    /// The address the student's client must connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits until the client connects (at most `within`, never past the
    /// test's deadline) and returns a session with it, recording a
    /// transcript like any other [`Session`].
    pub fn accept(&self, within: Duration) -> Result<Session, Failure> {
        let until = (Instant::now() + within).min(self.deadline);
        self.listener
            .set_nonblocking(true)
            .map_err(|e| Failure::grader(format!("listening on {}: {e}", self.addr)))?;
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_nodelay(true);
                    return Ok(Session {
                        stream: Some(Stream::Tcp(stream)),
                        peer: Endpoint::Inet(self.addr),
                        buf: Vec::new(),
                        exchanges: Vec::new(),
                        deadline: self.deadline,
                        read_timeout: DEFAULT_READ_TIMEOUT,
                        server: None,
                        server_invocation: None,
                        shut_down: false,
                    });
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    if Instant::now() >= until {
                        return Err(Failure::new(
                            Cause::Timeout,
                            messages::client_never_connected(self.addr, within),
                        ));
                    }
                    std::thread::sleep(POLL);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(Failure::grader(format!("accepting on {}: {e}", self.addr))),
            }
        }
    }
}

/// A connected stream of either family.
enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Stream {
    fn read(&self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Tcp(s) => (&*s).read(buf),
            Stream::Unix(s) => (&*s).read(buf),
        }
    }

    fn write_all(&self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Stream::Tcp(s) => (&*s).write_all(buf),
            Stream::Unix(s) => (&*s).write_all(buf),
        }
    }

    fn shutdown(&self, how: Shutdown) -> std::io::Result<()> {
        match self {
            Stream::Tcp(s) => s.shutdown(how),
            Stream::Unix(s) => s.shutdown(how),
        }
    }

    fn set_write_timeout(&self, t: Option<Duration>) -> std::io::Result<()> {
        match self {
            Stream::Tcp(s) => s.set_write_timeout(t),
            Stream::Unix(s) => s.set_write_timeout(t),
        }
    }

    fn set_read_timeout(&self, t: Option<Duration>) -> std::io::Result<()> {
        match self {
            Stream::Tcp(s) => s.set_read_timeout(t),
            Stream::Unix(s) => s.set_read_timeout(t),
        }
    }
}

/// How a process ended, in words.
fn describe(t: Termination, stderr: &[u8]) -> String {
    match t {
        Termination::Exited(101) => match process::panic_message(stderr) {
            Some(m) => format!("panicked: {m}"),
            None => "exit code 101".into(),
        },
        Termination::Exited(code) => format!("exit code {code}"),
        Termination::Signaled(sig) => format!("killed by {}", messages::signal_name(sig)),
        Termination::TimedOut(_) => "stopped at the time limit".into(),
        Termination::OutputLimit(n) => {
            format!("stopped after {} of output", messages::size(n as u64))
        }
    }
}

/// Whether the server is ready. The tables are read from
/// `/proc/thread-self/net`: `/proc/net` shows the network namespace of the
/// grader's main thread, and a test's thread has one of its own.
fn is_ready(ready: &Ready) -> bool {
    match ready {
        Ready::Tcp(addr) => socket_table_has(
            &["/proc/thread-self/net/tcp", "/proc/thread-self/net/tcp6"],
            *addr,
            Some("0A"),
        )
        .unwrap_or_else(|| TcpStream::connect_timeout(addr, POLL).is_ok()),
        Ready::Udp(addr) => socket_table_has(
            &["/proc/thread-self/net/udp", "/proc/thread-self/net/udp6"],
            *addr,
            None,
        )
        .unwrap_or_else(|| UdpSocket::bind(addr).is_err()),
        Ready::Unix(path) => unix_table_has(path).unwrap_or_else(|| {
            // No table to read (not Linux): a connection proves it, at the
            // cost of one empty connection the server sees close at once.
            UnixStream::connect(path).is_ok()
        }),
    }
}

/// Whether `/proc/net/unix` lists a listening stream socket at `path`;
/// `None` where there is no such table.
fn unix_table_has(path: &Path) -> Option<bool> {
    let text = std::fs::read_to_string("/proc/thread-self/net/unix").ok()?;
    // A relative path is bound as given, relative to the server's directory;
    // the table shows it as the server passed it, so compare file names and
    // then make sure the socket file is the one at `path`.
    let wanted = path.as_os_str().to_string_lossy();
    let found = text.lines().skip(1).any(|line| {
        // Num RefCount Protocol Flags Type St Inode Path
        let cols: Vec<&str> = line.split_whitespace().collect();
        cols.len() >= 8
            && cols[3] == "00010000" // __SO_ACCEPTCON: listening
            && cols[4] == "0001" // SOCK_STREAM
            && (cols[7] == wanted
                // A program that bound a relative name shows it relative:
                // only then compare file names (another test's absolute
                // socket of the same name must not count).
                || !Path::new(cols[7]).is_absolute()
                    && Path::new(cols[7]).file_name() == path.file_name()
                    && path.exists())
    });
    Some(found)
}

/// Whether the kernel's socket table lists a socket bound to `addr` (or to
/// the wildcard address with its port), in `state` if given. `None` where
/// there is no such table (not Linux).
fn socket_table_has(tables: &[&str], addr: SocketAddr, state: Option<&str>) -> Option<bool> {
    let mut any_table = false;
    for table in tables {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        any_table = true;
        for line in text.lines().skip(1) {
            let mut cols = line.split_whitespace();
            let (Some(_), Some(local), Some(_), Some(st)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            if state.is_some_and(|s| s != st) {
                continue;
            }
            if local_matches(local, addr) {
                return Some(true);
            }
        }
    }
    any_table.then_some(false)
}

/// Matches a `/proc/net/*` local address column (`0100007F:1F90`) against
/// `addr`, accepting the wildcard address on the same port.
fn local_matches(column: &str, addr: SocketAddr) -> bool {
    let Some((ip_hex, port_hex)) = column.split_once(':') else {
        return false;
    };
    if u16::from_str_radix(port_hex, 16).ok() != Some(addr.port()) {
        return false;
    }
    let SocketAddr::V4(v4) = addr else {
        return false;
    };
    match ip_hex.len() {
        8 => u32::from_str_radix(ip_hex, 16)
            .map(|raw| {
                // The kernel prints the address's bytes as a native-endian word.
                let ip = Ipv4Addr::from(raw.to_ne_bytes());
                ip == *v4.ip() || ip.is_unspecified()
            })
            .unwrap_or(false),
        // IPv6 sockets: only the dual-stack wildcard `::` serves IPv4 too.
        32 => ip_hex.bytes().all(|b| b == b'0'),
        _ => false,
    }
}

/// A student's server, running until the test ends.
pub struct Server {
    child: Arc<Mutex<Child>>,
    endpoint: Endpoint,
    invocation: String,
}

impl Server {
    /// The address it serves. A suite bug (a panic, reported as a grader
    /// error) for a Unix-socket server: use [`Server::endpoint`].
    pub fn addr(&self) -> SocketAddr {
        match &self.endpoint {
            Endpoint::Inet(a) => *a,
            Endpoint::Unix(p) => panic!("the server at {} has no IP address", p.display()),
        }
    }

    /// Where it serves.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// How a student starts it by hand.
    pub fn invocation(&self) -> &str {
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

    /// Kills the server now (it is killed at the end of the test anyway).
    pub fn kill(&self) {
        if let Ok(c) = self.child.lock() {
            c.kill();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The failure for a server that is no longer running, if it is not.
fn server_exit(child: &Arc<Mutex<Child>>) -> Option<Failure> {
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
    let mut f = Failure::new(cause, messages::server_exited(&describe(t, &stderr)));
    if let Some((_, why)) = limit {
        f = f.note(why);
    }
    if !stderr.is_empty() {
        f = f.text("server stderr", quote(&stderr));
    }
    Some(f)
}

/// A client connection to the student's server; every byte each way is
/// recorded for feedback.
pub struct Session {
    stream: Option<Stream>,
    peer: Endpoint,
    buf: Vec<u8>,
    exchanges: Vec<Exchange>,
    deadline: Instant,
    read_timeout: Duration,
    server: Option<Arc<Mutex<Child>>>,
    server_invocation: Option<String>,
    /// The sending side was shut down (the reproduction needs `nc -N`).
    shut_down: bool,
}

/// How long a session waits for a server that closed a connection to be
/// seen exiting, so that the feedback says "your server panicked" rather
/// than "closed the connection".
const EXIT_GRACE: Duration = Duration::from_secs(1);

impl Session {
    /// Waits at most `timeout` for each read (never past the test's deadline).
    pub fn set_read_timeout(&mut self, timeout: Duration) {
        self.read_timeout = timeout;
    }

    /// The underlying TCP stream, for tests that need socket options
    /// (`None` for a Unix-socket session).
    pub fn tcp_stream(&self) -> Option<&TcpStream> {
        match self.stream.as_ref() {
            Some(Stream::Tcp(s)) => Some(s),
            _ => None,
        }
    }

    fn stream(&self) -> &Stream {
        self.stream
            .as_ref()
            .expect("a session holds a stream once connected")
    }

    fn record(&mut self, direction: Direction, bytes: &[u8]) {
        match self.exchanges.last_mut() {
            Some(last) if last.direction == direction => {
                let room = TRANSCRIPT_KEEP.saturating_sub(last.bytes.len());
                last.bytes
                    .extend_from_slice(&bytes[..bytes.len().min(room)]);
                last.total += bytes.len();
            }
            _ => self.exchanges.push(Exchange {
                direction,
                bytes: bytes[..bytes.len().min(TRANSCRIPT_KEEP)].to_vec(),
                total: bytes.len(),
            }),
        }
    }

    /// Sends bytes.
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.record(Direction::Sent, bytes);
        // A peer that stops reading must not block the test past its deadline.
        let remaining = self
            .deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        let _ = self.stream().set_write_timeout(Some(remaining));
        let result = self.stream().write_all(bytes);
        result.map_err(|e| self.io_failure("sending failed", e))
    }

    /// Closes the sending side, so the server reads end of file.
    pub fn shutdown_write(&mut self) -> Result<(), Failure> {
        self.shut_down = true;
        let result = self.stream().shutdown(Shutdown::Write);
        result.map_err(|e| self.io_failure("closing the sending side failed", e))
    }

    /// Sets the socket's read timeout for the next read: the session's
    /// timeout, never past the test's deadline. Returns it.
    fn arm_read_timeout(&self) -> Duration {
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        let timeout = self
            .read_timeout
            .min(remaining)
            .max(Duration::from_millis(1));
        let _ = self.stream().set_read_timeout(Some(timeout));
        timeout
    }

    /// Reads once into the buffer; `Ok(0)` at end of stream.
    fn fill(&mut self) -> Result<usize, Failure> {
        let timeout = self.arm_read_timeout();
        let mut chunk = [0u8; 64 * 1024];
        let result = self.stream().read(&mut chunk);
        match result {
            Ok(n) => {
                if n > 0 {
                    self.record(Direction::Received, &chunk[..n]);
                }
                self.buf.extend_from_slice(&chunk[..n]);
                Ok(n)
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if let Some(f) = self.server.as_ref().and_then(server_exit) {
                    return Err(self.decorate(f));
                }
                Err(self.decorate(Failure::new(Cause::Timeout, messages::no_reply(timeout))))
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => Ok(self.buf.len().max(1)),
            Err(e) => Err(self.io_failure("receiving failed", e)),
        }
    }

    /// Reads until `delim` has arrived and returns everything up to and
    /// including it; fails if the peer closes first or `max` bytes pass.
    pub fn recv_until(&mut self, delim: &[u8], max: usize) -> Result<Vec<u8>, Failure> {
        let mut searched = 0usize;
        loop {
            let from = searched.saturating_sub(delim.len());
            if let Some(pos) = self.buf[from..]
                .windows(delim.len())
                .position(|w| w == delim)
            {
                let end = from + pos + delim.len();
                return Ok(self.buf.drain(..end).collect());
            }
            searched = self.buf.len();
            if self.buf.len() > max {
                return Err(self.fail(format!(
                    "expected {} within {}, got more without it",
                    crate::harness::escape::escape_bytes(delim),
                    messages::size(max as u64)
                )));
            }
            if self.fill()? == 0 {
                return Err(self.closed_early());
            }
        }
    }

    /// Reads one line, up to and including `\n`.
    pub fn recv_line(&mut self) -> Result<Vec<u8>, Failure> {
        self.recv_until(b"\n", 64 * 1024)
    }

    /// Reads exactly `n` bytes.
    pub fn recv_exact(&mut self, n: usize) -> Result<Vec<u8>, Failure> {
        while self.buf.len() < n {
            if self.fill()? == 0 {
                return Err(self.closed_early());
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    /// Reads until the peer closes, at most `max` bytes.
    pub fn recv_to_end(&mut self, max: usize) -> Result<Vec<u8>, Failure> {
        while self.fill()? > 0 {
            if self.buf.len() > max {
                return Err(self.fail(format!(
                    "the server sent more than {} without closing",
                    messages::size(max as u64)
                )));
            }
        }
        Ok(std::mem::take(&mut self.buf))
    }

    /// Expects the peer to close the connection (after any unread bytes); a
    /// reset counts as closed.
    pub fn expect_closed(&mut self) -> Result<(), Failure> {
        if !self.buf.is_empty() {
            return Err(self.fail("the server sent more than expected"));
        }
        self.arm_read_timeout();
        let mut chunk = [0u8; 4096];
        let result = self.stream().read(&mut chunk);
        match result {
            Ok(0) => Ok(()),
            Ok(n) => {
                self.record(Direction::Received, &chunk[..n]);
                Err(self.fail("the server sent more than expected instead of closing"))
            }
            Err(e) if e.kind() == ErrorKind::ConnectionReset => Ok(()),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                Err(self.fail("the server did not close the connection"))
            }
            Err(e) => Err(self.io_failure("receiving failed", e)),
        }
    }

    /// Reads `expected.len()` bytes and fails at the first one that differs.
    pub fn expect_bytes(&mut self, expected: &[u8], what: &str) -> Result<(), Failure> {
        while self.buf.len() < expected.len() {
            let n = match self.fill() {
                Ok(n) => n,
                Err(f) if f.cause == Cause::Timeout => {
                    let got = self.buf.clone();
                    return Err(self.mismatch_at(
                        what,
                        expected,
                        &got,
                        "then nothing more arrived",
                    ));
                }
                Err(f) => return Err(f),
            };
            if n == 0 {
                let got = self.buf.clone();
                return Err(self.mismatch_at(
                    what,
                    expected,
                    &got,
                    "then the server closed the connection",
                ));
            }
            if super::compare::first_difference(&self.buf, expected)
                .is_some_and(|d| d < self.buf.len())
            {
                break;
            }
        }
        let got: Vec<u8> = self.buf.iter().take(expected.len()).copied().collect();
        if got == expected {
            self.buf.drain(..expected.len());
            Ok(())
        } else {
            Err(self.mismatch_at(what, expected, &got, ""))
        }
    }

    fn mismatch_at(&self, what: &str, expected: &[u8], got: &[u8], then: &str) -> Failure {
        let property = if then.is_empty() {
            format!("wrong {what}")
        } else {
            format!("incomplete {what}: {then}")
        };
        self.fail(property)
            .with_opt(super::compare::bytes(what, expected, got))
    }

    /// A failure of this exchange, with its transcript and a command to
    /// reproduce it.
    pub fn fail(&self, property: impl Into<crate::model::Sentence>) -> Failure {
        self.decorate(Failure::mismatch(property))
    }

    /// The bytes received but not consumed yet.
    pub fn pending(&self) -> &[u8] {
        &self.buf
    }

    /// Resets the connection (SO_LINGER 0, then close): the peer's next read
    /// or write fails with "connection reset", as when a client crashes.
    pub fn reset(mut self) {
        if let Some(stream) = self.stream.take() {
            let fd = match &stream {
                Stream::Tcp(s) => std::os::fd::AsRawFd::as_raw_fd(s),
                Stream::Unix(s) => std::os::fd::AsRawFd::as_raw_fd(s),
            };
            let linger = libc::linger {
                l_onoff: 1,
                l_linger: 0,
            };
            // SAFETY: a valid socket, a correctly sized option value.
            unsafe {
                libc::setsockopt(
                    fd,
                    libc::SOL_SOCKET,
                    libc::SO_LINGER,
                    (&linger as *const libc::linger).cast(),
                    std::mem::size_of::<libc::linger>() as libc::socklen_t,
                );
            }
            drop(stream);
        }
    }

    /// The server's exit, waiting a moment for it: a server that panicked
    /// closes its sockets a little before its exit can be seen.
    fn server_exit_soon(&self) -> Option<Failure> {
        let server = self.server.as_ref()?;
        let until = Instant::now() + EXIT_GRACE;
        loop {
            if let Some(f) = server_exit(server) {
                return Some(f);
            }
            if Instant::now() >= until {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn closed_early(&self) -> Failure {
        match self.server_exit_soon() {
            Some(f) => self.decorate(f),
            None => self.fail(messages::closed_early()),
        }
    }

    fn io_failure(&self, what: &str, e: std::io::Error) -> Failure {
        if let Some(f) = self.server_exit_soon() {
            return self.decorate(f);
        }
        let reason = match e.kind() {
            ErrorKind::ConnectionReset => "the server reset the connection".to_string(),
            ErrorKind::ConnectionRefused => "connection refused".to_string(),
            ErrorKind::BrokenPipe => "the server closed the connection".to_string(),
            ErrorKind::WouldBlock | ErrorKind::TimedOut => {
                "the server stopped reading what was sent, until the test's time ran out"
                    .to_string()
            }
            _ => e.to_string(),
        };
        self.fail(format!("{what}: {reason}"))
    }

    fn decorate(&self, mut f: Failure) -> Failure {
        if !self.exchanges.is_empty() {
            f = f.with(Detail::Transcript {
                peer: self.peer.to_string(),
                exchanges: self.exchanges.clone(),
            });
        }
        if let Some(server) = &self.server_invocation {
            f = f.with(Detail::Command {
                label: "start your server".into(),
                command: server.clone(),
            });
        }
        let sent: Vec<u8> = self
            .exchanges
            .iter()
            .filter(|e| e.direction == Direction::Sent)
            .flat_map(|e| e.bytes.iter().copied())
            .collect();
        let sent_total: usize = self
            .exchanges
            .iter()
            .filter(|e| e.direction == Direction::Sent)
            .map(|e| e.total)
            .sum();
        let is_server = self.server_invocation.is_some();
        if is_server && !sent.is_empty() && sent_total == sent.len() && sent.len() <= 512 {
            let target = match &self.peer {
                Endpoint::Inet(a) => format!("{} {}", a.ip(), a.port()),
                Endpoint::Unix(p) => {
                    format!("-U {}", super::escape::shell_quote(&p.to_string_lossy()))
                }
            };
            f = f.with(Detail::Command {
                label: "then send the same bytes".into(),
                command: format!(
                    "printf -- {} | nc{} {target}",
                    printf_arg(&sent),
                    // -N: shut down the sending side at the end of input, as the test did.
                    if self.shut_down { " -N" } else { "" }
                ),
            });
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_net_columns_match_addresses() {
        let addr: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let own = u32::from_ne_bytes([127, 0, 0, 1]);
        assert!(local_matches(&format!("{own:08X}:1F90"), addr));
        assert!(local_matches("00000000:1F90", addr));
        assert!(!local_matches(&format!("{own:08X}:1F91"), addr));
        let other = u32::from_ne_bytes([127, 0, 0, 2]);
        assert!(!local_matches(&format!("{other:08X}:1F90"), addr));
        assert!(local_matches("00000000000000000000000000000000:1F90", addr));
    }

    #[test]
    fn free_ports_are_never_ones_the_kernel_hands_out() {
        // An outgoing connection takes its port from the ephemeral range:
        // a free port must lie outside it, differ from the last one, and
        // from the port of this grader's test addresses.
        let (lo, hi) = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
            .map(|r| {
                let v: Vec<u32> = r.split_whitespace().map(|x| x.parse().unwrap()).collect();
                (v[0], v[1])
            })
            .unwrap_or((32768, 60999));
        let def = crate::harness::TestDef::visible("t", 1, |_| Ok(()));
        let exe = std::env::current_exe().unwrap();
        let ctx = Ctx::new("e", &def, &exe, 1).unwrap();
        let a = ctx.free_port();
        let b = ctx.free_port();
        for p in [a, b] {
            assert!(!(lo..=hi).contains(&u32::from(p)), "{p} in {lo}-{hi}");
            assert_ne!(p, grader_port(std::process::id()));
            UdpSocket::bind(("0.0.0.0", p)).unwrap();
        }
        assert_ne!(a, b);
    }

    #[test]
    fn a_listening_socket_is_seen_in_the_table() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        assert!(is_ready(&Ready::Tcp(addr)));
        drop(listener);
        assert!(!is_ready(&Ready::Tcp(addr)));
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        assert!(is_ready(&Ready::Udp(udp.local_addr().unwrap())));
    }

    #[test]
    fn a_listening_unix_socket_is_seen_in_the_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sock");
        assert!(!is_ready(&Ready::Unix(path.clone())));
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        assert!(is_ready(&Ready::Unix(path.clone())));
        drop(listener);
        // The file stays, but nothing listens any more.
        assert!(path.exists());
        assert!(!is_ready(&Ready::Unix(path)));
    }
}
