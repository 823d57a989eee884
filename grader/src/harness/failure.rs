//! What a test returns, and the helpers that turn a check into a [`Failure`].
use crate::model::{Failure, Sentence};

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
