//! The hidden tests of `poll_echo`: left out of the repository students clone.
use super::*;
use crate::harness::descriptors::{limit_open_files, open_descriptors};
use crate::harness::{
    compare, Cause, Ctx, Detail, Failure, Label, ResultExt, Rng, Server, Session, TestDef,
    TestResult,
};
use crate::text::Arg;
use std::io::{ErrorKind, Write};
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("clients_leave_mid_line", 3, clients_leave_mid_line)
            .clauses(&[8])
            .timeout(Duration::from_secs(60)),
        TestDef::hidden("burst_without_reading", 3, burst_without_reading)
            .clauses(&[4, 7])
            .timeout(Duration::from_secs(60)),
        TestDef::hidden("reset_after_end_of_stream", 2, reset_after_end_of_stream)
            .clauses(&[8])
            .timeout(Duration::from_secs(60))
            .cpu_heavy(),
        TestDef::hidden("releases_clients_that_left", 3, releases_clients_that_left)
            .clauses(&[10])
            .timeout(Duration::from_secs(60))
            .linux_only()
            .cpu_heavy(),
        TestDef::hidden("out_of_descriptors", 2, out_of_descriptors)
            .clauses(&[11])
            .timeout(Duration::from_secs(40))
            .linux_only(),
        TestDef::hidden("long_and_binary_lines", 2, long_and_binary_lines)
            .clauses(&[2])
            .timeout(Duration::from_secs(30)),
        TestDef::hidden("sleeps_when_idle", 2, sleeps_when_idle)
            .clauses(&[9])
            .timeout(Duration::from_secs(40))
            .linux_only(),
    ]
}

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

/// Bytes of lines a client that leaves with its echoes unread sends: as in
/// `burst_without_reading`, more than the kernel buffers of both sockets
/// hold (its own receive buffer made small besides), so echoes still wait
/// in the server when it leaves.
const UNREAD: usize = BURST;

/// The receive buffer a client that leaves with its echoes unread asks for:
/// small enough that the server's send buffer (4 MiB at most) and it hold
/// far less than its burst.
const SMALL_RCVBUF: libc::c_int = 256 * 1024;

/// How long a client leaving with its echoes unread goes on sending to a
/// server that stopped reading (or waits for it to take what was sent)
/// before it leaves all the same.
const LEAVE_STALL: Duration = Duration::from_secs(3);

/// Clients that leave in the middle of a line in `releases_clients_that_left`.
const LEAVERS: usize = 30;

/// Clients that leave there with their echoes unread: more than
/// [`DESCRIPTOR_SLACK`], so that a server that keeps only these is caught.
const UNREAD_LEAVERS: usize = 5;

/// How long the server may take to close the connections of clients that
/// left; a correct server does it at once, so this only bounds how late a
/// wrong one is caught.
const RELEASE_WAIT: Duration = Duration::from_secs(10);

/// Descriptors a server may hold beyond those it had before clients left
/// (a file it opened meanwhile, a timer): far fewer than the clients.
const DESCRIPTOR_SLACK: usize = 2;

/// Free descriptors the server is left with in `out_of_descriptors`, and
/// the clients that connect then: more than it can accept.
const FREE_DESCRIPTORS: u64 = 3;

const OVER_LIMIT_CLIENTS: usize = 8;

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

