//! The grading benchmark: `cargo bench --bench grading`. It prints one row
//! per scenario: the wall time, the CPU floor (the whole run's user + system
//! CPU, its students' programs and builds included, divided by the cores),
//! the longest single test, and the ratios that say how close a grading
//! comes to what its tests and its CPU work allow. It is a benchmark, not a
//! test: nothing here asserts a time.
//!
//! Scenarios, all in one run so that their ratios compare:
//! - (a) `solutions/`, build cached;
//! - (b) a generated class (solutions, stubs and broken submissions mixed)
//!   graded by `grader batch` from an empty build cache; each solving
//!   student's crates differ from every other student's (a line of their
//!   manifests), the stubs are the same for all, as in a real class;
//! - (c) the same class as the grader ran before tests were admitted by
//!   what they use: `--jobs` = cores, one student at a time (the course's
//!   dependencies are still compiled once: that is not switched off);
//! - (d) the student's loop: one exercise edited in a copy of `exercises/`,
//!   graded again with `cargo grade`'s defaults.
//!
//! `SOCKLINGS_BENCH_CLASS=N` sets the class size (default 30);
//! `SOCKLINGS_BENCH_ONLY=a,d` runs some scenarios only;
//! `SOCKLINGS_BENCH_PARALLEL=N` grades (b) N students at once instead of
//! the default (to weigh another default against it).
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use grader::fixtures::broken_submissions;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What one scenario measured.
struct Measure {
    name: &'static str,
    wall: Duration,
    cpu: Duration,
    longest: Duration,
}

