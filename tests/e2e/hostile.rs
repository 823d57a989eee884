//! Hostile submissions (`fixtures/hostile/<case>/`): each misbehaves in one
//! exercise. The grader must end every run, name what stopped the program,
//! keep what is outside the test directory out of reach, leave no process
//! behind, and grade the submission's other exercise normally.
use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{grader_bin, root, tests_of};
use serde_json::Value;

/// The exercise graded beside the hostile one, from the reference solutions.
const OTHER: &str = "talk_split";

/// The tests run: one of each hostile exercise (each test of a hostile
/// program runs into the same limit, so one shows it) and two of the other
/// exercise, which must pass.
const TESTS: &[(&str, &str)] = &[
    ("dict_lookup", "finds_a_word"),
    ("http_server", "serves_index"),
    (OTHER, "splits_the_sample"),
    (OTHER, "first_colon_of_either_kind"),
];

/// A grading run of a hostile submission must end within this: it is a
/// bound on termination (every limit fired), far above a normal run.
const GRADING_BOUND: Duration = Duration::from_secs(240);

/// The build timeout of a case, in seconds: far above the build of two
/// small crates on a loaded machine.
const BUILD_TIMEOUT: u64 = 60;

#[derive(serde::Deserialize)]
struct Expect {
    exercise: String,
    behaviour: String,
    causes: Vec<String>,
    /// `--build-timeout` of the case, in seconds, when it must be other
    /// than [`BUILD_TIMEOUT`].
    #[serde(default)]
    build_timeout: Option<u64>,
}

struct Case {
    expect: Expect,
    tmp: tempfile::TempDir,
    secret: String,
}

impl Case {
    fn tmp(&self) -> &Path {
        self.tmp.path()
    }
    fn secret_path(&self) -> PathBuf {
        self.tmp().join("secret.txt")
    }
    fn canary_path(&self) -> PathBuf {
        self.tmp().join("canary.txt")
    }
}

fn copy_tree(from: &Path, to: &Path, subst: &[(&str, String)]) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            if e.file_name() != "target" {
                copy_tree(&e.path(), &dest, subst);
            }
        } else {
            let mut text = fs::read_to_string(e.path()).unwrap();
            for (from, to) in subst {
                text = text.replace(from, to);
            }
            fs::write(dest, text).unwrap();
        }
    }
}

/// Lays out the submission of `name`: its hostile crate (placeholders
/// filled in) and a correct crate of another exercise.
fn prepare(name: &str, host: &str) -> Case {
    prepare_in(name, host, &std::env::temp_dir())
}

/// The case `name` in a new directory under `parent`: the submission, the
/// secret, the canary and (see [`grade`]) every temporary directory of its
/// grading.
fn prepare_in(name: &str, host: &str, parent: &Path) -> Case {
    let dir = root().join("fixtures/hostile").join(name);
    let expect: Expect =
        toml::from_str(&fs::read_to_string(dir.join("hostile.toml")).unwrap()).unwrap();
    let tmp = tempfile::Builder::new()
        .prefix("socklings-hostile-")
        .tempdir_in(parent)
        .unwrap();
    let secret = format!("SECRET-{}-{}", name, std::process::id());
    let case = Case {
        expect,
        tmp,
        secret,
    };
    fs::write(case.secret_path(), &case.secret).unwrap();
    let subst = [
        ("@SECRET@", case.secret_path().display().to_string()),
        ("@CANARY@", case.canary_path().display().to_string()),
        ("@HOST@", host.to_string()),
    ];
    let sub = case.tmp().join("submission");
    copy_tree(
        &dir.join(&case.expect.exercise),
        &sub.join(&case.expect.exercise),
        &subst,
    );
    copy_tree(&root().join("solutions").join(OTHER), &sub.join(OTHER), &[]);
    fs::create_dir_all(case.tmp().join("t")).unwrap();
    case
}

/// Every process whose program lies under `dir`.
fn survivors(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for e in fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(exe) = fs::read_link(e.path().join("exe")) {
            if exe.starts_with(dir) {
                found.push(format!(
                    "{} {}",
                    e.file_name().to_string_lossy(),
                    exe.display()
                ));
            }
        }
    }
    found
}

