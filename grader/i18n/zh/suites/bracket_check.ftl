# bracket_check 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）和提示（`f.say(say(…))`）。引用的数据是参数，
# 不翻译（括号也是：Fluent 保留了 `{` 和 `}`）。键以本套件的前缀开头。

bracket-nc-note = 想手动试一试，就把文本用管道交给 `nc -N HOST PORT`：`-N` 在输入结束时关闭发送端，和测试的做法一样（不加它，服务器永远看不到文本的结束）
bracket-eof-note = 客户端关闭自己的发送端时文本才结束，也就是 `read` 返回 0 的时候（`read_to_end` 正是读到这时为止）；一次 `read` 可能返回文本的任意一部分
bracket-close-after-reply = 发出回复的那一行之后就关闭连接：客户端会一直读到连接关闭
bracket-closed-before-whole-text = 客户端还没发完整个文本，服务器就关闭了连接
bracket-stopped-reading = 客户端还没发完整个文本，服务器就不再读了
bracket-all-match = 括号全部配对的文本
bracket-no-brackets = 没有括号的文本
bracket-nested-pairs = 嵌套的和并列的括号对
bracket-nothing-open = 前面没有未闭合左括号的 `{ $closer }`
bracket-extra-before-unclosed = 一个未闭合的 `{ $opener }` 之前多出一个 `{ $closer }`：报告的是第一个问题
bracket-two-left-open = 两个左括号没有闭合：报告最后打开的那一个
bracket-open-pair-open = 一个未闭合的 `{ $first }`、一对配对的括号、一个未闭合的 `{ $second }`
bracket-three-and-one = 三个 `{ $opener }` 和一个 `{ $closer }`
bracket-report-last-open = 到结尾还有左括号没闭合时，报告最后打开的那一个（栈顶的那个）
bracket-closed-by = 用 `{ $closer }` 闭合的 `{ $opener }`
bracket-while-last-open = 最后一个未闭合的是 `{ $opener }` 时出现的 `{ $closer }`
bracket-match-kind = 右括号必须和最后打开的左括号种类相同；种类不同，它就在它所在的位置不匹配
bracket-after-chinese = 两个汉字（每个 { $size }）之后的 `{ $bracket }`
bracket-after-char = `{ $char }`（{ $size }）之后的 `{ $bracket }`
bracket-after-emoji = emoji（每个 { $size }）之后的 `{ $bracket }`
bracket-full-width = 全角的 `{ $pair }` 不是括号
bracket-count-chars = 位置按字符数而不是字节数计算：用 `text.chars().enumerate()`，而不是 `char_indices` 或者字节偏移
bracket-empty-text = 空文本（客户端一连上就关闭了发送端）
bracket-four-pieces = 分四段、中间有停顿发送的文本
bracket-problem-in-last-piece = 分三段发送、问题出在最后一段的文本
bracket-utf8-cut = 一次发送的边界可能落在一个 UTF-8 字符的中间：先收齐所有字节，再一次性解码（每次 `read` 单独解码会把字符拆坏）
bracket-cut-in-chinese = 分五段发送、每段都断在一个汉字中间的文本
bracket-cut-e-and-emoji = 分三段发送的 `{ $text }`，把 `{ $char }` 和 emoji 都切开了
bracket-unclosed = 一个未闭合的 `{ $opener }`
bracket-lone = 单独一个 `{ $closer }`
bracket-extra = 多出来的一个 `{ $closer }`
bracket-while-open = `{ $opener }` 还没闭合时出现的 `{ $closer }`
bracket-pieces-apart = 分三段发送、每段间隔 { $pause }的文本
bracket-pause-not-end = 停顿不管多长，都不是文本的结束：一直读到 `read` 返回 0，不要设置读超时
bracket-random-matched = 括号全部配对的随机文本
bracket-random-nothing-open = 出现了前面没有未闭合左括号的右括号的随机文本
bracket-random-wrong-kind = 右括号种类不对的随机文本
bracket-random-left-open = 有几个左括号没有闭合的随机文本
bracket-random-one-open = 有一个 `{ $opener }` 没有闭合的随机文本
bracket-large-text = 一段 { $size } 的、含多字节字符的文本，分很多次写出
bracket-vanishing-client = 客户端消失只会结束它自己的连接：`read` 或 `write` 出错时在 stderr 上报告，服务器接着 accept 下一个
bracket-after-abrupt-clients = 几个客户端不读回复就关闭、一连上就关闭、重置连接之后发来的文本

# 会话读的是什么，供 `Session::expect_bytes` 使用：它目前接受的是英文文本，
# 所以在它改为接受句子之前，这里仍以英文显示。
bracket-reply = 回复
