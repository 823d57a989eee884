//! The human report: one line per exercise with its points, the failing
//! tests under it (the first with its full feedback), and the total.
use std::io::{self, Write};

use super::{feedback, Paint};
use crate::report::{BuildStatus, Report, Status};

/// Lines of a compiler message shown before cutting.
const BUILD_LINES: usize = 40;

/// How the human report is drawn.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    /// Colors.
    pub paint: Paint,
    /// Expand every failing test, not only the first of each exercise.
    pub verbose: bool,
}

/// Writes the human report.
pub fn render(report: &Report, opts: HumanOptions, w: &mut dyn Write) -> io::Result<()> {
    let p = opts.paint;
    writeln!(
        w,
        "{} · submission `{}` · seed {}",
        p.bold(&format!("socklings grader {}", report.grader_version)),
        report.submission,
        report.seed
    )?;
    writeln!(w)?;
    let width = report
        .exercises
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(0);
    for ex in &report.exercises {
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
            BuildStatus::Ok if not_run > 0 => format!(
                "{passed} of {} tests passed, {not_run} not run on this system",
                ex.tests.len() - not_run
            ),
            BuildStatus::Ok => format!("{passed} of {} tests passed", ex.tests.len()),
            BuildStatus::Failed => p.bad("did not compile"),
            BuildStatus::Missing => p.warn("missing from the submission"),
        };
        writeln!(w, "{mark} {:<width$}  {points}  {}", ex.name, p.dim(&state))?;
        match ex.build {
            BuildStatus::Failed => {
                let message = ex.build_message.as_deref().unwrap_or("");
                let lines: Vec<&str> = message.lines().collect();
                for line in lines.iter().take(BUILD_LINES) {
                    writeln!(w, "      {line}")?;
                }
                if lines.len() > BUILD_LINES {
                    writeln!(
                        w,
                        "      {}",
                        p.dim(&format!("… {} more lines", lines.len() - BUILD_LINES))
                    )?;
                }
                continue;
            }
            BuildStatus::Missing => continue,
            BuildStatus::Ok => {}
        }
        for t in ex.tests.iter().filter(|t| t.status == Status::NotRun) {
            writeln!(
                w,
                "    {} {} {}",
                p.warn("–"),
                t.name,
                p.dim(&format!("— {}", t.message))
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
                p.dim(&format!("({} pts, {})", t.max_score, t.visibility.as_str()))
            );
            if i == 0 || opts.verbose {
                writeln!(w, "{head}")?;
                let body = match &t.failure {
                    Some(f) => feedback::render(f, false, p, "        "),
                    None => indent(&t.message, "        "),
                };
                write!(w, "{body}")?;
            } else {
                let first = t.message.lines().next().unwrap_or("");
                writeln!(w, "{head} {}", p.dim(&format!("— {first}")))?;
            }
        }
        if failing.len() > 1 && !opts.verbose {
            writeln!(w, "    {}", p.dim("(--verbose expands every failing test)"))?;
        }
        if !failing.is_empty() && passed == 0 {
            writeln!(
                w,
                "    {}",
                p.dim(&format!("stuck? `cargo hint {}` gives a hint", ex.name))
            )?;
        }
    }
    writeln!(w)?;
    let total = format!("Total: {}/{} points", report.score, report.max_score);
    let total = if report.score == report.max_score {
        p.good(&total)
    } else {
        p.bold(&total)
    };
    writeln!(
        w,
        "{total} · {} of {} tests passed",
        report.tests_passed, report.tests_total
    )?;
    if report.tests_not_run > 0 {
        writeln!(
            w,
            "{}",
            p.warn(&format!(
                "{} tests were not run on this system (they check Linux behaviours) and are left out of the score.",
                report.tests_not_run
            ))
        )?;
    }
    if report.tests_passed < report.tests_total {
        writeln!(
            w,
            "{}",
            p.dim(&format!(
                "Randomized inputs came from seed {}; pass --seed {} to get the same ones again.",
                report.seed, report.seed
            ))
        )?;
    }
    Ok(())
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines().map(|l| format!("{prefix}{l}\n")).collect()
}
