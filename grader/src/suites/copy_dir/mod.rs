//! Suite of `copy_dir SRC_DIR DEST_DIR`: regular files copied byte for byte,
//! subdirectories, FIFOs and broken links skipped, links to files followed,
//! DEST created or overwritten (also inside SRC), the same directory refused
//! without harm, and a 256 MiB file streamed in bounded memory.
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::os::unix::fs::symlink;
use std::path::Path;

use crate::harness::{
    compare, say, Ctx, Detail, Failure, Quoted, ResultExt, RunOutput, TestDef, TestResult,
};
use crate::model::Sentence;
use crate::text::{Arg, Phrase};

mod hidden;

/// Names listed in feedback before cutting the list.
const LIST_LIMIT: usize = 20;

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("copies_regular_files", 4, copies_regular_files).clauses(&[1, 8]),
        TestDef::visible("skips_subdirectories", 2, skips_subdirectories).clauses(&[2, 8]),
        TestDef::visible("follows_links_to_files", 2, follows_links_to_files).clauses(&[3, 8]),
        TestDef::visible("overwrites_existing_files", 2, overwrites_existing_files)
            .clauses(&[5, 8]),
        TestDef::visible("creates_dest_parents", 2, creates_dest_parents).clauses(&[4, 8]),
        TestDef::visible("dest_inside_src", 2, dest_inside_src).clauses(&[6, 8]),
        TestDef::visible("refuses_same_directory", 3, refuses_same_directory).clauses(&[10]),
        TestDef::visible("bad_source", 2, bad_source).clauses(&[9]),
    ];
    tests.extend(hidden::tests());
    tests
}

/// A file the suite puts in SRC_DIR: its name and content.
type Entry = (String, Vec<u8>);

/// Writes `files` into the directory `dir` of the test. Text files are
/// shown with the feedback of a failure; binary ones are described by the
/// listing of SRC_DIR instead.
fn write_files(t: &mut Ctx, dir: &str, files: &[Entry]) -> TestResult {
    t.mkdir(dir)?;
    for (name, content) in files {
        let rel = Path::new(dir).join(name);
        if std::str::from_utf8(content).is_ok() {
            t.write(rel, content)?;
        } else {
            fs::write(t.path(rel), content).map_err(Failure::grader)?;
        }
    }
    Ok(())
}

/// One entry of a directory, for feedback: its name and what it is.
fn describe_entry(dir: &Path, name: &OsString) -> Sentence {
    let path = dir.join(name);
    let shown = name.to_string_lossy().into_owned();
    match fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() => {
            let target = fs::read_link(&path)
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            say("harness-listing-link")
                .arg("name", shown)
                .arg("target", target)
                .into()
        }
        Ok(m) if m.is_file() => say("harness-listing-file")
            .arg("name", shown)
            .arg("size", Arg::Bytes(m.len()))
            .into(),
        Ok(m) if m.is_dir() => say("harness-listing-directory").arg("name", shown).into(),
        Ok(_) => say("harness-listing-other").arg("name", shown).into(),
        Err(_) => Sentence::plain(shown),
    }
}

/// What a directory holds, one line per entry, for feedback.
fn describe(dir: &Path) -> Quoted {
    let Ok(entries) = fs::read_dir(dir) else {
        return say("harness-listing-cannot-list").into();
    };
    let mut names: Vec<OsString> = entries.flatten().map(|e| e.file_name()).collect();
    names.sort();
    if names.is_empty() {
        return say("harness-listing-empty").into();
    }
    describe_names(dir, &names.iter().collect::<Vec<_>>())
}

/// The given entries of `dir`, described, cut to a readable number.
fn describe_names(dir: &Path, names: &[&OsString]) -> Quoted {
    let mut lines: Vec<Sentence> = names
        .iter()
        .take(LIST_LIMIT)
        .map(|n| describe_entry(dir, n))
        .collect();
    if names.len() > LIST_LIMIT {
        lines.push(say("harness-listing-more").arg("total", names.len()).into());
    }
    Quoted::lines(lines)
}

/// A successful run of `copy_dir`, kept for the feedback of later checks.
struct Copied {
    out: RunOutput,
    /// What SRC_DIR held before the run.
    src: Quoted,
}

impl Copied {
    /// Adds the command and SRC_DIR's listing to a failure found afterwards.
    fn explain(&self, f: Failure) -> Failure {
        f.with(Detail::Command {
            label: "run".into(),
            command: self.out.invocation.clone(),
        })
        .text(say("copyd-src-before-run"), self.src.clone())
    }
}

