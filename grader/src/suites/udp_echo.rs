//! The udp_echo suite (being written).
use crate::harness::TestDef;

/// The tests of `udp_echo`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
