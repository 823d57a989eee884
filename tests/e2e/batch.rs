//! `grader batch` and `grader merge` end to end: a generated class of 36
//! students (solutions, stubs, broken and hostile submissions; directories,
//! repository copies, git repositories with late commits, zip and tar.gz
//! archives, refused archives) is graded by one command, and the gradebook,
//! the results files, the feedback and the class report (rendered in
//! headless Chromium) are checked value by value; then a re-run skips the
//! unchanged students, three shards merged give the same gradebook, Ctrl-C
//! stops cleanly and resumes, and bad input is one line and exit 2.
pub(crate) mod browser;
mod class;
use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use class::{Student, DEADLINE, EXERCISES};
use common::{grader, grader_bin};
use serde_json::Value;

/// The gradebook's columns for the class's two exercises.
const COLUMNS: [&str; 10] = [
    "student_id",
    "dict_lookup",
    "talk_split",
    "total",
    "max_total",
    "percent",
    "status",
    "commit",
    "submitted_at",
    "late",
];

fn batch_args(subs: &Path, out: &Path, cache: &Path) -> Vec<String> {
    let mut args: Vec<String> = vec![
        "batch".into(),
        subs.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--deadline".into(),
        DEADLINE.into(),
        "--target-dir".into(),
        cache.display().to_string(),
    ];
    for e in EXERCISES {
        args.push("--only".into());
        args.push(e.into());
    }
    args
}

fn run_batch(args: &[String]) -> (String, String) {
    let out = grader().args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "grader {args:?} failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    (stdout, stderr)
}

// ----------------------------------------------------------------------
// The gradebook: its documented shape, then its values
// ----------------------------------------------------------------------

/// The gradebook as rows of named cells, after checking its schema: the
/// header, the row of possible points, and each column's type.
fn read_gradebook(path: &Path) -> (BTreeMap<String, String>, Vec<BTreeMap<String, String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, COLUMNS, "gradebook columns");
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(
            record.len(),
            header.len(),
            "a row of another width: {record:?}"
        );
        rows.push(
            header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect::<BTreeMap<String, String>>(),
        );
    }
    let possible = rows.remove(0);
    assert_eq!(possible["student_id"], "POINTS POSSIBLE");
    let max: Vec<u32> = EXERCISES.iter().map(|e| class::max_points(e)).collect();
    assert_eq!(possible["dict_lookup"], max[0].to_string());
    assert_eq!(possible["talk_split"], max[1].to_string());
    let total: u32 = max.iter().sum();
    assert_eq!(possible["total"], total.to_string());
    assert_eq!(possible["max_total"], total.to_string());
    assert_eq!(possible["percent"], "100.00");

    let statuses = ["graded", "build_failed", "empty", "error"];
    for row in &rows {
        let id = &row["student_id"];
        assert!(!id.is_empty());
        for e in EXERCISES {
            assert!(
                row[e].is_empty() || row[e].parse::<u32>().is_ok(),
                "{id}: {e} = {:?} is not a number of points",
                row[e]
            );
        }
        let score: u32 = row["total"].parse().expect("total is an integer");
        let max: u32 = row["max_total"].parse().expect("max_total is an integer");
        let percent: f64 = row["percent"].parse().expect("percent is a number");
        assert!(score <= max);
        assert!((percent - f64::from(score) * 100.0 / f64::from(max)).abs() < 0.006);
        assert!(
            statuses.contains(&row["status"].as_str()),
            "{id}: status {:?}",
            row["status"]
        );
        let commit = &row["commit"];
        assert!(
            commit.is_empty()
                || (commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit())),
            "{id}: commit {commit:?}"
        );
        let t = &row["submitted_at"];
        assert!(
            t.is_empty() || (t.len() == 20 && t.ends_with('Z') && &t[10..11] == "T"),
            "{id}: submitted_at {t:?} is not RFC 3339 in UTC"
        );
        assert!(
            ["true", "false"].contains(&row["late"].as_str()),
            "{id}: late"
        );
    }
    (possible, rows)
}

