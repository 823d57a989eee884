//! [`Ctx`]: what a test works with: a fresh temporary directory, the
//! student's program, the seed, and the test's deadline.
use crate::model::{Quoted, Sentence};
use crate::text::{Arg, Phrase};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::compare;
use super::escape::{printf_arg, shell_quote};
use super::{Cause, Detail, Failure, Label, ResultExt, Rng, TestDef, TestResult};
use crate::messages;
use crate::process::{self, Child, Finished, PastCap, Spec, Stdin, Termination, TestProcesses};
use crate::sandbox::{ChildSetup, Limits};

/// Bytes of a program's output quoted in feedback.
const QUOTE_LIMIT: usize = 2000;

/// Input files up to this size are shown with a visible test's failure.
const SHOWN_INPUT_LIMIT: usize = 4096;

/// File sizes around the buffer sizes programs commonly use (512 B to
/// 1 MiB: one less, the size, one more; and an odd size past 3 MiB), for
/// the tests of programs that copy files in chunks: a loop that drops,
/// repeats or pads its last partial chunk fails on one of them. (A file
/// too large to generate per test is [`Ctx::write_large`]'s.)
pub const BOUNDARY_SIZES: &[usize] = &[
    1,
    511,
    512,
    513,
    1023,
    1024,
    1025,
    4095,
    4096,
    4097,
    8191,
    8192,
    8193,
    65535,
    65536,
    65537,
    (1 << 20) - 1,
    1 << 20,
    (1 << 20) + 1,
    (3 << 20) + 7,
];

/// Everything one test works with. Dropping it kills every process the test
/// started and removes its directory; the runner, holding the test's
/// [`TestProcesses`] too, ends them at the test's end even if the suite's
/// thread never drops it.
pub struct Ctx {
    exercise: String,
    test: &'static str,
    exe: PathBuf,
    program: String,
    dir: tempfile::TempDir,
    seed: u64,
    deadline: Instant,
    timeout: Duration,
    processes: TestProcesses,
    inputs: Vec<(String, Vec<u8>)>,
}

impl Ctx {
    /// A context for `test` of `exercise`, whose program is `exe`.
    pub fn new(exercise: &str, test: &TestDef, exe: &Path, seed: u64) -> std::io::Result<Ctx> {
        Ctx::with_processes(exercise, test, exe, seed, TestProcesses::new())
    }

