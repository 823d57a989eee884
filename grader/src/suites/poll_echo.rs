//! Suite of `poll_echo ADDR`: a line echo server that serves every client
//! from one thread with readiness-based IO (poll, epoll, mio).
//!
//! A line comes back once its `\n` has arrived, never before. The tests hold
//! many connections open at once, stall a client in the middle of a line,
//! make clients leave mid-line (closing or resetting), send a burst of
//! several MiB without reading the echoes, and read the server's thread
//! count and CPU time from `/proc`.
use std::io::{ErrorKind, Write};
use std::net::TcpListener;
use std::time::Duration;

use crate::harness::{
    compare, Cause, Ctx, Detail, Failure, ResultExt, Rng, Server, Session, TestDef, TestResult,
};
use crate::messages;

/// How long a client waits for an echo: generous, since only a server that
/// never answers (it is waiting on another client) should miss it.
const ECHO_WAIT: Duration = Duration::from_secs(10);

/// How long the start of a line must stay unanswered.
const SILENCE: Duration = Duration::from_millis(1500);

/// The pause between the pieces of a line sent in pieces.
const PIECE_PAUSE: Duration = Duration::from_millis(300);

/// Clients connected at once.
const MANY: usize = 200;

/// Clients that connect while the server is paused, in one batch: few
/// enough for any listen queue (Linux holds backlog + 1).
const CONNECT_BATCH: usize = 5;

/// How long a paused server may take to be seen stopped.
const PAUSE_WAIT: Duration = Duration::from_secs(5);

/// Clients held open while the server's thread count is read.
const THREAD_CLIENTS: usize = 50;

/// Bytes of lines a client sends without reading its echoes: more than the
/// kernel buffers of both sockets hold together (about 4 MiB on Linux's
/// loopback), so the server's writes must meet `WouldBlock`.
const BURST: usize = 8 << 20;

/// How long sending may make no progress before the server counts as no
/// longer reading.
const STALL: Duration = Duration::from_secs(10);

/// The idle stretch over which the server's CPU time is measured.
const IDLE_WINDOW: Duration = Duration::from_secs(3);

/// The CPU time a server may use in that stretch: a server asleep in `poll`
/// uses a few milliseconds, a loop over non-blocking sockets a whole core
/// (still well over this on a loaded machine).
const IDLE_CPU_LIMIT: Duration = Duration::from_millis(300);

/// What to do when one client waits in vain while others are connected.
const BLOCKED_NOTE: &str = "a server that waits for one client (a blocking `read` or \
    `read_line`, a loop until the `\\n` comes, or one client at a time) answers no one else \
    meanwhile: register every socket with one `Poll`, read only what is ready, keep each \
    client's half line in its own buffer, and go back to `poll`";

/// The tests.
pub fn tests() -> Vec<TestDef> {
    vec![
        TestDef::visible("echoes_lines", 2, echoes_lines)
            .clauses(&[2, 3])
            .timeout(Duration::from_secs(30)),
        TestDef::visible("waits_for_end_of_line", 3, waits_for_end_of_line)
            .clauses(&[3])
            .timeout(Duration::from_secs(30)),
        TestDef::visible("end_of_stream", 2, end_of_stream)
            .clauses(&[4])
            .timeout(Duration::from_secs(30)),
        TestDef::visible("stalled_client", 3, stalled_client)
            .clauses(&[6])
            .timeout(Duration::from_secs(40)),
        TestDef::visible("many_clients", 3, many_clients)
            .clauses(&[2, 6])
            .timeout(Duration::from_secs(90))
            .cpu_heavy(),
        TestDef::visible("one_thread", 3, one_thread)
            .clauses(&[5])
            .timeout(Duration::from_secs(60))
            .linux_only(),
        TestDef::visible("bad_arguments", 1, bad_arguments)
            .clauses(&[1])
            .timeout(Duration::from_secs(30)),
        TestDef::hidden("clients_leave_mid_line", 3, clients_leave_mid_line)
            .clauses(&[8])
            .timeout(Duration::from_secs(60)),
        TestDef::hidden("burst_without_reading", 3, burst_without_reading)
            .clauses(&[4, 7])
            .timeout(Duration::from_secs(60)),
        TestDef::hidden("long_and_binary_lines", 2, long_and_binary_lines)
            .clauses(&[2])
            .timeout(Duration::from_secs(30)),
        TestDef::hidden("sleeps_when_idle", 2, sleeps_when_idle)
            .clauses(&[9])
            .timeout(Duration::from_secs(40))
            .linux_only(),
    ]
}

