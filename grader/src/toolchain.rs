//! The Rust toolchain that builds submissions, and the course's locked
//! dependencies it needs: [`Toolchain::locate`] finds the real `cargo` and
//! `rustc` behind rustup's proxies (so that the build sandbox can allow
//! exactly them, wherever cargo's and rustup's homes are), and
//! [`Toolchain::ensure_dependencies`] puts the packages of the course's
//! `Cargo.lock` that submissions may use into cargo's cache before the
//! sandboxed, offline build needs them.
//!
//! Both run before the sandbox starts (no thread yet, the network still
//! reachable); neither runs student code.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::GradeError;

/// Where the toolchain that builds submissions lives.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// The cargo program itself (not a rustup proxy when one can be avoided).
    pub cargo: PathBuf,
    /// The compiler cargo is told to use (`RUSTC`).
    pub rustc: PathBuf,
    /// The compiler's sysroot: its standard library and tools.
    pub sysroot: PathBuf,
    /// Cargo's home: its registry cache and configuration.
    pub cargo_home: PathBuf,
}

/// One package of the course's lock file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LockedPackage {
    /// Its name on crates.io.
    pub name: String,
    /// Its exact version.
    pub version: String,
}

impl std::fmt::Display for LockedPackage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// The course's lock file, compiled in: it pins the versions of the
/// dependencies that submissions may use, and every build of a submission
/// uses it.
pub const COURSE_LOCK: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock"));

