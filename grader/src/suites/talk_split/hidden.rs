//! The hidden tests of `talk_split`: left out of the repository students clone.
use super::*;
use crate::harness::{say, Ctx, ResultExt, Rng, TestDef, TestResult};

/// The hidden tests, after the visible ones.
pub(super) fn tests() -> Vec<TestDef> {
    vec![
        TestDef::hidden("random_dialogue", 3, random_dialogue).clauses(&[1, 2, 3, 4, 6, 8, 12]),
        TestDef::hidden(
            "random_dialogue_with_bad_lines",
            2,
            random_dialogue_with_bad_lines,
        )
        .clauses(&[6, 10, 11]),
    ]
}

fn random_dialogue(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    let spoken = rng.range(250, 350) as usize;
    let (d, text) = generate(&mut rng, spoken, 0);
    t.mkdir("out")?;
    let run = split(t, &text, "out")?;
    expect_out_dir(t, &run, "out", &d.said, &[])?;
    run.expect_code(0).context(say("talk-every-line-fine"))
}

fn random_dialogue_with_bad_lines(t: &mut Ctx) -> TestResult {
    let mut rng = t.rng();
    let spoken = rng.range(120, 180) as usize;
    let bad = rng.range(8, 14) as usize;
    let (d, text) = generate(&mut rng, spoken, bad);
    t.mkdir("work/out")?;
    let run = split(t, &text, "work/out")?;
    expect_nothing_outside(t, &run, Some("work/out"), &[TALK], outside())?;
    expect_out_dir(t, &run, "work/out", &d.said, &[])?;
    expect_warnings(&run, &d.bad)?;
    run.expect_code(1).context(say("talk-some-skipped"))
}

// ---------------------------------------------------------------------------
// A long random dialogue

const CHINESE_NAMES: &[&str] = &[
    "老王",
    "老李",
    "老张",
    "小明",
    "小红",
    "张三",
    "李四",
    "王五",
    "赵六",
    "欧阳娜娜",
    "诸葛亮",
    "司马光",
    "林黛玉",
    "贾宝玉",
];
const SPACED_NAMES: &[&str] = &[
    "Mary Ann",
    "Jean Luc Picard",
    "Li Lei",
    "Han Meimei",
    "Mr. Smith",
    "老 王 头",
    "Dr. No",
    "Anne Marie",
];
const PLAIN_NAMES: &[&str] = &[
    "Alice", "Bob", "carol", "Dave_2", "Zoë", "x.y", "Jr.", "R2-D2", "O'Brien",
];

/// Pieces of WORDS: both colon kinds, slashes, quotes, spaces.
const PHRASES: &[&str] = &[
    "吃了么",
    "没那，您呢？",
    "遛弯啊",
    "是啊",
    "他说：“走吧”",
    "see you at 10:30",
    "ratio 16:9",
    "note: bring the map",
    "a:b：c",
    "路径 a/b\\c",
    "\"quoted\"",
    "it's fine",
    "100%",
    "：",
    ":",
    "  ",
    "\t",
    "好的好的",
    "明天见",
];

/// White space around a NAME, mostly none.
const PADS: &[&str] = &["", "", "", "", " ", "  ", "\t", " \t"];
/// Lines of only white space.
const BLANKS: &[&str] = &["", "", " ", "   ", "\t", " \t "];

/// One of the two colons.
fn colon(rng: &mut Rng) -> &'static str {
    if rng.below(2) == 0 {
        "："
    } else {
        ":"
    }
}

/// A line ending, mostly `\n`.
fn ending(rng: &mut Rng) -> &'static str {
    if rng.below(4) == 0 {
        "\r\n"
    } else {
        "\n"
    }
}

/// Random WORDS: phrases, sometimes with leading or trailing white space,
/// now and then empty.
fn words(rng: &mut Rng) -> String {
    if rng.below(40) == 0 {
        return String::new();
    }
    let mut w = String::new();
    if rng.below(3) == 0 {
        w.push_str(rng.choose(&[" ", "  ", "\t"]));
    }
    for i in 0..rng.range(1, 4) {
        if i > 0 && rng.below(2) == 0 {
            w.push(' ');
        }
        w.push_str(rng.choose(PHRASES));
    }
    if rng.below(5) == 0 {
        w.push_str(rng.choose(&[" ", "   ", "\t"]));
    }
    w
}

