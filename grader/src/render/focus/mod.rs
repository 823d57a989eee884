//! The focused student view (`cargo grade`): the course's progress, one line
//! per exercise in teaching order, and only the current exercise expanded:
//! the first not at full marks, with its first failing test's whole
//! feedback, the other failing tests in one line each, and what to do next.
//! It fits on one screen ([`SCREEN_LINES`]); `--verbose` and `--only` give
//! the full listing of [`super::human`].
use std::collections::BTreeSet;
use std::io::{self, Write};

mod current;
mod fit;

use super::Paint;
use crate::manifest::Exercise;
use crate::model::Visibility;
use crate::report::{BuildStatus, ExerciseReport, Report, Status, TestReport};
use crate::text::{self, Lang};
use fit::rows;

/// The most lines the view takes when one exercise is current.
pub const SCREEN_LINES: usize = 40;

/// Width of the progress bar, in characters.
const BAR: usize = 30;

/// The width of the view when it is not on a terminal.
pub const WIDTH: usize = 100;

/// How the focused view is drawn.
#[derive(Debug, Clone, Copy)]
pub struct FocusOptions<'a> {
    /// Colors.
    pub paint: Paint,
    /// The exercise to expand; `None`: the first in teaching order that is
    /// not at full marks.
    pub current: Option<&'a str>,
    /// The exercises whose results were kept from an earlier grading: they
    /// are marked unchanged.
    pub unchanged: &'a BTreeSet<String>,
    /// One line shown above the current exercise (watch mode's news).
    pub notice: Option<&'a str>,
    /// The most lines to take when one exercise is current
    /// ([`SCREEN_LINES`], or a terminal's height).
    pub lines: usize,
    /// The screen's width: long lines take several rows of it ([`WIDTH`]
    /// off a terminal).
    pub width: usize,
    /// The language.
    pub lang: Lang,
}

/// Where an exercise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Full marks.
    Done,
    /// Some tests pass.
    Partial,
    /// The stub as given: no test passes and the program still stops at
    /// its `todo!()`.
    NotStarted,
    /// No test passes.
    Failing,
    /// It did not compile.
    BuildFailed,
    /// The submission has no crate for it.
    Missing,
}

impl Standing {
    /// Where `ex` stands.
    pub fn of(ex: &ExerciseReport) -> Standing {
        match ex.build {
            BuildStatus::Failed => return Standing::BuildFailed,
            BuildStatus::Missing => return Standing::Missing,
            BuildStatus::Ok => {}
        }
        let passed = ex.tests.iter().any(|t| t.status == Status::Passed);
        if ex.score == ex.max_score && !ex.tests.iter().any(|t| t.status == Status::Failed) {
            Standing::Done
        } else if passed {
            Standing::Partial
        } else if ex
            .tests
            .iter()
            .any(|t| t.status == Status::Failed && t.message.contains("not yet implemented"))
        {
            Standing::NotStarted
        } else {
            Standing::Failing
        }
    }
}

/// The exercise the view expands unless told another: the first in
/// teaching order that is not done.
pub fn first_unfinished(report: &Report) -> Option<&ExerciseReport> {
    report
        .exercises
        .iter()
        .find(|e| Standing::of(e) != Standing::Done)
}

fn passed(ex: &ExerciseReport) -> usize {
    ex.tests
        .iter()
        .filter(|t| t.status == Status::Passed)
        .count()
}

fn counted(ex: &ExerciseReport) -> usize {
    ex.tests
        .iter()
        .filter(|t| t.status != Status::NotRun)
        .count()
}

/// The width of the exercises' names' column.
pub fn name_width(report: &Report) -> usize {
    report
        .exercises
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(0)
}

/// The report's first line: the grader, the submission and the seed.
pub fn title_line(report: &Report, p: Paint, lang: Lang) -> String {
    text::fmt(
        lang,
        "report-header",
        &[
            (
                "grader",
                p.bold(&format!("socklings grader {}", report.grader_version))
                    .into(),
            ),
            ("submission", report.submission.as_str().into()),
            ("seed", report.seed.to_string().into()),
        ],
    )
}

/// The line saying how many tests were not run here.
pub fn not_run_line(report: &Report, lang: Lang) -> String {
    text::fmt(
        lang,
        "report-not-run",
        &[("count", report.tests_not_run.into())],
    )
}

/// "P of T tests passed".
fn tests_passed(lang: Lang, passed: usize, total: usize) -> String {
    text::fmt(
        lang,
        "tests-passed",
        &[("passed", passed.into()), ("total", total.into())],
    )
}

