//! `grader batch`: [`BatchOptions`] and [`run`], the loop over the students:
//! skip the unchanged ones, grade the others as a pipeline (their builds one
//! after another, each student's tests as soon as it is built, beside the
//! next one's build), save the state after each, stop cleanly on Ctrl-C,
//! then write the gradebook and the report.
use crate::text::{fmt, get, Lang};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use super::entry::{self, Entry};
use super::outputs::{self, Summary};
use super::shard::Shard;
use super::state::{BatchState, ExerciseColumn, Settings, StudentStatus};
use super::student::{self, Context};
use super::time;
use super::unpack::Limits;
use super::{interrupt, BatchError, EXIT_INTERRUPTED};
use crate::builder;
use crate::catalog::Catalog;
use crate::gate::BuildGate;
use crate::pipeline::{self, Progress};
use crate::render::progress::Reporter;

/// What to grade and how: `grader batch`'s options.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The folder of submissions: one entry per student, named by the
    /// student id.
    pub submissions: PathBuf,
    /// Where the gradebook, results, feedback and report go.
    pub out: PathBuf,
    /// Grade git repositories at their last commit at or before this RFC
    /// 3339 time, and mark later work late.
    pub deadline: Option<String>,
    /// Grade only the students of this shard.
    pub shard: Option<Shard>,
    /// Exercises to grade (all when empty).
    pub only: Vec<String>,
    /// Tests to run (all when empty).
    pub tests: Vec<String>,
    /// Tests run at once at most for each student.
    pub jobs: usize,
    /// Students graded at once where each test is isolated ([`OVERLAP`]
    /// when `None`; their builds one at a time all the same); one at a time
    /// elsewhere.
    pub parallel: Option<usize>,
    /// Seed of the randomized inputs.
    pub seed: u64,
    /// The build cache shared by the class (one per OUT when `None`).
    pub target_dir: Option<PathBuf>,
    /// The longest the build of one submission may take.
    pub build_timeout: Duration,
    /// Grade every student again, even the unchanged.
    pub regrade: bool,
    /// The language of the results and feedback files (English when `None`).
    pub lang: Option<Lang>,
    /// The language of the progress lines for the person watching.
    pub people: Lang,
}

/// How a batch ended.
#[derive(Debug, Clone)]
pub struct Batched {
    /// OUT, resolved.
    pub out: PathBuf,
    /// The shard graded, if one was.
    pub shard: Option<Shard>,
    /// Students in the outputs.
    pub students: usize,
    /// Students in SUBMISSIONS (in the shard).
    pub entries: usize,
    /// The students in the outputs by status.
    pub summary: Summary,
    /// Students graded in this run.
    pub graded: usize,
    /// Students unchanged since the last run, not graded again.
    pub unchanged: usize,
    /// Ctrl-C or `SIGTERM` stopped the batch: run it again for the rest.
    pub stopped: bool,
}

impl Batched {
    /// The exit code: 0 done, [`EXIT_INTERRUPTED`] when stopped.
    pub fn exit_code(&self) -> i32 {
        if self.stopped {
            EXIT_INTERRUPTED
        } else {
            0
        }
    }
}

