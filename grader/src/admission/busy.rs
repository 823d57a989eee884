//! How busy a running test is: the time its thread in the grader and every
//! thread of its programs spent on a CPU or waiting in a run queue for one
//! (the kernel's `schedstat`). A CPU-heavy test busy for less than
//! [`IDLE_SHARE`] of one core over [`WINDOW`] only waits, typically on a
//! program that hangs: the runner then gives its heavy place back
//! ([`super::Permit::lighten`]).
//!
//! Time in a run queue counts as busy: a test starved of CPU by the load
//! beside it wants a core, and must not look idle.
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// The stretch over which a test's business is measured.
pub const WINDOW: Duration = Duration::from_millis(1500);

/// How often a CPU-heavy test is measured.
pub const STEP: Duration = Duration::from_millis(250);

/// The share of one core under which a test only waits: a test streaming a
/// large file or serving hundreds of clients keeps a core (almost) busy; a
/// test waiting for a reply uses a few milliseconds a second.
pub const IDLE_SHARE: f64 = 0.2;

/// The watch over one test: its threads' busy time as sampled.
#[derive(Debug)]
pub struct Watch {
    /// The grader's thread that runs the test.
    tid: i32,
    /// The busy time each thread had at the last sample.
    last: HashMap<(i32, i32), u64>,
    /// Busy time added up since the watch began (each thread's growth
    /// between samples, so a program that ends takes nothing back).
    total: u64,
    /// `(when, total)` samples, the oldest first, back to [`WINDOW`].
    samples: VecDeque<(Instant, u64)>,
}

impl Watch {
    /// A watch over the test run by the grader's thread `tid`, or `None`
    /// where the kernel keeps no `schedstat`.
    pub fn new(tid: i32) -> Option<Watch> {
        task_busy(&format!("/proc/self/task/{tid}/schedstat"))?;
        Some(Watch {
            tid,
            last: HashMap::new(),
            total: 0,
            samples: VecDeque::new(),
        })
    }

    /// Samples the test's thread and the threads of its programs `pids` at
    /// `now`; whether it has only waited over the last [`WINDOW`].
    pub fn only_waits(&mut self, now: Instant, pids: &[i32]) -> bool {
        let mut seen = HashMap::new();
        let own = format!("/proc/self/task/{}/schedstat", self.tid);
        if let Some(ns) = task_busy(&own) {
            seen.insert((0, self.tid), ns);
        }
        for &pid in pids {
            let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
                continue;
            };
            for task in tasks.flatten() {
                let Some(tid) = task.file_name().to_str().and_then(|t| t.parse().ok()) else {
                    continue;
                };
                if let Some(ns) = task_busy(&format!("/proc/{pid}/task/{tid}/schedstat")) {
                    seen.insert((pid, tid), ns);
                }
            }
        }
        self.add(now, seen)
    }

    /// Adds a sample of each thread's busy time; whether the test only
    /// waited over the last [`WINDOW`].
    fn add(&mut self, now: Instant, seen: HashMap<(i32, i32), u64>) -> bool {
        // A thread first seen now counts with all its time: it started
        // since the last sample, or the watch just began (then the window
        // is not full yet either way).
        for (task, ns) in &seen {
            let before = self.last.get(task).copied().unwrap_or(0);
            self.total += ns.saturating_sub(before);
        }
        self.last = seen;
        self.samples.push_back((now, self.total));
        // Keep the newest sample at least WINDOW old, and those after it.
        while self.samples.len() > 1 && now.duration_since(self.samples[1].0) >= WINDOW {
            self.samples.pop_front();
        }
        let (then, busy_then) = self.samples[0];
        let span = now.duration_since(then);
        if span < WINDOW {
            return false;
        }
        let busy = Duration::from_nanos(self.total - busy_then);
        busy < span.mul_f64(IDLE_SHARE)
    }
}

/// The nanoseconds a task spent on a CPU and waiting in a run queue: the
/// first two fields of its `schedstat`.
fn task_busy(path: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().ok());
    let on_cpu = fields.next()??;
    let queued = fields.next()??;
    Some(on_cpu + queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gettid() -> i32 {
        // SAFETY: gettid has no preconditions.
        unsafe { libc::gettid() }
    }

    /// Samples `watch` every STEP for `span` while `work` runs between the
    /// samples; whether the last sample says it only waits.
    fn watch_for(watch: &mut Watch, pids: &[i32], span: Duration, work: &dyn Fn()) -> bool {
        let start = Instant::now();
        let mut waits = watch.only_waits(start, pids);
        while start.elapsed() < span {
            work();
            waits = watch.only_waits(Instant::now(), pids);
        }
        waits
    }

    #[test]
    fn a_sleeping_test_only_waits_and_a_spinning_one_does_not() {
        let Some(mut watch) = Watch::new(gettid()) else {
            eprintln!("this kernel keeps no schedstat: nothing to check");
            return;
        };
        let sleep = || std::thread::sleep(STEP);
        assert!(watch_for(&mut watch, &[], WINDOW * 2, &sleep));
        let mut watch = Watch::new(gettid()).unwrap();
        let spin = || {
            let until = Instant::now() + STEP;
            while Instant::now() < until {
                std::hint::black_box(0u64);
            }
        };
        assert!(!watch_for(&mut watch, &[], WINDOW * 2, &spin));
    }

    #[test]
    fn a_busy_program_keeps_its_test_heavy() {
        let Some(mut watch) = Watch::new(gettid()) else {
            eprintln!("this kernel keeps no schedstat: nothing to check");
            return;
        };
        // The test's own thread sleeps; its program spins.
        let spec = crate::process::Spec::new(
            "/bin/sh",
            vec!["-c".into(), "while :; do :; done".into()],
            std::env::temp_dir(),
        );
        // Dropping the child kills it.
        let busy = crate::process::Child::spawn(&spec).unwrap();
        let sleep = || std::thread::sleep(STEP);
        let waits = watch_for(&mut watch, &[busy.pid()], WINDOW * 2, &sleep);
        drop(busy);
        assert!(!waits, "a program spinning keeps its test busy");
    }

    #[test]
    fn the_window_must_be_full_before_a_test_only_waits() {
        let mut watch = Watch {
            tid: 0,
            last: HashMap::new(),
            total: 0,
            samples: VecDeque::new(),
        };
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        let sample = |ns: u64| HashMap::from([((0, 1), ns)]);
        assert!(!watch.add(at(0), sample(0)));
        assert!(!watch.add(at(1000), sample(1_000_000)));
        // 1 ms busy over 1.5 s.
        assert!(watch.add(at(1500), sample(1_000_000)));
        // 0.5 s busy over the last 1.5 s: over a fifth of a core.
        assert!(!watch.add(at(2000), sample(501_000_000)));
        // A thread gone takes nothing back: still busy over the window.
        assert!(!watch.add(at(2500), HashMap::new()));
        assert!(watch.add(at(4100), HashMap::new()));
    }
}
