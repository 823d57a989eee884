//! The copy_file suite (being written).
use crate::harness::TestDef;

/// The tests of `copy_file`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
