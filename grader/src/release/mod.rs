//! `grader release OUT`: [`release`] writes the repository students clone.
//!
//! It holds the workspace (the grader and the exercise stubs, without the
//! project's own tests), `exercises/` as they are (stubs, READMEs, sample
//! data), the grader with every suite cut down to its visible tests
//! ([`prune`]), the test data those tests embed (under `grader/data/`),
//! `course.toml` with each exercise's points restated as its visible
//! tests' points (so the grader's points check holds), the lock file, the
//! `cargo grade` alias, a README for students and the GitHub Classroom
//! workflow. Never `solutions/`, `fixtures/` (broken and hostile
//! submissions), `tests/`, `docs/`, hidden test code or data, or build
//! output.
//!
//! The release is written into a temporary directory beside OUT and
//! renamed into place at the end, so OUT is either absent or complete.
pub mod prune;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::manifest::Course;
use crate::model::Visibility;

/// The README for students, with `{{...}}` slots filled from the manifest.
const STUDENT_README: &str = include_str!("student_readme.md");

/// The GitHub Classroom workflow written when the course has none in
/// [`COURSE_WORKFLOW`].
const DEFAULT_WORKFLOW: &str = include_str!("classroom.yml");

/// The course's own workflow for student repositories, if it has one.
pub const COURSE_WORKFLOW: &str = "docs/classroom-workflow.yml";

/// Where the released workflow goes.
pub const WORKFLOW_PATH: &str = ".github/workflows/classroom.yml";

/// Directories never copied.
const SKIPPED_DIRS: &[&str] = &["target", ".git"];

/// Where the suites' test data goes in the release, relative to the suites,
/// and where it comes from in the course, relative to the suites.
const DATA_IN_RELEASE: &str = "../../data/";
const DATA_IN_COURSE: &str = "../../../fixtures/";

/// Course folders that hold submissions, never test data.
const SUBMISSION_FOLDERS: &[&str] = &["broken", "hostile"];

/// The course this grader was built from.
pub fn default_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// What was released.
#[derive(Debug, Clone)]
pub struct Released {
    /// Each exercise with its visible points and tests.
    pub exercises: Vec<ReleasedExercise>,
    /// How many hidden tests were left out.
    pub hidden_left_out: usize,
    /// How many files were written.
    pub files: usize,
}

/// One exercise of the release.
#[derive(Debug, Clone)]
pub struct ReleasedExercise {
    /// Its name.
    pub name: String,
    /// The points of its visible tests (the release's `points`).
    pub points: u32,
    /// Its points in the course, hidden tests included.
    pub course_points: u32,
    /// How many visible tests it has.
    pub tests: usize,
    /// The name of its first visible test.
    pub first_test: Option<String>,
}

/// Why the release could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// OUT exists and holds something.
    #[error("`{}` exists and is not empty: release into a new directory", .0.display())]
    OutNotEmpty(PathBuf),
    /// OUT exists and is a file, not a directory.
    #[error("`{}` is a file, not a directory: release into a new directory", .0.display())]
    OutNotADirectory(PathBuf),
    /// The root is not a socklings course.
    #[error("`{}` is not a socklings course (no course.toml, grader/ and exercises/ there)", .0.display())]
    NotACourse(PathBuf),
    /// Reading the course or writing the release failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A suite could not be cut down to its visible tests.
    #[error("suite {}: {source}", .path.display())]
    Suite {
        /// The suite's file.
        path: PathBuf,
        /// Why.
        #[source]
        source: prune::PruneError,
    },
    /// The suites on disk are not those this grader was built with.
    #[error("{0}: rebuild the grader (`cargo build -p grader`) and release again")]
    Stale(String),
    /// The released manifest came out wrong.
    #[error("the released course.toml: {0}")]
    Manifest(String),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ReleaseError {
    let what = what.into();
    move |source| ReleaseError::Io { what, source }
}

