//! A student's git repository: [`choose`] the commit to grade (HEAD, or the
//! last commit before the deadline) and [`export`] its tree into a directory
//! of the grader's, reading objects with `git ls-tree` and `git cat-file`
//! only: the student's repository is never written, and no hook, filter or
//! configured command of the repository runs.
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::time::{self, Instant};
use super::unpack::{Limits, UnpackError, Unpacker};

/// The commit graded.
#[derive(Debug, Clone)]
pub struct Chosen {
    /// Its full id.
    pub commit: String,
    /// Its committer time.
    pub time: Instant,
    /// Whether the repository holds commits after the deadline (not graded).
    pub late: bool,
}

/// Where the repository's git data is, if `path` is a git repository: a
/// working copy (`.git` directory or file) or a bare repository.
pub fn git_dir(path: &Path) -> Option<PathBuf> {
    let dot_git = path.join(".git");
    if dot_git.exists() {
        return Some(dot_git);
    }
    let bare =
        path.join("HEAD").is_file() && path.join("objects").is_dir() && path.join("refs").is_dir();
    bare.then(|| path.to_path_buf())
}

/// `git` reading the repository at `git_dir`, with no user or system
/// configuration, no optional locks and its own process group (a terminal's
/// Ctrl-C goes to the grader, which stops between students).
fn git(git_dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-c")
        .arg("safe.directory=*")
        .arg("-c")
        .arg("core.fsmonitor=false")
        .arg("--git-dir")
        .arg(git_dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
        .stdin(Stdio::null())
        .process_group(0);
    c
}

/// Starts git as a child the grader waits for itself, so that the orphan
/// sweep at the end of a test of another student graded at the same time
/// leaves it alone.
fn spawn(cmd: &mut Command) -> std::io::Result<std::process::Child> {
    crate::sandbox::spawn_registered(|| cmd.spawn(), |c| c.id() as i32)
}

/// Waits for a child started by [`spawn`] and forgets it.
fn reap(child: std::process::Child) -> std::io::Result<std::process::Output> {
    let pid = child.id() as i32;
    let out = child.wait_with_output();
    crate::sandbox::unregister_child(pid);
    out
}

fn run(mut cmd: Command, what: &str) -> Result<String, String> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = spawn(&mut cmd)
        .and_then(reap)
        .map_err(|e| format!("could not run git ({e}): install git to grade git repositories"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(format!("git could not {what}: {first}"));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The commit to grade: HEAD, or with a `deadline`, the newest commit
/// reachable from HEAD whose committer time is at or before it. `None` when
/// the repository has no commit (before the deadline).
pub fn choose(git_dir: &Path, deadline: Option<Instant>) -> Result<Option<Chosen>, String> {
    let mut head = git(git_dir);
    head.args(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
    if !head
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("could not run git ({e}): install git to grade git repositories"))?
        .success()
    {
        return Ok(None);
    }
    // Plumbing only (`log` could run a signature checker the repository configures).
    let mut list = git(git_dir);
    list.args(["rev-list", "--timestamp", "HEAD"]);
    let text = run(list, "read the history")?;
    let commits: Vec<(String, Instant)> = text
        .lines()
        .filter_map(|l| {
            let (t, id) = l.split_once(' ')?;
            Some((id.trim().to_string(), t.parse().ok()?))
        })
        .collect();
    let Some(deadline) = deadline else {
        return Ok(commits.first().map(|(commit, time)| Chosen {
            commit: commit.clone(),
            time: *time,
            late: false,
        }));
    };
    let late = commits.iter().any(|(_, t)| *t > deadline);
    // The newest in time among those before the deadline; on a tie, the first
    // in git's order (nearest HEAD).
    let mut best: Option<&(String, Instant)> = None;
    for c in commits.iter().filter(|(_, t)| *t <= deadline) {
        if best.is_none_or(|b| c.1 > b.1) {
            best = Some(c);
        }
    }
    Ok(best.map(|(commit, time)| Chosen {
        commit: commit.clone(),
        time: *time,
        late,
    }))
}

/// The RFC 3339 text of a chosen commit's time.
pub fn commit_time_text(c: &Chosen) -> String {
    time::format_rfc3339(c.time)
}

/// Writes the tree of `commit` under `root`, with the same refusals and
/// limits as an archive (links are refused; submodules are skipped).
pub fn export(
    git_dir: &Path,
    commit: &str,
    root: &Path,
    limits: Limits,
) -> Result<(), UnpackError> {
    let failed = |e: String| UnpackError::Corrupt(e);
    let mut ls = git(git_dir);
    ls.args(["ls-tree", "-r", "-z", "--full-tree", commit]);
    let listing = run(ls, "list the files of the commit").map_err(failed)?;

    let mut cat = git(git_dir);
    cat.args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = spawn(&mut cat).map_err(|e| failed(format!("could not run git: {e}")))?;
    let mut input = child.stdin.take().expect("stdin is piped");
    let mut output = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut out = Unpacker::new(root, limits);
    let result = (|| {
        for record in listing.split('\0').filter(|r| !r.is_empty()) {
            let (meta, name) = record
                .split_once('\t')
                .ok_or_else(|| failed(format!("unexpected ls-tree line `{record}`")))?;
            let mut fields = meta.split(' ');
            let (mode, kind, id) = match (fields.next(), fields.next(), fields.next()) {
                (Some(m), Some(k), Some(i)) => (m, k, i),
                _ => return Err(failed(format!("unexpected ls-tree line `{record}`"))),
            };
            match (kind, mode) {
                ("commit", _) => continue, // a submodule: not part of this repository
                ("blob", "120000") => return Err(UnpackError::Link(name.to_string())),
                ("blob", _) => {}
                _ => return Err(UnpackError::Special(name.to_string())),
            }
            writeln!(input, "{id}")
                .and_then(|_| input.flush())
                .map_err(|e| failed(format!("git cat-file: {e}")))?;
            let mut header = String::new();
            output
                .read_line(&mut header)
                .map_err(|e| failed(format!("git cat-file: {e}")))?;
            let size: u64 = header
                .split_whitespace()
                .nth(2)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| failed(format!("git cat-file answered `{}`", header.trim())))?;
            let mut body = (&mut output).take(size);
            out.file(name, size, mode == "100755", &mut body)?;
            // Whatever the unpacker did not read, then the newline after it.
            std::io::copy(&mut body, &mut std::io::sink())
                .and_then(|_| output.read_exact(&mut [0u8; 1]))
                .map_err(|e| failed(format!("git cat-file: {e}")))?;
        }
        Ok(())
    })();
    drop(input);
    let _ = child.kill();
    drop(output);
    let _ = reap(child);
    result
}
