//! [`PlatformTest`]: the report flattened to one result per test (name,
//! number, points, max points, status, visibility, message, output,
//! duration), the one input of every grading platform's format: Gradescope,
//! Exercism, GitHub Classroom, JUnit and PrairieLearn.
//!
//! Audience is already applied: in the student view a hidden test's
//! `message` is only its cause's fixed sentence and it has no `failure`, so
//! no format can leak its inputs.
use std::time::Duration;

use crate::model::{Cause, Detail, Visibility};
use crate::report::{BuildStatus, ExerciseReport, Report, Status, TestReport};
use crate::text::{fmt, Lang};

/// One test of a report, with what every platform asks about it.
#[derive(Debug, Clone, Copy)]
pub struct PlatformTest<'a> {
    /// Its exercise.
    pub exercise: &'a ExerciseReport,
    /// The test itself.
    pub test: &'a TestReport,
    /// The exercise's position in the course, from 1.
    pub exercise_number: usize,
    /// The test's position in its exercise's report, from 1.
    pub test_number: usize,
}

impl<'a> PlatformTest<'a> {
    /// `exercise::test`, as `--test` and the progress lines name it.
    pub fn name(&self) -> String {
        format!("{}::{}", self.exercise.name, self.test.name)
    }

    /// `E.T`: the exercise's position in the course and the test's in it.
    pub fn number(&self) -> String {
        format!("{}.{}", self.exercise_number, self.test_number)
    }

    /// Points earned.
    pub fn points(&self) -> u32 {
        self.test.score
    }

    /// Points possible (0 for a test not run on this system).
    pub fn max_points(&self) -> u32 {
        self.test.max_score
    }

    /// Passed, failed or not run.
    pub fn status(&self) -> Status {
        self.test.status
    }

    /// Visible or hidden.
    pub fn visibility(&self) -> Visibility {
        self.test.visibility
    }

    /// The feedback as plain text (empty when it passed).
    pub fn message(&self) -> &'a str {
        &self.test.message
    }

    /// The first line of the feedback: the property that failed (for a
    /// hidden test in the student view, the cause's fixed sentence).
    pub fn summary(&self) -> &'a str {
        self.test.message.lines().next().unwrap_or("")
    }

    /// What the student's program printed during the test (its stdout and
    /// stderr as the feedback quotes them); empty when it passed, printed
    /// nothing, or the test is hidden from this audience.
    pub fn output(&self) -> String {
        let Some(failure) = &self.test.failure else {
            return String::new();
        };
        let texts: Vec<(String, &str)> = failure
            .details
            .iter()
            .filter_map(|d| match d {
                Detail::Text { label, text } if label.is_output() => {
                    Some((label.english(), text.as_str()))
                }
                Detail::Diff { label, actual, .. } if label.is_output() && !actual.is_empty() => {
                    Some((label.english(), actual.as_str()))
                }
                _ => None,
            })
            .collect();
        match texts.as_slice() {
            [] => String::new(),
            [(_, text)] => text.to_string(),
            many => many
                .iter()
                .map(|(label, text)| format!("{label}:\n{text}"))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// The command that reproduces the test, when the feedback shows one.
    pub fn command(&self) -> Option<&'a str> {
        self.test
            .failure
            .as_ref()?
            .details
            .iter()
            .find_map(|d| match d {
                Detail::Command { command, .. } => Some(command.as_str()),
                _ => None,
            })
    }

    /// Wall-clock time of the test.
    pub fn duration(&self) -> Duration {
        Duration::from_millis(self.test.duration_ms)
    }

    /// The test could not run at all: its exercise did not build or is
    /// missing, or the grader itself failed. Platforms that tell an error
    /// from a failure call these errors.
    pub fn errored(&self) -> bool {
        matches!(
            self.test.cause,
            Some(Cause::BuildFailed | Cause::Missing | Cause::GraderError)
        )
    }

    /// The outcome as GitHub Classroom's and Exercism's results name it:
    /// `pass`, `error` (the program could not be tested) or `fail`.
    pub fn outcome(&self) -> &'static str {
        match self.status() {
            Status::Passed => "pass",
            _ if self.errored() => "error",
            _ => "fail",
        }
    }
}

