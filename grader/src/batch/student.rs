//! Grading one student of a batch: [`identify`] their submission (its
//! content key, commit and time), then [`grade`] it: unpack or export it into
//! a directory of the grader's if needed, find the exercise crates, run
//! [`pipeline::grade`], and write the results file and the feedback. Every
//! problem becomes the student's status; nothing here stops the batch.
use crate::report::BuildStatus;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant as Clock};

use super::entry::{self, Entry, Kind};
use super::git::{self, Chosen};
use super::state::{ExercisePoints, Settings, StudentRecord, StudentStatus};
use super::time::{self, Instant};
use super::unpack::{self, Limits};
use super::view::ResultsView;
use super::{feedback, files, shard};
use crate::catalog::Catalog;
use crate::pipeline::{self, GradeOptions, Progress};
use crate::render;
use crate::report::Audience;

/// What every student's grading shares.
pub struct Context<'a> {
    /// The course.
    pub catalog: &'a Catalog,
    /// The batch's settings.
    pub settings: &'a Settings,
    /// `--only`.
    pub only: &'a [String],
    /// `--deadline`.
    pub deadline: Option<Instant>,
    /// Tests run at once.
    pub jobs: usize,
    /// The longest a build may take.
    pub build_timeout: Duration,
    /// The toolchain that builds.
    pub toolchain: &'a crate::toolchain::Toolchain,
    /// The build cache shared by the class, and the unpack directories.
    pub cache: PathBuf,
    /// OUT.
    pub out: PathBuf,
    /// Archive limits.
    pub limits: Limits,
}

/// A submission before grading.
pub struct Identified {
    /// The key of its content and the settings; empty when it could not be
    /// read (then it is tried again on every run).
    pub key: String,
    /// The commit to grade (git repositories).
    pub commit: Option<Chosen>,
    /// When it was submitted.
    pub submitted: Option<Instant>,
    /// Whether work arrived after the deadline.
    pub late: bool,
    /// Why it cannot be graded, found already.
    pub problem: Option<(StudentStatus, String)>,
}

/// Reads what identifies a submission: a digest of its content (a
/// directory's files, an archive's bytes, the commit of a repository), with
/// the grader version and the settings.
pub fn identify(ctx: &Context<'_>, e: &Entry) -> Identified {
    let settings = serde_json::to_string(ctx.settings).unwrap_or_default();
    let key_of =
        |content: &str| entry::digest_of(&["socklings-batch/1", &settings, e.kind.name(), content]);
    let mut id = Identified {
        key: String::new(),
        commit: None,
        submitted: None,
        late: false,
        problem: None,
    };
    let late_after = |t: Option<Instant>| match (t, ctx.deadline) {
        (Some(t), Some(d)) => t > d,
        _ => false,
    };
    match &e.kind {
        Kind::Unsupported(what) => {
            id.key = key_of(what);
            id.problem = Some((StudentStatus::Error, format!("the submission is {what}")));
        }
        Kind::Directory => match entry::digest_directory(&e.path) {
            Ok((digest, newest)) => {
                id.key = key_of(&digest);
                id.submitted = newest;
                id.late = late_after(newest);
            }
            Err(err) => id.problem = Some((StudentStatus::Error, format!("cannot read it: {err}"))),
        },
        Kind::Zip | Kind::TarGz => match entry::digest_file(&e.path) {
            Ok((digest, modified)) => {
                id.key = key_of(&digest);
                id.submitted = modified;
                id.late = late_after(modified);
            }
            Err(err) => id.problem = Some((StudentStatus::Error, format!("cannot read it: {err}"))),
        },
        Kind::Git(dir) => match git::choose(dir, ctx.deadline) {
            Ok(Some(c)) => {
                id.key = key_of(&c.commit);
                id.submitted = Some(c.time);
                id.late = c.late;
                id.commit = Some(c);
            }
            Ok(None) => {
                let late = git::choose(dir, None).ok().flatten().is_some();
                id.key = key_of(if late { "late-only" } else { "no-commit" });
                id.late = late;
                let why = if late {
                    "every commit of the repository is after the deadline: nothing to grade"
                } else {
                    "the repository has no commit: nothing to grade"
                };
                id.problem = Some((StudentStatus::Empty, why.to_string()));
            }
            Err(err) => id.problem = Some((StudentStatus::Error, err)),
        },
    }
    id
}

/// The results file of a student.
pub fn results_path(out: &Path, id: &str) -> PathBuf {
    out.join("results").join(format!("{id}.json"))
}

