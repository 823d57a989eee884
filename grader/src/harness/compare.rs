//! Comparing what a program produced with what the contract asks for, and
//! turning a difference into a [`Detail`]: a diff for text, the first
//! differing byte for binary data.
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::{Detail, Failure, Label};
use crate::model::Sentence;
use crate::text::Phrase;

/// Bytes shown on each side of a first difference.
const WINDOW: usize = 24;

/// Compares text; `None` when equal, else a diff (or a byte comparison when
/// `actual` is not UTF-8). `label` names what was compared: a stream
/// (`"stdout"`, `"server stderr"`: see [`Label::parse`]) or a name kept as
/// it is ([`labelled_text`] takes any label, a suite's phrase too).
pub fn text(label: &str, expected: &str, actual: &[u8]) -> Option<Detail> {
    labelled_text(Label::parse(label), expected, actual)
}

/// [`text`] with a typed label.
pub fn labelled_text(label: Label, expected: &str, actual: &[u8]) -> Option<Detail> {
    if expected.as_bytes() == actual {
        return None;
    }
    match std::str::from_utf8(actual) {
        Ok(actual) => Some(Detail::Diff {
            label,
            expected: expected.to_string(),
            actual: actual.to_string(),
        }),
        Err(_) => labelled_bytes(label, expected.as_bytes(), actual),
    }
}

/// Compares bytes; `None` when equal, else the first difference.
pub fn bytes(label: &str, expected: &[u8], actual: &[u8]) -> Option<Detail> {
    labelled_bytes(Label::parse(label), expected, actual)
}

/// [`bytes`] with a typed label.
pub fn labelled_bytes(label: Label, expected: &[u8], actual: &[u8]) -> Option<Detail> {
    let offset = first_difference(expected, actual)?;
    Some(window(
        label,
        offset,
        expected,
        actual,
        expected.len(),
        actual.len(),
        0,
    ))
}

/// The offset of the first byte where the two differ (or where the shorter
/// ends), if they differ.
pub fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    if a == b {
        return None;
    }
    // Whole blocks compare as slices (memcmp, fast even in a debug build);
    // only the first block that differs is searched byte by byte.
    const BLOCK: usize = 4096;
    let common = a.len().min(b.len());
    let mut start = 0;
    while start < common {
        let end = (start + BLOCK).min(common);
        if a[start..end] != b[start..end] {
            let within = a[start..end]
                .iter()
                .zip(&b[start..end])
                .position(|(x, y)| x != y)
                .unwrap_or(end - start);
            return Some(start + within);
        }
        start = end;
    }
    Some(common)
}

fn window(
    label: Label,
    offset: usize,
    expected: &[u8],
    actual: &[u8],
    expected_len: usize,
    actual_len: usize,
    base: usize,
) -> Detail {
    let local = offset - base;
    let start = local.saturating_sub(WINDOW);
    let cut = |b: &[u8]| b[start.min(b.len())..(local + WINDOW).min(b.len())].to_vec();
    Detail::Bytes {
        label,
        offset,
        expected_len,
        actual_len,
        expected: cut(expected),
        actual: cut(actual),
        window_start: base + start,
    }
}

/// How far past the length it should have a file a program wrote is read:
/// enough to show where it goes on. A program may write up to its file-size
/// limit (1 GiB), and the grader, which checks many tests at once, never
/// holds such a file whole: the rest counts only toward its length.
const READ_PAST: usize = 64 * 1024;

/// The start of the file at `path`, a program's, as far as a comparison
/// with `expected_len` bytes needs it ([`READ_PAST`] more), and the file's
/// whole length.
pub fn read_written(path: &Path, expected_len: usize) -> io::Result<(Vec<u8>, usize)> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len() as usize;
    let mut start = Vec::new();
    (&mut f)
        .take((expected_len + READ_PAST) as u64)
        .read_to_end(&mut start)?;
    let len = len.max(start.len());
    Ok((start, len))
}

