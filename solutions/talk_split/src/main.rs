//! talk_split TALK OUT_DIR: write each speaker's lines of the dialogue TALK
//! to OUT_DIR/NAME.txt.
//!
//! The lesson (the notes' 文件分离练习): read a file line by line, gather
//! what each speaker said, then write one new file per speaker. Two things
//! the Python version in the notes leaves to chance are made explicit here:
//! a file opened for writing replaces the old one (append mode would pile a
//! second run onto the first), and a name read from a file is checked before
//! it becomes a path, so `../x` cannot write outside OUT_DIR.
use std::collections::HashMap;
use std::env;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

/// What one line of the dialogue is.
#[derive(Debug, PartialEq)]
enum Line<'a> {
    /// Only white space: skipped silently.
    Blank,
    /// `NAME：WORDS` with a usable NAME.
    Said { name: &'a str, words: &'a str },
    /// Anything else, with the reason it is skipped.
    Bad(&'static str),
}

/// Parses one line, its ending already removed.
fn parse(line: &str) -> Line<'_> {
    if line.trim().is_empty() {
        return Line::Blank;
    }
    // The first colon of either kind ends the name. `char_indices` gives
    // byte offsets; the full-width colon takes 3 bytes in UTF-8, so the
    // words start `len_utf8()` bytes after it, not always 1.
    let Some((at, colon)) = line.char_indices().find(|&(_, c)| c == ':' || c == '：') else {
        return Line::Bad("no colon");
    };
    let name = line[..at].trim();
    // Everything after the colon, verbatim: spaces and further colons too.
    let words = &line[at + colon.len_utf8()..];
    if name.is_empty() {
        return Line::Bad("empty speaker name");
    }
    if !is_safe_file_name(name) {
        return Line::Bad("the speaker name is not a safe file name");
    }
    Line::Said { name, words }
}

/// A name that stays one file inside OUT_DIR: no separator (so neither a
/// subdirectory nor `..` nor an absolute path), not `.`, `..` or hidden.
fn is_safe_file_name(name: &str) -> bool {
    !name.contains(['/', '\\']) && !name.starts_with('.')
}

/// Each speaker with their lines, in the order they first spoke.
#[derive(Default)]
struct Speakers {
    order: Vec<String>,
    lines: HashMap<String, Vec<String>>,
}

impl Speakers {
    fn add(&mut self, name: &str, words: &str) {
        if !self.lines.contains_key(name) {
            self.order.push(name.to_string());
        }
        self.lines
            .entry(name.to_string())
            .or_default()
            .push(words.to_string());
    }
}

/// Reads the dialogue; warns about each bad line on stderr. Returns the
/// speakers and whether every line was fine.
fn read_talk(talk: impl BufRead) -> io::Result<(Speakers, bool)> {
    let mut speakers = Speakers::default();
    let mut all_fine = true;
    // `lines()` removes the `\n` or `\r\n` ending and nothing else.
    for (i, line) in talk.lines().enumerate() {
        let line = line?;
        match parse(&line) {
            Line::Blank => {}
            Line::Said { name, words } => speakers.add(name, words),
            Line::Bad(why) => {
                // `enumerate` counts from 0; people count lines from 1.
                eprintln!("talk_split: line {}: {why}, skipped", i + 1);
                all_fine = false;
            }
        }
    }
    Ok((speakers, all_fine))
}

/// Writes one speaker's file. `File::create` truncates an existing file,
/// so the file holds this run's lines only.
fn write_speaker(path: &Path, lines: &[String]) -> io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    for words in lines {
        writeln!(out, "{words}")?;
    }
    out.flush()
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: talk_split TALK OUT_DIR");
        return ExitCode::from(2);
    }
    let (talk_path, out_dir) = (&args[1], Path::new(&args[2]));

    // Open the dialogue before touching OUT_DIR: if it is missing, nothing
    // at all is written.
    let talk = match File::open(talk_path) {
        Ok(f) => BufReader::new(f),
        Err(e) => {
            eprintln!("talk_split: cannot open {talk_path}: {e}");
            return ExitCode::from(2);
        }
    };
    let (speakers, mut all_fine) = match read_talk(talk) {
        Ok(read) => read,
        Err(e) => {
            eprintln!("talk_split: reading {talk_path}: {e}");
            return ExitCode::from(2);
        }
    };

    if let Err(e) = fs::create_dir_all(out_dir) {
        eprintln!("talk_split: cannot create {}: {e}", out_dir.display());
        return ExitCode::from(2);
    }
    for name in &speakers.order {
        // The name was checked in `parse`: the path stays inside OUT_DIR.
        let path = out_dir.join(format!("{name}.txt"));
        if let Err(e) = write_speaker(&path, &speakers.lines[name]) {
            eprintln!("talk_split: cannot write {}: {e}", path.display());
            all_fine = false;
        }
    }

    if all_fine {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said<'a>(name: &'a str, words: &'a str) -> Line<'a> {
        Line::Said { name, words }
    }

    #[test]
    fn first_colon_of_either_kind_ends_the_name() {
        assert_eq!(parse("老王：吃了么"), said("老王", "吃了么"));
        assert_eq!(parse(" Bob : at 10:30"), said("Bob", " at 10:30"));
        assert_eq!(parse("A：b:c"), said("A", "b:c"));
        assert_eq!(parse("A:b：c"), said("A", "b：c"));
    }

    #[test]
    fn blank_and_bad_lines() {
        assert_eq!(parse(" \t "), Line::Blank);
        assert!(matches!(parse("hello"), Line::Bad(_)));
        assert!(matches!(parse("  ：hi"), Line::Bad(_)));
        for name in ["..", ".", ".hidden", "a/b", "a\\b", "../x"] {
            let line = format!("{name}:hi");
            assert!(matches!(parse(&line), Line::Bad(_)), "{name}");
        }
        assert!(matches!(parse("Mr. Smith: hi"), Line::Said { .. }));
    }
}