/// The feedback file of a student.
pub fn feedback_path(out: &Path, id: &str) -> PathBuf {
    out.join("feedback").join(format!("{id}.md"))
}

/// Grades one student and writes their results and feedback files. The
/// result is never an error: a problem is the student's status.
pub fn grade(
    ctx: &Context<'_>,
    e: &Entry,
    ident: Identified,
    on_progress: &(dyn Fn(Progress<'_>) + Sync),
) -> StudentRecord {
    let started = Clock::now();
    let max_total: u32 = ctx.settings.exercises.iter().map(|c| c.max_score).sum();
    let mut record = StudentRecord {
        id: e.id.clone(),
        source: e.kind.name().to_string(),
        status: StudentStatus::Error,
        message: None,
        commit: ident.commit.as_ref().map(|c| c.commit.clone()),
        submitted_at: ident.submitted.map(time::format_rfc3339),
        late: ident.late,
        score: 0,
        max_score: max_total,
        exercises: Default::default(),
        key: ident.key.clone(),
        duration_ms: 0,
    };
    let work = ctx
        .cache
        .join("submissions")
        .join(format!("{:016x}", shard::fnv1a64(e.id.as_bytes())));
    let outcome = match ident.problem {
        Some((StudentStatus::Error, message)) => Err(message),
        Some((status, message)) => {
            // Nothing to grade: every exercise missing, graded as an empty folder.
            record.message = Some(message);
            prepare(&work)
                .and_then(|_| run_pipeline(ctx, e, &work, on_progress))
                .map(|r| (r, Some(status)))
        }
        None => tree(ctx, e, &ident, &work)
            .and_then(|root| run_pipeline(ctx, e, &root, on_progress))
            .map(|r| (r, None)),
    };
    let _ = fs::remove_dir_all(&work);
    let results = match outcome {
        Ok(((json, view), forced)) => {
            take_results(ctx, &mut record, &view, forced);
            match files::write_bytes(&results_path(&ctx.out, &e.id), &json) {
                Ok(()) => Some(view),
                Err(err) => {
                    record.status = StudentStatus::Error;
                    record.message = Some(format!("writing the results file: {err}"));
                    record.key.clear();
                    None
                }
            }
        }
        Err(message) => {
            record.message = Some(message);
            None
        }
    };
    if record.status == StudentStatus::Error {
        // A results file of an earlier run would contradict the gradebook.
        let _ = fs::remove_file(results_path(&ctx.out, &e.id));
    }
    let lang = ctx
        .settings
        .lang
        .as_deref()
        .and_then(crate::text::Lang::parse)
        .unwrap_or_default();
    let text = feedback::render(&record, results.as_ref(), lang);
    if let Err(err) = files::write_bytes(&feedback_path(&ctx.out, &e.id), text.as_bytes()) {
        record.message = Some(format!("writing the feedback file: {err}"));
        record.key.clear();
    }
    record.duration_ms = started.elapsed().as_millis() as u64;
    record
}

/// Puts a grading's status (`forced`, or the one the results show),
/// points and message in the student's record.
fn take_results(
    ctx: &Context<'_>,
    record: &mut StudentRecord,
    view: &ResultsView,
    forced: Option<StudentStatus>,
) {
    let status = forced.unwrap_or_else(|| status_of(view));
    if status == StudentStatus::Empty && record.message.is_none() {
        record.message = Some(messages_empty(ctx));
    }
    if view
        .exercises
        .iter()
        .flat_map(|x| &x.tests)
        .any(|t| t.cause == Some(crate::model::Cause::GraderError))
    {
        record.message = Some(
            "the grader could not carry out some tests (cause grader_error): grade again".into(),
        );
    }
    record.status = status;
    record.score = view.score;
    record.max_score = view.max_score;
    record.exercises = view
        .exercises
        .iter()
        .map(|x| {
            (
                x.name.clone(),
                ExercisePoints {
                    score: x.score,
                    max_score: x.max_score,
                },
            )
        })
        .collect();
}

fn messages_empty(ctx: &Context<'_>) -> String {
    let names: Vec<&str> = ctx
        .settings
        .exercises
        .iter()
        .take(2)
        .map(|c| c.name.as_str())
        .collect();
    format!(
        "no exercise crate found: submit folders named like the exercises ({}/, ...), or the repository with its exercises/ folder",
        names.join("/, ")
    )
}

/// The status of a graded submission.
fn status_of(view: &ResultsView) -> StudentStatus {
    let present: Vec<_> = view
        .exercises
        .iter()
        .filter(|x| x.build != BuildStatus::Missing)
        .collect();
    if present.is_empty() {
        StudentStatus::Empty
    } else if present.iter().all(|x| x.build == BuildStatus::Failed) {
        StudentStatus::BuildFailed
    } else {
        StudentStatus::Graded
    }
}

/// An empty directory at `work`.
fn prepare(work: &Path) -> Result<(), String> {
    if work.exists() {
        fs::remove_dir_all(work).map_err(|e| format!("clearing {}: {e}", work.display()))?;
    }
    fs::create_dir_all(work).map_err(|e| format!("creating {}: {e}", work.display()))
}

/// The directory that holds the submission's files: the student's own
/// directory, or `work` with the archive unpacked or the commit exported.
fn tree(ctx: &Context<'_>, e: &Entry, ident: &Identified, work: &Path) -> Result<PathBuf, String> {
    let file_name = e
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let root = match &e.kind {
        Kind::Directory => e.path.clone(),
        Kind::Zip => {
            prepare(work)?;
            unpack::unpack_zip(&e.path, work, ctx.limits)
                .map_err(|err| format!("{file_name}: {err}"))?;
            work.to_path_buf()
        }
        Kind::TarGz => {
            prepare(work)?;
            unpack::unpack_tar_gz(&e.path, work, ctx.limits)
                .map_err(|err| format!("{file_name}: {err}"))?;
            work.to_path_buf()
        }
        Kind::Git(dir) => {
            prepare(work)?;
            let commit = ident
                .commit
                .as_ref()
                .ok_or_else(|| "no commit to grade".to_string())?;
            git::export(dir, &commit.commit, work, ctx.limits)
                .map_err(|err| format!("commit {}: {err}", feedback::short(&commit.commit)))?;
            work.to_path_buf()
        }
        Kind::Unsupported(what) => return Err(format!("the submission is {what}")),
    };
    Ok(locate(ctx.catalog, &root))
}

/// Where the exercise crates are inside `root`: `root/exercises` (a copy of
/// the student repository), `root` itself, or the same inside a single
/// wrapping folder (as archive tools make).
pub fn locate(catalog: &Catalog, root: &Path) -> PathBuf {
    let mut dir = root.to_path_buf();
    for _ in 0..4 {
        let exercises = dir.join("exercises");
        if exercises.is_dir() {
            return exercises;
        }
        if pipeline::looks_like_submission(catalog, &dir) {
            return dir;
        }
        let inside: Vec<PathBuf> = match fs::read_dir(&dir) {
            Ok(r) => r
                .filter_map(|x| x.ok())
                .filter(|x| {
                    let n = x.file_name();
                    let n = n.to_string_lossy();
                    !n.starts_with('.') && n != "__MACOSX"
                })
                .map(|x| x.path())
                .collect(),
            Err(_) => break,
        };
        match inside.as_slice() {
            [only] if only.is_dir() && !only.is_symlink() => dir = only.clone(),
            _ => break,
        }
    }
    root.to_path_buf()
}

/// Grades the submission in `dir` with the instructor's view; returns the
/// results file's bytes and its view.
fn run_pipeline(
    ctx: &Context<'_>,
    e: &Entry,
    dir: &Path,
    on_progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<(Vec<u8>, ResultsView), String> {
    let opts = GradeOptions {
        dir: dir.to_path_buf(),
        shown: e.id.clone(),
        only: ctx.only.to_vec(),
        tests: ctx.settings.tests.clone(),
        jobs: ctx.jobs,
        seed: ctx.settings.seed,
        audience: Audience::Instructor,
        target_dir: Some(ctx.cache.join("build")),
        build_timeout: ctx.build_timeout,
        toolchain: ctx.toolchain.clone(),
        sandbox: pipeline::sandbox_layers(),
        lang: ctx
            .settings
            .lang
            .as_deref()
            .and_then(crate::text::Lang::parse)
            .unwrap_or_default(),
    };
    let report = pipeline::grade(ctx.catalog, &opts, on_progress).map_err(|err| err.to_string())?;
    let mut json = Vec::new();
    render::json::render(&report, &mut json).map_err(|err| err.to_string())?;
    let view =
        ResultsView::parse(&json).map_err(|err| format!("reading the report back: {err}"))?;
    Ok((json, view))
}
