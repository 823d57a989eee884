//! The program cache: an exercise crate's programs, kept once built, under
//! a hash of everything that decides them, so that the same crate in
//! another submission (a class's untouched stubs, each student's copy of a
//! given exercise, the course's solutions graded again from another folder)
//! is not compiled again.
//!
//! Every submission still builds into a target directory of its own (see
//! [`crate::builder::target_dir`]); what is shared is only a finished
//! program, and only under a key that covers:
//! - the crate's every file (path, mode, bytes; `target/` and `.git/` left
//!   out as the build leaves them out), its name and the programs asked for;
//! - the dependency declarations of every crate built beside it (cargo
//!   unifies the features of the dependencies of the crates of one build);
//! - the course's lock file, the build's workspace settings, the toolchain
//!   (the paths, sizes and modification times of cargo and rustc), cargo's
//!   home and every cargo configuration file the build reads, and `PATH`
//!   (where the linker is found).
//!
//! A crate is kept only when nothing else decides its programs: no build
//! script, and a compiler that read no file outside the crate and no
//! environment variable but those cargo derives from the crate's manifest
//! (its dependency file says so, see [`inputs_are_inside`]). A crate that
//! includes a file of another crate, or `env!("HOME")`, is compiled every
//! time, as before. Nor does the builder keep anything from a target
//! directory where a build script (of any crate, in any build) ever ran:
//! the script runs while cargo compiles the other crates, and may write
//! their files and programs.
//!
//! The key is a SHA-256 digest, so that no submission can be made to share
//! another's key. Entries are written by the grader itself (never by a
//! build, whose sandbox lets it write only its own directories) under a
//! temporary name and renamed whole.
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::cache::{field, hash_tree, hex};
use crate::toolchain::Toolchain;

/// The version of an entry's layout; part of every key.
const LAYOUT: &str = "socklings program cache 1";

/// The environment variables a program may read at compile time (`env!`)
/// and still be kept: cargo sets them from the crate's manifest and target,
/// which the key covers.
const DERIVED_ENV: &[&str] = &[
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_PRIMARY_PACKAGE",
];

/// The most entries kept; past it, the least recently used quarter is
/// removed. An entry is a crate's programs (about 0.6 MB for this course's
/// exercises), so a student's machine keeps at most some 600 MB however
/// many edits it builds, and a class's crates stay kept.
const MOST_ENTRIES: usize = 1024;

/// Kept programs, under one directory.
#[derive(Debug, Clone)]
pub struct ProgramCache {
    dir: PathBuf,
    base: Sha256,
}

impl ProgramCache {
    /// The cache in `dir` for builds with `toolchain`, whose snapshot (the
    /// build's workspace, where cargo runs) is `snapshot`, with the
    /// workspace settings `workspace`.
    pub fn new(
        dir: &Path,
        toolchain: &Toolchain,
        snapshot: &Path,
        workspace: &str,
    ) -> ProgramCache {
        let mut base = Sha256::new();
        field(&mut base, LAYOUT.as_bytes());
        field(&mut base, &Sha256::digest(crate::toolchain::COURSE_LOCK));
        field(&mut base, workspace.as_bytes());
        field(&mut base, toolchain.stamp().as_bytes());
        field(&mut base, toolchain.sysroot.as_os_str().as_encoded_bytes());
        field(
            &mut base,
            toolchain.cargo_home.as_os_str().as_encoded_bytes(),
        );
        // Cargo reads its home's configuration and that of the directory it
        // runs in and of every one above (those that exist: the snapshot's
        // own path differs from one submission to the next).
        let mut configs = vec![toolchain.cargo_home.clone()];
        configs.extend(snapshot.ancestors().map(|d| d.join(".cargo")));
        for dir in configs {
            for name in ["config.toml", "config"] {
                let path = dir.join(name);
                if let Ok(bytes) = fs::read(&path) {
                    field(&mut base, path.as_os_str().as_encoded_bytes());
                    field(&mut base, &bytes);
                }
            }
        }
        let path = std::env::var_os("PATH").unwrap_or_default();
        field(&mut base, path.as_encoded_bytes());
        ProgramCache {
            dir: dir.to_path_buf(),
            base,
        }
    }

