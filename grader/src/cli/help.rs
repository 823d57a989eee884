//! `--help` in the reader's language.
//!
//! clap writes the help from the derive's doc comments, in English. For
//! another language [`localize`] takes the built command tree and puts the
//! catalogs' sentences (`i18n/<lang>/cli.ftl`) in their place: each
//! command's description, each argument's help, each possible value's, the
//! built-in `--help`, `--version` and `help` command, and the headings
//! clap writes itself (through a help template per command). The default
//! value and the possible values clap appends to an argument's help are
//! hidden and written again in the language. English is never touched:
//! `--help` reads exactly as clap writes it from the doc comments, and a
//! test checks that the English catalog says the same.
//!
//! The language has to be known before clap parses (it prints the help
//! while parsing): [`asked_lang`] reads `--lang` (and `hint --zh`) from the
//! raw command line, else the locale decides, as for every other text.
//! clap's errors for a wrong command line are said again in the language
//! from the error's context ([`error_in_lang`]: an unknown option, a wrong
//! or missing value, an unknown command, an option given twice); the rare
//! others stay clap's English.
use std::ffi::OsString;

use clap::builder::StyledStr;
use clap::{Arg, Command};

use grader::text::{fmt, get, Lang};

/// The catalog key of each command's description, by the command's name
/// (`grader` is the grader itself, `help` clap's `help` command).
const ABOUT: &[(&str, &str)] = &[
    ("grader", "help-about"),
    ("grade", "help-grade-about"),
    ("list", "help-list-about"),
    ("doctor", "help-doctor-about"),
    ("batch", "help-batch-about"),
    ("merge", "help-merge-about"),
    ("hint", "help-hint-about"),
    ("gradescope-bundle", "help-gradescope-bundle-about"),
    ("release", "help-release-about"),
    ("selfcheck", "help-selfcheck-about"),
    ("help", "help-help-about"),
];

/// Any command: the arguments several commands share (`LangArgs`,
/// `SandboxArgs`).
const ANY: &str = "*";

/// The catalog key of each argument's help: the command, the argument's
/// id, the key. An argument of the command itself wins over one of [`ANY`].
const ARGS: &[(&str, &str, &str)] = &[
    ("grade", "dir", "help-grade-dir"),
    ("grade", "only", "help-grade-only"),
    ("grade", "tests", "help-grade-tests"),
    ("grade", "format", "help-grade-format"),
    ("grade", "jobs", "help-grade-jobs"),
    ("grade", "seed", "help-grade-seed"),
    ("grade", "no_fail", "help-grade-no-fail"),
    ("grade", "audience", "help-grade-audience"),
    ("grade", "verbose", "help-grade-verbose"),
    ("grade", "results", "help-grade-results"),
    ("grade", "results_format", "help-grade-results-format"),
    ("grade", "target_dir", "help-grade-target-dir"),
    ("grade", "build_timeout", "help-grade-build-timeout"),
    ("grade", "fresh", "help-grade-fresh"),
    ("grade", "watch", "help-grade-watch"),
    ("batch", "submissions", "help-batch-submissions"),
    ("batch", "out", "help-batch-out"),
    ("batch", "deadline", "help-batch-deadline"),
    ("batch", "shard", "help-batch-shard"),
    ("batch", "only", "help-batch-only"),
    ("batch", "tests", "help-batch-tests"),
    ("batch", "jobs", "help-batch-jobs"),
    ("batch", "parallel", "help-batch-parallel"),
    ("batch", "seed", "help-batch-seed"),
    ("batch", "target_dir", "help-batch-target-dir"),
    ("batch", "build_timeout", "help-batch-build-timeout"),
    ("batch", "regrade", "help-batch-regrade"),
    ("batch", "lang", "help-batch-lang"),
    ("merge", "inputs", "help-merge-inputs"),
    ("merge", "out", "help-merge-out"),
    ("hint", "exercise", "help-hint-exercise"),
    ("hint", "zh", "help-hint-zh"),
    ("gradescope-bundle", "out", "help-gradescope-bundle-out"),
    ("gradescope-bundle", "root", "help-gradescope-bundle-root"),
    ("release", "out", "help-release-out"),
    ("selfcheck", "root", "help-selfcheck-root"),
    ("selfcheck", "only", "help-selfcheck-only"),
    ("selfcheck", "jobs", "help-selfcheck-jobs"),
    ("selfcheck", "parallel", "help-selfcheck-parallel"),
    ("selfcheck", "builds", "help-selfcheck-builds"),
    ("selfcheck", "seed", "help-selfcheck-seed"),
    ("selfcheck", "target_dir", "help-selfcheck-target-dir"),
    ("selfcheck", "build_timeout", "help-selfcheck-build-timeout"),
    ("selfcheck", "timings", "help-selfcheck-timings"),
    (ANY, "lang", "help-lang"),
    (ANY, "sandbox", "help-sandbox"),
    (ANY, "no_network_namespace", "help-no-network-namespace"),
    (ANY, "no_landlock", "help-no-landlock"),
    (ANY, "no_isolation", "help-no-isolation"),
];