impl Toolchain {
    /// Finds the toolchain: `$CARGO` when cargo started the grader (it is
    /// then the toolchain's own cargo), else the sysroot that `rustc` on the
    /// `PATH` reports, asked from the course's directory so that the course's
    /// toolchain choice (not a submission's) applies.
    pub fn locate() -> Result<Toolchain, GradeError> {
        let cargo_home = cargo_home().ok_or_else(|| {
            GradeError::Toolchain(
                "neither CARGO_HOME nor HOME is set, so cargo's cache cannot be found".into(),
            )
        })?;
        let from_env = |var: &str| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .filter(|p| p.is_file())
        };
        let cargo_env = from_env("CARGO");
        // A rustc given by the user wins; next, the one beside cargo; next,
        // whatever `rustc` on the PATH is.
        let rustc_hint = from_env("RUSTC")
            .or_else(|| {
                cargo_env
                    .as_ref()
                    .and_then(|c| c.parent())
                    .map(|bin| bin.join("rustc"))
                    .filter(|r| r.is_file())
            })
            .unwrap_or_else(|| PathBuf::from("rustc"));
        let sysroot = print_sysroot(&rustc_hint)?;
        let in_sysroot = |tool: &str| Some(sysroot.join("bin").join(tool)).filter(|p| p.is_file());
        let rustc = in_sysroot("rustc")
            .filter(|_| rustc_hint == Path::new("rustc"))
            .or_else(|| which(&rustc_hint))
            .unwrap_or(rustc_hint);
        let cargo = cargo_env
            .or_else(|| in_sysroot("cargo"))
            .or_else(|| which(Path::new("cargo")))
            .ok_or_else(|| {
                GradeError::Toolchain(format!(
                    "no cargo found beside rustc (sysroot {}) nor on the PATH: install Rust with rustup",
                    sysroot.display()
                ))
            })?;
        Ok(Toolchain {
            cargo,
            rustc,
            sysroot,
            cargo_home,
        })
    }

    /// Which cargo and rustc build: their paths, sizes and modification
    /// times, a line each (updating the toolchain changes it). Part of the
    /// keys of what a build leaves for later ones.
    pub(crate) fn stamp(&self) -> String {
        [&self.cargo, &self.rustc]
            .iter()
            .map(|p| format!("{}\0{}\n", p.display(), crate::cache::file_stamp(p)))
            .collect()
    }

    /// The directories a build must read and execute from.
    pub fn dirs(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.sysroot.clone(), self.cargo_home.clone()];
        for tool in [&self.cargo, &self.rustc] {
            if let Some(bin) = tool.parent() {
                if !dirs.iter().any(|d| bin.starts_with(d)) {
                    dirs.push(bin.to_path_buf());
                }
            }
        }
        dirs
    }

    /// The packages of `lock` that the crates in `allowed` need, and which
    /// of them are not unpacked in cargo's cache.
    pub fn dependencies(
        &self,
        lock: &str,
        allowed: &[String],
    ) -> Result<(Vec<LockedPackage>, Vec<LockedPackage>), GradeError> {
        if allowed.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let packages = locked_closure(lock, allowed).map_err(|problem| {
            GradeError::Toolchain(format!("the course's lock file: {problem}"))
        })?;
        let missing = packages
            .iter()
            .filter(|p| !self.is_unpacked(p))
            .cloned()
            .collect();
        Ok((packages, missing))
    }

    /// Makes sure the packages of `lock` that the crates in `allowed` need
    /// are unpacked in cargo's cache, downloading only what is missing.
    /// Fails with one line naming what is missing when they cannot be had
    /// (offline with an empty cache). `downloading` is called with cargo's
    /// home before a download starts (it takes a while).
    pub fn ensure_dependencies(
        &self,
        lock: &str,
        allowed: &[String],
        downloading: &dyn Fn(&Path),
    ) -> Result<(), GradeError> {
        let (packages, missing) = self.dependencies(lock, allowed)?;
        if missing.is_empty() {
            return Ok(());
        }
        // Cargo said yes before, and its cache has not changed since: every
        // grading would otherwise start a `cargo fetch` (~0.1 s of CPU) to
        // hear the same answer.
        if self
            .checked_marker(lock, allowed)
            .is_some_and(|m| m.is_file())
        {
            return Ok(());
        }
        let roots: Vec<&LockedPackage> = packages
            .iter()
            .filter(|p| allowed.contains(&p.name))
            .collect();
        let project = fetch_project(&roots, lock)?;
        // Packages of other systems (windows-sys, ...) need not be here, and
        // what is downloaded may only need unpacking: ask cargo, offline,
        // whether this system's packages are all in the cache.
        let host = self.host();
        if self.fetch(project.path(), host.as_deref(), true).is_err() {
            downloading(&self.cargo_home);
            self.fetch(project.path(), host.as_deref(), false).map_err(|cargo_said| {
                let names: Vec<String> = missing.iter().map(|p| p.to_string()).collect();
                GradeError::Toolchain(format!(
                    "the course's dependencies ({}) are not in cargo's cache ({}) and could not be downloaded ({cargo_said}): run `cargo fetch` in the course's directory once while online",
                    names.join(", "),
                    self.cargo_home.join("registry").display()
                ))
            })?;
        }
        // Named after the cache as the fetch left it. A marker that cannot
        // be written only costs the next grading its fetch.
        if let Some(marker) = self.checked_marker(lock, allowed) {
            if let Some(dir) = marker.parent() {
                let _ = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&marker, ""));
            }
        }
        Ok(())
    }

    /// The file whose presence says that cargo found the dependencies of
    /// `allowed` in `lock` in its cache as the cache is now: a name hashed
    /// from the lock, the crates, this toolchain, and the modification times
    /// of cargo's configuration and of every directory of its registry
    /// (sources, downloaded packages, the index's cached entries), which
    /// change whenever a package or an index entry is added or removed.
    /// Kept beside the build caches, in this user's directory of the
    /// system's temporary directory; `None` when the cache cannot be read.
    fn checked_marker(&self, lock: &str, allowed: &[String]) -> Option<PathBuf> {
        let mut state = format!(
            "{lock}\n{allowed:?}\n{}\n{}\n{}\n",
            self.cargo.display(),
            self.rustc.display(),
            self.cargo_home.display()
        );
        let mut stamp = |path: &Path| {
            let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
            state.push_str(&format!("{} {modified:?}\n", path.display()));
        };
        for config in ["config.toml", "config"] {
            stamp(&self.cargo_home.join(config));
        }
        let registry = self.cargo_home.join("registry");
        let mut dirs = Vec::new();
        for part in ["src", "cache", "index"] {
            let mut found: Vec<PathBuf> = std::fs::read_dir(registry.join(part))
                .ok()?
                .flatten()
                .map(|e| e.path())
                .collect();
            found.sort();
            for dir in found {
                if part == "index" {
                    let mut stack = vec![dir.join(".cache")];
                    while let Some(d) = stack.pop() {
                        let Ok(entries) = std::fs::read_dir(&d) else {
                            continue;
                        };
                        let mut subdirs: Vec<PathBuf> = entries
                            .flatten()
                            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                            .map(|e| e.path())
                            .collect();
                        subdirs.sort();
                        stack.extend(subdirs.into_iter().rev());
                        dirs.push(d);
                    }
                } else {
                    dirs.push(dir);
                }
            }
        }
        for dir in &dirs {
            stamp(dir);
        }
        Some(
            crate::builder::user_cache_root()
                .join("dependencies-found")
                .join(format!("{:016x}", crate::builder::text_hash(&state))),
        )
    }

    /// Whether the package's sources are unpacked in cargo's registry.
    fn is_unpacked(&self, p: &LockedPackage) -> bool {
        let Ok(registries) = std::fs::read_dir(self.cargo_home.join("registry/src")) else {
            return false;
        };
        registries.flatten().any(|r| {
            r.path()
                .join(format!("{}-{}", p.name, p.version))
                .join("Cargo.toml")
                .is_file()
        })
    }

    /// The compiler's host system (`x86_64-unknown-linux-gnu`).
    fn host(&self) -> Option<String> {
        let out = crate::sandbox::output_registered(
            Command::new(&self.rustc)
                .arg("-vV")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        )
        .ok()?;
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("host: "))
            .map(|h| h.trim().to_string())
    }

    /// Runs `cargo fetch` in `project` for the packages `target` needs (all
    /// systems' when `None`); on failure, cargo's deepest cause.
    fn fetch(&self, project: &Path, target: Option<&str>, offline: bool) -> Result<(), String> {
        let mut command = Command::new(&self.cargo);
        command
            .arg("fetch")
            .arg("--quiet")
            .args(offline.then_some("--offline"))
            .args(target.map(|t| ["--target", t]).into_iter().flatten())
            .current_dir(project)
            .env("CARGO_HOME", &self.cargo_home)
            .env("RUSTC", &self.rustc)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let out = crate::sandbox::output_registered(&mut command)
            .map_err(|e| format!("cargo could not start: {e}"))?;
        if out.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        Err(root_cause(&stderr))
    }
}

