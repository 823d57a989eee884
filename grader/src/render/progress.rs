//! The one progress reporter of every command that grades: `grade`, watch
//! mode, `selfcheck` and `batch` feed it the pipeline's [`Progress`] (the
//! build, then the runner's started, slow and finished [`Event`]s), and it
//! draws on stderr: a bar on a terminal, nothing or plain lines elsewhere.
//!
//! Two shapes: [`Reporter::grading`] for one grading (a spinner with the
//! tests done and the test last finished), [`Reporter::items`] for many
//! gradings (a bar over the students or the self-check's submissions, an
//! ETA, and what the gradings under way are doing).
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::pipeline::Progress;
use crate::runner::Event;
use crate::text::{self, Lang};

/// Progress on stderr.
pub struct Reporter {
    bar: Option<ProgressBar>,
    /// Many gradings: the bar counts them, and gradings are named.
    items: bool,
    /// The language of its messages.
    lang: Lang,
}

impl Reporter {
    /// The reporter of one grading: a spinner on a terminal, hidden
    /// elsewhere.
    pub fn grading() -> Reporter {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Reporter {
            bar,
            items: false,
            lang: Lang::from_env(),
        }
    }

    /// This reporter speaking `lang` (the locale's language otherwise).
    pub fn in_lang(mut self, lang: Lang) -> Reporter {
        self.lang = lang;
        self
    }

    /// The reporter of `total` gradings of `unit` (a word in `lang`,
    /// `progress-unit-students`, or `""`): a bar with an ETA on a
    /// terminal, plain lines elsewhere, in `lang`.
    pub fn items(total: usize, unit: &str, lang: Lang) -> Reporter {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total as u64);
            let unit = if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            };
            let eta = text::get(lang, "progress-eta")
                .replace('{', "{{")
                .replace('}', "}}");
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{bar:30}} {{pos}}/{{len}}{unit} · {eta} {{eta}} · {{wide_msg}}"
                ))
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Reporter {
            bar,
            items: true,
            lang,
        }
    }

    /// Whether progress is drawn (stderr is a terminal).
    pub fn is_drawn(&self) -> bool {
        self.bar.is_some()
    }

    /// Shows what a grading reports; `who` names it among many (the
    /// student, the submission), `None` for the only one.
    pub fn progress(&self, who: Option<&str>, p: Progress<'_>) {
        let Some(bar) = &self.bar else { return };
        if !self.items {
            match p {
                Progress::Testing(n) => {
                    bar.set_length(n as u64);
                    bar.set_position(0);
                    let grading = text::get(self.lang, "progress-grading")
                        .replace('{', "{{")
                        .replace('}', "}}");
                    bar.set_style(
                        ProgressStyle::with_template(&format!(
                            "{{spinner}} {grading} {{pos}}/{{len}} {{wide_msg}}"
                        ))
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    );
                }
                Progress::Test(Event::Finished { done, .. }) => bar.set_position(done as u64),
                _ => {}
            }
        }
        if let Some(text) = message(who, p, self.lang) {
            bar.set_message(text);
        }
    }

    /// One grading of many started.
    pub fn item_started(&self, label: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(label.to_string());
        }
    }

    /// One grading of many finished: `done` of `total` so far. An instant
    /// one (`skipped`, not graded again) says nothing of how long the next
    /// takes, and is left out of the ETA.
    pub fn item_done(&self, done: usize, total: usize, skipped: bool) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            if skipped {
                bar.reset_eta();
            }
        }
    }

    /// A line the user keeps: above the bar on a terminal, on stderr
    /// elsewhere.
    pub fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    /// A line only where no bar is drawn (the bar says it otherwise).
    pub fn plain_line(&self, text: &str) {
        if self.bar.is_none() {
            eprintln!("{text}");
        }
    }

    /// Clears the bar: what follows is the report.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The bar's message for `p` (of the grading `who`, when named) in
/// `lang`; `None` leaves the message as it is.
pub fn message(who: Option<&str>, p: Progress<'_>, lang: Lang) -> Option<String> {
    let of = |key: &str, args: &[(&str, text::Arg)]| {
        let said = text::fmt(lang, key, args);
        match who {
            Some(who) => text::fmt(
                lang,
                "progress-of",
                &[("who", who.into()), ("what", said.into())],
            ),
            None => said,
        }
    };
    let text = match (who, p) {
        (None, Progress::Building(n)) => {
            text::fmt(lang, "progress-building-crates", &[("count", n.into())])
        }
        (Some(_), Progress::Building(n)) => of("progress-building", &[("count", n.into())]),
        (None, Progress::Testing(_)) => return None,
        (Some(_), Progress::Testing(n)) => of(
            "progress-testing",
            &[("done", 0.into()), ("total", n.into())],
        ),
        (_, Progress::Test(Event::Started { .. })) => return None,
        (
            _,
            Progress::Test(Event::Slow {
                exercise,
                test,
                limit,
            }),
        ) => of(
            "progress-slow",
            &[
                ("test", format!("{exercise}::{test}").into()),
                ("secs", limit.as_secs().into()),
            ],
        ),
        (None, Progress::Test(Event::Finished { exercise, test, .. })) => {
            format!("{exercise}::{test}")
        }
        (Some(_), Progress::Test(Event::Finished { done, total, .. })) => of(
            "progress-testing",
            &[("done", done.into()), ("total", total.into())],
        ),
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(done: usize) -> Progress<'static> {
        Progress::Test(Event::Finished {
            exercise: "tcp_echo",
            test: "echoes_a_line",
            passed: true,
            done,
            total: 9,
        })
    }

    #[test]
    fn one_grading_names_the_test_last_finished() {
        assert_eq!(
            message(None, Progress::Building(3), Lang::En).unwrap(),
            "building 3 exercise crates…"
        );
        assert_eq!(message(None, Progress::Testing(9), Lang::En), None);
        assert_eq!(
            message(None, finished(4), Lang::En).unwrap(),
            "tcp_echo::echoes_a_line"
        );
    }

    #[test]
    fn many_gradings_name_the_grading_and_count_its_tests() {
        assert_eq!(
            message(Some("ada"), Progress::Building(2), Lang::En).unwrap(),
            "ada: building 2 exercises"
        );
        assert_eq!(
            message(Some("ada"), Progress::Testing(9), Lang::En).unwrap(),
            "ada: testing 0/9"
        );
        assert_eq!(
            message(Some("ada"), finished(4), Lang::En).unwrap(),
            "ada: testing 4/9"
        );
    }

    #[test]
    fn a_slow_test_is_named_with_its_limit() {
        let slow = Progress::Test(Event::Slow {
            exercise: "tcp_echo",
            test: "many_clients",
            limit: Duration::from_secs(20),
        });
        assert_eq!(
            message(Some("ada"), slow, Lang::En).unwrap(),
            "ada: tcp_echo::many_clients is slow (its limit is 20 s)"
        );
        assert_eq!(
            message(None, slow, Lang::Zh).unwrap(),
            "tcp_echo::many_clients 很慢（它的时限是 20 秒）"
        );
        assert_eq!(
            message(Some("ada"), Progress::Building(2), Lang::Zh).unwrap(),
            "ada：正在编译 2 个练习"
        );
        let started = Progress::Test(Event::Started {
            exercise: "tcp_echo",
            test: "many_clients",
        });
        assert_eq!(message(None, started, Lang::En), None);
    }
}
