//! Suite of `broadcast`, two programs: `broadcast_send ADDR MESSAGE COUNT`
//! sends MESSAGE as COUNT UDP datagrams, 100 ms apart, to a broadcast
//! address, and `broadcast_recv PORT` prints each datagram it gets on
//! `0.0.0.0:PORT` as `{sender_ip}: {message}`, several receivers sharing the
//! port.
//!
//! Everything goes over loopback: Linux's local routing table has
//! `broadcast 127.255.255.255 dev lo`, so one datagram sent there reaches
//! every socket bound to `0.0.0.0:PORT`. The sender is graded with three
//! receivers of the suite's own (SO_REUSEADDR, with kernel receive times to
//! measure the pauses); the receiver by running three of them and
//! broadcasting to them from sockets bound to 127.x addresses of the test's
//! own, the IPs they must print. std cannot set SO_REUSEADDR before `bind`,
//! so the suite's receivers are made with `libc` ([`shared_socket`]).
use std::io;
use std::net::{IpAddr, Ipv4Addr, UdpSocket};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::harness::{
    compare, say, udp_sockets_on_port, Cause, Ctx, Detail, Failure, RunOutput, Running, TestDef,
    TestResult,
};
use crate::text::{Arg, Phrase};

mod hidden;

/// The sending program (the crate's default).
const SEND: &str = "broadcast_send";

/// The receiving program.
const RECV: &str = "broadcast_recv";

/// The broadcast address of loopback.
const BROADCAST: Ipv4Addr = Ipv4Addr::new(127, 255, 255, 255);

/// How many receivers listen at once.
const RECEIVERS: usize = 3;

/// The least pause accepted between two datagrams (the contract says
/// 100 ms; the kernel's receive times do not shrink under load).
const MIN_GAP: Duration = Duration::from_millis(50);

/// How long the suite's receivers wait for the datagrams after the sender
/// exited (they were sent before it exited, so they are there already).
const ARRIVAL_WAIT: Duration = Duration::from_secs(3);

/// How long the suite waits for datagrams beyond COUNT.
const EXTRA_WAIT: Duration = Duration::from_millis(300);

/// How long a receiver may take to bind its port.
const BIND_WAIT: Duration = Duration::from_secs(8);

/// How long the receivers may take to print what was broadcast.
const OUTPUT_WAIT: Duration = Duration::from_secs(6);

/// The pause between the suite's own broadcasts.
const SUITE_GAP: Duration = Duration::from_millis(30);

/// Runs of bad arguments end at once; this only bounds a program that waits.
const BAD_ARGS_WAIT: Duration = Duration::from_secs(5);

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let t = Duration::from_secs;
    let mut tests = vec![
        TestDef::visible(
            "sender_reaches_every_receiver",
            4,
            sender_reaches_every_receiver,
        )
        .clauses(&[1, 3])
        .linux_only()
        .timeout(t(20)),
        TestDef::visible("sender_spaces_datagrams", 3, sender_spaces_datagrams)
            .clauses(&[1, 2, 3])
            .linux_only()
            .timeout(t(20)),
        TestDef::visible("sender_bad_arguments", 2, sender_bad_arguments)
            .clauses(&[4])
            .timeout(t(30)),
        TestDef::visible("sender_send_fails", 2, sender_send_fails)
            .clauses(&[5])
            .linux_only()
            .timeout(t(20)),
        TestDef::visible("receiver_prints_datagrams", 3, receiver_prints_datagrams)
            .clauses(&[6, 8, 9])
            .linux_only()
            .timeout(t(25)),
        TestDef::visible("receivers_share_the_port", 4, receivers_share_the_port)
            .clauses(&[6, 7, 8, 9])
            .linux_only()
            .timeout(t(30)),
        TestDef::visible("receiver_bad_arguments", 2, receiver_bad_arguments)
            .clauses(&[10])
            .timeout(t(25)),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// The suite's own sockets

/// A UDP socket bound to `0.0.0.0:port` with SO_REUSEADDR set before the
/// bind, so that several (the suite's and the student's) share the port,
/// with receive timestamps on (see [`arrival`]).
#[cfg(target_os = "linux")]
fn shared_socket(port: u16) -> io::Result<UdpSocket> {
    use std::mem::size_of;
    use std::os::fd::{AsRawFd, FromRawFd};

    // SAFETY: a plain socket call with constant arguments.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a fresh socket owned by nothing else; the UdpSocket
    // closes it when dropped.
    let sock = unsafe { UdpSocket::from_raw_fd(fd) };
    let one: libc::c_int = 1;
    // SAFETY: `one` lives across the call and its size is the one passed.
    let r = unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_REUSEADDR,
            (&one as *const libc::c_int).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    let addr = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: port.to_be(),
        sin_addr: libc::in_addr { s_addr: 0 },
        sin_zero: [0; 8],
    };
    // SAFETY: `addr` is a complete sockaddr_in that lives across the call,
    // and its size is the one passed.
    let r = unsafe {
        libc::bind(
            sock.as_raw_fd(),
            (&addr as *const libc::sockaddr_in).cast(),
            size_of::<libc::sockaddr_in>() as libc::socklen_t,
        )
    };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    // The first SIOCGSTAMP finds no datagram yet (ENOENT), and turns the
    // socket's receive timestamps on.
    let _ = arrival(&sock);
    Ok(sock)
}

