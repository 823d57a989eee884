//! [`Admission`]: how many tests run at once, across every grading of this
//! process (`grade`, the gradings `selfcheck` runs side by side, `batch`).
//!
//! Most tests wait: on pauses between a client's pieces, on a time-out a
//! program must notice, on a server that must stay silent. A waiting test
//! does not hold a core, so many run at once: [`WAITING_PER_CORE`] per core
//! whatever the load, and more, up to [`MOST_PER_CORE`] per core, while
//! there is CPU to spare. The budget follows the load: at each
//! [`load::STEP`], if it is full and at least [`SPARE_SHARE`] of the CPU
//! went unused over the last [`load::WINDOW`], it grows by
//! [`STEP_PER_CORE`] per core; if less went unused (this process's work or
//! anyone else's), it shrinks by as much, down to its base. The CPU is that
//! of the CPUs this process may run on ([`load`]) and, where its control
//! group has a CPU quota (a container's share of a larger host), that of
//! the quota ([`quota`]): the smaller spare share counts. Tests running
//! beyond a budget that shrank finish; no new one starts until there is
//! room. A test that keeps a core busy (a large file streamed
//! and compared, hundreds of clients) says so with
//! [`crate::harness::TestDef::cpu_heavy`], and at most one such test per
//! core runs at a time, so that the timing margins of the tests beside it
//! hold. A CPU-heavy test that has come to only wait (on a program that
//! hangs, mostly: a broken server that never replies holds its test to the
//! limit) gives its heavy place back ([`Permit::lighten`]; the runner
//! watches it with [`busy`]), so that a hung program holds an ordinary
//! place, not a core's.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Instant;

pub mod busy;
pub mod load;
pub mod quota;

/// Tests run at once per core whatever the load, most of them waiting.
pub const WAITING_PER_CORE: usize = 16;

/// Tests run at once per core at most, while the machine has CPU to spare.
pub const MOST_PER_CORE: usize = 64;

/// The share of the machine's CPU that must have gone unused over the last
/// [`load::WINDOW`] for more tests than [`WAITING_PER_CORE`] per core to
/// start: half a core of two.
pub const SPARE_SHARE: f64 = 0.25;

/// How much the budget grows or shrinks per core at each [`load::STEP`]:
/// the measure lags by a window, so the budget moves by steps (8 tests a
/// second per core) rather than all at once.
pub const STEP_PER_CORE: usize = 2;

/// A budget of tests running at once.
#[derive(Debug)]
pub struct Admission {
    /// Tests at once, of any kind, whatever the load.
    slots: usize,
    /// Tests at once, of any kind, at most (with CPU to spare).
    most: usize,
    /// CPU-heavy tests at once.
    heavy_slots: usize,
    state: Mutex<Running>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Running {
    all: usize,
    heavy: usize,
    /// Tests at once now, between `slots` and `most`, as the load allows.
    limit: usize,
}

/// A test's place in the budget, given back when dropped.
#[derive(Debug)]
pub struct Permit<'a> {
    admission: &'a Admission,
    /// It holds a CPU-heavy place (until given back or dropped).
    heavy: AtomicBool,
}

impl Admission {
    /// A budget of `slots` tests at once, `heavy_slots` of them CPU-heavy.
    pub fn new(slots: usize, heavy_slots: usize) -> Admission {
        Admission::elastic(slots, slots, heavy_slots)
    }

    /// A budget of `slots` tests at once, and up to `most` as the load
    /// allows ([`Admission::follow`]); `heavy_slots` of them CPU-heavy.
    pub fn elastic(slots: usize, most: usize, heavy_slots: usize) -> Admission {
        let slots = slots.max(1);
        Admission {
            slots,
            most: most.max(slots),
            heavy_slots: heavy_slots.max(1),
            state: Mutex::new(Running {
                limit: slots,
                ..Running::default()
            }),
            changed: Condvar::new(),
        }
    }

