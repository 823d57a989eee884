//! `grader selfcheck`: [`check`] grades the course against itself and
//! returns a [`Selfcheck`]: `solutions/` must get full marks, `exercises/`
//! must get 0 with no test ending by a time-out (a stub fails fast), and
//! every broken submission under `fixtures/broken/` must fail exactly the
//! tests its `broken.toml` names ([`crate::fixtures::Expectation::departures`]).
//! Every report is also read in Chinese, as a student and as an instructor:
//! an English sentence in the grader's words is a problem
//! ([`crate::leak`]).
//!
//! Every grading goes through [`pipeline::grade`] in this process, a few at
//! a time, sharing one build cache.
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::builder;
use crate::catalog::Catalog;
use crate::clauses::{self, Coverage};
use crate::error::GradeError;
use crate::fixtures::{self, BrokenSubmission};
use crate::model::Cause;
use crate::pipeline::{self, GradeOptions, Progress};
use crate::report::{Audience, BuildStatus, Report, Status};
use crate::text::{fmt, get, Arg, Lang};
use crate::toolchain::Toolchain;

mod grade;
mod table;
pub mod timings;

pub use table::render;
pub use timings::SubjectTiming;

/// The course this grader was built from.
pub fn default_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Why the self-check could not run.
#[derive(Debug, thiserror::Error)]
pub enum SelfcheckError {
    /// The root is not a course with solutions, stubs and broken submissions.
    #[error("`{}` has no {missing}: pass the course's root with --root", .root.display())]
    NotACourse {
        /// The root given.
        root: PathBuf,
        /// The folder it lacks.
        missing: &'static str,
    },
    /// A `broken.toml` could not be read.
    #[error("broken submissions: {0}")]
    Broken(String),
    /// A grading could not run.
    #[error(transparent)]
    Grade(#[from] GradeError),
}

impl SelfcheckError {
    /// The error in `lang`, in one line (the English one is its `Display`).
    pub fn show(&self, lang: Lang) -> String {
        match self {
            SelfcheckError::NotACourse { root, missing } => fmt(
                lang,
                "selfcheck-error-not-a-course",
                &[
                    ("root", root.display().to_string().into()),
                    ("missing", (*missing).into()),
                ],
            ),
            SelfcheckError::Broken(problem) => fmt(
                lang,
                "selfcheck-error-broken",
                &[("problem", problem.into())],
            ),
            SelfcheckError::Grade(e) => e.show(lang),
        }
    }
}

/// What to check and how.
#[derive(Debug, Clone)]
pub struct SelfcheckOptions {
    /// The course's root: it holds `solutions/`, `exercises/` and
    /// `fixtures/broken/`.
    pub root: PathBuf,
    /// Exercises to check (all when empty).
    pub only: Vec<String>,
    /// Tests run at once within one grading.
    pub jobs: usize,
    /// Submissions graded at once.
    pub parallel: usize,
    /// Submissions built at once (among those graded at once).
    pub builds: usize,
    /// Seed of the randomized inputs.
    pub seed: u64,
    /// The build cache shared by every grading ([`default_cache`] when `None`).
    pub target_dir: Option<PathBuf>,
    /// The longest one build may take.
    pub build_timeout: Duration,
    /// The toolchain that builds.
    pub toolchain: Toolchain,
    /// The language of the problems found (the gradings themselves are in
    /// English: their messages are the suites' clues for the course's author).
    pub lang: Lang,
}

/// The build cache of a course's self-check unless told otherwise: one
/// per course, kept between runs.
pub fn default_cache(root: &Path) -> PathBuf {
    builder::default_cache_dir(&root.join(".selfcheck"))
}

/// Where the independent correct programs are, under the course's root.
pub const ALTERNATIVES: &str = "fixtures/alternatives";

/// One submission the self-check grades.
#[derive(Debug, Clone)]
pub enum Subject {
    /// `solutions/`: full marks.
    Solutions,
    /// `exercises/`: 0, failing fast.
    Stubs,
    /// `fixtures/alternatives/`: correct programs written differently from
    /// the solutions; full marks.
    Alternatives,
    /// A broken submission: fails exactly the tests it names.
    Broken(BrokenSubmission),
}

impl Subject {
    /// How the subject is named in progress lines and problems.
    pub fn label(&self, root: &Path) -> String {
        match self {
            Subject::Solutions => "solutions".into(),
            Subject::Stubs => "exercises".into(),
            Subject::Alternatives => ALTERNATIVES.into(),
            Subject::Broken(b) => b
                .dir
                .strip_prefix(root)
                .unwrap_or(&b.dir)
                .display()
                .to_string(),
        }
    }
}

/// What the self-check reports while it goes.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// The grading of a subject started.
    Started {
        /// The subject's label.
        label: &'a str,
    },
    /// The grading of a subject reports progress.
    Grading {
        /// The subject's label.
        label: &'a str,
        /// What it reports.
        progress: Progress<'a>,
    },
    /// The grading of a subject finished.
    Finished {
        /// The subject's label.
        label: &'a str,
        /// Subjects finished so far.
        done: usize,
        /// Subjects in all.
        total: usize,
    },
}

