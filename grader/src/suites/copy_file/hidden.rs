//! The hidden tests of `copy_file`: left out of the repository students clone.
use super::*;
use crate::harness::{
    compare, say, Ctx, Detail, Failure, ResultExt, TestDef, TestResult, BOUNDARY_SIZES,
};
use crate::text::Arg;
use std::fs;
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("chunk_boundaries", 3, chunk_boundaries)
            .timeout(Duration::from_secs(60))
            .clauses(&[1, 6]),
        TestDef::hidden("streams_large_file", 4, streams_large_file)
            .timeout(Duration::from_secs(120))
            .clauses(&[1, 5, 6])
            .cpu_heavy(),
    ]
}

/// The size of the file that must be streamed.
const LARGE: usize = 256 << 20;

/// The peak memory allowed while copying it.
const MEMORY_LIMIT: u64 = 64 << 20;

fn chunk_boundaries(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    for &size in BOUNDARY_SIZES {
        let mut content = vec![0u8; size];
        rng.fill(&mut content);
        let name = format!("size_{size}.bin");
        t.write_quietly(&name, &content)?;
        copy_and_check(t, &name, "out", &name, &content).context(say("copyf-buffer-sizes"))?;
    }
    Ok(())
}

fn streams_large_file(t: &mut Ctx) -> TestResult {
    let source = t.write_large("large.bin", LARGE as u64)?;
    t.mkdir("out")?;
    let situation = say("copyf-large").arg("size", Arg::Bytes(LARGE as u64));
    let out = run_copy(t, "large.bin", "out").context(situation.clone())?;
    let copy = t.path("out/large.bin");
    if !copy.is_file() {
        return Err(with_run(
            &out,
            Failure::mismatch(say("copyf-not-created"))
                .text(say("copyf-dest-after-run"), listing(&t.path("out"))),
        )
        .context(situation));
    }
    if let Some(d) = compare::files("out/large.bin", &source, &copy).map_err(Failure::grader)? {
        let copied = fs::metadata(&copy).map(|m| m.len()).unwrap_or(0);
        let f = Failure::mismatch(say("copyf-differs")).with(d).with_opt(
            explain_length(LARGE as u64, copied).map(|text| Detail::Note { text: text.into() }),
        );
        return Err(with_run(&out, f).context(situation));
    }
    let peak = out
        .peak_rss
        .ok_or_else(|| Failure::grader("the peak memory of the program was not measured"))?;
    if peak > MEMORY_LIMIT {
        return Err(with_run(
            &out,
            Failure::mismatch(
                say("copyf-peak-memory")
                    .arg("peak", Arg::Bytes(peak))
                    .arg("size", Arg::Bytes(LARGE as u64))
                    .arg("limit", Arg::Bytes(MEMORY_LIMIT)),
            ),
        ));
    }
    Ok(())
}
