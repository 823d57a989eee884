//! The poll_echo suite (being written).
use crate::harness::TestDef;

/// The tests of `poll_echo`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
