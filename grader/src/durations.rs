//! How long each test took last time, so that a grading starts its longest
//! tests first.
//!
//! Most of a grading's wall time is tests waiting; with many running at once
//! it ends no sooner than its longest test, and sooner the earlier that test
//! starts. Tests are started longest first by what they took before: in this
//! process (a self-check or a class grades the same suites many times) and
//! in earlier runs (a file in the build cache). A test never seen before
//! counts as long. The order decides nothing but when a test starts.
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// The file in a build cache that keeps the durations between runs.
pub const FILE: &str = "test-durations.tsv";

/// Durations known in this process, by `exercise::test`.
static KNOWN: Mutex<Option<HashMap<String, Duration>>> = Mutex::new(None);

fn key(exercise: &str, test: &str) -> String {
    format!("{exercise}::{test}")
}

/// How long `exercise::test` took when it last ran, if known.
pub fn expected(exercise: &str, test: &str) -> Option<Duration> {
    let known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    known.as_ref()?.get(&key(exercise, test)).copied()
}

/// Records how long `exercise::test` took.
pub fn record(exercise: &str, test: &str, took: Duration) {
    let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    known
        .get_or_insert_with(HashMap::new)
        .insert(key(exercise, test), took);
}

/// The order to start `tests` (exercise, test) in: longest expected first,
/// unknown ones before all, ties in the given order.
pub fn longest_first(tests: &[(&str, &str)]) -> Vec<usize> {
    let expected: Vec<Option<Duration>> = tests.iter().map(|(e, t)| expected(e, t)).collect();
    order_longest_first(&expected)
}

/// The order to start things in, given how long each is expected to take
/// (`None`: not known): the longest first, those not known ahead of all
/// of them (they may be long), ties in the given order.
pub fn order_longest_first(expected: &[Option<Duration>]) -> Vec<usize> {
    let mut order: Vec<(usize, Option<Duration>)> = expected.iter().copied().enumerate().collect();
    order.sort_by(|a, b| match (a.1, b.1) {
        (None, None) => a.0.cmp(&b.0),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => y.cmp(&x).then(a.0.cmp(&b.0)),
    });
    order.into_iter().map(|(i, _)| i).collect()
}

/// Adds the durations kept in `dir` to those known (known ones win). A
/// missing or unreadable file is no error: the order is only a speed-up.
pub fn load(dir: &Path) {
    let Ok(text) = fs::read_to_string(dir.join(FILE)) else {
        return;
    };
    let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    let map = known.get_or_insert_with(HashMap::new);
    for line in text.lines() {
        let Some((name, ms)) = line.split_once('\t') else {
            continue;
        };
        if let Ok(ms) = ms.trim().parse::<u64>() {
            map.entry(name.to_string())
                .or_insert(Duration::from_millis(ms));
        }
    }
}

/// Keeps the known durations in `dir` (written under a temporary name,
/// then renamed). Failing to keep them costs only the order next time.
pub fn save(dir: &Path) {
    let text = {
        let known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
        let Some(map) = known.as_ref() else {
            return;
        };
        let mut lines: Vec<String> = map
            .iter()
            .map(|(k, d)| format!("{k}\t{}\n", d.as_millis()))
            .collect();
        lines.sort();
        lines.concat()
    };
    let Ok(tmp) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    if fs::write(tmp.path(), text).is_ok() {
        let _ = tmp.persist(dir.join(FILE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_known_tests_start_first_and_unknown_ones_before_them() {
        record("durations_demo", "short", Duration::from_millis(10));
        record("durations_demo", "long", Duration::from_millis(900));
        record("durations_demo", "middle", Duration::from_millis(300));
        let tests = [
            ("durations_demo", "short"),
            ("durations_demo", "middle"),
            ("durations_demo", "never_ran"),
            ("durations_demo", "long"),
        ];
        assert_eq!(longest_first(&tests), vec![2, 3, 1, 0]);
    }

    #[test]
    fn durations_survive_a_save_and_load() {
        let dir = tempfile::tempdir().unwrap();
        record("durations_kept", "a", Duration::from_millis(1234));
        save(dir.path());
        let text = fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(text.contains("durations_kept::a\t1234\n"), "{text}");
        // Another run's file fills in what this process does not know.
        fs::write(dir.path().join(FILE), "durations_other::b\t77\n").unwrap();
        load(dir.path());
        assert_eq!(
            expected("durations_other", "b"),
            Some(Duration::from_millis(77))
        );
        assert_eq!(
            expected("durations_kept", "a"),
            Some(Duration::from_millis(1234))
        );
    }
}
