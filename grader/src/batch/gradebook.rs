//! `OUT/gradebook.csv`: one row per student (`student_id`, the points of
//! each exercise, `total`, `max_total`, `percent`, `status`, `commit`,
//! `submitted_at`, `late`), after a first row, as otter-grader writes it,
//! holding the possible points of each column under the id
//! [`POINTS_POSSIBLE`].
use std::io;

use super::state::{BatchState, StudentRecord, StudentStatus};

/// The `student_id` of the row of possible points.
pub const POINTS_POSSIBLE: &str = "POINTS POSSIBLE";

/// The percent of `max` that `score` is, with two decimals (0 when `max` is 0).
pub fn percent(score: u32, max: u32) -> String {
    if max == 0 {
        return "0.00".into();
    }
    format!("{:.2}", f64::from(score) * 100.0 / f64::from(max))
}

/// Writes the gradebook of `students` (in the given order).
pub fn write(
    state: &BatchState,
    students: &[&StudentRecord],
    w: &mut dyn io::Write,
) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    let columns = &state.settings.exercises;
    let mut header: Vec<&str> = vec!["student_id"];
    header.extend(columns.iter().map(|c| c.name.as_str()));
    header.extend([
        "total",
        "max_total",
        "percent",
        "status",
        "commit",
        "submitted_at",
        "late",
    ]);
    csv.write_record(&header)?;

    let max_total: u32 = columns.iter().map(|c| c.max_score).sum();
    let mut possible: Vec<String> = vec![POINTS_POSSIBLE.to_string()];
    possible.extend(columns.iter().map(|c| c.max_score.to_string()));
    possible.extend([
        max_total.to_string(),
        max_total.to_string(),
        percent(max_total, max_total),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    csv.write_record(&possible)?;

    for s in students {
        let mut row: Vec<String> = vec![s.id.clone()];
        for c in columns {
            row.push(match (s.status, s.exercises.get(&c.name)) {
                (StudentStatus::Error, _) | (_, None) => String::new(),
                (_, Some(p)) => p.score.to_string(),
            });
        }
        let max = if s.status == StudentStatus::Error {
            max_total
        } else {
            s.max_score
        };
        row.extend([
            s.score.to_string(),
            max.to_string(),
            percent(s.score, max),
            s.status.as_str().to_string(),
            s.commit.clone().unwrap_or_default(),
            s.submitted_at.clone().unwrap_or_default(),
            s.late.to_string(),
        ]);
        csv.write_record(&row)?;
    }
    csv.flush()
}
