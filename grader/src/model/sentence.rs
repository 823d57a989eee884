//! [`Sentence`]: what a failure says to a person (its property, a note),
//! as data that can be shown in any language: a catalog [`Phrase`] with
//! typed arguments, a phrase put in a situation (`looking up `abandon`:
//! …`), or plain text a suite wrote itself (shown as it is).
//!
//! A sentence always knows its English text: the JSON report has it, and
//! a suite may read it (`f.property.contains(…)`) as a `&str`.
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

use crate::text::{self, Lang, Phrase};

/// A sentence for a person, showable in every [`Lang`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    english: String,
    form: Form,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    /// Words a suite wrote itself: the same in every language until the
    /// suite says them as a [`Phrase`].
    Plain,
    /// A catalog sentence.
    Phrase(Phrase),
    /// A catalog sentence whose arguments are sentences themselves.
    Template(&'static str, Vec<(&'static str, Sentence)>),
}

impl Sentence {
    /// Plain text, shown as it is in every language.
    pub fn plain(text: impl Into<String>) -> Sentence {
        Sentence {
            english: text.into(),
            form: Form::Plain,
        }
    }

    /// `sentence` in `situation`: "situation: sentence".
    pub fn in_situation(situation: Sentence, sentence: Sentence) -> Sentence {
        Sentence::template(
            "in-situation",
            vec![("situation", situation), ("sentence", sentence)],
        )
    }

    /// The catalog sentence `key` with sentences for arguments (each shown
    /// in the reader's language too).
    pub fn template(key: &'static str, parts: Vec<(&'static str, Sentence)>) -> Sentence {
        let english = Self::fill(key, &parts, Lang::En);
        Sentence {
            english,
            form: Form::Template(key, parts),
        }
    }

    fn fill(key: &str, parts: &[(&'static str, Sentence)], lang: Lang) -> String {
        let args: Vec<(&str, text::Arg)> = parts
            .iter()
            .map(|(name, s)| (*name, s.show(lang).into()))
            .collect();
        text::fmt(lang, key, &args)
    }

    /// The catalog sentence it is, when it is one.
    pub fn phrase(&self) -> Option<&Phrase> {
        match &self.form {
            Form::Phrase(p) => Some(p),
            _ => None,
        }
    }

    /// The same sentence with every catalog phrase keyed `from` (at any
    /// depth) said by the key `to` instead, with the same arguments: how a
    /// suite rewords a harness sentence in every language (the client's
    /// suite says "your program" where the harness says "the server").
    pub fn rekeyed(&self, pairs: &[(&str, &'static str)]) -> Sentence {
        let swap = |key: &'static str| {
            pairs
                .iter()
                .find(|(from, _)| *from == key)
                .map_or(key, |(_, to)| *to)
        };
        match &self.form {
            Form::Plain => self.clone(),
            Form::Phrase(p) => Sentence::from(Phrase {
                key: swap(p.key),
                args: p.args.clone(),
            }),
            Form::Template(key, parts) => Sentence::template(
                swap(key),
                parts
                    .iter()
                    .map(|(name, part)| (*name, part.rekeyed(pairs)))
                    .collect(),
            ),
        }
    }

    /// Whether it is plain text (no catalog sentence).
    pub fn is_plain(&self) -> bool {
        matches!(self.form, Form::Plain)
    }

    /// The catalog words of a sentence whose plain parts and text
    /// arguments are data (a line of a [`super::Quoted`]), in `lang`, each
    /// piece of data shown as a code span; `None` for plain text, which is
    /// all data.
    pub fn words(&self, lang: Lang) -> Option<String> {
        match &self.form {
            Form::Plain => None,
            Form::Phrase(p) => Some(p.words(lang)),
            Form::Template(key, parts) => {
                let args: Vec<(&str, text::Arg)> = parts
                    .iter()
                    .map(|(name, s)| {
                        let shown = s.words(lang).unwrap_or_else(|| text::DATA.to_string());
                        (*name, shown.into())
                    })
                    .collect();
                Some(text::fmt(lang, key, &args))
            }
        }
    }

    /// The English text.
    pub fn english(&self) -> &str {
        &self.english
    }

    /// The sentence in `lang`.
    pub fn show(&self, lang: Lang) -> String {
        match (&self.form, lang) {
            (_, Lang::En) | (Form::Plain, _) => self.english.clone(),
            (Form::Phrase(p), _) => p.show(lang),
            (Form::Template(key, parts), _) => Self::fill(key, parts, lang),
        }
    }
}

impl Deref for Sentence {
    type Target = str;
    fn deref(&self) -> &str {
        &self.english
    }
}

impl fmt::Display for Sentence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english)
    }
}

