//! Nothing to build: this crate only holds `tests/grade.rs`, which grades
//! the solutions workspace it sits in, so that `cargo mutants` can use the
//! grader as the test of every solution (see docs/mutants.md).