/// How a file a program wrote differs from what it should hold.
#[derive(Debug)]
pub struct Written {
    /// The difference ([`content`]'s, or bytes with the file's whole length
    /// when only its start was read).
    pub detail: Detail,
    /// The file's length.
    pub len: usize,
    /// One of the two is the start of the other: only the length is wrong.
    pub prefix: bool,
}

/// Compares the file at `path`, a program's, with `expected`, reading only
/// its start ([`read_written`]); `None` when it holds exactly `expected`.
pub fn written(label: &str, expected: &[u8], path: &Path) -> io::Result<Option<Written>> {
    let (start, len) = read_written(path, expected.len())?;
    let detail = if start.len() < len {
        longer(Label::parse(label), expected, &start, len)
    } else {
        content(label, expected, &start)
    };
    Ok(detail.map(|detail| Written {
        detail,
        len,
        prefix: start.starts_with(expected) || expected.starts_with(&start),
    }))
}

/// The difference from `expected` of a file of `len` bytes of which only
/// `start` was read: it is longer than `expected`, so bytes differ.
fn longer(label: Label, expected: &[u8], start: &[u8], len: usize) -> Option<Detail> {
    let offset = first_difference(expected, start).unwrap_or(expected.len());
    Some(window(
        label,
        offset,
        expected,
        start,
        expected.len(),
        len,
        0,
    ))
}

/// Checks that the file at `path` holds exactly `expected`; `shown` is how
/// the details name it (the property never does, so hidden names stay
/// hidden). Text is diffed, binary data compared bytewise.
pub fn file(path: &Path, shown: &str, expected: &[u8]) -> Result<(), Failure> {
    let (actual, len) = match read_written(path, expected.len()) {
        Ok(a) => a,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Failure::mismatch(Phrase::new("harness-file-not-created"))
                .note(Phrase::new("harness-file-missing").arg("name", shown)))
        }
        Err(e) => {
            return Err(Failure::mismatch(Phrase::new("harness-file-unreadable"))
                .note(Sentence::plain(format!("`{shown}`: {e}"))))
        }
    };
    let label = Label::Other(shown.to_string());
    let detail = if actual.len() < len {
        longer(label, expected, &actual, len)
    } else {
        match std::str::from_utf8(expected) {
            Ok(text_expected) if expected.len() <= 64 * 1024 => {
                labelled_text(label, text_expected, &actual)
            }
            _ => labelled_bytes(label, expected, &actual),
        }
    };
    match detail {
        None => Ok(()),
        Some(d) => Err(Failure::mismatch(Phrase::new("harness-file-content")).with(d)),
    }
}

/// Compares two files of any size by streaming them; `None` when equal.
pub fn files(label: &str, expected: &Path, actual: &Path) -> io::Result<Option<Detail>> {
    let label = Label::parse(label);
    let expected_len = std::fs::metadata(expected)?.len() as usize;
    let actual_len = std::fs::metadata(actual)?.len() as usize;
    let mut a = File::open(expected)?;
    let mut b = File::open(actual)?;
    let mut buf_a = vec![0u8; 1 << 20];
    let mut buf_b = vec![0u8; 1 << 20];
    let mut base = 0usize;
    loop {
        let n = read_full(&mut a, &mut buf_a)?;
        let m = read_full(&mut b, &mut buf_b)?;
        if let Some(local) = first_difference(&buf_a[..n], &buf_b[..m]) {
            return Ok(Some(window(
                label,
                base + local,
                &buf_a[..n],
                &buf_b[..m],
                expected_len,
                actual_len,
                base,
            )));
        }
        if n == 0 {
            return Ok(None);
        }
        base += n;
    }
}

/// The difference between what a file should hold and what it holds: a
/// diff of lines when both are short text ([`is_text`]), a comparison of
/// bytes otherwise; `None` when they are equal.
pub fn content(label: &str, expected: &[u8], actual: &[u8]) -> Option<Detail> {
    match std::str::from_utf8(expected) {
        Ok(text) if is_text(expected) && is_text(actual) => self::text(label, text, actual),
        _ => bytes(label, expected, actual),
    }
}

