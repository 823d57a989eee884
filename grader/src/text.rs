//! The one place the grader's fixed sentences for people come from: Fluent
//! catalogs (`grader/i18n/<lang>/*.ftl`, compiled into the binary), one
//! per language, with the same keys. [`get`] and [`fmt`] look a sentence up
//! by its key in a [`Lang`]; [`Phrase`] is a sentence kept as a key and
//! typed arguments until it is shown (a suite's note, a failure's
//! property), so that one failure reads in either language.
//!
//! Arguments are inserted as they are given: callers escape program output
//! and quote names exactly as before (`escape_bytes`, backticks), and the
//! catalogs never add Unicode isolation marks around them.
use std::fmt;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language the grader speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    /// English: the machine formats' language unless told another.
    #[default]
    En,
    /// Simplified Chinese, in the terms of the exercises' `README.zh.md`.
    Zh,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The language's code, as `--lang` takes it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language `--lang CODE` names.
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The language of the locale in these variables (read with `var`, as
    /// the C library does: the first of `LC_ALL`, `LC_MESSAGES` and `LANG`
    /// that is set and not empty decides): Chinese when it starts with
    /// `zh`, English otherwise.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| var(name))
            .find(|value| !value.is_empty());
        match locale {
            Some(value) if value.starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// The language of this process's locale ([`Lang::from_locale`]).
    pub fn from_env() -> Lang {
        Lang::from_locale(|name| std::env::var(name).ok())
    }
}

/// The catalog files of each language: name and text. Each suite has a
/// file of its own (`suites/<exercise>.ftl`); a test checks that every file
/// under `grader/i18n/` is listed here.
const CATALOGS: [(Lang, &[(&str, &str)]); 2] = [
    (
        Lang::En,
        &[
            ("feedback.ftl", include_str!("../i18n/en/feedback.ftl")),
            ("report.ftl", include_str!("../i18n/en/report.ftl")),
            ("commands.ftl", include_str!("../i18n/en/commands.ftl")),
            ("cli.ftl", include_str!("../i18n/en/cli.ftl")),
            ("batch.ftl", include_str!("../i18n/en/batch.ftl")),
            ("instructor.ftl", include_str!("../i18n/en/instructor.ftl")),
            ("harness.ftl", include_str!("../i18n/en/harness.ftl")),
            (
                "suites/bracket_check.ftl",
                include_str!("../i18n/en/suites/bracket_check.ftl"),
            ),
            (
                "suites/broadcast.ftl",
                include_str!("../i18n/en/suites/broadcast.ftl"),
            ),
            (
                "suites/chat_server.ftl",
                include_str!("../i18n/en/suites/chat_server.ftl"),
            ),
            (
                "suites/copy_dir.ftl",
                include_str!("../i18n/en/suites/copy_dir.ftl"),
            ),
            (
                "suites/copy_file.ftl",
                include_str!("../i18n/en/suites/copy_file.ftl"),
            ),
            (
                "suites/dict_lookup.ftl",
                include_str!("../i18n/en/suites/dict_lookup.ftl"),
            ),
            (
                "suites/file_upload.ftl",
                include_str!("../i18n/en/suites/file_upload.ftl"),
            ),
            (
                "suites/hole_file.ftl",
                include_str!("../i18n/en/suites/hole_file.ftl"),
            ),
            (
                "suites/http_get.ftl",
                include_str!("../i18n/en/suites/http_get.ftl"),
            ),
            (
                "suites/http_server.ftl",
                include_str!("../i18n/en/suites/http_server.ftl"),
            ),
            (
                "suites/line_upper.ftl",
                include_str!("../i18n/en/suites/line_upper.ftl"),
            ),
            (
                "suites/poll_echo.ftl",
                include_str!("../i18n/en/suites/poll_echo.ftl"),
            ),
            (
                "suites/students.ftl",
                include_str!("../i18n/en/suites/students.ftl"),
            ),
            (
                "suites/talk_split.ftl",
                include_str!("../i18n/en/suites/talk_split.ftl"),
            ),
            (
                "suites/tcp_client.ftl",
                include_str!("../i18n/en/suites/tcp_client.ftl"),
            ),
            (
                "suites/tcp_echo.ftl",
                include_str!("../i18n/en/suites/tcp_echo.ftl"),
            ),
            (
                "suites/timeout_probe.ftl",
                include_str!("../i18n/en/suites/timeout_probe.ftl"),
            ),
            (
                "suites/udp_echo.ftl",
                include_str!("../i18n/en/suites/udp_echo.ftl"),
            ),
            (
                "suites/unix_echo.ftl",
                include_str!("../i18n/en/suites/unix_echo.ftl"),
            ),
        ],
    ),
    (
        Lang::Zh,
        &[
            ("feedback.ftl", include_str!("../i18n/zh/feedback.ftl")),
            ("report.ftl", include_str!("../i18n/zh/report.ftl")),
            ("commands.ftl", include_str!("../i18n/zh/commands.ftl")),
            ("cli.ftl", include_str!("../i18n/zh/cli.ftl")),
            ("batch.ftl", include_str!("../i18n/zh/batch.ftl")),
            ("instructor.ftl", include_str!("../i18n/zh/instructor.ftl")),
            ("harness.ftl", include_str!("../i18n/zh/harness.ftl")),
            (
                "suites/bracket_check.ftl",
                include_str!("../i18n/zh/suites/bracket_check.ftl"),
            ),
            (
                "suites/broadcast.ftl",
                include_str!("../i18n/zh/suites/broadcast.ftl"),
            ),
            (
                "suites/chat_server.ftl",
                include_str!("../i18n/zh/suites/chat_server.ftl"),
            ),
            (
                "suites/copy_dir.ftl",
                include_str!("../i18n/zh/suites/copy_dir.ftl"),
            ),
            (
                "suites/copy_file.ftl",
                include_str!("../i18n/zh/suites/copy_file.ftl"),
            ),
            (
                "suites/dict_lookup.ftl",
                include_str!("../i18n/zh/suites/dict_lookup.ftl"),
            ),
            (
                "suites/file_upload.ftl",
                include_str!("../i18n/zh/suites/file_upload.ftl"),
            ),
            (
                "suites/hole_file.ftl",
                include_str!("../i18n/zh/suites/hole_file.ftl"),
            ),
            (
                "suites/http_get.ftl",
                include_str!("../i18n/zh/suites/http_get.ftl"),
            ),
            (
                "suites/http_server.ftl",
                include_str!("../i18n/zh/suites/http_server.ftl"),
            ),
            (
                "suites/line_upper.ftl",
                include_str!("../i18n/zh/suites/line_upper.ftl"),
            ),
            (
                "suites/poll_echo.ftl",
                include_str!("../i18n/zh/suites/poll_echo.ftl"),
            ),
            (
                "suites/students.ftl",
                include_str!("../i18n/zh/suites/students.ftl"),
            ),
            (
                "suites/talk_split.ftl",
                include_str!("../i18n/zh/suites/talk_split.ftl"),
            ),
            (
                "suites/tcp_client.ftl",
                include_str!("../i18n/zh/suites/tcp_client.ftl"),
            ),
            (
                "suites/tcp_echo.ftl",
                include_str!("../i18n/zh/suites/tcp_echo.ftl"),
            ),
            (
                "suites/timeout_probe.ftl",
                include_str!("../i18n/zh/suites/timeout_probe.ftl"),
            ),
            (
                "suites/udp_echo.ftl",
                include_str!("../i18n/zh/suites/udp_echo.ftl"),
            ),
            (
                "suites/unix_echo.ftl",
                include_str!("../i18n/zh/suites/unix_echo.ftl"),
            ),
        ],
    ),
];

/// The catalog files of `lang`: name and text.
pub fn catalog_files(lang: Lang) -> &'static [(&'static str, &'static str)] {
    CATALOGS
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, files)| *files)
        .unwrap_or(&[])
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| Lang::ALL.iter().map(|l| build(*l)).collect());
    &bundles[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)]
}