#[cfg(not(target_os = "linux"))]
fn shared_socket(_port: u16) -> io::Result<UdpSocket> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "broadcast over loopback is tested on Linux only",
    ))
}

/// When the kernel received the last datagram read from `sock` (SIOCGSTAMP,
/// wall-clock time): unlike the moment the suite reads it, it does not move
/// when a loaded machine runs the suite late.
#[cfg(target_os = "linux")]
fn arrival(sock: &UdpSocket) -> Option<Duration> {
    use std::os::fd::AsRawFd;
    /// `SIOCGSTAMP` of `<linux/sockios.h>` (not in the libc crate).
    const SIOCGSTAMP: u32 = 0x8906;
    let mut tv = libc::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    // SAFETY: SIOCGSTAMP writes one timeval into `tv`, which lives across
    // the call.
    let r = unsafe { libc::ioctl(sock.as_raw_fd(), SIOCGSTAMP as _, &mut tv) };
    (r == 0).then(|| Duration::new(tv.tv_sec as u64, tv.tv_usec as u32 * 1000))
}

#[cfg(not(target_os = "linux"))]
fn arrival(_sock: &UdpSocket) -> Option<Duration> {
    None
}

/// Waits until the kernel stamps the datagrams it receives with their time:
/// the first socket to ask turns this on, but a kernel worker does it a
/// little later, and a datagram received before then would report the time
/// it is read instead. A datagram sent to a probe socket and read 50 ms
/// later must carry a time from before the read. The probe socket is
/// returned: while it lives, the stamping stays on.
fn wait_for_timestamps(until: Instant) -> Result<UdpSocket, Failure> {
    let probe = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).map_err(Failure::grader)?;
    let _ = arrival(&probe);
    let me = probe.local_addr().map_err(Failure::grader)?;
    probe
        .set_read_timeout(Some(Duration::from_secs(1)))
        .map_err(Failure::grader)?;
    let mut buf = [0u8; 16];
    loop {
        probe.send_to(b"probe", me).map_err(Failure::grader)?;
        std::thread::sleep(Duration::from_millis(50));
        let before = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(Failure::grader)?;
        probe.recv_from(&mut buf).map_err(Failure::grader)?;
        if arrival(&probe).is_some_and(|at| at + Duration::from_millis(20) < before) {
            return Ok(probe);
        }
        if Instant::now() >= until {
            return Err(Failure::grader(
                "the kernel does not stamp received datagrams with their time (SIOCGSTAMP)",
            ));
        }
    }
}

/// A datagram one of the suite's receivers got.
struct Datagram {
    bytes: Vec<u8>,
    /// When the kernel received it.
    at: Option<Duration>,
}

/// Reads the datagrams waiting on `sock`: up to `count` until `until`,
/// then any extra ones for [`EXTRA_WAIT`].
fn drain(sock: &UdpSocket, count: usize, until: Instant) -> Result<Vec<Datagram>, Failure> {
    let mut got = Vec::new();
    let mut buf = vec![0u8; 65536];
    loop {
        let wait = if got.len() < count {
            until
                .saturating_duration_since(Instant::now())
                .max(Duration::from_millis(1))
        } else {
            EXTRA_WAIT
        };
        sock.set_read_timeout(Some(wait)).map_err(Failure::grader)?;
        match sock.recv_from(&mut buf) {
            Ok((n, _)) => got.push(Datagram {
                bytes: buf[..n].to_vec(),
                at: arrival(sock),
            }),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(got)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Failure::grader(format!("receiving a datagram: {e}"))),
        }
        if got.len() > count + 20 {
            return Ok(got);
        }
    }
}

