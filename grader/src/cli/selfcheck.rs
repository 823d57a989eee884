//! `grader selfcheck`: checks the course against itself, with progress on
//! stderr and the table on stdout.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use grader::builder;
use grader::catalog::Catalog;
use grader::pipeline;
use grader::render::progress::Reporter;
use grader::selfcheck::{self, SelfcheckOptions, Step, SubjectTiming};
use grader::text::{fmt, Lang};
use grader::toolchain::Toolchain;

/// The command line of `grader selfcheck` (its sandbox and language
/// options aside).
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct SelfcheckArgs {
    /// The course's root [default: the course this grader was built from].
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Check only this exercise (repeatable).
    #[arg(long = "only", value_name = "NAME")]
    only: Vec<String>,
    /// Tests run at once at most in each grading [default: 16 per core in all, up to 64 while the CPU has time to spare, CPU-heavy tests one per core].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Submissions graded at once (their tests share the process's budget;
    /// `--builds` of them build at a time, the others run their tests).
    #[arg(long, value_name = "N", default_value_t = 24)]
    parallel: usize,
    /// Submissions built at once [default: one per core].
    #[arg(long, value_name = "N")]
    builds: Option<usize>,
    /// Seed of the randomized inputs.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Where builds are cached [default: one cache per course under the
    /// system's temp dir].
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
    /// The longest the build of one submission may take, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = builder::BUILD_TIMEOUT.as_secs())]
    build_timeout: u64,
    /// Also write where each submission's time went to FILE (tab-separated:
    /// subject, start, build and grading milliseconds, tests and their
    /// milliseconds, the CPU-heavy tests' milliseconds, the longest test
    /// and its milliseconds; the longest grading first).
    #[arg(long, value_name = "FILE")]
    timings: Option<PathBuf>,
}

/// `grader selfcheck`, once the sandbox is set up: checks the course,
/// shows progress on stderr and the table on stdout, in `lang`; returns
/// the exit status.
pub(crate) fn run(args: SelfcheckArgs, lang: Lang, toolchain: Toolchain) -> anyhow::Result<i32> {
    let catalog = Catalog::builtin()?;
    let opts = SelfcheckOptions {
        root: args.root.unwrap_or_else(selfcheck::default_root),
        only: args.only,
        jobs: args.jobs.unwrap_or_else(pipeline::default_jobs),
        parallel: args.parallel,
        builds: args.builds.unwrap_or_else(grader::admission::cores).max(1),
        seed: args.seed,
        target_dir: args.target_dir,
        build_timeout: Duration::from_secs(args.build_timeout),
        toolchain,
        lang,
    };
    let reporter = Reporter::items(0, "", lang);
    let on_step = |step: Step<'_>| match step {
        Step::Started { label } => reporter.item_started(label),
        Step::Grading { label, progress } => reporter.progress(Some(label), progress),
        Step::Finished { label, done, total } => {
            reporter.item_done(done, total, false);
            reporter.plain_line(&fmt(
                lang,
                "selfcheck-progress",
                &[
                    ("done", done.into()),
                    ("total", total.into()),
                    ("label", label.into()),
                ],
            ));
        }
    };
    let result = selfcheck::check(&catalog, &opts, &on_step);
    reporter.finish();
    let result = result?;
    if let Some(path) = &args.timings {
        write_timings(path, &result.timings).with_context(|| {
            fmt(
                lang,
                "selfcheck-timings-write",
                &[("path", path.display().to_string().into())],
            )
        })?;
    }
    let mut stdout = std::io::stdout().lock();
    selfcheck::render(&result, lang, &mut stdout)?;
    stdout.flush()?;
    Ok(result.exit_code())
}

/// Writes the timings table to `path`, under a temporary name beside it,
/// then renamed into place.
fn write_timings(path: &Path, timings: &[SubjectTiming]) -> std::io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(parent)?;
    selfcheck::timings::write(timings, &mut tmp)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