/// Runs a batch, with progress on stderr; says how it ended. The sandbox
/// must be set up by the caller.
pub fn run(
    args: &BatchOptions,
    toolchain: &crate::toolchain::Toolchain,
) -> anyhow::Result<Batched> {
    let catalog = Catalog::builtin()?;
    let deadline = args
        .deadline
        .as_deref()
        .map(time::parse_rfc3339)
        .transpose()
        .map_err(BatchError::BadDeadline)?;
    let selected = pipeline::narrow(
        catalog.select(&args.only).map_err(BatchError::from)?,
        &args.tests,
    )
    .map_err(BatchError::from)?;
    let settings = settings_of(args, &selected);

    let out = prepare_out(&args.out, &args.submissions)?;
    let mut entries = entry::discover(&args.submissions)?;
    if let Some(shard) = args.shard {
        entries.retain(|e| shard.contains(&e.id));
    }
    let state = match BatchState::load(&out)? {
        Some(mut s) if !args.regrade => {
            s.settings = settings.clone();
            s.shard = args.shard;
            s
        }
        _ => BatchState::new(settings.clone(), args.shard),
    };
    let cache = match &args.target_dir {
        Some(d) => d.clone(),
        None => builder::default_cache_dir(&out).with_extension("batch"),
    };
    let ctx = Context {
        catalog: &catalog,
        settings: &settings,
        only: &args.only,
        deadline,
        jobs: args.jobs,
        build_timeout: args.build_timeout,
        toolchain,
        cache,
        out: out.clone(),
        limits: Limits::default(),
    };

    interrupt::install();
    let workers = Workers {
        regrade: args.regrade,
        lang: args.people,
        ctx: &ctx,
        entries: &entries,
        out: &out,
        progress: Reporter::items(
            entries.len(),
            &get(args.people, "progress-unit-students"),
            args.people,
        ),
        finished: AtomicUsize::new(0),
        graded: AtomicUsize::new(0),
        unchanged: AtomicUsize::new(0),
        stopped: AtomicBool::new(false),
        next: AtomicUsize::new(0),
        gate: BuildGate::new(BUILDS_AT_ONCE),
        failure: Mutex::new(None),
        state: Mutex::new(state),
    };
    // Students overlap (one builds while the others' tests run, all within
    // the process's test budget) only where each test is a world of its own:
    // without the isolation layer, one student's program could reach
    // another's tests.
    let overlap = if crate::sandbox::status().isolation.is_active() {
        args.parallel.unwrap_or(OVERLAP)
    } else {
        1
    };
    std::thread::scope(|scope| {
        for _ in 0..overlap.min(entries.len()).max(1) {
            scope.spawn(|| workers.work());
        }
    });
    workers.progress.finish();
    if let Some(err) = workers
        .failure
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
    {
        return Err(err.into());
    }
    let state = workers
        .state
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    let counts = Counts {
        graded: workers.graded.into_inner(),
        unchanged: workers.unchanged.into_inner(),
        stopped: workers.stopped.into_inner(),
    };
    conclude(args, &out, &entries, state, counts)
}

/// A batch's settings: the grader, the seed, the exercises with their
/// points, the tests, the deadline.
fn settings_of(args: &BatchOptions, selected: &[crate::catalog::CatalogExercise]) -> Settings {
    Settings {
        grader_version: crate::VERSION.to_string(),
        seed: args.seed,
        exercises: selected
            .iter()
            .map(|e| ExerciseColumn {
                name: e.entry.name.clone(),
                max_score: e.tests.iter().map(|t| t.points).sum(),
            })
            .collect(),
        tests: args.tests.clone(),
        deadline: args.deadline.clone(),
        lang: args.lang.map(|l| l.code().to_string()),
    }
}

/// How the students of a batch went.
struct Counts {
    graded: usize,
    unchanged: usize,
    /// Ctrl-C stopped the batch.
    stopped: bool,
}

/// Ends a batch: drops the students gone from SUBMISSIONS (unless it was
/// stopped), writes the outputs; says how it ended.
fn conclude(
    args: &BatchOptions,
    out: &Path,
    entries: &[Entry],
    mut state: BatchState,
    counts: Counts,
) -> anyhow::Result<Batched> {
    let done: Vec<&Entry> = entries
        .iter()
        .filter(|e| state.students.contains_key(&e.id))
        .collect();
    if !counts.stopped {
        // Students no longer in SUBMISSIONS (or in this shard) leave the record.
        let keep: std::collections::BTreeSet<&str> =
            entries.iter().map(|e| e.id.as_str()).collect();
        state.students.retain(|id, _| keep.contains(id.as_str()));
        state.save(out)?;
    }
    let ids: Vec<String> = done.iter().map(|e| e.id.clone()).collect();
    let summary = outputs::write(out, &state, &ids)?;
    Ok(Batched {
        out: out.to_path_buf(),
        shard: args.shard,
        students: ids.len(),
        entries: entries.len(),
        summary,
        graded: counts.graded,
        unchanged: counts.unchanged,
        stopped: counts.stopped,
    })
}

