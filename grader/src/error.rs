//! Errors of the grader's stages; [`GradeError`] is what stops a grading run.
use std::path::PathBuf;

use crate::text::{fmt, Lang};

/// An error that stops the grader before it can produce a report.
#[derive(Debug, thiserror::Error)]
pub enum GradeError {
    /// The course manifest could not be read or is inconsistent.
    #[error("course manifest: {0}")]
    Manifest(String),
    /// The submission directory does not exist or is not a directory.
    #[error("submission directory `{}` not found: pass the directory that holds the exercise crates (such as `exercises`)", .0.display())]
    SubmissionMissing(PathBuf),
    /// An exercise named on the command line is not in the course.
    #[error("no exercise named `{0}` in the course (see `grader list`)")]
    UnknownExercise(String),
    /// A test named on the command line is in none of the selected exercises.
    #[error("no test named `{0}` in the selected exercises")]
    UnknownTest(String),
    /// An I/O error of the grader itself (temporary directories, snapshots).
    #[error("{what}: {source}")]
    Io {
        /// What the grader was doing.
        what: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// `--sandbox strict` was asked for and some layer is unavailable.
    #[error(
        "--sandbox strict: not every sandbox layer is available here ({0}); see `grader doctor`"
    )]
    SandboxIncomplete(String),
    /// The toolchain or the course's dependencies cannot be had.
    #[error("{0}")]
    Toolchain(String),
    /// cargo could not be started at all.
    #[error("could not run cargo (`{program}`): {source}")]
    CargoMissing {
        /// The program that was tried.
        program: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl GradeError {
    /// The error in `lang`, in one line (the English one is its `Display`).
    pub fn show(&self, lang: Lang) -> String {
        match self {
            GradeError::Manifest(problem) => {
                fmt(lang, "error-manifest", &[("problem", problem.into())])
            }
            GradeError::SubmissionMissing(dir) => fmt(
                lang,
                "error-submission-missing",
                &[("dir", dir.display().to_string().into())],
            ),
            GradeError::UnknownExercise(name) => {
                fmt(lang, "error-unknown-exercise", &[("name", name.into())])
            }
            GradeError::UnknownTest(name) => {
                fmt(lang, "error-unknown-test", &[("name", name.into())])
            }
            GradeError::Io { what, source } => fmt(
                lang,
                "error-io",
                &[("what", what.into()), ("source", source.to_string().into())],
            ),
            GradeError::SandboxIncomplete(layers) => fmt(
                lang,
                "error-sandbox-incomplete",
                &[("layers", layers.into())],
            ),
            GradeError::Toolchain(problem) => {
                fmt(lang, "error-toolchain", &[("problem", problem.into())])
            }
            GradeError::CargoMissing { program, source } => fmt(
                lang,
                "error-cargo-missing",
                &[
                    ("program", program.into()),
                    ("source", source.to_string().into()),
                ],
            ),
        }
    }

    /// Wraps an I/O error with what the grader was doing.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        GradeError::Io {
            what: what.into(),
            source,
        }
    }
}
