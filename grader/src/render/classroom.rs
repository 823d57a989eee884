//! GitHub Classroom's autograding result: the version-1 JSON that the
//! classroom-resources runner actions emit and
//! `autograding-grading-reporter` reads (`version`, `status`
//! `pass`/`fail`/`error`, `max_score`, and per test `name`, `status`,
//! `score`, `max_score`, `message`, `test_code`, `filename`, `line_no`,
//! `duration`), base64-encoded as the step output `result`, plus the
//! `Points X/Y` line GitHub Classroom reads from the log.
//!
//! The reporter adds up the tests' `score` and the runners' `max_score`;
//! a test not run on this system is worth 0 of 0 and is left out, so the
//! reporter's count of passed tests stays true.
use crate::text::Lang;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;

use base64::Engine;
use serde::Serialize;

use super::human::{self, HumanOptions};
use super::platform::{self, PlatformTest};
use super::Paint;
use crate::report::{Report, Status, Verdict};

/// The name of the step output the reporter reads.
pub const OUTPUT_NAME: &str = "result";

/// The whole result.
#[derive(Debug, Serialize)]
struct Results {
    version: u32,
    status: &'static str,
    max_score: u32,
    tests: Vec<Test>,
}

/// One test.
#[derive(Debug, Serialize)]
struct Test {
    name: String,
    status: &'static str,
    score: u32,
    max_score: u32,
    message: String,
    test_code: String,
    filename: String,
    line_no: u32,
    duration: u64,
}

fn test(t: &PlatformTest<'_>) -> Test {
    Test {
        name: t.name(),
        status: t.outcome(),
        score: t.points(),
        max_score: t.max_points(),
        message: t.message().trim_end().to_string(),
        test_code: t.command().unwrap_or("").to_string(),
        filename: format!("exercises/{}/src/main.rs", t.exercise.name),
        line_no: 0,
        duration: t.test.duration_ms,
    }
}

fn results(report: &Report) -> Results {
    Results {
        version: 1,
        status: match report.verdict() {
            Verdict::AllPassed => "pass",
            Verdict::SomeFailed => "fail",
            Verdict::GraderError => "error",
        },
        max_score: report.max_score,
        tests: platform::tests(report)
            .iter()
            .filter(|t| t.status() != Status::NotRun)
            .map(test)
            .collect(),
    }
}

/// The result as JSON (what a results file in this format holds).
pub fn render_json(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &results(report)).map_err(io::Error::other)?;
    writeln!(w)
}

/// The result as the reporter reads it: compact JSON in standard base64.
pub fn encoded(report: &Report) -> String {
    let json = serde_json::to_vec(&results(report)).expect("the result serializes");
    base64::engine::general_purpose::STANDARD.encode(json)
}

/// The line GitHub Classroom reads the points from.
pub fn points_line(report: &Report) -> String {
    format!("Points {}/{}", report.score, report.max_score)
}

/// What a student reads in the workflow's log: the human report without
/// colors, then the `Points X/Y` line.
pub fn render(report: &Report, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    human::render(
        report,
        HumanOptions {
            paint: Paint::none(),
            verbose: true,
            lang,
        },
        w,
    )?;
    writeln!(w, "{}", points_line(report))
}

/// Appends `result=<base64>` to the file GitHub Actions reads step outputs
/// from (`$GITHUB_OUTPUT`). Base64 has no newline, so one line is enough.
pub fn append_step_output(report: &Report, path: &Path) -> io::Result<()> {
    let mut file = OpenOptions::new().append(true).create(true).open(path)?;
    writeln!(file, "{OUTPUT_NAME}={}", encoded(report))
}
