//! Building a submission: [`build`] snapshots the exercise crates into a
//! workspace of the grader's own, runs one `cargo build --keep-going
//! --message-format=json` into a target directory outside the submission, and
//! returns a [`BuildOutcome`] per exercise.
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cargo_metadata::Message;

use crate::error::GradeError;
use crate::process::{Child, Spec, Termination};
use crate::program_cache::ProgramCache;
use crate::toolchain::Toolchain;

/// Directory names never copied from a submission.
const SKIPPED: &[&str] = &["target", ".git"];

/// The build workspace's settings beside its members (see [`cargo_build`]).
const WORKSPACE_SETTINGS: &str = "[profile.dev]\ndebug = false\nincremental = false\n";

/// The longest a build may take.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(600);

/// How one exercise's build went.
#[derive(Debug, Clone)]
pub enum BuildOutcome {
    /// It built; its main program is here (a private copy, beside the
    /// copies of its other programs).
    Built(PathBuf),
    /// It did not build; the compiler's (or the grader's) message says why.
    Failed(String),
    /// The submission has no crate for it.
    Missing,
}

/// The build of a whole submission.
pub struct Build {
    /// The outcome of each exercise asked for.
    pub outcomes: BTreeMap<String, BuildOutcome>,
    /// The exercises whose programs came from the program cache
    /// ([`crate::program_cache`]): cargo was not asked to build them.
    pub reused: BTreeSet<String>,
    /// Holds the copies of the built programs for the run.
    _bins: tempfile::TempDir,
}

/// Where builds are cached: a target directory per submission path, kept
/// between runs so that grading again rebuilds only what changed.
pub fn default_cache_dir(submission: &Path) -> PathBuf {
    user_cache_root().join(format!("{:016x}", path_hash(submission)))
}

/// This user's directory of build caches in the system's temporary
/// directory.
pub(crate) fn user_cache_root() -> PathBuf {
    let uid = nix::unistd::getuid();
    std::env::temp_dir().join(format!("socklings-builds-{uid}"))
}

/// Holds the lock file `name` in `dir` (both made if need be; `flock`,
/// exclusive) until the value returned is dropped, waiting for whoever
/// holds it; an error names `guarded`, what the lock guards.
pub(crate) fn hold_lock(
    dir: &Path,
    name: &str,
    guarded: &Path,
) -> Result<nix::fcntl::Flock<fs::File>, GradeError> {
    fs::create_dir_all(dir)
        .map_err(|e| GradeError::io(format!("creating {}", dir.display()), e))?;
    let file = fs::File::create(dir.join(name))
        .map_err(|e| GradeError::io(format!("locking {}", guarded.display()), e))?;
    nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| GradeError::io(format!("locking {}", guarded.display()), e.into()))
}

/// A stable hash of a path (FNV-1a).
fn path_hash(path: &Path) -> u64 {
    bytes_hash(path.as_os_str().as_encoded_bytes())
}

/// A stable hash of a text (FNV-1a).
pub(crate) fn text_hash(text: &str) -> u64 {
    bytes_hash(text.as_bytes())
}

fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// One exercise to build: its crate name and the programs it must produce,
/// the main one first.
#[derive(Debug, Clone)]
pub struct Wanted {
    /// The crate (and directory) name.
    pub name: String,
    /// Its binary targets, the main one first.
    pub programs: Vec<String>,
}

/// How builds are made and bounded.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The toolchain that builds, its dependencies already fetched.
    pub toolchain: Toolchain,
    /// The longest the whole build may take.
    pub timeout: Duration,
    /// The crates a submission may depend on.
    pub allowed_dependencies: Vec<String>,
    /// Where built programs are kept for other submissions with the same
    /// crate ([`crate::program_cache`]); `None`: nowhere.
    pub program_cache: Option<PathBuf>,
    /// The build cache whose dependency seeds ([`crate::dep_seed`]) new
    /// target directories are seeded from.
    pub seed_cache: PathBuf,
}

