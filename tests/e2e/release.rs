//! `grader release OUT` end to end: the repository students clone holds the
//! workspace, the exercise stubs as they are, the grader with its visible
//! tests only (and the test data they use), the README for students, the
//! `cargo grade` alias and the GitHub Classroom workflow; it holds none of
//! the text that only hidden tests, solutions and broken submissions carry.
//! The released repository is built and graded for real: the stubs score 0
//! of the visible points, and a solution copied in gets its full points.
//!
//! The markers of hidden content are computed from the course itself (the
//! grader's catalog, the suites' source, `solutions/`, `fixtures/broken/`),
//! so they follow the course as it grows. A marker that the course also
//! releases legitimately (a hidden test's name that another exercise uses for
//! a visible test, a solution line that the grader's own code holds) is a
//! collision: it is printed, and allowed only in the released files that
//! carry it in the course.
use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{copy_tree, exercise_names, root};
use grader::catalog::Catalog;
use grader::harness::Visibility;
use serde_json::Value;

/// The exercise solved in the released repository.
const SOLVED: &str = "dict_lookup";

/// The shortest line of a solution or a hidden test that counts as a marker:
/// shorter lines are too often ordinary code (`let mut buf = [0u8; 4096];`).
const MIN_LINE: usize = 40;

// ----------------------------------------------------------------------
// Trees of files
// ----------------------------------------------------------------------

