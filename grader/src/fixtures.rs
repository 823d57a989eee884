//! Broken submissions: [`BrokenSubmission`] reads the `broken.toml` beside
//! each one under `fixtures/broken/`, which says which exercise it breaks,
//! the mistake, and exactly which tests it must fail.
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::text::Phrase;

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

impl Expectation {
    /// Every way a grading of the broken submission departs from this
    /// expectation (a sentence each, shown in the reader's language);
    /// empty when the suite catches the mistake as it says.
    /// `built` tells whether its exercise built; `tests` holds each test's
    /// name and whether it failed.
    pub fn departures<'a>(
        &self,
        built: bool,
        tests: impl IntoIterator<Item = (&'a str, bool)>,
    ) -> Vec<Phrase> {
        let tests: Vec<(&str, bool)> = tests.into_iter().collect();
        let mut out = Vec::new();
        if !built {
            out.push(Phrase::new("broken-did-not-build"));
            return out;
        }
        if self.fails.is_empty() {
            out.push(Phrase::new("broken-names-no-test"));
        }
        for name in &self.fails {
            if !tests.iter().any(|(t, _)| t == name) {
                out.push(Phrase::new("broken-unknown-test").arg("test", name));
            }
        }
        let must_fail = |t: &str| self.fails.iter().any(|f| f == t);
        let passed: Vec<&str> = tests
            .iter()
            .filter(|(t, failed)| must_fail(t) && !failed)
            .map(|(t, _)| *t)
            .collect();
        let failed: Vec<&str> = tests
            .iter()
            .filter(|(t, failed)| !must_fail(t) && *failed)
            .map(|(t, _)| *t)
            .collect();
        if !passed.is_empty() {
            out.push(Phrase::new("broken-passed").arg("tests", passed.join(", ")));
        }
        if !failed.is_empty() {
            out.push(Phrase::new("broken-failed").arg("tests", failed.join(", ")));
        }
        out
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn expect(fails: &[&str]) -> Expectation {
        Expectation {
            exercise: "e".into(),
            mistake: "m".into(),
            fails: fails.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_caught_mistake_has_no_departures() {
        let got = expect(&["b"]).departures(true, [("a", false), ("b", true)]);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn every_departure_is_named() {
        let got = expect(&["b", "zz"]).departures(true, [("a", true), ("b", false)]);
        let got: Vec<String> = got.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            got,
            [
                "names unknown test `zz`",
                "passed b, which it must fail",
                "failed a, which it must pass"
            ]
        );
        assert_eq!(expect(&["a"]).departures(false, [("a", true)]).len(), 1);
        assert_eq!(expect(&[]).departures(true, [("a", false)]).len(), 1);
    }
}
