//! `grader batch`: [`BatchArgs`] and [`run`], the loop over the students:
//! skip the unchanged ones, grade the others one at a time, save the state
//! after each, stop cleanly on Ctrl-C, then write the gradebook and the
//! report.
use crate::text::Lang;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::entry::{self, Entry};
use super::outputs;
use super::shard::Shard;
use super::state::{BatchState, ExerciseColumn, Settings, StudentStatus};
use super::student::{self, Context};
use super::time;
use super::unpack::Limits;
use super::{interrupt, BatchError, EXIT_INTERRUPTED};
use crate::builder;
use crate::catalog::Catalog;
use crate::pipeline::{self, Progress};
use crate::runner::Event;

/// The seed of randomized inputs unless `--seed` says otherwise (the same
/// as `grader grade`'s).
pub const DEFAULT_SEED: u64 = 42;

/// `grader batch`'s arguments.
#[derive(clap::Args, Debug, Clone)]
pub struct BatchArgs {
    /// The folder of submissions: one entry per student, named by the
    /// student id: a directory laid out like `exercises/` (or a copy of the
    /// student repository), a git repository, or a `.zip` / `.tar.gz` archive.
    pub submissions: PathBuf,
    /// Where the gradebook, results, feedback and report go (created if needed).
    #[arg(long, value_name = "OUT")]
    pub out: PathBuf,
    /// Grade git repositories at their last commit at or before this RFC 3339
    /// time (such as 2025-03-01T23:59:00+01:00), and mark later work late.
    #[arg(long, value_name = "TIME")]
    pub deadline: Option<String>,
    /// Grade only the students of shard K of N (FNV-1a of the student id, mod N).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Grade only this exercise (repeatable).
    #[arg(long = "only", value_name = "NAME")]
    pub only: Vec<String>,
    /// Run only the tests of this name (repeatable).
    #[arg(long = "test", value_name = "TEST")]
    pub tests: Vec<String>,
    /// Tests run at once at most for each student [default: 8 per core, CPU-heavy tests one per core].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Seed of the randomized inputs.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// The build cache shared by the class [default: a directory per OUT
    /// under the system's temp dir].
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
    /// The longest the build of one submission may take, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = builder::BUILD_TIMEOUT.as_secs())]
    pub build_timeout: u64,
    /// Grade every student again, even those whose submission is unchanged.
    #[arg(long)]
    pub regrade: bool,
    /// The language of the tests' feedback in the results and feedback
    /// files (`en` or `zh`) [default: English, whatever the locale].
    #[arg(long, value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<Lang>,
}

/// `--lang`'s value.
fn parse_lang(code: &str) -> Result<Lang, String> {
    Lang::parse(code).ok_or_else(|| format!("`{code}` is not a language: en or zh"))
}