fn build(lang: Lang) -> FluentBundle<FluentResource> {
    let id = lang
        .code()
        .parse()
        .expect("a language code is a language identifier");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    for (name, source) in catalog_files(lang) {
        // The catalogs are compiled in and checked by this module's tests:
        // a syntax error or a key given twice is a bug of the grader.
        let resource = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, e)| panic!("i18n/{}/{name}: {e:?}", lang.code()));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|e| panic!("i18n/{}/{name}: {e:?}", lang.code()));
    }
    bundle
}

/// An argument of a sentence: text inserted as it is, a number, or a
/// quantity written the reader's way.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arg {
    /// Text (already escaped and quoted as the sentence needs).
    Text(String),
    /// A whole number.
    Number(i64),
    /// A byte count ([`size`]).
    Bytes(u64),
    /// A duration ([`secs`]).
    Seconds(std::time::Duration),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Number(n as i64)
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize);

/// Seconds, as people read them.
pub fn secs(lang: Lang, d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    let shown = if s >= 10.0 || s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    };
    fmt(lang, "seconds", &[("n", Arg::Text(shown))])
}

/// A byte count, as people read it.
pub fn size(lang: Lang, n: u64) -> String {
    const MIB: u64 = 1 << 20;
    const KIB: u64 = 1 << 10;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= KIB && n % KIB == 0 {
        format!("{} KiB", n / KIB)
    } else {
        fmt(lang, "bytes", &[("n", Arg::Number(n as i64))])
    }
}

