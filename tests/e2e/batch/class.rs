//! The class that `tests/e2e/batch.rs` grades: students made from the course's
//! solutions, stubs, broken submissions (`fixtures/broken`) and a hostile
//! one, handed in as directories, copies of the student repository, git
//! repositories (working copies and bare, with commits before and after the
//! deadline), zip and tar.gz archives, and refused archives (a `../` entry,
//! a link, a corrupt file, an absurd size). Each student carries what the
//! gradebook must say of them.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use grader::catalog::Catalog;
use grader::fixtures::broken_submissions;

use super::common::{copy_tree, root};

/// The two exercises the class is graded on (`--only`), in course order.
pub const EXERCISES: [&str; 2] = ["dict_lookup", "talk_split"];
/// The `--deadline`.
pub const DEADLINE: &str = "2025-03-02T00:00:00Z";
/// A time before the deadline.
pub const ON_TIME: &str = "2025-03-01T10:00:00Z";
/// An earlier time before the deadline.
pub const EARLIER: &str = "2025-02-27T09:30:00Z";
/// A time after the deadline.
pub const LATE: &str = "2025-03-03T12:00:00Z";

/// What a student handed in for one exercise.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    /// The reference solution.
    Solution,
    /// The stub of `exercises/`.
    Stub,
    /// The crate of `fixtures/broken/<exercise>/<case>`.
    Broken(&'static str),
    /// The crate of `fixtures/hostile/<case>`.
    Hostile(&'static str),
    /// A crate that does not compile.
    NoBuild,
    /// Nothing.
    Absent,
}

/// How the crates are laid out inside the submission.
#[derive(Debug, Clone, Copy)]
pub enum Layout {
    /// `<exercise>/` at the top, like `exercises/`.
    Flat,
    /// A copy of the student repository: `README.md` and `exercises/<exercise>/`.
    Repository,
    /// Inside one folder, as archive tools wrap them: `<id>-work/<exercise>/`.
    Wrapped,
}

/// How the student handed it in.
#[derive(Debug, Clone)]
pub enum Form {
    /// A directory whose files were last modified at the given time.
    Directory(Layout, &'static str),
    /// A zip archive modified at the given time.
    Zip(Layout, &'static str),
    /// A tar.gz archive modified at the given time.
    TarGz(Layout, &'static str),
    /// A git repository with these commits (parts, committer time), oldest first.
    Git {
        /// The commits.
        commits: Vec<([Part; 2], &'static str)>,
        /// A bare repository (`<id>.git`) rather than a working copy.
        bare: bool,
    },
    /// A zip with an entry `../../escape.txt`.
    ZipSlip,
    /// A zip whose `dict_lookup/src/main.rs` is a link to `/etc/passwd`.
    ZipLink,
    /// A zip with a 65 MiB file.
    ZipHuge,
    /// A file named `<id>.zip` that is not a zip.
    ZipCorrupt,
    /// A file of another kind (`<id>.rar`).
    Rar,
}

/// Points as the gradebook must show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Points {
    /// Exactly.
    Exactly(u32),
    /// Fewer than this (a hostile program: which tests survive is its business).
    Below(u32),
    /// An empty cell (the student could not be graded).
    None,
}

impl Points {
    /// Whether a gradebook cell agrees.
    pub fn matches(&self, cell: &str) -> bool {
        match self {
            Points::Exactly(n) => cell == n.to_string(),
            Points::Below(n) => cell.parse::<u32>().is_ok_and(|v| v < *n),
            Points::None => cell.is_empty(),
        }
    }
}

/// One student and what the batch must say of them.
#[derive(Debug, Clone)]
pub struct Student {
    /// The id.
    pub id: String,
    /// How it was handed in.
    pub form: Form,
    /// The parts (those of the graded commit for git repositories).
    pub parts: [Part; 2],
    /// `graded`, `build_failed`, `empty` or `error`.
    pub status: &'static str,
    /// Points per exercise.
    pub points: [Points; 2],
    /// The graded commit (filled in when the repository is made).
    pub commit: String,
    /// `submitted_at`.
    pub submitted_at: String,
    /// `late`.
    pub late: bool,
    /// A piece of the reason recorded for an `error` or `empty` student.
    pub reason: &'static str,
}

/// Each test's points, per exercise.
pub fn test_points(exercise: &str) -> Vec<(String, u32, bool)> {
    let catalog = Catalog::builtin().unwrap();
    catalog
        .exercise(exercise)
        .unwrap()
        .tests
        .iter()
        .map(|t| {
            (
                t.name.to_string(),
                t.points,
                t.visibility == grader::harness::Visibility::Hidden,
            )
        })
        .collect()
}

/// The possible points of an exercise.
pub fn max_points(exercise: &str) -> u32 {
    test_points(exercise).iter().map(|t| t.1).sum()
}

/// The tests that the broken case of `exercise` fails (its `broken.toml`).
pub fn broken_fails(exercise: &str, case: &str) -> Vec<String> {
    let dir = root().join("fixtures/broken").join(exercise).join(case);
    broken_submissions(&root().join("fixtures/broken"))
        .unwrap()
        .into_iter()
        .find(|b| b.dir == dir)
        .unwrap_or_else(|| panic!("no broken case {exercise}/{case}"))
        .expect
        .fails
}

fn expected_points(exercise: &str, part: Part) -> Points {
    let max = max_points(exercise);
    match part {
        Part::Solution => Points::Exactly(max),
        Part::Stub | Part::NoBuild | Part::Absent => Points::Exactly(0),
        Part::Broken(case) => {
            let fails = broken_fails(exercise, case);
            let lost: u32 = test_points(exercise)
                .iter()
                .filter(|t| fails.contains(&t.0))
                .map(|t| t.1)
                .sum();
            Points::Exactly(max - lost)
        }
        Part::Hostile(_) => Points::Below(max),
    }
}

fn status_of(parts: [Part; 2]) -> &'static str {
    let present: Vec<Part> = parts
        .into_iter()
        .filter(|p| !matches!(p, Part::Absent))
        .collect();
    if present.is_empty() {
        "empty"
    } else if present.iter().all(|p| matches!(p, Part::NoBuild)) {
        "build_failed"
    } else {
        "graded"
    }
}

fn student(id: &str, form: Form, parts: [Part; 2]) -> Student {
    let time = match &form {
        Form::Directory(_, t) | Form::Zip(_, t) | Form::TarGz(_, t) => t.to_string(),
        _ => String::new(),
    };
    let late = !time.is_empty() && time.as_str() > DEADLINE;
    Student {
        id: id.to_string(),
        form,
        parts,
        status: status_of(parts),
        points: [
            expected_points(EXERCISES[0], parts[0]),
            expected_points(EXERCISES[1], parts[1]),
        ],
        commit: String::new(),
        submitted_at: time,
        late,
        reason: "",
    }
}

fn refused(id: &str, form: Form, reason: &'static str, submitted_at: &str) -> Student {
    Student {
        id: id.to_string(),
        form,
        parts: [Part::Absent, Part::Absent],
        status: "error",
        points: [Points::None, Points::None],
        commit: String::new(),
        submitted_at: submitted_at.to_string(),
        late: false,
        reason,
    }
}

fn git(id: &str, commits: Vec<([Part; 2], &'static str)>, bare: bool) -> Student {
    let graded = commits
        .iter()
        .rev()
        .find(|(_, t)| *t <= DEADLINE)
        .map(|(p, t)| (*p, *t));
    let late = commits.iter().any(|(_, t)| *t > DEADLINE);
    let form = Form::Git { commits, bare };
    match graded {
        Some((parts, time)) => {
            let mut s = student(id, form, parts);
            s.submitted_at = time.to_string();
            s.late = late;
            s
        }
        None => {
            let mut s = student(id, form, [Part::Absent, Part::Absent]);
            s.late = late;
            s.reason = "after the deadline";
            s
        }
    }
}

/// The class: 36 students.
pub fn class() -> Vec<Student> {
    use Layout::*;
    use Part::*;
    let mut class = vec![
        student("s01", Form::Directory(Flat, ON_TIME), [Solution, Solution]),
        student("s02", Form::Directory(Flat, ON_TIME), [Stub, Stub]),
        student(
            "s03",
            Form::Directory(Flat, ON_TIME),
            [Broken("prefix_match"), Solution],
        ),
        student(
            "s04",
            Form::Directory(Flat, ON_TIME),
            [Solution, Broken("last_colon")],
        ),
        student(
            "s05",
            Form::Directory(Repository, ON_TIME),
            [Broken("case_insensitive"), Broken("trims_words")],
        ),
        student("s06", Form::Zip(Flat, LATE), [Solution, Stub]),
        student(
            "s07",
            Form::Zip(Wrapped, ON_TIME),
            [Broken("keeps_carriage_return"), Solution],
        ),
        student(
            "s08",
            Form::TarGz(Flat, ON_TIME),
            [Solution, Broken("ascii_colon_only")],
        ),
        student(
            "s09",
            Form::TarGz(Repository, ON_TIME),
            [Broken("not_found_exit_zero"), Broken("no_name_validation")],
        ),
        git("s10", vec![([Solution, Solution], ON_TIME)], false),
        git(
            "s11",
            vec![([Stub, Stub], ON_TIME), ([Solution, Solution], LATE)],
            false,
        ),
        git(
            "s12",
            vec![
                ([Stub, Stub], EARLIER),
                ([Broken("blank_line_ends_search"), Solution], ON_TIME),
            ],
            false,
        ),
        git("s13", vec![([Solution, Solution], LATE)], false),
        student("s14", Form::Directory(Flat, ON_TIME), [Absent, Absent]),
        student(
            "s15",
            Form::Directory(Repository, ON_TIME),
            [Absent, Absent],
        ),
        student("s16", Form::Directory(Flat, ON_TIME), [NoBuild, NoBuild]),
        student("s17", Form::Directory(Flat, ON_TIME), [NoBuild, Solution]),
        refused("s18", Form::ZipSlip, "outside the submission", ON_TIME),
        refused("s19", Form::ZipLink, "is a link", ON_TIME),
        student(
            "s20",
            Form::Directory(Flat, ON_TIME),
            [Hostile("print_flood"), Solution],
        ),
        refused("s21.rar", Form::Rar, "neither a directory", ""),
        git("s22", vec![([Solution, Stub], ON_TIME)], true),
        refused("s23", Form::ZipCorrupt, "cannot be read", ON_TIME),
        student(
            "s24",
            Form::Directory(Flat, ON_TIME),
            [
                Broken("panics_on_missing_dict"),
                Broken("appends_to_old_files"),
            ],
        ),
        student(
            "s25",
            Form::Zip(Repository, ON_TIME),
            [Broken("prefix_match"), Broken("ascii_colon_first")],
        ),
        student(
            "s26",
            Form::TarGz(Wrapped, ON_TIME),
            [Stub, Broken("exit_zero_with_bad_lines")],
        ),
        git(
            "s27",
            vec![(
                [Broken("case_insensitive"), Broken("fullwidth_colon_only")],
                ON_TIME,
            )],
            false,
        ),
        student(
            "s28",
            Form::Directory(Flat, LATE),
            [Solution, Broken("keeps_carriage_returns")],
        ),
        student(
            "s29",
            Form::Zip(Flat, ON_TIME),
            [Absent, Broken("names_not_trimmed")],
        ),
        student(
            "s30",
            Form::TarGz(Flat, ON_TIME),
            [
                Broken("blank_line_ends_search"),
                Broken("no_out_dir_creation"),
            ],
        ),
        student(
            "s31",
            Form::Directory(Repository, ON_TIME),
            [
                Broken("keeps_carriage_return"),
                Broken("out_dir_before_talk"),
            ],
        ),
        git(
            "s32",
            vec![
                ([Solution, Broken("panics_without_colon")], EARLIER),
                ([Stub, Stub], LATE),
            ],
            false,
        ),
        student(
            "s33",
            Form::Directory(Flat, ON_TIME),
            [Stub, Broken("skips_only_empty_lines")],
        ),
        student(
            "s34",
            Form::TarGz(Flat, ON_TIME),
            [Solution, Broken("zero_based_line_numbers")],
        ),
        student(
            "s35",
            Form::Zip(Flat, ON_TIME),
            [Broken("not_found_exit_zero"), Broken("trims_words")],
        ),
        refused("s36", Form::ZipHuge, "more than", ON_TIME),
    ];
    for s in &mut class {
        if s.status == "empty" && s.reason.is_empty() {
            s.reason = "no exercise crate";
        }
    }
    class
}

// ----------------------------------------------------------------------
// Making the submissions
// ----------------------------------------------------------------------

fn write_part(dir: &Path, exercise: &str, part: Part) {
    let dest = dir.join(exercise);
    match part {
        Part::Solution => copy_tree(&root().join("solutions").join(exercise), &dest),
        Part::Stub => copy_tree(&root().join("exercises").join(exercise), &dest),
        Part::Broken(case) => copy_tree(
            &root()
                .join("fixtures/broken")
                .join(exercise)
                .join(case)
                .join(exercise),
            &dest,
        ),
        Part::Hostile(case) => copy_tree(
            &root().join("fixtures/hostile").join(case).join(exercise),
            &dest,
        ),
        Part::NoBuild => {
            copy_tree(&root().join("exercises").join(exercise), &dest);
            fs::write(
                dest.join("src/main.rs"),
                "fn main() {\n    let port: u16 = \"not a number\";\n    println!(\"{port}\");\n}\n",
            )
            .unwrap();
        }
        Part::Absent => {}
    }
}

/// Writes the parts in `layout` under `dir`.
fn stage(dir: &Path, id: &str, layout: Layout, parts: [Part; 2]) {
    let crates = match layout {
        Layout::Flat => dir.to_path_buf(),
        Layout::Repository => {
            fs::create_dir_all(dir).unwrap();
            fs::write(dir.join("README.md"), "# socklings\n").unwrap();
            dir.join("exercises")
        }
        Layout::Wrapped => dir.join(format!("{id}-work")),
    };
    fs::create_dir_all(&crates).unwrap();
    for (exercise, part) in EXERCISES.iter().zip(parts) {
        write_part(&crates, exercise, part);
    }
}

/// A time of the class as a file time.
pub fn file_time(rfc3339: &str) -> SystemTime {
    let secs = chrono_free_parse(rfc3339);
    SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs)
}

/// Parses the class's `YYYY-MM-DDTHH:MM:SSZ` times (days from the civil
/// calendar, as in Howard Hinnant's algorithm).
fn chrono_free_parse(t: &str) -> u64 {
    let n = |a: usize, b: usize| t[a..b].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let (hh, mm, ss) = (n(11, 13), n(14, 16), n(17, 19));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    (days * 86_400 + hh * 3600 + mm * 60 + ss) as u64
}

fn set_times(dir: &Path, t: SystemTime) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            set_times(&entry.path(), t);
        } else {
            fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap()
                .set_modified(t)
                .unwrap();
        }
    }
}