    /// The key of the crate `name` (copied into `snapshot`) whose programs
    /// are `programs`, built beside crates whose dependency declarations are
    /// `declarations`; `None` when the crate has a build script (whatever it
    /// reads decides the programs).
    pub fn key(
        &self,
        snapshot: &Path,
        name: &str,
        programs: &[String],
        declarations: &[String],
    ) -> io::Result<Option<String>> {
        let dir = snapshot.join(name);
        if has_build_script(&dir)? {
            return Ok(None);
        }
        let mut digest = self.base.clone();
        for list in [declarations, programs] {
            field(&mut digest, &(list.len() as u64).to_le_bytes());
            for item in list {
                field(&mut digest, item.as_bytes());
            }
        }
        field(&mut digest, name.as_bytes());
        hash_tree(&mut digest, &dir, Path::new(""))?;
        Ok(Some(hex(&digest.finalize())))
    }

    /// Copies the programs kept under `key` into `into` (made), each under
    /// its name; false when they are not all kept.
    pub fn load(&self, key: &str, programs: &[String], into: &Path) -> bool {
        let entry = self.dir.join(key);
        if !programs.iter().all(|p| entry.join(p).is_file()) {
            return false;
        }
        let copied = fs::create_dir_all(into).and_then(|()| {
            for program in programs {
                fs::copy(entry.join(program), into.join(program))?;
            }
            Ok(())
        });
        // Used now: the last to be removed when the cache is full.
        let _ =
            fs::File::open(&entry).and_then(|dir| dir.set_modified(std::time::SystemTime::now()));
        copied.is_ok()
    }

    /// Keeps `built` (each program's name and its file in the target
    /// directory `target`) under `key`, when the compiler read nothing
    /// outside the crate `name` of `snapshot` (see [`inputs_are_inside`]);
    /// returns whether they were kept. An entry another grading wrote first
    /// is left as it is.
    pub fn store(
        &self,
        key: &str,
        snapshot: &Path,
        name: &str,
        target: &Path,
        built: &[(&str, &Path)],
    ) -> io::Result<bool> {
        for (_, exe) in built {
            let Some(dep_info) = dep_info_of(target, exe)? else {
                return Ok(false);
            };
            if !inputs_are_inside(&fs::read_to_string(dep_info)?, snapshot, name) {
                return Ok(false);
            }
        }
        let entry = self.dir.join(key);
        if entry.is_dir() {
            return Ok(true);
        }
        fs::create_dir_all(&self.dir)?;
        let partial = tempfile::Builder::new()
            .prefix(".partial-")
            .tempdir_in(&self.dir)?;
        for (program, exe) in built {
            fs::copy(exe, partial.path().join(program))?;
        }
        match fs::rename(partial.path(), &entry) {
            Ok(()) => {
                // Renamed: nothing left to remove.
                let _ = partial.keep();
                self.prune(MOST_ENTRIES);
                Ok(true)
            }
            // Another grading kept the same programs meanwhile.
            Err(_) if entry.is_dir() => Ok(true),
            Err(e) => Err(e),
        }
    }

