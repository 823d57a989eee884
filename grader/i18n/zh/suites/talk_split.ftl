# talk_split 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）和提示（`f.say(say(…))`）。引用的数据是参数，
# 不翻译。键以本套件的前缀开头。

talk-outside = 不能在 `OUT_DIR` 之外写任何东西
talk-dir-missing = 目录不存在
talk-does-not-exist = `{ $path }` 不存在
talk-should-not-hold = `{ $dir }` 里不应该有 { $names }
talk-should-hold = `{ $dir }` 里应该有 { $names }
talk-holds = `{ $dir }` 里现在有 { $names }
talk-holds-nothing = `{ $dir }` 里什么都没有
talk-ends-in-cr = 文件里有一行以 `\r` 结尾：要从 `TALK` 的每一行去掉整个 `\r\n` 行尾
talk-edges = 这些行只在开头或结尾的空白上不同：`WORDS` 要保留冒号之后、行尾换行符之前的每一个空格和制表符
talk-file-missing = 文件不存在
talk-not-written-no-dir = 没有写出 `{ $file }`；目录不存在
talk-not-written = 没有写出 `{ $file }`；`{ $dir }` 里现在有 { $names }
talk-not-written-empty = 没有写出 `{ $file }`；`{ $dir }` 里什么都没有
talk-file-unreadable = 文件无法读取
talk-file-error = `{ $file }`：`{ $error }`
talk-one-file-per-speaker = `OUT_DIR` 里每个说话人对应一个 `NAME.txt`，不能有别的新文件
talk-speaker-file = 说话人的文件里要按说话的先后顺序存放他的每一句 `WORDS`，每句一行
talk-left-alone = `OUT_DIR` 里不属于这次对话中任何说话人的文件要保持原样
talk-written-outside = 在 `OUT_DIR`（`{ $out }`）之外写了：{ $names }
talk-written-in-cwd = 在工作目录里写了：{ $names }
talk-needs-warning = 跳过一行时要在 `stderr` 上输出警告
talk-name-line-numbers = `stderr` 上的警告要写明每一个被跳过的行的行号（从 1 开始数，空行也算）
talk-skipped-lines = 被跳过的行：{ $all }；没有写明的：{ $missing }
talk-every-line-fine = 所有行都没问题
talk-out-dir-created = 运行之前 `OUT_DIR` 不存在
talk-older-dialogue = `OUT_DIR` 里已经有一个旧对话留下的 `{ $file }`
talk-second-run = 第二次运行，写进同一个 `OUT_DIR`
talk-crlf = 各行以 `\r\n` 结尾，最后一行没有行尾换行符
talk-stderr-empty = `stderr` 必须是空的：只含空白字符的行直接跳过，不输出任何信息
talk-blank-not-bad = 只含空白字符的行不算错误的行
talk-good-lines-written = 正确的行仍然要写出
talk-some-skipped = 有些行被跳过了
talk-out-dir-is = `OUT_DIR` 是 `{ $out }`
talk-missing-leaves-all = `TALK` 不存在时什么都不能改动，也不能创建 `OUT_DIR`
talk-out-dir-exists = `OUT_DIR` 已经存在
talk-missing-keeps-files = `TALK` 不存在，所以 `OUT_DIR` 里已有的文件要保持原样
