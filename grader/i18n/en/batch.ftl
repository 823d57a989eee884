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
