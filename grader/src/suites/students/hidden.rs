//! The hidden tests of `students`: left out of the repository students clone.
use super::*;
use crate::harness::{say, Ctx, ResultExt, Rng, TestDef, TestResult};
use crate::text::Phrase;
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("server_many_records", 3, server_many_records)
            .timeout(Duration::from_secs(40))
            .clauses(&[1, 2, 4]),
        TestDef::hidden("server_other_sizes", 2, server_other_sizes)
            .timeout(Duration::from_secs(20))
            .clauses(&[3, 5]),
        TestDef::hidden("client_numbers", 2, client_numbers).clauses(&[8, 11]),
        TestDef::hidden("client_many_records", 2, client_many_records)
            .timeout(Duration::from_secs(20))
            .clauses(&[8, 11]),
        TestDef::hidden(
            "client_skips_malformed_lines",
            2,
            client_skips_malformed_lines,
        )
        .clauses(&[10]),
        TestDef::hidden(
            "client_skips_numbers_out_of_range",
            2,
            client_skips_numbers_out_of_range,
        )
        .clauses(&[10]),
    ]
}

/// A random record: any id, a plausible age, a height with up to three
/// decimals.
fn random_rec(rng: &mut Rng) -> Rec {
    let id = match rng.below(5) {
        0 => -(rng.range(1, 1 << 31) as i64) as i32,
        1 => rng.range(0, i32::MAX as u64) as i32,
        _ => rng.range(1, 9999) as i32,
    };
    let age = rng.range(0, 120) as i32;
    let height = format!("{}.{:03}", rng.range(0, 2), rng.below(1000));
    rec(id, &random_name(rng), age, &height)
}

fn server_many_records(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    let records: Vec<Rec> = (0..100).map(|_| random_rec(&mut rng)).collect();
    feed_records(t, &records)
}

fn server_other_sizes(t: &mut Ctx) -> TestResult {
    let server = start_server(t, Some("an old line\n"))?;
    let mut feed = Feed::new(t, &server, "an old line\n")?;
    let mut rng = t.rng();
    let a = random_rec(&mut rng);
    let b = random_rec(&mut rng);
    let mut two = a.pack();
    two.extend(b.pack());
    let mut big = vec![0u8; 1400];
    rng.fill(&mut big);
    let others: [(Phrase, Vec<u8>); 4] = [
        (say("students-one-byte"), vec![b'x']),
        (say("students-two-records"), two),
        (say("students-1400-bytes"), big),
        (say("students-record-and-newline"), {
            let mut v = a.pack();
            v.push(b'\n');
            v
        }),
    ];
    // The records between them have short ASCII names: this test is about
    // sizes, not about padding.
    let mut good = || {
        let mut r = random_rec(&mut rng);
        let len = rng.range(1, 10) as usize;
        r.name = rng.word(len);
        r
    };
    feed.record(&good())?;
    for (what, bytes) in &others {
        feed.not_a_record(bytes).context(what.clone())?;
        feed.record(&good())?;
    }
    Ok(())
}

fn client_numbers(t: &mut Ctx) -> TestResult {
    client_round_trip(
        t,
        &[
            rec(-1, "Neg", 30, "1.005"),
            rec(i32::MIN, "Min", 0, "0.5"),
            rec(i32::MAX, "Max", 2_000_000_000, "2"),
            rec(0, "Zero", -5, "123.456"),
            rec(-20230917, "Round", 44, "1.999"),
        ],
    )
}

fn client_many_records(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    let records: Vec<Rec> = (0..100).map(|_| random_rec(&mut rng)).collect();
    client_round_trip(t, &records)
}

fn client_skips_malformed_lines(t: &mut Ctx) -> TestResult {
    client_with_rejects(
        t,
        &[
            ("1,Lily,15,1.66", true),
            ("2,Tom,16", false),
            ("x,Bob,17,1.7", false),
            ("3,Ann,eighteen,1.6", false),
            ("4,Joe,18,tall", false),
            ("5,Sue,19,1.62,extra", false),
            ("6,Kim,20,1.65", true),
        ],
    )
    .map(drop)
}

fn client_skips_numbers_out_of_range(t: &mut Ctx) -> TestResult {
    client_with_rejects(
        t,
        &[
            ("1,Lily,15,1.66", true),
            ("99999999999,Big,16,1.7", false),
            ("2147483648,Over,17,1.71", false),
            ("-2147483649,Under,18,1.72", false),
            ("2147483647,Max,19,1.73", true),
            ("5,Old,4294967311,1.74", false),
            ("6,Kim,20,1.65", true),
        ],
    )
    .map_err(|f| f.say(say("students-i32")))
    .map(drop)
}

/// A random name of at most 16 bytes: ASCII, Chinese or both.
fn random_name(rng: &mut Rng) -> String {
    const HAN: &[&str] = &[
        "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "明", "华", "丽", "强", "娜",
        "军", "静", "伟", "芳", "雷",
    ];
    let limit = rng.range(1, NAME_LEN as u64) as usize;
    let mut name = String::new();
    let style = rng.below(3);
    loop {
        let piece = match style {
            0 => ((b'a' + rng.below(26) as u8) as char).to_string(),
            1 => rng.choose(HAN).to_string(),
            _ if rng.below(2) == 0 => rng.choose(HAN).to_string(),
            _ => ((b'A' + rng.below(26) as u8) as char).to_string(),
        };
        if name.len() + piece.len() > limit {
            break;
        }
        name.push_str(&piece);
    }
    if name.is_empty() {
        name.push('x');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_names_fit() {
        let mut rng = Rng::new(3);
        for _ in 0..1000 {
            let n = random_name(&mut rng);
            assert!(!n.is_empty() && n.len() <= NAME_LEN && !n.contains(','));
        }
    }
}
