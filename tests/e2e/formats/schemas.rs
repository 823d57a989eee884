//! Schema checks of the grading platforms' documents, written by hand from
//! each platform's documentation (named above each check): every key must
//! be documented and of its documented type, the required keys present, and
//! the enumerated values among the documented ones.
#![allow(dead_code)]

use serde_json::{Map, Value};

/// The JSON types the platforms document.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    String,
    Number,
    Integer,
    Boolean,
    Array,
    Object,
    StringOrNull,
    /// A string or an array of strings.
    StringOrStrings,
}

pub fn has_type(v: &Value, ty: Ty) -> bool {
    match ty {
        Ty::String => v.is_string(),
        Ty::Number => v.is_number(),
        Ty::Integer => v.is_u64() || v.is_i64(),
        Ty::Boolean => v.is_boolean(),
        Ty::Array => v.is_array(),
        Ty::Object => v.is_object(),
        Ty::StringOrNull => v.is_string() || v.is_null(),
        Ty::StringOrStrings => {
            v.is_string() || v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
        }
    }
}

/// Checks that `v` is an object whose keys are all documented (`fields`),
/// of their documented type, and that every key of `required` is present.
pub fn check_object<'a>(
    v: &'a Value,
    what: &str,
    fields: &[(&str, Ty)],
    required: &[&str],
) -> &'a Map<String, Value> {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{what}: not an object: {v}"));
    for (key, value) in obj {
        let (_, ty) = fields
            .iter()
            .find(|(name, _)| name == key)
            .unwrap_or_else(|| panic!("{what}: `{key}` is not a documented field"));
        assert!(
            has_type(value, *ty),
            "{what}: `{key}` should be {ty:?}, is {value}"
        );
    }
    for key in required {
        assert!(obj.contains_key(*key), "{what}: `{key}` is missing: {v}");
    }
    obj
}

pub fn one_of(v: &Value, what: &str, allowed: &[&str]) {
    let s = v.as_str().unwrap_or_else(|| panic!("{what}: not a string"));
    assert!(
        allowed.contains(&s),
        "{what}: `{s}` is not one of {allowed:?}"
    );
}

/// Gradescope's autograder results, from
/// <https://gradescope-autograders.readthedocs.io/en/latest/specs/>
/// ("Output format", "Controlling Test Case Visibility", "Test case
/// status", "Output String Formatting").
pub fn check_gradescope(v: &Value) {
    let top = check_object(
        v,
        "gradescope results",
        &[
            ("score", Ty::Number),
            ("execution_time", Ty::Number),
            ("output", Ty::String),
            ("output_format", Ty::String),
            ("test_output_format", Ty::String),
            ("test_name_format", Ty::String),
            ("visibility", Ty::String),
            ("stdout_visibility", Ty::String),
            ("extra_data", Ty::Object),
            ("tests", Ty::Array),
            ("leaderboard", Ty::Array),
        ],
        &[],
    );
    const FORMATS: [&str; 5] = ["text", "html", "simple_format", "md", "ansi"];
    const VISIBILITY: [&str; 4] = ["hidden", "after_due_date", "after_published", "visible"];
    for key in ["output_format", "test_output_format", "test_name_format"] {
        if let Some(f) = top.get(key) {
            one_of(f, key, &FORMATS);
        }
    }
    let tests = top.get("tests").and_then(Value::as_array);
    for t in tests.into_iter().flatten() {
        let test = check_object(
            t,
            "gradescope test",
            &[
                ("score", Ty::Number),
                ("max_score", Ty::Number),
                ("status", Ty::String),
                ("name", Ty::String),
                ("name_format", Ty::String),
                ("number", Ty::String),
                ("output", Ty::String),
                ("output_format", Ty::String),
                ("tags", Ty::Array),
                ("visibility", Ty::String),
                ("extra_data", Ty::Object),
            ],
            &[],
        );
        if let Some(s) = test.get("status") {
            one_of(s, "test status", &["passed", "failed"]);
        }
        if let Some(vis) = test.get("visibility") {
            one_of(vis, "test visibility", &VISIBILITY);
        }
        // "score: optional, but required if not on top level submission"
        assert!(
            top.contains_key("score") || test.contains_key("score"),
            "a test without a score and no total: {t}"
        );
    }
    assert!(
        top.contains_key("score") || tests.is_some(),
        "neither a score nor tests"
    );
}

