//! `--help` in the reader's language: `grader --help` and every command's
//! `--help` (and `-h`), asked for with `--lang zh`, a Chinese locale or
//! through `cargo grade`, say no English sentence (the leak check of the
//! grader's Chinese reports, `grader::leak`) and none of clap's English
//! headings; English `--help` names every option, as the Chinese one does.
//! A wrong command line is said in Chinese too.
use crate::common;

use std::collections::BTreeSet;

use grader::leak::english_run;

/// What the grader prints on stdout for `args` (it must succeed), in the
/// locale `lang` (`C.UTF-8` unless given).
fn shown(args: &[&str], locale: Option<&str>) -> String {
    let mut cmd = common::grader();
    if let Some(locale) = locale {
        cmd.env("LANG", locale);
    }
    let output = cmd.args(args).output().expect("running the grader");
    assert_eq!(
        output.status.code(),
        Some(0),
        "grader {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the help is UTF-8")
}

/// The commands a root help lists under `heading` (clap's `help` aside).
fn commands(root: &str, heading: &str) -> Vec<String> {
    let mut lines = root.lines().skip_while(|l| l.trim() != heading).skip(1);
    let mut out = Vec::new();
    for line in lines.by_ref() {
        if line.trim().is_empty() {
            break;
        }
        let name = line.split_whitespace().next().unwrap_or_default();
        if name != "help" {
            out.push(name.to_string());
        }
    }
    out
}

/// The options and arguments a help names: `--long` (or `-s`) at the start
/// of an option's line, `<NAME>` or `[NAME]` (maybe followed by `...`) at
/// the start of an argument's.
fn names(help: &str) -> BTreeSet<String> {
    let is_value_name = |w: &str| {
        let w = w.trim_end_matches("...");
        let inner = w
            .strip_prefix('<')
            .and_then(|w| w.strip_suffix('>'))
            .or_else(|| w.strip_prefix('[').and_then(|w| w.strip_suffix(']')));
        inner
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
    };
    let mut out = BTreeSet::new();
    for line in help.lines().filter(|l| l.starts_with("  ")) {
        let first = line.split_whitespace().next().unwrap_or_default();
        let option = first.len() > 1
            && first.starts_with('-')
            && first[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '-');
        if option {
            let long = line
                .split_whitespace()
                .find(|w| w.starts_with("--"))
                .unwrap_or(first);
            out.insert(long.trim_end_matches(',').to_string());
        } else if is_value_name(first) {
            out.insert(first.to_string());
        }
    }
    out
}

/// The English sentences of a Chinese help, line by line; the usage line
/// is a command line (code), as are option names and value names.
fn leaks(help: &str) -> Vec<String> {
    help.lines()
        .filter(|l| !l.starts_with("用法："))
        .filter_map(|l| english_run(l).map(|w| format!("`{w}` in {l:?}")))
        .collect()
}

/// clap's English words, which a Chinese help must not have.
const CLAP_WORDS: [&str; 9] = [
    "Usage:",
    "Commands:",
    "Arguments:",
    "Options:",
    "Possible values",
    "[default:",
    "[possible values:",
    "Print help",
    "Print version",
];

fn assert_chinese(help: &str, what: &str) {
    let leaks = leaks(help);
    assert!(
        leaks.is_empty(),
        "{what}: English in the Chinese help: {leaks:#?}\n{help}"
    );
    for word in CLAP_WORDS {
        assert!(
            !help.contains(word),
            "{what}: `{word}` in the Chinese help:\n{help}"
        );
    }
    assert!(help.contains("用法："), "{what}: no usage line:\n{help}");
}

