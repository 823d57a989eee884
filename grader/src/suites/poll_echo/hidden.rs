//! The hidden tests of `poll_echo`: left out of the repository students clone.
use super::*;
use crate::harness::descriptors::{limit_open_files, open_descriptors};
use crate::harness::{
    compare, Cause, Ctx, Detail, Failure, ResultExt, Rng, Server, Session, TestDef, TestResult,
};
use crate::messages;
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
/// server that stopped reading before it leaves all the same.
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
        s.echo(&line, "echo")
            .context("a client connected with others")?;
        stayers.push(s);
        for _ in 0..2 {
            let mut l = t.connect_waiting(&server, ECHO_WAIT)?;
            let line = random_line(&mut rng, "leaver");
            l.echo(&line, "echo")
                .context("a client connected with others")?;
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
    stayers[0]
        .echo(&line, "echo")
        .map_err(|f| server.or_exit(f))
        .context("a client that stayed connected, right after others left mid-line")
        .map_err(|f| f.note(note))?;
    let mut newcomers = Vec::new();
    for i in 0..4 {
        let mut n = t.connect_waiting(&server, ECHO_WAIT)?;
        let line = random_line(&mut rng, &format!("newcomer {}", i + 1));
        n.echo(&line, "echo")
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
        s.echo(&line, "echo")
            .context("a client that stayed connected while others left mid-line")
            .map_err(|f| f.note(note))?;
    }
    for n in newcomers.iter_mut() {
        let line = random_line(&mut rng, "newcomer again");
        n.echo(&line, "echo")
            .context("a client that connected after others left")?;
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

/// A client that sends [`UNREAD`] bytes of lines without reading a byte of
/// their echoes, ends its stream, waits until the server has received
/// everything, and resets the connection: the server then holds echoes it
/// can never write.
fn leave_with_echoes_unread(t: &Ctx, server: &Server, rng: &mut Rng) -> TestResult {
    let mut s = t.connect_waiting(server, ECHO_WAIT)?;
    let line = random_line(rng, "a client about to leave");
    s.echo(&line, "echo")
        .context("a client connected with others")?;
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
    // server to read up to it.
    if let Some(stream) = s.tcp_stream() {
        let until = std::time::Instant::now() + ECHO_WAIT;
        while unacknowledged(stream) > 0 && std::time::Instant::now() < until {
            std::thread::sleep(Duration::from_millis(10));
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
    other.echo(&line, "echo").context("the first client")?;
    let note = "a client that ended its stream and then reset the connection makes every \
                write to it fail (connection reset, broken pipe): only `WouldBlock` means \
                \"later\"; on any other error close that client and go back to `poll`, never \
                retry the write in a loop";
    for round in 1..=2 {
        leave_with_echoes_unread(t, &server, &mut rng)?;
        let line = random_line(&mut rng, "a client that stays");
        other
            .echo(&line, "echo")
            .map_err(|f| server.or_exit(f))
            .context(format!(
                "a client connected all along, after another one (the {}) sent {} of lines \
                 without reading, ended its stream and reset the connection",
                if round == 1 { "first" } else { "second" },
                messages::size(UNREAD as u64)
            ))
            .map_err(|f| f.note(note))?;
    }
    let mut newcomer = t.connect_waiting(&server, ECHO_WAIT)?;
    let line = random_line(&mut rng, "a newcomer");
    newcomer
        .echo(&line, "echo")
        .map_err(|f| server.or_exit(f))
        .context("a client that connected after two left with their echoes unread")
        .map_err(|f| f.note(note))?;
    server.expect_running()
}

fn releases_clients_that_left(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut first = t.connect_waiting(&server, ECHO_WAIT)?;
    let line = random_line(&mut rng, "a client that stays");
    first.echo(&line, "echo").context("the first client")?;
    let before = open_descriptors(server.pid())?.len();
    // Half a line, then a reset (the connection fails) or a close.
    for i in 0..LEAVERS {
        let mut l = t.connect_waiting(&server, ECHO_WAIT)?;
        let line = random_line(&mut rng, "a leaver");
        l.echo(&line, "echo")
            .context("a client connected with others")?;
        l.send(b"half a li")?;
        if i % 3 == 2 {
            drop(l);
        } else {
            l.reset();
        }
    }
    // Echoes unread, the stream ended, then a reset: the writes fail.
    for _ in 0..UNREAD_LEAVERS {
        leave_with_echoes_unread(t, &server, &mut rng)?;
    }
    let line = random_line(&mut rng, "a client that stays");
    first
        .echo(&line, "echo")
        .map_err(|f| server.or_exit(f))
        .context("a client connected all along, after others left")?;
    let left = LEAVERS + UNREAD_LEAVERS;
    let until = std::time::Instant::now() + RELEASE_WAIT;
    loop {
        let now = open_descriptors(server.pid())?.len();
        if now <= before + DESCRIPTOR_SLACK {
            return server.expect_running();
        }
        if std::time::Instant::now() >= until {
            return Err(Failure::mismatch(format!(
                "{left} clients left (by a reset or a close, some with echoes unread), and {} \
                 later the server still has {now} descriptors open, {before} before they came",
                messages::secs(RELEASE_WAIT)
            ))
            .with(Detail::Command {
                label: "start your server".into(),
                command: server.invocation().to_string(),
            })
            .note(format!(
                "counted in /proc/{}/fd (`ls /proc/$(pgrep poll_echo)/fd | wc -l`)",
                server.pid()
            ))
            .note(
                "a `read` or `write` that fails with anything but `WouldBlock` (a reset, a \
                 broken pipe) ends that client: deregister it and drop its socket, as when \
                 `read` returns 0; a client kept for ever is a descriptor lost, and a server \
                 that loses one per client runs out",
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn out_of_descriptors(t: &mut Ctx) -> TestResult {
    let server = start(t)?;
    let mut rng = t.rng();
    let mut first = t.connect_waiting(&server, ECHO_WAIT)?;
    let line = random_line(&mut rng, "the first client");
    first.echo(&line, "echo").context("the first client")?;
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
    let situation = format!(
        "after {OVER_LIMIT_CLIENTS} more clients connected to a server with {FREE_DESCRIPTORS} \
         descriptors left (`accept` fails with \"too many open files\")"
    );
    let note = "when `accept` fails with anything but `WouldBlock` (EMFILE: no descriptor \
                left), report it and go back to `poll`: the same call fails again until a \
                descriptor is free, so retrying it in a loop serves no one";
    let line = random_line(&mut rng, "the first client");
    first
        .echo(&line, "echo")
        .map_err(|f| server.or_exit(f))
        .context(format!("the first client, {situation}"))
        .map_err(|f| f.note(note))?;
    server.expect_running().context(&situation)?;
    // Descriptors free again: a new client is served.
    limit_open_files(server.pid(), old)?;
    drop(waiting);
    let mut newcomer = t.connect_waiting(&server, ECHO_WAIT)?;
    let line = random_line(&mut rng, "a newcomer");
    newcomer
        .echo(&line, "echo")
        .map_err(|f| server.or_exit(f))
        .context(format!(
            "a client connecting once descriptors were free again, {situation}"
        ))
        .map_err(|f| f.note(note))?;
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
                    .fail(format!(
                        "a client sent {size} of lines without reading its echoes, and the \
                         server stopped reading from it ({} still unread in its socket after \
                         {})",
                        messages::size(queued as u64),
                        messages::secs(STALL)
                    ))
                    .note(keep_note));
            }
            std::thread::sleep(Duration::from_millis(20));
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
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    let mut long = rng.word(200_000).into_bytes();
    long.push(b'\n');
    s.echo(&long, "echo of a 200 KB line sent in one write")?;
    let mut binary: Vec<u8> = (0u8..=255).filter(|&b| b != b'\n').collect();
    rng.shuffle(&mut binary);
    binary.push(b'\n');
    s.echo(&binary, "echo of a line holding every byte value but `\\n`")?;
    s.echo(
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
    let mut s = t.connect_waiting(&server, ECHO_WAIT)?;
    let line = random_line(&mut rng, "before");
    s.echo(&line, "echo").context("before the idle stretch")?;
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
    s.echo(&line, "echo").context("after the idle stretch")
}
