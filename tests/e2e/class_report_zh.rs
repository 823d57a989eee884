//! The class report of `grader batch --lang zh` (`OUT/report.html`) in
//! Chinese, rendered in headless Chromium like the English one of
//! `tests/e2e/batch.rs`: the page's words are the Chinese catalog's (none of
//! them an English sentence, by the leak check of `grader selfcheck`), its
//! data the same as in English (statuses, totals, links), nothing fetched,
//! something painted.
use crate::batch::browser;
use crate::common;

use std::fs;

use common::{copy_tree, grader, root};

/// The text nodes of `dom` a reader sees: outside tags, `<style>` and
/// `<code>` (a commit), with entities read back.
fn words(dom: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = dom;
    let mut skip: Option<&str> = None;
    while let Some(open) = rest.find('<') {
        let text = rest[..open].trim();
        if skip.is_none() && !text.is_empty() {
            out.push(
                text.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            );
        }
        let close = open + rest[open..].find('>').expect("a tag ends");
        let tag = &rest[open + 1..close];
        match skip {
            Some(end) if tag == end => skip = None,
            None if tag.starts_with("style") => skip = Some("/style"),
            None if tag.starts_with("code") => skip = Some("/code"),
            _ => {}
        }
        rest = &rest[close + 1..];
    }
    out
}

#[test]
fn the_class_report_reads_in_chinese_in_a_browser() {
    let tmp = tempfile::tempdir().unwrap();
    let subs = tmp.path().join("submissions");
    // One finished student, one who has not started.
    copy_tree(
        &root().join("solutions/dict_lookup"),
        &subs.join("alice/dict_lookup"),
    );
    copy_tree(
        &root().join("exercises/dict_lookup"),
        &subs.join("bob/dict_lookup"),
    );
    let out = tmp.path().join("out");
    let run = grader()
        .arg("batch")
        .arg(&subs)
        .arg("--out")
        .arg(&out)
        .arg("--target-dir")
        .arg(tmp.path().join("cache"))
        .args(["--only", "dict_lookup", "--lang", "zh"])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let page = out.join("report.html");
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.contains("<html lang=\"zh\">"), "{html}");

    let r = browser::render(&page, &tmp.path().join("browser"));
    assert!(
        r.page_requests.is_empty(),
        "the page fetched {:?}",
        r.page_requests
    );
    let (w, h, painted) = browser::png_facts(&r.screenshot);
    assert_eq!((w, h), browser::WINDOW);
    assert!(painted, "the screenshot is blank");
    let dom = &r.dom;

    // The page's words are Chinese: its headings, columns and statuses,
    // and no English sentence anywhere.
    let seen = words(dom);
    for heading in [
        "socklings · 全班报告",
        "全班概况",
        "总分分布",
        "练习",
        "测试（最难的在前）",
        "学生",
        "已评测",
        "未通过率",
        "公开测试",
        "隐藏测试",
    ] {
        assert!(
            seen.iter().any(|w| w == heading),
            "no `{heading}` on the page: {seen:?}"
        );
    }
    let leaks: Vec<(&String, String)> = seen
        .iter()
        .filter_map(|w| grader::leak::english_run(w).map(|run| (w, run)))
        .collect();
    assert!(leaks.is_empty(), "English on the Chinese page: {leaks:?}");

    // The data is as in English: a row per student with its stable status
    // and total, and a link to feedback that is in Chinese too.
    let rows = browser::tags_with(dom, "data-student");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let points = grader::catalog::Catalog::builtin()
        .unwrap()
        .exercise("dict_lookup")
        .unwrap()
        .points;
    for (id, total) in [("alice", points), ("bob", 0)] {
        let row = rows
            .iter()
            .find(|t| browser::attr(t, "data-student").as_deref() == Some(id))
            .unwrap_or_else(|| panic!("no row of {id}"));
        assert_eq!(browser::attr(row, "data-status").unwrap(), "graded");
        assert_eq!(browser::attr(row, "data-total").unwrap(), total.to_string());
        let feedback = fs::read_to_string(out.join(format!("feedback/{id}.md"))).unwrap();
        assert!(feedback.contains(&format!("# {id} 的反馈")), "{feedback}");
    }
    assert!(
        browser::tags_with(dom, "data-key")
            .iter()
            .any(|t| browser::attr(t, "data-key").as_deref() == Some("graded")),
        "the summary's keys stay as they are"
    );
}
