//! Watch mode as a person meets it: in a real terminal (a tmux session:
//! `send-keys` types, `capture-pane` reads the screen), an edit of an
//! exercise file raises its score, `h` shows a hint, `q` gives the shell
//! back with the terminal restored. Off a terminal: plain lines, one report
//! per change, no escape codes, and the end of stdin ends it.
//!
//! Nothing waits a fixed time: every step polls the screen (or the output)
//! until what it expects is there, with a generous deadline.
use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{copy_tree, grader_bin, root};

/// How long any one step may take on a loaded machine (a first build of
/// the exercises included).
const DEADLINE: Duration = Duration::from_secs(240);

/// A tmux server of its own, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(shell_dir: &Path) -> Tmux {
        let version = Command::new("tmux").arg("-V").output();
        assert!(
            version.is_ok_and(|o| o.status.success()),
            "this test needs tmux (apt-get install -y tmux; .ci/run installs it)"
        );
        let tmux = Tmux {
            socket: format!("socklings-watch-{}", std::process::id()),
        };
        // The server runs the pane's command with $SHELL, else the user's
        // login shell, which for a service account (nobody's) is nologin.
        let status = Command::new("tmux")
            .env("SHELL", "/bin/sh")
            .args(["-L", &tmux.socket, "-f", "/dev/null"])
            .args(["new-session", "-d", "-s", "watch", "-x", "120", "-y", "50"])
            .arg("-c")
            .arg(shell_dir)
            // `exec`: the pane's process is the interactive shell itself,
            // whose first child is then the grader, whatever $SHELL does.
            .arg("exec env PS1='watch-test$ ' bash --norc --noprofile")
            .status()
            .unwrap();
        assert!(status.success(), "tmux new-session failed");
        tmux
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap()
    }

    /// Types `keys` (tmux key names, such as `Enter`).
    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "watch"];
        args.extend(keys);
        assert!(self.tmux(&args).status.success(), "send-keys {keys:?}");
    }

    /// The screen, wrapped lines joined.
    fn screen(&self) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-J", "-t", "watch"])
                .stdout,
        )
        .into_owned()
    }

    /// Waits until the screen satisfies `ok`; returns it.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// The points of these exercises of the course.
fn points(exercises: &[&str]) -> u32 {
    let catalog = grader::catalog::Catalog::builtin().unwrap();
    exercises
        .iter()
        .map(|e| catalog.exercise(e).unwrap().points)
        .sum()
}

/// A copy of the course's exercises in a temporary directory.
fn course_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let sub = tmp.path().join("exercises");
    for exercise in ["dict_lookup", "talk_split"] {
        copy_tree(
            &root().join("exercises").join(exercise),
            &sub.join(exercise),
        );
    }
    (tmp, sub)
}

/// The command line of watch mode on `sub` (two exercises, to be quick).
fn watch_args(tmp: &Path, sub: &Path) -> Vec<String> {
    vec![
        "grade".into(),
        sub.display().to_string(),
        "--watch".into(),
        "--only".into(),
        "dict_lookup".into(),
        "--only".into(),
        "talk_split".into(),
        "--target-dir".into(),
        tmp.join("builds").display().to_string(),
    ]
}

fn solve(sub: &Path, exercise: &str) {
    let solution = root().join("solutions").join(exercise).join("src/main.rs");
    std::fs::copy(solution, sub.join(exercise).join("src/main.rs")).unwrap();
}