    /// The budget of this process: [`WAITING_PER_CORE`] tests per core, up
    /// to [`MOST_PER_CORE`] while the machine has CPU to spare (measured by
    /// a thread of its own from the first call on: so not before the
    /// sandbox is set up, which needs the process to have a single thread),
    /// one CPU-heavy test per core.
    pub fn global() -> &'static Admission {
        static GLOBAL: OnceLock<Admission> = OnceLock::new();
        let mut first = false;
        let admission = GLOBAL.get_or_init(|| {
            first = true;
            let cores = cores();
            Admission::elastic(cores * WAITING_PER_CORE, cores * MOST_PER_CORE, cores)
        });
        if first {
            let step = cores() * STEP_PER_CORE;
            // Without /proc/stat, or without a thread, the budget stays at
            // its base.
            let _ = std::thread::Builder::new()
                .name("load".into())
                .spawn(move || admission.follow_load(step));
        }
        admission
    }

    /// Measures the load every [`load::STEP`], for ever, and follows it by
    /// `step`: the spare share of the CPUs this process may use, and under
    /// a CPU quota the spare share of the quota, whichever is smaller.
    fn follow_load(&self, step: usize) {
        let quota = quota::Quota::find();
        let start = Instant::now();
        let mut machine = load::Spare::default();
        let mut group = load::Spare::default();
        // Until the load cannot be read any more: then the budget goes
        // back to its base, and stays there.
        loop {
            let now = Instant::now();
            let Some(times) = load::read() else { break };
            let mut share = machine.add(now, times);
            if let Some(quota) = &quota {
                let Some(used) = quota.times(now - start) else {
                    break;
                };
                share = share.zip(group.add(now, used)).map(|(a, b)| a.min(b));
            }
            if let Some(share) = share {
                self.follow(share >= SPARE_SHARE, step);
            }
            std::thread::sleep(load::STEP);
        }
        self.follow(false, self.most);
    }

    /// Tests of any kind this budget runs at once at most.
    pub fn most(&self) -> usize {
        self.most
    }

    /// Follows a measure of the load: with CPU to `spare` and every place
    /// taken, `step` more tests may run at once (up to the most); without
    /// CPU to spare, `step` fewer (down to the base).
    pub fn follow(&self, spare: bool, step: usize) {
        let mut running = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !spare {
            running.limit = running.limit.saturating_sub(step).max(self.slots);
        } else if running.all >= running.limit && running.limit < self.most {
            running.limit = (running.limit + step).min(self.most);
            drop(running);
            self.changed.notify_all();
        }
    }

    /// Waits for a place for a test (a CPU-heavy one when `heavy`).
    pub fn admit(&self, heavy: bool) -> Permit<'_> {
        let mut running = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !self.take(&mut running, heavy) {
            running = self
                .changed
                .wait(running)
                .unwrap_or_else(|e| e.into_inner());
        }
        Permit {
            admission: self,
            heavy: AtomicBool::new(heavy),
        }
    }

    /// A place for a test now, if there is one.
    #[cfg(test)]
    fn try_admit(&self, heavy: bool) -> Option<Permit<'_>> {
        let mut running = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.take(&mut running, heavy).then(|| Permit {
            admission: self,
            heavy: AtomicBool::new(heavy),
        })
    }

    /// Takes a place for a test (a CPU-heavy one when `heavy`) in
    /// `running`, if there is one within the budget's limit now.
    fn take(&self, running: &mut Running, heavy: bool) -> bool {
        if running.all >= running.limit || (heavy && running.heavy >= self.heavy_slots) {
            return false;
        }
        running.all += 1;
        if heavy {
            running.heavy += 1;
        }
        true
    }

    fn release(&self, all: bool, heavy: bool) {
        let mut running = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if all {
            running.all -= 1;
        }
        if heavy {
            running.heavy -= 1;
        }
        drop(running);
        self.changed.notify_all();
    }
}

impl Permit<'_> {
    /// Whether it still holds a CPU-heavy place.
    pub fn is_heavy(&self) -> bool {
        self.heavy.load(Ordering::SeqCst)
    }

    /// Gives the CPU-heavy place back (if it holds one), keeping the
    /// test's place: the test only waits now.
    pub fn lighten(&self) {
        if self.heavy.swap(false, Ordering::SeqCst) {
            self.admission.release(false, true);
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let heavy = self.heavy.swap(false, Ordering::SeqCst);
        self.admission.release(true, heavy);
    }
}

