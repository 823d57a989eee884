//! Watch mode (`cargo grade --watch`): grade, then watch the submission and
//! grade again whatever changed, redrawing the focused view.
//!
//! Three sources feed one channel: a file watcher (debounced, so that an
//! editor's burst of writes on save is one change), the keyboard (read on
//! a thread of its own) and signals (a flag the loop looks at). One loop
//! owns the state and draws. On a terminal the keys are single presses (the
//! terminal in raw mode, restored by a guard's `Drop` and by a panic hook,
//! so that no way out leaves it broken); elsewhere the view is written as
//! plain lines, one report per change, and lines of stdin are the keys,
//! until stdin ends or Ctrl-C.
//!
//! Progress survives a restart because it is the result cache
//! ([`crate::cache`]): nothing else is kept.
//!
//! The sandbox must be set up before this starts its threads.
use crate::text::{self, Lang};
use std::collections::BTreeSet;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};
use notify::{RecursiveMode, Watcher};

use crate::cache::{self, ResultCache};
use crate::catalog::Catalog;
use crate::error::GradeError;
use crate::pipeline::GradeOptions;
use crate::render::focus::{self, FocusOptions, Standing};
use crate::render::progress::Reporter;
use crate::render::Paint;
use crate::report::Report;

/// Changes closer together than this are one change.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// How often the loop looks at the signal flag while nothing happens.
const TICK: Duration = Duration::from_millis(200);

/// What the loop is told.
#[derive(Debug)]
enum Message {
    /// Files of the submission changed.
    Changed(Vec<PathBuf>),
    /// The watcher failed.
    WatchFailed(String),
    /// A key was pressed (or a line given).
    Key(Key),
    /// The terminal changed size.
    Resized,
    /// Standard input ended.
    End,
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Hint,
    Next,
    Previous,
    List,
    Run,
    Quit,
}

impl Key {
    fn of(c: char) -> Option<Key> {
        Some(match c.to_ascii_lowercase() {
            'h' => Key::Hint,
            'n' => Key::Next,
            'p' => Key::Previous,
            'l' => Key::List,
            'r' => Key::Run,
            'q' => Key::Quit,
            _ => return None,
        })
    }
}

/// Which exercises a grading runs again whatever the cache holds.
#[derive(Debug, Clone, Copy)]
enum Fresh<'a> {
    None,
    All,
    Only(&'a str),
}

/// What is on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Focus,
    List,
    Hint,
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// `SIGINT`, `SIGTERM` and `SIGHUP` end watch mode through the loop, so
/// that the terminal is restored on the way out.
fn catch_signals() {
    use nix::sys::signal::{self, SaFlags, SigAction, SigHandler, SigSet, Signal};
    let action = SigAction::new(
        SigHandler::Handler(on_signal),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    for sig in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        let _ = unsafe { signal::sigaction(sig, &action) };
    }
}

/// The terminal in raw mode while it lives; restored when dropped.
struct RawTerminal;

impl RawTerminal {
    fn enable() -> io::Result<RawTerminal> {
        // Installed first, so that a panic anywhere restores the terminal
        // before the message is printed.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
        crossterm::terminal::enable_raw_mode()?;
        Ok(RawTerminal)
    }
}

impl Drop for RawTerminal {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn restore_terminal() {
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = crossterm::execute!(io::stdout(), crossterm::cursor::Show);
}

/// The loop's state: the last report and what the student looks at.
struct State<'a> {
    catalog: &'a Catalog,
    opts: &'a GradeOptions,
    cache: &'a ResultCache,
    report: Option<Report>,
    unchanged: BTreeSet<String>,
    /// The exercise chosen with n/p, or moved to after full marks;
    /// `None`: the first not at full marks.
    pinned: Option<String>,
    view: View,
    /// One line of news (full marks, a grading error).
    notice: Option<String>,
    /// Whether this is a terminal (keys, colors, redraws).
    terminal: bool,
}

