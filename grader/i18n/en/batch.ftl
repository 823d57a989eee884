# `grader batch`'s feedback file for each student (OUT/feedback/<id>.md).
# Arguments are already escaped for Markdown.

md-title = # Feedback for { $id }
md-score = **Score: { $score } / { $max } ({ $percent }%)** · status: { $status }
md-graded-commit = Graded commit `{ $commit }`.
md-graded-commit-at = Graded commit `{ $commit }` of { $time }.
md-submitted-at = Submitted at { $time }.
md-late-git = Commits after the deadline were not graded.
md-late = This submission arrived after the deadline.
md-not-graded = Your submission could not be graded. Fix the problem above and submit again.
md-missing = No crate `{ $name }` in your submission: its tests were not run.
md-build-failed = It did not build, so its tests failed. The build said:
md-table-head = | test | result | points |
md-hidden-test = { $name } (hidden)
md-passed = passed
md-failed = failed
md-not-run = not run here
md-test-failed = ### { $name } failed

## The class report (OUT/report.html)

html-title = socklings · class report
html-meta = grader { $version } · seed { $seed } · { $exercises } exercises, { $points } points
html-deadline = deadline { $deadline }
html-summary = Class summary
html-students = students
html-status-graded = graded
html-status-build-failed = build_failed
html-status-empty = empty
html-status-error = error
html-late = late
html-mean-total = mean total
html-median-total = median total
html-range = lowest – highest
html-totals = Totals
html-histogram-label = histogram of totals
html-bin-title = { $bin }: { $count } students
html-axis = percent of the points
html-exercises = Exercises
html-col-exercise = exercise
html-col-points = points
html-col-mean = mean
html-col-full-marks = full marks
html-col-did-not-build = did not build
html-col-missing = missing
html-tests = Tests, hardest first
html-tests-note = Failure rate among the students whose exercise built.
html-col-test = test
html-col-visibility = visibility
html-col-failed = failed
html-col-failure-rate = failure rate
html-visible = visible
html-hidden = hidden
html-students-heading = Students
html-col-student = student
html-col-total = total
html-col-percent = percent
html-col-status = status
html-col-late = late
html-col-commit = commit
html-col-note = note
html-late-mark = late
