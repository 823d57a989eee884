//! The self-check's table: per exercise the solution's, the stub's and
//! the alternative's points, the broken submissions caught and the clauses
//! tested; each exercise's clauses traced to tests and broken submissions;
//! then the problems and the verdict.
use std::io::{self, Write};

use super::Selfcheck;
use crate::text::{fmt, get, Lang};

/// Writes the table (per exercise: the solution's and the stub's points,
/// and the broken submissions caught), then every problem, then the
/// verdict, in `lang`.
pub fn render(check: &Selfcheck, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let head = [
        "selfcheck-col-exercise",
        "selfcheck-col-solution",
        "selfcheck-col-stub",
        "selfcheck-col-alternative",
        "selfcheck-col-broken",
        "selfcheck-col-clauses",
    ]
    .map(|key| get(lang, key));
    let width = check
        .rows
        .iter()
        .map(|r| r.exercise.len())
        .max()
        .unwrap_or(8)
        .max(columns(&head[0]));
    let line = |out: &mut dyn Write, cells: [&str; 6]| {
        let [a, b, c, d, e, f] = cells;
        writeln!(
            out,
            "{}  {}  {}  {}  {}  {f}",
            pad(a, width),
            pad(b, 12),
            pad(c, 12),
            pad(d, 12),
            pad(e, 14)
        )
    };
    line(out, head.each_ref().map(String::as_str))?;
    let mark = |ok: bool| get(lang, if ok { "selfcheck-ok" } else { "selfcheck-no" });
    let cell = |(got, of): (usize, usize), ok: bool| format!("{got}/{of} {}", mark(ok));
    let points = |(got, of): (u32, u32)| (got as usize, of as usize);
    for r in &check.rows {
        let solution = cell(points(r.solution), r.solution_ok);
        let stub = cell(points(r.stub), r.stub_ok);
        let alternative = cell(points(r.alternative), r.alternative_ok);
        let broken = cell(
            (r.broken_caught, r.broken_total),
            r.broken_caught == r.broken_total,
        );
        let clauses = cell(r.clauses, r.clauses.1 > 0 && r.clauses.0 == r.clauses.1);
        line(
            out,
            [
                &r.exercise,
                &solution,
                &stub,
                &alternative,
                &broken,
                &clauses,
            ],
        )?;
    }
    let caught: usize = check.rows.iter().map(|r| r.broken_caught).sum();
    let total: usize = check.rows.iter().map(|r| r.broken_total).sum();
    let covered: usize = check.rows.iter().map(|r| r.clauses.0).sum();
    let clauses: usize = check.rows.iter().map(|r| r.clauses.1).sum();
    line(
        out,
        [
            &get(lang, "selfcheck-all"),
            "",
            "",
            "",
            &format!("{caught}/{total}"),
            &format!("{covered}/{clauses}"),
        ],
    )?;
    render_coverage(check, lang, out)?;
    if check.problems.is_empty() {
        return writeln!(out, "{}", get(lang, "selfcheck-holds"));
    }
    writeln!(out)?;
    for p in &check.problems {
        writeln!(out, "{}: {}: {}", p.exercise, p.subject, p.what)?;
    }
    writeln!(
        out,
        "{}",
        fmt(
            lang,
            "selfcheck-problems",
            &[("count", check.problems.len().into())]
        )
    )
}

/// How many terminal columns `text` takes (a Chinese character two).
fn columns(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` padded with spaces to `width` terminal columns.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(columns(text))))
}

/// Writes each exercise's clauses: number, the tests that check it, and
/// the broken submissions that fail those tests.
fn render_coverage(check: &Selfcheck, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    for (exercise, cov) in &check.coverage {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            fmt(lang, "selfcheck-coverage", &[("exercise", exercise.into())])
        )?;
        for t in &cov.traces {
            let tests = if t.tests.is_empty() {
                if t.clause.untested {
                    get(lang, "selfcheck-clause-untestable")
                } else {
                    get(lang, "selfcheck-clause-no-test")
                }
            } else {
                t.tests.join(", ")
            };
            let broken = if t.broken.is_empty() {
                String::new()
            } else {
                format!(" → {}", t.broken.join(", "))
            };
            writeln!(out, "  {:>2}. {tests}{broken}", t.clause.number)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selfcheck::{Problem, Row};

    #[test]
    fn table_names_every_problem() {
        let check = Selfcheck {
            rows: vec![Row {
                exercise: "dict_lookup".into(),
                solution: (20, 20),
                solution_ok: true,
                stub: (0, 20),
                stub_ok: true,
                broken_caught: 7,
                broken_total: 8,
                alternative: (20, 20),
                alternative_ok: true,
                clauses: (4, 5),
            }],
            problems: vec![Problem {
                exercise: "dict_lookup".into(),
                subject: "fixtures/broken/dict_lookup/x".into(),
                what: "passed a, which it must fail (m)".into(),
            }],
            coverage: Vec::new(),
            timings: Vec::new(),
        };
        let mut out = Vec::new();
        render(&check, Lang::En, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let row = text.lines().nth(1).unwrap();
        assert!(row.starts_with("dict_lookup  20/20 ok"), "{text}");
        assert!(row.contains("0/20 ok"), "{text}");
        assert!(text.contains("7/8 NO"), "{text}");
        assert!(
            text.contains("4/5 NO"),
            "the clauses not all tested: {text}"
        );
        assert!(
            text.contains("dict_lookup: fixtures/broken/dict_lookup/x: passed a"),
            "{text}"
        );
        assert!(text.ends_with("selfcheck: 1 problem found\n"), "{text}");
        assert_eq!(check.exit_code(), 1);
    }
}
