//! Suite of `poll_echo ADDR`: a line echo server that serves every client
//! from one thread with readiness-based IO (poll, epoll, mio).
//!
//! A line comes back once its `\n` has arrived, never before. The tests hold
//! many connections open at once, stall a client in the middle of a line,
//! make clients leave mid-line (closing or resetting), send a burst of
//! several MiB without reading the echoes (and reset after their end of
//! stream), read the server's thread count, open descriptors and CPU time
//! from `/proc`, and lower its open-file limit while it runs.
use std::time::Duration;

use crate::harness::{
    say, Cause, Ctx, Detail, Failure, Heard, ResultExt, Rng, Server, Session, TestDef, TestResult,
};
use crate::messages;
use crate::model::Sentence;
use crate::text::Phrase;

mod hidden;

/// How long a client waits for an echo (each read, with no byte arriving):
/// a correct server echoes within milliseconds, so this is generous on a
/// loaded machine, and only a server that never answers (it is waiting on
/// another client, or spinning on one) misses it. Every failing test of
/// such a server waits this out, with the server spinning meanwhile.
const ECHO_WAIT: Duration = Duration::from_secs(5);

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

/// What to do when one client waits in vain while others are connected.
fn blocked_note() -> Phrase {
    say("poll-blocked-note")
}

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
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
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// Helpers

/// Starts the server on a fresh loopback address.
fn start(t: &mut Ctx) -> Result<Server, Failure> {
    let addr = t.addr();
    t.start_server(&[addr.to_string()], addr)
}

/// Whether a failure came from waiting in vain for bytes (`expect_bytes`
/// reports it as an incomplete reply).
fn waited_in_vain(f: &Failure) -> bool {
    f.cause == Cause::Timeout || f.property.ends_with("then nothing more arrived")
}

/// Adds `note` to a failure that came from waiting in vain.
fn on_timeout(note: Phrase) -> impl Fn(Failure) -> Failure {
    move |f| {
        if waited_in_vain(&f) {
            f.say(note.clone())
        } else {
            f
        }
    }
}

