//! Suite of `talk_split TALK OUT_DIR`: one file per speaker, split at the
//! first colon of either kind, WORDS kept verbatim, old files replaced, bad
//! lines warned about by their number, and nothing written outside OUT_DIR.
//!
//! Every check names a property without quoting the input, so the same
//! helpers serve the hidden tests; the file names, diffs and listings go in
//! the details.
use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use crate::harness::{compare, say, Ctx, Failure, ResultExt, RunOutput, TestDef, TestResult};
use crate::text::Phrase;

mod hidden;

/// The notes' dialogue, with a few more lines.
const SAMPLE: &str = include_str!("../../../../fixtures/talk_split/talk.txt");

/// Where every test writes the dialogue.
const TALK: &str = "talk.txt";

/// The property of a path written outside OUT_DIR.
fn outside() -> Phrase {
    say("talk-outside")
}

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("splits_the_sample", 2, splits_the_sample).clauses(&[1, 2, 6, 8, 12]),
        TestDef::visible(
            "ascii_colon_keeps_later_colons",
            2,
            ascii_colon_keeps_later_colons,
        )
        .clauses(&[1, 3, 6, 12]),
        TestDef::visible("first_colon_of_either_kind", 2, first_colon_of_either_kind)
            .clauses(&[1, 3, 6, 12]),
        TestDef::visible("words_kept_verbatim", 2, words_kept_verbatim).clauses(&[3, 6, 12]),
        TestDef::visible("speaker_names_trimmed", 1, speaker_names_trimmed).clauses(&[2, 6, 12]),
        TestDef::visible("creates_out_dir", 1, creates_out_dir).clauses(&[5, 6, 12]),
        TestDef::visible("replaces_existing_files", 2, replaces_existing_files)
            .clauses(&[6, 7, 8, 12]),
        TestDef::visible("crlf_line_endings", 1, crlf_line_endings).clauses(&[4, 6, 12]),
        TestDef::visible(
            "blank_lines_skipped_silently",
            1,
            blank_lines_skipped_silently,
        )
        .clauses(&[9, 12]),
        TestDef::visible("warns_on_malformed_lines", 2, warns_on_malformed_lines).clauses(&[6, 10]),
        TestDef::visible("refuses_unsafe_names", 2, refuses_unsafe_names).clauses(&[6, 11]),
        TestDef::visible("missing_talk", 1, missing_talk).clauses(&[13]),
    ];
    tests.extend(hidden::tests());
    tests
}

// ---------------------------------------------------------------------------
// What the contract expects

/// What each speaker said, in the order spoken: the files OUT_DIR must hold.
#[derive(Debug, Default)]
struct Said(Vec<(String, Vec<String>)>);

impl Said {
    /// From `(NAME, WORDS)` pairs in the order spoken.
    fn of(lines: &[(&str, &str)]) -> Said {
        let mut said = Said::default();
        for (name, words) in lines {
            said.add(name, words);
        }
        said
    }

    fn add(&mut self, name: &str, words: &str) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some((_, lines)) => lines.push(words.to_string()),
            None => self.0.push((name.to_string(), vec![words.to_string()])),
        }
    }

    /// Each file name with its content.
    fn files(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.0.iter().map(|(name, lines)| {
            let content: String = lines.iter().map(|w| format!("{w}\n")).collect();
            (format!("{name}.txt"), content)
        })
    }
}

// ---------------------------------------------------------------------------
// Checks

/// The names in a directory, or `None` when it does not exist.
fn listing(dir: &Path) -> Result<Option<BTreeSet<String>>, Failure> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Failure::grader(format!("listing {}: {e}", dir.display()))),
    };
    let mut names = BTreeSet::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| Failure::grader(format!("listing {}: {e}", dir.display())))?;
        names.insert(entry.file_name().to_string_lossy().into_owned());
    }
    Ok(Some(names))
}

/// Names as `a`, `b c` for a note, with tabs and line breaks shown (empty
/// for none).
fn quoted<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
    let list: Vec<String> = names
        .into_iter()
        .map(|n| {
            format!(
                "`{}`",
                n.replace('\t', "\\t")
                    .replace('\r', "\\r")
                    .replace('\n', "\\n")
            )
        })
        .collect();
    list.join(", ")
}