/// The header: the grader, the submission, and the course's progress.
fn header(report: &Report, p: Paint, lang: Lang, out: &mut Vec<String>) {
    out.push(title_line(report, p, lang));
    let done = report
        .exercises
        .iter()
        .filter(|e| Standing::of(e) == Standing::Done)
        .count();
    let filled = (report.score as usize * BAR)
        .checked_div(report.max_score as usize)
        .unwrap_or(0)
        .min(BAR);
    let bar = format!(
        "{}{}",
        p.good(&"█".repeat(filled)),
        p.dim(&"░".repeat(BAR - filled))
    );
    let progress = text::fmt(
        lang,
        "focus-progress",
        &[
            (
                "points",
                p.bold(&format!("{}/{}", report.score, report.max_score))
                    .into(),
            ),
            ("done", done.into()),
            ("total", report.exercises.len().into()),
        ],
    );
    out.push(format!("{bar} {progress}"));
    if report.tests_not_run > 0 {
        out.push(p.warn(&not_run_line(report, lang)));
    }
}

/// One line per exercise; `current` gets the pointer.
fn list(report: &Report, current: Option<&str>, opts: &FocusOptions, out: &mut Vec<String>) {
    let p = opts.paint;
    let lang = opts.lang;
    let say = |key: &str| text::get(lang, key);
    let width = name_width(report);
    for (i, ex) in report.exercises.iter().enumerate() {
        let standing = Standing::of(ex);
        let (mark, label) = match standing {
            Standing::Done => (p.good("✓"), p.good(&say("standing-done"))),
            Standing::Partial => (p.warn("◐"), tests_passed(lang, passed(ex), counted(ex))),
            Standing::NotStarted => (p.dim("·"), p.dim(&say("standing-not-started"))),
            Standing::Failing => (p.bad("✗"), tests_passed(lang, 0, counted(ex))),
            Standing::BuildFailed => (p.bad("✗"), p.bad(&say("standing-build-failed"))),
            Standing::Missing => (p.warn("?"), p.warn(&say("standing-missing"))),
        };
        let pointer = if current == Some(ex.name.as_str()) {
            p.bold("▶")
        } else {
            " ".to_string()
        };
        let points = format!("{:>3}/{:<3}", ex.score, ex.max_score);
        let points = if standing == Standing::Done {
            p.good(&points)
        } else {
            points
        };
        let unchanged = if opts.unchanged.contains(&ex.name) {
            p.dim(&format!(" · {}", say("focus-unchanged")))
        } else {
            String::new()
        };
        out.push(format!(
            "{pointer} {mark} {:>2} {:<width$}  {points}  {label}{unchanged}",
            i + 1,
            ex.name
        ));
    }
}

/// A test's points and visibility: "(2 pts, visible)".
pub fn test_points(t: &TestReport, lang: Lang) -> String {
    let visibility = match t.visibility {
        Visibility::Visible => "visibility-visible",
        Visibility::Hidden => "visibility-hidden",
    };
    text::fmt(
        lang,
        "test-points",
        &[
            ("points", t.max_score.into()),
            ("visibility", text::get(lang, visibility).into()),
        ],
    )
}

fn test_head(t: &TestReport, p: Paint, lang: Lang) -> String {
    format!(
        "  {} {} {}",
        p.bad("✗"),
        t.name,
        p.dim(&test_points(t, lang))
    )
}

/// Writes the focused view.
pub fn render(report: &Report, opts: FocusOptions, w: &mut dyn Write) -> io::Result<()> {
    let p = opts.paint;
    let current = match opts.current {
        Some(name) => report.exercises.iter().find(|e| e.name == name),
        None => first_unfinished(report),
    };
    let lang = opts.lang;
    let mut out = Vec::new();
    header(report, p, lang, &mut out);
    out.push(String::new());
    list(report, current.map(|e| e.name.as_str()), &opts, &mut out);
    out.push(String::new());
    if let Some(notice) = opts.notice {
        out.push(p.good(notice));
    }
    match current {
        Some(ex) => {
            let used: usize = out.iter().map(|l| rows(l, opts.width)).sum();
            current::expand(report, ex, &opts, opts.lines.saturating_sub(used), &mut out);
        }
        None if report.exercises.is_empty() => out.push(text::get(lang, "report-nothing-graded")),
        None => out.push(p.good(&text::fmt(
            lang,
            "focus-all-done",
            &[
                ("count", report.exercises.len().into()),
                ("score", report.score.into()),
                ("max", report.max_score.into()),
            ],
        ))),
    }
    for line in out {
        writeln!(w, "{line}")?;
    }
    Ok(())
}

