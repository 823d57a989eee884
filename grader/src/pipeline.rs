//! One grading of one submission, end to end: build the selected exercises,
//! run their tests, collect the [`Report`]. `grader grade` and batch grading
//! both call [`grade`]; rendering is the caller's business.
use crate::text::Lang;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::builder::{self, BuildOptions, BuildOutcome};
use crate::catalog::{Catalog, CatalogExercise};
use crate::error::GradeError;
use crate::messages;
use crate::model::{Cause, Failure};
use crate::report::{Audience, Report, SandboxLayer};
use crate::runner::{self, Event, TestJob};
use crate::toolchain::Toolchain;

/// What to grade and how.
#[derive(Debug, Clone)]
pub struct GradeOptions {
    /// The submission directory (one crate per exercise).
    pub dir: PathBuf,
    /// How the submission is named in the report.
    pub shown: String,
    /// Exercises to grade (all when empty).
    pub only: Vec<String>,
    /// Tests to run (all when empty).
    pub tests: Vec<String>,
    /// Tests run at once.
    pub jobs: usize,
    /// Seed of the randomized inputs.
    pub seed: u64,
    /// Who reads the report.
    pub audience: Audience,
    /// Where the build is cached ([`builder::default_cache_dir`] when `None`).
    pub target_dir: Option<PathBuf>,
    /// The longest a build may take.
    pub build_timeout: Duration,
    /// The toolchain that builds ([`crate::toolchain::Toolchain::locate`]).
    pub toolchain: Toolchain,
    /// The sandbox layers in force, as the report records them (the
    /// command that set the sandbox up reads them: [`sandbox_layers`]).
    pub sandbox: Vec<SandboxLayer>,
    /// The language of the report's `message`s.
    pub lang: Lang,
}

/// What a grading reports while it goes.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// The build of this many exercise crates started.
    Building(usize),
    /// The build has ended and the tests start; this many in all.
    Testing(usize),
    /// A test finished.
    Test(Event<'a>),
}

/// The exercises with only the tests named in `tests` (all when empty);
/// an exercise left with none is dropped; a name no exercise has is an error.
pub fn narrow(
    selected: Vec<&CatalogExercise>,
    tests: &[String],
) -> Result<Vec<CatalogExercise>, GradeError> {
    if let Some(unknown) = tests.iter().find(|t| {
        !selected
            .iter()
            .any(|e| e.tests.iter().any(|d| d.name == t.as_str()))
    }) {
        return Err(GradeError::UnknownTest(unknown.clone()));
    }
    Ok(selected
        .into_iter()
        .map(|e| CatalogExercise {
            entry: e.entry.clone(),
            number: e.number,
            points: e.points,
            tests: e
                .tests
                .iter()
                .filter(|d| tests.is_empty() || tests.iter().any(|t| t == d.name))
                .copied()
                .collect(),
            problem: e.problem.clone(),
        })
        .filter(|e| !e.tests.is_empty())
        .collect())
}

/// The submission directory of `opts`, resolved; an error naming it when
/// it is not a directory.
pub fn submission_dir(opts: &GradeOptions) -> Result<PathBuf, GradeError> {
    if !opts.dir.is_dir() {
        return Err(GradeError::SubmissionMissing(opts.dir.clone()));
    }
    opts.dir
        .canonicalize()
        .map_err(|e| GradeError::io(format!("reading {}", opts.dir.display()), e))
}