/// Whether a diff of lines suits these bytes: short UTF-8 text without
/// control characters other than line endings and tabs.
pub fn is_text(bytes: &[u8]) -> bool {
    bytes.len() <= 64 * 1024
        && std::str::from_utf8(bytes)
            .is_ok_and(|s| !s.chars().any(|c| c.is_control() && !"\n\r\t".contains(c)))
}

/// Fills `buf` from `f` as far as the file goes; the count read (less than
/// `buf.len()` only at the end of the file).
pub fn read_full(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match f.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_file_a_program_wrote_is_read_from_its_start_only() {
        // A program may write up to 1 GiB; the grader reads what shows the
        // difference, and learns the rest's length only.
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let mut f = File::create(&path).unwrap();
        f.write_all(b"hello\nand more").unwrap();
        f.set_len(1 << 30).unwrap();
        drop(f);
        let expected = b"hello\n";
        let (start, len) = read_written(&path, expected.len()).unwrap();
        assert_eq!(len, 1 << 30);
        assert_eq!(start.len(), expected.len() + READ_PAST);
        let w = written("out", expected, &path)
            .unwrap()
            .expect("it differs");
        assert!(w.prefix, "the expected bytes are its start");
        assert_eq!(w.len, 1 << 30);
        match &w.detail {
            Detail::Bytes {
                offset,
                expected_len,
                actual_len,
                ..
            } => assert_eq!((*offset, *expected_len, *actual_len), (6, 6, 1 << 30)),
            other => panic!("{other:?}"),
        }
        let f = file(&path, "out", expected).unwrap_err();
        assert!(format!("{f:?}").contains("1073741824"), "{f:?}");
        // Read whole when short: equal is equal, and text is diffed.
        std::fs::write(&path, "hello\n").unwrap();
        assert!(written("out", expected, &path).unwrap().is_none());
        file(&path, "out", expected).unwrap();
        std::fs::write(&path, "help\n").unwrap();
        let w = written("out", expected, &path).unwrap().unwrap();
        assert!(!w.prefix);
        assert!(matches!(w.detail, Detail::Diff { .. }), "{:?}", w.detail);
    }

    #[test]
    fn equal_text_has_no_detail_and_different_text_a_diff() {
        assert_eq!(text("stdout", "a\n", b"a\n"), None);
        assert!(matches!(
            text("stdout", "a\n", b"b\n"),
            Some(Detail::Diff { .. })
        ));
        assert!(matches!(
            text("stdout", "a", &[0xff]),
            Some(Detail::Bytes { offset: 0, .. })
        ));
    }

    #[test]
    fn first_difference_covers_prefixes() {
        assert_eq!(first_difference(b"abc", b"abc"), None);
        assert_eq!(first_difference(b"abc", b"abd"), Some(2));
        assert_eq!(first_difference(b"abc", b"ab"), Some(2));
        assert_eq!(first_difference(b"", b"a"), Some(0));
        // Across blocks: the first difference, wherever it is.
        let a = vec![5u8; 10_000];
        for at in [0, 4095, 4096, 4097, 9_999] {
            let mut b = a.clone();
            b[at] = 6;
            assert_eq!(first_difference(&a, &b), Some(at), "{at}");
        }
        assert_eq!(first_difference(&a, &a[..8192]), Some(8192));
    }

    #[test]
    fn streamed_files_report_the_absolute_offset() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        let mut data = vec![7u8; 3 << 20];
        std::fs::write(&a, &data).unwrap();
        data[(2 << 20) + 5] = 8;
        std::fs::write(&b, &data).unwrap();
        match files("copy", &a, &b).unwrap() {
            Some(Detail::Bytes { offset, .. }) => assert_eq!(offset, (2 << 20) + 5),
            other => panic!("{other:?}"),
        }
        assert_eq!(files("copy", &a, &a).unwrap(), None);
    }
}
