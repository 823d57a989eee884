//! Running tests: [`run_tests`] runs every [`TestJob`] on a pool of worker
//! threads, reports [`Event`]s to a callback as tests start, run slow and
//! finish, and returns the outcomes in the jobs' order, whatever order they
//! finished in.
//!
//! The runner owns the end of every test: each runs on a thread of its own,
//! and when the test returns, or its time and the runner's grace are up
//! while the suite's thread hangs, the runner ends every process the test
//! started ([`TestProcesses::end`]) before it reports the test finished.
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use crate::admission::busy::{Watch, STEP};
use crate::admission::{Admission, Permit};
use crate::harness::{Ctx, Failure, TestDef};
use crate::model::Cause;
use crate::process::TestProcesses;
use crate::text::Phrase;

/// How long past its own limit a test may take before the runner gives up
/// on it (its processes are killed either way).
const RUNNER_GRACE: Duration = Duration::from_secs(15);

/// One test to run.
#[derive(Clone)]
pub struct TestJob {
    /// The exercise it belongs to.
    pub exercise: String,
    /// The test.
    pub test: TestDef,
    /// The student's program, or why there is none (build failed, missing).
    pub program: Result<PathBuf, Failure>,
}

/// What happened to one test.
#[derive(Debug, Clone)]
pub struct TestRun {
    /// `Ok` when it passed.
    pub outcome: Result<(), Failure>,
    /// How long it took.
    pub duration: Duration,
    /// Why it was not run at all (it checks a behaviour this system lacks).
    pub not_run: Option<String>,
}

/// Why `test` cannot run on the system the grader runs on, if it cannot.
pub fn not_run_here(test: &TestDef) -> Option<String> {
    not_run_on(test, cfg!(target_os = "linux"))
}

fn not_run_on(test: &TestDef, linux: bool) -> Option<String> {
    (test.linux_only && !linux).then(|| {
        format!(
            "not run on this system: it checks a Linux behaviour, and this is {}",
            std::env::consts::OS
        )
    })
}

/// The share of its time limit after which a running test is slow: a
/// suite's limits are several times what a correct program takes, so a test
/// still running at half its limit is far past its usual time (a program
/// that hangs, or a machine too loaded for the limits).
pub const SLOW_SHARE: f64 = 0.5;

/// Progress, for renderers that show it. Each test gets one `Started`, at
/// most one `Slow` (still running at [`SLOW_SHARE`] of its limit), and one
/// `Finished`, in that order.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// A test started (or, when it cannot run, is about to be reported).
    Started {
        /// Its exercise.
        exercise: &'a str,
        /// Its name.
        test: &'a str,
    },
    /// A test is still running at [`SLOW_SHARE`] of its time limit.
    Slow {
        /// Its exercise.
        exercise: &'a str,
        /// Its name.
        test: &'a str,
        /// Its time limit.
        limit: Duration,
    },
    /// A test finished: every process it started has ended.
    Finished {
        /// Its exercise.
        exercise: &'a str,
        /// Its name.
        test: &'a str,
        /// Whether it passed.
        passed: bool,
        /// Tests finished so far.
        done: usize,
        /// Tests in all.
        total: usize,
    },
}

/// Runs `jobs` on `threads` workers with `seed`, each test admitted by the
/// process's [`Admission`] budget (shared with the other gradings of this
/// process); calls `on_event` as tests start, run slow and finish; returns
/// the runs in the order of `jobs`.
pub fn run_tests(
    jobs: &[TestJob],
    threads: usize,
    seed: u64,
    on_event: &(dyn Fn(Event<'_>) + Sync),
) -> Vec<TestRun> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<TestRun>>> = Mutex::new(vec![None; jobs.len()]);
    let names: Vec<(&str, &str)> = jobs
        .iter()
        .map(|j| (j.exercise.as_str(), j.test.name))
        .collect();
    let order = crate::durations::longest_first(&names);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1).min(jobs.len().max(1)) {
            scope.spawn(|| {
                while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let job = &jobs[i];
                    let runs_a_program = job.program.is_ok() && not_run_here(&job.test).is_none();
                    let permit =
                        runs_a_program.then(|| Admission::global().admit(job.test.cpu_heavy));
                    on_event(Event::Started {
                        exercise: &job.exercise,
                        test: job.test.name,
                    });
                    let slow = || {
                        on_event(Event::Slow {
                            exercise: &job.exercise,
                            test: job.test.name,
                            limit: job.test.timeout,
                        })
                    };
                    let run = run_one(job, seed, RUNNER_GRACE, &slow, permit.as_ref());
                    drop(permit);
                    if runs_a_program {
                        crate::durations::record(&job.exercise, job.test.name, run.duration);
                    }
                    let passed = run.outcome.is_ok();
                    results.lock().expect("results lock")[i] = Some(run);
                    on_event(Event::Finished {
                        exercise: &job.exercise,
                        test: job.test.name,
                        passed,
                        done: done.fetch_add(1, Ordering::Relaxed) + 1,
                        total: jobs.len(),
                    });
                }
            });
        }
    });
    results
        .into_inner()
        .expect("results lock")
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}

