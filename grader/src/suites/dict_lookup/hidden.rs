//! The hidden tests of `dict_lookup`: left out of the repository students clone.
use super::*;
use crate::harness::{Ctx, ResultExt, Rng, TestDef, TestResult};
use std::collections::BTreeSet;
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("stops_reading_when_found", 2, stops_reading_when_found).clauses(&[1, 8]),
        TestDef::hidden("large_dictionary", 3, large_dictionary)
            .timeout(Duration::from_secs(60))
            .clauses(&[1, 5, 9])
            .cpu_heavy(),
    ]
}

fn stops_reading_when_found(t: &mut Ctx) -> TestResult {
    let line = format!("{}\n", line_of(SAMPLE, "accept"));
    lookup_in_endless_fifo(t, "accept", &line, 0)
}

/// A sorted dictionary of `n` distinct random words.
fn generate(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut words = BTreeSet::new();
    while words.len() < n {
        let len = rng.range(3, 12) as usize;
        words.insert(rng.word(len));
    }
    words.into_iter().collect()
}

fn large_dictionary(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    let words = generate(&mut rng, 200_000);
    let mut text = String::with_capacity(words.len() * 40);
    for (i, w) in words.iter().enumerate() {
        let pad = 1 + (i % 4);
        text.push_str(&format!(
            "{w}{} entry number {i} of the dictionary\n",
            " ".repeat(pad)
        ));
    }
    t.write("big.txt", &text)?;
    let line = |i: usize| {
        text.lines()
            .nth(i)
            .expect("index within the dictionary")
            .to_string()
    };
    let middle = words.len() / 2;
    let last = words.len() - 1;
    expect_found(t, "big.txt", &words[0], &line(0)).context(say("dict-first-word"))?;
    expect_found(t, "big.txt", &words[middle], &line(middle)).context(say("dict-middle-word"))?;
    expect_found(t, "big.txt", &words[last], &line(last)).context(say("dict-last-word"))?;
    expect_absent(t, "big.txt", "a").context(say("dict-before-first"))?;
    // A digit sorts before every letter, so this falls right after words[k].
    let k = words.len() / 3;
    expect_absent(t, "big.txt", &format!("{}0", words[k]))
        .context(say("dict-between-two-entries"))?;
    expect_absent(t, "big.txt", "zzzzzzzzzzzzz").context(say("dict-after-last"))
}
