//! Snapshots of what students and CI read: the human report and the JSON
//! report of broken submissions, with volatile parts (durations, loopback
//! addresses, temporary paths, thread ids) normalized.
use crate::common;

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
    // A grading's directories lie in the temporary directory, wherever
    // TMPDIR puts it.
    let tmp = regex::escape(std::env::temp_dir().to_string_lossy().trim_end_matches('/'));
    s.add_filter(&format!(r"{tmp}/[^\s/]+"), "[tmp]");
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

/// The half-done submission in English, then in Chinese: one submission
/// graded twice (each `--fresh`), so that it is built once.
#[test]
fn focused_view_of_a_half_done_submission() {
    let tmp = half_done();
    let dir = tmp.path().join("exercises");
    let text = focused(&dir);
    settings().bind(|| insta::assert_snapshot!("focused_view_of_a_half_done_submission", text));
    let text = focused_in(&dir, "zh");
    settings().bind(|| {
        insta::assert_snapshot!("focused_view_of_a_half_done_submission_in_chinese", text)
    });
}

#[test]
fn focused_view_of_a_finished_submission() {
    let text = focused(std::path::Path::new("solutions"));
    settings().bind(|| insta::assert_snapshot!(text));
}

// The same views in Chinese (`--lang zh`): what a student whose locale is
// Chinese reads (the half-done one is above).

#[test]
fn focused_view_of_a_fresh_submission_in_chinese() {
    let text = focused_in(std::path::Path::new("exercises"), "zh");
    settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn focused_view_of_a_finished_submission_in_chinese() {
    let text = focused_in(std::path::Path::new("solutions"), "zh");
    settings().bind(|| insta::assert_snapshot!(text));
}

/// One failure of each cause, as the grader's own constructors make it
/// (a finished process through `RunOutput::from_finished`, a limit read
/// from stderr through `Failure::classify_limits`, the pipeline's and the
/// harness's sentences), in the Chinese student view: each in full as a
/// visible test, then each as a hidden test, which shows its cause's fixed
/// sentence only.
fn every_cause() -> Vec<grader::model::Failure> {
    use grader::harness::RunOutput;
    use grader::messages;
    use grader::model::{Cause, Detail, Failure, Label};
    use grader::process::{Finished, Termination};
    use grader::text::Phrase;
    use std::time::Duration;

    let run = "cargo run -q -p dict_lookup -- dict.txt apple";
    let ended = |termination: Termination, stdout: &str, stderr: &str| -> Failure {
        let finished = Finished {
            termination,
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
            peak_rss: None,
            duration: Duration::from_millis(20),
        };
        RunOutput::from_finished(run.into(), finished, Duration::from_secs(10))
            .expect_err("the process failed")
    };
    let output = |stderr: &str| -> Failure {
        let finished = Finished {
            termination: Termination::Exited(1),
            stdout: Vec::new(),
            stderr: stderr.as_bytes().to_vec(),
            peak_rss: None,
            duration: Duration::from_millis(20),
        };
        let out = RunOutput::from_finished(run.into(), finished, Duration::from_secs(10))
            .expect("it exited");
        out.fail(messages::wrong_exit_code(0, 1)).classify_limits()
    };
    let failures = vec![
        Failure::mismatch(messages::wrong_stdout()).with(Detail::Diff {
            label: Label::STDOUT,
            expected: "apple   a round fruit\n".into(),
            actual: "apple   a round fruit\r\n".into(),
        }),
        ended(
            Termination::Exited(101),
            "",
            "\nthread 'main' panicked at src/main.rs:3:5:\nnot yet implemented\n",
        ),
        ended(Termination::Signaled(libc::SIGSEGV), "", ""),
        ended(Termination::TimedOut(Duration::from_secs(10)), "", ""),
        ended(Termination::OutputLimit(1 << 20), "y\ny\ny\n", ""),
        Failure::new(
            Cause::NotListening,
            messages::never_listened(&"127.0.0.1:40000", Duration::from_secs(5)),
        ),
        Failure::new(
            Cause::ServerExited,
            messages::server_exited(Phrase::new("harness-exit-code").arg("code", 1).into()),
        ),
        Failure::new(Cause::BuildFailed, messages::build_failed("dict_lookup")),
        Failure::new(Cause::Missing, messages::exercise_missing("dict_lookup")),
        Failure::new(Cause::GraderError, Phrase::new("test-never-finished")),
        ended(Termination::Signaled(libc::SIGXCPU), "", ""),
        output("memory allocation of 1073741824 bytes failed\n"),
        ended(Termination::Signaled(libc::SIGXFSZ), "", ""),
        output("failed to spawn thread: Resource temporarily unavailable (os error 11)\n"),
        output("dict.txt: Permission denied (os error 13)\n"),
        output("connect: Network is unreachable (os error 101)\n"),
    ];
    let causes: Vec<Cause> = failures.iter().map(|f| f.cause).collect();
    assert_eq!(
        causes,
        [
            Cause::Mismatch,
            Cause::Panic,
            Cause::Signal,
            Cause::Timeout,
            Cause::OutputLimit,
            Cause::NotListening,
            Cause::ServerExited,
            Cause::BuildFailed,
            Cause::Missing,
            Cause::GraderError,
            Cause::CpuLimit,
            Cause::MemoryLimit,
            Cause::FileSizeLimit,
            Cause::ProcessLimit,
            Cause::ForbiddenAccess,
            Cause::ForbiddenNetwork,
        ],
        "one failure of each cause, in the enum's order"
    );
    failures
}

#[test]
fn a_failure_of_each_cause_in_chinese() {
    use grader::model::Visibility;
    use grader::report::{Audience, BuildStatus, ExerciseReport, Report, Status, TestReport};
    use grader::text::Lang;

    let mut tests = Vec::new();
    for (visibility, f) in every_cause()
        .into_iter()
        .map(|f| (Visibility::Visible, f))
        .chain(every_cause().into_iter().map(|f| (Visibility::Hidden, f)))
    {
        tests.push(TestReport {
            name: format!("{}_{}", f.cause.as_str(), visibility.as_str()),
            status: Status::Failed,
            cause: Some(f.cause),
            score: 0,
            max_score: 1,
            visibility,
            message: String::new(),
            not_run: None,
            // As the report collects it for a student: a hidden test's
            // details are gone.
            failure: (visibility == Visibility::Visible).then_some(f),
            duration_ms: 0,
        });
    }
    let exercise = ExerciseReport {
        name: "dict_lookup".into(),
        title: "Look a word up in a dictionary file".into(),
        title_zh: "在词典文件中查词".into(),
        number: 1,
        lesson: "files".into(),
        score: 0,
        max_score: tests.len() as u32,
        build: BuildStatus::Ok,
        build_message: None,
        tests,
    };
    let mut report = Report::from_exercises("exercises", 42, Audience::Student, vec![exercise]);
    grader::render::feedback::fill_messages(&mut report, Lang::Zh);
    // Every sentence of it is Chinese (the leak check of `grader selfcheck`).
    let leaks = grader::leak::in_report(&report);
    assert!(leaks.is_empty(), "{leaks:#?}");
    let mut out = Vec::new();
    let opts = grader::render::human::HumanOptions {
        paint: grader::render::Paint::none(),
        verbose: true,
        lang: Lang::Zh,
    };
    grader::render::human::render(&report, opts, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    settings().bind(|| insta::assert_snapshot!(text));
}
