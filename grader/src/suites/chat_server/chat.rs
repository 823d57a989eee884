//! The chat as the tests see it: the student's server with the log of
//! every connection to it ([`Chat`], [`Log`]), and [`Client`]s, sessions
//! that speak the protocol and keep the `FROM` lines they meet while they
//! wait for a reply.
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::{Duration, Instant};

use super::*;
use crate::harness::escape::escape_bytes;
use crate::harness::{
    compare, say, Cause, Ctx, Failure, Quoted, ResultExt, Server, Session, TestResult,
};
use crate::model::Sentence;
use crate::text::Arg;

/// How long a user may stay listed by `WHO` after their connection closed.
const LEAVE_WAIT: Duration = Duration::from_secs(10);

/// How long a killed server may take to be gone.
const EXIT_WAIT: Duration = Duration::from_secs(10);

/// The longest line the suite reads.
const MAX_LINE: usize = 64 * 1024;

/// How many lines of the log of all connections a failure shows.
const LOG_SHOWN: usize = 40;

/// How many bytes of the server's stderr a failure shows (the last ones).
const STDERR_SHOWN: usize = 2000;

// ---------------------------------------------------------------------------
// The server

/// The student's server and the log of every connection to it.
pub(super) struct Chat {
    pub(super) server: Rc<Server>,
    pub(super) log: Log,
}

/// What every client of a test sent and read, in order, connection by
/// connection, and the restarts: a session's transcript shows only its own
/// connection, and a test of a chat is about several.
#[derive(Clone, Default)]
pub(super) struct Log(Rc<RefCell<LogEntries>>);

/// The lines of a [`Log`] (the bytes are data, the rest the suite's
/// words), and how many connections are open.
#[derive(Default)]
pub(super) struct LogEntries {
    pub(super) lines: Vec<Sentence>,
    pub(super) open: usize,
}

impl Log {
    pub(super) fn push(&self, entry: impl Into<Sentence>) {
        self.0.borrow_mut().lines.push(entry.into());
    }

    /// Logs what connection `who` did (`key`, with `who` and any more
    /// parts).
    fn said(&self, key: &'static str, who: &Sentence, more: Vec<(&'static str, Sentence)>) {
        let mut parts = vec![("who", who.clone())];
        parts.extend(more);
        self.push(Sentence::template(key, parts));
    }

    /// How many of the test's connections are open.
    pub(super) fn open(&self) -> usize {
        self.0.borrow().open
    }

    /// The last lines of the log, for feedback.
    pub(super) fn shown(&self) -> Quoted {
        let entries = &self.0.borrow().lines;
        let skip = entries.len().saturating_sub(LOG_SHOWN);
        let mut lines: Vec<Sentence> = Vec::new();
        if skip > 0 {
            lines.push(say("chat-log-earlier").arg("count", skip).into());
        }
        lines.extend(entries[skip..].iter().cloned());
        Quoted::lines(lines)
    }
}

/// Creates DATA_DIR and starts the server.
pub(super) fn start(t: &mut Ctx) -> Result<Chat, Failure> {
    t.mkdir(DATA_DIR)?;
    let addr = t.addr();
    let server = t.start_server(&[addr.to_string(), DATA_DIR.to_string()], addr)?;
    Ok(Chat {
        server: Rc::new(server),
        log: Log::default(),
    })
}

