# The human report (`--verbose`, `--only`) and the focused student view
# (`cargo grade`), and watch mode's screens.

report-header = { $grader } · submission `{ $submission }` · seed { $seed }
report-not-run = { $count } tests were not run on this system (they check Linux behaviours) and are left out of the score.
report-nothing-graded = No exercise was graded.
tests-passed = { $passed } of { $total } tests passed
tests-passed-not-run = { $passed } of { $total } tests passed, { $not_run } not run on this system
test-points = ({ $points } pts, { $visibility })
visibility-visible = visible
visibility-hidden = hidden
standing-done = done
standing-not-started = not started
standing-build-failed = did not compile
standing-missing = missing from the submission

## The focused view

focus-progress = { $points } points · { $done } of { $total } exercises done
focus-unchanged = unchanged
focus-state = { $score }/{ $max } points, { $passed } of { $total } tests passed
focus-contract = the contract:
focus-next = next:
focus-missing = the submission has no crate `{ $name }`: it belongs in { $dir }
focus-missing-next = put the exercise's crate back (its stub is in the course's exercises/)
focus-fix-build = fix the compiler's errors above; stuck? { $hint }
focus-full-marks-label = full marks:
focus-full-marks = every test it ran passed
focus-make-pass = make `{ $test }` pass; stuck? { $hint }
focus-other-failing = its other failing tests:
focus-more-lines = … { $count } more lines: { $command } shows them all
focus-more-failing = … { $count } more failing tests: { $command } lists them all
focus-all-done = All { $count } exercises have full marks: { $score }/{ $max } points. Well done!
focus-passed-in-all = { $passed } of { $total } tests passed in all

## The full listing

human-more-lines = … { $count } more lines
human-verbose = (--verbose expands every failing test)
human-stuck = stuck? `cargo hint { $name }` gives a hint
human-total = Total: { $score }/{ $max } points
human-total-tests = { $passed } of { $total } tests passed
human-seed = Randomized inputs came from seed { $seed }; pass --seed { $seed } to get the same ones again.
grade-unchanged = Unchanged since they were graded (results kept; --fresh grades them again): { $names }

## Watch mode

watch-keys = keys: h hint · n/p next/previous exercise · l list · r run again · q quit
watch-keys-plain = watching { $dir } · lines of stdin are keys (h hint · n/p next/previous exercise · l list · r run again · q quit) · ends with stdin or Ctrl-C
watch-grading = { $what }: grading…
watch-grading-first = grading…
watch-the-submission = the submission
watch-ended = watch mode ended
watch-could-not-grade = could not grade: { $error }
watch-full-marks-next = ✓ { $name } has full marks! On to { $next }.
watch-full-marks = ✓ { $name } has full marks!
watch-watcher-failed = the file watcher failed: { $error }
watch-no-current = no exercise is current

## Hints

hints-title = Hints for { $name }: { $title }
hints-contract = The contract is in { $readme }.

## The platforms' formats (Gradescope's, Exercism's, PrairieLearn's)

platform-title = socklings grader { $version } · seed { $seed }
platform-total = Total: { $score }/{ $max } points · { $passed } of { $total } tests passed
platform-points = { $score }/{ $max } points · { $passed } of { $total } tests passed
platform-not-run = { $count } tests were not run on this system and are left out of the score.
platform-did-not-compile = { $name } did not compile:
platform-missing = { $name } is missing from the submission

## Progress while grading (stderr)

progress-grading = grading
progress-building-crates = building { $count } exercise crates…
progress-of = { $who }: { $what }
progress-building = building { $count } exercises
progress-testing = testing { $done }/{ $total }
progress-slow = { $test } is slow (its limit is { $secs } s)
progress-unit-students = students
progress-eta = ETA