/// Runs one test on a thread of its own, so that a suite bug that blocks
/// cannot stall the run: the test gets its time limit and then `grace`;
/// calls `on_slow` if it is still running at [`SLOW_SHARE`] of its limit;
/// gives the CPU-heavy place of `permit` back once the test only waits.
/// Whatever happens, every process the test started has ended on return,
/// and the test's directory is gone.
fn run_one(
    job: &TestJob,
    seed: u64,
    grace: Duration,
    on_slow: &dyn Fn(),
    permit: Option<&Permit<'_>>,
) -> TestRun {
    let started = Instant::now();
    if let Some(reason) = not_run_here(&job.test) {
        return TestRun {
            outcome: Ok(()),
            duration: Duration::ZERO,
            not_run: Some(reason),
        };
    }
    let program = match &job.program {
        Ok(p) => p.clone(),
        Err(f) => {
            return TestRun {
                outcome: Err(f.clone()),
                duration: Duration::ZERO,
                not_run: None,
            }
        }
    };
    let (tx, rx) = mpsc::channel();
    let exercise = job.exercise.clone();
    let test = job.test;
    let processes = TestProcesses::new();
    let owned = processes.clone();
    let tid = Arc::new(AtomicI32::new(0));
    let test_tid = tid.clone();
    // The test's directory, once its context exists: a thread that hangs
    // never drops its context, so the directory is removed here instead.
    let test_dir: Arc<Mutex<Option<PathBuf>>> = Arc::default();
    let dir_of_test = test_dir.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("{}::{}", exercise, test.name))
        .spawn(move || {
            // SAFETY: gettid has no preconditions.
            test_tid.store(unsafe { libc::gettid() }, Ordering::SeqCst);
            // This thread is the test's: in a network namespace of its
            // own, the test's sockets and programs are out of other tests'
            // reach.
            if let Err(e) = crate::sandbox::enter_test_network() {
                let _ = tx.send(Err(Failure::grader(e)));
                return;
            }
            let outcome = match Ctx::with_processes(&exercise, &test, &program, seed, owned) {
                Ok(mut ctx) => {
                    if let Ok(mut dir) = dir_of_test.lock() {
                        *dir = Some(ctx.dir().to_path_buf());
                    }
                    std::panic::catch_unwind(AssertUnwindSafe(|| (test.run)(&mut ctx)))
                        .unwrap_or_else(|panic| {
                            Err(Failure::grader(format!(
                                "the suite panicked: {}",
                                panic_text(&panic)
                            )))
                        })
                        .map_err(|f| ctx.with_inputs(f.classify_limits()))
                }
                Err(e) => Err(Failure::grader(format!("creating the test directory: {e}"))),
            };
            let _ = tx.send(outcome);
        });
    let mut heavy = HeavyWatch {
        permit: permit.filter(|p| p.is_heavy()),
        tid,
        processes: &processes,
        watch: None,
    };
    let outcome = match spawned {
        Ok(_) => wait_for(&rx, started, job.test.timeout, grace, on_slow, &mut || {
            heavy.look()
        }),
        Err(e) => Err(Failure::grader(format!("starting a test thread: {e}"))),
    };
    // The suite's thread ended them already if it returned; if it hangs,
    // its processes end here all the same, and its directory goes (a
    // thread that returned removed it before sending its outcome).
    processes.end();
    if let Some(dir) = test_dir.lock().ok().and_then(|mut dir| dir.take()) {
        let _ = std::fs::remove_dir_all(dir);
    }
    TestRun {
        outcome,
        duration: started.elapsed(),
        not_run: None,
    }
}

/// The watch that gives a CPU-heavy test's place back once the test only
/// waits ([`crate::admission::busy`]).
struct HeavyWatch<'a> {
    /// The test's place, while it is a CPU-heavy one.
    permit: Option<&'a Permit<'a>>,
    /// The grader's thread running the test (0 until it has started).
    tid: Arc<AtomicI32>,
    processes: &'a TestProcesses,
    watch: Option<Watch>,
}

