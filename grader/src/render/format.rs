//! [`Format`]: every way a report can be written (`--format` on stdout,
//! `--results-format` in the `--results` file), and the one dispatch to the
//! renderers.
use std::io::{self, Write};

use super::human::{self, HumanOptions};
use super::{classroom, exercism, gradescope, json, junit, prairielearn};
use crate::report::Report;

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The human report (colors on a terminal).
    Human,
    /// The grader's own JSON document (schema in the README).
    Json,
    /// Gradescope's autograder `results.json`.
    Gradescope,
    /// Exercism's test runner `results.json`, version 3.
    Exercism,
    /// GitHub Classroom: the human report and `Points X/Y` on stdout, the
    /// version-1 result JSON in a results file, and `result=<base64>` in
    /// `$GITHUB_OUTPUT` when that is set.
    Classroom,
    /// JUnit XML, one testsuite per exercise.
    Junit,
    /// PrairieLearn's external grader `results.json`.
    Prairielearn,
}

/// Where the report goes: a results file holds the platform's document
/// itself, stdout what a person reads in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// Standard output.
    Stdout,
    /// A results file.
    File,
}

/// Writes `report` in `format`. `human` sets how the human report is drawn
/// (colors are never used in a file).
pub fn write(
    format: Format,
    destination: Destination,
    report: &Report,
    human: HumanOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, human, w),
        Format::Json => json::render(report, w),
        Format::Gradescope => gradescope::render(report, human.lang, w),
        Format::Exercism => exercism::render(report, human.lang, w),
        Format::Classroom => match destination {
            Destination::Stdout => classroom::render(report, human.lang, w),
            Destination::File => classroom::render_json(report, w),
        },
        Format::Junit => junit::render(report, w),
        Format::Prairielearn => prairielearn::render(report, human.lang, w),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::builder::BuildOutcome;
    use crate::catalog::Catalog;
    use crate::model::{Cause, Failure};
    use crate::render::Paint;
    use crate::report::Audience;
    use crate::runner::TestRun;

    /// A report of `dict_lookup` whose first test was not run on this
    /// system and whose second failed; the others passed.
    fn report() -> Report {
        let catalog = Catalog::builtin().unwrap();
        let ex = catalog.exercise("dict_lookup").unwrap();
        let runs: Vec<TestRun> = (0..ex.tests.len())
            .map(|i| TestRun {
                outcome: if i == 1 {
                    Err(Failure::new(Cause::Mismatch, "wrong stdout"))
                } else {
                    Ok(())
                },
                duration: Duration::from_millis(10),
                not_run: (i == 0).then(|| "not run on this system".to_string()),
            })
            .collect();
        let mut report = Report::collect(
            "s",
            1,
            Audience::Student,
            &[ex],
            &[BuildOutcome::Built("p".into())],
            &[runs],
        );
        crate::render::feedback::fill_messages(&mut report, crate::text::Lang::En);
        report
    }

    fn render(format: Format) -> String {
        render_in(format, crate::text::Lang::En)
    }

    fn render_in(format: Format, lang: crate::text::Lang) -> String {
        let mut out = Vec::new();
        let human = HumanOptions {
            paint: Paint::none(),
            verbose: false,
            lang,
        };
        write(format, Destination::File, &report(), human, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_platform_summary_is_in_the_language_asked_for() {
        for format in [Format::Gradescope, Format::Prairielearn] {
            let doc: serde_json::Value =
                serde_json::from_str(&render_in(format, crate::text::Lang::Zh)).unwrap();
            let output = doc["output"].as_str().unwrap();
            assert!(output.contains("总分："), "{output}");
            assert!(output.contains("不计入总分"), "{output}");
            assert_eq!(crate::leak::english_run(output), None, "{output}");
            let english: serde_json::Value = serde_json::from_str(&render(format)).unwrap();
            assert!(
                english["output"].as_str().unwrap().contains("Total: "),
                "{english}"
            );
        }
    }

    fn json(format: Format) -> serde_json::Value {
        serde_json::from_str(&render(format)).unwrap()
    }

    #[test]
    fn a_test_not_run_here_is_worth_nothing_in_every_format() {
        let report = report();
        let skipped = &report.exercises[0].tests[0].name;
        let full = format!("dict_lookup::{skipped}");

        // Gradescope: 0 of 0 and no status (neither passed nor failed).
        let v = json(Format::Gradescope);
        let t = &v["tests"][0];
        assert_eq!(t["name"], full.as_str());
        assert_eq!(
            (t["score"].as_u64(), t["max_score"].as_u64()),
            (Some(0), Some(0))
        );
        assert!(t.get("status").is_none(), "{t}");
        assert_eq!(v["score"].as_u64(), Some(u64::from(report.score)));

        // Exercism and GitHub Classroom have no such status: left out, so
        // the reporter's count of passed tests stays true.
        for format in [Format::Exercism, Format::Classroom] {
            let v = json(format);
            let names: Vec<&str> = v["tests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["name"].as_str().unwrap())
                .collect();
            assert!(!names.contains(&full.as_str()), "{format:?}: {names:?}");
            assert_eq!(names.len(), report.exercises[0].tests.len() - 1);
        }
        let v = json(Format::Classroom);
        assert_eq!(v["max_score"].as_u64(), Some(u64::from(report.max_score)));

        // JUnit: skipped, with the reason.
        let xml = render(Format::Junit);
        assert!(xml.contains("skipped=\"1\""), "{xml}");
        assert!(
            xml.contains("<skipped message=\"not run on this system"),
            "{xml}"
        );

        // PrairieLearn: 0 of 0 points, the score over what was run.
        let v = json(Format::Prairielearn);
        let t = &v["tests"][0];
        assert_eq!(
            (t["points"].as_u64(), t["max_points"].as_u64()),
            (Some(0), Some(0))
        );
        let expected = f64::from(report.score) / f64::from(report.max_score);
        assert_eq!(v["score"].as_f64(), Some(expected));
    }

    #[test]
    fn stdout_and_a_results_file_differ_only_for_classroom() {
        let mut stdout = Vec::new();
        let human = HumanOptions {
            paint: Paint::none(),
            verbose: false,
            lang: crate::text::Lang::En,
        };
        write(
            Format::Classroom,
            Destination::Stdout,
            &report(),
            human,
            &mut stdout,
        )
        .unwrap();
        let text = String::from_utf8(stdout).unwrap();
        let report = report();
        assert!(text.ends_with(&format!("Points {}/{}\n", report.score, report.max_score)));
        assert!(serde_json::from_str::<serde_json::Value>(&render(Format::Classroom)).is_ok());
    }
}
