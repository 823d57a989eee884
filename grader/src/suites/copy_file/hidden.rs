//! The hidden tests of `copy_file`: left out of the repository students clone.
use super::*;
use crate::harness::{compare, Ctx, Detail, Failure, ResultExt, TestDef, TestResult};
use crate::messages;
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

/// File sizes around the buffer sizes programs commonly use.
const BOUNDARY_SIZES: &[usize] = &[
    1,
    1023,
    1024,
    1025,
    4095,
    4096,
    4097,
    8192,
    8193,
    65535,
    65536,
    65537,
    (1 << 20) - 1,
    1 << 20,
    (1 << 20) + 1,
    (3 << 20) + 7,
];

fn chunk_boundaries(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    for &size in BOUNDARY_SIZES {
        let mut content = vec![0u8; size];
        rng.fill(&mut content);
        let name = format!("size_{size}.bin");
        t.write_quietly(&name, &content)?;
        copy_and_check(t, &name, "out", &name, &content)
            .context("a binary file whose size is around a common buffer size")?;
    }
    Ok(())
}

fn streams_large_file(t: &mut Ctx) -> TestResult {
    let source = t.write_large("large.bin", LARGE as u64)?;
    t.mkdir("out")?;
    let situation = "copying a 256 MiB file";
    let out = run_copy(t, "large.bin", "out").context(situation)?;
    let copy = t.path("out/large.bin");
    if !copy.is_file() {
        return Err(with_run(
            &out,
            Failure::mismatch(
                "the copy was not created: it goes to DEST_DIR/<the file name of SRC>",
            )
            .text("DEST_DIR after the run", listing(&t.path("out"))),
        )
        .context(situation));
    }
    if let Some(d) = compare::files("out/large.bin", &source, &copy).map_err(Failure::grader)? {
        let copied = fs::metadata(&copy).map(|m| m.len()).unwrap_or(0);
        let f = Failure::mismatch("the copy differs from SRC")
            .with(d)
            .with_opt(
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
            Failure::mismatch(format!(
                "peak memory {} while copying a 256 MiB file, over the {} limit: stream the file \
                 through a fixed buffer instead of reading it whole",
                messages::size(peak),
                messages::size(MEMORY_LIMIT)
            )),
        ));
    }
    Ok(())
}
