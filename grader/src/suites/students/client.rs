//! The client's side of `students`: the suite receives on a UDP socket of
//! its own while `student_client` runs ([`run_client`]), and checks that the
//! datagrams are exactly the records of the lines to send, in any order.
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{decode, numbered, rec, Rec, RECORD_LEN};
use crate::harness::{compare, say, Ctx, Detail, Failure, Quoted, RunOutput, TestResult};
use crate::model::Sentence;
use crate::text::Arg;

/// How long the suite keeps receiving after the client exits, with nothing
/// arriving, before it takes what it has as everything the client sent.
const QUIET: Duration = Duration::from_secs(1);

/// The states of a client run, as the receiving thread sees them.
const RUNNING: u8 = 0;
const EXITED: u8 = 1;
const FAILED: u8 = 2;

/// What a run of the client gave: its output, and every datagram the
/// suite received, in order, at `addr`.
pub(super) struct ClientRun {
    pub(super) out: RunOutput,
    got: Vec<Vec<u8>>,
    addr: SocketAddr,
}

impl ClientRun {
    /// A failure of this run, with the datagrams received and how to see
    /// them by hand.
    fn fail(&self, property: impl Into<crate::model::Sentence>) -> Failure {
        let received: Vec<Sentence> = self
            .got
            .iter()
            .enumerate()
            .map(|(i, d)| numbered(i + 1, decode(d)))
            .collect();
        let shown = if received.is_empty() {
            say("students-nothing").into()
        } else {
            Quoted::lines(received)
        };
        self.out
            .fail(property)
            .with(Detail::Command {
                label: say("students-listen-first").into(),
                command: format!(
                    "nc -u -l {} {} | od -A d -t x1z",
                    self.addr.ip(),
                    self.addr.port()
                )
                .into(),
            })
            .text(say("students-datagrams-received"), shown)
    }
}

/// Runs the client with `stdin` against a UDP socket of the suite's.
pub(super) fn run_client(t: &mut Ctx, stdin: &str) -> Result<ClientRun, Failure> {
    let addr = t.addr();
    let socket = UdpSocket::bind(addr)
        .map_err(|e| Failure::grader(format!("binding a UDP socket on {addr}: {e}")))?;
    socket
        .set_read_timeout(Some(Duration::from_millis(50)))
        .map_err(Failure::grader)?;
    // Receive while the client runs, so that no datagram waits in a full
    // socket buffer; once it has exited, until nothing comes for [`QUIET`]
    // (at once if the run failed: its failure is all there is to say).
    let state = Arc::new(AtomicU8::new(RUNNING));
    let receiver = {
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            let mut got = Vec::new();
            let mut buf = vec![0u8; 65_536];
            let mut quiet_since: Option<Instant> = None;
            loop {
                match socket.recv_from(&mut buf) {
                    Ok((n, _)) => {
                        got.push(buf[..n].to_vec());
                        quiet_since = None;
                    }
                    Err(_) => match state.load(Ordering::SeqCst) {
                        RUNNING => {}
                        FAILED => return got,
                        _ => {
                            let since = *quiet_since.get_or_insert_with(Instant::now);
                            if since.elapsed() >= QUIET {
                                return got;
                            }
                        }
                    },
                }
            }
        })
    };
    t.use_program("student_client");
    let run = t.command(&[addr.to_string()]).stdin(stdin).run();
    let done = if run.is_ok() { EXITED } else { FAILED };
    state.store(done, Ordering::SeqCst);
    let got = receiver
        .join()
        .map_err(|_| Failure::grader("the receiving thread panicked"))?;
    Ok(ClientRun {
        out: run?,
        got,
        addr,
    })
}

