//! The grading platforms' formats (`grader grade --format ...` and
//! `--results FILE --results-format ...`), each checked against the fields
//! and types its platform documents, by a schema check written by hand from
//! that documentation (`formats/schemas.rs` names the source of each), on
//! real gradings: a passing, a failing (visible and hidden tests), a
//! missing, a not compiling and a chatty submission.
use crate::common;
pub(crate) mod schemas;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use base64::Engine;
use common::{copy_tree, grader, root};
use schemas::{check_classroom, check_exercism, check_gradescope, check_junit, check_prairielearn};
use serde_json::Value;

// ----------------------------------------------------------------------
// Submissions and runs
// ----------------------------------------------------------------------

/// The exercises of the mixed submission, in course order: 1, 2 and 4.
const MIXED_ONLY: [&str; 6] = [
    "--only",
    "dict_lookup",
    "--only",
    "talk_split",
    "--only",
    "copy_file",
];

/// A submission with every kind of result: `dict_lookup` reads the whole
/// file (it fails the visible `stops_reading_when_absent` and the hidden
/// `stops_reading_when_found`), `talk_split` is solved, `copy_file` is
/// missing.
fn mixed() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(
        &root().join("fixtures/broken/dict_lookup/reads_whole_file/dict_lookup"),
        &tmp.path().join("dict_lookup"),
    );
    copy_tree(
        &root().join("solutions/talk_split"),
        &tmp.path().join("talk_split"),
    );
    tmp
}

/// A submission of `dict_lookup` alone, its `main.rs` replaced by `main`.
fn dict_lookup_with(main: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(
        &root().join("exercises/dict_lookup"),
        &tmp.path().join("dict_lookup"),
    );
    fs::write(tmp.path().join("dict_lookup/src/main.rs"), main).unwrap();
    tmp
}

/// A submission whose only exercise does not compile.
fn not_compiling() -> tempfile::TempDir {
    dict_lookup_with("fn main() { let x: u8 = \"nope\"; }\n")
}

/// A submission that prints 3,000 characters on stderr and fails.
fn chatty() -> tempfile::TempDir {
    dict_lookup_with(
        "fn main() { eprintln!(\"{}\", \"debug \".repeat(500)); std::process::exit(3); }\n",
    )
}

/// What one grading printed and wrote.
struct Run {
    stdout: String,
    /// The `--results` file, when one was asked for.
    results: Option<String>,
    /// `$GITHUB_OUTPUT`, when it was set.
    github_output: Option<String>,
}

/// Grades `dir` with `--format format`; `results_format` also writes a
/// results file in that format; `github` sets `$GITHUB_OUTPUT`.
fn grade(
    dir: &Path,
    only: &[&str],
    format: &str,
    results_format: Option<&str>,
    audience: &str,
    github: bool,
) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    let results = tmp.path().join("results.out");
    let github_output = tmp.path().join("github_output");
    let mut cmd = grader();
    cmd.arg("grade").arg(dir).args(only).args([
        "--format",
        format,
        "--audience",
        audience,
        "--no-fail",
    ]);
    if let Some(f) = results_format {
        cmd.arg("--results")
            .arg(&results)
            .args(["--results-format", f]);
    }
    if github {
        fs::write(&github_output, "").unwrap();
        cmd.env("GITHUB_OUTPUT", &github_output);
    } else {
        cmd.env_remove("GITHUB_OUTPUT");
    }
    let output = cmd.output().expect("running the grader");
    assert_eq!(
        output.status.code(),
        Some(0),
        "the grader failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Run {
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        results: results_format.map(|_| fs::read_to_string(&results).expect("the results file")),
        github_output: github.then(|| fs::read_to_string(&github_output).unwrap()),
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The points of an exercise: its suite's tests' points.
fn points(exercise: &str) -> u64 {
    let catalog = grader::catalog::Catalog::builtin().unwrap();
    u64::from(catalog.exercise(exercise).unwrap().points)
}

/// What only an instructor may read about the hidden test that the mixed
/// submission fails: its input word, part of the command that reproduces it.
const HIDDEN_INPUT: &str = "dict.fifo accept";

/// The property a failing test of the mixed submission names.
const TIMEOUT_PROPERTY: &str = "your program did not finish";

// ----------------------------------------------------------------------
// Gradescope
// ----------------------------------------------------------------------

fn gradescope_test<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no test `{name}`"))
}