/// Runs a batch; returns the exit code (0 done, [`EXIT_INTERRUPTED`] when
/// stopped by Ctrl-C). The sandbox must be set up by the caller.
pub fn run(args: BatchArgs, toolchain: &crate::toolchain::Toolchain) -> anyhow::Result<i32> {
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
    let settings = Settings {
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
    };

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
        jobs: args.jobs.unwrap_or_else(pipeline::default_jobs),
        build_timeout: Duration::from_secs(args.build_timeout),
        toolchain,
        cache,
        out: out.clone(),
        limits: Limits::default(),
    };

    interrupt::install();
    let progress = Reporter::new(entries.len());
    let graded = AtomicUsize::new(0);
    let unchanged = AtomicUsize::new(0);
    let stopped = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let failure: Mutex<Option<BatchError>> = Mutex::new(None);
    let state = Mutex::new(state);
    // Students overlap (one builds while another's tests run, all within the
    // process's test budget) only where each test is a world of its own:
    // without the isolation layer, one student's program could reach
    // another's tests.
    let overlap = if crate::sandbox::status().isolation.is_active() {
        OVERLAP
    } else {
        1
    };
    std::thread::scope(|scope| {
        for _ in 0..overlap.min(entries.len()).max(1) {
            scope.spawn(|| loop {
                if interrupt::requested() {
                    stopped.store(true, Ordering::Relaxed);
                    break;
                }
                if failure.lock().map_or(true, |f| f.is_some()) {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(e) = entries.get(i) else { break };
                progress.start(i, &e.id);
                let ident = student::identify(&ctx, e);
                let skip = !args.regrade && is_unchanged(&lock(&state), &out, e, &ident.key);
                if skip {
                    unchanged.fetch_add(1, Ordering::Relaxed);
                    progress.line(
                        i,
                        &format!("{}: unchanged since the last run, not graded again", e.id),
                    );
                    progress.done(true);
                    continue;
                }
                let id = e.id.clone();
                let on_progress = |p: Progress<'_>| progress.grading(&id, p);
                let record = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    student::grade(&ctx, e, ident, &on_progress)
                }))
                .unwrap_or_else(|panic| panicked(e, panic));
                progress.line(i, &describe(&record));
                let saved = {
                    let mut state = lock(&state);
                    state.students.insert(e.id.clone(), record);
                    state.save(&out)
                };
                if let Err(err) = saved {
                    if let Ok(mut f) = failure.lock() {
                        f.get_or_insert(err);
                    }
                    break;
                }
                graded.fetch_add(1, Ordering::Relaxed);
                progress.done(false);
            });
        }
    });
    progress.finish();
    if let Some(err) = failure.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(err.into());
    }
    let mut state = state.into_inner().unwrap_or_else(|e| e.into_inner());
    let (graded, unchanged) = (graded.into_inner(), unchanged.into_inner());
    let stopped = stopped.into_inner();

    let done: Vec<&Entry> = entries
        .iter()
        .filter(|e| state.students.contains_key(&e.id))
        .collect();
    if !stopped {
        // Students no longer in SUBMISSIONS (or in this shard) leave the record.
        let keep: std::collections::BTreeSet<&str> =
            entries.iter().map(|e| e.id.as_str()).collect();
        state.students.retain(|id, _| keep.contains(id.as_str()));
        state.save(&out)?;
    }
    let ids: Vec<String> = done.iter().map(|e| e.id.clone()).collect();
    let summary = outputs::write(&out, &state, &ids)?;
    println!(
        "{} students{}: {} ({graded} graded now, {unchanged} unchanged)",
        ids.len(),
        args.shard
            .map(|s| format!(" in shard {s}"))
            .unwrap_or_default(),
        summary,
    );
    println!(
        "gradebook: {}\nreport:    {}",
        out.join("gradebook.csv").display(),
        out.join("report.html").display()
    );
    if stopped {
        eprintln!(
            "grader: stopped after {} of {} students; run the same command again to grade the rest",
            ids.len(),
            entries.len()
        );
        return Ok(EXIT_INTERRUPTED);
    }
    Ok(0)
}

/// Students graded at once when each test is isolated: one builds while
/// another's tests run.
const OVERLAP: usize = 2;

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
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
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

/// One line on a graded student.
fn describe(r: &super::state::StudentRecord) -> String {
    let mut line = format!(
        "{}: {} {}/{} in {:.1} s",
        r.id,
        r.status.as_str(),
        r.score,
        r.max_score,
        r.duration_ms as f64 / 1000.0
    );
    if r.late {
        line.push_str(" (late)");
    }
    if let Some(m) = &r.message {
        line.push_str(" · ");
        line.push_str(m.lines().next().unwrap_or(""));
    }
    line
}

/// Progress: a bar with the count, the current student and an ETA on a
/// terminal; plain lines otherwise.
struct Reporter {
    bar: Option<ProgressBar>,
    total: usize,
}

impl Reporter {
    fn new(total: usize) -> Reporter {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} students · ETA {eta} · {wide_msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Reporter { bar, total }
    }

    fn start(&self, _i: usize, id: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(id.to_string());
        }
    }

    fn grading(&self, id: &str, p: Progress<'_>) {
        let Some(bar) = &self.bar else { return };
        match p {
            Progress::Building(n) => bar.set_message(format!("{id}: building {n} exercises")),
            Progress::Testing(n) => bar.set_message(format!("{id}: testing 0/{n}")),
            Progress::Test(Event::Finished { done, total, .. }) => {
                bar.set_message(format!("{id}: testing {done}/{total}"))
            }
        }
    }

    fn line(&self, i: usize, text: &str) {
        let line = format!("[{}/{}] {text}", i + 1, self.total);
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn done(&self, skipped: bool) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if skipped {
                // An instant skip says nothing of how long the next one takes.
                bar.reset_eta();
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
