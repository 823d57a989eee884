//! The course's dependencies compiled once per cache, not once per
//! submission: the build cache `--target-dir` names, or this user's
//! (`$TMPDIR/socklings-builds-<uid>/`, beside every submission's own
//! default build cache).
//!
//! Every submission builds into a target directory of its own (so that no
//! submission can ever be graded with another's program), and so compiles
//! the registry crates it depends on (libc, mio, socket2, ...) again. A
//! *seed* is a target directory the grader builds once per set of
//! dependency declarations, from a scratch workspace whose crates declare
//! exactly the dependencies (and features) of the submission's crates and
//! contain no code. Before a submission's first build, the seed's artifacts
//! of registry crates are copied into its new target directory; cargo finds
//! them fresh because their file names carry the hash of everything that
//! decides their content (package, version, features, profile, compiler).
//! The submission's own crates are never seeded: they are always compiled
//! from its files.
//!
//! A seed is written only by the grader's own build of the scratch
//! workspace; a submission's build (its build scripts are student code) may
//! write only its own target directory, snapshot and temporary directory,
//! never a seed.
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::GradeError;
use crate::toolchain::Toolchain;

/// The name every scratch crate's package starts with; its artifacts are
/// never copied into a submission's target directory.
const SEED_PACKAGE: &str = "socklings-seed";

/// The manifest keys of a crate that decide which registry crates are
/// built, and with which features.
const DEPENDENCY_KEYS: &[&str] = &[
    "dependencies",
    "build-dependencies",
    "dev-dependencies",
    "target",
    "features",
];

/// The dependency declarations of the crates of a snapshot, one TOML text
/// per crate that declares any, in the crates' order; empty when no crate
/// has a dependency.
pub fn declarations(snapshot: &Path, members: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for member in members {
        let Ok(text) = fs::read_to_string(snapshot.join(member).join("Cargo.toml")) else {
            continue;
        };
        let Ok(table) = toml::from_str::<toml::Table>(&text) else {
            continue;
        };
        let mut kept = toml::Table::new();
        for key in DEPENDENCY_KEYS {
            if let Some(value) = table.get(*key) {
                kept.insert((*key).to_string(), value.clone());
            }
        }
        let declares = ["dependencies", "build-dependencies", "target"]
            .iter()
            .any(|k| {
                kept.get(*k)
                    .is_some_and(|v| v.as_table().is_none_or(|t| !t.is_empty()))
            });
        if declares {
            out.push(kept.to_string());
        }
    }
    out.sort();
    out
}

/// Copies into `target` (a submission's new target directory) the registry
/// crates' artifacts of the seed for `declarations`, building the seed
/// first if this cache has none. Does nothing when there is nothing to
/// declare; a seed that cannot be built only costs the speed-up.
pub fn seed(
    toolchain: &Toolchain,
    cache: &Path,
    declarations: &[String],
    target: &Path,
    timeout: Duration,
) -> Result<(), GradeError> {
    if declarations.is_empty() {
        return Ok(());
    }
    let Some(built) = ensure_seed(toolchain, cache, declarations, timeout)? else {
        return Ok(());
    };
    for part in ["deps", "build", ".fingerprint"] {
        copy_artifacts(
            &built.join("debug").join(part),
            &target.join("debug").join(part),
        )
        .map_err(|e| GradeError::io("copying the course's compiled dependencies", e))?;
    }
    Ok(())
}

