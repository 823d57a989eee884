//! Suite of `chat_server ADDR DATA_DIR`: the notes' instant-messaging server,
//! a line protocol over TCP (`LOGIN`, `SEND`, `WHO`), relay to users online,
//! storage in DATA_DIR for users offline, and a restart after SIGKILL.
//!
//! Every test talks to the server through [`Client`]s, sessions that know
//! the protocol. A `FROM` line may arrive at any moment between replies, so
//! a client keeps the `FROM` lines it meets while it waits for a reply and
//! checks them when the test expects them. A client is "quiet" when a `WHO`
//! round trip brings no `FROM` line it was not told to expect.
//!
//! The restart tests kill the server (SIGKILL) only at quiet moments: every
//! sender has had its `OK`, every recipient has read its messages and had a
//! reply to a later command. Then they restart it on the same address and
//! DATA_DIR, and check that each acknowledged message arrives exactly once.
use std::collections::BTreeSet;
use std::time::Duration;

use crate::harness::{say, Ctx, ResultExt, Rng, TestDef, TestResult};
use crate::text::Phrase;

mod chat;
mod hidden;

use chat::*;

/// The DATA_DIR every test passes, relative to the server's directory.
const DATA_DIR: &str = "data";

/// How long a client waits for a line: generous, since only a server that
/// never sends it should miss it.
const REPLY_WAIT: Duration = Duration::from_secs(5);

/// How many clients the crowd test connects at once.
const CROWD: usize = 50;

/// Said when a recipient online does not get its message.
fn relay_note() -> Phrase {
    say("chat-relay-note")
}

/// Said when stored messages are missing or out of order.
fn stored_note() -> Phrase {
    say("chat-stored-note")
}

/// Said when acknowledged messages are lost in a restart.
fn durable_note() -> Phrase {
    say("chat-durable-note")
}

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("login_and_who", 2, login_and_who).clauses(&[1, 4]),
        TestDef::visible("relay_to_online_user", 3, relay_to_online_user).clauses(&[2, 7]),
        TestDef::visible("message_order", 2, message_order).clauses(&[2, 5, 8]),
        TestDef::visible("offline_delivery", 3, offline_delivery).clauses(&[3]),
        TestDef::visible("user_leaves", 2, user_leaves)
            .clauses(&[3, 10])
            .timeout(Duration::from_secs(20)),
        TestDef::visible("bad_commands", 3, bad_commands).clauses(&[5, 6, 7, 8, 9, 15]),
        TestDef::visible("who_in_byte_order", 2, who_in_byte_order).clauses(&[4, 6]),
        TestDef::visible("survives_restart", 4, survives_restart)
            .clauses(&[11])
            .timeout(Duration::from_secs(30)),
        TestDef::visible("fifty_clients", 3, fifty_clients)
            .clauses(&[14])
            .timeout(Duration::from_secs(40))
            .cpu_heavy(),
        TestDef::visible("bad_arguments", 1, bad_arguments)
            .clauses(&[16])
            .timeout(Duration::from_secs(30)),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// The tests: the protocol

fn login_and_who(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut zoe = user(t, &chat, "zoe")?;
    zoe.expect_users(&["zoe"], say("chat-one-user-logged"))?;
    let mut adam = user(t, &chat, "adam")?;
    adam.expect_users(&["adam", "zoe"], say("chat-two-users-logged"))?;
    zoe.expect_users(&["adam", "zoe"], say("chat-two-users-logged-asked"))?;
    let mut mia = user(t, &chat, "mia")?;
    mia.expect_users(&["adam", "mia", "zoe"], say("chat-three-users-logged-out"))?;
    zoe.expect_users(&["adam", "mia", "zoe"], say("chat-three-users-asked-first"))
}

