//! The leak check: English sentences in what the grader says in Chinese.
//!
//! A report's words are checked on its typed data, rendered in Chinese the
//! way the renderers show them, never on a terminal dump, so that data is
//! left out exactly: the commands of [`Detail::Command`], the quoted text
//! of [`Detail::Text`], both sides of a [`Detail::Diff`] and of
//! [`Detail::Bytes`], the bytes and peer of a [`Detail::Transcript`] and a
//! compiler's message are what a program or a person wrote, not the
//! grader's words. What is checked: each failed test's property and notes,
//! the headings of its details (a label kept as the suite wrote it,
//! [`Label::Other`], too: a file name or a request line has no three plain
//! words in a row, a suite's English heading does), the grader's words
//! inside the quoted data (the catalog lines of a [`crate::model::Quoted`]:
//! a listing's "(empty)", a cut text's size, a command's comment, a log's
//! verbs, each piece of data in them shown as a code span), the fixed
//! sentence of a hidden test as a student sees it, a test's reason for not
//! running, and the exercise's Chinese title, for both audiences.
//!
//! The heuristic ([`english_run`]): a text leaks when, outside code spans
//! (`` `…` ``) and quotations (`"…"`, `“…”`, `「…」`), it has three or
//! more consecutive English words: runs of ASCII letters (an apostrophe or
//! hyphen inside a word allowed) separated by white space or a comma and
//! white space only. A word touching a digit, `_`, `.`, `/` or any other
//! sign is part of a name (`DEST_DIR`, `dict.txt`, `127.0.0.1`), not a
//! word; a Chinese character or any other sign ends a run. Chinese prose
//! may name one or two English terms side by side (`stdout`, `TCP`,
//! `SO_REUSEADDR`); three words in a row are a sentence left untranslated.
//!
//! `grader selfcheck` runs it on every report it makes (solutions, stubs,
//! alternatives, broken submissions) at no cost in grading: the reports are
//! rendered again in Chinese, nothing is run again.
use crate::model::{Cause, Detail, Failure, Label, Visibility};
use crate::render::feedback::hidden_property;
use crate::report::{Audience, Report, Status};
use crate::text::{self, Lang};

/// The fewest consecutive English words that make a sentence.
pub const MIN_WORDS: usize = 3;

/// An English sentence found in the Chinese form of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    /// The exercise.
    pub exercise: String,
    /// The test (empty for the exercise's own words, its title).
    pub test: String,
    /// Who reads it.
    pub audience: Audience,
    /// The English words found.
    pub words: String,
    /// The whole text they are in, as shown.
    pub text: String,
}

/// The first run of [`MIN_WORDS`] or more consecutive English words in
/// `text` outside code spans and quotations, if any.
pub fn english_run(text: &str) -> Option<String> {
    let mut run: Vec<&str> = Vec::new();
    let mut found: Option<String> = None;
    let mut end_run = |run: &mut Vec<&str>| {
        if run.len() >= MIN_WORDS && found.is_none() {
            found = Some(run.join(" "));
        }
        run.clear();
    };
    for piece in prose(text) {
        // Within a piece of prose: chunks between white space.
        for chunk in piece.split_whitespace() {
            // A chunk may hold Chinese and English side by side with no
            // space ("stdout与预期"): split at each change of script.
            for (i, part) in scripts(chunk).into_iter().enumerate() {
                if i > 0 {
                    end_run(&mut run);
                }
                match word_of(part) {
                    Some((word, ends)) => {
                        run.push(word);
                        if ends {
                            end_run(&mut run);
                        }
                    }
                    None => end_run(&mut run),
                }
            }
        }
        // A quotation or code span between two pieces ends a run.
        end_run(&mut run);
    }
    found
}

/// The parts of `text` outside code spans and quotations (an unclosed
/// quotation runs to the end, so it is not prose either).
fn prose(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        let close = match c {
            '`' => '`',
            '"' => '"',
            '“' => '”',
            '「' => '」',
            _ => continue,
        };
        out.push(&text[start..i]);
        start = text.len();
        for (j, d) in chars.by_ref() {
            if d == close {
                start = j + d.len_utf8();
                break;
            }
        }
    }
    out.push(&text[start.min(text.len())..]);
    out
}

/// `chunk` cut where ASCII and other characters meet.
fn scripts(chunk: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<bool> = None;
    for (i, c) in chunk.char_indices() {
        let ascii = c.is_ascii();
        if prev.is_some_and(|p| p != ascii) {
            out.push(&chunk[start..i]);
            start = i;
        }
        prev = Some(ascii);
    }
    out.push(&chunk[start..]);
    out
}