/// The seed's target directory for `declarations`, built if need be;
/// `None` when its build failed.
fn ensure_seed(
    toolchain: &Toolchain,
    cache: &Path,
    declarations: &[String],
    timeout: Duration,
) -> Result<Option<PathBuf>, GradeError> {
    // The compiler too: a seed's artifacts are named after it, and one
    // built by another compiler would be copied in vain.
    let mut key = crate::toolchain::COURSE_LOCK.to_string();
    key.push('\0');
    key.push_str(&toolchain.stamp());
    for d in declarations {
        key.push('\0');
        key.push_str(d);
    }
    let root = cache
        .join("dependency-seeds")
        .join(format!("{:016x}", crate::builder::text_hash(&key)));
    let ready = root.join("ready");
    let target = root.join("targets").join("workspace");
    if ready.exists() {
        return Ok(Some(target));
    }
    let _lock = crate::builder::hold_lock(&root, "lock", &root)?;
    if ready.exists() {
        return Ok(Some(target));
    }
    if fs::read_to_string(root.join("failed")).is_ok() {
        return Ok(None);
    }
    let workspace = root.join("snapshots").join("workspace");
    if workspace.exists() {
        fs::remove_dir_all(&workspace)
            .map_err(|e| GradeError::io("clearing a dependency seed", e))?;
    }
    let mut names = Vec::new();
    for (i, declared) in declarations.iter().enumerate() {
        let name = format!("{SEED_PACKAGE}-{i}");
        let dir = workspace.join(&name);
        fs::create_dir_all(dir.join("src"))
            .map_err(|e| GradeError::io("writing a dependency seed", e))?;
        let manifest = format!(
            "# The grader's scratch crate: the dependencies of a submission's crate, no code.\n\
             [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n{declared}"
        );
        fs::write(dir.join("Cargo.toml"), manifest)
            .and_then(|()| fs::write(dir.join("src").join("main.rs"), "fn main() {}\n"))
            .map_err(|e| GradeError::io("writing a dependency seed", e))?;
        names.push(name);
    }
    let members: Vec<&str> = names.iter().map(String::as_str).collect();
    let built = crate::builder::cargo_build(toolchain, &root, &workspace, &members, timeout)?;
    if built.executables.len() != members.len() {
        // Not a failure of any submission: each builds its dependencies
        // itself, as without a seed.
        let _ = fs::write(root.join("failed"), built.stderr);
        return Ok(None);
    }
    fs::write(&ready, "").map_err(|e| GradeError::io("marking a dependency seed built", e))?;
    Ok(Some(target))
}

/// Copies the entries of `from` into `to` (nothing when `from` is not
/// there), except the scratch crates' own, keeping modification times
/// (cargo compares them between units).
fn copy_artifacts(from: &Path, to: &Path) -> std::io::Result<()> {
    match fs::symlink_metadata(from) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    let underscored = SEED_PACKAGE.replace('-', "_");
    let scratch = |name: &std::ffi::OsStr, _is_dir: bool| {
        let text = name.to_string_lossy();
        text.starts_with(SEED_PACKAGE) || text.starts_with(&underscored)
    };
    crate::builder::copy_tree(from, to, &scratch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(crates: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, manifest) in crates {
            fs::create_dir_all(dir.path().join(name)).unwrap();
            fs::write(dir.path().join(name).join("Cargo.toml"), manifest).unwrap();
        }
        dir
    }

    #[test]
    fn crates_without_dependencies_need_no_seed() {
        let dir = snapshot(&[
            ("a", "[package]\nname = \"a\"\n"),
            ("b", "[package]\nname = \"b\"\n[dependencies]\n"),
        ]);
        assert!(declarations(dir.path(), &["a", "b"]).is_empty());
    }

    #[test]
    fn declarations_keep_versions_and_features_and_ignore_the_rest() {
        let dir = snapshot(&[
            (
                "a",
                "[package]\nname = \"a\"\nversion = \"1.0.0\"\n\
                 [dependencies]\nmio = { version = \"1\", features = [\"net\"] }\n\
                 [features]\nfast = []\n",
            ),
            ("b", "[package]\nname = \"b\"\n"),
            (
                "c",
                "[package]\nname = \"c\"\n[dependencies]\nlibc = \"0.2\"\n",
            ),
        ]);
        let found = declarations(dir.path(), &["a", "b", "c"]);
        assert_eq!(found.len(), 2, "{found:?}");
        let all = found.join("\n");
        assert!(all.contains("features = [\"net\"]"), "{all}");
        assert!(all.contains("fast = []"), "{all}");
        assert!(all.contains("libc = \"0.2\""), "{all}");
        assert!(!all.contains("version = \"1.0.0\""), "{all}");
        // The same crates in another order: the same seed.
        assert_eq!(declarations(dir.path(), &["c", "b", "a"]), found);
    }
}