impl Measure {
    fn floor(&self) -> Duration {
        self.cpu / cores() as u32
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `command`, returning its wall time and the user + system CPU of it
/// and every descendant it waited for.
// The child is reaped by wait4, which also gives its CPU time.
#[allow(clippy::zombie_processes)]
fn timed(command: &mut Command) -> (Duration, Duration, std::process::ExitStatus) {
    let start = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting the grader");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; status and usage are valid pointers.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 on the grader");
    let wall = start.elapsed();
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
    use std::os::unix::process::ExitStatusExt;
    (wall, cpu, std::process::ExitStatus::from_raw(status))
}

/// The longest test of the JSON reports in `paths`.
fn longest_test(paths: &[PathBuf]) -> Duration {
    let mut longest = 0u64;
    for path in paths {
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        let Ok(report) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        for ex in report["exercises"].as_array().into_iter().flatten() {
            for t in ex["tests"].as_array().into_iter().flatten() {
                longest = longest.max(t["duration_ms"].as_u64().unwrap_or(0));
            }
        }
    }
    Duration::from_millis(longest)
}

/// The longest test of `exercise` in the results the human report kept
/// under `results` (`<target-dir>/results/<submission>/<exercise>.json`).
fn longest_kept(results: &Path, exercise: &str) -> Duration {
    let mut longest = 0u64;
    for dir in fs::read_dir(results).into_iter().flatten().flatten() {
        let Ok(text) = fs::read_to_string(dir.path().join(format!("{exercise}.json"))) else {
            continue;
        };
        let Ok(kept) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        for t in kept["exercise"]["tests"].as_array().into_iter().flatten() {
            longest = longest.max(t["duration_ms"].as_u64().unwrap_or(0));
        }
    }
    Duration::from_millis(longest)
}

fn grader_bin() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "-q", "--release", "-p", "grader"])
        .current_dir(root())
        .status()
        .expect("building the grader");
    assert!(status.success(), "cargo build --release -p grader failed");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    target.join("release").join("grader")
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let kind = entry.file_type().unwrap();
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        if kind.is_dir() {
            copy_tree(&entry.path(), &to.join(&name));
        } else if kind.is_file() {
            fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// A class of `size` students: a third the solutions, a third the stubs,
/// the rest the solutions with one exercise replaced by a broken submission.
fn make_class(dir: &Path, size: usize) {
    let broken = broken_submissions(&root().join("fixtures/broken")).unwrap();
    for i in 0..size {
        let student = dir.join(format!("student{i:02}"));
        match i % 3 {
            0 => copy_tree(&root().join("solutions"), &student),
            1 => copy_tree(&root().join("exercises"), &student),
            _ => {
                copy_tree(&root().join("solutions"), &student);
                let case = &broken[(i * 7) % broken.len()];
                let ex = &case.expect.exercise;
                fs::remove_dir_all(student.join(ex)).unwrap();
                copy_tree(&case.dir.join(ex), &student.join(ex));
            }
        }
        let _ = fs::remove_dir_all(student.join("grade_self"));
        if i % 3 != 1 {
            make_own(&student, i);
        }
    }
}

/// Makes every crate of a student who solved the exercises differ from
/// every other student's, as in a real class, where no two students write
/// the same code: a line of its manifest names the student. Stubs stay as
/// they were handed out, so the builds that the program cache spares are
/// those a real class spares.
fn make_own(student: &Path, i: usize) {
    for entry in fs::read_dir(student).unwrap().flatten() {
        let manifest = entry.path().join("Cargo.toml");
        if let Ok(mut text) = fs::read_to_string(&manifest) {
            text.push_str(&format!("# student{i:02}'s own work\n"));
            fs::write(&manifest, text).unwrap();
        }
    }
}

fn results_of(out: &Path) -> Vec<PathBuf> {
    fs::read_dir(out.join("results"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let wanted: Vec<String> = std::env::var("SOCKLINGS_BENCH_ONLY")
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_else(|_| ["a", "b", "c", "d"].map(String::from).to_vec());
    let want = |s: &str| wanted.iter().any(|w| w == s);
    let size: usize = std::env::var("SOCKLINGS_BENCH_CLASS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let grader = grader_bin();
    // Other work on the machine inflates the wall times, not the CPU floor:
    // the load average before and after says how quiet it was.
    let load = || {
        fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "unknown".into())
    };
    let load_before = load();
    let scratch = tempfile::tempdir().unwrap();
    let mut rows: Vec<Measure> = Vec::new();

    if want("a") {
        let cache = scratch.path().join("a-cache");
        let json = scratch.path().join("a.json");
        let grade = || {
            let mut c = Command::new(&grader);
            c.arg("grade")
                .arg(root().join("solutions"))
                .arg("--target-dir")
                .arg(&cache)
                .args(["--format", "json", "--results"])
                .arg(&json);
            c
        };
        timed(&mut grade()); // builds the cache
        let (wall, cpu, _) = timed(&mut grade());
        rows.push(Measure {
            name: "(a) solutions, build cached",
            wall,
            cpu,
            longest: longest_test(&[json]),
        });
    }

    if want("b") || want("c") {
        let class = scratch.path().join("class");
        make_class(&class, size);
        for (scenario, jobs) in [("b", None), ("c", Some(cores()))] {
            if !want(scenario) {
                continue;
            }
            let out = scratch.path().join(format!("{scenario}-out"));
            let cache = scratch.path().join(format!("{scenario}-cache"));
            let mut c = Command::new(&grader);
            c.arg("batch")
                .arg(&class)
                .arg("--out")
                .arg(&out)
                .arg("--target-dir")
                .arg(&cache);
            if let (None, Ok(n)) = (jobs, std::env::var("SOCKLINGS_BENCH_PARALLEL")) {
                c.args(["--parallel", &n]);
            }
            if let Some(j) = jobs {
                // As the grader graded a class before: tests at once by the
                // cores, one student at a time.
                c.args(["--jobs", &j.to_string(), "--parallel", "1"]);
            }
            let (wall, cpu, _) = timed(&mut c);
            rows.push(Measure {
                name: if scenario == "b" {
                    "(b) class, empty cache"
                } else {
                    "(c) class, old configuration"
                },
                wall,
                cpu,
                longest: longest_test(&results_of(&out)),
            });
        }
    }

    if want("d") {
        let work = scratch.path().join("student");
        copy_tree(&root().join("exercises"), &work);
        copy_tree(
            &root().join("solutions/dict_lookup"),
            &work.join("dict_lookup"),
        );
        let cache = scratch.path().join("d-cache");
        // `cargo grade`'s defaults: the human report, which keeps each
        // exercise's result and grades again only what changed.
        let grade = || {
            let mut c = Command::new(&grader);
            c.arg("grade").arg(&work).arg("--target-dir").arg(&cache);
            c
        };
        timed(&mut grade()); // the first grading of the session
        let main = work.join("dict_lookup/src/main.rs");
        let mut text = fs::read_to_string(&main).unwrap();
        text.push_str("\n// edited\n");
        fs::write(&main, text).unwrap();
        let (wall, cpu, _) = timed(&mut grade());
        rows.push(Measure {
            name: "(d) one exercise edited",
            wall,
            cpu,
            longest: longest_kept(&cache.join("results"), "dict_lookup"),
        });
    }

    let secs = |d: Duration| format!("{:.1} s", d.as_secs_f64());
    println!(
        "{:<28} {:>9} {:>10} {:>9} {:>22}",
        "scenario", "wall", "CPU floor", "longest", "wall / max(longest, floor)"
    );
    for m in &rows {
        let bound = m.longest.max(m.floor());
        println!(
            "{:<28} {:>9} {:>10} {:>9} {:>22.2}",
            m.name,
            secs(m.wall),
            secs(m.floor()),
            secs(m.longest),
            m.wall.as_secs_f64() / bound.as_secs_f64().max(0.001)
        );
    }
    let wall_of = |prefix: &str| {
        rows.iter()
            .find(|m| m.name.starts_with(prefix))
            .map(|m| m.wall)
    };
    println!(
        "{} cores; load average before {load_before}, after {}",
        cores(),
        load()
    );
    if let (Some(b), Some(c)) = (wall_of("(b)"), wall_of("(c)")) {
        println!(
            "(c) / (b): {:.1} × ({} cores, class of {size})",
            c.as_secs_f64() / b.as_secs_f64(),
            cores()
        );
    }
}
