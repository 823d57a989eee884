//! [`Entry`]: one student's submission in the SUBMISSIONS folder, named by
//! the student id: a directory, a git repository or an archive; and the
//! [`content_digest`] that tells a re-run whether it changed.
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::git;
use super::time::{self, Instant};
use super::BatchError;

/// What kind of submission an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A directory laid out like `exercises/`, or a copy of the student
    /// repository holding `exercises/`.
    Directory,
    /// A git repository (working copy or bare), graded at a commit; the
    /// path is its git data.
    Git(PathBuf),
    /// A `.zip` archive.
    Zip,
    /// A `.tar.gz` (or `.tgz`) archive.
    TarGz,
    /// Something the batch cannot grade; the text says what.
    Unsupported(String),
}

impl Kind {
    /// The name recorded for the student (`directory`, `git`, `zip`, `tar.gz`).
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Directory => "directory",
            Kind::Git(_) => "git",
            Kind::Zip => "zip",
            Kind::TarGz => "tar.gz",
            Kind::Unsupported(_) => "unsupported",
        }
    }
}

/// One student's submission.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The student id: the entry's name without an archive extension.
    pub id: String,
    /// Where it is.
    pub path: PathBuf,
    /// What it is.
    pub kind: Kind,
}

/// Names in SUBMISSIONS that are not students: hidden files, and the
/// folders archive tools add.
fn ignored(name: &str) -> bool {
    name.starts_with('.') || name == "__MACOSX"
}

/// The entries of `dir`, sorted by student id. Two entries for the same
/// student, or a name that is not UTF-8, stop the batch before it starts.
pub fn discover(dir: &Path) -> Result<Vec<Entry>, BatchError> {
    let read = fs::read_dir(dir).map_err(|e| BatchError::Submissions {
        path: dir.to_path_buf(),
        error: e,
    })?;
    let mut entries: Vec<Entry> = Vec::new();
    for e in read {
        let e = e.map_err(|e| BatchError::Submissions {
            path: dir.to_path_buf(),
            error: e,
        })?;
        let path = e.path();
        let Some(name) = e.file_name().to_str().map(str::to_string) else {
            return Err(BatchError::NotUtf8(path));
        };
        if ignored(&name) {
            continue;
        }
        let (id, kind) = classify(&path, &name);
        if let Some(other) = entries.iter().find(|x| x.id == id) {
            return Err(BatchError::DuplicateStudent {
                id,
                first: other.path.clone(),
                second: path,
            });
        }
        entries.push(Entry { id, path, kind });
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(entries)
}

fn classify(path: &Path, name: &str) -> (String, Kind) {
    // Follows a symbolic link made by the instructor (SUBMISSIONS is theirs).
    if path.is_dir() {
        let kind = match git::git_dir(path) {
            Some(g) => Kind::Git(g),
            None => Kind::Directory,
        };
        let id = name.strip_suffix(".git").unwrap_or(name);
        return (id.to_string(), kind);
    }
    let lower = name.to_ascii_lowercase();
    for (ext, kind) in [
        (".tar.gz", Kind::TarGz),
        (".tgz", Kind::TarGz),
        (".zip", Kind::Zip),
    ] {
        if lower.ends_with(ext) && lower.len() > ext.len() {
            return (name[..name.len() - ext.len()].to_string(), kind);
        }
    }
    let what = if path.is_file() {
        "a file that is neither a directory, a git repository, a .zip nor a .tar.gz archive"
    } else {
        "neither a file nor a directory"
    };
    (name.to_string(), Kind::Unsupported(what.to_string()))
}

/// Directory names left out of a directory's digest, as the build leaves
/// them out of its snapshot.
const SKIPPED: &[&str] = &["target", ".git"];

/// A digest of a directory's files (paths, contents, the executable bit;
/// build output and git data excluded), and the newest modification time
/// among them.
pub fn digest_directory(dir: &Path) -> io::Result<(String, Option<Instant>)> {
    let mut hasher = Sha256::new();
    let mut newest = None;
    walk(dir, Path::new(""), &mut hasher, &mut newest)?;
    Ok((hex(&hasher.finalize()), newest))
}

fn walk(
    dir: &Path,
    rel: &Path,
    hasher: &mut Sha256,
    newest: &mut Option<Instant>,
) -> io::Result<()> {
    let mut names: Vec<_> = fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let meta = fs::symlink_metadata(&path)?;
        let rel_path = rel.join(&name);
        let shown = rel_path.as_os_str().as_encoded_bytes();
        if meta.is_dir() {
            if SKIPPED.iter().any(|s| name == *s) {
                continue;
            }
            walk(&path, &rel_path, hasher, newest)?;
        } else if meta.is_file() {
            use std::os::unix::fs::PermissionsExt;
            let exec = meta.permissions().mode() & 0o111 != 0;
            hasher.update(b"file\0");
            hasher.update(shown);
            hasher.update([0, u8::from(exec)]);
            hasher.update(meta.len().to_le_bytes());
            let mut f = fs::File::open(&path)?;
            let mut buf = [0u8; 64 * 1024];
            loop {
                let n = f.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
            }
            if let Ok(m) = meta.modified() {
                let t = time::of_system_time(m);
                *newest = Some(newest.map_or(t, |n: Instant| n.max(t)));
            }
        } else if meta.file_type().is_symlink() {
            hasher.update(b"link\0");
            hasher.update(shown);
            hasher.update([0]);
            hasher.update(fs::read_link(&path)?.as_os_str().as_encoded_bytes());
        }
    }
    Ok(())
}