    /// A context whose programs are started through `processes`, a handle
    /// the caller keeps to end them (the runner's).
    pub fn with_processes(
        exercise: &str,
        test: &TestDef,
        exe: &Path,
        seed: u64,
        processes: TestProcesses,
    ) -> std::io::Result<Ctx> {
        let dir = tempfile::Builder::new()
            .prefix(&format!("socklings-{exercise}-"))
            .tempdir()?;
        Ok(Ctx {
            exercise: exercise.to_string(),
            test: test.name,
            exe: exe.to_path_buf(),
            program: exe
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| exercise.to_string()),
            dir,
            seed,
            deadline: Instant::now() + test.timeout,
            timeout: test.timeout,
            processes,
            inputs: Vec::new(),
        })
    }

    /// The exercise under test.
    pub fn exercise(&self) -> &str {
        &self.exercise
    }

    /// Makes the following runs use the exercise's program `name` (for an
    /// exercise whose crate builds several, like a server and its client).
    /// Servers already started keep running.
    pub fn use_program(&mut self, name: &str) {
        self.exe = self.exe.with_file_name(name);
        self.program = name.to_string();
    }

    /// The test's own temporary directory, the program's working directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the test's directory.
    pub fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file inside the test's directory, creating its parents.
    /// Small text files are shown with the test's feedback if it fails, so
    /// the student can rerun the same command on the same input.
    pub fn write(
        &mut self,
        rel: impl AsRef<Path>,
        bytes: impl AsRef<[u8]>,
    ) -> Result<PathBuf, Failure> {
        let (rel, bytes) = (rel.as_ref(), bytes.as_ref());
        let path = self.write_quietly(rel, bytes)?;
        if bytes.len() <= SHOWN_INPUT_LIMIT && std::str::from_utf8(bytes).is_ok() {
            let shown = rel.display().to_string();
            self.inputs.retain(|(name, _)| *name != shown);
            self.inputs.push((shown, bytes.to_vec()));
        }
        Ok(path)
    }

    /// Writes a file inside the test's directory, creating its parents,
    /// without showing it in feedback (generated or binary inputs).
    pub fn write_quietly(
        &self,
        rel: impl AsRef<Path>,
        bytes: impl AsRef<[u8]>,
    ) -> Result<PathBuf, Failure> {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Failure::grader)?;
        }
        std::fs::write(&path, bytes).map_err(Failure::grader)?;
        Ok(path)
    }

    /// Adds the small input files the test wrote to its failure (not to a
    /// panic: its message already points at the line to fix).
    pub fn with_inputs(&self, mut f: Failure) -> Failure {
        if f.cause == Cause::Panic {
            return f;
        }
        for (name, bytes) in &self.inputs {
            let text = super::escape::show_line_endings(&String::from_utf8_lossy(bytes));
            f = f.text(Label::InputFile(name.to_string()), text);
        }
        f
    }

    /// Creates a directory (and its parents) inside the test's directory.
    pub fn mkdir(&self, rel: impl AsRef<Path>) -> Result<PathBuf, Failure> {
        let path = self.path(rel);
        std::fs::create_dir_all(&path).map_err(Failure::grader)?;
        Ok(path)
    }

    /// Writes a large file of `size` random bytes (not shown with the
    /// feedback) a MiB at a time, as a program under test should copy it:
    /// one random MiB, every 4 KiB block of the file stamped with its
    /// offset in its first 8 bytes, so that no two blocks are alike and a
    /// block written to the wrong place shows in a comparison. Generating
    /// one MiB instead of `size` keeps the grader's own work small.
    pub fn write_large(&self, rel: impl AsRef<Path>, size: u64) -> Result<PathBuf, Failure> {
        use std::io::Write;
        const CHUNK: usize = 1 << 20;
        const BLOCK: usize = 4096;
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Failure::grader)?;
        }
        let mut chunk = self.rng().bytes(CHUNK);
        let mut file = std::fs::File::create(&path).map_err(Failure::grader)?;
        let mut offset = 0u64;
        while offset < size {
            let len = CHUNK.min((size - offset) as usize);
            for (i, block) in chunk[..len].chunks_mut(BLOCK).enumerate() {
                let stamp = (offset + (i * BLOCK) as u64).to_le_bytes();
                let n = block.len().min(stamp.len());
                block[..n].copy_from_slice(&stamp[..n]);
            }
            file.write_all(&chunk[..len]).map_err(Failure::grader)?;
            offset += len as u64;
        }
        Ok(path)
    }

    /// The seeded random generator of this test.
    pub fn rng(&self) -> Rng {
        Rng::for_test(self.seed, &self.exercise, self.test)
    }

    /// The run's seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// When the test's time is up.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// The test's wall-clock limit.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Time left before the deadline.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Prepares a run of the student's program without arguments.
    pub fn command_no_args(&mut self) -> Run<'_> {
        self.command::<&str>(&[])
    }

    /// Prepares a run of the student's program with `args` (none:
    /// [`Ctx::command_no_args`]).
    pub fn command<S: AsRef<OsStr>>(&mut self, args: &[S]) -> Run<'_> {
        Run {
            args: args.iter().map(|a| a.as_ref().to_os_string()).collect(),
            stdin: None,
            timeout: None,
            output_cap: process::DEFAULT_OUTPUT_CAP,
            ctx: self,
        }
    }

    /// Runs the student's program with `args` and no input, until it exits.
    pub fn run<S: AsRef<OsStr>>(&mut self, args: &[S]) -> Result<RunOutput, Failure> {
        self.command(args).run()
    }

    /// How a student reproduces a run of their program with `args`: a
    /// command line, and for an input too large to type a comment saying
    /// its size in the reader's language.
    pub fn invocation(&self, args: &[OsString], stdin: Option<&[u8]>) -> Quoted {
        let mut cmd = if self.program == self.exercise {
            format!("cargo run -q -p {} --", self.exercise)
        } else {
            format!(
                "cargo run -q -p {} --bin {} --",
                self.exercise, self.program
            )
        };
        for a in args {
            cmd.push(' ');
            cmd.push_str(&shell_quote(&a.to_string_lossy()));
        }
        match stdin {
            Some(bytes) if bytes.len() <= 512 => {
                format!("printf -- {} | {cmd}", printf_arg(bytes)).into()
            }
            Some(bytes) => Phrase::new("harness-command-stdin")
                .arg("command", cmd)
                .arg("size", Arg::Bytes(bytes.len() as u64))
                .into(),
            None => cmd.into(),
        }
    }

    /// Starts the student's program, its output kept up to `cap` bytes a
    /// stream (and what comes past it as `past_cap` says); the test owns
    /// the returned [`Child`], and the group is killed at the end of the
    /// test whatever happens.
    pub(super) fn spawn_child(
        &mut self,
        args: &[OsString],
        stdin: Stdin,
        (cap, past_cap): (usize, PastCap),
    ) -> Result<Child, Failure> {
        let mut spec = Spec::new(&self.exe, args.to_vec(), self.dir.path());
        spec.stdin = stdin;
        spec.output_cap = cap;
        spec.past_cap = past_cap;
        let (limits, exe, dir) = (
            Limits::for_timeout(self.timeout),
            &self.exe,
            self.dir.path(),
        );
        self.processes
            .spawn(spec, |group, pid_ns| {
                ChildSetup::student(limits, exe, dir, group, pid_ns)
            })
            .map_err(Failure::grader)
    }
}

