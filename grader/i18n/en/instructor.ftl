# What the instructor commands print for people: `grader selfcheck`,
# `batch`'s lines and summary, `merge`, `gradescope-bundle`, `release`.

## `grader selfcheck`: progress, the table, the clauses, the verdict

selfcheck-progress = selfcheck: { $done }/{ $total } { $label }
selfcheck-col-exercise = exercise
selfcheck-col-solution = solution
selfcheck-col-stub = stub
selfcheck-col-alternative = alternative
selfcheck-col-broken = broken caught
selfcheck-col-clauses = clauses
selfcheck-ok = ok
selfcheck-no = NO
selfcheck-all = all
selfcheck-coverage = { $exercise }: clause → tests → broken submissions
selfcheck-clause-untestable = (not tested: the README says why)
selfcheck-clause-no-test = NO TEST
selfcheck-holds = selfcheck: the course holds: full marks for the solutions and the alternatives, 0 for the stubs, every broken submission caught, every clause tested
selfcheck-problems = selfcheck: { $count ->
        [one] { $count } problem found
       *[other] { $count } problems found
    }

## `grader selfcheck`: the problems it finds

selfcheck-no-alternatives = no independent correct program: { $dir }/ is missing (a crate per exercise, written differently from the solution)
selfcheck-unknown-exercise = names an exercise the course does not have
selfcheck-build-ok = ok
selfcheck-build-failed = failed
selfcheck-build-missing = missing
selfcheck-solution-build = the solution's build: { $build }
selfcheck-solution-fails = the solution fails `{ $test }`: { $message }
selfcheck-alternative-build = the independent correct program's build: { $build } (every exercise needs one under { $dir }/)
selfcheck-alternative-fails = a correct program written differently fails `{ $test }`: { $message }
selfcheck-stub-build = the stub's build: { $build }
selfcheck-stub-passes = the stub passes { $tests }
selfcheck-stub-slow = the stub times out in { $tests } instead of failing fast
selfcheck-not-graded = was not graded
selfcheck-departure = { $departure } ({ $mistake })
selfcheck-unexpected-failure = `{ $test }` ({ $cause }): { $message }
selfcheck-clauses = contract clauses: { $problem }

# How a broken submission departs from its broken.toml.
broken-did-not-build = did not build: a broken submission must build and fail tests
broken-names-no-test = names no test to fail: a broken submission must fail some test
broken-unknown-test = names unknown test `{ $test }`
broken-passed = passed { $tests }, which it must fail
broken-failed = failed { $tests }, which it must pass

# The gaps between an exercise's contract clauses, its tests and its broken submissions.
clause-test-names-none = test `{ $test }` names no contract clause
clause-unknown = test `{ $test }` names clause { $clause }, which the README does not have
clause-test-never-fails = test `{ $test }` is failed by no broken submission: nothing proves it can fail
clause-untested = clause { $clause } is checked by no test (or say in both READMEs why it cannot be)

## `grader batch` and `grader merge`

batch-student-unchanged = [{ $done }/{ $total }] { $id }: unchanged since the last run, not graded again
batch-student-graded = [{ $done }/{ $total }] { $id }: { $status } { $score }/{ $max } in { $secs } s
batch-student-late = (late)
batch-summary = { $graded } graded, { $build_failed } build_failed, { $empty } empty, { $error } error
batch-done = { $count } students: { $summary } ({ $graded } graded now, { $unchanged } unchanged)
batch-done-shard = { $count } students in shard { $shard }: { $summary } ({ $graded } graded now, { $unchanged } unchanged)
batch-stopped = stopped after { $done } of { $total } students; run the same command again to grade the rest
batch-gradebook = gradebook: { $path }
batch-report = report:    { $path }
merge-done = { $count } students from { $inputs } outputs: { $summary }
merge-missing-shards = warning: shards { $shards } are not among the inputs; their students are not in the gradebook

## `grader gradescope-bundle` and `grader release`

gradescope-bundle-wrote = wrote { $out } ({ $files } files): upload it as the assignment's autograder on Gradescope
release-wrote = wrote { $out } ({ $files } files): { $exercises } exercises, { $tests } visible tests worth { $points } points; { $hidden } hidden tests left out
release-next = next: `cd { $out } && git init && git add -A && git commit -m "socklings"`, push it, and make it the template repository of the GitHub Classroom assignment

## Every command

instructor-only = `{ $command }` is an instructor command: this is the student repository, written by `grader release`, without the solutions and hidden tests it needs
fetching-dependencies = fetching the course's dependencies into { $home } (once)…

## Errors of the instructor commands (one line each, after `grader: `)

batch-error-submissions = cannot read the submissions folder `{ $path }`: { $error }
batch-error-not-utf8 = `{ $path }` is not named in UTF-8: rename it to the student's id
batch-error-duplicate = student `{ $id }` is in the submissions twice (`{ $first }` and `{ $second }`): keep one
batch-error-deadline = --deadline: { $problem }
batch-error-out-inside = --out `{ $path }` is inside the submissions folder: choose a directory outside it
batch-error-out-not-dir = --out `{ $path }` is not a directory
batch-error-bad-state = { $path } cannot be used ({ $problem }): remove it, or choose another --out
batch-error-not-a-batch = `{ $path }` is not the output of `grader batch` (it has no batch.json)
batch-error-merge-mismatch = `{ $other }` was graded with other settings than `{ $first }` ({ $what }): merge only the shards of one batch
batch-error-merge-duplicate = student `{ $id }` is in both `{ $first }` and `{ $second }`: merge each shard once
batch-error-merge-into-input = --out `{ $path }` is one of the inputs: write the merge to a new directory
batch-error-bad-results = { $path } cannot be read back ({ $problem }): grade the batch again
selfcheck-error-not-a-course = `{ $root }` has no { $missing }: pass the course's root with --root
selfcheck-error-broken = broken submissions: { $problem }
selfcheck-timings-write = writing the timings file { $path }

selfcheck-leak = English in the Chinese report ({ $view ->
        [student] student
       *[instructor] instructor
    } view), test `{ $test }`: `{ $words }`
selfcheck-leak-title = English in the Chinese report ({ $view ->
        [student] student
       *[instructor] instructor
    } view), its title: `{ $words }`
