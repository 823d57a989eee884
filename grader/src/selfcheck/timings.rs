//! Where a self-check's time goes, per subject (a submission it grades):
//! when its grading started, how long its build and its whole grading
//! took, and its longest test. `grader selfcheck --timings FILE` writes
//! them as a table ([`write`]); the self-check also keeps each subject's
//! time in its build cache ([`save`]) and, next time, starts the subjects
//! that took longest first ([`queue_order`]).
//!
//! Many subjects are graded at once, so the self-check ends no sooner than
//! its last subject; one long subject started last makes everyone wait for
//! it. The order decides nothing but when a subject starts: every subject
//! is graded, and the results come out in the subjects' order.
use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

/// The file in the self-check's build cache that keeps each subject's time
/// between runs.
pub const FILE: &str = "selfcheck-subjects.tsv";

/// Where the time of one subject went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectTiming {
    /// The subject's label (`solutions`, `exercises`, a broken submission's
    /// directory under the course's root, ...).
    pub subject: String,
    /// When its grading started, from the start of the gradings.
    pub started: Duration,
    /// How long its build took (cargo, and the copies around it).
    pub build: Duration,
    /// How long its whole grading took: the build, the wait for places to
    /// run its tests, and its tests.
    pub wall: Duration,
    /// Its tests.
    pub tests: usize,
    /// Its tests' times added up (each from its start to its end, not
    /// counting the wait for a place to run).
    pub tests_total: Duration,
    /// The times of its CPU-heavy tests added up: at most one such test
    /// per core runs at a time, across every grading of the self-check.
    pub heavy_total: Duration,
    /// Its longest test (`exercise::test`) and how long it took.
    pub longest: Option<(String, Duration)>,
}

/// The order to start subjects in, given how long each is expected to
/// take (`None`: not known): the longest first, those not known ahead of
/// all of them (they may be long), ties in the given order.
pub fn queue_order(expected: &[Option<Duration>]) -> Vec<usize> {
    crate::durations::order_longest_first(expected)
}

/// Each subject's time kept in the build cache `dir`; empty when there is
/// none or it cannot be read (the order is only a speed-up).
pub fn load(dir: &Path) -> HashMap<String, Duration> {
    let Ok(text) = fs::read_to_string(dir.join(FILE)) else {
        return HashMap::new();
    };
    text.lines()
        .filter_map(|line| {
            let (label, ms) = line.split_once('\t')?;
            let ms = ms.trim().parse::<u64>().ok()?;
            Some((label.to_string(), Duration::from_millis(ms)))
        })
        .collect()
}

/// Keeps the subjects' times of `timings` in the build cache `dir`, beside
/// those of subjects this run did not grade (written under a temporary
/// name, then renamed). Failing to keep them costs only the order next
/// time.
pub fn save(dir: &Path, timings: &[SubjectTiming]) {
    let mut kept = load(dir);
    for t in timings {
        kept.insert(t.subject.clone(), t.wall);
    }
    let mut lines: Vec<String> = kept
        .iter()
        .map(|(label, wall)| format!("{label}\t{}\n", wall.as_millis()))
        .collect();
    lines.sort();
    if fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(tmp) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    if fs::write(tmp.path(), lines.concat()).is_ok() {
        let _ = tmp.persist(dir.join(FILE));
    }
}

/// Writes `timings` as tab-separated values with a header line, the
/// longest grading first: subject, start, build and grading times in
/// milliseconds, the number of tests and their times added up, the
/// CPU-heavy tests' times added up, the longest test and its time.
pub fn write(timings: &[SubjectTiming], out: &mut dyn Write) -> io::Result<()> {
    let mut rows: Vec<&SubjectTiming> = timings.iter().collect();
    rows.sort_by(|a, b| b.wall.cmp(&a.wall).then(a.started.cmp(&b.started)));
    writeln!(
        out,
        "subject\tstart_ms\tbuild_ms\tgrading_ms\ttests\ttests_ms\theavy_ms\tlongest_test\tlongest_ms"
    )?;
    for t in rows {
        let (test, ms) = match &t.longest {
            Some((name, took)) => (name.as_str(), took.as_millis().to_string()),
            None => ("", String::new()),
        };
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{test}\t{ms}",
            t.subject,
            t.started.as_millis(),
            t.build.as_millis(),
            t.wall.as_millis(),
            t.tests,
            t.tests_total.as_millis(),
            t.heavy_total.as_millis(),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn longest_subjects_start_first_and_unknown_ones_before_them() {
        let expected = [
            None,
            Some(ms(2_000)),
            None,
            Some(ms(40_000)),
            Some(ms(9_000)),
            Some(ms(40_000)),
        ];
        assert_eq!(queue_order(&expected), vec![0, 2, 3, 5, 4, 1]);
        // Nothing known: the given order.
        assert_eq!(queue_order(&[None, None, None]), vec![0, 1, 2]);
    }

    #[test]
    fn kept_times_survive_a_save_and_load_beside_older_ones() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE), "older\t5000\nsolutions\t1\n").unwrap();
        let timing = SubjectTiming {
            subject: "solutions".into(),
            wall: ms(81_234),
            ..SubjectTiming::default()
        };
        save(dir.path(), &[timing]);
        let kept = load(dir.path());
        assert_eq!(kept.get("solutions"), Some(&ms(81_234)));
        assert_eq!(kept.get("older"), Some(&ms(5_000)));
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn the_table_lists_the_longest_gradings_first() {
        let timings = [
            SubjectTiming {
                subject: "fixtures/broken/tcp_echo/no_loop".into(),
                started: ms(1_500),
                build: ms(800),
                wall: ms(2_300),
                tests: 12,
                tests_total: ms(4_000),
                heavy_total: ms(0),
                longest: Some(("tcp_echo::one_mebibyte".into(), ms(1_250))),
            },
            SubjectTiming {
                subject: "solutions".into(),
                started: ms(0),
                build: ms(4_100),
                wall: ms(61_000),
                tests: 250,
                tests_total: ms(80_000),
                heavy_total: ms(30_000),
                longest: Some(("poll_echo::stalled_client".into(), ms(9_000))),
            },
            SubjectTiming {
                subject: "fixtures/broken/x/no_crate".into(),
                started: ms(2_000),
                ..SubjectTiming::default()
            },
        ];
        let mut out = Vec::new();
        write(&timings, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "subject\tstart_ms\tbuild_ms\tgrading_ms\ttests\ttests_ms\theavy_ms\tlongest_test\tlongest_ms\n\
             solutions\t0\t4100\t61000\t250\t80000\t30000\tpoll_echo::stalled_client\t9000\n\
             fixtures/broken/tcp_echo/no_loop\t1500\t800\t2300\t12\t4000\t0\ttcp_echo::one_mebibyte\t1250\n\
             fixtures/broken/x/no_crate\t2000\t0\t0\t0\t0\t0\t\t\n"
        );
    }
}
