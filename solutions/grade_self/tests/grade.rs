//! The grader as the test of one reference solution: `cargo mutants` mutates
//! a solution in a copy of this workspace and runs this test, which grades
//! that copy's crate of `SOCKLINGS_EXERCISE` with the grader at
//! `SOCKLINGS_GRADER`. A mutant that still gets full marks survived: a test
//! is missing, or the mutant is an equivalent program (listed with its
//! reason in mutants/equivalents.toml). See docs/mutants.md.
use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "run by cargo mutants, with SOCKLINGS_GRADER and SOCKLINGS_EXERCISE set (docs/mutants.md)"]
fn the_exercise_gets_full_marks() {
    let grader = std::env::var_os("SOCKLINGS_GRADER")
        .expect("SOCKLINGS_GRADER: the path of a built grader (target/debug/grader)");
    let exercise =
        std::env::var("SOCKLINGS_EXERCISE").expect("SOCKLINGS_EXERCISE: the exercise to grade");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(&grader)
        .arg("grade")
        .arg(&workspace)
        .args(["--only", &exercise, "--audience", "instructor"])
        .output()
        .expect("running the grader");
    let report = String::from_utf8_lossy(&out.stdout);
    match out.status.code() {
        Some(0) => {}
        Some(1) => panic!("{exercise} lost points:\n{report}"),
        other => panic!(
            "the grader could not grade ({other:?}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}
