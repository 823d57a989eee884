//! Every suite is proven against broken submissions, through `grader
//! selfcheck`: the solutions get full marks, the stubs 0 (failing fast), and
//! each broken submission under `fixtures/broken/<exercise>/` fails exactly
//! the tests its `broken.toml` names and passes all the others. A second
//! test shows the self-check does fail when the course does not hold.
use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use crate::common;
use common::{copy_tree, grader, root};
use grader::fixtures::broken_submissions;

/// Fewest broken submissions an exercise may have.
const MIN_BROKEN: usize = 5;

/// Submissions the self-check grades at once (one per core building at a
/// time, the others running their tests): most of a grading is spent
/// waiting on programs (pauses, time-outs), so many more than the cores;
/// the suites' margins must hold on a machine loaded this way. The
/// CPU-heavy tests (one per core at a time across all the gradings) bounded
/// it at about 330 s on 2 cores until such a test gave its place back once
/// it only waits; ~137 s alone from a cold build cache with 12 at once, each
/// building then testing; ~114 s with 24 at once, builds taking turns and
/// the test budget following the load, against a CPU floor of ~91 s
/// (`grader selfcheck --timings` says where the time goes).
const PARALLEL: &str = "24";

/// One row of the self-check's table: the solution's, the stub's, the
/// independent correct program's, the broken submissions' and the contract
/// clauses' columns, as printed.
#[derive(Debug)]
struct Row {
    solution: String,
    stub: String,
    alternative: String,
    broken: String,
    clauses: String,
}

fn table(stdout: &str) -> BTreeMap<String, Row> {
    let mut rows = BTreeMap::new();
    // The table ends at the first blank line; the clause coverage follows.
    for line in stdout.lines().skip(1).take_while(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        // exercise, then solution, stub, alternative, broken and clauses,
        // each a count and a mark
        if cells.len() == 11 {
            rows.insert(
                cells[0].to_string(),
                Row {
                    solution: format!("{} {}", cells[1], cells[2]),
                    stub: format!("{} {}", cells[3], cells[4]),
                    alternative: format!("{} {}", cells[5], cells[6]),
                    broken: format!("{} {}", cells[7], cells[8]),
                    clauses: format!("{} {}", cells[9], cells[10]),
                },
            );
        }
    }
    rows
}

#[test]
fn the_course_holds_against_its_broken_submissions() {
    let out = grader()
        .args(["selfcheck", "--parallel", PARALLEL])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "selfcheck found problems:\n{stdout}\nstderr (last lines):\n{}",
        stderr.lines().rev().take(20).collect::<Vec<_>>().join("\n")
    );
    let rows = table(&stdout);
    let names: BTreeSet<String> = rows.keys().cloned().collect();
    let course: BTreeSet<String> = common::exercise_names().into_iter().collect();
    assert_eq!(names, course, "{stdout}");
    let broken = broken_submissions(&root().join("fixtures/broken")).unwrap();
    for (exercise, row) in &rows {
        assert!(row.solution.ends_with(" ok"), "{exercise}: {row:?}");
        assert!(
            row.stub.starts_with("0/") && row.stub.ends_with(" ok"),
            "{exercise}: {row:?}"
        );
        assert_eq!(
            row.alternative.split(' ').next(),
            row.solution.split(' ').next(),
            "{exercise}: a correct program written differently keeps full marks: {row:?}"
        );
        assert!(
            row.clauses.ends_with(" ok"),
            "{exercise}: every clause tested: {row:?}"
        );
        let count = broken
            .iter()
            .filter(|b| &b.expect.exercise == exercise)
            .count();
        assert!(
            count >= MIN_BROKEN,
            "{exercise} has {count} broken submissions, fewer than {MIN_BROKEN}"
        );
        assert_eq!(row.broken, format!("{count}/{count} ok"), "{exercise}");
    }
    assert!(
        stdout
            .trim_end()
            .ends_with("every broken submission caught, every clause tested"),
        "{stdout}"
    );
}

/// A course of one exercise whose "broken" submission is in fact the
/// solution: the self-check must say it passed the test it had to fail,
/// and exit 1.
#[test]
fn selfcheck_fails_when_a_broken_submission_is_not_caught() {
    let scratch = tempfile::tempdir().unwrap();
    let course = scratch.path().join("course");
    let ex = "dict_lookup";
    copy_tree(
        &root().join("solutions").join(ex),
        &course.join("solutions").join(ex),
    );
    copy_tree(
        &root().join("exercises").join(ex),
        &course.join("exercises").join(ex),
    );
    let case = course.join("fixtures/broken").join(ex).join("not_broken");
    copy_tree(&root().join("solutions").join(ex), &case.join(ex));
    fs::write(
        case.join("broken.toml"),
        format!(
            "exercise = \"{ex}\"\nmistake = \"None: this is the solution.\"\n\
             fails = [\"line_endings_and_blank_lines\"]\n"
        ),
    )
    .unwrap();
    let timings = scratch.path().join("timings.tsv");
    let out = grader()
        .args(["selfcheck", "--only", ex, "--root"])
        .arg(&course)
        .arg("--target-dir")
        .arg(scratch.path().join("cache"))
        .arg("--timings")
        .arg(&timings)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    // Where the time went: a line per submission graded, each with its
    // tests and its longest one.
    let timings = fs::read_to_string(&timings).unwrap();
    let mut lines = timings.lines();
    assert_eq!(
        lines.next(),
        Some("subject\tstart_ms\tbuild_ms\tgrading_ms\ttests\ttests_ms\theavy_ms\tlongest_test\tlongest_ms")
    );
    let subjects: BTreeSet<&str> = lines
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 9, "{timings}");
            let tests: usize = cells[4].parse().unwrap();
            assert!(tests > 0, "{timings}");
            assert!(cells[7].starts_with("dict_lookup::"), "{timings}");
            cells[0]
        })
        .collect();
    assert_eq!(
        subjects,
        BTreeSet::from([
            "solutions",
            "exercises",
            "fixtures/broken/dict_lookup/not_broken"
        ]),
        "{timings}"
    );
    let row = &table(&stdout)[ex];
    assert!(row.solution.ends_with(" ok"), "{stdout}");
    assert_eq!(row.broken, "0/1 NO", "{stdout}");
    assert!(
        stdout.lines().any(|l| l.contains("not_broken")
            && l.contains("line_endings_and_blank_lines")
            && l.contains("must fail")),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("found"), "{stdout}");
}

#[test]
fn every_broken_submission_names_a_course_exercise() {
    let names = common::exercise_names();
    for case in broken_submissions(&root().join("fixtures/broken")).unwrap() {
        assert!(
            names.contains(&case.expect.exercise),
            "{}",
            case.dir.display()
        );
        assert!(
            case.dir
                .join(&case.expect.exercise)
                .join("Cargo.toml")
                .is_file(),
            "{}",
            case.dir.display()
        );
    }
}