/// Grades the case; returns the report, the grader's stderr and the time.
fn grade(case: &Case, extra: &[&str]) -> (Value, String, Duration) {
    let started = Instant::now();
    let output = std::process::Command::new(grader_bin())
        .arg("grade")
        .arg(case.tmp().join("submission"))
        .args(["--only", &case.expect.exercise, "--only", OTHER])
        .args(["--format", "json", "--audience", "instructor", "--no-fail"])
        .arg("--build-timeout")
        .arg(
            case.expect
                .build_timeout
                .unwrap_or(BUILD_TIMEOUT)
                .to_string(),
        )
        .args(
            TESTS
                .iter()
                .filter(|(e, _)| *e == case.expect.exercise || *e == OTHER)
                .flat_map(|(_, t)| ["--test", t]),
        )
        .arg("--target-dir")
        .arg(case.tmp().join("target"))
        .args(extra)
        // Every temporary directory of the run (programs, test
        // directories) lies under the case's directory.
        .env("TMPDIR", case.tmp().join("t"))
        .output()
        .expect("running the grader");
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("no JSON report ({e}); grader stderr:\n{stderr}");
    });
    (report, stderr, elapsed)
}

/// The address `@HOST@` stands for in the cases that do not reach for
/// another host (the discard port on loopback).
const NO_HOST: &str = "127.0.0.1:9";

fn check(name: &str) {
    check_with(name, NO_HOST, &[]);
}

fn check_with(name: &str, host: &str, extra: &[&str]) -> (Value, String) {
    check_case(name, prepare(name, host), extra)
}

fn check_case(name: &str, case: Case, extra: &[&str]) -> (Value, String) {
    let (report, stderr, elapsed) = grade(&case, extra);
    let what = format!("{name} ({})", case.expect.behaviour);
    assert!(elapsed < GRADING_BOUND, "{what}: grading took {elapsed:?}");
    let exercises = report["exercises"].as_array().unwrap();
    let hostile = exercises
        .iter()
        .find(|e| e["name"] == case.expect.exercise.as_str())
        .unwrap();
    let other = exercises.iter().find(|e| e["name"] == OTHER).unwrap();
    assert_eq!(
        other["score"], other["max_score"],
        "{what}: the other exercise lost points: {other}"
    );
    assert!(
        hostile["score"].as_u64() < hostile["max_score"].as_u64(),
        "{what}: the hostile exercise got full marks"
    );
    let causes: Vec<String> = if hostile["build"] == "failed" {
        vec!["build_failed".to_string()]
    } else {
        tests_of(&report)
            .into_iter()
            .filter(|t| t.0 == case.expect.exercise && t.2 == "failed")
            .map(|t| t.3)
            .collect()
    };
    assert!(
        causes.iter().any(|c| case.expect.causes.contains(c)),
        "{what}: failing tests' causes {causes:?}, expected one of {:?}\ngrader stderr:\n{stderr}",
        case.expect.causes
    );
    let text = report.to_string();
    assert!(
        !text.contains(&case.secret),
        "{what}: the secret outside the test directory reached the report"
    );
    assert!(
        !case.canary_path().exists(),
        "{what}: a file was written outside the test directory"
    );
    let left = survivors(case.tmp());
    assert!(left.is_empty(), "{what}: processes left running: {left:?}");
    (report, stderr)
}

/// The hostile submissions that never end, each in its own way: each grading
/// waits out a limit (a test's time limit, the wait for a server to listen,
/// the build's time limit), so they are graded side by side, not one after
/// another: ~15 s in all instead of ~65 s.
const ENDLESS: &[&str] = &[
    "infinite_loop",
    "sleeps_forever",
    "accepts_and_hangs",
    "never_listens",
    "wrong_address",
    "build_loops",
];