/// The outcome of the self-check.
#[derive(Debug, Clone, Default)]
pub struct Selfcheck {
    /// One row per exercise checked, in teaching order.
    pub rows: Vec<Row>,
    /// Everything that does not hold, in teaching order.
    pub problems: Vec<Problem>,
    /// Each exercise's contract clauses traced to tests and broken
    /// submissions, in teaching order.
    pub coverage: Vec<(String, Coverage)>,
    /// Where each subject's time went, in the subjects' order
    /// (`grader selfcheck --timings FILE`).
    pub timings: Vec<SubjectTiming>,
}

/// The self-check of one exercise.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The exercise.
    pub exercise: String,
    /// The solution's points and the points possible.
    pub solution: (u32, u32),
    /// Whether the solution got full marks.
    pub solution_ok: bool,
    /// The stub's points and the points possible.
    pub stub: (u32, u32),
    /// Whether the stub got 0 and failed fast.
    pub stub_ok: bool,
    /// Broken submissions caught as their `broken.toml` says.
    pub broken_caught: usize,
    /// Broken submissions of the exercise.
    pub broken_total: usize,
    /// The independent correct program's points and the points possible.
    pub alternative: (u32, u32),
    /// Whether it got full marks.
    pub alternative_ok: bool,
    /// Contract clauses checked by some test (or said untestable), and all.
    pub clauses: (usize, usize),
}

/// Something of the course that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The exercise concerned.
    pub exercise: String,
    /// The submission concerned (`solutions`, `exercises`, or a broken
    /// submission's directory under the root).
    pub subject: String,
    /// What is wrong.
    pub what: String,
}

impl Selfcheck {
    /// Whether every check held.
    pub fn holds(&self) -> bool {
        self.problems.is_empty()
    }

    /// The exit status: 0 when everything held, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        if self.holds() {
            0
        } else {
            1
        }
    }
}

