//! `grader`: grades a socklings submission (`cargo grade`), lists the
//! exercises, and gives hints.
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use grader::builder;
use grader::cache::ResultCache;
use grader::catalog::Catalog;
use grader::error::GradeError;
use grader::pipeline::{self, GradeOptions, Progress};
use grader::render::focus::{self, FocusOptions};
use grader::render::format::{Destination, Format};
use grader::render::progress::Reporter;
use grader::render::{self, human::HumanOptions, Paint};
use grader::report::Audience;
use grader::text::Lang;
use grader::toolchain::Toolchain;

/// The seed of randomized inputs unless `--seed` says otherwise.
const DEFAULT_SEED: u64 = 42;

#[derive(Parser)]
#[command(
    name = "grader",
    version,
    about = "Grades socklings submissions: builds each exercise and runs its suite"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a submission and run every exercise's tests against it.
    Grade(GradeArgs),
    /// List the exercises in teaching order.
    List(LangArgs),
    /// Show which sandbox layers this machine allows, and the limits in force.
    Doctor {
        #[command(flatten)]
        sandbox: SandboxArgs,
        #[command(flatten)]
        lang: LangArgs,
    },
    /// Grade a folder of submissions, one per student, into a gradebook,
    /// results, feedback and a class report.
    Batch {
        #[command(flatten)]
        batch: grader::batch::BatchArgs,
        #[command(flatten)]
        sandbox: SandboxArgs,
    },
    /// Join the outputs of several `grader batch --shard K/N` runs into one.
    Merge(grader::batch::MergeArgs),
    /// Show the hints of an exercise.
    Hint {
        /// The exercise.
        exercise: String,
        /// In Chinese (the same as `--lang zh`).
        #[arg(long)]
        zh: bool,
        #[command(flatten)]
        lang: LangArgs,
    },
    /// Write Gradescope's autograder zip (setup.sh, run_autograder, the
    /// grader's source): upload it as the assignment's autograder.
    GradescopeBundle {
        /// The zip to write.
        out: PathBuf,
        /// The course's root [default: the course this grader was built from].
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Write the repository students clone: the exercise stubs and the
    /// grader with the visible tests only (no solutions, no hidden tests).
    Release {
        /// The directory to write the student repository to (new, or empty).
        out: PathBuf,
    },
    /// Check the course: full marks for solutions/, 0 for exercises/ (failing
    /// fast), and every broken submission under fixtures/broken/ caught.
    Selfcheck {
        #[command(flatten)]
        selfcheck: grader::selfcheck::SelfcheckArgs,
        #[command(flatten)]
        sandbox: SandboxArgs,
    },
}

/// `--format` and `--results-format`: the names of [`Format`].
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatName {
    /// The human report (colors on a terminal).
    Human,
    /// The grader's own JSON document (schema in the README).
    Json,
    /// Gradescope's autograder `results.json`.
    Gradescope,
    /// Exercism's test runner `results.json`, version 3.
    Exercism,
    /// GitHub Classroom: the human report and `Points X/Y` on stdout, the
    /// version-1 result JSON in a results file, and `result=<base64>` in
    /// `$GITHUB_OUTPUT` when that is set.
    Classroom,
    /// JUnit XML, one testsuite per exercise.
    Junit,
    /// PrairieLearn's external grader `results.json`.
    Prairielearn,
}

impl From<FormatName> for Format {
    fn from(name: FormatName) -> Format {
        match name {
            FormatName::Human => Format::Human,
            FormatName::Json => Format::Json,
            FormatName::Gradescope => Format::Gradescope,
            FormatName::Exercism => Format::Exercism,
            FormatName::Classroom => Format::Classroom,
            FormatName::Junit => Format::Junit,
            FormatName::Prairielearn => Format::Prairielearn,
        }
    }
}

/// `--audience`: the names of [`Audience`].
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AudienceName {
    /// Hidden tests show their name, pass/fail and the cause in one fixed sentence only.
    Student,
    /// Everything is shown.
    Instructor,
}

impl From<AudienceName> for Audience {
    fn from(name: AudienceName) -> Audience {
        match name {
            AudienceName::Student => Audience::Student,
            AudienceName::Instructor => Audience::Instructor,
        }
    }
}

/// The language of what the grader prints for people.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LangName {
    /// English.
    En,
    /// Chinese.
    Zh,
}

#[derive(clap::Args, Clone, Copy)]
struct LangArgs {
    /// The language of what is printed for people [default: Chinese when
    /// the locale (LC_ALL, LC_MESSAGES, LANG) starts with `zh`, else
    /// English; machine formats: English].
    #[arg(long, value_enum, value_name = "LANG")]
    lang: Option<LangName>,
}

