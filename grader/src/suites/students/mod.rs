//! Suite of `students`, two programs over UDP (the notes' struct + UDP
//! homework). A record is 28 bytes: id `i32`, name 16 bytes of UTF-8 padded
//! with NUL, age `i32`, height `f32`, all little-endian.
//!
//! - `student_server ADDR OUT_FILE` appends one line per record to OUT_FILE,
//!   `format!("{id}   {name:<10}  {age}   {height:.2}\n")`, and ignores a
//!   datagram of any other size with a warning on stderr. The suite sends
//!   each datagram from a UDP socket of its own ([`Feed`]) and, before
//!   sending the next, polls OUT_FILE until the line is there: the line must
//!   be visible before the next datagram is read.
//! - `student_client ADDR` reads `id,name,age,height` lines from stdin and
//!   sends each record as one datagram; a line with a name over 16 bytes (or
//!   one that is not a record) is not sent, with a message on stderr, and
//!   the client goes on. The suite receives on a UDP socket of its own
//!   ([`client`]).
use std::net::{SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::harness::escape::{escape_bytes, printf_arg};
use crate::harness::{
    compare, say, Ctx, Detail, Failure, Quoted, ResultExt, Server, TestDef, TestResult,
};
use crate::model::Sentence;
use crate::text::{Arg, Phrase};

mod client;
mod hidden;

use client::{client_round_trip, client_with_rejects};

/// The size of a record.
const RECORD_LEN: usize = 28;

/// The room for a name in a record, in bytes.
const NAME_LEN: usize = 16;

/// OUT_FILE, relative to the test's directory (the server's working
/// directory).
const OUT: &str = "students.txt";

/// How long a record's line may take to appear in OUT_FILE, and a warning
/// on stderr: generous, since only a program that never writes misses it.
const WRITE_WAIT: Duration = Duration::from_secs(5);

/// How often OUT_FILE and stderr are looked at.
const POLL: Duration = Duration::from_millis(5);

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("server_writes_records", 3, server_writes_records).clauses(&[1, 2, 4]),
        TestDef::visible("server_appends", 2, server_appends).clauses(&[3]),
        TestDef::visible("server_utf8_names", 3, server_utf8_names).clauses(&[2]),
        TestDef::visible("server_numbers", 2, server_numbers).clauses(&[1]),
        TestDef::visible("server_wrong_sizes", 3, server_wrong_sizes)
            .timeout(Duration::from_secs(20))
            .clauses(&[4, 5]),
        TestDef::visible("client_sends_records", 3, client_sends_records).clauses(&[8, 11]),
        TestDef::visible("client_utf8_names", 2, client_utf8_names).clauses(&[8, 11]),
        TestDef::visible("client_rejects_long_names", 3, client_rejects_long_names).clauses(&[9]),
        TestDef::visible("client_exit_status", 2, client_exit_status)
            .timeout(Duration::from_secs(20))
            .clauses(&[9, 10, 12]),
        TestDef::visible("bad_arguments", 1, bad_arguments)
            .timeout(Duration::from_secs(40))
            .clauses(&[7, 13]),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// Records

/// A student record, with the height as it is typed on the client's stdin.
#[derive(Debug, Clone)]
struct Rec {
    id: i32,
    name: String,
    age: i32,
    height: f32,
    height_text: String,
}

/// A record whose height is `height_text` (parsed as `f32`, as the client
/// must parse it).
fn rec(id: i32, name: &str, age: i32, height_text: &str) -> Rec {
    Rec {
        id,
        name: name.to_string(),
        age,
        height: height_text
            .parse()
            .expect("the suite's heights are numbers"),
        height_text: height_text.to_string(),
    }
}

impl Rec {
    /// The 28 bytes of the contract (the name must fit).
    fn pack(&self) -> Vec<u8> {
        self.pack_with(i32::to_le_bytes, f32::to_le_bytes)
    }

    /// The same record with big-endian numbers: a common mistake.
    fn pack_big_endian(&self) -> Vec<u8> {
        self.pack_with(i32::to_be_bytes, f32::to_be_bytes)
    }

    fn pack_with(&self, int: fn(i32) -> [u8; 4], float: fn(f32) -> [u8; 4]) -> Vec<u8> {
        let mut name = self.name.as_bytes().to_vec();
        assert!(name.len() <= NAME_LEN, "the suite packs names that fit");
        name.resize(NAME_LEN, 0);
        let mut out = Vec::with_capacity(RECORD_LEN);
        out.extend_from_slice(&int(self.id));
        out.extend_from_slice(&name);
        out.extend_from_slice(&int(self.age));
        out.extend_from_slice(&float(self.height));
        out
    }

    /// The line the server appends for it.
    fn line(&self) -> String {
        format!(
            "{}   {:<10}  {}   {:.2}\n",
            self.id, self.name, self.age, self.height
        )
    }

    /// The record as a line of the client's input.
    fn csv(&self) -> String {
        format!(
            "{},{},{},{}",
            self.id, self.name, self.age, self.height_text
        )
    }
}

/// A record as a person reads it, decoded the way the contract packs it
/// (the fields are data, their names the suite's words).
fn decode(bytes: &[u8]) -> Sentence {
    if bytes.len() != RECORD_LEN {
        return say("students-not-a-record")
            .arg("size", Arg::Bytes(bytes.len() as u64))
            .arg("record", RECORD_LEN)
            .into();
    }
    let word = |at: usize| -> [u8; 4] { bytes[at..at + 4].try_into().expect("4 bytes") };
    say("students-record")
        .arg("id", i32::from_le_bytes(word(0)).to_string())
        .arg("name", escape_bytes(&bytes[4..4 + NAME_LEN]))
        .arg("age", i32::from_le_bytes(word(20)).to_string())
        .arg("height", f32::from_le_bytes(word(24)).to_string())
        .into()
}

/// The `n`-th item of a list (from 1), said as `sentence`.
fn numbered(n: usize, item: Sentence) -> Sentence {
    Sentence::template(
        "students-numbered",
        vec![("n", Sentence::plain(n.to_string())), ("item", item)],
    )
}

// ---------------------------------------------------------------------------
// The server's side: the suite sends datagrams and watches OUT_FILE

/// What the suite sent the server, for feedback.
enum Sent {
    Record(Rec),
    Other(Vec<u8>),
}

/// A UDP socket of the suite's sending to the student's server, and what
/// OUT_FILE must hold so far.
struct Feed<'s> {
    server: &'s Server,
    socket: UdpSocket,
    out: PathBuf,
    initial: String,
    expected: String,
    sent: Vec<Sent>,
    /// A hint for a wrong line of the record being sent.
    hint: Option<Phrase>,
    deadline: Instant,
}

