//! The result cache of the human report: grading again builds and runs only
//! the exercises whose files changed, and `--fresh` runs a kept failure
//! again. What ran is proven by the programs themselves: each appends its
//! exercise's name to a log file outside the test directory (Landlock off,
//! so that it may), once per run. And the build caches of two folders
//! share one compiled copy of the course's dependencies.
use crate::common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{grader, root};

/// Writes `exercise`'s crate into `sub`: the reference solution, whose
/// `main` first logs one line to `log`, and fails while `flag` exists.
fn instrumented(sub: &Path, exercise: &str, log: &Path, flag: &Path) {
    let dest = sub.join(exercise);
    common::copy_tree(&root().join("exercises").join(exercise), &dest);
    let solution =
        fs::read_to_string(root().join("solutions").join(exercise).join("src/main.rs")).unwrap();
    assert!(solution.contains("fn main() -> ExitCode {"), "{exercise}");
    let program = format!(
        "{}\n\
         fn main() -> ExitCode {{\n\
         \x20   use std::io::Write as _;\n\
         \x20   let mut log = std::fs::OpenOptions::new().create(true).append(true).open({log:?}).unwrap();\n\
         \x20   writeln!(log, \"{exercise}\").unwrap();\n\
         \x20   if std::path::Path::new({flag:?}).exists() {{\n\
         \x20       panic!(\"told to fail\");\n\
         \x20   }}\n\
         \x20   solution_main()\n\
         }}\n",
        solution.replace("fn main() -> ExitCode {", "fn solution_main() -> ExitCode {"),
    );
    fs::write(dest.join("src/main.rs"), program).unwrap();
}

/// The points of `exercise`, as its line shows them ("24/24").
fn full(exercise: &str) -> String {
    let catalog = grader::catalog::Catalog::builtin().unwrap();
    let points = catalog.exercise(exercise).unwrap().points;
    format!("{points}/{points}")
}

/// No points of `exercise`, as its line shows them (" 0/24 ").
fn none(exercise: &str) -> String {
    let catalog = grader::catalog::Catalog::builtin().unwrap();
    format!(" 0/{} ", catalog.exercise(exercise).unwrap().points)
}

/// How many runs of `exercise`'s program the log holds.
fn runs(log: &Path, exercise: &str) -> usize {
    fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| *l == exercise)
        .count()
}

/// The line of `exercise` in the focused view.
fn line_of<'a>(out: &'a str, exercise: &str) -> &'a str {
    out.lines()
        .find(|l| {
            l.split_whitespace().nth(2) == Some(exercise)
                || l.split_whitespace().nth(3) == Some(exercise)
        })
        .unwrap_or_else(|| panic!("no line of {exercise} in:\n{out}"))
}

#[test]
fn an_edit_grades_only_its_exercise_again_and_fresh_runs_a_kept_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let sub = tmp.path().join("submission");
    let log = tmp.path().join("runs.log");
    let flag = tmp.path().join("fail-now");
    for exercise in ["dict_lookup", "talk_split"] {
        instrumented(&sub, exercise, &log, &flag);
    }
    let grade = |extra: &[&str]| -> (Output, String) {
        let out = grader()
            .arg("grade")
            .arg(&sub)
            .arg("--target-dir")
            .arg(tmp.path().join("builds"))
            .args(["--no-landlock", "--build-timeout", "300"])
            .args(extra)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (out, text)
    };

    // First grading: both fail (told to), and both ran.
    fs::write(&flag, "").unwrap();
    let (_, first) = grade(&[]);
    let (d1, t1) = (runs(&log, "dict_lookup"), runs(&log, "talk_split"));
    assert!(
        d1 > 0 && t1 > 0,
        "the programs did not log their runs:\n{first}"
    );
    assert!(
        line_of(&first, "dict_lookup").contains(&none("dict_lookup")),
        "{first}"
    );
    assert!(!first.contains("unchanged"), "{first}");

    // The failure goes away outside the crates: nothing changed, nothing
    // runs, the kept failure is shown (marked unchanged).
    fs::remove_file(&flag).unwrap();
    let (_, kept) = grade(&[]);
    assert_eq!(
        (runs(&log, "dict_lookup"), runs(&log, "talk_split")),
        (d1, t1),
        "an unchanged submission was run again:\n{kept}"
    );
    for exercise in ["dict_lookup", "talk_split"] {
        let line = line_of(&kept, exercise);
        assert!(
            line.contains(" 0/") && line.ends_with("unchanged"),
            "{kept}"
        );
    }

    // An edit of talk_split: only talk_split builds and runs again.
    let main = sub.join("talk_split/src/main.rs");
    let mut text = fs::read_to_string(&main).unwrap();
    text.push_str("// an edit\n");
    fs::write(&main, text).unwrap();
    let (_, edited) = grade(&[]);
    assert_eq!(
        runs(&log, "dict_lookup"),
        d1,
        "dict_lookup ran again:\n{edited}"
    );
    assert!(
        runs(&log, "talk_split") > t1,
        "talk_split did not run again:\n{edited}"
    );
    let line = line_of(&edited, "talk_split");
    assert!(
        line.contains(&full("talk_split")) && !line.contains("unchanged"),
        "{edited}"
    );
    let line = line_of(&edited, "dict_lookup");
    assert!(
        line.contains(&none("dict_lookup")) && line.ends_with("unchanged"),
        "{edited}"
    );

    // --fresh runs the kept failure again: it passes now.
    let (out, fresh) = grade(&["--fresh"]);
    assert!(
        runs(&log, "dict_lookup") > d1,
        "--fresh did not run dict_lookup:\n{fresh}"
    );
    assert!(
        line_of(&fresh, "dict_lookup").contains(&full("dict_lookup")),
        "{fresh}"
    );
    assert!(!fresh.contains("unchanged"), "{fresh}");
    // The other exercises are missing from this submission: still exit 1.
    assert_eq!(out.status.code(), Some(1), "{fresh}");

    // Machine formats never read the cache: the JSON report runs the programs.
    let before = runs(&log, "talk_split");
    let (_, json) = grade(&["--format", "json", "--only", "talk_split"]);
    assert!(json.trim_start().starts_with('{'), "{json}");
    assert!(
        runs(&log, "talk_split") > before,
        "the JSON report came from the cache"
    );
}

