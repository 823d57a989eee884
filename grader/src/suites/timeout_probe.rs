//! The timeout_probe suite (being written).
use crate::harness::TestDef;

/// The tests of `timeout_probe`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
