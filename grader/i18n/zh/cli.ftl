# `--help`：各命令的说明、各参数的帮助，以及 clap 自己的用语
# （grader/src/cli/help.rs）。

help-about = 评测 socklings 的提交：编译每个练习，运行它的测试套件
help-grade-about = 编译一份提交，对它运行每个练习的测试
help-list-about = 按教学顺序列出练习
help-doctor-about = 显示这台机器允许哪些沙箱层，以及生效的限制
help-batch-about = 评测一个文件夹里的提交（每个学生一份），生成成绩册、结果、反馈和班级报告
help-merge-about = 把几次 `grader batch --shard K/N` 的输出合并成一份
help-hint-about = 显示一个练习的提示
help-gradescope-bundle-about = 写出 Gradescope 的自动评分 zip（setup.sh、run_autograder、评分程序的源码）：把它上传为作业的自动评分程序
help-release-about = 写出学生克隆的仓库：练习模板，以及只带公开测试的评分程序（没有参考答案，没有隐藏测试）
help-selfcheck-about = 检查课程：solutions/ 得满分，exercises/ 得 0 分（并且很快失败），fixtures/broken/ 下的每个错误提交都被发现
help-help-about = 打印这段说明，或者给定子命令的帮助

## `grader grade`

help-grade-dir = 提交：一个目录，每个练习一个 crate，布局和 `exercises/` 一样 [默认：课程的 `exercises/`]
help-grade-only = 只评测这个练习（可重复）
help-grade-tests = 只运行所选练习里叫这个名字的测试（可重复）；得分也只算这些测试
help-grade-format = stdout 上报告的格式
help-grade-jobs = 最多同时运行多少个测试 [默认：每个核 16 个，CPU 有空闲时最多每个核 64 个，CPU 密集的测试每个核 1 个]
help-grade-seed = 随机输入的随机种子（每份报告都会打印）
help-grade-no-fail = 只要评测完成就以 0 退出，不论得分
help-grade-audience = 报告给谁看：学生看不到隐藏测试的细节
help-grade-verbose = 在给人读的报告里展开每一个未通过的测试
help-grade-results = 同时把报告写进这个文件，格式由 `--results-format` 指定
help-grade-results-format = `--results` 文件的格式
help-grade-target-dir = 编译缓存放在哪里 [默认：系统临时目录下，每份提交一个目录]
help-grade-build-timeout = 编译一份提交最多可以用多少秒
help-grade-fresh = 每个练习都重新评测，不用之前评测保存下来的结果（给人读的报告仍会保存每个未改动练习的结果）
help-grade-watch = 持续运行：提交里的文件一有改动就重新评测（按键：h 提示，n/p 下一个/上一个练习，l 列表，r 重新运行，q 退出）

## `grader batch` 和 `grader merge`

help-batch-submissions = 存放提交的文件夹：每个学生一项，以学号命名：可以是布局和 `exercises/` 一样的目录（或学生仓库的一份副本）、一个 git 仓库，或者一个 `.zip` / `.tar.gz` 压缩包
help-batch-out = 成绩册、结果、反馈和报告写到哪里（需要时会创建）
help-batch-deadline = 按 git 仓库在这个 RFC 3339 时间（例如 2025-03-01T23:59:00+01:00）或之前的最后一次提交评测，之后的工作标为迟交
help-batch-shard = 只评测第 K 个分片（共 N 个）里的学生（按学号的 FNV-1a 哈希对 N 取模）
help-batch-only = 只评测这个练习（可重复）
help-batch-tests = 只运行叫这个名字的测试（可重复）
help-batch-jobs = 每个学生最多同时运行多少个测试 [默认：每个核 16 个，CPU 有空闲时最多每个核 64 个，CPU 密集的测试每个核 1 个]
help-batch-parallel = 同时评测多少个学生 [默认：每个测试各自隔离在独立的命名空间里时为 6，否则为 1]：学生们轮流编译，一次一个，已经编译好的学生同时运行测试，都在进程的测试预算之内
help-batch-seed = 随机输入的随机种子
help-batch-target-dir = 全班共用的编译缓存 [默认：系统临时目录下，每个 OUT 一个目录]
help-batch-build-timeout = 编译一份提交最多可以用多少秒
help-batch-regrade = 重新评测每个学生，提交没有改动的也不例外
help-batch-lang = 结果文件和反馈文件里测试反馈的语言（`en` 或 `zh`）[默认：英文，不论 locale]，以及打印出来的内容的语言 [默认：按 locale]
help-merge-inputs = 要合并的 `grader batch` 输出（每个分片一个）
help-merge-out = 合并后的成绩册、结果、反馈和报告写到哪里

## `grader hint`、`grader gradescope-bundle`、`grader release`

