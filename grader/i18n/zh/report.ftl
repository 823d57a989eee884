# 人读的报告（`--verbose`、`--only`）、学生的聚焦视图（`cargo grade`），
# 以及监视模式的界面。

report-header = { $grader } · 提交 `{ $submission }` · 随机种子 { $seed }
report-not-run = 有 { $count } 个测试没有在这个系统上运行（它们检查 Linux 上的行为），不计入总分。
report-nothing-graded = 没有评测任何练习。
tests-passed = 通过 { $passed }/{ $total } 个测试
tests-passed-not-run = 通过 { $passed }/{ $total } 个测试，{ $not_run } 个没有在这个系统上运行
test-points = （{ $points } 分，{ $visibility }）
visibility-visible = 公开测试
visibility-hidden = 隐藏测试
standing-done = 已完成
standing-not-started = 尚未开始
standing-build-failed = 没有编译通过
standing-missing = 提交里没有它

## 聚焦视图

focus-progress = { $points } 分 · 已完成 { $done }/{ $total } 个练习
focus-unchanged = 未改动
focus-state = { $score }/{ $max } 分，通过 { $passed }/{ $total } 个测试
focus-contract = 约定：
focus-next = 下一步：
focus-missing = 提交里没有 crate `{ $name }`：它应该在 { $dir }
focus-missing-next = 把这个练习的 crate 放回去（它的初始代码在课程的 exercises/ 里）
focus-fix-build = 改正上面编译器报的错误；卡住了？{ $hint }
focus-full-marks-label = 满分：
focus-full-marks = 运行的每个测试都通过了
focus-make-pass = 让 `{ $test }` 通过；卡住了？{ $hint }
focus-other-failing = 它的其他未通过的测试：
focus-more-lines = … 还有 { $count } 行：{ $command } 会全部显示
focus-more-failing = … 还有 { $count } 个未通过的测试：{ $command } 会全部列出
focus-all-done = 全部 { $count } 个练习都是满分：{ $score }/{ $max } 分。干得好！
focus-passed-in-all = 共通过 { $passed }/{ $total } 个测试

## 完整列表

human-more-lines = … 还有 { $count } 行
human-verbose = （--verbose 会展开每个未通过的测试）
human-stuck = 卡住了？`cargo hint { $name }` 会给出提示
human-total = 总分：{ $score }/{ $max } 分
human-total-tests = 通过 { $passed }/{ $total } 个测试
human-seed = 随机输入来自种子 { $seed }；加上 --seed { $seed } 可以再次得到同样的输入。
grade-unchanged = 自上次评测以来没有改动（沿用保留的结果；--fresh 会重新评测）：{ $names }

## 监视模式

watch-keys = 按键：h 提示 · n/p 下一个/上一个练习 · l 列表 · r 重新运行 · q 退出
watch-keys-plain = 正在监视 { $dir } · 标准输入的每一行是一个按键（h 提示 · n/p 下一个/上一个练习 · l 列表 · r 重新运行 · q 退出）· 标准输入结束或按 Ctrl-C 时退出
watch-grading = { $what }：评测中…
watch-grading-first = 评测中…
watch-the-submission = 整个提交
watch-ended = 监视模式已结束
watch-could-not-grade = 无法评测：“{ $error }”
watch-full-marks-next = ✓ { $name } 满分！接下来是 { $next }。
watch-full-marks = ✓ { $name } 满分！
watch-watcher-failed = 文件监视出错：“{ $error }”
watch-no-current = 当前没有练习

## 提示

hints-title = { $name } 的提示：{ $title }
hints-contract = 约定写在 { $readme } 里。

## 各平台的格式（Gradescope、Exercism、PrairieLearn）

platform-title = socklings 评分程序 { $version } · 随机种子 { $seed }
platform-total = 总分：{ $score }/{ $max } 分 · 通过 { $passed }/{ $total } 个测试
platform-points = { $score }/{ $max } 分 · 通过 { $passed }/{ $total } 个测试
platform-not-run = 有 { $count } 个测试没有在这个系统上运行，不计入总分。
platform-did-not-compile = `{ $name }` 没有编译通过：
platform-missing = 提交里没有 `{ $name }`

## 评测时的进度（stderr）

progress-grading = 评测中
progress-building-crates = 正在编译 { $count } 个练习 crate…
progress-of = { $who }：{ $what }
progress-building = 正在编译 { $count } 个练习
progress-testing = 测试中 { $done }/{ $total }
progress-slow = { $test } 很慢（它的时限是 { $secs } 秒）
progress-unit-students = 个学生
progress-eta = 预计剩余