/// The name `name` as the catalogs spell it, borrowed from the compiled-in
/// English catalogs: a message key (`dict-looking-up`) or a variable
/// (`word`); `None` when no catalog has it. How a sentence read back from
/// the result cache gets its `&'static str` names again.
pub fn catalog_name(name: &str) -> Option<&'static str> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    for (_, source) in catalog_files(Lang::En) {
        for line in source.lines() {
            if let Some((key, _)) = line.split_once(" =") {
                if key == name && key.chars().all(is_name) {
                    return Some(key);
                }
            }
            for (at, _) in line.match_indices('$') {
                let rest = &line[at + 1..];
                let end = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
                if &rest[..end] == name {
                    return Some(&rest[..end]);
                }
            }
        }
    }
    None
}

/// The sentence `key` of `lang` with no arguments.
pub fn get(lang: Lang, key: &str) -> String {
    fmt(lang, key, &[])
}

/// The sentence `key` of `lang` with these arguments. A key the catalog
/// lacks comes out as the key itself (the tests keep that from happening).
pub fn fmt(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, arg) in args {
        match arg {
            Arg::Text(s) => fluent_args.set(*name, FluentValue::from(s.as_str())),
            Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            Arg::Bytes(n) => fluent_args.set(*name, FluentValue::from(size(lang, *n))),
            Arg::Seconds(d) => fluent_args.set(*name, FluentValue::from(secs(lang, *d))),
        }
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// A sentence kept as its catalog key and typed arguments until it is
/// shown, in whichever language the reader has: a suite's note, a
/// failure's property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// The catalog key.
    pub key: &'static str,
    /// The arguments, by name.
    pub args: Vec<(&'static str, Arg)>,
}

impl Phrase {
    /// The sentence `key`, without arguments yet.
    pub fn new(key: &'static str) -> Phrase {
        Phrase {
            key,
            args: Vec::new(),
        }
    }

    /// Adds the argument `name`.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Phrase {
        self.args.push((name, value.into()));
        self
    }

    /// The sentence in `lang`.
    pub fn show(&self, lang: Lang) -> String {
        let args: Vec<(&str, Arg)> = self.args.iter().map(|(n, a)| (*n, a.clone())).collect();
        fmt(lang, self.key, &args)
    }

    /// The sentence in `lang` with each text argument shown as [`DATA`]:
    /// its own words only, when its text arguments are data (a file's name,
    /// a line a program sent), as the leak check reads them.
    pub fn words(&self, lang: Lang) -> String {
        let args: Vec<(&str, Arg)> = self
            .args
            .iter()
            .map(|(n, a)| match a {
                Arg::Text(_) => (*n, Arg::from(DATA)),
                other => (*n, other.clone()),
            })
            .collect();
        fmt(lang, self.key, &args)
    }
}

/// What stands for a piece of data in [`Phrase::words`]: a code span,
/// which the leak check never reads as words.
pub const DATA: &str = "`…`";

/// A [`Phrase`] as the result cache keeps it: its key and typed arguments.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct KeptPhrase {
    key: String,
    args: Vec<(String, Arg)>,
}

impl From<&Phrase> for KeptPhrase {
    fn from(p: &Phrase) -> KeptPhrase {
        KeptPhrase {
            key: p.key.to_string(),
            args: p
                .args
                .iter()
                .map(|(n, a)| (n.to_string(), a.clone()))
                .collect(),
        }
    }
}

