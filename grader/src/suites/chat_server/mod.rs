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

use crate::harness::{Ctx, ResultExt, Rng, TestDef, TestResult};

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
const RELAY_NOTE: &str = "when the recipient is logged in, the server sends it \
    `FROM <sender> <text>` at once, without waiting for the recipient to send anything";

/// Said when stored messages are missing or out of order.
const STORED_NOTE: &str = "messages for a user who is offline are stored in DATA_DIR \
    and delivered right after the `OK` of that user's next `LOGIN`, oldest first";

/// Said when acknowledged messages are lost in a restart.
const DURABLE_NOTE: &str = "a message answered with `OK` is already written to a file in \
    DATA_DIR: the server may be killed (SIGKILL) right after the `OK`, and what it kept \
    only in memory is gone";

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
    zoe.expect_users(&["zoe"], "one user logged in")?;
    let mut adam = user(t, &chat, "adam")?;
    adam.expect_users(&["adam", "zoe"], "two users logged in")?;
    zoe.expect_users(&["adam", "zoe"], "two users logged in, asked by the first")?;
    let mut mia = user(t, &chat, "mia")?;
    mia.expect_users(
        &["adam", "mia", "zoe"],
        "three users, logged in out of order",
    )?;
    zoe.expect_users(&["adam", "mia", "zoe"], "three users, asked by the first")
}

fn relay_to_online_user(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut alice = user(t, &chat, "alice")?;
    let mut bob = user(t, &chat, "bob")?;
    let what = "the recipient of a `SEND`, online";
    alice.send_message("bob", "hello bob", "`SEND` to a user online")?;
    bob.expect_from("alice", "hello bob", what, RELAY_NOTE)?;
    let text = "hi alice, how are you?";
    bob.send_message("alice", text, "`SEND` to a user online")?;
    alice.expect_from("bob", text, what, RELAY_NOTE)?;
    let text = "你好，世界！  two spaces,   three spaces: all kept";
    alice.send_message("bob", text, "`SEND` of a text with spaces and Chinese")?;
    bob.expect_from(
        "alice",
        text,
        "a text with spaces and Chinese",
        "the text is the rest of the line after `SEND <to> `, byte for byte",
    )?;
    alice.expect_quiet(
        "the sender",
        "a `FROM` line goes to the recipient, not to the sender",
    )?;
    bob.expect_quiet("the recipient", "each message arrives once")
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
    let what = "21 commands sent in one write";
    let note = "TCP has no message boundaries: one read may bring several lines, or part of \
                one; answer every line, in order";
    for i in 0..21 {
        let got = alice.reply().context(what)?;
        let expected = if i == 10 {
            users_line(&["alice", "bob"])
        } else {
            "OK".to_string()
        };
        if got != expected {
            return Err(alice
                .mismatch(
                    format!("{what}: wrong reply {} of 21", i + 1),
                    &expected,
                    &got,
                )
                .note(note));
        }
    }
    let msgs: Vec<(String, String)> = texts.iter().map(|x| msg("alice", x)).collect();
    bob.expect_messages(
        &msgs,
        "twenty messages to a user online",
        "messages from one sender arrive in the order they were sent",
    )?;
    bob.expect_quiet("after twenty messages", "each message arrives once")
}

fn offline_delivery(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut alice = user(t, &chat, "alice")?;
    let mut bob = user(t, &chat, "bob")?;
    let what = "`SEND` to a user who never logged in";
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
        sender.send_message("carol", text, what)?;
        if i == 1 {
            alice.send_message("dave", "this one is for dave", what)?;
        }
    }
    let mut carol = user(t, &chat, "carol")?;
    let msgs: Vec<(String, String)> = sent.iter().map(|(f, x)| msg(f, x)).collect();
    carol.expect_messages(
        &msgs,
        "the messages stored for a user, at their `LOGIN`",
        STORED_NOTE,
    )?;
    carol.expect_quiet(
        "after the stored messages",
        "a user gets the messages stored for them, each once, and no one else's",
    )?;
    let text = "welcome back";
    bob.send_message("carol", text, "`SEND` to the user, now online")?;
    carol.expect_from("bob", text, "the user, now online", RELAY_NOTE)?;
    alice.expect_quiet("a sender", "a `FROM` line goes to the recipient only")?;
    bob.expect_quiet("a sender", "a `FROM` line goes to the recipient only")
}

fn user_leaves(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut alice = user(t, &chat, "alice")?;
    let bob = user(t, &chat, "bob")?;
    let mut carol = user(t, &chat, "carol")?;
    alice.expect_users(&["alice", "bob", "carol"], "three users online")?;
    drop(bob);
    alice.wait_gone("bob", "after a user's client closed its connection")?;
    alice.expect_users(&["alice", "carol"], "after a user left")?;
    let text = "see you later";
    alice.send_message("bob", text, "`SEND` to a user who left")?;
    let mut bob = user(t, &chat, "bob").context("the name of a user who left, logging in again")?;
    bob.expect_messages(
        &[msg("alice", text)],
        "a user who left, logging in again",
        STORED_NOTE,
    )?;
    carol.expect_users(&["alice", "bob", "carol"], "after the user logged in again")?;
    bob.expect_quiet("the user back online", "each message arrives once")
}

