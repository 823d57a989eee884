//! The sandbox's layers: which are in force and why the others are not
//! (`grader doctor`, `--sandbox strict`).
use crate::model::Sentence;
use crate::text::{self, Lang, Phrase};

/// Whether a layer is on, and why not when it is not: a catalog sentence
/// (what a probe of the kernel said stays as it is, as data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layer {
    /// In force; what it does.
    Active(Sentence),
    /// Not available here; the reason.
    Unavailable(Sentence),
}

impl Layer {
    /// True when in force.
    pub fn is_active(&self) -> bool {
        matches!(self, Layer::Active(_))
    }

    /// The explanation, in English (the JSON report's `detail`).
    pub fn detail(&self) -> &str {
        self.sentence().english()
    }

    /// The explanation in `lang`.
    pub fn detail_in(&self, lang: Lang) -> String {
        self.sentence().show(lang)
    }

    fn sentence(&self) -> &Sentence {
        match self {
            Layer::Active(s) | Layer::Unavailable(s) => s,
        }
    }

    /// In force, as the catalog sentence `key` says.
    pub fn active(phrase: Phrase) -> Layer {
        Layer::Active(phrase.into())
    }

    /// Not available, as the catalog sentence `key` says.
    pub fn unavailable(phrase: Phrase) -> Layer {
        Layer::Unavailable(phrase.into())
    }
}

/// The layers in force for this run.
#[derive(Debug, Clone)]
pub struct Status {
    /// Resource limits, own process group, cleared environment, subreaper.
    pub limits: Layer,
    /// A bound on the number of processes.
    pub processes: Layer,
    /// The private network namespace.
    pub network: Layer,
    /// Landlock file and exec rules.
    pub filesystem: Layer,
    /// Each test in its own PID namespace with its own `/proc`, and in its
    /// own network namespace.
    pub isolation: Layer,
}

impl Status {
    /// The layers, named, in order.
    pub fn layers(&self) -> [(&'static str, &Layer); 5] {
        [
            ("limits", &self.limits),
            ("processes", &self.processes),
            ("network", &self.network),
            ("filesystem", &self.filesystem),
            ("isolation", &self.isolation),
        ]
    }

    /// True when every layer is in force.
    pub fn all_active(&self) -> bool {
        self.layers().iter().all(|(_, l)| l.is_active())
    }

    /// One line naming the active layers and the missing ones, in `lang`
    /// (the layers' names and reasons as they are).
    pub fn summary(&self, lang: Lang) -> String {
        let on: Vec<&str> = self
            .layers()
            .iter()
            .filter(|(_, l)| l.is_active())
            .map(|(n, _)| *n)
            .collect();
        let off: Vec<String> = self
            .layers()
            .iter()
            .filter(|(_, l)| !l.is_active())
            .map(|(n, l)| {
                text::fmt(
                    lang,
                    "sandbox-unavailable-layer",
                    &[("name", (*n).into()), ("reason", l.detail_in(lang).into())],
                )
            })
            .collect();
        if off.is_empty() {
            text::fmt(
                lang,
                "sandbox-all-active",
                &[("layers", on.join(", ").into())],
            )
        } else {
            let active = if on.is_empty() {
                text::get(lang, "sandbox-no-layer")
            } else {
                on.join(", ")
            };
            text::fmt(
                lang,
                "sandbox-some-unavailable",
                &[
                    ("active", active.into()),
                    (
                        "unavailable",
                        off.join(&text::get(lang, "sandbox-separator")).into(),
                    ),
                ],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(network: Layer) -> Status {
        let on = || Layer::active(Phrase::new("sandbox-network-on"));
        Status {
            limits: on(),
            processes: on(),
            network,
            filesystem: on(),
            isolation: on(),
        }
    }

    #[test]
    fn every_layer_on_is_said_in_one_line() {
        let all = status(Layer::active(Phrase::new("sandbox-network-on")));
        assert!(all.all_active());
        assert_eq!(
            all.summary(Lang::En),
            "sandbox: all layers active (limits, processes, network, filesystem, isolation)"
        );
    }

    #[test]
    fn a_missing_layer_is_named_with_its_reason() {
        let some = status(Layer::unavailable(Phrase::new("sandbox-turned-off")));
        assert!(!some.all_active());
        assert_eq!(
            some.summary(Lang::En),
            "sandbox: active: limits, processes, filesystem, isolation; unavailable: network (turned off)"
        );
        let off = || Layer::Unavailable(Sentence::plain("no"));
        let none = Status {
            limits: off(),
            processes: off(),
            network: off(),
            filesystem: off(),
            isolation: off(),
        };
        assert!(none
            .summary(Lang::En)
            .starts_with("sandbox: active: none; unavailable: limits (no); "));
        // In Chinese, the layers' names as they are (they are the names
        // `--sandbox` and the JSON report use), the reasons in Chinese.
        assert_eq!(
            some.summary(Lang::Zh),
            "沙箱：已启用：limits, processes, filesystem, isolation；不可用：network（已关闭）"
        );
        assert!(none
            .summary(Lang::Zh)
            .starts_with("沙箱：已启用：无；不可用：limits（no）；processes（no）；"));
        assert_eq!(
            status(Layer::active(Phrase::new("sandbox-network-on"))).summary(Lang::Zh),
            "沙箱：所有层都已启用（limits, processes, network, filesystem, isolation）"
        );
    }
}