impl TryFrom<KeptPhrase> for Phrase {
    type Error = String;
    /// The phrase again; a key or an argument no catalog knows (a result
    /// kept by another grader) is an error.
    fn try_from(k: KeptPhrase) -> Result<Phrase, String> {
        let unknown = |n: &str| format!("`{n}` is in no catalog");
        let key = catalog_name(&k.key).ok_or_else(|| unknown(&k.key))?;
        let mut phrase = Phrase::new(key);
        for (name, arg) in k.args {
            phrase = phrase.arg(catalog_name(&name).ok_or_else(|| unknown(&name))?, arg);
        }
        Ok(phrase)
    }
}

impl fmt::Display for Phrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.show(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_picks_chinese_only_for_zh() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_locale(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(Lang::from_locale(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_locale(env(&[])), Lang::En);
        // LC_ALL wins over LANG; an empty one does not count.
        assert_eq!(
            Lang::from_locale(env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_locale(env(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_TW.UTF-8")])),
            Lang::Zh
        );
    }

    #[test]
    fn arguments_are_inserted_as_given() {
        let shown = fmt(
            Lang::En,
            "wrong-exit-code",
            &[("expected", 1.into()), ("actual", Arg::from(-1))],
        );
        assert_eq!(shown, "exit code -1, expected 1");
        assert_eq!(
            fmt(
                Lang::Zh,
                "wrong-exit-code",
                &[("expected", 1.into()), ("actual", 2.into())]
            ),
            "退出码为 2，应为 1"
        );
    }

    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    /// Each key of `lang`'s catalogs with the variables its sentence uses.
    fn keys(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
        let mut out = BTreeMap::new();
        for (name, source) in catalog_files(lang) {
            let resource = FluentResource::try_new(source.to_string())
                .unwrap_or_else(|(_, e)| panic!("i18n/{}/{name}: {e:?}", lang.code()));
            for entry in resource.entries() {
                if let ast::Entry::Message(m) = entry {
                    let mut vars = BTreeSet::new();
                    if let Some(p) = &m.value {
                        pattern_vars(p, &mut vars);
                    }
                    let key = m.id.name.to_string();
                    assert!(
                        out.insert(key.clone(), vars).is_none(),
                        "i18n/{}: `{key}` is given twice",
                        lang.code()
                    );
                }
            }
        }
        out
    }

    fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
        for element in &p.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_vars(expression, vars);
            }
        }
    }

    fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Select { selector, variants } => {
                inline_vars(selector, vars);
                for v in variants {
                    pattern_vars(&v.value, vars);
                }
            }
            ast::Expression::Inline(inline) => inline_vars(inline, vars),
        }
    }

    fn inline_vars(e: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
        match e {
            ast::InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_string());
            }
            ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
            _ => {}
        }
    }

    /// The grader's sources, but for this module's tests.
    fn sources() -> String {
        fn walk(dir: &std::path::Path, out: &mut String) {
            let mut entries: Vec<_> = std::fs::read_dir(dir)
                .expect("reading grader/src")
                .map(|e| e.expect("a directory entry").path())
                .collect();
            entries.sort();
            for path in entries {
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("reading a source file");
                    // This file's tests name keys too; they do not count as uses.
                    let text = match path.ends_with("src/text.rs") {
                        true => text[..text.find("#[cfg(test)]").unwrap_or(text.len())].to_string(),
                        false => text,
                    };
                    out.push_str(&text);
                }
            }
        }
        let mut out = String::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut out,
        );
        out
    }

    #[test]
    fn every_key_is_in_every_language_with_the_same_arguments() {
        let english = keys(Lang::En);
        assert!(english.len() > 100, "{} keys", english.len());
        for lang in Lang::ALL {
            let other = keys(lang);
            let missing: Vec<&String> =
                english.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<&String> = other.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}: keys missing {missing:?}, keys only there {extra:?}",
                lang.code()
            );
            for (key, vars) in &english {
                assert_eq!(
                    &other[key],
                    vars,
                    "{}: `{key}` takes other arguments than in English",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn every_catalog_file_is_compiled_in() {
        fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut BTreeSet<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, base, out);
                } else if path.extension().is_some_and(|e| e == "ftl") {
                    let rel = path.strip_prefix(base).unwrap();
                    out.insert(rel.to_string_lossy().into_owned());
                }
            }
        }
        for lang in Lang::ALL {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("i18n")
                .join(lang.code());
            let mut on_disk = BTreeSet::new();
            walk(&dir, &dir, &mut on_disk);
            let listed: BTreeSet<String> = catalog_files(lang)
                .iter()
                .map(|(n, _)| n.to_string())
                .collect();
            assert_eq!(
                on_disk,
                listed,
                "{}: catalog files on disk vs compiled in",
                lang.code()
            );
        }
    }

    #[test]
    fn every_key_is_used_by_the_code() {
        let code = sources();
        // Every `"word"` of the code whose characters could make a key, in
        // one pass: a search of the whole code for each key took seconds.
        let key_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        let quoted: BTreeSet<&str> = code
            .match_indices('"')
            .filter_map(|(at, _)| {
                let rest = &code[at + 1..];
                let end = rest.find(|c: char| !key_char(c))?;
                rest[end..].starts_with('"').then(|| &rest[..end])
            })
            .collect();
        let unused: Vec<String> = keys(Lang::En)
            .into_keys()
            .filter(|k| {
                assert!(k.chars().all(key_char), "a key of other characters: {k}");
                !quoted.contains(k.as_str())
            })
            .collect();
        assert!(unused.is_empty(), "catalog keys no code uses: {unused:?}");
    }

    #[test]
    fn every_key_the_code_names_is_in_the_catalogs() {
        let code = sources();
        let known = keys(Lang::En);
        let mut named = BTreeSet::new();
        // `get(lang, "key")`, `fmt(lang, "key", …)` however rustfmt wraps
        // them, and the phrase constructors.
        let calls = [
            ("get(", "lang"),
            ("fmt(", "lang"),
            ("fmt(", "opts.lang"),
            ("fmt(", "self.opts.lang"),
            ("fmt(", "state.opts.lang"),
            ("fmt(", "human.lang"),
            ("get(", "self.opts.lang"),
            ("get(", "state.opts.lang"),
            ("Phrase::new(", ""),
            ("say(", ""),
            ("Sentence::template(", ""),
        ];
        for (call, first) in calls {
            for (at, _) in code.match_indices(call) {
                let mut rest = code[at + call.len()..].trim_start();
                if !first.is_empty() {
                    let Some(after) = rest.strip_prefix(first) else {
                        continue;
                    };
                    let Some(after) = after.trim_start().strip_prefix(',') else {
                        continue;
                    };
                    rest = after.trim_start();
                }
                let Some(rest) = rest.strip_prefix('"') else {
                    continue;
                };
                if let Some(end) = rest.find('"') {
                    named.insert(rest[..end].to_string());
                }
            }
        }
        assert!(named.len() > 50, "{} keys found in the code", named.len());
        let unknown: Vec<&String> = named.iter().filter(|k| !known.contains_key(*k)).collect();
        assert!(unknown.is_empty(), "keys the catalogs lack: {unknown:?}");
    }

    #[test]
    fn no_chinese_sentence_has_an_english_one_in_it() {
        // Every sentence of the Chinese catalogs, its arguments filled
        // with a number, passes the leak check (`crate::leak`).
        let bundle = bundle(Lang::Zh);
        let mut leaks = Vec::new();
        for (key, vars) in keys(Lang::Zh) {
            let mut args = FluentArgs::new();
            for v in &vars {
                args.set(v.clone(), FluentValue::from(2));
            }
            let Some(pattern) = bundle.get_message(&key).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let shown = bundle.format_pattern(pattern, Some(&args), &mut errors);
            if let Some(words) = crate::leak::english_run(&shown) {
                leaks.push(format!("{key}: `{words}` in {shown:?}"));
            }
        }
        assert!(
            leaks.is_empty(),
            "English in the Chinese catalogs: {leaks:#?}"
        );
    }

    #[test]
    fn every_sentence_formats_without_errors_in_every_language() {
        for lang in Lang::ALL {
            let bundle = bundle(lang);
            for (key, vars) in keys(lang) {
                let mut args = FluentArgs::new();
                for v in &vars {
                    args.set(v.clone(), FluentValue::from(2));
                }
                let pattern = bundle
                    .get_message(&key)
                    .and_then(|m| m.value())
                    .unwrap_or_else(|| panic!("{}: `{key}` has no value", lang.code()));
                let mut errors = Vec::new();
                let shown = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{}: `{key}`: {errors:?}", lang.code());
                assert!(
                    !shown.trim().is_empty(),
                    "{}: `{key}` is empty",
                    lang.code()
                );
            }
        }
    }
}
