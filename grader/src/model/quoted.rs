//! [`Quoted`]: what a [`crate::model::Detail`] quotes (a command, a
//! program's output, a file, a directory's listing, a log of connections,
//! a transcript's peer), kept as data, with the grader's own words in it
//! (a listing's "(empty)", the size of a text cut short, a log's
//! "connects") as catalog sentences whose arguments are the data: the data
//! is shown as it is in every language, the words in the reader's.
//!
//! A quoted text is lines: each a [`Sentence`], plain text being data.
//! Like a sentence it knows its English text: the JSON report has it as
//! one string, so the report's schema is the same whatever the lines are;
//! the result cache keeps the lines
//! ([`crate::model::keeping_catalog_form`]).
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

use super::Sentence;
use crate::text::{Lang, Phrase};

/// Data quoted in feedback, with the grader's words in it, showable in
/// every [`Lang`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Quoted {
    english: String,
    lines: Vec<Sentence>,
}

impl Quoted {
    /// Data only: shown as it is in every language.
    pub fn data(text: impl Into<String>) -> Quoted {
        Quoted::lines(vec![Sentence::plain(text)])
    }

    /// Lines, each data (plain text) or the grader's words (a catalog
    /// sentence whose arguments hold the data), joined by `\n`. Data lines
    /// next to each other are kept as one (and no data as none), so that a
    /// text reads back from its English alike.
    pub fn lines(lines: Vec<Sentence>) -> Quoted {
        let english = lines
            .iter()
            .map(|l| l.english())
            .collect::<Vec<_>>()
            .join("\n");
        let mut kept: Vec<Sentence> = Vec::with_capacity(lines.len());
        for line in lines {
            match kept.last_mut() {
                Some(last) if last.is_plain() && line.is_plain() => {
                    *last = Sentence::plain(format!("{}\n{}", last.english(), line.english()));
                }
                _ => kept.push(line),
            }
        }
        if let [only] = kept.as_slice() {
            if only.is_plain() && only.english().is_empty() {
                kept.clear();
            }
        }
        Quoted {
            english,
            lines: kept,
        }
    }

    /// The English text, as the JSON report has it.
    pub fn english(&self) -> &str {
        &self.english
    }

    /// The English text.
    pub fn as_str(&self) -> &str {
        &self.english
    }

    /// The text in `lang`: the data as it is, the grader's words in `lang`.
    pub fn show(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.english.clone();
        }
        self.lines
            .iter()
            .map(|l| l.show(lang))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The grader's own words in it, in `lang`, the data left out (each
    /// argument that is data shown as a code span): what the leak check
    /// reads of a quoted text.
    pub fn words(&self, lang: Lang) -> Vec<String> {
        self.lines.iter().filter_map(|l| l.words(lang)).collect()
    }

    /// Whether it holds no words of the grader's, only data.
    fn is_data(&self) -> bool {
        self.lines.iter().all(Sentence::is_plain)
    }
}

impl Deref for Quoted {
    type Target = str;
    fn deref(&self) -> &str {
        &self.english
    }
}

impl fmt::Display for Quoted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english)
    }
}

impl From<String> for Quoted {
    fn from(s: String) -> Quoted {
        Quoted::data(s)
    }
}

impl From<&String> for Quoted {
    fn from(s: &String) -> Quoted {
        Quoted::data(s.clone())
    }
}

impl From<&str> for Quoted {
    fn from(s: &str) -> Quoted {
        Quoted::data(s)
    }
}

impl From<&Quoted> for Quoted {
    fn from(q: &Quoted) -> Quoted {
        q.clone()
    }
}

impl From<Sentence> for Quoted {
    /// One line (plain text is data).
    fn from(s: Sentence) -> Quoted {
        Quoted::lines(vec![s])
    }
}

impl From<Phrase> for Quoted {
    /// One line of the grader's words.
    fn from(p: Phrase) -> Quoted {
        Quoted::lines(vec![p.into()])
    }
}

impl PartialEq<str> for Quoted {
    fn eq(&self, other: &str) -> bool {
        self.english == other
    }
}

impl PartialEq<&str> for Quoted {
    fn eq(&self, other: &&str) -> bool {
        self.english == *other
    }
}

/// A quoted text as written: its English text (the JSON report; in the
/// result cache, data only), or in the result cache its lines.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Written {
    Text(String),
    Lines { lines: Vec<Sentence> },
}

impl Serialize for Quoted {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !super::catalog_form() || self.is_data() {
            return s.serialize_str(&self.english);
        }
        Written::Lines {
            lines: self.lines.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Quoted {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Quoted, D::Error> {
        Ok(match Written::deserialize(d)? {
            Written::Text(text) => Quoted::data(text),
            Written::Lines { lines } => Quoted::lines(lines),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing() -> Quoted {
        Quoted::lines(vec![
            Sentence::plain("a.txt"),
            Phrase::new("harness-listing-more").arg("total", 25).into(),
        ])
    }

    #[test]
    fn data_stays_and_words_are_said_in_the_readers_language() {
        let q = listing();
        assert_eq!(q.english(), "a.txt\n… (25 in all)");
        assert_eq!(q.show(Lang::En), q.english());
        assert_eq!(q.show(Lang::Zh), "a.txt\n…（共 25 项）");
        assert_eq!(q.words(Lang::Zh), vec!["…（共 25 项）".to_string()]);
        // Data alone has no words of the grader's.
        assert!(Quoted::data("not the grader's words")
            .words(Lang::Zh)
            .is_empty());
    }

    #[test]
    fn the_json_report_has_the_english_text_and_the_cache_the_lines() {
        let q = listing();
        let public = serde_json::to_string(&q).unwrap();
        assert_eq!(public, "\"a.txt\\n… (25 in all)\"");
        // Read back from the public form: data, English in every language.
        let read: Quoted = serde_json::from_str(&public).unwrap();
        assert_eq!(read.show(Lang::Zh), "a.txt\n… (25 in all)");
        // Kept: read back as it was, in any language.
        let kept = super::super::keeping_catalog_form(|| serde_json::to_string(&q).unwrap());
        let read: Quoted = serde_json::from_str(&kept).unwrap();
        assert_eq!(read, q);
        assert_eq!(read.show(Lang::Zh), "a.txt\n…（共 25 项）");
        // Data alone is kept as a string, as before, and reads back alike.
        let data = Quoted::lines(vec![Sentence::plain("x"), Sentence::plain("y")]);
        let kept = super::super::keeping_catalog_form(|| serde_json::to_string(&data).unwrap());
        assert_eq!(kept, "\"x\\ny\"");
        assert_eq!(serde_json::from_str::<Quoted>(&kept).unwrap(), data);
        assert_eq!(Quoted::data(""), Quoted::default());
    }
}
