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
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::builder;
use crate::catalog::Catalog;
use crate::clauses::{self, Coverage};
use crate::error::GradeError;
use crate::fixtures::{self, BrokenSubmission};
use crate::model::Cause;
use crate::pipeline::{self, GradeOptions, Progress};
use crate::render::progress::Reporter;
use crate::report::{Audience, BuildStatus, Report, Status};
use crate::toolchain::Toolchain;

/// The command line of `grader selfcheck` (its sandbox options aside).
#[derive(Debug, Clone, clap::Args)]
pub struct SelfcheckArgs {
    /// The course's root [default: the course this grader was built from].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Check only this exercise (repeatable).
    #[arg(long = "only", value_name = "NAME")]
    pub only: Vec<String>,
    /// Tests run at once at most in each grading [default: 16 per core in all, CPU-heavy tests one per core].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Submissions graded at once (their tests share the process's budget;
    /// their builds run side by side).
    #[arg(long, value_name = "N", default_value_t = 6)]
    pub parallel: usize,
    /// Seed of the randomized inputs.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Where builds are cached [default: one cache per course under the
    /// system's temp dir].
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
    /// The longest the build of one submission may take, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = builder::BUILD_TIMEOUT.as_secs())]
    pub build_timeout: u64,
}

/// The course this grader was built from.
pub fn default_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `grader selfcheck`, once the sandbox is set up: checks the course,
/// shows progress on stderr and the table on stdout; returns the exit
/// status.
pub fn run(args: SelfcheckArgs, toolchain: Toolchain) -> anyhow::Result<i32> {
    let catalog = Catalog::builtin()?;
    let opts = SelfcheckOptions {
        root: args.root.unwrap_or_else(default_root),
        only: args.only,
        jobs: args.jobs.unwrap_or_else(pipeline::default_jobs),
        parallel: args.parallel,
        seed: args.seed,
        target_dir: args.target_dir,
        build_timeout: Duration::from_secs(args.build_timeout),
        toolchain,
    };
    let reporter = Reporter::items(0, "");
    let on_step = |step: Step<'_>| match step {
        Step::Started { label } => reporter.item_started(label),
        Step::Grading { label, progress } => reporter.progress(Some(label), progress),
        Step::Finished { label, done, total } => {
            reporter.item_done(done, total, false);
            reporter.plain_line(&format!("selfcheck: {done}/{total} {label}"));
        }
    };
    let result = check(&catalog, &opts, &on_step);
    reporter.finish();
    let result = result?;
    let mut stdout = io::stdout().lock();
    render(&result, &mut stdout)?;
    stdout.flush()?;
    Ok(result.exit_code())
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
    /// Seed of the randomized inputs.
    pub seed: u64,
    /// The build cache shared by every grading ([`default_cache`] when `None`).
    pub target_dir: Option<PathBuf>,
    /// The longest one build may take.
    pub build_timeout: Duration,
    /// The toolchain that builds.
    pub toolchain: Toolchain,
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
                what: format!(
                    "no independent correct program: {ALTERNATIVES}/ is missing \
                     (a crate per exercise, written differently from the solution)"
                ),
            });
        }
    }
    let coverage = trace_clauses(catalog, &opts.root, &selected, &broken, &mut problems);
    for case in broken {
        if catalog.exercise(&case.expect.exercise).is_none() {
            problems.push(Problem {
                exercise: case.expect.exercise.clone(),
                subject: Subject::Broken(case.clone()).label(&opts.root),
                what: "names an exercise the course does not have".into(),
            });
        } else if selected.contains(&case.expect.exercise) {
            subjects.push(Subject::Broken(case));
        }
    }

    let reports = grade_all(catalog, opts, &selected, &subjects, on_step)?;

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
            Subject::Solutions => judge_solutions(report, &mut rows, &mut problem),
            Subject::Alternatives => judge_alternatives(report, &mut rows, &mut problem),
            Subject::Stubs => judge_stubs(report, &mut rows, &mut problem),
            Subject::Broken(case) => judge_broken(case, report, &mut rows, &mut problem),
        }
        judge_chinese(report, &mut problem);
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
    })
}

/// Every report in Chinese, for both audiences: no English sentence in
/// the grader's words ([`crate::leak`]).
fn judge_chinese(report: &Report, problem: &mut dyn FnMut(&str, String)) {
    let mut seen: Vec<(String, String, String)> = Vec::new();
    for leak in crate::leak::in_report(report) {
        let id = (leak.exercise.clone(), leak.test.clone(), leak.words.clone());
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let place = if leak.test.is_empty() {
            "its title".to_string()
        } else {
            format!("test `{}`", leak.test)
        };
        problem(
            &leak.exercise,
            format!(
                "English in the Chinese report ({} view), {place}: `{}`",
                match leak.audience {
                    Audience::Student => "student",
                    Audience::Instructor => "instructor",
                },
                leak.words
            ),
        );
    }
}

