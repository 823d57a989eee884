//! The hidden tests of `chat_server`: left out of the repository students clone.
use super::*;
use crate::harness::{say, Ctx, ResultExt, Rng, TestDef, TestResult};
use crate::text::Phrase;
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
fn once_note() -> Phrase {
    say("chat-once-note")
}

fn name_taken(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut alice = user(t, &chat, "alice")?;
    let mut other = connect(t, &chat, say("chat-second-client"))?;
    other.expect_err(b"LOGIN alice\n", say("chat-login-name-already-online"))?;
    other
        .login("bob")
        .context(say("chat-client-whose-login-was"))?;
    other.label = "`bob`".into();
    alice.expect_err(
        b"LOGIN carol\n",
        say("chat-second-login-connection-already"),
    )?;
    alice.expect_users(&["alice", "bob"], say("chat-after-refused-logins"))?;
    let text = "which alice are you?";
    other.send_message("alice", text, say("chat-send-user-online"))?;
    alice.expect_from(
        "bob",
        text,
        say("chat-first-client-log-name"),
        say("chat-refused-login-changes-nothing"),
    )?;
    alice.expect_quiet(
        say("chat-first-client"),
        say("chat-each-message-arrives-once"),
    )?;
    other.expect_quiet(
        say("chat-client-whose-login-was-2"),
        say("chat-refused-login-changes-nothing-2"),
    )
}

fn crlf_lines(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let note = say("chat-note-client-may-end-lines");
    let mut alice = user(t, &chat, "alice")?;
    let mut bob = connect(t, &chat, "`bob`")?;
    bob.send(b"LOGIN bob\r\n")?;
    bob.login_reply().context(say("chat-login-ending-r-n"))?;
    alice
        .expect_users(&["alice", "bob"], say("chat-after-login-ending-r"))
        .map_err(|f| f.note(note.clone()))?;
    let what = say("chat-send-ending-r-n-2");
    bob.expect_ok_raw(b"SEND alice hi there\r\n", what.clone())?;
    alice.expect_from("bob", "hi there", what.clone(), note.clone())?;
    let text = "and hello to you";
    alice.send_message("bob", text, say("chat-send-user-who-logged"))?;
    bob.expect_from("alice", text, say("chat-user-who-logged-r"), note.clone())?;
    let what = say("chat-who-ending-r-n");
    bob.send(b"WHO\r\n")?;
    let got = bob.reply().context(what.clone())?;
    let expected = users_line(&["alice", "bob"]);
    if got != expected {
        return Err(bob
            .mismatch(say("chat-wrong-reply"), &expected, &got)
            .context(what)
            .note(note.clone()));
    }
    bob.expect_ok_raw(b"SEND dave stored text\r\n", say("chat-send-ending-r-n"))?;
    let mut dave = user(t, &chat, "dave")?;
    dave.expect_messages(
        &[msg("bob", "stored text")],
        say("chat-message-stored-from-send"),
        note.clone(),
    )?;
    dave.expect_quiet(
        say("chat-after-stored-message"),
        say("chat-each-message-arrives-once"),
    )
}

fn text_spaces_kept(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let word = t.rng().word(6);
    let note = say("chat-note-text-rest-line-after");
    let mut alice = user(t, &chat, "alice")?;
    let mut bob = user(t, &chat, "bob")?;
    let texts = [
        format!("  {word} with spaces around  "),
        format!("{word} trailing   "),
        "   ".to_string(),
    ];
    for text in &texts {
        alice.send_message("bob", text, say("chat-send-text-spaces-ends"))?;
        bob.expect_from(
            "alice",
            text,
            say("chat-text-spaces-ends-relayed"),
            note.clone(),
        )?;
    }
    let own = format!("note to self: {word} ");
    alice.send_message("alice", &own, say("chat-send-oneself"))?;
    alice.expect_from("alice", &own, say("chat-message-oneself"), note.clone())?;
    let stored = format!(" {word} stored, ends in a space ");
    bob.send_message("carol", &stored, say("chat-send-user-offline"))?;
    let mut carol = user(t, &chat, "carol")?;
    carol.expect_messages(
        &[msg("bob", &stored)],
        say("chat-stored-text-spaces-ends"),
        note.clone(),
    )?;
    bob.expect_quiet(
        say("chat-after-texts-spaces"),
        say("chat-each-message-arrives-once"),
    )
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
            say("chat-send-to-offline-name").arg("name", name),
        )?;
    }
    for name in &names {
        let mut c = user(t, &chat, name)?;
        c.expect_messages(
            &[msg("alice", &format!("for {name}"))],
            say("chat-stored-for-name").arg("name", name),
            say("chat-name-may-hold-name"),
        )?;
    }
    let after = files_outside_data(t.dir());
    let new: Vec<&String> = after.difference(&before).collect();
    if !new.is_empty() {
        let shown: Vec<String> = new.iter().map(|p| format!("`{p}`")).collect();
        return Err(alice
            .fail(say("chat-wrote-outside").arg("paths", shown.join(", ")))
            .note(say("chat-name-such-x-joined")));
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
    let what = say("chat-several-send-lines-users");
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
            let got = senders[s].reply().context(what.clone())?;
            if got != "OK" {
                return Err(senders[s]
                    .mismatch(say("chat-should-be-ok"), "OK", &got)
                    .context(what));
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
        senders[s].send_message(RECIPIENTS[r], &live, say("chat-send-user-who-just"))?;
        let mut msgs = inbox[r].clone();
        msgs.push(msg(SENDERS[s], &live));
        c.expect_messages(
            &msgs,
            say("chat-messages-stored-from-several"),
            stored_note(),
        )?;
        c.expect_quiet(
            say("chat-after-stored-messages"),
            say("chat-user-gets-messages-stored"),
        )?;
        online.push(c);
    }
    for s in &mut senders {
        s.expect_quiet(say("chat-sender-2"), say("chat-from-line-goes-recipient-2"))?;
    }
    Ok(())
}

