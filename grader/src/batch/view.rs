//! [`ResultsView`]: the part of a results file (`OUT/results/<student>.json`,
//! the JSON report of `grader grade`) that the gradebook, the feedback and
//! the class report need, read back with serde.
//!
//! The batch reads its own results files rather than the in-memory
//! [`crate::report::Report`], so that `grader merge` (which has only the
//! files) and `grader batch` render from the same data. A view instead of
//! `Deserialize` on `Report`: the report's structured failures (bytes,
//! transcripts) do not round-trip exactly, and the view tolerates fields
//! added to the report later. Its fields have the report's own types
//! ([`Status`], [`Cause`], [`BuildStatus`], [`Visibility`]).
use serde::Deserialize;

use crate::model::{Cause, Visibility};
use crate::report::{BuildStatus, Status};

/// A results file, as far as the batch needs it.
#[derive(Debug, Clone, Deserialize)]
pub struct ResultsView {
    /// The grader that wrote it.
    pub grader_version: String,
    /// Points earned.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
    /// The exercises, in teaching order.
    pub exercises: Vec<ExerciseView>,
}

/// One exercise of a results file.
#[derive(Debug, Clone, Deserialize)]
pub struct ExerciseView {
    /// Its name.
    pub name: String,
    /// Its English title.
    #[serde(default)]
    pub title: String,
    /// Points earned.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
    /// How its build went.
    pub build: BuildStatus,
    /// The compiler's messages when the build failed.
    #[serde(default)]
    pub build_message: Option<String>,
    /// Its tests.
    pub tests: Vec<TestView>,
}

/// One test of a results file.
#[derive(Debug, Clone, Deserialize)]
pub struct TestView {
    /// Its name.
    pub name: String,
    /// Passed, failed or not run.
    pub status: Status,
    /// Why it failed.
    #[serde(default)]
    pub cause: Option<Cause>,
    /// Points earned.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
    /// Who sees its details.
    pub visibility: Visibility,
    /// The feedback as plain text.
    #[serde(default)]
    pub message: String,
}

impl ResultsView {
    /// Parses a results file's bytes.
    pub fn parse(bytes: &[u8]) -> Result<ResultsView, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }
}

impl TestView {
    /// Whether students see its details.
    pub fn is_visible(&self) -> bool {
        self.visibility == Visibility::Visible
    }
}