    /// Removes the least recently used entries when there are more than
    /// `most`, down to three quarters of it, and what a grading stopped
    /// while writing an entry left more than an hour ago. Another grading
    /// may remove the same ones, or load one meanwhile (it then builds the
    /// crate).
    fn prune(&self, most: usize) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let mut kept: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
        for entry in entries.flatten() {
            let Some(modified) = entry.metadata().ok().and_then(|m| m.modified().ok()) else {
                continue;
            };
            if !entry.file_name().to_string_lossy().starts_with('.') {
                kept.push((modified, entry.path()));
            } else if modified < hour_ago {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
        if kept.len() <= most {
            return;
        }
        kept.sort();
        let excess = kept.len() - most * 3 / 4;
        for (_, path) in kept.into_iter().take(excess) {
            let _ = fs::remove_dir_all(path);
        }
    }
}

/// Whether the crate in `dir` has a build script: a `build.rs` beside its
/// manifest, or a `package.build` other than `false`.
pub(crate) fn has_build_script(dir: &Path) -> io::Result<bool> {
    let text = fs::read_to_string(dir.join("Cargo.toml"))?;
    let build = toml::from_str::<toml::Table>(&text)
        .ok()
        .and_then(|t| t.get("package").and_then(|p| p.get("build")).cloned());
    Ok(match build {
        Some(toml::Value::Boolean(false)) => false,
        Some(_) => true,
        None => dir.join("build.rs").exists(),
    })
}

/// The compiler's dependency file of the program `exe` (a file of the
/// target directory `target`): cargo hard-links the program from
/// `debug/deps/NAME-HASH`, beside which the compiler wrote `NAME-HASH.d`.
fn dep_info_of(target: &Path, exe: &Path) -> io::Result<Option<PathBuf>> {
    use std::os::unix::fs::MetadataExt;
    let wanted = fs::metadata(exe)?;
    let deps = target.join("debug").join("deps");
    for entry in fs::read_dir(&deps)? {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_some() {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        if meta.ino() == wanted.ino() && meta.dev() == wanted.dev() {
            let dep_info = path.with_extension("d");
            return Ok(dep_info.is_file().then_some(dep_info));
        }
    }
    Ok(None)
}

/// Whether a compiler dependency file (`make` rules, then `# env-dep:NAME`
/// lines) names only files inside the crate `name` of `snapshot` (cargo
/// runs the compiler there, so they are relative to it) and only
/// environment variables cargo derives from the crate.
fn inputs_are_inside(dep_info: &str, snapshot: &Path, name: &str) -> bool {
    for line in dep_info.lines() {
        if let Some(env) = line.strip_prefix("# env-dep:") {
            let var = env.split('=').next().unwrap_or_default();
            if !(var.starts_with("CARGO_PKG_") || DERIVED_ENV.contains(&var)) {
                return false;
            }
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        // `output: input input ...`, or `input:` alone; a space inside a
        // name is escaped with a backslash.
        let Some((_, inputs)) = split_rule(line) else {
            return false;
        };
        for input in make_words(inputs) {
            if !inside(Path::new(&input), snapshot, name) {
                return false;
            }
        }
    }
    true
}

/// A `make` rule's target and prerequisites, split at its first unescaped
/// `: `.
fn split_rule(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b':' if i + 1 == bytes.len() || bytes[i + 1] == b' ' => {
                return Some((&line[..i], &line[i + 1..]));
            }
            _ => i += 1,
        }
    }
    None
}

/// The words of a `make` prerequisite list, escapes removed.
fn make_words(list: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = list.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => word.extend(chars.next()),
            ' ' | '\t' => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Whether `input` (relative to `snapshot`, or absolute) names a file
/// inside `snapshot/name`, `..` taken as written (the snapshot holds no
/// symbolic link).
fn inside(input: &Path, snapshot: &Path, name: &str) -> bool {
    let relative = if input.is_absolute() {
        match input.strip_prefix(snapshot) {
            Ok(rest) => rest,
            Err(_) => return false,
        }
    } else {
        input
    };
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return false;
                }
            }
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    parts.len() > 1 && parts[0] == name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_of_the_crate_and_variables_of_its_manifest_are_inside() {
        let snapshot = Path::new("/cache/snapshots/0123");
        let own = "target/debug/deps/poll_echo-1: poll_echo/src/main.rs poll_echo/src/../data/words.txt\n\n\
                   poll_echo/src/main.rs:\npoll_echo/src/../data/words.txt:\n\n\
                   # env-dep:CARGO_PKG_NAME=poll_echo\n# env-dep:CARGO_CRATE_NAME=poll_echo\n";
        assert!(inputs_are_inside(own, snapshot, "poll_echo"));
        let absolute_own = "x: /cache/snapshots/0123/poll_echo/src/main.rs\n";
        assert!(inputs_are_inside(absolute_own, snapshot, "poll_echo"));
        let spaced = "x: poll_echo/src/a\\ file.txt\n";
        assert!(inputs_are_inside(spaced, snapshot, "poll_echo"));
        for outside in [
            "x: poll_echo/src/main.rs tcp_echo/src/main.rs\n",
            "x: poll_echo/src/../../tcp_echo/src/lib.rs\n",
            "x: poll_echo/../../../etc/hostname\n",
            "x: /etc/hostname\n",
            "x: /cache/snapshots/0124/poll_echo/src/main.rs\n",
            "x: poll_echo\n",
            "x: poll_echo_other/src/main.rs\n",
            "x: poll_echo/src/main.rs\n# env-dep:HOME=/root\n",
            "x: poll_echo/src/main.rs\n# env-dep:CARGO_MANIFEST_DIR=/cache/snapshots/0123/poll_echo\n",
            "x: poll_echo/src/main.rs\n# env-dep:OUT_DIR\n",
            "not a rule\n",
        ] {
            assert!(
                !inputs_are_inside(outside, snapshot, "poll_echo"),
                "taken as inside: {outside:?}"
            );
        }
    }