/// Builds the exercises `wanted` of the submission in `submission`.
/// `cache` holds the snapshot and target directory (see [`default_cache_dir`]).
pub fn build(
    submission: &Path,
    wanted: &[Wanted],
    cache: &Path,
    opts: &BuildOptions,
) -> Result<Build, GradeError> {
    // Cargo runs in the snapshot: a relative cache (`--target-dir cache`)
    // would name a directory inside it.
    let cache = &std::path::absolute(cache)
        .map_err(|e| GradeError::io(format!("reading {}", cache.display()), e))?;
    fs::create_dir_all(cache)
        .map_err(|e| GradeError::io(format!("creating {}", cache.display()), e))?;
    // One snapshot place per submission, so that two submissions sharing a
    // cache (`--target-dir`) never overwrite each other's files; and one
    // build at a time per submission and cache: two runs on the same
    // submission would otherwise rewrite each other's snapshot mid-build.
    // Builds of different submissions in one cache (selfcheck, batch) run
    // side by side.
    let key = format!("{:016x}", path_hash(submission));
    let _lock = hold_lock(&cache.join("locks"), &key, cache)?;
    let snapshot = cache.join("snapshots").join(&key);
    if snapshot.exists() {
        fs::remove_dir_all(&snapshot)
            .map_err(|e| GradeError::io("clearing the previous snapshot", e))?;
    }
    fs::create_dir_all(&snapshot).map_err(|e| GradeError::io("creating the snapshot", e))?;

    let mut outcomes = BTreeMap::new();
    let mut members = Vec::new();
    for w in wanted {
        let name = w.name.as_str();
        let src = submission.join(name);
        if !src.is_dir() {
            outcomes.insert(name.to_string(), BuildOutcome::Missing);
            continue;
        }
        if let Err(problem) = check_manifest(&src, name, &opts.allowed_dependencies) {
            outcomes.insert(name.to_string(), BuildOutcome::Failed(problem));
            continue;
        }
        copy_tree(&src, &snapshot.join(name), &skipped_in_crate).map_err(|e| {
            GradeError::io(
                format!("copying {} into the build snapshot", src.display()),
                e,
            )
        })?;
        members.push(w.clone());
    }

    let bins = tempfile::Builder::new()
        .prefix("socklings-bin-")
        .tempdir()
        .map_err(|e| GradeError::io("creating a directory for the built programs", e))?;
    // The crates whose programs are kept from another build of the same
    // crate are not built again.
    let programs = opts
        .program_cache
        .as_deref()
        .map(|dir| ProgramCache::new(dir, &opts.toolchain, &snapshot, WORKSPACE_SETTINGS));
    let mut reused = BTreeSet::new();
    // What the lookup worked out, for the build when no crate was reused:
    // the declarations of the crates built together, and each crate's key.
    let mut looked_up: Option<(Vec<String>, BTreeMap<String, String>)> = None;
    if let Some(programs) = &programs {
        let names: Vec<&str> = members.iter().map(|w| w.name.as_str()).collect();
        let declared = crate::dep_seed::declarations(&snapshot, &names);
        let mut keys = BTreeMap::new();
        members.retain(|w| {
            let dir = bins.path().join(&w.name);
            let Some(key) = programs
                .key(&snapshot, &w.name, &w.programs, &declared)
                .ok()
                .flatten()
            else {
                return true;
            };
            if !programs.load(&key, &w.programs, &dir) {
                keys.insert(w.name.clone(), key);
                return true;
            }
            outcomes.insert(
                w.name.clone(),
                BuildOutcome::Built(dir.join(&w.programs[0])),
            );
            reused.insert(w.name.clone());
            false
        });
        if reused.is_empty() {
            looked_up = Some((declared, keys));
        }
    }
    if !members.is_empty() {
        let names: Vec<&str> = members.iter().map(|w| w.name.as_str()).collect();
        // Crates were reused: the others are built together without them,
        // and their keys change with the declarations beside them.
        let (declared, mut keys) = looked_up.unwrap_or_else(|| {
            (
                crate::dep_seed::declarations(&snapshot, &names),
                BTreeMap::new(),
            )
        });
        let target = target_dir(cache, &snapshot);
        let clean = clean_marker(&target);
        if !target.join("debug").exists() {
            // A new target directory, or one whose build removed it: made
            // anew, with nothing a build left there.
            match fs::remove_dir_all(&target) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(GradeError::io("clearing a build's target directory", e))
                }
                _ => {}
            }
            fs::create_dir_all(&target)
                .map_err(|e| GradeError::io("creating a build's target directory", e))?;
            crate::dep_seed::seed(
                &opts.toolchain,
                &opts.seed_cache,
                &declared,
                &target,
                opts.timeout,
            )?;
            crate::rustc_info::seed(&opts.toolchain, &user_cache_root(), &target, opts.timeout);
            fs::write(&clean, "")
                .map_err(|e| GradeError::io("marking a new target directory", e))?;
        }
        if members.iter().any(|w| {
            crate::program_cache::has_build_script(&snapshot.join(&w.name)).unwrap_or(true)
        }) {
            match fs::remove_file(&clean) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(GradeError::io("marking a target directory", e))
                }
                _ => {}
            }
        }
        // A build script (of any crate built here, now or before in this
        // target directory) may rewrite another crate's sources or programs
        // while cargo builds: only a target where none ever ran gives
        // programs to the cache.
        let programs = programs.as_ref().filter(|_| clean.exists());
        let built = cargo_build(&opts.toolchain, cache, &snapshot, &names, opts.timeout)?;
        for w in members {
            let outcome = match w
                .programs
                .iter()
                .find(|p| !built.executables.contains_key(p.as_str()))
            {
                Some(absent) => BuildOutcome::Failed(built.failure_message(&w.name, absent)),
                None => {
                    let dir = bins.path().join(&w.name);
                    fs::create_dir_all(&dir)
                        .map_err(|e| GradeError::io("creating a directory for a program", e))?;
                    for program in &w.programs {
                        fs::copy(&built.executables[program.as_str()], dir.join(program))
                            .map_err(|e| GradeError::io("copying a built program", e))?;
                    }
                    if let Some(programs) = programs {
                        let key = match keys.remove(&w.name) {
                            Some(key) => Some(key),
                            None => programs
                                .key(&snapshot, &w.name, &w.programs, &declared)
                                .ok()
                                .flatten(),
                        };
                        if let Some(key) = key {
                            keep_programs(programs, &key, &snapshot, &target, &w, &built);
                        }
                    }
                    BuildOutcome::Built(dir.join(&w.programs[0]))
                }
            };
            outcomes.insert(w.name.clone(), outcome);
        }
    }
    Ok(Build {
        outcomes,
        reused,
        _bins: bins,
    })
}

