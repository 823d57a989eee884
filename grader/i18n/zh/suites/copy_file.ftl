# copy_file 测试套件自己的话：性质所处的情境（`.context(say(…))`）、性质
# （`Failure::mismatch(say(…))`）和提示（`f.say(say(…))`）。引用的数据是参数，
# 不翻译。键以本套件的前缀开头。

copyf-dest-after-run = 运行之后的 `DEST_DIR`
copyf-longer = 副本比 `SRC` 长了 { $excess }：每次只写 `read` 返回的那 `n` 个字节（`&buf[..n]`），并且要清空已经存在的副本（`File::create` 会清空）
copyf-stops-after = 副本只复制了 { $copied }（共 { $total }）：要一直读到 `read` 返回 0 为止
copyf-not-created = 没有创建副本：副本应该是 `DEST_DIR/<SRC 的文件名>`
copyf-expected-file = 应该有文件 `{ $path }`
copyf-cannot-read = 无法读取副本：`{ $error }`
copyf-file = 文件：`{ $path }`
copyf-not-regular = 副本不是普通文件
copyf-differs = 副本与 `SRC` 不同
copyf-binary = `SRC` 是二进制文件（包含每一种字节值和不是 UTF-8 的字节，末尾没有换行符）：要按字节复制，不要当文本
copyf-empty = `SRC` 是空文件
copyf-file-name-only = `{ $src }` 要复制为 `{ $copy }`
copyf-absolute = `SRC` 是绝对路径 `{ $src }`：副本应该是 `{ $copy }`
copyf-src-changed = `SRC` 本身被改动了：副本的路径是 `DEST_DIR` 加上 `SRC` 的文件名（`Path::file_name`），只加文件名；`join` 一个绝对路径会把 `DEST_DIR` 整个替换掉
copyf-spaces-chinese = `SRC` 和 `DEST_DIR` 的名字里都有空格和中文
copyf-replaces-longer = `DEST_DIR` 里已经有一个更长的 `{ $name }`：要把它整个替换掉
copyf-missing-src = `SRC`（`{ $src }`）不存在
copyf-created-without-src = `SRC` 不存在，`DEST_DIR` 里却创建了文件：要先打开 `SRC`，再创建副本
copyf-src-is-directory = `SRC`（`{ $src }`）是一个目录：它能打开，但读取会出错
copyf-created-unreadable-src = `SRC` 不能当作文件来读，`DEST_DIR` 里却创建了东西：创建副本之前，先确认 `SRC` 是什么（`metadata().is_file()`），或者先从它读一次
copyf-missing-dest = `DEST_DIR`（`{ $dest }`）不存在
copyf-buffer-sizes = 大小在常用缓冲区大小附近的二进制文件
copyf-large = 复制一个 { $size } 的文件
copyf-peak-memory = 复制 { $size } 的文件时峰值内存为 { $peak }，超过了 { $limit } 的上限：要通过一个固定大小的缓冲区流式复制，不要把整个文件读进内存
