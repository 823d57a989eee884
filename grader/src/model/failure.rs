//! [`Failure`]: why a test failed, as a named [`Cause`], a one-line property
//! that is safe to show for hidden tests, and [`Detail`]s for visible ones.
use serde::{Deserialize, Serialize};

use super::{Label, Quoted, Sentence, Stream};
use crate::text::Phrase;

/// Why a test failed. Every variant has a stable name used in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The program ran but did not behave as the contract says.
    Mismatch,
    /// The program panicked.
    Panic,
    /// A signal ended the program (a crash, or an abort).
    Signal,
    /// The program did not finish within the test's time.
    Timeout,
    /// The program wrote more output than the grader keeps.
    OutputLimit,
    /// The server never started listening (or exited first).
    NotListening,
    /// The server exited while the test was talking to it.
    ServerExited,
    /// The exercise did not compile.
    BuildFailed,
    /// The submission has no crate for this exercise.
    Missing,
    /// The grader itself could not run the test; not the student's fault.
    GraderError,
    /// The program used up its CPU time (a busy loop).
    CpuLimit,
    /// The program ran out of its memory limit.
    MemoryLimit,
    /// The program wrote a file larger than the limit.
    FileSizeLimit,
    /// The program could not start more processes or threads.
    ProcessLimit,
    /// The sandbox refused a file access or a program start.
    ForbiddenAccess,
    /// The sandbox refused a network connection (only loopback exists).
    ForbiddenNetwork,
}

impl Cause {
    /// The stable name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Mismatch => "mismatch",
            Cause::Panic => "panic",
            Cause::Signal => "signal",
            Cause::Timeout => "timeout",
            Cause::OutputLimit => "output_limit",
            Cause::NotListening => "not_listening",
            Cause::ServerExited => "server_exited",
            Cause::BuildFailed => "build_failed",
            Cause::Missing => "missing",
            Cause::GraderError => "grader_error",
            Cause::CpuLimit => "cpu_limit",
            Cause::MemoryLimit => "memory_limit",
            Cause::FileSizeLimit => "file_size_limit",
            Cause::ProcessLimit => "process_limit",
            Cause::ForbiddenAccess => "forbidden_access",
            Cause::ForbiddenNetwork => "forbidden_network",
        }
    }

    /// The limit or sandbox rule that ended (or broke) a program, read from
    /// the signal that killed it or from what it printed on stderr; with a
    /// sentence for the student.
    pub fn of_limit(signal: Option<i32>, stderr: &[u8]) -> Option<(Cause, Phrase)> {
        match signal {
            Some(libc::SIGXCPU) => return Some((Cause::CpuLimit, Phrase::new("limit-cpu"))),
            Some(libc::SIGXFSZ) => {
                return Some((Cause::FileSizeLimit, Phrase::new("limit-file-size")))
            }
            _ => {}
        }
        let text = String::from_utf8_lossy(stderr);
        let rules: [(&str, Cause, &'static str); 5] = [
            ("memory allocation of", Cause::MemoryLimit, "limit-memory"),
            ("File too large", Cause::FileSizeLimit, "limit-file-size"),
            (
                "Resource temporarily unavailable",
                Cause::ProcessLimit,
                "limit-process",
            ),
            (
                "Network is unreachable",
                Cause::ForbiddenNetwork,
                "limit-network",
            ),
            ("Permission denied", Cause::ForbiddenAccess, "limit-access"),
        ];
        rules
            .iter()
            .find(|(marker, _, _)| text.contains(marker))
            .map(|(_, cause, key)| (*cause, Phrase::new(key)))
    }
}

/// Which way bytes went on a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the grader to the student's program.
    Sent,
    /// From the student's program to the grader.
    Received,
}

/// One piece of a wire transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// Which way.
    pub direction: Direction,
    /// The bytes (possibly cut; see `total`).
    #[serde(
        serialize_with = "crate::model::escape::serialize_bytes",
        deserialize_with = "crate::model::escape::deserialize_bytes"
    )]
    pub bytes: Vec<u8>,
    /// How many bytes went that way in this piece before cutting.
    pub total: usize,
}