/// Runs `copy_dir SRC DEST`, which must succeed (exit 0).
fn run_copy(t: &mut Ctx, src: &str, dest: &str) -> Result<Copied, Failure> {
    let before = describe(&t.path(src));
    let out = t
        .run(&[src, dest])
        .and_then(|out| out.expect_code(0).map(|()| out))
        .map_err(|f| f.text(say("copyd-src-before-run"), before.clone()))?;
    Ok(Copied { out, src: before })
}

/// Names, one a line, cut to a readable number.
fn name_list<'a>(names: impl ExactSizeIterator<Item = &'a OsString>) -> Quoted {
    let total = names.len();
    let mut lines: Vec<Sentence> = names
        .take(LIST_LIMIT)
        .map(|n| Sentence::plain(n.to_string_lossy()))
        .collect();
    if total > LIST_LIMIT {
        lines.push(say("harness-listing-more").arg("total", total).into());
    }
    Quoted::lines(lines)
}

/// Checks that `dir` (shown as `shown`) holds exactly `expected` names.
fn check_listing(dir: &Path, shown: &str, expected: &BTreeSet<OsString>) -> TestResult {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Failure::mismatch(
                say("copyd-dest-not-created").arg("dest", shown),
            ))
        }
        Err(e) => {
            return Err(Failure::mismatch(
                say("copyd-dest-cannot-list")
                    .arg("dest", shown)
                    .arg("error", e.to_string()),
            ))
        }
    };
    let actual: BTreeSet<OsString> = entries.flatten().map(|e| e.file_name()).collect();
    let missing: Vec<&OsString> = expected.difference(&actual).collect();
    if !missing.is_empty() {
        return Err(Failure::mismatch(
            say("copyd-missing")
                .arg("missing", missing.len())
                .arg("expected", expected.len()),
        )
        .text(
            say("copyd-missing-from-dest"),
            name_list(missing.into_iter()),
        ));
    }
    let extra: Vec<&OsString> = actual.difference(expected).collect();
    if !extra.is_empty() {
        let has_dir = extra.iter().any(|n| dir.join(n).is_dir());
        let property = if has_dir {
            say("copyd-holds-directory")
        } else {
            say("copyd-holds-extra").arg("extra", extra.len())
        };
        return Err(Failure::mismatch(property)
            .text(say("copyd-unexpected-in-dest"), describe_names(dir, &extra)));
    }
    Ok(())
}

/// Checks that `dir/name` is a regular file holding exactly `expected`.
fn check_copy(dir: &Path, name: &str, expected: &[u8]) -> TestResult {
    let path = dir.join(name);
    let meta = fs::symlink_metadata(&path).map_err(|e| {
        Failure::mismatch(say("copyd-copy-cannot-read").arg("error", e.to_string()))
            .say(say("copyd-file").arg("name", name))
    })?;
    if meta.file_type().is_symlink() {
        return Err(
            Failure::mismatch(say("copyd-copy-is-link")).say(say("copyd-file").arg("name", name))
        );
    }
    if !meta.is_file() {
        return Err(Failure::mismatch(say("copyd-copy-not-regular"))
            .say(say("copyd-file").arg("name", name)));
    }
    let label = format!("DEST_DIR/{name}");
    let Some(written) = compare::written(&label, expected, &path).map_err(Failure::grader)? else {
        return Ok(());
    };
    let f = Failure::mismatch(say("copyd-copy-differs")).with(written.detail);
    Err(
        match explain_length(expected.len() as u64, written.len as u64) {
            Some(note) if written.prefix => f.say(note),
            _ => f,
        },
    )
}

/// What a copy that is a prefix of its source, or its source followed by
/// more bytes, says about the program.
fn explain_length(expected: u64, actual: u64) -> Option<Phrase> {
    if actual > expected {
        Some(say("copyd-longer").arg("excess", Arg::Bytes(actual - expected)))
    } else if actual < expected {
        Some(
            say("copyd-stops-after")
                .arg("copied", Arg::Bytes(actual))
                .arg("total", Arg::Bytes(expected)),
        )
    } else {
        None
    }
}

/// Checks that `dest` holds exactly copies of `files`.
fn expect_copies(t: &Ctx, dest: &str, files: &[Entry]) -> TestResult {
    let dir = t.path(dest);
    let names = files.iter().map(|(n, _)| OsString::from(n)).collect();
    check_listing(&dir, dest, &names)?;
    for (name, content) in files {
        check_copy(&dir, name, content)?;
    }
    Ok(())
}

/// Every byte value, a few times over.
fn all_bytes() -> Vec<u8> {
    (0..=255u8).cycle().take(256 * 4 + 3).collect()
}

