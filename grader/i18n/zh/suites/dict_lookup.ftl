# dict_lookup 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）和提示（`f.say(say(…))`）。引用的数据是参数，
# 不翻译。键以本套件的前缀开头。

dict-looking-up = 查找 `{ $word }`
dict-must-not-match = `{ $word }` 不能匹配 `{ $entry }`
dict-only-a-prefix = `{ $word }` 只是一些词条的前缀
dict-prefix-of = `{ $entry }` 是 `{ $word }` 的前缀
dict-case-not = 区分大小写：`{ $word }` 不是 `{ $entry }`
dict-not-first-in-file = `{ $word }` 不是 `{ $entry }`，后者在文件里排在前面
dict-spelled-capital = 词典里的 `{ $word }` 是大写字母开头的
dict-only-capital = 区分大小写：唯一的词条是大写字母开头的 `{ $entry }`
dict-neither = 区分大小写：`{ $word }` 既不是 `{ $first }` 也不是 `{ $second }`
dict-between-two-entries = 排在两个词条之间的单词
dict-after-last-entry = 排在最后一个词条之后的单词
dict-missing-path = 不存在的词典的路径
dict-unreadable-path = 无法读取的词典的路径
dict-directory = DICT 是一个目录：读取它会出错，而读取出错不等于读到了词典末尾
dict-crlf = 以 \r\n 结尾的行
dict-after-blank = 空行之后的一行
dict-lf = 以 \n 结尾的行
dict-last-without-newline = 没有换行符的最后一行
dict-between-entries = 排在词条之间的单词
dict-first-word = 第一个单词
dict-middle-word = 中间的单词
dict-last-word = 最后一个单词
dict-before-first = 排在第一个单词之前的单词
dict-after-last = 排在最后一个单词之后的单词
dict-fifo-never-ends = 词典是一个永远读不到文件末尾的 FIFO：各行是有序的，所以读到第一个比 WORD 大的单词（或 WORD 本身）时就要停止读取
dict-trailing-spaces-crlf = 一行的释义以两个空格结尾，后面是 \r\n：只去掉行尾换行符
dict-trailing-tab = 一行的释义以制表符结尾：只去掉行尾换行符
dict-trailing-space = 一行的释义以一个空格结尾：只去掉行尾换行符
