//! The project's end-to-end tests, one binary: libtest runs them side by
//! side (as many at once as cores), the grader's margins holding beside
//! each other. One module per subject; `cargo test --test e2e NAME::`
//! runs one of them (`-- --ignored` the root-only ones). The self-check
//! (`broken`) is one of them: its twelve gradings at a time beside the
//! others'. The library's isolation test (`tests/isolation.rs`) is a binary
//! of its own: it sets the library's process-wide sandbox options.
mod batch;
mod broken;
mod cache;
mod class_report_zh;
mod common;
mod course;
mod flaky;
mod formats;
mod gradescope_bundle;
mod grading;
mod help;
mod hostile;
mod release;
mod snapshots;
mod toolchain;
mod watch;
