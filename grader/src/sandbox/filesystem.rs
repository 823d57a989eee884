//! The filesystem layer: the Landlock rules of a student program (read
//! the system and its test directory, write only that, execute only the
//! program) and of a build.
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use landlock::{
    Access, AccessFs, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset, RulesetAttr,
    RulesetCreatedAttr, Scope, ABI,
};

/// The Landlock ABI version of the kernel, if any.
pub(super) fn probe_landlock() -> Option<i64> {
    // SAFETY: the documented version query: no pointer is read.
    let v = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            1u32, // LANDLOCK_CREATE_RULESET_VERSION
        )
    };
    (v > 0).then_some(v)
}

/// System directories and devices every program may read (shared
/// libraries, locale and time zone data, `/proc/self`, `/dev/urandom`).
/// Not the whole of `/dev`: `/dev/shm` is a file system anyone may write
/// to, and where a temporary directory lies on it (`TMPDIR=/dev/shm/...`)
/// every test's directory would be open to every program.
pub(super) const SYSTEM_READ: &[&str] = &[
    "/usr",
    "/lib",
    "/lib64",
    "/lib32",
    "/bin",
    "/sbin",
    "/etc",
    "/proc",
    "/sys",
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
    "/dev/tty",
];

/// The dynamic loaders a program must be allowed to execute to start.
pub(super) const LOADERS: &[&str] = &["/lib64", "/lib", "/usr/lib", "/usr/lib64"];

pub(super) fn student_ruleset(
    program: &Path,
    dir: &Path,
) -> Result<OwnedFd, landlock::RulesetError> {
    let abi = ABI::V6;
    let read = AccessFs::from_read(abi) & !AccessFs::Execute;
    let ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_all(abi))?
        .scope(Scope::Signal | Scope::AbstractUnixSocket)?
        .create()?;
    let mut ruleset = ruleset;
    for p in SYSTEM_READ {
        if let Ok(fd) = PathFd::new(p) {
            ruleset = ruleset.add_rule(PathBeneath::new(fd, read))?;
        }
    }
    // The loader: ELF interpreters are opened for execution by the kernel.
    for p in loaders() {
        if let Ok(fd) = PathFd::new(&p) {
            ruleset =
                ruleset.add_rule(PathBeneath::new(fd, AccessFs::ReadFile | AccessFs::Execute))?;
        }
    }
    if let Ok(fd) = PathFd::new(program) {
        ruleset = ruleset.add_rule(PathBeneath::new(fd, AccessFs::ReadFile | AccessFs::Execute))?;
    }
    if let Ok(fd) = PathFd::new(dir) {
        let rw = AccessFs::from_all(abi) & !AccessFs::Execute;
        ruleset = ruleset.add_rule(PathBeneath::new(fd, rw))?;
    }
    // /dev/null and friends are written to as well.
    for p in ["/dev/null", "/dev/zero", "/dev/full", "/dev/tty"] {
        if let Ok(fd) = PathFd::new(p) {
            ruleset = ruleset.add_rule(PathBeneath::new(
                fd,
                AccessFs::from_file(abi) & !AccessFs::Execute,
            ))?;
        }
    }
    let fd: Option<OwnedFd> = ruleset.into();
    fd.ok_or(landlock::RulesetError::CreateRuleset(
        landlock::CreateRulesetError::MissingHandledAccess,
    ))
}

/// The ELF interpreter files of this system (`ld-linux*.so*`).
pub(super) fn loaders() -> Vec<PathBuf> {
    static FOUND: OnceLock<Vec<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let mut found = Vec::new();
            for dir in LOADERS {
                let mut dirs = vec![PathBuf::from(dir)];
                if let Ok(entries) = std::fs::read_dir(dir) {
                    dirs.extend(
                        entries
                            .flatten()
                            .filter(|e| e.file_name().to_string_lossy().ends_with("-linux-gnu"))
                            .map(|e| e.path()),
                    );
                }
                for d in dirs {
                    let Ok(entries) = std::fs::read_dir(&d) else {
                        continue;
                    };
                    for e in entries.flatten() {
                        if e.file_name().to_string_lossy().starts_with("ld-") {
                            found.push(e.path());
                        }
                    }
                }
            }
            found
        })
        .clone()
}

pub(super) fn build_ruleset(
    toolchain: &[PathBuf],
    writable: &[PathBuf],
) -> Result<OwnedFd, landlock::RulesetError> {
    let abi = ABI::V6;
    let read_exec = AccessFs::from_read(abi);
    let mut ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_all(abi))?
        .create()?;
    for p in SYSTEM_READ
        .iter()
        .map(PathBuf::from)
        .chain(toolchain.iter().cloned())
    {
        if let Ok(fd) = PathFd::new(&p) {
            ruleset = ruleset.add_rule(PathBeneath::new(fd, read_exec))?;
        }
    }
    for p in writable {
        if let Ok(fd) = PathFd::new(p) {
            ruleset = ruleset.add_rule(PathBeneath::new(fd, AccessFs::from_all(abi)))?;
        }
    }
    for p in ["/dev/null", "/dev/tty"] {
        if let Ok(fd) = PathFd::new(p) {
            ruleset = ruleset.add_rule(PathBeneath::new(fd, AccessFs::from_file(abi)))?;
        }
    }
    let fd: Option<OwnedFd> = ruleset.into();
    fd.ok_or(landlock::RulesetError::CreateRuleset(
        landlock::CreateRulesetError::MissingHandledAccess,
    ))
}
