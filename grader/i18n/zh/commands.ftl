# `grader list` 和 `grader doctor`。

list-points = { $points } 分
list-tests = { $count } 个测试

doctor-title = { $grader } · 沙箱各层
doctor-active = 已启用
doctor-unavailable = 不可用
doctor-toolchain = 工具链：{ $cargo } · { $rustc } · cargo 主目录 { $home }
doctor-toolchain-error = 工具链：“{ $error }”
doctor-deps-all = 课程的依赖：全部 { $count } 个包都在 cargo 的缓存里
doctor-deps-missing = 课程的依赖：{ $names } 不在 cargo 的缓存里（评测时会下载这个系统需要的包）
doctor-deps-error = 课程的依赖：“{ $error }”
doctor-limits = 每个学生进程的限制：
doctor-wall = 墙钟时间   测试的时限（默认 { $secs } 秒）
doctor-cpu = CPU 时间   测试的时限 + 2 秒
doctor-memory = 内存       { $size } 地址空间
doctor-file-size = 文件大小   { $size }
doctor-open-files = 打开文件数 { $count }
doctor-output = 输出       每个流 { $size }（普通程序超出即被终止；服务器超出部分的日志被丢弃）
doctor-processes-none = 进程数     这里没有上限（见 processes 层）
doctor-processes = 进程数     { $whom }共 { $count } 个任务
doctor-processes-per-test = 每个测试的进程
doctor-processes-all = 所有学生进程合计
doctor-build = 构建：离线，最多 { $secs } 秒，只能使用课程允许的依赖
doctor-tests = 同时运行的测试：{ $base } 个（每核 { $per } 个，共 { $cores } 核），CPU 有空闲时最多 { $most } 个（{ $measure }）；CPU 密集型测试每核一个
doctor-measure-cpus = 按本评测程序可用的 { $count } 个 CPU（{ $cpus }）计算
doctor-measure-quota = 按 { $group } 的 CPU 配额 { $quota } 核计算
doctor-strict-ok = 每一层都已启用：`--sandbox strict` 可以在这里评测
doctor-strict-refused = 有些层不可用：`--sandbox strict` 拒绝在这里评测

## 让命令停下来的错误（每个一行，跟在 `grader: ` 后面）

error-manifest = 课程清单：{ $problem }
error-submission-missing = 找不到提交目录 `{ $dir }`：请给出存放各练习 crate 的目录（例如 `exercises`）
error-unknown-exercise = 课程里没有名为 `{ $name }` 的练习（见 `grader list`）
error-unknown-test = 所选的练习里没有名为 `{ $name }` 的测试
error-io = { $what }：{ $source }
error-sandbox-incomplete = --sandbox strict：这里并非每一层沙箱都可用（{ $layers }）；见 `grader doctor`
error-toolchain = { $problem }
error-cargo-missing = 无法运行 cargo（`{ $program }`）：{ $source }

## 沙箱各层的一行总结（评分命令的警告，`--sandbox strict` 的拒绝）：层的名字和原因是参数

sandbox-all-active = 沙箱：所有层都已启用（{ $layers }）
sandbox-some-unavailable = 沙箱：已启用：{ $active }；不可用：{ $unavailable }
sandbox-unavailable-layer = { $name }（{ $reason }）
sandbox-no-layer = 无
sandbox-separator = ；

## 沙箱的各层：每层做什么，或者为什么没有生效
## （`grader doctor`、评测时的摘要行）。
sandbox-limits-on = CPU 时间、内存、文件大小、打开的文件数；独立的进程组；清空的环境变量；每个测试结束时清扫逃逸的进程
sandbox-limits-off = 评分程序无法成为子进程收割者（child subreaper）
sandbox-turned-off = 已关闭
sandbox-network-on = 私有的网络命名空间：只有回环网络
sandbox-processes-user = 在该用户已有的 { $mine } 个任务之外最多 { $limit } 个（RLIMIT_NPROC）
sandbox-processes-cgroup = 每个测试最多 { $limit } 个任务（每个测试一个 pids cgroup，位于 { $dir } 之下）
sandbox-processes-root-off = 以 root 运行，RLIMIT_NPROC 不起作用，而且没有 pids cgroup：“{ $error }”
sandbox-landlock-on = Landlock ABI { $abi }：可读系统库和测试目录，只可写测试目录，只可执行被测程序
sandbox-landlock-off = 内核不提供 Landlock
sandbox-isolation-on = 每个测试有自己的 PID 命名空间（其中的程序在自己的 /proc 里只看得到自己的进程，并随测试的 init 一起结束）和自己的网络命名空间（只有回环网络：测试之间碰不到彼此的套接字）
sandbox-isolation-off = 已关闭：每个测试结束时清扫逃逸的进程；所有测试共用这次运行的回环网络
sandbox-no-pid-namespace = 测试没有各自的 PID 命名空间（{ $error }）：程序看得到整台机器的进程，逃逸的进程在每个测试结束时被清扫
sandbox-no-network-per-test = 测试没有各自的网络命名空间（{ $error }）：所有测试共用这次运行的回环网络
sandbox-both-missing = { $first }；{ $second }
sandbox-run-without-network-namespace = 这次运行没有网络命名空间
