//! `grader release OUT`: [`release`] writes the repository students clone.
//!
//! It holds the workspace (the grader and the exercise stubs, without the
//! project's own tests), `exercises/` as they are (stubs, READMEs, sample
//! data), the grader with its visible tests only, the test data those tests
//! embed (under `grader/data/`), `course.toml` marked released, the lock
//! file, the
//! `cargo grade` alias, a README for students (`README.md`, and
//! `README.zh.md` in Chinese) and the GitHub Classroom
//! workflow. Never `solutions/`, `fixtures/` (broken and hostile
//! submissions), `tests/`, `docs/`, hidden test code or data, or build
//! output.
//!
//! The release is written into a temporary directory beside OUT and
//! renamed into place at the end, so OUT is either absent or complete.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::manifest::Course;
use crate::model::Visibility;
use crate::text::Lang;

/// The README for students, with `{{...}}` slots filled from the manifest.
const STUDENT_README: &str = include_str!("student_readme.md");

/// The README for students in Chinese (`README.zh.md`), with the same slots.
const STUDENT_README_ZH: &str = include_str!("student_readme.zh.md");

/// The GitHub Classroom workflow written when the course has none in
/// [`COURSE_WORKFLOW`].
const DEFAULT_WORKFLOW: &str = include_str!("classroom.yml");

/// The course's own workflow for student repositories, if it has one.
pub const COURSE_WORKFLOW: &str = "docs/classroom-workflow.yml";

/// Where the released workflow goes.
pub const WORKFLOW_PATH: &str = ".github/workflows/classroom.yml";

/// Directories never copied.
const SKIPPED_DIRS: &[&str] = &["target", ".git"];

/// Where the suites' test data comes from in the course, relative to a
/// suite's files (`suites/<exercise>/mod.rs`), and where it goes in the
/// release.
const DATA_IN_COURSE: &str = "../../../../fixtures/";
const DATA_IN_RELEASE: &str = "../../../data/";

/// The file of a suite folder that holds its hidden tests.
pub const HIDDEN_FILE: &str = "hidden.rs";

/// What the release writes in place of [`HIDDEN_FILE`]: no hidden test.
const HIDDEN_STUB: &str =
    "//! The course's hidden tests of this exercise are not in this repository.\n\
use crate::harness::TestDef;\n\
\n\
/// No hidden test.\n\
pub(super) fn tests() -> Vec<TestDef> {\n    Vec::new()\n}\n";

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
    /// The points of its visible tests (what the released grader counts).
    pub points: u32,
    /// How many visible tests it has.
    pub tests: usize,
    /// The number of its hidden tests, left out.
    pub hidden: usize,
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

/// What the release of the suites kept.
struct Suites {
    /// The exercises, with their visible tests.
    exercises: Vec<ReleasedExercise>,
    /// The hidden tests left out.
    hidden_left_out: usize,
    /// The test data (under `fixtures/`) the visible tests embed.
    data: BTreeSet<String>,
    /// The exercises that have a suite.
    seen: BTreeSet<String>,
}