impl<'s> Feed<'s> {
    /// Starts feeding `server`, whose OUT_FILE held `initial` at its start.
    fn new(t: &Ctx, server: &'s Server, initial: &str) -> Result<Feed<'s>, Failure> {
        let socket = UdpSocket::bind(SocketAddr::new(server.addr().ip(), 0))
            .map_err(|e| Failure::grader(format!("binding a UDP socket: {e}")))?;
        Ok(Feed {
            server,
            socket,
            out: t.path(OUT),
            initial: initial.to_string(),
            expected: initial.to_string(),
            sent: Vec::new(),
            hint: None,
            deadline: t.deadline(),
        })
    }

    fn send(&mut self, bytes: &[u8], sent: Sent) -> TestResult {
        self.sent.push(sent);
        match self.socket.send_to(bytes, self.server.addr()) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.fail(say("students-send-failed").arg("error", e.to_string()))),
        }
    }

    /// Sends a record and waits until its line is in OUT_FILE.
    fn record(&mut self, r: &Rec) -> TestResult {
        self.send(&r.pack(), Sent::Record(r.clone()))?;
        self.expected.push_str(&r.line());
        let n = self.sent.len();
        self.wait_for_file()
            .context(say("students-after-record").arg("n", n))
    }

    /// Sends a record, with a hint shown if its line is wrong.
    fn record_hinted(&mut self, r: &Rec, hint: Phrase) -> TestResult {
        self.hint = Some(hint);
        let result = self.record(r);
        self.hint = None;
        result
    }

    /// Sends a datagram that is not a record and waits for the warning on
    /// stderr; OUT_FILE must not change.
    fn not_a_record(&mut self, bytes: &[u8]) -> TestResult {
        let before = self.server.stderr().len();
        self.send(bytes, Sent::Other(bytes.to_vec()))?;
        let size = Arg::Bytes(bytes.len() as u64);
        let after = say("students-after-datagram").arg("size", size.clone());
        let until = (Instant::now() + WRITE_WAIT).min(self.deadline);
        while self.server.stderr().len() <= before {
            self.server
                .expect_running()
                .map_err(|f| self.decorate(f))
                .context(after.clone())?;
            if Instant::now() >= until {
                return Err(self.fail(
                    say("students-no-warning")
                        .arg("wait", Arg::Seconds(WRITE_WAIT))
                        .arg("size", size)
                        .arg("record", RECORD_LEN),
                ));
            }
            std::thread::sleep(POLL);
        }
        // The warning is out; a line written for it would be a mistake.
        let actual = self.read_out()?;
        if actual != self.expected.as_bytes() {
            return Err(
                self.file_failure(say("students-out-file-changed").arg("size", size), &actual)
            );
        }
        self.server
            .expect_running()
            .map_err(|f| self.decorate(f))
            .context(after)
    }

    /// OUT_FILE's bytes (none if it does not exist yet), as far as a
    /// comparison with the expected lines needs them: a program may write
    /// far more.
    fn read_out(&self) -> Result<Vec<u8>, Failure> {
        match compare::read_written(&self.out, self.expected.len()) {
            Ok((start, _)) => Ok(start),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(Failure::grader(format!("reading OUT_FILE: {e}"))),
        }
    }

    /// Polls OUT_FILE until it holds exactly the expected lines; fails at
    /// once when it holds something else than a beginning of them.
    fn wait_for_file(&self) -> TestResult {
        let until = (Instant::now() + WRITE_WAIT).min(self.deadline);
        loop {
            let actual = self.read_out()?;
            if actual == self.expected.as_bytes() {
                return Ok(());
            }
            if !self.expected.as_bytes().starts_with(&actual) {
                let f = self.file_failure(say("students-wrong-lines"), &actual);
                return Err(match &self.hint {
                    Some(hint) => f.say(hint.clone()),
                    None => f,
                });
            }
            self.server.expect_running().map_err(|f| self.decorate(f))?;
            if Instant::now() >= until {
                return Err(self
                    .file_failure(
                        say("students-line-missing").arg("wait", Arg::Seconds(WRITE_WAIT)),
                        &actual,
                    )
                    .say(say("students-flush")));
            }
            std::thread::sleep(POLL);
        }
    }

    /// A failure about OUT_FILE's content, with a diff.
    fn file_failure(&self, property: impl Into<crate::model::Sentence>, actual: &[u8]) -> Failure {
        // NUL bytes are shown as `\0`: printed raw, a terminal hides them.
        let mut shown = Vec::with_capacity(actual.len());
        for &b in actual {
            if b == 0 {
                shown.extend_from_slice(b"\\0");
            } else {
                shown.push(b);
            }
        }
        let mut f = self.fail(property).with_opt(compare::labelled_text(
            say("students-out-file").arg("name", OUT).into(),
            &self.expected,
            &shown,
        ));
        if !actual.starts_with(self.initial.as_bytes()) {
            f = f.say(say("students-append"));
        }
        if actual.contains(&0) {
            f = f.say(say("students-nul-in-file"));
        }
        f
    }

    fn fail(&self, property: impl Into<crate::model::Sentence>) -> Failure {
        self.decorate(Failure::mismatch(property))
    }

    /// Adds what was sent, how to start the server and how to send the
    /// same again.
    fn decorate(&self, mut f: Failure) -> Failure {
        let listing: Vec<Sentence> = self
            .sent
            .iter()
            .enumerate()
            .map(|(i, s)| match s {
                Sent::Record(r) => numbered(
                    i + 1,
                    Sentence::template("students-sent-record", vec![("record", decode(&r.pack()))]),
                ),
                Sent::Other(b) => numbered(
                    i + 1,
                    say("students-sent-datagram")
                        .arg("size", Arg::Bytes(b.len() as u64))
                        .arg("bytes", escape_bytes(b))
                        .into(),
                ),
            })
            .collect();
        if !listing.is_empty() {
            f = f.text(
                say("students-datagrams-sent").arg("addr", self.server.addr().to_string()),
                Quoted::lines(listing),
            );
        }
        // A failure of `Server::expect_running` has the command and the
        // server's stderr already.
        let has_server = f.details.iter().any(|d| {
            matches!(
                d,
                Detail::Command {
                    label: crate::harness::Label::ServerCommand,
                    ..
                }
            )
        });
        if !has_server {
            f = f.with(Detail::Command {
                label: "start your server".into(),
                command: self.server.invocation().clone(),
            });
        }
        let stderr = self.server.stderr();
        if !stderr.is_empty() && !has_server {
            f = f.text(
                "server stderr",
                String::from_utf8_lossy(&stderr).into_owned(),
            );
        }
        // The same datagrams by hand: records through the client, the
        // others (if any can be typed) with nc.
        let records: Vec<String> = self
            .sent
            .iter()
            .filter_map(|s| match s {
                Sent::Record(r) => Some(format!("{}\n", r.csv())),
                Sent::Other(_) => None,
            })
            .collect();
        if !records.is_empty() && records.len() <= 8 {
            f = f.with(Detail::Command {
                label: say("students-send-with-client").into(),
                command: format!(
                    "{} | cargo run -q -p students --bin student_client -- {}",
                    printf_command(records.concat().as_bytes()),
                    self.server.addr()
                )
                .into(),
            });
        }
        if let Some(Sent::Other(b)) = self.sent.last() {
            if !b.is_empty() {
                let addr = self.server.addr();
                f = f.with(Detail::Command {
                    label: say("students-last-with-nc").into(),
                    command: format!(
                        "{} | nc -u -w1 {} {}",
                        printf_command(b),
                        addr.ip(),
                        addr.port()
                    )
                    .into(),
                });
            }
        }
        f
    }
}

