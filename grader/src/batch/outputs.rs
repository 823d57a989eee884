//! The class-wide files of OUT, rendered from `batch.json` and the results
//! files (so `grader batch` and `grader merge` write them the same way):
//! `gradebook.csv` and `report.html`.
use std::path::Path;

use super::html::{self, Student};
use super::state::{BatchState, StudentRecord, StudentStatus};
use super::student::results_path;
use super::view::ResultsView;
use super::{files, gradebook, BatchError};
use crate::text::{fmt, Lang};

/// How many students ended in each status.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    /// `graded`.
    pub graded: usize,
    /// `build_failed`.
    pub build_failed: usize,
    /// `empty`.
    pub empty: usize,
    /// `error`.
    pub error: usize,
}

impl Summary {
    /// The counts in a line, in `lang` (in English the statuses' names are
    /// the gradebook's).
    pub fn show(&self, lang: Lang) -> String {
        fmt(
            lang,
            "batch-summary",
            &[
                ("graded", self.graded.into()),
                ("build_failed", self.build_failed.into()),
                ("empty", self.empty.into()),
                ("error", self.error.into()),
            ],
        )
    }
}

/// Writes `gradebook.csv` and `report.html` for the students `ids` of `state`.
pub fn write(out: &Path, state: &BatchState, ids: &[String]) -> Result<Summary, BatchError> {
    let records: Vec<&StudentRecord> = ids.iter().filter_map(|id| state.students.get(id)).collect();
    let mut views: Vec<Option<ResultsView>> = Vec::new();
    let mut summary = Summary::default();
    for r in &records {
        match r.status {
            StudentStatus::Graded => summary.graded += 1,
            StudentStatus::BuildFailed => summary.build_failed += 1,
            StudentStatus::Empty => summary.empty += 1,
            StudentStatus::Error => summary.error += 1,
        }
        if r.status == StudentStatus::Error {
            views.push(None);
            continue;
        }
        let path = results_path(out, &r.id);
        let bytes = std::fs::read(&path).map_err(|e| BatchError::BadResults {
            path: path.clone(),
            problem: e.to_string(),
        })?;
        let view = ResultsView::parse(&bytes).map_err(|problem| BatchError::BadResults {
            path: path.clone(),
            problem,
        })?;
        views.push(Some(view));
    }

    let path = out.join("gradebook.csv");
    files::write_atomically(&path, |w| gradebook::write(state, &records, w))
        .map_err(|e| BatchError::io(format!("writing {}", path.display()), e))?;

    let students: Vec<Student<'_>> = records
        .iter()
        .zip(&views)
        .map(|(record, results)| Student {
            record,
            results: results.as_ref(),
        })
        .collect();
    let lang = state
        .settings
        .lang
        .as_deref()
        .and_then(crate::text::Lang::parse)
        .unwrap_or_default();
    let page = html::render(&state.settings, &students, lang);
    let path = out.join("report.html");
    files::write_bytes(&path, page.as_bytes())
        .map_err(|e| BatchError::io(format!("writing {}", path.display()), e))?;
    Ok(summary)
}