/// Grades the solutions, the stubs and every broken submission of the
/// selected exercises.
pub fn check(
    catalog: &Catalog,
    opts: &SelfcheckOptions,
    on_step: &(dyn Fn(Step<'_>) + Sync),
) -> Result<Selfcheck, SelfcheckError> {
    let lang = opts.lang;
    let selected: Vec<String> = catalog
        .select(&opts.only)?
        .iter()
        .map(|e| e.entry.name.clone())
        .collect();
    for missing in ["solutions/", "exercises/", "fixtures/broken/"] {
        if !opts.root.join(missing).is_dir() {
            return Err(SelfcheckError::NotACourse {
                root: opts.root.clone(),
                missing,
            });
        }
    }
    let broken = fixtures::broken_submissions(&opts.root.join("fixtures/broken"))
        .map_err(SelfcheckError::Broken)?;
    let mut problems = Vec::new();
    let mut subjects = vec![Subject::Solutions, Subject::Stubs];
    if opts.root.join(ALTERNATIVES).is_dir() {
        subjects.push(Subject::Alternatives);
    } else {
        for name in &selected {
            problems.push(Problem {
                exercise: name.clone(),
                subject: ALTERNATIVES.into(),
                what: fmt(
                    lang,
                    "selfcheck-no-alternatives",
                    &[("dir", ALTERNATIVES.into())],
                ),
            });
        }
    }
    let coverage = trace_clauses(catalog, opts, &selected, &broken, &mut problems);
    for case in broken {
        if catalog.exercise(&case.expect.exercise).is_none() {
            problems.push(Problem {
                exercise: case.expect.exercise.clone(),
                subject: Subject::Broken(case.clone()).label(&opts.root),
                what: get(lang, "selfcheck-unknown-exercise"),
            });
        } else if selected.contains(&case.expect.exercise) {
            subjects.push(Subject::Broken(case));
        }
    }

    let (reports, timings) = grade::grade_all(catalog, opts, &selected, &subjects, on_step)?;

    let mut rows: Vec<Row> = selected
        .iter()
        .map(|name| Row {
            exercise: name.clone(),
            ..Row::default()
        })
        .collect();
    for (subject, report) in subjects.iter().zip(&reports) {
        let label = subject.label(&opts.root);
        let mut problem = |exercise: &str, what: String| {
            problems.push(Problem {
                exercise: exercise.to_string(),
                subject: label.clone(),
                what,
            })
        };
        match subject {
            Subject::Solutions => {
                judge_correct(Correct::Solution, report, lang, &mut rows, &mut problem)
            }
            Subject::Alternatives => {
                judge_correct(Correct::Alternative, report, lang, &mut rows, &mut problem)
            }
            Subject::Stubs => judge_stubs(report, lang, &mut rows, &mut problem),
            Subject::Broken(case) => judge_broken(case, report, lang, &mut rows, &mut problem),
        }
        judge_chinese(report, lang, &mut problem);
    }
    for (exercise, cov) in &coverage {
        let row = row_of(&mut rows, exercise);
        row.clauses = (
            cov.traces
                .iter()
                .filter(|t| t.clause.untested || !t.tests.is_empty())
                .count(),
            cov.traces.len(),
        );
    }
    let order = |e: &str| selected.iter().position(|s| s == e).unwrap_or(usize::MAX);
    problems.sort_by_key(|p| order(&p.exercise));
    Ok(Selfcheck {
        rows,
        problems,
        coverage,
        timings,
    })
}

/// Every report in Chinese, for both audiences: no English sentence in
/// the grader's words ([`crate::leak`]).
fn judge_chinese(report: &Report, lang: Lang, problem: &mut dyn FnMut(&str, String)) {
    let mut seen: Vec<(String, String, String)> = Vec::new();
    for leak in crate::leak::in_report(report) {
        let id = (leak.exercise.clone(), leak.test.clone(), leak.words.clone());
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let view = match leak.audience {
            Audience::Student => "student",
            Audience::Instructor => "instructor",
        };
        let key = if leak.test.is_empty() {
            "selfcheck-leak-title"
        } else {
            "selfcheck-leak"
        };
        problem(
            &leak.exercise,
            fmt(
                lang,
                key,
                &[
                    ("view", view.into()),
                    ("test", leak.test.as_str().into()),
                    ("words", leak.words.as_str().into()),
                ],
            ),
        );
    }
}

/// A correct program of the course: the solution, or an independent one
/// written differently (`fixtures/alternatives/`).
#[derive(Debug, Clone, Copy)]
enum Correct {
    Solution,
    Alternative,
}

/// The solutions or the independent correct programs: full marks.
fn judge_correct(
    which: Correct,
    report: &Report,
    lang: Lang,
    rows: &mut [Row],
    problem: &mut dyn FnMut(&str, String),
) {
    for ex in &report.exercises {
        let row = row_of(rows, &ex.name);
        let ok = ex.build == BuildStatus::Ok && ex.score == ex.max_score;
        let (scored, passed, build_key, fails_key) = match which {
            Correct::Solution => (
                &mut row.solution,
                &mut row.solution_ok,
                "selfcheck-solution-build",
                "selfcheck-solution-fails",
            ),
            Correct::Alternative => (
                &mut row.alternative,
                &mut row.alternative_ok,
                "selfcheck-alternative-build",
                "selfcheck-alternative-fails",
            ),
        };
        *scored = (ex.score, ex.max_score);
        *passed = ok;
        if ex.build != BuildStatus::Ok {
            let build = build_word(lang, ex.build);
            let args: &[(&str, Arg)] = match which {
                Correct::Solution => &[("build", build.into())],
                Correct::Alternative => &[("build", build.into()), ("dir", ALTERNATIVES.into())],
            };
            problem(&ex.name, fmt(lang, build_key, args));
        }
        for t in ex.tests.iter().filter(|t| t.status == Status::Failed) {
            problem(
                &ex.name,
                fmt(
                    lang,
                    fails_key,
                    &[
                        ("test", t.name.as_str().into()),
                        ("message", first_line(&t.message).into()),
                    ],
                ),
            );
        }
    }
}

/// The stubs: 0, failing fast.
fn judge_stubs(
    report: &Report,
    lang: Lang,
    rows: &mut [Row],
    problem: &mut dyn FnMut(&str, String),
) {
    for ex in &report.exercises {
        let row = row_of(rows, &ex.name);
        row.stub = (ex.score, ex.max_score);
        let slow: Vec<&str> = ex
            .tests
            .iter()
            .filter(|t| t.cause == Some(Cause::Timeout))
            .map(|t| t.name.as_str())
            .collect();
        row.stub_ok = ex.build == BuildStatus::Ok && ex.score == 0 && slow.is_empty();
        if ex.build != BuildStatus::Ok {
            problem(
                &ex.name,
                fmt(
                    lang,
                    "selfcheck-stub-build",
                    &[("build", build_word(lang, ex.build).into())],
                ),
            );
        }
        let passed: Vec<&str> = ex
            .tests
            .iter()
            .filter(|t| t.status == Status::Passed)
            .map(|t| t.name.as_str())
            .collect();
        if !passed.is_empty() {
            let tests = passed.join(", ");
            problem(
                &ex.name,
                fmt(lang, "selfcheck-stub-passes", &[("tests", tests.into())]),
            );
        }
        if !slow.is_empty() {
            problem(
                &ex.name,
                fmt(
                    lang,
                    "selfcheck-stub-slow",
                    &[("tests", slow.join(", ").into())],
                ),
            );
        }
    }
}

/// A broken submission: fails exactly the tests it names.
fn judge_broken(
    case: &BrokenSubmission,
    report: &Report,
    lang: Lang,
    rows: &mut [Row],
    problem: &mut dyn FnMut(&str, String),
) {
    let name = &case.expect.exercise;
    let ex = report.exercises.iter().find(|e| &e.name == name);
    let departures = match ex {
        Some(ex) => case.expect.departures(
            ex.build == BuildStatus::Ok,
            ex.tests
                .iter()
                .map(|t| (t.name.as_str(), t.status == Status::Failed)),
        ),
        None => vec![crate::text::Phrase::new("selfcheck-not-graded")],
    };
    let row = row_of(rows, name);
    row.broken_total += 1;
    if departures.is_empty() {
        row.broken_caught += 1;
    }
    for d in departures {
        let departure = d.show(lang);
        problem(
            name,
            fmt(
                lang,
                "selfcheck-departure",
                &[
                    ("departure", departure.into()),
                    ("mistake", case.expect.mistake.as_str().into()),
                ],
            ),
        );
    }
    // What a test it must pass said: the one clue to a grader or
    // suite fault that only shows under load.
    let unexpected = ex
        .into_iter()
        .flat_map(|ex| &ex.tests)
        .filter(|t| t.status == Status::Failed && !case.expect.fails.contains(&t.name));
    for t in unexpected {
        let cause = t.cause.map(|c| format!("{c:?}")).unwrap_or_default();
        let said = fmt(
            lang,
            "selfcheck-unexpected-failure",
            &[
                ("test", t.name.as_str().into()),
                ("cause", cause.into()),
                ("message", first_line(&t.message).into()),
            ],
        );
        // Indented under the departure it explains.
        problem(name, format!("  {said}"));
    }
}

/// Traces each selected exercise's contract clauses (from its stub's
/// READMEs) to its tests and broken submissions; every gap is a problem.
fn trace_clauses(
    catalog: &Catalog,
    opts: &SelfcheckOptions,
    selected: &[String],
    broken: &[BrokenSubmission],
    problems: &mut Vec<Problem>,
) -> Vec<(String, Coverage)> {
    let (root, lang) = (&opts.root, opts.lang);
    let mut out = Vec::new();
    for name in selected {
        let Some(ex) = catalog.exercise(name) else {
            continue;
        };
        let readmes = format!("exercises/{name}/README*.md");
        let mut problem = |what: String| {
            problems.push(Problem {
                exercise: name.clone(),
                subject: readmes.clone(),
                what,
            })
        };
        let clauses = match clauses::of_exercise(&root.join("exercises").join(name)) {
            Ok(c) => c,
            Err(e) => {
                problem(fmt(lang, "selfcheck-clauses", &[("problem", e.into())]));
                Vec::new()
            }
        };
        let cases: Vec<&BrokenSubmission> = broken
            .iter()
            .filter(|b| &b.expect.exercise == name)
            .collect();
        let cov = Coverage::trace(&clauses, &ex.tests, &cases);
        for gap in &cov.gaps {
            problem(gap.show(lang));
        }
        out.push((name.clone(), cov));
    }
    out
}

fn row_of<'a>(rows: &'a mut [Row], exercise: &str) -> &'a mut Row {
    rows.iter_mut()
        .find(|r| r.exercise == exercise)
        .expect("every graded exercise has its row")
}