/// The catalog key of each possible value's help, by the value's name
/// (`--format`, `--results-format`, `--audience`, `--lang`, `--sandbox`).
const VALUES: &[(&str, &str)] = &[
    ("human", "help-value-human"),
    ("json", "help-value-json"),
    ("gradescope", "help-value-gradescope"),
    ("exercism", "help-value-exercism"),
    ("classroom", "help-value-classroom"),
    ("junit", "help-value-junit"),
    ("prairielearn", "help-value-prairielearn"),
    ("student", "help-value-student"),
    ("instructor", "help-value-instructor"),
    ("en", "help-value-en"),
    ("zh", "help-value-zh"),
    ("best-effort", "help-value-best-effort"),
    ("strict", "help-value-strict"),
];

/// The language `--lang` (or `hint --zh`) asks for on this command line
/// (`args` without the program's name), if it asks for one clap would
/// accept; read before clap parses.
pub(crate) fn asked_lang(args: &[OsString]) -> Option<Lang> {
    let mut asked = None;
    let mut args = args.iter().map(|a| a.to_str());
    while let Some(arg) = args.next() {
        match arg {
            // After `--` everything is a value.
            Some("--") => break,
            Some("--zh") => asked = Some(Lang::Zh),
            Some("--lang") => {
                if let Some(lang) = args.next().flatten().and_then(Lang::parse) {
                    asked = Some(lang);
                }
            }
            Some(a) => {
                if let Some(lang) = a.strip_prefix("--lang=").and_then(Lang::parse) {
                    asked = Some(lang);
                }
            }
            None => {}
        }
    }
    asked
}

/// `command` (the grader's, as the derive makes it) with its help in
/// `lang`; in English, `command` as it is.
pub(crate) fn localize(mut command: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return command;
    }
    // Built, the tree has clap's own parts too: `--help`, `--version`,
    // the `help` command.
    command.build();
    in_lang(command, lang)
}

/// `cmd` and every command under it, in `lang`.
fn in_lang(mut cmd: Command, lang: Lang) -> Command {
    for sub in cmd.get_subcommands_mut() {
        let taken = std::mem::take(sub);
        *sub = in_lang(taken, lang);
    }
    let name = cmd.get_name().to_string();
    if let Some((_, key)) = ABOUT.iter().find(|(n, _)| *n == name) {
        cmd = cmd.about(get(lang, key)).long_about(None);
    }
    let styles = cmd.get_styles().clone();
    cmd = cmd.mut_args(|arg| arg_in_lang(arg, &name, lang, &styles));
    let template = template(&cmd, lang, &styles);
    cmd.help_template(template)
}

/// The catalog key of the help of the argument `id` of the command `name`.
fn arg_key(name: &str, id: &str) -> Option<&'static str> {
    let of = |command: &str| {
        ARGS.iter()
            .find(|(c, i, _)| *c == command && *i == id)
            .map(|(_, _, key)| *key)
    };
    of(name).or_else(|| of(ANY))
}