/// Exercism's test runner interface, version 3, from
/// <https://exercism.org/docs/building/tooling/test-runners/interface>
/// ("Top level", "Per-test").
pub fn check_exercism(v: &Value) {
    let top = check_object(
        v,
        "exercism results",
        &[
            ("version", Ty::Integer),
            ("status", Ty::String),
            ("message", Ty::StringOrNull),
            ("tests", Ty::Array),
        ],
        &["version", "status"],
    );
    assert_eq!(top["version"], 3);
    one_of(&top["status"], "status", &["pass", "fail", "error"]);
    let status = top["status"].as_str().unwrap();
    if status == "error" {
        // "required if status = error"
        assert!(top.get("message").is_some_and(Value::is_string), "{v}");
    } else {
        // "required if status = fail or status = pass"
        assert!(top.contains_key("tests"), "{v}");
        assert!(top.get("message").is_none_or(Value::is_null), "{v}");
    }
    let tests = top.get("tests").and_then(Value::as_array);
    for t in tests.into_iter().flatten() {
        let test = check_object(
            t,
            "exercism test",
            &[
                ("name", Ty::String),
                ("test_code", Ty::String),
                ("status", Ty::String),
                ("message", Ty::StringOrNull),
                ("output", Ty::StringOrNull),
                ("task_id", Ty::Integer),
            ],
            &["name", "status"],
        );
        one_of(&test["status"], "test status", &["pass", "fail", "error"]);
        if let Some(output) = test.get("output").and_then(Value::as_str) {
            // "The output must be limited to 500 chars."
            assert!(output.chars().count() <= 500, "{output}");
        }
        if let Some(id) = test.get("task_id") {
            assert!(id.as_u64().is_some_and(|n| n >= 1), "{t}");
        }
    }
    if status == "pass" {
        assert!(tests.into_iter().flatten().all(|t| t["status"] == "pass"));
    }
}

/// GitHub Classroom's runner result, version 1, as the classroom-resources
/// runners write it (`version`, `status`, `max_score`, `tests[]` with
/// `name`, `status`, `score`, `message`, `test_code`, `filename`,
/// `line_no`, `duration`) and `autograding-grading-reporter` reads it
/// (src/main.js decodes `<RUNNER>_RESULTS` from base64; notify-classroom.js
/// adds up `tests[].score` and `max_score` into "Points X/Y").
pub fn check_classroom(v: &Value) {
    let top = check_object(
        v,
        "classroom result",
        &[
            ("version", Ty::Integer),
            ("status", Ty::String),
            ("max_score", Ty::Number),
            ("tests", Ty::Array),
        ],
        &["version", "status", "max_score", "tests"],
    );
    assert_eq!(top["version"], 1);
    one_of(&top["status"], "status", &["pass", "fail", "error"]);
    for t in top["tests"].as_array().unwrap() {
        let test = check_object(
            t,
            "classroom test",
            &[
                ("name", Ty::String),
                ("status", Ty::String),
                ("score", Ty::Number),
                ("max_score", Ty::Number),
                ("message", Ty::String),
                ("test_code", Ty::String),
                ("filename", Ty::String),
                ("line_no", Ty::Integer),
                ("duration", Ty::Number),
            ],
            &["name", "status", "score", "message"],
        );
        one_of(&test["status"], "test status", &["pass", "fail", "error"]);
    }
}

/// The child elements of `node` named `name`.
fn elements<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name)
        .collect()
}

