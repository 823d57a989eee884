//! The tcp_echo suite (being written).
use crate::harness::TestDef;

/// The tests of `tcp_echo`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