/// Keeps the programs of `w`, just built, in the program cache under
/// `key`; a crate the cache does not take (a file read from outside it) or
/// a cache that cannot be written only costs the next build's time.
fn keep_programs(
    programs: &ProgramCache,
    key: &str,
    snapshot: &Path,
    target: &Path,
    w: &Wanted,
    built: &CargoRun,
) {
    let files: Vec<(&str, &Path)> = w
        .programs
        .iter()
        .map(|p| (p.as_str(), built.executables[p.as_str()].as_path()))
        .collect();
    let _ = programs.store(key, snapshot, &w.name, target, &files);
}

/// The mark, beside the target directory `target` (where no build may
/// write), that no build script ever ran there: present from the
/// directory's making until a crate with a build script is built in it.
fn clean_marker(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".no-build-script");
    target.with_file_name(name)
}

/// Checks that the crate has a readable manifest naming the right package,
/// so that one broken `Cargo.toml` cannot stop the other exercises' build.
fn check_manifest(dir: &Path, name: &str, allowed: &[String]) -> Result<(), String> {
    let path = dir.join("Cargo.toml");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("{name}/Cargo.toml: cannot be read: {e}"))?;
    let table: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{name}/Cargo.toml: {}", e.message()))?;
    let package = table
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str());
    match package {
        Some(n) if n == name => {}
        Some(n) => {
            return Err(format!(
                "{name}/Cargo.toml: the package is named `{n}`; it must be named `{name}`"
            ))
        }
        None => return Err(format!("{name}/Cargo.toml: no [package] name")),
    }
    check_dependencies(&table, name, allowed)
}

