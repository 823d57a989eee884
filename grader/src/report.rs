//! [`Report`]: the one owned, serializable result of grading a submission,
//! collected from the build and the test runs. Every renderer reads only it.
use serde::{Deserialize, Serialize};

use crate::builder::BuildOutcome;
use crate::catalog::CatalogExercise;
use crate::model::{Cause, Failure, Visibility};
use crate::runner::TestRun;

/// The version of the JSON document; raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Who reads the report: students never see hidden tests' details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Hidden tests show their name, pass/fail and the cause in one fixed sentence only.
    Student,
    /// Everything is shown.
    Instructor,
}

/// Whether a test passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It passed: full points.
    Passed,
    /// It failed: no points.
    Failed,
    /// It was not run on this system (it checks a behaviour only another
    /// system has); it is left out of the score.
    NotRun,
}

/// How an exercise's build went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildStatus {
    /// It compiled.
    Ok,
    /// It did not compile.
    Failed,
    /// The submission has no crate for it.
    Missing,
}

/// The result of grading one submission.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The grader's version.
    pub grader_version: String,
    /// The submission directory as given.
    pub submission: String,
    /// The seed of the randomized inputs.
    pub seed: u64,
    /// Points earned.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
    /// Tests passed.
    pub tests_passed: usize,
    /// Tests run.
    pub tests_total: usize,
    /// Tests not run on this system, left out of the score.
    pub tests_not_run: usize,
    /// Whether details of hidden tests were removed.
    pub audience: &'static str,
    /// The sandbox layers in force during the grading (see `grader doctor`);
    /// empty when the report was not made by a grading run.
    pub sandbox: Vec<SandboxLayer>,
    /// The exercises in teaching order.
    pub exercises: Vec<ExerciseReport>,
}

/// One sandbox layer as it was during the grading.
#[derive(Debug, Clone, Serialize)]
pub struct SandboxLayer {
    /// `limits`, `processes`, `network`, `filesystem` or `isolation`.
    pub name: String,
    /// Whether it was in force.
    pub active: bool,
    /// What it did, or why it was unavailable.
    pub detail: String,
}

/// The result of one exercise.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExerciseReport {
    /// Its name.
    pub name: String,
    /// Its English title.
    pub title: String,
    /// Its Chinese title (not in the JSON document, whose schema has the
    /// English one only).
    #[serde(skip)]
    pub title_zh: String,
    /// Its position in the course, from 1, so that numbers stay the same
    /// whichever exercises were graded (not in the JSON document; 0 when
    /// unknown).
    #[serde(skip)]
    pub number: usize,
    /// Its lesson.
    pub lesson: String,
    /// Points earned.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
    /// How its build went.
    pub build: BuildStatus,
    /// The compiler's message when the build failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_message: Option<String>,
    /// Its tests, in the suite's order.
    pub tests: Vec<TestReport>,
}

/// The result of one test.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestReport {
    /// Its name.
    pub name: String,
    /// Passed or failed.
    pub status: Status,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// Points earned.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
    /// Who sees its details.
    pub visibility: Visibility,
    /// The feedback as plain text (empty when it passed), in the report's
    /// language: written by [`crate::render::feedback::fill_messages`] once
    /// the report is collected.
    pub message: String,
    /// Why the test was not run on this system (not in the JSON document,
    /// whose `message` says it).
    #[serde(skip)]
    pub not_run: Option<NotRun>,
    /// The structured feedback (absent when redacted or passed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// Wall-clock time in milliseconds.
    pub duration_ms: u64,
}

/// Why a test was not run, and what it would have been worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRun {
    /// The reason, from the suite.
    pub reason: String,
    /// The points left out of the score.
    pub points: u32,
}

