//! [`BatchState`]: `OUT/batch.json`, the batch's record of every student
//! ([`StudentRecord`]: status, points per exercise, commit, time, and the
//! key that lets a re-run skip an unchanged submission). It is rewritten
//! (atomically) after each student, so a stopped batch resumes where it
//! was, and `grader merge` reads it to join shards.
use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::shard::Shard;
use super::{files, BatchError};

/// The file name of the state in OUT.
pub const FILE: &str = "batch.json";

/// The version of `batch.json`; raised on any incompatible change.
pub const STATE_VERSION: u32 = 1;

/// How a student's grading went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StudentStatus {
    /// At least one exercise built and was tested.
    Graded,
    /// Every exercise the submission has failed to build.
    BuildFailed,
    /// The submission has no exercise crate (or no commit in time).
    Empty,
    /// It could not be graded (a refused archive, a broken repository...).
    Error,
}

impl StudentStatus {
    /// The stable name used in the gradebook.
    pub fn as_str(self) -> &'static str {
        match self {
            StudentStatus::Graded => "graded",
            StudentStatus::BuildFailed => "build_failed",
            StudentStatus::Empty => "empty",
            StudentStatus::Error => "error",
        }
    }
}

/// One exercise's points for one student.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExercisePoints {
    /// Points earned.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
}

/// What the batch knows of one student.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StudentRecord {
    /// The student id.
    pub id: String,
    /// `directory`, `git`, `zip`, `tar.gz` or `unsupported`.
    pub source: String,
    /// How the grading went.
    pub status: StudentStatus,
    /// Why the status is `error` or `empty`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The commit graded (git repositories).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// When it was submitted: the commit's time for a repository, the file's
    /// modification time for an archive, the newest file's for a directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    /// Whether work arrived after the deadline (a repository's later commits
    /// are not graded; an archive or directory is graded anyway).
    pub late: bool,
    /// Points earned over the graded exercises.
    pub score: u32,
    /// Points possible over the graded exercises.
    pub max_score: u32,
    /// Points per exercise (absent for `error`).
    #[serde(default)]
    pub exercises: BTreeMap<String, ExercisePoints>,
    /// The submission's content, the grader and the settings, hashed: a
    /// re-run with the same key does not grade the student again.
    pub key: String,
    /// How long the student's grading took.
    pub duration_ms: u64,
}

/// An exercise of the batch: a column of the gradebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseColumn {
    /// Its name.
    pub name: String,
    /// Its possible points (with `--test`, of the tests run).
    pub max_score: u32,
}

/// The settings that give a grading its meaning; shards can be merged only
/// when they agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The grader's version.
    pub grader_version: String,
    /// The seed of randomized inputs.
    pub seed: u64,
    /// The exercises graded, in teaching order, with their possible points.
    pub exercises: Vec<ExerciseColumn>,
    /// `--test` names, if any.
    #[serde(default)]
    pub tests: Vec<String>,
    /// The deadline, as given.
    #[serde(default)]
    pub deadline: Option<String>,
    /// `--lang`: the language of the feedback's messages (English when
    /// absent, and then left out, so earlier outputs keep their keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// `OUT/batch.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BatchState {
    /// [`STATE_VERSION`].
    pub version: u32,
    /// What every record was graded with.
    pub settings: Settings,
    /// The shard this output holds, if any.
    #[serde(default)]
    pub shard: Option<Shard>,
    /// The students, by id.
    pub students: BTreeMap<String, StudentRecord>,
}

impl BatchState {
    /// An empty state.
    pub fn new(settings: Settings, shard: Option<Shard>) -> BatchState {
        BatchState {
            version: STATE_VERSION,
            settings,
            shard,
            students: BTreeMap::new(),
        }
    }

    /// Reads `OUT/batch.json`; `Ok(None)` when there is none.
    pub fn load(out: &Path) -> Result<Option<BatchState>, BatchError> {
        let path = out.join(FILE);
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(BatchError::io(format!("reading {}", path.display()), e)),
        };
        let state: BatchState =
            serde_json::from_slice(&text).map_err(|e| BatchError::BadState {
                path: path.clone(),
                problem: e.to_string(),
            })?;
        if state.version != STATE_VERSION {
            return Err(BatchError::BadState {
                path,
                problem: format!(
                    "version {} (this grader writes version {STATE_VERSION})",
                    state.version
                ),
            });
        }
        Ok(Some(state))
    }

    /// Writes `OUT/batch.json` atomically.
    pub fn save(&self, out: &Path) -> Result<(), BatchError> {
        let path = out.join(FILE);
        files::write_atomically(&path, |w| {
            serde_json::to_writer_pretty(&mut *w, self).map_err(std::io::Error::other)?;
            writeln!(w)
        })
        .map_err(|e| BatchError::io(format!("writing {}", path.display()), e))
    }
}