/// The solutions: full marks.
fn judge_solutions(report: &Report, rows: &mut [Row], problem: &mut dyn FnMut(&str, String)) {
    for ex in &report.exercises {
        let row = row_of(rows, &ex.name);
        row.solution = (ex.score, ex.max_score);
        row.solution_ok = ex.build == BuildStatus::Ok && ex.score == ex.max_score;
        if ex.build != BuildStatus::Ok {
            problem(
                &ex.name,
                format!("the solution's build: {}", build_word(ex.build)),
            );
        }
        for t in ex.tests.iter().filter(|t| t.status == Status::Failed) {
            problem(
                &ex.name,
                format!(
                    "the solution fails `{}`: {}",
                    t.name,
                    first_line(&t.message)
                ),
            );
        }
    }
}

/// The independent correct programs: full marks.
fn judge_alternatives(report: &Report, rows: &mut [Row], problem: &mut dyn FnMut(&str, String)) {
    for ex in &report.exercises {
        let row = row_of(rows, &ex.name);
        row.alternative = (ex.score, ex.max_score);
        row.alternative_ok = ex.build == BuildStatus::Ok && ex.score == ex.max_score;
        if ex.build != BuildStatus::Ok {
            problem(
                &ex.name,
                format!(
                    "the independent correct program's build: {} \
                         (every exercise needs one under {ALTERNATIVES}/)",
                    build_word(ex.build)
                ),
            );
        }
        for t in ex.tests.iter().filter(|t| t.status == Status::Failed) {
            problem(
                &ex.name,
                format!(
                    "a correct program written differently fails `{}`: {}",
                    t.name,
                    first_line(&t.message)
                ),
            );
        }
    }
}

/// The stubs: 0, failing fast.
fn judge_stubs(report: &Report, rows: &mut [Row], problem: &mut dyn FnMut(&str, String)) {
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
                format!("the stub's build: {}", build_word(ex.build)),
            );
        }
        let passed: Vec<&str> = ex
            .tests
            .iter()
            .filter(|t| t.status == Status::Passed)
            .map(|t| t.name.as_str())
            .collect();
        if !passed.is_empty() {
            problem(&ex.name, format!("the stub passes {}", passed.join(", ")));
        }
        if !slow.is_empty() {
            problem(
                &ex.name,
                format!(
                    "the stub times out in {} instead of failing fast",
                    slow.join(", ")
                ),
            );
        }
    }
}

/// A broken submission: fails exactly the tests it names.
fn judge_broken(
    case: &BrokenSubmission,
    report: &Report,
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
        None => vec!["was not graded".to_string()],
    };
    let row = row_of(rows, name);
    row.broken_total += 1;
    if departures.is_empty() {
        row.broken_caught += 1;
    }
    for d in departures {
        problem(name, format!("{d} ({})", case.expect.mistake));
    }
    // What a test it must pass said: the one clue to a grader or
    // suite fault that only shows under load.
    let unexpected = ex
        .into_iter()
        .flat_map(|ex| &ex.tests)
        .filter(|t| t.status == Status::Failed && !case.expect.fails.contains(&t.name));
    for t in unexpected {
        let cause = t.cause.map(|c| format!("{c:?}")).unwrap_or_default();
        problem(
            name,
            format!("  `{}` ({cause}): {}", t.name, first_line(&t.message)),
        );
    }
}

