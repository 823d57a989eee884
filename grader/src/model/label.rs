//! [`Label`]: what a piece of feedback shows, as data: the output of which
//! program on which stream, a command to reproduce the test, or a name the
//! suite chose (a file, a request line), kept as it is.
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::{self, Lang};

/// Which program printed an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    /// The student's program (the one the test ran).
    Student,
    /// The student's server, in a test that also runs a client.
    Server,
    /// The n-th of several receivers (from 1).
    Receiver(u32),
}

/// Which output stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// What a [`crate::model::Detail`] shows. Serialized as its English text
/// (the JSON schema's `label` string), and read back from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// What a program printed on a stream (or its diff against the expected).
    Output {
        /// Whose output.
        program: Program,
        /// Which stream.
        stream: Stream,
    },
    /// The command that runs the program as the test did.
    Run,
    /// The command that starts the student's server as the test did.
    StartServer,
    /// The command of a server whose failure to start is reported.
    ServerCommand,
    /// A command to try once the server runs.
    ThenTry,
    /// A command sending the same bytes as the test, once the server runs.
    ThenSendSame,
    /// A command sending the input in pieces, as the test did.
    SendInPieces,
    /// An input file the test wrote, by its name.
    InputFile(String),
    /// A suite's own words, from its catalog (`say(…)`): shown in the
    /// reader's language.
    Phrase(crate::text::Phrase),
    /// Anything else: a file's name, a request line. Shown as it is, in
    /// every language.
    Other(String),
}

impl Label {
    /// A program's standard output.
    pub const STDOUT: Label = Label::Output {
        program: Program::Student,
        stream: Stream::Stdout,
    };
    /// A program's standard error.
    pub const STDERR: Label = Label::Output {
        program: Program::Student,
        stream: Stream::Stderr,
    };

    /// The stream, when this labels a program's output.
    pub fn stream(&self) -> Option<Stream> {
        match self {
            Label::Output { stream, .. } => Some(*stream),
            _ => None,
        }
    }

    /// Whether this labels what a program printed (stdout or stderr).
    pub fn is_output(&self) -> bool {
        self.stream().is_some()
    }

    /// The English text, as the JSON report has it.
    pub fn english(&self) -> String {
        let stream = |s: Stream| match s {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        };
        match self {
            Label::Output {
                program: Program::Student,
                stream: s,
            } => stream(*s).to_string(),
            Label::Output {
                program: Program::Server,
                stream: s,
            } => format!("server {}", stream(*s)),
            Label::Output {
                program: Program::Receiver(n),
                stream: s,
            } => format!("{} of receiver {n}", stream(*s)),
            Label::Run => "run".into(),
            Label::StartServer => "start your server".into(),
            Label::ServerCommand => "server".into(),
            Label::ThenTry => "then try".into(),
            Label::ThenSendSame => "then send the same bytes".into(),
            Label::SendInPieces => "send it in pieces, as the test did".into(),
            Label::InputFile(name) => format!("input file {name}"),
            Label::Phrase(p) => p.show(Lang::En),
            Label::Other(text) => text.clone(),
        }
    }

    /// The label in `lang`, from the catalogs (a name is kept as it is).
    pub fn show(&self, lang: Lang) -> String {
        let receiver = |key: &str, n: u32| text::fmt(lang, key, &[("n", n.into())]);
        let key = match self {
            Label::Output {
                program: Program::Student,
                stream: Stream::Stdout,
            } => "label-stdout",
            Label::Output {
                program: Program::Student,
                stream: Stream::Stderr,
            } => "label-stderr",
            Label::Output {
                program: Program::Server,
                stream: Stream::Stdout,
            } => "label-server-stdout",
            Label::Output {
                program: Program::Server,
                stream: Stream::Stderr,
            } => "label-server-stderr",
            Label::Output {
                program: Program::Receiver(n),
                stream: Stream::Stdout,
            } => return receiver("label-receiver-stdout", *n),
            Label::Output {
                program: Program::Receiver(n),
                stream: Stream::Stderr,
            } => return receiver("label-receiver-stderr", *n),
            Label::Run => "label-run",
            Label::StartServer => "label-start-server",
            Label::ServerCommand => "label-server-command",
            Label::ThenTry => "label-then-try",
            Label::ThenSendSame => "label-then-send-same",
            Label::SendInPieces => "label-send-in-pieces",
            Label::InputFile(name) => {
                return text::fmt(lang, "label-input-file", &[("name", name.as_str().into())])
            }
            Label::Phrase(p) => return p.show(lang),
            Label::Other(text) => return text.clone(),
        };
        text::get(lang, key)
    }

