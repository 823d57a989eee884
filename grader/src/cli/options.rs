//! The options several commands share (the language, the sandbox, the
//! report's format and audience), and what every grading command does
//! before it grades and after.
use std::io::IsTerminal;
use std::path::Path;

use clap::ValueEnum;

use grader::error::GradeError;
use grader::render::format::Format;
use grader::report::Audience;
use grader::text::{fmt, Lang};
use grader::toolchain::Toolchain;

/// `--format` and `--results-format`: the names of [`Format`].
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatName {
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
pub(crate) enum AudienceName {
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
pub(crate) enum LangName {
    /// English.
    En,
    /// Chinese.
    Zh,
}

#[derive(clap::Args, Clone, Copy)]
pub(crate) struct LangArgs {
    /// The language of what is printed for people [default: Chinese when
    /// the locale (LC_ALL, LC_MESSAGES, LANG) starts with `zh`, else
    /// English; machine formats: English].
    #[arg(long, value_enum, value_name = "LANG")]
    pub(crate) lang: Option<LangName>,
}

impl LangArgs {
    /// The language asked for, if one was.
    pub(crate) fn asked(self) -> Option<Lang> {
        self.lang.map(|l| match l {
            LangName::En => Lang::En,
            LangName::Zh => Lang::Zh,
        })
    }

    /// The language of text for a person: asked for, or the locale's.
    pub(crate) fn for_people(self) -> Lang {
        self.asked().unwrap_or_else(Lang::from_env)
    }

    /// The language of a machine format: asked for, or English.
    pub(crate) fn for_machines(self) -> Lang {
        self.asked().unwrap_or(Lang::En)
    }
}

/// How much of the sandbox grading insists on.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SandboxMode {
    /// Use every layer this machine allows; say once which are missing.
    BestEffort,
    /// Refuse to grade unless every layer is active.
    Strict,
}

#[derive(clap::Args, Clone, Copy)]
pub(crate) struct SandboxArgs {
    /// Refuse to grade unless every sandbox layer is active (`strict`).
    #[arg(long, value_enum, default_value_t = SandboxMode::BestEffort)]
    pub(crate) sandbox: SandboxMode,
    /// Do not move into a private network namespace.
    #[arg(long)]
    pub(crate) no_network_namespace: bool,
    /// Do not apply Landlock file and exec rules.
    #[arg(long)]
    pub(crate) no_landlock: bool,
    /// Do not give each test its own PID, mount and network namespaces.
    #[arg(long)]
    pub(crate) no_isolation: bool,
}

impl SandboxArgs {
    /// Sets the sandbox up; must run before any thread starts.
    pub(crate) fn init(self) -> &'static grader::sandbox::Status {
        grader::sandbox::init(grader::sandbox::Options {
            no_network_namespace: self.no_network_namespace,
            no_landlock: self.no_landlock,
            no_isolation: self.no_isolation,
        })
    }
}

/// What every grading command does first, in this order: find the
/// toolchain and fetch the course's dependencies while the network is still
/// there, then set the sandbox up before any thread starts (namespaces need
/// a single thread).
fn prepare(args: SandboxArgs, lang: Lang) -> anyhow::Result<Toolchain> {
    let course = grader::manifest::Course::builtin()?;
    let toolchain = Toolchain::locate()?;
    let downloading = |home: &Path| {
        if std::io::stderr().is_terminal() {
            let home = home.display().to_string();
            let said = fmt(lang, "fetching-dependencies", &[("home", home.into())]);
            eprintln!("grader: {said}");
        }
    };
    toolchain.ensure_dependencies(
        grader::toolchain::COURSE_LOCK,
        &course.course.allowed_dependencies,
        &downloading,
    )?;
    let sandbox = args.init();
    if args.sandbox == SandboxMode::Strict && !sandbox.all_active() {
        return Err(GradeError::SandboxIncomplete(sandbox.summary(lang)).into());
    }
    if !sandbox.all_active() {
        eprintln!("{}", sandbox.summary(lang));
    }
    Ok(toolchain)
}

/// Runs a grading command between [`prepare`] and the sweep of whatever it
/// left running.
pub(crate) fn sandboxed(
    args: SandboxArgs,
    lang: Lang,
    command: impl FnOnce(Toolchain) -> anyhow::Result<i32>,
) -> anyhow::Result<i32> {
    let result = prepare(args, lang).and_then(command);
    grader::sandbox::sweep_orphans();
    grader::sandbox::cleanup();
    result
}