impl LangArgs {
    /// The language asked for, if one was.
    fn asked(self) -> Option<Lang> {
        self.lang.map(|l| match l {
            LangName::En => Lang::En,
            LangName::Zh => Lang::Zh,
        })
    }

    /// The language of text for a person: asked for, or the locale's.
    fn for_people(self) -> Lang {
        self.asked().unwrap_or_else(Lang::from_env)
    }

    /// The language of a machine format: asked for, or English.
    fn for_machines(self) -> Lang {
        self.asked().unwrap_or(Lang::En)
    }
}

impl Command {
    /// The language of the command's messages for people (its errors too).
    fn lang(&self) -> Lang {
        match self {
            Command::Grade(args) => args.lang.for_people(),
            Command::Hint { zh: true, .. } => Lang::Zh,
            Command::List(lang) | Command::Doctor { lang, .. } | Command::Hint { lang, .. } => {
                lang.for_people()
            }
            _ => Lang::from_env(),
        }
    }
}

/// How much of the sandbox grading insists on.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SandboxMode {
    /// Use every layer this machine allows; say once which are missing.
    BestEffort,
    /// Refuse to grade unless every layer is active.
    Strict,
}

#[derive(clap::Args, Clone, Copy)]
struct SandboxArgs {
    /// Refuse to grade unless every sandbox layer is active (`strict`).
    #[arg(long, value_enum, default_value_t = SandboxMode::BestEffort)]
    sandbox: SandboxMode,
    /// Do not move into a private network namespace.
    #[arg(long)]
    no_network_namespace: bool,
    /// Do not apply Landlock file and exec rules.
    #[arg(long)]
    no_landlock: bool,
    /// Do not give each test its own PID, mount and network namespaces.
    #[arg(long)]
    no_isolation: bool,
}

impl SandboxArgs {
    /// Sets the sandbox up; must run before any thread starts.
    fn init(self) -> &'static grader::sandbox::Status {
        grader::sandbox::init(grader::sandbox::Options {
            no_network_namespace: self.no_network_namespace,
            no_landlock: self.no_landlock,
            no_isolation: self.no_isolation,
        })
    }
}

#[derive(clap::Args)]
struct GradeArgs {
    /// The submission: a directory with one crate per exercise, laid out like
    /// `exercises/` [default: the course's `exercises/`]
    dir: Option<PathBuf>,
    /// Grade only this exercise (repeatable).
    #[arg(long = "only", value_name = "NAME")]
    only: Vec<String>,
    /// Run only the tests of this name in the selected exercises
    /// (repeatable); the score then counts only those tests.
    #[arg(long = "test", value_name = "TEST")]
    tests: Vec<String>,
    /// Report format on stdout.
    #[arg(long, value_enum, default_value_t = FormatName::Human)]
    format: FormatName,
    /// Tests run at once at most [default: 16 per core, CPU-heavy tests one per core].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Seed of the randomized inputs (printed in every report).
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Exit 0 whenever grading completed, whatever the score.
    #[arg(long)]
    no_fail: bool,
    /// Who reads the report: students do not see hidden tests' details.
    #[arg(long, value_enum, default_value_t = AudienceName::Student)]
    audience: AudienceName,
    /// Expand every failing test in the human report.
    #[arg(long, short)]
    verbose: bool,
    /// Also write the report to this file, in `--results-format`.
    #[arg(long, value_name = "FILE")]
    results: Option<PathBuf>,
    /// Format of the `--results` file.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = FormatName::Json)]
    results_format: FormatName,
    /// Where builds are cached [default: a directory per submission under the system's temp dir].
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
    /// The longest the build of a submission may take, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = builder::BUILD_TIMEOUT.as_secs())]
    build_timeout: u64,
    /// Grade every exercise again, ignoring the results kept from earlier
    /// gradings (the human report keeps each unchanged exercise's result).
    #[arg(long)]
    fresh: bool,
    /// Keep running: grade again whenever a file of the submission changes
    /// (keys: h hint, n/p next/previous exercise, l list, r run again, q quit).
    #[arg(long)]
    watch: bool,
    #[command(flatten)]
    lang: LangArgs,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

/// The commands that work on the whole course (solutions, fixtures, a
/// class of submissions): hidden in the student repository.
const INSTRUCTOR_COMMANDS: [&str; 5] = [
    "batch",
    "merge",
    "gradescope-bundle",
    "release",
    "selfcheck",
];

fn main() -> ExitCode {
    grader::process::keep_memory_small();
    let released = grader::manifest::Course::builtin().is_ok_and(|c| c.course.released);
    let mut command = Cli::command();
    if released {
        for name in INSTRUCTOR_COMMANDS {
            command = command.mut_subcommand(name, |c| c.hide(true));
        }
    }
    let matches = command.get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Some(name) = matches.subcommand_name() {
        if released && INSTRUCTOR_COMMANDS.contains(&name) {
            eprintln!(
                "grader: `{name}` is an instructor command: this is the student repository, \
                 written by `grader release`, without the solutions and hidden tests it needs"
            );
            return ExitCode::from(2);
        }
    }
    let lang = cli.command.lang();
    let result = match cli.command {
        Command::Grade(args) => sandboxed(args.sandbox, |t| grade(args, t)),
        Command::List(lang) => list(lang.for_people()).map(|_| 0),
        Command::Doctor { sandbox, lang } => doctor(sandbox, lang.for_people()).map(|_| 0),
        Command::Batch { batch, sandbox } => sandboxed(sandbox, |t| grader::batch::run(batch, &t)),
        Command::Merge(args) => grader::batch::merge(args),
        Command::Hint { exercise, zh, lang } => {
            let lang = if zh { Lang::Zh } else { lang.for_people() };
            hint(&exercise, lang).map(|_| 0)
        }
        Command::GradescopeBundle { out, root } => gradescope_bundle(&out, root).map(|_| 0),
        Command::Release { out } => release(&out).map(|_| 0),
        Command::Selfcheck { selfcheck, sandbox } => {
            sandboxed(sandbox, |t| grader::selfcheck::run(selfcheck, t))
        }
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            // A grading error says itself in the reader's language; what
            // it wraps (an I/O error, another crate's) stays as it is.
            let causes: Vec<String> = match e.downcast_ref::<GradeError>() {
                Some(g) => std::iter::once(g.show(lang))
                    .chain(e.chain().skip(1).map(|c| c.to_string()))
                    .collect(),
                None => e.chain().map(|c| c.to_string()).collect(),
            };
            eprintln!("grader: {}", causes.join(": "));
            ExitCode::from(2)
        }
    }
}

