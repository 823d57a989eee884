//! How much of the machine's CPU is spare: the share of the time of the
//! CPUs this process may run on (its affinity), over the last [`WINDOW`],
//! that no process of normal priority used (`/proc/stat`). Time spent idle,
//! waiting on a disk or running niced processes counts as spare: a niced
//! process (a low-priority build beside the tests) gives its CPU up to the
//! tests as soon as they want it. Under a CPU quota, what the quota leaves
//! is measured too ([`super::quota`]).
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The stretch over which the spare CPU is measured.
pub const WINDOW: Duration = Duration::from_secs(1);

/// How often it is measured.
pub const STEP: Duration = Duration::from_millis(250);

/// The CPU time of some CPUs (in clock ticks, since the machine started),
/// or of a group under a quota (in microseconds, [`super::quota`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuTimes {
    /// Used by processes of normal priority and the kernel.
    pub busy: u64,
    /// All of it.
    pub total: u64,
}

/// Reads the CPU time of the CPUs this process may run on (of all of the
/// machine's where its affinity cannot be read), or `None` where
/// `/proc/stat` cannot be read.
pub fn read() -> Option<CpuTimes> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    parse(&stat, allowed_cpus().as_deref())
}

/// The CPUs this process may run on (its affinity), or `None` where it
/// cannot be read.
pub fn allowed_cpus() -> Option<Vec<usize>> {
    let set = nix::sched::sched_getaffinity(nix::unistd::Pid::from_raw(0)).ok()?;
    let cpus: Vec<usize> = (0..nix::sched::CpuSet::count())
        .filter(|&cpu| set.is_set(cpu).unwrap_or(false))
        .collect();
    (!cpus.is_empty()).then_some(cpus)
}

/// The CPU time of a `/proc/stat`: of the CPUs `allowed`, or of all of
/// them (its `cpu` line) without a list.
fn parse(stat: &str, allowed: Option<&[usize]>) -> Option<CpuTimes> {
    let mut sum: Option<CpuTimes> = None;
    for line in stat.lines() {
        let mut fields = line.split_whitespace();
        let Some(name) = fields.next() else { continue };
        let wanted = match (name.strip_prefix("cpu"), allowed) {
            (Some(""), None) => true,
            (Some(n), Some(allowed)) => n.parse().is_ok_and(|cpu| allowed.contains(&cpu)),
            _ => false,
        };
        if !wanted {
            continue;
        }
        let times = cpu_line(fields)?;
        let sum = sum.get_or_insert(CpuTimes { busy: 0, total: 0 });
        sum.busy += times.busy;
        sum.total += times.total;
    }
    sum
}

/// CPU numbers as ranges: `0-3,6`.
pub fn cpu_list(cpus: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cpus.len() {
        let mut j = i;
        while j + 1 < cpus.len() && cpus[j + 1] == cpus[j] + 1 {
            j += 1;
        }
        parts.push(if j == i {
            cpus[i].to_string()
        } else {
            format!("{}-{}", cpus[i], cpus[j])
        });
        i = j + 1;
    }
    parts.join(",")
}

/// The CPU time of the fields of a `cpu` line of `/proc/stat`.
fn cpu_line<'a>(fields: impl Iterator<Item = &'a str>) -> Option<CpuTimes> {
    let fields: Vec<u64> = fields.map(|f| f.parse().ok()).collect::<Option<_>>()?;
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
            parse(stat, None),
            Some(CpuTimes {
                busy: 140,
                total: 1000
            })
        );
        assert_eq!(parse("cpu  1 2 3\n", None), None, "too few fields");
        assert_eq!(
            parse("cpu0 1 2 3 4 5 6 7 8\n", None),
            None,
            "no line for all CPUs"
        );
        assert!(read().is_some(), "this machine has /proc/stat");
    }

    #[test]
    fn only_the_cpus_this_process_may_use_count() {
        // CPU 0 is busy, CPU 1 idle, CPU 2 half busy.
        let stat = "\
cpu  150 0 0 150 0 0 0 0 0 0
cpu0 100 0 0 0 0 0 0 0 0 0
cpu1 0 0 0 100 0 0 0 0 0 0
cpu2 50 0 0 50 0 0 0 0 0 0
intr 1 2
";
        assert_eq!(
            parse(stat, Some(&[0, 2])),
            Some(CpuTimes {
                busy: 150,
                total: 200
            }),
            "CPUs 0 and 2"
        );
        assert_eq!(
            parse(stat, Some(&[1])),
            Some(CpuTimes {
                busy: 0,
                total: 100
            }),
            "CPU 1 alone"
        );
        assert_eq!(parse(stat, Some(&[7])), None, "no CPU of the set");
        assert_eq!(cpu_list(&[0, 1, 2, 3, 6, 8, 9]), "0-3,6,8-9");
        assert_eq!(cpu_list(&[5]), "5");
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