impl Drop for Ctx {
    fn drop(&mut self) {
        self.processes.end();
    }
}

/// A run of the student's program being prepared.
pub struct Run<'a> {
    ctx: &'a mut Ctx,
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    timeout: Option<Duration>,
    output_cap: usize,
}

impl Run<'_> {
    /// Feeds these bytes on stdin, then end of file.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Limits this run to `timeout` (never past the test's deadline).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Keeps up to `cap` bytes of each output stream.
    pub fn output_cap(mut self, cap: usize) -> Self {
        self.output_cap = cap;
        self
    }

    /// The command a student pastes to reproduce this run.
    pub fn invocation(&self) -> Quoted {
        self.ctx.invocation(&self.args, self.stdin.as_deref())
    }

    /// Starts the program without waiting for it.
    pub fn spawn(self) -> Result<Child, Failure> {
        let stdin = match self.stdin {
            Some(b) => Stdin::Bytes(b),
            None => Stdin::Null,
        };
        self.ctx
            .spawn_child(&self.args, stdin, (self.output_cap, PastCap::Stop))
    }

    /// Starts the program and returns at once; [`Running::finish`] waits
    /// for it and gives the same result as [`Run::run`]. For a client the
    /// suite talks to while it runs (the suite plays the server).
    pub fn start(self) -> Result<Running, Failure> {
        let invocation = self.invocation();
        let limit = match self.timeout {
            Some(t) => t.min(self.ctx.remaining()),
            None => self.ctx.remaining(),
        };
        let started = Instant::now();
        let child = self.spawn()?;
        Ok(Running {
            child,
            invocation,
            limit,
            started,
        })
    }

    /// Runs the program with arguments (or input) it cannot work with, and
    /// expects the course's convention: a message on stderr and exit code 2,
    /// at once (not a server that serves anyway). `what` says what is wrong
    /// with them; the run's time is [`DEFAULT_TIMEOUT`](super::DEFAULT_TIMEOUT)
    /// unless set.
    pub fn expect_refusal(mut self, what: impl Into<Sentence>) -> TestResult {
        let what: Sentence = what.into();
        self.timeout = Some(self.timeout.unwrap_or(super::DEFAULT_TIMEOUT));
        let out = self
            .run()
            .map_err(|f| {
                if f.cause == Cause::Timeout {
                    f.note(Phrase::new("harness-refusal-note"))
                } else {
                    f
                }
            })
            .context(what.clone())?;
        out.expect_code(2).context(what.clone())?;
        out.expect_stderr_nonempty().context(what)
    }

    /// Runs the program until it exits. A panic, a crash, a time-out or a
    /// flood of output is a failure; any exit code is a [`RunOutput`].
    pub fn run(self) -> Result<RunOutput, Failure> {
        let invocation = self.invocation();
        let limit = match self.timeout {
            Some(t) => t.min(self.ctx.remaining()),
            None => self.ctx.remaining(),
        };
        let deadline = Instant::now() + limit;
        let child = self.spawn()?;
        let finished = child.wait_until(deadline);
        RunOutput::from_finished(invocation, finished, limit)
    }
}

