//! The project's end-to-end tests, one binary: libtest runs them side by
//! side (as many at once as cores), the grader's margins holding beside
//! each other. One module per subject; `cargo test --test e2e NAME::`
//! runs one of them (`-- --ignored` the root-only ones). The self-check
//! (`tests/broken.rs`) and the library's isolation test
//! (`tests/isolation.rs`) are binaries of their own.
mod batch;
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
