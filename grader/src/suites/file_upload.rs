//! The file_upload suite (being written).
use crate::harness::TestDef;

/// The tests of `file_upload`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