/// The English word `part` is, and whether a sign after it ends the
/// sentence's run (`.`, `:`, `;`, `!`, `?`, a closing bracket); `None`
/// when it is not a word.
fn word_of(part: &str) -> Option<(&str, bool)> {
    let part = part.trim_start_matches(['(', '[']);
    let (word, ends) = match part.char_indices().last() {
        Some((i, ',')) => (&part[..i], false),
        Some((i, '.' | ':' | ';' | '!' | '?' | ')' | ']')) => (&part[..i], true),
        _ => (part, false),
    };
    let letters = word.trim_matches(|c| c == '\'' || c == '-');
    let is_word = !word.is_empty()
        && letters.len() == word.len()
        && word
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '\'' || c == '-');
    is_word.then_some((word, ends))
}

/// Every English sentence in the Chinese form of `report`, for both
/// audiences (a student sees a hidden test's fixed sentence only).
pub fn in_report(report: &Report) -> Vec<Leak> {
    let lang = Lang::Zh;
    let mut leaks = Vec::new();
    for ex in &report.exercises {
        let mut check = |test: &str, audience: Audience, shown: String| {
            if let Some(words) = english_run(&shown) {
                leaks.push(Leak {
                    exercise: ex.name.clone(),
                    test: test.to_string(),
                    audience,
                    words,
                    text: shown,
                });
            }
        };
        check("", Audience::Student, ex.title_zh.clone());
        for t in &ex.tests {
            if let Some(not_run) = &t.not_run {
                let shown = text::fmt(
                    lang,
                    "not-run",
                    &[
                        ("reason", not_run.reason.as_str().into()),
                        ("points", not_run.points.into()),
                    ],
                );
                for audience in [Audience::Student, Audience::Instructor] {
                    check(&t.name, audience, shown.clone());
                }
            }
            if t.status != Status::Failed {
                continue;
            }
            for audience in [Audience::Student, Audience::Instructor] {
                let redact = audience == Audience::Student && t.visibility == Visibility::Hidden;
                let shown = match (&t.failure, t.cause) {
                    (_, Some(cause)) if redact => hidden_words(cause, lang),
                    (Some(f), _) => failure_words(f, lang),
                    (None, Some(cause)) => hidden_words(cause, lang),
                    (None, None) => Vec::new(),
                };
                for s in shown {
                    check(&t.name, audience, s);
                }
            }
        }
    }
    leaks
}

/// What a student reads of a failed hidden test.
fn hidden_words(cause: Cause, lang: Lang) -> Vec<String> {
    vec![hidden_property(cause, lang), text::get(lang, "hidden-test")]
}

