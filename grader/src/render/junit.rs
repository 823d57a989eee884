//! JUnit XML for CI dashboards (GitLab, Jenkins, GitHub test reporters),
//! written with `quick-junit`: one `<testsuite>` per exercise, one
//! `<testcase>` per test (classname the exercise, time its duration, the
//! properties `score` and `max_score`), a `<failure>` with the failed
//! property as its message, the cause as its type and the whole feedback as
//! its text; an `<error>` when the test could not run (the exercise did not
//! build, is missing, or the grader failed); `<skipped>` for a test not run
//! on this system. What the program printed is the case's `<system-err>`.
use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use super::platform::{self, PlatformTest};
use crate::report::{Report, Status};

fn case(t: &PlatformTest<'_>) -> TestCase {
    let status = match t.status() {
        Status::Passed => TestCaseStatus::success(),
        Status::NotRun => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(t.summary());
            s
        }
        Status::Failed => {
            let kind = if t.errored() {
                NonSuccessKind::Error
            } else {
                NonSuccessKind::Failure
            };
            let mut s = TestCaseStatus::non_success(kind);
            s.set_message(t.summary());
            if let Some(cause) = t.test.cause {
                s.set_type(cause.as_str());
            }
            s.set_description(t.message().trim_end());
            s
        }
    };
    let mut case = TestCase::new(t.test.name.as_str(), status);
    case.set_classname(t.exercise.name.as_str());
    case.set_time(t.duration());
    case.add_property(Property::new("score", t.points().to_string()));
    case.add_property(Property::new("max_score", t.max_points().to_string()));
    case.add_property(Property::new("visibility", t.visibility().as_str()));
    let output = t.output();
    if !output.is_empty() {
        case.set_system_err(output);
    }
    case
}

/// Writes the report as one JUnit XML document.
pub fn render(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let tests = platform::tests(report);
    let mut junit = quick_junit::Report::new("socklings");
    for ex in &report.exercises {
        let mut suite = TestSuite::new(ex.name.as_str());
        suite.add_property(Property::new("score", ex.score.to_string()));
        suite.add_property(Property::new("max_score", ex.max_score.to_string()));
        suite.add_test_cases(
            tests
                .iter()
                .filter(|t| std::ptr::eq(t.exercise, ex))
                .map(case),
        );
        if let Some(message) = &ex.build_message {
            suite.set_system_err(message.as_str());
        }
        junit.add_test_suite(suite);
    }
    let total: u64 = tests.iter().map(|t| t.test.duration_ms).sum();
    junit.set_time(std::time::Duration::from_millis(total));
    junit.serialize(&mut *w).map_err(io::Error::other)?;
    writeln!(w)
}