/// Writes the student repository of the course at `root` (the course this
/// grader was built from, whose suites `catalog` holds) to `out`.
pub fn release(catalog: &Catalog, root: &Path, out: &Path) -> Result<Released, ReleaseError> {
    for needed in ["course.toml", "grader/src/suites", "exercises"] {
        if !root.join(needed).exists() {
            return Err(ReleaseError::NotACourse(root.to_path_buf()));
        }
    }
    let out_is_empty_dir = match fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(ReleaseError::OutNotEmpty(out.to_path_buf()));
            }
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(_) if out.exists() && !out.is_dir() => {
            return Err(ReleaseError::OutNotADirectory(out.to_path_buf()))
        }
        Err(e) => return Err(io(format!("reading {}", out.display()))(e)),
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io(format!("creating {}", parent.display())))?;
    let tmp = tempfile::Builder::new()
        .prefix(".socklings-release-")
        .tempdir_in(&parent)
        .map_err(io(format!(
            "creating a temporary directory in {}",
            parent.display()
        )))?;

    let mut w = Writer {
        root,
        out: tmp.path(),
        files: 0,
    };
    let released = write_release(catalog, &mut w)?;

    if out_is_empty_dir {
        fs::remove_dir(out).map_err(io(format!("replacing the empty {}", out.display())))?;
    }
    let staged = tmp.keep();
    fs::rename(&staged, out).map_err(|e| {
        let _ = fs::remove_dir_all(&staged);
        ReleaseError::Io {
            what: format!("moving the release into {}", out.display()),
            source: e,
        }
    })?;
    Ok(released)
}

/// Copies and writes files from the course into the release.
struct Writer<'a> {
    root: &'a Path,
    out: &'a Path,
    files: usize,
}

impl Writer<'_> {
    /// Writes `text` to `rel` in the release.
    fn write(&mut self, rel: &str, text: &str) -> Result<(), ReleaseError> {
        let path = self.out.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
        }
        fs::write(&path, text).map_err(io(format!("writing {}", path.display())))?;
        self.files += 1;
        Ok(())
    }

    /// Reads `rel` from the course.
    fn read(&self, rel: &str) -> Result<String, ReleaseError> {
        let path = self.root.join(rel);
        fs::read_to_string(&path).map_err(io(format!("reading {}", path.display())))
    }

    /// Copies the file or directory `from` (in the course) to `to` (in the
    /// release), leaving out build output and `skip` (paths in the course).
    fn copy(&mut self, from: &Path, to: &Path, skip: &[PathBuf]) -> Result<(), ReleaseError> {
        if skip.iter().any(|s| s == from) {
            return Ok(());
        }
        let meta = fs::symlink_metadata(from).map_err(io(format!("reading {}", from.display())))?;
        if meta.is_dir() {
            fs::create_dir_all(to).map_err(io(format!("creating {}", to.display())))?;
            let mut entries: Vec<_> = fs::read_dir(from)
                .map_err(io(format!("reading {}", from.display())))?
                .collect::<Result<_, _>>()
                .map_err(io(format!("reading {}", from.display())))?;
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let name = entry.file_name();
                if SKIPPED_DIRS.iter().any(|s| name == *s) && entry.path().is_dir() {
                    continue;
                }
                self.copy(&entry.path(), &to.join(&name), skip)?;
            }
        } else if meta.file_type().is_symlink() {
            let target =
                fs::read_link(from).map_err(io(format!("reading the link {}", from.display())))?;
            std::os::unix::fs::symlink(&target, to)
                .map_err(io(format!("writing the link {}", to.display())))?;
            self.files += 1;
        } else if meta.is_file() {
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
            }
            fs::copy(from, to).map_err(io(format!("copying {}", from.display())))?;
            self.files += 1;
        }
        Ok(())
    }
}