fn check_gradebook_values(class: &[Student], rows: &[BTreeMap<String, String>]) {
    let ids: Vec<&str> = rows.iter().map(|r| r["student_id"].as_str()).collect();
    let mut expected_ids: Vec<&str> = class.iter().map(|s| s.id.as_str()).collect();
    expected_ids.sort();
    assert_eq!(ids, expected_ids, "one row per student, sorted by id");
    let total_max: u32 = EXERCISES.iter().map(|e| class::max_points(e)).sum();
    for s in class {
        let row = rows.iter().find(|r| r["student_id"] == s.id).unwrap();
        let what = format!("{}: {row:?}", s.id);
        assert_eq!(row["status"], s.status, "{what}");
        for (e, p) in EXERCISES.iter().zip(s.points) {
            assert!(p.matches(&row[*e]), "{what}: {e} should be {p:?}");
        }
        let sum: u32 = EXERCISES
            .iter()
            .map(|e| row[*e].parse::<u32>().unwrap_or(0))
            .sum();
        assert_eq!(row["total"], sum.to_string(), "{what}");
        assert_eq!(row["max_total"], total_max.to_string(), "{what}");
        assert_eq!(row["commit"], s.commit, "{what}");
        assert_eq!(row["submitted_at"], s.submitted_at, "{what}");
        assert_eq!(row["late"], s.late.to_string(), "{what}");
    }
}

// ----------------------------------------------------------------------
// Results and feedback
// ----------------------------------------------------------------------

