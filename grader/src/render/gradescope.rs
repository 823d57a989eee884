//! Gradescope's autograder `results.json`
//! (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>): the
//! total `score`, `execution_time` in seconds, an `output` for the whole
//! submission, and one entry per test with `name`, `number`, `score`,
//! `max_score`, `status` (`passed`/`failed`), `visibility` and `output`.
//!
//! Hidden tests are `after_published`: students see them once the instructor
//! publishes the grades, and even then, in the student view, only their name,
//! pass/fail and the cause. A test not run on this system is worth
//! 0 of 0 and has no `status`, which Gradescope then leaves unmarked.
use std::io::{self, Write};

use serde::Serialize;

use super::platform::{self, PlatformTest};
use crate::model::Visibility;
use crate::report::{Report, Status};
use crate::text::Lang;

/// The whole `results.json`.
#[derive(Debug, Serialize)]
struct Results {
    score: u32,
    execution_time: u64,
    output: String,
    /// Test outputs are plain text with aligned diffs: shown verbatim.
    test_output_format: &'static str,
    tests: Vec<Test>,
}

/// One test case.
#[derive(Debug, Serialize)]
struct Test {
    name: String,
    number: String,
    score: u32,
    max_score: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    visibility: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    output: String,
}

fn test(t: &PlatformTest<'_>) -> Test {
    Test {
        name: t.name(),
        number: t.number(),
        score: t.points(),
        max_score: t.max_points(),
        status: match t.status() {
            Status::Passed => Some("passed"),
            Status::Failed => Some("failed"),
            Status::NotRun => None,
        },
        visibility: match t.visibility() {
            Visibility::Visible => "visible",
            Visibility::Hidden => "after_published",
        },
        output: t.message().trim_end().to_string(),
    }
}

/// Writes the report as Gradescope's `results.json`.
/// The summary is in `lang`; each test's output is its `message`, in the
/// language the report was collected in.
pub fn render(report: &Report, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let tests = platform::tests(report);
    let millis: u64 = tests.iter().map(|t| t.test.duration_ms).sum();
    let results = Results {
        score: report.score,
        // The time spent running tests, in whole seconds, rounded up.
        execution_time: millis.div_ceil(1000),
        output: platform::summary(report, lang),
        test_output_format: "text",
        tests: tests.iter().map(test).collect(),
    };
    serde_json::to_writer_pretty(&mut *w, &results).map_err(io::Error::other)?;
    writeln!(w)
}
