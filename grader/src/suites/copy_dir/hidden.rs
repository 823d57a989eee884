//! The hidden tests of `copy_dir`: left out of the repository students clone.
use super::*;
use crate::harness::{
    compare, say, Cause, Ctx, Detail, Failure, ResultExt, Rng, TestDef, TestResult, BOUNDARY_SIZES,
};
use crate::text::Arg;
use nix::sys::stat::Mode;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::time::Duration;

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("skips_fifo", 2, skips_fifo).clauses(&[2, 8]),
        TestDef::hidden("chunk_boundaries", 2, chunk_boundaries).clauses(&[1, 8]),
        TestDef::hidden("many_files", 3, many_files)
            .timeout(Duration::from_secs(60))
            .clauses(&[1, 2, 8])
            .cpu_heavy(),
        TestDef::hidden("streams_large_file", 4, streams_large_file)
            .timeout(Duration::from_secs(120))
            .clauses(&[1, 7, 8])
            .cpu_heavy(),
    ]
}

/// How long a run with a FIFO in SRC_DIR may take: a correct program never
/// opens it and is done in milliseconds.
const FIFO_WAIT: Duration = Duration::from_secs(5);

/// The size of the file that must be streamed.
const LARGE: usize = 256 << 20;

/// The peak memory allowed while copying it.
const MEMORY_LIMIT: u64 = 64 << 20;

/// Writes generated `files` into `dir`, without showing them in feedback
/// (there are too many, or they are hidden inputs).
fn write_generated(t: &Ctx, dir: &str, files: &[Entry]) -> TestResult {
    let dir = t.mkdir(dir)?;
    for (name, content) in files {
        fs::write(dir.join(name), content).map_err(Failure::grader)?;
    }
    Ok(())
}

fn skips_fifo(t: &mut Ctx) -> TestResult {
    let files: Vec<Entry> = vec![("a.txt".into(), b"next to a FIFO\n".to_vec())];
    write_files(t, "src", &files)?;
    nix::unistd::mkfifo(&t.path("src/pipe"), Mode::from_bits_truncate(0o644))
        .map_err(|e| Failure::grader(format!("creating a FIFO: {e}")))?;
    let situation = say("copyd-fifo");
    let src = describe(&t.path("src"));
    let out = t
        .command(&["src", "dest"])
        .timeout(FIFO_WAIT)
        .run()
        .and_then(|out| out.expect_code(0).map(|()| out))
        .map_err(|f| {
            let f = f.text(say("copyd-src-before-run"), src.clone());
            if f.cause == Cause::Timeout {
                f.say(say("copyd-fifo-waits"))
            } else {
                f
            }
        })
        .context(situation.clone())?;
    let run = Copied { out, src };
    expect_copies(t, "dest", &files)
        .map_err(|f| run.explain(f))
        .context(situation)
}

fn chunk_boundaries(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    let files: Vec<Entry> = BOUNDARY_SIZES
        .iter()
        .map(|&n| (format!("size_{n}.bin"), rng.bytes(n)))
        .collect();
    write_generated(t, "src", &files)?;
    let situation = say("copyd-buffer-sizes");
    let run = run_copy(t, "src", "dest").context(situation.clone())?;
    expect_copies(t, "dest", &files)
        .map_err(|f| run.explain(f))
        .context(situation)
}

/// Pieces of the generated file names: spaces, accents, Chinese.
const NAME_PIECES: &[&str] = &[
    "report",
    "notes",
    "电子书",
    "笔记",
    "数据 备份",
    "café",
    "résumé",
    "naïve",
    "Ångström",
    "über",
    "ñandú",
    "日本語",
    "a b",
    "final  draft",
    "São Paulo",
    "Œuvre",
];

/// A file name built from pieces, made unique by the index `i`.
fn file_name(rng: &mut Rng, i: usize) -> String {
    let mut name = String::new();
    if rng.below(50) == 0 {
        name.push('.');
    }
    for k in 0..rng.range(1, 3) {
        if k > 0 {
            let separator = rng.pick(&[" ", "-", "_", " - "]);
            name.push_str(separator);
        }
        let piece = rng.pick(NAME_PIECES);
        name.push_str(piece);
    }
    let ext = rng.pick(&["", ".txt", ".bin", ".md", " (副本).txt"]);
    format!("{name} {i}{ext}")
}

fn many_files(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    let files: Vec<Entry> = (0..2000)
        .map(|i| {
            let name = file_name(&mut rng, i);
            let size = if rng.below(10) == 0 {
                0
            } else {
                rng.range(1, 3000) as usize
            };
            (name, rng.bytes(size))
        })
        .collect();
    write_generated(t, "src", &files)?;
    write_generated(
        t,
        "src/a subdirectory 子目录",
        &[("inside.txt".into(), b"not copied\n".to_vec())],
    )?;
    let situation = say("copyd-many-files").arg("count", files.len());
    let run = run_copy(t, "src", "dest").context(situation.clone())?;
    expect_copies(t, "dest", &files)
        .map_err(|f| run.explain(f))
        .context(situation)
}

fn streams_large_file(t: &mut Ctx) -> TestResult {
    let source = t.write_large("src/large.bin", LARGE as u64)?;
    let situation = say("copyd-large").arg("size", Arg::Bytes(LARGE as u64));
    let run = run_copy(t, "src", "dest").context(situation.clone())?;
    let names = BTreeSet::from([OsString::from("large.bin")]);
    check_listing(&t.path("dest"), "dest", &names)
        .map_err(|f| run.explain(f))
        .context(situation)?;
    let copy = t.path("dest/large.bin");
    if let Some(d) =
        compare::files("DEST_DIR/large.bin", &source, &copy).map_err(Failure::grader)?
    {
        let f = Failure::mismatch(say("copyd-large-differs").arg("size", Arg::Bytes(LARGE as u64)))
            .with(d);
        let copied = fs::metadata(&copy).map(|m| m.len()).unwrap_or(0);
        return Err(run.explain(f.with_opt(
            explain_length(LARGE as u64, copied).map(|text| Detail::Note { text: text.into() }),
        )));
    }
    let peak = run
        .out
        .peak_rss
        .ok_or_else(|| Failure::grader("the peak memory of the program was not measured"))?;
    if peak > MEMORY_LIMIT {
        return Err(run.explain(Failure::mismatch(
            say("copyd-peak-memory")
                .arg("peak", Arg::Bytes(peak))
                .arg("size", Arg::Bytes(LARGE as u64))
                .arg("limit", Arg::Bytes(MEMORY_LIMIT)),
        )));
    }
    Ok(())
}
