//! The result cache: each exercise's result kept under the workspace's
//! `target/`, keyed by a hash of everything that decides it (the exercise
//! crate's files, the course's lock file, the grader's identity, the seed,
//! the test selection and the audience), so that grading again builds and
//! runs only the exercises that changed. Only the human report reads it
//! ([`grade`]); machine formats, results files, batches and the self-check
//! grade with [`crate::pipeline::grade`] and never touch it.
//!
//! There is no other state: watch mode's progress after a restart is this
//! cache, so it cannot drift from the submission's files.
use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalog::{Catalog, CatalogExercise};
use crate::error::GradeError;
use crate::model::Cause;
use crate::pipeline::{self, GradeOptions, Progress};
use crate::report::{Audience, ExerciseReport, NotRun, Report};

/// The version of a cache file's layout; part of every key.
const LAYOUT: &str = "socklings result cache 2";

/// Where one submission's results are kept.
#[derive(Debug, Clone)]
pub struct ResultCache {
    dir: PathBuf,
}

/// One cache file: the key it was graded under and the result, its
/// sentences and labels in their catalog form
/// ([`crate::model::keeping_catalog_form`]), so that a kept result reads in
/// whichever language it is shown in; and why each test was not run (which
/// the JSON document leaves out).
#[derive(Serialize, Deserialize)]
struct Entry {
    key: String,
    exercise: ExerciseReport,
    not_run: Vec<Option<(String, u32)>>,
}

/// The course's root: the workspace the grader was built in.
pub fn course_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The workspace's target directory: `CARGO_TARGET_DIR` when set (as cargo
/// reads it), else the course root's `target/`.
fn workspace_target() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                std::env::current_dir().unwrap_or_default().join(dir)
            }
        }
        None => course_root().join("target"),
    }
}

impl ResultCache {
    /// The cache of the submission in `dir`. With
    /// `target_dir` (`--target-dir`), under it; otherwise under the
    /// workspace's `target/socklings-results/`: `exercises/` for the course's
    /// own exercises, a directory named by a hash of the path for any other
    /// submission.
    pub fn for_submission(dir: &Path, target_dir: Option<&Path>) -> ResultCache {
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let canonical = canonical.as_path();
        let own = course_root()
            .join("exercises")
            .canonicalize()
            .is_ok_and(|e| e == canonical);
        let name = if own {
            "exercises".to_string()
        } else {
            format!("{:016x}", path_hash(canonical))
        };
        let base = match target_dir {
            Some(dir) => dir.join("results"),
            None => workspace_target().join("socklings-results"),
        };
        ResultCache {
            dir: base.join(name),
        }
    }

    /// A cache in `dir` (tests).
    pub fn at(dir: impl Into<PathBuf>) -> ResultCache {
        ResultCache { dir: dir.into() }
    }

    /// Its directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self, exercise: &str) -> PathBuf {
        self.dir.join(format!("{exercise}.json"))
    }

    /// The result kept for `exercise` under `key`, if any; a file that
    /// cannot be read or was kept under another key counts as none.
    pub fn load(&self, exercise: &str, key: &str) -> Option<ExerciseReport> {
        let bytes = fs::read(self.file(exercise)).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        if entry.key != key
            || entry.exercise.name != exercise
            || entry.not_run.len() != entry.exercise.tests.len()
        {
            return None;
        }
        let mut kept = entry.exercise;
        for (t, not_run) in kept.tests.iter_mut().zip(entry.not_run) {
            t.not_run = not_run.map(|(reason, points)| NotRun { reason, points });
        }
        Some(kept)
    }

    /// Keeps `result` under `key`, written to a temporary name and renamed,
    /// so that a reader (another grader) never sees half a file.
    pub fn store(&self, key: &str, result: &ExerciseReport) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        let entry = Entry {
            key: key.to_string(),
            exercise: result.clone(),
            not_run: result
                .tests
                .iter()
                .map(|t| t.not_run.as_ref().map(|n| (n.reason.clone(), n.points)))
                .collect(),
        };
        crate::model::keeping_catalog_form(|| serde_json::to_writer(&mut tmp, &entry))?;
        tmp.flush()?;
        tmp.persist(self.file(&result.name)).map_err(|e| e.error)?;
        Ok(())
    }
}