    #[test]
    fn a_crate_with_a_build_script_has_no_key() {
        let tmp = tempfile::tempdir().unwrap();
        let krate = tmp.path().join("snap").join("demo");
        fs::create_dir_all(krate.join("src")).unwrap();
        fs::write(krate.join("src/main.rs"), "fn main() {}\n").unwrap();
        let manifest = "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";
        fs::write(krate.join("Cargo.toml"), manifest).unwrap();
        let toolchain = Toolchain {
            cargo: "/bin/true".into(),
            rustc: "/bin/true".into(),
            sysroot: "/".into(),
            cargo_home: tmp.path().join("home"),
        };
        let snapshot = tmp.path().join("snap");
        let cache = ProgramCache::new(&tmp.path().join("programs"), &toolchain, &snapshot, "");
        let programs = vec!["demo".to_string()];
        let plain = cache.key(&snapshot, "demo", &programs, &[]).unwrap();
        assert!(plain.is_some());
        // Any file, and the crates built beside it, change the key.
        let beside = cache
            .key(
                &snapshot,
                "demo",
                &programs,
                &["[dependencies]\nmio = \"1\"\n".into()],
            )
            .unwrap();
        assert_ne!(plain, beside);
        fs::write(krate.join("notes.txt"), "a note\n").unwrap();
        let noted = cache.key(&snapshot, "demo", &programs, &[]).unwrap();
        assert_ne!(plain, noted);
        fs::write(krate.join("build.rs"), "fn main() {}\n").unwrap();
        assert_eq!(cache.key(&snapshot, "demo", &programs, &[]).unwrap(), None);
        let off = format!("{}build = false\n", manifest);
        fs::write(krate.join("Cargo.toml"), off).unwrap();
        assert!(cache
            .key(&snapshot, "demo", &programs, &[])
            .unwrap()
            .is_some());
        fs::remove_file(krate.join("build.rs")).unwrap();
        let named = format!("{}build = \"gen.rs\"\n", manifest);
        fs::write(krate.join("Cargo.toml"), named).unwrap();
        assert_eq!(cache.key(&snapshot, "demo", &programs, &[]).unwrap(), None);
    }

    #[test]
    fn a_full_cache_removes_the_entries_used_longest_ago() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("programs");
        let toolchain = Toolchain {
            cargo: "/bin/true".into(),
            rustc: "/bin/true".into(),
            sysroot: "/".into(),
            cargo_home: tmp.path().join("home"),
        };
        let cache = ProgramCache::new(&dir, &toolchain, tmp.path(), "");
        let programs = vec!["demo".to_string()];
        let day = std::time::Duration::from_secs(86_400);
        for i in 0..8u32 {
            let entry = dir.join(format!("entry{i}"));
            fs::create_dir_all(&entry).unwrap();
            fs::write(entry.join("demo"), format!("program {i}")).unwrap();
            // entry0 is the oldest.
            let when = std::time::SystemTime::now() - day * (10 - i);
            fs::File::open(&entry).unwrap().set_modified(when).unwrap();
        }
        // Loading the oldest makes it the most recently used.
        let into = tmp.path().join("bins");
        assert!(cache.load("entry0", &programs, &into));
        assert_eq!(fs::read_to_string(into.join("demo")).unwrap(), "program 0");
        assert!(!cache.load("entry9", &programs, &into), "no such entry");

        // What two stopped gradings left, an hour ago and just now.
        for (name, age) in [
            (".partial-old", day),
            (".partial-new", std::time::Duration::ZERO),
        ] {
            fs::create_dir_all(dir.join(name)).unwrap();
            let when = std::time::SystemTime::now() - age;
            fs::File::open(dir.join(name))
                .unwrap()
                .set_modified(when)
                .unwrap();
        }
        cache.prune(8);
        assert!(!dir.join(".partial-old").exists());
        assert!(dir.join(".partial-new").exists(), "perhaps being written");
        fs::remove_dir(dir.join(".partial-new")).unwrap();
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 8, "not over the bound");
        cache.prune(4);
        let mut left: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["entry0", "entry6", "entry7"]);
    }
}
