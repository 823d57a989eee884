//! The flakiness loop: grading the solutions ten times in a row must give
//! full marks every time. Slow, so it stays out of the default `cargo test`:
//! run it with `cargo test --test flaky -- --ignored`.
mod common;

use common::{grade_json, root, tests_of};

#[test]
#[ignore = "slow: grades the solutions ten times"]
fn solutions_pass_ten_times_in_a_row() {
    for run in 1..=10 {
        let seed = run.to_string();
        let (_, report) = grade_json(&root().join("solutions"), &["--seed", &seed]);
        let failing: Vec<_> = tests_of(&report)
            .into_iter()
            .filter(|t| t.2 != "passed")
            .collect();
        assert!(failing.is_empty(), "run {run} (seed {seed}): {failing:?}");
    }
}
