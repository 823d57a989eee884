//! Suite of `talk_split` (being written).
use crate::harness::{Ctx, TestDef, TestResult};

/// The tests.
pub fn tests() -> Vec<TestDef> {
    vec![TestDef::visible("placeholder", 1, placeholder)]
}

fn placeholder(t: &mut Ctx) -> TestResult {
    t.run(&["--placeholder"])?.expect_code(0)
}
