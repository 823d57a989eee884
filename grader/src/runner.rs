//! Running tests: [`run_tests`] runs every [`TestJob`] on a pool of worker
//! threads, reports [`Event`]s to a callback as tests finish, and returns the
//! outcomes in the jobs' order, whatever order they finished in.
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

use crate::admission::Admission;
use crate::harness::{Ctx, Failure, TestDef};

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

/// Progress, for renderers that show it.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// A test finished.
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
/// process); calls `on_event` as tests finish; returns the runs in the order
/// of `jobs`.
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
                    let run = run_one(job, seed);
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
/// cannot stall the run.
fn run_one(job: &TestJob, seed: u64) -> TestRun {
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
    let spawned = std::thread::Builder::new()
        .name(format!("{}::{}", exercise, test.name))
        .spawn(move || {
            // This thread is the test's: in a network namespace of its
            // own, the test's sockets and programs are out of other tests'
            // reach.
            if let Err(e) = crate::sandbox::enter_test_network() {
                let _ = tx.send(Err(Failure::grader(e)));
                return;
            }
            let outcome = match Ctx::new(&exercise, &test, &program, seed) {
                Ok(mut ctx) => std::panic::catch_unwind(AssertUnwindSafe(|| (test.run)(&mut ctx)))
                    .unwrap_or_else(|panic| {
                        Err(Failure::grader(format!(
                            "the suite panicked: {}",
                            panic_text(&panic)
                        )))
                    })
                    .map_err(|f| ctx.with_inputs(f.classify_limits())),
                Err(e) => Err(Failure::grader(format!("creating the test directory: {e}"))),
            };
            let _ = tx.send(outcome);
        });
    let outcome = match spawned {
        Ok(_) => rx
            .recv_timeout(job.test.timeout + RUNNER_GRACE)
            .unwrap_or_else(|_| {
                Err(Failure::grader(
                    "the test did not finish; its processes were stopped",
                ))
            }),
        Err(e) => Err(Failure::grader(format!("starting a test thread: {e}"))),
    };
    TestRun {
        outcome,
        duration: started.elapsed(),
        not_run: None,
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{Ctx, TestResult};

    fn nothing(_: &mut Ctx) -> TestResult {
        Ok(())
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