/// What the workers grading the students share.
struct Workers<'a> {
    /// Grade every student, even the unchanged.
    regrade: bool,
    /// The language of the progress lines.
    lang: Lang,
    ctx: &'a Context<'a>,
    entries: &'a [Entry],
    out: &'a Path,
    progress: Reporter,
    /// Students done, graded or not.
    finished: AtomicUsize,
    graded: AtomicUsize,
    unchanged: AtomicUsize,
    /// Ctrl-C stopped the batch.
    stopped: AtomicBool,
    /// The next student to take.
    next: AtomicUsize,
    /// The turns to build: a worker takes one before its next student.
    gate: BuildGate,
    /// The error that ends the batch (the state could not be saved).
    failure: Mutex<Option<BatchError>>,
    state: Mutex<BatchState>,
}

impl Workers<'_> {
    /// One worker: waits for a turn to build, takes the next student and
    /// grades it (unless unchanged since the last run), giving the turn back
    /// once its build has ended; until none is left, Ctrl-C or an error.
    fn work(&self) {
        loop {
            let turn = self.gate.enter();
            if interrupt::requested() {
                self.stopped.store(true, Ordering::Relaxed);
                break;
            }
            if self.failure.lock().map_or(true, |f| f.is_some()) {
                break;
            }
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(e) = self.entries.get(i) else { break };
            self.progress.item_started(&e.id);
            let ident = student::identify(self.ctx, e);
            let skip = !self.regrade && is_unchanged(&lock(&self.state), self.out, e, &ident.key);
            if skip {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                self.progress.line(&fmt(
                    self.lang,
                    "batch-student-unchanged",
                    &[
                        ("done", (i + 1).into()),
                        ("total", self.entries.len().into()),
                        ("id", e.id.as_str().into()),
                    ],
                ));
                let done = self.finished.fetch_add(1, Ordering::Relaxed) + 1;
                self.progress.item_done(done, self.entries.len(), true);
                continue;
            }
            let id = e.id.clone();
            // The pipeline reports the tests once the build has ended: the
            // next student's build may start (at the latest when this
            // grading returns, if it never reached its tests).
            let turn = Mutex::new(Some(turn));
            let on_progress = |p: Progress<'_>| {
                if let Progress::Testing(_) = p {
                    drop(lock(&turn).take());
                }
                self.progress.progress(Some(&id), p)
            };
            let record = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                student::grade(self.ctx, e, ident, &on_progress)
            }))
            .unwrap_or_else(|panic| panicked(e, panic));
            drop(lock(&turn).take());
            self.progress
                .line(&describe(self.lang, i + 1, self.entries.len(), &record));
            let saved = {
                let mut state = lock(&self.state);
                state.students.insert(e.id.clone(), record);
                state.save(self.out)
            };
            if let Err(err) = saved {
                if let Ok(mut f) = self.failure.lock() {
                    f.get_or_insert(err);
                }
                break;
            }
            self.graded.fetch_add(1, Ordering::Relaxed);
            let done = self.finished.fetch_add(1, Ordering::Relaxed) + 1;
            self.progress.item_done(done, self.entries.len(), false);
        }
    }
}

/// Students graded at once when each test is isolated: one builds (see
/// [`BUILDS_AT_ONCE`]) while the tests of the others, built already, run.
/// Bounded: each student in flight holds its built programs and, for an
/// archive or a repository, its unpacked files. The benchmark's class of
/// 30 (`cargo bench --bench grading`, scenario b, 2 cores, the test budget
/// following the load): 3 at once 123.8 and 130.9 s of wall (1.26 and 1.25
/// of its CPU floor), 6 at once 119.6, 121.1 and 119.6 s (1.18–1.22), 10 at
/// once 130.0 s (1.17, with more CPU).
pub const OVERLAP: usize = 6;