impl State<'_> {
    /// The exercise shown.
    fn current(&self) -> Option<String> {
        let report = self.report.as_ref()?;
        match &self.pinned {
            Some(name) => Some(name.clone()),
            None => focus::first_unfinished(report).map(|e| e.name.clone()),
        }
    }

    /// Grades again (through the cache; `fresh` says which exercises run
    /// again whatever the cache holds), and moves on when the current
    /// exercise reached full marks.
    fn grade(&mut self, fresh: Fresh) {
        let before = self.current();
        let was_done = before
            .as_deref()
            .and_then(|n| self.exercise_standing(n))
            .is_some_and(|s| s == Standing::Done);
        // The grading's progress while it runs; the view is drawn after.
        let reporter = Reporter::grading().in_lang(self.opts.lang);
        let graded = cache::grade(
            self.catalog,
            self.opts,
            self.cache,
            &|name| match fresh {
                Fresh::None => false,
                Fresh::All => true,
                Fresh::Only(only) => only == name,
            },
            &|p| reporter.progress(None, p),
        );
        reporter.finish();
        match graded {
            Ok(graded) => {
                self.report = Some(graded.report);
                self.unchanged = graded.unchanged;
                self.notice = None;
            }
            Err(e) => {
                self.notice = Some(text::fmt(
                    self.opts.lang,
                    "watch-could-not-grade",
                    &[("error", e.to_string().into())],
                ));
                return;
            }
        }
        let Some(name) = before else { return };
        let now_done = self
            .exercise_standing(&name)
            .is_some_and(|s| s == Standing::Done);
        if now_done && !was_done {
            let next = self.next_unfinished_after(&name);
            let lang = self.opts.lang;
            self.notice = Some(match &next {
                Some(next) => text::fmt(
                    lang,
                    "watch-full-marks-next",
                    &[
                        ("name", name.as_str().into()),
                        ("next", next.as_str().into()),
                    ],
                ),
                None => text::fmt(lang, "watch-full-marks", &[("name", name.as_str().into())]),
            });
            self.pinned = next;
            self.view = View::Focus;
        }
    }

    fn exercise_standing(&self, name: &str) -> Option<Standing> {
        let report = self.report.as_ref()?;
        report
            .exercises
            .iter()
            .find(|e| e.name == name)
            .map(Standing::of)
    }

    /// The first exercise after `name` in teaching order (wrapping) that is
    /// not at full marks.
    fn next_unfinished_after(&self, name: &str) -> Option<String> {
        let report = self.report.as_ref()?;
        let list = &report.exercises;
        let at = list.iter().position(|e| e.name == name)?;
        (1..list.len())
            .map(|k| &list[(at + k) % list.len()])
            .find(|e| Standing::of(e) != Standing::Done)
            .map(|e| e.name.clone())
    }

    /// Moves the pointer `step` exercises on (wrapping).
    fn step(&mut self, forward: bool) {
        let Some(report) = self.report.as_ref() else {
            return;
        };
        let list = &report.exercises;
        if list.is_empty() {
            return;
        }
        let at = self
            .current()
            .and_then(|c| list.iter().position(|e| e.name == c))
            .unwrap_or(0);
        let to = if forward {
            (at + 1) % list.len()
        } else {
            (at + list.len() - 1) % list.len()
        };
        self.pinned = Some(list[to].name.clone());
        self.view = View::Focus;
    }

    /// The view as text.
    fn draw(&self, lines: usize, width: usize) -> String {
        let paint = Paint::new(self.terminal && std::env::var_os("NO_COLOR").is_none());
        let mut out = Vec::new();
        let Some(report) = &self.report else {
            let grading = text::get(self.opts.lang, "watch-grading-first");
            let _ = writeln!(out, "{}", self.notice.as_deref().unwrap_or(&grading));
            return String::from_utf8_lossy(&out).into_owned();
        };
        let current = self.current();
        let opts = FocusOptions {
            paint,
            current: current.as_deref(),
            unchanged: &self.unchanged,
            notice: self.notice.as_deref(),
            lines,
            width,
            lang: self.opts.lang,
        };
        let _ = match self.view {
            View::Focus => focus::render(report, opts, &mut out),
            View::List => focus::render_list(report, opts, &mut out),
            View::Hint => {
                let name = current.unwrap_or_default();
                match self.catalog.exercise(&name) {
                    Some(ex) => focus::render_hints(
                        &ex.entry,
                        &format!(
                            "{}/{name}/{}",
                            report.submission,
                            match self.opts.lang {
                                Lang::En => "README.md",
                                Lang::Zh => "README.zh.md",
                            }
                        ),
                        self.opts.lang,
                        paint,
                        &mut out,
                    ),
                    None => writeln!(out, "{}", text::get(self.opts.lang, "watch-no-current")),
                }
            }
        };
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// Runs watch mode on the submission of `opts` until `q`, the end of
/// stdin, or a signal; `fresh`: the first grading ignores the kept
/// results. Returns the exit code (0).
pub fn run(
    catalog: &Catalog,
    opts: &GradeOptions,
    cache: &ResultCache,
    fresh: bool,
) -> Result<i32, GradeError> {
    if !opts.dir.is_dir() {
        return Err(GradeError::SubmissionMissing(opts.dir.clone()));
    }
    let dir = opts
        .dir
        .canonicalize()
        .map_err(|e| GradeError::io(format!("reading {}", opts.dir.display()), e))?;
    let terminal = io::stdin().is_terminal() && io::stdout().is_terminal();
    catch_signals();
    let (tx, rx) = mpsc::channel();

    let _watcher = watch_files(&dir, tx.clone()).map_err(|e| {
        GradeError::io(
            format!("watching {}", opts.dir.display()),
            io::Error::other(e),
        )
    })?;

    let mut state = State {
        catalog,
        opts,
        cache,
        report: None,
        unchanged: BTreeSet::new(),
        pinned: None,
        view: View::Focus,
        notice: None,
        terminal,
    };
    if terminal {
        let _raw = RawTerminal::enable()
            .map_err(|e| GradeError::io("setting the terminal up for keys", e))?;
        std::thread::spawn(move || read_keys(tx));
        run_loop(&mut state, fresh, &dir, &rx, &mut TerminalScreen)
            .map_err(|e| GradeError::io("writing to the terminal", e))?;
    } else {
        std::thread::spawn(move || read_lines(tx));
        run_loop(
            &mut state,
            fresh,
            &dir,
            &rx,
            &mut PlainScreen { first: true },
        )
        .map_err(|e| GradeError::io("writing the report", e))?;
    }
    Ok(0)
}

/// Watches `dir` and everything under it while the watcher lives; changes
/// closer together than [`DEBOUNCE`] reach `tx` as one message. Opening and
/// reading files are no changes (grading reads every file).
fn watch_files(dir: &Path, tx: Sender<Message>) -> notify::Result<notify::RecommendedWatcher> {
    let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = raw_tx.send(event);
    })?;
    watcher.watch(dir, RecursiveMode::Recursive)?;
    std::thread::spawn(move || debounce(&raw_rx, &tx));
    Ok(watcher)
}

