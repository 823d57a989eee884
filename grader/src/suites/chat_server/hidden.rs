//! The hidden tests of `chat_server`: left out of the repository students clone.
use super::*;
use crate::harness::{Ctx, ResultExt, Rng, TestDef, TestResult};
use std::collections::BTreeSet;
use std::net::TcpStream;
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("name_taken", 2, name_taken).clauses(&[9]),
        TestDef::hidden("crlf_lines", 2, crlf_lines).clauses(&[5]),
        TestDef::hidden("text_spaces_kept", 2, text_spaces_kept).clauses(&[3, 7]),
        TestDef::hidden("names_stay_in_data_dir", 3, names_stay_in_data_dir)
            .clauses(&[3, 6, 13])
            .timeout(Duration::from_secs(20)),
        TestDef::hidden("many_offline_messages", 3, many_offline_messages)
            .clauses(&[3])
            .timeout(Duration::from_secs(30)),
        TestDef::hidden("exactly_once_after_restart", 4, exactly_once_after_restart)
            .clauses(&[2, 11, 12])
            .timeout(Duration::from_secs(40)),
        TestDef::hidden("abrupt_disconnects", 2, abrupt_disconnects)
            .clauses(&[10, 15])
            .timeout(Duration::from_secs(30)),
    ]
}

/// Said when messages come back after a restart.
const ONCE_NOTE: &str = "remove a user's stored messages from DATA_DIR when you deliver \
    them, so that a restarted server does not deliver them again";

fn name_taken(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut alice = user(t, &chat, "alice")?;
    let mut other = connect(t, &chat, "a second client")?;
    other.expect_err(b"LOGIN alice\n", "`LOGIN` with a name already online")?;
    other
        .login("bob")
        .context("a client whose `LOGIN` was refused, logging in with a free name")?;
    other.label = "`bob`".into();
    alice.expect_err(
        b"LOGIN carol\n",
        "a second `LOGIN` on a connection already logged in",
    )?;
    alice.expect_users(&["alice", "bob"], "after the refused logins")?;
    let text = "which alice are you?";
    other.send_message("alice", text, "`SEND` to a user online")?;
    alice.expect_from(
        "bob",
        text,
        "the first client to log in with a name",
        "a refused `LOGIN` changes nothing: the name stays with the first client",
    )?;
    alice.expect_quiet("the first client", "each message arrives once")?;
    other.expect_quiet(
        "the client whose `LOGIN` was refused",
        "a refused `LOGIN` changes nothing",
    )
}

fn crlf_lines(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let note = "a client may end its lines with `\\r\\n`: the `\\r` is part of the line \
                ending, not of the name or the text";
    let mut alice = user(t, &chat, "alice")?;
    let mut bob = connect(t, &chat, "`bob`")?;
    bob.send(b"LOGIN bob\r\n")?;
    bob.login_reply().context("`LOGIN` ending in `\\r\\n`")?;
    alice
        .expect_users(&["alice", "bob"], "after a `LOGIN` ending in `\\r\\n`")
        .map_err(|f| f.note(note))?;
    let what = "`SEND` ending in `\\r\\n`";
    bob.expect_ok_raw(b"SEND alice hi there\r\n", what)?;
    alice.expect_from("bob", "hi there", what, note)?;
    let text = "and hello to you";
    alice.send_message(
        "bob",
        text,
        "`SEND` to the user who logged in with `\\r\\n`",
    )?;
    bob.expect_from("alice", text, "the user who logged in with `\\r\\n`", note)?;
    let what = "`WHO` ending in `\\r\\n`";
    bob.send(b"WHO\r\n")?;
    let got = bob.reply().context(what)?;
    let expected = users_line(&["alice", "bob"]);
    if got != expected {
        return Err(bob
            .mismatch(format!("{what}: wrong reply"), &expected, &got)
            .note(note));
    }
    bob.expect_ok_raw(
        b"SEND dave stored text\r\n",
        "`SEND` ending in `\\r\\n` to a user offline",
    )?;
    let mut dave = user(t, &chat, "dave")?;
    dave.expect_messages(
        &[msg("bob", "stored text")],
        "a message stored from a `SEND` ending in `\\r\\n`",
        note,
    )?;
    dave.expect_quiet("after the stored message", "each message arrives once")
}