fn exactly_once_after_restart(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    // Before the first kill: one message relayed live, two delivered from
    // storage, one left in storage.
    let mut alice = user(t, &chat, "alice")?;
    let mut bob = user(t, &chat, "bob")?;
    alice.send_message("bob", "live message", say("chat-send-user-online"))?;
    bob.expect_from(
        "alice",
        "live message",
        say("chat-recipient-online"),
        relay_note(),
    )?;
    alice.send_message("carol", "stored one", say("chat-send-user-offline"))?;
    alice.send_message(
        "dave",
        "for dave, after a restart",
        say("chat-send-user-offline"),
    )?;
    alice.send_message("carol", "stored two", say("chat-send-user-offline"))?;
    let mut carol = user(t, &chat, "carol")?;
    carol.expect_messages(
        &[msg("alice", "stored one"), msg("alice", "stored two")],
        say("chat-messages-stored-user"),
        stored_note(),
    )?;
    carol.expect_quiet(
        say("chat-after-stored-messages"),
        say("chat-each-message-arrives-once"),
    )?;
    bob.expect_quiet(
        say("chat-after-live-message"),
        say("chat-each-message-arrives-once"),
    )?;
    drop((alice, bob, carol));
    let chat = restart(t, chat)?;
    let mut carol = user(t, &chat, "carol").context(say("chat-after-restart"))?;
    carol.expect_quiet(say("chat-after-restart-user-whose"), once_note())?;
    let mut bob = user(t, &chat, "bob").context(say("chat-after-restart"))?;
    bob.expect_quiet(
        say("chat-after-restart-user-who"),
        say("chat-message-relayed-user-online"),
    )?;
    let mut dave = user(t, &chat, "dave").context(say("chat-after-restart"))?;
    dave.expect_messages(
        &[msg("alice", "for dave, after a restart")],
        say("chat-after-restart-sigkill-message"),
        durable_note(),
    )?;
    dave.expect_quiet(
        say("chat-after-restart-2"),
        say("chat-each-stored-message-delivered"),
    )?;
    let mut alice = user(t, &chat, "alice").context(say("chat-after-restart"))?;
    alice.send_message("erin", "erin one", say("chat-after-restart-send-user-2"))?;
    alice.send_message("erin", "erin two", say("chat-after-restart-send-user-2"))?;
    drop((alice, bob, carol, dave));
    let chat = restart(t, chat).context(say("chat-second-time"))?;
    let mut dave = user(t, &chat, "dave").context(say("chat-after-second-restart"))?;
    dave.expect_quiet(say("chat-after-second-restart-user"), once_note())?;
    let mut erin = user(t, &chat, "erin").context(say("chat-after-second-restart"))?;
    erin.expect_messages(
        &[msg("alice", "erin one"), msg("alice", "erin two")],
        say("chat-after-second-restart-messages"),
        durable_note(),
    )?;
    erin.expect_quiet(
        say("chat-after-second-restart-2"),
        say("chat-each-stored-message-delivered"),
    )
}

fn abrupt_disconnects(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut alice = user(t, &chat, "alice")?;
    // A client closes its connection in the middle of a line.
    let mut mallory = user(t, &chat, "mallory")?;
    mallory.send(b"SEND alice cut off in the mid")?;
    drop(mallory);
    alice.wait_gone("mallory", say("chat-after-client-closed-connection"))?;
    alice.expect_quiet(
        say("chat-after-client-closed-connection"),
        say("chat-line-cut-off-end"),
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
    alice.wait_gone("trudy", say("chat-after-client-reset-connection"))?;
    chat.server.expect_running()?;
    alice.expect_quiet(
        say("chat-after-client-reset-connection-2"),
        say("chat-line-cut-off-end-2"),
    )?;
    let mut trudy = user(t, &chat, "trudy").context(say("chat-name-client-reset-connection"))?;
    trudy.expect_users(&["alice", "trudy"], say("chat-after-abrupt-disconnections"))?;
    let text = "welcome back";
    alice.send_message("trudy", text, say("chat-send-user-online"))?;
    trudy.expect_from("alice", text, say("chat-user-logged-again"), relay_note())
}

/// Waits (a few seconds at most) until bytes can be read from `stream`,
/// without reading them.
fn wait_readable(stream: &TcpStream) {
    let _ = stream.set_read_timeout(Some(REPLY_WAIT));
    let _ = stream.peek(&mut [0u8; 1]);
}