fn set_time(file: &Path, t: &str) {
    fs::File::options()
        .write(true)
        .open(file)
        .unwrap()
        .set_modified(file_time(t))
        .unwrap();
}

/// Every file below `dir`, relative, sorted.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn zip_options() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default().unix_permissions(0o644)
}

fn write_zip(dir: &Path, to: &Path) {
    let mut z = zip::ZipWriter::new(fs::File::create(to).unwrap());
    for rel in files_below(dir) {
        z.start_file(rel.to_string_lossy(), zip_options()).unwrap();
        z.write_all(&fs::read(dir.join(&rel)).unwrap()).unwrap();
    }
    z.finish().unwrap();
}

fn write_tar_gz(dir: &Path, to: &Path) {
    let gz =
        flate2::write::GzEncoder::new(fs::File::create(to).unwrap(), flate2::Compression::fast());
    let mut t = tar::Builder::new(gz);
    t.append_dir_all(".", dir).unwrap();
    t.into_inner().unwrap().finish().unwrap();
}

fn run_git(dir: &Path, args: &[&str], time: Option<&str>) -> String {
    let mut c = Command::new("git");
    c.args([
        "-c",
        "user.name=Student",
        "-c",
        "user.email=student@example.org",
    ])
    .args(args)
    .current_dir(dir);
    if let Some(t) = time {
        c.env("GIT_AUTHOR_DATE", t).env("GIT_COMMITTER_DATE", t);
    }
    let out = c.output().expect("running git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Makes the class's submissions under `subs` (with scratch space in
/// `work`); fills in each git student's graded commit.
pub fn make(class: &mut [Student], subs: &Path, work: &Path) {
    fs::create_dir_all(subs).unwrap();
    for s in class.iter_mut() {
        let scratch = work.join(&s.id);
        match s.form.clone() {
            Form::Directory(layout, t) => {
                let dir = subs.join(&s.id);
                stage(&dir, &s.id, layout, s.parts);
                fs::create_dir_all(&dir).unwrap();
                set_times(&dir, file_time(t));
                if files_below(&dir).is_empty() {
                    s.submitted_at.clear();
                    s.late = false;
                }
            }
            Form::Zip(layout, t) => {
                stage(&scratch, &s.id, layout, s.parts);
                let file = subs.join(format!("{}.zip", s.id));
                write_zip(&scratch, &file);
                set_time(&file, t);
            }
            Form::TarGz(layout, t) => {
                stage(&scratch, &s.id, layout, s.parts);
                let file = subs.join(format!("{}.tar.gz", s.id));
                write_tar_gz(&scratch, &file);
                set_time(&file, t);
            }
            Form::Git { commits, bare } => {
                fs::create_dir_all(&scratch).unwrap();
                run_git(&scratch, &["init", "-q", "-b", "main"], None);
                for (parts, t) in &commits {
                    for e in fs::read_dir(&scratch).unwrap() {
                        let e = e.unwrap();
                        if e.file_name() != ".git" {
                            fs::remove_dir_all(e.path())
                                .or_else(|_| fs::remove_file(e.path()))
                                .unwrap();
                        }
                    }
                    stage(&scratch, &s.id, Layout::Repository, *parts);
                    run_git(&scratch, &["add", "-A"], None);
                    run_git(
                        &scratch,
                        &["commit", "-q", "--allow-empty", "-m", "work"],
                        Some(t),
                    );
                    let id = run_git(&scratch, &["rev-parse", "HEAD"], None);
                    if *t <= DEADLINE {
                        s.commit = id;
                    }
                }
                if bare {
                    let dest = subs.join(format!("{}.git", s.id));
                    run_git(
                        work,
                        &[
                            "clone",
                            "-q",
                            "--bare",
                            scratch.to_str().unwrap(),
                            dest.to_str().unwrap(),
                        ],
                        None,
                    );
                } else {
                    fs::rename(&scratch, subs.join(&s.id)).unwrap();
                }
            }
            Form::ZipSlip => {
                let file = subs.join(format!("{}.zip", s.id));
                let mut z = zip::ZipWriter::new(fs::File::create(&file).unwrap());
                z.start_file("dict_lookup/Cargo.toml", zip_options())
                    .unwrap();
                z.write_all(b"[package]\nname = \"dict_lookup\"\n").unwrap();
                z.start_file("../../escape.txt", zip_options()).unwrap();
                z.write_all(b"escaped").unwrap();
                z.finish().unwrap();
                set_time(&file, ON_TIME);
            }
            Form::ZipLink => {
                let file = subs.join(format!("{}.zip", s.id));
                let mut z = zip::ZipWriter::new(fs::File::create(&file).unwrap());
                z.start_file("dict_lookup/Cargo.toml", zip_options())
                    .unwrap();
                z.write_all(b"[package]\nname = \"dict_lookup\"\n").unwrap();
                z.add_symlink("dict_lookup/src/main.rs", "/etc/passwd", zip_options())
                    .unwrap();
                z.finish().unwrap();
                set_time(&file, ON_TIME);
            }
            Form::ZipHuge => {
                let file = subs.join(format!("{}.zip", s.id));
                let mut z = zip::ZipWriter::new(fs::File::create(&file).unwrap());
                let options = zip_options()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .large_file(true);
                z.start_file("dict_lookup/words.txt", options).unwrap();
                let zeros = vec![0u8; 1 << 20];
                for _ in 0..65 {
                    z.write_all(&zeros).unwrap();
                }
                z.finish().unwrap();
                set_time(&file, ON_TIME);
            }
            Form::ZipCorrupt => {
                let file = subs.join(format!("{}.zip", s.id));
                fs::write(&file, b"this is not a zip archive at all\n").unwrap();
                set_time(&file, ON_TIME);
            }
            Form::Rar => {
                fs::write(subs.join(&s.id), b"Rar!\x1a\x07\x00").unwrap();
            }
        }
    }
}