/// "`dir` holds `a`, `b`" (or nothing) for a note.
fn holds(dir: &str, names: &BTreeSet<String>) -> Phrase {
    if names.is_empty() {
        say("talk-holds-nothing").arg("dir", dir)
    } else {
        say("talk-holds")
            .arg("dir", dir)
            .arg("names", quoted(names))
    }
}

/// Checks that `dir` (shown as `shown`) holds exactly `expected`.
fn expect_listing(
    run: &RunOutput,
    dir: &Path,
    shown: &str,
    expected: &BTreeSet<String>,
    property: Phrase,
) -> TestResult {
    let Some(actual) = listing(dir)? else {
        return Err(run
            .fail(say("talk-dir-missing"))
            .context(property)
            .say(say("talk-does-not-exist").arg("path", shown)));
    };
    if &actual == expected {
        return Ok(());
    }
    let mut f = run.fail(property);
    let extra: Vec<&String> = actual.difference(expected).collect();
    let missing: Vec<&String> = expected.difference(&actual).collect();
    if !extra.is_empty() {
        f = f.say(
            say("talk-should-not-hold")
                .arg("dir", shown)
                .arg("names", quoted(extra)),
        );
    }
    if !missing.is_empty() {
        f = f.say(
            say("talk-should-hold")
                .arg("dir", shown)
                .arg("names", quoted(missing)),
        );
    }
    Err(f.say(holds(shown, &actual)))
}

/// Checks one file of OUT_DIR against `expected`.
fn expect_file(
    run: &RunOutput,
    dir: &Path,
    shown_dir: &str,
    file: &str,
    expected: &str,
    property: Phrase,
) -> TestResult {
    let shown = format!("{shown_dir}/{file}");
    let path = dir.join(file);
    // As far as the comparison needs it: a program may write far more.
    match compare::read_written(&path, expected.len()) {
        Ok((actual, _)) => match compare::text(&shown, expected, &actual) {
            None => Ok(()),
            Some(diff) => {
                let f = run.fail(property).with(diff);
                Err(if actual.contains(&b'\r') && !expected.contains('\r') {
                    f.say(say("talk-ends-in-cr"))
                } else if same_but_for_edges(expected, &actual) {
                    f.say(say("talk-edges"))
                } else {
                    f
                })
            }
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let held = match listing(dir)? {
                None => say("talk-not-written-no-dir").arg("file", &shown),
                Some(names) if names.is_empty() => say("talk-not-written-empty")
                    .arg("file", &shown)
                    .arg("dir", shown_dir),
                Some(names) => say("talk-not-written")
                    .arg("file", &shown)
                    .arg("dir", shown_dir)
                    .arg("names", quoted(&names)),
            };
            Err(run
                .fail(say("talk-file-missing"))
                .context(property)
                .say(held))
        }
        Err(e) => Err(run.fail(say("talk-file-unreadable")).context(property).say(
            say("talk-file-error")
                .arg("file", &shown)
                .arg("error", e.to_string()),
        )),
    }
}

/// True when the texts have the same lines once each is trimmed.
fn same_but_for_edges(expected: &str, actual: &[u8]) -> bool {
    let actual = String::from_utf8_lossy(actual);
    expected
        .lines()
        .map(str::trim)
        .eq(actual.lines().map(str::trim))
}

/// Checks OUT_DIR (`out`, relative to the test's directory) after `run`:
/// one file per speaker with their WORDS, the files in `kept` (there before
/// the run) unchanged, and nothing else.
fn expect_out_dir(
    t: &Ctx,
    run: &RunOutput,
    out: &str,
    said: &Said,
    kept: &[(&str, &str)],
) -> TestResult {
    let dir = t.path(out);
    let files: Vec<(String, String)> = said.files().collect();
    let names = files.iter().map(|(file, _)| file.clone());
    let expected = names
        .chain(kept.iter().map(|(file, _)| file.to_string()))
        .collect();
    expect_listing(run, &dir, out, &expected, say("talk-one-file-per-speaker"))?;
    for (file, content) in &files {
        expect_file(run, &dir, out, file, content, say("talk-speaker-file"))?;
    }
    for (file, content) in kept {
        expect_file(run, &dir, out, file, content, say("talk-left-alone"))?;
    }
    Ok(())
}

