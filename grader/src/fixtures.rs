//! Broken submissions: [`BrokenSubmission`] reads the `broken.toml` beside
//! each one under `fixtures/broken/`, which says which exercise it breaks,
//! the mistake, and exactly which tests it must fail.
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The expectation file of a broken submission.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// The exercise it breaks (its only crate).
    pub exercise: String,
    /// The student mistake it stands for.
    pub mistake: String,
    /// Exactly the tests that must fail; every other test must pass.
    pub fails: Vec<String>,
}

/// One broken submission.
#[derive(Debug, Clone)]
pub struct BrokenSubmission {
    /// Its directory (a submission: holds one exercise crate).
    pub dir: PathBuf,
    /// What it must do.
    pub expect: Expectation,
}

/// Finds every broken submission under `root` (`fixtures/broken`), sorted.
pub fn broken_submissions(root: &Path) -> Result<Vec<BrokenSubmission>, String> {
    let mut found = Vec::new();
    walk(root, &mut found)?;
    found.sort_by(|a, b| a.dir.cmp(&b.dir));
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<BrokenSubmission>) -> Result<(), String> {
    let expect_path = dir.join("broken.toml");
    if expect_path.is_file() {
        let text = std::fs::read_to_string(&expect_path)
            .map_err(|e| format!("{}: {e}", expect_path.display()))?;
        let expect: Expectation = toml::from_str(&text)
            .map_err(|e| format!("{}: {}", expect_path.display(), e.message()))?;
        found.push(BrokenSubmission {
            dir: dir.to_path_buf(),
            expect,
        });
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            walk(&entry.path(), found)?;
        }
    }
    Ok(())
}