/// A stable hash of a path (FNV-1a), naming a submission's cache.
fn path_hash(path: &Path) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.as_os_str().as_encoded_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// What the grader is: its version, and the size and modification time of
/// its executable, which change whenever it is rebuilt (a suite can change
/// without a version bump).
pub fn grader_identity() -> String {
    // Read once: a grader rebuilt while this one runs (watch mode) is
    // another grader, whose results these are not.
    static IDENTITY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(read_identity).clone()
}

fn read_identity() -> String {
    let exe = std::env::current_exe()
        .and_then(fs::metadata)
        .map(|m| stamp(&m))
        .unwrap_or_else(|_| "unknown".into());
    format!("{} {exe}", crate::VERSION)
}

/// A file's size and modification time (`SIZE:NANOSECONDS`), which change
/// whenever it is written again.
pub(crate) fn stamp(meta: &fs::Metadata) -> String {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{}:{modified}", meta.len())
}

/// A file's size and modification time, or `<none>`.
pub(crate) fn file_stamp(path: &Path) -> String {
    fs::metadata(path)
        .map(|m| stamp(&m))
        .unwrap_or_else(|_| "<none>".into())
}

/// The parts of every exercise's key that do not depend on the exercise.
#[derive(Debug, Clone)]
pub struct KeyBase {
    digest: Sha256,
}

impl KeyBase {
    /// The key base of a grading with `opts`, by this grader in its
    /// sandbox (a result got with a layer off is not one got with it on),
    /// with the course's lock file (the one the builds use, compiled in).
    pub fn new(opts: &GradeOptions) -> KeyBase {
        let lock = crate::toolchain::COURSE_LOCK.as_bytes();
        let mut tests = opts.tests.clone();
        tests.sort();
        tests.dedup();
        let layers: Vec<String> = opts
            .sandbox
            .iter()
            .map(|l| format!("{}={}", l.name, l.active))
            .collect();
        // Not the language: kept results hold their sentences as catalog
        // keys and arguments (see `ResultCache::store`).
        let grader = format!("{} sandbox {}", grader_identity(), layers.join(","));
        KeyBase::from_parts(&grader, lock, opts.seed, &tests, opts.audience)
    }

    /// The key base from its parts.
    pub fn from_parts(
        grader: &str,
        lock: &[u8],
        seed: u64,
        tests: &[String],
        audience: Audience,
    ) -> KeyBase {
        let mut digest = Sha256::new();
        field(&mut digest, LAYOUT.as_bytes());
        field(&mut digest, grader.as_bytes());
        field(&mut digest, &Sha256::digest(lock));
        field(&mut digest, &seed.to_le_bytes());
        field(&mut digest, tests.join("\n").as_bytes());
        field(
            &mut digest,
            match audience {
                Audience::Student => b"student",
                Audience::Instructor => b"instructor",
            },
        );
        KeyBase { digest }
    }

    /// The key of `exercise`, whose crate is (or would be) `dir`: the base
    /// and every file of the crate (its path, whether it is executable, its
    /// bytes), `target/` and `.git/` left out as the build leaves them out.
    pub fn key(&self, exercise: &str, dir: &Path) -> io::Result<String> {
        let mut digest = self.digest.clone();
        field(&mut digest, exercise.as_bytes());
        if dir.is_dir() {
            hash_tree(&mut digest, dir, Path::new(""))?;
        } else {
            field(&mut digest, b"<missing>");
        }
        Ok(hex(&digest.finalize()))
    }
}