impl HeavyWatch<'_> {
    /// Measures the test; when it wants to be called again (`None`: never,
    /// the test holds no heavy place any more).
    fn look(&mut self) -> Option<Duration> {
        let permit = self.permit?;
        if self.watch.is_none() {
            let tid = self.tid.load(Ordering::SeqCst);
            if tid != 0 {
                self.watch = Watch::new(tid);
                if self.watch.is_none() {
                    // No schedstat here: the test keeps its place.
                    self.permit = None;
                    return None;
                }
            }
        }
        if let Some(watch) = &mut self.watch {
            if watch.only_waits(Instant::now(), &self.processes.pids()) {
                permit.lighten();
                self.permit = None;
                return None;
            }
        }
        Some(STEP)
    }
}

/// The outcome a test's thread sends on `rx`, waiting until `limit` and
/// `grace` from `started`; calls `on_slow` once at [`SLOW_SHARE`] of `limit`,
/// and `tick` now and whenever the time it returns has passed.
fn wait_for(
    rx: &mpsc::Receiver<Result<(), Failure>>,
    started: Instant,
    limit: Duration,
    grace: Duration,
    on_slow: &dyn Fn(),
    tick: &mut dyn FnMut() -> Option<Duration>,
) -> Result<(), Failure> {
    let slow_at = started + limit.mul_f64(SLOW_SHARE);
    let give_up = started + limit + grace;
    let mut slow_told = false;
    let mut next_tick = Some(Instant::now());
    loop {
        if next_tick.is_some_and(|at| Instant::now() >= at) {
            next_tick = tick().map(|after| Instant::now() + after);
        }
        let mut until = if slow_told { give_up } else { slow_at };
        if let Some(at) = next_tick {
            until = until.min(at);
        }
        match rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
            Ok(outcome) => return outcome,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if Instant::now() < if slow_told { give_up } else { slow_at } {
                    // Woken for a tick.
                    continue;
                }
                // A test given up on was slow too: told first, whenever
                // this thread got to run.
                if !slow_told {
                    slow_told = true;
                    on_slow();
                }
                if Instant::now() >= give_up {
                    return Err(Failure::new(
                        Cause::GraderError,
                        Phrase::new("test-never-finished"),
                    ));
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Failure::new(
                    Cause::GraderError,
                    Phrase::new("test-never-finished"),
                ))
            }
        }
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic_message(panic).unwrap_or_else(|| "unknown panic".into())
}

