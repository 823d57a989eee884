//! The CPU quota of this process's control group, where one is set: a
//! container started with a share of the host's CPUs (`docker run --cpus`,
//! a Kubernetes CPU limit, systemd's `CPUQuota=`). Under a quota the tests
//! get no more CPU than it allows, however idle the host's CPUs are: the
//! spare CPU is what the group has not used of its quota ([`Quota::times`]),
//! not what `/proc/stat` shows (the host's CPUs, which other containers
//! share).
//!
//! Both cgroup versions: v2's `cpu.max` and `cpu.stat`, v1's
//! `cpu.cfs_quota_us` / `cpu.cfs_period_us` and `cpuacct.usage`. The
//! quota that counts is the smallest one on the way from this process's
//! group up to its hierarchy's root, and its group's usage counts every
//! process below it: the students' programs too, where they stay in it.
//! They do in a container (the sandbox's pids groups are made at the root
//! of the hierarchy it sees, its own group) and under v1 (they join groups
//! of the `pids` hierarchy only). On a host under v2, the sandbox's groups
//! at the hierarchy's root are outside a quota set on the grader's own
//! group (a systemd service's, say), and so is its programs' CPU.
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::load::CpuTimes;

/// A CPU quota over this process, and where its group's usage is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Quota {
    /// The cores it allows: quota / period (1.5 for `150000 100000`).
    pub cores: f64,
    /// The group whose quota it is.
    pub group: PathBuf,
    /// The file of the CPU time its group has used.
    usage: Usage,
}

/// Where a group's used CPU time is read.
#[derive(Debug, Clone, PartialEq)]
enum Usage {
    /// v2's `cpu.stat`, its `usage_usec` line.
    Stat(PathBuf),
    /// v1's `cpuacct.usage`, in nanoseconds.
    Nanos(PathBuf),
}

impl Quota {
    /// The quota in force over this process, if any can be read.
    pub fn find() -> Option<Quota> {
        let cgroups = std::fs::read_to_string("/proc/self/cgroup").ok()?;
        let mounts = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
        find_in(&cgroups, &mounts, &|p| std::fs::read_to_string(p).ok())
    }

    /// The CPU time the group has used.
    pub fn used(&self) -> Option<Duration> {
        match &self.usage {
            Usage::Stat(path) => {
                let stat = std::fs::read_to_string(path).ok()?;
                let usec = stat
                    .lines()
                    .find_map(|l| l.strip_prefix("usage_usec "))?
                    .trim()
                    .parse()
                    .ok()?;
                Some(Duration::from_micros(usec))
            }
            Usage::Nanos(path) => {
                let nanos = std::fs::read_to_string(path).ok()?.trim().parse().ok()?;
                Some(Duration::from_nanos(nanos))
            }
        }
    }

    /// The group's CPU time, `elapsed` after some fixed instant, as a
    /// sample of [`super::load::Spare`] (in microseconds): what it used,
    /// of all its quota allowed since that instant.
    pub fn times(&self, elapsed: Duration) -> Option<CpuTimes> {
        Some(CpuTimes {
            busy: self.used()?.as_micros() as u64,
            total: (elapsed.as_micros() as f64 * self.cores) as u64,
        })
    }
}

/// The smallest quota over the group of `/proc/self/cgroup` (`cgroups`),
/// with the hierarchies mounted as `mounts` (`/proc/self/mountinfo`) and
/// their files read by `read`.
fn find_in(cgroups: &str, mounts: &str, read: &dyn Fn(&Path) -> Option<String>) -> Option<Quota> {
    let mut found = Vec::new();
    // v2: the unified hierarchy.
    if let Some(group) = group_dir(cgroups, mounts, None) {
        for level in group.levels() {
            if let Some(cores) = read(&level.join("cpu.max")).and_then(|s| v2_cores(&s)) {
                found.push(Quota {
                    cores,
                    usage: Usage::Stat(level.join("cpu.stat")),
                    group: level,
                });
            }
        }
    }
    // v1: the quota in the `cpu` hierarchy, the usage in `cpuacct`'s (the
    // same one where they are mounted together, as `cpu,cpuacct`).
    if let (Some(group), Some(accounting)) = (
        group_dir(cgroups, mounts, Some("cpu")),
        group_dir(cgroups, mounts, Some("cpuacct")),
    ) {
        for (up, level) in group.levels().into_iter().enumerate() {
            let number =
                |name: &str| -> Option<i64> { read(&level.join(name))?.trim().parse().ok() };
            let (Some(quota), Some(period)) =
                (number("cpu.cfs_quota_us"), number("cpu.cfs_period_us"))
            else {
                continue;
            };
            let Some(cores) = v1_cores(quota, period) else {
                continue;
            };
            // The quota's group in the accounting hierarchy: as many
            // levels up from this process's group, where it is there.
            let usage = accounting
                .levels()
                .get(up)
                .map(|same| same.join("cpuacct.usage"))
                .filter(|usage| read(usage).is_some())
                .unwrap_or_else(|| accounting.dir.join("cpuacct.usage"));
            found.push(Quota {
                cores,
                usage: Usage::Nanos(usage),
                group: level,
            });
        }
    }
    found.into_iter().min_by(|a, b| a.cores.total_cmp(&b.cores))
}

