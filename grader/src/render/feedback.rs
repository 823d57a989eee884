//! Feedback on one [`Failure`] as text: the property, then each detail
//! (command, diff, first differing byte, transcript). Used by the human
//! renderer (with colors) and for the `message` of every JSON test.
use std::fmt::Write;

use similar::{ChangeTag, TextDiff};

use super::Paint;
use crate::harness::escape::escape_bytes;
use crate::harness::{Detail, Direction, Failure};
use crate::messages;

/// Lines of a quoted text shown before cutting.
const TEXT_LINES: usize = 30;

/// The failure as plain text; `redact` keeps only the property.
pub fn plain(f: &Failure, redact: bool) -> String {
    render(f, redact, Paint::none(), "")
}

/// The failure as text, every line prefixed with `indent`.
pub fn render(f: &Failure, redact: bool, paint: Paint, indent: &str) -> String {
    if redact {
        let mut out = format!("{indent}{}\n", hidden_property(&f.property));
        let _ = writeln!(
            out,
            "{indent}{}",
            paint.dim("(hidden test: its inputs and details are not shown)")
        );
        return out;
    }
    let mut out = format!("{indent}{}\n", f.property);
    for d in &f.details {
        detail(&mut out, d, paint, indent);
    }
    out
}

/// A hidden test's property as a student may see it. A panic message is
/// the program's own text, and a program can put its arguments (the hidden
/// test's inputs) in it: everything after "panicked" goes, and a
/// parenthesis the cut left open is closed.
pub fn hidden_property(property: &str) -> String {
    const PANICKED: &str = "panicked";
    let Some(at) = property.find(&format!("{PANICKED}: ")) else {
        return property.to_string();
    };
    let mut kept = property[..at + PANICKED.len()].to_string();
    let open = kept
        .matches('(')
        .count()
        .saturating_sub(kept.matches(')').count());
    kept.push_str(&")".repeat(open));
    kept
}

fn detail(out: &mut String, d: &Detail, paint: Paint, indent: &str) {
    match d {
        Detail::Command { label, command } => {
            let _ = writeln!(out, "{indent}{} {command}", paint.dim(&format!("{label}:")));
        }
        Detail::Note { text } => {
            let _ = writeln!(out, "{indent}{} {text}", paint.dim("note:"));
        }
        Detail::Text { label, text } => {
            let _ = writeln!(out, "{indent}{}", paint.dim(&format!("{label}:")));
            let lines: Vec<&str> = text.lines().collect();
            for line in lines.iter().take(TEXT_LINES) {
                let _ = writeln!(out, "{indent}  | {line}");
            }
            if lines.len() > TEXT_LINES {
                let _ = writeln!(
                    out,
                    "{indent}  | … ({} more lines)",
                    lines.len() - TEXT_LINES
                );
            }
        }
        Detail::Diff {
            label,
            expected,
            actual,
        } => diff(out, label, expected, actual, paint, indent),
        Detail::Bytes {
            label,
            offset,
            expected_len,
            actual_len,
            expected,
            actual,
            window_start,
        } => {
            let _ = writeln!(
                out,
                "{indent}{} first difference at byte {offset} (expected {}, got {})",
                paint.dim(&format!("{label}:")),
                messages::size(*expected_len as u64),
                messages::size(*actual_len as u64),
            );
            let rel = offset - window_start;
            let lead = if *window_start > 0 { "…" } else { "" };
            let exp = escape_bytes(expected);
            let act = escape_bytes(actual);
            let _ = writeln!(out, "{indent}  expected: {lead}\"{}\"", paint.good(&exp));
            let _ = writeln!(out, "{indent}  actual:   {lead}\"{}\"", paint.bad(&act));
            let caret_at = escape_bytes(&actual[..rel.min(actual.len())])
                .chars()
                .count()
                + lead.chars().count()
                + 1;
            let _ = writeln!(
                out,
                "{indent}            {}{}",
                " ".repeat(caret_at),
                paint.bad("^")
            );
        }
        Detail::Transcript { peer, exchanges } => {
            let _ = writeln!(
                out,
                "{indent}{}",
                paint.dim(&format!("transcript with {peer}:"))
            );
            for e in exchanges {
                let arrow = match e.direction {
                    Direction::Sent => paint.dim("→ sent    "),
                    Direction::Received => paint.dim("← received"),
                };
                let cut = if e.total > e.bytes.len() {
                    format!(
                        " … ({} of {} shown)",
                        e.bytes.len(),
                        messages::size(e.total as u64)
                    )
                } else {
                    String::new()
                };
                let _ = writeln!(out, "{indent}  {arrow} \"{}\"{cut}", escape_bytes(&e.bytes));
            }
        }
    }
}

