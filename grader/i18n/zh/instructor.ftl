# 教师命令给人看的输出：`grader selfcheck`、`batch` 的逐行进度和汇总、
# `merge`、`gradescope-bundle`、`release`。

## `grader selfcheck`：进度、表格、约定条款、结论

selfcheck-progress = 自检：{ $done }/{ $total } { $label }
selfcheck-col-exercise = 练习
selfcheck-col-solution = 参考答案
selfcheck-col-stub = 练习模板
selfcheck-col-alternative = 另一种写法
selfcheck-col-broken = 发现的错误提交
selfcheck-col-clauses = 约定条款
selfcheck-ok = 通过
selfcheck-no = 不符
selfcheck-all = 合计
selfcheck-coverage = { $exercise }：约定条款 → 测试 → 错误提交
selfcheck-clause-untestable = （不测试：README 说明了原因）
selfcheck-clause-no-test = 没有测试
selfcheck-holds = 自检：课程成立：参考答案和另一种写法都得满分，练习模板得 0 分，每个错误提交都被发现，每条约定条款都有测试
selfcheck-problems = 自检：发现 { $count } 个问题

## `grader selfcheck`：发现的问题

selfcheck-no-alternatives = 没有独立写成的正确程序：缺少 { $dir }/（每个练习一个 crate，写法与参考答案不同）
selfcheck-unknown-exercise = 指明的练习不在课程里
selfcheck-build-ok = 成功
selfcheck-build-failed = 失败
selfcheck-build-missing = 缺失
selfcheck-solution-build = 参考答案的编译：{ $build }
selfcheck-solution-fails = 参考答案未通过 `{ $test }`：{ $message }
selfcheck-alternative-build = 独立写成的正确程序的编译：{ $build }（每个练习都需要一个，放在 { $dir }/ 下）
selfcheck-alternative-fails = 另一种写法的正确程序未通过 `{ $test }`：{ $message }
selfcheck-stub-build = 练习模板的编译：{ $build }
selfcheck-stub-passes = 练习模板通过了 { $tests }
selfcheck-stub-slow = 练习模板在 { $tests } 中超时，而不是很快地未通过
selfcheck-not-graded = 没有评测
selfcheck-departure = { $departure }（{ $mistake }）
selfcheck-unexpected-failure = `{ $test }`（{ $cause }）：{ $message }
selfcheck-clauses = 约定条款：{ $problem }

# 错误提交与它的 broken.toml 不符之处。
broken-did-not-build = 没有编译通过：错误提交必须能编译，并且让测试未通过
broken-names-no-test = 没有指明要未通过的测试：错误提交必须让某个测试未通过
broken-unknown-test = 指明了不存在的测试 `{ $test }`
broken-passed = 通过了 { $tests }，但它应当未通过
broken-failed = 未通过 { $tests }，但它应当通过

# 练习的约定条款、测试和错误提交之间的缺口。
clause-test-names-none = 测试 `{ $test }` 没有指明约定条款
clause-unknown = 测试 `{ $test }` 指明了第 { $clause } 条，但 README 里没有这一条
clause-test-never-fails = 没有任何错误提交让测试 `{ $test }` 未通过：没有证据表明它能发现错误
clause-untested = 第 { $clause } 条约定没有任何测试检查（如果无法测试，请在两份 README 里说明原因）

## `grader batch` 和 `grader merge`

batch-student-unchanged = [{ $done }/{ $total }] { $id }：自上次运行以来没有变化，不再评测
batch-student-graded = [{ $done }/{ $total }] { $id }：{ $status }，{ $score }/{ $max }，用时 { $secs } 秒
batch-student-late = （迟交）
batch-summary = { $graded } 个已评测，{ $build_failed } 个编译失败，{ $empty } 个空提交，{ $error } 个无法评测
batch-done = { $count } 个学生：{ $summary }（本次评测 { $graded } 个，{ $unchanged } 个没有变化）
batch-done-shard = 分片 { $shard } 中的 { $count } 个学生：{ $summary }（本次评测 { $graded } 个，{ $unchanged } 个没有变化）
batch-stopped = 评测了 { $total } 个学生中的 { $done } 个后停止；再运行同一条命令即可评测其余的学生
batch-gradebook = 成绩册：{ $path }
batch-report = 报告：  { $path }
merge-done = 来自 { $inputs } 份输出的 { $count } 个学生：{ $summary }
merge-missing-shards = 警告：输入中没有分片 { $shards }；这些分片的学生不在成绩册里

## `grader gradescope-bundle` 和 `grader release`

gradescope-bundle-wrote = 已写入 { $out }（{ $files } 个文件）：在 Gradescope 上把它上传为这次作业的自动评分程序
release-wrote = 已写入 { $out }（{ $files } 个文件）：{ $exercises } 个练习，{ $tests } 个公开测试共 { $points } 分；未包含 { $hidden } 个隐藏测试
release-next = 下一步：`cd { $out } && git init && git add -A && git commit -m "socklings"`，推送它，并把它设为 GitHub Classroom 作业的模板仓库

## 所有命令

instructor-only = `{ $command }` 是教师命令：这是由 `grader release` 生成的学生仓库，没有它需要的参考答案和隐藏测试
fetching-dependencies = 正在把课程的依赖下载到 { $home }（只需一次）…

## 教师命令的错误（每个一行，跟在 `grader: ` 后面）

batch-error-submissions = 无法读取提交文件夹 `{ $path }`：“{ $error }”
batch-error-not-utf8 = `{ $path }` 的名字不是 UTF-8：请把它改名为学生的学号
batch-error-duplicate = 学生 `{ $id }` 在提交中出现了两次（`{ $first }` 和 `{ $second }`）：只保留一个
batch-error-deadline = --deadline：{ $problem }
batch-error-out-inside = --out `{ $path }` 在提交文件夹里面：请选一个在它外面的目录
batch-error-out-not-dir = --out `{ $path }` 不是目录
batch-error-bad-state = { $path } 无法使用（{ $problem }）：删除它，或者换一个 --out
batch-error-not-a-batch = `{ $path }` 不是 `grader batch` 的输出（里面没有 batch.json）
batch-error-merge-mismatch = `{ $other }` 的评测设置与 `{ $first }` 不同（{ $what }）：只能合并同一批评测的各个分片
batch-error-merge-duplicate = 学生 `{ $id }` 同时在 `{ $first }` 和 `{ $second }` 里：每个分片只合并一次
batch-error-merge-into-input = --out `{ $path }` 是输入之一：请把合并结果写到一个新目录
batch-error-bad-results = { $path } 无法读回（{ $problem }）：请重新评测这一批
selfcheck-error-not-a-course = `{ $root }` 里没有 { $missing }：请用 --root 给出课程的根目录
selfcheck-error-broken = 错误提交：{ $problem }
selfcheck-timings-write = 写入计时文件 { $path } 时出错

selfcheck-leak = 中文报告里有英文句子（{ $view ->
        [student] 学生
       *[instructor] 教师
    }视角），测试 `{ $test }`：`{ $words }`
selfcheck-leak-title = 中文报告里有英文句子（{ $view ->
        [student] 学生
       *[instructor] 教师
    }视角），练习标题：`{ $words }`
