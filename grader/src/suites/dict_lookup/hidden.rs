//! The hidden tests of `dict_lookup`: left out of the repository students clone.
use super::*;
use crate::harness::{Ctx, ResultExt, Rng, TestDef, TestResult};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
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

/// Entries in the large dictionary.
const LARGE: usize = 200_000;

/// Letters in the large dictionary's longest words.
const MAX_LETTERS: u64 = 12;

/// The large dictionary, built once per seed in a process (the last seed's
/// is kept): a self-check or a class grades the suite many times with the
/// same seed, and the words are the same each time.
struct Large {
    /// The run's seed it was built from.
    seed: u64,
    /// Its words in the file's order, each as [`draw_word`] keeps it.
    keys: Vec<u64>,
    /// The file.
    text: String,
}

/// The large dictionary of `seed`, from `rng` (the test's generator) when
/// this process has not built it yet.
fn large(seed: u64, rng: &mut Rng) -> Arc<Large> {
    static BUILT: Mutex<Option<Arc<Large>>> = Mutex::new(None);
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(large) = built.as_ref().filter(|l| l.seed == seed) {
        return Arc::clone(large);
    }
    // Distinct words, drawn until there are enough, in byte order.
    let mut words = BTreeSet::new();
    while words.len() < LARGE {
        words.insert(draw_word(rng));
    }
    let keys: Vec<u64> = words.into_iter().collect();
    let mut text = String::with_capacity(LARGE * 45);
    for (i, &key) in keys.iter().enumerate() {
        push_entry(&mut text, i, key);
    }
    let large = Arc::new(Large { seed, keys, text });
    *built = Some(Arc::clone(&large));
    large
}

/// A random word of 3 to [`MAX_LETTERS`] lowercase letters, drawn as
/// [`Rng::word`] draws it, kept as a number whose order is the words' byte
/// order: each letter a base-27 digit (`a` is 1), a shorter word padded
/// with zero digits on the right. Numbers sort many times faster than
/// strings where the grader is built without optimization.
fn draw_word(rng: &mut Rng) -> u64 {
    let len = rng.range(3, MAX_LETTERS);
    (0..MAX_LETTERS).fold(0, |key, i| {
        key * 27 + if i < len { 1 + rng.below(26) } else { 0 }
    })
}

/// Appends the word a [`draw_word`] number stands for.
fn push_word(text: &mut String, key: u64) {
    let mut digits = [0u8; MAX_LETTERS as usize];
    let mut rest = key;
    for digit in digits.iter_mut().rev() {
        *digit = (rest % 27) as u8;
        rest /= 27;
    }
    for &digit in digits.iter().take_while(|&&d| d != 0) {
        text.push(char::from(b'a' + digit - 1));
    }
}

/// Appends entry `i` of the large dictionary, the word `key`, with its
/// `\n`: the word, two to five spaces, an explanation.
fn push_entry(text: &mut String, i: usize, key: u64) {
    push_word(text, key);
    text.push_str(&"     "[..2 + i % 4]);
    // Writing to a String cannot fail.
    let _ = writeln!(text, "entry number {i} of the dictionary");
}

fn large_dictionary(t: &mut Ctx) -> TestResult {
    let large = large(t.seed(), &mut t.rng());
    t.write("big.txt", &large.text)?;
    let word = |i: usize| {
        let mut word = String::new();
        push_word(&mut word, large.keys[i]);
        word
    };
    let line = |i: usize| {
        let mut line = String::new();
        push_entry(&mut line, i, large.keys[i]);
        line.pop();
        line
    };
    let middle = LARGE / 2;
    let last = LARGE - 1;
    expect_found(t, "big.txt", &word(0), &line(0)).context(say("dict-first-word"))?;
    expect_found(t, "big.txt", &word(middle), &line(middle)).context(say("dict-middle-word"))?;
    expect_found(t, "big.txt", &word(last), &line(last)).context(say("dict-last-word"))?;
    expect_absent(t, "big.txt", "a").context(say("dict-before-first"))?;
    // A digit sorts before every letter, so this falls right after word k.
    let k = LARGE / 3;
    expect_absent(t, "big.txt", &format!("{}0", word(k)))
        .context(say("dict-between-two-entries"))?;
    expect_absent(t, "big.txt", "zzzzzzzzzzzzz").context(say("dict-after-last"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_numbers_spell_the_words_rng_draws_in_the_same_order() {
        let (mut as_numbers, mut as_words) = (Rng::new(7), Rng::new(7));
        let mut pairs: Vec<(u64, String)> = (0..5000)
            .map(|_| {
                let key = draw_word(&mut as_numbers);
                let len = as_words.range(3, MAX_LETTERS) as usize;
                (key, as_words.word(len))
            })
            .collect();
        for (key, word) in &pairs {
            let mut spelled = String::new();
            push_word(&mut spelled, *key);
            assert_eq!(&spelled, word);
        }
        pairs.sort_by_key(|(key, _)| *key);
        assert!(pairs.windows(2).all(|w| w[0].1 <= w[1].1));
    }

    #[test]
    fn the_large_dictionary_is_sorted_distinct_and_kept_per_seed() {
        let first = large(11, &mut Rng::new(1));
        let again = large(11, &mut Rng::new(2));
        assert!(Arc::ptr_eq(&first, &again));
        let words: Vec<&str> = first
            .text
            .lines()
            .map(|l| l.split(' ').next().unwrap())
            .collect();
        assert_eq!(words.len(), LARGE);
        assert!(words.windows(2).all(|w| w[0] < w[1]));
        let other = large(12, &mut Rng::new(3));
        assert_ne!(other.text, first.text);
    }
}
