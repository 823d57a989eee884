//! The socklings grader: builds a submission's exercise crates, runs each
//! exercise's suite against the student's program, and renders the [`report::Report`].
//!
//! Data flows one way: [`manifest`] -> [`catalog`] -> [`builder`] -> [`runner`]
//! -> [`report`] -> [`render`]. No stage calls back into an earlier one.
#![warn(missing_docs)]

pub mod admission;
pub mod batch;
pub mod builder;
pub mod cache;
pub mod catalog;
pub mod clauses;
pub mod dep_seed;
pub mod durations;
pub mod error;
pub mod fixtures;
pub mod gate;
pub mod gradescope_bundle;
pub mod harness;
pub mod leak;
pub mod manifest;
pub mod messages;
pub mod model;
pub mod pipeline;
pub mod process;
pub mod program_cache;
pub mod release;
pub mod render;
pub mod report;
pub mod runner;
pub mod rustc_info;
pub mod sandbox;
pub mod selfcheck;
pub mod suites;
pub mod text;
pub mod toolchain;
pub mod watch;

/// The grader's version, recorded in every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
