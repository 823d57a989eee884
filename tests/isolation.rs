//! The isolation layer at the level of one test's processes, through the
//! grader's library: a test's PID namespace holds its programs, shows them
//! a `/proc` of their own, and ends the processes that left their group
//! when it ends, without the orphan sweep. Root only: a test binary runs
//! several threads, so it cannot enter the user namespace an ordinary
//! user's grader makes at its start (`tests/e2e/hostile.rs` grades as an
//! ordinary user).
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use grader::process::{Child, Spec, Termination};
use grader::sandbox::{self, ChildSetup, Limits, Options, PidNamespace};

/// The pids of the machine's processes whose command line is `cmdline`.
fn processes_running(cmdline: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(raw) = std::fs::read(e.path().join("cmdline")) else {
            continue;
        };
        let line: Vec<String> = raw
            .split(|&b| b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        if line.join(" ") == cmdline {
            found.push(e.file_name().to_string_lossy().into_owned());
        }
    }
    found
}

#[test]
#[ignore = "needs root (a PID namespace outside a user namespace); .ci/run runs it"]
fn a_tests_pid_namespace_holds_its_programs_and_ends_its_escapees() {
    // No Landlock: the program is a shell that runs `setsid` and `sleep`.
    sandbox::init(Options {
        no_network_namespace: true,
        no_landlock: true,
        no_isolation: false,
    });
    let ns = PidNamespace::new()
        .expect("root makes a PID namespace")
        .expect("the layer's PID namespace is on");
    let dir = tempfile::tempdir().unwrap();
    let sleeper = format!("sleep 600.{}", std::process::id());
    // The shell waits until the sleeper has its own session (field 6 of
    // its stat), so that it is out of the group when the group is killed.
    let script = format!(
        "echo self $$; for p in /proc/[0-9]*; do echo seen ${{p#/proc/}}; done; \
         setsid {sleeper} </dev/null >/dev/null 2>&1 & \
         until [ \"$(cut -d' ' -f6 /proc/$!/stat)\" = $! ]; do :; done; echo started"
    );
    let mut spec = Spec::new("/bin/bash", vec!["-c".into(), script.into()], dir.path());
    spec.setup = Some(Arc::new(ChildSetup::student(
        Limits::for_timeout(Duration::from_secs(30)),
        Path::new("/bin/bash"),
        dir.path(),
        None,
        Some(&ns),
    )));
    let f = Child::spawn(&spec)
        .unwrap()
        .wait_until(Instant::now() + Duration::from_secs(30));
    assert_eq!(f.termination, Termination::Exited(0), "{f:?}");
    let out = String::from_utf8_lossy(&f.stdout).into_owned();
    // The program is the second process of its namespace, after the
    // test's init, and its /proc shows those two only.
    assert!(out.starts_with("self 2\n"), "{out}");
    let seen: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("seen "))
        .collect();
    assert_eq!(seen, ["1", "2"], "{out}");
    assert!(out.ends_with("started\n"), "{out}");
    // Its peak memory is its own, not its init's or the grader's.
    let peak = f.peak_rss.unwrap();
    assert!(peak < 32 << 20, "a shell measured at {peak} bytes");
    // The test's programs share one mount namespace, the test's (with its
    // /proc), not the grader's and not one each: the kernel ends a mount
    // namespace in the exit of its last process, where it waits for an
    // RCU grace period (seconds under load), which must not delay a
    // program's exit.
    let mounts_of = |ns: &PidNamespace| {
        let mut spec = Spec::new(
            "/bin/bash",
            vec!["-c".into(), "readlink /proc/self/ns/mnt".into()],
            dir.path(),
        );
        spec.setup = Some(Arc::new(ChildSetup::student(
            Limits::for_timeout(Duration::from_secs(30)),
            Path::new("/bin/bash"),
            dir.path(),
            None,
            Some(ns),
        )));
        let f = Child::spawn(&spec)
            .unwrap()
            .wait_until(Instant::now() + Duration::from_secs(30));
        assert_eq!(f.termination, Termination::Exited(0), "{f:?}");
        String::from_utf8_lossy(&f.stdout).trim().to_string()
    };
    let first = mounts_of(&ns);
    assert!(first.starts_with("mnt:["), "{first}");
    assert_eq!(mounts_of(&ns), first, "two programs of one test");
    let grader = std::fs::read_link("/proc/self/ns/mnt").unwrap();
    assert_ne!(grader.to_string_lossy(), first, "a program in the grader's");
    let other = PidNamespace::new().unwrap().unwrap();
    assert_ne!(mounts_of(&other), first, "programs of two tests");
    drop(other);
    // The sleeper left the process group and outlived its parent...
    let until = Instant::now() + Duration::from_secs(10);
    while processes_running(&sleeper).is_empty() {
        assert!(Instant::now() < until, "the escapee never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    // ...and ends with the namespace, without the orphan sweep.
    drop(ns);
    let until = Instant::now() + Duration::from_secs(10);
    while !processes_running(&sleeper).is_empty() {
        assert!(
            Instant::now() < until,
            "the escapee outlived its test's PID namespace"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    sandbox::cleanup();
}
