//! The report's data, shared by the harness (which makes it), the report
//! (which collects it) and the renderers (which show it): why a test failed
//! ([`Failure`], [`Cause`]), the feedback on it ([`Detail`], each labelled
//! with a typed [`Label`], the data it quotes a [`Quoted`]) and who may see
//! it ([`Visibility`]).
//!
//! Nothing here runs a program or writes text for a person: the sentences
//! are in [`crate::text`], the layouts in [`crate::render`].
use serde::{Deserialize, Serialize};

pub mod escape;
mod failure;
mod label;
mod quoted;
mod sentence;

pub use failure::{Cause, Detail, Direction, Exchange, Failure};
pub use label::{Label, Program, Stream};
pub use quoted::Quoted;
pub use sentence::Sentence;

thread_local! {
    static CATALOG_FORM: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every [`Sentence`] and [`Label`] serialized in their
/// catalog form (key and typed arguments, beside the English text) instead
/// of as English text: what the result cache writes, so that a kept result
/// reads in any language. Reading accepts both forms, so the public JSON
/// report (always English text) is unchanged.
pub fn keeping_catalog_form<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            CATALOG_FORM.with(|c| c.set(self.0));
        }
    }
    let _reset = Reset(CATALOG_FORM.with(|c| c.replace(true)));
    f()
}

/// Whether [`keeping_catalog_form`] is in force on this thread.
fn catalog_form() -> bool {
    CATALOG_FORM.with(|c| c.get())
}

/// Who may see a test's details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Students see the inputs, the expected and the actual behaviour.
    Visible,
    /// Students see the name and pass/fail (and which property failed);
    /// instructors see everything.
    Hidden,
}

impl Visibility {
    /// The stable name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Visible => "visible",
            Visibility::Hidden => "hidden",
        }
    }
}
