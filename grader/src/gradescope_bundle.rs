//! `grader gradescope-bundle OUT.zip`: [`write`] makes the autograder zip
//! Gradescope asks for (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>):
//! `setup.sh` and `run_autograder` at its root, and the course under
//! `socklings/`: the grader's source (every suite, hidden tests included:
//! the zip is for the instructor's Gradescope account, never for students),
//! `course.toml`, the lock file, the test data the suites embed
//! (`fixtures/` but for its broken and hostile submissions), the exercise
//! stubs (their dependencies are what student crates may use) and the cargo
//! alias. Never `solutions/`, the broken or hostile submissions, the
//! project's tests, or build output.
//!
//! Gradescope unpacks the zip into `/autograder/source` and runs `setup.sh`
//! once (it installs Rust and builds the grader), then `run_autograder` for
//! every submission, which grades `/autograder/submission` into
//! `/autograder/results/results.json` and writes a results file even when
//! the grader fails. `AUTOGRADER_ROOT` moves `/autograder` elsewhere.
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Gradescope's set-up script, run once when the image is built.
pub const SETUP_SH: &str = include_str!("gradescope_bundle/setup.sh");

/// The script Gradescope runs for every submission.
pub const RUN_AUTOGRADER: &str = include_str!("gradescope_bundle/run_autograder");

/// The folder of the zip (and of `/autograder/source`) holding the course.
pub const COURSE_DIR: &str = "socklings";

/// Folders of the course copied whole (but for build output and
/// [`LEFT_OUT`]), with their workspace member pattern.
const FOLDERS: [(&str, Option<&str>); 3] = [
    ("grader", Some("grader")),
    ("exercises", Some("exercises/*")),
    ("fixtures", None),
];

/// The project's own test submissions: the grader does not need them.
const LEFT_OUT: [&str; 2] = ["fixtures/broken", "fixtures/hostile"];

/// Files of the course copied as they are, when present.
const FILES: [&str; 3] = ["course.toml", "Cargo.lock", ".cargo/config.toml"];

