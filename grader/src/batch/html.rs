//! `OUT/report.html`: the class report, one self-contained page (inline CSS
//! and SVG, no script, nothing fetched): the class summary, a histogram of
//! totals, each exercise's mean and pass rate, each test's failure rate with
//! the hardest first, and the students with their points, linking to their
//! feedback.
use crate::model::Visibility;
use crate::report::{BuildStatus, Status};
use crate::text::{fmt, get, Arg, Lang};
use std::collections::BTreeMap;
use std::fmt::Write;

use super::feedback::short;
use super::gradebook::percent;
use super::state::{Settings, StudentRecord, StudentStatus};
use super::view::ResultsView;

/// One student as the report shows them.
pub struct Student<'a> {
    /// The batch's record.
    pub record: &'a StudentRecord,
    /// The results file, when the student was graded.
    pub results: Option<&'a ResultsView>,
}

/// Bars of the histogram: 0–10 %, ..., 90–100 %.
const BINS: usize = 10;

/// A test's failure rate over the students whose exercise built.
struct TestRate<'a> {
    exercise: &'a str,
    test: &'a str,
    visibility: Visibility,
    failed: usize,
    attempted: usize,
}

impl TestRate<'_> {
    fn rate(&self) -> f64 {
        if self.attempted == 0 {
            0.0
        } else {
            self.failed as f64 / self.attempted as f64
        }
    }
}

/// A student's status as the page and the progress lines name it in
/// `lang` (its stable name, the gradebook's, in English).
pub(super) fn status_word(status: StudentStatus, lang: Lang) -> String {
    get(
        lang,
        match status {
            StudentStatus::Graded => "html-status-graded",
            StudentStatus::BuildFailed => "html-status-build-failed",
            StudentStatus::Empty => "html-status-empty",
            StudentStatus::Error => "html-status-error",
        },
    )
}

/// A heading or label of the page in `lang`, escaped.
fn say(lang: Lang, key: &str) -> String {
    esc(&get(lang, key))
}

/// Renders the report in `lang`.
pub fn render(settings: &Settings, students: &[Student<'_>], lang: Lang) -> String {
    let mut out = String::new();
    let max_total: u32 = settings.exercises.iter().map(|c| c.max_score).sum();
    let title = say(lang, "html-title");
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.code()
    );
    let _ = writeln!(out, "<h1>{title}</h1>");
    let meta = fmt(
        lang,
        "html-meta",
        &[
            ("version", settings.grader_version.as_str().into()),
            ("seed", settings.seed.to_string().into()),
            ("exercises", settings.exercises.len().into()),
            ("points", Arg::from(max_total)),
        ],
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">{}{}</p>",
        esc(&meta),
        settings
            .deadline
            .as_ref()
            .map(|d| format!(
                " · {}",
                esc(&fmt(
                    lang,
                    "html-deadline",
                    &[("deadline", d.as_str().into())]
                ))
            ))
            .unwrap_or_default()
    );
    summary(&mut out, students, max_total, lang);
    histogram(&mut out, students, lang);
    exercises(&mut out, settings, students, lang);
    tests(&mut out, students, lang);
    table(&mut out, settings, students, lang);
    out.push_str("</body>\n</html>\n");
    out
}

/// Students whose submission was graded at all (not `error`).
fn scored<'a>(students: &'a [Student<'a>]) -> impl Iterator<Item = &'a Student<'a>> {
    students
        .iter()
        .filter(|s| s.record.status != StudentStatus::Error)
}