fn check_results(out: &Path, class: &[Student], rows: &[BTreeMap<String, String>]) {
    for s in class {
        let path = out.join("results").join(format!("{}.json", s.id));
        if s.status == "error" {
            assert!(
                !path.exists(),
                "{}: a results file for an ungraded student",
                s.id
            );
            continue;
        }
        let report: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        // The JSON report of `grader grade`, schema version 1, for instructors.
        assert_eq!(report["schema_version"], 1);
        assert_eq!(report["audience"], "instructor");
        assert_eq!(report["submission"], s.id.as_str());
        assert_eq!(report["seed"], 42);
        assert!(report["grader_version"].is_string());
        let row = rows.iter().find(|r| r["student_id"] == s.id).unwrap();
        assert_eq!(report["score"].to_string(), row["total"], "{}", s.id);
        let exercises = report["exercises"].as_array().unwrap();
        let names: Vec<&str> = exercises
            .iter()
            .map(|e| e["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, EXERCISES);
        for ex in exercises {
            let name = ex["name"].as_str().unwrap();
            assert_eq!(ex["score"].to_string(), row[name], "{}: {name}", s.id);
            assert!(["ok", "failed", "missing"].contains(&ex["build"].as_str().unwrap()));
            for t in ex["tests"].as_array().unwrap() {
                assert!(t["name"].is_string() && t["message"].is_string());
                assert!(["passed", "failed", "not_run"].contains(&t["status"].as_str().unwrap()));
                assert!(["visible", "hidden"].contains(&t["visibility"].as_str().unwrap()));
                assert!(
                    t["score"].is_u64() && t["max_score"].is_u64() && t["duration_ms"].is_u64()
                );
            }
        }
    }
}

fn test_of<'a>(report: &'a Value, exercise: &str, test: &str) -> &'a Value {
    report["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == exercise)
        .unwrap()["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == test)
        .unwrap()
}

fn check_feedback(out: &Path, class: &[Student]) {
    for s in class {
        let text = fs::read_to_string(out.join("feedback").join(format!("{}.md", s.id)))
            .unwrap_or_else(|e| panic!("{}: no feedback: {e}", s.id));
        assert!(text.starts_with(&format!("# Feedback for {}", s.id)));
        if !s.reason.is_empty() {
            assert!(
                text.contains(s.reason),
                "{}: feedback lacks {:?}:\n{text}",
                s.id,
                s.reason
            );
        }
    }

    // s03 fails a visible test and a hidden one (broken case prefix_match).
    let fails = class::broken_fails("dict_lookup", "prefix_match");
    let hidden: Vec<(String, u32, bool)> = class::test_points("dict_lookup")
        .into_iter()
        .filter(|t| fails.contains(&t.0))
        .collect();
    let (visible, hidden): (Vec<_>, Vec<_>) = hidden.into_iter().partition(|t| !t.2);
    assert!(
        !visible.is_empty() && !hidden.is_empty(),
        "prefix_match fails a visible and a hidden test"
    );
    let text = fs::read_to_string(out.join("feedback/s03.md")).unwrap();
    let report: Value =
        serde_json::from_slice(&fs::read(out.join("results/s03.json")).unwrap()).unwrap();
    for (name, points, _) in &visible {
        let md_name = name.replace('_', "\\_");
        assert!(
            text.contains(&format!("| {md_name} | failed | 0 / {points} |")),
            "{text}"
        );
        assert!(text.contains(&format!("### {md_name} failed")), "{text}");
        // The visible test's details: its command and what came back.
        let message = test_of(&report, "dict_lookup", name)["message"]
            .as_str()
            .unwrap();
        for line in message.lines().filter(|l| l.starts_with("run: ")) {
            assert!(text.contains(line), "the feedback lacks {line:?}");
        }
    }
    for (name, points, _) in &hidden {
        let md_name = name.replace('_', "\\_");
        assert!(
            text.contains(&format!("| {md_name} (hidden) | failed | 0 / {points} |")),
            "{text}"
        );
        assert!(
            !text.contains(&format!("### {md_name}")),
            "details of a hidden test:\n{text}"
        );
        // Nothing of what the instructor sees of it (the lines that no
        // visible test shares).
        let message = test_of(&report, "dict_lookup", name)["message"]
            .as_str()
            .unwrap();
        assert!(!message.is_empty());
        let visible_text: String = visible
            .iter()
            .map(|(v, _, _)| {
                test_of(&report, "dict_lookup", v)["message"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        let own: Vec<&str> = message
            .lines()
            .filter(|l| l.trim().len() > 8 && !visible_text.contains(l.trim()))
            .collect();
        assert!(
            !own.is_empty(),
            "the hidden test's message has lines of its own"
        );
        for line in own {
            assert!(
                !text.contains(line.trim()),
                "the feedback shows the hidden test's {line:?}"
            );
        }
    }
    // s16's compile errors are their own: shown.
    let text = fs::read_to_string(out.join("feedback/s16.md")).unwrap();
    assert!(text.contains("mismatched types"), "{text}");
    // A late repository is told that its later commits were not graded.
    let text = fs::read_to_string(out.join("feedback/s11.md")).unwrap();
    assert!(
        text.contains("not graded")
            && text.contains(&class.iter().find(|s| s.id == "s11").unwrap().commit[..12])
    );
}

// ----------------------------------------------------------------------
// The report, in a browser
// ----------------------------------------------------------------------

fn results_of(out: &Path, class: &[Student]) -> BTreeMap<String, Value> {
    class
        .iter()
        .filter(|s| s.status != "error")
        .map(|s| {
            let path = out.join("results").join(format!("{}.json", s.id));
            (
                s.id.clone(),
                serde_json::from_slice(&fs::read(path).unwrap()).unwrap(),
            )
        })
        .collect()
}

fn check_report(out: &Path, scratch: &Path, class: &[Student], rows: &[BTreeMap<String, String>]) {
    let page = out.join("report.html");
    let html = fs::read_to_string(&page).unwrap();
    // Self-contained: nothing that would fetch.
    for needle in [
        "<script", "<link", " src=", "url(", "@import", "<img", "<iframe",
    ] {
        assert!(!html.contains(needle), "report.html has {needle}");
    }
    let r = browser::render(&page, scratch);
    assert!(
        r.page_requests.is_empty(),
        "the page fetched {:?}",
        r.page_requests
    );
    let (w, h, painted) = browser::png_facts(&r.screenshot);
    assert_eq!((w, h), browser::WINDOW);
    assert!(painted, "the screenshot is blank");
    let dom = &r.dom;

    // The students' table: one row each, with status, total and a link to
    // a feedback file that exists.
    let student_rows = browser::tags_with(dom, "data-student");
    assert_eq!(student_rows.len(), class.len());
    for tag in &student_rows {
        let id = browser::attr(tag, "data-student").unwrap();
        let row = rows.iter().find(|r| r["student_id"] == id).unwrap();
        assert_eq!(browser::attr(tag, "data-status").unwrap(), row["status"]);
        assert_eq!(browser::attr(tag, "data-total").unwrap(), row["total"]);
    }
    let links: Vec<String> = browser::attr_values(dom, "href");
    for s in class {
        let href = format!("feedback/{}.md", s.id);
        assert!(links.contains(&href), "no link {href}");
        assert!(out.join(&href).is_file());
    }

    // The summary's counts.
    let summary: Vec<(String, String)> = browser::tags_with(dom, "data-key")
        .iter()
        .map(|tag| {
            let key = browser::attr(tag, "data-key").unwrap();
            let start = dom.find(tag.as_str()).unwrap() + tag.len();
            let value = dom[start..start + dom[start..].find('<').unwrap()].to_string();
            (key, value)
        })
        .collect();
    for status in ["graded", "build_failed", "empty", "error"] {
        let n = class.iter().filter(|s| s.status == status).count();
        assert!(
            summary.contains(&(status.to_string(), n.to_string())),
            "{status}: {summary:?}"
        );
    }
    assert!(summary.contains(&("students".into(), class.len().to_string())));

    // The histogram: ten bars, each the number of graded students whose
    // percent falls in its tenth.
    let bars = browser::tags_with(dom, "data-bin");
    let bars: Vec<&String> = bars.iter().filter(|t| t.starts_with("<rect")).collect();
    assert_eq!(bars.len(), 10);
    let mut expected = [0usize; 10];
    for row in rows.iter().filter(|r| r["status"] != "error") {
        let p: f64 =
            row["total"].parse::<f64>().unwrap() / row["max_total"].parse::<f64>().unwrap();
        expected[((p * 10.0) as usize).min(9)] += 1;
    }
    let counts: Vec<usize> = bars
        .iter()
        .map(|t| browser::attr(t, "data-count").unwrap().parse().unwrap())
        .collect();
    assert_eq!(counts, expected);
    let heights: Vec<f64> = bars
        .iter()
        .map(|t| browser::attr(t, "height").unwrap().parse().unwrap())
        .collect();
    for (i, j) in [(0, 1), (1, 2)]
        .into_iter()
        .chain((0..10).map(|i| (i, 9 - i)))
    {
        // Taller bars for more students.
        if counts[i] > counts[j] {
            assert!(heights[i] > heights[j]);
        }
    }

    // Per exercise: the mean points and the share of full marks, over the
    // students with results.
    let results = results_of(out, class);
    let exercise_rows = browser::tags_with(dom, "data-exercise");
    assert_eq!(exercise_rows.len(), EXERCISES.len());
    for (tag, e) in exercise_rows.iter().zip(EXERCISES) {
        assert_eq!(browser::attr(tag, "data-exercise").unwrap(), e);
        let scores: Vec<(u64, u64)> = results
            .values()
            .map(|r| {
                let x = r["exercises"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x["name"] == e)
                    .unwrap();
                (
                    x["score"].as_u64().unwrap(),
                    x["max_score"].as_u64().unwrap(),
                )
            })
            .collect();
        let mean = scores.iter().map(|s| s.0 as f64).sum::<f64>() / scores.len() as f64;
        let full = scores.iter().filter(|s| s.0 == s.1).count() as f64 / scores.len() as f64;
        assert_eq!(
            browser::attr(tag, "data-mean").unwrap(),
            format!("{mean:.2}")
        );
        assert_eq!(
            browser::attr(tag, "data-pass-rate").unwrap(),
            format!("{full:.4}")
        );
    }

    // Per test: the failure rate among students whose exercise built,
    // hardest first.
    let test_rows = browser::tags_with(dom, "data-test");
    let total_tests: usize = EXERCISES.iter().map(|e| class::test_points(e).len()).sum();
    assert_eq!(test_rows.len(), total_tests);
    let mut previous = f64::INFINITY;
    for tag in &test_rows {
        let key = browser::attr(tag, "data-test").unwrap();
        let (e, t) = key.split_once("::").unwrap();
        let rate: f64 = browser::attr(tag, "data-failure-rate")
            .unwrap()
            .parse()
            .unwrap();
        assert!(rate <= previous, "tests not sorted hardest first at {key}");
        previous = rate;
        let (mut failed, mut tried) = (0, 0);
        for r in results.values() {
            let x = r["exercises"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["name"] == e)
                .unwrap();
            if x["build"] != "ok" {
                continue;
            }
            tried += 1;
            if test_of(r, e, t)["status"] == "failed" {
                failed += 1;
            }
        }
        assert_eq!(
            format!("{rate:.4}"),
            format!("{:.4}", failed as f64 / tried as f64),
            "{key}"
        );
    }
}

// ----------------------------------------------------------------------
// The tests
// ----------------------------------------------------------------------

#[test]
fn a_class_is_graded_by_one_command_resumed_and_merged_from_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = tmp.path().join("submissions");
    let out = tmp.path().join("out");
    let cache = tmp.path().join("cache");
    let mut class = class::class();
    assert!(class.len() >= 30);
    class::make(&mut class, &subs, &tmp.path().join("work"));
    let git_before: Vec<u8> = fs::read(subs.join("s11/.git/HEAD")).unwrap();

    let args = batch_args(&subs, &out, &cache);
    let started = std::time::Instant::now();
    let (stdout, stderr) = run_batch(&args);
    eprintln!(
        "graded {} students in {:.1} s",
        class.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        stdout.contains(&format!("{} students", class.len())),
        "{stdout}"
    );
    // Plain progress lines when not on a terminal: one per student.
    for (i, s) in class.iter().enumerate() {
        let line = format!("[{}/{}] {}: ", i + 1, class.len(), s.id);
        assert!(
            stderr.contains(&line),
            "no progress line {line:?} in\n{stderr}"
        );
    }

    let (_, rows) = read_gradebook(&out.join("gradebook.csv"));
    check_gradebook_values(&class, &rows);
    check_results(&out, &class, &rows);
    check_feedback(&out, &class);
    check_report(&out, &tmp.path().join("browser"), &class, &rows);
    // The refused archive wrote nothing outside its directory.
    for dir in [
        cache.clone(),
        cache.join("submissions"),
        tmp.path().to_path_buf(),
    ] {
        assert!(
            !dir.join("escape.txt").exists(),
            "the ../ entry escaped into {}",
            dir.display()
        );
    }
    // The student's repository is untouched.
    assert_eq!(fs::read(subs.join("s11/.git/HEAD")).unwrap(), git_before);
    assert!(!subs.join("s11/.git/worktrees").exists());

    // A re-run grades nobody again and writes the same gradebook.
    let gradebook = fs::read(out.join("gradebook.csv")).unwrap();
    let (stdout, stderr) = run_batch(&args);
    assert!(
        stdout.contains(&format!("(0 graded now, {} unchanged)", class.len())),
        "{stdout}\n{stderr}"
    );
    assert_eq!(fs::read(out.join("gradebook.csv")).unwrap(), gradebook);

    // A student who solves an exercise is graded again, alone.
    let s02 = subs.join("s02/dict_lookup");
    fs::remove_dir_all(&s02).unwrap();
    common::copy_tree(&common::root().join("solutions/dict_lookup"), &s02);
    let (stdout, _) = run_batch(&args);
    assert!(
        stdout.contains(&format!("(1 graded now, {} unchanged)", class.len() - 1)),
        "{stdout}"
    );
    let (_, rows) = read_gradebook(&out.join("gradebook.csv"));
    let row = rows.iter().find(|r| r["student_id"] == "s02").unwrap();
    assert_eq!(
        row["dict_lookup"],
        class::max_points("dict_lookup").to_string()
    );
    assert_eq!(
        row["late"], "true",
        "the new files are dated now, after the deadline"
    );
    let gradebook = fs::read(out.join("gradebook.csv")).unwrap();

    // Three shards (each its own output, each grading its students anew),
    // merged, give the same gradebook. They share the class's build cache:
    // the first run above built every submission from cold, so the shards'
    // builds find them built; their tests run again.
    let mut shard_outs = Vec::new();
    let mut seen = BTreeSet::new();
    for k in 1..=3 {
        let shard_out = tmp.path().join(format!("out-{k}"));
        let mut args = batch_args(&subs, &shard_out, &cache);
        args.extend(["--shard".into(), format!("{k}/3")]);
        run_batch(&args);
        let (_, rows) = read_gradebook(&shard_out.join("gradebook.csv"));
        assert!(
            !rows.is_empty() && rows.len() < class.len(),
            "shard {k} has {} students",
            rows.len()
        );
        for r in &rows {
            assert!(
                seen.insert(r["student_id"].clone()),
                "{} in two shards",
                r["student_id"]
            );
        }
        shard_outs.push(shard_out);
    }
    assert_eq!(seen.len(), class.len());
    let merged = tmp.path().join("merged");
    let mut args: Vec<String> = vec!["merge".into()];
    args.extend(shard_outs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), merged.display().to_string()]);
    run_batch(&args);
    assert_eq!(
        String::from_utf8(fs::read(merged.join("gradebook.csv")).unwrap()).unwrap(),
        String::from_utf8(gradebook).unwrap()
    );
    for s in &class {
        assert!(merged
            .join("feedback")
            .join(format!("{}.md", s.id))
            .is_file());
        assert_eq!(
            merged
                .join("results")
                .join(format!("{}.json", s.id))
                .is_file(),
            s.status != "error"
        );
    }
    let html = fs::read_to_string(merged.join("report.html")).unwrap();
    assert_eq!(html.matches("<tr data-student=").count(), class.len());
}

/// No file of OUT is left under a temporary name.
fn no_temporary_files(dir: &Path) {
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            !name.starts_with(".tmp"),
            "{} left behind",
            e.path().display()
        );
        if e.file_type().unwrap().is_dir() {
            no_temporary_files(&e.path());
        }
    }
}