/// Traces each selected exercise's contract clauses (from its stub's
/// READMEs) to its tests and broken submissions; every gap is a problem.
fn trace_clauses(
    catalog: &Catalog,
    root: &Path,
    selected: &[String],
    broken: &[BrokenSubmission],
    problems: &mut Vec<Problem>,
) -> Vec<(String, Coverage)> {
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
                problem(format!("contract clauses: {e}"));
                Vec::new()
            }
        };
        let cases: Vec<&BrokenSubmission> = broken
            .iter()
            .filter(|b| &b.expect.exercise == name)
            .collect();
        let cov = Coverage::trace(&clauses, &ex.tests, &cases);
        for gap in &cov.gaps {
            problem(gap.clone());
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

fn build_word(build: BuildStatus) -> &'static str {
    match build {
        BuildStatus::Ok => "ok",
        BuildStatus::Failed => "failed",
        BuildStatus::Missing => "missing",
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// Grades every subject, `opts.parallel` at a time; the reports come back
/// in the subjects' order.
fn grade_all(
    catalog: &Catalog,
    opts: &SelfcheckOptions,
    selected: &[String],
    subjects: &[Subject],
    on_step: &(dyn Fn(Step<'_>) + Sync),
) -> Result<Vec<Report>, GradeError> {
    let cache = opts
        .target_dir
        .clone()
        .unwrap_or_else(|| default_cache(&opts.root));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Report, GradeError>>>> =
        Mutex::new((0..subjects.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..opts.parallel.clamp(1, subjects.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(subject) = subjects.get(i) else {
                    break;
                };
                let label = subject.label(&opts.root);
                on_step(Step::Started { label: &label });
                let (dir, only) = match subject {
                    Subject::Solutions => (opts.root.join("solutions"), selected.to_vec()),
                    Subject::Alternatives => (opts.root.join(ALTERNATIVES), selected.to_vec()),
                    Subject::Stubs => (opts.root.join("exercises"), selected.to_vec()),
                    Subject::Broken(b) => (b.dir.clone(), vec![b.expect.exercise.clone()]),
                };
                let grade_opts = GradeOptions {
                    dir,
                    shown: label.clone(),
                    only,
                    tests: Vec::new(),
                    jobs: opts.jobs.max(1),
                    seed: opts.seed,
                    audience: Audience::Instructor,
                    target_dir: Some(cache.clone()),
                    build_timeout: opts.build_timeout,
                    toolchain: opts.toolchain.clone(),
                    sandbox: pipeline::sandbox_layers(),
                    lang: crate::text::Lang::En,
                };
                let on_progress = |progress: Progress<'_>| {
                    on_step(Step::Grading {
                        label: &label,
                        progress,
                    })
                };
                let report = pipeline::grade(catalog, &grade_opts, &on_progress);
                let failed = report.is_err();
                results.lock().expect("results lock")[i] = Some(report);
                on_step(Step::Finished {
                    label: &label,
                    done: done.fetch_add(1, Ordering::Relaxed) + 1,
                    total: subjects.len(),
                });
                if failed {
                    // Stop handing out work: the error ends the self-check.
                    next.store(subjects.len(), Ordering::Relaxed);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("results lock")
        .into_iter()
        .flatten()
        .collect()
}

/// Writes the table (per exercise: the solution's and the stub's points,
/// and the broken submissions caught), then every problem, then the verdict.
pub fn render(check: &Selfcheck, out: &mut dyn Write) -> io::Result<()> {
    let width = check
        .rows
        .iter()
        .map(|r| r.exercise.len())
        .max()
        .unwrap_or(8)
        .max("exercise".len());
    let line = |out: &mut dyn Write, cells: [&str; 6]| {
        let [a, b, c, d, e, f] = cells;
        writeln!(out, "{a:<width$}  {b:<12}  {c:<12}  {d:<12}  {e:<14}  {f}")
    };
    line(
        out,
        [
            "exercise",
            "solution",
            "stub",
            "alternative",
            "broken caught",
            "clauses",
        ],
    )?;
    let mark = |ok: bool| if ok { "ok" } else { "NO" };
    for r in &check.rows {
        let solution = format!("{}/{} {}", r.solution.0, r.solution.1, mark(r.solution_ok));
        let stub = format!("{}/{} {}", r.stub.0, r.stub.1, mark(r.stub_ok));
        let alternative = format!(
            "{}/{} {}",
            r.alternative.0,
            r.alternative.1,
            mark(r.alternative_ok)
        );
        let broken = format!(
            "{}/{} {}",
            r.broken_caught,
            r.broken_total,
            mark(r.broken_caught == r.broken_total)
        );
        let clauses = format!(
            "{}/{} {}",
            r.clauses.0,
            r.clauses.1,
            mark(r.clauses.1 > 0 && r.clauses.0 == r.clauses.1)
        );
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
            "all",
            "",
            "",
            "",
            &format!("{caught}/{total}"),
            &format!("{covered}/{clauses}"),
        ],
    )?;
    render_coverage(check, out)?;
    if check.problems.is_empty() {
        writeln!(
            out,
            "selfcheck: the course holds: full marks for the solutions and the alternatives, \
             0 for the stubs, every broken submission caught, every clause tested"
        )?;
        return Ok(());
    }
    writeln!(out)?;
    for p in &check.problems {
        writeln!(out, "{}: {}: {}", p.exercise, p.subject, p.what)?;
    }
    writeln!(
        out,
        "selfcheck: {} problem{} found",
        check.problems.len(),
        if check.problems.len() == 1 { "" } else { "s" }
    )
}

/// Writes each exercise's clauses: number, the tests that check it, and
/// the broken submissions that fail those tests.
fn render_coverage(check: &Selfcheck, out: &mut dyn Write) -> io::Result<()> {
    for (exercise, cov) in &check.coverage {
        writeln!(out)?;
        writeln!(out, "{exercise}: clause → tests → broken submissions")?;
        for t in &cov.traces {
            let tests = if t.tests.is_empty() {
                if t.clause.untested {
                    "(not tested: the README says why)".to_string()
                } else {
                    "NO TEST".to_string()
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
        judge_chinese(&report, &mut |e: &str, what: String| {
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
        };
        let mut out = Vec::new();
        render(&check, &mut out).unwrap();
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
