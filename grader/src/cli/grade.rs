//! `grader grade`: builds a submission, runs its tests, and writes the
//! report (the focused view for students), or keeps watching it.
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::ValueEnum;

use grader::builder;
use grader::cache::ResultCache;
use grader::catalog::Catalog;
use grader::pipeline::{self, GradeOptions, Progress};
use grader::render::focus::{self, FocusOptions};
use grader::render::format::{Destination, Format};
use grader::render::progress::Reporter;
use grader::render::{self, human::HumanOptions, Paint};
use grader::report::Audience;
use grader::toolchain::Toolchain;

use super::options::{AudienceName, FormatName, LangArgs, SandboxArgs};

/// The seed of randomized inputs unless `--seed` says otherwise.
const DEFAULT_SEED: u64 = 42;

#[derive(clap::Args)]
pub(crate) struct GradeArgs {
    /// The submission: a directory with one crate per exercise, laid out like
    /// `exercises/` [default: the course's `exercises/`]
    pub(crate) dir: Option<PathBuf>,
    /// Grade only this exercise (repeatable).
    #[arg(long = "only", value_name = "NAME")]
    pub(crate) only: Vec<String>,
    /// Run only the tests of this name in the selected exercises
    /// (repeatable); the score then counts only those tests.
    #[arg(long = "test", value_name = "TEST")]
    pub(crate) tests: Vec<String>,
    /// Report format on stdout.
    #[arg(long, value_enum, default_value_t = FormatName::Human)]
    pub(crate) format: FormatName,
    /// Tests run at once at most [default: 16 per core, up to 64 while the CPU has time to spare, CPU-heavy tests one per core].
    #[arg(long, value_name = "N")]
    pub(crate) jobs: Option<usize>,
    /// Seed of the randomized inputs (printed in every report).
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub(crate) seed: u64,
    /// Exit 0 whenever grading completed, whatever the score.
    #[arg(long)]
    pub(crate) no_fail: bool,
    /// Who reads the report: students do not see hidden tests' details.
    #[arg(long, value_enum, default_value_t = AudienceName::Student)]
    pub(crate) audience: AudienceName,
    /// Expand every failing test in the human report.
    #[arg(long, short)]
    pub(crate) verbose: bool,
    /// Also write the report to this file, in `--results-format`.
    #[arg(long, value_name = "FILE")]
    pub(crate) results: Option<PathBuf>,
    /// Format of the `--results` file.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = FormatName::Json)]
    pub(crate) results_format: FormatName,
    /// Where builds are cached [default: a directory per submission under the system's temp dir].
    #[arg(long, value_name = "DIR")]
    pub(crate) target_dir: Option<PathBuf>,
    /// The longest the build of a submission may take, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = builder::BUILD_TIMEOUT.as_secs())]
    pub(crate) build_timeout: u64,
    /// Grade every exercise again, ignoring the results kept from earlier
    /// gradings (the human report keeps each unchanged exercise's result).
    #[arg(long)]
    pub(crate) fresh: bool,
    /// Keep running: grade again whenever a file of the submission changes
    /// (keys: h hint, n/p next/previous exercise, l list, r run again, q quit).
    #[arg(long)]
    pub(crate) watch: bool,
    #[command(flatten)]
    pub(crate) lang: LangArgs,
    #[command(flatten)]
    pub(crate) sandbox: SandboxArgs,
}

fn default_submission() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("exercises")
}

/// The pipeline's options for `args`.
fn grade_options(args: &GradeArgs, toolchain: Toolchain) -> GradeOptions {
    let format = Format::from(args.format);
    GradeOptions {
        dir: args.dir.clone().unwrap_or_else(default_submission),
        shown: args
            .dir
            .as_ref()
            .map(|d| d.display().to_string())
            .unwrap_or_else(|| "exercises".into()),
        only: args.only.clone(),
        tests: args.tests.clone(),
        jobs: args.jobs.unwrap_or_else(pipeline::default_jobs),
        seed: args.seed,
        audience: Audience::from(args.audience),
        target_dir: args.target_dir.clone(),
        build_timeout: std::time::Duration::from_secs(args.build_timeout),
        toolchain,
        sandbox: pipeline::sandbox_layers(),
        // The human report's messages are in the reader's language (and so
        // are the results it keeps); a machine format's in English unless
        // --lang says otherwise.
        lang: if format == Format::Human && args.results.is_none() {
            args.lang.for_people()
        } else {
            args.lang.for_machines()
        },
    }
}