/// This process's group in one hierarchy.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    /// Where the hierarchy is mounted.
    mount: PathBuf,
    /// The group's directory, below `mount`.
    dir: PathBuf,
}

impl Group {
    /// The group's directory and each one above it, up to the mount point.
    fn levels(&self) -> Vec<PathBuf> {
        self.dir
            .ancestors()
            .take_while(|p| p.starts_with(&self.mount))
            .map(Path::to_path_buf)
            .collect()
    }
}

/// This process's group in the hierarchy of `controller` (v1), or in the
/// unified one (`None`).
fn group_dir(cgroups: &str, mounts: &str, controller: Option<&str>) -> Option<Group> {
    // `/proc/self/cgroup`: `ID:CONTROLLERS:PATH`, v2's with ID 0 and no
    // controllers.
    let path = cgroups.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (id, list, path) = (parts.next()?, parts.next()?, parts.next()?);
        let wanted = match controller {
            None => id == "0" && list.is_empty(),
            Some(c) => list.split(',').any(|x| x == c),
        };
        wanted.then_some(path)
    })?;
    // `/proc/self/mountinfo`: ID PARENT DEV ROOT MOUNTPOINT OPTIONS
    // [OPTIONAL...] - FSTYPE SOURCE SUPER-OPTIONS.
    mounts.lines().find_map(|line| {
        let (mine, theirs) = line.split_once(" - ")?;
        let mine: Vec<&str> = mine.split(' ').collect();
        let theirs: Vec<&str> = theirs.split(' ').collect();
        let (root, point) = (*mine.get(3)?, *mine.get(4)?);
        let (fstype, options) = (*theirs.first()?, *theirs.get(2)?);
        let fits = match controller {
            None => fstype == "cgroup2",
            Some(c) => fstype == "cgroup" && options.split(',').any(|x| x == c),
        };
        if !fits {
            return None;
        }
        // The mount shows the hierarchy from `root` down (a container's
        // own group, say): the group's path is below it.
        let below = Path::new(path).strip_prefix(unescape(root)).ok()?;
        let mount = PathBuf::from(unescape(point));
        let dir = if below.as_os_str().is_empty() {
            mount.clone()
        } else {
            mount.join(below)
        };
        Some(Group { mount, dir })
    })
}

/// v2's `cpu.max` (`QUOTA PERIOD`, or `max PERIOD` without a quota) in
/// cores.
fn v2_cores(text: &str) -> Option<f64> {
    let mut parts = text.split_whitespace();
    let quota: f64 = parts.next()?.parse().ok()?;
    let period: f64 = parts.next().unwrap_or("100000").parse().ok()?;
    (quota > 0.0 && period > 0.0).then(|| quota / period)
}

/// v1's quota and period (`-1` for no quota) in cores.
fn v1_cores(quota: i64, period: i64) -> Option<f64> {
    (quota > 0 && period > 0).then(|| quota as f64 / period as f64)
}