/// Writes the list of exercises with their points and tests passed, with
/// nothing expanded (watch mode's `l`).
pub fn render_list(report: &Report, opts: FocusOptions, w: &mut dyn Write) -> io::Result<()> {
    let mut out = Vec::new();
    header(report, opts.paint, opts.lang, &mut out);
    out.push(String::new());
    let current = match opts.current {
        Some(name) => Some(name),
        None => first_unfinished(report).map(|e| e.name.as_str()),
    };
    list(report, current, &opts, &mut out);
    let p = opts.paint;
    out.push(String::new());
    out.push(p.dim(&text::fmt(
        opts.lang,
        "focus-passed-in-all",
        &[
            ("passed", report.tests_passed.into()),
            ("total", report.tests_total.into()),
        ],
    )));
    for line in out {
        writeln!(w, "{line}")?;
    }
    Ok(())
}

/// Writes an exercise's hints in `lang` (watch mode's `h`, and `cargo
/// hint`), with where its contract is (`readme`).
pub fn render_hints(
    ex: &Exercise,
    readme: &str,
    lang: Lang,
    p: Paint,
    w: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        w,
        "{}",
        text::fmt(
            lang,
            "hints-title",
            &[
                ("name", p.bold(&ex.name).into()),
                ("title", ex.title(lang).into())
            ]
        )
    )?;
    for (i, h) in ex.hints(lang).iter().enumerate() {
        writeln!(w, "  {}. {h}", i + 1)?;
    }
    writeln!(
        w,
        "{}",
        text::fmt(lang, "hints-contract", &[("readme", readme.into())])
    )
}

#[cfg(test)]
mod tests {
    use super::fit::visible_len;
    use super::*;
    use crate::harness::{Cause, Failure, Visibility};
    use crate::report::{Audience, TestReport};

    fn test(name: &str, pass: bool, visibility: Visibility, message: &str) -> TestReport {
        TestReport {
            name: name.into(),
            status: if pass { Status::Passed } else { Status::Failed },
            // The cause a hidden test's fixed sentence is drawn from.
            cause: (!pass).then_some(if message.starts_with("timeout") {
                Cause::Timeout
            } else if message.starts_with("panic") {
                Cause::Panic
            } else {
                Cause::Mismatch
            }),
            score: if pass { 2 } else { 0 },
            max_score: 2,
            visibility,
            message: message.into(),
            failure: (!pass && visibility == Visibility::Visible).then(|| {
                Failure::mismatch(message)
                    .text("stdout", "got this")
                    .note("run: cargo run -q -p x -- a b")
            }),
            not_run: None,
            duration_ms: 1,
        }
    }

    fn exercise(name: &str, tests: Vec<TestReport>) -> ExerciseReport {
        ExerciseReport {
            name: name.into(),
            title: format!("The {name} exercise"),
            lesson: "files".into(),
            score: tests.iter().map(|t| t.score).sum(),
            max_score: tests.iter().map(|t| t.max_score).sum(),
            build: BuildStatus::Ok,
            build_message: None,
            tests,
            number: 0,
            title_zh: format!("{name} 练习"),
        }
    }

    /// Nineteen exercises: the first done, the second half done with a
    /// hidden test failing, the rest stubs with `tests` tests each.
    fn course(tests: usize) -> Report {
        let mut exercises = vec![
            exercise("first", vec![test("a", true, Visibility::Visible, "")]),
            exercise(
                "second",
                vec![
                    test("passes", true, Visibility::Visible, ""),
                    test(
                        "secret",
                        false,
                        Visibility::Hidden,
                        "timeout: your program did not finish in time",
                    ),
                    test("shown", false, Visibility::Visible, "the reply differs"),
                ],
            ),
        ];
        for i in 3..=19 {
            let stub = (0..tests)
                .map(|k| {
                    test(
                        &format!("t{k}"),
                        false,
                        Visibility::Visible,
                        "your program panicked: not yet implemented",
                    )
                })
                .collect();
            exercises.push(exercise(&format!("ex{i}"), stub));
        }
        for (i, e) in exercises.iter_mut().enumerate() {
            e.number = i + 1;
        }
        Report::from_exercises("exercises", 42, Audience::Student, exercises)
    }