/// Feeds one length-prefixed field, so that no two sequences of fields
/// feed the same bytes.
pub(crate) fn field(digest: &mut Sha256, bytes: &[u8]) {
    digest.update((bytes.len() as u64).to_le_bytes());
    digest.update(bytes);
}

/// Feeds every file under `dir` (its path under `rel`, whether it is
/// executable, its bytes), `target/` and `.git/` left out as the build
/// leaves them out; symbolic links are not copied into a build, nor hashed.
pub(crate) fn hash_tree(digest: &mut Sha256, dir: &Path, rel: &Path) -> io::Result<()> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let kind = entry.file_type()?;
        let name = entry.file_name();
        let path = rel.join(&name);
        // Left out of the hash exactly as the build leaves them out.
        if crate::builder::skipped_in_crate(&name, kind.is_dir()) {
            continue;
        }
        if kind.is_dir() {
            field(digest, b"dir");
            field(digest, path.as_os_str().as_encoded_bytes());
            hash_tree(digest, &entry.path(), &path)?;
        } else if kind.is_file() {
            use std::os::unix::fs::PermissionsExt;
            let executable = entry.metadata()?.permissions().mode() & 0o111 != 0;
            field(digest, if executable { b"exe" } else { b"file" });
            field(digest, path.as_os_str().as_encoded_bytes());
            field(digest, &fs::read(entry.path())?);
        }
        // Symbolic links are not copied into the build: not hashed either.
    }
    Ok(())
}

/// Lower-case hexadecimal digits of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A grading through the cache.
#[derive(Debug, Clone)]
pub struct Graded {
    /// The report of every selected exercise, kept and graded again alike.
    pub report: Report,
    /// The exercises whose results came from the cache.
    pub unchanged: BTreeSet<String>,
}

