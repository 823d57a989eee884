//! `OUT/feedback/<student>.md`: what the student may see of their grading,
//! in Markdown: the points of each exercise, every test with pass or fail,
//! the details of failed visible tests and the compiler's errors; of a hidden
//! test only its name, its result and its points.
use crate::report::{BuildStatus, Status};
use crate::text::{fmt, get, Lang};
use std::fmt::Write;

use super::gradebook::percent;
use super::state::{StudentRecord, StudentStatus};
use super::view::{ExerciseView, ResultsView};

/// The feedback of one student, in `lang`. `results` is absent when the
/// submission could not be graded (then the record's message says why).
pub fn render(record: &StudentRecord, results: Option<&ResultsView>, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n",
        fmt(lang, "md-title", &[("id", inline(&record.id).into())])
    );
    let _ = writeln!(
        out,
        "{}",
        fmt(
            lang,
            "md-score",
            &[
                ("score", record.score.into()),
                ("max", record.max_score.into()),
                ("percent", percent(record.score, record.max_score).into()),
                ("status", record.status.as_str().into()),
            ],
        )
    );
    if let Some(commit) = &record.commit {
        let commit = short(commit);
        let line = match &record.submitted_at {
            Some(t) => fmt(
                lang,
                "md-graded-commit-at",
                &[("commit", commit.into()), ("time", t.as_str().into())],
            ),
            None => fmt(lang, "md-graded-commit", &[("commit", commit.into())]),
        };
        let _ = writeln!(out, "\n{line}");
    } else if let Some(t) = &record.submitted_at {
        let _ = writeln!(
            out,
            "\n{}",
            fmt(lang, "md-submitted-at", &[("time", t.as_str().into())])
        );
    }
    if record.late {
        let late = if record.source == "git" {
            "md-late-git"
        } else {
            "md-late"
        };
        let _ = writeln!(out, "\n{}", get(lang, late));
    }
    if let Some(m) = &record.message {
        let _ = writeln!(out, "\n{}", paragraph(m));
    }
    if record.status == StudentStatus::Error {
        let _ = writeln!(out, "\n{}", get(lang, "md-not-graded"));
        return out;
    }
    let Some(results) = results else {
        return out;
    };
    for ex in &results.exercises {
        exercise(&mut out, ex, lang);
    }
    out
}

fn exercise(out: &mut String, ex: &ExerciseView, lang: Lang) {
    let title = if ex.title.is_empty() {
        String::new()
    } else {
        format!(": {}", inline(&ex.title))
    };
    let _ = writeln!(
        out,
        "\n## {}{} ({} / {})\n",
        inline(&ex.name),
        title,
        ex.score,
        ex.max_score
    );
    match ex.build {
        BuildStatus::Missing => {
            let _ = writeln!(
                out,
                "{}",
                fmt(lang, "md-missing", &[("name", ex.name.as_str().into())])
            );
            return;
        }
        BuildStatus::Failed => {
            let _ = writeln!(out, "{}\n", get(lang, "md-build-failed"));
            let _ = writeln!(out, "{}", fenced(ex.build_message.as_deref().unwrap_or("")));
            return;
        }
        BuildStatus::Ok => {}
    }
    let _ = writeln!(out, "{}", get(lang, "md-table-head"));
    let _ = writeln!(out, "|------|--------|-------:|");
    for t in &ex.tests {
        let name = if t.is_visible() {
            cell(&t.name)
        } else {
            fmt(lang, "md-hidden-test", &[("name", cell(&t.name).into())])
        };
        let result = get(
            lang,
            match t.status {
                Status::Passed => "md-passed",
                Status::NotRun => "md-not-run",
                Status::Failed => "md-failed",
            },
        );
        let _ = writeln!(out, "| {name} | {result} | {} / {} |", t.score, t.max_score);
    }
    for t in ex
        .tests
        .iter()
        .filter(|t| t.status == Status::Failed && t.is_visible())
    {
        let _ = writeln!(
            out,
            "\n{}\n",
            fmt(lang, "md-test-failed", &[("name", inline(&t.name).into())])
        );
        let _ = writeln!(out, "{}", fenced(t.message.trim_end()));
    }
}

/// The first characters of a commit id.
pub fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}

/// Text inside a code block whose fence is longer than any run of
/// backticks in it, so that nothing in the text can close it.
fn fenced(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}text\n{text}\n{fence}")
}

/// Markdown's special characters escaped, on one line.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A table cell's text.
fn cell(text: &str) -> String {
    inline(text)
}

/// A message as a paragraph (a code block when it spans several lines).
fn paragraph(text: &str) -> String {
    if text.contains('\n') {
        fenced(text)
    } else {
        inline(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fence_is_longer_than_any_backticks_inside() {
        let f = fenced("a ```` b");
        assert!(f.starts_with("`````text\n"), "{f}");
        assert!(f.ends_with("\n`````"), "{f}");
    }

    #[test]
    fn inline_text_cannot_open_markup() {
        assert_eq!(inline("a_b*[x](y)"), "a\\_b\\*\\[x\\](y)");
    }
}
