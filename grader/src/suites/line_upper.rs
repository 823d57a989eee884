//! The line_upper suite (being written).
use crate::harness::TestDef;

/// The tests of `line_upper`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