/// Checks every dependency table of a crate's manifest: only the course's
/// allowed crates, from the registry (no paths, no git).
fn check_dependencies(table: &toml::Table, name: &str, allowed: &[String]) -> Result<(), String> {
    let mut tables: Vec<(&str, &toml::Table)> = Vec::new();
    for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(t) = table.get(key).and_then(|t| t.as_table()) {
            tables.push((key, t));
        }
    }
    if let Some(targets) = table.get("target").and_then(|t| t.as_table()) {
        for cfg in targets.values().filter_map(|v| v.as_table()) {
            for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
                if let Some(t) = cfg.get(key).and_then(|t| t.as_table()) {
                    tables.push((key, t));
                }
            }
        }
    }
    for (key, deps) in tables {
        for (dep, spec) in deps {
            let package = spec.get("package").and_then(|p| p.as_str()).unwrap_or(dep);
            if !allowed.iter().any(|a| a == package) {
                let list = if allowed.is_empty() {
                    "none".to_string()
                } else {
                    allowed.join(", ")
                };
                return Err(format!(
                    "{name}/Cargo.toml: [{key}] `{package}` is not a dependency the course allows (allowed: {list})"
                ));
            }
            if spec.get("path").is_some() || spec.get("git").is_some() {
                return Err(format!(
                    "{name}/Cargo.toml: [{key}] `{package}` must come from crates.io, not a path or git"
                ));
            }
        }
    }
    if table.get("patch").is_some() || table.get("replace").is_some() {
        return Err(format!(
            "{name}/Cargo.toml: [patch] and [replace] sections are not allowed"
        ));
    }
    Ok(())
}

/// Copies the directory tree `src` into `dest` (created if need be):
/// regular files with their modification times (cargo compares them to
/// decide what to rebuild), directories recursively. Symbolic links are
/// left out, and so is every entry `skip` names: it is given the entry's
/// name and whether it is a directory.
pub(crate) fn copy_tree(
    src: &Path,
    dest: &Path,
    skip: &dyn Fn(&std::ffi::OsStr, bool) -> bool,
) -> std::io::Result<()> {
    fs::create_dir_all(dest)?;
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let name = entry.file_name();
        if skip(&name, kind.is_dir()) {
            continue;
        }
        let to = dest.join(&name);
        if kind.is_dir() {
            copy_tree(&entry.path(), &to, skip)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &to)?;
            let modified = entry.metadata()?.modified()?;
            fs::File::options()
                .write(true)
                .open(&to)?
                .set_modified(modified)?;
        }
    }
    Ok(())
}

/// Whether a directory of a submission's crate stays out of its build (and
/// of its result cache key): build output and git data.
pub(crate) fn skipped_in_crate(name: &std::ffi::OsStr, is_dir: bool) -> bool {
    is_dir && SKIPPED.iter().any(|s| name == *s)
}

/// What one `cargo build` produced.
pub(crate) struct CargoRun {
    timeout: Duration,
    /// The programs built, by binary target name.
    pub(crate) executables: BTreeMap<String, PathBuf>,
    /// The crates (by directory name) that produced some program.
    crates_built: BTreeSet<String>,
    errors: BTreeMap<String, Vec<String>>,
    /// What cargo wrote on its standard error.
    pub(crate) stderr: String,
    timed_out: bool,
}

impl CargoRun {
    /// Why `program` of exercise `name` was not built.
    fn failure_message(&self, name: &str, program: &str) -> String {
        if self.timed_out {
            return format!(
                "the build did not finish within {}: a build script or macro that does not end?",
                crate::messages::secs(self.timeout)
            );
        }
        let own: Vec<&String> = [name, program]
            .iter()
            .filter_map(|n| self.errors.get(*n))
            .flatten()
            .collect();
        if !own.is_empty() {
            return own.into_iter().cloned().collect::<Vec<_>>().join("\n");
        }
        if self.crates_built.contains(name) {
            return format!(
                "the crate built, but has no program named `{program}` \
                 (a `src/bin/{program}.rs` or a `[[bin]]` of that name)"
            );
        }
        // No compiler message of its own: show what cargo said.
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| !l.trim_start().starts_with("Compiling") && !l.trim().is_empty())
            .collect();
        if lines.is_empty() {
            "cargo produced no program and no error message".into()
        } else {
            lines.join("\n")
        }
    }
}