/// The grader's words in the feedback on `f` in `lang`, as
/// [`crate::render::feedback`] shows them, without the data.
pub fn failure_words(f: &Failure, lang: Lang) -> Vec<String> {
    let mut out = vec![f.property.show(lang)];
    let label = |label: &Label| Some(label.show(lang));
    for d in &f.details {
        match d {
            Detail::Note { text: note } => {
                out.push(text::get(lang, "feedback-note"));
                out.push(note.show(lang));
            }
            // The data quoted is left out, the grader's words in it (a
            // listing's notes, a cut text's size, a log's verbs) are not.
            Detail::Command {
                label: l,
                command: quoted,
            }
            | Detail::Text {
                label: l,
                text: quoted,
            } => {
                out.extend(label(l));
                out.extend(quoted.words(lang));
            }
            Detail::Diff { label: l, .. } | Detail::Bytes { label: l, .. } => out.extend(label(l)),
            // The peer is an address (and how the test talked to it); the
            // exchanges are bytes.
            Detail::Transcript { peer, .. } => out.extend(peer.words(lang)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sentence;
    use crate::text::Phrase;

    #[test]
    fn an_english_sentence_leaks() {
        assert_eq!(
            english_run("neither DEST_DIR nor its parents existed: create them all"),
            Some("nor its parents existed".into())
        );
        assert_eq!(
            english_run("服务器 did not answer 在 3 秒内"),
            Some("did not answer".into())
        );
        // A comma does not end a sentence.
        assert_eq!(
            english_run("first, then again"),
            Some("first then again".into())
        );
    }

    #[test]
    fn chinese_with_a_few_terms_does_not_leak() {
        assert_eq!(english_run("stdout 与预期输出不同"), None);
        assert_eq!(english_run("TCP 连接被重置（RST）"), None);
        assert_eq!(english_run("stdout与预期 stderr 不同"), None);
        assert_eq!(english_run("服务器没有在 SRC_DIR 之前 listen"), None);
        // Two words are a term, not a sentence.
        assert_eq!(english_run("Content-Length 和 Connection close"), None);
        // Names with signs in them are not words.
        assert_eq!(
            english_run("写入 out/dict.txt 的 127.0.0.1 v1.2 is_dir"),
            None
        );
        // A sentence's end ends a run.
        assert_eq!(english_run("见 README. Then it"), None);
        assert_eq!(english_run(""), None);
    }

    #[test]
    fn code_spans_and_quotations_are_data() {
        assert_eq!(
            english_run("运行 `cargo run -q -p copy_dir -- src out` 后"),
            None
        );
        assert_eq!(
            english_run("服务器回复了 \"hello from the server\"，应为空"),
            None
        );
        assert_eq!(english_run("收到“connection reset by peer”"), None);
        assert_eq!(english_run("收到「no such file here」"), None);
        // An unclosed quotation runs to the end.
        assert_eq!(english_run("收到 \"no such file here"), None);
        // Outside them, a sentence is still found.
        assert_eq!(
            english_run("`x` is not what we want"),
            Some("is not what we want".into())
        );
    }

    #[test]
    fn quoted_data_of_a_failure_is_not_checked() {
        let f = Failure::mismatch(Sentence::from(Phrase::new("wrong-stdout")))
            .with(Detail::Command {
                label: Label::Run,
                command: "cargo run -q -p dict_lookup -- look up this word".into(),
            })
            .with(Detail::Text {
                label: Label::STDERR,
                text: "thread main panicked at the line".into(),
            })
            .with(Detail::Text {
                label: Label::Other("out/老王.txt".into()),
                text: String::new().into(),
            })
            .with(Detail::Command {
                label: Label::Other("GET /index.html HTTP/1.1".into()),
                command: String::new().into(),
            });
        let words = failure_words(&f, Lang::Zh);
        assert!(words.iter().all(|w| english_run(w).is_none()), "{words:?}");
        // A suite's own English note or heading is the grader's words: it
        // leaks.
        let note = f.clone().note("the server never answered");
        let words = failure_words(&note, Lang::Zh);
        assert_eq!(
            words.iter().find_map(|w| english_run(w)),
            Some("the server never answered".into())
        );
        let heading = f.text(Label::Other("SRC_DIR before the run".into()), "a.txt");
        let words = failure_words(&heading, Lang::Zh);
        assert_eq!(
            words.iter().find_map(|w| english_run(w)),
            Some("before the run".into())
        );
    }

    #[test]
    fn the_graders_words_inside_quoted_data_are_checked() {
        use crate::model::Quoted;
        use crate::text::Arg;
        // A chat's log: who and the bytes are data, the verbs the grader's.
        let log = Quoted::lines(vec![
            Sentence::template("chat-log-closes", vec![("who", Sentence::plain("`alice`"))]),
            Sentence::template(
                "chat-log-sends",
                vec![
                    ("who", Sentence::plain("`bob`")),
                    ("bytes", Sentence::plain("send it to the server\\n")),
                ],
            ),
            Sentence::plain("a line of data with many words in it"),
            Phrase::new("harness-listing-file")
                .arg("name", "notes about the server")
                .arg("size", Arg::Bytes(12))
                .into(),
        ]);
        let f = Failure::mismatch(Sentence::from(Phrase::new("wrong-stdout")))
            .text(Label::Phrase(Phrase::new("chat-all-connections")), log);
        // In Chinese: the words are there, translated, and no data.
        let words = failure_words(&f, Lang::Zh);
        assert!(words.iter().all(|w| english_run(w).is_none()), "{words:?}");
        assert!(words.contains(&"`…` 关闭连接".to_string()), "{words:?}");
        assert!(!words
            .iter()
            .any(|w| w.contains("alice") || w.contains("notes")));
        // Were the Chinese catalog's line English, the check would see it:
        // the same words in English leak, the data still does not.
        let words = failure_words(&f, Lang::En);
        let found: Vec<String> = words.iter().filter_map(|w| english_run(w)).collect();
        assert!(
            found.contains(&"closes its connection".to_string()),
            "{found:?}"
        );
        let data = ["data", "notes", "send it"];
        assert!(
            !found.iter().any(|w| data.iter().any(|d| w.contains(d))),
            "{found:?}"
        );
    }
}
