//! Shared helpers of the project's end-to-end tests: the grader binary, and
//! running it on a submission.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The grader binary, built once per test process.
pub fn grader_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-q", "-p", "grader"])
            .current_dir(root())
            .status()
            .expect("running cargo build -p grader");
        assert!(status.success(), "cargo build -p grader failed");
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("target"));
        target.join("debug").join("grader")
    })
}

/// A command running the grader from the repository root.
pub fn grader() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(grader_bin());
    cmd.current_dir(root());
    // The tests read the English texts: a Chinese locale on the machine
    // that runs them must not change the grader's language (`--lang zh`
    // asks for Chinese).
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8");
    cmd
}

/// Grades `dir` with the JSON format and the instructor's view; returns the
/// process output and the parsed report.
pub fn grade_json(dir: &Path, extra: &[&str]) -> (Output, Value) {
    let output = grader()
        .arg("grade")
        .arg(dir)
        .args(["--format", "json", "--audience", "instructor"])
        .args(extra)
        .output()
        .expect("running the grader");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "the grader did not print a JSON report ({e}); stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output, report)
}

/// Every test of a report as (exercise, test, status, cause).
pub fn tests_of(report: &Value) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for ex in report["exercises"].as_array().expect("exercises array") {
        for t in ex["tests"].as_array().expect("tests array") {
            out.push((
                ex["name"].as_str().unwrap().to_string(),
                t["name"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
                t["cause"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    out
}

/// The names of the exercises in the course manifest, in order.
pub fn exercise_names() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("course.toml")).unwrap();
    let course: toml::Table = toml::from_str(&text).unwrap();
    course["exercise"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

/// Copies the tree `from` into `to` (created), leaving out `target`
/// directories.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&entry.path(), &dest);
            }
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Gives a new target directory `target` the compiled crates.io
/// dependencies of this workspace's debug build (their `deps`, `build` and
/// `.fingerprint` entries, times kept), and nothing of the workspace's own
/// packages: a build there compiles every crate of the repository from its
/// files, and only what comes from the registry, compiled from the same
/// `Cargo.lock`, is reused. As a student's machine that has built once.
pub fn seed_target(target: &Path) {
    let lock: toml::Table = std::fs::read_to_string(root().join("Cargo.lock"))
        .unwrap()
        .parse()
        .unwrap();
    let registry: Vec<String> = lock["package"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p.get("source").is_some())
        .map(|p| p["name"].as_str().unwrap().replace('-', "_"))
        .collect();
    let from = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("debug");
    for part in ["deps", "build", ".fingerprint"] {
        let dest = target.join("debug").join(part);
        std::fs::create_dir_all(&dest).unwrap();
        let Ok(entries) = std::fs::read_dir(from.join(part)) else {
            continue;
        };
        let picked: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| {
                // `<name>-<hash>`, `lib<name>-<hash>.rlib`, `<name>-<hash>.d`…
                let file = e.file_name().to_string_lossy().replace('-', "_");
                let of = |name: &str, r: &str| {
                    name.strip_prefix(r)
                        .and_then(|rest| rest.strip_prefix('_'))
                        .is_some_and(|rest| {
                            let hash = rest.split('.').next().unwrap_or("");
                            hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
                        })
                };
                registry
                    .iter()
                    .any(|r| of(&file, r) || file.strip_prefix("lib").is_some_and(|f| of(f, r)))
            })
            .map(|e| e.path())
            .collect();
        if picked.is_empty() {
            continue;
        }
        let status = Command::new("cp")
            .arg("-a")
            .args(&picked)
            .arg(&dest)
            .status()
            .expect("running cp");
        assert!(status.success(), "copying the compiled dependencies failed");
    }
}