fn text_spaces_kept(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let word = t.rng().word(6);
    let note = "the text is the rest of the line after `SEND <to> `, byte for byte: spaces \
                at its start and end included (strip only the `\\n`, and a `\\r` before it)";
    let mut alice = user(t, &chat, "alice")?;
    let mut bob = user(t, &chat, "bob")?;
    let texts = [
        format!("  {word} with spaces around  "),
        format!("{word} trailing   "),
        "   ".to_string(),
    ];
    for text in &texts {
        alice.send_message("bob", text, "`SEND` of a text with spaces at its ends")?;
        bob.expect_from(
            "alice",
            text,
            "a text with spaces at its ends, relayed",
            note,
        )?;
    }
    let own = format!("note to self: {word} ");
    alice.send_message("alice", &own, "`SEND` to oneself")?;
    alice.expect_from("alice", &own, "a message to oneself", note)?;
    let stored = format!(" {word} stored, ends in a space ");
    bob.send_message("carol", &stored, "`SEND` to a user offline")?;
    let mut carol = user(t, &chat, "carol")?;
    carol.expect_messages(
        &[msg("bob", &stored)],
        "a stored text with spaces at its ends",
        note,
    )?;
    bob.expect_quiet("after the texts with spaces", "each message arrives once")
}

/// Every file under `dir`, DATA_DIR left out, as paths relative to `dir`.
fn files_outside_data(dir: &std::path::Path) -> BTreeSet<String> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut BTreeSet<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if rel == std::path::Path::new(DATA_DIR) {
                continue;
            }
            out.insert(rel.display().to_string());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(root, &path, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

fn names_stay_in_data_dir(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let word = t.rng().word(6);
    // Names that are paths if taken as file names: one climbing out of
    // DATA_DIR into the server's own directory, one with a directory in it,
    // and `..` itself.
    let names = [
        format!("../{word}"),
        format!("{word}/inbox"),
        "..".to_string(),
    ];
    let before = files_outside_data(t.dir());
    let mut alice = user(t, &chat, "alice")?;
    for name in &names {
        alice.send_message(
            name,
            &format!("for {name}"),
            &format!("`SEND` to `{name}`, offline"),
        )?;
    }
    for name in &names {
        let mut c = user(t, &chat, name)?;
        c.expect_messages(
            &[msg("alice", &format!("for {name}"))],
            &format!("the message stored for `{name}`"),
            "a name may hold `/` and `..`: it is a name, not a path; store its messages \
             under a file name made from it safely (its bytes in hexadecimal, for instance)",
        )?;
    }
    let after = files_outside_data(t.dir());
    let new: Vec<&String> = after.difference(&before).collect();
    if !new.is_empty() {
        let shown: Vec<String> = new.iter().map(|p| format!("`{p}`")).collect();
        return Err(alice
            .fail(format!(
                "the server wrote outside DATA_DIR: {} appeared beside it",
                shown.join(", ")
            ))
            .note(
                "a name such as `../x` joined to DATA_DIR as a file name leaves DATA_DIR: \
                 never use a name as a path as it is",
            ));
    }
    Ok(())
}

/// Words for random message texts.
const WORDS: &[&str] = &[
    "hello",
    "你好",
    "meeting",
    "at",
    "3pm?",
    "明天见",
    "ok!",
    "room",
    "42",
    "lunch",
    "好的",
    "see",
    "you",
    "soon",
    "收到",
    "thanks,",
    "the",
    "report",
    "is",
    "ready",
    "😀",
];

/// A random message text of a few words, single spaces between them.
fn random_text(rng: &mut Rng) -> String {
    let n = rng.range(1, 6) as usize;
    let mut words: Vec<String> = (0..n).map(|_| rng.choose(WORDS).to_string()).collect();
    // One word of random letters, so that no two texts are alike.
    let len = rng.range(3, 8) as usize;
    words.push(rng.word(len));
    rng.shuffle(&mut words);
    words.join(" ")
}

fn many_offline_messages(t: &mut Ctx) -> TestResult {
    const SENDERS: [&str; 4] = ["amy", "ben", "cat", "dan"];
    const RECIPIENTS: [&str; 5] = ["eve", "fay", "gus", "hal", "ivy"];
    const MESSAGES: usize = 40;
    let mut rng = t.rng();
    let chat = start(t)?;
    let mut senders = Vec::new();
    for name in SENDERS {
        senders.push(user(t, &chat, name)?);
    }
    let mut inbox: Vec<Vec<(String, String)>> = vec![Vec::new(); RECIPIENTS.len()];
    let mut sent = 0;
    let what = "several `SEND` lines to users offline, in one write";
    while sent < MESSAGES {
        let s = rng.below(SENDERS.len() as u64) as usize;
        let k = (rng.range(1, 4) as usize).min(MESSAGES - sent);
        let mut batch = String::new();
        for _ in 0..k {
            let r = rng.below(RECIPIENTS.len() as u64) as usize;
            let text = random_text(&mut rng);
            batch.push_str(&format!("SEND {} {text}\n", RECIPIENTS[r]));
            inbox[r].push(msg(SENDERS[s], &text));
        }
        senders[s].send(batch.as_bytes())?;
        for _ in 0..k {
            let got = senders[s].reply().context(what)?;
            if got != "OK" {
                return Err(senders[s].mismatch(
                    format!("{what}: the reply should be `OK`"),
                    "OK",
                    &got,
                ));
            }
        }
        sent += k;
    }
    let mut order: Vec<usize> = (0..RECIPIENTS.len()).collect();
    rng.shuffle(&mut order);
    let mut online = Vec::new();
    for r in order {
        let mut c = user(t, &chat, RECIPIENTS[r])?;
        // A live message right after the LOGIN's OK comes after the stored ones.
        let s = rng.below(SENDERS.len() as u64) as usize;
        let live = random_text(&mut rng);
        senders[s].send_message(RECIPIENTS[r], &live, "`SEND` to a user who just logged in")?;
        let mut msgs = inbox[r].clone();
        msgs.push(msg(SENDERS[s], &live));
        c.expect_messages(
            &msgs,
            "messages stored from several senders, then one sent after the `LOGIN`",
            STORED_NOTE,
        )?;
        c.expect_quiet(
            "after the stored messages",
            "a user gets the messages stored for them, each once, and no one else's",
        )?;
        online.push(c);
    }
    for s in &mut senders {
        s.expect_quiet("a sender", "a `FROM` line goes to the recipient only")?;
    }
    Ok(())
}

fn exactly_once_after_restart(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    // Before the first kill: one message relayed live, two delivered from
    // storage, one left in storage.
    let mut alice = user(t, &chat, "alice")?;
    let mut bob = user(t, &chat, "bob")?;
    alice.send_message("bob", "live message", "`SEND` to a user online")?;
    bob.expect_from("alice", "live message", "the recipient, online", RELAY_NOTE)?;
    alice.send_message("carol", "stored one", "`SEND` to a user offline")?;
    alice.send_message(
        "dave",
        "for dave, after a restart",
        "`SEND` to a user offline",
    )?;
    alice.send_message("carol", "stored two", "`SEND` to a user offline")?;
    let mut carol = user(t, &chat, "carol")?;
    carol.expect_messages(
        &[msg("alice", "stored one"), msg("alice", "stored two")],
        "the messages stored for a user",
        STORED_NOTE,
    )?;
    carol.expect_quiet("after the stored messages", "each message arrives once")?;
    bob.expect_quiet("after the live message", "each message arrives once")?;
    drop((alice, bob, carol));
    let chat = restart(t, chat)?;
    let mut carol = user(t, &chat, "carol").context("after the restart")?;
    carol.expect_quiet(
        "after a restart, a user whose stored messages were delivered before it",
        ONCE_NOTE,
    )?;
    let mut bob = user(t, &chat, "bob").context("after the restart")?;
    bob.expect_quiet(
        "after a restart, a user who got a message while online",
        "a message relayed to a user online is delivered, not stored",
    )?;
    let mut dave = user(t, &chat, "dave").context("after the restart")?;
    dave.expect_messages(
        &[msg("alice", "for dave, after a restart")],
        "after a restart (SIGKILL), the message stored before it",
        DURABLE_NOTE,
    )?;
    dave.expect_quiet("after a restart", "each stored message is delivered once")?;
    let mut alice = user(t, &chat, "alice").context("after the restart")?;
    alice.send_message(
        "erin",
        "erin one",
        "after a restart, `SEND` to a user offline",
    )?;
    alice.send_message(
        "erin",
        "erin two",
        "after a restart, `SEND` to a user offline",
    )?;
    drop((alice, bob, carol, dave));
    let chat = restart(t, chat).context("a second time")?;
    let mut dave = user(t, &chat, "dave").context("after the second restart")?;
    dave.expect_quiet(
        "after a second restart, a user whose stored message was delivered before it",
        ONCE_NOTE,
    )?;
    let mut erin = user(t, &chat, "erin").context("after the second restart")?;
    erin.expect_messages(
        &[msg("alice", "erin one"), msg("alice", "erin two")],
        "after a second restart, the messages stored before it",
        DURABLE_NOTE,
    )?;
    erin.expect_quiet(
        "after a second restart",
        "each stored message is delivered once",
    )
}

fn abrupt_disconnects(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut alice = user(t, &chat, "alice")?;
    // A client closes its connection in the middle of a line.
    let mut mallory = user(t, &chat, "mallory")?;
    mallory.send(b"SEND alice cut off in the mid")?;
    drop(mallory);
    alice.wait_gone(
        "mallory",
        "after a client closed its connection in the middle of a line",
    )?;
    alice.expect_quiet(
        "after a client closed its connection in the middle of a line",
        "a line cut off by the end of the connection (no `\\n`) is not a command: ignore it",
    )?;
    // A client resets its connection in the middle of a line: closing a
    // socket with unread data makes the kernel send a reset, so wait until
    // the reply to WHO has arrived, and do not read it.
    let mut trudy = user(t, &chat, "trudy")?;
    trudy.send(b"WHO\nSEND alice half a li")?;
    if let Some(stream) = trudy.s.tcp_stream() {
        wait_readable(stream);
    }
    drop(trudy);
    alice.wait_gone("trudy", "after a client reset its connection")?;
    chat.server.expect_running()?;
    alice.expect_quiet(
        "after a client reset its connection in the middle of a line",
        "a line cut off by the end of the connection is not a command: ignore it",
    )?;
    let mut trudy = user(t, &chat, "trudy")
        .context("the name of a client that reset its connection, logging in again")?;
    trudy.expect_users(&["alice", "trudy"], "after the abrupt disconnections")?;
    let text = "welcome back";
    alice.send_message("trudy", text, "`SEND` to a user online")?;
    trudy.expect_from("alice", text, "the user, logged in again", RELAY_NOTE)
}

/// Waits (a few seconds at most) until bytes can be read from `stream`,
/// without reading them.
fn wait_readable(stream: &TcpStream) {
    let _ = stream.set_read_timeout(Some(REPLY_WAIT));
    let _ = stream.peek(&mut [0u8; 1]);
}