/// Expects nothing to arrive for [`SILENCE`]; `property` says what it means
/// if something does.
fn expect_silence(s: &mut Session, property: Phrase) -> TestResult {
    match s.wait_silent(SILENCE)? {
        Heard::Nothing => Ok(()),
        Heard::Closed => Err(s.fail(messages::closed_early())),
        Heard::Bytes => Err(s.fail(property).say(say("poll-silence-note"))),
    }
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
fn expect_one_thread(server: &Server, situation: Phrase) -> TestResult {
    let n = thread_count(server)?;
    if n == 1 {
        return Ok(());
    }
    Err(Failure::mismatch(Sentence::template(
        "poll-runs-threads",
        vec![
            ("n", Sentence::plain(n.to_string())),
            ("situation", situation.into()),
        ],
    ))
    .with(Detail::Command {
        label: "start your server".into(),
        command: server.invocation().clone(),
    })
    .say(say("poll-threads-counted").arg("pid", server.pid()))
    .say(say("poll-one-thread-note")))
}

// ---------------------------------------------------------------------------
// The tests: one client

fn echoes_lines(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    s.echo(b"hello\n", say("poll-echo-hello"))?;
    s.echo(b"one\ntwo\nthree\n", say("poll-echo-three-lines"))?;
    s.echo("你好，世界\n".as_bytes(), say("poll-echo-utf8"))?;
    s.echo(b"\n", say("poll-echo-empty"))?;
    for piece in [&b"a line "[..], b"sent in ", b"three pieces\n"] {
        s.send(piece)?;
        std::thread::sleep(PIECE_PAUSE);
    }
    s.expect_bytes(b"a line sent in three pieces\n", say("poll-echo-in-pieces"))?;
    s.send(b"first\nsecond\nthi")?;
    s.expect_bytes(b"first\nsecond\n", say("poll-echo-two-of-three"))?;
    s.send(b"rd\n")?;
    s.expect_bytes(b"third\n", say("poll-echo-third-completed"))
}

fn waits_for_end_of_line(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    s.send(b"abc")?;
    expect_silence(&mut s, say("poll-echoed-early"))?;
    s.send(b"def\n")?;
    s.expect_bytes(b"abcdef\n", say("poll-echo-abc-def"))?;
    s.send(b"first\nsec")?;
    s.expect_bytes(b"first\n", say("poll-echo-first-with-next"))?;
    expect_silence(&mut s, say("poll-echoed-early-after-whole"))?;
    s.send(b"ond\n")?;
    s.expect_bytes(b"second\n", say("poll-echo-second-completed"))
}

fn end_of_stream(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    s.echo(b"zero\n", say("poll-echo-zero"))?;
    {
        // The lines and the end of the stream reach the socket together,
        // while the server is paused: one readiness event brings both, so
        // a server that reads once per event never sees the end.
        let _paused = Paused::new(&server)?;
        s.send(b"one\ntwo\nthr")?;
        s.shutdown_write()?;
    }
    s.expect_bytes(b"one\ntwo\n", say("poll-echo-whole-before-end"))?;
    s.expect_closed()
        .context(say("poll-after-end-mid-line"))
        .map_err(|f| f.say(say("poll-end-note")))?;
    // The server serves the next client as usual.
    let mut next = t.connect_waiting(&server, ECHO_WAIT)?;
    next.echo(b"next\n", say("poll-echo-next"))
        .context(say("poll-after-that-one"))
}

// ---------------------------------------------------------------------------
// The tests: many clients, one thread

fn stalled_client(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut a = t.connect_waiting(&server, ECHO_WAIT)?;
    // Half a line, then client A waits.
    a.send(b"abc")?;
    std::thread::sleep(PIECE_PAUSE);
    let situation = || say("poll-while-a-waits");
    let addr = server.addr();
    let client_a = Detail::Command {
        label: say("poll-client-a-label").into(),
        command: format!(
            "(printf 'abc'; sleep 60) | nc {} {}",
            addr.ip(),
            addr.port()
        )
        .into(),
    };
    let blocked = |f: Failure| {
        if waited_in_vain(&f) {
            f.with(client_a.clone()).say(blocked_note())
        } else {
            f
        }
    };
    let mut b = t.connect_waiting(&server, ECHO_WAIT)?;
    b.echo(b"hello from B\n", say("poll-echo-b"))
        .context(situation())
        .map_err(blocked)?;
    let mut c = t.connect_waiting(&server, ECHO_WAIT)?;
    c.echo(b"hello from C\n", say("poll-echo-c"))
        .context(situation())
        .map_err(blocked)?;
    b.echo(b"B again\n", say("poll-echo-b-again"))
        .context(situation())
        .map_err(blocked)?;
    a.send(b"def\n")?;
    a.expect_bytes(b"abcdef\n", say("poll-echo-a"))
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
    let note = || say("poll-burst-note");
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
            let s = t
                .connect_waiting(&server, ECHO_WAIT)
                .context(
                    say("poll-connecting-client")
                        .arg("i", i + 1)
                        .arg("count", MANY),
                )
                .map_err(|f| f.say(say("poll-queue-note")))?;
            clients.push(s);
        }
        drop(paused);
        for (i, s) in clients.iter_mut().enumerate().skip(batch) {
            let line = format!("client {} connected\n", i + 1);
            s.echo(line.as_bytes(), say("poll-echo-first-line"))
                .context(
                    say("poll-paused-batch")
                        .arg("i", i + 1)
                        .arg("count", MANY)
                        .arg("batch", CONNECT_BATCH),
                )
                .map_err(on_timeout(note()))
                .map_err(on_timeout(blocked_note()))?;
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
        s.expect_bytes(line, say("poll-echo"))
            .context(say("poll-paused-lines").arg("i", i + 1).arg("count", MANY))
            .map_err(on_timeout(note()))
            .map_err(on_timeout(blocked_note()))?;
    }
    // A second line from each, in another order, one client at a time.
    let mut order: Vec<usize> = (0..MANY).collect();
    rng.shuffle(&mut order);
    for i in order {
        let line = random_line(&mut rng, &format!("client {} again", i + 1));
        clients[i]
            .echo(&line, say("poll-echo-second-line"))
            .context(say("poll-all-connected").arg("i", i + 1).arg("count", MANY))
            .map_err(on_timeout(note()))
            .map_err(on_timeout(blocked_note()))?;
    }
    server.expect_running()
}

fn one_thread(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut clients = Vec::with_capacity(THREAD_CLIENTS);
    for i in 0..THREAD_CLIENTS {
        let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
        let line = format!("client {} says hello\n", i + 1);
        s.echo(line.as_bytes(), say("poll-echo"))
            .context(
                say("poll-earlier-connected")
                    .arg("i", i + 1)
                    .arg("count", THREAD_CLIENTS),
            )
            .map_err(on_timeout(blocked_note()))?;
        clients.push(s);
    }
    expect_one_thread(
        &server,
        say("poll-while-connected").arg("count", THREAD_CLIENTS),
    )?;
    for (i, s) in clients.iter_mut().enumerate().rev() {
        let line = format!("client {} says goodbye\n", i + 1);
        s.echo(line.as_bytes(), say("poll-echo-second-line"))
            .context(
                say("poll-client-of")
                    .arg("i", i + 1)
                    .arg("count", THREAD_CLIENTS),
            )?;
    }
    expect_one_thread(&server, say("poll-after-second-line"))
}

fn bad_arguments(t: &mut Ctx) -> TestResult {
    let held = t.held_tcp_addr()?;
    t.expect_addr_refusals(&held, &[])
}