fn write_release(catalog: &Catalog, w: &mut Writer<'_>) -> Result<Released, ReleaseError> {
    let root = w.root;
    let out = w.out;

    // The grader, its suites cut down to their visible tests.
    let suites_dir = root.join("grader/src/suites");
    w.copy(
        &root.join("grader"),
        &out.join("grader"),
        std::slice::from_ref(&suites_dir),
    )?;
    let mut exercises = Vec::new();
    let mut hidden_left_out = 0;
    let mut data = BTreeSet::new();
    let mut suite_files: Vec<PathBuf> = fs::read_dir(&suites_dir)
        .map_err(io(format!("reading {}", suites_dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    suite_files.sort();
    let mut seen = BTreeSet::new();
    let mut released_suites = String::new();
    for path in suite_files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let rel = format!("grader/src/suites/{stem}.rs");
        let source = w.read(&rel)?;
        if stem == "mod" {
            w.write(&rel, &source)?;
            continue;
        }
        let pruned = prune::prune_suite(&source).map_err(|source| ReleaseError::Suite {
            path: path.clone(),
            source,
        })?;
        let ex = agree(catalog, &stem, &pruned)?;
        seen.insert(stem.clone());
        hidden_left_out += pruned.hidden.len();
        exercises.push(ex);
        let text = relocate_data(&pruned.text, &mut data);
        released_suites.push_str(&text);
        w.write(&rel, &text)?;
    }
    // The suites' sentences, but those only hidden tests said: the
    // catalogs would describe the hidden tests.
    for lang in crate::text::Lang::ALL {
        let rel = format!("grader/i18n/{}/suites.ftl", lang.code());
        let catalog = w.read(&rel)?;
        w.write(&rel, &visible_catalog(&catalog, &released_suites))?;
    }
    if let Some(missing) = catalog
        .exercises
        .iter()
        .find(|e| !seen.contains(&e.entry.name))
    {
        return Err(ReleaseError::Stale(format!(
            "exercise `{}` has no suite file in grader/src/suites",
            missing.entry.name
        )));
    }
    for rel in &data {
        let from = root.join("fixtures").join(rel);
        let top = rel.split('/').next().unwrap_or_default();
        if SUBMISSION_FOLDERS.contains(&top) || rel.split('/').any(|c| c == "..") {
            return Err(ReleaseError::Stale(format!(
                "a visible test embeds `fixtures/{rel}`, which is not test data"
            )));
        }
        w.copy(&from, &out.join("grader/data").join(rel), &[])?;
    }

    // The exercises as they are.
    w.copy(&root.join("exercises"), &out.join("exercises"), &[])?;

    // The manifest with the visible points.
    exercises.sort_by_key(|e| {
        catalog
            .exercises
            .iter()
            .position(|c| c.entry.name == e.name)
    });
    let manifest = visible_manifest(&w.read("course.toml")?, &exercises)?;
    w.write("course.toml", &manifest)?;

    // The workspace, without the project's own tests.
    w.write("Cargo.toml", &student_workspace(&w.read("Cargo.toml")?)?)?;
    for rel in ["Cargo.lock", ".cargo/config.toml"] {
        if root.join(rel).is_file() {
            w.copy(&root.join(rel), &out.join(rel), &[])?;
        }
    }
    w.write(".gitignore", "target/\n")?;
    let course = Course::parse(&manifest).map_err(|e| ReleaseError::Manifest(e.to_string()))?;
    w.write("README.md", &student_readme(&course, &exercises))?;
    let workflow = match root.join(COURSE_WORKFLOW).is_file() {
        true => w.read(COURSE_WORKFLOW)?,
        false => DEFAULT_WORKFLOW.to_string(),
    };
    w.write(WORKFLOW_PATH, &workflow)?;

    Ok(Released {
        exercises,
        hidden_left_out,
        files: w.files,
    })
}

/// Checks that the pruned suite left exactly the visible tests of the
/// suite this grader was built with.
fn agree(
    catalog: &Catalog,
    name: &str,
    pruned: &prune::Pruned,
) -> Result<ReleasedExercise, ReleaseError> {
    let ex = catalog.exercise(name).ok_or_else(|| {
        ReleaseError::Stale(format!(
            "grader/src/suites/{name}.rs is not a suite of this grader"
        ))
    })?;
    let names = |v: Visibility| -> Vec<String> {
        ex.tests
            .iter()
            .filter(|t| t.visibility == v)
            .map(|t| t.name.to_string())
            .collect()
    };
    if names(Visibility::Visible) != pruned.visible || names(Visibility::Hidden) != pruned.hidden {
        return Err(ReleaseError::Stale(format!(
            "grader/src/suites/{name}.rs lists other tests than the grader was built with"
        )));
    }
    let visible: Vec<_> = ex
        .tests
        .iter()
        .filter(|t| t.visibility == Visibility::Visible)
        .collect();
    Ok(ReleasedExercise {
        name: name.to_string(),
        points: visible.iter().map(|t| t.points).sum(),
        course_points: ex.entry.points,
        tests: visible.len(),
        first_test: visible.first().map(|t| t.name.to_string()),
    })
}

/// Points the suite's embedded test data to `grader/data/` and records
/// which files and folders of `fixtures/` it needs.
fn relocate_data(text: &str, data: &mut BTreeSet<String>) -> String {
    let mut rest = text;
    while let Some(at) = rest.find(DATA_IN_COURSE) {
        let after = &rest[at + DATA_IN_COURSE.len()..];
        let end = after.find('"').unwrap_or(after.len());
        let rel = after[..end].trim_end_matches('/');
        if !rel.is_empty() {
            data.insert(rel.to_string());
        }
        rest = after;
    }
    text.replace(DATA_IN_COURSE, DATA_IN_RELEASE)
        .replace("`fixtures/", "`grader/data/")
}

/// The course manifest with each exercise's `points` set to its visible
/// tests' points; checked by parsing it back.
/// A Fluent catalog without the messages whose key `code` never names (as
/// a string literal); comments and blank lines stay.
fn visible_catalog(catalog: &str, code: &str) -> String {
    let mut out = String::with_capacity(catalog.len());
    let mut keep = true;
    for line in catalog.split_inclusive('\n') {
        let starts_message = line.split_once(" =").map(|(key, _)| key).filter(|key| {
            key.starts_with(|c: char| c.is_ascii_lowercase())
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
        if let Some(key) = starts_message {
            keep = code.contains(&format!("\"{key}\""));
        } else if !line.starts_with([' ', '\t']) {
            // A comment or a blank line ends the message before it.
            keep = true;
        }
        if keep {
            out.push_str(line);
        }
    }
    out
}

fn visible_manifest(text: &str, exercises: &[ReleasedExercise]) -> Result<String, ReleaseError> {
    let mut out = String::with_capacity(text.len());
    let mut current: Option<&ReleasedExercise> = None;
    let mut in_exercise = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_exercise = trimmed == "[[exercise]]";
            current = None;
            if trimmed == "[course]" {
                out.push_str(line);
                out.push_str(
                    "released = true  # the student repository: instructor commands are off\n",
                );
                continue;
            }
        } else if in_exercise {
            if let Some(name) = toml_value(trimmed, "name") {
                current = exercises.iter().find(|e| e.name == name.trim_matches('"'));
            } else if let (Some(_), Some(ex)) = (toml_value(trimmed, "points"), current) {
                out.push_str(&format!(
                    "points = {}  # its visible tests; {} in the course with the hidden ones\n",
                    ex.points, ex.course_points
                ));
                continue;
            }
        }
        out.push_str(line);
    }
    let course = Course::parse(&out).map_err(|e| ReleaseError::Manifest(e.to_string()))?;
    if !course.course.released {
        return Err(ReleaseError::Manifest(
            "it does not mark itself released (no `[course]` table?)".into(),
        ));
    }
    for ex in exercises {
        let points = course.exercise(&ex.name).map(|e| e.points);
        if points != Some(ex.points) {
            return Err(ReleaseError::Manifest(format!(
                "exercise `{}` should be worth {} points, it says {points:?}",
                ex.name, ex.points
            )));
        }
    }
    Ok(out)
}

/// The value of `key = value` on a manifest line.
fn toml_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?.trim_start();
    Some(rest.strip_prefix('=')?.trim())
}

/// The course's workspace manifest without its root package (which hosts
/// the project's own tests, built against `solutions/` and `fixtures/`).
fn student_workspace(text: &str) -> Result<String, ReleaseError> {
    let mut doc: toml::Table =
        toml::from_str(text).map_err(|e| ReleaseError::Manifest(format!("Cargo.toml: {e}")))?;
    for key in [
        "package",
        "dependencies",
        "dev-dependencies",
        "build-dependencies",
        "lib",
        "bin",
        "test",
        "bench",
        "example",
    ] {
        doc.remove(key);
    }
    if let Some(toml::Value::Table(ws)) = doc.get_mut("workspace") {
        ws.remove("exclude");
    }
    let body =
        toml::to_string(&doc).map_err(|e| ReleaseError::Manifest(format!("Cargo.toml: {e}")))?;
    Ok(format!(
        "# The socklings workspace: the exercises you fill in, and the grader\n\
         # (`cargo grade`).\n{body}"
    ))
}

/// The README for students: the template with the exercise table.
fn student_readme(course: &Course, exercises: &[ReleasedExercise]) -> String {
    let mut table = String::from("| # | exercise | lesson | tests | points | what it asks |\n");
    table.push_str("|--:|----------|--------|------:|-------:|--------------|\n");
    for (i, ex) in exercises.iter().enumerate() {
        let Some(entry) = course.exercise(&ex.name) else {
            continue;
        };
        table.push_str(&format!(
            "| {} | [`{}`](exercises/{}/README.md) | {} | {} | {} | {} ({}) |\n",
            i + 1,
            ex.name,
            ex.name,
            entry.lesson,
            ex.tests,
            ex.points,
            entry.title.en,
            entry.title.zh
        ));
    }
    let total: u32 = exercises.iter().map(|e| e.points).sum();
    let allowed = if course.course.allowed_dependencies.is_empty() {
        "none".to_string()
    } else {
        course
            .course
            .allowed_dependencies
            .iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let first = exercises.first().map(|e| e.name.as_str()).unwrap_or("NAME");
    let first_test = exercises
        .first()
        .and_then(|e| e.first_test.as_deref())
        .unwrap_or("TEST");
    STUDENT_README
        .replace("{{first}}", first)
        .replace("{{first_test}}", first_test)
        .replace("{{title}}", &course.course.title.en)
        .replace("{{title_zh}}", &course.course.title.zh)
        .replace("{{name}}", &course.course.name)
        .replace("{{exercises}}", table.trim_end())
        .replace("{{total}}", &total.to_string())
        .replace("{{allowed}}", &allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalog_keeps_only_the_sentences_the_released_suites_say() {
        let catalog =
            "# head\n\n## dict\n\nseen = a { $x }\nhidden-only = b\n    continued\nalso-seen = c\n";
        let code = "say(\"seen\").arg(\"x\", 1); say(\"also-seen\")";
        assert_eq!(
            visible_catalog(catalog, code),
            "# head\n\n## dict\n\nseen = a { $x }\nalso-seen = c\n"
        );
    }

    #[test]
    fn relocated_data_is_recorded() {
        let mut data = BTreeSet::new();
        let text = "/// Files of `fixtures/web/`.\nconst A: &str = include_str!(\"../../../fixtures/d/a.txt\");\nconcat!(\"../../../fixtures/web/\", $rel)";
        let out = relocate_data(text, &mut data);
        assert_eq!(
            data.into_iter().collect::<Vec<_>>(),
            vec!["d/a.txt".to_string(), "web".to_string()]
        );
        assert!(
            out.contains("include_str!(\"../../data/d/a.txt\")"),
            "{out}"
        );
        assert!(out.contains("`grader/data/web/`"), "{out}");
    }

    #[test]
    fn manifest_states_visible_points() {
        let text = "[course]\nname = \"c\"\ntitle = { en = \"C\", zh = \"C\" }\n\n[[lesson]]\nid = \"l\"\ntitle = { en = \"L\", zh = \"L\" }\n\n[[exercise]]\nname = \"a\"\nlesson = \"l\"\ntitle = { en = \"A\", zh = \"A\" }\npoints = 10\n\n[[exercise]]\nname = \"b\"\nlesson = \"l\"\ntitle = { en = \"B\", zh = \"B\" }\npoints = 7\n";
        let ex = |name: &str, points, course_points| ReleasedExercise {
            name: name.into(),
            points,
            course_points,
            tests: 1,
            first_test: None,
        };
        let out = visible_manifest(text, &[ex("a", 6, 10), ex("b", 7, 7)]).unwrap();
        let course = Course::parse(&out).unwrap();
        assert_eq!(course.exercise("a").unwrap().points, 6);
        assert_eq!(course.exercise("b").unwrap().points, 7);
    }

    #[test]
    fn workspace_loses_the_project_tests() {
        let text = "[package]\nname = \"socklings\"\n\n[workspace]\nmembers = [\"grader\", \"exercises/*\"]\nexclude = [\"solutions\"]\n\n[dev-dependencies]\ninsta = \"1\"\n\n[[bench]]\nname = \"grading\"\nharness = false\n";
        let out = student_workspace(text).unwrap();
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert!(!doc.contains_key("package") && !doc.contains_key("dev-dependencies"));
        assert!(
            !doc.contains_key("bench"),
            "the benchmark stays with the project's tests"
        );
        assert_eq!(
            doc["workspace"]["members"].as_array().unwrap().len(),
            2,
            "{out}"
        );
        assert!(!out.contains("solutions"), "{out}");
    }
}
