//! Contract clauses: each exercise README states its contract as a numbered
//! list (`docs/contract-clauses.md`), and each test names the clauses it
//! checks ([`crate::harness::TestDef::clauses`]). [`Coverage::trace`] joins
//! the two with the broken submissions, so that `grader selfcheck` can show
//! clause → tests → broken submissions, and name every clause no test
//! checks and every test no broken submission fails.
use std::collections::BTreeMap;
use std::path::Path;

use crate::fixtures::BrokenSubmission;
use crate::harness::TestDef;
use crate::text::Phrase;

/// The heading of the contract section in `README.md`.
pub const HEADING_EN: &str = "## The contract";
/// The heading of the contract section in `README.zh.md`.
pub const HEADING_ZH: &str = "## 约定";
/// How a clause that no test can check says why, in `README.md`.
pub const UNTESTED_EN: &str = "*Not tested:*";
/// How a clause that no test can check says why, in `README.zh.md`.
pub const UNTESTED_ZH: &str = "*不测试：*";

/// One numbered clause of a contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Its number, from 1.
    pub number: u32,
    /// Its text, lines joined by spaces.
    pub text: String,
    /// Whether it says that no test can check it.
    pub untested: bool,
}

/// The clauses of the contract section of a README: the items of its
/// top-level numbered list, outside code blocks.
pub fn parse(readme: &str, heading: &str, untested: &str) -> Result<Vec<Clause>, String> {
    let mut lines = readme.lines();
    if !lines.any(|l| l.starts_with(heading)) {
        return Err(format!("has no `{heading}` section"));
    }
    let mut clauses: Vec<Clause> = Vec::new();
    let mut fenced = false;
    for line in lines {
        if line.starts_with("## ") {
            break;
        }
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let item = line
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if let Some((number, text)) = item {
            let number: u32 = number
                .parse()
                .map_err(|_| format!("clause number `{number}` is not a number"))?;
            let expected = clauses.len() as u32 + 1;
            if number != expected {
                return Err(format!("clause {number} follows clause {}", expected - 1));
            }
            clauses.push(Clause {
                number,
                text: text.trim().to_string(),
                untested: false,
            });
        } else if let Some(last) = clauses.last_mut() {
            if !line.trim().is_empty() && line.starts_with(' ') {
                last.text.push(' ');
                last.text.push_str(line.trim());
            }
        }
    }
    if clauses.is_empty() {
        return Err(format!("its `{heading}` section has no numbered clauses"));
    }
    for c in &mut clauses {
        c.untested = c.text.contains(untested);
    }
    Ok(clauses)
}

/// The clauses of an exercise, from both READMEs of its stub crate, checked
/// to agree: the same numbers, the same clauses untested.
pub fn of_exercise(crate_dir: &Path) -> Result<Vec<Clause>, String> {
    let read = |name: &str| {
        std::fs::read_to_string(crate_dir.join(name)).map_err(|e| format!("{name}: {e}"))
    };
    let en = parse(&read("README.md")?, HEADING_EN, UNTESTED_EN)
        .map_err(|e| format!("README.md {e}"))?;
    let zh = parse(&read("README.zh.md")?, HEADING_ZH, UNTESTED_ZH)
        .map_err(|e| format!("README.zh.md {e}"))?;
    if en.len() != zh.len() {
        return Err(format!(
            "README.md has {} clauses, README.zh.md {}",
            en.len(),
            zh.len()
        ));
    }
    if let Some((e, _)) = en.iter().zip(&zh).find(|(e, z)| e.untested != z.untested) {
        return Err(format!(
            "clause {} is marked untested in one README and not in the other",
            e.number
        ));
    }
    Ok(en)
}

/// One clause traced to its tests and their broken submissions.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The clause.
    pub clause: Clause,
    /// The tests that check it.
    pub tests: Vec<&'static str>,
    /// The broken submissions (their directory names) that fail one of them.
    pub broken: Vec<String>,
}

/// An exercise's clause coverage.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Every clause, in order.
    pub traces: Vec<Trace>,
    /// What does not hold: a clause without a test, a test without a clause
    /// or without a broken submission that fails it (sentences shown in the
    /// reader's language).
    pub gaps: Vec<Phrase>,
}