#[test]
fn gradescope_results_follow_the_documented_schema() {
    let sub = mixed();
    let run = grade(
        sub.path(),
        &MIXED_ONLY,
        "gradescope",
        Some("gradescope"),
        "student",
        false,
    );
    let v = json(&run.stdout);
    check_gradescope(&v);
    assert_eq!(
        run.results.as_deref(),
        Some(run.stdout.as_str()),
        "--results-format writes the same document"
    );

    let tests = v["tests"].as_array().unwrap();
    let sum: u64 = tests.iter().map(|t| t["score"].as_u64().unwrap()).sum();
    let max: u64 = tests.iter().map(|t| t["max_score"].as_u64().unwrap()).sum();
    assert_eq!(
        v["score"].as_u64(),
        Some(sum),
        "the total is the tests' sum"
    );
    assert_eq!(
        max,
        points("dict_lookup") + points("talk_split") + points("copy_file")
    );
    // Every talk_split test passed, every copy_file test failed (missing).
    for t in tests {
        let name = t["name"].as_str().unwrap();
        if name.starts_with("talk_split::") {
            assert_eq!(t["status"], "passed", "{t}");
            assert_eq!(t["score"], t["max_score"]);
            assert!(t["number"].as_str().unwrap().starts_with("2."), "{t}");
        }
        if name.starts_with("copy_file::") {
            assert_eq!(t["status"], "failed", "{t}");
            assert_eq!(t["score"], 0);
            assert!(t["number"].as_str().unwrap().starts_with("4."), "{t}");
        }
    }
    // The numbers are unique: Gradescope orders tests by them.
    let numbers: BTreeSet<&str> = tests
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers.len(), tests.len());

    let visible = gradescope_test(&v, "dict_lookup::stops_reading_when_absent");
    assert_eq!(visible["status"], "failed");
    assert_eq!(visible["visibility"], "visible");
    assert!(
        visible["output"]
            .as_str()
            .unwrap()
            .contains("dict.fifo abc"),
        "a visible test shows how to reproduce it: {visible}"
    );
    let hidden = gradescope_test(&v, "dict_lookup::stops_reading_when_found");
    assert_eq!(hidden["status"], "failed");
    assert_eq!(hidden["visibility"], "after_published");
    assert_eq!(hidden["number"], "1.10");
    let output = hidden["output"].as_str().unwrap();
    assert!(output.contains(TIMEOUT_PROPERTY), "{output}");
    assert!(!run.stdout.contains(HIDDEN_INPUT), "{}", run.stdout);

    // The instructor's view shows the hidden test's details.
    let instructor = grade(
        sub.path(),
        &MIXED_ONLY,
        "gradescope",
        None,
        "instructor",
        false,
    );
    let v = json(&instructor.stdout);
    check_gradescope(&v);
    let hidden = gradescope_test(&v, "dict_lookup::stops_reading_when_found");
    assert!(hidden["output"].as_str().unwrap().contains(HIDDEN_INPUT));
}

// ----------------------------------------------------------------------
// Exercism
// ----------------------------------------------------------------------