/// A program started by [`Run::start`], running while the test talks to it.
pub struct Running {
    child: Child,
    invocation: Quoted,
    limit: Duration,
    started: Instant,
}

impl Running {
    /// The command a student pastes to reproduce this run.
    pub fn invocation(&self) -> &Quoted {
        &self.invocation
    }

    /// The process id (its process group).
    pub fn pid(&self) -> i32 {
        self.child.pid()
    }

    /// What it wrote to stdout so far.
    pub fn stdout_so_far(&self) -> Vec<u8> {
        self.child.stdout_so_far()
    }

    /// What it wrote to stderr so far.
    pub fn stderr_so_far(&self) -> Vec<u8> {
        self.child.stderr_so_far()
    }

    /// Whether it is still running.
    pub fn is_running(&mut self) -> bool {
        self.child.is_running()
    }

    /// Waits until it exits (at most its time limit, counted from its
    /// start): a panic, a crash, a time-out or a flood of output is a
    /// failure; any exit code is a [`RunOutput`].
    pub fn finish(self) -> Result<RunOutput, Failure> {
        let finished = self.child.wait_until(self.started + self.limit);
        RunOutput::from_finished(self.invocation, finished, self.limit)
    }

    /// Stops it now (if it has not exited) and returns what it did, the
    /// way [`Running::finish`] does, except that being stopped here is not a
    /// failure: the output has code -1.
    pub fn stop(self) -> RunOutput {
        let f = self.child.stop();
        let code = match f.termination {
            Termination::Exited(code) => code,
            _ => -1,
        };
        RunOutput {
            invocation: self.invocation,
            code,
            stdout: f.stdout,
            stderr: f.stderr,
            peak_rss: f.peak_rss,
            duration: f.duration,
        }
    }
}

/// What a program that exited did.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// The command that reproduces the run.
    pub invocation: Quoted,
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: Vec<u8>,
    /// Peak resident memory in bytes, where measured.
    pub peak_rss: Option<u64>,
    /// Wall-clock time.
    pub duration: Duration,
}

impl RunOutput {
    /// Turns a finished process into an output, or into the failure that
    /// ended it.
    pub fn from_finished(
        invocation: Quoted,
        f: Finished,
        limit: Duration,
    ) -> Result<RunOutput, Failure> {
        let (cause, property) = match f.termination {
            Termination::Exited(code) => match (code, process::panic_message(&f.stderr)) {
                (101, Some(message)) => (Cause::Panic, messages::panicked(&message)),
                _ => {
                    return Ok(RunOutput {
                        invocation,
                        code,
                        stdout: f.stdout,
                        stderr: f.stderr,
                        peak_rss: f.peak_rss,
                        duration: f.duration,
                    })
                }
            },
            Termination::Signaled(sig) => match Cause::of_limit(Some(sig), &[]) {
                Some((cause, why)) => (
                    cause,
                    crate::model::Sentence::in_situation(
                        messages::killed_by_signal(sig),
                        why.into(),
                    ),
                ),
                None => (Cause::Signal, messages::killed_by_signal(sig)),
            },
            Termination::TimedOut(_) => (Cause::Timeout, messages::timed_out(limit)),
            Termination::OutputLimit(cap) => (Cause::OutputLimit, messages::output_limit(cap)),
        };
        let partial = RunOutput {
            invocation,
            code: -1,
            stdout: f.stdout,
            stderr: f.stderr,
            peak_rss: f.peak_rss,
            duration: f.duration,
        };
        Err(partial.failure(cause, property))
    }