impl Report {
    /// Collects the build outcomes and test runs of `exercises` into a report.
    /// `runs` holds, per exercise, one run per test in the suite's order.
    /// The tests' `message`s are left empty for the renderers to write
    /// ([`crate::render::feedback::fill_messages`]).
    pub fn collect(
        submission: &str,
        seed: u64,
        audience: Audience,
        exercises: &[&CatalogExercise],
        builds: &[BuildOutcome],
        runs: &[Vec<TestRun>],
    ) -> Report {
        let mut out = Vec::new();
        for ((ex, build), runs) in exercises.iter().zip(builds).zip(runs) {
            let tests: Vec<TestReport> = ex
                .tests
                .iter()
                .zip(runs)
                .map(|(def, run)| {
                    if let Some(reason) = &run.not_run {
                        return TestReport {
                            name: def.name.to_string(),
                            status: Status::NotRun,
                            cause: None,
                            score: 0,
                            max_score: 0,
                            visibility: def.visibility,
                            message: String::new(),
                            not_run: Some(NotRun {
                                reason: reason.clone(),
                                points: def.points,
                            }),
                            failure: None,
                            duration_ms: 0,
                        };
                    }
                    let failure = run.outcome.as_ref().err();
                    let redact =
                        audience == Audience::Student && def.visibility == Visibility::Hidden;
                    TestReport {
                        name: def.name.to_string(),
                        status: if failure.is_none() {
                            Status::Passed
                        } else {
                            Status::Failed
                        },
                        cause: failure.map(|f| f.cause),
                        score: if failure.is_none() { def.points } else { 0 },
                        max_score: def.points,
                        visibility: def.visibility,
                        message: String::new(),
                        not_run: None,
                        failure: failure.filter(|_| !redact).cloned(),
                        duration_ms: run.duration.as_millis() as u64,
                    }
                })
                .collect();
            let (build, build_message) = match build {
                BuildOutcome::Built(_) => (BuildStatus::Ok, None),
                BuildOutcome::Failed(m) => (BuildStatus::Failed, Some(m.clone())),
                BuildOutcome::Missing => (BuildStatus::Missing, None),
            };
            out.push(ExerciseReport {
                name: ex.entry.name.clone(),
                title: ex.entry.title.en.clone(),
                title_zh: ex.entry.title.zh.clone(),
                number: ex.number,
                lesson: ex.entry.lesson.clone(),
                score: tests.iter().map(|t| t.score).sum(),
                max_score: tests.iter().map(|t| t.max_score).sum(),
                build,
                build_message,
                tests,
            });
        }
        Report::from_exercises(submission, seed, audience, out)
    }

    /// A report of these exercises' results (in teaching order), its totals
    /// counted from them: how the result cache joins the exercises it kept
    /// with those graded again.
    pub fn from_exercises(
        submission: &str,
        seed: u64,
        audience: Audience,
        exercises: Vec<ExerciseReport>,
    ) -> Report {
        let all = || exercises.iter().flat_map(|e| &e.tests);
        Report {
            schema_version: SCHEMA_VERSION,
            grader_version: crate::VERSION.to_string(),
            submission: submission.to_string(),
            seed,
            score: exercises.iter().map(|e| e.score).sum(),
            max_score: exercises.iter().map(|e| e.max_score).sum(),
            tests_passed: all().filter(|t| t.status == Status::Passed).count(),
            tests_total: all().filter(|t| t.status != Status::NotRun).count(),
            tests_not_run: all().filter(|t| t.status == Status::NotRun).count(),
            audience: match audience {
                Audience::Student => "student",
                Audience::Instructor => "instructor",
            },
            sandbox: Vec::new(),
            exercises,
        }
    }

    /// The summary of the run, from which the exit code is derived.
    pub fn verdict(&self) -> Verdict {
        let tests = || self.exercises.iter().flat_map(|e| &e.tests);
        if tests().any(|t| t.cause == Some(Cause::GraderError)) {
            Verdict::GraderError
        } else if tests().all(|t| t.status != Status::Failed)
            && self.exercises.iter().all(|e| e.build == BuildStatus::Ok)
        {
            Verdict::AllPassed
        } else {
            Verdict::SomeFailed
        }
    }
}

/// The outcome of a whole grading run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every test passed.
    AllPassed,
    /// A test or a build failed.
    SomeFailed,
    /// The grader could not run some test properly.
    GraderError,
}

impl Verdict {
    /// The process exit code: 0 all passed, 1 something failed, 2 the grader
    /// could not do its job. With `no_fail`, a completed grading exits 0.
    pub fn exit_code(self, no_fail: bool) -> i32 {
        match self {
            Verdict::GraderError => 2,
            Verdict::AllPassed => 0,
            Verdict::SomeFailed if no_fail => 0,
            Verdict::SomeFailed => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::runner::TestRun;
    use std::time::Duration;

    #[test]
    fn a_test_not_run_here_is_left_out_of_the_score() {
        let catalog = Catalog::builtin().unwrap();
        let ex = &catalog.exercises[0];
        let runs: Vec<TestRun> = ex
            .tests
            .iter()
            .enumerate()
            .map(|(i, _)| TestRun {
                outcome: Ok(()),
                duration: Duration::ZERO,
                not_run: (i == 0).then(|| "not run on this system".to_string()),
            })
            .collect();
        let report = Report::collect(
            "s",
            1,
            Audience::Student,
            &[ex],
            &[BuildOutcome::Built("p".into())],
            &[runs],
        );
        let first = &report.exercises[0].tests[0];
        assert_eq!(first.status, Status::NotRun);
        assert_eq!((first.score, first.max_score), (0, 0));
        let mut report = report;
        crate::render::feedback::fill_messages(&mut report, crate::text::Lang::En);
        let first = &report.exercises[0].tests[0];
        assert!(first.message.contains("left out of the score"));
        let left_out = ex.tests[0].points;
        assert_eq!(report.max_score, ex.points - left_out);
        assert_eq!(report.score, report.max_score);
        assert_eq!(report.tests_not_run, 1);
        assert_eq!(report.tests_total, ex.tests.len() - 1);
        assert_eq!(report.verdict(), Verdict::AllPassed);
    }
}
