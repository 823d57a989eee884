#!/bin/sh
# Three receivers share one port and one sender reaches them all.
# Run it from exercises/broadcast once both programs work:
#     sh demo.sh [PORT]
set -u
PORT=${1:-9000}
cargo build -q --bins || exit 1
out=$(mktemp -d)
pids=""
for i in 1 2 3; do
    # `cargo run` becomes the program, so `$!` is the receiver itself.
    cargo run -q --bin broadcast_recv -- "$PORT" > "$out/receiver$i" &
    pids="$pids $!"
done
sleep 1
cargo run -q --bin broadcast_send -- "127.255.255.255:$PORT" "大家好，这是一条广播" 3
echo "broadcast_send exited with $?"
sleep 1
kill $pids
for i in 1 2 3; do
    echo "== receiver $i"
    cat "$out/receiver$i"
done
rm -rf "$out"
