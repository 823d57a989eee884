//! The hidden tests of `broadcast`: left out of the repository students clone.
use super::*;
use crate::harness::{Ctx, TestDef, TestResult};
use std::net::Ipv4Addr;
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    let t = Duration::from_secs;
    vec![
        TestDef::hidden("sender_unicode_message", 3, sender_unicode_message)
            .clauses(&[1, 2, 3])
            .linux_only()
            .timeout(t(20)),
        TestDef::hidden("sender_keeps_spaces", 2, sender_keeps_spaces)
            .clauses(&[1, 3])
            .linux_only()
            .timeout(t(20)),
        TestDef::hidden(
            "receivers_unicode_several_senders",
            3,
            receivers_unicode_several_senders,
        )
        .clauses(&[6, 7, 8, 9])
        .linux_only()
        .timeout(t(30)),
        TestDef::hidden("receiver_keeps_spaces", 2, receiver_keeps_spaces)
            .clauses(&[6, 8, 9])
            .linux_only()
            .timeout(t(25)),
    ]
}

/// Unicode messages for the hidden tests.
const PHRASES: &[&str] = &[
    "大家好，这是一条广播",
    "广播地址 127.255.255.255",
    "Grüße an alle — ça marche",
    "UDP 有消息边界 📡",
    "Ωμέγα и кириллица",
    "a b  c   (spaces kept)",
];

fn sender_unicode_message(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    let message = format!("{} {}", rng.choose(PHRASES), rng.word(6));
    let count = rng.range(2, 5) as usize;
    let (out, got) = run_sender(t, &message, count)?;
    check_received(&out, &got, &message, count)?;
    check_spacing(&out, &got[0])
}

fn sender_keeps_spaces(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    // Spaces at both ends (and a tab) are part of MESSAGE: nothing trims them.
    let message = format!("  {} {}\t ", rng.word(5), rng.choose(PHRASES));
    let (out, got) = run_sender(t, &message, 2)?;
    check_received(&out, &got, &message, 2)
}

fn receivers_unicode_several_senders(t: &mut Ctx) -> TestResult {
    let port = t.free_port();
    let mut receivers = start_receivers(t, port, RECEIVERS)?;
    let ips = [own_ip(t), own_ip(t)];
    let mut rng = t.rng();
    let mut messages = Vec::new();
    for i in 0..6 {
        messages.push((
            ips[i % 2],
            format!("{} {}", rng.choose(PHRASES), rng.word(5)),
        ));
    }
    // A long one, near the 1024 bytes a datagram of the contract may hold.
    let mut long = String::new();
    while long.len() < 950 {
        long.push_str(rng.choose(PHRASES));
        long.push(' ');
    }
    messages.insert(3, (ips[1], long.trim_end().to_string()));
    broadcast(port, &messages)?;
    expect_printed(&mut receivers, port, &messages)
}

fn receiver_keeps_spaces(t: &mut Ctx) -> TestResult {
    let port = t.free_port();
    let mut receivers = start_receivers(t, port, 1)?;
    let ip = own_ip(t);
    let mut rng = t.rng();
    let messages: Vec<(Ipv4Addr, String)> = vec![
        (ip, format!("  {}", rng.word(6))),
        (ip, format!("{}   ", rng.choose(PHRASES))),
        (ip, "   ".to_string()),
        (ip, format!(" \t{} {} ", rng.word(4), rng.word(3))),
    ];
    broadcast(port, &messages)?;
    expect_printed(&mut receivers, port, &messages)
}
