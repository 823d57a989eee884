//! `grader release` and `grader gradescope-bundle`: what the course hands
//! out, written and said.
use std::path::{Path, PathBuf};

use grader::catalog::Catalog;
use grader::text::{fmt, Lang};

/// `grader release OUT`: releases the course this grader was built from
/// and says what it wrote.
pub(crate) fn release(out: &Path, lang: Lang) -> anyhow::Result<()> {
    let catalog = Catalog::builtin()?;
    let released = grader::release::release(&catalog, &grader::release::default_root(), out)?;
    let points: u32 = released.exercises.iter().map(|e| e.points).sum();
    let tests: usize = released.exercises.iter().map(|e| e.tests).sum();
    let shown = out.display().to_string();
    let wrote = fmt(
        lang,
        "release-wrote",
        &[
            ("out", shown.as_str().into()),
            ("files", released.files.into()),
            ("exercises", released.exercises.len().into()),
            ("tests", tests.into()),
            ("points", points.into()),
            ("hidden", released.hidden_left_out.into()),
        ],
    );
    println!("{wrote}");
    println!("{}", fmt(lang, "release-next", &[("out", shown.into())]));
    Ok(())
}

/// `grader gradescope-bundle OUT`: writes Gradescope's autograder zip and
/// says what to do with it.
pub(crate) fn gradescope_bundle(
    out: &Path,
    root: Option<PathBuf>,
    lang: Lang,
) -> anyhow::Result<()> {
    let root = root.unwrap_or_else(grader::gradescope_bundle::default_root);
    let summary = grader::gradescope_bundle::write(&root, out)?;
    let wrote = fmt(
        lang,
        "gradescope-bundle-wrote",
        &[
            ("out", out.display().to_string().into()),
            ("files", summary.files.len().into()),
        ],
    );
    println!("{wrote}");
    Ok(())
}
