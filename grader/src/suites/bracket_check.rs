//! The bracket_check suite (being written).
use crate::harness::TestDef;

/// The tests of `bracket_check`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
