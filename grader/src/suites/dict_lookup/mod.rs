//! Suite of `dict_lookup DICT WORD`: exact lookups in a sorted dictionary,
//! line endings, errors, and the early stop that sorting allows (proved with
//! a FIFO that never reaches end of file).
use std::time::Duration;

use crate::harness::{say, Cause, Ctx, FifoFeeder, ResultExt, TestDef, TestResult};

mod hidden;

const SAMPLE: &str = include_str!("../../../../fixtures/dict_lookup/sample.txt");

/// How long a lookup in the FIFO may take before it counts as reading on.
const FIFO_WAIT: Duration = Duration::from_secs(5);

/// The tests.
pub fn tests() -> Vec<TestDef> {
    let mut tests = vec![
        TestDef::visible("finds_a_word", 2, finds_a_word).clauses(&[1]),
        TestDef::visible("exact_match_not_prefix", 3, exact_match_not_prefix)
            .clauses(&[1, 2, 3, 5]),
        TestDef::visible("case_matters", 2, case_matters).clauses(&[1, 3, 5]),
        TestDef::visible("reports_not_found", 2, reports_not_found).clauses(&[5]),
        TestDef::visible("missing_dictionary", 2, missing_dictionary).clauses(&[6]),
        TestDef::visible("unreadable_dictionary", 2, unreadable_dictionary).clauses(&[7]),
        TestDef::visible(
            "line_endings_and_blank_lines",
            3,
            line_endings_and_blank_lines,
        )
        .clauses(&[1, 4, 5]),
        TestDef::visible("stops_reading_when_absent", 3, stops_reading_when_absent)
            .clauses(&[5, 8]),
        TestDef::visible("keeps_the_whole_line", 2, keeps_the_whole_line).clauses(&[1, 4]),
    ];
    tests.extend(hidden::tests());
    tests
}

/// The line of `word` in `dict`, as the contract prints it.
fn line_of<'a>(dict: &'a str, word: &str) -> &'a str {
    dict.lines()
        .find(|l| l.split(' ').next() == Some(word))
        .expect("the suite looks up words of its own dictionary")
}

/// Runs a lookup that must succeed with `line`.
fn expect_found(t: &mut Ctx, dict: &str, word: &str, line: &str) -> TestResult {
    let out = t.run(&[dict, word])?;
    out.expect_stdout(&format!("{line}\n"))?;
    out.expect_code(0)
}

/// Runs a lookup that must print `not found` and exit 1.
fn expect_absent(t: &mut Ctx, dict: &str, word: &str) -> TestResult {
    let out = t.run(&[dict, word])?;
    out.expect_stdout("not found\n")?;
    out.expect_code(1)
}

fn finds_a_word(t: &mut Ctx) -> TestResult {
    t.write("dict.txt", SAMPLE)?;
    for word in ["abandon", "bridge", "zebra"] {
        expect_found(t, "dict.txt", word, line_of(SAMPLE, word))
            .context(say("dict-looking-up").arg("word", word))?;
    }
    Ok(())
}

fn exact_match_not_prefix(t: &mut Ctx) -> TestResult {
    t.write("dict.txt", SAMPLE)?;
    expect_found(t, "dict.txt", "a", line_of(SAMPLE, "a")).context(
        say("dict-must-not-match")
            .arg("word", "a")
            .arg("entry", "abandon"),
    )?;
    expect_found(t, "dict.txt", "abandon", line_of(SAMPLE, "abandon")).context(
        say("dict-must-not-match")
            .arg("word", "abandon")
            .arg("entry", "abandoned"),
    )?;
    expect_absent(t, "dict.txt", "ab").context(say("dict-only-a-prefix").arg("word", "ab"))?;
    expect_absent(t, "dict.txt", "abandonments").context(
        say("dict-prefix-of")
            .arg("entry", "abandonment")
            .arg("word", "abandonments"),
    )?;
    expect_absent(t, "dict.txt", "Zebra").context(
        say("dict-case-not")
            .arg("word", "Zebra")
            .arg("entry", "zebra"),
    )
}

/// Capitalised entries beside lowercase ones: in byte order every capital
/// sorts before every lowercase letter, so each lowercase lookup here comes
/// after the entry spelled with a capital, and a match that ignores case
/// finds that entry before any greater word stops the search.
const CASED: &str = "\
Berlin   n. the capital city of Germany
March    n. the third month of the year
Polish   adj. of Poland, its people or its language
apple    n. a round fruit
march    v. walk with regular steps
polish   v. make smooth and shiny by rubbing
";