// ---------------------------------------------------------------------------
// Helpers

/// Starts the server on a fresh loopback address.
fn start(t: &mut Ctx) -> Result<Server, Failure> {
    let addr = t.addr();
    t.start_server(&[addr.to_string()], addr)
}

/// Connects a client that waits [`ECHO_WAIT`] for each echo.
fn client(t: &Ctx, server: &Server) -> Result<Session, Failure> {
    let mut s = t.connect(server).map_err(|f| or_server_exit(server, f))?;
    s.set_read_timeout(ECHO_WAIT);
    Ok(s)
}

/// Sends `line` and expects it back.
fn exchange(s: &mut Session, line: &[u8], what: &str) -> TestResult {
    s.send(line)
        .and_then(|()| s.expect_bytes(line, what))
        // A reset or a close says nothing of which exchange it was.
        .map_err(|f| {
            if f.property.contains(what) {
                f
            } else {
                f.context(what)
            }
        })
}

/// Whether a failure came from waiting in vain for bytes (`expect_bytes`
/// reports it as an incomplete reply).
fn waited_in_vain(f: &Failure) -> bool {
    f.cause == Cause::Timeout || f.property.ends_with("then nothing more arrived")
}

/// Adds `note` to a failure that came from waiting in vain.
fn on_timeout(note: &str) -> impl Fn(Failure) -> Failure + '_ {
    move |f| {
        if waited_in_vain(&f) {
            f.note(note)
        } else {
            f
        }
    }
}

/// Expects nothing to arrive for [`SILENCE`]; `property` says what it means
/// if something does.
fn expect_silence(s: &mut Session, property: &str) -> TestResult {
    s.set_read_timeout(SILENCE);
    let result = s.recv_exact(1);
    s.set_read_timeout(ECHO_WAIT);
    match result {
        Err(f) if waited_in_vain(&f) => Ok(()),
        Err(f) => Err(f),
        Ok(_) => Err(s.fail(property).note(
            "a line echo server sends a line back once its `\\n` has arrived: keep the bytes \
             after the last `\\n` in the client's buffer until the rest of the line comes",
        )),
    }
}

/// `f`, or the server's exit if it has exited: a server that dies closes
/// its clients' connections a moment before it can be seen as exited, so a
/// client may see a reset first.
fn or_server_exit(server: &Server, f: Failure) -> Failure {
    if matches!(f.cause, Cause::ServerExited | Cause::Panic | Cause::Signal) {
        return f;
    }
    for _ in 0..10 {
        if let Err(mut exited) = server.expect_running() {
            // Its transcript, without a second way to start the server.
            exited.details.extend(f.details.into_iter().filter(
                |d| !matches!(d, Detail::Command { label, .. } if label == "start your server"),
            ));
            return exited;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    f
}

/// A line of random words, with its `\n`.
fn random_line(rng: &mut Rng, who: &str) -> Vec<u8> {
    let words: Vec<String> = (0..rng.range(1, 5))
        .map(|_| {
            let len = rng.range(2, 9) as usize;
            rng.word(len)
        })
        .collect();
    format!("{who}: {}\n", words.join(" ")).into_bytes()
}

/// The `Threads:` count of `/proc/<pid>/status`.
fn thread_count(server: &Server) -> Result<usize, Failure> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid()));
    let status = match status {
        Ok(s) => s,
        Err(e) => {
            server.expect_running()?;
            return Err(Failure::grader(format!("reading the server's status: {e}")));
        }
    };
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| Failure::grader("no `Threads:` line in /proc/PID/status"))
}

