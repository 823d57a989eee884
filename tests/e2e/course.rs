//! The course manifest, `exercises/` and `solutions/` agree: every exercise
//! has a stub crate with both READMEs, a solution of the same package name,
//! and nothing stray lies beside them.
use crate::common;

use std::collections::BTreeSet;
use std::fs;

use common::{exercise_names, root};

fn dirs_in(path: &str) -> BTreeSet<String> {
    fs::read_dir(root().join(path))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "target")
        .collect()
}

fn package_name(path: &std::path::Path) -> String {
    let text = fs::read_to_string(path.join("Cargo.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table["package"]["name"].as_str().unwrap().to_string()
}

#[test]
fn manifest_exercises_and_solutions_list_the_same_crates() {
    let manifest: BTreeSet<String> = exercise_names().into_iter().collect();
    assert_eq!(
        dirs_in("exercises"),
        manifest,
        "exercises/ against course.toml"
    );
    // Beside the solutions, one crate that is not an exercise: the grader
    // as the solutions' test, for mutation testing (docs/mutants.md).
    let mut solutions = dirs_in("solutions");
    assert!(
        solutions.remove(GRADE_SELF),
        "solutions/{GRADE_SELF} is missing"
    );
    assert_eq!(solutions, manifest, "solutions/ against course.toml");
}

/// The crate of the solutions workspace that grades it (docs/mutants.md).
const GRADE_SELF: &str = "grade_self";

/// The programs of each exercise, from the manifest (one named like the
/// exercise unless `programs` lists several).
fn programs_of(name: &str) -> Vec<String> {
    let text = fs::read_to_string(root().join("course.toml")).unwrap();
    let course: toml::Table = toml::from_str(&text).unwrap();
    let entry = course["exercise"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"].as_str() == Some(name))
        .unwrap()
        .clone();
    match entry.get("programs").and_then(|p| p.as_array()) {
        Some(list) => list
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect(),
        None => vec![name.to_string()],
    }
}

/// The source file of `program` in the crate at `dir`.
fn program_source(dir: &std::path::Path, crate_name: &str, program: &str) -> String {
    let path = if program == crate_name {
        dir.join("src/main.rs")
    } else {
        dir.join("src/bin").join(format!("{program}.rs"))
    };
    fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} missing", path.display()))
}

#[test]
fn every_exercise_has_a_stub_two_readmes_and_a_solution() {
    for name in exercise_names() {
        let ex = root().join("exercises").join(&name);
        let sol = root().join("solutions").join(&name);
        assert_eq!(package_name(&ex), name);
        assert_eq!(package_name(&sol), name);
        let programs = programs_of(&name);
        for readme in ["README.md", "README.zh.md"] {
            let text = fs::read_to_string(ex.join(readme))
                .unwrap_or_else(|_| panic!("{name}/{readme} missing"));
            for program in &programs {
                assert!(
                    text.contains(program.as_str()),
                    "{name}/{readme} does not name the program {program}"
                );
            }
        }
        for program in &programs {
            let stub = program_source(&ex, &name, program);
            assert!(
                stub.contains("todo!("),
                "the stub of {program} ({name}) must leave its work to the student"
            );
            let solution = program_source(&sol, &name, program);
            assert!(
                !solution.contains("todo!("),
                "the solution of {program} ({name}) is unfinished"
            );
        }
    }
}

#[test]
fn the_grader_lists_the_exercises_in_manifest_order() {
    let out = common::grader().arg("list").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let positions: Vec<usize> = exercise_names()
        .iter()
        .map(|n| {
            text.find(n.as_str())
                .unwrap_or_else(|| panic!("`grader list` omits {n}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn hints_exist_for_every_exercise() {
    for name in exercise_names() {
        let out = common::grader().args(["hint", &name]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("1. "), "no hint for {name}: {text}");
    }
    common::grader()
        .args(["hint", "no_such_exercise"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no exercise named `no_such_exercise`",
        ));
}

/// The code spans (`` `…` ``) of a text, as a set.
fn code_spans(text: &str) -> BTreeSet<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn every_chinese_hint_says_the_english_ones_code_in_chinese() {
    // The same hints in both languages: as many, the same code spans in
    // each (code is never translated), and no English sentence in the
    // Chinese (the leak check of the grader's Chinese reports).
    let text = fs::read_to_string(root().join("course.toml")).unwrap();
    let course: toml::Table = toml::from_str(&text).unwrap();
    let strings = |ex: &toml::Value, key: &str| -> Vec<String> {
        ex[key]
            .as_array()
            .unwrap_or_else(|| panic!("{} has no {key}", ex["name"]))
            .iter()
            .map(|h| h.as_str().unwrap().to_string())
            .collect()
    };
    let mut checked = 0;
    for ex in course["exercise"].as_array().unwrap() {
        let name = ex["name"].as_str().unwrap();
        let (en, zh) = (strings(ex, "hints"), strings(ex, "hints_zh"));
        assert_eq!(en.len(), zh.len(), "{name}: hints in English and Chinese");
        for (i, (en, zh)) in en.iter().zip(&zh).enumerate() {
            assert_eq!(
                code_spans(en),
                code_spans(zh),
                "{name}, hint {}: other code in Chinese than in English:\n{en}\n{zh}",
                i + 1
            );
            assert!(
                grader::leak::english_run(zh).is_none(),
                "{name}, hint {}: English in the Chinese hint: {zh}",
                i + 1
            );
            checked += 1;
        }
    }
    assert!(checked >= 19 * 4, "{checked} hints checked");
}

/// Every equivalent mutant listed in mutants/equivalents.toml still names a
/// line of the solutions that holds the code it mutates (docs/mutants.md):
/// a list that no longer matches the solutions is stale.
#[test]
fn listed_equivalent_mutants_match_the_solutions() {
    let text = fs::read_to_string(root().join("mutants/equivalents.toml")).unwrap();
    let list: toml::Table = toml::from_str(&text).unwrap();
    let entries = list
        .get("equivalent")
        .and_then(|e| e.as_array())
        .cloned()
        .unwrap_or_default();
    for entry in entries {
        let field = |key: &str| {
            entry
                .get(key)
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("an equivalent mutant without `{key}`: {entry}"))
                .to_string()
        };
        let (mutant, code, reason) = (field("mutant"), field("code"), field("reason"));
        assert!(!reason.trim().is_empty(), "{mutant}: no reason given");
        // `dict_lookup/src/main.rs:34:19: replace != with == in main`
        let mut parts = mutant.splitn(3, ':');
        let (file, line) = (parts.next().unwrap(), parts.next().unwrap_or(""));
        let line: usize = line
            .parse()
            .unwrap_or_else(|_| panic!("{mutant}: no line number after the file"));
        let source = fs::read_to_string(root().join("solutions").join(file))
            .unwrap_or_else(|e| panic!("{mutant}: solutions/{file}: {e}"));
        let at = source.lines().nth(line - 1).unwrap_or("");
        assert!(
            at.contains(code.trim()),
            "{mutant}: line {line} of solutions/{file} no longer holds `{code}` (it reads `{}`): \
             the mutant is gone or moved; run mutants/run and update the list",
            at.trim()
        );
    }
}