/// Variables a build keeps from the grader's environment; every other one
/// (tokens and secrets of a CI job among them) is removed. Cargo's home and
/// the compiler are set from the located [`Toolchain`].
const BUILD_ENV: &[&str] = &["PATH", "HOME", "LANG"];

/// The bytes of cargo's messages (and, separately, of its stderr) kept; a
/// build past it is stopped. Far above a whole course's build with errors.
const BUILD_OUTPUT_CAP: usize = 256 << 20;

/// The target directory of the snapshot `snapshot` in `cache`.
///
/// One per submission: cargo fingerprints a workspace member by its path
/// relative to the workspace root, so two submissions sharing one would
/// share fingerprints, and the snapshot's kept modification times could make
/// an older submission look built.
pub(crate) fn target_dir(cache: &Path, snapshot: &Path) -> PathBuf {
    cache.join("targets").join(
        snapshot
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default(),
    )
}

/// Runs one `cargo build` of the workspace `snapshot` (in `cache`), of its
/// crates `members`.
pub(crate) fn cargo_build(
    toolchain: &Toolchain,
    cache: &Path,
    snapshot: &Path,
    members: &[&str],
    timeout: Duration,
) -> Result<CargoRun, GradeError> {
    let target = target_dir(cache, snapshot);
    let tmp = cache.join("tmp").join(
        snapshot
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default(),
    );
    for dir in [&target, &tmp] {
        fs::create_dir_all(dir)
            .map_err(|e| GradeError::io(format!("creating {}", dir.display()), e))?;
    }
    // The course's lock file pins the allowed dependencies' versions, so an
    // offline build finds them in the local registry cache.
    fs::write(snapshot.join("Cargo.lock"), crate::toolchain::COURSE_LOCK)
        .map_err(|e| GradeError::io("writing the build's lock file", e))?;
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    // No debug information and no incremental compilation: a grading runs
    // the programs, never a debugger, and incremental compilation doubles
    // the CPU of a build from a cold target directory (19 exercises: 2.6 →
    // 5.2 s) to save ~0.05 s when one edited exercise is compiled again.
    let workspace = format!(
        "# Written by the socklings grader for one build of a submission.\n\
         [workspace]\nresolver = \"2\"\nmembers = [{}]\n\n{WORKSPACE_SETTINGS}",
        list.join(", ")
    );
    fs::write(snapshot.join("Cargo.toml"), workspace)
        .map_err(|e| GradeError::io("writing the build workspace", e))?;

    // The toolchain's own cargo and rustc, not rustup's proxies: the
    // sandbox lets the build execute the toolchain, wherever it lives.
    let program = toolchain.cargo.clone();
    let mut spec = cargo_spec(toolchain, snapshot, target.clone(), tmp.clone());
    // Build scripts and proc macros are student code: the build runs with
    // the process bound and Landlock rules (read the system and the
    // toolchain, write only this build's snapshot, target and temporary
    // directories: never another submission's build in a shared cache, nor
    // the dependency seeds).
    // The build's own process bound, apart from the tests' (dropped, and
    // removed, when this function returns, after the group is killed).
    let group = crate::sandbox::ProcessGroup::new(crate::sandbox::BUILD_PROCESS_LIMIT);
    spec.setup = Some(std::sync::Arc::new(crate::sandbox::ChildSetup::build(
        &toolchain.dirs(),
        &[snapshot.to_path_buf(), target.clone(), tmp.clone()],
        group.as_ref(),
    )));
    // The process layer registers cargo (the orphan sweep at the end of a
    // test of another grading in this process leaves it alone), and kills
    // its whole group at the end: build scripts may have left processes.
    let child = Child::spawn(&spec).map_err(|source| GradeError::CargoMissing {
        program: program.display().to_string(),
        source,
    })?;
    let finished = child.wait_until(Instant::now() + timeout);
    let timed_out = matches!(finished.termination, Termination::TimedOut(_));
    let Messages {
        executables,
        crates_built,
        errors,
    } = read_messages(&finished.stdout);
    let mut stderr = String::from_utf8_lossy(&finished.stderr).into_owned();
    if let Termination::OutputLimit(cap) = finished.termination {
        stderr.push_str(&format!(
            "\nthe build was stopped: it wrote more than {} of messages",
            crate::messages::size(cap as u64)
        ));
    }
    Ok(CargoRun {
        timeout,
        executables,
        crates_built,
        errors,
        stderr,
        timed_out,
    })
}