#[test]
fn ctrl_c_stops_between_students_and_a_rerun_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = tmp.path().join("submissions");
    // More students than are graded at once (6) with the first one done:
    // Ctrl-C then leaves some untaken. Named p00 to p11: the gradebook's
    // rows are in the order of the names.
    const CLASS: usize = 12;
    for i in 0..CLASS {
        let from = if i % 2 == 0 { "solutions" } else { "exercises" };
        common::copy_tree(
            &common::root().join(from).join("dict_lookup"),
            &subs.join(format!("p{i:02}/dict_lookup")),
        );
    }
    let out = tmp.path().join("out");
    let cache = tmp.path().join("cache");
    let args: Vec<String> = vec![
        "batch".into(),
        subs.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--only".into(),
        "dict_lookup".into(),
        "--target-dir".into(),
        cache.display().to_string(),
    ];
    let mut child = Command::new(grader_bin())
        .args(&args)
        .current_dir(common::root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push(line.clone());
        // The first student done, whichever it is.
        if line.starts_with('[') && line.contains(&format!("/{CLASS}] p")) {
            break;
        }
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    seen.extend(lines.map_while(Result::ok));
    let code = child.wait().unwrap().code();
    assert_eq!(
        code,
        Some(130),
        "exit code after Ctrl-C; stderr:\n{}",
        seen.join("\n")
    );
    let stderr = seen.join("\n");
    assert!(stderr.contains("run the same command again"), "{stderr}");

    // OUT is consistent: the state, gradebook, results and feedback agree.
    let state: Value = serde_json::from_slice(&fs::read(out.join("batch.json")).unwrap()).unwrap();
    let done: Vec<String> = state["students"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert!(
        !done.is_empty() && done.len() < CLASS,
        "graded before stopping: {done:?}"
    );
    let text = fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert_eq!(text.lines().count(), 2 + done.len(), "{text}");
    for id in &done {
        assert!(out.join(format!("results/{id}.json")).is_file());
        assert!(out.join(format!("feedback/{id}.md")).is_file());
    }
    no_temporary_files(&out);

    // The same command again grades only the others.
    let output = grader().args(&args).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for id in &done {
        assert!(stderr.contains(&format!("{id}: unchanged")), "{stderr}");
    }
    assert_eq!(
        stderr.matches(": unchanged").count(),
        done.len(),
        "{stderr}"
    );
    let text = fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert_eq!(text.lines().count(), 2 + CLASS);
    for (i, line) in text.lines().skip(2).enumerate() {
        let points = if i % 2 == 0 {
            class::max_points("dict_lookup")
        } else {
            0
        };
        assert!(
            line.starts_with(&format!("p{i:02},{points},{points},")),
            "{line}"
        );
    }
}

#[test]
fn relative_folders_are_the_working_directory_s() {
    // Cargo builds inside the grader's snapshot of a submission: a relative
    // `--target-dir` must still name the folder the user meant.
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(
        &common::root().join("solutions/dict_lookup"),
        &tmp.path().join("submissions/ada/dict_lookup"),
    );
    let out = grader()
        .current_dir(tmp.path())
        .args([
            "batch",
            "submissions",
            "--out",
            "out",
            "--target-dir",
            "cache",
        ])
        .args(["--only", "dict_lookup"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let points = class::max_points("dict_lookup");
    let text = fs::read_to_string(tmp.path().join("out/gradebook.csv")).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("ada,{points},{points},"))),
        "{text}\n{stderr}"
    );
    assert!(tmp.path().join("cache/build/targets").is_dir());
}

