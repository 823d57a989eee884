//! The hidden tests of `tcp_client`: left out of the repository students clone.
use super::*;
use crate::harness::{Ctx, TestDef, TestResult};
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("unicode_and_empty_lines", 2, unicode_and_empty_lines).clauses(&[4]),
        TestDef::hidden("carriage_returns_kept", 2, carriage_returns_kept)
            .timeout(Duration::from_secs(15))
            .clauses(&[4, 5]),
        TestDef::hidden("last_line_without_newline", 2, last_line_without_newline)
            .timeout(Duration::from_secs(15))
            .clauses(&[5]),
        TestDef::hidden("server_closes_mid_reply", 2, server_closes_mid_reply)
            .timeout(Duration::from_secs(15))
            .clauses(&[7]),
        TestDef::hidden("long_lines", 2, long_lines)
            .timeout(Duration::from_secs(30))
            .clauses(&[3, 4]),
    ]
}

fn unicode_and_empty_lines(t: &mut Ctx) -> TestResult {
    let lines = [
        "你好，服务器",
        "",
        "naïve café ☕",
        "   spaced\tout   ",
        "😀",
        "",
    ];
    let replies = ["收到：你好，服务器", "收到一个空行", "", "   ", "😀😀", ""];
    let out = talk(t, &input(&lines), |s| serve_lines(s, &lines, &replies)).map_err(by_hand)?;
    expect_success(&out, &replies).map_err(by_hand)
}

fn last_line_without_newline(t: &mut Ctx) -> TestResult {
    let lines = ["first line", "last line, no newline after it"];
    let replies = ["reply to the first line", "reply to the last line"];
    let stdin = b"first line\nlast line, no newline after it";
    let out = talk(t, stdin, |s| serve_lines(s, &lines, &replies)).map_err(by_hand)?;
    expect_success(&out, &replies).map_err(by_hand)
}

fn server_closes_mid_reply(t: &mut Ctx) -> TestResult {
    let lines = ["first", "second", "third"];
    let replies = ["a whole reply"];
    let out = talk(t, &input(&lines), |s| {
        expect_line(s, 1, lines[0])?;
        send(s, b"a whole reply\n")?;
        expect_line(s, 2, lines[1])?;
        send(s, b"half a rep")?;
        std::thread::sleep(PAUSE);
        close_early(s)
    })
    .map_err(by_hand)?;
    expect_closed_early(&out, &replies, say("tcpclient-server-closed-mid-reply")).map_err(by_hand)
}

fn long_lines(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    let long_line = |rng: &mut crate::harness::Rng, len: usize| {
        let mut s = String::with_capacity(len + 16);
        while s.len() < len {
            let n = rng.range(1, 12) as usize;
            s.push_str(&rng.word(n));
            s.push(' ');
        }
        s.truncate(len);
        s
    };
    let question = long_line(&mut rng, 100 * 1024);
    let answer = long_line(&mut rng, 300 * 1024);
    let lines = [question.as_str(), "a short one after it"];
    let replies = [answer.as_str(), "a short reply"];
    let out = talk(t, &input(&lines), |s| serve_lines(s, &lines, &replies)).map_err(by_hand)?;
    expect_success(&out, &replies).map_err(by_hand)
}

fn carriage_returns_kept(t: &mut Ctx) -> TestResult {
    let lines = ["first\r", "mid\rdle", "\r", "last\r"];
    let replies = ["ok\r", "carriage\rreturn", "\r", "done\r"];
    // The last line ends in `\r` without `\n`.
    let stdin = b"first\r\nmid\rdle\n\r\nlast\r";
    let out = talk(t, stdin, |s| serve_lines(s, &lines, &replies)).map_err(by_hand)?;
    expect_success(&out, &replies)
        .map_err(|f| f.say(say("tcpclient-cr-kept")))
        .map_err(by_hand)
}
