//! `grader batch` and `grader merge`: a class of submissions graded into
//! a gradebook, and the outputs of several shards joined into one.
use std::path::PathBuf;
use std::time::Duration;

use grader::batch::shard::Shard;
use grader::batch::{self, BatchOptions, MergeOptions};
use grader::builder;
use grader::pipeline;
use grader::text::{fmt, Lang};
use grader::toolchain::Toolchain;

/// The seed of randomized inputs unless `--seed` says otherwise (the same
/// as `grader grade`'s).
const DEFAULT_SEED: u64 = 42;

/// `grader batch`'s arguments.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct BatchArgs {
    /// The folder of submissions: one entry per student, named by the
    /// student id: a directory laid out like `exercises/` (or a copy of the
    /// student repository), a git repository, or a `.zip` / `.tar.gz` archive.
    submissions: PathBuf,
    /// Where the gradebook, results, feedback and report go (created if needed).
    #[arg(long, value_name = "OUT")]
    out: PathBuf,
    /// Grade git repositories at their last commit at or before this RFC 3339
    /// time (such as 2025-03-01T23:59:00+01:00), and mark later work late.
    #[arg(long, value_name = "TIME")]
    deadline: Option<String>,
    /// Grade only the students of shard K of N (FNV-1a of the student id, mod N).
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Grade only this exercise (repeatable).
    #[arg(long = "only", value_name = "NAME")]
    only: Vec<String>,
    /// Run only the tests of this name (repeatable).
    #[arg(long = "test", value_name = "TEST")]
    tests: Vec<String>,
    /// Tests run at once at most for each student [default: 16 per core, up to 64 while the CPU has time to spare, CPU-heavy tests one per core].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Students graded at once [default: 6 where each test is isolated in a
    /// world of its own, else 1]: their builds take turns, one at a time,
    /// while the students already built run their tests, all within the
    /// process's test budget.
    #[arg(long, value_name = "N")]
    parallel: Option<usize>,
    /// Seed of the randomized inputs.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// The build cache shared by the class [default: a directory per OUT
    /// under the system's temp dir].
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
    /// The longest the build of one submission may take, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = builder::BUILD_TIMEOUT.as_secs())]
    build_timeout: u64,
    /// Grade every student again, even those whose submission is unchanged.
    #[arg(long)]
    regrade: bool,
    /// The language of the tests' feedback in the results and feedback
    /// files (`en` or `zh`) [default: English, whatever the locale], and
    /// of what is printed [default: the locale's].
    #[arg(long, value_name = "LANG", value_parser = parse_lang)]
    lang: Option<Lang>,
}

impl BatchArgs {
    /// The language of what the batch prints: `--lang`, else the locale's.
    pub(crate) fn for_people(&self) -> Lang {
        self.lang.unwrap_or_else(Lang::from_env)
    }
}

/// `--lang`'s value.
fn parse_lang(code: &str) -> Result<Lang, String> {
    Lang::parse(code).ok_or_else(|| format!("`{code}` is not a language: en or zh"))
}

/// `grader batch`, once the sandbox is set up: grades the class, says
/// where the outputs are; returns the exit status.
pub(crate) fn run(args: BatchArgs, toolchain: &Toolchain) -> anyhow::Result<i32> {
    let lang = args.for_people();
    let opts = BatchOptions {
        submissions: args.submissions,
        out: args.out,
        deadline: args.deadline,
        shard: args.shard,
        only: args.only,
        tests: args.tests,
        jobs: args.jobs.unwrap_or_else(pipeline::default_jobs),
        parallel: args.parallel,
        seed: args.seed,
        target_dir: args.target_dir,
        build_timeout: Duration::from_secs(args.build_timeout),
        regrade: args.regrade,
        lang: args.lang,
        people: lang,
    };
    let done = batch::run(&opts, toolchain)?;
    let summary = done.summary.show(lang);
    let counts = [
        ("count", done.students.into()),
        ("summary", summary.into()),
        ("graded", done.graded.into()),
        ("unchanged", done.unchanged.into()),
    ];
    let line = match done.shard {
        Some(shard) => {
            let mut args = counts.to_vec();
            args.push(("shard", shard.to_string().into()));
            fmt(lang, "batch-done-shard", &args)
        }
        None => fmt(lang, "batch-done", &counts),
    };
    println!("{line}");
    print_where(lang, &done.out);
    if done.stopped {
        let stopped = fmt(
            lang,
            "batch-stopped",
            &[
                ("done", done.students.into()),
                ("total", done.entries.into()),
            ],
        );
        eprintln!("grader: {stopped}");
    }
    Ok(done.exit_code())
}

/// `grader merge`'s arguments.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct MergeArgs {
    /// The outputs of `grader batch` to join (one per shard).
    #[arg(required = true, value_name = "OUT_N")]
    inputs: Vec<PathBuf>,
    /// Where the joined gradebook, results, feedback and report go.
    #[arg(long, value_name = "OUT")]
    out: PathBuf,
}

/// `grader merge`: joins the shards, says what it wrote and which shards
/// are missing; returns the exit status.
pub(crate) fn merge(args: MergeArgs, lang: Lang) -> anyhow::Result<i32> {
    let merged = batch::merge(&MergeOptions {
        inputs: args.inputs,
        out: args.out,
    })?;
    if !merged.missing_shards.is_empty() {
        let shards = merged.missing_shards.join(", ");
        let warning = fmt(lang, "merge-missing-shards", &[("shards", shards.into())]);
        eprintln!("grader: {warning}");
    }
    let line = fmt(
        lang,
        "merge-done",
        &[
            ("count", merged.students.into()),
            ("inputs", merged.inputs.into()),
            ("summary", merged.summary.show(lang).into()),
        ],
    );
    println!("{line}");
    print_where(lang, &merged.out);
    Ok(0)
}

/// Where the gradebook and the class report of OUT are.
fn print_where(lang: Lang, out: &std::path::Path) {
    let path = |name: &str| out.join(name).display().to_string();
    println!(
        "{}\n{}",
        fmt(
            lang,
            "batch-gradebook",
            &[("path", path("gradebook.csv").into())]
        ),
        fmt(
            lang,
            "batch-report",
            &[("path", path("report.html").into())]
        )
    );
}
