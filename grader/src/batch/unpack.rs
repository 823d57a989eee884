//! Unpacking a student's archive (`.zip`, `.tar.gz`) or git tree safely into
//! a directory of the grader's: [`Unpacker`] refuses entries that would land
//! outside it (`..`, absolute paths), links, special files and absurd sizes,
//! with an [`UnpackError`] that names the entry.
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Component, Path, PathBuf};

/// What an archive may hold at most.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files and directories.
    pub entries: usize,
    /// Bytes of one file once unpacked.
    pub file_bytes: u64,
    /// Bytes of all files once unpacked.
    pub total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            entries: 20_000,
            file_bytes: 64 << 20,
            total_bytes: 256 << 20,
        }
    }
}

/// Why a submission could not be unpacked.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    /// The entry's path leaves the unpack directory.
    #[error("entry `{0}` would land outside the submission (a `..` or absolute path): refused")]
    Outside(String),
    /// The entry is a symbolic or hard link.
    #[error("entry `{0}` is a link: links are refused, submit the file itself")]
    Link(String),
    /// The entry is a device, FIFO or other special file.
    #[error("entry `{0}` is a special file: refused")]
    Special(String),
    /// The same path twice, or a file where a directory is.
    #[error("entry `{0}` appears twice")]
    Duplicate(String),
    /// One file is larger than the limit.
    #[error("entry `{name}` unpacks to more than {limit} bytes: refused")]
    FileTooLarge {
        /// The entry.
        name: String,
        /// The limit.
        limit: u64,
    },
    /// All files together are larger than the limit.
    #[error("the submission unpacks to more than {0} bytes: refused")]
    TotalTooLarge(u64),
    /// Too many entries.
    #[error("the submission has more than {0} entries: refused")]
    TooManyEntries(usize),
    /// The archive is damaged, encrypted or of an unsupported kind.
    #[error("the archive cannot be read: {0}")]
    Corrupt(String),
    /// The grader could not write the unpacked files.
    #[error("unpacking into {path}: {error}")]
    Io {
        /// Where.
        path: String,
        /// The error.
        error: io::Error,
    },
}

/// The path of an archive entry inside the unpack directory, or why not.
/// `\` counts as a separator too (archives made on Windows).
pub fn safe_relative(name: &str) -> Result<PathBuf, UnpackError> {
    let outside = || UnpackError::Outside(name.to_string());
    if name.starts_with('/') || name.starts_with('\\') {
        return Err(outside());
    }
    let mut out = PathBuf::new();
    for part in name.split(['/', '\\']) {
        match Path::new(part).components().next() {
            None => {}
            Some(Component::CurDir) => {}
            Some(Component::Normal(_)) if !part.contains('\0') => out.push(part),
            Some(_) => return Err(outside()),
        }
    }
    Ok(out)
}

/// Writes the entries of one submission under `root`, keeping count of
/// entries and bytes against [`Limits`].
pub struct Unpacker {
    root: PathBuf,
    limits: Limits,
    entries: usize,
    total: u64,
}

impl Unpacker {
    /// Unpacks into `root`, which must exist and be empty.
    pub fn new(root: &Path, limits: Limits) -> Unpacker {
        Unpacker {
            root: root.to_path_buf(),
            limits,
            entries: 0,
            total: 0,
        }
    }

    fn count(&mut self) -> Result<(), UnpackError> {
        self.entries += 1;
        if self.entries > self.limits.entries {
            return Err(UnpackError::TooManyEntries(self.limits.entries));
        }
        Ok(())
    }

    fn io(&self, e: io::Error) -> UnpackError {
        UnpackError::Io {
            path: self.root.display().to_string(),
            error: e,
        }
    }

    /// Creates the directory `name`.
    pub fn dir(&mut self, name: &str) -> Result<(), UnpackError> {
        self.count()?;
        let rel = safe_relative(name)?;
        let path = self.root.join(rel);
        if path.exists() && !path.is_dir() {
            return Err(UnpackError::Duplicate(name.to_string()));
        }
        fs::create_dir_all(&path).map_err(|e| self.io(e))
    }