/// Why the bundle could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The root is not a socklings course.
    #[error("`{}` is not a socklings course (no course.toml and grader/ there): pass the course's root with --root", .0.display())]
    NotACourse(PathBuf),
    /// The course's workspace manifest could not be used.
    #[error("the course's Cargo.toml: {0}")]
    Workspace(String),
    /// Reading the course failed.
    #[error("reading {}", .path.display())]
    Read {
        /// What was read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// Writing the zip failed.
    #[error("writing {}", .path.display())]
    Write {
        /// The zip.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

/// What went into the zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The files, by their path in the zip, in the zip's order.
    pub files: Vec<String>,
}

/// The root of the course this grader was built from.
pub fn default_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Writes the autograder zip of the course at `root` to `out` (under a
/// temporary name, then renamed).
pub fn write(root: &Path, out: &Path) -> Result<Summary, BundleError> {
    if !root.join("course.toml").is_file() || !root.join("grader").is_dir() {
        return Err(BundleError::NotACourse(root.to_path_buf()));
    }
    let mut entries: Vec<(String, Vec<u8>, u32)> = vec![
        ("setup.sh".into(), SETUP_SH.as_bytes().to_vec(), 0o755),
        (
            "run_autograder".into(),
            RUN_AUTOGRADER.as_bytes().to_vec(),
            0o755,
        ),
        (
            format!("{COURSE_DIR}/Cargo.toml"),
            workspace_manifest(root)?.into_bytes(),
            0o644,
        ),
    ];
    for file in FILES {
        let path = root.join(file);
        if path.is_file() {
            entries.push((
                format!("{COURSE_DIR}/{file}"),
                read(&path)?,
                mode_of(&path)?,
            ));
        }
    }
    for (folder, _) in FOLDERS {
        if root.join(folder).is_dir() {
            collect(root, folder, &mut entries)?;
        }
    }

    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let failed = |source: io::Error| BundleError::Write {
        path: out.to_path_buf(),
        source,
    };
    if out.is_dir() {
        return Err(failed(io::Error::other("it is a directory")));
    }
    if !parent.is_dir() {
        return Err(failed(io::Error::other(format!(
            "the folder {} does not exist",
            parent.display()
        ))));
    }
    let mut tmp = tempfile::NamedTempFile::new_in(parent).map_err(failed)?;
    {
        let mut zip = ZipWriter::new(tmp.as_file_mut());
        for (name, bytes, mode) in &entries {
            // The zip crate's default timestamp (1980) keeps bundles of the
            // same course byte for byte the same.
            let options = SimpleFileOptions::default()
                .compression_method(CompressionMethod::Deflated)
                .unix_permissions(*mode);
            zip.start_file(name.as_str(), options)
                .map_err(|e| failed(io::Error::other(e)))?;
            zip.write_all(bytes).map_err(failed)?;
        }
        zip.finish().map_err(|e| failed(io::Error::other(e)))?;
    }
    // A temporary file is private (0600); the zip is an ordinary file.
    tmp.as_file()
        .set_permissions(fs::Permissions::from_mode(0o644))
        .map_err(failed)?;
    tmp.as_file().sync_all().map_err(failed)?;
    tmp.persist(out).map_err(|e| failed(e.error))?;
    Ok(Summary {
        files: entries.into_iter().map(|(name, _, _)| name).collect(),
    })
}

/// The course's workspace without its root package (the project's own
/// tests, which need `solutions/` and `fixtures/`): the grader and the
/// exercise stubs, so the lock file keeps pinning what student crates use.
fn workspace_manifest(root: &Path) -> Result<String, BundleError> {
    let path = root.join("Cargo.toml");
    let text =
        String::from_utf8(read(&path)?).map_err(|_| BundleError::Workspace("not UTF-8".into()))?;
    let manifest: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| BundleError::Workspace(e.message().to_string()))?;
    let mut workspace = manifest
        .get("workspace")
        .and_then(|w| w.as_table())
        .cloned()
        .ok_or_else(|| BundleError::Workspace("it has no [workspace]".into()))?;
    workspace.insert(
        "members".into(),
        toml::Value::Array(
            FOLDERS
                .iter()
                .filter_map(|(_, member)| member.map(toml::Value::from))
                .collect(),
        ),
    );
    workspace.remove("exclude");
    let mut out = toml::Table::new();
    out.insert("workspace".into(), toml::Value::Table(workspace));
    if let Some(profile) = manifest.get("profile") {
        out.insert("profile".into(), profile.clone());
    }
    let body = toml::to_string(&out).map_err(|e| BundleError::Workspace(e.to_string()))?;
    Ok(format!(
        "# Written by `grader gradescope-bundle`: the course's workspace without\n\
         # the project's own tests.\n{}\n",
        body.trim_end()
    ))
}

/// Adds every file under `root/rel` (sorted; build output, hidden folders
/// and [`LEFT_OUT`] left out) as `socklings/rel/...`.
fn collect(
    root: &Path,
    rel: &str,
    entries: &mut Vec<(String, Vec<u8>, u32)>,
) -> Result<(), BundleError> {
    let dir = root.join(rel);
    let reading = |source| BundleError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut children: Vec<fs::DirEntry> = fs::read_dir(&dir)
        .map_err(reading)?
        .collect::<Result<_, _>>()
        .map_err(reading)?;
    children.sort_by_key(|e| e.file_name());
    for child in children {
        let name = child.file_name().to_string_lossy().into_owned();
        let child_rel = format!("{rel}/{name}");
        let path = child.path();
        let kind = child.file_type().map_err(reading)?;
        if kind.is_dir() {
            if name == "target" || name.starts_with('.') || LEFT_OUT.contains(&child_rel.as_str()) {
                continue;
            }
            collect(root, &child_rel, entries)?;
        } else if kind.is_file() {
            entries.push((
                format!("{COURSE_DIR}/{child_rel}"),
                read(&path)?,
                mode_of(&path)?,
            ));
        }
        // Symbolic links are left out: a zip cannot hold them portably.
    }
    Ok(())
}

fn read(path: &Path) -> Result<Vec<u8>, BundleError> {
    fs::read(path).map_err(|source| BundleError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// 0o755 for an executable file, 0o644 otherwise.
fn mode_of(path: &Path) -> Result<u32, BundleError> {
    let meta = fs::metadata(path).map_err(|source| BundleError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(if meta.permissions().mode() & 0o111 != 0 {
        0o755
    } else {
        0o644
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_keeps_the_grader_and_the_stubs_only() {
        let text = workspace_manifest(&default_root()).unwrap();
        let manifest: toml::Table = text.parse().unwrap();
        assert!(manifest.get("package").is_none(), "{text}");
        assert!(manifest.get("dev-dependencies").is_none(), "{text}");
        let members = manifest["workspace"]["members"].as_array().unwrap();
        assert_eq!(
            members,
            &vec![
                toml::Value::from("grader"),
                toml::Value::from("exercises/*")
            ]
        );
        assert!(manifest["workspace"].get("exclude").is_none());
    }
}
