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
/// leaves it alone (every git the grader runs goes through here or
/// [`crate::sandbox::output_registered`]).
fn spawn(cmd: &mut Command) -> std::io::Result<std::process::Child> {
    #[allow(clippy::disallowed_methods)] // registered
    crate::sandbox::spawn_registered(|| cmd.spawn(), |c| c.id() as i32)
}

/// Waits for a child started by [`spawn`] and forgets it.
fn reap(child: std::process::Child) -> std::io::Result<std::process::Output> {
    let pid = child.id() as i32;
    let out = child.wait_with_output();
    crate::sandbox::unregister_child(pid);
    out
}

fn could_not_run(e: std::io::Error) -> String {
    format!("could not run git ({e}): install git to grade git repositories")
}

fn run(mut cmd: Command, what: &str) -> Result<String, String> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = crate::sandbox::output_registered(&mut cmd).map_err(could_not_run)?;
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
    head.args(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if !crate::sandbox::output_registered(&mut head)
        .map_err(could_not_run)?
        .status
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

#[cfg(test)]
mod tests {
    use super::*;

    const BESIDE_A_SWEEP: &str = "SOCKLINGS_TEST_GIT_BESIDE_A_SWEEP";

    fn git_in(dir: &Path, args: &[&str]) {
        let out = crate::sandbox::output_registered(
            Command::new("git")
                .args(["-c", "user.name=t", "-c", "user.email=t@t"])
                .args(args)
                .current_dir(dir)
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped()),
        )
        .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    }

    /// In a batch, one student's commit is chosen and exported while other
    /// students' tests end with an orphan sweep, which kills every child of
    /// the grader it does not know: each git must be one the grader waits
    /// for itself. (Once `choose`'s first git was not, and a student came
    /// out as a grader error now and then.) The sweeps run in a process of
    /// their own, this test's binary started again for this test alone, so
    /// that they cannot end the children of other tests of this binary.
    #[test]
    fn a_commit_is_chosen_and_exported_while_orphans_are_swept_beside_it() {
        if std::env::var_os(BESIDE_A_SWEEP).is_none() {
            let name = "batch::git::tests::a_commit_is_chosen_and_exported_while_orphans_are_swept_beside_it";
            let out = crate::sandbox::output_registered(
                Command::new(std::env::current_exe().unwrap())
                    .args(["--exact", name, "--test-threads=1", "--nocapture"])
                    .env(BESIDE_A_SWEEP, "1")
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped()),
            )
            .unwrap();
            let said = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{said}\n{stderr}");
            assert!(said.contains("1 passed"), "{said}");
            return;
        }
        let repo = tempfile::tempdir().unwrap();
        git_in(repo.path(), &["init", "-q"]);
        std::fs::write(repo.path().join("a.txt"), "a\n").unwrap();
        git_in(repo.path(), &["add", "a.txt"]);
        git_in(repo.path(), &["commit", "-q", "-m", "a"]);
        let dir = git_dir(repo.path()).unwrap();

        let stop = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let sweeper = s.spawn(|| {
                let mut ended = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    ended += crate::sandbox::sweep_orphans();
                    // A sweep holds the lock that starting a child takes:
                    // let the children start.
                    std::thread::sleep(std::time::Duration::from_micros(300));
                }
                ended
            });
            for round in 0..60 {
                let chosen = choose(&dir, None);
                let into = tempfile::tempdir().unwrap();
                let exported = chosen
                    .as_ref()
                    .ok()
                    .and_then(|c| c.as_ref())
                    .map(|c| export(&dir, &c.commit, into.path(), Limits::default()));
                let read = std::fs::read_to_string(into.path().join("a.txt"));
                if !matches!(exported, Some(Ok(()))) || read.ok().as_deref() != Some("a\n") {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    panic!("round {round}: chosen {chosen:?}, exported {exported:?}");
                }
            }
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            assert_eq!(sweeper.join().unwrap(), 0, "the sweep ended a git");
        });
    }
}
