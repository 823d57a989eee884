//! How much of the machine's CPU is spare: the share of the time of all its
//! CPUs, over the last [`WINDOW`], that no process of normal priority used
//! (`/proc/stat`). Time spent idle, waiting on a disk or running niced
//! processes counts as spare: a niced process (a low-priority build beside
//! the tests) gives its CPU up to the tests as soon as they want it.
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The stretch over which the spare CPU is measured.
pub const WINDOW: Duration = Duration::from_secs(1);

/// How often it is measured.
pub const STEP: Duration = Duration::from_millis(250);

/// The CPU time of the whole machine, in clock ticks, since it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuTimes {
    /// Used by processes of normal priority and the kernel.
    pub busy: u64,
    /// All of it.
    pub total: u64,
}

/// Reads the machine's CPU time, or `None` where `/proc/stat` cannot be read.
pub fn read() -> Option<CpuTimes> {
    parse(&std::fs::read_to_string("/proc/stat").ok()?)
}

/// The CPU time of the `cpu` line of a `/proc/stat`.
fn parse(stat: &str) -> Option<CpuTimes> {
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    // user nice system idle iowait irq softirq steal (guest time is counted
    // in user's already).
    let [user, nice, system, idle, iowait, irq, softirq, steal, ..] = fields[..] else {
        return None;
    };
    Some(CpuTimes {
        busy: user + system + irq + softirq + steal,
        total: user + nice + system + idle + iowait + irq + softirq + steal,
    })
}

/// The samples of the last [`WINDOW`].
#[derive(Debug, Default)]
pub struct Spare {
    samples: VecDeque<(Instant, CpuTimes)>,
}

impl Spare {
    /// Adds the machine's CPU time at `now`; the share of the CPU spare
    /// over the last [`WINDOW`], once a whole window has been seen.
    pub fn add(&mut self, now: Instant, times: CpuTimes) -> Option<f64> {
        self.samples.push_back((now, times));
        // Keep the newest sample at least WINDOW old, and those after it.
        while self.samples.len() > 1 && now.duration_since(self.samples[1].0) >= WINDOW {
            self.samples.pop_front();
        }
        let (then, old) = self.samples[0];
        if now.duration_since(then) < WINDOW {
            return None;
        }
        let total = times.total.saturating_sub(old.total);
        if total == 0 {
            return None;
        }
        let busy = times.busy.saturating_sub(old.busy).min(total);
        Some(1.0 - busy as f64 / total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn niced_and_idle_time_is_spare() {
        let stat = "cpu  100 50 30 800 10 5 5 0 7 0\ncpu0 50 25 15 400 5 2 3 0 0 0\nintr 1 2\n";
        assert_eq!(
            parse(stat),
            Some(CpuTimes {
                busy: 140,
                total: 1000
            })
        );
        assert_eq!(parse("cpu  1 2 3\n"), None, "too few fields");
        assert_eq!(
            parse("cpu0 1 2 3 4 5 6 7 8\n"),
            None,
            "no line for all CPUs"
        );
        assert!(read().is_some(), "this machine has /proc/stat");
    }

    #[test]
    fn the_spare_share_is_taken_over_a_whole_window() {
        let mut spare = Spare::default();
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        let times = |busy, total| CpuTimes { busy, total };
        assert_eq!(spare.add(at(0), times(0, 0)), None);
        assert_eq!(spare.add(at(500), times(50, 100)), None, "half a window");
        // 100 of 200 ticks busy over the last second.
        assert_eq!(spare.add(at(1000), times(100, 200)), Some(0.5));
        // The last second only: 150 of 200 ticks busy.
        assert_eq!(spare.add(at(1500), times(200, 300)), Some(0.25));
        // A second with no tick counted says nothing.
        assert_eq!(spare.add(at(2500), times(200, 300)), None);
    }
}