/// A `printf` command that prints `bytes` (a format starting with `-`
/// would be taken for an option without `--`).
fn printf_command(bytes: &[u8]) -> String {
    let dashes = if bytes.starts_with(b"-") { " --" } else { "" };
    format!("printf{dashes} {}", printf_arg(bytes))
}

/// Starts the server with OUT_FILE holding `initial` (absent if `None`).
fn start_server(t: &mut Ctx, initial: Option<&str>) -> Result<Server, Failure> {
    if let Some(text) = initial {
        t.write(OUT, text)?;
    }
    let addr = t.addr();
    t.start_udp_server(&[addr.to_string(), OUT.to_string()], addr)
}

/// Starts the server on a missing OUT_FILE and sends it `records`.
fn feed_records(t: &mut Ctx, records: &[Rec]) -> TestResult {
    let server = start_server(t, None)?;
    let mut feed = Feed::new(t, &server, "")?;
    for r in records {
        feed.record(r)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The tests: server

fn server_writes_records(t: &mut Ctx) -> TestResult {
    feed_records(
        t,
        &[
            rec(1, "Lily", 15, "1.66"),
            rec(2, "Tom", 16, "1.72"),
            rec(3, "Christopher", 17, "1.8"),
            rec(4, "Alexandra", 18, "1.65"),
            rec(5, "Bo", 19, "2"),
        ],
    )
}

fn server_appends(t: &mut Ctx) -> TestResult {
    let initial = "1   Lily        15   1.66\nwritten before the server started\n";
    let server = start_server(t, Some(initial))?;
    let mut feed = Feed::new(t, &server, initial)?;
    feed.record(&rec(2, "Tom", 16, "1.72"))?;
    feed.record(&rec(3, "Ann", 17, "1.6"))
}

fn server_utf8_names(t: &mut Ctx) -> TestResult {
    let server = start_server(t, None)?;
    let mut feed = Feed::new(t, &server, "")?;
    let records = [
        rec(1, "张三", 20, "1.75"),
        rec(2, "欧阳娜娜娜", 21, "1.62"),
        rec(3, "José", 22, "1.7"),
        rec(4, "李雷 Hanmeimei", 23, "1.81"),
        rec(5, "abcdefghijklmnop", 24, "1.69"),
    ];
    let hints = [
        say("students-hint-pad")
            .arg("format", "{:<10}")
            .arg("name", "张三"),
        say("students-hint-five-han"),
        say("students-hint-char").arg("char", "é"),
        say("students-hint-sixteen"),
        say("students-hint-sixteen"),
    ];
    for (r, hint) in records.iter().zip(hints) {
        feed.record_hinted(r, hint)?;
    }
    Ok(())
}

fn server_numbers(t: &mut Ctx) -> TestResult {
    feed_records(
        t,
        &[
            rec(-1, "Neg", 30, "1.005"),
            rec(i32::MIN, "Min", 0, "1.755"),
            rec(i32::MAX, "Max", 1000, "2.675"),
            rec(0, "Zero", -5, "0.125"),
            rec(-20230917, "Round", 44, "1.999"),
        ],
    )
}

fn server_wrong_sizes(t: &mut Ctx) -> TestResult {
    let server = start_server(t, None)?;
    let mut feed = Feed::new(t, &server, "")?;
    let first = rec(1, "Lily", 15, "1.66");
    feed.record(&first)?;
    let packed = rec(2, "Tom", 16, "1.72").pack();
    feed.not_a_record(&packed[..RECORD_LEN - 1])?;
    feed.record(&rec(3, "Ann", 17, "1.6"))?;
    let mut long = rec(4, "Bob", 18, "1.8").pack();
    long.push(b'!');
    feed.not_a_record(&long)
        .map_err(|f| f.say(say("students-cut-to-buffer")))?;
    feed.record(&rec(5, "Sue", 19, "1.62"))?;
    feed.not_a_record(b"")?;
    feed.record(&rec(6, "Kim", 20, "1.65"))
}

// ---------------------------------------------------------------------------
// The tests: client

fn client_sends_records(t: &mut Ctx) -> TestResult {
    client_round_trip(
        t,
        &[
            rec(1, "Lily", 15, "1.66"),
            rec(2, "Tom", 16, "1.72"),
            rec(3, "Christopher", 17, "1.8"),
            rec(4, "Ann", 18, "1.755"),
        ],
    )
}

fn client_utf8_names(t: &mut Ctx) -> TestResult {
    client_round_trip(
        t,
        &[
            rec(5, "张三", 19, "1.68"),
            rec(6, "欧阳娜娜娜", 20, "1.6"),
            rec(7, "李雷 Hanmeimei", 21, "1.75"),
            rec(8, "abcdefghijklmnop", 22, "1.7"),
        ],
    )
}

fn client_rejects_long_names(t: &mut Ctx) -> TestResult {
    client_with_rejects(
        t,
        &[
            ("1,Lily,15,1.66", true),
            ("2,abcdefghijklmnopq,16,1.7", false),
            ("3,Tom,16,1.72", true),
            ("4,欧阳娜娜娜娜,20,1.6", false),
            ("5,Ann,18,1.6", true),
        ],
    )
    .map_err(|f| f.say(say("students-long-name")))
    .map(drop)
}

/// Exit 1 after the last line when a line was not sent: once for a name too
/// long (the last line), once for a line that is no record (in the middle,
/// the lines after it still sent).
fn client_exit_status(t: &mut Ctx) -> TestResult {
    let runs: [(Phrase, &[(&str, bool)]); 2] = [
        (
            say("students-name-too-long"),
            &[
                ("1,Lily,15,1.66", true),
                ("2,abcdefghijklmnopq,16,1.7", false),
            ],
        ),
        (
            say("students-not-a-record-line"),
            &[
                ("1,Lily,15,1.66", true),
                ("2,Tom,16", false),
                ("3,Ann,17,1.6", true),
            ],
        ),
    ];
    for (what, lines) in runs {
        let run = client_with_rejects(t, lines)?;
        run.out.expect_code(1).map_err(|f| {
            f.note(Sentence::template(
                "students-exit-1",
                vec![("what", what.into())],
            ))
        })?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The test: both programs

fn bad_arguments(t: &mut Ctx) -> TestResult {
    let server = |key| say(key).arg("program", "student_server");
    let client = |key| say(key).arg("program", "student_client");
    t.use_program("student_server");
    t.command_no_args()
        .expect_refusal(server("students-no-arguments"))?;
    let args = ["not-an-address".to_string(), OUT.to_string()];
    t.command(&args).expect_refusal(
        say("students-bad-addr")
            .arg("program", "student_server")
            .arg("addr", "not-an-address"),
    )?;
    // An address a UDP socket of the suite's is already bound to.
    let addr = t.addr();
    let taken = UdpSocket::bind(addr)
        .map_err(|e| Failure::grader(format!("binding a UDP socket on {addr}: {e}")))?;
    let args = [addr.to_string(), OUT.to_string()];
    t.command(&args)
        .expect_refusal(server("students-addr-taken"))?;
    drop(taken);
    // A free address, and an OUT_FILE that is a directory.
    let dir = "a_directory";
    t.mkdir(dir)?;
    let args = [t.addr().to_string(), dir.to_string()];
    t.command(&args)
        .expect_refusal(server("students-out-file-directory"))?;
    t.use_program("student_client");
    t.command_no_args()
        .expect_refusal(client("students-no-arguments"))?;
    let what = say("students-bad-addr")
        .arg("program", "student_client")
        .arg("addr", "not-an-address");
    t.command(&["not-an-address".to_string()])
        .stdin("1,Lily,15,1.66\n")
        .expect_refusal(what)
}

/// The suite's own records pack the way the contract says.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_pack_as_the_notes_struct() {
        let r = rec(1, "Lily", 15, "1.66");
        let p = r.pack();
        assert_eq!(p.len(), RECORD_LEN);
        assert_eq!(&p[..8], b"\x01\0\0\0Lily");
        assert_eq!(r.line(), "1   Lily        15   1.66\n");
        let wide = rec(2, "张三", 20, "1.755");
        assert_eq!(wide.line(), "2   张三          20   1.75\n");
    }

    #[test]
    fn a_datagram_reads_in_the_readers_language_its_fields_as_they_are() {
        use crate::text::Lang;
        let record = numbered(1, decode(&rec(1, "Lily", 15, "1.66").pack()));
        assert_eq!(
            record.english(),
            "1. id 1, name \"Lily\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\", age 15, height 1.66"
        );
        assert_eq!(
            record.show(Lang::Zh),
            "1. id 1，name \"Lily\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\"，age 15，height 1.66"
        );
        let short = numbered(2, decode(b"abc"));
        assert_eq!(
            short.english(),
            "2. 3 bytes (not a record: a record is 28 bytes)"
        );
        assert_eq!(
            short.show(Lang::Zh),
            "2. 3 字节（不是记录：一条记录是 28 字节）"
        );
        let sent = Sentence::template("students-sent-record", vec![("record", decode(b"x"))]);
        assert_eq!(
            sent.show(Lang::Zh),
            "一条记录：1 字节（不是记录：一条记录是 28 字节）"
        );
        // The leak check reads the words, not the fields.
        let words = record.words(Lang::Zh).unwrap_or_default();
        assert!(!words.contains("Lily"), "{words}");
        assert_eq!(crate::leak::english_run(&words), None);
    }
}