/// Fails unless the server runs one thread.
fn expect_one_thread(server: &Server, situation: &str) -> TestResult {
    let n = thread_count(server)?;
    if n == 1 {
        return Ok(());
    }
    Err(Failure::mismatch(format!(
        "the server runs {n} threads {situation}; it must serve every client from one thread"
    ))
    .with(Detail::Command {
        label: "start your server".into(),
        command: server.invocation().to_string(),
    })
    .note(format!(
        "counted in /proc/{}/status (`grep Threads /proc/$(pgrep poll_echo)/status`)",
        server.pid()
    ))
    .note(
        "no thread per client, no thread pool: one `Poll` tells the one thread which sockets \
         are ready, and it serves them in turn",
    ))
}

/// The share of the idle stretch a server may spend wanting a core
/// (running, or runnable and waiting for one) before it counts as a loop
/// that never sleeps: on a machine so loaded that such a loop gets little
/// CPU time, it still waits for a core all along, while a server asleep in
/// `poll` neither runs nor waits.
const BUSY_SHARE: f64 = 0.9;

/// The time the server's threads have spent running and waiting for a
/// core (`/proc/PID/task/*/schedstat`), if the kernel keeps it.
fn wanted_cpu(server: &Server) -> Option<Duration> {
    let tasks = std::fs::read_dir(format!("/proc/{}/task", server.pid())).ok()?;
    let mut total = 0u64;
    for task in tasks.flatten() {
        let text = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
        let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().ok());
        let (Some(Some(running)), Some(Some(waiting))) = (fields.next(), fields.next()) else {
            return None;
        };
        total += running + waiting;
    }
    Some(Duration::from_nanos(total))
}

/// CPU time (user and system) the process has used so far.
fn cpu_time(server: &Server) -> Result<Duration, Failure> {
    let stat = match std::fs::read_to_string(format!("/proc/{}/stat", server.pid())) {
        Ok(s) => s,
        Err(e) => {
            server.expect_running()?;
            return Err(Failure::grader(format!(
                "reading the server's CPU time: {e}"
            )));
        }
    };
    // `pid (comm) state ppid ...`: comm may hold spaces, so count the
    // fields after its `)`; utime and stime are fields 14 and 15.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    let (Some(utime), Some(stime)) = (ticks(11), ticks(12)) else {
        return Err(Failure::grader("unexpected format of /proc/PID/stat"));
    };
    // SAFETY: sysconf only reads a system constant.
    let per_sec = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let per_sec = if per_sec > 0 { per_sec as u64 } else { 100 };
    Ok(Duration::from_millis((utime + stime) * 1000 / per_sec))
}

// ---------------------------------------------------------------------------
// The tests: one client

fn echoes_lines(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = client(t, &server)?;
    exchange(&mut s, b"hello\n", "echo of `hello\\n`")?;
    exchange(
        &mut s,
        b"one\ntwo\nthree\n",
        "echo of three lines sent in one write",
    )?;
    exchange(&mut s, "你好，世界\n".as_bytes(), "echo of a UTF-8 line")?;
    exchange(&mut s, b"\n", "echo of an empty line")?;
    for piece in [&b"a line "[..], b"sent in ", b"three pieces\n"] {
        s.send(piece)?;
        std::thread::sleep(PIECE_PAUSE);
    }
    s.expect_bytes(
        b"a line sent in three pieces\n",
        "echo of a line sent in three pieces",
    )?;
    s.send(b"first\nsecond\nthi")?;
    s.expect_bytes(
        b"first\nsecond\n",
        "echo of two lines sent with the start of a third",
    )?;
    s.send(b"rd\n")?;
    s.expect_bytes(b"third\n", "echo of the third line, completed")
}