fn bad_commands(t: &mut Ctx) -> TestResult {
    let chat = start(t)?;
    let mut c = connect(t, &chat, "a client that sends bad commands")?;
    let before: [(&[u8], &str); 6] = [
        (b"WHO\n", "`WHO` before `LOGIN`"),
        (b"SEND bob hello\n", "`SEND` before `LOGIN`"),
        (b"HELLO\n", "an unknown command (`HELLO`)"),
        (b"\n", "an empty line"),
        (b"LOGIN\n", "`LOGIN` without a name"),
        (b"LOGIN two words\n", "`LOGIN` with a name of two words"),
    ];
    for (bytes, what) in before {
        c.expect_err(bytes, what)?;
    }
    c.login("alice")
        .context("after bad commands, on the same connection")?;
    let after: [(&[u8], &str); 6] = [
        (b"HELLO world\n", "an unknown command (`HELLO world`)"),
        (b"who\n", "a command in lower case (`who`)"),
        (b"SEND\n", "`SEND` without recipient and text"),
        (b"SEND bob\n", "`SEND` without text"),
        (b"SEND bob \n", "`SEND` with an empty text"),
        (
            b"\xff\xfe\x00 garbage \x80\x81\n",
            "a line of bytes that are not UTF-8",
        ),
    ];
    for (bytes, what) in after {
        c.expect_err(bytes, what)?;
    }
    c.expect_users(&["alice"], "after bad commands, on the same connection")?;
    let mut bob = user(t, &chat, "bob")?;
    bob.expect_quiet(
        "the user named in the bad `SEND` lines",
        "a command answered with `ERR` has no effect",
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
        clients.push(user(t, &chat, name).context("names that differ in case are two users")?);
    }
    clients[0].expect_users(&names, "users whose names differ in case")?;
    let text = "the one in small letters";
    clients[3].send_message("bob", text, "`SEND` to `bob`, with `Bob` online")?;
    clients[0].expect_from(
        "Bob",
        text,
        "`bob`, with `Bob` online",
        "names are case-sensitive: `bob` and `Bob` are two users",
    )?;
    clients[3].expect_quiet(
        "`Bob`, who sent to `bob`",
        "names are case-sensitive: a message to `bob` is not for `Bob`",
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
        alice.send_message(to, text, "`SEND` to a user offline")?;
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
        let mut c = user(t, &chat, name).context("after the restart")?;
        c.expect_messages(
            &msgs,
            "after a restart (SIGKILL), the messages stored before it",
            DURABLE_NOTE,
        )?;
        c.expect_quiet("after a restart", "each stored message is delivered once")?;
        back.push(c);
    }
    let mut alice = user(t, &chat, "alice").context("after the restart")?;
    let text = "glad you are back";
    alice.send_message("bob", text, "after the restart, `SEND` to a user online")?;
    back[0].expect_from(
        "alice",
        text,
        "after the restart, the recipient online",
        RELAY_NOTE,
    )
}

/// Said when clients are not served at the same time.
const CROWD_NOTE: &str = "all these clients are connected at the same time: serve each \
    connection in its own thread (or watch them all with poll)";

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
        clients.push(connect(t, &chat, &format!("`{name}`"))?);
    }
    // Every LOGIN is sent before any reply is read.
    for (c, name) in clients.iter_mut().zip(&names) {
        c.send(format!("LOGIN {name}\n").as_bytes())?;
    }
    let what = format!("{CROWD} clients connected at once, each logging in");
    for c in &mut clients {
        c.login_reply()
            .context(&what)
            .map_err(|f| f.note(CROWD_NOTE))?;
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
    let what = format!("{CROWD} clients each sending a message to another");
    for c in &mut clients {
        let got = c.reply().context(&what).map_err(|f| f.note(CROWD_NOTE))?;
        if got != "OK" {
            return Err(c.mismatch(format!("{what}: the reply should be `OK`"), "OK", &got));
        }
    }
    for (i, c) in clients.iter_mut().enumerate() {
        let prev = (i + CROWD - 1) % CROWD;
        c.expect_from(
            &names[prev],
            &text(prev),
            &format!("{CROWD} clients, each the recipient of one message"),
            RELAY_NOTE,
        )?;
    }
    let all: Vec<&str> = names.iter().map(String::as_str).collect();
    clients[CROWD / 2].expect_users(&all, &format!("{CROWD} users online"))?;
    for c in &mut clients {
        c.expect_quiet(
            &format!("{CROWD} clients, each the recipient of one message"),
            "each message goes to its recipient only, once",
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
