# hole_file 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）和提示（`f.say(say(…))`）。引用的数据是参数，
# 不翻译。键以本套件的前缀开头。

hole-not-created = 没有创建 `PATH`
hole-missing = 不存在：`{ $path }`
hole-cannot-read = 无法读取 `PATH`：`{ $error }`
hole-file = 文件：`{ $path }`
hole-not-regular = `PATH` 不是普通文件
hole-too-long = 文件多了 { $excess }：内容应该是 `START`、`GAP` 个 0 字节和 `END`，一共 5 + `GAP` + 3 字节
hole-too-short = 文件少了 { $lack }：内容应该是 `START`、`GAP` 个 0 字节和 `END`，一共 5 + `GAP` + 3 字节
hole-bad-start = 文件不是以 `START` 开头的
hole-not-zeros = 空洞读出来不全是 0：`START` 之后的 `GAP` 个字节必须都是 0
hole-bad-end = 文件没有在空洞之后紧接着以 `END` 结尾
hole-sizes = `GAP` = { $gap }：应为 5 + { $gap } + 3 = { $wanted } 字节，实际是 { $actual } 字节
hole-gap = `GAP` = { $gap }
hole-in-subdirectory = `PATH` 位于一个已经存在的子目录中
hole-replaces-longer = `PATH` 原来是一个更长的文件：要整个替换掉，而不是在原处覆盖
hole-gap-not-a-number = `GAP` 为 `{ $gap }`，不是数字
hole-gap-empty = `GAP` 为 `{ $gap }`，是空字符串
hole-gap-negative = `GAP` 为 `{ $gap }`，是负数
hole-gap-missing = 缺少 `GAP`（只给了一个参数）
hole-gap-u64-max = `GAP` 为 { $gap }，任何文件都装不下（这是 `u64::MAX`：强制转换成 `i64` 就是 -1，偏移量会退回到 `START` 里面）
hole-gap-i64-min = `GAP` 为 { $gap }，任何文件都装不下（这是 `i64::MAX + 1`：强制转换成 `i64` 就是 `i64::MIN`）
hole-gap-minus-five = `GAP` 为 { $gap }，任何文件都装不下（这是 `u64::MAX - 4`：强制转换成 `i64` 就是 -5，偏移量会退回到文件开头）
hole-gap-beyond-u64 = `GAP` 为 { $gap }，任何文件都装不下（连 `u64` 都放不下）
hole-offset-is-i64 = 文件偏移量是 `i64`：用 `i64::try_from` 转换 `GAP`，装不下就拒绝（`as` 会把很大的 `u64` 绕回成负数）；`seek` 或 `write` 失败时退出码为 2
hole-not-sparse = 空洞为 { $gap } 的文件在磁盘上占用了 { $size }，超过了 { $limit } 的上限：它不是稀疏文件。请用 `seek` 把文件偏移量移到末尾之后，而不是写入一个个 0
hole-random-gap = 随机的 `GAP`
hole-no-such-directory = `PATH` 所在的目录不存在
