//! Suite of `copy_file SRC DEST_DIR`: SRC copied byte for byte into DEST_DIR
//! under its file name (text, binary, empty, names with spaces and Chinese,
//! SRC given with a directory path, an older and longer copy replaced),
//! errors that leave nothing behind, and a 256 MiB file streamed in bounded
//! memory.
use std::fs;
use std::io;
use std::path::Path;

use crate::harness::{
    compare, say, Ctx, Detail, Failure, Quoted, ResultExt, RunOutput, TestDef, TestResult,
};
use crate::model::Sentence;
use crate::text::{Arg, Phrase};

mod hidden;

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("copies_a_text_file", 2, copies_a_text_file).clauses(&[1, 6]),
        TestDef::visible("copies_a_binary_file", 3, copies_a_binary_file).clauses(&[1, 6]),
        TestDef::visible("copies_an_empty_file", 1, copies_an_empty_file).clauses(&[1, 6]),
        TestDef::visible("uses_only_the_file_name", 3, uses_only_the_file_name).clauses(&[2, 6]),
        TestDef::visible(
            "names_with_spaces_and_chinese",
            2,
            names_with_spaces_and_chinese,
        )
        .clauses(&[3, 6]),
        TestDef::visible("replaces_a_longer_copy", 3, replaces_a_longer_copy).clauses(&[4, 6]),
        TestDef::visible("missing_source", 3, missing_source).clauses(&[7]),
        TestDef::visible("source_is_a_directory", 2, source_is_a_directory).clauses(&[8]),
        TestDef::visible("missing_dest_dir", 2, missing_dest_dir).clauses(&[9]),
    ];
    tests.extend(hidden::tests());
    tests
}

/// Adds the command of `out` to a failure found after the run.
fn with_run(out: &RunOutput, f: Failure) -> Failure {
    f.with(Detail::Command {
        label: "run".into(),
        command: out.invocation.clone(),
    })
}

/// What a directory holds, one entry a line, for feedback.
fn listing(dir: &Path) -> Quoted {
    let Ok(entries) = fs::read_dir(dir) else {
        return say("harness-listing-cannot-list").into();
    };
    let mut lines: Vec<(String, Sentence)> = entries
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let line = match fs::symlink_metadata(e.path()) {
                Ok(m) if m.is_dir() => say("harness-listing-directory").arg("name", &name).into(),
                Ok(m) if m.is_file() => say("harness-listing-file")
                    .arg("name", &name)
                    .arg("size", Arg::Bytes(m.len()))
                    .into(),
                _ => Sentence::plain(name),
            };
            (line.english().to_string(), line)
        })
        .collect();
    // In the order of the English lines, as always.
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    if lines.is_empty() {
        say("harness-listing-empty").into()
    } else {
        Quoted::lines(lines.into_iter().map(|(_, line)| line).collect())
    }
}

/// Runs `copy_file SRC DEST_DIR`, which must succeed (exit 0).
fn run_copy(t: &mut Ctx, src: &str, dest_dir: &str) -> Result<RunOutput, Failure> {
    let out = t.run(&[src, dest_dir])?;
    out.expect_code(0)?;
    Ok(out)
}

/// What a copy that is a prefix of SRC, or SRC followed by more bytes, says
/// about the program.
fn explain_length(expected: u64, actual: u64) -> Option<Phrase> {
    if actual > expected {
        Some(say("copyf-longer").arg("excess", Arg::Bytes(actual - expected)))
    } else if actual < expected {
        Some(
            say("copyf-stops-after")
                .arg("copied", Arg::Bytes(actual))
                .arg("total", Arg::Bytes(expected)),
        )
    } else {
        None
    }
}

/// Checks that `name` in the test's directory `dest_dir` is a regular file
/// holding exactly `expected`.
fn check_copy(t: &Ctx, dest_dir: &str, name: &str, expected: &[u8]) -> TestResult {
    let dir = t.path(dest_dir);
    let path = dir.join(name);
    let shown = format!("{dest_dir}/{name}");
    let meta = match fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Failure::mismatch(say("copyf-not-created"))
                .say(say("copyf-expected-file").arg("path", &shown))
                .text(say("copyf-dest-after-run"), listing(&dir)))
        }
        Err(e) => {
            return Err(
                Failure::mismatch(say("copyf-cannot-read").arg("error", e.to_string()))
                    .say(say("copyf-file").arg("path", &shown)),
            )
        }
    };
    if !meta.is_file() {
        return Err(Failure::mismatch(say("copyf-not-regular"))
            .say(say("copyf-file").arg("path", &shown))
            .text(say("copyf-dest-after-run"), listing(&dir)));
    }
    let Some(written) = compare::written(&shown, expected, &path).map_err(Failure::grader)? else {
        return Ok(());
    };
    let f = Failure::mismatch(say("copyf-differs")).with(written.detail);
    Err(
        match explain_length(expected.len() as u64, written.len as u64) {
            Some(note) if written.prefix => f.say(note),
            _ => f,
        },
    )
}

/// Copies `src` (already written) into `dest_dir` (created here) and
/// checks the copy named `name`.
fn copy_and_check(
    t: &mut Ctx,
    src: &str,
    dest_dir: &str,
    name: &str,
    content: &[u8],
) -> TestResult {
    t.mkdir(dest_dir)?;
    let out = run_copy(t, src, dest_dir)?;
    check_copy(t, dest_dir, name, content).map_err(|f| with_run(&out, f))
}