fn copies_regular_files(t: &mut Ctx) -> TestResult {
    let files: Vec<Entry> = vec![
        (
            "dict.txt".into(),
            b"abandon  to give up\naccept   to receive\n".to_vec(),
        ),
        (
            "talk.txt".into(),
            "老王：吃了么\n老李：没那，您呢？\n".as_bytes().to_vec(),
        ),
        ("crlf.txt".into(), b"line one\r\nline two\r\n".to_vec()),
        (
            "no_newline.txt".into(),
            b"the last line has no newline".to_vec(),
        ),
        ("all_bytes.bin".into(), all_bytes()),
        ("empty".into(), Vec::new()),
        (
            ".hidden".into(),
            b"a dot file is a regular file too\n".to_vec(),
        ),
    ];
    write_files(t, "src", &files)?;
    let run = run_copy(t, "src", "dest")?;
    expect_copies(t, "dest", &files).map_err(|f| run.explain(f))?;
    run.out
        .expect_stdout_empty()
        .context(say("copyd-print-nothing"))
}

fn skips_subdirectories(t: &mut Ctx) -> TestResult {
    let files: Vec<Entry> = vec![
        ("a.txt".into(), b"first\n".to_vec()),
        ("b.txt".into(), b"second\n".to_vec()),
    ];
    write_files(t, "src", &files)?;
    t.write("src/sub/inner.txt", "inside a subdirectory\n")?;
    t.write("src/sub/deeper/x.txt", "two levels down\n")?;
    t.mkdir("src/empty_dir")?;
    let situation = say("copyd-subdirectories");
    let run = run_copy(t, "src", "dest").context(situation.clone())?;
    expect_copies(t, "dest", &files)
        .map_err(|f| run.explain(f))
        .context(situation)
}

fn follows_links_to_files(t: &mut Ctx) -> TestResult {
    t.write("outside/target.txt", "the target of a relative link\n")?;
    let bin = all_bytes();
    // Binary: described by the listing of SRC_DIR, not shown byte by byte.
    let abs_target = t.path("outside/other.bin");
    fs::write(&abs_target, &bin).map_err(Failure::grader)?;
    t.write("outside/dir/in_dir.txt", "behind a link to a directory\n")?;
    t.write("src/plain.txt", "a plain file\n")?;
    let link = |target: &Path, name: &str| {
        symlink(target, t.path("src").join(name)).map_err(Failure::grader)
    };
    link(Path::new("../outside/target.txt"), "link.txt")?;
    link(&abs_target, "absolute.bin")?;
    link(Path::new("../outside/nothing"), "broken")?;
    link(Path::new("../outside/dir"), "dirlink")?;
    let run = run_copy(t, "src", "dest").context(say("copyd-skip-links"))?;
    let files: Vec<Entry> = vec![
        ("plain.txt".into(), b"a plain file\n".to_vec()),
        (
            "link.txt".into(),
            b"the target of a relative link\n".to_vec(),
        ),
        ("absolute.bin".into(), bin),
    ];
    expect_copies(t, "dest", &files)
        .map_err(|f| run.explain(f))
        .context(say("copyd-links"))
}

fn overwrites_existing_files(t: &mut Ctx) -> TestResult {
    let files: Vec<Entry> = vec![
        ("a.txt".into(), b"new a\n".to_vec()),
        ("b.bin".into(), vec![1, 2, 3]),
        ("c.txt".into(), Vec::new()),
    ];
    write_files(t, "src", &files)?;
    // Older, longer versions: a copy that does not truncate keeps their tail.
    t.write("dest/a.txt", "an older and much longer version of a\n")?;
    t.write("dest/b.bin", vec![9u8; 5000])?;
    t.write("dest/c.txt", "c was not empty before\n")?;
    let kept = b"not in SRC_DIR: leave it alone\n";
    t.write("dest/other.txt", kept)?;
    let situation = say("copyd-overwrites");
    let before = describe(&t.path("dest"));
    let run = run_copy(t, "src", "dest").context(situation.clone())?;
    let explain = |f: Failure| {
        run.explain(f)
            .text(say("copyd-dest-before-run"), before.clone())
    };
    let dir = t.path("dest");
    let mut names: BTreeSet<OsString> = files.iter().map(|(n, _)| OsString::from(n)).collect();
    names.insert("other.txt".into());
    check_listing(&dir, "dest", &names)
        .map_err(explain)
        .context(situation.clone())?;
    for (name, content) in &files {
        check_copy(&dir, name, content)
            .map_err(explain)
            .context(situation.clone())?;
    }
    let other = fs::read(dir.join("other.txt")).unwrap_or_default();
    if other != kept {
        return Err(explain(Failure::mismatch(say("copyd-other-changed"))));
    }
    Ok(())
}

fn creates_dest_parents(t: &mut Ctx) -> TestResult {
    let files: Vec<Entry> = vec![
        ("one.txt".into(), b"one\n".to_vec()),
        ("two.bin".into(), all_bytes()),
    ];
    write_files(t, "src", &files)?;
    let dest = "backup/2024/电子书";
    let situation = say("copyd-create-parents");
    let run = run_copy(t, "src", dest).context(situation.clone())?;
    expect_copies(t, dest, &files)
        .map_err(|f| run.explain(f))
        .context(situation)
}