/// 20 speakers: Chinese names, names with inner spaces, and others.
fn speakers(rng: &mut Rng) -> Vec<&'static str> {
    let mut all = Vec::new();
    for (pool, n) in [(CHINESE_NAMES, 8), (SPACED_NAMES, 6), (PLAIN_NAMES, 6)] {
        let mut pool = pool.to_vec();
        rng.shuffle(&mut pool);
        all.extend_from_slice(&pool[..n]);
    }
    all
}

/// A dialogue being generated: its lines with their endings, what each
/// speaker said, and the numbers of the bad lines.
#[derive(Default)]
struct Dialogue {
    lines: Vec<String>,
    said: Said,
    bad: Vec<usize>,
}

impl Dialogue {
    fn speak(&mut self, rng: &mut Rng, name: &str) {
        let w = words(rng);
        let line = format!(
            "{}{name}{}{}{w}{}",
            rng.pick(PADS),
            rng.pick(PADS),
            colon(rng),
            ending(rng)
        );
        self.lines.push(line);
        self.said.add(name, &w);
    }

    fn blank(&mut self, rng: &mut Rng) {
        self.lines
            .push(format!("{}{}", rng.pick(BLANKS), ending(rng)));
    }

    fn bad(&mut self, line: String, rng: &mut Rng) {
        self.lines.push(format!("{line}{}", ending(rng)));
        self.bad.push(self.lines.len());
    }

    /// The file's text; a last line that is not blank loses its ending
    /// half of the time.
    fn text(&self, rng: &mut Rng) -> String {
        let mut text: String = self.lines.concat();
        let last_said = self.lines.last().is_some_and(|l| !l.trim().is_empty());
        if last_said && rng.below(2) == 0 {
            let cut = text.trim_end_matches(['\r', '\n']).len();
            text.truncate(cut);
        }
        text
    }
}

/// A line that must be skipped with a warning.
fn bad_line(rng: &mut Rng) -> String {
    const NO_COLON: &[&str] = &[
        "今天天气不错",
        "just talking to myself",
        "（笑）",
        "……",
        "没有冒号的一行",
    ];
    const UNSAFE: &[&str] = &[
        "..",
        ".",
        ".hidden",
        ".老王",
        "a/b",
        "a\\b",
        "../escaped",
        "../../escaped",
        "老王/老李",
        "\\\\server",
    ];
    match rng.below(3) {
        0 => rng.pick(NO_COLON).to_string(),
        1 => format!("{}{}{}", rng.pick(PADS), colon(rng), words(rng)),
        _ => format!(
            "{}{}{}{}{}",
            rng.pick(PADS),
            rng.pick(UNSAFE),
            rng.pick(PADS),
            colon(rng),
            words(rng)
        ),
    }
}

/// A random dialogue of `spoken` lines among blank lines, with `bad` bad
/// lines at random places.
fn generate(rng: &mut Rng, spoken: usize, bad: usize) -> (Dialogue, String) {
    let cast = speakers(rng);
    let mut kinds: Vec<bool> = std::iter::repeat_n(false, spoken)
        .chain(std::iter::repeat_n(true, bad))
        .collect();
    rng.shuffle(&mut kinds);
    let mut d = Dialogue::default();
    for is_bad in kinds {
        if rng.below(10) == 0 {
            d.blank(rng);
        }
        if is_bad {
            let line = bad_line(rng);
            d.bad(line, rng);
        } else {
            let name = *rng.pick(&cast);
            d.speak(rng, name);
        }
    }
    let text = d.text(rng);
    (d, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_dialogue_matches_its_model() {
        let mut rng = Rng::new(3);
        let (d, text) = generate(&mut rng, 300, 10);
        assert_eq!(d.bad.len(), 10);
        assert_eq!(d.said.0.iter().map(|(_, l)| l.len()).sum::<usize>(), 300);
        let lines: Vec<&str> = text.split('\n').collect();
        for &n in &d.bad {
            assert!(!lines[n - 1].trim().is_empty());
        }
        for (name, _) in &d.said.0 {
            assert!(!name.contains([':', '：', '/', '\\']) && !name.starts_with('.'));
        }
    }
}
