//! Feedback on one [`Failure`] as text: the property, then each detail
//! (command, diff, first differing byte, transcript). Used by the human
//! renderer (with colors) and for the `message` of every JSON test.
use std::fmt::Write;

use similar::{ChangeTag, TextDiff};

use super::Paint;
use crate::model::escape::{escape_bytes, push_escaped};
use crate::model::{Cause, Detail, Direction, Exchange, Failure, Label, Quoted};
use crate::report::{Report, Status, TestReport};
use crate::text::{self, Lang};

/// Lines of a quoted text shown before cutting.
const TEXT_LINES: usize = 30;

/// The failure as plain text in `lang`; `redact` keeps only the cause's
/// fixed sentence.
pub fn plain(f: &Failure, redact: bool, lang: Lang) -> String {
    render(f, redact, Paint::none(), "", lang)
}

/// The failure as text in `lang`, every line prefixed with `indent`.
pub fn render(f: &Failure, redact: bool, paint: Paint, indent: &str, lang: Lang) -> String {
    if redact {
        return hidden(f.cause, paint, indent, lang);
    }
    let mut out = format!("{indent}{}\n", f.property.show(lang));
    for d in &f.details {
        detail(&mut out, d, paint, indent, lang);
    }
    out
}

/// A failed hidden test as its audience sees it: the cause's fixed
/// sentence, and a line saying that the rest is hidden.
fn hidden(cause: Cause, paint: Paint, indent: &str, lang: Lang) -> String {
    let mut out = format!("{indent}{}\n", hidden_property(cause, lang));
    let _ = writeln!(
        out,
        "{indent}{}",
        paint.dim(&text::get(lang, "hidden-test"))
    );
    out
}

/// Writes each test's `message`, the feedback as plain text in `lang`
/// (the cause's fixed sentence for a test whose details were redacted),
/// into a report just collected.
pub fn fill_messages(report: &mut Report, lang: Lang) {
    for ex in &mut report.exercises {
        for t in &mut ex.tests {
            t.message = message(t, lang);
        }
    }
}

/// A test's feedback as plain text in `lang`: its `message` (empty when
/// it passed; the cause's fixed sentence when its details were redacted).
/// A test read back from a kept result, whose typed parts are gone, keeps
/// the message it has.
pub fn message(t: &TestReport, lang: Lang) -> String {
    match (t.status, &t.failure, t.cause) {
        (Status::NotRun, _, _) => match &t.not_run {
            Some(not_run) => text::fmt(
                lang,
                "not-run",
                &[
                    ("reason", not_run.reason.as_str().into()),
                    ("points", not_run.points.into()),
                ],
            ),
            None => t.message.clone(),
        },
        (Status::Passed, _, _) => String::new(),
        (Status::Failed, Some(f), _) => plain(f, false, lang),
        (Status::Failed, None, Some(cause)) => hidden(cause, Paint::none(), "", lang),
        (Status::Failed, None, None) => t.message.clone(),
    }
}

/// A label as the heading of its piece: "stdout:".
fn label_line(label: &Label, lang: Lang) -> String {
    text::fmt(
        lang,
        "feedback-label",
        &[("label", label.show(lang).into())],
    )
}

/// What a student sees of a failed hidden test: one fixed sentence per
/// cause. The property itself is never shown: it may quote the test's
/// inputs (a size, a request path) or what the program printed, exited
/// with or sent, and a program can put its hidden inputs in any of those.
pub fn hidden_property(cause: Cause, lang: Lang) -> String {
    let key = match cause {
        Cause::Mismatch => "hidden-mismatch",
        Cause::Panic => "hidden-panic",
        Cause::Signal => "hidden-signal",
        Cause::Timeout => "hidden-timeout",
        Cause::OutputLimit => "hidden-output-limit",
        Cause::NotListening => "hidden-not-listening",
        Cause::ServerExited => "hidden-server-exited",
        Cause::BuildFailed => "hidden-build-failed",
        Cause::Missing => "hidden-missing",
        Cause::GraderError => "hidden-grader-error",
        Cause::CpuLimit => "hidden-cpu-limit",
        Cause::MemoryLimit => "hidden-memory-limit",
        Cause::FileSizeLimit => "hidden-file-size-limit",
        Cause::ProcessLimit => "hidden-process-limit",
        Cause::ForbiddenAccess => "hidden-forbidden-access",
        Cause::ForbiddenNetwork => "hidden-forbidden-network",
    };
    text::get(lang, key)
}