fn dest_inside_src(t: &mut Ctx) -> TestResult {
    let files: Vec<Entry> = vec![
        ("a.txt".into(), b"alpha\n".to_vec()),
        ("b.txt".into(), b"beta\n".to_vec()),
    ];
    write_files(t, "src", &files)?;
    let dest = "src/backup";
    for key in ["copyd-inside-first-run", "copyd-inside-second-run"] {
        let situation = say(key).arg("dest", dest).arg("src", "src");
        let run = run_copy(t, "src", dest).context(situation.clone())?;
        expect_copies(t, dest, &files)
            .map_err(|f| run.explain(f))
            .context(situation)?;
    }
    Ok(())
}

/// The content of every file in `dir`, by name.
fn snapshot(dir: &Path) -> Result<Vec<(OsString, Vec<u8>)>, Failure> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(Failure::grader)? {
        let entry = entry.map_err(Failure::grader)?;
        files.push((
            entry.file_name(),
            fs::read(entry.path()).map_err(Failure::grader)?,
        ));
    }
    files.sort();
    Ok(files)
}

fn refuses_same_directory(t: &mut Ctx) -> TestResult {
    let files: Vec<Entry> = vec![
        ("keep.txt".into(), b"this must survive\n".to_vec()),
        ("data.bin".into(), all_bytes()),
    ];
    write_files(t, "src", &files)?;
    symlink("src", t.path("src_link")).map_err(Failure::grader)?;
    let before = snapshot(&t.path("src"))?;
    let absolute = t.path("src").display().to_string();
    for (a, b) in [
        ("src", "src"),
        ("src", "./src/"),
        (absolute.as_str(), "src"),
        ("src", "src_link"),
    ] {
        let situation = if b == "src_link" {
            say("copyd-link-is-same")
                .arg("link", "src_link")
                .arg("target", "src")
        } else {
            say("copyd-same-directory").arg("first", a).arg("second", b)
        };
        let out = t.run(&[a, b]).context(situation.clone())?;
        for (name, content) in &before {
            let now = fs::read(t.path("src").join(name)).unwrap_or_default();
            if let Some(d) =
                compare::bytes(&format!("src/{}", name.to_string_lossy()), content, &now)
            {
                return Err(out
                    .fail(say("copyd-src-file-changed"))
                    .with(d)
                    .context(situation));
            }
        }
        out.expect_code(2).context(situation.clone())?;
        out.expect_stderr_nonempty().context(situation)?;
    }
    Ok(())
}

fn bad_source(t: &mut Ctx) -> TestResult {
    let situation = say("copyd-no-src");
    let out = t.run(&["no_such_dir", "dest"]).context(situation.clone())?;
    out.expect_code(2).context(situation.clone())?;
    out.expect_stderr_nonempty().context(situation)?;

    let content = b"a regular file, not a directory\n";
    t.write("file.txt", content)?;
    let situation = say("copyd-src-is-file");
    let out = t.run(&["file.txt", "dest"]).context(situation.clone())?;
    let now = fs::read(t.path("file.txt")).unwrap_or_default();
    if let Some(d) = compare::bytes("file.txt", content, &now) {
        return Err(out
            .fail(say("copyd-src-changed"))
            .with(d)
            .context(situation));
    }
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
        let empty = describe(dir.path());
        assert_eq!(empty.english(), "(empty)");
        assert_eq!(empty.show(Lang::Zh), "（空）");
        assert_eq!(
            describe(&dir.path().join("absent")).show(Lang::Zh),
            "（无法列出）"
        );
        fs::write(dir.path().join("a.txt"), b"hello").unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        symlink("a.txt", dir.path().join("link")).unwrap();
        let listing = describe(dir.path());
        assert_eq!(
            listing.english(),
            "a.txt (5 bytes)\nlink -> a.txt (symbolic link)\nsub/ (directory)"
        );
        assert_eq!(
            listing.show(Lang::Zh),
            "a.txt（5 字节）\nlink -> a.txt（符号链接）\nsub/（目录）"
        );
        // A long list is cut, and says how long it was.
        let names: Vec<OsString> = (0..LIST_LIMIT + 5)
            .map(|i| OsString::from(format!("f{i:02}")))
            .collect();
        let names = name_list(names.iter());
        assert!(names.english().ends_with("\nf19\n… (25 in all)"), "{names}");
        assert!(names.show(Lang::Zh).ends_with("\nf19\n…（共 25 项）"));
        assert_eq!(names.words(Lang::Zh), vec!["…（共 25 项）".to_string()]);
    }
}
