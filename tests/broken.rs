//! Every suite is proven against broken submissions: each one under
//! `fixtures/broken/<exercise>/` must fail exactly the tests its
//! `broken.toml` names, and pass all the others.
mod common;

use std::collections::BTreeSet;

use common::{grade_json, root, tests_of};
use grader::fixtures::broken_submissions;

/// Fewest broken submissions an exercise may have.
const MIN_BROKEN: usize = 5;

fn check_exercise(exercise: &str) {
    let all = broken_submissions(&root().join("fixtures/broken")).unwrap();
    let cases: Vec<_> = all
        .iter()
        .filter(|b| b.expect.exercise == exercise)
        .collect();
    assert!(
        cases.len() >= MIN_BROKEN,
        "{exercise} has {} broken submissions, fewer than {MIN_BROKEN}",
        cases.len()
    );
    let mut problems = Vec::new();
    for case in cases {
        let (_, report) = grade_json(&case.dir, &["--only", exercise]);
        let tests = tests_of(&report);
        let failed: BTreeSet<String> = tests
            .iter()
            .filter(|t| t.2 == "failed")
            .map(|t| t.1.clone())
            .collect();
        let expected: BTreeSet<String> = case.expect.fails.iter().cloned().collect();
        let known: BTreeSet<String> = tests.iter().map(|t| t.1.clone()).collect();
        if let Some(unknown) = expected.difference(&known).next() {
            problems.push(format!(
                "{}: names unknown test `{unknown}`",
                case.dir.display()
            ));
        }
        if expected.is_empty() {
            problems.push(format!(
                "{}: a broken submission must fail some test",
                case.dir.display()
            ));
        }
        if failed != expected {
            problems.push(format!(
                "{} ({}): failed {failed:?}, expected {expected:?}",
                case.dir.display(),
                case.expect.mistake
            ));
        }
        if report["exercises"][0]["build"] != "ok" {
            problems.push(format!("{}: did not build", case.dir.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// One test per exercise, so that a failure names its exercise and the
/// exercises' cases run in parallel.
macro_rules! broken_cases {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_exercise(stringify!($name));
            }
        )*

        #[test]
        fn every_course_exercise_has_its_broken_cases_test() {
            let listed: BTreeSet<String> = [$(stringify!($name)),*]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let course: BTreeSet<String> = common::exercise_names().into_iter().collect();
            assert_eq!(listed, course);
        }
    };
}

broken_cases!(
    dict_lookup,
    talk_split,
    copy_dir,
    copy_file,
    hole_file,
    tcp_echo,
    tcp_client,
    udp_echo,
    students,
    file_upload,
    bracket_check,
    line_upper,
    broadcast,
    http_server,
    http_get,
    timeout_probe,
    poll_echo,
    unix_echo,
    chat_server,
);

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
