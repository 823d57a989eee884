//! Cargo's answers about the compiler, asked once per user and toolchain,
//! not once per submission.
//!
//! Before its first build in a target directory, cargo asks the compiler
//! who it is (`rustc -vV`) and what the host system's file names and
//! `cfg` values are (two more runs of `rustc`), and keeps the answers in
//! the target directory's `.rustc_info.json`, under a fingerprint of the
//! compiler. Every submission builds into a target directory of its own, so
//! a self-check or a class paid those three runs (~60 ms of CPU, a quarter
//! of a small crate's build) for every submission. [`seed`] gives a new
//! target directory the answers of a build the grader made itself, of a
//! crate with no program (nothing is compiled), kept in this user's build
//! caches; a file cargo finds stale (another compiler) it asks again and
//! rewrites, as without a seed.
//!
//! The answers come only from the grader's own build: a submission's build
//! runs student code (build scripts) that may write its target directory,
//! and what it leaves there is never handed to another submission.
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::GradeError;
use crate::toolchain::Toolchain;

/// The file cargo keeps its answers in, in a target directory.
const FILE: &str = ".rustc_info.json";

/// Gives `target` (a submission's new target directory) cargo's answers
/// about `toolchain`'s compiler, asking them first if `root` (this user's
/// build caches) has none. Does nothing when `target` has answers already;
/// answers that cannot be had only cost the speed-up.
pub fn seed(toolchain: &Toolchain, root: &Path, target: &Path, timeout: Duration) {
    let into = target.join(FILE);
    if into.exists() {
        return;
    }
    let Ok(Some(answers)) = ensure(toolchain, root, timeout) else {
        return;
    };
    let _ = fs::create_dir_all(target).and_then(|()| fs::copy(&answers, &into));
}

/// The file of answers for `toolchain` under `root`, asked if need be;
/// `None` when the grader's build did not leave one.
fn ensure(
    toolchain: &Toolchain,
    root: &Path,
    timeout: Duration,
) -> Result<Option<PathBuf>, GradeError> {
    let key = format!(
        "{}\n{}\n{}",
        toolchain.cargo.display(),
        toolchain.rustc.display(),
        toolchain.cargo_home.display()
    );
    let dir = root
        .join("rustc-info")
        .join(format!("{:016x}", crate::builder::text_hash(&key)));
    let answers = dir.join("answers.json");
    if answers.is_file() {
        return Ok(Some(answers));
    }
    let _lock = crate::builder::hold_lock(&dir, "lock", &dir)?;
    if answers.is_file() {
        return Ok(Some(answers));
    }
    let workspace = dir.join("snapshots").join("workspace");
    if workspace.exists() {
        fs::remove_dir_all(&workspace)
            .map_err(|e| GradeError::io("clearing the compiler's answers", e))?;
    }
    let krate = workspace.join("socklings-probe");
    fs::create_dir_all(krate.join("src"))
        .and_then(|()| {
            fs::write(
                krate.join("Cargo.toml"),
                "# The grader's scratch crate: no program, so nothing is compiled.\n\
                 [package]\nname = \"socklings-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n",
            )
        })
        .and_then(|()| fs::write(krate.join("src").join("lib.rs"), ""))
        .map_err(|e| GradeError::io("writing the compiler's probe", e))?;
    crate::builder::cargo_build(toolchain, &dir, &workspace, &["socklings-probe"], timeout)?;
    let made = crate::builder::target_dir(&dir, &workspace).join(FILE);
    // Whole or not at all: a copy under another name, then renamed.
    let partial = dir.join("answers.json.partial");
    if fs::copy(&made, &partial).is_err() || fs::rename(&partial, &answers).is_err() {
        return Ok(None);
    }
    Ok(Some(answers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_target_directory_gets_answers_cargo_takes_whole() {
        let toolchain = Toolchain::locate().unwrap();
        let root = tempfile::tempdir().unwrap();
        let cache = root.path().join("cache");
        let snapshot = cache.join("snapshots").join("one");
        let krate = snapshot.join("hello");
        fs::create_dir_all(krate.join("src")).unwrap();
        fs::write(
            krate.join("Cargo.toml"),
            "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        )
        .unwrap();
        fs::write(krate.join("src").join("main.rs"), "fn main() {}\n").unwrap();
        let target = crate::builder::target_dir(&cache, &snapshot);
        let timeout = Duration::from_secs(120);

        seed(&toolchain, root.path(), &target, timeout);
        let seeded = fs::read(target.join(FILE)).expect("no answers in the new target");
        let built = crate::builder::cargo_build(&toolchain, &cache, &snapshot, &["hello"], timeout)
            .unwrap();
        assert!(built.executables.contains_key("hello"), "{}", built.stderr);
        // Cargo rewrites the file when it had to ask something more.
        assert_eq!(fs::read(target.join(FILE)).unwrap(), seeded);

        // A target with answers of its own keeps them.
        let other = cache.join("targets").join("other");
        fs::create_dir_all(&other).unwrap();
        fs::write(other.join(FILE), "{}").unwrap();
        seed(&toolchain, root.path(), &other, timeout);
        assert_eq!(fs::read_to_string(other.join(FILE)).unwrap(), "{}");
    }
}