help-hint-exercise = 练习名
help-hint-zh = 用中文（和 `--lang zh` 一样）
help-gradescope-bundle-out = 要写出的 zip 文件
help-gradescope-bundle-root = 课程的根目录 [默认：构建这个评分程序的课程]
help-release-out = 学生仓库写到哪个目录（新目录，或者空目录）

## `grader selfcheck`

help-selfcheck-root = 课程的根目录 [默认：构建这个评分程序的课程]
help-selfcheck-only = 只检查这个练习（可重复）
help-selfcheck-jobs = 每次评测最多同时运行多少个测试 [默认：总共每个核 16 个，CPU 有空闲时最多每个核 64 个，CPU 密集的测试每个核 1 个]
help-selfcheck-parallel = 同时评测多少份提交（它们的测试共用进程的预算；其中 `--builds` 份同时编译，其余的运行测试）
help-selfcheck-builds = 同时编译多少份提交 [默认：每个核 1 份]
help-selfcheck-seed = 随机输入的随机种子
help-selfcheck-target-dir = 编译缓存放在哪里 [默认：系统临时目录下，每个课程一个缓存]
help-selfcheck-build-timeout = 编译一份提交最多可以用多少秒
help-selfcheck-timings = 另外把每份提交的时间花在哪里写进 FILE（制表符分隔：提交、开始、编译和评测的毫秒数，测试个数和它们的毫秒数，CPU 密集测试的毫秒数，最长的测试和它的毫秒数；评测最久的在前）

## 几个命令共有的选项

help-lang = 给人看的内容用哪种语言 [默认：locale（LC_ALL、LC_MESSAGES、LANG）以 `zh` 开头时用中文，否则用英文；给机器读的格式：英文]
help-sandbox = 除非沙箱的每一层都已启用，否则拒绝评测（`strict`）
help-no-network-namespace = 不进入私有的网络命名空间
help-no-landlock = 不应用 Landlock 的文件和执行规则
help-no-isolation = 不给每个测试各自的 PID、挂载和网络命名空间

## `--format`、`--audience`、`--lang`、`--sandbox` 的可选值

help-value-human = 给人读的报告（在终端上带颜色）
help-value-json = 评分程序自己的 JSON 文档（格式见 README）
help-value-gradescope = Gradescope 自动评分的 `results.json`
help-value-exercism = Exercism 测试运行器的 `results.json`，第 3 版
help-value-classroom = GitHub Classroom：stdout 上是给人读的报告和 `Points X/Y`，结果文件里是第 1 版的结果 JSON，设置了 `$GITHUB_OUTPUT` 时还往里写 `result=<base64>`
help-value-junit = JUnit XML，每个练习一个 testsuite
help-value-prairielearn = PrairieLearn 外部评分器的 `results.json`
help-value-student = 隐藏测试只显示测试名、是否通过，以及失败原因的一句固定的话
help-value-instructor = 全部显示
help-value-en = 英文
help-value-zh = 中文
help-value-best-effort = 使用这台机器允许的每一层；缺少哪些层，只说一次
help-value-strict = 除非每一层都已启用，否则拒绝评测

## clap 自己的用语

help-flag-help = 打印帮助
help-flag-help-more = 打印帮助（`--help` 显示更多）
help-flag-help-summary = 打印帮助（`-h` 显示摘要）
help-flag-version = 打印版本号
help-usage = 用法：
help-heading-commands = 命令：
help-heading-arguments = 参数：
help-heading-options = 选项：
help-possible-values = 可选值：
help-default = [默认：{ $value }]
help-possible-values-inline = [可选值：{ $values }]

## 命令行写错时 clap 的报错

clap-error = 错误：{ $problem }
clap-unknown-argument = 无法识别的参数 `{ $arg }`
clap-invalid-value = `{ $arg }` 的值 `{ $value }` 无效
clap-invalid-value-because = `{ $arg }` 的值 `{ $value }` 无效：“{ $reason }”
clap-value-required = `{ $arg }` 需要一个值，但没有给出
clap-too-many-values = `{ $arg }` 多出了一个值 `{ $value }`，它不再接受更多的值
clap-invalid-subcommand = 无法识别的命令 `{ $name }`
clap-missing-subcommand = `{ $name }` 需要一个命令，但没有给出
clap-missing-required = 缺少下面这些必需的参数：
clap-used-twice = 参数 `{ $arg }` 不能多次使用
clap-conflict = 参数 `{ $arg }` 不能和 `{ $other }` 一起使用
clap-similar-subcommand = 提示：有一个相似的命令：{ $names }
clap-similar-argument = 提示：有一个相似的参数：{ $names }
clap-similar-value = 提示：有一个相似的值：{ $names }
clap-more-information = 想了解更多，请用 `{ $help }`。