fn detail(out: &mut String, d: &Detail, paint: Paint, indent: &str, lang: Lang) {
    let label_of = |label: &Label| label_line(label, lang);
    match d {
        Detail::Command { label, command } => {
            let command = command.show(lang);
            let _ = writeln!(out, "{indent}{} {command}", paint.dim(&label_of(label)));
        }
        Detail::Note { text } => {
            let _ = writeln!(
                out,
                "{indent}{} {}",
                paint.dim(&text::get(lang, "feedback-note")),
                text.show(lang)
            );
        }
        Detail::Text { label, text } => {
            let _ = writeln!(out, "{indent}{}", paint.dim(&label_of(label)));
            text_lines(out, &text.show(lang), indent, lang);
        }
        Detail::Diff {
            label,
            expected,
            actual,
        } => diff(out, label, expected, actual, paint, indent, lang),
        Detail::Bytes { .. } => first_byte_difference(out, d, paint, indent, lang),
        Detail::Transcript { peer, exchanges } => {
            transcript(out, peer, exchanges, paint, indent, lang)
        }
    }
}

/// A text's lines behind a bar, cut to [`TEXT_LINES`].
fn text_lines(out: &mut String, text: &str, indent: &str, lang: Lang) {
    let lines: Vec<&str> = text.lines().collect();
    for line in lines.iter().take(TEXT_LINES) {
        let _ = writeln!(out, "{indent}  | {}", escape_controls(line));
    }
    if lines.len() > TEXT_LINES {
        let more = text::fmt(
            lang,
            "feedback-more-lines",
            &[("count", (lines.len() - TEXT_LINES).into())],
        );
        let _ = writeln!(out, "{indent}  | {more}");
    }
}

/// A [`Detail::Bytes`]: where two byte strings first differ, both around
/// it, and a caret under the first byte that differs.
fn first_byte_difference(out: &mut String, d: &Detail, paint: Paint, indent: &str, lang: Lang) {
    let Detail::Bytes {
        label,
        offset,
        expected_len,
        actual_len,
        expected,
        actual,
        window_start,
    } = d
    else {
        return;
    };
    let (expected_size, actual_size) = sizes(*expected_len as u64, *actual_len as u64, lang);
    let _ = writeln!(
        out,
        "{indent}{} {}",
        paint.dim(&label_line(label, lang)),
        text::fmt(
            lang,
            "feedback-first-difference",
            &[
                ("offset", (*offset).into()),
                ("expected", expected_size.into()),
                ("actual", actual_size.into()),
            ],
        ),
    );
    let rel = offset - window_start;
    let lead = if *window_start > 0 { "…" } else { "" };
    let exp = escape_bytes(expected);
    let act = escape_bytes(actual);
    let [expected_head, actual_head] = padded(lang, ["feedback-expected", "feedback-actual"]);
    let _ = writeln!(
        out,
        "{indent}  {expected_head} {lead}\"{}\"",
        paint.good(&exp)
    );
    let _ = writeln!(out, "{indent}  {actual_head} {lead}\"{}\"", paint.bad(&act));
    let caret_at = escape_bytes(&actual[..rel.min(actual.len())])
        .chars()
        .count()
        + lead.chars().count()
        + 1;
    let _ = writeln!(
        out,
        "{indent}  {}{}{}",
        " ".repeat(width(&actual_head) + 1),
        " ".repeat(caret_at),
        paint.bad("^")
    );
}

/// A [`Detail::Transcript`]: what was sent and received, in order.
fn transcript(
    out: &mut String,
    peer: &Quoted,
    exchanges: &[Exchange],
    paint: Paint,
    indent: &str,
    lang: Lang,
) {
    let heading = text::fmt(
        lang,
        "feedback-transcript",
        &[("peer", peer.show(lang).into())],
    );
    let _ = writeln!(out, "{indent}{}", paint.dim(&heading));
    let [sent, received] = padded(lang, ["feedback-sent", "feedback-received"]);
    for e in exchanges {
        let arrow = match e.direction {
            Direction::Sent => paint.dim(&sent),
            Direction::Received => paint.dim(&received),
        };
        let cut = if e.total > e.bytes.len() {
            let shown = text::fmt(
                lang,
                "feedback-shown-of",
                &[
                    ("shown", e.bytes.len().into()),
                    ("total", text::Arg::Bytes(e.total as u64)),
                ],
            );
            format!(" {shown}")
        } else {
            String::new()
        };
        let _ = writeln!(out, "{indent}  {arrow} \"{}\"{cut}", escape_bytes(&e.bytes));
    }
}