/// Whether every socket on `port` is bound to the wildcard address.
fn all_wildcard(port: u16) -> bool {
    udp_sockets_on_port(port)
        .iter()
        .all(|ip| ip.is_unspecified())
}

/// A fresh 127.x address of this test's own, for the suite's sending socket.
fn own_ip(t: &Ctx) -> Ipv4Addr {
    match t.addr().ip() {
        IpAddr::V4(ip) => ip,
        IpAddr::V6(_) => Ipv4Addr::LOCALHOST,
    }
}

// ---------------------------------------------------------------------------
// The sender

/// Whether a failure's text mentions EACCES.
fn mentions_permission_denied(f: &Failure) -> bool {
    let says = |s: &str| s.to_ascii_lowercase().contains("permission denied");
    says(&f.property)
        || f.details.iter().any(|d| match d {
            Detail::Text { text, .. } => says(text),
            _ => false,
        })
}

/// Adds the SO_BROADCAST advice to a failure that shows EACCES.
fn broadcast_note(f: Failure) -> Failure {
    if mentions_permission_denied(&f) {
        f.say(say("bcast-permission-note"))
    } else {
        f
    }
}

/// Runs the sender with `message` and `count` while the suite's receivers
/// listen on a fresh port; it must exit 0. Returns its output and what each
/// receiver got.
fn run_sender(
    t: &mut Ctx,
    message: &str,
    count: usize,
) -> Result<(RunOutput, Vec<Vec<Datagram>>), Failure> {
    let port = t.free_port();
    let receivers = (0..RECEIVERS)
        .map(|_| shared_socket(port))
        .collect::<io::Result<Vec<_>>>()
        .map_err(|e| {
            Failure::grader(format!("binding the suite's receivers on port {port}: {e}"))
        })?;
    let _probe = wait_for_timestamps(Instant::now() + ARRIVAL_WAIT)?;
    let addr = format!("{BROADCAST}:{port}");
    let out = t
        .run(&[addr.as_str(), message, &count.to_string()])
        .map_err(broadcast_note)?;
    out.expect_code(0).map_err(broadcast_note)?;
    let until = Instant::now() + ARRIVAL_WAIT;
    let got = receivers
        .iter()
        .map(|r| drain(r, count, until))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((out, got))
}

/// Checks that every receiver got exactly `count` datagrams holding exactly
/// `message`.
fn check_received(
    out: &RunOutput,
    got: &[Vec<Datagram>],
    message: &str,
    count: usize,
) -> TestResult {
    for (i, datagrams) in got.iter().enumerate() {
        if datagrams.len() != count {
            let mut f = out.fail(say("bcast-not-count")).say(
                say("bcast-receiver-got")
                    .arg("receiver", i + 1)
                    .arg("receivers", RECEIVERS)
                    .arg("got", datagrams.len())
                    .arg("count", count),
            );
            if datagrams.is_empty() {
                f = f.say(say("bcast-send-to-addr"));
            } else {
                f = f.say(say("bcast-send-count-times"));
            }
            return Err(f);
        }
        if let Some(bad) = datagrams.iter().find(|d| d.bytes != message.as_bytes()) {
            return Err(out
                .fail(say("bcast-not-message"))
                .with_opt(compare::labelled_bytes(
                    say("bcast-datagram").into(),
                    message.as_bytes(),
                    &bad.bytes,
                ))
                .say(say("bcast-message-as-is")));
        }
    }
    Ok(())
}

/// Checks that the datagrams arrived at least [`MIN_GAP`] apart.
fn check_spacing(out: &RunOutput, datagrams: &[Datagram]) -> TestResult {
    let times: Option<Vec<Duration>> = datagrams.iter().map(|d| d.at).collect();
    let times = times.ok_or_else(|| {
        Failure::grader("the kernel gave no receive time for a datagram (SIOCGSTAMP)")
    })?;
    for (i, pair) in times.windows(2).enumerate() {
        let gap = pair[1].saturating_sub(pair[0]);
        if gap < MIN_GAP {
            return Err(out
                .fail(
                    say("bcast-too-close")
                        .arg("first", i + 1)
                        .arg("second", i + 2)
                        .arg("gap", gap.as_millis().to_string()),
                )
                .say(say("bcast-pause-note").arg("min", MIN_GAP.as_millis().to_string())));
        }
    }
    Ok(())
}

