//! The current exercise, expanded: its title and where its contract is,
//! then why it is not done (no crate, no build, or its first failing
//! test's whole feedback and the other failing tests in a line each), then
//! the next step; in the screen rows it is given.
use super::fit::{cut_columns, fit, rows};
use super::{counted, passed, test_head, FocusOptions, Standing};
use crate::model::Visibility;
use crate::render::feedback;
use crate::report::{ExerciseReport, Report, Status, TestReport};
use crate::text::{self, Lang};

/// What the parts of the expanded exercise share.
struct Current<'a> {
    ex: &'a ExerciseReport,
    opts: &'a FocusOptions<'a>,
    /// The submission, as the report names it.
    submission: &'a str,
    /// `cargo grade --only NAME`, for the lines left out.
    only: String,
    /// `cargo hint NAME`.
    hint: String,
    /// The next step's label, painted.
    next_label: String,
}

/// The expanded exercise, in at most `budget` screen rows (never fewer
/// than its title, the README, the first failure's first line and the next
/// step).
pub(super) fn expand(
    report: &Report,
    ex: &ExerciseReport,
    opts: &FocusOptions,
    budget: usize,
    out: &mut Vec<String>,
) {
    let current = Current {
        ex,
        opts,
        submission: &report.submission,
        only: format!("`cargo grade --only {}`", ex.name),
        hint: format!("`cargo hint {}`", ex.name),
        next_label: opts.paint.bold(&text::get(opts.lang, "focus-next")),
    };
    let width = opts.width;
    let title = current.title();
    let contract = current.contract();
    let room = budget.saturating_sub(rows(&title, width) + rows(&contract, width) + 1);
    out.push(title);
    out.push(contract);
    match Standing::of(ex) {
        Standing::Missing => current.missing(out),
        Standing::BuildFailed => current.build_failed(room, out),
        _ => current.failing(room, out),
    }
}

