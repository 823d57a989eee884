//! Snapshots of what students and CI read: the human report and the JSON
//! report of broken submissions, with volatile parts (durations, loopback
//! addresses, temporary paths, thread ids) normalized.
mod common;

use common::{grader, root};

fn grade(dir: &str, extra: &[&str]) -> String {
    // `--fresh`: graded now, not kept from an earlier run (which the human
    // report would say).
    let out = grader()
        .arg("grade")
        .arg(root().join(dir))
        .arg("--fresh")
        .args(extra)
        .output()
        .expect("running the grader");
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r"submission `[^`]*/fixtures/", "submission `fixtures/");
    s.add_filter(
        r#""submission": "[^"]*/fixtures/"#,
        r#""submission": "fixtures/"#,
    );
    s.add_filter(r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#);
    s.add_filter(r"127\.\d+\.\d+\.\d+[: ]\d+", "[loopback]");
    s.add_filter(r"thread 'main' \(\d+\)", "thread 'main' ([tid])");
    s.add_filter(r"/tmp/[^\s/]+", "[tmp]");
    s.add_filter(
        r#""grader_version": "[^"]+""#,
        r#""grader_version": "[version]""#,
    );
    s.add_filter(r"socklings grader [0-9.]+", "socklings grader [version]");
    // The sandbox layers depend on the machine (root or not, kernel).
    s.add_filter(r#""detail": "[^"]*""#, r#""detail": "[machine]""#);
    s.add_filter(r#""active": (true|false)"#, r#""active": "[machine]""#);
    s
}

#[test]
fn human_report_of_a_wrong_line_ending() {
    let text = grade(
        "fixtures/broken/dict_lookup/keeps_carriage_return",
        &["--only", "dict_lookup"],
    );
    settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn human_report_of_a_program_that_reads_too_far() {
    let text = grade(
        "fixtures/broken/dict_lookup/reads_whole_file",
        &["--only", "dict_lookup", "--verbose"],
    );
    settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn json_report_of_a_wrong_exit_code() {
    let text = grade(
        "fixtures/broken/dict_lookup/panics_on_missing_dict",
        &["--only", "dict_lookup", "--format", "json"],
    );
    settings().bind(|| insta::assert_snapshot!(text));
}

/// The focused view students see by default (`--fresh`: no result kept
/// from an earlier run is marked unchanged), in English.
fn focused(dir: &std::path::Path) -> String {
    focused_in(dir, "en")
}

/// The focused view in the language `lang`.
fn focused_in(dir: &std::path::Path, lang: &str) -> String {
    let out = grader()
        .arg("grade")
        .arg(dir)
        .arg("--fresh")
        .args(["--lang", lang])
        .output()
        .expect("running the grader");
    let text = String::from_utf8(out.stdout).expect("UTF-8 report");
    assert!(
        text.lines().count() <= grader::render::focus::SCREEN_LINES,
        "the focused view takes more than one screen:\n{text}"
    );
    text
}

#[test]
fn focused_view_of_a_fresh_submission() {
    // As `cargo grade` names it: relative to the course root.
    let text = focused(std::path::Path::new("exercises"));
    settings().bind(|| insta::assert_snapshot!(text));
}

/// Two exercises solved, the third with a plausible mistake, the rest stubs.
fn half_done() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let sub = tmp.path().join("exercises");
    common::copy_tree(&root().join("exercises"), &sub);
    for solved in ["dict_lookup", "talk_split"] {
        common::copy_tree(&root().join("solutions").join(solved), &sub.join(solved));
    }
    common::copy_tree(
        &root().join("fixtures/broken/copy_dir/create_dir_without_parents/copy_dir"),
        &sub.join("copy_dir"),
    );
    tmp
}

#[test]
fn focused_view_of_a_half_done_submission() {
    let tmp = half_done();
    let text = focused(&tmp.path().join("exercises"));
    settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn focused_view_of_a_finished_submission() {
    let text = focused(std::path::Path::new("solutions"));
    settings().bind(|| insta::assert_snapshot!(text));
}

// The same three views in Chinese (`--lang zh`): what a student whose
// locale is Chinese reads.

#[test]
fn focused_view_of_a_fresh_submission_in_chinese() {
    let text = focused_in(std::path::Path::new("exercises"), "zh");
    settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn focused_view_of_a_half_done_submission_in_chinese() {
    let tmp = half_done();
    let text = focused_in(&tmp.path().join("exercises"), "zh");
    settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn focused_view_of_a_finished_submission_in_chinese() {
    let text = focused_in(std::path::Path::new("solutions"), "zh");
    settings().bind(|| insta::assert_snapshot!(text));
}