impl Coverage {
    /// Traces `clauses` through the suite's `tests` to the exercise's
    /// `broken` submissions.
    pub fn trace(clauses: &[Clause], tests: &[TestDef], broken: &[&BrokenSubmission]) -> Coverage {
        let mut gaps = Vec::new();
        let case_name = |b: &BrokenSubmission| {
            b.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let failing: BTreeMap<&str, Vec<String>> = tests
            .iter()
            .map(|t| {
                let cases = broken
                    .iter()
                    .filter(|b| b.expect.fails.iter().any(|f| f == t.name))
                    .map(|b| case_name(b))
                    .collect();
                (t.name, cases)
            })
            .collect();
        for t in tests {
            if t.clauses.is_empty() {
                gaps.push(Phrase::new("clause-test-names-none").arg("test", t.name));
            }
            for n in t.clauses {
                if !clauses.iter().any(|c| c.number == *n) {
                    gaps.push(
                        Phrase::new("clause-unknown")
                            .arg("test", t.name)
                            .arg("clause", *n),
                    );
                }
            }
            if failing[t.name].is_empty() {
                gaps.push(Phrase::new("clause-test-never-fails").arg("test", t.name));
            }
        }
        let traces = clauses
            .iter()
            .map(|c| {
                let checking: Vec<&TestDef> = tests
                    .iter()
                    .filter(|t| t.clauses.contains(&c.number))
                    .collect();
                if checking.is_empty() && !c.untested {
                    gaps.push(Phrase::new("clause-untested").arg("clause", c.number));
                }
                let mut broken: Vec<String> = checking
                    .iter()
                    .flat_map(|t| failing[t.name].iter().cloned())
                    .collect();
                broken.sort();
                broken.dedup();
                Trace {
                    clause: c.clone(),
                    tests: checking.iter().map(|t| t.name).collect(),
                    broken,
                }
            })
            .collect();
        Coverage { traces, gaps }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::Expectation;
    use crate::harness::{Ctx, TestResult};

    const README: &str = "# x\n\n## The contract\n\n```\nx ADDR\n1. not a clause\n```\n\n\
        Intro text.\n\n1. **Found**: print the line\n   and exit 0.\n2. Not found: exit 1.\n\
        3. Fast. *Not tested:* no clock is fair enough.\n\n## Worked example\n\n1. after\n";

    fn nothing(_: &mut Ctx) -> TestResult {
        Ok(())
    }

    #[test]
    fn clauses_are_the_numbered_items_of_the_contract_section() {
        let clauses = parse(README, HEADING_EN, UNTESTED_EN).unwrap();
        let numbers: Vec<u32> = clauses.iter().map(|c| c.number).collect();
        assert_eq!(numbers, [1, 2, 3]);
        assert_eq!(clauses[0].text, "**Found**: print the line and exit 0.");
        assert_eq!(
            clauses.iter().map(|c| c.untested).collect::<Vec<_>>(),
            [false, false, true]
        );
    }

    #[test]
    fn a_gap_in_the_numbers_or_a_missing_section_is_an_error() {
        let gap = README.replace("2. Not found", "4. Not found");
        assert!(parse(&gap, HEADING_EN, UNTESTED_EN).is_err());
        assert!(parse("# x\n", HEADING_EN, UNTESTED_EN).is_err());
        assert!(parse("## The contract\n\nprose only\n", HEADING_EN, UNTESTED_EN).is_err());
    }

    #[test]
    fn coverage_names_untested_clauses_and_unproven_tests() {
        let clauses = parse(README, HEADING_EN, UNTESTED_EN).unwrap();
        let tests = [
            TestDef::visible("finds", 1, nothing).clauses(&[1]),
            TestDef::visible("lonely", 1, nothing).clauses(&[1, 9]),
            TestDef::visible("unlabelled", 1, nothing),
        ];
        let broken = BrokenSubmission {
            dir: "fixtures/broken/x/wrong_line".into(),
            expect: Expectation {
                exercise: "x".into(),
                mistake: "m".into(),
                fails: vec!["finds".into()],
            },
        };
        let cov = Coverage::trace(&clauses, &tests, &[&broken]);
        assert_eq!(cov.traces[0].tests, ["finds", "lonely"]);
        assert_eq!(cov.traces[0].broken, ["wrong_line"]);
        let gaps: Vec<String> = cov.gaps.iter().map(|g| g.to_string()).collect();
        assert_eq!(
            gaps,
            [
                "test `lonely` names clause 9, which the README does not have",
                "test `lonely` is failed by no broken submission: nothing proves it can fail",
                "test `unlabelled` names no contract clause",
                "test `unlabelled` is failed by no broken submission: nothing proves it can fail",
                "clause 2 is checked by no test (or say in both READMEs why it cannot be)",
            ]
        );
    }
}
