//! Fitting the view on a screen: how many rows a line takes (colour codes
//! left out, a Chinese character two columns), cutting a line to a width,
//! and showing as many lines as fit with a closing line for the rest.
use crate::render::Paint;

/// Cuts `text` to `max` columns, marking the cut.
pub(super) fn cut_columns(text: &str, max: usize) -> String {
    if visible_len(text) <= max {
        return text.to_string();
    }
    let mut s = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        used += w;
        s.push(c);
    }
    s.push('…');
    s
}

/// The columns of `line` a terminal shows (color codes left out; two for
/// a Chinese character).
pub(super) fn visible_len(line: &str) -> usize {
    let mut n = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // A control sequence ends with a letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            n += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    n
}

/// The screen rows `line` takes at `width` columns.
pub(super) fn rows(line: &str, width: usize) -> usize {
    visible_len(line).div_ceil(width.max(1)).max(1)
}

/// Lines of text in at most `room` screen rows, the last saying how many
/// lines were left out when they do not all fit. Returns the rows taken.
pub(super) fn fit(
    lines: &[String],
    room: usize,
    width: usize,
    more: &dyn Fn(usize) -> String,
    p: Paint,
    out: &mut Vec<String>,
) -> usize {
    let total: usize = lines.iter().map(|l| rows(l, width)).sum();
    if total <= room {
        out.extend(lines.iter().cloned());
        return total;
    }
    // The closing line is as long as it is with the most lines left out.
    let closing = |left: usize| p.dim(&format!("      {}", more(left)));
    let closing_rows = rows(&closing(lines.len()), width);
    let mut used = 0;
    let mut shown = 0;
    for line in lines {
        let r = rows(line, width);
        if used + r + closing_rows > room {
            break;
        }
        out.push(line.clone());
        used += r;
        shown += 1;
    }
    let last = closing(lines.len() - shown);
    used += rows(&last, width);
    out.push(last);
    used
}