/// `arg` with its help in `lang`: the catalog's sentence, then the default
/// value and the possible values as clap would append them.
fn arg_in_lang(arg: Arg, name: &str, lang: Lang, styles: &clap::builder::Styles) -> Arg {
    let id = arg.get_id().as_str().to_string();
    let said = match id.as_str() {
        // clap's own: the long help exists when some argument has more to
        // say with `--help` than with `-h`.
        "help" if arg.get_long_help().is_some() => {
            let short = get(lang, "help-flag-help-more");
            let long = get(lang, "help-flag-help-summary");
            return arg.help(short).long_help(long);
        }
        "help" => return arg.help(get(lang, "help-flag-help")),
        "version" => return arg.help(get(lang, "help-flag-version")),
        _ => match arg_key(name, &id) {
            Some(key) => get(lang, key),
            // An argument the catalogs do not know keeps clap's text (a
            // test keeps that from happening).
            None => return arg,
        },
    };
    let (context, value, literal) = (
        styles.get_context(),
        styles.get_context_value(),
        styles.get_literal(),
    );
    let mut short = said.clone();
    let mut long = said;
    let mut has_long = false;
    let values: Vec<_> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    if !values.is_empty() && values.iter().any(|v| v.get_help().is_some()) {
        // `--help` lists them with their help, `-h` names them.
        let widest = values.iter().map(|v| v.get_name().len()).max().unwrap_or(0);
        long.push_str("\n\n");
        long.push_str(&get(lang, "help-possible-values"));
        for v in &values {
            let help = VALUES
                .iter()
                .find(|(n, _)| *n == v.get_name())
                .map(|(_, key)| get(lang, key))
                .or_else(|| v.get_help().map(|h| h.to_string()))
                .unwrap_or_default();
            let pad = widest - v.get_name().len();
            long.push_str(&format!(
                "\n- {literal}{}{literal:#}: {:pad$}{help}",
                v.get_name(),
                ""
            ));
        }
        has_long = true;
    }
    let takes_values = arg.get_action().takes_values();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_values && !defaults.is_empty() {
        let shown = fmt(
            lang,
            "help-default",
            &[(
                "value",
                format!("{context:#}{value}{}{value:#}{context}", defaults.join(" ")).into(),
            )],
        );
        let shown = format!("{context}{shown}{context:#}");
        short.push(' ');
        short.push_str(&shown);
        long.push_str("\n\n");
        long.push_str(&shown);
        has_long = true;
    }
    if !values.is_empty() {
        let sep = list_separator(lang);
        let names: Vec<String> = values
            .iter()
            .map(|v| format!("{value}{}{value:#}", v.get_name()))
            .collect();
        let shown = fmt(
            lang,
            "help-possible-values-inline",
            &[(
                "values",
                format!("{context:#}{}{context}", names.join(sep)).into(),
            )],
        );
        short.push(' ');
        short.push_str(&format!("{context}{shown}{context:#}"));
    }
    let arg = arg
        .help(short)
        .hide_default_value(true)
        .hide_possible_values(true);
    match has_long {
        true => arg.long_help(long),
        false => arg.long_help(None),
    }
}

/// The help template of `cmd` in `lang`: clap's default one, its headings
/// in the language (a section only when it has something to list).
fn template(cmd: &Command, lang: Lang, styles: &clap::builder::Styles) -> StyledStr {
    let (usage, header) = (styles.get_usage(), styles.get_header());
    let heading = get(lang, "help-usage");
    // `Usage: grader`, `用法：grader`.
    let space = if heading.ends_with(':') { " " } else { "" };
    let mut template =
        format!("{{before-help}}{{about-with-newline}}\n{usage}{heading}{usage:#}{space}{{usage}}");
    let mut sections = Vec::new();
    if cmd.get_subcommands().any(|c| !c.is_hide_set()) {
        sections.push(("help-heading-commands", "{subcommands}"));
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        sections.push(("help-heading-arguments", "{positionals}"));
    }
    if cmd
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set())
    {
        sections.push(("help-heading-options", "{options}"));
    }
    // As clap's: each section after a blank line.
    for (key, tag) in sections {
        template.push_str(&format!("\n\n{header}{}{header:#}\n{tag}", get(lang, key)));
    }
    template.push_str("{after-help}");
    StyledStr::from(template)
}

/// The separator of a list of names in `lang`.
fn list_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ", ",
        Lang::Zh => "、",
    }
}