/// The `cargo build` of the workspace in `snapshot` into `target`, with the
/// build's environment (`tmp` its temporary directory).
fn cargo_spec(toolchain: &Toolchain, snapshot: &Path, target: PathBuf, tmp: PathBuf) -> Spec {
    let args = [
        "build",
        "--workspace",
        "--bins",
        "--keep-going",
        "--offline",
        "--message-format=json",
        "--color=never",
    ];
    let mut spec = Spec::new(
        &toolchain.cargo,
        args.iter()
            .map(OsString::from)
            .chain([OsString::from("--target-dir"), target.into_os_string()])
            .collect(),
        snapshot,
    );
    spec.env = BUILD_ENV
        .iter()
        .filter_map(|k| Some((OsString::from(k), std::env::var_os(k)?)))
        .chain([
            ("CARGO_HOME".into(), toolchain.cargo_home.clone().into()),
            ("RUSTC".into(), toolchain.rustc.clone().into()),
            ("TMPDIR".into(), tmp.into_os_string()),
            ("CARGO_TERM_COLOR".into(), "never".into()),
        ])
        .collect();
    spec.output_cap = BUILD_OUTPUT_CAP;
    spec
}

/// What cargo's JSON messages say.
#[derive(Default)]
struct Messages {
    /// The programs built, by target name.
    executables: BTreeMap<String, PathBuf>,
    /// The crates (by directory name) that produced some program.
    crates_built: BTreeSet<String>,
    /// The rendered errors of each target.
    errors: BTreeMap<String, Vec<String>>,
}