fn default_submission() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("exercises")
}

/// What every grading command does first, in this order: find the
/// toolchain and fetch the course's dependencies while the network is still
/// there, then set the sandbox up before any thread starts (namespaces need
/// a single thread).
fn prepare(args: SandboxArgs) -> anyhow::Result<Toolchain> {
    let course = grader::manifest::Course::builtin()?;
    let toolchain = Toolchain::locate()?;
    toolchain.ensure_dependencies(
        grader::toolchain::COURSE_LOCK,
        &course.course.allowed_dependencies,
    )?;
    let sandbox = args.init();
    if args.sandbox == SandboxMode::Strict && !sandbox.all_active() {
        return Err(GradeError::SandboxIncomplete(sandbox.summary()).into());
    }
    if !sandbox.all_active() {
        eprintln!("{}", sandbox.summary());
    }
    Ok(toolchain)
}

/// Runs a grading command between [`prepare`] and the sweep of whatever it
/// left running.
fn sandboxed(
    args: SandboxArgs,
    command: impl FnOnce(Toolchain) -> anyhow::Result<i32>,
) -> anyhow::Result<i32> {
    let result = prepare(args).and_then(command);
    grader::sandbox::sweep_orphans();
    grader::sandbox::cleanup();
    result
}

fn doctor(args: SandboxArgs, lang: Lang) -> anyhow::Result<()> {
    use grader::text::{fmt, get, Arg};
    let status = args.init();
    let mut out = std::io::stdout().lock();
    let grader_name = format!("socklings grader {}", grader::VERSION);
    writeln!(
        out,
        "{}",
        fmt(lang, "doctor-title", &[("grader", grader_name.into())])
    )?;
    for (name, layer) in status.layers() {
        let state = get(
            lang,
            if layer.is_active() {
                "doctor-active"
            } else {
                "doctor-unavailable"
            },
        );
        writeln!(out, "  {name:<11} {} {}", pad(&state, 12), layer.detail())?;
    }
    match Toolchain::locate() {
        Ok(t) => {
            let found = fmt(
                lang,
                "doctor-toolchain",
                &[
                    ("cargo", t.cargo.display().to_string().into()),
                    ("rustc", t.rustc.display().to_string().into()),
                    ("home", t.cargo_home.display().to_string().into()),
                ],
            );
            writeln!(out, "{found}")?;
            let course = grader::manifest::Course::builtin()?;
            let allowed = &course.course.allowed_dependencies;
            let line = match t.dependencies(grader::toolchain::COURSE_LOCK, allowed) {
                Ok((all, missing)) if missing.is_empty() => {
                    fmt(lang, "doctor-deps-all", &[("count", all.len().into())])
                }
                Ok((_, missing)) => {
                    let names: Vec<String> = missing.iter().map(|p| p.to_string()).collect();
                    fmt(
                        lang,
                        "doctor-deps-missing",
                        &[("names", names.join(", ").into())],
                    )
                }
                Err(e) => fmt(
                    lang,
                    "doctor-deps-error",
                    &[("error", e.to_string().into())],
                ),
            };
            writeln!(out, "{line}")?;
        }
        Err(e) => writeln!(
            out,
            "{}",
            fmt(
                lang,
                "doctor-toolchain-error",
                &[("error", e.to_string().into())]
            )
        )?,
    }
    let l = grader::sandbox::Limits::default();
    let size = |n: u64| Arg::Bytes(n);
    writeln!(out, "{}", get(lang, "doctor-limits"))?;
    let limits = [
        fmt(
            lang,
            "doctor-wall",
            &[("secs", grader::harness::DEFAULT_TIMEOUT.as_secs().into())],
        ),
        get(lang, "doctor-cpu"),
        fmt(lang, "doctor-memory", &[("size", size(l.address_space))]),
        fmt(lang, "doctor-file-size", &[("size", size(l.file_size))]),
        fmt(lang, "doctor-open-files", &[("count", l.open_files.into())]),
        fmt(
            lang,
            "doctor-output",
            &[("size", size(grader::process::DEFAULT_OUTPUT_CAP as u64))],
        ),
        if !status.processes.is_active() {
            get(lang, "doctor-processes-none")
        } else {
            let whom = if nix::unistd::geteuid().is_root() {
                "doctor-processes-per-test"
            } else {
                "doctor-processes-all"
            };
            fmt(
                lang,
                "doctor-processes",
                &[
                    ("count", grader::sandbox::PROCESS_LIMIT.into()),
                    ("whom", get(lang, whom).into()),
                ],
            )
        },
    ];
    for line in limits {
        writeln!(out, "  {line}")?;
    }
    writeln!(
        out,
        "{}",
        fmt(
            lang,
            "doctor-build",
            &[("secs", builder::BUILD_TIMEOUT.as_secs().into())]
        )
    )?;
    let strict = if status.all_active() {
        "doctor-strict-ok"
    } else {
        "doctor-strict-refused"
    };
    writeln!(out, "{}", get(lang, strict))?;
    grader::sandbox::cleanup();
    Ok(())
}

