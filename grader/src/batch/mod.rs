//! Grading a whole class: `grader batch SUBMISSIONS --out OUT` grades one
//! submission per student (a directory, a git repository or an archive) and
//! writes [`state::BatchState`] (`batch.json`), `gradebook.csv`,
//! `results/<student>.json`, `feedback/<student>.md` and `report.html`;
//! `grader merge` joins the outputs of several `--shard K/N` runs.
//!
//! Each student is graded in-process by [`crate::pipeline::grade`], one
//! after the other, into one build cache shared by the class; a student's
//! broken build, crash or refused archive becomes that student's status and
//! the batch goes on.
use std::path::{Path, PathBuf};

use crate::error::GradeError;
use crate::text::{fmt, Arg, Lang};

pub mod entry;
pub mod feedback;
pub mod files;
pub mod git;
pub mod gradebook;
pub mod html;
pub mod interrupt;
pub mod merge;
pub mod outputs;
pub mod run;
pub mod shard;
pub mod state;
pub mod student;
pub mod time;
pub mod unpack;
pub mod view;

pub use merge::{merge, MergeOptions, Merged};
pub use run::{run, BatchOptions, Batched};

/// The exit code of a batch stopped by Ctrl-C or `SIGTERM` (128 + SIGINT).
pub const EXIT_INTERRUPTED: i32 = 130;