/// The deepest cause cargo gave for a failure (the last line after a
/// `Caused by:`), else its first error line.
fn root_cause(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let caused = lines
        .iter()
        .rposition(|l| *l == "Caused by:")
        .and_then(|i| lines.get(i + 1));
    let first_error = lines.iter().find(|l| l.starts_with("error"));
    caused
        .or(first_error)
        .or(lines.first())
        .map_or("cargo fetch failed", |l| l.trim_start_matches("error: "))
        .to_string()
}

/// A scratch crate that depends on the allowed crates `roots` at their
/// locked versions, with the course's lock file beside it, so that cargo
/// fetches their locked dependencies (per system, as a build would).
fn fetch_project(roots: &[&LockedPackage], lock: &str) -> Result<tempfile::TempDir, GradeError> {
    let dir = tempfile::Builder::new()
        .prefix("socklings-fetch-")
        .tempdir()
        .map_err(|e| GradeError::io("creating a directory to fetch dependencies", e))?;
    let mut manifest = String::from(
        "# Written by the socklings grader to fetch the course's dependencies.\n\
         [package]\nname = \"socklings-dependencies\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[lib]\npath = \"lib.rs\"\n\n[dependencies]\n",
    );
    for (i, p) in roots.iter().enumerate() {
        manifest.push_str(&format!(
            "dep{i} = {{ package = {:?}, version = \"={}\" }}\n",
            p.name, p.version
        ));
    }
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text)
            .map_err(|e| GradeError::io("writing the dependency fetch's crate", e))
    };
    write("Cargo.toml", &manifest)?;
    write("lib.rs", "")?;
    write("Cargo.lock", lock)?;
    Ok(dir)
}