#[test]
fn in_a_terminal_an_edit_raises_the_score_h_hints_and_q_restores_the_terminal() {
    let (tmp, sub) = course_copy();
    let tmux = Tmux::start(tmp.path());
    tmux.wait_for("the shell's prompt", |s| s.contains("watch-test$"));
    let command: Vec<String> = std::iter::once(grader_bin().display().to_string())
        .chain(watch_args(tmp.path(), &sub))
        .collect();
    tmux.send(&[&command.join(" "), "Enter"]);

    let total = points(&["dict_lookup", "talk_split"]);
    let dict_lookup = points(&["dict_lookup"]);
    let first = tmux.wait_for("the first report", |s| {
        s.contains(&format!(" 0/{total} points"))
            && s.contains("▶ dict_lookup:")
            && s.contains("keys: h hint")
    });
    assert!(first.contains("✗ finds_a_word (2 pts, visible)"), "{first}");

    // The student solves dict_lookup and saves.
    solve(&sub, "dict_lookup");
    let solved = tmux.wait_for("dict_lookup's full marks", |s| {
        s.contains(&format!(" {dict_lookup}/{total} points"))
            && s.contains("✓ dict_lookup has full marks! On to talk_split.")
    });
    assert!(
        solved
            .lines()
            .any(|l| l.contains("dict_lookup")
                && l.contains(&format!("{dict_lookup}/{dict_lookup}"))),
        "{solved}"
    );
    assert!(solved.contains("▶ talk_split:"), "{solved}");

    // h: the hints of the current exercise.
    let catalog = grader::catalog::Catalog::builtin().unwrap();
    let hint: String = catalog.exercise("talk_split").unwrap().entry.hints[0]
        .chars()
        .take(60)
        .collect();
    tmux.send(&["h"]);
    tmux.wait_for("talk_split's hints", |s| {
        s.contains("Hints for talk_split") && s.contains(&hint)
    });

    // p: back to the exercise just finished; l: the list with scores.
    tmux.send(&["p"]);
    tmux.wait_for("dict_lookup made current again", |s| {
        s.contains("▶ dict_lookup:") && s.contains("full marks: every test it ran passed")
    });
    tmux.send(&["l"]);
    tmux.wait_for("the list with scores", |s| {
        s.contains("tests passed in all") && !s.contains("▶ dict_lookup:")
    });

    // q: the shell is back, its terminal in canonical mode with echo.
    tmux.send(&["q"]);
    tmux.wait_for("the end of watch mode", |s| {
        s.contains("watch mode ended") && s.trim_end().ends_with("watch-test$")
    });
    assert_restored(&tmux, 42);

    // Started again: the progress is still there (the kept results), and
    // nothing is graded again.
    tmux.send(&["clear", "Enter"]);
    // The old view must be gone first: on a loaded machine the shell may
    // not have cleared yet, and the old screen holds the same totals.
    tmux.wait_for("the screen cleared", |s| !s.contains("watch mode ended"));
    tmux.send(&[&command.join(" "), "Enter"]);
    let again = tmux.wait_for("the view after a restart", |s| {
        s.contains(&format!(" {dict_lookup}/{total} points")) && s.contains("keys: h hint")
    });
    for exercise in ["dict_lookup", "talk_split"] {
        assert!(
            again
                .lines()
                .any(|l| l.contains(exercise) && l.trim_end().ends_with("unchanged")),
            "{exercise} was graded again after a restart:\n{again}"
        );
    }

    // A signal (a kill, a closed terminal) ends it with the terminal restored too.
    let shell = String::from_utf8(
        tmux.tmux(&["display-message", "-p", "-t", "watch", "#{pane_pid}"])
            .stdout,
    )
    .unwrap();
    let shell = shell.trim();
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap();
    let grader_pid = children.split_whitespace().next().expect("the grader runs");
    let killed = Command::new("kill")
        .args(["-TERM", grader_pid])
        .status()
        .unwrap();
    assert!(killed.success());
    tmux.wait_for("the end of watch mode on SIGTERM", |s| {
        s.contains("watch mode ended") && s.trim_end().ends_with("watch-test$")
    });
    assert_restored(&tmux, 43);
}

/// Checks, by typing into the shell, that the terminal is back in
/// canonical mode with echo and signals (`stty -a`) and echoes what is typed.
fn assert_restored(tmux: &Tmux, n: u32) {
    tmux.send(&[&format!("stty -a; echo typed-$(({n}-1+1))"), "Enter"]);
    let after = tmux.wait_for("stty's settings", |s| s.contains(&format!("typed-{n}\n")));
    let settings: Vec<&str> = after
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect();
    for flag in ["icanon", "echo", "isig"] {
        assert!(
            settings.contains(&flag) && !settings.contains(&format!("-{flag}").as_str()),
            "the terminal was left without {flag}:\n{after}"
        );
    }
    assert!(
        after.contains(&format!("echo typed-$(({n}-1+1))")),
        "the typed command was not echoed:\n{after}"
    );
}

#[test]
fn off_a_terminal_each_change_prints_one_plain_report_and_stdin_ends_it() {
    let (tmp, sub) = course_copy();
    let mut child = Command::new(grader_bin())
        .args(watch_args(tmp.path(), &sub))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // The lines of one report, up to its closing `watching` line.
    let report = |what: &str| -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            match rx.recv_timeout(DEADLINE) {
                Ok(line) => {
                    let end = line.starts_with("watching ");
                    lines.push(line);
                    if end {
                        return lines;
                    }
                }
                Err(e) => panic!("no {what} ({e:?}); so far:\n{}", lines.join("\n")),
            }
        }
    };
    let total = points(&["dict_lookup", "talk_split"]);
    let first = report("first report");
    let text = first.join("\n");
    assert!(text.contains(&format!(" 0/{total} points")), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "escape codes off a terminal:\n{text}"
    );

    solve(&sub, "talk_split");
    let second = report("report after the edit").join("\n");
    assert!(second.contains("talk_split: grading…"), "{second}");
    let talk_split = points(&["talk_split"]);
    assert!(
        second.contains(&format!(" {talk_split}/{total} points")),
        "{second}"
    );
    assert!(!second.contains('\u{1b}'), "{second}");
    // The other exercise was not graded again.
    assert!(
        second
            .lines()
            .any(|l| l.contains("dict_lookup") && l.ends_with("unchanged")),
        "{second}"
    );

    // Lines of stdin are keys; the end of stdin ends watch mode.
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "h").unwrap();
    let hints = report("hints").join("\n");
    assert!(hints.contains("Hints for dict_lookup"), "{hints}");
    drop(stdin);
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "watch mode outlived its stdin"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watch_mode_refuses_machine_formats_in_one_line() {
    for args in [&["--format", "json"][..], &["--results", "results.json"]] {
        let out = Command::new(grader_bin())
            .args(["grade", "--watch"])
            .args(args)
            .current_dir(root())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("grader:"))
            .collect();
        assert_eq!(lines.len(), 1, "{args:?}: {stderr}");
        assert!(lines[0].contains("--watch"), "{stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