/// One piece of feedback on a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Detail {
    /// A command the student can paste to reproduce the test.
    Command {
        /// What it does.
        label: Label,
        /// The command (with, in the reader's language, a comment saying
        /// what it cannot show, such as a large input).
        command: Quoted,
    },
    /// A piece of text, such as the program's stderr or an input file.
    Text {
        /// What it is.
        label: Label,
        /// The text (with the grader's words about it, such as a note that
        /// it was cut, in the reader's language).
        text: Quoted,
    },
    /// Expected and actual text, shown as a diff.
    Diff {
        /// What was compared.
        label: Label,
        /// What the contract asks for.
        expected: String,
        /// What the program produced.
        actual: String,
    },
    /// Expected and actual bytes, shown around their first difference.
    Bytes {
        /// What was compared.
        label: Label,
        /// Offset of the first differing byte.
        offset: usize,
        /// Expected length.
        expected_len: usize,
        /// Actual length.
        actual_len: usize,
        /// Expected bytes around the offset.
        #[serde(
            serialize_with = "crate::model::escape::serialize_bytes",
            deserialize_with = "crate::model::escape::deserialize_bytes"
        )]
        expected: Vec<u8>,
        /// Actual bytes around the offset.
        #[serde(
            serialize_with = "crate::model::escape::serialize_bytes",
            deserialize_with = "crate::model::escape::deserialize_bytes"
        )]
        actual: Vec<u8>,
        /// Offset of the first shown byte.
        window_start: usize,
    },
    /// The bytes exchanged on a connection.
    Transcript {
        /// The server address, as the test used it (with, in the reader's
        /// language, how the test talked to it).
        peer: Quoted,
        /// The exchanges in order.
        exchanges: Vec<Exchange>,
    },
    /// A free-form remark.
    Note {
        /// The remark.
        text: Sentence,
    },
}

/// Why a test failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The kind of failure.
    pub cause: Cause,
    /// One line saying which property failed; shown even for hidden tests,
    /// so it never quotes hidden inputs.
    pub property: Sentence,
    /// Feedback for visible tests and instructors.
    pub details: Vec<Detail>,
}

impl Failure {
    /// A failure of the given cause.
    pub fn new(cause: Cause, property: impl Into<Sentence>) -> Self {
        Failure {
            cause,
            property: property.into(),
            details: Vec::new(),
        }
    }

    /// The program misbehaved.
    pub fn mismatch(property: impl Into<Sentence>) -> Self {
        Failure::new(Cause::Mismatch, property)
    }

    /// The grader could not do its part (not the student's fault).
    pub fn grader(what: impl std::fmt::Display) -> Self {
        Failure::new(
            Cause::GraderError,
            Phrase::new("grader-error").arg("what", what.to_string()),
        )
    }

    /// Adds a detail.
    pub fn with(mut self, detail: Detail) -> Self {
        self.details.push(detail);
        self
    }

    /// Adds a detail if there is one.
    pub fn with_opt(self, detail: Option<Detail>) -> Self {
        match detail {
            Some(d) => self.with(d),
            None => self,
        }
    }

    /// Adds a remark.
    pub fn note(self, text: impl Into<Sentence>) -> Self {
        self.with(Detail::Note { text: text.into() })
    }

    /// Adds a piece of text, such as an input file.
    pub fn text(self, label: impl Into<Label>, text: impl Into<Quoted>) -> Self {
        self.with(Detail::Text {
            label: label.into(),
            text: text.into(),
        })
    }

    /// Names the limit or sandbox rule behind a failure that looks like a
    /// plain mismatch (or a crash, or a flood) when the program's stderr,
    /// quoted in the details, shows one: "Permission denied" from the
    /// sandbox, a failed allocation, a refused fork.
    pub fn classify_limits(mut self) -> Self {
        if !matches!(
            self.cause,
            Cause::Mismatch
                | Cause::Panic
                | Cause::Signal
                | Cause::OutputLimit
                | Cause::ServerExited
        ) {
            return self;
        }
        // A suite that explained the failure itself (a note) knows better
        // than a guess from stderr: a `send` refused for want of
        // SO_BROADCAST also says "Permission denied".
        if self
            .details
            .iter()
            .any(|d| matches!(d, Detail::Note { .. }))
        {
            return self;
        }
        let found = self.details.iter().find_map(|d| match d {
            Detail::Text { label, text } if label.stream() == Some(Stream::Stderr) => {
                Cause::of_limit(None, text.as_bytes())
            }
            _ => None,
        });
        match found {
            // A flood is only renamed when processes ran out: the flood is
            // then the failed forks' messages.
            Some((cause, _))
                if self.cause == Cause::OutputLimit && cause != Cause::ProcessLimit =>
            {
                self
            }
            Some((cause, why)) if cause != self.cause => {
                self.cause = cause;
                self.note(why)
            }
            _ => self,
        }
    }

    /// Adds a remark in the catalogs' words: `f.say(say(KEY).arg(…))`,
    /// the one shape of a suite's note (see [`crate::text`]).
    pub fn say(self, phrase: Phrase) -> Self {
        self.note(phrase)
    }

    /// Prefixes the property with the situation it was checked in.
    pub fn context(mut self, situation: impl Into<Sentence>) -> Self {
        let property = std::mem::replace(&mut self.property, Sentence::plain(""));
        self.property = Sentence::in_situation(situation.into(), property);
        self
    }
}