/// The packages of a lock file that the crates named `roots` depend on,
/// themselves included, following the lock's own dependency lists.
pub fn locked_closure(lock: &str, roots: &[String]) -> Result<Vec<LockedPackage>, String> {
    let table: toml::Table = toml::from_str(lock).map_err(|e| e.message().to_string())?;
    let entries = table
        .get("package")
        .and_then(|p| p.as_array())
        .ok_or("it lists no packages")?;
    // (name, version) -> dependency references ("name" or "name version ...").
    let mut graph: BTreeMap<LockedPackage, Vec<String>> = BTreeMap::new();
    for entry in entries {
        let field = |key: &str| entry.get(key).and_then(|v| v.as_str());
        let (Some(name), Some(version)) = (field("name"), field("version")) else {
            continue;
        };
        // Only registry packages are fetched; the course's own crates are not.
        if field("source").is_none_or(|s| !s.starts_with("registry+")) {
            continue;
        }
        let deps = entry
            .get("dependencies")
            .and_then(|d| d.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        graph.insert(
            LockedPackage {
                name: name.to_string(),
                version: version.to_string(),
            },
            deps,
        );
    }
    let resolve = |reference: &str| -> Vec<LockedPackage> {
        let mut words = reference.split_whitespace();
        let name = words.next().unwrap_or_default();
        let version = words.next();
        graph
            .keys()
            .filter(|p| p.name == name && version.is_none_or(|v| v == p.version))
            .cloned()
            .collect()
    };
    let mut found = BTreeSet::new();
    let mut todo: Vec<LockedPackage> = Vec::new();
    for root in roots {
        let packages = resolve(root);
        if packages.is_empty() {
            return Err(format!(
                "`{root}`, a dependency the course allows, is not locked: add it to a crate of the course and run `cargo update -p {root}`"
            ));
        }
        todo.extend(packages);
    }
    while let Some(p) = todo.pop() {
        if !found.insert(p.clone()) {
            continue;
        }
        for reference in &graph[&p] {
            todo.extend(resolve(reference));
        }
    }
    Ok(found.into_iter().collect())
}

/// Cargo's home: `$CARGO_HOME`, else `~/.cargo`.
fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
}