fn build_word(lang: Lang, build: BuildStatus) -> String {
    get(
        lang,
        match build {
            BuildStatus::Ok => "selfcheck-build-ok",
            BuildStatus::Failed => "selfcheck-build-failed",
            BuildStatus::Missing => "selfcheck-build-missing",
        },
    )
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correct_program_short_of_full_marks_is_a_problem_of_its_kind() {
        use crate::model::{Failure, Visibility};
        use crate::report::{ExerciseReport, TestReport};
        let exercise = |name: &str, build, score, tests| ExerciseReport {
            name: name.into(),
            title: "t".into(),
            title_zh: "题".into(),
            number: 1,
            lesson: "l".into(),
            score,
            max_score: 3,
            build,
            build_message: None,
            tests,
        };
        let failed = TestReport {
            name: "echoes".into(),
            status: Status::Failed,
            cause: Some(Cause::Mismatch),
            score: 0,
            max_score: 1,
            visibility: Visibility::Visible,
            message: "wrong echo\nmore".into(),
            not_run: None,
            failure: Some(Failure::mismatch("wrong echo")),
            duration_ms: 0,
        };
        let report = Report::from_exercises(
            "s",
            42,
            Audience::Instructor,
            vec![
                exercise("tcp_echo", BuildStatus::Ok, 2, vec![failed]),
                exercise("dict_lookup", BuildStatus::Failed, 0, vec![]),
                exercise("copy_file", BuildStatus::Ok, 3, vec![]),
            ],
        );
        let judged = |which| {
            let mut rows: Vec<Row> = ["tcp_echo", "dict_lookup", "copy_file"]
                .iter()
                .map(|e| Row {
                    exercise: e.to_string(),
                    ..Row::default()
                })
                .collect();
            let mut problems = Vec::new();
            judge_correct(which, &report, Lang::En, &mut rows, &mut |e, what| {
                problems.push(format!("{e}: {what}"))
            });
            (rows, problems)
        };
        let (rows, problems) = judged(Correct::Solution);
        let scores: Vec<_> = rows.iter().map(|r| (r.solution, r.solution_ok)).collect();
        assert_eq!(scores, [((2, 3), false), ((0, 3), false), ((3, 3), true)]);
        assert!(rows.iter().all(|r| r.alternative == (0, 0)), "{rows:?}");
        assert_eq!(
            problems,
            [
                "tcp_echo: the solution fails `echoes`: wrong echo",
                "dict_lookup: the solution's build: failed",
            ]
        );
        let (rows, problems) = judged(Correct::Alternative);
        let scores: Vec<_> = rows
            .iter()
            .map(|r| (r.alternative, r.alternative_ok))
            .collect();
        assert_eq!(scores, [((2, 3), false), ((0, 3), false), ((3, 3), true)]);
        assert!(rows.iter().all(|r| r.solution == (0, 0)), "{rows:?}");
        assert_eq!(
            problems,
            [
                "tcp_echo: a correct program written differently fails `echoes`: wrong echo",
                "dict_lookup: the independent correct program's build: failed (every \
                 exercise needs one under fixtures/alternatives/)",
            ]
        );
    }

    #[test]
    fn english_in_a_chinese_report_is_a_problem() {
        use crate::model::{Failure, Visibility};
        use crate::report::{ExerciseReport, TestReport};
        use crate::text::Phrase;
        let test = |name: &str, visibility, failure: Failure| TestReport {
            name: name.into(),
            status: Status::Failed,
            cause: Some(failure.cause),
            score: 0,
            max_score: 1,
            visibility,
            message: String::new(),
            not_run: None,
            failure: Some(failure),
            duration_ms: 0,
        };
        let report = Report::from_exercises(
            "s",
            42,
            Audience::Instructor,
            vec![ExerciseReport {
                name: "tcp_echo".into(),
                title: "t".into(),
                title_zh: "回显".into(),
                number: 6,
                lesson: "sockets".into(),
                score: 0,
                max_score: 3,
                build: BuildStatus::Ok,
                build_message: None,
                tests: vec![
                    test(
                        "said_in_english",
                        Visibility::Visible,
                        Failure::mismatch("the server never answered"),
                    ),
                    test(
                        "hidden_in_english",
                        Visibility::Hidden,
                        Failure::mismatch("a reply came too late"),
                    ),
                    test(
                        "said_in_chinese",
                        Visibility::Visible,
                        Failure::mismatch(Phrase::new("wrong-stdout")),
                    ),
                ],
            }],
        );
        let mut problems = Vec::new();
        judge_chinese(&report, Lang::En, &mut |e: &str, what: String| {
            problems.push(format!("{e}: {what}"))
        });
        assert_eq!(
            problems,
            [
                "tcp_echo: English in the Chinese report (student view), test \
                 `said_in_english`: `the server never answered`",
                // A student sees the hidden test's fixed sentence only.
                "tcp_echo: English in the Chinese report (instructor view), test \
                 `hidden_in_english`: `a reply came too late`",
            ]
        );
    }
}