/// Every test of the report, in the report's order.
pub fn tests(report: &Report) -> Vec<PlatformTest<'_>> {
    report
        .exercises
        .iter()
        .enumerate()
        .flat_map(|(i, ex)| {
            // The report knows each exercise's place in the course, so
            // numbers stay the same whichever exercises were graded.
            let exercise_number = if ex.number > 0 { ex.number } else { i + 1 };
            ex.tests
                .iter()
                .enumerate()
                .map(move |(j, test)| PlatformTest {
                    exercise: ex,
                    test,
                    exercise_number,
                    test_number: j + 1,
                })
        })
        .collect()
}

/// True when no test could run: every graded exercise failed to build or is
/// missing (a submission that is not gradable at all).
pub fn nothing_built(report: &Report) -> bool {
    !report.exercises.is_empty() && report.exercises.iter().all(|e| e.build != BuildStatus::Ok)
}

/// One message per exercise that did not build or is missing, with the
/// compiler's errors, in `lang`.
pub fn build_problems(report: &Report, lang: Lang) -> Vec<String> {
    let name = |e: &ExerciseReport| [("name", e.name.as_str().into())];
    report
        .exercises
        .iter()
        .filter_map(|e| match e.build {
            BuildStatus::Ok => None,
            BuildStatus::Failed => Some(format!(
                "{}\n{}",
                fmt(lang, "platform-did-not-compile", &name(e)),
                e.build_message.as_deref().unwrap_or("").trim_end()
            )),
            BuildStatus::Missing => Some(fmt(lang, "platform-missing", &name(e))),
        })
        .collect()
}

/// The whole submission in a few lines, in `lang`: the total, the tests
/// passed, and every build problem.
pub fn summary(report: &Report, lang: Lang) -> String {
    let mut out = format!(
        "{}\n{}",
        fmt(
            lang,
            "platform-title",
            &[
                ("version", report.grader_version.as_str().into()),
                ("seed", report.seed.to_string().into()),
            ],
        ),
        fmt(
            lang,
            "platform-total",
            &[
                ("score", report.score.into()),
                ("max", report.max_score.into()),
                ("passed", report.tests_passed.into()),
                ("total", report.tests_total.into()),
            ],
        )
    );
    if report.tests_not_run > 0 {
        out.push('\n');
        out.push_str(&fmt(
            lang,
            "platform-not-run",
            &[("count", report.tests_not_run.into())],
        ));
    }
    for problem in build_problems(report, lang) {
        out.push_str("\n\n");
        out.push_str(&problem);
    }
    out
}

/// `text` cut to at most `max` characters in all, `notice` included, on a
/// line of its own at the end when anything was cut.
pub fn truncate(text: &str, max: usize, notice: &str) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let keep = max.saturating_sub(notice.chars().count() + 1);
    let mut out: String = text.chars().take(keep).collect();
    out.push('\n');
    out.push_str(notice);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_the_limit_notice_included() {
        let notice = "Output was truncated. Please limit to 500 chars";
        let long = "é".repeat(600);
        let cut = truncate(&long, 500, notice);
        assert_eq!(cut.chars().count(), 500);
        assert!(cut.ends_with(notice));
        assert_eq!(truncate("short", 500, notice), "short");
    }

    #[test]
    fn exercises_are_numbered_by_their_place_in_the_course() {
        let catalog = crate::catalog::Catalog::builtin().unwrap();
        let last = catalog.exercises.last().unwrap();
        let report = Report::collect(
            "s",
            1,
            crate::report::Audience::Student,
            &[last],
            &[crate::builder::BuildOutcome::Missing],
            &[Vec::new()],
        );
        let mut report = report;
        report.exercises[0].tests = vec![TestReport {
            name: "t".into(),
            status: Status::Failed,
            cause: Some(Cause::Missing),
            score: 0,
            max_score: 1,
            visibility: Visibility::Visible,
            message: String::new(),
            not_run: None,
            failure: None,
            duration_ms: 0,
        }];
        let tests = tests(&report);
        assert_eq!(tests[0].number(), format!("{}.1", catalog.exercises.len()));
    }
}
