# `--help`: the commands' descriptions, the arguments' help and clap's own
# words (grader/src/cli/help.rs). English `--help` is clap's, written from
# the doc comments of grader/src/cli/: these sentences are the same (a test
# compares them), the other languages translate them.

help-about = Grades socklings submissions: builds each exercise and runs its suite
help-grade-about = Build a submission and run every exercise's tests against it
help-list-about = List the exercises in teaching order
help-doctor-about = Show which sandbox layers this machine allows, and the limits in force
help-batch-about = Grade a folder of submissions, one per student, into a gradebook, results, feedback and a class report
help-merge-about = Join the outputs of several `grader batch --shard K/N` runs into one
help-hint-about = Show the hints of an exercise
help-gradescope-bundle-about = Write Gradescope's autograder zip (setup.sh, run_autograder, the grader's source): upload it as the assignment's autograder
help-release-about = Write the repository students clone: the exercise stubs and the grader with the visible tests only (no solutions, no hidden tests)
help-selfcheck-about = Check the course: full marks for solutions/, 0 for exercises/ (failing fast), and every broken submission under fixtures/broken/ caught
help-help-about = Print this message or the help of the given subcommand(s)

## `grader grade`

help-grade-dir = The submission: a directory with one crate per exercise, laid out like `exercises/` [default: the course's `exercises/`]
help-grade-only = Grade only this exercise (repeatable)
help-grade-tests = Run only the tests of this name in the selected exercises (repeatable); the score then counts only those tests
help-grade-format = Report format on stdout
help-grade-jobs = Tests run at once at most [default: 16 per core, up to 64 while the CPU has time to spare, CPU-heavy tests one per core]
help-grade-seed = Seed of the randomized inputs (printed in every report)
help-grade-no-fail = Exit 0 whenever grading completed, whatever the score
help-grade-audience = Who reads the report: students do not see hidden tests' details
help-grade-verbose = Expand every failing test in the human report
help-grade-results = Also write the report to this file, in `--results-format`
help-grade-results-format = Format of the `--results` file
help-grade-target-dir = Where builds are cached [default: a directory per submission under the system's temp dir]
help-grade-build-timeout = The longest the build of a submission may take, in seconds
help-grade-fresh = Grade every exercise again, ignoring the results kept from earlier gradings (the human report keeps each unchanged exercise's result)
help-grade-watch = Keep running: grade again whenever a file of the submission changes (keys: h hint, n/p next/previous exercise, l list, r run again, q quit)

## `grader batch` and `grader merge`

help-batch-submissions = The folder of submissions: one entry per student, named by the student id: a directory laid out like `exercises/` (or a copy of the student repository), a git repository, or a `.zip` / `.tar.gz` archive
help-batch-out = Where the gradebook, results, feedback and report go (created if needed)
help-batch-deadline = Grade git repositories at their last commit at or before this RFC 3339 time (such as 2025-03-01T23:59:00+01:00), and mark later work late
help-batch-shard = Grade only the students of shard K of N (FNV-1a of the student id, mod N)
help-batch-only = Grade only this exercise (repeatable)
help-batch-tests = Run only the tests of this name (repeatable)
help-batch-jobs = Tests run at once at most for each student [default: 16 per core, up to 64 while the CPU has time to spare, CPU-heavy tests one per core]
help-batch-parallel = Students graded at once [default: 6 where each test is isolated in a world of its own, else 1]: their builds take turns, one at a time, while the students already built run their tests, all within the process's test budget
help-batch-seed = Seed of the randomized inputs
help-batch-target-dir = The build cache shared by the class [default: a directory per OUT under the system's temp dir]
help-batch-build-timeout = The longest the build of one submission may take, in seconds
help-batch-regrade = Grade every student again, even those whose submission is unchanged
help-batch-lang = The language of the tests' feedback in the results and feedback files (`en` or `zh`) [default: English, whatever the locale], and of what is printed [default: the locale's]
help-merge-inputs = The outputs of `grader batch` to join (one per shard)
help-merge-out = Where the joined gradebook, results, feedback and report go

## `grader hint`, `grader gradescope-bundle`, `grader release`

help-hint-exercise = The exercise
help-hint-zh = In Chinese (the same as `--lang zh`)
help-gradescope-bundle-out = The zip to write
help-gradescope-bundle-root = The course's root [default: the course this grader was built from]
help-release-out = The directory to write the student repository to (new, or empty)

## `grader selfcheck`

help-selfcheck-root = The course's root [default: the course this grader was built from]
help-selfcheck-only = Check only this exercise (repeatable)
help-selfcheck-jobs = Tests run at once at most in each grading [default: 16 per core in all, up to 64 while the CPU has time to spare, CPU-heavy tests one per core]
help-selfcheck-parallel = Submissions graded at once (their tests share the process's budget; `--builds` of them build at a time, the others run their tests)
help-selfcheck-builds = Submissions built at once [default: one per core]
help-selfcheck-seed = Seed of the randomized inputs
help-selfcheck-target-dir = Where builds are cached [default: one cache per course under the system's temp dir]
help-selfcheck-build-timeout = The longest the build of one submission may take, in seconds
help-selfcheck-timings = Also write where each submission's time went to FILE (tab-separated: subject, start, build and grading milliseconds, tests and their milliseconds, the CPU-heavy tests' milliseconds, the longest test and its milliseconds; the longest grading first)

## The options several commands share

help-lang = The language of what is printed for people [default: Chinese when the locale (LC_ALL, LC_MESSAGES, LANG) starts with `zh`, else English; machine formats: English]
help-sandbox = Refuse to grade unless every sandbox layer is active (`strict`)
help-no-network-namespace = Do not move into a private network namespace
help-no-landlock = Do not apply Landlock file and exec rules
help-no-isolation = Do not give each test its own PID, mount and network namespaces

## The possible values of `--format`, `--audience`, `--lang`, `--sandbox`

help-value-human = The human report (colors on a terminal)
help-value-json = The grader's own JSON document (schema in the README)
help-value-gradescope = Gradescope's autograder `results.json`
help-value-exercism = Exercism's test runner `results.json`, version 3
help-value-classroom = GitHub Classroom: the human report and `Points X/Y` on stdout, the version-1 result JSON in a results file, and `result=<base64>` in `$GITHUB_OUTPUT` when that is set
help-value-junit = JUnit XML, one testsuite per exercise
help-value-prairielearn = PrairieLearn's external grader `results.json`
help-value-student = Hidden tests show their name, pass/fail and the cause in one fixed sentence only
help-value-instructor = Everything is shown
help-value-en = English
help-value-zh = Chinese
help-value-best-effort = Use every layer this machine allows; say once which are missing
help-value-strict = Refuse to grade unless every layer is active

## clap's own words

help-flag-help = Print help
help-flag-help-more = Print help (see more with '--help')
help-flag-help-summary = Print help (see a summary with '-h')
help-flag-version = Print version
help-usage = Usage:
help-heading-commands = Commands:
help-heading-arguments = Arguments:
help-heading-options = Options:
help-possible-values = Possible values:
help-default = [default: { $value }]
help-possible-values-inline = [possible values: { $values }]

## clap's errors for a wrong command line (English: clap says them itself)

clap-error = error: { $problem }
clap-unknown-argument = unexpected argument '{ $arg }' found
clap-invalid-value = invalid value '{ $value }' for '{ $arg }'
clap-invalid-value-because = invalid value '{ $value }' for '{ $arg }': { $reason }
clap-value-required = a value is required for '{ $arg }' but none was supplied
clap-too-many-values = unexpected value '{ $value }' for '{ $arg }' found; no more were expected
clap-invalid-subcommand = unrecognized subcommand '{ $name }'
clap-missing-subcommand = '{ $name }' requires a subcommand but one was not provided
clap-missing-required = the following required arguments were not provided:
clap-used-twice = the argument '{ $arg }' cannot be used multiple times
clap-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
clap-similar-subcommand = tip: a similar subcommand exists: { $names }
clap-similar-argument = tip: a similar argument exists: { $names }
clap-similar-value = tip: a similar value exists: { $names }
clap-more-information = For more information, try '{ $help }'.
