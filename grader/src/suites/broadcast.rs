//! The broadcast suite (being written).
use crate::harness::TestDef;

/// The tests of `broadcast`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