fn relay_to_online_user(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut alice = user(t, &chat, "alice")?;
    let mut bob = user(t, &chat, "bob")?;
    let what = say("chat-recipient-send-online");
    alice.send_message("bob", "hello bob", say("chat-send-user-online"))?;
    bob.expect_from("alice", "hello bob", what.clone(), relay_note())?;
    let text = "hi alice, how are you?";
    bob.send_message("alice", text, say("chat-send-user-online"))?;
    alice.expect_from("bob", text, what.clone(), relay_note())?;
    let text = "你好，世界！  two spaces,   three spaces: all kept";
    alice.send_message("bob", text, say("chat-send-text-spaces-chinese"))?;
    bob.expect_from(
        "alice",
        text,
        say("chat-text-spaces-chinese"),
        say("chat-text-rest-line-after"),
    )?;
    alice.expect_quiet(say("chat-sender"), say("chat-from-line-goes-recipient"))?;
    bob.expect_quiet(say("chat-recipient"), say("chat-each-message-arrives-once"))
}

fn message_order(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut rng = t.rng();
    let mut alice = user(t, &chat, "alice")?;
    let mut bob = user(t, &chat, "bob")?;
    let texts: Vec<String> = (1..=20)
        .map(|i| format!("message {i} of 20: {}", rng.word(6)))
        .collect();
    // Twenty SEND lines and a WHO in the middle, written at once: the
    // server may read them all in one piece, or in pieces cut anywhere.
    let mut batch = String::new();
    for (i, text) in texts.iter().enumerate() {
        batch.push_str(&format!("SEND bob {text}\n"));
        if i == 9 {
            batch.push_str("WHO\n");
        }
    }
    alice.send(batch.as_bytes())?;
    let what = say("chat-21-commands-sent-one");
    let note = say("chat-note-tcp-has-no-message");
    for i in 0..21 {
        let got = alice.reply().context(what.clone())?;
        let expected = if i == 10 {
            users_line(&["alice", "bob"])
        } else {
            "OK".to_string()
        };
        if got != expected {
            return Err(alice
                .mismatch(
                    say("chat-wrong-reply-of").arg("n", i + 1).arg("count", 21),
                    &expected,
                    &got,
                )
                .context(what.clone())
                .note(note.clone()));
        }
    }
    let msgs: Vec<(String, String)> = texts.iter().map(|x| msg("alice", x)).collect();
    bob.expect_messages(
        &msgs,
        say("chat-twenty-messages-user-online"),
        say("chat-messages-from-one-sender"),
    )?;
    bob.expect_quiet(
        say("chat-after-twenty-messages"),
        say("chat-each-message-arrives-once"),
    )
}

fn offline_delivery(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut alice = user(t, &chat, "alice")?;
    let mut bob = user(t, &chat, "bob")?;
    let what = say("chat-send-user-who-never");
    let sent = [
        ("alice", "are you there?"),
        ("alice", "call me when you read this"),
        ("bob", "carol, it's bob"),
        ("alice", "最后一条：明天见"),
    ];
    for (i, (from, text)) in sent.iter().enumerate() {
        let sender = if *from == "alice" {
            &mut alice
        } else {
            &mut bob
        };
        sender.send_message("carol", text, what.clone())?;
        if i == 1 {
            alice.send_message("dave", "this one is for dave", what.clone())?;
        }
    }
    let mut carol = user(t, &chat, "carol")?;
    let msgs: Vec<(String, String)> = sent.iter().map(|(f, x)| msg(f, x)).collect();
    carol.expect_messages(&msgs, say("chat-messages-stored-user-their"), stored_note())?;
    carol.expect_quiet(
        say("chat-after-stored-messages"),
        say("chat-user-gets-messages-stored"),
    )?;
    let text = "welcome back";
    bob.send_message("carol", text, say("chat-send-user-now-online"))?;
    carol.expect_from("bob", text, say("chat-user-now-online"), relay_note())?;
    alice.expect_quiet(say("chat-sender-2"), say("chat-from-line-goes-recipient-2"))?;
    bob.expect_quiet(say("chat-sender-2"), say("chat-from-line-goes-recipient-2"))
}

