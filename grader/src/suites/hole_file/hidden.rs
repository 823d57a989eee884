//! The hidden tests of `hole_file`: left out of the repository students clone.
use super::*;
use crate::harness::{say, Ctx, ResultExt, TestDef, TestResult};
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("random_gaps", 3, random_gaps)
            .timeout(Duration::from_secs(60))
            .clauses(&[1, 5]),
        TestDef::hidden("unwritable_path", 2, unwritable_path).clauses(&[8]),
    ]
}

fn random_gaps(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    let page = 4096 * rng.range(1, 16);
    let gaps = [
        rng.range(2, 100),
        rng.range(100, 5000),
        page,
        page - 1,
        page + 1,
        rng.range(5000, 1 << 20),
        rng.range(1 << 20, 8 << 20),
    ];
    for (i, gap) in gaps.into_iter().enumerate() {
        make_and_check(t, &format!("file_{i}.bin"), gap).context(say("hole-random-gap"))?;
    }
    Ok(())
}

fn unwritable_path(t: &mut Ctx) -> TestResult {
    let situation = say("hole-no-such-directory");
    let out = t
        .run(&["no_such_dir/file.bin", "10"])
        .context(situation.clone())?;
    out.expect_code(2).context(situation.clone())?;
    out.expect_stderr_nonempty().context(situation)
}