#[test]
fn programs_and_builds_that_never_end_are_stopped_and_named() {
    let failed: Vec<String> = std::thread::scope(|scope| {
        let gradings: Vec<_> = ENDLESS
            .iter()
            .map(|name| (*name, scope.spawn(move || check(name))))
            .collect();
        gradings
            .into_iter()
            .filter_map(|(name, grading)| {
                let payload = grading.join().err()?;
                let message = grader::runner::panic_message(payload.as_ref())
                    .unwrap_or_else(|| "(no message)".into());
                Some(format!("{name}: {message}"))
            })
            .collect()
    });
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn a_busy_loop_on_every_core_is_stopped() {
    check("busy_all_cores");
}

#[test]
fn a_fork_bomb_is_bounded_and_ended() {
    check("fork_bomb");
}

#[test]
fn a_child_escaping_with_setsid_is_ended() {
    check("setsid_escape");
}

#[test]
fn endless_allocation_hits_the_memory_limit() {
    check("memory_hog");
}

#[test]
fn an_endless_file_hits_the_file_size_limit() {
    check("file_hog");
}

#[test]
fn endless_printing_hits_the_output_cap() {
    check("print_flood");
}

/// Grades `echoes_lines` of the solution's poll_echo with `first` put at
/// the start of its `main`; the test's status and cause.
fn grade_poll_echo_starting_with(first: &str) -> (String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let sub = tmp.path().join("submission");
    common::copy_tree(&root().join("solutions/poll_echo"), &sub.join("poll_echo"));
    let main = sub.join("poll_echo/src/main.rs");
    let source = fs::read_to_string(&main).unwrap();
    let changed = source.replacen(
        "fn main() -> ExitCode {",
        &format!("fn main() -> ExitCode {{\n    {first}"),
        1,
    );
    assert_ne!(changed, source, "the solution's main has changed");
    fs::write(&main, changed).unwrap();
    let (_, report) = common::grade_json(
        &sub,
        &["--only", "poll_echo", "--test", "echoes_lines", "--no-fail"],
    );
    let tests = tests_of(&report);
    assert_eq!(tests.len(), 1, "{report:#}");
    let (_, _, status, cause) = tests.into_iter().next().unwrap();
    (status, cause)
}

/// 5 MiB of log lines.
const FLOOD: &str = r#"eprint!("{}", "a line of the server's log\n".repeat(6 << 20 >> 5));"#;

#[test]
fn a_server_whose_log_floods_goes_on_serving() {
    // A server's output is its log: past the 4 MiB cap it is dropped, and
    // the server is graded as if it had logged nothing (stopped at the cap,
    // it never listened).
    assert_eq!(
        grade_poll_echo_starting_with(FLOOD),
        ("passed".to_string(), String::new())
    );
    // The end of its log is kept: a panic after the flood is a panic, with
    // its message, not an exit with code 101.
    assert_eq!(
        grade_poll_echo_starting_with(&format!("{FLOOD} panic!(\"out of patience\");")),
        ("failed".to_string(), "panic".to_string())
    );
}

#[test]
fn files_outside_the_test_directory_cannot_be_read() {
    check("reads_secret");
}

#[test]
fn files_outside_the_test_directory_cannot_be_read_with_tmpdir_in_shared_memory() {
    // `/dev/shm` is a tmpfs anyone may write to, and a temporary directory
    // may lie on it: the test directories, the submission and the secret
    // all under it, the program must still read only its own directory.
    let shm = Path::new("/dev/shm");
    assert!(shm.is_dir(), "no /dev/shm on this machine");
    check_case(
        "reads_secret",
        prepare_in("reads_secret", NO_HOST, shm),
        &[],
    );
}

#[test]
fn files_outside_the_test_directory_cannot_be_written() {
    check("writes_outside");
}

#[test]
fn other_programs_cannot_be_run() {
    check("shells_out");
}

#[test]
fn a_build_script_cannot_read_outside_the_submission() {
    check("build_reads_outside");
}

#[test]
fn a_dependency_outside_the_allowed_list_fails_the_build_with_a_message() {
    let case = prepare("infinite_loop", "");
    let manifest = case
        .tmp()
        .join("submission")
        .join(&case.expect.exercise)
        .join("Cargo.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        text.replace("[dependencies]\n", "[dependencies]\nrand = \"0.8\"\n"),
    )
    .unwrap();
    let (report, _, _) = grade(&case, &[]);
    let ex = &report["exercises"][0];
    assert_eq!(ex["build"], "failed");
    let message = ex["build_message"].as_str().unwrap();
    assert!(
        message.contains("`rand` is not a dependency the course allows"),
        "{message}"
    );
    assert_eq!(
        report["exercises"][1]["score"],
        report["exercises"][1]["max_score"]
    );
}