/// True when the texts differ only in characters nobody sees: `\r`, tabs
/// against spaces, trailing white space, or a final newline.
fn invisible_difference(expected: &str, actual: &str) -> bool {
    let norm =
        |s: &str| -> Vec<String> { s.lines().map(|l| l.trim_end().replace('\t', " ")).collect() };
    norm(expected) == norm(actual)
}

fn diff(out: &mut String, label: &str, expected: &str, actual: &str, paint: Paint, indent: &str) {
    let show_invisible = invisible_difference(expected, actual);
    let _ = writeln!(
        out,
        "{indent}{} {}{}",
        paint.dim(&format!("{label}:")),
        paint.good("- expected"),
        paint.bad(" + actual"),
    );
    if actual.is_empty() {
        let _ = writeln!(out, "{indent}  (the program printed nothing)");
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
                        value
                    };
                    if emphasized && change.tag() != ChangeTag::Equal {
                        line.push_str(&paint.emphasis(&shown));
                    } else {
                        line.push_str(&shown);
                    }
                }
                if change.missing_newline() {
                    line.push_str(&paint.dim(" (no newline at end)"));
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

/// Shows `\r`, tabs and trailing spaces.
fn visible(s: &str) -> String {
    let trimmed = s.trim_end_matches(' ');
    let trailing = s.len() - trimmed.len();
    let mut out = trimmed.replace('\r', "\\r").replace('\t', "\\t");
    out.push_str(&"·".repeat(trailing));
    out
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
        let text = plain(&f, false);
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
            plain(&f, false).contains("apple x\\r"),
            "{}",
            plain(&f, false)
        );
        let f = failure(vec![Detail::Diff {
            label: "stdout".into(),
            expected: "a\r\n".into(),
            actual: "b\r\n".into(),
        }]);
        assert!(!plain(&f, false).contains("\\r"));
    }

    #[test]
    fn redaction_keeps_only_the_property() {
        let f = failure(vec![Detail::Command {
            label: "run".into(),
            command: "secret input".into(),
        }]);
        let text = plain(&f, true);
        assert!(text.contains("wrong stdout"));
        assert!(!text.contains("secret"));
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
        let text = plain(&f, false);
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
    fn a_hidden_test_shows_no_panic_message() {
        let leak = "args: [\"secret-input\"]";
        let own = Failure::new(
            Cause::Panic,
            format!("your program panicked: {leak}\nsecond line (src/main.rs:3:5)"),
        );
        let text = plain(&own, true);
        assert!(!text.contains("secret"), "{text}");
        assert!(text.starts_with("your program panicked\n"), "{text}");
        let inside = Failure::new(
            Cause::NotListening,
            format!("your program exited before listening on 127.1.2.3:4000 (panicked: {leak} (src/main.rs:3:5))"),
        );
        let text = plain(&inside, true);
        assert!(!text.contains("secret"), "{text}");
        assert!(
            text.starts_with("your program exited before listening on 127.1.2.3:4000 (panicked)\n"),
            "{text}"
        );
        // Visible tests and instructors see the message.
        assert!(plain(&own, false).contains("secret-input"));
    }
}