/// Writes each suite of `suites_dir` with its visible tests only (an empty
/// `hidden.rs`), and its catalog files cut to what those tests say.
fn write_suites(
    catalog: &Catalog,
    w: &mut Writer<'_>,
    suites_dir: &Path,
) -> Result<Suites, ReleaseError> {
    let mut exercises = Vec::new();
    let mut hidden_left_out = 0;
    let mut data = BTreeSet::new();
    let mut suite_entries: Vec<PathBuf> = fs::read_dir(suites_dir)
        .map_err(io(format!("reading {}", suites_dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    suite_entries.sort();
    let mut seen = BTreeSet::new();
    for path in suite_entries {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if stem == "mod" && !path.is_dir() {
            let rel = "grader/src/suites/mod.rs";
            w.write(rel, &w.read(rel)?)?;
            continue;
        }
        if !path.join(HIDDEN_FILE).is_file() {
            return Err(ReleaseError::Stale(format!(
                "{}: a suite is a folder with `mod.rs` and `{HIDDEN_FILE}`",
                path.display()
            )));
        }
        // Its hidden tests are in `hidden.rs`, which the release replaces
        // by an empty list.
        let ex = released_exercise(catalog, &stem)?;
        seen.insert(stem.clone());
        hidden_left_out += ex.hidden;
        exercises.push(ex);
        let released_suite = write_suite_folder(w, &stem, &mut data)?;
        // The suite's sentences, but those only its hidden tests said: the
        // catalog would describe the hidden tests.
        for lang in crate::text::Lang::ALL {
            let rel = format!("grader/i18n/{}/suites/{stem}.ftl", lang.code());
            let catalog = w.read(&rel)?;
            w.write(&rel, &visible_catalog(&catalog, &released_suite))?;
        }
    }
    Ok(Suites {
        exercises,
        hidden_left_out,
        data,
        seen,
    })
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
    let Suites {
        mut exercises,
        hidden_left_out,
        data,
        seen,
    } = write_suites(catalog, w, &suites_dir)?;
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

    // The manifest, marked released.
    exercises.sort_by_key(|e| {
        catalog
            .exercises
            .iter()
            .position(|c| c.entry.name == e.name)
    });
    let manifest = released_manifest(&w.read("course.toml")?)?;
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
    w.write("README.md", &student_readme(&course, &exercises, Lang::En))?;
    w.write(
        "README.zh.md",
        &student_readme(&course, &exercises, Lang::Zh),
    )?;
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

/// What the release keeps of an exercise: its visible tests.
fn released_exercise(catalog: &Catalog, name: &str) -> Result<ReleasedExercise, ReleaseError> {
    let ex = catalog.exercise(name).ok_or_else(|| {
        ReleaseError::Stale(format!(
            "grader/src/suites/{name} is not a suite of this grader"
        ))
    })?;
    let visible: Vec<_> = ex
        .tests
        .iter()
        .filter(|t| t.visibility == Visibility::Visible)
        .collect();
    Ok(ReleasedExercise {
        name: name.to_string(),
        points: visible.iter().map(|t| t.points).sum(),
        tests: visible.len(),
        hidden: ex.tests.len() - visible.len(),
        first_test: visible.first().map(|t| t.name.to_string()),
    })
}

/// The suite folder `suites/<name>/` as released: every file but
/// [`HIDDEN_FILE`], which becomes [`HIDDEN_STUB`], the test data it embeds
/// pointed to `grader/data/`. Returns the released files' text.
fn write_suite_folder(
    w: &mut Writer<'_>,
    name: &str,
    data: &mut BTreeSet<String>,
) -> Result<String, ReleaseError> {
    let mut released = String::new();
    let dir = w.root.join("grader/src/suites").join(name);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(io(format!("reading {}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for path in files {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        let rel = format!("grader/src/suites/{name}/{file}");
        if path.is_dir() || !file.ends_with(".rs") {
            return Err(ReleaseError::Stale(format!(
                "{rel}: a suite folder holds only Rust files"
            )));
        }
        if file == HIDDEN_FILE {
            continue;
        }
        let text = relocate_data(&w.read(&rel)?, (DATA_IN_COURSE, DATA_IN_RELEASE), data);
        w.write(&rel, &text)?;
        released.push_str(&text);
    }
    w.write(
        &format!("grader/src/suites/{name}/{HIDDEN_FILE}"),
        HIDDEN_STUB,
    )?;
    Ok(released)
}

/// Points the suite's embedded test data to `grader/data/` and records
/// which files and folders of `fixtures/` it needs.
fn relocate_data(text: &str, (from, to): (&str, &str), data: &mut BTreeSet<String>) -> String {
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let after = &rest[at + from.len()..];
        let end = after.find('"').unwrap_or(after.len());
        let rel = after[..end].trim_end_matches('/');
        if !rel.is_empty() {
            data.insert(rel.to_string());
        }
        rest = after;
    }
    text.replace(from, to)
        .replace("`fixtures/", "`grader/data/")
}

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

/// The course manifest marked as the student repository's (instructor
/// commands are off); checked by parsing it back. The points are the
/// suites', so nothing else changes.
fn released_manifest(text: &str) -> Result<String, ReleaseError> {
    let mut out = String::with_capacity(text.len() + 80);
    for line in text.split_inclusive('\n') {
        out.push_str(line);
        if line.trim() == "[course]" {
            out.push_str(
                "released = true  # the student repository: instructor commands are off\n",
            );
        }
    }
    let course = Course::parse(&out).map_err(|e| ReleaseError::Manifest(e.to_string()))?;
    if !course.course.released {
        return Err(ReleaseError::Manifest(
            "it does not mark itself released (no `[course]` table?)".into(),
        ));
    }
    Ok(out)
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

/// The README for students in `lang`: the template with the exercise table.
fn student_readme(course: &Course, exercises: &[ReleasedExercise], lang: Lang) -> String {
    let (template, header, exercise_readme) = match lang {
        Lang::En => (
            STUDENT_README,
            "| # | exercise | lesson | tests | points | what it asks |\n",
            "README.md",
        ),
        Lang::Zh => (
            STUDENT_README_ZH,
            "| # | 练习 | 课 | 测试数 | 分值 | 要求 |\n",
            "README.zh.md",
        ),
    };
    let mut table = String::from(header);
    table.push_str("|--:|----------|--------|------:|-------:|--------------|\n");
    for (i, ex) in exercises.iter().enumerate() {
        let Some(entry) = course.exercise(&ex.name) else {
            continue;
        };
        let (lesson, asks) = match lang {
            Lang::En => (
                entry.lesson.clone(),
                format!("{} ({})", entry.title.en, entry.title.zh),
            ),
            Lang::Zh => (
                course
                    .lesson(&entry.lesson)
                    .map_or_else(|| entry.lesson.clone(), |l| l.title.zh.clone()),
                entry.title.zh.clone(),
            ),
        };
        table.push_str(&format!(
            "| {} | [`{}`](exercises/{}/{exercise_readme}) | {lesson} | {} | {} | {asks} |\n",
            i + 1,
            ex.name,
            ex.name,
            ex.tests,
            ex.points,
        ));
    }
    let total: u32 = exercises.iter().map(|e| e.points).sum();
    let allowed = if course.course.allowed_dependencies.is_empty() {
        match lang {
            Lang::En => "none".to_string(),
            Lang::Zh => "无".to_string(),
        }
    } else {
        let sep = match lang {
            Lang::En => ", ",
            Lang::Zh => "、",
        };
        course
            .course
            .allowed_dependencies
            .iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let first = exercises.first().map(|e| e.name.as_str()).unwrap_or("NAME");
    let first_test = exercises
        .first()
        .and_then(|e| e.first_test.as_deref())
        .unwrap_or("TEST");
    template
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
        let text = "/// Files of `fixtures/web/`.\nconst A: &str = include_str!(\"../../../../fixtures/d/a.txt\");\nconcat!(\"../../../../fixtures/web/\", $rel)";
        let out = relocate_data(text, (DATA_IN_COURSE, DATA_IN_RELEASE), &mut data);
        assert_eq!(
            data.into_iter().collect::<Vec<_>>(),
            vec!["d/a.txt".to_string(), "web".to_string()]
        );
        assert!(
            out.contains("include_str!(\"../../../data/d/a.txt\")"),
            "{out}"
        );
        assert!(out.contains("`grader/data/web/`"), "{out}");
    }

    #[test]
    fn manifest_marks_itself_released() {
        let text = "[course]\nname = \"c\"\ntitle = { en = \"C\", zh = \"C\" }\n\n[[lesson]]\nid = \"l\"\ntitle = { en = \"L\", zh = \"L\" }\n\n[[exercise]]\nname = \"a\"\nlesson = \"l\"\ntitle = { en = \"A\", zh = \"A\" }\n";
        let out = released_manifest(text).unwrap();
        let course = Course::parse(&out).unwrap();
        assert!(course.course.released);
        assert_eq!(course.exercises.len(), 1);
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