fn waits_for_end_of_line(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = client(t, &server)?;
    s.send(b"abc")?;
    expect_silence(
        &mut s,
        "the server echoed the start of a line before its `\\n` arrived",
    )?;
    s.send(b"def\n")?;
    s.expect_bytes(b"abcdef\n", "echo of a line sent as `abc`, then `def\\n`")?;
    s.send(b"first\nsec")?;
    s.expect_bytes(
        b"first\n",
        "echo of `first\\n`, sent with the start of the next line",
    )?;
    expect_silence(
        &mut s,
        "the server echoed the start of a line (sent after a whole one) before its `\\n` arrived",
    )?;
    s.send(b"ond\n")?;
    s.expect_bytes(b"second\n", "echo of `second\\n`, completed")
}

fn end_of_stream(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = client(t, &server)?;
    exchange(&mut s, b"zero\n", "echo of `zero\\n`")?;
    {
        // The lines and the end of the stream reach the socket together,
        // while the server is paused: one readiness event brings both, so
        // a server that reads once per event never sees the end.
        let _paused = Paused::new(&server)?;
        s.send(b"one\ntwo\nthr")?;
        s.shutdown_write()?;
    }
    s.expect_bytes(
        b"one\ntwo\n",
        "echo of the whole lines sent before the end of the stream",
    )?;
    s.expect_closed()
        .context("after the client ended its stream in the middle of a line")
        .map_err(|f| {
            f.note(
                "when `read` returns 0 the client sends nothing more: send the echoes it is \
                 still owed, drop its unfinished last line, and close the connection \
                 (drop the stream); the end of the stream may come in the same readiness event \
                 as the last bytes, so read until `WouldBlock` or 0",
            )
        })?;
    // The server serves the next client as usual.
    let mut next = client(t, &server)?;
    exchange(&mut next, b"next\n", "echo of `next\\n`").context("a client after that one")
}

// ---------------------------------------------------------------------------
// The tests: many clients, one thread

fn stalled_client(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut a = client(t, &server)?;
    // Half a line, then client A waits.
    a.send(b"abc")?;
    std::thread::sleep(PIECE_PAUSE);
    let situation = "while client A waits in the middle of a line";
    let addr = server.addr();
    let client_a = Detail::Command {
        label: "client A, in another terminal".into(),
        command: format!(
            "(printf 'abc'; sleep 60) | nc {} {}",
            addr.ip(),
            addr.port()
        ),
    };
    let blocked = |f: Failure| {
        if waited_in_vain(&f) {
            f.with(client_a.clone()).note(BLOCKED_NOTE)
        } else {
            f
        }
    };
    let mut b = client(t, &server)?;
    exchange(&mut b, b"hello from B\n", "echo of client B's line")
        .context(situation)
        .map_err(blocked)?;
    let mut c = client(t, &server)?;
    exchange(&mut c, b"hello from C\n", "echo of client C's line")
        .context(situation)
        .map_err(blocked)?;
    exchange(&mut b, b"B again\n", "echo of client B's second line")
        .context(situation)
        .map_err(blocked)?;
    a.send(b"def\n")?;
    a.expect_bytes(
        b"abcdef\n",
        "echo of client A's line (`abc`, then `def\\n` after B and C were served)",
    )
}

/// The server stopped (SIGSTOP) until this is dropped (SIGCONT). What
/// clients do meanwhile (connect, send) waits in the kernel, so that the
/// resumed server finds all of it behind one readiness event, however fast
/// or loaded the machine: a server that accepts or reads only once per
/// event (mio is edge-triggered) is then caught every time, not only when
/// it happens to fall behind.
struct Paused {
    pgid: i32,
}