/// clap's error for a wrong command line, said in `lang` as clap lays it
/// out (the problem, a similar name if there is one, the usage, where to
/// read more); `None` in English, for clap's own messages (help, version),
/// and for an error this does not know, which clap then says in English.
pub(crate) fn error_in_lang(error: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind as K, ContextValue as V};
    if lang == Lang::En {
        return None;
    }
    let said = problem(error, lang)?;
    let mut out = fmt(lang, "clap-error", &[("problem", said.into())]);
    let mut first = true;
    for (kind, key) in [
        (K::SuggestedSubcommand, "clap-similar-subcommand"),
        (K::SuggestedArg, "clap-similar-argument"),
        (K::SuggestedValue, "clap-similar-value"),
    ] {
        let names = match error.get(kind) {
            Some(V::String(name)) => vec![name.clone()],
            Some(V::Strings(names)) => names.clone(),
            _ => continue,
        };
        let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        out.push_str(if first { "\n\n  " } else { "\n  " });
        first = false;
        let names = names.join(list_separator(lang));
        out.push_str(&fmt(lang, key, &[("names", names.into())]));
    }
    if let Some(V::StyledStr(usage)) = error.get(K::Usage) {
        let usage = usage.to_string();
        // clap's usage has its English heading: the line is the same
        // but for it.
        let line = usage.strip_prefix("Usage:").unwrap_or(&usage).trim_start();
        out.push_str("\n\n");
        out.push_str(&get(lang, "help-usage"));
        out.push_str(line);
    }
    out.push_str("\n\n");
    out.push_str(&fmt(
        lang,
        "clap-more-information",
        &[("help", "--help".into())],
    ));
    out.push('\n');
    Some(out)
}