    fn draw(report: &Report, current: Option<&str>, unchanged: &BTreeSet<String>) -> String {
        let mut out = Vec::new();
        let opts = FocusOptions {
            paint: Paint::none(),
            current,
            unchanged,
            notice: None,
            lines: SCREEN_LINES,
            width: WIDTH,
            lang: Lang::En,
        };
        render(report, opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_first_unfinished_exercise_is_expanded_with_its_first_visible_failure() {
        let text = draw(&course(3), None, &BTreeSet::new());
        assert!(
            text.contains("4/110 points · 1 of 19 exercises done"),
            "{text}"
        );
        assert!(text.contains("▶ ◐  2 second"), "{text}");
        assert!(text.contains("  ✓  1 first"), "{text}");
        assert!(text.contains("  ·  3 ex3"), "{text}");
        // The visible failure leads, with its details, though a hidden one comes first.
        assert!(
            text.contains("  ✗ shown (2 pts, visible)\n      the reply differs"),
            "{text}"
        );
        assert!(text.contains("got this"), "{text}");
        assert!(
            text.contains("✗ secret — timeout: your program did not finish in time"),
            "{text}"
        );
        assert!(text.contains("exercises/second/README.md"), "{text}");
        assert!(text.contains("`cargo hint second`"), "{text}");
        // Other exercises' failures are not listed.
        assert!(!text.contains("t0"), "{text}");
    }

    #[test]
    fn the_view_fits_one_screen_however_many_tests_fail() {
        for tests in [1, 5, 14, 60] {
            let report = course(tests);
            let text = draw(&report, Some("ex3"), &BTreeSet::new());
            assert!(
                text.lines().count() <= SCREEN_LINES,
                "{} lines with {tests} failing tests:\n{text}",
                text.lines().count()
            );
            assert!(text.contains("▶ ex3"), "{text}");
            if tests > 10 {
                assert!(
                    text.contains("more failing tests: `cargo grade --only ex3` lists them all"),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn kept_results_are_marked_unchanged_and_a_finished_course_says_so() {
        let unchanged: BTreeSet<String> = ["first".to_string()].into();
        let text = draw(&course(1), None, &unchanged);
        assert!(
            text.lines()
                .any(|l| l.contains(" first ") && l.ends_with("done · unchanged")),
            "{text}"
        );
        assert!(
            !text
                .lines()
                .any(|l| l.contains(" second ") && l.contains("unchanged")),
            "{text}"
        );

        let done = Report::from_exercises(
            "s",
            1,
            Audience::Student,
            vec![exercise(
                "first",
                vec![test("a", true, Visibility::Visible, "")],
            )],
        );
        let text = draw(&done, None, &BTreeSet::new());
        assert!(
            text.contains("All 1 exercises have full marks: 2/2 points"),
            "{text}"
        );
    }

    #[test]
    fn a_hidden_failure_alone_shows_only_its_fixed_sentence() {
        let hidden = exercise(
            "only_hidden",
            vec![test(
                "secret",
                false,
                Visibility::Hidden,
                "panic: your program panicked",
            )],
        );
        let report = Report::from_exercises("s", 1, Audience::Student, vec![hidden]);
        let text = draw(&report, None, &BTreeSet::new());
        assert!(
            text.contains("✗ secret (2 pts, hidden)\n      panic: your program panicked\n"),
            "{text}"
        );
    }

    #[test]
    fn a_build_failure_shows_the_compiler_within_the_screen() {
        let mut report = course(1);
        let ex = &mut report.exercises[1];
        ex.build = BuildStatus::Failed;
        ex.build_message = Some(
            (0..80)
                .map(|i| format!("error[E0308]: mismatched types, line {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let text = draw(&report, None, &BTreeSet::new());
        assert!(text.contains("▶ ✗  2 second"), "{text}");
        assert!(text.contains("did not compile"), "{text}");
        assert!(
            text.contains("error[E0308]: mismatched types, line 0"),
            "{text}"
        );
        assert!(
            text.contains("more lines: `cargo grade --only second` shows them all"),
            "{text}"
        );
        assert!(text.contains("fix the compiler's errors above"), "{text}");
        assert!(text.lines().count() <= SCREEN_LINES, "{text}");
    }

    #[test]
    fn long_and_colored_lines_are_counted_in_screen_rows() {
        let p = Paint::new(true);
        let line = p.bad(&"x".repeat(150));
        assert_eq!(visible_len(&line), 150);
        assert_eq!(rows(&line, 100), 2);
        assert_eq!(rows("", 100), 1);
        // A narrow terminal: every long line takes more rows, and the view
        // still fits its height.
        let report = course(14);
        let mut out = Vec::new();
        let opts = FocusOptions {
            paint: Paint::none(),
            current: Some("ex3"),
            unchanged: &BTreeSet::new(),
            notice: None,
            lines: SCREEN_LINES,
            width: 50,
            lang: Lang::En,
        };
        render(&report, opts, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let used: usize = text.lines().map(|l| rows(l, 50)).sum();
        assert!(used <= SCREEN_LINES, "{used} rows:\n{text}");
    }
}