impl Paused {
    fn new(server: &Server) -> Result<Paused, Failure> {
        server.expect_running()?;
        let pgid = server.pid();
        nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(pgid),
            nix::sys::signal::Signal::SIGSTOP,
        )
        .map_err(|e| Failure::grader(format!("pausing the server (SIGSTOP): {e}")))?;
        let paused = Paused { pgid };
        // The signal is delivered at once, but make sure the process is
        // stopped (state `T`) before anything is sent to it.
        let until = std::time::Instant::now() + PAUSE_WAIT;
        loop {
            match process_state(pgid) {
                Some('T') | Some('t') => return Ok(paused),
                // No process table (not Linux): a moment is enough.
                None => {
                    std::thread::sleep(Duration::from_millis(100));
                    return Ok(paused);
                }
                Some(_) => {}
            }
            if std::time::Instant::now() >= until {
                return Err(Failure::grader("the server did not stop on SIGSTOP"));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Paused {
    fn drop(&mut self) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(self.pgid),
            nix::sys::signal::Signal::SIGCONT,
        );
    }
}

/// The state letter of `/proc/<pid>/stat` (`R`, `S`, `T`, ...).
fn process_state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .next()?
        .chars()
        .next()
}

/// Lines of random words, about `size` bytes in all.
fn many_lines(rng: &mut Rng, who: &str, size: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(size + 64);
    while bytes.len() < size {
        bytes.extend_from_slice(&random_line(rng, who));
    }
    bytes
}

fn many_clients(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut clients = Vec::with_capacity(MANY);
    let note = "connections and bytes that arrived together are reported by one readiness \
                event (mio is edge-triggered): after an event, `accept` until `WouldBlock`, \
                and `read` until `WouldBlock`";
    // The clients connect in small batches, each while the server is
    // paused: the server, resumed, finds a batch waiting in its listen
    // queue, behind one event. Each client of the batch then says hello,
    // which also makes sure the batch was accepted before the next one
    // comes (a paused server accepts nothing, and its queue is short).
    while clients.len() < MANY {
        let batch = clients.len();
        let paused = Paused::new(&server)?;
        for _ in 0..CONNECT_BATCH.min(MANY - clients.len()) {
            let i = clients.len();
            let s = client(t, &server)
                .context(format!(
                    "connecting client {} of {MANY}, the others staying connected",
                    i + 1
                ))
                .map_err(|f| {
                    f.note(
                        "the clients connect one after another and stay connected: a server \
                         that does not go back to `accept` (it is serving one client) leaves \
                         them in the listen queue until it is full",
                    )
                })?;
            clients.push(s);
        }
        drop(paused);
        for (i, s) in clients.iter_mut().enumerate().skip(batch) {
            let line = format!("client {} connected\n", i + 1);
            exchange(s, line.as_bytes(), "echo of a first line")
                .context(format!(
                    "client {} of {MANY}, one of {CONNECT_BATCH} that connected while the server \
                     was paused (SIGSTOP), then resumed",
                    i + 1
                ))
                .map_err(on_timeout(note))
                .map_err(on_timeout(BLOCKED_NOTE))?;
        }
    }
    // The first client's line comes after 96 KiB of others: more than one
    // `read` of any reasonable buffer.
    let mut lines: Vec<Vec<u8>> = (0..MANY)
        .map(|i| random_line(&mut rng, &format!("client {}", i + 1)))
        .collect();
    let mut first = many_lines(&mut rng, "client 1", 96 << 10);
    first.extend_from_slice(&lines[0]);
    lines[0] = first;
    // Every client sends while the server is paused, then every client
    // reads.
    {
        let _paused = Paused::new(&server)?;
        for (s, line) in clients.iter_mut().zip(&lines) {
            s.send(line)?;
        }
    }
    for (i, (s, line)) in clients.iter_mut().zip(&lines).enumerate() {
        s.expect_bytes(line, "echo")
            .context(format!(
                "client {} of {MANY}, all connected at once, every line sent while the server \
                 was paused (SIGSTOP) and then resumed",
                i + 1
            ))
            .map_err(on_timeout(note))
            .map_err(on_timeout(BLOCKED_NOTE))?;
    }
    // A second line from each, in another order, one client at a time.
    let mut order: Vec<usize> = (0..MANY).collect();
    rng.shuffle(&mut order);
    for i in order {
        let line = random_line(&mut rng, &format!("client {} again", i + 1));
        exchange(&mut clients[i], &line, "echo of a second line")
            .context(format!("client {} of {MANY}, all connected at once", i + 1))
            .map_err(on_timeout(note))
            .map_err(on_timeout(BLOCKED_NOTE))?;
    }
    server.expect_running()
}