/// Reads cargo's JSON messages.
fn read_messages(stdout: &[u8]) -> Messages {
    let mut executables = BTreeMap::new();
    let mut crates_built = BTreeSet::new();
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for message in Message::parse_stream(stdout).flatten() {
        match message {
            Message::CompilerArtifact(a) => {
                if let Some(exe) = a.executable {
                    executables.insert(a.target.name.clone(), exe.into_std_path_buf());
                    if let Some(dir) = a.manifest_path.parent().and_then(|d| d.file_name()) {
                        crates_built.insert(dir.to_string());
                    }
                }
            }
            Message::CompilerMessage(m) => {
                let is_error = matches!(
                    m.message.level,
                    cargo_metadata::diagnostic::DiagnosticLevel::Error
                        | cargo_metadata::diagnostic::DiagnosticLevel::Ice
                );
                if is_error {
                    if let Some(rendered) = m.message.rendered {
                        errors
                            .entry(m.target.name.clone())
                            .or_default()
                            .push(rendered);
                    }
                }
            }
            _ => {}
        }
    }
    Messages {
        executables,
        crates_built,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a crate `name` into `submission` whose program prints `main`'s
    /// body's output.
    fn write_crate(submission: &Path, name: &str, main: &str) {
        let dir = submission.join(name);
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(
            dir.join("Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
        )
        .unwrap();
        fs::write(dir.join("src").join("main.rs"), main).unwrap();
    }

    fn wanted(names: &[&str]) -> Vec<Wanted> {
        names
            .iter()
            .map(|n| Wanted {
                name: n.to_string(),
                programs: vec![n.to_string()],
            })
            .collect()
    }

    /// What the program `name` of `build` prints.
    fn output_of(build: &Build, name: &str) -> String {
        let BuildOutcome::Built(program) = &build.outcomes[name] else {
            panic!("{name} did not build: {:?}", build.outcomes[name]);
        };
        let out = crate::sandbox::output_registered(
            std::process::Command::new(program).stdout(std::process::Stdio::piped()),
        )
        .unwrap();
        assert!(
            out.status.success(),
            "{name}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn a_program_is_reused_only_for_the_same_crate_reading_nothing_outside_it() {
        let tmp = tempfile::tempdir().unwrap();
        let opts = BuildOptions {
            toolchain: Toolchain::locate().unwrap(),
            timeout: Duration::from_secs(300),
            allowed_dependencies: Vec::new(),
            program_cache: Some(tmp.path().join("programs")),
            seed_cache: tmp.path().join("seeds"),
        };
        let same = "fn main() { println!(\"same\"); }\n";
        // `outside` reads a file of another crate of its submission.
        let outside = "fn main() { print!(\"{}\", include_str!(\"../../data/src/words.txt\")); }\n";
        let submission = |n: usize, words: &str, own: &str| {
            let dir = tmp.path().join(format!("submission-{n}"));
            write_crate(&dir, "same", same);
            write_crate(&dir, "outside", outside);
            write_crate(&dir, "data", "fn main() {}\n");
            fs::write(dir.join("data/src/words.txt"), words).unwrap();
            write_crate(&dir, "own", own);
            dir
        };
        let names = wanted(&["same", "outside", "data", "own"]);
        // Each submission in a build cache of its own, as by default.
        let build = |dir: &Path| build(dir, &names, &dir.with_extension("cache"), &opts).unwrap();

        let one = submission(1, "one\n", "fn main() { println!(\"1\"); }\n");
        let first = build(&one);
        assert!(first.reused.is_empty(), "{:?}", first.reused);
        assert_eq!(output_of(&first, "outside"), "one\n");

        let two = submission(2, "two\n", "fn main() { println!(\"2\"); }\n");
        let second = build(&two);
        assert_eq!(
            second.reused,
            BTreeSet::from(["same".to_string()]),
            "only the crate equal to the first submission's and reading nothing outside it \
             (`data` holds other words, `outside` reads them)"
        );
        assert_eq!(output_of(&second, "same"), "same\n");
        assert_eq!(output_of(&second, "outside"), "two\n");
        assert_eq!(output_of(&second, "own"), "2\n");

        // A file added to a crate makes it another crate.
        fs::write(two.join("same/notes.txt"), "a note\n").unwrap();
        let third = build(&two);
        assert!(!third.reused.contains("same"), "{:?}", third.reused);
        // The first submission, graded again, gets its own programs.
        let again = build(&one);
        assert_eq!(output_of(&again, "own"), "1\n");
        assert_eq!(output_of(&again, "outside"), "one\n");
    }

    #[test]
    fn no_program_is_kept_from_a_target_where_a_build_script_ran() {
        let tmp = tempfile::tempdir().unwrap();
        let opts = |cache: &str| BuildOptions {
            toolchain: Toolchain::locate().unwrap(),
            timeout: Duration::from_secs(300),
            allowed_dependencies: Vec::new(),
            program_cache: Some(tmp.path().join(cache)),
            seed_cache: tmp.path().join("seeds"),
        };
        let victim = "fn main() { println!(\"victim\"); }\n";
        // A build script runs while cargo builds the other crates: it could
        // rewrite their sources or programs in the snapshot and target,
        // then put the sources back.
        let submission = |name: &str, script: bool| {
            let dir = tmp.path().join(name);
            write_crate(&dir, "victim", victim);
            write_crate(&dir, "scripted", "fn main() {}\n");
            let script_file = dir.join("scripted/build.rs");
            if script {
                fs::write(&script_file, "fn main() {}\n").unwrap();
            } else {
                let _ = fs::remove_file(&script_file);
            }
            dir
        };
        let both = wanted(&["victim", "scripted"]);
        let alone = wanted(&["victim"]);
        let build = |dir: &Path, names: &[Wanted], cache: &str| {
            build(dir, names, &dir.with_extension("cache"), &opts(cache)).unwrap()
        };

        // Built beside a crate with a build script, then (the same target
        // directory) after the script was removed, since what it left there
        // may still decide the programs: not kept either time.
        for (script, cache, other) in [(true, "one", "other"), (false, "two", "another")] {
            let scripted = submission("scripted", script);
            assert_eq!(
                output_of(&build(&scripted, &both, cache), "victim"),
                "victim\n"
            );
            let next = build(&submission(other, false), &alone, cache);
            assert!(next.reused.is_empty(), "script {script}: {:?}", next.reused);
        }
        // A target where no build script ran gives its programs: the same
        // crate in a third submission is reused.
        let third = build(&submission("third", false), &alone, "two");
        assert_eq!(third.reused, BTreeSet::from(["victim".to_string()]));
        assert_eq!(output_of(&third, "victim"), "victim\n");
    }
}