/// Checks that the datagrams received are exactly the packings of the
/// input lines `expected` (numbered from 1), one datagram each. UDP does not
/// promise order, so any order passes.
fn check_datagrams(
    run: &ClientRun,
    expected: &[(usize, Rec)],
    skipped: &[(usize, String)],
) -> TestResult {
    let got = &run.got;
    let packed: Vec<Vec<u8>> = expected.iter().map(|(_, r)| r.pack()).collect();
    let mut owed: Vec<usize> = (0..expected.len()).collect();
    for (k, d) in got.iter().enumerate() {
        if let Some(pos) = owed.iter().position(|&i| packed[i] == *d) {
            owed.remove(pos);
            continue;
        }
        // A datagram for a line that must not be sent.
        if let Some((line, text)) = skipped.iter().find(|(_, text)| datagram_is_for(d, text)) {
            return Err(run
                .fail(say("students-sent-skipped").arg("line", *line))
                .say(
                    say("students-line-text")
                        .arg("line", *line)
                        .arg("text", text),
                ));
        }
        // Compare with the line it most likely stands for.
        let i = owed
            .iter()
            .copied()
            .find(|&i| i == k)
            .or_else(|| owed.first().copied());
        let Some(i) = i else {
            return Err(run.fail(
                say("students-too-many")
                    .arg("got", got.len())
                    .arg("lines", expected.len()),
            ));
        };
        let (line, r) = &expected[i];
        let property = if d.len() == RECORD_LEN {
            say("students-not-its-record").arg("line", *line)
        } else {
            say("students-wrong-size")
                .arg("size", Arg::Bytes(d.len() as u64))
                .arg("record", RECORD_LEN)
        };
        let mut f = run
            .fail(property)
            .text(
                say("students-input-line").arg("line", *line),
                Quoted::lines(vec![
                    Sentence::plain(r.csv()),
                    Sentence::template(
                        "students-expected-record",
                        vec![("record", decode(&packed[i]))],
                    ),
                ]),
            )
            .with_opt(compare::labelled_bytes(
                say("students-datagram").into(),
                &packed[i],
                d,
            ));
        if *d == r.pack_big_endian() {
            f = f.say(say("students-big-endian"));
        } else if d.len() < RECORD_LEN {
            f = f.say(say("students-pad-name"));
        }
        return Err(f);
    }
    if let Some(&i) = owed.first() {
        let (line, r) = &expected[i];
        return Err(run
            .fail(say("students-no-datagram").arg("line", *line))
            .text(say("students-input-line").arg("line", *line), r.csv()));
    }
    Ok(())
}

/// Whether datagram `d` looks like the packing of the input line `text`:
/// its id comes first, and its name starts with the line's name.
fn datagram_is_for(d: &[u8], text: &str) -> bool {
    let fields: Vec<&str> = text.split(',').collect();
    let (Some(id), Some(name)) = (fields.first(), fields.get(1)) else {
        return false;
    };
    // An id out of `i32`'s range stands for the number it wraps to.
    let Ok(id) = id.parse::<i64>().map(|id| id as i32) else {
        return false;
    };
    let prefix = &name.as_bytes()[..name.len().min(8)];
    d.len() >= 4 + prefix.len()
        && (d[..4] == id.to_le_bytes() || d[..4] == id.to_be_bytes())
        && d[4..].starts_with(prefix)
}

/// The client's input: the lines, each ending in `\n`.
fn input(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Runs the client on good records only: each must arrive, and the client
/// exits 0.
pub(super) fn client_round_trip(t: &mut Ctx, records: &[Rec]) -> TestResult {
    let lines: Vec<String> = records.iter().map(Rec::csv).collect();
    let run = run_client(t, &input(&lines))?;
    let expected: Vec<(usize, Rec)> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (i + 1, r.clone()))
        .collect();
    check_datagrams(&run, &expected, &[])?;
    run.out.expect_code(0)
}

/// Runs the client on `lines`; those marked `true` must arrive, the others
/// must not be sent and must be explained on stderr.
pub(super) fn client_with_rejects(
    t: &mut Ctx,
    lines: &[(&str, bool)],
) -> Result<ClientRun, Failure> {
    let text: Vec<String> = lines.iter().map(|(l, _)| l.to_string()).collect();
    let run = run_client(t, &input(&text))?;
    let mut expected = Vec::new();
    let mut skipped = Vec::new();
    for (i, (line, good)) in lines.iter().enumerate() {
        if *good {
            let f: Vec<&str> = line.split(',').collect();
            let r = rec(
                f[0].parse().expect("a good line's id"),
                f[1],
                f[2].parse().expect("a good line's age"),
                f[3],
            );
            expected.push((i + 1, r));
        } else {
            skipped.push((i + 1, line.to_string()));
        }
    }
    check_datagrams(&run, &expected, &skipped)?;
    run.out.expect_stderr_nonempty()?;
    Ok(run)
}