/// Joins the watcher's events into one message per burst: the burst ends
/// when nothing came for [`DEBOUNCE`] (or after a second of steady events).
fn debounce(raw: &Receiver<notify::Result<notify::Event>>, tx: &Sender<Message>) {
    use notify::event::{AccessKind, AccessMode, EventKind};
    let wanted = |event: &notify::Event| match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
        _ => true,
    };
    loop {
        let mut paths: Vec<PathBuf> = Vec::new();
        // Wait for the first change.
        loop {
            match raw.recv() {
                Ok(Ok(event)) if wanted(&event) => {
                    paths.extend(event.paths);
                    break;
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => {
                    if tx.send(Message::WatchFailed(e.to_string())).is_err() {
                        return;
                    }
                }
                Err(_) => return,
            }
        }
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_secs(1) {
            match raw.recv_timeout(DEBOUNCE) {
                Ok(Ok(event)) if wanted(&event) => paths.extend(event.paths),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        paths.sort();
        paths.dedup();
        if tx.send(Message::Changed(paths)).is_err() {
            return;
        }
    }
}

/// Where views are drawn.
trait Screen {
    /// Says that a grading started (`what` changed), in `lang`.
    fn grading(&mut self, what: &str, lang: Lang) -> io::Result<()>;
    /// Draws a view (`text` has `\n` line ends).
    fn show(&mut self, state: &State) -> io::Result<()>;
    /// Says goodbye, in `lang`.
    fn end(&mut self, lang: Lang) -> io::Result<()>;
}

/// A terminal: the screen cleared and drawn again, raw mode's line ends.
struct TerminalScreen;

impl TerminalScreen {
    fn write_raw(text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(text.replace('\n', "\r\n").as_bytes())?;
        out.flush()
    }
}

impl Screen for TerminalScreen {
    fn grading(&mut self, what: &str, lang: Lang) -> io::Result<()> {
        let grading = text::fmt(lang, "watch-grading", &[("what", what.into())]);
        Self::write_raw(&format!("\n{grading}\n"))
    }

    fn show(&mut self, state: &State) -> io::Result<()> {
        let (columns, rows) = crossterm::terminal::size()
            .map_or((focus::WIDTH, focus::SCREEN_LINES), |(c, r)| {
                (c as usize, r as usize)
            });
        // A line for the keys.
        let text = state.draw(rows.saturating_sub(1).max(10), columns.max(20));
        crossterm::execute!(
            io::stdout(),
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All),
            crossterm::cursor::MoveTo(0, 0)
        )?;
        let paint = Paint::new(std::env::var_os("NO_COLOR").is_none());
        let keys = text::get(state.opts.lang, "watch-keys");
        Self::write_raw(&format!("{text}{}", paint.dim(&keys)))
    }

    fn end(&mut self, lang: Lang) -> io::Result<()> {
        Self::write_raw(&format!("\n{}\n", text::get(lang, "watch-ended")))
    }
}

/// Not a terminal: plain lines, one report per grading, no escape codes.
struct PlainScreen {
    first: bool,
}

impl Screen for PlainScreen {
    fn grading(&mut self, what: &str, lang: Lang) -> io::Result<()> {
        let mut out = io::stdout().lock();
        writeln!(
            out,
            "{}",
            text::fmt(lang, "watch-grading", &[("what", what.into())])
        )?;
        out.flush()
    }

    fn show(&mut self, state: &State) -> io::Result<()> {
        let mut out = io::stdout().lock();
        if !self.first {
            writeln!(out)?;
        }
        self.first = false;
        write!(out, "{}", state.draw(focus::SCREEN_LINES, focus::WIDTH))?;
        writeln!(
            out,
            "{}",
            text::fmt(
                state.opts.lang,
                "watch-keys-plain",
                &[("dir", state.opts.shown.as_str().into())]
            )
        )?;
        out.flush()
    }

    fn end(&mut self, lang: Lang) -> io::Result<()> {
        let mut out = io::stdout().lock();
        writeln!(out, "{}", text::get(lang, "watch-ended"))?;
        out.flush()
    }
}

/// The exercises that `paths` (under `dir`) belong to; changes in build
/// output and git data are no changes.
fn changed_exercises(dir: &Path, paths: &[PathBuf]) -> BTreeSet<String> {
    paths
        .iter()
        .filter_map(|p| p.strip_prefix(dir).ok())
        .filter(|rel| {
            !rel.components()
                .any(|c| matches!(c, Component::Normal(n) if n == "target" || n == ".git"))
        })
        .filter_map(|rel| match rel.components().next() {
            Some(Component::Normal(n)) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

fn run_loop(
    state: &mut State,
    fresh: bool,
    dir: &Path,
    rx: &Receiver<Message>,
    screen: &mut dyn Screen,
) -> io::Result<()> {
    screen.grading(&state.opts.shown, state.opts.lang)?;
    state.grade(if fresh { Fresh::All } else { Fresh::None });
    screen.show(state)?;
    loop {
        if STOP.load(Ordering::SeqCst) {
            break;
        }
        let message = match rx.recv_timeout(TICK) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        match message {
            Message::Changed(paths) => {
                let mut changed = changed_exercises(dir, &paths);
                // Changes that came in meanwhile are graded in the same go.
                while let Ok(Message::Changed(more)) = rx.try_recv() {
                    changed.extend(changed_exercises(dir, &more));
                }
                if changed.is_empty() {
                    continue;
                }
                let names: Vec<&str> = changed.iter().map(String::as_str).collect();
                screen.grading(&names.join(", "), state.opts.lang)?;
                // The hints make way for the new results; the list stays.
                if state.view == View::Hint {
                    state.view = View::Focus;
                }
                state.grade(Fresh::None);
                screen.show(state)?;
            }
            Message::WatchFailed(e) => {
                state.notice = Some(text::fmt(
                    state.opts.lang,
                    "watch-watcher-failed",
                    &[("error", e.to_string().into())],
                ));
                screen.show(state)?;
            }
            Message::Key(Key::Quit) | Message::End => break,
            Message::Key(key) => {
                state.notice = None;
                match key {
                    Key::Hint => state.view = View::Hint,
                    Key::List => {
                        state.view = if state.view == View::List {
                            View::Focus
                        } else {
                            View::List
                        }
                    }
                    Key::Next => state.step(true),
                    Key::Previous => state.step(false),
                    Key::Run => {
                        let current = state.current();
                        let lang = state.opts.lang;
                        let whole = text::get(lang, "watch-the-submission");
                        screen.grading(current.as_deref().unwrap_or(&whole), lang)?;
                        state.view = View::Focus;
                        state.grade(match &current {
                            Some(name) => Fresh::Only(name),
                            None => Fresh::None,
                        });
                    }
                    Key::Quit => unreachable!("handled above"),
                }
                screen.show(state)?;
            }
            Message::Resized => screen.show(state)?,
        }
    }
    screen.end(state.opts.lang)
}

/// Reads key presses (raw mode) until the terminal goes away.
fn read_keys(tx: Sender<Message>) {
    loop {
        let message = match crossterm::event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Char('c') | KeyCode::Char('d')
                    if k.modifiers.contains(KeyModifiers::CONTROL) =>
                {
                    Message::Key(Key::Quit)
                }
                KeyCode::Char(c) => match Key::of(c) {
                    Some(key) => Message::Key(key),
                    None => continue,
                },
                KeyCode::Esc => Message::Key(Key::Quit),
                _ => continue,
            },
            Ok(Event::Resize(..)) => Message::Resized,
            Ok(_) => continue,
            Err(_) => Message::End,
        };
        let end = matches!(message, Message::End);
        if tx.send(message).is_err() || end {
            return;
        }
    }
}

/// Reads lines of stdin as keys (their first letter) until it ends.
fn read_lines(tx: Sender<Message>) {
    for line in io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if let Some(key) = line.trim().chars().next().and_then(Key::of) {
            if tx.send(Message::Key(key)).is_err() {
                return;
            }
        }
    }
    let _ = tx.send(Message::End);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_named_by_exercise_and_build_output_is_no_change() {
        let dir = Path::new("/s");
        let paths = [
            "/s/dict_lookup/src/main.rs",
            "/s/dict_lookup/src/.main.rs.swp",
            "/s/talk_split/Cargo.toml",
            "/s/copy_dir/target/debug/copy_dir",
            "/s/.git/index",
            "/elsewhere/x",
        ]
        .map(PathBuf::from);
        let changed: Vec<String> = changed_exercises(dir, &paths).into_iter().collect();
        assert_eq!(changed, ["dict_lookup", "talk_split"]);
    }

    #[test]
    fn keys_are_letters_either_case() {
        assert_eq!(Key::of('h'), Some(Key::Hint));
        assert_eq!(Key::of('Q'), Some(Key::Quit));
        assert_eq!(Key::of('x'), None);
    }
}
