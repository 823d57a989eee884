//! Grading whole submissions through the `grader` binary: the stubs get
//! zero without hanging, the report keeps its documented shape, and the
//! command line fails cleanly on bad input. (The solutions' full marks are
//! proven by `grader selfcheck` in tests/e2e/broken.rs and, through this same
//! binary, ten times over by tests/e2e/flaky.rs.)
use crate::common;

use std::fs;
use std::path::Path;

use common::{copy_tree, grade_json, grader, root, tests_of};
use predicates::prelude::*;

/// Every file below `dir` with its content, to prove grading changes nothing.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                out.push((
                    entry.path().display().to_string(),
                    fs::read(entry.path()).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn stubs_score_zero_and_every_test_ends_in_a_panic() {
    let (out, report) = grade_json(&root().join("exercises"), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(report["score"], 0);
    for (exercise, test, status, cause) in tests_of(&report) {
        assert_eq!(status, "failed", "{exercise}::{test}");
        // A stub panics at once; a timeout here would mean a suite waits on a dead program.
        assert_eq!(cause, "panic", "{exercise}::{test} ended by {cause}");
    }
}

#[test]
fn json_report_has_the_documented_fields() {
    let (_, report) = grade_json(
        &root().join("exercises"),
        &["--only", "dict_lookup", "--seed", "9"],
    );
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["seed"], 9);
    assert!(report["score"].is_u64() && report["max_score"].is_u64());
    let ex = &report["exercises"][0];
    assert_eq!(ex["name"], "dict_lookup");
    assert_eq!(ex["build"], "ok");
    assert!(ex["score"].is_u64() && ex["max_score"].is_u64());
    for t in ex["tests"].as_array().unwrap() {
        assert!(t["name"].is_string());
        assert!(matches!(t["status"].as_str(), Some("passed" | "failed")));
        assert!(t["score"].is_u64() && t["max_score"].is_u64());
        assert!(matches!(
            t["visibility"].as_str(),
            Some("visible" | "hidden")
        ));
        assert!(t["message"].is_string());
        assert!(t["duration_ms"].is_u64());
    }
}

#[test]
fn the_same_seed_gives_the_same_results() {
    let outcome = |dir: &str| {
        let (_, report) = grade_json(&root().join(dir), &["--seed", "7", "--only", "dict_lookup"]);
        tests_of(&report)
    };
    assert_eq!(outcome("solutions"), outcome("solutions"));
    let broken = "fixtures/broken/dict_lookup/case_insensitive";
    assert_eq!(outcome(broken), outcome(broken));
}

#[test]
fn the_human_report_explains_the_first_failure() {
    grader()
        .args(["grade", "exercises", "--only", "dict_lookup"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ dict_lookup"))
        .stdout(predicate::str::contains("0/26"))
        .stdout(predicate::str::contains(
            "your program panicked: not yet implemented",
        ))
        .stdout(predicate::str::contains(
            "run: cargo run -q -p dict_lookup -- dict.txt abandon",
        ))
        .stdout(predicate::str::contains("Total: 0/26 points"));
}

#[test]
fn solving_an_exercise_in_place_raises_its_score_and_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let sub = tmp.path().join("exercises");
    copy_tree(&root().join("exercises"), &sub);
    fs::copy(
        root().join("solutions/dict_lookup/src/main.rs"),
        sub.join("dict_lookup/src/main.rs"),
    )
    .unwrap();
    let before = contents(&sub);
    let (out, report) = grade_json(&sub, &["--only", "dict_lookup", "--only", "talk_split"]);
    assert_eq!(out.status.code(), Some(1));
    let ex = report["exercises"].as_array().unwrap();
    assert_eq!(ex[0]["name"], "dict_lookup");
    assert_eq!(ex[0]["score"], ex[0]["max_score"]);
    assert_eq!(ex[1]["score"], 0);
    assert_eq!(contents(&sub), before, "grading changed the submission");
}

#[test]
fn a_compile_error_fails_only_its_own_exercise() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(
        &root().join("solutions/dict_lookup"),
        &tmp.path().join("dict_lookup"),
    );
    copy_tree(
        &root().join("exercises/talk_split"),
        &tmp.path().join("talk_split"),
    );
    fs::write(
        tmp.path().join("talk_split/src/main.rs"),
        "fn main() { let x: u8 = \"nope\"; }\n",
    )
    .unwrap();
    let (out, report) = grade_json(
        tmp.path(),
        &["--only", "dict_lookup", "--only", "talk_split"],
    );
    assert_eq!(out.status.code(), Some(1));
    let ex = report["exercises"].as_array().unwrap();
    assert_eq!(ex[0]["build"], "ok");
    assert_eq!(ex[0]["score"], ex[0]["max_score"]);
    assert_eq!(ex[1]["build"], "failed");
    let message = ex[1]["build_message"].as_str().unwrap();
    assert!(
        message.contains("mismatched types") && message.contains("talk_split/src/main.rs"),
        "{message}"
    );
    assert!(ex[1]["tests"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["cause"] == "build_failed"));
}