/// Every path under `dir`, relative to the test's directory and joined
/// with `/`, without descending into `skip`.
fn walk(
    dir: &Path,
    rel: &str,
    skip: Option<&str>,
    found: &mut BTreeSet<String>,
) -> Result<(), Failure> {
    for name in listing(dir)?.unwrap_or_default() {
        let path = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let is_dir = std::fs::symlink_metadata(dir.join(&name)).is_ok_and(|m| m.is_dir());
        if is_dir && Some(path.as_str()) != skip {
            walk(&dir.join(&name), &path, skip, found)?;
        }
        found.insert(path);
    }
    Ok(())
}

/// Checks that the run wrote nothing in the test's directory but inside
/// `out` (OUT_DIR, with its parents): only the paths in `before`, there
/// before the run, may be found elsewhere.
fn expect_nothing_outside(
    t: &Ctx,
    run: &RunOutput,
    out: Option<&str>,
    before: &[&str],
    property: Phrase,
) -> TestResult {
    let mut found = BTreeSet::new();
    walk(t.dir(), "", out, &mut found)?;
    let mut allowed: BTreeSet<String> = before.iter().map(|p| p.to_string()).collect();
    if let Some(out) = out {
        allowed.extend(
            Path::new(out)
                .ancestors()
                .map(|a| a.to_string_lossy().into_owned()),
        );
    }
    let extra: Vec<&String> = found.difference(&allowed).collect();
    if extra.is_empty() {
        return Ok(());
    }
    let written = match out {
        Some(out) => say("talk-written-outside").arg("out", out),
        None => say("talk-written-in-cwd"),
    };
    Err(run.fail(property).say(written.arg("names", quoted(extra))))
}

/// The whole numbers that appear in `text`.
fn numbers_in(text: &str) -> BTreeSet<usize> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|run| run.parse().ok())
        .collect()
}

/// Checks that stderr names every line number in `bad` (1-based).
fn expect_warnings(run: &RunOutput, bad: &[usize]) -> TestResult {
    run.expect_stderr_nonempty()
        .context(say("talk-needs-warning"))?;
    let named = numbers_in(&run.stderr_text());
    let missing: Vec<String> = bad
        .iter()
        .filter(|n| !named.contains(n))
        .map(|n| n.to_string())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let all: Vec<String> = bad.iter().map(|n| n.to_string()).collect();
    Err(run.fail(say("talk-name-line-numbers")).say(
        say("talk-skipped-lines")
            .arg("all", all.join(", "))
            .arg("missing", missing.join(", ")),
    ))
}

/// Writes the dialogue and runs `talk_split talk.txt out`.
fn split(t: &mut Ctx, talk: &str, out: &str) -> Result<RunOutput, Failure> {
    t.write(TALK, talk)?;
    t.run(&[TALK, out])
}

/// A visible test of a dialogue whose lines are all fine: OUT_DIR (already
/// made) holds `said`, exit 0.
fn expect_split(t: &mut Ctx, talk: &str, said: &Said) -> Result<RunOutput, Failure> {
    t.mkdir("out")?;
    let run = split(t, talk, "out")?;
    expect_out_dir(t, &run, "out", said, &[])
        .and_then(|()| run.expect_code(0).context(say("talk-every-line-fine")))?;
    Ok(run)
}

// ---------------------------------------------------------------------------
// Visible tests

fn splits_the_sample(t: &mut Ctx) -> TestResult {
    let said = Said::of(&[
        ("老王", "吃了么"),
        ("老李", "没那，您呢？"),
        ("老张", "您二位干什么呢"),
        ("老李", "遛弯啊，刚买菜回来啊"),
        ("老张", "是啊"),
        ("老王", "买的什么菜？"),
        ("老李", "白菜，两块钱一斤"),
        ("老张", "我也去买点儿"),
        ("老王", "一起去吧"),
    ]);
    expect_split(t, SAMPLE, &said)?;
    Ok(())
}