    /// A failure of this run: the property, the command, and what the
    /// program printed.
    pub fn fail(&self, property: impl Into<crate::model::Sentence>) -> Failure {
        self.failure(Cause::Mismatch, property)
    }

    fn failure(&self, cause: Cause, property: impl Into<crate::model::Sentence>) -> Failure {
        let mut f = Failure::new(cause, property).with(Detail::Command {
            label: Label::Run,
            command: self.invocation.clone(),
        });
        for (label, bytes) in [(Label::STDOUT, &self.stdout), (Label::STDERR, &self.stderr)] {
            // A panic's stderr is its message, already in the property.
            let redundant = label == Label::STDERR && cause == Cause::Panic;
            if !bytes.is_empty() && !redundant {
                f = f.text(label, quote(bytes));
            }
        }
        f
    }

    /// Stdout as text (lossy).
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Stderr as text (lossy).
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// The program exited with `code`.
    pub fn expect_code(&self, code: i32) -> TestResult {
        if self.code == code {
            Ok(())
        } else {
            Err(self.fail(messages::wrong_exit_code(code, self.code)))
        }
    }

    /// The program printed exactly `expected` on stdout.
    pub fn expect_stdout(&self, expected: &str) -> TestResult {
        match compare::labelled_text(Label::STDOUT, expected, &self.stdout) {
            None => Ok(()),
            Some(diff) => {
                let mut f = Failure::mismatch(messages::wrong_stdout())
                    .with(Detail::Command {
                        label: Label::Run,
                        command: self.invocation.clone(),
                    })
                    .with(diff);
                if !self.stderr.is_empty() {
                    f = f.text("stderr", quote(&self.stderr));
                }
                Err(f)
            }
        }
    }

    /// The program printed nothing on stdout.
    pub fn expect_stdout_empty(&self) -> TestResult {
        if self.stdout.is_empty() {
            Ok(())
        } else {
            Err(self.fail(Phrase::new("stdout-should-be-empty")))
        }
    }

    /// The program said something on stderr.
    pub fn expect_stderr_nonempty(&self) -> TestResult {
        if self.stderr.iter().any(|b| !b.is_ascii_whitespace()) {
            Ok(())
        } else {
            Err(self.fail(Phrase::new("stderr-is-empty")))
        }
    }

    /// The program's stderr mentions `needle`.
    pub fn expect_stderr_contains(&self, needle: &str, what: impl Into<Sentence>) -> TestResult {
        if self.stderr_text().contains(needle) {
            Ok(())
        } else {
            Err(self.fail(Sentence::template(
                "stderr-does-not-mention",
                vec![("what", what.into())],
            )))
        }
    }
}

/// The grader could not do its part: what it was doing (`what`, in the
/// catalogs' words) and why, after "grader error: ".
pub(super) fn grader_error(what: impl Into<Sentence>) -> Failure {
    Failure::new(
        Cause::GraderError,
        Sentence::template("grader-error", vec![("what", what.into())]),
    )
}

/// A grader error while doing `doing`, which failed with `e`: "doing: e".
pub(super) fn grader_io_error(doing: Phrase, e: impl std::fmt::Display) -> Failure {
    grader_error(Sentence::in_situation(
        doing.into(),
        Sentence::plain(e.to_string()),
    ))
}

/// Output quoted in feedback, cut to a readable length (and then its
/// whole size said in the reader's language).
pub(super) fn quote(bytes: &[u8]) -> Quoted {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(QUOTE_LIMIT)]).into_owned();
    if bytes.len() > QUOTE_LIMIT {
        Quoted::lines(vec![
            Sentence::plain(text),
            Phrase::new("harness-quote-cut")
                .arg("size", Arg::Bytes(bytes.len() as u64))
                .into(),
        ])
    } else {
        text.into()
    }
}
