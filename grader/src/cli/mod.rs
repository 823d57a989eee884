//! The command layer: the command line (clap) and what each command prints
//! for people. The library's functions take plain options and return data
//! (or write to the writer they are given); here they are called and their
//! results said, in the reader's language.
//!
//! One module per command or pair of commands: [`grade`], [`list`] (and
//! `hint`), [`doctor`], [`selfcheck`], [`batch`] (and `merge`), [`release`]
//! (and `gradescope-bundle`); [`options`] holds what several share, and
//! [`help`] puts `--help` in the reader's language.
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use grader::batch::BatchError;
use grader::error::GradeError;
use grader::selfcheck::SelfcheckError;
use grader::text::{fmt, Lang};

mod batch;
mod doctor;
mod grade;
mod help;
mod list;
mod options;
mod release;
mod selfcheck;

use options::{sandboxed, LangArgs, SandboxArgs};

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
    Grade(grade::GradeArgs),
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
        batch: batch::BatchArgs,
        #[command(flatten)]
        sandbox: SandboxArgs,
    },
    /// Join the outputs of several `grader batch --shard K/N` runs into one.
    Merge {
        #[command(flatten)]
        merge: batch::MergeArgs,
        #[command(flatten)]
        lang: LangArgs,
    },
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
        #[command(flatten)]
        lang: LangArgs,
    },
    /// Write the repository students clone: the exercise stubs and the
    /// grader with the visible tests only (no solutions, no hidden tests).
    Release {
        /// The directory to write the student repository to (new, or empty).
        out: PathBuf,
        #[command(flatten)]
        lang: LangArgs,
    },
    /// Check the course: full marks for solutions/, 0 for exercises/ (failing
    /// fast), and every broken submission under fixtures/broken/ caught.
    Selfcheck {
        #[command(flatten)]
        selfcheck: selfcheck::SelfcheckArgs,
        #[command(flatten)]
        sandbox: SandboxArgs,
        #[command(flatten)]
        lang: LangArgs,
    },
}

impl Command {
    /// The language of the command's messages for people (its errors too).
    fn lang(&self) -> Lang {
        match self {
            Command::Grade(args) => args.lang.for_people(),
            Command::Hint { zh: true, .. } => Lang::Zh,
            Command::Batch { batch, .. } => batch.for_people(),
            Command::List(lang)
            | Command::Doctor { lang, .. }
            | Command::Hint { lang, .. }
            | Command::Merge { lang, .. }
            | Command::GradescopeBundle { lang, .. }
            | Command::Release { lang, .. }
            | Command::Selfcheck { lang, .. } => lang.for_people(),
        }
    }
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

/// Parses the command line, runs the command, says its error if it has
/// one; the process's exit status.
pub(crate) fn main() -> ExitCode {
    grader::process::keep_memory_small();
    let released = grader::manifest::Course::builtin().is_ok_and(|c| c.course.released);
    let args: Vec<OsString> = std::env::args_os().collect();
    // clap prints `--help` while it parses: its language is read first.
    let help_lang =
        help::asked_lang(args.get(1..).unwrap_or_default()).unwrap_or_else(Lang::from_env);
    let mut command = Cli::command();
    if released {
        for name in INSTRUCTOR_COMMANDS {
            command = command.mut_subcommand(name, |c| c.hide(true));
        }
    }
    let matches = match help::localize(command, help_lang).try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => match help::error_in_lang(&e, help_lang) {
            Some(said) => {
                eprint!("{said}");
                return ExitCode::from(2);
            }
            None => e.exit(),
        },
    };
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let lang = cli.command.lang();
    if let Some(name) = matches.subcommand_name() {
        if released && INSTRUCTOR_COMMANDS.contains(&name) {
            let said = fmt(lang, "instructor-only", &[("command", name.into())]);
            eprintln!("grader: {said}");
            return ExitCode::from(2);
        }
    }
    let result = match cli.command {
        Command::Grade(args) => sandboxed(args.sandbox, lang, |t| grade::grade(args, t)),
        Command::List(_) => list::list(lang).map(|_| 0),
        Command::Doctor { sandbox, .. } => doctor::doctor(sandbox, lang).map(|_| 0),
        Command::Batch { batch, sandbox } => sandboxed(sandbox, lang, |t| batch::run(batch, &t)),
        Command::Merge { merge, .. } => batch::merge(merge, lang),
        Command::Hint { exercise, .. } => list::hint(&exercise, lang).map(|_| 0),
        Command::GradescopeBundle { out, root, .. } => {
            release::gradescope_bundle(&out, root, lang).map(|_| 0)
        }
        Command::Release { out, .. } => release::release(&out, lang).map(|_| 0),
        Command::Selfcheck {
            selfcheck, sandbox, ..
        } => sandboxed(sandbox, lang, |t| selfcheck::run(selfcheck, lang, t)),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            // A grading error says itself in the reader's language; what
            // it wraps (an I/O error, another crate's) stays as it is.
            let first = if let Some(g) = e.downcast_ref::<GradeError>() {
                Some(g.show(lang))
            } else if let Some(b) = e.downcast_ref::<BatchError>() {
                Some(b.show(lang))
            } else {
                e.downcast_ref::<SelfcheckError>().map(|s| s.show(lang))
            };
            let causes: Vec<String> = match first {
                Some(first) => std::iter::once(first)
                    .chain(e.chain().skip(1).map(|c| c.to_string()))
                    .collect(),
                None => e.chain().map(|c| c.to_string()).collect(),
            };
            eprintln!("grader: {}", causes.join(": "));
            ExitCode::from(2)
        }
    }
}
