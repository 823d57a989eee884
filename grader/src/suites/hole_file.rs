//! The hole_file suite (being written).
use crate::harness::TestDef;

/// The tests of `hole_file`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
