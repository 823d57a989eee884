//! `grader gradescope-bundle`: the autograder zip holds what Gradescope
//! needs and nothing of the solutions or the project's test submissions;
//! unpacked as Gradescope does, its `run_autograder` grades a submission
//! into a valid `results.json`, and still writes one when the grader cannot
//! run (no toolchain, no grader).
use crate::common;
use crate::formats::schemas;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{copy_tree, grader, grader_bin, root};
use schemas::check_gradescope;
use serde_json::Value;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The points of an exercise: its suite's tests' points.
fn points(exercise: &str) -> u64 {
    let catalog = grader::catalog::Catalog::builtin().unwrap();
    u64::from(catalog.exercise(exercise).unwrap().points)
}

/// Writes the bundle and unpacks it as Gradescope does, into
/// `<dir>/source`; returns the zip's entry names.
fn unpack_bundle(dir: &Path) -> Vec<String> {
    let zip_path = dir.join("autograder.zip");
    grader()
        .arg("gradescope-bundle")
        .arg(&zip_path)
        .assert()
        .success();
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().to_string())
        .collect();
    for script in ["setup.sh", "run_autograder"] {
        let entry = archive.by_name(script).unwrap();
        let mode = entry.unix_mode().expect("unix permissions");
        assert_eq!(mode & 0o111, 0o111, "{script} must be executable");
    }
    archive.extract(dir.join("source")).unwrap();
    names
}

/// A `PATH` with only the tools `run_autograder` needs from the system,
/// and certainly no `cargo`.
fn path_without_cargo(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    for tool in [
        "bash", "cat", "date", "mkdir", "mktemp", "mv", "rm", "tail", "tr", "env",
    ] {
        let found = ["/usr/bin", "/bin"]
            .iter()
            .map(|d| Path::new(d).join(tool))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("{tool} is not on this system"));
        std::os::unix::fs::symlink(found, bin.join(tool)).unwrap();
    }
    bin
}

/// Runs the unpacked `run_autograder` with `/autograder` at `dir`.
fn run_autograder(dir: &Path, path: &Path, home: &Path) -> Output {
    let out = Command::new(dir.join("source/run_autograder"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("AUTOGRADER_ROOT", dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "run_autograder always succeeds: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn gradescope_bundle_holds_the_grader_and_no_solutions() {
    let tmp = tempfile::tempdir().unwrap();
    let names = unpack_bundle(tmp.path());
    for needed in [
        "setup.sh",
        "run_autograder",
        "socklings/Cargo.toml",
        "socklings/Cargo.lock",
        "socklings/course.toml",
        "socklings/.cargo/config.toml",
        "socklings/grader/Cargo.toml",
        "socklings/grader/src/main.rs",
        "socklings/grader/src/suites/dict_lookup/mod.rs",
        // The hidden tests too: the bundle is the course's grader.
        "socklings/grader/src/suites/dict_lookup/hidden.rs",
        "socklings/exercises/dict_lookup/Cargo.toml",
        // Data the suites embed: the grader does not compile without it.
        "socklings/fixtures/dict_lookup/sample.txt",
    ] {
        assert!(names.iter().any(|n| n == needed), "{needed} is missing");
    }
    for name in &names {
        for part in [
            "solutions/",
            "fixtures/broken/",
            "fixtures/hostile/",
            "target/",
            ".git/",
            "socklings/tests/",
        ] {
            assert!(!name.contains(part), "{name} has no place in the bundle");
        }
    }
    // No file of the bundle is a solution's source.
    let source = tmp.path().join("source");
    let bundled: Vec<Vec<u8>> = names
        .iter()
        .filter(|n| n.ends_with(".rs"))
        .map(|n| fs::read(source.join(n)).unwrap())
        .collect();
    for ex in fs::read_dir(root().join("solutions")).unwrap() {
        let main = ex.unwrap().path().join("src/main.rs");
        if let Ok(solution) = fs::read(&main) {
            assert!(
                !bundled.contains(&solution),
                "{} is in the bundle",
                main.display()
            );
        }
    }
    // The workspace has no root package (the project's tests need what the
    // bundle leaves out).
    let manifest: toml::Table = fs::read_to_string(source.join("socklings/Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(manifest.get("package").is_none());
    assert!(manifest.get("workspace").is_some());
}

#[test]
fn run_autograder_writes_results_even_when_the_grader_cannot_run() {
    let tmp = tempfile::tempdir().unwrap();
    unpack_bundle(tmp.path());
    copy_tree(
        &root().join("solutions/dict_lookup"),
        &tmp.path().join("submission/dict_lookup"),
    );
    let home = tmp.path().join("home");
    fs::create_dir_all(&home).unwrap();
    let path = path_without_cargo(tmp.path());
    let results = tmp.path().join("results/results.json");

    // No toolchain and no grader built: the grader cannot even be built.
    let out = run_autograder(tmp.path(), &path, &home);
    let text = fs::read_to_string(&results).unwrap_or_else(|_| {
        panic!(
            "no results.json; stdout:\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let v = json(&text);
    check_gradescope(&v);
    assert_eq!(v["score"], 0);
    let output = v["output"].as_str().unwrap();
    assert!(
        output.contains("could not grade") && output.contains("could not be built"),
        "{output}"
    );

    // The grader built (as setup.sh leaves it), but cargo is gone: the
    // grader stops with an error, and a results file is still written.
    let built = tmp.path().join("source/socklings/target/release/grader");
    fs::create_dir_all(built.parent().unwrap()).unwrap();
    fs::copy(grader_bin(), &built).unwrap();
    run_autograder(tmp.path(), &path, &home);
    let v = json(&fs::read_to_string(&results).unwrap());
    check_gradescope(&v);
    assert_eq!(v["score"], 0);
    let output = v["output"].as_str().unwrap();
    assert!(output.contains("exit code 2"), "{output}");
    assert!(
        output.contains("could not run `rustc`") && output.contains("install Rust"),
        "the grader's own error names the missing toolchain: {output}"
    );
}

#[test]
fn run_autograder_grades_a_whole_repository_submission() {
    let tmp = tempfile::tempdir().unwrap();
    unpack_bundle(tmp.path());
    // A student repository uploaded whole: exercises/ inside it.
    copy_tree(
        &root().join("solutions/dict_lookup"),
        &tmp.path().join("submission/exercises/dict_lookup"),
    );
    let built = tmp.path().join("source/socklings/target/release/grader");
    fs::create_dir_all(built.parent().unwrap()).unwrap();
    fs::copy(grader_bin(), &built).unwrap();
    let path = std::env::var_os("PATH").unwrap();
    let home = std::env::var_os("HOME").unwrap();
    run_autograder(tmp.path(), Path::new(&path), Path::new(&home));

    let v = json(&fs::read_to_string(tmp.path().join("results/results.json")).unwrap());
    check_gradescope(&v);
    let tests = v["tests"].as_array().unwrap();
    let dict: Vec<&Value> = tests
        .iter()
        .filter(|t| t["name"].as_str().unwrap().starts_with("dict_lookup::"))
        .collect();
    assert!(!dict.is_empty());
    assert!(dict.iter().all(|t| t["status"] == "passed"), "{v}");
    assert_eq!(v["score"].as_u64(), Some(points("dict_lookup")));
    // The other exercises are missing from this submission.
    assert!(tests
        .iter()
        .filter(|t| !t["name"].as_str().unwrap().starts_with("dict_lookup::"))
        .all(|t| t["status"] == "failed" && t["score"] == 0));
}