fn sender_reaches_every_receiver(t: &mut Ctx) -> TestResult {
    let message = "hello, everyone on this network";
    let (out, got) = run_sender(t, message, 3)?;
    check_received(&out, &got, message, 3)
}

fn sender_spaces_datagrams(t: &mut Ctx) -> TestResult {
    let message = "one every 100 ms";
    let (out, got) = run_sender(t, message, 5)?;
    check_received(&out, &got, message, 5)?;
    check_spacing(&out, &got[0])
}

fn sender_send_fails(t: &mut Ctx) -> TestResult {
    // Linux refuses a UDP datagram to port 0 (EINVAL): the send fails, and
    // a sender that ignores the error exits 0 as if it had sent it.
    let what = say("bcast-port-zero");
    let addr = format!("{BROADCAST}:0");
    let out = t
        .command(&[addr.as_str(), "nobody gets this", "2"])
        .timeout(BAD_ARGS_WAIT)
        .run()
        .map_err(|f| f.context(what.clone()))?;
    out.expect_code(2)
        .map_err(|f| f.say(say("bcast-check-send-to")))
        .map_err(|f| f.context(what.clone()))?;
    out.expect_stderr_nonempty().map_err(|f| f.context(what))
}

/// Runs a program that must refuse its arguments: exit 2 with a message.
fn expect_refused(t: &mut Ctx, args: &[&str], what: Phrase) -> TestResult {
    let out = t
        .command(args)
        .timeout(BAD_ARGS_WAIT)
        .run()
        .map_err(|f| f.context(what.clone()))?;
    out.expect_code(2).map_err(|f| f.context(what.clone()))?;
    out.expect_stderr_nonempty().map_err(|f| f.context(what))
}

fn sender_bad_arguments(t: &mut Ctx) -> TestResult {
    let port = t.free_port().to_string();
    let good = format!("{BROADCAST}:{port}");
    expect_refused(
        t,
        &[&BROADCAST.to_string(), "hi", "1"],
        say("bcast-addr-no-port"),
    )?;
    expect_refused(
        t,
        &["127.255.255.255:port", "hi", "1"],
        say("bcast-addr-port-nan"),
    )?;
    expect_refused(t, &[&good, "hi", "three"], say("bcast-count-nan"))?;
    expect_refused(t, &[&good, "hi", "2.5"], say("bcast-count-not-whole"))?;
    expect_refused(t, &[&good, "hi"], say("bcast-no-count"))
}

// ---------------------------------------------------------------------------
// The receiver

/// Starts `n` receivers on `port`, each once the one before has bound it.
fn start_receivers(t: &mut Ctx, port: u16, n: usize) -> Result<Vec<Running>, Failure> {
    t.use_program(RECV);
    let mut receivers = Vec::new();
    for k in 1..=n {
        let mut r = t.command(&[port.to_string()]).start()?;
        let until = Instant::now() + BIND_WAIT;
        loop {
            if udp_sockets_on_port(port).len() >= k {
                break;
            }
            if !r.is_running() {
                let f = match r.finish() {
                    Ok(out) => out.fail(
                        say("bcast-receiver-exited-code")
                            .arg("receiver", k)
                            .arg("receivers", n)
                            .arg("port", port.to_string())
                            .arg("code", out.code),
                    ),
                    Err(f) => f.context(
                        say("bcast-receiver-exited")
                            .arg("receiver", k)
                            .arg("receivers", n)
                            .arg("port", port.to_string()),
                    ),
                };
                return Err(if k > 1 {
                    f.say(say("bcast-share-note"))
                } else {
                    f
                });
            }
            if Instant::now() >= until {
                let f = Failure::new(
                    Cause::NotListening,
                    say("bcast-not-bound")
                        .arg("receiver", k)
                        .arg("receivers", n)
                        .arg("port", port.to_string())
                        .arg("wait", Arg::Seconds(BIND_WAIT)),
                )
                .with(Detail::Command {
                    label: "run".into(),
                    command: r.invocation().clone(),
                });
                return Err(f);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        receivers.push(r);
    }
    Ok(receivers)
}

/// Broadcasts `messages` to `port`, each from a socket bound to its IP.
fn broadcast(port: u16, messages: &[(Ipv4Addr, String)]) -> TestResult {
    for (i, (ip, message)) in messages.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(SUITE_GAP);
        }
        let sock = UdpSocket::bind((*ip, 0))
            .map_err(|e| Failure::grader(format!("binding a sending socket to {ip}: {e}")))?;
        sock.set_broadcast(true).map_err(Failure::grader)?;
        sock.send_to(message.as_bytes(), (BROADCAST, port))
            .map_err(|e| Failure::grader(format!("broadcasting to port {port}: {e}")))?;
    }
    Ok(())
}