/// JUnit XML as CI tools read it (the Ant/Jenkins JUnit schema that GitLab,
/// Jenkins and GitHub test reporters follow): `<testsuites>` holding
/// `<testsuite name tests failures errors skipped time?>`, each holding
/// `<testcase name classname time>` with at most one `<failure message
/// type>`, `<error message type>` or `<skipped message>`, optional
/// `<properties><property name value/></properties>`, `<system-out>` and
/// `<system-err>`. Returns the suites' names.
pub fn check_junit(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML ({e}):\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let count = |node: roxmltree::Node, attr: &str| -> usize {
        node.attribute(attr)
            .unwrap_or_else(|| panic!("<{}> has no `{attr}`", node.tag_name().name()))
            .parse()
            .unwrap_or_else(|_| panic!("`{attr}` is not a count"))
    };

    let mut names = Vec::new();
    let (mut all_tests, mut all_failures) = (0, 0);
    for suite in root.children().filter(|c| c.is_element()) {
        assert_eq!(suite.tag_name().name(), "testsuite");
        let name = suite.attribute("name").expect("a testsuite has a name");
        names.push(name.to_string());
        let cases = elements(suite, "testcase");
        let of = |status: &str| {
            cases
                .iter()
                .filter(|c| !elements(**c, status).is_empty())
                .count()
        };
        assert_eq!(count(suite, "tests"), cases.len(), "{name}");
        assert_eq!(count(suite, "failures"), of("failure"), "{name}");
        assert_eq!(count(suite, "errors"), of("error"), "{name}");
        assert_eq!(count(suite, "skipped"), of("skipped"), "{name}");
        all_tests += cases.len();
        all_failures += of("failure");
        for case in cases {
            for child in case.children().filter(|c| c.is_element()) {
                let tag = child.tag_name().name();
                assert!(
                    [
                        "properties",
                        "failure",
                        "error",
                        "skipped",
                        "system-out",
                        "system-err"
                    ]
                    .contains(&tag),
                    "<{tag}> in a testcase"
                );
            }
            assert!(case.attribute("name").is_some());
            assert_eq!(case.attribute("classname"), Some(name));
            let time: f64 = case.attribute("time").unwrap().parse().unwrap();
            assert!(time >= 0.0);
            let outcomes = ["failure", "error", "skipped"]
                .iter()
                .map(|t| elements(case, t).len())
                .sum::<usize>();
            assert!(outcomes <= 1, "one outcome per testcase");
            for failure in elements(case, "failure")
                .into_iter()
                .chain(elements(case, "error"))
            {
                assert!(failure.attribute("message").is_some());
                assert!(failure.attribute("type").is_some());
            }
            for props in elements(case, "properties") {
                for p in elements(props, "property") {
                    assert!(p.attribute("name").is_some() && p.attribute("value").is_some());
                }
            }
        }
    }
    assert_eq!(count(root, "tests"), all_tests);
    assert_eq!(count(root, "failures"), all_failures);
    names
}

/// PrairieLearn's external grader results, from
/// <https://prairielearn.readthedocs.io/en/latest/externalGrading/>
/// ("Grading results": `score` a float in [0, 1], mandatory when gradable;
/// `gradable`; `format_errors` a string or an array of strings; `message`,
/// `output`, `images`, and `tests[]` with `name`, `description`, `points`,
/// `max_points`, `message`, `output`, `images`; at most 1 MB).
pub fn check_prairielearn(text: &str) {
    assert!(text.len() < 1_000_000, "results.json is limited to 1 MB");
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"));
    let top = check_object(
        &v,
        "prairielearn results",
        &[
            ("gradable", Ty::Boolean),
            ("score", Ty::Number),
            ("format_errors", Ty::StringOrStrings),
            ("message", Ty::String),
            ("output", Ty::String),
            ("images", Ty::Array),
            ("tests", Ty::Array),
        ],
        &[],
    );
    let gradable = top.get("gradable").and_then(Value::as_bool).unwrap_or(true);
    if gradable {
        let score = top["score"]
            .as_f64()
            .expect("a gradable result has a score");
        assert!((0.0..=1.0).contains(&score), "{score}");
    }
    for t in top
        .get("tests")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        check_object(
            t,
            "prairielearn test",
            &[
                ("name", Ty::String),
                ("description", Ty::String),
                ("points", Ty::Number),
                ("max_points", Ty::Number),
                ("message", Ty::String),
                ("output", Ty::String),
                ("images", Ty::Array),
            ],
            &["name", "points", "max_points"],
        );
        assert!(t["points"].as_f64() <= t["max_points"].as_f64());
    }
}
