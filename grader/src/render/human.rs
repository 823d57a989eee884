//! The human report: one line per exercise with its points, the failing
//! tests under it (the first with its full feedback), and the total.
use std::io::{self, Write};

use super::{feedback, focus, Paint};
use crate::report::{BuildStatus, ExerciseReport, Report, Status};
use crate::text::{self, Lang};

/// Lines of a compiler message shown before cutting.
const BUILD_LINES: usize = 40;

/// How the human report is drawn.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    /// Colors.
    pub paint: Paint,
    /// Expand every failing test, not only the first of each exercise.
    pub verbose: bool,
    /// The language.
    pub lang: Lang,
}

/// Writes the human report.
pub fn render(report: &Report, opts: HumanOptions, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "{}", focus::title_line(report, opts.paint, opts.lang))?;
    writeln!(w)?;
    let width = focus::name_width(report);
    for ex in &report.exercises {
        exercise(ex, width, opts, w)?;
    }
    writeln!(w)?;
    totals(report, opts, w)
}

/// An exercise's line, then what its build said or its tests not passed.
fn exercise(
    ex: &ExerciseReport,
    width: usize,
    opts: HumanOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    let (p, lang) = (opts.paint, opts.lang);
    let say = |key: &str| text::get(lang, key);
    let passed = ex
        .tests
        .iter()
        .filter(|t| t.status == Status::Passed)
        .count();
    let full = ex.score == ex.max_score && ex.build == BuildStatus::Ok;
    let mark = if full { p.good("✓") } else { p.bad("✗") };
    let points = format!("{:>3}/{:<3}", ex.score, ex.max_score);
    let points = if full { p.good(&points) } else { points };
    let not_run = ex
        .tests
        .iter()
        .filter(|t| t.status == Status::NotRun)
        .count();
    let state = match ex.build {
        BuildStatus::Ok if not_run > 0 => text::fmt(
            lang,
            "tests-passed-not-run",
            &[
                ("passed", passed.into()),
                ("total", (ex.tests.len() - not_run).into()),
                ("not_run", not_run.into()),
            ],
        ),
        BuildStatus::Ok => text::fmt(
            lang,
            "tests-passed",
            &[("passed", passed.into()), ("total", ex.tests.len().into())],
        ),
        BuildStatus::Failed => p.bad(&say("standing-build-failed")),
        BuildStatus::Missing => p.warn(&say("standing-missing")),
    };
    writeln!(w, "{mark} {:<width$}  {points}  {}", ex.name, p.dim(&state))?;
    match ex.build {
        BuildStatus::Failed => build_message(ex, opts, w),
        BuildStatus::Missing => Ok(()),
        BuildStatus::Ok => tests(ex, passed, opts, w),
    }
}

/// What the compiler said, cut to [`BUILD_LINES`].
fn build_message(ex: &ExerciseReport, opts: HumanOptions, w: &mut dyn Write) -> io::Result<()> {
    let message = ex.build_message.as_deref().unwrap_or("");
    let lines: Vec<&str> = message.lines().collect();
    for line in lines.iter().take(BUILD_LINES) {
        writeln!(w, "      {line}")?;
    }
    if lines.len() > BUILD_LINES {
        let more = text::fmt(
            opts.lang,
            "human-more-lines",
            &[("count", (lines.len() - BUILD_LINES).into())],
        );
        writeln!(w, "      {}", opts.paint.dim(&more))?;
    }
    Ok(())
}

/// The tests not run and the failing tests of a built exercise (`passed`
/// of its tests passed): the first failing one (every one when verbose)
/// with its whole feedback, the others in a line.
fn tests(
    ex: &ExerciseReport,
    passed: usize,
    opts: HumanOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    let (p, lang) = (opts.paint, opts.lang);
    for t in ex.tests.iter().filter(|t| t.status == Status::NotRun) {
        writeln!(
            w,
            "    {} {} {}",
            p.warn("–"),
            t.name,
            p.dim(&format!("— {}", feedback::message(t, lang)))
        )?;
    }
    let failing: Vec<_> = ex
        .tests
        .iter()
        .filter(|t| t.status == Status::Failed)
        .collect();
    for (i, t) in failing.iter().enumerate() {
        let head = format!(
            "    {} {} {}",
            p.bad("✗"),
            t.name,
            p.dim(&focus::test_points(t, lang))
        );
        if i == 0 || opts.verbose {
            writeln!(w, "{head}")?;
            let body = match &t.failure {
                Some(f) => feedback::render(f, false, p, "        ", lang),
                None => indent(&feedback::message(t, lang), "        "),
            };
            write!(w, "{body}")?;
        } else {
            let message = feedback::message(t, lang);
            let first = message.lines().next().unwrap_or("");
            writeln!(w, "{head} {}", p.dim(&format!("— {first}")))?;
        }
    }
    if failing.len() > 1 && !opts.verbose {
        writeln!(w, "    {}", p.dim(&text::get(lang, "human-verbose")))?;
    }
    if !failing.is_empty() && passed == 0 {
        let stuck = text::fmt(lang, "human-stuck", &[("name", ex.name.as_str().into())]);
        writeln!(w, "    {}", p.dim(&stuck))?;
    }
    Ok(())
}

/// The total, the tests passed, and the seed when some test failed.
fn totals(report: &Report, opts: HumanOptions, w: &mut dyn Write) -> io::Result<()> {
    let (p, lang) = (opts.paint, opts.lang);
    let total = text::fmt(
        lang,
        "human-total",
        &[
            ("score", report.score.into()),
            ("max", report.max_score.into()),
        ],
    );
    let total = if report.score == report.max_score {
        p.good(&total)
    } else {
        p.bold(&total)
    };
    let tests = text::fmt(
        lang,
        "human-total-tests",
        &[
            ("passed", report.tests_passed.into()),
            ("total", report.tests_total.into()),
        ],
    );
    writeln!(w, "{total} · {tests}")?;
    if report.tests_not_run > 0 {
        writeln!(w, "{}", p.warn(&focus::not_run_line(report, lang)))?;
    }
    if report.tests_passed < report.tests_total {
        let seed = text::fmt(
            lang,
            "human-seed",
            &[("seed", report.seed.to_string().into())],
        );
        writeln!(w, "{}", p.dim(&seed))?;
    }
    Ok(())
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines().map(|l| format!("{prefix}{l}\n")).collect()
}