/// A kept result reads in the reader's language: its sentences are kept
/// as catalog keys and typed arguments, not as the text of the language it
/// was graded in. Graded in English, then shown in Chinese from the cache,
/// it reads as a fresh Chinese grading does; shown in Chinese again, the
/// same.
#[test]
fn a_kept_result_reads_in_the_language_it_is_shown_in() {
    let tmp = tempfile::tempdir().unwrap();
    let sub = tmp.path().join("submission");
    common::copy_tree(
        &root().join("fixtures/broken/dict_lookup/keeps_carriage_return/dict_lookup"),
        &sub.join("dict_lookup"),
    );
    let grade = |extra: &[&str]| -> String {
        let out = grader()
            .arg("grade")
            .arg(&sub)
            .arg("--target-dir")
            .arg(tmp.path().join("builds"))
            .args(["--only", "dict_lookup", "--build-timeout", "300"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let english = grade(&["--lang", "en"]);
    assert!(english.contains("a line ending in"), "{english}");
    let kept = grade(&["--lang", "zh"]);
    let kept_again = grade(&["--lang", "zh"]);
    let fresh = grade(&["--lang", "zh", "--fresh"]);
    assert!(fresh.contains("与预期输出不同"), "{fresh}");
    // The kept one is marked so; all else is the same.
    let unchanged = "自上次评测以来没有改动（沿用保留的结果；--fresh 会重新评测）：dict_lookup\n";
    assert!(kept.contains(unchanged), "not from the cache:\n{kept}");
    assert_eq!(kept.replace(unchanged, ""), fresh);
    assert_eq!(kept_again, kept, "the second kept report differs");
}

/// Two folders graded without `--target-dir` (two build caches) share one
/// compiled copy of the course's dependencies: the user's dependency seed.
#[test]
fn two_folders_share_the_compiled_course_dependencies() {
    let tmp = tempfile::tempdir().unwrap();
    let temp = tmp.path().join("tmp");
    fs::create_dir_all(&temp).unwrap();
    // `broadcast` declares socket2. The two crates differ by a comment, so
    // that the second is compiled (not taken from the program cache).
    let folder = |name: &str, note: &str| {
        let sub = tmp.path().join(name);
        let dest = sub.join("broadcast");
        common::copy_tree(&root().join("solutions").join("broadcast"), &dest);
        let main = dest.join("src/bin/broadcast_send.rs");
        let text = fs::read_to_string(&main).unwrap();
        fs::write(&main, format!("// {note}\n{text}")).unwrap();
        sub
    };
    for (name, note) in [("first", "one"), ("second", "two")] {
        let out = grader()
            .arg("grade")
            .arg(folder(name, note))
            .args(["--only", "broadcast", "--format", "json"])
            .env("TMPDIR", &temp)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // SAFETY: getuid cannot fail and touches no memory.
    let uid = unsafe { libc::getuid() };
    let builds = temp.join(format!("socklings-builds-{uid}"));
    let seeds = fs::read_dir(builds.join("dependency-seeds")).map_or(0, |d| d.count());
    assert_eq!(
        seeds, 1,
        "one seed of the course's dependencies for the user"
    );
    let caches: Vec<_> = fs::read_dir(&builds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("targets").is_dir())
        .collect();
    assert_eq!(caches.len(), 2, "{caches:?}");
    for cache in caches {
        assert!(
            !cache.join("dependency-seeds").exists(),
            "{} compiled the dependencies again",
            cache.display()
        );
    }
}
