//! The chat_server suite (being written).
use crate::harness::TestDef;

/// The tests of `chat_server`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
