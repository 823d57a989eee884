//! The suites of every exercise, one file each, all written against
//! [`crate::harness`]. Adding an exercise is adding a file, a line in
//! [`ALL`], and an entry in `course.toml`.
use crate::harness::TestDef;

pub mod copy_dir;
pub mod dict_lookup;
pub mod http_server;
pub mod talk_split;

/// A suite: the function that lists an exercise's tests.
pub type Suite = fn() -> Vec<TestDef>;

/// Every suite by exercise name.
pub const ALL: &[(&str, Suite)] = &[
    ("dict_lookup", dict_lookup::tests),
    ("talk_split", talk_split::tests),
    ("copy_dir", copy_dir::tests),
    ("http_server", http_server::tests),
];

/// The suite of an exercise.
pub fn suite(name: &str) -> Option<Vec<TestDef>> {
    ALL.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, tests)| tests())
}
