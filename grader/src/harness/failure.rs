//! What a test returns, and the helpers that turn a check into a [`Failure`].
use crate::model::{Failure, Sentence};
use crate::text::Phrase;

/// What a test returns.
pub type TestResult = Result<(), Failure>;

/// Adds the situation to a failing result: `check().context("the last word")?`.
pub trait ResultExt<T> {
    /// Prefixes the failure's property with `situation`.
    fn context(self, situation: impl Into<Sentence>) -> Result<T, Failure>;
}

impl<T> ResultExt<T> for Result<T, Failure> {
    fn context(self, situation: impl Into<Sentence>) -> Result<T, Failure> {
        self.map_err(|f| f.context(situation))
    }
}

/// Fails with `property` unless `condition` holds.
pub fn ensure(condition: bool, property: impl FnOnce() -> Failure) -> TestResult {
    if condition {
        Ok(())
    } else {
        Err(property())
    }
}

/// A sentence of the catalogs (`grader/i18n/<lang>/suites.ftl`), the one
/// shape of a suite's words: `say(KEY)` plus `.arg(name, value)` for each
/// argument. Data the sentence quotes (a word, a path, a size) is an
/// argument, never part of the translation, and reads the same in every
/// language; the catalog puts it in backticks when it is code. Use it for a
/// property's situation (`.context(say(…))`) or a note (`f.say(say(…))`).
pub fn say(key: &'static str) -> Phrase {
    Phrase::new(key)
}
