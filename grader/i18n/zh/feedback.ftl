# 评分程序对一个未通过测试的说法：隐藏测试每种原因的固定句子、反馈的标签和标题、
# 测试框架写出的性质。术语见 ../GLOSSARY.md。原因名（mismatch、timeout……）
# 是报告里的固定标识，保留英文。

## 数量

seconds = { $n } 秒
bytes = { $n } 字节

## 未通过的隐藏测试：每种原因一句固定的话

hidden-mismatch = mismatch：你的程序在这里没有按约定行事
hidden-panic = panic：你的程序 panic 了
hidden-signal = signal：一个信号结束了你的程序（崩溃或 abort）
hidden-timeout = timeout：你的程序没有按时结束
hidden-output-limit = output_limit：你的程序写出的输出超过了评分程序保留的上限
hidden-not-listening = not_listening：你的服务器没有开始监听
hidden-server-exited = server_exited：测试与你的服务器通信时，它退出了
hidden-build-failed = build_failed：这个练习没有编译通过
hidden-missing = missing：提交里没有这个练习的 crate
hidden-grader-error = grader_error：评分程序没能运行这个测试（不是你的程序的错）
hidden-cpu-limit = cpu_limit：你的程序用完了它的 CPU 时间
hidden-memory-limit = memory_limit：你的程序耗尽了内存
hidden-file-size-limit = file_size_limit：你的程序写出的文件超过了大小上限
hidden-process-limit = process_limit：你的程序启动了太多进程或线程
hidden-forbidden-access = forbidden_access：沙箱拒绝了一次文件访问或程序启动
hidden-forbidden-network = forbidden_network：沙箱拒绝了一次连接（只有回环网络）
hidden-test = （隐藏测试：不显示它的输入和细节）

## 限制或沙箱为何结束了程序

limit-cpu = 它用完了 CPU 时间限制：是不是有一个从不等待、也不结束的循环？
limit-file-size = 它写出的文件超过了文件大小限制
limit-memory = 它耗尽了内存：它在无止境地分配内存，或者一次读入了整个大输入
limit-process = 它无法再启动进程或线程：达到了进程数限制
limit-network = 它试图访问回环地址以外的主机，而评分程序的网络里没有别的主机
limit-access = 沙箱拒绝了它访问一个文件或程序：它只能读写自己的测试目录，也只能运行它自己

## 测试框架写出的性质

in-situation = { $situation }：{ $sentence }
grader-error = 评分程序出错：`{ $what }`
test-never-finished = 测试没有结束，它的进程已被停止
panicked = 你的程序 panic 了：“{ $message }”
killed-by-signal = 你的程序被 { $signal } 结束了
timed-out = timeout：你的程序没有在 { $limit }内结束
output-limit = 输出超过 { $cap }：你的程序因写出太多而被停止
wrong-exit-code = 退出码为 { $actual }，应为 { $expected }
wrong-stdout = stdout 与预期输出不同
exited-before-listening = 你的程序在监听 { $addr } 之前就退出了（{ $how }）
never-listened = 你的程序没有在 { $waited }内监听 { $addr }：请绑定第一个参数给出的地址
client-never-connected = 你的程序没有在 { $waited }内连接 { $addr }：请连接第一个参数给出的地址
server-exited = 你的服务器在测试中退出了（{ $how }）；服务器必须应付每一个客户端而不退出
ended-output-limit = 输出了 { $size } 后被停止
stdout-should-be-empty = stdout 应该为空
stderr-is-empty = stderr 是空的：请在 stderr 上说明出了什么问题
stderr-does-not-mention = stderr 没有提到{ $what }
no-reply = { $waited }内没有收到回复
closed-early = 服务器在发完整个回复之前就关闭了连接
exercise-missing = 提交里没有 `{ $name }` 目录
build-failed = `{ $name }` 没有编译通过；改正显示的错误，再运行评分程序
not-run = { $reason }；它的 { $points } 分不计入总分

## 反馈各部分的标签

label-stdout = stdout
label-stderr = stderr
label-server-stdout = 服务器的 stdout
label-server-stderr = 服务器的 stderr
label-receiver-stdout = 第 { $n } 个接收者的 stdout
label-receiver-stderr = 第 { $n } 个接收者的 stderr
label-run = 运行
label-start-server = 启动你的服务器
label-server-command = 服务器
label-then-try = 然后试试
label-then-send-same = 然后发送同样的字节
label-then-send-datagram = 然后自己发送一个数据报
label-send-in-pieces = 像测试那样分段发送
label-input-file = 输入文件 { $name }

## 反馈的标题和用词

feedback-label = { $label }：
feedback-note = 提示：
feedback-transcript = 与 { $peer } 的通信记录：
feedback-sent = → 发送
feedback-received = ← 收到
feedback-shown-of = …（显示了 { $total } 中的 { $shown }）
feedback-more-lines = …（还有 { $count } 行）
feedback-diff-expected = - 预期
feedback-diff-actual = + 实际
feedback-printed-nothing = （程序什么也没有输出）
feedback-empty = （空）
feedback-no-newline = （末尾没有换行）
feedback-first-difference = 第一处不同在第 { $offset } 字节（预期 { $expected }，实际 { $actual }）
feedback-expected = 预期：
feedback-actual = 实际：

## 测试框架的句子：连接、文件、拒绝