/// Builds at once among a batch's students: one, so that each student's
/// build ends, and its tests start, as soon as they can (a cargo build
/// compiles a submission's crates side by side); the students built run
/// their tests meanwhile. Two at once (with 4 students) did no better in
/// one run on a class of 6, on a loaded machine.
pub const BUILDS_AT_ONCE: usize = 1;

/// The state, whatever a panicking student left it as (each student's
/// record is inserted whole).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Creates OUT and its folders; refuses an OUT inside SUBMISSIONS (before
/// creating anything there).
fn prepare_out(out: &Path, submissions: &Path) -> Result<PathBuf, BatchError> {
    if out.exists() && !out.is_dir() {
        return Err(BatchError::OutNotADirectory(out.to_path_buf()));
    }
    let subs = submissions
        .canonicalize()
        .and_then(|p| {
            if p.is_dir() {
                Ok(p)
            } else {
                Err(std::io::Error::other("not a directory"))
            }
        })
        .map_err(|e| BatchError::Submissions {
            path: submissions.to_path_buf(),
            error: e,
        })?;
    if resolved(out).starts_with(&subs) {
        return Err(BatchError::OutInsideSubmissions(out.to_path_buf()));
    }
    std::fs::create_dir_all(out)
        .map_err(|e| BatchError::io(format!("creating {}", out.display()), e))?;
    let out = out
        .canonicalize()
        .map_err(|e| BatchError::io(format!("reading {}", out.display()), e))?;
    for sub in ["results", "feedback"] {
        std::fs::create_dir_all(out.join(sub))
            .map_err(|e| BatchError::io(format!("creating {}", out.join(sub).display()), e))?;
    }
    Ok(out)
}

/// `path` with its longest existing ancestor resolved (links followed).
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(p) = existing.canonicalize() {
            return rest.iter().rev().fold(p, |acc, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Whether the student was graded before with the same key, and their
/// files are still there.
fn is_unchanged(state: &BatchState, out: &Path, e: &Entry, key: &str) -> bool {
    let Some(r) = state.students.get(&e.id) else {
        return false;
    };
    !key.is_empty()
        && r.key == key
        && student::feedback_path(out, &e.id).is_file()
        && (r.status == StudentStatus::Error || student::results_path(out, &e.id).is_file())
}

/// The record of a student whose grading panicked (a bug of the grader).
fn panicked(e: &Entry, panic: Box<dyn std::any::Any + Send>) -> super::state::StudentRecord {
    let what = crate::runner::panic_message(panic.as_ref()).unwrap_or_default();
    super::state::StudentRecord {
        id: e.id.clone(),
        source: e.kind.name().to_string(),
        status: StudentStatus::Error,
        message: Some(format!("the grader failed on this submission: {what}")),
        commit: None,
        submitted_at: None,
        late: false,
        score: 0,
        max_score: 0,
        exercises: Default::default(),
        key: String::new(),
        duration_ms: 0,
    }
}

/// One line on a graded student, the `done`th of `total`.
fn describe(lang: Lang, done: usize, total: usize, r: &super::state::StudentRecord) -> String {
    let mut line = fmt(
        lang,
        "batch-student-graded",
        &[
            ("done", done.into()),
            ("total", total.into()),
            ("id", r.id.as_str().into()),
            ("status", super::html::status_word(r.status, lang).into()),
            ("score", r.score.into()),
            ("max", r.max_score.into()),
            (
                "secs",
                format!("{:.1}", r.duration_ms as f64 / 1000.0).into(),
            ),
        ],
    );
    if r.late {
        line.push(' ');
        line.push_str(&get(lang, "batch-student-late"));
    }
    if let Some(m) = &r.message {
        line.push_str(" · ");
        line.push_str(m.lines().next().unwrap_or(""));
    }
    line
}