/// Waits until each receiver printed one line per broadcast message, and
/// checks the lines.
fn expect_printed(
    receivers: &mut [Running],
    port: u16,
    messages: &[(Ipv4Addr, String)],
) -> TestResult {
    let expected: String = messages
        .iter()
        .map(|(ip, m)| format!("{ip}: {m}\n"))
        .collect();
    let n = receivers.len();
    let until = Instant::now() + OUTPUT_WAIT;
    for (i, r) in receivers.iter_mut().enumerate() {
        let mut printed = loop {
            let so_far = r.stdout_so_far();
            let lines = so_far.iter().filter(|&&b| b == b'\n').count();
            if lines >= messages.len() || Instant::now() >= until || !r.is_running() {
                break so_far;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let running = r.is_running();
        if !running {
            // Let the last bytes it wrote reach the suite.
            std::thread::sleep(Duration::from_millis(200));
            printed = r.stdout_so_far();
        }
        let Some(diff) = compare::text(
            &format!("stdout of receiver {}", i + 1),
            &expected,
            &printed,
        ) else {
            continue;
        };
        let mut f = Failure::mismatch(
            say("bcast-not-one-line")
                .arg("receiver", i + 1)
                .arg("receivers", n)
                .arg("line", "{sender_ip}: {message}"),
        )
        .with(Detail::Command {
            label: "run".into(),
            command: r.invocation().clone(),
        })
        .with(diff);
        let stderr = r.stderr_so_far();
        if !stderr.is_empty() {
            f = f.text("stderr", String::from_utf8_lossy(&stderr).into_owned());
        }
        let addr = format!("{BROADCAST}:{port}");
        f = f.say(
            say("bcast-suite-broadcast")
                .arg("count", messages.len())
                .arg(
                    "command",
                    format!("cargo run -q -p broadcast --bin {SEND} -- {addr} hello 1"),
                )
                .arg("addr", addr),
        );
        if !running {
            f = f.say(say("bcast-receiver-exited-note"));
        } else if printed.is_empty() && !all_wildcard(port) {
            f = f.say(say("bcast-bind-wildcard"));
        } else if printed.is_empty() {
            f = f.say(say("bcast-flush"));
        }
        return Err(f);
    }
    Ok(())
}

fn receiver_prints_datagrams(t: &mut Ctx) -> TestResult {
    let port = t.free_port();
    let mut receivers = start_receivers(t, port, 1)?;
    let ip = own_ip(t);
    let messages: Vec<(Ipv4Addr, String)> = ["hello", "two words", "the third datagram"]
        .into_iter()
        .map(|m| (ip, m.to_string()))
        .collect();
    broadcast(port, &messages)?;
    expect_printed(&mut receivers, port, &messages)
}

fn receivers_share_the_port(t: &mut Ctx) -> TestResult {
    let port = t.free_port();
    let mut receivers = start_receivers(t, port, RECEIVERS)?;
    let ip = own_ip(t);
    let messages: Vec<(Ipv4Addr, String)> = ["to all of you", "once more", "and a last time"]
        .into_iter()
        .map(|m| (ip, m.to_string()))
        .collect();
    broadcast(port, &messages)?;
    expect_printed(&mut receivers, port, &messages)
}

fn receiver_bad_arguments(t: &mut Ctx) -> TestResult {
    t.use_program(RECV);
    expect_refused(t, &["nine"], say("bcast-port-nan"))?;
    expect_refused(t, &["70000"], say("bcast-port-too-big"))?;
    expect_refused(t, &[], say("bcast-no-port"))?;
    // A socket that did not set SO_REUSEADDR holds the port: bind fails.
    let port = t.free_port();
    let _taken = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, port)).map_err(Failure::grader)?;
    expect_refused(t, &[&port.to_string()], say("bcast-port-held"))
}