/// `text` padded with spaces to `columns` terminal columns (a Chinese
/// character takes two).
fn pad(text: &str, columns: usize) -> String {
    let width = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(columns.saturating_sub(width)))
}

fn grade(args: GradeArgs, toolchain: Toolchain) -> anyhow::Result<i32> {
    let catalog = Catalog::builtin()?;
    let format_name = args.format;
    let format = Format::from(args.format);
    let results_format = Format::from(args.results_format);
    let audience = Audience::from(args.audience);
    let opts = GradeOptions {
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
        audience,
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
    };
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

/// `grader release OUT`: releases the course this grader was built from
/// and says what it wrote.
fn release(out: &Path) -> anyhow::Result<()> {
    let catalog = Catalog::builtin()?;
    let released = grader::release::release(&catalog, &grader::release::default_root(), out)?;
    let points: u32 = released.exercises.iter().map(|e| e.points).sum();
    let tests: usize = released.exercises.iter().map(|e| e.tests).sum();
    println!(
        "wrote {} ({} files): {} exercises, {tests} visible tests worth {points} points; \
         {} hidden tests left out",
        out.display(),
        released.files,
        released.exercises.len(),
        released.hidden_left_out
    );
    println!(
        "next: `cd {} && git init && git add -A && git commit -m \"socklings\"`, push it, and \
         make it the template repository of the GitHub Classroom assignment",
        out.display()
    );
    Ok(())
}

fn gradescope_bundle(out: &Path, root: Option<PathBuf>) -> anyhow::Result<()> {
    let root = root.unwrap_or_else(grader::gradescope_bundle::default_root);
    let summary = grader::gradescope_bundle::write(&root, out)?;
    println!(
        "wrote {} ({} files): upload it as the assignment's autograder on Gradescope",
        out.display(),
        summary.files.len()
    );
    Ok(())
}

fn list(lang: Lang) -> anyhow::Result<()> {
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

fn hint(name: &str, lang: Lang) -> anyhow::Result<()> {
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
