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
doctor-output = 输出       每个流 { $size }
doctor-processes-none = 进程数     这里没有上限（见 processes 层）
doctor-processes = 进程数     { $whom }共 { $count } 个任务
doctor-processes-per-test = 每个测试的进程
doctor-processes-all = 所有学生进程合计
doctor-build = 构建：离线，最多 { $secs } 秒，只能使用课程允许的依赖
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