impl From<Phrase> for Sentence {
    fn from(p: Phrase) -> Sentence {
        Sentence {
            english: p.show(Lang::En),
            form: Form::Phrase(p),
        }
    }
}

impl From<&Sentence> for Sentence {
    fn from(s: &Sentence) -> Sentence {
        s.clone()
    }
}

impl From<&Phrase> for Sentence {
    fn from(p: &Phrase) -> Sentence {
        Sentence::from(p.clone())
    }
}

impl From<String> for Sentence {
    fn from(s: String) -> Sentence {
        Sentence::plain(s)
    }
}

impl From<&String> for Sentence {
    fn from(s: &String) -> Sentence {
        Sentence::plain(s.clone())
    }
}

impl From<&str> for Sentence {
    fn from(s: &str) -> Sentence {
        Sentence::plain(s)
    }
}

impl PartialEq<str> for Sentence {
    fn eq(&self, other: &str) -> bool {
        self.english == other
    }
}

impl PartialEq<&str> for Sentence {
    fn eq(&self, other: &&str) -> bool {
        self.english == *other
    }
}

impl PartialEq<String> for Sentence {
    fn eq(&self, other: &String) -> bool {
        &self.english == other
    }
}

/// A sentence as written: English text (the JSON report, plain text), or
/// in the result cache a catalog sentence's form.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Written {
    Text(String),
    Phrase {
        phrase: text::KeptPhrase,
    },
    Template {
        template: String,
        parts: Vec<(String, Sentence)>,
    },
}

impl Serialize for Sentence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !super::catalog_form() {
            return s.serialize_str(&self.english);
        }
        match &self.form {
            Form::Plain => s.serialize_str(&self.english),
            Form::Phrase(p) => Written::Phrase { phrase: p.into() }.serialize(s),
            Form::Template(key, parts) => Written::Template {
                template: key.to_string(),
                parts: parts
                    .iter()
                    .map(|(n, p)| (n.to_string(), p.clone()))
                    .collect(),
            }
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Sentence {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Sentence, D::Error> {
        use serde::de::Error;
        let name = |n: &str| {
            text::catalog_name(n).ok_or_else(|| D::Error::custom(format!("`{n}` is in no catalog")))
        };
        Ok(match Written::deserialize(d)? {
            Written::Text(text) => Sentence::plain(text),
            Written::Phrase { phrase } => {
                Phrase::try_from(phrase).map_err(D::Error::custom)?.into()
            }
            Written::Template { template, parts } => {
                let mut named = Vec::new();
                for (n, part) in parts {
                    named.push((name(&n)?, part));
                }
                Sentence::template(name(&template)?, named)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_in_a_situation_reads_in_both_languages() {
        let s = Sentence::in_situation(
            Phrase::new("dict-looking-up").arg("word", "abandon").into(),
            Phrase::new("wrong-stdout").into(),
        );
        assert_eq!(
            s.english(),
            "looking up `abandon`: stdout differs from the expected output"
        );
        assert_eq!(s.show(Lang::Zh), "查找 `abandon`：stdout 与预期输出不同");
        // Plain text stays as it is.
        assert_eq!(Sentence::plain("as is").show(Lang::Zh), "as is");
    }
}
