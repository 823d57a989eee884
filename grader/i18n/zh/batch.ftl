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