/// Kills the server with SIGKILL, waits until it is gone, and starts it
/// again on the same address and DATA_DIR.
pub(super) fn restart(t: &mut Ctx, chat: Chat) -> Result<Chat, Failure> {
    let Chat { server, log } = chat;
    server
        .expect_running()
        .context(say("chat-before-restart"))?;
    let addr = server.addr();
    server.kill();
    let until = Instant::now() + EXIT_WAIT;
    while server.expect_running().is_ok() {
        if Instant::now() >= until {
            return Err(Failure::grader(
                "the server killed with SIGKILL is still running",
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(server);
    log.push(say("chat-log-restart"));
    let server = t
        .start_server(&[addr.to_string(), DATA_DIR.to_string()], addr)
        .context(say("chat-restarting"))?;
    Ok(Chat {
        server: Rc::new(server),
        log,
    })
}

// ---------------------------------------------------------------------------
// Clients

/// A connection that speaks the protocol.
pub(super) struct Client {
    pub(super) s: Session,
    /// Who this connection is, for feedback (a name is quoted data, a
    /// description a sentence; the log of connections has its English).
    pub(super) label: Sentence,
    /// `FROM` lines received but not checked yet, oldest first.
    pub(super) froms: VecDeque<String>,
    /// The log of all the test's connections.
    pub(super) log: Log,
    /// The server it talks to.
    pub(super) server: Rc<Server>,
}

impl Drop for Client {
    fn drop(&mut self) {
        self.log.said("chat-log-closes", &self.label, Vec::new());
        self.log.0.borrow_mut().open -= 1;
    }
}

/// Connects a client that has not logged in.
pub(super) fn connect(t: &Ctx, chat: &Chat, label: impl Into<Sentence>) -> Result<Client, Failure> {
    let label: Sentence = label.into();
    let mut s = t.connect(&chat.server)?;
    s.set_read_timeout(REPLY_WAIT);
    chat.log.said("chat-log-connects", &label, Vec::new());
    chat.log.0.borrow_mut().open += 1;
    Ok(Client {
        s,
        label,
        froms: VecDeque::new(),
        log: chat.log.clone(),
        server: chat.server.clone(),
    })
}

/// Connects a client and logs it in as `name`.
pub(super) fn user(t: &Ctx, chat: &Chat, name: &str) -> Result<Client, Failure> {
    let mut c = connect(t, chat, format!("`{name}`"))?;
    c.login(name)?;
    Ok(c)
}

/// The `FROM` line of a message.
pub(super) fn from_line(from: &str, text: &str) -> String {
    format!("FROM {from} {text}")
}

/// The `USERS` line listing `names`, sorted.
pub(super) fn users_line(names: &[&str]) -> String {
    let mut names = names.to_vec();
    names.sort_unstable();
    format!("USERS {}", names.join(" "))
}

impl Client {
    /// Adds which connection this is to a failure.
    pub(super) fn mark(&self, f: Failure) -> Failure {
        if f.cause == Cause::GraderError {
            f
        } else {
            let on = Sentence::template("chat-on-connection", vec![("who", self.label.clone())]);
            let mut f = f
                .note(on)
                .text(say("chat-all-connections"), self.log.shown());
            let stderr = self.server.stderr();
            if !stderr.is_empty() && matches!(f.cause, Cause::Mismatch | Cause::Timeout) {
                let tail = &stderr[stderr.len().saturating_sub(STDERR_SHOWN)..];
                f = f.text("server stderr", String::from_utf8_lossy(tail).into_owned());
            }
            f
        }
    }

    /// Adds to a reply that never came why a server may not get to it.
    pub(super) fn unanswered(&self, f: Failure) -> Failure {
        if f.cause == Cause::Timeout && self.log.open() > 1 {
            f.say(say("chat-others-connected"))
        } else {
            f
        }
    }

    /// A failure on this connection, with its transcript.
    pub(super) fn fail(&self, property: impl Into<Sentence>) -> Failure {
        self.mark(self.s.fail(property))
    }

    /// A failure showing the line expected and the line received.
    pub(super) fn mismatch(
        &self,
        property: impl Into<Sentence>,
        expected: &str,
        got: &str,
    ) -> Failure {
        self.fail(property).with_opt(compare::labelled_text(
            say("chat-line-received").into(),
            &format!("{expected}\n"),
            format!("{got}\n").as_bytes(),
        ))
    }

    /// Sends raw bytes.
    pub(super) fn send(&mut self, bytes: &[u8]) -> TestResult {
        for piece in bytes.split_inclusive(|&b| b == b'\n') {
            let bytes = Sentence::plain(escape_bytes(piece));
            self.log
                .said("chat-log-sends", &self.label, vec![("bytes", bytes)]);
        }
        self.s.send(bytes).map_err(|f| self.mark(f))
    }

    /// Reads one line, without its `\n`.
    pub(super) fn line(&mut self) -> Result<String, Failure> {
        let mut bytes = self
            .s
            .recv_until(b"\n", MAX_LINE)
            .map_err(|f| self.mark(f))?;
        let received = Sentence::plain(escape_bytes(&bytes));
        self.log
            .said("chat-log-receives", &self.label, vec![("bytes", received)]);
        bytes.pop();
        String::from_utf8(bytes).map_err(|_| self.fail(say("chat-not-utf8")))
    }

    /// Reads the reply to a command, keeping the `FROM` lines before it.
    pub(super) fn reply(&mut self) -> Result<String, Failure> {
        loop {
            let line = self.line().map_err(|f| self.unanswered(f))?;
            if line.starts_with("FROM ") {
                self.froms.push_back(line);
            } else {
                return Ok(line);
            }
        }
    }

    /// Sends a command line and reads its reply.
    pub(super) fn command(&mut self, line: &str) -> Result<String, Failure> {
        self.send(format!("{line}\n").as_bytes())?;
        self.reply()
    }

    /// Logs in as `name`.
    pub(super) fn login(&mut self, name: &str) -> TestResult {
        self.send(format!("LOGIN {name}\n").as_bytes())?;
        self.login_reply()
    }

    /// Reads the reply to a `LOGIN`: the very next line must be `OK` (no
    /// `FROM` line can come before it: the user was not logged in).
    pub(super) fn login_reply(&mut self) -> TestResult {
        let got = self
            .line()
            .map_err(|f| self.unanswered(f))
            .context(say("chat-login"))?;
        if got == "OK" {
            return Ok(());
        }
        let mut f = self.mismatch(say("chat-login-should-be-ok"), "OK", &got);
        if got.starts_with("FROM ") {
            f = f.say(say("chat-stored-after-ok"));
        }
        Err(f)
    }

    /// Sends a command line that must be answered `OK`.
    pub(super) fn expect_ok(&mut self, line: &str, what: impl Into<Sentence>) -> TestResult {
        self.expect_ok_raw(format!("{line}\n").as_bytes(), what)
    }

    /// Sends raw bytes that must be answered `OK`.
    pub(super) fn expect_ok_raw(&mut self, bytes: &[u8], what: impl Into<Sentence>) -> TestResult {
        let what: Sentence = what.into();
        self.send(bytes)?;
        let got = self.reply().context(what.clone())?;
        if got == "OK" {
            Ok(())
        } else {
            Err(self
                .mismatch(say("chat-should-be-ok"), "OK", &got)
                .context(what))
        }
    }

    /// Sends `SEND <to> <text>`, which must be answered `OK`.
    pub(super) fn send_message(
        &mut self,
        to: &str,
        text: &str,
        what: impl Into<Sentence>,
    ) -> TestResult {
        self.expect_ok(&format!("SEND {to} {text}"), what)
    }

    /// Sends raw bytes that must be answered `ERR <reason>`.
    pub(super) fn expect_err(&mut self, bytes: &[u8], what: impl Into<Sentence>) -> TestResult {
        let what: Sentence = what.into();
        self.send(bytes)?;
        let got = self.reply().context(what.clone())?;
        if got.len() > 4 && got.starts_with("ERR ") {
            return Ok(());
        }
        let mut f = self
            .fail(say("chat-should-be-err"))
            .context(what)
            .text(say("chat-line-received"), got.clone());
        if got == "ERR" || got == "ERR " {
            f = f.say(say("chat-err-reason"));
        }
        Err(f)
    }

    /// Sends `WHO` and expects exactly these users (in sorted order).
    pub(super) fn expect_users(&mut self, names: &[&str], what: impl Into<Sentence>) -> TestResult {
        let what: Sentence = what.into();
        let expected = users_line(names);
        let got = self.command("WHO").context(what.clone())?;
        if got == expected {
            Ok(())
        } else {
            Err(self
                .mismatch(say("chat-wrong-who"), &expected, &got)
                .context(what)
                .say(say("chat-who-sorted")))
        }
    }

    /// Sends `WHO` and returns the names it lists.
    pub(super) fn online(&mut self, what: impl Into<Sentence>) -> Result<Vec<String>, Failure> {
        let what: Sentence = what.into();
        let got = self.command("WHO").context(what.clone())?;
        match got.strip_prefix("USERS ") {
            Some(names) => Ok(names.split(' ').map(str::to_string).collect()),
            None => Err(self
                .fail(say("chat-who-should-be-users"))
                .context(what)
                .text(say("chat-line-received"), got)),
        }
    }

    /// Waits until `WHO` no longer lists `name`.
    pub(super) fn wait_gone(&mut self, name: &str, what: impl Into<Sentence>) -> TestResult {
        let what: Sentence = what.into();
        let until = Instant::now() + LEAVE_WAIT;
        loop {
            if !self.online(what.clone())?.iter().any(|n| n == name) {
                return Ok(());
            }
            if Instant::now() >= until {
                return Err(self
                    .fail(say("chat-still-listed").arg("wait", Arg::Seconds(LEAVE_WAIT)))
                    .context(what)
                    .say(say("chat-offline-when-closed")));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Expects the next `FROM` line to be `FROM <from> <text>`.
    pub(super) fn expect_from(
        &mut self,
        from: &str,
        text: &str,
        what: impl Into<Sentence>,
        note: impl Into<Sentence>,
    ) -> TestResult {
        let (what, note): (Sentence, Sentence) = (what.into(), note.into());
        let expected = from_line(from, text);
        let got = match self.froms.pop_front() {
            Some(line) => line,
            None => match self.line() {
                Ok(line) if line.starts_with("FROM ") => line,
                Ok(line) => {
                    return Err(self
                        .fail(say("chat-expected-from"))
                        .context(what)
                        .text(say("chat-expected"), expected)
                        .text(say("chat-line-received"), line)
                        .note(note))
                }
                Err(f) if f.cause == Cause::Timeout => {
                    let mut f = f.note(note).text(say("chat-expected"), expected);
                    f.property = Sentence::in_situation(
                        what,
                        say("chat-no-from")
                            .arg("wait", Arg::Seconds(REPLY_WAIT))
                            .into(),
                    );
                    return Err(f);
                }
                Err(f) => return Err(f.context(what)),
            },
        };
        if got == expected {
            Ok(())
        } else {
            Err(self
                .mismatch(say("chat-wrong-from"), &expected, &got)
                .context(what)
                .note(note))
        }
    }

    /// Expects these messages, in this order.
    pub(super) fn expect_messages(
        &mut self,
        msgs: &[(String, String)],
        what: impl Into<Sentence>,
        note: impl Into<Sentence>,
    ) -> TestResult {
        let (what, note): (Sentence, Sentence) = (what.into(), note.into());
        for (i, (from, text)) in msgs.iter().enumerate() {
            let what = Sentence::template(
                "chat-message-of",
                vec![
                    ("what", what.clone()),
                    ("n", Sentence::plain((i + 1).to_string())),
                    ("count", Sentence::plain(msgs.len().to_string())),
                ],
            );
            self.expect_from(from, text, what, note.clone())?;
        }
        Ok(())
    }

    /// Makes a `WHO` round trip and expects no `FROM` line beyond those the
    /// test already checked.
    pub(super) fn expect_quiet(
        &mut self,
        what: impl Into<Sentence>,
        note: impl Into<Sentence>,
    ) -> TestResult {
        let what: Sentence = what.into();
        self.online(what.clone())?;
        if self.froms.is_empty() {
            return Ok(());
        }
        let extra: Vec<String> = self.froms.drain(..).collect();
        Err(self
            .fail(say("chat-unexpected-from"))
            .context(what)
            .text(say("chat-unexpected-lines"), extra.join("\n"))
            .note(note))
    }
}

/// A message: (sender, text).
pub(super) fn msg(from: &str, text: &str) -> (String, String) {
    (from.to_string(), text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Lang;

    #[test]
    fn the_log_says_its_words_in_the_readers_language() {
        let log = Log::default();
        let alice = Sentence::plain("`alice`");
        log.said("chat-log-connects", &alice, Vec::new());
        let bytes = Sentence::plain(escape_bytes(b"LOGIN alice\n"));
        log.said("chat-log-sends", &alice, vec![("bytes", bytes)]);
        let ok = Sentence::plain(escape_bytes(b"OK\n"));
        log.said("chat-log-receives", &alice, vec![("bytes", ok)]);
        log.push(say("chat-log-restart"));
        log.said(
            "chat-log-closes",
            &say("chat-second-client").into(),
            Vec::new(),
        );
        let shown = log.shown();
        assert_eq!(
            shown.english(),
            "`alice` connects\n\
             `alice` sends    \"LOGIN alice\\n\"\n\
             `alice` receives \"OK\\n\"\n\
             (the server is killed with SIGKILL and started again, same ADDR and DATA_DIR)\n\
             a second client closes its connection"
        );
        assert_eq!(
            shown.show(Lang::Zh),
            "`alice` 连接服务器\n\
             `alice` 发送 \"LOGIN alice\\n\"\n\
             `alice` 收到 \"OK\\n\"\n\
             （用 SIGKILL 杀死服务器，再以同样的 ADDR 和 DATA_DIR 启动它）\n\
             第二个客户端 关闭连接"
        );
        for _ in 0..LOG_SHOWN {
            log.said("chat-log-connects", &alice, Vec::new());
        }
        let shown = log.shown();
        assert!(shown
            .english()
            .starts_with("… (5 earlier lines)\n`alice` connects\n"));
        assert!(shown.show(Lang::Zh).starts_with("…（前面还有 5 行）\n"));
    }
}