/// Grades the submission like [`pipeline::grade`], building and running only
/// the exercises with no result kept under their current key (or for which
/// `fresh` says yes), and keeping the new results. An exercise with a test
/// the grader could not carry out is not kept.
pub fn grade(
    catalog: &Catalog,
    opts: &GradeOptions,
    cache: &ResultCache,
    fresh: &dyn Fn(&str) -> bool,
    on_progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<Graded, GradeError> {
    let canonical = pipeline::submission_dir(opts)?;
    let narrowed = pipeline::narrow(catalog.select(&opts.only)?, &opts.tests)?;
    let base = KeyBase::new(opts);

    let mut kept: Vec<Option<ExerciseReport>> = Vec::new();
    let mut keys: Vec<Option<String>> = Vec::new();
    for ex in &narrowed {
        let name = ex.entry.name.as_str();
        let key = base.key(name, &canonical.join(name)).ok();
        let hit = match &key {
            Some(k) if !fresh(name) => cache.load(name, k).map(|mut kept| {
                // What the JSON document leaves out, from the catalog.
                kept.number = ex.number;
                kept.title_zh = ex.entry.title.zh.clone();
                kept
            }),
            _ => None,
        };
        kept.push(hit);
        keys.push(key);
    }
    let again: Vec<&CatalogExercise> = narrowed
        .iter()
        .zip(&kept)
        .filter(|(_, k)| k.is_none())
        .map(|(e, _)| e)
        .collect();
    let mut graded = if again.is_empty() {
        Vec::new()
    } else {
        pipeline::grade_selected(catalog, opts, &canonical, &again, on_progress)?.exercises
    }
    .into_iter();

    let mut unchanged = BTreeSet::new();
    let mut exercises = Vec::new();
    for ((ex, kept), key) in narrowed.iter().zip(kept).zip(keys) {
        let result = match kept {
            Some(result) => {
                unchanged.insert(ex.entry.name.clone());
                result
            }
            None => {
                let result = graded
                    .next()
                    .ok_or_else(|| GradeError::io("joining kept and new results", missing()))?;
                let sound = !result
                    .tests
                    .iter()
                    .any(|t| t.cause == Some(Cause::GraderError));
                if let (Some(key), true) = (key, sound) {
                    // A cache that cannot be written only costs time later.
                    let _ = cache.store(&key, &result);
                }
                result
            }
        };
        exercises.push(result);
    }
    let mut report = Report::from_exercises(&opts.shown, opts.seed, opts.audience, exercises);
    report.sandbox = opts.sandbox.clone();
    // A kept result's messages are in the language it was graded in.
    crate::render::feedback::fill_messages(&mut report, opts.lang);
    Ok(Graded { report, unchanged })
}

fn missing() -> io::Error {
    io::Error::other("the grading returned fewer exercises than asked for")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(seed: u64, tests: &[&str]) -> KeyBase {
        let tests: Vec<String> = tests.iter().map(|t| t.to_string()).collect();
        KeyBase::from_parts("grader 1", b"lock", seed, &tests, Audience::Student)
    }

    #[test]
    fn the_key_changes_with_each_part_and_with_any_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dict_lookup");
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("Cargo.toml"), "[package]\n").unwrap();
        fs::write(dir.join("src/main.rs"), "fn main() {}\n").unwrap();
        let key = |b: &KeyBase| b.key("dict_lookup", &dir).unwrap();
        let first = key(&base(42, &[]));
        assert_eq!(first, key(&base(42, &[])), "the key is stable");
        assert_ne!(first, key(&base(43, &[])), "the seed");
        assert_ne!(first, key(&base(42, &["finds_a_word"])), "the tests");
        let other_grader = KeyBase::from_parts("grader 2", b"lock", 42, &[], Audience::Student);
        assert_ne!(first, key(&other_grader), "the grader");
        let other_lock = KeyBase::from_parts("grader 1", b"lock2", 42, &[], Audience::Student);
        assert_ne!(first, key(&other_lock), "the lock file");
        let instructor = KeyBase::from_parts("grader 1", b"lock", 42, &[], Audience::Instructor);
        assert_ne!(first, key(&instructor), "the audience");

        // Build output is not the crate.
        fs::create_dir_all(dir.join("target/debug")).unwrap();
        fs::write(dir.join("target/debug/x"), "built").unwrap();
        assert_eq!(first, key(&base(42, &[])));
        fs::write(dir.join("src/main.rs"), "fn main() { }\n").unwrap();
        let edited = key(&base(42, &[]));
        assert_ne!(first, edited, "an edited file");
        fs::write(dir.join("src/lib.rs"), "").unwrap();
        assert_ne!(edited, key(&base(42, &[])), "a new empty file");
    }

    #[test]
    fn a_kept_result_keeps_its_catalog_sentences_and_labels() {
        use crate::model::{Detail, Failure, Label, Sentence};
        use crate::text::{Arg, Lang, Phrase};
        let tmp = tempfile::tempdir().unwrap();
        let cache = ResultCache::at(tmp.path().join("results"));
        let failure = Failure::mismatch(Phrase::new("wrong-stdout"))
            .context(Phrase::new("dict-looking-up").arg("word", "abandon"))
            .with(Detail::Diff {
                label: Label::Phrase(Phrase::new("label-then-send-datagram")),
                expected: "a\n".into(),
                actual: "b\n".into(),
            })
            .say(Phrase::new("ended-output-limit").arg("size", Arg::Bytes(3 << 20)))
            .note(Sentence::plain("a suite's own words"));
        let mut result = ExerciseReport {
            name: "dict_lookup".into(),
            title: "t".into(),
            title_zh: String::new(),
            number: 1,
            lesson: "files".into(),
            score: 0,
            max_score: 2,
            build: crate::report::BuildStatus::Ok,
            build_message: None,
            tests: vec![crate::report::TestReport {
                name: "finds_a_word".into(),
                status: crate::report::Status::Failed,
                cause: Some(Cause::Mismatch),
                score: 0,
                max_score: 2,
                visibility: crate::model::Visibility::Visible,
                message: String::new(),
                not_run: None,
                failure: Some(failure.clone()),
                duration_ms: 3,
            }],
        };
        let mut not_run = result.tests[0].clone();
        not_run.status = crate::report::Status::NotRun;
        not_run.failure = None;
        not_run.not_run = Some(NotRun {
            reason: "only on Linux".into(),
            points: 2,
        });
        result.tests.push(not_run);
        cache.store("k", &result).unwrap();
        let back = cache.load("dict_lookup", "k").expect("kept");
        assert_eq!(back.tests[0].failure.as_ref(), Some(&failure));
        assert_eq!(back.tests[1].not_run, result.tests[1].not_run);
        let zh = |f: &Failure| crate::render::feedback::plain(f, false, Lang::Zh);
        assert_eq!(zh(back.tests[0].failure.as_ref().unwrap()), zh(&failure));
        assert!(zh(&failure).contains("查找 `abandon`"), "{}", zh(&failure));
        // The public JSON document still says English text.
        let json = serde_json::to_value(&result.tests[0]).unwrap();
        assert_eq!(
            json["failure"]["property"],
            "looking up `abandon`: stdout differs from the expected output"
        );
        assert_eq!(
            json["failure"]["details"][0]["label"],
            "then send a datagram yourself"
        );
        // A key no catalog has (another grader's result) is no result.
        let file = cache.dir().join("dict_lookup.json");
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains("\"dict-looking-up\""), "{text}");
        fs::write(&file, text.replace("dict-looking-up", "dict-no-such-key")).unwrap();
        assert!(cache.load("dict_lookup", "k").is_none());
    }

    #[test]
    fn a_stored_result_loads_only_under_its_key() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = ResultCache::at(tmp.path().join("results"));
        let result = ExerciseReport {
            name: "dict_lookup".into(),
            title: "t".into(),
            title_zh: String::new(),
            number: 1,
            lesson: "files".into(),
            score: 0,
            max_score: 2,
            build: crate::report::BuildStatus::Ok,
            build_message: None,
            tests: vec![crate::report::TestReport {
                name: "finds_a_word".into(),
                status: crate::report::Status::Failed,
                cause: Some(Cause::Mismatch),
                score: 0,
                max_score: 2,
                visibility: crate::model::Visibility::Visible,
                message: "wrong".into(),
                not_run: None,
                failure: Some(
                    crate::model::Failure::mismatch("the reply")
                        .with(crate::model::Detail::Transcript {
                            peer: "127.0.0.1:1".into(),
                            exchanges: vec![crate::model::Exchange {
                                direction: crate::model::Direction::Received,
                                bytes: vec![0xff, b'\r', b'\n', b'\\'],
                                total: 4,
                            }],
                        })
                        .text(
                            "DEST_DIR",
                            // A listing: data, and the grader's words about it.
                            crate::model::Quoted::lines(vec![
                                crate::model::Sentence::plain("a.txt"),
                                crate::text::Phrase::new("harness-listing-more")
                                    .arg("total", 21)
                                    .into(),
                            ]),
                        ),
                ),
                duration_ms: 3,
            }],
        };
        cache.store("k1", &result).unwrap();
        let back = cache.load("dict_lookup", "k1").expect("kept under k1");
        assert_eq!(back.tests[0].failure, result.tests[0].failure);
        // The listing's words read in Chinese after the cache.
        let shown = crate::render::feedback::plain(
            back.tests[0].failure.as_ref().unwrap(),
            false,
            crate::text::Lang::Zh,
        );
        assert!(shown.contains("  | …（共 21 项）"), "{shown}");
        assert!(cache.load("dict_lookup", "k2").is_none());
        assert!(cache.load("talk_split", "k1").is_none());
        fs::write(cache.dir().join("dict_lookup.json"), "{").unwrap();
        assert!(cache.load("dict_lookup", "k1").is_none(), "a torn file");
    }
}