/// What is wrong with the command line, in `lang`, from a clap error's
/// context; `None` for the kinds said in clap's English.
fn problem(error: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind as K, ContextValue as V, ErrorKind};
    let text = |kind| match error.get(kind) {
        Some(V::String(s)) => Some(s.clone()),
        _ => None,
    };
    let arg_value = || Some((text(K::InvalidArg)?, text(K::InvalidValue)?));
    let said = match error.kind() {
        ErrorKind::UnknownArgument => fmt(
            lang,
            "clap-unknown-argument",
            &[("arg", text(K::InvalidArg)?.into())],
        ),
        ErrorKind::InvalidValue => {
            let (arg, value) = arg_value()?;
            let mut said = match value.is_empty() {
                true => fmt(lang, "clap-value-required", &[("arg", arg.into())]),
                false => fmt(
                    lang,
                    "clap-invalid-value",
                    &[("arg", arg.into()), ("value", value.into())],
                ),
            };
            if let Some(V::Strings(values)) = error.get(K::ValidValue) {
                if !values.is_empty() {
                    let values = values.join(list_separator(lang));
                    said.push_str("\n  ");
                    said.push_str(&fmt(
                        lang,
                        "help-possible-values-inline",
                        &[("values", values.into())],
                    ));
                }
            }
            said
        }
        ErrorKind::ValueValidation => {
            let (arg, value) = arg_value()?;
            match std::error::Error::source(error) {
                // The parser's reason (a number that is not one) stays as
                // it was written, quoted.
                Some(reason) => fmt(
                    lang,
                    "clap-invalid-value-because",
                    &[
                        ("arg", arg.into()),
                        ("value", value.into()),
                        ("reason", reason.to_string().into()),
                    ],
                ),
                None => fmt(
                    lang,
                    "clap-invalid-value",
                    &[("arg", arg.into()), ("value", value.into())],
                ),
            }
        }
        ErrorKind::TooManyValues => {
            let (arg, value) = arg_value()?;
            fmt(
                lang,
                "clap-too-many-values",
                &[("arg", arg.into()), ("value", value.into())],
            )
        }
        ErrorKind::InvalidSubcommand => fmt(
            lang,
            "clap-invalid-subcommand",
            &[("name", text(K::InvalidSubcommand)?.into())],
        ),
        ErrorKind::MissingSubcommand => fmt(
            lang,
            "clap-missing-subcommand",
            &[("name", text(K::InvalidSubcommand)?.into())],
        ),
        ErrorKind::MissingRequiredArgument => {
            let Some(V::Strings(args)) = error.get(K::InvalidArg) else {
                return None;
            };
            let mut said = get(lang, "clap-missing-required");
            for arg in args {
                said.push_str("\n  ");
                said.push_str(arg);
            }
            said
        }
        ErrorKind::ArgumentConflict => {
            let (arg, prior) = (text(K::InvalidArg)?, text(K::PriorArg)?);
            match prior == arg {
                true => fmt(lang, "clap-used-twice", &[("arg", arg.into())]),
                false => fmt(
                    lang,
                    "clap-conflict",
                    &[("arg", arg.into()), ("other", prior.into())],
                ),
            }
        }
        _ => return None,
    };
    Some(said)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_read_before_clap_parses() {
        assert_eq!(
            asked_lang(&os(&["grade", "--help", "--lang", "zh"])),
            Some(Lang::Zh)
        );
        assert_eq!(asked_lang(&os(&["--lang=en", "grade"])), Some(Lang::En));
        assert_eq!(
            asked_lang(&os(&["hint", "dict_lookup", "--zh"])),
            Some(Lang::Zh)
        );
        assert_eq!(asked_lang(&os(&["grade", "--help"])), None);
        // Not a language clap accepts, or after `--`: not asked.
        assert_eq!(asked_lang(&os(&["grade", "--lang", "fr"])), None);
        assert_eq!(asked_lang(&os(&["grade", "--", "--lang", "zh"])), None);
    }

    /// Every command of the built tree, its own name first.
    fn commands(cmd: &Command) -> Vec<&Command> {
        let mut out = vec![cmd];
        for sub in cmd.get_subcommands() {
            out.extend(commands(sub));
        }
        out
    }

    #[test]
    fn the_english_catalog_says_what_the_doc_comments_say() {
        // English `--help` is clap's, from the doc comments; the English
        // catalog must say the same, so that every text has its key and
        // a translation reads like the English it stands for.
        let mut cmd = super::super::Cli::command();
        cmd.build();
        let text = |s: Option<&StyledStr>| s.map(|s| s.to_string()).unwrap_or_default();
        let mut checked = 0;
        for c in commands(&cmd) {
            let name = c.get_name();
            let (_, key) = ABOUT
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("`{name}` has no description key in ABOUT"));
            assert_eq!(get(Lang::En, key), text(c.get_about()), "{key}");
            assert!(
                c.get_long_about().is_none(),
                "`{name}` has a long description"
            );
            for arg in c.get_arguments() {
                let id = arg.get_id().as_str();
                let key = match id {
                    "help" if arg.get_long_help().is_some() => {
                        assert_eq!(
                            get(Lang::En, "help-flag-help-summary"),
                            text(arg.get_long_help())
                        );
                        "help-flag-help-more"
                    }
                    "help" => "help-flag-help",
                    "version" => "help-flag-version",
                    _ => {
                        assert!(
                            arg.get_long_help().is_none(),
                            "{name} {id}: a long help (its doc comment has two paragraphs)"
                        );
                        arg_key(name, id).unwrap_or_else(|| panic!("{name} {id}: no key in ARGS"))
                    }
                };
                assert_eq!(
                    get(Lang::En, key),
                    text(arg.get_help()),
                    "{name} {id}: {key}"
                );
                checked += 1;
                for v in arg.get_possible_values() {
                    let (_, key) = VALUES
                        .iter()
                        .find(|(n, _)| *n == v.get_name())
                        .unwrap_or_else(|| panic!("value `{}` has no key in VALUES", v.get_name()));
                    assert_eq!(get(Lang::En, key), text(v.get_help()), "{key}");
                }
            }
        }
        assert!(checked > 50, "{checked} arguments checked");
    }

    #[test]
    fn english_is_left_as_clap_writes_it() {
        let english = || super::super::Cli::command();
        let mut asked = localize(english(), Lang::En);
        let mut plain = english();
        assert_eq!(
            asked.render_long_help().to_string(),
            plain.render_long_help().to_string()
        );
        let mut chinese = localize(english(), Lang::Zh);
        let shown = chinese.render_long_help().to_string();
        assert!(shown.contains("用法："), "{shown}");
    }
}