/// A mount point as `/proc/self/mountinfo` writes it: space, tab, newline
/// and backslash as octal escapes.
fn unescape(field: &str) -> String {
    let mut out = String::new();
    let mut rest = field;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let code = rest
            .get(i + 1..i + 4)
            .and_then(|o| u8::from_str_radix(o, 8).ok());
        match code {
            Some(c) => {
                out.push(char::from(c));
                rest = &rest[i + 4..];
            }
            None => {
                out.push('\\');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Files as `find_in` reads them.
    fn files(pairs: &[(&str, &str)]) -> impl Fn(&Path) -> Option<String> {
        let map: BTreeMap<PathBuf, String> = pairs
            .iter()
            .map(|(p, s)| (PathBuf::from(p), s.to_string()))
            .collect();
        move |p| map.get(p).cloned()
    }

    const V2_MOUNTS: &str = "\
24 29 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
30 24 0:5 / /proc rw - proc proc rw
";

    #[test]
    fn a_v2_quota_is_the_smallest_on_the_way_up_and_its_group_counts_the_usage() {
        let cgroups = "0::/system.slice/ci.service\n";
        let read = files(&[
            (
                "/sys/fs/cgroup/system.slice/ci.service/cpu.max",
                "max 100000\n",
            ),
            ("/sys/fs/cgroup/system.slice/cpu.max", "150000 100000\n"),
            ("/sys/fs/cgroup/cpu.max", "400000 100000\n"),
        ]);
        let quota = find_in(cgroups, V2_MOUNTS, &read).expect("a quota");
        assert_eq!(quota.cores, 1.5);
        assert_eq!(quota.group, PathBuf::from("/sys/fs/cgroup/system.slice"));
        assert_eq!(
            quota.usage,
            Usage::Stat("/sys/fs/cgroup/system.slice/cpu.stat".into())
        );
        let none = files(&[("/sys/fs/cgroup/system.slice/cpu.max", "max 100000\n")]);
        assert_eq!(find_in(cgroups, V2_MOUNTS, &none), None, "no quota");
    }

    #[test]
    fn a_container_sees_its_own_group_as_the_root_of_its_mount() {
        // A cgroup namespace: the container's group is `/`, its quota in
        // the mount's own directory.
        let read = files(&[("/sys/fs/cgroup/cpu.max", "50000 100000\n")]);
        let quota = find_in("0::/\n", V2_MOUNTS, &read).expect("a quota");
        assert_eq!(quota.cores, 0.5);
        assert_eq!(quota.group, PathBuf::from("/sys/fs/cgroup"));
        // Without one: the host's path, below the mount's root.
        let mounts = "24 29 0:22 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
        let read = files(&[("/sys/fs/cgroup/cpu.max", "200000 100000\n")]);
        let quota = find_in("0::/docker/abc\n", mounts, &read).expect("a quota");
        assert_eq!(quota.cores, 2.0);
    }

    #[test]
    fn a_v1_quota_takes_its_usage_from_the_accounting_hierarchy() {
        let cgroups = "5:cpuacct:/jobs/42\n4:cpu:/jobs/42\n0::/\n";
        let mounts = "\
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpu\\040acct rw,relatime - cgroup cgroup rw,cpuacct
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
";
        let read = files(&[
            ("/sys/fs/cgroup/cpu/jobs/42/cpu.cfs_quota_us", "-1\n"),
            ("/sys/fs/cgroup/cpu/jobs/42/cpu.cfs_period_us", "100000\n"),
            ("/sys/fs/cgroup/cpu/jobs/cpu.cfs_quota_us", "25000\n"),
            ("/sys/fs/cgroup/cpu/jobs/cpu.cfs_period_us", "100000\n"),
            ("/sys/fs/cgroup/cpu acct/jobs/cpuacct.usage", "123\n"),
            ("/sys/fs/cgroup/unified/cpu.stat", "usage_usec 9\n"),
        ]);
        let quota = find_in(cgroups, mounts, &read).expect("a quota");
        assert_eq!(quota.cores, 0.25);
        assert_eq!(quota.group, PathBuf::from("/sys/fs/cgroup/cpu/jobs"));
        assert_eq!(
            quota.usage,
            Usage::Nanos("/sys/fs/cgroup/cpu acct/jobs/cpuacct.usage".into())
        );
        // No quota anywhere: `-1` at every level.
        let read = files(&[
            ("/sys/fs/cgroup/cpu/jobs/42/cpu.cfs_quota_us", "-1\n"),
            ("/sys/fs/cgroup/cpu/jobs/42/cpu.cfs_period_us", "100000\n"),
        ]);
        assert_eq!(find_in(cgroups, mounts, &read), None);
    }

    #[test]
    fn the_usage_of_a_quota_is_measured_against_what_it_allows() {
        let dir = tempfile::tempdir().unwrap();
        let v1 = dir.path().join("cpuacct.usage");
        let v2 = dir.path().join("cpu.stat");
        std::fs::write(&v1, "1500000000\n").unwrap();
        std::fs::write(&v2, "usage_usec 750000\nuser_usec 700000\n").unwrap();
        let quota = |cores, usage| Quota {
            cores,
            group: dir.path().to_path_buf(),
            usage,
        };
        let v1 = quota(1.5, Usage::Nanos(v1));
        assert_eq!(v1.used(), Some(Duration::from_millis(1500)));
        // 1.5 s of CPU in 2 s at 1.5 cores: half of its 3 s used.
        assert_eq!(
            v1.times(Duration::from_secs(2)),
            Some(CpuTimes {
                busy: 1_500_000,
                total: 3_000_000
            })
        );
        let v2 = quota(0.5, Usage::Stat(v2));
        assert_eq!(v2.used(), Some(Duration::from_millis(750)));
        let gone = quota(1.0, Usage::Stat(dir.path().join("nope")));
        assert_eq!(gone.times(Duration::from_secs(1)), None);
    }

    /// Set in the process [`a_cpu_quota_over_the_grader_is_found_and_its_programs_count`]
    /// starts in a group with a quota.
    const IN_GROUP: &str = "SOCKLINGS_TEST_IN_QUOTA_GROUP";

    /// This process's CPU time.
    fn own_cpu() -> Duration {
        let usage =
            nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF).unwrap();
        let tv = |t: nix::sys::time::TimeVal| {
            Duration::from_secs(t.tv_sec() as u64) + Duration::from_micros(t.tv_usec() as u64)
        };
        tv(usage.user_time()) + tv(usage.system_time())
    }

    #[test]
    #[ignore = "needs root (makes a control group with a CPU quota); .ci/run runs it"]
    fn a_cpu_quota_over_the_grader_is_found_and_its_programs_count() {
        if let Some(group) = std::env::var_os(IN_GROUP) {
            // In the group: its quota is found, and what this process
            // spends is what the group's usage counts.
            let quota = Quota::find().expect("the quota over this process");
            assert_eq!(quota.cores, 0.5, "{quota:?}");
            assert_eq!(quota.group.as_os_str(), group, "{quota:?}");
            let (used, cpu) = (quota.used().unwrap(), own_cpu());
            let mut x = 0u64;
            while own_cpu() - cpu < Duration::from_millis(300) {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
            }
            let spent = own_cpu() - cpu;
            let counted = quota.used().unwrap() - used;
            assert!(
                counted >= spent.mul_f64(0.9) && counted <= spent + Duration::from_millis(50),
                "spent {spent:?}, the group counted {counted:?}"
            );
            return;
        }
        let cgroups = std::fs::read_to_string("/proc/self/cgroup").unwrap();
        let mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
        let name = format!("socklings-quota-test-{}", std::process::id());
        // The groups made (removed at the end), the one with the quota
        // first.
        let mut made: Vec<PathBuf> = Vec::new();
        let v2 = group_dir(&cgroups, &mounts, None).filter(|g| {
            std::fs::read_to_string(g.mount.join("cgroup.controllers"))
                .is_ok_and(|c| c.split_whitespace().any(|x| x == "cpu"))
        });
        if let Some(parent) = v2 {
            let dir = parent.dir.join(&name);
            std::fs::write(parent.dir.join("cgroup.subtree_control"), "+cpu").unwrap();
            std::fs::create_dir(&dir).unwrap();
            std::fs::write(dir.join("cpu.max"), "50000 100000").unwrap();
            made.push(dir);
        } else {
            let cpu = group_dir(&cgroups, &mounts, Some("cpu")).expect("a cpu hierarchy");
            let acct = group_dir(&cgroups, &mounts, Some("cpuacct")).expect("cpuacct");
            let dir = cpu.dir.join(&name);
            std::fs::create_dir(&dir).unwrap();
            std::fs::write(dir.join("cpu.cfs_period_us"), "100000").unwrap();
            std::fs::write(dir.join("cpu.cfs_quota_us"), "50000").unwrap();
            made.push(dir);
            if acct.dir != cpu.dir {
                let dir = acct.dir.join(&name);
                std::fs::create_dir(&dir).unwrap();
                made.push(dir);
            }
        }
        let joins: Vec<std::fs::File> = made
            .iter()
            .map(|d| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(d.join("cgroup.procs"))
                    .unwrap()
            })
            .collect();
        let fds: Vec<i32> = joins.iter().map(std::os::fd::AsRawFd::as_raw_fd).collect();
        let mut child = std::process::Command::new(std::env::current_exe().unwrap());
        child
            .args(["--exact", "--ignored", "--nocapture"])
            .arg("admission::quota::tests::a_cpu_quota_over_the_grader_is_found_and_its_programs_count")
            .env(IN_GROUP, &made[0]);
        // SAFETY: between fork and exec, only write(2) on descriptors
        // opened before the fork ("0" joins the writer's own process).
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut child, move || {
                for &fd in &fds {
                    if libc::write(fd, b"0".as_ptr().cast(), 1) != 1 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
        child
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let out = crate::sandbox::output_registered(&mut child);
        drop(joins);
        for dir in made.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
        let out = out.unwrap();
        assert!(
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 passed"),
            "the process in the group: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
