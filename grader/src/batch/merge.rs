//! `grader merge OUT_1 OUT_2 ... --out OUT`: joins the outputs of several
//! `grader batch --shard K/N` runs (each a `batch.json` with results and
//! feedback files) into one output, and renders its gradebook and report
//! again from the results files.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::outputs::{self, Summary};
use super::state::{BatchState, StudentStatus};
use super::student::{feedback_path, results_path};
use super::{files, BatchError};

/// What to merge, and where.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// The outputs of `grader batch` to join (one per shard).
    pub inputs: Vec<PathBuf>,
    /// Where the joined gradebook, results, feedback and report go.
    pub out: PathBuf,
}

/// What a merge wrote.
#[derive(Debug, Clone)]
pub struct Merged {
    /// OUT, resolved.
    pub out: PathBuf,
    /// Students in the merged outputs.
    pub students: usize,
    /// Outputs joined.
    pub inputs: usize,
    /// The students by status.
    pub summary: Summary,
    /// The shards (`K/N`) of an `N`-shard batch that were not among the
    /// inputs: their students are not in the gradebook.
    pub missing_shards: Vec<String>,
}

/// Merges.
pub fn merge(args: &MergeOptions) -> anyhow::Result<Merged> {
    let mut inputs: Vec<(PathBuf, BatchState)> = Vec::new();
    for path in &args.inputs {
        let state = BatchState::load(path)?.ok_or_else(|| BatchError::NotABatch(path.clone()))?;
        if let Some((first, first_state)) = inputs.first() {
            if let Some(what) = difference(&first_state.settings, &state.settings) {
                return Err(BatchError::MergeMismatch {
                    first: first.clone(),
                    other: path.clone(),
                    what,
                }
                .into());
            }
        }
        inputs.push((path.clone(), state));
    }
    if args.out.exists() && !args.out.is_dir() {
        return Err(BatchError::OutNotADirectory(args.out.clone()).into());
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| BatchError::io(format!("creating {}", args.out.display()), e))?;
    let out = args
        .out
        .canonicalize()
        .map_err(|e| BatchError::io(format!("reading {}", args.out.display()), e))?;
    for (path, _) in &inputs {
        if path.canonicalize().is_ok_and(|p| p == out) {
            return Err(BatchError::MergeIntoInput(args.out.clone()).into());
        }
    }

    let settings = inputs[0].1.settings.clone();
    let mut merged = BatchState::new(settings, None);
    let mut origin: BTreeMap<String, &Path> = BTreeMap::new();
    for (path, state) in &inputs {
        for (id, record) in &state.students {
            if let Some(first) = origin.get(id) {
                return Err(BatchError::MergeDuplicate {
                    id: id.clone(),
                    first: first.to_path_buf(),
                    second: path.clone(),
                }
                .into());
            }
            origin.insert(id.clone(), path);
            if record.status != StudentStatus::Error {
                copy(&results_path(path, id), &results_path(&out, id))?;
            }
            copy(&feedback_path(path, id), &feedback_path(&out, id))?;
            merged.students.insert(id.clone(), record.clone());
        }
    }
    let missing_shards = missing_shards(&inputs);
    merged.save(&out)?;
    let ids: Vec<String> = merged.students.keys().cloned().collect();
    let summary = outputs::write(&out, &merged, &ids)?;
    Ok(Merged {
        out,
        students: ids.len(),
        inputs: inputs.len(),
        summary,
        missing_shards,
    })
}

/// What differs between two batches' settings, if anything.
fn difference(a: &super::state::Settings, b: &super::state::Settings) -> Option<String> {
    if a.grader_version != b.grader_version {
        return Some(format!(
            "grader {} and {}",
            a.grader_version, b.grader_version
        ));
    }
    if a.seed != b.seed {
        return Some(format!("seed {} and {}", a.seed, b.seed));
    }
    if a.exercises != b.exercises {
        return Some("other exercises".into());
    }
    if a.tests != b.tests {
        return Some("other --test names".into());
    }
    if a.deadline != b.deadline {
        return Some("another deadline".into());
    }
    None
}

/// Copies a file atomically.
fn copy(from: &Path, to: &Path) -> Result<(), BatchError> {
    let bytes = std::fs::read(from)
        .map_err(|e| BatchError::io(format!("reading {}", from.display()), e))?;
    files::write_bytes(to, &bytes)
        .map_err(|e| BatchError::io(format!("writing {}", to.display()), e))
}

/// The shards of an `N`-shard batch that were not given (none when the
/// inputs are not all shards of `N`).
fn missing_shards(inputs: &[(PathBuf, BatchState)]) -> Vec<String> {
    let shards: Vec<_> = inputs.iter().filter_map(|(_, s)| s.shard).collect();
    let Some(count) = shards.first().map(|s| s.count) else {
        return Vec::new();
    };
    if shards.len() != inputs.len() || shards.iter().any(|s| s.count != count) {
        return Vec::new();
    }
    (1..=count)
        .filter(|k| !shards.iter().any(|s| s.index == *k))
        .map(|k| format!("{k}/{count}"))
        .collect()
}
