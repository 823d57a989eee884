//! [`Format`]: every way a report can be written (`--format` on stdout,
//! `--results-format` in the `--results` file), and the one dispatch to the
//! renderers.
use std::io::{self, Write};

use super::human::{self, HumanOptions};
use super::{classroom, exercism, gradescope, json, junit, prairielearn};
use crate::report::Report;

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The human report (colors on a terminal).
    Human,
    /// The grader's own JSON document (schema in the README).
    Json,
    /// Gradescope's autograder `results.json`.
    Gradescope,
    /// Exercism's test runner `results.json`, version 3.
    Exercism,
    /// GitHub Classroom: the human report and `Points X/Y` on stdout, the
    /// version-1 result JSON in a results file, and `result=<base64>` in
    /// `$GITHUB_OUTPUT` when that is set.
    Classroom,
    /// JUnit XML, one testsuite per exercise.
    Junit,
    /// PrairieLearn's external grader `results.json`.
    Prairielearn,
}

/// Where the report goes: a results file holds the platform's document
/// itself, stdout what a person reads in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// Standard output.
    Stdout,
    /// A results file.
    File,
}

/// Writes `report` in `format`. `human` sets how the human report is drawn
/// (colors are never used in a file).
pub fn write(
    format: Format,
    destination: Destination,
    report: &Report,
    human: HumanOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, human, w),
        Format::Json => json::render(report, w),
        Format::Gradescope => gradescope::render(report, w),
        Format::Exercism => exercism::render(report, w),
        Format::Classroom => match destination {
            Destination::Stdout => classroom::render(report, w),
            Destination::File => classroom::render_json(report, w),
        },
        Format::Junit => junit::render(report, w),
        Format::Prairielearn => prairielearn::render(report, w),
    }
}
