//! The unix_echo suite (being written).
use crate::harness::TestDef;

/// The tests of `unix_echo`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
