//! [`BuildGate`]: submissions graded side by side (a batch's students, the
//! self-check's subjects) take turns to build. One cargo build of a
//! submission compiles its crates side by side, on every core; more at once
//! would slow each, and so delay its tests. The submissions already built
//! run their tests meanwhile, within the process's test budget
//! ([`crate::admission`]).
//!
//! A worker takes its turn before it takes its next submission, and gives
//! it back when that submission's build ends: no submission waits for a
//! turn once it is taken (its grading time, and Ctrl-C's "let those in
//! progress finish", count only submissions under way), and submissions
//! are built in their order.
use std::sync::{Condvar, Mutex};

/// Turns to build, first come, first served, `builds` at once.
#[derive(Debug)]
pub struct BuildGate {
    /// Builds at once.
    builds: u64,
    state: Mutex<Tickets>,
    changed: Condvar,
}

/// The tickets of a [`BuildGate`]: ticket `t` has its turn once
/// `t < given_back + builds`.
#[derive(Debug, Default)]
struct Tickets {
    /// Tickets handed out.
    taken: u64,
    /// Turns given back.
    given_back: u64,
}

/// A turn to build, given back when dropped.
#[derive(Debug)]
pub struct Turn<'a> {
    gate: &'a BuildGate,
}

impl BuildGate {
    /// A gate letting `builds` builds (at least one) run at once.
    pub fn new(builds: usize) -> BuildGate {
        BuildGate {
            builds: builds.max(1) as u64,
            state: Mutex::new(Tickets::default()),
            changed: Condvar::new(),
        }
    }

    /// Waits for a turn: first come, first served.
    pub fn enter(&self) -> Turn<'_> {
        let mut tickets = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let ticket = tickets.taken;
        tickets.taken += 1;
        while ticket >= tickets.given_back + self.builds {
            tickets = self
                .changed
                .wait(tickets)
                .unwrap_or_else(|e| e.into_inner());
        }
        Turn { gate: self }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut tickets = self.gate.state.lock().unwrap_or_else(|e| e.into_inner());
        tickets.given_back += 1;
        drop(tickets);
        self.gate.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn one_turn_at_a_time_in_the_order_asked() {
        let gate = BuildGate::new(1);
        let inside = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let order = Mutex::new(Vec::new());
        let first = gate.enter();
        std::thread::scope(|s| {
            for i in 0..4u64 {
                let (gate, inside, most, order) = (&gate, &inside, &most, &order);
                s.spawn(move || {
                    let _turn = gate.enter();
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    order.lock().unwrap().push(i);
                    std::thread::sleep(Duration::from_millis(20));
                    inside.fetch_sub(1, Ordering::SeqCst);
                });
                // The next one asks once this one waits for its turn.
                while gate.state.lock().unwrap().taken < i + 2 {
                    std::thread::yield_now();
                }
            }
            drop(first);
        });
        assert_eq!(most.load(Ordering::SeqCst), 1, "one turn at a time");
        assert_eq!(*order.lock().unwrap(), [0, 1, 2, 3], "in the order asked");
    }

    #[test]
    fn two_turns_at_once_and_every_turn_is_given_back() {
        let gate = BuildGate::new(2);
        let a = gate.enter();
        let b = gate.enter();
        std::thread::scope(|s| {
            let waiting = s.spawn(|| drop(gate.enter()));
            std::thread::sleep(Duration::from_millis(50));
            assert!(!waiting.is_finished(), "a third waits for a turn");
            drop(a);
            waiting.join().unwrap();
        });
        drop(b);
        // Would wait forever if a turn had leaked.
        drop(gate.enter());
        drop(gate.enter());
    }
}
