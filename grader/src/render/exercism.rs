//! Exercism's test runner `results.json`, version 3
//! (<https://exercism.org/docs/building/tooling/test-runners/interface>):
//! `version`, `status` (`pass`, `fail`, or `error` when no test could run),
//! `message` (the compiler's errors, for `error` only), and per test `name`,
//! `status`, `message`, `output` (what the program printed, at most 500
//! characters, cut with the notice the interface asks for), `test_code` (the
//! command that reproduces it) and `task_id`, the exercise's position in the
//! course.
//!
//! A test not run on this system is left out: Exercism has no such status.
use std::io::{self, Write};

use serde::Serialize;

use super::platform::{self, PlatformTest};
use crate::report::{Report, Status};
use crate::text::Lang;

/// The longest per-test `output` the interface allows.
pub const OUTPUT_LIMIT: usize = 500;

/// What replaces the end of a longer output.
pub const TRUNCATED: &str = "Output was truncated. Please limit to 500 chars";

/// The whole `results.json`.
#[derive(Debug, Serialize)]
struct Results {
    version: u32,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tests: Option<Vec<Test>>,
}

/// One test.
#[derive(Debug, Serialize)]
struct Test {
    name: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    test_code: Option<String>,
    task_id: usize,
}

fn test(t: &PlatformTest<'_>) -> Test {
    let output = t.output();
    Test {
        name: t.name(),
        status: t.outcome(),
        message: (t.status() == Status::Failed).then(|| t.message().trim_end().to_string()),
        output: (!output.is_empty()).then(|| platform::truncate(&output, OUTPUT_LIMIT, TRUNCATED)),
        test_code: t.command().map(str::to_string),
        task_id: t.exercise_number,
    }
}

/// Writes the report as Exercism's `results.json`.
/// A submission that could not be graded is explained in `lang`.
pub fn render(report: &Report, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let results = if platform::nothing_built(report) {
        Results {
            version: 3,
            status: "error",
            message: Some(platform::build_problems(report, lang).join("\n\n")),
            tests: None,
        }
    } else {
        let tests: Vec<Test> = platform::tests(report)
            .iter()
            .filter(|t| t.status() != Status::NotRun)
            .map(test)
            .collect();
        let passed = tests.iter().all(|t| t.status == "pass");
        Results {
            version: 3,
            status: if passed { "pass" } else { "fail" },
            message: None,
            tests: Some(tests),
        }
    };
    serde_json::to_writer_pretty(&mut *w, &results).map_err(io::Error::other)?;
    writeln!(w)
}