fn ascii_colon_keeps_later_colons(t: &mut Ctx) -> TestResult {
    let talk = "Alice: the train leaves at 10:30\n\
                Bob: ok: see you there\n\
                Alice:ratio 16:9\n\
                Bob: note: bring the map: the old one\n";
    let said = Said::of(&[
        ("Alice", " the train leaves at 10:30"),
        ("Bob", " ok: see you there"),
        ("Alice", "ratio 16:9"),
        ("Bob", " note: bring the map: the old one"),
    ]);
    expect_split(t, talk, &said)?;
    Ok(())
}

fn first_colon_of_either_kind(t: &mut Ctx) -> TestResult {
    let talk = "老王：现在是 10:30\n\
                Alice: 她说：好的\n\
                老李：note: 全角冒号在前\n\
                Alice:他问：“几点？”: 不知道\n";
    let said = Said::of(&[
        ("老王", "现在是 10:30"),
        ("Alice", " 她说：好的"),
        ("老李", "note: 全角冒号在前"),
        ("Alice", "他问：“几点？”: 不知道"),
    ]);
    expect_split(t, talk, &said)?;
    Ok(())
}

fn words_kept_verbatim(t: &mut Ctx) -> TestResult {
    let talk = "老王：  前面两个空格\n\
                老王：后面两个空格  \n\
                Alice:\tafter a tab\n\
                Alice: \n\
                老李：\n\
                老李：a\\b/c \"quoted\" 'single'\n";
    let said = Said::of(&[
        ("老王", "  前面两个空格"),
        ("老王", "后面两个空格  "),
        ("Alice", "\tafter a tab"),
        ("Alice", " "),
        ("老李", ""),
        ("老李", "a\\b/c \"quoted\" 'single'"),
    ]);
    expect_split(t, talk, &said)?;
    Ok(())
}

fn speaker_names_trimmed(t: &mut Ctx) -> TestResult {
    let talk = "  Mary Ann  : hello\n\
                Mary Ann: again\n\
                \t老王 ：你好\n\
                老王：再见\n\
                Jean Luc Picard\t:engage\n\
                Mr. Smith: a dot inside a name is fine\n";
    let said = Said::of(&[
        ("Mary Ann", " hello"),
        ("Mary Ann", " again"),
        ("老王", "你好"),
        ("老王", "再见"),
        ("Jean Luc Picard", "engage"),
        ("Mr. Smith", " a dot inside a name is fine"),
    ]);
    expect_split(t, talk, &said)?;
    Ok(())
}

fn creates_out_dir(t: &mut Ctx) -> TestResult {
    let talk = "老王：吃了么\n老李：没那，您呢？\n";
    let said = Said::of(&[("老王", "吃了么"), ("老李", "没那，您呢？")]);
    let run = split(t, talk, "new_dir")?;
    expect_out_dir(t, &run, "new_dir", &said, &[])
        .context(say("talk-out-dir-created"))
        .and_then(|()| run.expect_code(0))
}

fn replaces_existing_files(t: &mut Ctx) -> TestResult {
    let talk = "老王：吃了么\n老李：没那，您呢？\n老王：遛弯去\n";
    let said = Said::of(&[
        ("老王", "吃了么"),
        ("老李", "没那，您呢？"),
        ("老王", "遛弯去"),
    ]);
    t.write("out/老王.txt", "上次的旧话\n")?;
    let kept = [
        ("老赵.txt", "老赵上次说的\n"),
        ("notes.md", "not a speaker's file\n"),
    ];
    for (file, content) in kept {
        t.write(format!("out/{file}"), content)?;
    }
    for situation in [
        say("talk-older-dialogue").arg("file", "老王.txt"),
        say("talk-second-run"),
    ] {
        let run = split(t, talk, "out")?;
        expect_out_dir(t, &run, "out", &said, &kept)
            .and_then(|()| run.expect_code(0))
            .context(situation)?;
    }
    Ok(())
}

