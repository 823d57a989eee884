# `grader list` and `grader doctor`.

list-points = { $points } pts
list-tests = { $count } tests

doctor-title = { $grader } · sandbox layers
doctor-active = active
doctor-unavailable = unavailable
doctor-toolchain = toolchain: { $cargo } · { $rustc } · cargo home { $home }
doctor-toolchain-error = toolchain: { $error }
doctor-deps-all = course dependencies: all { $count } packages in cargo's cache
doctor-deps-missing = course dependencies: { $names } not in cargo's cache (grading fetches what this system needs)
doctor-deps-error = course dependencies: { $error }
doctor-limits = limits of each student process:
doctor-wall = wall time    the test's limit (default { $secs } s)
doctor-cpu = CPU time     the test's limit + 2 s
doctor-memory = memory       { $size } of address space
doctor-file-size = file size    { $size }
doctor-open-files = open files   { $count }
doctor-output = output       { $size } per stream (a program is stopped past it; a server's log past it is dropped)
doctor-processes-none = processes    no bound here (see the processes layer)
doctor-processes = processes    { $count } tasks for { $whom }
doctor-processes-per-test = the processes of each test
doctor-processes-all = all student processes at once
doctor-build = the build: offline, { $secs } s at most, only the course's allowed dependencies
doctor-tests = tests at once: { $base } ({ $per } per core, { $cores ->
        [one] { $cores } core
       *[other] { $cores } cores
    }), up to { $most } while the CPU has time to spare ({ $measure }); CPU-heavy ones: one per core
doctor-measure-cpus = measured on { $count ->
        [one] CPU { $cpus }, the one
       *[other] CPUs { $cpus }, those
    } this grader may run on
doctor-measure-quota = measured against the CPU quota of { $group }: { $quota } cores
doctor-strict-ok = every layer is active: `--sandbox strict` will grade here
doctor-strict-refused = some layers are unavailable: `--sandbox strict` refuses to grade here

## Errors that stop a command (one line each, after `grader: `)

error-manifest = course manifest: { $problem }
error-submission-missing = submission directory `{ $dir }` not found: pass the directory that holds the exercise crates (such as `exercises`)
error-unknown-exercise = no exercise named `{ $name }` in the course (see `grader list`)
error-unknown-test = no test named `{ $name }` in the selected exercises
error-io = { $what }: { $source }
error-sandbox-incomplete = --sandbox strict: not every sandbox layer is available here ({ $layers }); see `grader doctor`
error-toolchain = { $problem }
error-cargo-missing = could not run cargo (`{ $program }`): { $source }

## The sandbox's layers in one line (a grading command's warning, `--sandbox
## strict`'s refusal): the layers' names and reasons are arguments

sandbox-all-active = sandbox: all layers active ({ $layers })
sandbox-some-unavailable = sandbox: active: { $active }; unavailable: { $unavailable }
sandbox-unavailable-layer = { $name } ({ $reason })
sandbox-no-layer = none
sandbox-separator = {"; "}

## The sandbox's layers: what each does, or why it is not in force
## (`grader doctor`, the summary line of a grading).
sandbox-limits-on = CPU time, memory, file size, open files; own process group; cleared environment; escaped processes swept at each test's end
sandbox-limits-off = the grader could not become a child subreaper
sandbox-turned-off = turned off
sandbox-network-on = private network namespace: loopback only
sandbox-processes-user = at most { $limit } tasks beyond the { $mine } the user has (RLIMIT_NPROC)
sandbox-processes-cgroup = at most { $limit } tasks per test (a pids cgroup each, under { $dir })
sandbox-processes-root-off = running as root, where RLIMIT_NPROC does not apply, and no pids cgroup: { $error }
sandbox-landlock-on = Landlock ABI { $abi }: read system libraries and the test directory, write only the test directory, execute only the program
sandbox-landlock-off = the kernel does not offer Landlock
sandbox-isolation-on = each test in its own PID namespace (its programs see only their own processes in their own /proc, and end with the test's init) and its own network namespace (loopback only: no test reaches another's sockets)
sandbox-isolation-off = turned off: escaped processes swept at each test's end; tests share the run's loopback
sandbox-no-pid-namespace = no PID namespace per test ({ $error }): programs see the machine's processes, escaped ones are swept at each test's end
sandbox-no-network-per-test = no network namespace per test ({ $error }): tests share the run's loopback
sandbox-both-missing = { $first }; { $second }
sandbox-run-without-network-namespace = the run has no network namespace
