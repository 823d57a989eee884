# `grader batch` 给每个学生的反馈文件（OUT/feedback/<id>.md）。
# 参数已按 Markdown 转义。

md-title = # { $id } 的反馈
md-score = **得分：{ $score } / { $max }（{ $percent }%）** · 状态：{ $status }
md-graded-commit = 评测的提交是 `{ $commit }`。
md-graded-commit-at = 评测的提交是 `{ $commit }`（{ $time }）。
md-submitted-at = 提交于 { $time }。
md-late-git = 截止时间之后的提交没有评测。
md-late = 这份提交是在截止时间之后到达的。
md-not-graded = 你的提交无法评测。请解决上面的问题，然后重新提交。
md-missing = 你的提交里没有 crate `{ $name }`：它的测试没有运行。
md-build-failed = 它没有编译通过，所以它的测试都未通过。编译器的输出：
md-table-head = | 测试 | 结果 | 分数 |
md-hidden-test = { $name }（隐藏测试）
md-passed = 通过
md-failed = 未通过
md-not-run = 没有在这里运行
md-test-failed = ### { $name } 未通过

## 全班报告（OUT/report.html）

html-title = socklings · 全班报告
html-meta = 评分程序 { $version } · 随机种子 { $seed } · { $exercises } 个练习，共 { $points } 分
html-deadline = 截止时间 { $deadline }
html-summary = 全班概况
html-students = 学生
html-status-graded = 已评测
html-status-build-failed = 编译失败
html-status-empty = 空提交
html-status-error = 无法评测
html-late = 迟交
html-mean-total = 平均总分
html-median-total = 总分中位数
html-range = 最低 – 最高
html-totals = 总分分布
html-histogram-label = 总分直方图
html-bin-title = { $bin }：{ $count } 名学生
html-axis = 得分占总分的百分比
html-exercises = 练习
html-col-exercise = 练习
html-col-points = 分值
html-col-mean = 平均分
html-col-full-marks = 满分
html-col-did-not-build = 没有编译通过
html-col-missing = 缺失
html-tests = 测试（最难的在前）
html-tests-note = 在练习编译通过的学生中，未通过这个测试的比例。
html-col-test = 测试
html-col-visibility = 可见性
html-col-failed = 未通过
html-col-failure-rate = 未通过率
html-visible = 公开测试
html-hidden = 隐藏测试
html-students-heading = 学生
html-col-student = 学生
html-col-total = 总分
html-col-percent = 百分比
html-col-status = 状态
html-col-late = 迟交
html-col-commit = 提交
html-col-note = 备注
html-late-mark = 迟交
