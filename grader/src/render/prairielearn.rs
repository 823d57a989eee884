//! PrairieLearn's external grader `results.json`
//! (<https://prairielearn.readthedocs.io/en/latest/externalGrading/>):
//! `score` as a fraction from 0 to 1, `message` and `output` for the whole
//! submission, and per test `name`, `description`, `points`, `max_points`,
//! `message` (the first line of the feedback) and `output` (the whole feedback).
//!
//! When no exercise built at all, the submission is `gradable: false` with
//! the compiler's errors as `format_errors`: PrairieLearn then neither awards
//! points nor counts the attempt. The file must stay under 1 MB, so every
//! text is cut well below that.
use std::io::{self, Write};

use serde::Serialize;

use super::platform::{self, PlatformTest};
use crate::report::{Report, Status};
use crate::text::{fmt, Lang};

/// The longest text kept in one field.
const FIELD_LIMIT: usize = 8_000;

/// What replaces the end of a longer text.
const CUT: &str = "(cut: the rest is in the full report)";

/// The whole `results.json`.
#[derive(Debug, Serialize)]
struct Results {
    gradable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format_errors: Option<Vec<String>>,
    message: String,
    output: String,
    tests: Vec<Test>,
}

/// One test.
#[derive(Debug, Serialize)]
struct Test {
    name: String,
    description: String,
    points: u32,
    max_points: u32,
    message: String,
    output: String,
}

fn cut(text: &str) -> String {
    platform::truncate(text.trim_end(), FIELD_LIMIT, CUT)
}

fn test(t: &PlatformTest<'_>) -> Test {
    Test {
        name: t.name(),
        description: format!("{} ({})", t.exercise.title, t.visibility().as_str()),
        points: t.points(),
        max_points: t.max_points(),
        message: match t.status() {
            Status::Passed => "passed".to_string(),
            Status::Failed | Status::NotRun => t.summary().to_string(),
        },
        output: cut(t.message()),
    }
}

/// Writes the report as PrairieLearn's `results.json`.
/// The summary and the build problems are in `lang`.
pub fn render(report: &Report, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let gradable = !platform::nothing_built(report);
    let results = Results {
        gradable,
        score: gradable.then(|| {
            if report.max_score == 0 {
                0.0
            } else {
                f64::from(report.score) / f64::from(report.max_score)
            }
        }),
        format_errors: (!gradable).then(|| {
            platform::build_problems(report, lang)
                .iter()
                .map(|p| cut(p))
                .collect()
        }),
        message: fmt(
            lang,
            "platform-points",
            &[
                ("score", report.score.into()),
                ("max", report.max_score.into()),
                ("passed", report.tests_passed.into()),
                ("total", report.tests_total.into()),
            ],
        ),
        output: cut(&platform::summary(report, lang)),
        tests: if gradable {
            platform::tests(report).iter().map(test).collect()
        } else {
            Vec::new()
        },
    };
    serde_json::to_writer_pretty(&mut *w, &results).map_err(io::Error::other)?;
    writeln!(w)
}