/// One entry of a tree of files.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Every entry below `dir` by its path relative to `dir` (with `/`),
/// leaving out build output (`target/`, `.git/`) when `skip_build` is set.
fn tree(dir: &Path, skip_build: bool) -> BTreeMap<String, Node> {
    fn walk(dir: &Path, prefix: &str, skip_build: bool, out: &mut BTreeMap<String, Node>) {
        for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = format!("{prefix}{name}");
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                if skip_build && (name == "target" || name == ".git") {
                    continue;
                }
                out.insert(rel.clone(), Node::Dir);
                walk(&entry.path(), &format!("{rel}/"), skip_build, out);
            } else if kind.is_symlink() {
                out.insert(rel, Node::Link(fs::read_link(entry.path()).unwrap()));
            } else {
                out.insert(rel, Node::File(fs::read(entry.path()).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", skip_build, &mut out);
    out
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The exit code and output of a command, for an assertion's message.
fn shown(output: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs `grader release OUT` for OUT in a new temporary directory, and
/// checks it succeeded.
fn release() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = common::grader().arg("release").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    (tmp, out)
}

// ----------------------------------------------------------------------
// The course: visible and hidden tests
// ----------------------------------------------------------------------

/// The names of an exercise's tests of one visibility, in the suite's order.
fn test_names(catalog: &Catalog, exercise: &str, visibility: Visibility) -> Vec<String> {
    catalog
        .exercise(exercise)
        .unwrap_or_else(|| panic!("no exercise `{exercise}` in the catalog"))
        .tests
        .iter()
        .filter(|t| t.visibility == visibility)
        .map(|t| t.name.to_string())
        .collect()
}

/// The points of an exercise's visible tests.
fn visible_points(catalog: &Catalog, exercise: &str) -> u32 {
    catalog
        .exercise(exercise)
        .unwrap()
        .tests
        .iter()
        .filter(|t| t.visibility == Visibility::Visible)
        .map(|t| t.points)
        .sum()
}

/// Every visible test name of the course.
fn all_visible_names(catalog: &Catalog) -> BTreeSet<String> {
    catalog
        .exercises
        .iter()
        .flat_map(|e| test_names(catalog, &e.entry.name, Visibility::Visible))
        .collect()
}

/// The suite file of an exercise with its visible tests, relative to the
/// course root: released as it is.
fn suite_path(exercise: &str) -> String {
    format!("grader/src/suites/{exercise}/mod.rs")
}

/// The file of a suite folder with the hidden tests, relative to the
/// course root.
fn hidden_path(exercise: &str) -> String {
    format!("grader/src/suites/{exercise}/hidden.rs")
}

/// How a suite's files name their test data in the release and in the
/// course.
const DATA_PREFIXES: (&str, &str) = ("\"../../../data/", "\"../../../../fixtures/");

/// A `TestDef::hidden(...)` entry of a suite's source.
struct HiddenEntry {
    /// The test's name.
    name: String,
    /// The function that runs it.
    function: String,
}

/// Every `TestDef::hidden("name", points, function)` of a suite's source.
fn hidden_entries(source: &str, suite: &str) -> Vec<HiddenEntry> {
    const OPEN: &str = "TestDef::hidden(";
    let mut entries = Vec::new();
    let mut from = 0;
    while let Some(at) = source[from..].find(OPEN) {
        let start = from + at;
        let args_start = start + OPEN.len();
        let mut depth = 1;
        let mut in_string = false;
        let mut escaped = false;
        let mut args = vec![String::new()];
        let mut end = None;
        for (i, c) in source[args_start..].char_indices() {
            if in_string {
                in_string = c != '"' || escaped;
                escaped = c == '\\' && !escaped;
            } else if c == '"' {
                in_string = true;
            } else if c == '(' {
                depth += 1;
            } else if c == ')' {
                depth -= 1;
                if depth == 0 {
                    end = Some(args_start + i + 1);
                    break;
                }
            } else if c == ',' && depth == 1 {
                args.push(String::new());
                continue;
            }
            args.last_mut().unwrap().push(c);
        }
        let end = end.unwrap_or_else(|| panic!("{suite}: a `{OPEN}` is never closed"));
        let args: Vec<&str> = args
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .collect();
        let [name, _points, function] = args[..] else {
            panic!(
                "{suite}: `{}` is not `{OPEN}\"name\", points, function)`",
                &source[start..end]
            );
        };
        let name = name
            .strip_prefix('"')
            .and_then(|n| n.strip_suffix('"'))
            .unwrap_or_else(|| {
                panic!("{suite}: the hidden test name {name} is not a string literal")
            });
        entries.push(HiddenEntry {
            name: name.to_string(),
            function: function.to_string(),
        });
        from = end;
    }
    entries
}

// ----------------------------------------------------------------------
// Markers of hidden content
// ----------------------------------------------------------------------

/// What a marker stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A hidden test's name, its function's name, or a line of its code.
    HiddenTest,
    /// A line of a reference solution that its stub does not have.
    Solution,
    /// The mistake a broken submission stands for.
    BrokenSubmission,
}

/// A text that only hidden tests, solutions or broken submissions carry.
#[derive(Debug, Clone)]
struct Marker {
    kind: Kind,
    /// What it is, for the report.
    what: String,
    text: String,
    /// Whether it matches only as a whole identifier.
    word: bool,
    /// The course file it was taken from.
    origin: String,
    /// For a hidden test's marker: its suite, which is released cut down.
    suite: Option<String>,
}

/// Every marker of hidden content in the course, and each suite's source
/// without its hidden tests and module doc (what a release may keep).
fn course_markers(catalog: &Catalog) -> (Vec<Marker>, BTreeMap<String, String>) {
    let mut markers = Vec::new();
    let mut remainders = BTreeMap::new();

    // Hidden tests: their names, their functions, and the lines of their
    // functions that nothing else in the suite has.
    for ex in &catalog.exercises {
        let exercise = &ex.entry.name;
        // The hidden tests are all of `hidden.rs`, released as an empty
        // list; `mod.rs` is released as it is.
        let suite = suite_path(exercise);
        let origin = hidden_path(exercise);
        let source = fs::read_to_string(root().join(&origin)).unwrap();
        let entries = hidden_entries(&source, &origin);
        assert_eq!(
            entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
            test_names(catalog, exercise, Visibility::Hidden),
            "{origin}: its `TestDef::hidden` entries are not the grader's hidden tests of {exercise}"
        );
        let remainder: String = fs::read_to_string(root().join(&suite))
            .unwrap()
            .split_inclusive('\n')
            .filter(|l| !l.starts_with("//!"))
            .collect();
        let mut add = |what: String, text: &str, word: bool| {
            markers.push(Marker {
                kind: Kind::HiddenTest,
                what,
                text: text.to_string(),
                word,
                origin: origin.clone(),
                suite: Some(suite.clone()),
            });
        };
        for entry in &entries {
            let test = format!("hidden test `{}` of {exercise}", entry.name);
            add(format!("the name of the {test}"), &entry.name, true);
            if entry.function != entry.name {
                add(format!("the function of the {test}"), &entry.function, true);
            }
        }
        let mut seen = BTreeSet::new();
        for line in source.lines() {
            let line = line.trim();
            if line.chars().count() >= MIN_LINE && !remainder.contains(line) && seen.insert(line) {
                add(
                    format!("a line of the hidden tests of {exercise}"),
                    line,
                    false,
                );
            }
        }
        remainders.insert(suite, remainder);
    }

    // Solutions: the lines their stubs do not have.
    let solutions = root().join("solutions");
    let mut seen = BTreeSet::new();
    for name in names_in(&solutions) {
        // grade_self is the grader as the solutions' test (docs/mutants.md),
        // not an exercise: it has no stub and nothing of it is released.
        if !solutions.join(&name).join("Cargo.toml").is_file() || name == "grade_self" {
            continue;
        }
        let stub_dir = root().join("exercises").join(&name);
        assert!(
            stub_dir.is_dir(),
            "solutions/{name} has no stub in exercises/"
        );
        let stub: String = tree(&stub_dir, true)
            .values()
            .filter_map(|n| match n {
                Node::File(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n");
        for (rel, node) in tree(&solutions.join(&name), true) {
            let Node::File(bytes) = node else { continue };
            if !rel.ends_with(".rs") {
                continue;
            }
            let origin = format!("solutions/{name}/{rel}");
            for line in String::from_utf8_lossy(&bytes).lines() {
                let line = line.trim();
                if line.chars().count() >= MIN_LINE
                    && !stub.contains(line)
                    && seen.insert(line.to_string())
                {
                    markers.push(Marker {
                        kind: Kind::Solution,
                        what: format!("a line of {origin}"),
                        text: line.to_string(),
                        word: false,
                        origin: origin.clone(),
                        suite: None,
                    });
                }
            }
        }
    }

    // Broken submissions: the mistake each stands for.
    let broken = grader::fixtures::broken_submissions(&root().join("fixtures/broken")).unwrap();
    let mut seen = BTreeSet::new();
    for b in broken {
        // Its longest stretch without a character that TOML, JSON or Rust
        // would write escaped, so it reads the same in any of them.
        let mistake = b
            .expect
            .mistake
            .split(|c: char| c == '\\' || c == '"' || c.is_control())
            .map(str::trim)
            .max_by_key(|piece| piece.len())
            .unwrap_or_default()
            .to_string();
        assert!(
            mistake.chars().count() >= 20,
            "the mistake of {} is too short to look for: {mistake:?}",
            b.dir.display()
        );
        let origin = b
            .dir
            .join("broken.toml")
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if seen.insert(mistake.clone()) {
            markers.push(Marker {
                kind: Kind::BrokenSubmission,
                what: format!("the mistake of {origin}"),
                text: mistake,
                word: false,
                origin,
                suite: None,
            });
        }
    }
    (markers, remainders)
}

/// Where the release puts a course file, if it releases it (perhaps
/// rewritten or cut down).
fn released_as(course_file: &str) -> Option<String> {
    if course_file == "docs/classroom-workflow.yml" {
        return Some(".github/workflows/classroom.yml".into());
    }
    if let Some(data) = course_file.strip_prefix("fixtures/") {
        let top = data.split('/').next().unwrap_or_default();
        return (top != "broken" && top != "hostile").then(|| format!("grader/data/{data}"));
    }
    let released = course_file.starts_with("exercises/")
        || course_file.starts_with("grader/")
        || [
            "course.toml",
            "Cargo.toml",
            "Cargo.lock",
            ".cargo/config.toml",
        ]
        .contains(&course_file);
    released.then(|| course_file.to_string())
}

/// Finds many markers in many files at once: a candidate is any position
/// whose first bytes start some marker.
struct Scanner<'a> {
    markers: &'a [Marker],
    key_len: usize,
    /// Whether some marker starts with these two bytes.
    first_two: Vec<bool>,
    by_key: HashMap<u64, Vec<usize>>,
}

fn key(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |k, b| k << 8 | u64::from(*b))
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Scanner<'a> {
    fn new(markers: &'a [Marker]) -> Self {
        let key_len = markers.iter().map(|m| m.text.len()).min().unwrap().min(8);
        assert!(key_len >= 4, "a marker shorter than 4 bytes proves nothing");
        let mut first_two = vec![false; 1 << 16];
        let mut by_key: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, m) in markers.iter().enumerate() {
            let b = m.text.as_bytes();
            first_two[usize::from(b[0]) << 8 | usize::from(b[1])] = true;
            by_key.entry(key(&b[..key_len])).or_default().push(i);
        }
        Scanner {
            markers,
            key_len,
            first_two,
            by_key,
        }
    }

    /// The markers `bytes` holds, by index.
    fn find(&self, bytes: &[u8]) -> BTreeSet<usize> {
        let mut found = BTreeSet::new();
        if bytes.len() < self.key_len {
            return found;
        }
        for i in 0..=bytes.len() - self.key_len {
            if !self.first_two[usize::from(bytes[i]) << 8 | usize::from(bytes[i + 1])] {
                continue;
            }
            let Some(candidates) = self.by_key.get(&key(&bytes[i..i + self.key_len])) else {
                continue;
            };
            for &m in candidates {
                let marker = &self.markers[m];
                let text = marker.text.as_bytes();
                let end = i + text.len();
                if bytes[i..].starts_with(text)
                    && !(marker.word
                        && (i > 0 && is_ident(bytes[i - 1])
                            || end < bytes.len() && is_ident(bytes[end])))
                {
                    found.insert(m);
                }
            }
        }
        found
    }

    /// Every file below `dir` that holds markers, with them.
    fn scan(&self, dir: &Path, skip_build: bool) -> BTreeMap<String, BTreeSet<usize>> {
        tree(dir, skip_build)
            .into_iter()
            .filter_map(|(rel, node)| match node {
                Node::File(bytes) => Some((rel, self.find(&bytes))),
                _ => None,
            })
            .filter(|(_, found)| !found.is_empty())
            .collect()
    }
}

/// The markers, the released files each is allowed in (collisions), and
/// the report of those collisions. Checks that a scan of the course finds
/// every marker where it was taken from.
fn markers_checked_against_the_course() -> (Vec<Marker>, Vec<BTreeSet<String>>, Vec<String>) {
    let catalog = Catalog::builtin().unwrap();
    let (markers, remainders) = course_markers(&catalog);
    let scanner = Scanner::new(&markers);

    // The scanner works: in the course, every marker is found where it
    // comes from.
    let in_course = scanner.scan(root(), true);
    let missed: Vec<String> = markers
        .iter()
        .enumerate()
        .filter(|(i, m)| !in_course.get(&m.origin).is_some_and(|f| f.contains(i)))
        .map(|(_, m)| format!("{}: {} {:?}", m.origin, m.what, m.text))
        .collect();
    assert!(
        missed.is_empty(),
        "the scan of the course misses markers where they come from:\n{}",
        missed.join("\n")
    );

    // Collisions: a marker the course releases legitimately is allowed in
    // the released files that carry it in the course, and reported.
    let visible_names = all_visible_names(&catalog);
    let in_remainders: BTreeMap<&String, BTreeSet<usize>> = remainders
        .iter()
        .map(|(suite, text)| (suite, scanner.find(text.as_bytes())))
        .collect();
    let mut allowed = vec![BTreeSet::new(); markers.len()];
    let mut collisions = Vec::new();
    for (file, found) in &in_course {
        for &m in found {
            let marker = &markers[m];
            let legitimate = match &marker.suite {
                Some(suite) if suite == file => in_remainders[suite].contains(&m),
                _ => file != &marker.origin,
            };
            if let (true, Some(released)) = (legitimate, released_as(file)) {
                allowed[m].insert(released);
                let why = match &marker.suite {
                    Some(suite) if suite == file => "in what the release keeps of it",
                    _ if visible_names.contains(&marker.text) => "as a visible test's name",
                    _ if file.starts_with("grader/src/suites/") => "released cut down",
                    _ => "released as it is",
                };
                collisions.push(format!(
                    "{} {:?} is also in {file}, {why}",
                    marker.what, marker.text
                ));
            }
        }
    }
    for kind in [Kind::HiddenTest, Kind::Solution, Kind::BrokenSubmission] {
        let of_kind: Vec<usize> = (0..markers.len())
            .filter(|&i| markers[i].kind == kind)
            .collect();
        let strict = of_kind.iter().filter(|&&i| allowed[i].is_empty()).count();
        eprintln!(
            "{kind:?}: {} markers, {strict} allowed in no released file",
            of_kind.len()
        );
        assert!(
            strict > 0,
            "no {kind:?} marker is checked everywhere: a scan for nothing proves nothing"
        );
    }
    (markers, allowed, collisions)
}

// ----------------------------------------------------------------------
// The tests
// ----------------------------------------------------------------------

#[test]
fn the_release_holds_the_student_repository() {
    let catalog = Catalog::builtin().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // An existing empty OUT is fine.
    fs::create_dir(&out).unwrap();
    let output = common::grader().arg("release").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    assert_eq!(
        names_in(tmp.path()),
        ["out"],
        "a temporary directory is left beside OUT"
    );

    for file in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
        ".github/workflows/classroom.yml",
        "README.md",
        "README.zh.md",
        "course.toml",
        "grader/Cargo.toml",
        "grader/src/main.rs",
    ] {
        assert!(out.join(file).is_file(), "the release has no {file}");
    }
    for gone in ["solutions", "fixtures", "tests", "docs", "target", ".git"] {
        assert!(!out.join(gone).exists(), "the release has {gone}/");
    }
    let released = tree(&out, false);
    for (rel, node) in &released {
        let name = rel.rsplit('/').next().unwrap();
        assert!(
            !(*node == Node::Dir && ["solutions", "fixtures", "target", ".git"].contains(&name)),
            "the release has {rel}/"
        );
    }

    // The exercises, exactly as in the course.
    for name in exercise_names() {
        let dir = out.join("exercises").join(&name);
        for file in ["README.md", "README.zh.md", "Cargo.toml"] {
            assert!(
                dir.join(file).is_file(),
                "exercises/{name}/{file} is missing"
            );
        }
        assert!(dir.join("src").is_dir(), "exercises/{name}/src is missing");
    }
    assert!(
        tree(&out.join("exercises"), false) == tree(&root().join("exercises"), true),
        "the released exercises/ differ from the course's"
    );

    // The workspace without the project's own tests, the alias and the
    // workflow.
    let workspace: toml::Table =
        toml::from_str(&fs::read_to_string(out.join("Cargo.toml")).unwrap()).unwrap();
    assert!(!workspace.contains_key("package"), "{workspace:#?}");
    assert!(
        !workspace.contains_key("dev-dependencies"),
        "{workspace:#?}"
    );
    let members = workspace["workspace"]["members"].as_array().unwrap();
    for member in ["grader", "exercises/*"] {
        assert!(
            members.iter().any(|m| m.as_str() == Some(member)),
            "{member} is not a member: {members:?}"
        );
    }
    let config: toml::Table =
        toml::from_str(&fs::read_to_string(out.join(".cargo/config.toml")).unwrap()).unwrap();
    let grade = config["alias"]["grade"].as_str().unwrap();
    assert!(grade.contains("-p grader"), "the grade alias: {grade}");
    let workflow = fs::read_to_string(out.join(".github/workflows/classroom.yml")).unwrap();
    assert!(workflow.contains("cargo grade"), "{workflow}");

    // The manifest is the course's, marked released (the points are the
    // suites'); the README states the visible points.
    let course: toml::Table =
        toml::from_str(&fs::read_to_string(out.join("course.toml")).unwrap()).unwrap();
    assert_eq!(course["course"]["released"].as_bool(), Some(true));
    for ex in course["exercise"].as_array().unwrap() {
        assert!(
            ex.get("points").is_none(),
            "the released course.toml states points: {ex:?}"
        );
    }
    let readme = fs::read_to_string(out.join("README.md")).unwrap();
    assert!(readme.contains("cargo grade"), "{readme}");
    for name in exercise_names() {
        assert!(
            readme.contains(&format!("exercises/{name}/README.md")),
            "the README does not link {name}"
        );
    }
    let total: u32 = exercise_names()
        .iter()
        .map(|n| visible_points(&catalog, n))
        .sum();
    assert!(readme.contains(&format!(" {total} points")), "{readme}");

    // The README in Chinese beside it, each linking the other at the top,
    // with the same facts, and no English sentence outside its code.
    let readme_zh = fs::read_to_string(out.join("README.zh.md")).unwrap();
    let top = |text: &str| text.lines().take(5).collect::<Vec<_>>().join("\n");
    assert!(top(&readme).contains("](README.zh.md)"), "{readme}");
    assert!(top(&readme_zh).contains("](README.md)"), "{readme_zh}");
    assert!(readme_zh.contains("cargo grade"), "{readme_zh}");
    for name in exercise_names() {
        assert!(
            readme_zh.contains(&format!("exercises/{name}/README.zh.md")),
            "the Chinese README does not link {name}"
        );
    }
    assert!(readme_zh.contains(&format!(" {total} 分")), "{readme_zh}");
    let allowed = course["course"]["allowed_dependencies"].as_array().unwrap();
    assert!(!allowed.is_empty(), "{course:#?}");
    for dependency in allowed {
        let named = format!("`{}`", dependency.as_str().unwrap());
        assert!(readme.contains(&named), "README.md does not allow {named}");
        assert!(
            readme_zh.contains(&named),
            "README.zh.md does not allow {named}"
        );
    }
    let mut in_code = false;
    for line in readme_zh.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if let Some(words) = grader::leak::english_run(line).filter(|_| !in_code) {
            panic!("README.zh.md: `{words}` in {line:?}");
        }
    }

    // The test data: what the released suites embed, as in the course, and
    // nothing else. Data only hidden tests used stays out.
    let references = |text: &str, prefix: &str| -> Vec<String> {
        text.match_indices(prefix)
            .map(|(at, _)| {
                let rest = &text[at + prefix.len()..];
                rest[..rest.find('"').unwrap()]
                    .trim_end_matches('/')
                    .to_string()
            })
            .collect()
    };
    let mut released_data = BTreeSet::new();
    let mut course_data = BTreeSet::new();
    for name in exercise_names() {
        let suite = suite_path(&name);
        let (in_release, in_course) = DATA_PREFIXES;
        let text = fs::read_to_string(out.join(&suite)).unwrap();
        assert!(
            !text.contains("fixtures/"),
            "{suite} still reads the course's fixtures/"
        );
        released_data.extend(references(&text, in_release));
        let mut text = fs::read_to_string(root().join(&suite)).unwrap();
        text.push_str(&fs::read_to_string(root().join(hidden_path(&name))).unwrap());
        course_data.extend(references(&text, in_course));
    }
    assert!(
        !released_data.is_empty(),
        "no released suite embeds test data: the data check checks nothing"
    );
    for rel in &released_data {
        let top = rel.split('/').next().unwrap();
        assert!(
            top != "broken" && top != "hostile",
            "a released suite embeds the submission fixtures/{rel}"
        );
        let (from, to) = (
            root().join("fixtures").join(rel),
            out.join("grader/data").join(rel),
        );
        if from.is_dir() {
            assert!(
                tree(&to, false) == tree(&from, true),
                "grader/data/{rel} differs from fixtures/{rel}"
            );
        } else {
            assert_eq!(
                fs::read(&to).ok(),
                fs::read(&from).ok(),
                "grader/data/{rel} differs from fixtures/{rel}"
            );
        }
    }
    for (rel, node) in tree(&out.join("grader/data"), false) {
        if matches!(node, Node::File(_) | Node::Link(_)) {
            assert!(
                released_data
                    .iter()
                    .any(|r| rel == *r || rel.starts_with(&format!("{r}/"))),
                "grader/data/{rel} is released, but no released suite uses it"
            );
        }
    }
    let hidden_data: Vec<&String> = course_data.difference(&released_data).collect();
    eprintln!(
        "test data: {} released, {} used only by hidden tests {hidden_data:?}",
        released_data.len(),
        hidden_data.len()
    );
    for rel in hidden_data {
        assert!(
            !out.join("grader/data").join(rel).exists(),
            "grader/data/{rel} is released, but only hidden tests use it"
        );
        let from = root().join("fixtures").join(rel);
        let secret: Vec<Node> = match from.is_dir() {
            true => tree(&from, true).into_values().collect(),
            false => vec![Node::File(fs::read(&from).unwrap())],
        };
        for (file, node) in &released {
            assert!(
                !(matches!(node, Node::File(b) if !b.is_empty()) && secret.contains(node)),
                "{file} is a copy of hidden test data in fixtures/{rel}"
            );
        }
    }
}

#[test]
fn no_hidden_test_solution_or_broken_submission_is_released() {
    let (markers, allowed, collisions) = markers_checked_against_the_course();
    eprintln!(
        "{} collisions, each allowed only where the course releases it:",
        collisions.len()
    );
    for c in &collisions {
        eprintln!("  {c}");
    }

    let (_tmp, out) = release();
    let scanner = Scanner::new(&markers);
    let mut leaks = Vec::new();
    for (file, found) in scanner.scan(&out, false) {
        for m in found {
            if !allowed[m].contains(&file) {
                let marker = &markers[m];
                leaks.push(format!("{file}: {} {:?}", marker.what, marker.text));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "the release holds {} markers of hidden content:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}

#[test]
fn the_released_repository_grades_its_stubs_and_a_solution() {
    let catalog = Catalog::builtin().unwrap();
    let (tmp, out) = release();
    // Everything built stays in the temporary directory: the grader's
    // build, and the grader's builds of the exercises.
    let target = tmp.path().join("target");
    common::seed_target(&target);
    let builds = tmp.path().join("builds");
    let cargo_grade = |args: &[&str]| {
        Command::new(env!("CARGO"))
            .arg("grade")
            .args(args)
            .arg("--target-dir")
            .arg(&builds)
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap()
    };
    let hidden: BTreeSet<String> = catalog
        .exercises
        .iter()
        .flat_map(|e| test_names(&catalog, &e.entry.name, Visibility::Hidden))
        .collect();
    let visible = all_visible_names(&catalog);
    let shared: Vec<&String> = hidden.intersection(&visible).collect();
    eprintln!(
        "hidden test names that are also visible ones, not looked for in the output: {shared:?}"
    );
    let hidden_words = |output: &Output| -> Vec<String> {
        let all = format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let words: BTreeSet<&str> = all
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        hidden
            .iter()
            .filter(|h| words.contains(h.as_str()) && !visible.contains(*h))
            .cloned()
            .collect()
    };

    // The stubs: every visible test fails, the total is the visible points
    // (`--verbose`: the full listing, not the focused view).
    let stubs = cargo_grade(&["--verbose"]);
    let report = shown(&stubs);
    assert_eq!(stubs.status.code(), Some(1), "{report}");
    let total: u32 = catalog
        .exercises
        .iter()
        .map(|e| visible_points(&catalog, &e.entry.name))
        .sum();
    let stdout = String::from_utf8_lossy(&stubs.stdout);
    assert!(
        stdout.contains(&format!("Total: 0/{total} points")),
        "{report}"
    );
    for ex in &catalog.exercises {
        for name in test_names(&catalog, &ex.entry.name, Visibility::Visible) {
            assert!(
                stdout.contains(&format!("✗ {name} (")),
                "the visible test {name} of {} is not reported failing:\n{report}",
                ex.entry.name
            );
        }
    }
    assert_eq!(hidden_words(&stubs), Vec::<String>::new(), "{report}");
    assert!(
        !String::from_utf8_lossy(&stubs.stderr)
            .lines()
            .any(|l| l.starts_with("warning")),
        "the released grader does not build cleanly:\n{report}"
    );

    // The instructor commands are hidden there, and refuse to run.
    let grader_says = |args: &[&str]| {
        Command::new(env!("CARGO"))
            .args(["run", "-q", "-p", "grader", "--"])
            .args(args)
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap()
    };
    let help = grader_says(&["--help"]);
    let listed = String::from_utf8_lossy(&help.stdout);
    let listed: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.strip_prefix("  ")?.split_whitespace().next())
        .collect();
    assert!(
        listed.contains(&"grade") && listed.contains(&"hint"),
        "{listed:?}"
    );
    // In Chinese too (its help is built again in the language).
    let help_zh = grader_says(&["--help", "--lang", "zh"]);
    let listed_zh = String::from_utf8_lossy(&help_zh.stdout);
    assert!(listed_zh.contains("用法："), "{listed_zh}");
    let listed_zh: Vec<&str> = listed_zh
        .lines()
        .filter_map(|l| l.strip_prefix("  ")?.split_whitespace().next())
        .collect();
    assert_eq!(listed_zh, listed, "the Chinese help lists other commands");
    let before = names_in(&out);
    for args in [
        &["batch", "submissions", "--out", "gradebook"][..],
        &["merge", "shard-1", "--out", "merged"],
        &["gradescope-bundle", "autograder.zip"],
        &["release", "again"],
        &["selfcheck"],
    ] {
        assert!(
            !listed.contains(&args[0]),
            "the student repository's grader lists `{}`: {listed:?}",
            args[0]
        );
        let refused = grader_says(args);
        let report = shown(&refused);
        assert_eq!(refused.status.code(), Some(2), "{report}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(stderr.lines().count(), 1, "{report}");
        assert!(stderr.contains("instructor command"), "{report}");
    }
    assert_eq!(names_in(&out), before, "a refused command wrote something");

    // A solution copied over its stub gets its full visible points.
    copy_tree(
        &root().join("solutions").join(SOLVED),
        &out.join("exercises").join(SOLVED),
    );
    let solved = cargo_grade(&["--only", SOLVED, "--format", "json"]);
    let report = shown(&solved);
    assert_eq!(solved.status.code(), Some(0), "{report}");
    let json: Value = serde_json::from_slice(&solved.stdout).expect(&report);
    let exercises = json["exercises"].as_array().unwrap();
    assert_eq!(exercises.len(), 1, "{report}");
    let ex = &exercises[0];
    let points = visible_points(&catalog, SOLVED);
    assert_eq!(ex["name"], SOLVED, "{report}");
    assert_eq!(ex["score"], points, "{report}");
    assert_eq!(ex["max_score"], points, "{report}");
    let tests: Vec<(&str, &str)> = ex["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["status"].as_str().unwrap()))
        .collect();
    let expected: Vec<(String, &str)> = test_names(&catalog, SOLVED, Visibility::Visible)
        .into_iter()
        .map(|n| (n, "passed"))
        .collect();
    assert_eq!(
        tests,
        expected
            .iter()
            .map(|(n, s)| (n.as_str(), *s))
            .collect::<Vec<_>>(),
        "{report}"
    );
    assert_eq!(hidden_words(&solved), Vec::<String>::new(), "{report}");
}

#[test]
fn releasing_onto_something_that_exists_fails_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir_all(out.join("sub")).unwrap();
    fs::write(out.join("notes.txt"), "mine\n").unwrap();
    fs::write(out.join("sub/data.bin"), [0u8, 1, 2, 255]).unwrap();
    let file = tmp.path().join("file.txt");
    fs::write(&file, "not a directory\n").unwrap();
    let before = tree(tmp.path(), false);

    for (target, problem) in [(&out, "is not empty"), (&file, "is a file")] {
        let output = common::grader()
            .arg("release")
            .arg(target)
            .output()
            .unwrap();
        let report = shown(&output);
        assert_eq!(output.status.code(), Some(2), "{report}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{report}");
        assert!(
            stderr.contains(&target.display().to_string()),
            "the error does not name OUT:\n{report}"
        );
        assert!(
            stderr.contains(problem),
            "the error does not say OUT {problem}:\n{report}"
        );
        assert!(
            tree(tmp.path(), false) == before,
            "releasing onto {} changed the directory or left something beside it",
            target.display()
        );
    }
}