/// The SHA-256 of a file's bytes, and its modification time.
pub fn digest_file(path: &Path) -> io::Result<(String, Option<Instant>)> {
    let mut hasher = Sha256::new();
    let mut f = fs::File::open(path)?;
    io::copy(&mut f, &mut hasher)?;
    let modified = f.metadata()?.modified().ok().map(time::of_system_time);
    Ok((hex(&hasher.finalize()), modified))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of `parts` joined with NUL bytes, in hex.
pub fn digest_of(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for p in parts {
        hasher.update(p.as_bytes());
        hasher.update([0]);
    }
    hex(&hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_names_and_duplicates_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("alice")).unwrap();
        fs::write(dir.path().join("bob.tar.gz"), b"").unwrap();
        fs::write(dir.path().join("carol.ZIP"), b"").unwrap();
        fs::write(dir.path().join("notes.txt"), b"").unwrap();
        fs::write(dir.path().join(".DS_Store"), b"").unwrap();
        let entries = discover(dir.path()).unwrap();
        let got: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.id.as_str(), e.kind.name()))
            .collect();
        assert_eq!(
            got,
            [
                ("alice", "directory"),
                ("bob", "tar.gz"),
                ("carol", "zip"),
                ("notes.txt", "unsupported")
            ]
        );
        fs::write(dir.path().join("alice.zip"), b"").unwrap();
        let e = discover(dir.path()).unwrap_err().to_string();
        assert!(e.contains("alice") && e.contains("twice"), "{e}");
    }

    #[test]
    fn a_directory_digest_follows_content_not_build_output() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("ex/src")).unwrap();
        fs::write(dir.path().join("ex/src/main.rs"), "fn main() {}").unwrap();
        let (a, _) = digest_directory(dir.path()).unwrap();
        fs::create_dir_all(dir.path().join("ex/target")).unwrap();
        fs::write(dir.path().join("ex/target/x"), "junk").unwrap();
        assert_eq!(digest_directory(dir.path()).unwrap().0, a);
        fs::write(dir.path().join("ex/src/main.rs"), "fn main() { }").unwrap();
        assert_ne!(digest_directory(dir.path()).unwrap().0, a);
    }
}