/// The message a panic was raised with, when it was raised with text (as
/// `panic!` and `assert!` do).
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> Option<String> {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{Ctx, TestResult};

    fn nothing(_: &mut Ctx) -> TestResult {
        Ok(())
    }

    /// The pid of the program the hanging test started.
    static STARTED: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

    /// The directory of the hanging test.
    static HUNG_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

    /// A suite bug: starts the program, then never returns.
    fn hangs_with_a_program(ctx: &mut Ctx) -> TestResult {
        let _ = HUNG_DIR.set(ctx.dir().to_path_buf());
        let child = ctx.command(&["1000"]).spawn()?;
        STARTED.store(child.pid(), Ordering::SeqCst);
        // The handle is kept alive: nothing in this thread ends the program.
        let _kept = child;
        loop {
            std::thread::sleep(Duration::from_secs(60));
        }
    }

    /// True once `pid` is gone (or only a zombie left to reap).
    fn gone(pid: i32) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat
                .rfind(')')
                .and_then(|i| stat[i + 1..].split_whitespace().next())
                .is_some_and(|state| state == "Z"),
        }
    }

    #[test]
    fn a_hanging_suite_thread_keeps_neither_its_processes_nor_its_directory() {
        let mut test = TestDef::visible("hangs", 1, hangs_with_a_program);
        // Time enough to start one program on a loaded machine; the test
        // then hangs past it.
        test.timeout = Duration::from_secs(5);
        let job = TestJob {
            exercise: "hang".into(),
            test,
            program: Ok(PathBuf::from("/bin/sleep")),
        };
        let slow = std::sync::atomic::AtomicBool::new(false);
        let run = run_one(
            &job,
            1,
            Duration::from_secs(1),
            &|| slow.store(true, Ordering::SeqCst),
            None,
        );
        let failure = run.outcome.expect_err("a test that never returns fails");
        assert!(
            failure.property.contains("did not finish"),
            "{}",
            failure.property
        );
        assert!(
            slow.load(Ordering::SeqCst),
            "the hanging test was reported slow"
        );
        let pid = STARTED.load(Ordering::SeqCst);
        assert!(
            pid > 0,
            "the test did not start its program within its limit"
        );
        // The kill is sent before run_one returns; the kernel may take a
        // moment to tear the process down.
        let until = Instant::now() + Duration::from_secs(10);
        while !gone(pid) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(gone(pid), "the program {pid} outlived its test");
        let dir = HUNG_DIR.get().expect("the hanging test had a directory");
        assert!(!dir.exists(), "{} outlived its test", dir.display());
    }

    /// A CPU-heavy test that only waits on its program (a server that
    /// hangs): 4 s of a sleeping program.
    fn waits_on_a_program(ctx: &mut Ctx) -> TestResult {
        let _program = ctx.command(&["4"]).spawn()?;
        std::thread::sleep(Duration::from_secs(4));
        Ok(())
    }

    /// A CPU-heavy test that keeps a core busy for 4 s.
    fn keeps_a_core_busy(_: &mut Ctx) -> TestResult {
        let until = Instant::now() + Duration::from_secs(4);
        while Instant::now() < until {
            std::hint::black_box(0u64);
        }
        Ok(())
    }

    /// Runs `test` as a CPU-heavy test in a budget of one heavy place;
    /// whether another heavy test got the place while it ran.
    fn another_heavy_test_got_in(test: fn(&mut Ctx) -> TestResult) -> bool {
        let admission = Admission::new(4, 1);
        let job = TestJob {
            exercise: "heavy".into(),
            test: TestDef::visible("heavy", 1, test).cpu_heavy(),
            program: Ok(PathBuf::from("/bin/sleep")),
        };
        let permit = admission.admit(true);
        let ended = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let other = s.spawn(|| {
                drop(admission.admit(true));
                !ended.load(Ordering::SeqCst)
            });
            let run = run_one(&job, 1, Duration::from_secs(5), &|| {}, Some(&permit));
            run.outcome.expect("the test passes");
            ended.store(true, Ordering::SeqCst);
            drop(permit);
            other.join().unwrap()
        })
    }

    #[test]
    fn a_heavy_test_that_only_waits_gives_its_heavy_place_back() {
        if Watch::new(unsafe { libc::gettid() }).is_none() {
            eprintln!("this kernel keeps no schedstat: nothing to check");
            return;
        }
        assert!(another_heavy_test_got_in(waits_on_a_program));
        assert!(!another_heavy_test_got_in(keeps_a_core_busy));
    }

    #[test]
    fn each_test_is_started_then_finished_and_counted() {
        let unbuilt = |name| TestJob {
            exercise: "e".into(),
            test: TestDef::visible(name, 1, nothing),
            program: Err(Failure::grader("it did not build")),
        };
        let jobs = [unbuilt("first"), unbuilt("second"), unbuilt("third")];
        let events = Mutex::new(Vec::new());
        let runs = run_tests(&jobs, 2, 1, &|event| {
            let seen = match event {
                Event::Started { test, .. } => format!("started {test}"),
                Event::Slow { test, .. } => format!("slow {test}"),
                Event::Finished {
                    test,
                    passed,
                    done,
                    total,
                    ..
                } => format!("finished {test} {passed} {done}/{total}"),
            };
            events.lock().unwrap().push(seen);
        });
        assert!(runs.iter().all(|r| r.outcome.is_err()));
        let events = events.into_inner().unwrap();
        assert_eq!(events.len(), 6, "{events:?}");
        for name in ["first", "second", "third"] {
            let at = |what: &str| {
                events
                    .iter()
                    .position(|e| e.starts_with(&format!("{what} {name}")))
                    .unwrap_or_else(|| panic!("no {what} {name} in {events:?}"))
            };
            assert!(at("started") < at("finished"), "{events:?}");
        }
        // Two workers: the counts are each given once, in any order.
        let mut counts: Vec<&str> = events
            .iter()
            .filter_map(|e| e.rsplit(' ').next().filter(|_| e.starts_with("finished")))
            .collect();
        counts.sort();
        assert_eq!(counts, ["1/3", "2/3", "3/3"]);
    }

    #[test]
    fn linux_only_tests_are_not_run_elsewhere() {
        let plain = TestDef::visible("plain", 1, nothing);
        let linux = TestDef::visible("linux", 1, nothing).linux_only();
        assert_eq!(not_run_on(&plain, false), None);
        assert_eq!(not_run_on(&linux, true), None);
        let reason = not_run_on(&linux, false).unwrap();
        assert!(reason.starts_with("not run on this system"), "{reason}");
    }
}