fn summary(out: &mut String, students: &[Student<'_>], max_total: u32, lang: Lang) {
    let count = |st: StudentStatus| students.iter().filter(|s| s.record.status == st).count();
    let mut totals: Vec<u32> = scored(students).map(|s| s.record.score).collect();
    totals.sort_unstable();
    let mean = if totals.is_empty() {
        0.0
    } else {
        totals.iter().map(|t| f64::from(*t)).sum::<f64>() / totals.len() as f64
    };
    let median = match totals.len() {
        0 => 0.0,
        n if n % 2 == 1 => f64::from(totals[n / 2]),
        n => (f64::from(totals[n / 2 - 1]) + f64::from(totals[n / 2])) / 2.0,
    };
    let late = students.iter().filter(|s| s.record.late).count();
    let _ = writeln!(
        out,
        "<section id=\"summary\">\n<h2>{}</h2>\n<dl>",
        say(lang, "html-summary")
    );
    let mut item = |key: &str, label: &str, value: String| {
        let _ = writeln!(
            out,
            "<div><dt>{label}</dt><dd data-key=\"{key}\">{value}</dd></div>"
        );
    };
    item(
        "students",
        &say(lang, "html-students"),
        students.len().to_string(),
    );
    for st in [
        StudentStatus::Graded,
        StudentStatus::BuildFailed,
        StudentStatus::Empty,
        StudentStatus::Error,
    ] {
        item(
            st.as_str(),
            &esc(&status_word(st, lang)),
            count(st).to_string(),
        );
    }
    item("late", &say(lang, "html-late"), late.to_string());
    item(
        "mean",
        &say(lang, "html-mean-total"),
        format!("{mean:.1} / {max_total}"),
    );
    item(
        "median",
        &say(lang, "html-median-total"),
        format!("{median:.1} / {max_total}"),
    );
    if let (Some(lo), Some(hi)) = (totals.first(), totals.last()) {
        item("range", &say(lang, "html-range"), format!("{lo} – {hi}"));
    }
    let _ = writeln!(out, "</dl>\n</section>");
}

fn histogram(out: &mut String, students: &[Student<'_>], lang: Lang) {
    let mut bins = [0usize; BINS];
    for s in scored(students) {
        let p = if s.record.max_score == 0 {
            0.0
        } else {
            f64::from(s.record.score) / f64::from(s.record.max_score)
        };
        bins[((p * BINS as f64) as usize).min(BINS - 1)] += 1;
    }
    let highest = bins.iter().copied().max().unwrap_or(0).max(1);
    let (bar, gap, left, top, bottom) = (48.0, 8.0, 20.0, 20.0, 36.0);
    let (width, height) = (left * 2.0 + BINS as f64 * (bar + gap), 240.0);
    let plot = height - top - bottom;
    let _ = writeln!(
        out,
        "<section id=\"histogram\">\n<h2>{}</h2>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">",
        say(lang, "html-totals"),
        say(lang, "html-histogram-label"),
    );
    for (i, n) in bins.iter().enumerate() {
        let x = left + i as f64 * (bar + gap);
        let h = plot * (*n as f64) / highest as f64;
        let y = top + plot - h;
        let label = format!("{}–{}%", i * 10, i * 10 + 10);
        let bin_title = esc(&fmt(
            lang,
            "html-bin-title",
            &[("bin", label.as_str().into()), ("count", (*n).into())],
        ));
        let _ = writeln!(
            out,
            "<rect class=\"bar\" data-bin=\"{label}\" data-count=\"{n}\" x=\"{x}\" y=\"{y:.1}\" \
             width=\"{bar}\" height=\"{h:.1}\"><title>{bin_title}</title></rect>\
             <text class=\"count\" x=\"{:.1}\" y=\"{:.1}\">{n}</text>\
             <text class=\"bin\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + bar / 2.0,
            y - 4.0,
            x + bar / 2.0,
            height - bottom + 16.0,
            i * 10
        );
    }
    let _ = writeln!(
        out,
        "<line x1=\"16\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" class=\"axis\"/>\
         <text class=\"bin\" x=\"{:.1}\" y=\"{:.1}\">{}</text>\n</svg>\n</section>",
        width - 4.0,
        top + plot,
        top + plot,
        width / 2.0,
        height - 4.0,
        say(lang, "html-axis")
    );
}

/// A table's header row: each key's words in `lang`.
fn head(lang: Lang, keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("<th>{}</th>", say(lang, k)))
        .collect()
}

fn exercises(out: &mut String, settings: &Settings, students: &[Student<'_>], lang: Lang) {
    let _ = writeln!(
        out,
        "<section id=\"exercises\">\n<h2>{}</h2>\n<table id=\"exercise-table\">\n\
         <thead><tr>{}</tr></thead>\n<tbody>",
        say(lang, "html-exercises"),
        head(
            lang,
            &[
                "html-col-exercise",
                "html-col-points",
                "html-col-mean",
                "html-col-full-marks",
                "html-col-did-not-build",
                "html-col-missing",
            ]
        ),
    );
    for col in &settings.exercises {
        let mut n = 0usize;
        let mut sum = 0u64;
        let mut full = 0usize;
        let mut failed = 0usize;
        let mut missing = 0usize;
        for s in students {
            let Some(ex) = s
                .results
                .and_then(|r| r.exercises.iter().find(|e| e.name == col.name))
            else {
                continue;
            };
            n += 1;
            sum += u64::from(ex.score);
            if ex.max_score > 0 && ex.score == ex.max_score {
                full += 1;
            }
            match ex.build {
                BuildStatus::Failed => failed += 1,
                BuildStatus::Missing => missing += 1,
                BuildStatus::Ok => {}
            }
        }
        let mean = if n == 0 { 0.0 } else { sum as f64 / n as f64 };
        let rate = if n == 0 { 0.0 } else { full as f64 / n as f64 };
        let _ = writeln!(
            out,
            "<tr data-exercise=\"{name}\" data-mean=\"{mean:.2}\" data-pass-rate=\"{rate:.4}\">\
             <td>{name}</td><td class=\"num\">{max}</td><td class=\"num\">{mean:.1}</td>\
             <td class=\"num\">{}{}</td><td class=\"num\">{failed}</td><td class=\"num\">{missing}</td></tr>",
            pct(rate),
            meter(rate, "pass"),
            name = esc(&col.name),
            max = col.max_score,
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
}

fn tests(out: &mut String, students: &[Student<'_>], lang: Lang) {
    let mut rates: Vec<TestRate<'_>> = Vec::new();
    let mut index: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for s in students {
        let Some(r) = s.results else { continue };
        for ex in &r.exercises {
            for t in &ex.tests {
                let i = *index
                    .entry((ex.name.as_str(), t.name.as_str()))
                    .or_insert_with(|| {
                        rates.push(TestRate {
                            exercise: &ex.name,
                            test: &t.name,
                            visibility: t.visibility,
                            failed: 0,
                            attempted: 0,
                        });
                        rates.len() - 1
                    });
                // Only students whose exercise built tried the test.
                if ex.build != BuildStatus::Ok || t.status == Status::NotRun {
                    continue;
                }
                rates[i].attempted += 1;
                if t.status == Status::Failed {
                    rates[i].failed += 1;
                }
            }
        }
    }
    // Hardest first; a stable order among equals (the suite's order).
    rates.sort_by(|a, b| b.rate().total_cmp(&a.rate()));
    let _ = writeln!(
        out,
        "<section id=\"tests\">\n<h2>{}</h2>\n\
         <p class=\"note\">{}</p>\n\
         <table id=\"test-table\">\n<thead><tr>{}</tr></thead>\n<tbody>",
        say(lang, "html-tests"),
        say(lang, "html-tests-note"),
        head(
            lang,
            &[
                "html-col-exercise",
                "html-col-test",
                "html-col-visibility",
                "html-col-failed",
                "html-col-failure-rate",
            ]
        ),
    );
    for t in &rates {
        let rate = t.rate();
        let _ = writeln!(
            out,
            "<tr data-test=\"{ex}::{name}\" data-failure-rate=\"{rate:.4}\"><td>{ex}</td><td>{name}</td>\
             <td>{vis}</td><td class=\"num\">{} / {}</td><td class=\"num\">{}{}</td></tr>",
            t.failed,
            t.attempted,
            pct(rate),
            meter(rate, "fail"),
            ex = esc(t.exercise),
            name = esc(t.test),
            vis = say(
                lang,
                match t.visibility {
                    Visibility::Visible => "html-visible",
                    Visibility::Hidden => "html-hidden",
                }
            ),
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
}

fn table(out: &mut String, settings: &Settings, students: &[Student<'_>], lang: Lang) {
    let _ = write!(
        out,
        "<section id=\"students\">\n<h2>{}</h2>\n<table id=\"student-table\">\n<thead><tr>{}",
        say(lang, "html-students-heading"),
        head(lang, &["html-col-student"]),
    );
    for col in &settings.exercises {
        let _ = write!(out, "<th>{}</th>", esc(&col.name));
    }
    let _ = writeln!(
        out,
        "{}</tr></thead>\n<tbody>",
        head(
            lang,
            &[
                "html-col-total",
                "html-col-percent",
                "html-col-status",
                "html-col-late",
                "html-col-commit",
                "html-col-note",
            ]
        )
    );
    for s in students {
        let r = s.record;
        let _ = write!(
            out,
            "<tr data-student=\"{id}\" data-status=\"{status}\" data-total=\"{total}\">\
             <td><a href=\"feedback/{href}.md\">{id}</a></td>",
            id = esc(&r.id),
            href = url_segment(&r.id),
            status = r.status.as_str(),
            total = r.score,
        );
        for col in &settings.exercises {
            let cell = match r.exercises.get(&col.name) {
                Some(p) if r.status != StudentStatus::Error => p.score.to_string(),
                _ => "–".to_string(),
            };
            let _ = write!(out, "<td class=\"num\">{cell}</td>");
        }
        let _ = writeln!(
            out,
            "<td class=\"num\">{} / {}</td><td class=\"num\">{}%</td><td class=\"status {st}\">{word}</td>\
             <td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            r.score,
            r.max_score,
            percent(r.score, r.max_score),
            if r.late {
                say(lang, "html-late-mark")
            } else {
                String::new()
            },
            esc(r.commit.as_deref().map(short).unwrap_or("")),
            esc(r.message.as_deref().unwrap_or("")),
            st = r.status.as_str(),
            word = esc(&status_word(r.status, lang)),
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
}

fn pct(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// A small horizontal bar of `rate` (0 to 1), drawn with CSS.
fn meter(rate: f64, kind: &str) -> String {
    format!(
        "<span class=\"meter {kind}\"><span style=\"width:{:.0}%\"></span></span>",
        rate * 100.0
    )
}

/// Text safe inside HTML elements and quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A student id as one path segment of a URL (percent-encoded).
pub fn url_segment(id: &str) -> String {
    let mut out = String::new();
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

const STYLE: &str = "
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #1d2330; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #d5dae3; padding-bottom: 0.2em; }
.meta, .note { color: #5b6475; }
dl { display: flex; flex-wrap: wrap; gap: 0.8em; }
dl div { background: #f2f4f8; border-radius: 6px; padding: 0.5em 0.9em; min-width: 7em; }
dt { font-size: 0.8em; color: #5b6475; }
dd { margin: 0; font-size: 1.25em; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3em 0.6em; border-bottom: 1px solid #e6e9ef; }
th { background: #f2f4f8; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.meter { display: inline-block; width: 5em; height: 0.6em; background: #e6e9ef; margin-left: 0.5em; border-radius: 3px; overflow: hidden; vertical-align: middle; }
.meter span { display: block; height: 100%; }
.meter.pass span { background: #2f9e44; }
.meter.fail span { background: #e03131; }
.status.graded { color: #2f9e44; }
.status.build_failed, .status.error { color: #e03131; }
.status.empty { color: #868e96; }
svg .bar { fill: #4263eb; }
svg .count, svg .bin { font-size: 12px; text-anchor: middle; fill: #1d2330; }
svg .axis { stroke: #868e96; }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_escaped_in_text_and_links() {
        assert_eq!(esc("<a href='x'>&"), "&lt;a href=&#39;x&#39;&gt;&amp;");
        assert_eq!(url_segment("anna maria#2"), "anna%20maria%232");
    }
}
