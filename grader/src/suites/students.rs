//! The students suite (being written).
use crate::harness::TestDef;

/// The tests of `students`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
