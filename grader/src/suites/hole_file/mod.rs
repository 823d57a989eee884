//! Suite of `hole_file PATH GAP`: PATH holds `START`, GAP bytes that read as
//! zeros, then `END` (exact size and content for small and random gaps, in a
//! subdirectory, over an older and longer file), the hole takes no room on
//! disk (a sparse file, checked on Linux), and a bad GAP or an unwritable
//! PATH gives exit code 2.
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::Duration;

use crate::harness::{
    compare, say, Ctx, Detail, Failure, ResultExt, RunOutput, TestDef, TestResult,
};
use crate::messages;
use crate::text::Arg;

mod hidden;

/// What the file starts with.
const START: &[u8] = b"START";

/// What the file ends with.
const END: &[u8] = b"END";

/// The gap of the sparseness test.
const SPARSE_GAP: u64 = 64 << 20;

/// The most a file with a hole of [`SPARSE_GAP`] may occupy on disk.
const SPARSE_LIMIT: u64 = 1 << 20;

/// Bytes shown on each side of a first difference.
const WINDOW: u64 = 24;

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("small_gaps", 4, small_gaps).clauses(&[1, 5]),
        TestDef::visible("makes_a_sparse_file", 4, makes_a_sparse_file)
            .linux_only()
            .timeout(Duration::from_secs(60))
            .clauses(&[1, 2, 5]),
        TestDef::visible("path_in_subdirectory", 2, path_in_subdirectory).clauses(&[1, 4, 5]),
        TestDef::visible("replaces_an_existing_file", 3, replaces_an_existing_file)
            .clauses(&[1, 3, 5]),
        TestDef::visible("bad_gap", 3, bad_gap).clauses(&[6]),
        TestDef::visible("gap_too_large", 2, gap_too_large).clauses(&[7]),
    ];
    tests.extend(hidden::tests());
    tests
}

/// The size of a correct file for `gap`.
fn expected_len(gap: u64) -> u64 {
    START.len() as u64 + gap + END.len() as u64
}

/// The bytes `from..to` (cut at the end) of a correct file for `gap`.
fn expected_range(gap: u64, from: u64, to: u64) -> Vec<u8> {
    let to = to.min(expected_len(gap));
    if from >= to {
        return Vec::new();
    }
    let mut v = vec![0u8; (to - from) as usize];
    let end_at = START.len() as u64 + gap;
    let marks = START.iter().zip(0..).chain(END.iter().zip(end_at..));
    for (&b, offset) in marks {
        if (from..to).contains(&offset) {
            v[(offset - from) as usize] = b;
        }
    }
    v
}

/// The offset of the first byte where the file differs from a correct file
/// for `gap` (or where the shorter of the two ends), read a chunk at a time.
fn first_difference(file: &mut File, gap: u64) -> io::Result<Option<u64>> {
    let mut buf = vec![0u8; 1 << 20];
    let mut offset = 0u64;
    loop {
        let n = compare::read_full(file, &mut buf)?;
        let expected = expected_range(gap, offset, offset + n as u64);
        if let Some(i) = compare::first_difference(&expected, &buf[..n]) {
            return Ok(Some(offset + i as u64));
        }
        offset += n as u64;
        if n < buf.len() {
            return Ok((offset != expected_len(gap)).then_some(offset));
        }
    }
}

/// Checks that the file at `path` (`shown` in feedback) is `START`, `gap`
/// zero bytes, `END`, and nothing else.
fn check_content(path: &Path, shown: &str, gap: u64) -> TestResult {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Failure::mismatch(say("hole-not-created"))
                .say(say("hole-missing").arg("path", shown)))
        }
        Err(e) => {
            return Err(
                Failure::mismatch(say("hole-cannot-read").arg("error", e.to_string()))
                    .say(say("hole-file").arg("path", shown)),
            )
        }
    };
    if !meta.is_file() {
        return Err(
            Failure::mismatch(say("hole-not-regular")).say(say("hole-file").arg("path", shown))
        );
    }
    let mut file = File::open(path).map_err(Failure::grader)?;
    let Some(offset) = first_difference(&mut file, gap).map_err(Failure::grader)? else {
        return Ok(());
    };
    let (actual_len, wanted) = (meta.len(), expected_len(gap));
    let property = if actual_len > wanted {
        say("hole-too-long").arg("excess", Arg::Bytes(actual_len - wanted))
    } else if actual_len < wanted {
        say("hole-too-short").arg("lack", Arg::Bytes(wanted - actual_len))
    } else if offset < START.len() as u64 {
        say("hole-bad-start")
    } else if offset < START.len() as u64 + gap {
        say("hole-not-zeros")
    } else {
        say("hole-bad-end")
    };
    // The bytes around the first difference, from the file and as expected.
    let window_start = offset.saturating_sub(WINDOW);
    let mut actual = Vec::new();
    file.seek(SeekFrom::Start(window_start))
        .and_then(|_| {
            (&mut file)
                .take(offset + WINDOW - window_start)
                .read_to_end(&mut actual)
        })
        .map_err(Failure::grader)?;
    let f = Failure::mismatch(property).with(Detail::Bytes {
        label: crate::harness::Label::Other(shown.to_string()),
        offset: offset as usize,
        expected_len: wanted as usize,
        actual_len: actual_len as usize,
        expected: expected_range(gap, window_start, offset + WINDOW),
        actual,
        window_start: window_start as usize,
    });
    Err(if actual_len == wanted {
        f
    } else {
        f.say(
            say("hole-sizes")
                .arg("gap", gap.to_string())
                .arg("wanted", wanted.to_string())
                .arg("actual", actual_len.to_string()),
        )
    })
}