fn crlf_line_endings(t: &mut Ctx) -> TestResult {
    let talk = "老王：吃了么\r\n老李：没那，您呢？\r\n\r\nAlice: see you at 10:30\r\n老王：走吧";
    let said = Said::of(&[
        ("老王", "吃了么"),
        ("老李", "没那，您呢？"),
        ("Alice", " see you at 10:30"),
        ("老王", "走吧"),
    ]);
    expect_split(t, talk, &said).context(say("talk-crlf"))?;
    Ok(())
}

fn blank_lines_skipped_silently(t: &mut Ctx) -> TestResult {
    let talk = "\n老王：吃了么\n   \n\t\n老李：没那，您呢？\n \t \n\n老王：走吧\n\n";
    let said = Said::of(&[
        ("老王", "吃了么"),
        ("老李", "没那，您呢？"),
        ("老王", "走吧"),
    ]);
    t.mkdir("out")?;
    let run = split(t, talk, "out")?;
    expect_out_dir(t, &run, "out", &said, &[])?;
    if !run.stderr.is_empty() {
        return Err(run.fail(say("talk-stderr-empty")));
    }
    run.expect_code(0).context(say("talk-blank-not-bad"))
}

fn warns_on_malformed_lines(t: &mut Ctx) -> TestResult {
    let talk = "老王：吃了么\n\
                这一行没有冒号\n\
                \n\
                老李：没那，您呢？\n\
                ：没有名字\n\
                老张：您二位干什么呢\n\
                \u{20}  : name of spaces only\n\
                老王：走吧\n";
    let said = Said::of(&[
        ("老王", "吃了么"),
        ("老李", "没那，您呢？"),
        ("老张", "您二位干什么呢"),
        ("老王", "走吧"),
    ]);
    t.mkdir("out")?;
    let run = split(t, talk, "out")?;
    expect_out_dir(t, &run, "out", &said, &[])
        .context(say("talk-good-lines-written"))
        .and_then(|()| expect_warnings(&run, &[2, 5, 7]))
        .and_then(|()| run.expect_code(1).context(say("talk-some-skipped")))
}

fn refuses_unsafe_names(t: &mut Ctx) -> TestResult {
    // An absolute NAME, kept inside the test's directory in case a program
    // writes there.
    let absolute = t.path("absolute").to_string_lossy().into_owned();
    let talk = format!(
        "老王：吃了么\n\
         ..：上一级目录\n\
         \n\
         ../escaped：想跑出去\n\
         老李：没那，您呢？\n\
         a/b：子目录\n\
         a\\b：反斜杠\n\
         \n\
         .hidden：藏起来\n\
         .: just a dot\n\
         老王：走吧\n\
         {absolute}：绝对路径\n\
         ../../escaped_too: two levels up\n"
    );
    let said = Said::of(&[
        ("老王", "吃了么"),
        ("老李", "没那，您呢？"),
        ("老王", "走吧"),
    ]);
    t.mkdir("work/out")?;
    let run = split(t, &talk, "work/out")?;
    expect_nothing_outside(t, &run, Some("work/out"), &[TALK], outside())
        .and_then(|()| expect_out_dir(t, &run, "work/out", &said, &[]))
        .and_then(|()| expect_warnings(&run, &[2, 4, 6, 7, 9, 10, 12, 13]))
        .and_then(|()| run.expect_code(1).context(say("talk-some-skipped")))
        .context(say("talk-out-dir-is").arg("out", "work/out"))
}

fn missing_talk(t: &mut Ctx) -> TestResult {
    let run = t.run(&["no_such_talk.txt", "out"])?;
    run.expect_code(2)?;
    run.expect_stderr_nonempty()?;
    expect_nothing_outside(t, &run, None, &[], say("talk-missing-leaves-all"))?;

    t.write("out/老王.txt", "上次的旧话\n")?;
    let run = t.run(&["no_such_talk.txt", "out"])?;
    run.expect_code(2).context(say("talk-out-dir-exists"))?;
    expect_out_dir(
        t,
        &run,
        "out",
        &Said::default(),
        &[("老王.txt", "上次的旧话\n")],
    )
    .context(say("talk-missing-keeps-files"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_whole_runs_of_digits() {
        let n = numbers_in("talk_split: line 12: no colon (x2)\nline 7");
        assert_eq!(n, [2, 7, 12].into_iter().collect());
    }
}