fn user_leaves(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut alice = user(t, &chat, "alice")?;
    let bob = user(t, &chat, "bob")?;
    let mut carol = user(t, &chat, "carol")?;
    alice.expect_users(&["alice", "bob", "carol"], say("chat-three-users-online"))?;
    drop(bob);
    alice.wait_gone("bob", say("chat-after-user-s-client"))?;
    alice.expect_users(&["alice", "carol"], say("chat-after-user-left"))?;
    let text = "see you later";
    alice.send_message("bob", text, say("chat-send-user-who-left"))?;
    let mut bob = user(t, &chat, "bob").context(say("chat-name-user-who-left"))?;
    bob.expect_messages(
        &[msg("alice", text)],
        say("chat-user-who-left-logging"),
        stored_note(),
    )?;
    carol.expect_users(
        &["alice", "bob", "carol"],
        say("chat-after-user-logged-again"),
    )?;
    bob.expect_quiet(
        say("chat-user-back-online"),
        say("chat-each-message-arrives-once"),
    )
}

fn bad_commands(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut c = connect(t, &chat, say("chat-client-sends-bad-commands"))?;
    let before: [(&[u8], Phrase); 6] = [
        (b"WHO\n", say("chat-who-before-login")),
        (b"SEND bob hello\n", say("chat-send-before-login")),
        (b"HELLO\n", say("chat-unknown-hello")),
        (b"\n", say("chat-empty-line")),
        (b"LOGIN\n", say("chat-login-no-name")),
        (b"LOGIN two words\n", say("chat-login-two-words")),
    ];
    for (bytes, what) in before {
        c.expect_err(bytes, what)?;
    }
    c.login("alice")
        .context(say("chat-after-bad-commands-same"))?;
    let after: [(&[u8], Phrase); 6] = [
        (b"HELLO world\n", say("chat-unknown-hello-world")),
        (b"who\n", say("chat-lower-case")),
        (b"SEND\n", say("chat-send-nothing")),
        (b"SEND bob\n", say("chat-send-no-text")),
        (b"SEND bob \n", say("chat-send-empty-text")),
        (
            b"\xff\xfe\x00 garbage \x80\x81\n",
            say("chat-not-utf8-line"),
        ),
    ];
    for (bytes, what) in after {
        c.expect_err(bytes, what)?;
    }
    c.expect_users(&["alice"], say("chat-after-bad-commands-same"))?;
    let mut bob = user(t, &chat, "bob")?;
    bob.expect_quiet(
        say("chat-user-named-bad-send"),
        say("chat-command-answered-err-has"),
    )?;
    chat.server.expect_running()
}

fn who_in_byte_order(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    // Byte order puts every capital before every small letter: `Zed` before
    // `alice`. `bob` and `Bob` are two users.
    let names = ["bob", "Zed", "alice", "Bob", "carl", "Ann"];
    let mut clients = Vec::new();
    for name in names {
        clients.push(user(t, &chat, name).context(say("chat-names-differ-case-two"))?);
    }
    clients[0].expect_users(&names, say("chat-users-whose-names-differ"))?;
    let text = "the one in small letters";
    clients[3].send_message("bob", text, say("chat-send-bob-bob-online"))?;
    clients[0].expect_from(
        "Bob",
        text,
        say("chat-bob-bob-online"),
        say("chat-names-case-sensitive-bob"),
    )?;
    clients[3].expect_quiet(
        say("chat-bob-who-sent-bob"),
        say("chat-names-case-sensitive-message"),
    )
}