pub(crate) fn grade(args: GradeArgs, toolchain: Toolchain) -> anyhow::Result<i32> {
    let catalog = Catalog::builtin()?;
    let format_name = args.format;
    let format = Format::from(args.format);
    let results_format = Format::from(args.results_format);
    let audience = Audience::from(args.audience);
    let opts = grade_options(&args, toolchain);
    // The human report keeps each exercise's result, and grades again only
    // the exercises that changed; machine formats and results files never
    // read (nor write) the kept results.
    let kept = format == Format::Human && args.results.is_none();
    if args.watch {
        if args.results.is_some() {
            return Err(anyhow::anyhow!(
                "--watch keeps redrawing the human report: it cannot write --results"
            ));
        }
        if !kept {
            return Err(anyhow::anyhow!(
                "--watch shows the human report: it cannot be used with --format {}",
                format_name
                    .to_possible_value()
                    .map_or("?".into(), |v| v.get_name().to_string())
            ));
        }
        let cache = ResultCache::for_submission(&opts.dir, args.target_dir.as_deref());
        return Ok(grader::watch::run(&catalog, &opts, &cache, args.fresh)?);
    }
    let reporter = Reporter::grading().in_lang(opts.lang);
    let on_progress = |p: Progress<'_>| reporter.progress(None, p);
    let (report, unchanged) = if kept {
        let cache = ResultCache::for_submission(&opts.dir, args.target_dir.as_deref());
        let fresh = args.fresh;
        let graded = grader::cache::grade(&catalog, &opts, &cache, &|_| fresh, &on_progress)?;
        (graded.report, graded.unchanged)
    } else {
        let report = pipeline::grade(&catalog, &opts, &on_progress)?;
        (report, BTreeSet::new())
    };
    reporter.finish();

    let mut stdout = std::io::stdout().lock();
    let human = HumanOptions {
        paint: Paint::new(
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        ),
        verbose: args.verbose,
        lang: if format == Format::Human {
            args.lang.for_people()
        } else {
            args.lang.for_machines()
        },
    };
    print_report(
        &args,
        format,
        audience,
        &report,
        &unchanged,
        human,
        &mut stdout,
    )?;
    stdout.flush()?;
    if let Some(path) = &args.results {
        let plain = HumanOptions {
            paint: Paint::none(),
            ..human
        };
        write_atomically(path, |w| {
            render::format::write(results_format, Destination::File, &report, plain, w)
        })
        .with_context(|| format!("writing the results file {}", path.display()))?;
    }
    let classroom = format == Format::Classroom
        || (args.results.is_some() && results_format == Format::Classroom);
    if let Some(path) = std::env::var_os("GITHUB_OUTPUT").filter(|_| classroom) {
        render::classroom::append_step_output(&report, Path::new(&path))
            .context("writing the step output `result` to $GITHUB_OUTPUT")?;
    }
    Ok(report.verdict().exit_code(args.no_fail))
}

/// Writes the report of `grade` to stdout: the focused view for students,
/// else the format asked for.
fn print_report(
    args: &GradeArgs,
    format: Format,
    audience: Audience,
    report: &grader::report::Report,
    unchanged: &BTreeSet<String>,
    human: HumanOptions,
    stdout: &mut impl Write,
) -> anyhow::Result<()> {
    // Students see the focused view: progress, one line per exercise, the
    // current exercise expanded; `--only` and `--verbose` list everything.
    let focused = format == Format::Human
        && audience == Audience::Student
        && args.only.is_empty()
        && !args.verbose;
    if focused {
        let view = FocusOptions {
            paint: human.paint,
            current: None,
            unchanged,
            notice: None,
            lines: focus::SCREEN_LINES,
            width: if std::io::stdout().is_terminal() {
                crossterm::terminal::size().map_or(focus::WIDTH, |(c, _)| usize::from(c).max(20))
            } else {
                focus::WIDTH
            },
            lang: human.lang,
        };
        focus::render(report, view, stdout)?;
    } else {
        render::format::write(format, Destination::Stdout, report, human, stdout)?;
        if !unchanged.is_empty() {
            let names: Vec<&str> = unchanged.iter().map(String::as_str).collect();
            writeln!(
                stdout,
                "{}",
                human.paint.dim(&grader::text::fmt(
                    human.lang,
                    "grade-unchanged",
                    &[("names", names.join(", ").into())]
                ))
            )?;
        }
    }
    Ok(())
}

/// Writes a file under a temporary name beside it, then renames it into
/// place, so a reader never sees half a file.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(parent)?;
    write(&mut tmp)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
