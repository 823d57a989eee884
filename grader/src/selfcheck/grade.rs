//! The self-check's gradings: every subject, `parallel` at a time (`builds`
//! of them building), the longest first as last time, and where each one's
//! time went.
use super::*;
use crate::gate::{BuildGate, Turn};

/// Grades every subject, `opts.parallel` at a time and `opts.builds` of
/// them building at a time ([`BuildGate`]), the broken submissions
/// that took longest last time first ([`timings::queue_order`]); the
/// reports and where each subject's time went come back in the subjects'
/// order.
pub(super) fn grade_all(
    catalog: &Catalog,
    opts: &SelfcheckOptions,
    selected: &[String],
    subjects: &[Subject],
    on_step: &(dyn Fn(Step<'_>) + Sync),
) -> Result<(Vec<Report>, Vec<SubjectTiming>), GradeError> {
    let cache = opts
        .target_dir
        .clone()
        .unwrap_or_else(|| default_cache(&opts.root));
    let labels: Vec<String> = subjects.iter().map(|s| s.label(&opts.root)).collect();
    // A broken submission is expected to take what it took last time, or,
    // never graded here before, as long as the longest time-out of the
    // tests it must fail (a failing test often waits its time-out out); the
    // solutions, stubs and alternatives grade every exercise selected, so
    // what they took with another selection says nothing: they start first.
    let kept = timings::load(&cache);
    let expected: Vec<Option<Duration>> = subjects
        .iter()
        .zip(&labels)
        .map(|(subject, label)| match subject {
            Subject::Broken(b) => kept
                .get(label)
                .copied()
                .or_else(|| longest_failing_timeout(catalog, b)),
            _ => None,
        })
        .collect();
    let order = timings::queue_order(&expected);
    let gate = BuildGate::new(opts.builds);
    let began = Instant::now();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    type Graded = (Result<Report, GradeError>, SubjectTiming);
    let results: Mutex<Vec<Option<Graded>>> =
        Mutex::new((0..subjects.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..opts.parallel.clamp(1, subjects.len().max(1)) {
            scope.spawn(|| loop {
                // A turn to build first, then the next subject: subjects
                // are built in their order, and none waits for its build
                // once it has started.
                let turn = gate.enter();
                let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    break;
                };
                let (subject, label) = (&subjects[i], &labels[i]);
                let (report, timing) = grade_subject(
                    catalog, opts, selected, &cache, subject, label, began, on_step, turn,
                );
                let failed = report.is_err();
                results.lock().expect("results lock")[i] = Some((report, timing));
                on_step(Step::Finished {
                    label,
                    done: done.fetch_add(1, Ordering::Relaxed) + 1,
                    total: subjects.len(),
                });
                if failed {
                    // Stop handing out work: the error ends the self-check.
                    next.store(subjects.len(), Ordering::Relaxed);
                }
            });
        }
    });
    let graded: Vec<Option<Graded>> = results.into_inner().expect("results lock");
    let kept: Vec<SubjectTiming> = subjects
        .iter()
        .zip(&graded)
        .filter(|(subject, _)| matches!(subject, Subject::Broken(_)))
        .filter_map(|(_, g)| g.as_ref().map(|(_, t)| t.clone()))
        .collect();
    timings::save(&cache, &kept);
    let (reports, timings): (Vec<_>, Vec<_>) = graded.into_iter().flatten().unzip();
    let reports = reports
        .into_iter()
        .collect::<Result<Vec<Report>, GradeError>>()?;
    Ok((reports, timings))
}

/// The longest time-out among the tests the broken submission `b` must
/// fail, if the catalog has its exercise.
fn longest_failing_timeout(catalog: &Catalog, b: &BrokenSubmission) -> Option<Duration> {
    let exercise = catalog.exercise(&b.expect.exercise)?;
    exercise
        .tests
        .iter()
        .filter(|t| b.expect.fails.iter().any(|f| f == t.name))
        .map(|t| t.timeout)
        .max()
}

/// Grades one subject (shown as `label`, its results kept in `cache`),
/// with where its time went since the gradings `began`; gives its `turn`
/// to build back when its build ends.
#[allow(clippy::too_many_arguments)]
fn grade_subject(
    catalog: &Catalog,
    opts: &SelfcheckOptions,
    selected: &[String],
    cache: &Path,
    subject: &Subject,
    label: &str,
    began: Instant,
    on_step: &(dyn Fn(Step<'_>) + Sync),
    turn: Turn<'_>,
) -> (Result<Report, GradeError>, SubjectTiming) {
    let started = Instant::now();
    on_step(Step::Started { label });
    let (dir, only) = match subject {
        Subject::Solutions => (opts.root.join("solutions"), selected.to_vec()),
        Subject::Alternatives => (opts.root.join(ALTERNATIVES), selected.to_vec()),
        Subject::Stubs => (opts.root.join("exercises"), selected.to_vec()),
        Subject::Broken(b) => (b.dir.clone(), vec![b.expect.exercise.clone()]),
    };
    let grade_opts = GradeOptions {
        dir,
        shown: label.to_string(),
        only,
        tests: Vec::new(),
        jobs: opts.jobs.max(1),
        seed: opts.seed,
        audience: Audience::Instructor,
        target_dir: Some(cache.to_path_buf()),
        build_timeout: opts.build_timeout,
        toolchain: opts.toolchain.clone(),
        sandbox: pipeline::sandbox_layers(),
        lang: crate::text::Lang::En,
    };
    // The build runs from the first progress report to the start of the
    // tests.
    let (building, testing) = (OnceLock::new(), OnceLock::new());
    let turn = Mutex::new(Some(turn));
    let on_progress = |progress: Progress<'_>| {
        match progress {
            Progress::Building(_) => {
                let _ = building.set(Instant::now());
            }
            Progress::Testing(_) => {
                let _ = testing.set(Instant::now());
                drop(turn.lock().unwrap_or_else(|e| e.into_inner()).take());
            }
            Progress::Test(_) => {}
        }
        on_step(Step::Grading { label, progress })
    };
    let report = pipeline::grade(catalog, &grade_opts, &on_progress);
    // A grading that never reached its tests gives its turn back now.
    drop(turn.lock().unwrap_or_else(|e| e.into_inner()).take());
    let timing = subject_timing(catalog, label, began, started, &building, &testing, &report);
    (report, timing)
}

/// Where the time of the subject `label` (graded with the suites of
/// `catalog`) went: its grading started at
/// `started` (the gradings at `began`), its build between the instants in
/// `building` and `testing`, and it ended now with `report`.
fn subject_timing(
    catalog: &Catalog,
    label: &str,
    began: Instant,
    started: Instant,
    building: &OnceLock<Instant>,
    testing: &OnceLock<Instant>,
    report: &Result<Report, GradeError>,
) -> SubjectTiming {
    let build = match (building.get(), testing.get()) {
        (Some(from), Some(to)) => to.saturating_duration_since(*from),
        _ => Duration::ZERO,
    };
    // Each test's name, time and whether it keeps a core busy.
    let tests: Vec<(String, u64, bool)> = report
        .iter()
        .flat_map(|r| &r.exercises)
        .flat_map(|ex| {
            let suite = catalog.exercise(&ex.name);
            ex.tests.iter().map(move |t| {
                let heavy = suite
                    .and_then(|s| s.tests.iter().find(|d| d.name == t.name))
                    .is_some_and(|d| d.cpu_heavy);
                (format!("{}::{}", ex.name, t.name), t.duration_ms, heavy)
            })
        })
        .collect();
    let total = |heavy_only: bool| {
        Duration::from_millis(
            tests
                .iter()
                .filter(|t| t.2 || !heavy_only)
                .map(|t| t.1)
                .sum(),
        )
    };
    let longest = tests
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(name, ms, _)| (name.clone(), Duration::from_millis(*ms)));
    SubjectTiming {
        subject: label.to_string(),
        started: started.saturating_duration_since(began),
        build,
        wall: started.elapsed(),
        tests: tests.len(),
        tests_total: total(false),
        heavy_total: total(true),
        longest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::Expectation;

    fn broken(exercise: &str, fails: &[&str]) -> BrokenSubmission {
        BrokenSubmission {
            dir: PathBuf::from("fixtures/broken/x/y"),
            expect: Expectation {
                exercise: exercise.to_string(),
                mistake: String::new(),
                fails: fails.iter().map(|f| f.to_string()).collect(),
            },
        }
    }

    #[test]
    fn a_broken_submission_never_graded_is_expected_to_take_its_longest_failing_time_out() {
        let catalog = Catalog::builtin().unwrap();
        let suite = &catalog.exercise("file_upload").unwrap().tests;
        let timeout = |name: &str| suite.iter().find(|t| t.name == name).unwrap().timeout;
        let b = broken("file_upload", &["uploads_a_file", "large_binary_upload"]);
        let expected = timeout("uploads_a_file").max(timeout("large_binary_upload"));
        assert_eq!(longest_failing_timeout(&catalog, &b), Some(expected));
        assert!(timeout("large_binary_upload") > timeout("uploads_a_file"));
        // Tests it passes do not count; an exercise not in the course has none.
        let b = broken("file_upload", &["uploads_a_file"]);
        assert_eq!(
            longest_failing_timeout(&catalog, &b),
            Some(timeout("uploads_a_file"))
        );
        assert_eq!(
            longest_failing_timeout(&catalog, &broken("nope", &["a"])),
            None
        );
    }
}