fn survives_restart(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut alice = user(t, &chat, "alice")?;
    let sent = [
        ("bob", "first message for bob"),
        ("carol", "hello carol"),
        ("bob", "second, with  two spaces"),
        ("bob", "third: 第三条"),
        ("carol", "bye carol"),
    ];
    for (to, text) in sent {
        alice.send_message(to, text, say("chat-send-user-offline"))?;
    }
    drop(alice);
    let chat = restart(t, chat)?;
    let mut back = Vec::new();
    for name in ["bob", "carol"] {
        let msgs: Vec<(String, String)> = sent
            .iter()
            .filter(|(to, _)| *to == name)
            .map(|(_, text)| msg("alice", text))
            .collect();
        let mut c = user(t, &chat, name).context(say("chat-after-restart"))?;
        c.expect_messages(
            &msgs,
            say("chat-after-restart-sigkill-messages"),
            durable_note(),
        )?;
        c.expect_quiet(
            say("chat-after-restart-2"),
            say("chat-each-stored-message-delivered"),
        )?;
        back.push(c);
    }
    let mut alice = user(t, &chat, "alice").context(say("chat-after-restart"))?;
    let text = "glad you are back";
    alice.send_message("bob", text, say("chat-after-restart-send-user"))?;
    back[0].expect_from(
        "alice",
        text,
        say("chat-after-restart-recipient-online"),
        relay_note(),
    )
}

/// Said when clients are not served at the same time.
fn crowd_note() -> Phrase {
    say("chat-crowd-note")
}

/// `CROWD` distinct names, in random order.
fn crowd_names(rng: &mut Rng) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut names = Vec::with_capacity(CROWD);
    while names.len() < CROWD {
        let len = rng.range(4, 8) as usize;
        let name = rng.word(len);
        if seen.insert(name.clone()) {
            names.push(name);
        }
    }
    names
}

fn fifty_clients(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    let names = crowd_names(&mut rng);
    let chat = start(t)?;
    let mut clients = Vec::with_capacity(CROWD);
    for name in &names {
        clients.push(connect(t, &chat, format!("`{name}`"))?);
    }
    // Every LOGIN is sent before any reply is read.
    for (c, name) in clients.iter_mut().zip(&names) {
        c.send(format!("LOGIN {name}\n").as_bytes())?;
    }
    let what = say("chat-crowd-login").arg("count", CROWD);
    for c in &mut clients {
        c.login_reply()
            .context(what.clone())
            .map_err(|f| f.note(crowd_note()))?;
    }
    // Each sends a message to the next one, all before any reply is read.
    let text = |i: usize| {
        format!(
            "hello {}, this is {} (#{i})",
            names[(i + 1) % CROWD],
            names[i]
        )
    };
    for (i, c) in clients.iter_mut().enumerate() {
        let to = &names[(i + 1) % CROWD];
        c.send(format!("SEND {to} {}\n", text(i)).as_bytes())?;
    }
    let what = say("chat-crowd-send").arg("count", CROWD);
    for c in &mut clients {
        let got = c
            .reply()
            .context(what.clone())
            .map_err(|f| f.note(crowd_note()))?;
        if got != "OK" {
            return Err(c
                .mismatch(say("chat-should-be-ok"), "OK", &got)
                .context(what));
        }
    }
    for (i, c) in clients.iter_mut().enumerate() {
        let prev = (i + CROWD - 1) % CROWD;
        c.expect_from(
            &names[prev],
            &text(prev),
            say("chat-crowd-recipient").arg("count", CROWD),
            relay_note(),
        )?;
    }
    let all: Vec<&str> = names.iter().map(String::as_str).collect();
    clients[CROWD / 2].expect_users(&all, say("chat-crowd-online").arg("count", CROWD))?;
    for c in &mut clients {
        c.expect_quiet(
            say("chat-crowd-recipient").arg("count", CROWD),
            say("chat-each-message-goes-recipient"),
        )?;
    }
    Ok(())
}

fn bad_arguments(t: &mut Ctx) -> TestResult {
    // DATA_DIR exists, as in every other test: only ADDR is wrong.
    t.mkdir(DATA_DIR)?;
    let held = t.held_tcp_addr()?;
    t.expect_addr_refusals(&held, &[DATA_DIR])
}
