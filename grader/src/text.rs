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

/// The catalog files of each language: name and text.
const CATALOGS: [(Lang, &[(&str, &str)]); 2] = [
    (
        Lang::En,
        &[
            ("feedback.ftl", include_str!("../i18n/en/feedback.ftl")),
            ("report.ftl", include_str!("../i18n/en/report.ftl")),
            ("commands.ftl", include_str!("../i18n/en/commands.ftl")),
            ("suites.ftl", include_str!("../i18n/en/suites.ftl")),
        ],
    ),
    (
        Lang::Zh,
        &[
            ("feedback.ftl", include_str!("../i18n/zh/feedback.ftl")),
            ("report.ftl", include_str!("../i18n/zh/report.ftl")),
            ("commands.ftl", include_str!("../i18n/zh/commands.ftl")),
            ("suites.ftl", include_str!("../i18n/zh/suites.ftl")),
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
            fmt(Lang::Zh, "wrong-exit-code", &[("expected", 1.into()), ("actual", 2.into())]),
            "退出码为 2，应为 1"
        );
    }
}