    /// Writes the file `name` from `content`; `declared` is the size the
    /// archive claims (checked before reading, and the reading is bounded
    /// whatever it claims).
    pub fn file(
        &mut self,
        name: &str,
        declared: u64,
        executable: bool,
        content: &mut dyn Read,
    ) -> Result<(), UnpackError> {
        self.count()?;
        let rel = safe_relative(name)?;
        if rel.as_os_str().is_empty() {
            return Err(UnpackError::Outside(name.to_string()));
        }
        let too_large = || UnpackError::FileTooLarge {
            name: name.to_string(),
            limit: self.limits.file_bytes,
        };
        if declared > self.limits.file_bytes {
            return Err(too_large());
        }
        if self.total + declared > self.limits.total_bytes {
            return Err(UnpackError::TotalTooLarge(self.limits.total_bytes));
        }
        let path = self.root.join(&rel);
        if let Some(parent) = path.parent() {
            if parent.exists() && !parent.is_dir() {
                return Err(UnpackError::Duplicate(name.to_string()));
            }
            fs::create_dir_all(parent).map_err(|e| self.io(e))?;
        }
        let mut file = match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(if executable { 0o755 } else { 0o644 })
            .open(&path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(UnpackError::Duplicate(name.to_string()))
            }
            Err(e) => return Err(self.io(e)),
        };
        let room = self
            .limits
            .file_bytes
            .min(self.limits.total_bytes - self.total);
        let mut bounded = content.take(room + 1);
        let mut buf = [0u8; 64 * 1024];
        let mut written: u64 = 0;
        loop {
            let n = match bounded.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(UnpackError::Corrupt(format!("entry `{name}`: {e}"))),
            };
            written += n as u64;
            if written > room {
                return Err(if written > self.limits.file_bytes {
                    too_large()
                } else {
                    UnpackError::TotalTooLarge(self.limits.total_bytes)
                });
            }
            file.write_all(&buf[..n]).map_err(|e| self.io(e))?;
        }
        self.total += written;
        Ok(())
    }
}

/// Unpacks the zip archive `archive` into `root`.
pub fn unpack_zip(archive: &Path, root: &Path, limits: Limits) -> Result<(), UnpackError> {
    let file = fs::File::open(archive).map_err(|e| UnpackError::Corrupt(e.to_string()))?;
    let mut zip = zip::ZipArchive::new(io::BufReader::new(file))
        .map_err(|e| UnpackError::Corrupt(e.to_string()))?;
    if zip.len() > limits.entries {
        return Err(UnpackError::TooManyEntries(limits.entries));
    }
    let mut out = Unpacker::new(root, limits);
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| UnpackError::Corrupt(e.to_string()))?;
        let name = entry.name().to_string();
        safe_relative(&name)?;
        if entry.is_symlink() {
            return Err(UnpackError::Link(name));
        }
        if entry.is_dir() {
            out.dir(&name)?;
            continue;
        }
        // Unix modes other than a regular file (FIFOs, devices) are refused.
        let mode = entry.unix_mode();
        if mode.is_some_and(|m| m & 0o170000 != 0 && m & 0o170000 != 0o100000) {
            return Err(UnpackError::Special(name));
        }
        let executable = mode.is_some_and(|m| m & 0o111 != 0);
        let size = entry.size();
        out.file(&name, size, executable, &mut entry)?;
    }
    Ok(())
}

/// Unpacks the gzip-compressed tar archive `archive` into `root`.
pub fn unpack_tar_gz(archive: &Path, root: &Path, limits: Limits) -> Result<(), UnpackError> {
    let file = fs::File::open(archive).map_err(|e| UnpackError::Corrupt(e.to_string()))?;
    let gz = flate2::read::GzDecoder::new(io::BufReader::new(file));
    let mut tar = tar::Archive::new(gz);
    let mut out = Unpacker::new(root, limits);
    let entries = tar
        .entries()
        .map_err(|e| UnpackError::Corrupt(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| UnpackError::Corrupt(e.to_string()))?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        safe_relative(&name)?;
        let kind = entry.header().entry_type();
        match kind {
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let size = entry.header().size().unwrap_or(u64::MAX);
                let executable = entry.header().mode().is_ok_and(|m| m & 0o111 != 0);
                out.file(&name, size, executable, &mut entry)?;
            }
            tar::EntryType::Directory => out.dir(&name)?,
            tar::EntryType::Symlink | tar::EntryType::Link => return Err(UnpackError::Link(name)),
            // Metadata records of pax and GNU tar carry no file.
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader => {}
            _ => return Err(UnpackError::Special(name)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_directory_are_refused() {
        for bad in ["../x", "a/../../x", "/etc/passwd", "a/..", "..\\x", "\\x"] {
            assert!(
                matches!(safe_relative(bad), Err(UnpackError::Outside(_))),
                "{bad}"
            );
        }
        assert_eq!(
            safe_relative("./a//b/c.rs").unwrap(),
            PathBuf::from("a/b/c.rs")
        );
    }

    #[test]
    fn a_file_larger_than_it_claims_is_cut_and_refused() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits {
            entries: 10,
            file_bytes: 100,
            total_bytes: 150,
        };
        let mut u = Unpacker::new(dir.path(), limits);
        let big = [b'x'; 101];
        let e = u.file("a", 1, false, &mut &big[..]).unwrap_err();
        assert!(matches!(e, UnpackError::FileTooLarge { .. }), "{e}");
        let ok = [b'x'; 100];
        u.file("b", 100, false, &mut &ok[..]).unwrap();
        let e = u.file("c", 60, false, &mut &ok[..60]).unwrap_err();
        assert!(matches!(e, UnpackError::TotalTooLarge(_)), "{e}");
        let e = u.file("b", 1, false, &mut &ok[..1]).unwrap_err();
        assert!(matches!(e, UnpackError::Duplicate(_)), "{e}");
    }
}
