//! The flakiness loop: grading the solutions ten times through the `grader`
//! binary must give full marks, and exit 0, every time. The ten gradings run
//! two at a time, and libtest runs this test beside the others of this
//! binary (the self-check, the class, the platforms' formats, the hostile
//! submissions), so every suite also meets a machine loaded by other
//! gradings: the suites' timing margins must hold there.
//! Alone: `cargo test --test e2e flaky::`.
use crate::common;

use common::{grade_json, root, tests_of};

#[test]
fn solutions_pass_ten_times_two_at_a_time() {
    let runs: Vec<u32> = (1..=10).collect();
    let problems: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .chunks(5)
            .map(|chunk| {
                scope.spawn(move || {
                    let mut problems = Vec::new();
                    for run in chunk {
                        let seed = run.to_string();
                        let (out, report) =
                            grade_json(&root().join("solutions"), &["--seed", &seed]);
                        let failing: Vec<_> = tests_of(&report)
                            .into_iter()
                            .filter(|t| t.2 != "passed")
                            .collect();
                        if !failing.is_empty() {
                            // Each failure's whole message: a timing
                            // margin missed says by how much.
                            let messages = failed_messages(&report).join("\n");
                            problems.push(format!(
                                "run {run} (seed {seed}): {failing:?}\n{messages}"
                            ));
                        } else if out.status.code() != Some(0)
                            || report["score"] != report["max_score"]
                            || report["max_score"].as_u64() < Some(1)
                        {
                            problems.push(format!(
                                "run {run} (seed {seed}): every test passed, yet exit {:?}, score {} of {}",
                                out.status.code(),
                                report["score"],
                                report["max_score"]
                            ));
                        }
                    }
                    problems
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a grading thread panicked"))
            .collect()
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The message of every failed test in `report`, named.
fn failed_messages(report: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for ex in report["exercises"].as_array().into_iter().flatten() {
        for t in ex["tests"].as_array().into_iter().flatten() {
            if t["status"] != "passed" {
                out.push(format!(
                    "{}::{} ({} ms): {}",
                    ex["name"].as_str().unwrap_or("?"),
                    t["name"].as_str().unwrap_or("?"),
                    t["duration_ms"],
                    t["message"].as_str().unwrap_or("")
                ));
            }
        }
    }
    out
}