/// The cores this process may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// Runs `n` tests (`heavy` says which) on as many threads through
    /// `admission`; returns the most that ran at once, of all and of heavy.
    fn peak(admission: &Admission, heavy: &[bool]) -> (usize, usize) {
        let all = AtomicUsize::new(0);
        let hv = AtomicUsize::new(0);
        let peak_all = AtomicUsize::new(0);
        let peak_heavy = AtomicUsize::new(0);
        let (all, hv) = (&all, &hv);
        let (peak_all_ref, peak_heavy_ref) = (&peak_all, &peak_heavy);
        std::thread::scope(|s| {
            for &h in heavy {
                s.spawn(move || {
                    let _permit = admission.admit(h);
                    let now = all.fetch_add(1, Ordering::SeqCst) + 1;
                    peak_all_ref.fetch_max(now, Ordering::SeqCst);
                    if h {
                        let now = hv.fetch_add(1, Ordering::SeqCst) + 1;
                        peak_heavy_ref.fetch_max(now, Ordering::SeqCst);
                    }
                    std::thread::sleep(Duration::from_millis(30));
                    if h {
                        hv.fetch_sub(1, Ordering::SeqCst);
                    }
                    all.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        (
            peak_all.load(Ordering::SeqCst),
            peak_heavy.load(Ordering::SeqCst),
        )
    }

    #[test]
    fn heavy_tests_are_bounded_apart_from_waiting_ones() {
        let admission = Admission::new(6, 2);
        let mut heavy = vec![true; 8];
        heavy.extend([false; 8]);
        let (all, hv) = peak(&admission, &heavy);
        assert!(all <= 6, "at most 6 at once, saw {all}");
        assert!(hv <= 2, "at most 2 heavy at once, saw {hv}");
        assert!(
            hv >= 1 && all >= 3,
            "the budget is used: {all} at once, {hv} heavy"
        );
    }

    #[test]
    fn a_lightened_test_lets_the_next_heavy_one_in_and_keeps_its_place() {
        let admission = Admission::new(2, 1);
        let first = admission.admit(true);
        assert!(first.is_heavy());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                let second = admission.admit(true);
                tx.send(second.is_heavy()).unwrap();
                // Both places are taken: nothing else gets in until this
                // one ends.
                std::thread::sleep(Duration::from_millis(50));
            });
            // The second heavy test waits while the first holds the place.
            assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
            first.lighten();
            assert!(!first.is_heavy());
            assert!(rx.recv_timeout(Duration::from_secs(10)).unwrap());
            // Lightening twice gives back nothing more.
            first.lighten();
        });
        let running = admission.state.lock().unwrap();
        assert_eq!(
            (running.all, running.heavy),
            (1, 0),
            "only the first is left"
        );
        drop(running);
        drop(first);
        let running = admission.state.lock().unwrap();
        assert_eq!((running.all, running.heavy), (0, 0));
    }

    #[test]
    fn the_budget_grows_with_spare_cpu_while_full_up_to_its_most() {
        let admission = Admission::elastic(2, 5, 1);
        assert_eq!(admission.most(), 5);
        let first = admission.try_admit(false).unwrap();
        // Spare CPU, but places left: the budget stays.
        admission.follow(true, 2);
        let second = admission.try_admit(true).unwrap();
        assert!(admission.try_admit(false).is_none(), "the base is full");
        admission.follow(true, 2);
        let third = admission.try_admit(false).expect("the budget grew");
        assert!(
            admission.try_admit(true).is_none(),
            "a CPU-heavy test needs a heavy place, whatever the budget"
        );
        let fourth = admission.try_admit(false).unwrap();
        assert!(admission.try_admit(false).is_none(), "by two places");
        admission.follow(true, 2);
        let fifth = admission.try_admit(false).unwrap();
        assert!(admission.try_admit(false).is_none(), "up to its most");
        admission.follow(true, 2);
        assert!(admission.try_admit(false).is_none(), "never beyond");
        // The CPU is busy: the budget shrinks, down to its base. The tests
        // beyond it go on; no other starts until there is room.
        admission.follow(false, 2);
        drop((fourth, fifth));
        assert!(admission.try_admit(false).is_none(), "3 at once now");
        admission.follow(false, 2);
        drop(third);
        assert!(admission.try_admit(false).is_none(), "2 at once now");
        drop(second);
        let heavy = admission.try_admit(true).expect("a base and a heavy place");
        drop((first, heavy));
        let running = admission.state.lock().unwrap();
        assert_eq!((running.all, running.heavy, running.limit), (0, 0, 2));
    }

    #[test]
    fn a_budget_that_grows_wakes_a_waiting_test() {
        let admission = Admission::elastic(1, 2, 1);
        let _first = admission.admit(false);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                let _second = admission.admit(false);
                tx.send(()).unwrap();
            });
            assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
            admission.follow(true, 1);
            assert!(rx.recv_timeout(Duration::from_secs(10)).is_ok());
        });
    }

    #[test]
    fn every_permit_is_given_back() {
        let admission = Admission::new(1, 1);
        peak(&admission, &[true, false, true]);
        // Would wait forever if a permit had leaked.
        drop(admission.admit(true));
        drop(admission.admit(false));
    }
}