/// True when the texts differ only in characters nobody sees: `\r`, tabs
/// against spaces, trailing white space, or a final newline.
fn invisible_difference(expected: &str, actual: &str) -> bool {
    let norm =
        |s: &str| -> Vec<String> { s.lines().map(|l| l.trim_end().replace('\t', " ")).collect() };
    norm(expected) == norm(actual)
}

fn diff(
    out: &mut String,
    label: &Label,
    expected: &str,
    actual: &str,
    paint: Paint,
    indent: &str,
    lang: Lang,
) {
    let show_invisible = invisible_difference(expected, actual);
    let _ = writeln!(
        out,
        "{indent}{} {}{}",
        paint.dim(&label_line(label, lang)),
        paint.good(&text::get(lang, "feedback-diff-expected")),
        paint.bad(&format!(" {}", text::get(lang, "feedback-diff-actual"))),
    );
    if actual.is_empty() {
        let nothing = if label.is_output() {
            text::get(lang, "feedback-printed-nothing")
        } else {
            text::get(lang, "feedback-empty")
        };
        let _ = writeln!(out, "{indent}  {nothing}");
    }
    let text_diff = TextDiff::from_lines(expected, actual);
    let groups = text_diff.grouped_ops(2);
    for (i, group) in groups.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(out, "{indent}  {}", paint.dim("⋮"));
        }
        for op in group {
            for change in text_diff.iter_inline_changes(op) {
                let (sign, number) = match change.tag() {
                    ChangeTag::Delete => ("-", change.old_index()),
                    ChangeTag::Insert => ("+", change.new_index()),
                    ChangeTag::Equal => (" ", change.new_index()),
                };
                let mut line = String::new();
                for (emphasized, value) in change.iter_strings_lossy() {
                    let value = value.strip_suffix('\n').unwrap_or(&value).to_string();
                    let shown = if show_invisible {
                        visible(&value)
                    } else {
                        escape_controls(&value)
                    };
                    if emphasized && change.tag() != ChangeTag::Equal {
                        line.push_str(&paint.emphasis(&shown));
                    } else {
                        line.push_str(&shown);
                    }
                }
                if change.missing_newline() {
                    line.push_str(
                        &paint.dim(&format!(" {}", text::get(lang, "feedback-no-newline"))),
                    );
                }
                let number = number.map_or(String::from("    "), |n| format!("{:>4}", n + 1));
                let body = format!("{sign} {line}");
                let body = match change.tag() {
                    ChangeTag::Delete => paint.good(&body),
                    ChangeTag::Insert => paint.bad(&body),
                    ChangeTag::Equal => body,
                };
                let _ = writeln!(out, "{indent}  {} {body}", paint.dim(&number));
            }
        }
    }
}

/// Shows `\r`, tabs and trailing spaces, and escapes other control
/// characters.
fn visible(s: &str) -> String {
    let trimmed = s.trim_end_matches(' ');
    let trailing = s.len() - trimmed.len();
    let mut out = escape_controls(&trimmed.replace('\r', "\\r").replace('\t', "\\t"));
    out.push_str(&"·".repeat(trailing));
    out
}

/// Escapes the control characters of a diff line (a NUL, an escape
/// sequence that would drive the terminal, a carriage return that would
/// overwrite the line), keeping tabs and a line's final `\r`, which print
/// as nothing.
fn escape_controls(s: &str) -> String {
    let (body, cr) = match s.strip_suffix('\r') {
        Some(body) => (body, "\r"),
        None => (s, ""),
    };
    if !body.chars().any(|c| c.is_control() && c != '\t') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in body.chars() {
        match c {
            '\t' => out.push(c),
            c => push_escaped(&mut out, c),
        }
    }
    out.push_str(cr);
    out
}