/// Runs `hole_file PATH GAP`, which must succeed (exit 0), and checks PATH.
fn make_and_check(t: &mut Ctx, path: &str, gap: u64) -> Result<RunOutput, Failure> {
    let out = t.run(&[path, &gap.to_string()])?;
    out.expect_code(0)?;
    check_content(&t.path(path), path, gap).map_err(|f| {
        f.with(Detail::Command {
            label: "run".into(),
            command: out.invocation.clone(),
        })
    })?;
    Ok(out)
}

fn small_gaps(t: &mut Ctx) -> TestResult {
    for gap in [10, 0, 1, 5, 4096] {
        make_and_check(t, &format!("gap_{gap}.bin"), gap)
            .context(say("hole-gap").arg("gap", gap.to_string()))?;
    }
    Ok(())
}

fn path_in_subdirectory(t: &mut Ctx) -> TestResult {
    t.mkdir("downloads/电影")?;
    make_and_check(t, "downloads/电影/movie.mp4.part", 1000)
        .context(say("hole-in-subdirectory"))?;
    Ok(())
}

fn replaces_an_existing_file(t: &mut Ctx) -> TestResult {
    let old: Vec<u8> = b"old data, not zeros. "
        .iter()
        .copied()
        .cycle()
        .take(20_000)
        .collect();
    t.write("download.part", &old)?;
    make_and_check(t, "download.part", 100).context(say("hole-replaces-longer"))?;
    Ok(())
}

fn bad_gap(t: &mut Ctx) -> TestResult {
    for (gap, why) in [
        ("abc", "hole-gap-not-a-number"),
        ("12x", "hole-gap-not-a-number"),
        ("", "hole-gap-empty"),
        ("-1", "hole-gap-negative"),
        ("-4096", "hole-gap-negative"),
    ] {
        let situation = say(why).arg("gap", gap);
        let out = t.run(&["file.bin", gap]).context(situation.clone())?;
        out.expect_code(2).context(situation.clone())?;
        out.expect_stderr_nonempty().context(situation)?;
    }
    let situation = say("hole-gap-missing");
    let out = t.run(&["file.bin"]).context(situation.clone())?;
    out.expect_code(2).context(situation.clone())?;
    out.expect_stderr_nonempty().context(situation)
}

fn gap_too_large(t: &mut Ctx) -> TestResult {
    for (gap, why) in [
        ("18446744073709551615", "hole-gap-u64-max"),
        ("9223372036854775808", "hole-gap-i64-min"),
        ("18446744073709551611", "hole-gap-minus-five"),
        ("99999999999999999999999", "hole-gap-beyond-u64"),
    ] {
        let situation = say(why).arg("gap", gap);
        let out = t.run(&["huge.bin", gap]).context(situation.clone())?;
        out.expect_code(2)
            .map_err(|f| f.say(say("hole-offset-is-i64")))
            .context(situation.clone())?;
        out.expect_stderr_nonempty().context(situation)?;
    }
    Ok(())
}

/// Bytes a file occupies on disk (`st_blocks` counts 512-byte units).
fn allocated(path: &Path) -> io::Result<u64> {
    Ok(fs::metadata(path)?.blocks() * 512)
}

/// Checks that the test directory's file system keeps holes at all, by
/// making a sparse file the way the contract asks. If it does not, a
/// student's program cannot make one there either: that is the grader's
/// environment, not the student's fault.
fn file_system_keeps_holes(dir: &Path) -> TestResult {
    let probe = dir.join("grader_probe.bin");
    let made = (|| {
        let mut f = File::create(&probe)?;
        f.write_all(START)?;
        f.seek(SeekFrom::Current(SPARSE_GAP as i64))?;
        f.write_all(END)?;
        f.sync_all()?;
        drop(f);
        let size = allocated(&probe)?;
        fs::remove_file(&probe)?;
        Ok::<u64, io::Error>(size)
    })()
    .map_err(|e| {
        Failure::grader(format!(
            "making a sparse file to probe the file system: {e}"
        ))
    })?;
    if made >= SPARSE_LIMIT {
        return Err(Failure::grader(format!(
            "the file system of the test directory {} does not keep holes (a sparse file made by \
             the grader occupies {}): sparseness cannot be tested here",
            dir.display(),
            messages::size(made)
        )));
    }
    Ok(())
}

fn makes_a_sparse_file(t: &mut Ctx) -> TestResult {
    file_system_keeps_holes(t.dir())?;
    let situation = say("hole-gap").arg("gap", Arg::Bytes(SPARSE_GAP));
    let out = make_and_check(t, "big.part", SPARSE_GAP).context(situation.clone())?;
    // Flushed to disk first, so that blocks the file system has promised but
    // not yet placed are counted the same way on every file system.
    let path = t.path("big.part");
    File::open(&path)
        .and_then(|f| f.sync_all())
        .map_err(Failure::grader)?;
    let size = allocated(&path).map_err(Failure::grader)?;
    if size >= SPARSE_LIMIT {
        return Err(out
            .fail(
                say("hole-not-sparse")
                    .arg("size", Arg::Bytes(size))
                    .arg("gap", Arg::Bytes(SPARSE_GAP))
                    .arg("limit", Arg::Bytes(SPARSE_LIMIT)),
            )
            .context(situation));
    }
    Ok(())
}