#[test]
fn exercism_results_follow_the_documented_schema() {
    let sub = mixed();
    let run = grade(sub.path(), &MIXED_ONLY, "exercism", None, "student", false);
    let v = json(&run.stdout);
    check_exercism(&v);
    assert_eq!(v["status"], "fail");
    for t in v["tests"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        let (task, status) = match name.split("::").next().unwrap() {
            "dict_lookup" => (1, None),
            "talk_split" => (2, Some("pass")),
            "copy_file" => (4, Some("error")),
            other => panic!("unexpected exercise {other}"),
        };
        assert_eq!(t["task_id"], task, "{t}");
        if let Some(status) = status {
            assert_eq!(t["status"], status, "{t}");
        }
    }
    let hidden = v["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "dict_lookup::stops_reading_when_found")
        .unwrap();
    assert_eq!(hidden["status"], "fail");
    assert!(hidden["message"]
        .as_str()
        .unwrap()
        .contains(TIMEOUT_PROPERTY));
    assert!(!run.stdout.contains(HIDDEN_INPUT), "{}", run.stdout);

    // Solved: pass, every test passes.
    let run = grade(
        &root().join("solutions"),
        &["--only", "dict_lookup"],
        "exercism",
        None,
        "student",
        false,
    );
    let v = json(&run.stdout);
    check_exercism(&v);
    assert_eq!(v["status"], "pass");

    // Not compiling: error, with the compiler's message.
    let sub = not_compiling();
    let run = grade(
        sub.path(),
        &["--only", "dict_lookup"],
        "exercism",
        None,
        "student",
        false,
    );
    let v = json(&run.stdout);
    check_exercism(&v);
    assert_eq!(v["status"], "error");
    let message = v["message"].as_str().unwrap();
    assert!(message.contains("mismatched types"), "{message}");
}

#[test]
fn exercism_output_is_cut_at_500_characters_with_the_notice() {
    let sub = chatty();
    let run = grade(
        sub.path(),
        &["--only", "dict_lookup"],
        "exercism",
        None,
        "student",
        false,
    );
    let v = json(&run.stdout);
    check_exercism(&v);
    let outputs: Vec<&str> = v["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["output"].as_str())
        .collect();
    assert!(!outputs.is_empty(), "what the program printed: {v}");
    for output in outputs {
        assert_eq!(output.chars().count(), 500, "{output}");
        assert!(output.starts_with("debug debug"), "{output}");
        assert!(
            output.ends_with("Output was truncated. Please limit to 500 chars"),
            "{output}"
        );
    }
}

// ----------------------------------------------------------------------
// GitHub Classroom
// ----------------------------------------------------------------------

/// The reporter's "Points X/Y" from a result.
fn reporter_points(v: &Value) -> (u64, u64) {
    let total = v["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["score"].as_u64().unwrap())
        .sum();
    (total, v["max_score"].as_u64().unwrap())
}

#[test]
fn classroom_result_is_base64_in_github_output_with_the_points_line() {
    let sub = mixed();
    let run = grade(
        sub.path(),
        &MIXED_ONLY,
        "classroom",
        Some("classroom"),
        "student",
        true,
    );
    let github = run.github_output.unwrap();
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), 1, "{github}");
    let encoded = lines[0]
        .strip_prefix("result=")
        .unwrap_or_else(|| panic!("no `result=` line: {github}"));
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("standard base64");
    let v: Value = serde_json::from_slice(&decoded).unwrap();
    check_classroom(&v);
    assert_eq!(
        json(run.results.as_deref().unwrap()),
        v,
        "the results file holds the decoded result"
    );
    assert_eq!(v["status"], "fail");

    let (total, max) = reporter_points(&v);
    assert_eq!(
        max,
        points("dict_lookup") + points("talk_split") + points("copy_file")
    );
    assert_eq!(
        run.stdout.lines().last(),
        Some(format!("Points {total}/{max}").as_str()),
        "{}",
        run.stdout
    );
    assert!(
        total >= points("talk_split") && total < max,
        "{total}/{max}"
    );
    let copy_file: Vec<&Value> = v["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["name"].as_str().unwrap().starts_with("copy_file::"))
        .collect();
    assert!(!copy_file.is_empty());
    assert!(copy_file.iter().all(|t| t["status"] == "error"));
    let text = String::from_utf8(decoded).unwrap();
    assert!(!text.contains(HIDDEN_INPUT), "{text}");
    assert!(!run.stdout.contains(HIDDEN_INPUT), "{}", run.stdout);

    // Solved: pass and full points.
    let run = grade(
        &root().join("solutions"),
        &["--only", "dict_lookup"],
        "classroom",
        None,
        "student",
        true,
    );
    let github = run.github_output.unwrap();
    let encoded = github.trim_end().strip_prefix("result=").unwrap();
    let v: Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap(),
    )
    .unwrap();
    check_classroom(&v);
    assert_eq!(v["status"], "pass");
    let max = points("dict_lookup");
    assert_eq!(reporter_points(&v), (max, max));
    assert!(run.stdout.ends_with(&format!("Points {max}/{max}\n")));
}

#[test]
fn classroom_without_github_output_only_prints() {
    let run = grade(
        &root().join("exercises"),
        &["--only", "dict_lookup"],
        "classroom",
        None,
        "student",
        false,
    );
    let max = points("dict_lookup");
    assert!(
        run.stdout.ends_with(&format!("Points 0/{max}\n")),
        "{}",
        run.stdout
    );
}

// ----------------------------------------------------------------------
// JUnit
// ----------------------------------------------------------------------

/// The `score`/`max_score` properties of a testcase.
fn case_points(xml: &str, suite: &str, test: &str) -> (u32, u32) {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let case = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("testcase")
                && n.attribute("classname") == Some(suite)
                && n.attribute("name") == Some(test)
        })
        .unwrap_or_else(|| panic!("no testcase {suite}::{test}"));
    let prop = |name: &str| -> u32 {
        case.descendants()
            .find(|p| p.has_tag_name("property") && p.attribute("name") == Some(name))
            .and_then(|p| p.attribute("value"))
            .unwrap_or_else(|| panic!("no property {name}"))
            .parse()
            .unwrap()
    };
    (prop("score"), prop("max_score"))
}