/// Two sizes as people read them, exact when rounding would make different
/// sizes look the same.
fn sizes(expected: u64, actual: u64, lang: Lang) -> (String, String) {
    let (e, a) = (text::size(lang, expected), text::size(lang, actual));
    if e == a && expected != actual {
        let exact = |n: u64| text::fmt(lang, "bytes", &[("n", n.into())]);
        (exact(expected), exact(actual))
    } else {
        (e, a)
    }
}

/// The sentences `keys` of `lang`, padded to the same width, to start the
/// lines of a column.
fn padded<const N: usize>(lang: Lang, keys: [&str; N]) -> [String; N] {
    let words = keys.map(|k| text::get(lang, k));
    let most = words.iter().map(|w| width(w)).max().unwrap_or(0);
    words.map(|w| {
        let pad = most - width(&w);
        format!("{w}{}", " ".repeat(pad))
    })
}

/// The columns `s` takes on a terminal (two for a Chinese character).
fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::Cause;

    fn failure(details: Vec<Detail>) -> Failure {
        Failure {
            cause: Cause::Mismatch,
            property: "wrong stdout".into(),
            details,
        }
    }

    #[test]
    fn diff_marks_expected_and_actual_lines() {
        let f = failure(vec![Detail::Diff {
            label: "stdout".into(),
            expected: "a\nb\n".into(),
            actual: "a\nc\n".into(),
        }]);
        let text = plain(&f, false, Lang::En);
        assert!(text.contains("- b"), "{text}");
        assert!(text.contains("+ c"), "{text}");
    }

    #[test]
    fn carriage_returns_are_shown_only_when_they_are_the_difference() {
        let f = failure(vec![Detail::Diff {
            label: "stdout".into(),
            expected: "apple x\n".into(),
            actual: "apple x\r\n".into(),
        }]);
        assert!(
            plain(&f, false, Lang::En).contains("apple x\\r"),
            "{}",
            plain(&f, false, Lang::En)
        );
        let f = failure(vec![Detail::Diff {
            label: "stdout".into(),
            expected: "a\r\n".into(),
            actual: "b\r\n".into(),
        }]);
        assert!(!plain(&f, false, Lang::En).contains("\\r"));
    }

    #[test]
    fn redaction_keeps_only_the_cause() {
        let f = failure(vec![Detail::Command {
            label: "run".into(),
            command: "secret input".into(),
        }]);
        let text = plain(&f, true, Lang::En);
        assert!(text.starts_with("mismatch: "), "{text}");
        assert!(
            !text.contains("secret") && !text.contains("wrong stdout"),
            "{text}"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal_raw() {
        let f = failure(vec![Detail::Diff {
            label: "stdout".into(),
            expected: "a\tb\n".into(),
            actual: "a\0b\x1b[2J\rc\n".into(),
        }]);
        let text = plain(&f, false, Lang::En);
        assert!(!text.contains('\0') && !text.contains('\x1b'), "{text:?}");
        // (A lone `\r` ends a line for the diff, and prints as nothing there.)
        assert!(text.contains("a\\0b\\u{1b}[2J"), "{text}");
        assert!(text.contains("a\tb"), "{text}");
        let f = failure(vec![Detail::Text {
            label: "stderr".into(),
            text: "\x1b[31mred\x1b[0m\n".into(),
        }]);
        let text = plain(&f, false, Lang::En);
        assert!(!text.contains('\x1b'), "{text:?}");
    }

    #[test]
    fn an_empty_file_is_not_called_printed_output() {
        let diff = |label: &str| {
            plain(
                &failure(vec![Detail::Diff {
                    label: label.into(),
                    expected: "x\n".into(),
                    actual: String::new(),
                }]),
                false,
                Lang::En,
            )
        };
        assert!(diff("stdout").contains("(the program printed nothing)"));
        let file = diff("OUT_FILE");
        assert!(
            file.contains("(empty)") && !file.contains("printed"),
            "{file}"
        );
    }

    #[test]
    fn the_graders_words_in_quoted_data_are_in_the_readers_language() {
        use crate::model::Sentence;
        use crate::text::{Arg, Phrase};
        let command = "cargo run -q -p line_upper --";
        let f = failure(vec![
            Detail::Command {
                label: Label::Run,
                command: Phrase::new("harness-command-stdin")
                    .arg("command", command)
                    .arg("size", Arg::Bytes(4096))
                    .into(),
            },
            Detail::Text {
                label: Label::STDOUT,
                text: Quoted::lines(vec![
                    Sentence::plain("THE FIRST LINE"),
                    Phrase::new("harness-quote-cut")
                        .arg("size", Arg::Bytes(3 << 20))
                        .into(),
                ]),
            },
            Detail::Transcript {
                peer: Phrase::new("harness-udp-peer")
                    .arg("addr", "127.0.0.1:4000")
                    .arg("client", "client A")
                    .arg("local", "127.0.0.1:5000")
                    .into(),
                exchanges: vec![Exchange {
                    direction: Direction::Sent,
                    bytes: b"hi".to_vec(),
                    total: 2,
                }],
            },
        ]);
        let en = plain(&f, false, Lang::En);
        for line in [
            "run: cargo run -q -p line_upper --  # with 4 KiB on stdin",
            "  | THE FIRST LINE",
            "  | … (3 MiB in all)",
            "transcript with 127.0.0.1:4000 over UDP (client A, from 127.0.0.1:5000; one line per datagram):",
        ] {
            assert!(en.lines().any(|l| l == line), "{line:?} in\n{en}");
        }
        let zh = plain(&f, true, Lang::Zh);
        assert!(!zh.contains("THE FIRST"), "redacted: {zh}");
        let zh = plain(&f, false, Lang::Zh);
        for line in [
            "运行： cargo run -q -p line_upper --  # 由 stdin 输入 4 KiB",
            "  | THE FIRST LINE",
            "  | …（共 3 MiB）",
            "与 127.0.0.1:4000（UDP；client A 从 127.0.0.1:5000 发送；每个数据报一行） 的通信记录：",
        ] {
            assert!(zh.lines().any(|l| l == line), "{line:?} in\n{zh}");
        }
    }

    #[test]
    fn sizes_that_round_alike_are_shown_exactly() {
        assert_eq!(
            sizes(1_048_577, 1_048_600, Lang::En),
            ("1048577 bytes".to_string(), "1048600 bytes".to_string())
        );
        assert_eq!(
            sizes(1 << 20, 2 << 20, Lang::En),
            ("1 MiB".into(), "2 MiB".into())
        );
    }

    #[test]
    fn caret_points_at_the_first_wrong_byte() {
        let f = failure(vec![Detail::Bytes {
            label: "reply".into(),
            offset: 3,
            expected_len: 5,
            actual_len: 5,
            expected: b"HELLO".to_vec(),
            actual: b"HELxO".to_vec(),
            window_start: 0,
        }]);
        let text = plain(&f, false, Lang::En);
        let lines: Vec<&str> = text.lines().collect();
        let actual = lines.iter().find(|l| l.contains("actual:")).unwrap();
        let caret = lines.iter().find(|l| l.trim() == "^").unwrap();
        assert_eq!(
            actual.find('x').unwrap(),
            caret.find('^').unwrap(),
            "{text}"
        );
    }

    #[test]
    fn a_hidden_test_shows_nothing_the_program_or_its_inputs_shaped() {
        // A panic message, an exit code, a size or a header the program
        // chose, a request path of the test: none reaches the student.
        let leaks = [
            (
                Cause::Panic,
                "your program panicked: args: [\"secret-input\"]",
            ),
            (
                Cause::NotListening,
                "your program exited before listening on 127.1.2.3:4000 (exit code 115)",
            ),
            (
                Cause::Mismatch,
                "a random GAP: the file is 33 bytes too short",
            ),
            (
                Cause::Mismatch,
                "`GET /LICENSE`: Content-Length 0, expected 1071",
            ),
        ];
        for (cause, property) in leaks {
            let f = Failure::new(cause, property);
            let text = plain(&f, true, Lang::En);
            assert_eq!(
                text.lines().next(),
                Some(hidden_property(cause, Lang::En).as_str()),
                "{property}"
            );
            for word in ["secret", "115", "33", "LICENSE", "1071"] {
                assert!(!text.contains(word), "{property} -> {text}");
            }
            // Visible tests and instructors see the property.
            assert!(plain(&f, false, Lang::En).starts_with(property));
        }
    }
}
