//! The grader on a machine that is not the one it was developed on: cargo's
//! home somewhere else (a CI runner's, the official Rust image's, a fresh
//! directory) and an empty cache with no network. The build sandbox must
//! still find and run the toolchain, and the course's locked dependencies
//! must be there before the offline build, or the grader says in one line
//! what is missing.
use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_tree, grader, root};

/// The cargo home the project's own build used.
fn real_cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"))
}

/// The course's locked dependencies.
fn course_packages() -> Vec<grader::toolchain::LockedPackage> {
    let course: toml::Table =
        toml::from_str(&fs::read_to_string(root().join("course.toml")).unwrap()).unwrap();
    let allowed: Vec<String> = course["course"]["allowed_dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let lock = fs::read_to_string(root().join("Cargo.lock")).unwrap();
    grader::toolchain::locked_closure(&lock, &allowed).unwrap()
}

/// A grader command as a user would run the built program: no `CARGO` or
/// `RUSTC` from a surrounding cargo, cargo's home at `home`.
fn grader_with_cargo_home(home: &Path) -> assert_cmd::Command {
    let mut cmd = grader();
    cmd.env_remove("CARGO")
        .env_remove("RUSTC")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env("CARGO_HOME", home);
    cmd
}

#[test]
fn offline_with_an_empty_cargo_cache_the_grader_says_what_is_missing_in_one_line() {
    let home = tempfile::tempdir().unwrap();
    let out = grader_with_cargo_home(home.path())
        .env("CARGO_NET_OFFLINE", "true")
        .args(["grade", "--only", "poll_echo"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(out.stdout.is_empty(), "no report without a build");
    assert_eq!(
        stderr.lines().count(),
        1,
        "one line, not compiler messages: {stderr}"
    );
    for package in course_packages() {
        assert!(
            stderr.contains(&package.to_string()),
            "`{package}` is named as missing: {stderr}"
        );
    }
    assert!(stderr.contains("cargo fetch"), "says what to run: {stderr}");
    assert!(
        !home.path().join("registry/src").exists()
            || fs::read_dir(home.path().join("registry/src"))
                .unwrap()
                .count()
                == 0,
        "nothing was unpacked"
    );
}

#[test]
fn a_cargo_home_elsewhere_builds_under_the_sandbox_without_fetching() {
    // A cargo home of its own holding just the course's locked packages
    // that this system needs (as a CI runner's or the official Rust image's
    // would), apart from the rustup proxies in ~/.cargo/bin: the sandbox
    // must let the build run the real toolchain all the same.
    let real = real_cargo_home().join("registry");
    let home = tempfile::tempdir().unwrap();
    let registry = home.path().join("registry");
    copy_tree(&real.join("index"), &registry.join("index"));
    for package in course_packages() {
        let package = format!("{}-{}", package.name, package.version);
        for kind in ["src", "cache"] {
            for dir in fs::read_dir(real.join(kind)).unwrap().flatten() {
                let (from, to) = match kind {
                    "src" => (dir.path().join(&package), package.clone()),
                    _ => (
                        dir.path().join(format!("{package}.crate")),
                        format!("{package}.crate"),
                    ),
                };
                let dest = registry.join(kind).join(dir.file_name()).join(to);
                if from.is_dir() {
                    copy_tree(&from, &dest);
                } else if from.is_file() {
                    fs::create_dir_all(dest.parent().unwrap()).unwrap();
                    fs::copy(&from, &dest).unwrap();
                }
            }
        }
    }
    let cache = tempfile::tempdir().unwrap();
    let out = grader_with_cargo_home(home.path())
        // Nothing may be downloaded: the packages are all there.
        .env("CARGO_NET_OFFLINE", "true")
        .arg("grade")
        .arg(root().join("solutions"))
        .args(["--only", "poll_echo", "--format", "json"])
        .arg("--target-dir")
        .arg(cache.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}); stderr: {stderr}"));
    let exercise = &report["exercises"][0];
    assert_eq!(
        exercise["build"], "ok",
        "the build ran: {}",
        exercise["build_message"]
    );
    assert_eq!(report["score"], report["max_score"], "stderr: {stderr}");
    assert_eq!(out.status.code(), Some(0));
}
