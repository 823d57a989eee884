//! Rendering the class report in a real browser: Debian's `chromium`,
//! headless, with a fresh profile. [`render`] returns the DOM the browser
//! built, the requests the page made (from Chromium's net log) and a
//! screenshot.
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The browser's window.
pub const WINDOW: (u32, u32) = (1280, 2400);

/// The Chromium binary; the tests need it (`.ci/run` installs Debian's
/// `chromium` package).
pub fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Some(dir) = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .find(|d| d.join(name).is_file())
        {
            return dir.join(name);
        }
    }
    panic!("no chromium on PATH: install Debian's chromium package (apt-get install -y chromium) to test report.html in a browser");
}

/// What the browser made of a page.
pub struct Rendered {
    /// The DOM, serialized.
    pub dom: String,
    /// The URLs the page itself asked for (not the browser's own requests).
    pub page_requests: Vec<String>,
    /// The screenshot (PNG).
    pub screenshot: Vec<u8>,
}

fn run(args: &[String], profile: &Path) -> Vec<u8> {
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={},{}", WINDOW.0, WINDOW.1))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting chromium");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        out
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium {args:?} failed: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium {args:?} did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

/// Renders `page` (a local file): once for its DOM and net log, once for a
/// screenshot.
pub fn render(page: &Path, scratch: &Path) -> Rendered {
    fs::create_dir_all(scratch).unwrap();
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let netlog = scratch.join("netlog.json");
    let dom = run(
        &[
            format!("--log-net-log={}", netlog.display()),
            "--dump-dom".into(),
            url.clone(),
        ],
        &scratch.join("profile-dom"),
    );
    let shot = scratch.join("report.png");
    run(
        &[format!("--screenshot={}", shot.display()), url],
        &scratch.join("profile-shot"),
    );
    Rendered {
        dom: String::from_utf8(dom).unwrap(),
        page_requests: page_requests(&netlog),
        screenshot: fs::read(&shot).expect("chromium wrote no screenshot"),
    }
}

/// The URL requests of the net log that a page made. Chromium's own
/// requests (update checks, which fail offline) have no origin; a page's
/// have its origin (`null` for a file).
fn page_requests(netlog: &Path) -> Vec<String> {
    let log: Value = serde_json::from_slice(&fs::read(netlog).unwrap()).unwrap();
    let start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_u64()
        .expect("the net log names its event types");
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start))
        .filter(|e| e["params"]["initiator"].as_str() != Some("not an origin"))
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
        .collect()
}

/// The width and height of a PNG, and whether its pixels vary (a page was
/// painted, not a blank window).
pub fn png_facts(png: &[u8]) -> (u32, u32, bool) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (width, height) = (be(&png[16..20]), be(&png[20..24]));
    let mut idat = Vec::new();
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = be(&png[at..at + 4]) as usize;
        let kind = &png[at + 4..at + 8];
        if kind == b"IDAT" {
            idat.extend_from_slice(&png[at + 8..at + 8 + len]);
        }
        at += 12 + len;
    }
    let mut pixels = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut pixels)
        .unwrap();
    let mut seen = [false; 256];
    for b in &pixels {
        seen[*b as usize] = true;
    }
    (width, height, seen.iter().filter(|s| **s).count() > 16)
}

/// The values of attribute `attr` on every element that has it, in order.
pub fn attr_values(dom: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = dom;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').unwrap();
        out.push(unescape(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// The start tags of elements that carry attribute `attr`.
pub fn tags_with(dom: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = dom;
    while let Some(i) = rest.find(&needle) {
        let start = rest[..i].rfind('<').unwrap();
        let end = i + rest[i..].find('>').unwrap();
        out.push(rest[start..=end].to_string());
        rest = &rest[end..];
    }
    out
}

/// The value of `attr` in one start tag.
pub fn attr(tag: &str, attr: &str) -> Option<String> {
    attr_values(tag, attr).into_iter().next()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
