//! Showing bytes to people: escaped text for transcripts and shell-quoted
//! commands they can paste.
use std::fmt::Write;

/// Shows bytes as text: valid UTF-8 as itself, `\r`, `\n`, `\t`, `\0`, `\\`
/// and `"` escaped, other control characters and invalid bytes as `\xNN`.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let special = |c| match c {
        '\r' => Some("\\r"),
        '\n' => Some("\\n"),
        '\t' => Some("\\t"),
        '\0' => Some("\\0"),
        '\\' => Some("\\\\"),
        '"' => Some("\\\""),
        _ => None,
    };
    escape_into(&mut out, bytes, special, |out, b| {
        let _ = write!(out, "\\x{b:02x}");
    });
    out
}

/// Appends `bytes` to `out`: the characters `special` gives an escape as
/// that escape, the other control characters and the bytes that are not
/// UTF-8 byte by byte through `byte`, the rest as they are.
fn escape_into(
    out: &mut String,
    bytes: &[u8],
    special: impl Fn(char) -> Option<&'static str>,
    byte: impl Fn(&mut String, u8),
) {
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match special(c) {
                Some(escape) => out.push_str(escape),
                None if c.is_control() => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        byte(out, b);
                    }
                }
                None => out.push(c),
            }
        }
        for b in chunk.invalid() {
            byte(out, *b);
        }
    }
}

/// Shows text as it is, except that control characters other than `\n`
/// (`\r`, tabs, NULs) are written as escapes and every line ending is
/// marked `\n`: for input files whose line endings matter.
pub fn show_line_endings(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n\n"),
            '\t' => out.push_str("\\t"),
            c => push_escaped(&mut out, c),
        }
    }
    out
}

/// Appends `c`, written as an escape when it is a control character
/// (`\r`, `\0`, `\u{1b}`): nothing a program printed drives the terminal
/// that shows it.
pub fn push_escaped(out: &mut String, c: char) {
    match c {
        '\r' => out.push_str("\\r"),
        '\0' => out.push_str("\\0"),
        c if c.is_control() => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// Serializes bytes as escaped text (for JSON reports).
pub fn serialize_bytes<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&escape_bytes(bytes))
}

/// The bytes that [`escape_bytes`] showed as `text`: its exact inverse, so
/// that a report read back (the result cache) shows the same bytes.
pub fn unescape_bytes(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some('r') => out.push(b'\r'),
            Some('n') => out.push(b'\n'),
            Some('t') => out.push(b'\t'),
            Some('0') => out.push(0),
            Some('\\') => out.push(b'\\'),
            Some('"') => out.push(b'"'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                let byte = u8::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 2)
                    .ok_or_else(|| format!("`\\x{hex}` is not an escaped byte"))?;
                out.push(byte);
            }
            other => return Err(format!("unknown escape `\\{}`", other.unwrap_or(' '))),
        }
    }
    Ok(out)
}

/// Deserializes bytes written by [`serialize_bytes`].
pub fn deserialize_bytes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(d)?;
    unescape_bytes(&text).map_err(serde::de::Error::custom)
}

/// Quotes one word for a POSIX shell, leaving plain words bare.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=,@%+".contains(&b));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Bytes as the argument of `printf '...'`: escapes that printf understands.
pub fn printf_arg(bytes: &[u8]) -> String {
    let mut out = String::from("'");
    let special = |c| match c {
        '\r' => Some("\\r"),
        '\n' => Some("\\n"),
        '\t' => Some("\\t"),
        '\\' => Some("\\\\"),
        '%' => Some("%%"),
        '\'' => Some("'\\''"),
        _ => None,
    };
    escape_into(&mut out, bytes, special, |out, b| {
        let _ = write!(out, "\\{b:03o}");
    });
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_and_invalid_bytes_keeps_unicode() {
        assert_eq!(escape_bytes(b"GET /\r\n"), "GET /\\r\\n");
        assert_eq!(escape_bytes("老王：\0".as_bytes()), "老王：\\0");
        assert_eq!(escape_bytes(&[0xff, b'a', 0x1b]), "\\xffa\\x1b");
    }

    #[test]
    fn unescaping_gives_back_the_escaped_bytes() {
        let cases: [&[u8]; 5] = [
            b"GET /\r\n\t\0\"q\"",
            "老王：\u{85}\u{1b}".as_bytes(),
            &[0xff, b'a', 0x1b, 0xc3],
            b"a literal \\x41 and \\\\",
            b"",
        ];
        for bytes in cases {
            assert_eq!(unescape_bytes(&escape_bytes(bytes)).unwrap(), bytes);
        }
        assert!(unescape_bytes("\\x4").is_err());
        assert!(unescape_bytes("\\q").is_err());
    }

    #[test]
    fn line_endings_are_shown_only_where_control_characters_are() {
        assert_eq!(show_line_endings("a\\b\n"), "a\\b\n");
        assert_eq!(show_line_endings("a\\b\r\nc"), "a\\b\\r\\n\nc");
    }

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(shell_quote("dict.txt"), "dict.txt");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn printf_argument_round_trips_through_a_shell() {
        let bytes = b"GET /%41 it's\r\n\x01";
        let out = crate::sandbox::output_registered(
            std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf {}", printf_arg(bytes)))
                .stdout(std::process::Stdio::piped()),
        )
        .unwrap();
        assert_eq!(out.stdout, bytes);
    }
}