fn clients_leave_mid_line(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    // Clients that stay, each followed by two that will leave, so that the
    // leavers' places lie between those of clients still connected.
    let mut stayers = Vec::new();
    let mut leavers = Vec::new();
    for i in 0..4 {
        let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
        let line = random_line(&mut rng, &format!("stayer {}", i + 1));
        s.echo(&line, say("poll-echo"))
            .context(say("poll-connected-with-others"))?;
        stayers.push(s);
        for _ in 0..2 {
            let mut l = t.connect_waiting(&server, ECHO_WAIT)?;
            let line = random_line(&mut rng, "leaver");
            l.echo(&line, say("poll-echo"))
                .context(say("poll-connected-with-others"))?;
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
        .context(say("poll-after-left-mid-line"))?;
    let note = || say("poll-stayer-note");
    // Once this echo is back, the server has seen the others leave.
    let line = random_line(&mut rng, "stayer 1");
    stayers[0]
        .echo(&line, say("poll-echo"))
        .map_err(|f| server.or_exit(f))
        .context(say("poll-stayed-right-after"))
        .map_err(|f| f.say(note()))?;
    let mut newcomers = Vec::new();
    for i in 0..4 {
        let mut n = t.connect_waiting(&server, ECHO_WAIT)?;
        let line = random_line(&mut rng, &format!("newcomer {}", i + 1));
        n.echo(&line, say("poll-echo"))
            .context(say("poll-connected-after-mid-line"))?;
        newcomers.push(n);
    }
    stayers[1].send(b"the others left\n")?;
    stayers[1]
        .expect_bytes(
            b"a line begun before the others left\n",
            say("poll-echo-begun-before-left"),
        )
        .map_err(|f| f.say(note()))?;
    for (i, s) in stayers.iter_mut().enumerate() {
        let line = random_line(&mut rng, &format!("stayer {} again", i + 1));
        s.echo(&line, say("poll-echo"))
            .context(say("poll-stayed-while-left"))
            .map_err(|f| f.say(note()))?;
    }
    for n in newcomers.iter_mut() {
        let line = random_line(&mut rng, "newcomer again");
        n.echo(&line, say("poll-echo"))
            .context(say("poll-connected-after-left"))?;
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
            Err(s.fail(say("poll-no-echo-within").arg("wait", Arg::Seconds(ECHO_WAIT))))
        }
        Err(e) => Err(s.fail(say("poll-no-echo-error").arg("error", e.to_string()))),
    }
}

/// A client that sends [`UNREAD`] bytes of lines without reading a byte of
/// their echoes, ends its stream, waits until the server has received
/// everything, and resets the connection: the server then holds echoes it
/// can never write.
fn leave_with_echoes_unread(t: &Ctx, server: &Server, rng: &mut Rng) -> TestResult {
    let mut s = t.connect_waiting(server, ECHO_WAIT)?;
    let line = random_line(rng, "a client about to leave");
    s.echo(&line, say("poll-echo"))
        .context(say("poll-connected-with-others"))?;
    let stream = s
        .tcp_stream()
        .ok_or_else(|| Failure::grader("a TCP session has a TCP stream"))?;
    small_receive_buffer(stream);
    stream
        .set_write_timeout(Some(LEAVE_STALL))
        .map_err(Failure::grader)?;
    // What it sends is never read back: 64 KiB of random lines, repeated
    // (generating 8 MiB of them for each leaver cost seconds of CPU).
    let block = many_lines(rng, "unread", 64 * 1024);
    let lines = block.repeat(UNREAD.div_ceil(block.len()));
    if (&*stream).write_all(&lines).is_err() {
        // A server that stopped reading (clause 7, `burst_without_reading`
        // asks that) is left the same way, with what it has.
        server.expect_running()?;
        s.reset();
        return Ok(());
    }
    s.shutdown_write()?;
    // Every byte acknowledged, the end of stream too, and a moment for the
    // server to read up to it; a server that stopped reading (the kernel
    // took all the lines, its buffers grown large) is left when nothing
    // more has been acknowledged for as long as a stalled send is given.
    if let Some(stream) = s.tcp_stream() {
        let until = std::time::Instant::now() + ECHO_WAIT;
        let mut waiting = unacknowledged(stream);
        let mut moved = std::time::Instant::now();
        while waiting > 0 {
            let now = std::time::Instant::now();
            if now >= until || now.duration_since(moved) >= LEAVE_STALL {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
            let left = unacknowledged(stream);
            if left < waiting {
                moved = std::time::Instant::now();
            }
            waiting = left;
        }
    }
    std::thread::sleep(PIECE_PAUSE);
    s.reset();
    Ok(())
}

/// Makes the receive buffer of a client's socket small and fixed: Linux
/// grows an ordinary one up to `tcp_rmem`'s maximum (32 MiB on some
/// machines), room for all the echoes of a burst, and the server would then
/// hold none when the client leaves.
fn small_receive_buffer(stream: &std::net::TcpStream) {
    // SAFETY: an open socket, and an int option of its size.
    unsafe {
        libc::setsockopt(
            std::os::fd::AsRawFd::as_raw_fd(stream),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            (&SMALL_RCVBUF as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

/// Bytes a server that keeps reading may leave in its socket's receive
/// queue for a moment.
const UNREAD_SLACK: usize = 256 * 1024;

/// The bytes in the receive queue of the server's socket of the connection
/// from `client` (`/proc/net/tcp`: the server shares the suite's network
/// namespace).
fn receive_queue(
    server: std::net::SocketAddr,
    client: std::net::SocketAddr,
) -> Result<usize, Failure> {
    let hex = |a: std::net::SocketAddr| match a {
        std::net::SocketAddr::V4(v4) => Some(format!(
            "{:08X}:{:04X}",
            u32::from_le_bytes(v4.ip().octets()),
            v4.port()
        )),
        std::net::SocketAddr::V6(_) => None,
    };
    let (Some(local), Some(remote)) = (hex(server), hex(client)) else {
        return Err(Failure::grader("the burst test runs on IPv4 loopback"));
    };
    let table = std::fs::read_to_string("/proc/net/tcp")
        .map_err(|e| Failure::grader(format!("reading /proc/net/tcp: {e}")))?;
    for line in table.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() > 4 && fields[1] == local && fields[2] == remote {
            let rx = fields[4].split(':').nth(1).unwrap_or("0");
            return Ok(usize::from_str_radix(rx, 16).unwrap_or(0));
        }
    }
    // The server closed the connection: nothing of it is queued.
    Ok(0)
}

/// The bytes sent on `stream` that the peer has not acknowledged yet.
fn unacknowledged(stream: &std::net::TcpStream) -> libc::c_int {
    let mut n: libc::c_int = 0;
    // SAFETY: TIOCOUTQ writes one int, to a variable of ours.
    let fd = std::os::fd::AsRawFd::as_raw_fd(stream);
    if unsafe { libc::ioctl(fd, libc::TIOCOUTQ, &mut n) } == 0 {
        n
    } else {
        0
    }
}

fn reset_after_end_of_stream(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut other = t.connect_waiting(&server, ECHO_WAIT)?;
    let line = random_line(&mut rng, "a client that stays");
    other
        .echo(&line, say("poll-echo"))
        .context(say("poll-first-client"))?;
    let note = || say("poll-reset-note");
    for round in 1..=2 {
        leave_with_echoes_unread(t, &server, &mut rng)?;
        let line = random_line(&mut rng, "a client that stays");
        other
            .echo(&line, say("poll-echo"))
            .map_err(|f| server.or_exit(f))
            .context(
                say("poll-after-reset")
                    .arg("round", round)
                    .arg("size", Arg::Bytes(UNREAD as u64)),
            )
            .map_err(|f| f.say(note()))?;
    }
    let mut newcomer = t.connect_waiting(&server, ECHO_WAIT)?;
    let line = random_line(&mut rng, "a newcomer");
    newcomer
        .echo(&line, say("poll-echo"))
        .map_err(|f| server.or_exit(f))
        .context(say("poll-after-two-unread"))
        .map_err(|f| f.say(note()))?;
    server.expect_running()
}

fn releases_clients_that_left(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut first = t.connect_waiting(&server, ECHO_WAIT)?;
    let line = random_line(&mut rng, "a client that stays");
    first
        .echo(&line, say("poll-echo"))
        .context(say("poll-first-client"))?;
    let before = open_descriptors(server.pid())?.len();
    // Half a line, then a reset (the connection fails) or a close.
    for i in 0..LEAVERS {
        let mut l = t.connect_waiting(&server, ECHO_WAIT)?;
        let line = random_line(&mut rng, "a leaver");
        l.echo(&line, say("poll-echo"))
            .context(say("poll-connected-with-others"))?;
        // The half line and the leaving reach the server behind one
        // readiness event, however fast or loaded the machine: a server
        // that reads once per event keeps the client for ever every time.
        let paused = Paused::new(&server)?;
        l.send(b"half a li")?;
        if i % 3 == 2 {
            drop(l);
        } else {
            l.reset();
        }
        drop(paused);
    }
    // Echoes unread, the stream ended, then a reset: the writes fail.
    for _ in 0..UNREAD_LEAVERS {
        leave_with_echoes_unread(t, &server, &mut rng)?;
    }
    let line = random_line(&mut rng, "a client that stays");
    first
        .echo(&line, say("poll-echo"))
        .map_err(|f| server.or_exit(f))
        .context(say("poll-all-along-after-left"))?;
    let left = LEAVERS + UNREAD_LEAVERS;
    let until = std::time::Instant::now() + RELEASE_WAIT;
    loop {
        let now = open_descriptors(server.pid())?.len();
        if now <= before + DESCRIPTOR_SLACK {
            return server.expect_running();
        }
        if std::time::Instant::now() >= until {
            return Err(Failure::mismatch(
                say("poll-descriptors-kept")
                    .arg("left", left)
                    .arg("wait", Arg::Seconds(RELEASE_WAIT))
                    .arg("now", now)
                    .arg("before", before),
            )
            .with(Detail::Command {
                label: "start your server".into(),
                command: server.invocation().clone(),
            })
            .say(say("poll-fd-counted").arg("pid", server.pid()))
            .say(say("poll-release-note")));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn out_of_descriptors(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut first = t.connect_waiting(&server, ECHO_WAIT)?;
    let line = random_line(&mut rng, "the first client");
    first
        .echo(&line, say("poll-echo"))
        .context(say("poll-first-client"))?;
    // A new descriptor takes the lowest free number, and the limit bounds
    // that number: leave the next FREE_DESCRIPTORS numbers, and no more.
    let open = open_descriptors(server.pid())?;
    let lowest_free = (0..).find(|n| !open.contains(n)).unwrap_or(0) as u64;
    let old = limit_open_files(server.pid(), lowest_free + FREE_DESCRIPTORS)?;
    let mut waiting = Vec::new();
    for _ in 0..OVER_LIMIT_CLIENTS {
        // The kernel completes the connection; the server may be unable to
        // accept it.
        waiting.push(t.connect(&server)?);
    }
    std::thread::sleep(PIECE_PAUSE);
    let situation: Sentence = say("poll-over-limit")
        .arg("more", OVER_LIMIT_CLIENTS)
        .arg("free", FREE_DESCRIPTORS)
        .into();
    let note = || say("poll-accept-note");
    let line = random_line(&mut rng, "the first client");
    first
        .echo(&line, say("poll-echo"))
        .map_err(|f| server.or_exit(f))
        .context(Sentence::template(
            "poll-first-client-in",
            vec![("situation", situation.clone())],
        ))
        .map_err(|f| f.say(note()))?;
    server.expect_running().context(situation.clone())?;
    // Descriptors free again: a new client is served.
    limit_open_files(server.pid(), old)?;
    drop(waiting);
    let mut newcomer = t.connect_waiting(&server, ECHO_WAIT)?;
    let line = random_line(&mut rng, "a newcomer");
    newcomer
        .echo(&line, say("poll-echo"))
        .map_err(|f| server.or_exit(f))
        .context(Sentence::template(
            "poll-newcomer-in",
            vec![("situation", situation)],
        ))
        .map_err(|f| f.say(note()))?;
    server.expect_running()
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
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    let size = Arg::Bytes(burst.len() as u64);
    let keep_note = || say("poll-keep-note");
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
            let property = match e.kind() {
                ErrorKind::WouldBlock | ErrorKind::TimedOut => {
                    say("poll-stopped-reading-stall").arg("wait", Arg::Seconds(STALL))
                }
                _ => say("poll-stopped-reading-error").arg("error", e.to_string()),
            };
            return Err(s.fail(property.arg("size", size.clone())).say(keep_note()));
        }
        // All of it may have been taken by the server's kernel rather than
        // by the server (Linux grows a receive buffer up to `tcp_rmem`'s
        // maximum, 32 MiB on some machines): the server has read it when
        // its socket's receive queue empties.
        let local = stream.local_addr().map_err(Failure::grader)?;
        let until = std::time::Instant::now() + STALL;
        loop {
            let queued = receive_queue(server.addr(), local)?;
            if queued < UNREAD_SLACK && unacknowledged(stream) == 0 {
                break;
            }
            if std::time::Instant::now() >= until {
                server.expect_running()?;
                return Err(s
                    .fail(
                        say("poll-stopped-reading-queued")
                            .arg("size", size.clone())
                            .arg("queued", Arg::Bytes(queued as u64))
                            .arg("wait", Arg::Seconds(STALL)),
                    )
                    .say(keep_note()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    s.shutdown_write()?;
    let what = || Label::Phrase(say("poll-burst-echo").arg("size", size.clone()));
    let got = match s.recv_exact(burst.len()) {
        Ok(got) => got,
        Err(f) if matches!(f.cause, Cause::Mismatch | Cause::Timeout) => {
            let got = s.pending().to_vec();
            return Err(s
                .fail(
                    say(if f.cause == Cause::Timeout {
                        "poll-burst-incomplete-silent"
                    } else {
                        "poll-burst-incomplete-closed"
                    })
                    .arg("size", size.clone())
                    .arg("got", Arg::Bytes(got.len() as u64)),
                )
                .with_opt(compare::labelled_bytes(what(), &burst, &got))
                .say(keep_note()));
        }
        Err(f) => return Err(f),
    };
    if let Some(diff) = compare::labelled_bytes(what(), &burst, &got) {
        return Err(s
            .fail(say("poll-burst-wrong").arg("size", size.clone()))
            .with(diff)
            .say(keep_note()));
    }
    s.expect_closed().context(say("poll-after-all-echoes"))
}

fn long_and_binary_lines(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    let mut long = rng.word(200_000).into_bytes();
    long.push(b'\n');
    s.echo(&long, say("poll-echo-long"))?;
    let mut binary: Vec<u8> = (0u8..=255).filter(|&b| b != b'\n').collect();
    rng.shuffle(&mut binary);
    binary.push(b'\n');
    s.echo(&binary, say("poll-echo-every-byte"))?;
    s.echo(b"a line ending in \\r\\n\r\n", say("poll-echo-crlf"))?;
    s.send(b"\0zero bytes\0 and \xff\xfe invalid UTF-8")?;
    std::thread::sleep(PIECE_PAUSE);
    s.send(b"\n")?;
    s.expect_bytes(
        b"\0zero bytes\0 and \xff\xfe invalid UTF-8\n",
        say("poll-echo-newline-alone"),
    )?;
    // Many short lines, one write each, sent before reading any echo.
    let lines: Vec<Vec<u8>> = (0..100)
        .map(|i| random_line(&mut rng, &format!("short {i}")))
        .collect();
    for line in &lines {
        s.send(line)?;
    }
    s.expect_bytes(&lines.concat(), say("poll-echo-short-lines").arg("n", 100))
}

fn sleeps_when_idle(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    let line = random_line(&mut rng, "before");
    s.echo(&line, say("poll-echo"))
        .context(say("poll-before-idle"))?;
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
        Some(
            say("poll-never-slept")
                .arg("wanted", format!("{:.2}", wanted.as_secs_f64()))
                .arg("window", format!("{:.2}", window.as_secs_f64()))
                .arg("used", format!("{:.2}", used.as_secs_f64())),
        )
    } else {
        (used > IDLE_CPU_LIMIT).then(|| {
            say("poll-idle-cpu")
                .arg("used", format!("{:.2}", used.as_secs_f64()))
                .arg("window", Arg::Seconds(IDLE_WINDOW))
                .arg("limit", format!("{:.2}", IDLE_CPU_LIMIT.as_secs_f64()))
        })
    };
    if let Some(problem) = problem {
        return Err(Failure::mismatch(problem)
            .with(Detail::Command {
                label: "start your server".into(),
                command: server.invocation().clone(),
            })
            .say(say("poll-busy-note")));
    }
    let line = random_line(&mut rng, "after");
    s.echo(&line, say("poll-echo"))
        .context(say("poll-after-idle"))
}
