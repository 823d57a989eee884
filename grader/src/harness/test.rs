//! [`TestDef`]: one test of a suite, with its name, points and visibility.
use std::time::Duration;

use super::{Ctx, TestResult};
use crate::model::Visibility;

/// The wall-clock limit of a test unless its suite sets another.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// One test of a suite.
#[derive(Clone, Copy)]
pub struct TestDef {
    /// Name, unique within the suite, in `snake_case`.
    pub name: &'static str,
    /// Points awarded when it passes.
    pub points: u32,
    /// Who sees its details.
    pub visibility: Visibility,
    /// Its wall-clock limit, for everything it runs.
    pub timeout: Duration,
    /// The test itself.
    pub run: fn(&mut Ctx) -> TestResult,
    /// It checks a behaviour only Linux has (FIFOs in `/proc`, sparse-file
    /// block counts, broadcast on loopback, ...): elsewhere it is reported as
    /// not run on this system and left out of the score.
    pub linux_only: bool,
    /// The numbers of the contract clauses it checks: the numbered items of
    /// the exercise README's contract section (`## The contract`), the same
    /// numbers in `README.zh.md`. `grader selfcheck` traces every clause to
    /// its tests and every test to the broken submissions that fail it.
    pub clauses: &'static [u32],
    /// It keeps a core busy (a large file streamed and compared, hundreds of
    /// clients): at most one such test per core runs at a time
    /// ([`crate::admission`]), so the timing margins of the tests beside it
    /// hold.
    pub cpu_heavy: bool,
}

impl TestDef {
    /// A visible test.
    pub const fn visible(name: &'static str, points: u32, run: fn(&mut Ctx) -> TestResult) -> Self {
        TestDef {
            name,
            points,
            visibility: Visibility::Visible,
            timeout: DEFAULT_TIMEOUT,
            run,
            linux_only: false,
            clauses: &[],
            cpu_heavy: false,
        }
    }

    /// A hidden test.
    pub const fn hidden(name: &'static str, points: u32, run: fn(&mut Ctx) -> TestResult) -> Self {
        TestDef {
            name,
            points,
            visibility: Visibility::Hidden,
            timeout: DEFAULT_TIMEOUT,
            run,
            linux_only: false,
            clauses: &[],
            cpu_heavy: false,
        }
    }

    /// The same test, marked as checking a Linux-only behaviour.
    pub const fn linux_only(mut self) -> Self {
        self.linux_only = true;
        self
    }

    /// The same test, checking these contract clauses (see [`TestDef::clauses`]).
    pub const fn clauses(mut self, clauses: &'static [u32]) -> Self {
        self.clauses = clauses;
        self
    }

    /// The same test, marked as keeping a core busy (see [`TestDef::cpu_heavy`]).
    pub const fn cpu_heavy(mut self) -> Self {
        self.cpu_heavy = true;
        self
    }

    /// The same test with another wall-clock limit.
    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}