fn one_thread(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut clients = Vec::with_capacity(THREAD_CLIENTS);
    for i in 0..THREAD_CLIENTS {
        let mut s = client(t, &server)?;
        let line = format!("client {} says hello\n", i + 1);
        exchange(&mut s, line.as_bytes(), "echo")
            .context(format!(
                "client {} of {THREAD_CLIENTS}, the earlier ones staying connected",
                i + 1
            ))
            .map_err(on_timeout(BLOCKED_NOTE))?;
        clients.push(s);
    }
    expect_one_thread(
        &server,
        &format!("while {THREAD_CLIENTS} clients are connected"),
    )?;
    for (i, s) in clients.iter_mut().enumerate().rev() {
        let line = format!("client {} says goodbye\n", i + 1);
        exchange(s, line.as_bytes(), "echo of a second line")
            .context(format!("client {} of {THREAD_CLIENTS}", i + 1))?;
    }
    expect_one_thread(&server, "after every client sent a second line")
}

fn bad_arguments(t: &mut Ctx) -> TestResult {
    t.command::<&str>(&[]).expect_refusal("no arguments")?;
    t.command(&["not-an-address".to_string()])
        .expect_refusal("ADDR `not-an-address`")?;
    // An address a listener of the suite's already holds.
    let addr = t.addr();
    let _taken = TcpListener::bind(addr)
        .map_err(|e| Failure::grader(format!("listening on {addr}: {e}")))?;
    t.command(&[addr.to_string()])
        .expect_refusal("an ADDR where another program already listens")
}

fn clients_leave_mid_line(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    // Clients that stay, each followed by two that will leave, so that the
    // leavers' places lie between those of clients still connected.
    let mut stayers = Vec::new();
    let mut leavers = Vec::new();
    for i in 0..4 {
        let mut s = client(t, &server)?;
        let line = random_line(&mut rng, &format!("stayer {}", i + 1));
        exchange(&mut s, &line, "echo").context("a client connected with others")?;
        stayers.push(s);
        for _ in 0..2 {
            let mut l = client(t, &server)?;
            let line = random_line(&mut rng, "leaver");
            exchange(&mut l, &line, "echo").context("a client connected with others")?;
            leavers.push(l);
        }
    }
    // One client is in the middle of a line while the others leave.
    stayers[1].send(b"a line begun before ")?;
    for (k, mut l) in leavers.into_iter().enumerate() {
        match k % 3 {
            // Half a line, then the connection closed.
            0 => l.send(b"half a li")?,
            // Half a line, then the sending side shut down, then closed.
            1 => {
                l.send(b"half a line, then the end of the stream")?;
                l.shutdown_write()?;
            }
            // A whole line and half of one, then closed with the echo
            // unread: the kernel resets the connection.
            _ => {
                l.send(b"a whole line\nand half of ano")?;
                wait_for_echo(&l)?;
            }
        }
        drop(l);
    }
    std::thread::sleep(PIECE_PAUSE);
    server
        .expect_running()
        .context("after clients left in the middle of a line")?;
    let note = "a client that stayed got no echo after others left: when a client leaves \
                (`read` returns 0 or an error), remove exactly its own entry, and never give a \
                new client a token another client still holds (a token taken from \
                `clients.len()` can be one)";
    // Once this echo is back, the server has seen the others leave.
    let line = random_line(&mut rng, "stayer 1");
    exchange(&mut stayers[0], &line, "echo")
        .map_err(|f| or_server_exit(&server, f))
        .context("a client that stayed connected, right after others left mid-line")
        .map_err(|f| f.note(note))?;
    let mut newcomers = Vec::new();
    for i in 0..4 {
        let mut n = client(t, &server)?;
        let line = random_line(&mut rng, &format!("newcomer {}", i + 1));
        exchange(&mut n, &line, "echo")
            .context("a client that connected after others left mid-line")?;
        newcomers.push(n);
    }
    stayers[1].send(b"the others left\n")?;
    stayers[1]
        .expect_bytes(
            b"a line begun before the others left\n",
            "echo of a line begun before other clients left and completed after",
        )
        .map_err(|f| f.note(note))?;
    for (i, s) in stayers.iter_mut().enumerate() {
        let line = random_line(&mut rng, &format!("stayer {} again", i + 1));
        exchange(s, &line, "echo")
            .context("a client that stayed connected while others left mid-line")
            .map_err(|f| f.note(note))?;
    }
    for n in newcomers.iter_mut() {
        let line = random_line(&mut rng, "newcomer again");
        exchange(n, &line, "echo").context("a client that connected after others left")?;
    }
    server.expect_running()
}