#[test]
fn every_help_is_chinese_with_lang_zh_and_english_names_the_same_options() {
    let root_en = shown(&["--help"], None);
    let root_zh = shown(&["--help", "--lang", "zh"], None);
    assert_chinese(&root_zh, "grader --help --lang zh");
    let listed = commands(&root_en, "Commands:");
    assert!(
        listed.len() >= 9,
        "commands in the English help: {listed:?}"
    );
    assert_eq!(commands(&root_zh, "命令："), listed, "{root_zh}");
    assert!(root_en.contains("Print version"), "{root_en}");
    assert_eq!(names(&root_zh), names(&root_en));

    for command in &listed {
        for flag in ["--help", "-h"] {
            let en = shown(&[command, flag], None);
            let zh = shown(&[command, flag, "--lang", "zh"], None);
            let what = format!("grader {command} {flag} --lang zh");
            assert_chinese(&zh, &what);
            // English is clap's, from the doc comments.
            for word in ["Usage:", "Options:", "Print help"] {
                assert!(
                    en.contains(word),
                    "grader {command} {flag}: no `{word}`:\n{en}"
                );
            }
            assert!(
                !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "grader {command} {flag}: Chinese in the English help:\n{en}"
            );
            let (en_names, zh_names) = (names(&en), names(&zh));
            assert!(en_names.contains("--help"), "{en}");
            assert_eq!(en_names, zh_names, "{what}: other options than in English");
        }
    }

    // The student's command, option by option.
    let grade = names(&shown(&["grade", "--help"], None));
    for option in [
        "[DIR]",
        "--only",
        "--test",
        "--format",
        "--jobs",
        "--seed",
        "--no-fail",
        "--audience",
        "--verbose",
        "--results",
        "--results-format",
        "--target-dir",
        "--build-timeout",
        "--fresh",
        "--watch",
        "--lang",
        "--sandbox",
        "--no-network-namespace",
        "--no-landlock",
        "--no-isolation",
        "--help",
    ] {
        assert!(
            grade.contains(option),
            "grader grade --help lacks {option}: {grade:?}"
        );
    }
}

#[test]
fn a_chinese_locale_asks_for_chinese_help_and_lang_en_overrides_it() {
    let zh = Some("zh_CN.UTF-8");
    assert_chinese(&shown(&["--help"], zh), "LANG=zh_CN.UTF-8 grader --help");
    assert_chinese(
        &shown(&["grade", "--help"], zh),
        "LANG=zh_CN.UTF-8 grader grade --help",
    );
    assert_chinese(
        &shown(&["help", "grade"], zh),
        "LANG=zh_CN.UTF-8 grader help grade",
    );
    assert_chinese(
        &shown(&["hint", "--help", "--zh"], None),
        "grader hint --help --zh",
    );
    let en = shown(&["grade", "--help", "--lang", "en"], zh);
    assert_eq!(en, shown(&["grade", "--help"], None));
}

#[test]
fn cargo_grade_help_is_chinese_with_lang_zh() {
    // `cargo grade` is the workspace's alias for the grader's `grade`.
    common::grader_bin();
    let output = std::process::Command::new(env!("CARGO"))
        .args(["grade", "--help", "--lang", "zh"])
        .current_dir(common::root())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("running cargo grade");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let help = String::from_utf8(output.stdout).unwrap();
    assert_chinese(&help, "cargo grade --help --lang zh");
    assert!(help.contains("--only"), "{help}");
}

#[test]
fn a_wrong_command_line_is_said_in_chinese_with_lang_zh() {
    // clap's errors, said again from their context: the problem, a
    // similar name, the usage; exit status 2 as in English.
    for (args, names) in [
        (&["grade", "--bogus"][..], "`--bogus`"),
        (&["grade", "--onyl", "x"], "`--only`"),
        (&["grade", "--format", "nope"], "prairielearn"),
        (&["grade", "--jobs", "x"], "`x`"),
        (&["grade", "--seed", "1", "--seed", "2"], "`--seed <SEED>`"),
        (&["batch"], "<SUBMISSIONS>"),
        (&["gade"], "`grade`"),
    ] {
        let what = format!("grader {} --lang zh", args.join(" "));
        let english = common::grader().args(args).output().unwrap();
        let english = String::from_utf8_lossy(&english.stderr).into_owned();
        assert!(
            english.starts_with("error: "),
            "{what} in English:\n{english}"
        );
        let output = common::grader()
            .args(args)
            .args(["--lang", "zh"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{what}");
        let said = String::from_utf8(output.stderr).unwrap();
        assert!(said.starts_with("错误："), "{what}:\n{said}");
        assert!(said.contains(names), "{what}: no {names}:\n{said}");
        let leaks = leaks(&said);
        assert!(leaks.is_empty(), "{what}: {leaks:#?}\n{said}");
        for word in ["error:", "Usage:", "For more information", "tip:"] {
            assert!(!said.contains(word), "{what}: `{word}`:\n{said}");
        }
    }
}
