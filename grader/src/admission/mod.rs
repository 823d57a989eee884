//! [`Admission`]: how many tests run at once, across every grading of this
//! process (`grade`, the gradings `selfcheck` runs side by side, `batch`).
//!
//! Most tests wait: on pauses between a client's pieces, on a time-out a
//! program must notice, on a server that must stay silent. A waiting test
//! does not hold a core, so many run at once ([`WAITING_PER_CORE`] per
//! core); a test that keeps a core busy (a large file streamed and compared,
//! hundreds of clients) says so with [`crate::harness::TestDef::cpu_heavy`],
//! and at most one such test per core runs at a time, so that the timing
//! margins of the tests beside it hold. A CPU-heavy test that has come to
//! only wait (on a program that hangs, mostly: a broken server that never
//! replies holds its test to the limit) gives its heavy place back
//! ([`Permit::lighten`]; the runner watches it with [`busy`]), so that a
//! hung program holds an ordinary place, not a core's.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};

pub mod busy;

/// Tests run at once per core, most of them waiting.
pub const WAITING_PER_CORE: usize = 16;

/// A budget of tests running at once.
#[derive(Debug)]
pub struct Admission {
    /// Tests at once, of any kind.
    slots: usize,
    /// CPU-heavy tests at once.
    heavy_slots: usize,
    state: Mutex<Running>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Running {
    all: usize,
    heavy: usize,
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
        Admission {
            slots: slots.max(1),
            heavy_slots: heavy_slots.max(1),
            state: Mutex::new(Running::default()),
            changed: Condvar::new(),
        }
    }

    /// The budget of this process: [`WAITING_PER_CORE`] tests per core, one
    /// CPU-heavy test per core.
    pub fn global() -> &'static Admission {
        static GLOBAL: OnceLock<Admission> = OnceLock::new();
        GLOBAL.get_or_init(|| Admission::new(cores() * WAITING_PER_CORE, cores()))
    }

    /// Tests of any kind this budget runs at once.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Waits for a place for a test (a CPU-heavy one when `heavy`).
    pub fn admit(&self, heavy: bool) -> Permit<'_> {
        let mut running = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while running.all >= self.slots || (heavy && running.heavy >= self.heavy_slots) {
            running = self
                .changed
                .wait(running)
                .unwrap_or_else(|e| e.into_inner());
        }
        running.all += 1;
        if heavy {
            running.heavy += 1;
        }
        Permit {
            admission: self,
            heavy: AtomicBool::new(heavy),
        }
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
    fn every_permit_is_given_back() {
        let admission = Admission::new(1, 1);
        peak(&admission, &[true, false, true]);
        // Would wait forever if a permit had leaked.
        drop(admission.admit(true));
        drop(admission.admit(false));
    }
}