#[test]
fn a_missing_exercise_is_reported_as_missing() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(
        &root().join("solutions/dict_lookup"),
        &tmp.path().join("dict_lookup"),
    );
    let (_, report) = grade_json(tmp.path(), &["--only", "dict_lookup", "--only", "copy_dir"]);
    let ex = report["exercises"].as_array().unwrap();
    assert_eq!(ex[1]["build"], "missing");
    assert!(ex[1]["tests"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["cause"] == "missing"));
}

#[test]
fn a_wrongly_named_package_fails_its_build_with_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(
        &root().join("solutions/dict_lookup"),
        &tmp.path().join("dict_lookup"),
    );
    let manifest = tmp.path().join("dict_lookup/Cargo.toml");
    let text = fs::read_to_string(&manifest)
        .unwrap()
        .replace("name = \"dict_lookup\"", "name = \"lookup\"");
    fs::write(&manifest, text).unwrap();
    let (_, report) = grade_json(tmp.path(), &["--only", "dict_lookup"]);
    let message = report["exercises"][0]["build_message"].as_str().unwrap();
    assert!(message.contains("must be named `dict_lookup`"), "{message}");
}

#[test]
fn bad_arguments_exit_2_with_one_line() {
    let out = grader().args(["grade", "no/such/dir"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no/such/dir") && err.contains("not found"),
        "{err}"
    );

    grader()
        .args(["grade", "exercises", "--only", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no exercise named `nope`"));
    grader().args(["grade", "--jobs", "many"]).assert().code(2);
}

#[test]
fn no_fail_exits_zero_and_the_results_file_holds_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let results = tmp.path().join("results.json");
    grader()
        .args([
            "grade",
            "exercises",
            "--only",
            "dict_lookup",
            "--no-fail",
            "--results",
        ])
        .arg(&results)
        .assert()
        .code(0);
    let report: serde_json::Value = serde_json::from_slice(&fs::read(&results).unwrap()).unwrap();
    assert_eq!(report["score"], 0);
    assert_eq!(report["exercises"][0]["name"], "dict_lookup");
}

#[test]
fn hidden_tests_show_students_only_the_cause() {
    let dir = root().join("fixtures/broken/dict_lookup/reads_whole_file");
    let hidden_test = |audience: &str| {
        let out = grader()
            .arg("grade")
            .arg(&dir)
            .args([
                "--only",
                "dict_lookup",
                "--format",
                "json",
                "--audience",
                audience,
            ])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["exercises"][0]["tests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "stops_reading_when_found")
            .unwrap()
            .clone()
    };
    let student = hidden_test("student");
    assert_eq!(student["status"], "failed");
    assert_eq!(student["visibility"], "hidden");
    let message = student["message"].as_str().unwrap();
    assert!(message.contains("timeout"), "{message}");
    assert!(
        !message.contains("accept") && !message.contains("run:"),
        "hidden inputs leaked: {message}"
    );
    assert!(student.get("failure").is_none());
    let instructor = hidden_test("instructor");
    assert!(instructor["message"]
        .as_str()
        .unwrap()
        .contains("run: cargo run -q -p dict_lookup -- dict.fifo accept"));
}

#[test]
fn submissions_sharing_a_target_dir_are_each_graded_on_their_own_code() {
    // The snapshot keeps the submission's modification times; with one
    // cache for two submissions, the second must still be built from its
    // own files, whatever their times.
    let cache = tempfile::tempdir().unwrap();
    let target = cache.path().to_str().unwrap();
    let only = ["--only", "dict_lookup", "--target-dir", target];
    let (_, solved) = grade_json(&root().join("solutions"), &only);
    assert_eq!(solved["score"], solved["max_score"]);
    let (_, stubs) = grade_json(&root().join("exercises"), &only);
    assert_eq!(
        stubs["score"], 0,
        "the stubs were graded with the solutions' program"
    );
    let (_, again) = grade_json(&root().join("solutions"), &only);
    assert_eq!(again["score"], again["max_score"]);
}