#[test]
fn junit_has_a_suite_per_exercise_and_points_as_properties() {
    let sub = mixed();
    let run = grade(
        sub.path(),
        &MIXED_ONLY,
        "human",
        Some("junit"),
        "student",
        false,
    );
    let xml = run.results.unwrap();
    assert_eq!(
        check_junit(&xml),
        vec!["dict_lookup", "talk_split", "copy_file"]
    );
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suite = |name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("testsuite") && n.attribute("name") == Some(name))
            .unwrap()
    };
    assert_eq!(suite("talk_split").attribute("failures"), Some("0"));
    assert_eq!(suite("dict_lookup").attribute("failures"), Some("2"));
    // A missing exercise's tests could not run: errors, not failures.
    let copy_file = suite("copy_file");
    assert_eq!(copy_file.attribute("failures"), Some("0"));
    assert_eq!(
        copy_file.attribute("errors"),
        copy_file.attribute("tests"),
        "{xml}"
    );

    let visible = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("testcase") && n.attribute("name") == Some("stops_reading_when_absent")
        })
        .unwrap();
    let failure = visible
        .children()
        .find(|c| c.has_tag_name("failure"))
        .unwrap();
    assert!(failure
        .attribute("message")
        .unwrap()
        .contains(TIMEOUT_PROPERTY));
    assert_eq!(failure.attribute("type"), Some("timeout"));
    assert!(failure.text().unwrap().contains("dict.fifo abc"));
    assert_eq!(
        case_points(&xml, "dict_lookup", "stops_reading_when_absent"),
        (0, 3)
    );
    assert_eq!(case_points(&xml, "dict_lookup", "finds_a_word"), (2, 2));
    assert!(!xml.contains(HIDDEN_INPUT), "{xml}");

    // Solved: no failure anywhere, every test worth its points.
    let run = grade(
        &root().join("solutions"),
        &["--only", "dict_lookup"],
        "junit",
        None,
        "student",
        false,
    );
    check_junit(&run.stdout);
    assert!(!run.stdout.contains("<failure"));
    assert!(!run.stdout.contains("<error"));
}

// ----------------------------------------------------------------------
// PrairieLearn
// ----------------------------------------------------------------------

#[test]
fn prairielearn_score_is_a_fraction_and_no_build_is_not_gradable() {
    let sub = mixed();
    let run = grade(
        sub.path(),
        &MIXED_ONLY,
        "prairielearn",
        Some("prairielearn"),
        "student",
        false,
    );
    check_prairielearn(&run.stdout);
    assert_eq!(run.results.as_deref(), Some(run.stdout.as_str()));
    let v = json(&run.stdout);
    assert_eq!(v["gradable"], true);
    let tests = v["tests"].as_array().unwrap();
    let points: f64 = tests.iter().map(|t| t["points"].as_f64().unwrap()).sum();
    let max: f64 = tests
        .iter()
        .map(|t| t["max_points"].as_f64().unwrap())
        .sum();
    let score = v["score"].as_f64().unwrap();
    assert!(
        (score - points / max).abs() < 1e-9,
        "{score} vs {points}/{max}"
    );
    assert!(score > 0.0 && score < 1.0);
    assert!(!run.stdout.contains(HIDDEN_INPUT), "{}", run.stdout);

    let sub = not_compiling();
    let run = grade(
        sub.path(),
        &["--only", "dict_lookup"],
        "prairielearn",
        None,
        "student",
        false,
    );
    check_prairielearn(&run.stdout);
    let v = json(&run.stdout);
    assert_eq!(v["gradable"], false);
    let errors = v["format_errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap().contains("mismatched types")),
        "{v}"
    );

    let run = grade(
        &root().join("solutions"),
        &["--only", "dict_lookup"],
        "prairielearn",
        None,
        "student",
        false,
    );
    check_prairielearn(&run.stdout);
    assert_eq!(json(&run.stdout)["score"], 1.0);
}

// ----------------------------------------------------------------------
// Bad input
// ----------------------------------------------------------------------

#[test]
fn bad_formats_and_unwritable_results_exit_2() {
    grader()
        .args(["grade", "exercises", "--only", "dict_lookup"])
        .args(["--results-format", "xml"])
        .assert()
        .code(2);
    let out = grader()
        .args(["grade", "exercises", "--only", "dict_lookup"])
        .args(["--results", "/no/such/dir/results.json"])
        .args(["--results-format", "gradescope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/no/such/dir/results.json"), "{err}");
}