/// Waits until the echo of what `s` sent has arrived (without reading it).
fn wait_for_echo(s: &Session) -> TestResult {
    let stream = s
        .tcp_stream()
        .ok_or_else(|| Failure::grader("a TCP session has a TCP stream"))?;
    stream
        .set_read_timeout(Some(ECHO_WAIT))
        .map_err(Failure::grader)?;
    let mut byte = [0u8; 1];
    match stream.peek(&mut byte) {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            Err(s.fail(format!(
                "a client that sent a whole line and half of another got no echo within {}",
                messages::secs(ECHO_WAIT)
            )))
        }
        Err(e) => Err(s.fail(format!(
            "a client that sent a whole line and half of another got no echo ({e})"
        ))),
    }
}

fn burst_without_reading(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut burst = Vec::with_capacity(BURST + 128);
    let mut i = 0;
    while burst.len() < BURST {
        i += 1;
        let len = rng.range(0, 100) as usize;
        burst.extend_from_slice(format!("{i} {}\n", rng.word(len)).as_bytes());
    }
    let mut s = client(t, &server)?;
    let size = messages::size(burst.len() as u64);
    let keep_note = "keep the echoes a client does not read yet in its own buffer: a write to a \
                     non-blocking socket may take part of the bytes, or none (`WouldBlock`); \
                     write the rest when `poll` says the socket is writable, and keep reading \
                     meanwhile";
    {
        // Sent straight on the socket (not recorded: several MiB), giving
        // up when nothing can be sent for a long time.
        let stream = s
            .tcp_stream()
            .ok_or_else(|| Failure::grader("a TCP session has a TCP stream"))?;
        stream
            .set_write_timeout(Some(STALL))
            .map_err(Failure::grader)?;
        if let Err(e) = (&*stream).write_all(&burst) {
            server.expect_running()?;
            let why = match e.kind() {
                ErrorKind::WouldBlock | ErrorKind::TimedOut => {
                    format!("nothing more could be sent for {}", messages::secs(STALL))
                }
                _ => e.to_string(),
            };
            return Err(s
                .fail(format!(
                    "a client sent {size} of lines without reading its echoes, and the server \
                     stopped reading from it ({why})"
                ))
                .note(keep_note));
        }
    }
    s.shutdown_write()?;
    let what = format!("echo of {size} of lines sent in one write, read only afterwards");
    let got = match s.recv_exact(burst.len()) {
        Ok(got) => got,
        Err(f) if matches!(f.cause, Cause::Mismatch | Cause::Timeout) => {
            let got = s.pending().to_vec();
            return Err(s
                .fail(format!(
                    "incomplete {what}: {} of {size} came back, then {}",
                    messages::size(got.len() as u64),
                    if f.cause == Cause::Timeout {
                        "nothing more"
                    } else {
                        "the server closed the connection"
                    }
                ))
                .with_opt(compare::bytes(&what, &burst, &got))
                .note(keep_note));
        }
        Err(f) => return Err(f),
    };
    if let Some(diff) = compare::bytes(&what, &burst, &got) {
        return Err(s.fail(format!("wrong {what}")).with(diff).note(keep_note));
    }
    s.expect_closed()
        .context("after all echoes, the client having ended its stream")
}

