# copy_dir 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）和提示（`f.say(say(…))`）。引用的数据是参数，
# 不翻译。键以本套件的前缀开头。

copyd-src-before-run = 运行之前的 `SRC_DIR`
copyd-dest-before-run = 运行之前的 `DEST_DIR`
copyd-missing-from-dest = `DEST_DIR` 里缺少的
copyd-unexpected-in-dest = `DEST_DIR` 里多出来的
copyd-dest-not-created = 没有创建 `DEST_DIR`（`{ $dest }`）
copyd-dest-cannot-list = 无法列出 `DEST_DIR`（`{ $dest }`）的内容：`{ $error }`
copyd-missing = `DEST_DIR` 里应该有 { $expected } 个文件，缺少了其中 { $missing } 个
copyd-holds-directory = `DEST_DIR` 里有一个目录：只复制 `SRC_DIR` 里的普通文件，不复制它的子目录
copyd-holds-extra = `DEST_DIR` 里多了 { $extra } 项不该有的东西：只复制普通文件（以及指向普通文件的链接）
copyd-copy-cannot-read = 无法读取 `DEST_DIR` 里的一个副本：`{ $error }`
copyd-file = 文件：`{ $name }`
copyd-copy-is-link = `DEST_DIR` 里的一个副本是符号链接：要把链接目标的内容复制到一个普通文件里
copyd-copy-not-regular = `DEST_DIR` 里的一个副本不是普通文件
copyd-copy-differs = `DEST_DIR` 里的一个副本与它的源文件不同
copyd-longer = 副本比源文件长了 { $excess }：每次只写 `read` 返回的那 `n` 个字节（`&buf[..n]`），并且要清空已经存在的文件（`File::create` 会清空）
copyd-stops-after = 副本只复制了 { $copied }（共 { $total }）：要一直读到 `read` 返回 0 为止
copyd-print-nothing = 成功时什么都不输出
copyd-subdirectories = `SRC_DIR` 里有子目录，子目录不复制
copyd-skip-links = `SRC_DIR` 里有一个失效的链接和一个指向目录的链接：跳过它们
copyd-links = 指向文件的链接复制成普通文件；失效的链接和指向目录的链接都跳过
copyd-overwrites = `DEST_DIR` 里已经有同名而且更长的文件
copyd-other-changed = `DEST_DIR` 里一个不属于 `SRC_DIR` 的文件被改动了：只能替换从 `SRC_DIR` 复制过来的文件
copyd-create-parents = `DEST_DIR` 和它的上级目录都不存在：要全部创建
copyd-inside-first-run = `DEST_DIR`（`{ $dest }`）位于 `SRC_DIR`（`{ $src }`）之内（第一次运行：它还不存在）
copyd-inside-second-run = `DEST_DIR`（`{ $dest }`）位于 `SRC_DIR`（`{ $src }`）之内（同一条命令第二次运行：它已经存在，里面有副本）
copyd-link-is-same = `{ $link }` 是指向 `{ $target }` 的符号链接：它们是同一个目录
copyd-same-directory = `{ $first }` 和 `{ $second }` 是同一个目录
copyd-src-file-changed = `SRC_DIR` 里的一个文件被改动了：要在以写方式打开任何文件之前就拒绝（用 `fs::canonicalize` 规范化两个目录之后再比较）
copyd-no-src = `SRC_DIR` 不存在
copyd-src-is-file = `SRC_DIR` 是普通文件，不是目录
copyd-src-changed = `SRC_DIR` 被改动了：要在写任何东西之前就拒绝
copyd-fifo = `SRC_DIR` 里有一个 FIFO，它不是普通文件
copyd-fifo-waits = 以读方式打开 FIFO（命名管道）要等到有写入方为止，在这里会一直等下去：只复制 `fs::metadata(&path).is_ok_and(|m| m.is_file())` 认定为普通文件的东西
copyd-buffer-sizes = 大小在常用缓冲区大小附近的二进制文件
copyd-many-files = { $count } 个名字里带空格和非 ASCII 字符的文件
copyd-large = 复制一个 { $size } 的文件
copyd-large-differs = { $size } 的文件的副本与源文件不同
copyd-peak-memory = 复制 { $size } 的文件时峰值内存为 { $peak }，超过了 { $limit } 的上限：每个文件都要通过一个固定大小的缓冲区分块流式复制，不要整个读进内存