/// Grades one submission.
pub fn grade(
    catalog: &Catalog,
    opts: &GradeOptions,
    on_progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<Report, GradeError> {
    let canonical = submission_dir(opts)?;
    let narrowed = narrow(catalog.select(&opts.only)?, &opts.tests)?;
    let selected: Vec<&CatalogExercise> = narrowed.iter().collect();
    grade_selected(catalog, opts, &canonical, &selected, on_progress)
}

/// Grades the exercises `selected` (already narrowed to their tests) of the
/// submission at `canonical` (the canonical path of `opts.dir`); `opts.only`
/// and `opts.tests` are not looked at again.
pub fn grade_selected(
    catalog: &Catalog,
    opts: &GradeOptions,
    canonical: &Path,
    selected: &[&CatalogExercise],
    on_progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<Report, GradeError> {
    on_progress(Progress::Building(selected.len()));
    let cache = opts
        .target_dir
        .clone()
        .unwrap_or_else(|| builder::default_cache_dir(canonical));
    let wanted: Vec<builder::Wanted> = selected
        .iter()
        .map(|e| builder::Wanted {
            name: e.entry.name.clone(),
            programs: e.entry.programs(),
        })
        .collect();
    // What builds leave for later ones (kept programs, the course's
    // dependencies compiled once) lives in the build cache named
    // (`--target-dir`), or among this user's.
    let shared = opts
        .target_dir
        .clone()
        .unwrap_or_else(builder::user_cache_root);
    let build_options = BuildOptions {
        toolchain: opts.toolchain.clone(),
        timeout: opts.build_timeout,
        allowed_dependencies: catalog.course.course.allowed_dependencies.clone(),
        program_cache: Some(shared.join("programs")),
        seed_cache: shared,
    };
    let build = builder::build(canonical, &wanted, &cache, &build_options)?;

    let mut jobs = Vec::new();
    let mut outcomes = Vec::new();
    for ex in selected {
        let name = ex.entry.name.as_str();
        let outcome = build
            .outcomes
            .get(name)
            .cloned()
            .unwrap_or(BuildOutcome::Missing);
        let program = match &outcome {
            BuildOutcome::Built(p) => Ok(p.clone()),
            BuildOutcome::Failed(_) => Err(Failure::new(
                Cause::BuildFailed,
                messages::build_failed(name),
            )),
            BuildOutcome::Missing => Err(Failure::new(
                Cause::Missing,
                messages::exercise_missing(name),
            )),
        };
        for test in &ex.tests {
            jobs.push(TestJob {
                exercise: name.to_string(),
                test: *test,
                program: program.clone(),
            });
        }
        outcomes.push(outcome);
    }

    on_progress(Progress::Testing(jobs.len()));
    let on_event = |event: Event<'_>| on_progress(Progress::Test(event));
    crate::durations::load(&cache);
    let runs = runner::run_tests(&jobs, opts.jobs.max(1), opts.seed, &on_event);
    crate::durations::save(&cache);

    let mut per_exercise = Vec::new();
    let mut rest = runs.into_iter();
    for ex in selected {
        per_exercise.push(rest.by_ref().take(ex.tests.len()).collect::<Vec<_>>());
    }
    let mut report = Report::collect(
        &opts.shown,
        opts.seed,
        opts.audience,
        selected,
        &outcomes,
        &per_exercise,
    );
    report.sandbox = opts.sandbox.clone();
    crate::render::feedback::fill_messages(&mut report, opts.lang);
    Ok(report)
}

/// The sandbox layers in force, as a report records them: what a command
/// puts in [`GradeOptions::sandbox`] once it has set the sandbox up.
pub fn sandbox_layers() -> Vec<SandboxLayer> {
    crate::sandbox::status()
        .layers()
        .iter()
        .map(|(name, layer)| SandboxLayer {
            name: name.to_string(),
            active: layer.is_active(),
            detail: layer.detail().to_string(),
        })
        .collect()
}

/// The number of tests run at once unless told otherwise: the process's
/// budget at its most ([`crate::admission`]: 16 per core, up to 64 per core
/// while the CPU has time to spare, one CPU-heavy test per core).
pub fn default_jobs() -> usize {
    crate::admission::Admission::global().most()
}

/// Whether `path` holds a submission: at least one directory named like an
/// exercise of the course.
pub fn looks_like_submission(catalog: &Catalog, path: &Path) -> bool {
    catalog
        .exercises
        .iter()
        .any(|e| path.join(&e.entry.name).is_dir())
}