/// The other host: a network namespace of the test's own, joined to this
/// one by a veth pair, with a listener on its own address. No traffic can
/// leave the machine.
struct OtherHost {
    ns: String,
    addr: String,
    listener: std::process::Child,
}

impl OtherHost {
    fn start() -> OtherHost {
        let n = std::process::id() % 200 + 20;
        let ns = format!("socklings-other-{}", std::process::id());
        let (here, there) = (format!("skh{n}"), format!("sko{n}"));
        let ip = |args: &[&str]| {
            let out = std::process::Command::new("ip")
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "ip {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        ip(&["netns", "add", &ns]);
        ip(&["link", "add", &here, "type", "veth", "peer", "name", &there]);
        ip(&["link", "set", &there, "netns", &ns]);
        let (host_ip, other_ip) = (format!("10.231.{n}.1"), format!("10.231.{n}.2"));
        ip(&["addr", "add", &format!("{host_ip}/30"), "dev", &here]);
        ip(&["link", "set", &here, "up"]);
        ip(&[
            "-n",
            &ns,
            "addr",
            "add",
            &format!("{other_ip}/30"),
            "dev",
            &there,
        ]);
        ip(&["-n", &ns, "link", "set", &there, "up"]);
        ip(&["-n", &ns, "link", "set", "lo", "up"]);
        let listener = std::process::Command::new("ip")
            .args(["netns", "exec", &ns, "python3", "-c"])
            .arg(format!(
                "import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('{other_ip}',7000))\ns.listen()\nwhile True:\n    c,_=s.accept()\n    c.sendall(b'reached the other host\\n')\n    c.close()\n"
            ))
            .spawn()
            .unwrap();
        // Wait until the other host answers from here.
        let addr = format!("{other_ip}:7000");
        let until = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect_timeout(
            &addr.parse().unwrap(),
            Duration::from_millis(200),
        )
        .is_err()
        {
            assert!(Instant::now() < until, "the other host never listened");
            std::thread::sleep(Duration::from_millis(100));
        }
        OtherHost { ns, addr, listener }
    }
}

impl Drop for OtherHost {
    fn drop(&mut self) {
        let _ = self.listener.kill();
        let _ = self.listener.wait();
        let _ = std::process::Command::new("ip")
            .args(["netns", "del", &self.ns])
            .status();
    }
}

#[test]
#[ignore = "needs root and iproute2 (`ip netns`); .ci/run runs it"]
fn another_host_is_out_of_reach_and_the_report_says_when_it_is_not() {
    let host = OtherHost::start();
    // With the network namespace: the connection fails, and the cause says why.
    check_with("reaches_other_host", &host.addr, &[]);
    // Without it, the other host is reachable: the test still fails (the
    // program does not do its work), and the grader says the layer is off.
    let case = prepare("reaches_other_host", &host.addr);
    let (report, stderr, _) = grade(&case, &["--no-network-namespace"]);
    assert!(
        stderr.contains("unavailable: network"),
        "the grader did not say the network layer was off: {stderr}"
    );
    let network = report["sandbox"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "network")
        .unwrap();
    assert_eq!(
        network["active"], false,
        "the report must say so: {network}"
    );
    assert!(report.to_string().contains("reached the other host"));
    assert!(survivors(case.tmp()).is_empty());
}

#[test]
#[ignore = "needs root (to switch to an ordinary user); .ci/run runs it"]
fn an_ordinary_user_gets_every_layer() {
    // The grader binary must be reachable by the ordinary user.
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("grader");
    fs::copy(grader_bin(), &bin).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .arg("doctor")
        .current_dir(tmp.path())
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for layer in ["limits", "processes", "network", "filesystem", "isolation"] {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(layer))
            .unwrap_or_else(|| panic!("no {layer} line:\n{text}"));
        assert!(line.contains(" active "), "{line}");
    }
    assert!(text.contains("RLIMIT_NPROC"), "{text}");
}

