//! The JSON report: the [`Report`] itself, pretty-printed (schema in the
//! README).
use std::io::{self, Write};

use crate::report::Report;

/// Writes the report as one JSON document.
pub fn render(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report).map_err(io::Error::other)?;
    writeln!(w)
}