/// Runs the grader expecting exit 2 and one line on stderr containing `needle`.
fn refused(args: &[&str], needle: &str) {
    let out = grader().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("sandbox") && !l.trim().is_empty())
        .collect();
    assert!(
        lines.iter().any(|l| l.contains(needle)),
        "{args:?}: stderr lacks {needle:?}:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |s: &str| -> PathBuf { tmp.path().join(s) };
    let s = |p: &PathBuf| p.display().to_string();
    let empty = p("empty");
    fs::create_dir_all(&empty).unwrap();
    let out = p("out");

    refused(
        &["batch", &s(&p("nowhere")), "--out", &s(&out)],
        "cannot read the submissions folder",
    );
    refused(
        &[
            "batch",
            &s(&empty),
            "--out",
            &s(&out),
            "--deadline",
            "2025-03-01",
        ],
        "--deadline",
    );
    refused(
        &["batch", &s(&empty), "--out", &s(&out), "--shard", "3/2"],
        "3/2",
    );
    refused(
        &["batch", &s(&empty), "--out", &s(&out), "--only", "no_such"],
        "no_such",
    );
    refused(
        &["batch", &s(&empty), "--out", &s(&empty.join("out"))],
        "inside the submissions",
    );

    let dup = p("dup");
    fs::create_dir_all(dup.join("alice/dict_lookup")).unwrap();
    fs::write(dup.join("alice.zip"), b"").unwrap();
    refused(&["batch", &s(&dup), "--out", &s(&out)], "twice");

    // An empty class is a batch too: a gradebook with the points row only.
    let (o1, o2) = (p("o1"), p("o2"));
    grader()
        .args(["batch", &s(&empty), "--out", &s(&o1)])
        .assert()
        .success();
    let text = fs::read_to_string(o1.join("gradebook.csv")).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.lines().nth(1).unwrap().starts_with("POINTS POSSIBLE,"));

    grader()
        .args(["batch", &s(&empty), "--out", &s(&o2), "--seed", "7"])
        .assert()
        .success();
    refused(
        &["merge", &s(&o1), &s(&o2), "--out", &s(&p("m"))],
        "seed 42 and 7",
    );
    refused(
        &["merge", &s(&o1), &s(&empty), "--out", &s(&p("m"))],
        "not the output of `grader batch`",
    );
    refused(&["merge", &s(&o1), "--out", &s(&o1)], "one of the inputs");
}