impl Current<'_> {
    fn say(&self, key: &str) -> String {
        text::get(self.opts.lang, key)
    }

    /// "… more lines: `cargo grade --only NAME`".
    fn more_lines(&self, left: usize) -> String {
        text::fmt(
            self.opts.lang,
            "focus-more-lines",
            &[
                ("count", left.into()),
                ("command", self.only.as_str().into()),
            ],
        )
    }

    /// The exercise's name, title and state.
    fn title(&self) -> String {
        let (ex, p, lang) = (self.ex, self.opts.paint, self.opts.lang);
        let state = match Standing::of(ex) {
            Standing::BuildFailed => self.say("standing-build-failed"),
            Standing::Missing => self.say("standing-missing"),
            _ => text::fmt(
                lang,
                "focus-state",
                &[
                    ("score", ex.score.into()),
                    ("max", ex.max_score.into()),
                    ("passed", passed(ex).into()),
                    ("total", counted(ex).into()),
                ],
            ),
        };
        let ex_title = match lang {
            Lang::Zh if !ex.title_zh.is_empty() => &ex.title_zh,
            _ => &ex.title,
        };
        format!(
            "{} {}: {} {}",
            p.bold("▶"),
            p.bold(&ex.name),
            ex_title,
            p.dim(&format!("— {state}"))
        )
    }

    /// Where the contract is: the README in the reader's language.
    fn contract(&self) -> String {
        let readme = match self.opts.lang {
            Lang::En => "README.md",
            Lang::Zh => "README.zh.md",
        };
        let readme = format!("{}/{}/{readme}", self.submission, self.ex.name);
        let label = self.opts.paint.dim(&self.say("focus-contract"));
        format!("  {label} {readme}")
    }

    /// The submission has no crate for the exercise.
    fn missing(&self, out: &mut Vec<String>) {
        let name = &self.ex.name;
        let missing = text::fmt(
            self.opts.lang,
            "focus-missing",
            &[
                ("name", name.as_str().into()),
                ("dir", format!("{}/{name}/", self.submission).into()),
            ],
        );
        out.push(format!("  {missing}"));
        let next = self.say("focus-missing-next");
        out.push(format!("  {} {next}", self.next_label));
    }

    /// The exercise did not compile: what the compiler said, in `room` rows.
    fn build_failed(&self, room: usize, out: &mut Vec<String>) {
        let lines: Vec<String> = self
            .ex
            .build_message
            .as_deref()
            .unwrap_or("")
            .lines()
            .map(|l| format!("    {l}"))
            .collect();
        let more = |left: usize| self.more_lines(left);
        fit(
            &lines,
            room.max(2),
            self.opts.width,
            &more,
            self.opts.paint,
            out,
        );
        let fix = text::fmt(
            self.opts.lang,
            "focus-fix-build",
            &[("hint", self.hint.as_str().into())],
        );
        out.push(format!("  {} {fix}", self.next_label));
    }

    /// Some test fails (or none: full marks): the first failing visible
    /// test's feedback, the others a line each, in `room` rows.
    fn failing(&self, mut room: usize, out: &mut Vec<String>) {
        let (p, lang, width) = (self.opts.paint, self.opts.lang, self.opts.width);
        let failing: Vec<&TestReport> = self
            .ex
            .tests
            .iter()
            .filter(|t| t.status == Status::Failed)
            .collect();
        let first = failing
            .iter()
            .position(|t| t.visibility == Visibility::Visible)
            .unwrap_or(0);
        let Some(lead) = failing.get(first) else {
            out.push(format!(
                "  {} {}",
                p.good(&self.say("focus-full-marks-label")),
                self.say("focus-full-marks")
            ));
            return;
        };
        let others: Vec<&TestReport> = failing
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != first)
            .map(|(_, t)| *t)
            .collect();
        let make_pass = text::fmt(
            lang,
            "focus-make-pass",
            &[
                ("test", lead.name.as_str().into()),
                ("hint", self.hint.as_str().into()),
            ],
        );
        let next = format!("  {} {make_pass}", self.next_label);
        // One row of the next step is counted already.
        let head = test_head(lead, p, lang);
        room = room.saturating_sub(rows(&head, width) + rows(&next, width) - 1);
        out.push(head);
        // The other tests keep a heading and up to four rows (the last may
        // say how many more there are); they get what the feedback leaves too.
        let for_others = if others.is_empty() {
            0
        } else {
            1 + others.len().min(4)
        };
        let used = self.lead_feedback(lead, room.saturating_sub(for_others).max(2), out);
        room = room.saturating_sub(used);
        if !others.is_empty() {
            self.others(&others, room.saturating_sub(1).max(1), out);
        }
        out.push(next);
    }

    /// The whole feedback of the test shown first, in at most `room` rows;
    /// returns the rows taken.
    fn lead_feedback(&self, lead: &TestReport, room: usize, out: &mut Vec<String>) -> usize {
        let (p, lang) = (self.opts.paint, self.opts.lang);
        let body = match &lead.failure {
            Some(f) => feedback::render(f, false, p, "      ", lang),
            // Redacted (a hidden test) or plain: the report's text.
            None => feedback::message(lead, lang)
                .lines()
                .map(|l| format!("      {l}\n"))
                .collect(),
        };
        let body: Vec<String> = body.lines().map(str::to_string).collect();
        let more = |left: usize| self.more_lines(left);
        fit(&body, room, self.opts.width, &more, p, out)
    }

    /// The other failing tests, a row each, under their heading, in at
    /// most `room` rows after it.
    fn others(&self, others: &[&TestReport], room: usize, out: &mut Vec<String>) {
        let (p, lang, width) = (self.opts.paint, self.opts.lang, self.opts.width);
        out.push(format!("  {}", p.dim(&self.say("focus-other-failing"))));
        let lines: Vec<String> = others
            .iter()
            .map(|t| {
                // One row each: the cause is cut to what the row leaves.
                let message = feedback::message(t, lang);
                let cause = message.lines().next().unwrap_or("");
                let left = width.saturating_sub(t.name.chars().count() + 7).max(16);
                let cause = cut_columns(cause, left);
                format!(
                    "  {} {} {}",
                    p.bad("✗"),
                    t.name,
                    p.dim(&format!("— {cause}"))
                )
            })
            .collect();
        let more_failing = |left: usize| {
            text::fmt(
                lang,
                "focus-more-failing",
                &[
                    ("count", left.into()),
                    ("command", self.only.as_str().into()),
                ],
            )
        };
        fit(&lines, room, width, &more_failing, p, out);
    }
}
