//! The tcp_client suite (being written).
use crate::harness::TestDef;

/// The tests of `tcp_client`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