/// A problem with the batch's input that stops it before it grades anyone.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The SUBMISSIONS folder cannot be read.
    #[error("cannot read the submissions folder `{}`: {error}", path.display())]
    Submissions {
        /// The folder.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// An entry's name is not UTF-8, so it cannot be a student id.
    #[error("`{}` is not named in UTF-8: rename it to the student's id", .0.display())]
    NotUtf8(PathBuf),
    /// Two entries are named for the same student.
    #[error("student `{id}` is in the submissions twice (`{}` and `{}`): keep one", first.display(), second.display())]
    DuplicateStudent {
        /// The student id.
        id: String,
        /// One entry.
        first: PathBuf,
        /// The other.
        second: PathBuf,
    },
    /// `--deadline` is not an RFC 3339 time.
    #[error("--deadline: {0}")]
    BadDeadline(String),
    /// OUT lies inside SUBMISSIONS, where it would be taken for a student.
    #[error("--out `{}` is inside the submissions folder: choose a directory outside it", .0.display())]
    OutInsideSubmissions(PathBuf),
    /// OUT exists and is not a directory.
    #[error("--out `{}` is not a directory", .0.display())]
    OutNotADirectory(PathBuf),
    /// `batch.json` cannot be used.
    #[error("{} cannot be used ({problem}): remove it, or choose another --out", path.display())]
    BadState {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// A merge input is not the output of `grader batch`.
    #[error("`{}` is not the output of `grader batch` (it has no batch.json)", .0.display())]
    NotABatch(PathBuf),
    /// Two merge inputs were graded with different settings.
    #[error("`{}` was graded with other settings than `{}` ({what}): merge only the shards of one batch", other.display(), first.display())]
    MergeMismatch {
        /// The first input.
        first: PathBuf,
        /// The input that differs.
        other: PathBuf,
        /// What differs.
        what: String,
    },
    /// A student is in two merge inputs.
    #[error("student `{id}` is in both `{}` and `{}`: merge each shard once", first.display(), second.display())]
    MergeDuplicate {
        /// The student id.
        id: String,
        /// One input.
        first: PathBuf,
        /// The other.
        second: PathBuf,
    },
    /// The merge output is one of its inputs.
    #[error("--out `{}` is one of the inputs: write the merge to a new directory", .0.display())]
    MergeIntoInput(PathBuf),
    /// A results file of OUT cannot be read back.
    #[error("{} cannot be read back ({problem}): grade the batch again", path.display())]
    BadResults {
        /// The file.
        path: PathBuf,
        /// Why.
        problem: String,
    },
    /// The course, an `--only` or a `--test` name.
    #[error(transparent)]
    Grade(#[from] GradeError),
    /// An I/O error of the grader itself.
    #[error("{what}: {error}")]
    Io {
        /// What the grader was doing.
        what: String,
        /// The underlying error.
        error: std::io::Error,
    },
}

impl BatchError {
    /// The error in `lang`, in one line (the English one is its `Display`;
    /// what it quotes, such as an I/O error, stays as it is).
    pub fn show(&self, lang: Lang) -> String {
        let path = |p: &Path| -> Arg { p.display().to_string().into() };
        match self {
            BatchError::Submissions { path: p, error } => fmt(
                lang,
                "batch-error-submissions",
                &[("path", path(p)), ("error", error.to_string().into())],
            ),
            BatchError::NotUtf8(p) => fmt(lang, "batch-error-not-utf8", &[("path", path(p))]),
            BatchError::DuplicateStudent { id, first, second } => fmt(
                lang,
                "batch-error-duplicate",
                &[
                    ("id", id.into()),
                    ("first", path(first)),
                    ("second", path(second)),
                ],
            ),
            BatchError::BadDeadline(problem) => {
                fmt(lang, "batch-error-deadline", &[("problem", problem.into())])
            }
            BatchError::OutInsideSubmissions(p) => {
                fmt(lang, "batch-error-out-inside", &[("path", path(p))])
            }
            BatchError::OutNotADirectory(p) => {
                fmt(lang, "batch-error-out-not-dir", &[("path", path(p))])
            }
            BatchError::BadState { path: p, problem } => fmt(
                lang,
                "batch-error-bad-state",
                &[("path", path(p)), ("problem", problem.into())],
            ),
            BatchError::NotABatch(p) => fmt(lang, "batch-error-not-a-batch", &[("path", path(p))]),
            BatchError::MergeMismatch { first, other, what } => fmt(
                lang,
                "batch-error-merge-mismatch",
                &[
                    ("other", path(other)),
                    ("first", path(first)),
                    ("what", what.into()),
                ],
            ),
            BatchError::MergeDuplicate { id, first, second } => fmt(
                lang,
                "batch-error-merge-duplicate",
                &[
                    ("id", id.into()),
                    ("first", path(first)),
                    ("second", path(second)),
                ],
            ),
            BatchError::MergeIntoInput(p) => {
                fmt(lang, "batch-error-merge-into-input", &[("path", path(p))])
            }
            BatchError::BadResults { path: p, problem } => fmt(
                lang,
                "batch-error-bad-results",
                &[("path", path(p)), ("problem", problem.into())],
            ),
            BatchError::Grade(e) => e.show(lang),
            BatchError::Io { what, error } => fmt(
                lang,
                "error-io",
                &[("what", what.into()), ("source", error.to_string().into())],
            ),
        }
    }

    /// Wraps an I/O error with what the grader was doing.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        BatchError::Io {
            what: what.into(),
            error: source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_says_the_same_in_english_as_its_display() {
        let p = || PathBuf::from("subs/a b");
        let io = || std::io::Error::other("denied");
        let errors = [
            BatchError::Submissions {
                path: p(),
                error: io(),
            },
            BatchError::NotUtf8(p()),
            BatchError::DuplicateStudent {
                id: "s1".into(),
                first: p(),
                second: p(),
            },
            BatchError::BadDeadline("not a time".into()),
            BatchError::OutInsideSubmissions(p()),
            BatchError::OutNotADirectory(p()),
            BatchError::BadState {
                path: p(),
                problem: "truncated".into(),
            },
            BatchError::NotABatch(p()),
            BatchError::MergeMismatch {
                first: p(),
                other: p(),
                what: "seed 1 and 2".into(),
            },
            BatchError::MergeDuplicate {
                id: "s1".into(),
                first: p(),
                second: p(),
            },
            BatchError::MergeIntoInput(p()),
            BatchError::BadResults {
                path: p(),
                problem: "truncated".into(),
            },
            BatchError::Grade(GradeError::UnknownExercise("x".into())),
            BatchError::io("creating out", io()),
        ];
        for e in &errors {
            assert_eq!(e.show(Lang::En), e.to_string());
            let zh = e.show(Lang::Zh);
            assert_ne!(zh, e.to_string(), "{e:?} is not said in Chinese");
        }
    }
}
