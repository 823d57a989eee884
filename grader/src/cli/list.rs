//! `grader list` and `grader hint`: the exercises in teaching order, and
//! an exercise's hints.
use grader::catalog::Catalog;
use grader::error::GradeError;
use grader::render::focus;
use grader::render::Paint;
use grader::text::Lang;

pub(crate) fn list(lang: Lang) -> anyhow::Result<()> {
    use grader::text::fmt;
    let catalog = Catalog::builtin()?;
    let mut lesson = "";
    for ex in &catalog.exercises {
        if ex.entry.lesson != lesson {
            lesson = &ex.entry.lesson;
            let title = catalog
                .course
                .lesson(lesson)
                .map(|l| match lang {
                    Lang::En => l.title.en.as_str(),
                    Lang::Zh => l.title.zh.as_str(),
                })
                .unwrap_or("");
            println!("{title}");
        }
        let points = fmt(lang, "list-points", &[("points", ex.points.into())]);
        let tests = fmt(lang, "list-tests", &[("count", ex.tests.len().into())]);
        println!(
            "  {:<14} {points:>7}  {tests}  {}",
            ex.entry.name,
            ex.entry.title(lang)
        );
    }
    Ok(())
}

pub(crate) fn hint(name: &str, lang: Lang) -> anyhow::Result<()> {
    let catalog = Catalog::builtin()?;
    let ex = catalog
        .exercise(name)
        .ok_or_else(|| GradeError::UnknownExercise(name.to_string()))?;
    let mut out = std::io::stdout().lock();
    focus::render_hints(
        &ex.entry,
        &format!("exercises/{name}/{}", readme(lang)),
        lang,
        Paint::none(),
        &mut out,
    )?;
    Ok(())
}

/// The README a reader of `lang` reads.
fn readme(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "README.md",
        Lang::Zh => "README.zh.md",
    }
}