fn long_and_binary_lines(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut s = client(t, &server)?;
    let mut long = rng.word(200_000).into_bytes();
    long.push(b'\n');
    exchange(&mut s, &long, "echo of a 200 KB line sent in one write")?;
    let mut binary: Vec<u8> = (0u8..=255).filter(|&b| b != b'\n').collect();
    rng.shuffle(&mut binary);
    binary.push(b'\n');
    exchange(
        &mut s,
        &binary,
        "echo of a line holding every byte value but `\\n`",
    )?;
    exchange(
        &mut s,
        b"a line ending in \\r\\n\r\n",
        "echo of a line ending in `\\r\\n` (the `\\r` is part of the line)",
    )?;
    s.send(b"\0zero bytes\0 and \xff\xfe invalid UTF-8")?;
    std::thread::sleep(PIECE_PAUSE);
    s.send(b"\n")?;
    s.expect_bytes(
        b"\0zero bytes\0 and \xff\xfe invalid UTF-8\n",
        "echo of a binary line whose `\\n` came in a write of its own",
    )?;
    // Many short lines, one write each, sent before reading any echo.
    let lines: Vec<Vec<u8>> = (0..100)
        .map(|i| random_line(&mut rng, &format!("short {i}")))
        .collect();
    for line in &lines {
        s.send(line)?;
    }
    s.expect_bytes(
        &lines.concat(),
        "echo of 100 short lines sent one write each",
    )
}

fn sleeps_when_idle(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut s = client(t, &server)?;
    let line = random_line(&mut rng, "before");
    exchange(&mut s, &line, "echo").context("before the idle stretch")?;
    // Let the server settle, then measure a stretch where nobody sends.
    std::thread::sleep(PIECE_PAUSE);
    let before = cpu_time(&server)?;
    let wanted_before = wanted_cpu(&server);
    let window_start = std::time::Instant::now();
    std::thread::sleep(IDLE_WINDOW);
    let used = cpu_time(&server)?.saturating_sub(before);
    let window = window_start.elapsed();
    let wanted = wanted_cpu(&server)
        .zip(wanted_before)
        .map(|(after, before)| after.saturating_sub(before));
    let busy = wanted.filter(|w| w.as_secs_f64() > BUSY_SHARE * window.as_secs_f64());
    let problem = if let Some(wanted) = busy {
        Some(format!(
            "the server wanted a core for {:.2} s of the {:.2} s while its one client sent \
             nothing (running {:.2} s, the rest ready to run and waiting for a core): it \
             never slept",
            wanted.as_secs_f64(),
            window.as_secs_f64(),
            used.as_secs_f64()
        ))
    } else {
        (used > IDLE_CPU_LIMIT).then(|| {
            format!(
                "the server used {:.2} s of CPU time in {} while its one client sent nothing \
                 (at most {:.2} s allowed)",
                used.as_secs_f64(),
                messages::secs(IDLE_WINDOW),
                IDLE_CPU_LIMIT.as_secs_f64()
            )
        })
    };
    if let Some(problem) = problem {
        return Err(Failure::mismatch(problem)
            .with(Detail::Command {
                label: "start your server".into(),
                command: server.invocation().to_string(),
            })
            .note(
                "a loop that tries `accept` and `read` on non-blocking sockets over and over \
                 keeps a core busy: wait in `poll` (with no timeout) until some socket is ready",
            ));
    }
    let line = random_line(&mut rng, "after");
    exchange(&mut s, &line, "echo").context("after the idle stretch")
}
