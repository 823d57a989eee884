//! The http_get suite (being written).
use crate::harness::TestDef;

/// The tests of `http_get`.
pub fn tests() -> Vec<TestDef> {
    Vec::new()
}