/// The sysroot that `rustc` reports, asked from the course's directory.
fn print_sysroot(rustc: &Path) -> Result<PathBuf, GradeError> {
    let course = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut command = Command::new(rustc);
    command
        .args(["--print", "sysroot"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if course.is_dir() {
        command.current_dir(&course);
    }
    let out = crate::sandbox::output_registered(&mut command).map_err(|e| {
        GradeError::Toolchain(format!(
            "could not run `{}` ({e}): install Rust with rustup, or put rustc on the PATH",
            rustc.display()
        ))
    })?;
    let text = String::from_utf8_lossy(&out.stdout);
    let sysroot = PathBuf::from(text.trim());
    if !out.status.success() || !sysroot.is_dir() {
        let said = String::from_utf8_lossy(&out.stderr);
        return Err(GradeError::Toolchain(format!(
            "`{} --print sysroot` failed: {}",
            rustc.display(),
            said.lines().next().unwrap_or("no message")
        )));
    }
    Ok(sysroot)
}

/// The program `name` on the `PATH` (or `name` itself when it has a
/// directory part), with links resolved.
fn which(name: &Path) -> Option<PathBuf> {
    let found = if name.components().count() > 1 {
        Some(name.to_path_buf()).filter(|p| p.is_file())
    } else {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
    }?;
    found.canonicalize().ok().or(Some(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "course-crate"
version = "0.1.0"
dependencies = ["mio"]

[[package]]
name = "libc"
version = "0.2.1"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "mio"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["libc", "windows-sys 0.59.0"]

[[package]]
name = "windows-sys"
version = "0.59.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "windows-sys"
version = "0.61.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

    fn names(packages: &[LockedPackage]) -> Vec<String> {
        packages.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn the_closure_follows_the_locks_dependency_lists_and_versions() {
        let closure = locked_closure(LOCK, &["mio".into()]).unwrap();
        assert_eq!(
            names(&closure),
            ["libc 0.2.1", "mio 1.0.0", "windows-sys 0.59.0"],
            "the other windows-sys and unrelated packages stay out"
        );
    }

    #[test]
    fn the_reason_of_a_failed_fetch_is_cargos_deepest_cause() {
        let stderr = "error: failed to get `libc` as a dependency of package `x`\n\n\
                      Caused by:\n  download of config.json failed\n\n\
                      Caused by:\n  [6] Could not resolve hostname\n";
        assert_eq!(root_cause(stderr), "[6] Could not resolve hostname");
        assert_eq!(
            root_cause("error: no matching package named `mio` found\nlocation searched: x\n"),
            "no matching package named `mio` found"
        );
    }

    #[test]
    fn cargo_is_asked_again_only_when_it_said_no_or_its_cache_changed() {
        use std::os::unix::fs::PermissionsExt;
        let home = tempfile::tempdir().unwrap();
        let registry = home.path().join("registry");
        let reg = "index.example-0000";
        for part in ["src", "cache", "index"] {
            std::fs::create_dir_all(registry.join(part).join(reg).join(".cache/li/bc")).unwrap();
        }
        // libc is unpacked; mio and windows-sys are not, so cargo is asked.
        let libc = registry.join("src").join(reg).join("libc-0.2.1");
        std::fs::create_dir_all(&libc).unwrap();
        std::fs::write(libc.join("Cargo.toml"), "").unwrap();
        let asked = home.path().join("asked");
        let refuse = home.path().join("refuse");
        let script = |name: &str, body: String| {
            let path = home.path().join(name);
            std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            path
        };
        let toolchain = Toolchain {
            cargo: script(
                "cargo",
                format!(
                    "echo \"$*\" >> {}\n[ ! -e {} ]",
                    asked.display(),
                    refuse.display()
                ),
            ),
            rustc: script("rustc", "echo 'host: x86_64-unknown-linux-gnu'".into()),
            sysroot: home.path().into(),
            cargo_home: home.path().into(),
        };
        let times_asked = || {
            std::fs::read_to_string(&asked)
                .unwrap_or_default()
                .lines()
                .count()
        };
        let ensure = || toolchain.ensure_dependencies(LOCK, &["mio".into()], &|_| {});
        // The markers this test leaves, removed at its end.
        let mut markers = Vec::new();

        // Cargo says no, offline and online: nothing is remembered.
        std::fs::write(&refuse, "").unwrap();
        assert!(ensure().is_err());
        assert_eq!(times_asked(), 2);
        std::fs::remove_file(&refuse).unwrap();
        ensure().unwrap();
        assert_eq!(times_asked(), 3, "a refusal was remembered");
        markers.extend(toolchain.checked_marker(LOCK, &["mio".into()]));
        // Yes, with the cache as it is: not asked again.
        ensure().unwrap();
        ensure().unwrap();
        assert_eq!(times_asked(), 3);
        // A package, then an index entry, added since (past the file
        // system's clock tick): asked again each time.
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::fs::write(registry.join("cache").join(reg).join("mio-1.0.0.crate"), "").unwrap();
        ensure().unwrap();
        assert_eq!(times_asked(), 4);
        markers.extend(toolchain.checked_marker(LOCK, &["mio".into()]));
        std::thread::sleep(std::time::Duration::from_millis(50));
        let entry = registry.join("index").join(reg).join(".cache/li/bc/libc");
        std::fs::write(entry, "").unwrap();
        ensure().unwrap();
        ensure().unwrap();
        assert_eq!(times_asked(), 5);
        markers.extend(toolchain.checked_marker(LOCK, &["mio".into()]));
        assert!(markers.iter().all(|m| m.is_file()), "{markers:?}");
        for marker in markers {
            std::fs::remove_file(marker).unwrap();
        }
    }

    #[test]
    fn an_allowed_crate_missing_from_the_lock_is_named() {
        let err = locked_closure(LOCK, &["socket2".into()]).unwrap_err();
        assert!(err.contains("`socket2`"), "{err}");
    }

    #[test]
    fn the_fetch_crate_names_each_allowed_crate_at_its_locked_version() {
        let closure = locked_closure(LOCK, &["mio".into(), "libc".into()]).unwrap();
        let roots: Vec<&LockedPackage> = closure
            .iter()
            .filter(|p| p.name == "mio" || p.name == "libc")
            .collect();
        let dir = fetch_project(&roots, LOCK).unwrap();
        let manifest = std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
        let table: toml::Table = toml::from_str(&manifest).unwrap();
        let deps = table["dependencies"].as_table().unwrap();
        let mut pinned: Vec<String> = deps
            .values()
            .map(|d| {
                format!(
                    "{} {}",
                    d["package"].as_str().unwrap(),
                    d["version"].as_str().unwrap()
                )
            })
            .collect();
        pinned.sort();
        assert_eq!(pinned, ["libc =0.2.1", "mio =1.0.0"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("Cargo.lock")).unwrap(),
            LOCK
        );
    }
}