#[test]
fn strict_mode_refuses_to_grade_without_every_layer() {
    for (off, layer) in [
        ("--no-landlock", "filesystem"),
        ("--no-isolation", "isolation"),
    ] {
        let out = common::grader()
            .args(["grade", "solutions", "--only", "dict_lookup"])
            .args(["--sandbox", "strict", off])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--sandbox strict"), "{stderr}");
        assert!(
            stderr.contains(&format!("unavailable: {layer}")),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[test]
fn doctor_names_every_layer() {
    let out = common::grader().arg("doctor").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for layer in ["limits", "processes", "network", "filesystem", "isolation"] {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(layer)),
            "{text}"
        );
    }
}

#[test]
fn doctor_tells_how_many_tests_run_at_once_on_the_cpus_the_grader_may_use() {
    let budget = |out: &std::process::Output| {
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .find(|l| l.starts_with("tests at once: "))
            .unwrap_or_else(|| panic!("no line on the tests at once:\n{text}"))
            .to_string()
    };
    let cores = std::thread::available_parallelism().unwrap().get();
    let line = budget(&common::grader().arg("doctor").output().unwrap());
    assert!(
        line.starts_with(&format!(
            "tests at once: {} (16 per core, {cores} core{}), up to {} while the CPU has time to spare (",
            16 * cores,
            if cores == 1 { "" } else { "s" },
            64 * cores
        )),
        "{line}"
    );
    // Pinned to one CPU (util-linux's taskset): one core's budget, and the
    // spare time measured on that CPU alone, not on the whole machine.
    let pinned = std::process::Command::new("taskset")
        .args(["--cpu-list", "0"])
        .arg(common::grader_bin())
        .arg("doctor")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("taskset (util-linux) runs");
    let line = budget(&pinned);
    assert!(
        line.starts_with(
            "tests at once: 16 (16 per core, 1 core), up to 64 while the CPU has time to spare ("
        ),
        "{line}"
    );
    // Without a CPU quota over these tests (as on the machines that run
    // them), CPU 0 is what is measured.
    assert!(
        line.contains("(measured on CPU 0, the one this grader may run on)")
            || line.contains("(measured against the CPU quota of "),
        "{line}"
    );
}

#[test]
#[ignore = "needs root (pids cgroups); .ci/run runs it"]
fn a_fork_bomb_in_one_test_leaves_the_tests_beside_it_their_processes() {
    use grader::process::{Child, Spec, Termination};

    use grader::sandbox::{self, ChildSetup, Limits, Options, ProcessGroup};
    use std::sync::Arc;

    sandbox::init(Options {
        no_network_namespace: true,
        no_landlock: true,
        no_isolation: true,
    });
    let dir = tempfile::tempdir().unwrap();
    let start = |script: &str, group: &ProcessGroup| {
        let mut spec = Spec::new("/bin/bash", vec!["-c".into(), script.into()], dir.path());
        spec.setup = Some(Arc::new(ChildSetup::student(
            Limits::for_timeout(Duration::from_secs(30)),
            Path::new("/bin/bash"),
            dir.path(),
            Some(group),
            None,
        )));
        Child::spawn(&spec).unwrap()
    };
    let bomb = ProcessGroup::new(8).expect("root makes a test's pids cgroup");
    let beside = ProcessGroup::new(8).unwrap();
    // The "fork bomb": more sleepers than its bound of 8 tasks allows;
    // bash retries a fork that fails, so its cgroup stays full meanwhile.
    let hog = start(
        "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 30 & done; wait",
        &bomb,
    );
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let said = String::from_utf8_lossy(&hog.stderr_so_far()).into_owned();
        if said.contains("Resource temporarily unavailable") {
            break;
        }
        assert!(
            Instant::now() < until,
            "twelve processes started in a cgroup of eight: {said}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The test beside it still starts its processes, while the bomb's
    // cgroup is full.
    let other = start("sleep 0.1 & sleep 0.1 & wait; echo fine", &beside)
        .wait_until(Instant::now() + Duration::from_secs(20));
    assert_eq!(other.termination, Termination::Exited(0), "{other:?}");
    assert_eq!(other.stdout, b"fine\n");
    // Stopping kills the bomb's process group, sleepers included. (No
    // orphan sweep here: this process also runs the other tests' graders.)
    hog.stop();
    drop((bomb, beside));
    sandbox::cleanup();
}

/// The neighbours a snooping program is graded beside: exercises whose
/// tests listen on loopback, the suite (`http_get`) or the program
/// (`tcp_echo`), with some of their tests.
const NEIGHBOURS: &[(&str, &[&str])] = &[
    (
        "tcp_echo",
        &["echoes_a_line", "binary_bytes", "closes_when_client_closes"],
    ),
    ("http_get", &["simple_get", "binary_body", "not_found"]),
];

/// Grades the snooping case `name` (its tests `tests`) beside the reference
/// solutions of [`NEIGHBOURS`], while a second grading of those solutions
/// runs on the machine; returns the report of the first grading, its
/// stderr, and the stderr the snooping program printed in all its tests.
fn grade_snooper(name: &str, tests: &[&str], extra: &[&str]) -> (Value, String, String) {
    grade_snooper_as(name, tests, extra, false)
}

/// A command running the grader as the ordinary user `nobody` (root only):
/// the grader's binary copied where that user may run it, the toolchain
/// this test was built with bind-mounted (in a private mount namespace)
/// where that user may read it, the case's directories that user's.
fn grader_as_nobody(case: &Case) -> std::process::Command {
    use std::os::unix::fs::{chown, PermissionsExt};
    let tmp = case.tmp();
    fs::set_permissions(tmp, fs::Permissions::from_mode(0o755)).unwrap();
    let bin = tmp.join("bin");
    fs::create_dir_all(&bin).unwrap();
    fs::copy(grader_bin(), bin.join("grader")).unwrap();
    let toolchain = Path::new(env!("CARGO")).parent().unwrap().parent().unwrap();
    let mount = tmp.join("toolchain");
    fs::create_dir_all(&mount).unwrap();
    for dir in ["home", "t", "target"] {
        fs::create_dir_all(tmp.join(dir)).unwrap();
        chown(tmp.join(dir), Some(65534), Some(65534)).unwrap();
    }
    let mut cmd = std::process::Command::new("unshare");
    cmd.args(["--mount", "--propagation", "private", "sh", "-c"])
        .arg(r#"mount --bind "$0" "$1" && shift && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@""#)
        .arg(toolchain)
        .arg(&mount)
        .arg("env")
        .arg("-i")
        .arg(format!("PATH={}:/usr/bin:/bin", mount.join("bin").display()))
        .arg(format!("HOME={}", tmp.join("home").display()))
        .arg(format!("CARGO_HOME={}", tmp.join("home/.cargo").display()))
        .arg(format!("CARGO={}", mount.join("bin/cargo").display()))
        .arg(format!("TMPDIR={}", tmp.join("t").display()))
        .arg(bin.join("grader"));
    cmd
}

fn grade_snooper_as(
    name: &str,
    tests: &[&str],
    extra: &[&str],
    as_nobody: bool,
) -> (Value, String, String) {
    let case = prepare(name, "");
    let sub = case.tmp().join("submission");
    for (exercise, _) in NEIGHBOURS {
        copy_tree(
            &root().join("solutions").join(exercise),
            &sub.join(exercise),
            &[],
        );
    }
    let selected = || {
        let mut args = vec!["--only".to_string(), case.expect.exercise.clone()];
        let mut names: Vec<&str> = tests.to_vec();
        for (exercise, tests) in NEIGHBOURS {
            args.extend(["--only".to_string(), exercise.to_string()]);
            names.extend(tests.iter());
        }
        args.extend(
            names
                .iter()
                .flat_map(|t| ["--test".to_string(), t.to_string()]),
        );
        args
    };
    // The second grading: the neighbours alone, all their tests.
    let second = std::process::Command::new(grader_bin())
        .arg("grade")
        .arg(root().join("solutions"))
        .args(NEIGHBOURS.iter().flat_map(|(e, _)| ["--only", e]))
        .args(["--no-fail", "--format", "json", "--jobs", "4"])
        .arg("--target-dir")
        .arg(case.tmp().join("target-second"))
        .env("TMPDIR", case.tmp().join("t"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("running the second grading");
    let mut grader = if as_nobody {
        grader_as_nobody(&case)
    } else {
        std::process::Command::new(grader_bin())
    };
    let output = grader
        .arg("grade")
        .arg(&sub)
        .args(selected())
        .args(["--format", "json", "--audience", "instructor", "--no-fail"])
        .args(["--jobs", "8", "--build-timeout", "120"])
        .arg("--target-dir")
        .arg(case.tmp().join("target"))
        .args(extra)
        .env("TMPDIR", case.tmp().join("t"))
        .output()
        .expect("running the grader");
    let mut second = second;
    let _ = second.wait();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}); grader stderr:\n{stderr}"));
    let exercises = report["exercises"].as_array().unwrap();
    let hostile = exercises
        .iter()
        .find(|e| e["name"] == case.expect.exercise.as_str())
        .unwrap();
    assert_eq!(hostile["build"], "ok", "{hostile}");
    // What the program printed on stderr, from every test's feedback.
    let mut said = String::new();
    for t in hostile["tests"].as_array().unwrap() {
        assert_eq!(t["status"], "failed", "{t}");
        for d in t["failure"]["details"].as_array().unwrap() {
            if d["label"] == "stderr" {
                said.push_str(d["text"].as_str().unwrap_or(""));
                said.push('\n');
            }
        }
    }
    assert!(survivors(case.tmp()).is_empty());
    (report, stderr, said)
}

/// The numbers after `key=` in what the program said, one per test.
fn counts(said: &str, key: &str) -> Vec<u64> {
    said.match_indices(key)
        .filter_map(|(i, _)| {
            let rest = &said[i + key.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// The layer under test was in force (else the machine cannot run it:
/// say why).
fn isolation_is_active(report: &Value) {
    let layer = report["sandbox"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "isolation")
        .expect("the report names the isolation layer");
    assert_eq!(
        layer["active"], true,
        "the isolation layer is off here: {layer}"
    );
}

fn neighbours_keep_full_marks(report: &Value) {
    for (name, _) in NEIGHBOURS {
        let ex = report["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == *name)
            .unwrap();
        assert_eq!(ex["score"], ex["max_score"], "{name} lost points: {ex}");
    }
}

#[test]
fn a_program_sees_no_process_but_its_own() {
    let tests = ["finds_a_word", "reports_not_found"];
    let (report, _, said) = grade_snooper("snoops_processes", &tests, &[]);
    isolation_is_active(&report);
    // It did read /proc: its own command line is there.
    assert!(said.contains("SNOOP self=["), "{said}");
    assert!(said.contains("dict_lookup dict.txt"), "{said}");
    let seen = counts(&said, "others_seen=");
    assert_eq!(seen.len(), tests.len(), "{said}");
    assert!(
        seen.iter().all(|&n| n == 0),
        "a program saw other processes' command lines:\n{said}"
    );
    assert!(!said.contains("SEEN "), "{said}");
    neighbours_keep_full_marks(&report);
    // Without the layer the same program sees the grader and the
    // machine's processes: the check above can fail.
    let (report, stderr, said) = grade_snooper("snoops_processes", &tests, &["--no-isolation"]);
    assert!(stderr.contains("unavailable: isolation"), "{stderr}");
    let layer = report["sandbox"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "isolation")
        .unwrap();
    assert_eq!(layer["active"], false, "{layer}");
    assert!(
        counts(&said, "others_seen=").iter().any(|&n| n > 0),
        "{said}"
    );
}

#[test]
fn a_program_reaches_no_other_test_over_loopback() {
    let tests = ["one_line", "several_lines", "closes_at_end_of_input"];
    let (report, _, said) = grade_snooper("snoops_loopback", &tests, &[]);
    isolation_is_active(&report);
    let reached = counts(&said, "reached_others=");
    assert_eq!(reached.len(), tests.len(), "{said}");
    assert!(
        reached.iter().all(|&n| n == 0) && !said.contains("REACHED "),
        "a program reached another test's listener:\n{said}"
    );
    // It swept the test addresses, and its own server was in reach.
    assert!(counts(&said, "tried=").iter().all(|&n| n > 1000), "{said}");
    assert_eq!(said.matches("OWN reached").count(), tests.len(), "{said}");
    neighbours_keep_full_marks(&report);
    // Without the layer the tests beside it are in reach. A test whose
    // server a snooper reached may take it for its own client and stop its
    // own snooper early, before its summary: each reach is said at once.
    let (report, _, said) = grade_snooper("snoops_loopback", &tests, &["--no-isolation"]);
    assert!(
        said.contains("REACHED ") || counts(&said, "reached_others=").iter().any(|&n| n > 0),
        "the program said:\n{said}\nits tests: {:.4000}",
        report["exercises"]
            .as_array()
            .and_then(|e| e.iter().find(|e| e["name"] == "tcp_client"))
            .map(|e| e["tests"].to_string())
            .unwrap_or_default()
    );
}

#[test]
#[ignore = "needs root (to switch to an ordinary user) and util-linux; .ci/run runs it"]
fn an_ordinary_user_grading_is_isolated_too() {
    // The grader in its user namespace: the same two snooping programs see
    // and reach nothing beyond their own test, beside listening exercises
    // and a second grading; the report says every layer was in force.
    for (name, tests, key) in [
        ("snoops_processes", &["finds_a_word"][..], "others_seen="),
        (
            "snoops_loopback",
            &["one_line", "several_lines"][..],
            "reached_others=",
        ),
    ] {
        let (report, stderr, said) = grade_snooper_as(name, tests, &[], true);
        for layer in report["sandbox"].as_array().unwrap() {
            assert_eq!(layer["active"], true, "{layer}\n{stderr}");
        }
        let found = counts(&said, key);
        assert_eq!(found.len(), tests.len(), "{name}: {said}\n{stderr}");
        assert!(found.iter().all(|&n| n == 0), "{name}: {said}");
        assert!(
            !said.contains("REACHED ") && !said.contains("SEEN "),
            "{name}: {said}"
        );
        neighbours_keep_full_marks(&report);
    }
}

/// Every file under `dir`, with its content.
fn files_under(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut found = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let kind = e.file_type().unwrap();
            if kind.is_dir() {
                todo.push(e.path());
            } else if kind.is_file() {
                found.insert(e.path(), fs::read(e.path()).unwrap());
            }
        }
    }
    found
}

/// Grades `submission`'s poll_echo (one test) with the build cache `cache`.
fn grade_poll_echo(submission: &Path, cache: &Path) -> Value {
    let output = std::process::Command::new(grader_bin())
        .arg("grade")
        .arg(submission)
        .args(["--only", "poll_echo", "--test", "echoes_lines"])
        .args(["--format", "json", "--no-fail"])
        .arg("--target-dir")
        .arg(cache)
        .output()
        .expect("running the grader");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}); grader stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn a_build_script_cannot_change_the_shared_build_cache() {
    // A class shares one build cache: the course's dependencies compiled
    // once, and every submission's build beside the others'.
    let tmp = tempfile::Builder::new()
        .prefix("socklings-hostile-")
        .tempdir()
        .unwrap();
    let cache = tmp.path().join("cache");
    let first = grade_poll_echo(&root().join("solutions"), &cache);
    assert_eq!(first["score"], first["max_score"], "{first}");
    let seeds = cache.join("dependency-seeds");
    let programs = cache.join("programs");
    let before = files_under(&cache.join("targets"));
    let seeds_before = files_under(&seeds);
    let programs_before = files_under(&programs);
    assert!(
        !programs_before.is_empty(),
        "the solution's programs were not kept"
    );
    assert!(
        seeds_before
            .keys()
            .any(|p| p.to_string_lossy().contains("libmio-")),
        "the course's dependencies were not compiled into a seed: {:?}",
        seeds_before.keys().collect::<Vec<_>>()
    );

    let sub = tmp.path().join("submission");
    copy_tree(
        &root().join("fixtures/hostile/build_tampers_cache/poll_echo"),
        &sub.join("poll_echo"),
        &[],
    );
    let report = grade_poll_echo(&sub, &cache);
    assert_eq!(
        report["exercises"][0]["build"], "ok",
        "the tampering build should build: {report}"
    );

    let after = files_under(&cache.join("targets"));
    for (path, content) in &before {
        assert!(
            after.get(path) == Some(content),
            "a build script changed {}",
            path.display()
        );
    }
    assert_eq!(
        files_under(&seeds),
        seeds_before,
        "a build script changed the compiled dependencies"
    );
    assert_eq!(
        files_under(&programs),
        programs_before,
        "a build script changed the kept programs"
    );
    for path in after.keys() {
        assert!(
            !path.ends_with("planted-by-a-build-script"),
            "a build script planted {}",
            path.display()
        );
    }
    let again = grade_poll_echo(&root().join("solutions"), &cache);
    assert_eq!(again["score"], again["max_score"], "{again}");
}