fn case_matters(t: &mut Ctx) -> TestResult {
    t.write("dict.txt", CASED)?;
    expect_found(t, "dict.txt", "march", line_of(CASED, "march")).context(
        say("dict-not-first-in-file")
            .arg("word", "march")
            .arg("entry", "March"),
    )?;
    expect_found(t, "dict.txt", "Polish", line_of(CASED, "Polish"))
        .context(say("dict-spelled-capital").arg("word", "Polish"))?;
    expect_found(t, "dict.txt", "polish", line_of(CASED, "polish")).context(
        say("dict-not-first-in-file")
            .arg("word", "polish")
            .arg("entry", "Polish"),
    )?;
    expect_absent(t, "dict.txt", "berlin")
        .context(say("dict-only-capital").arg("entry", "Berlin"))?;
    expect_absent(t, "dict.txt", "MARCH").context(
        say("dict-neither")
            .arg("word", "MARCH")
            .arg("first", "March")
            .arg("second", "march"),
    )
}

fn reports_not_found(t: &mut Ctx) -> TestResult {
    t.write("dict.txt", SAMPLE)?;
    expect_absent(t, "dict.txt", "abc").context(say("dict-between-two-entries"))?;
    expect_absent(t, "dict.txt", "zoo").context(say("dict-after-last-entry"))
}

fn missing_dictionary(t: &mut Ctx) -> TestResult {
    let out = t.run(&["no_such_dict.txt", "abandon"])?;
    out.expect_code(2)?;
    out.expect_stdout_empty()?;
    out.expect_stderr_contains("no_such_dict.txt", say("dict-missing-path"))
}

fn unreadable_dictionary(t: &mut Ctx) -> TestResult {
    // A directory opens like a file on Linux; its first read fails (EISDIR).
    t.mkdir("words")?;
    let out = t.run(&["words", "abandon"])?;
    out.expect_code(2).context(say("dict-directory"))?;
    out.expect_stdout_empty()?;
    out.expect_stderr_contains("words", say("dict-unreadable-path"))
}

fn line_endings_and_blank_lines(t: &mut Ctx) -> TestResult {
    let dict = "\r\napple   a round fruit\r\n\nbanana  a long yellow fruit\r\n\r\ncherry  a small red fruit\n\nplum    a purple fruit";
    t.write("dict.txt", dict)?;
    expect_found(t, "dict.txt", "apple", "apple   a round fruit").context(say("dict-crlf"))?;
    expect_found(t, "dict.txt", "banana", "banana  a long yellow fruit")
        .context(say("dict-after-blank"))?;
    expect_found(t, "dict.txt", "cherry", "cherry  a small red fruit").context(say("dict-lf"))?;
    expect_found(t, "dict.txt", "plum", "plum    a purple fruit")
        .context(say("dict-last-without-newline"))?;
    expect_absent(t, "dict.txt", "pear").context(say("dict-between-entries"))
}

/// Serves `dict` through a FIFO that never ends and looks `word` up in it.
fn lookup_in_endless_fifo(
    t: &mut Ctx,
    word: &str,
    expected_stdout: &str,
    expected_code: i32,
) -> TestResult {
    let _feeder = FifoFeeder::start(
        &t.path("dict.fifo"),
        SAMPLE.as_bytes().to_vec(),
        t.deadline(),
    )?;
    let out = t
        .command(&["dict.fifo", word])
        .timeout(FIFO_WAIT)
        .run()
        .map_err(|f| {
            if f.cause == Cause::Timeout {
                f.say(say("dict-fifo-never-ends"))
            } else {
                f
            }
        })?;
    out.expect_stdout(expected_stdout)?;
    out.expect_code(expected_code)
}

fn stops_reading_when_absent(t: &mut Ctx) -> TestResult {
    lookup_in_endless_fifo(t, "abc", "not found\n", 1)
}

/// Entries whose explanation ends in spaces or a tab: only the line ending
/// is not part of the line, so they are printed with them.
const TRAILING: &str =
    "fig     a soft sweet fruit  \r\nkiwi    a small fuzzy fruit\t\nlime    a sour green fruit \n";

fn keeps_the_whole_line(t: &mut Ctx) -> TestResult {
    t.write("dict.txt", TRAILING)?;
    expect_found(t, "dict.txt", "fig", "fig     a soft sweet fruit  ")
        .context(say("dict-trailing-spaces-crlf"))?;
    expect_found(t, "dict.txt", "kiwi", "kiwi    a small fuzzy fruit\t")
        .context(say("dict-trailing-tab"))?;
    expect_found(t, "dict.txt", "lime", "lime    a sour green fruit ")
        .context(say("dict-trailing-space"))
}
