//! The suites of every exercise, all written against [`crate::harness`].
//!
//! A suite is a folder, `<exercise>/`: `mod.rs` with `tests()`, the
//! visible tests and what they share, and `hidden.rs` with the hidden tests
//! and what only they use (`mod.rs`'s `tests()` appends `hidden::tests()`).
//! The release replaces `hidden.rs` by an empty list and keeps the rest as
//! it is. Adding an exercise is adding a folder, a line in [`ALL`], and an
//! entry in `course.toml`; its points are its tests'.
use crate::harness::TestDef;

pub mod bracket_check;
pub mod broadcast;
pub mod chat_server;
pub mod copy_dir;
pub mod copy_file;
pub mod dict_lookup;
pub mod file_upload;
pub mod hole_file;
pub mod http_get;
pub mod http_server;
pub mod line_upper;
pub mod poll_echo;
pub mod students;
pub mod talk_split;
pub mod tcp_client;
pub mod tcp_echo;
pub mod timeout_probe;
pub mod udp_echo;
pub mod unix_echo;

/// A suite: the function that lists an exercise's tests.
pub type Suite = fn() -> Vec<TestDef>;

/// Every suite by exercise name.
pub const ALL: &[(&str, Suite)] = &[
    ("dict_lookup", dict_lookup::tests),
    ("talk_split", talk_split::tests),
    ("copy_dir", copy_dir::tests),
    ("copy_file", copy_file::tests),
    ("hole_file", hole_file::tests),
    ("tcp_echo", tcp_echo::tests),
    ("tcp_client", tcp_client::tests),
    ("udp_echo", udp_echo::tests),
    ("students", students::tests),
    ("file_upload", file_upload::tests),
    ("bracket_check", bracket_check::tests),
    ("line_upper", line_upper::tests),
    ("broadcast", broadcast::tests),
    ("http_server", http_server::tests),
    ("http_get", http_get::tests),
    ("timeout_probe", timeout_probe::tests),
    ("poll_echo", poll_echo::tests),
    ("unix_echo", unix_echo::tests),
    ("chat_server", chat_server::tests),
];

/// The suite of an exercise.
pub fn suite(name: &str) -> Option<Vec<TestDef>> {
    ALL.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, tests)| tests())
}