    /// The label an English text stands for: the inverse of
    /// [`Label::english`], so that a report read back (the result cache,
    /// `batch`) has the same labels. Also what lets a suite still write
    /// `"run".into()` until it names the variant.
    pub fn parse(text: &str) -> Label {
        let stream = |s: &str| match s {
            "stdout" => Some(Stream::Stdout),
            "stderr" => Some(Stream::Stderr),
            _ => None,
        };
        if let Some(s) = stream(text) {
            return Label::Output {
                program: Program::Student,
                stream: s,
            };
        }
        if let Some(s) = text.strip_prefix("server ").and_then(stream) {
            return Label::Output {
                program: Program::Server,
                stream: s,
            };
        }
        if let Some((s, n)) = text.split_once(" of receiver ") {
            if let (Some(s), Ok(number)) = (stream(s), n.parse::<u32>()) {
                if number.to_string() == n {
                    return Label::Output {
                        program: Program::Receiver(number),
                        stream: s,
                    };
                }
            }
        }
        if let Some(name) = text.strip_prefix("input file ") {
            return Label::InputFile(name.to_string());
        }
        match text {
            "run" => Label::Run,
            "start your server" => Label::StartServer,
            "server" => Label::ServerCommand,
            "then try" => Label::ThenTry,
            "then send the same bytes" => Label::ThenSendSame,
            "send it in pieces, as the test did" => Label::SendInPieces,
            other => Label::Other(other.to_string()),
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

impl From<crate::text::Phrase> for Label {
    fn from(p: crate::text::Phrase) -> Label {
        Label::Phrase(p)
    }
}

impl From<&super::Sentence> for Label {
    /// A catalog sentence is a [`Label::Phrase`]; other text is read as
    /// [`Label::parse`] reads it.
    fn from(s: &super::Sentence) -> Label {
        match s.phrase() {
            Some(p) => Label::Phrase(p.clone()),
            None => Label::parse(s.english()),
        }
    }
}

impl From<&crate::text::Phrase> for Label {
    fn from(p: &crate::text::Phrase) -> Label {
        Label::Phrase(p.clone())
    }
}

impl From<&str> for Label {
    fn from(text: &str) -> Label {
        Label::parse(text)
    }
}

impl From<&String> for Label {
    fn from(text: &String) -> Label {
        Label::parse(text)
    }
}

impl From<String> for Label {
    fn from(text: String) -> Label {
        Label::parse(&text)
    }
}

/// A label as written: its English text, or in the result cache a
/// catalog phrase's form.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Written {
    Text(String),
    Phrase { phrase: text::KeptPhrase },
}

impl Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Label::Phrase(p) if super::catalog_form() => {
                Written::Phrase { phrase: p.into() }.serialize(s)
            }
            _ => s.serialize_str(&self.english()),
        }
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Label, D::Error> {
        match Written::deserialize(d)? {
            Written::Text(s) => Ok(Label::parse(&s)),
            Written::Phrase { phrase } => text::Phrase::try_from(phrase)
                .map(Label::Phrase)
                .map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_reads_back_as_itself() {
        let labels = [
            Label::STDOUT,
            Label::STDERR,
            Label::Output {
                program: Program::Server,
                stream: Stream::Stderr,
            },
            Label::Output {
                program: Program::Receiver(3),
                stream: Stream::Stdout,
            },
            Label::Run,
            Label::StartServer,
            Label::ServerCommand,
            Label::ThenTry,
            Label::ThenSendSame,
            Label::SendInPieces,
            Label::InputFile("dict.txt".into()),
            Label::Other("out/老王.txt".into()),
            Label::Other("stdout of receiver 01".into()),
        ];
        for label in labels {
            assert_eq!(Label::parse(&label.english()), label, "{label}");
            // The English catalog says what the JSON report says.
            assert_eq!(label.show(Lang::En), label.english());
            if !matches!(
                label,
                Label::Other(_)
                    | Label::Output {
                        program: Program::Student,
                        ..
                    }
            ) {
                assert_ne!(label.show(Lang::Zh), label.english(), "{label}");
            }
        }
    }
}
