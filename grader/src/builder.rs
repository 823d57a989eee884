//! Building a submission: [`build`] snapshots the exercise crates into a
//! workspace of the grader's own, runs one `cargo build --keep-going
//! --message-format=json` into a target directory outside the submission, and
//! returns a [`BuildOutcome`] per exercise.
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cargo_metadata::Message;

use crate::error::GradeError;

/// Directory names never copied from a submission.
const SKIPPED: &[&str] = &["target", ".git"];

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
    /// Holds the copies of the built programs for the run.
    _bins: tempfile::TempDir,
}

/// Where builds are cached: a target directory per submission path, kept
/// between runs so that grading again rebuilds only what changed.
pub fn default_cache_dir(submission: &Path) -> PathBuf {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in submission.as_os_str().as_encoded_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let uid = nix::unistd::getuid();
    std::env::temp_dir()
        .join(format!("socklings-builds-{uid}"))
        .join(format!("{h:016x}"))
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

/// Builds the exercises `wanted` of the submission in `submission`.
/// `cache` holds the snapshot and target directory (see [`default_cache_dir`]).
pub fn build(submission: &Path, wanted: &[Wanted], cache: &Path) -> Result<Build, GradeError> {
    fs::create_dir_all(cache)
        .map_err(|e| GradeError::io(format!("creating {}", cache.display()), e))?;
    // One grader at a time per cache: two runs on the same submission would
    // otherwise rewrite each other's snapshot mid-build.
    let lock_file = fs::File::create(cache.join("lock"))
        .map_err(|e| GradeError::io(format!("locking {}", cache.display()), e))?;
    let _lock = nix::fcntl::Flock::lock(lock_file, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| GradeError::io(format!("locking {}", cache.display()), e.into()))?;

    let snapshot = cache.join("snapshot");
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
        if let Err(problem) = check_manifest(&src, name) {
            outcomes.insert(name.to_string(), BuildOutcome::Failed(problem));
            continue;
        }
        copy_tree(&src, &snapshot.join(name)).map_err(|e| {
            GradeError::io(
                format!("copying {} into the build snapshot", src.display()),
                e,
            )
        })?;
        members.push(w);
    }

    let bins = tempfile::Builder::new()
        .prefix("socklings-bin-")
        .tempdir()
        .map_err(|e| GradeError::io("creating a directory for the built programs", e))?;
    if !members.is_empty() {
        let names: Vec<&str> = members.iter().map(|w| w.name.as_str()).collect();
        let built = cargo_build(&snapshot, &cache.join("target"), &names)?;
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
                    BuildOutcome::Built(dir.join(&w.programs[0]))
                }
            };
            outcomes.insert(w.name.clone(), outcome);
        }
    }
    Ok(Build {
        outcomes,
        _bins: bins,
    })
}

/// Checks that the crate has a readable manifest naming the right package,
/// so that one broken `Cargo.toml` cannot stop the other exercises' build.
fn check_manifest(dir: &Path, name: &str) -> Result<(), String> {
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
        Some(n) if n == name => Ok(()),
        Some(n) => Err(format!(
            "{name}/Cargo.toml: the package is named `{n}`; it must be named `{name}`"
        )),
        None => Err(format!("{name}/Cargo.toml: no [package] name")),
    }
}

/// Copies a crate, keeping modification times so that cargo rebuilds only
/// what changed; skips build output, git data and symbolic links.
fn copy_tree(src: &Path, dest: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dest)?;
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let name = entry.file_name();
        let to = dest.join(&name);
        if kind.is_dir() {
            if SKIPPED.iter().any(|s| name == *s) {
                continue;
            }
            copy_tree(&entry.path(), &to)?;
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

struct CargoRun {
    executables: BTreeMap<String, PathBuf>,
    /// The crates (by directory name) that produced some program.
    crates_built: BTreeSet<String>,
    errors: BTreeMap<String, Vec<String>>,
    stderr: String,
    timed_out: bool,
}

impl CargoRun {
    /// Why `program` of exercise `name` was not built.
    fn failure_message(&self, name: &str, program: &str) -> String {
        if self.timed_out {
            return format!(
                "the build did not finish within {}",
                crate::messages::secs(BUILD_TIMEOUT)
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

fn cargo_build(snapshot: &Path, target: &Path, members: &[&str]) -> Result<CargoRun, GradeError> {
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let workspace = format!(
        "# Written by the socklings grader for one build of a submission.\n\
         [workspace]\nresolver = \"2\"\nmembers = [{}]\n\n\
         [profile.dev]\ndebug = false\n",
        list.join(", ")
    );
    fs::write(snapshot.join("Cargo.toml"), workspace)
        .map_err(|e| GradeError::io("writing the build workspace", e))?;

    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(&program)
        .args([
            "build",
            "--workspace",
            "--bins",
            "--keep-going",
            "--message-format=json",
            "--color=never",
        ])
        .arg("--target-dir")
        .arg(target)
        .current_dir(snapshot)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("RUSTC_WRAPPER")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|source| GradeError::CargoMissing {
            program: program.to_string_lossy().into_owned(),
            source,
        })?;

    let pgid = child.id() as i32;
    let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
    let stderr_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr_pipe.read_to_string(&mut s);
        s
    });
    let stdout = child.stdout.take().expect("stdout is piped");
    let messages = std::thread::spawn(move || {
        let mut executables = BTreeMap::new();
        let mut crates_built = BTreeSet::new();
        let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for message in Message::parse_stream(BufReader::new(stdout)).flatten() {
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
        (executables, crates_built, errors)
    });

    let deadline = Instant::now() + BUILD_TIMEOUT;
    let mut timed_out = false;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() >= deadline => {
                timed_out = true;
                let _ = nix::sys::signal::killpg(
                    nix::unistd::Pid::from_raw(pgid),
                    nix::sys::signal::Signal::SIGKILL,
                );
                let _ = child.wait();
                break;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(GradeError::io("waiting for cargo", e)),
        }
    }
    // Build scripts may have left processes in the group.
    let _ = nix::sys::signal::killpg(
        nix::unistd::Pid::from_raw(pgid),
        nix::sys::signal::Signal::SIGKILL,
    );
    let (executables, crates_built, errors) = messages.join().unwrap_or_default();
    let stderr = stderr_reader.join().unwrap_or_default();
    Ok(CargoRun {
        executables,
        crates_built,
        errors,
        stderr,
        timed_out,
    })
}