/// Every byte value, a few times over, then bytes that are not UTF-8, a
/// `\r\n` and no newline at the end.
fn all_bytes() -> Vec<u8> {
    let mut v: Vec<u8> = (0..=255u8).cycle().take(256 * 4 + 3).collect();
    v.extend_from_slice(b"\r\nline\r\n\xff\xfe\x00\x80");
    v
}

const TALK: &str = "老王：吃了么\n老李：没那，您呢？\n老王：我也没吃\n老李：那一起吧\n";

fn copies_a_text_file(t: &mut Ctx) -> TestResult {
    t.write("talk.txt", TALK)?;
    copy_and_check(t, "talk.txt", "out", "talk.txt", TALK.as_bytes())
}

fn copies_a_binary_file(t: &mut Ctx) -> TestResult {
    let bytes = all_bytes();
    t.write_quietly("bytes.bin", &bytes)?;
    copy_and_check(t, "bytes.bin", "out", "bytes.bin", &bytes).context(say("copyf-binary"))
}

fn copies_an_empty_file(t: &mut Ctx) -> TestResult {
    t.write("empty.txt", "")?;
    copy_and_check(t, "empty.txt", "out", "empty.txt", b"").context(say("copyf-empty"))
}

fn uses_only_the_file_name(t: &mut Ctx) -> TestResult {
    let content = b"quarterly report\nall numbers are up\n";
    t.write("docs/2024/report.txt", content)?;
    copy_and_check(t, "docs/2024/report.txt", "out", "report.txt", content).context(
        say("copyf-file-name-only")
            .arg("src", "docs/2024/report.txt")
            .arg("copy", "out/report.txt"),
    )?;

    let content = b"an absolute path this time\n";
    let src = t.write("photos/notes.txt", content)?;
    let src = src.display().to_string();
    let situation = say("copyf-absolute")
        .arg("src", &src)
        .arg("copy", "backup/notes.txt");
    let out = t
        .mkdir("backup")
        .and_then(|_| run_copy(t, &src, "backup"))
        .context(situation.clone())?;
    let now = fs::read(t.path("photos/notes.txt")).unwrap_or_default();
    if let Some(d) = compare::bytes("SRC", content, &now) {
        return Err(
            with_run(&out, Failure::mismatch(say("copyf-src-changed")).with(d)).context(situation),
        );
    }
    check_copy(t, "backup", "notes.txt", content)
        .map_err(|f| with_run(&out, f))
        .context(situation)
}

fn names_with_spaces_and_chinese(t: &mut Ctx) -> TestResult {
    let content = "第一章 文件\n第二章 网络\n".as_bytes();
    let name = "我的 笔记 (final).md";
    t.write(name, content)?;
    copy_and_check(t, name, "电子书 backup", name, content).context(say("copyf-spaces-chinese"))
}

fn replaces_a_longer_copy(t: &mut Ctx) -> TestResult {
    let content = b"version 2: short\n";
    t.write("notes.txt", content)?;
    t.write(
        "out/notes.txt",
        "version 1: an older copy, much longer than the new one,\nwith a second line\nand a third\n",
    )?;
    let situation = say("copyf-replaces-longer").arg("name", "notes.txt");
    let out = run_copy(t, "notes.txt", "out").context(situation.clone())?;
    check_copy(t, "out", "notes.txt", content)
        .map_err(|f| with_run(&out, f))
        .context(situation)
}

fn missing_source(t: &mut Ctx) -> TestResult {
    let dest = t.mkdir("out")?;
    let situation = say("copyf-missing-src").arg("src", "no_such_file.txt");
    let out = t
        .run(&["no_such_file.txt", "out"])
        .context(situation.clone())?;
    if fs::read_dir(&dest)
        .map_err(Failure::grader)?
        .next()
        .is_some()
    {
        return Err(out
            .fail(say("copyf-created-without-src"))
            .text(say("copyf-dest-after-run"), listing(&dest))
            .context(situation));
    }
    out.expect_code(2).context(situation.clone())?;
    out.expect_stderr_nonempty().context(situation)
}

fn source_is_a_directory(t: &mut Ctx) -> TestResult {
    let dest = t.mkdir("out")?;
    t.write("photos/cat.txt", "a file inside the directory\n")?;
    let situation = say("copyf-src-is-directory").arg("src", "photos");
    let out = t.run(&["photos", "out"]).context(situation.clone())?;
    if fs::read_dir(&dest)
        .map_err(Failure::grader)?
        .next()
        .is_some()
    {
        return Err(out
            .fail(say("copyf-created-unreadable-src"))
            .text(say("copyf-dest-after-run"), listing(&dest))
            .context(situation));
    }
    out.expect_code(2).context(situation.clone())?;
    out.expect_stderr_nonempty().context(situation)
}

fn missing_dest_dir(t: &mut Ctx) -> TestResult {
    t.write("notes.txt", "a file to copy\n")?;
    let situation = say("copyf-missing-dest").arg("dest", "no_such_dir");
    let out = t
        .run(&["notes.txt", "no_such_dir"])
        .context(situation.clone())?;
    out.expect_code(2).context(situation.clone())?;
    out.expect_stderr_nonempty().context(situation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Lang;

    #[test]
    fn a_listing_says_its_words_in_the_readers_language() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(listing(dir.path()).english(), "(empty)");
        assert_eq!(listing(dir.path()).show(Lang::Zh), "（空）");
        fs::write(dir.path().join("b.bin"), vec![0u8; 2048]).unwrap();
        fs::create_dir(dir.path().join("a")).unwrap();
        let shown = listing(dir.path());
        assert_eq!(shown.english(), "a/ (directory)\nb.bin (2 KiB)");
        assert_eq!(shown.show(Lang::Zh), "a/（目录）\nb.bin（2 KiB）");
    }
}
