#!/bin/sh
# Small servers to try timeout_probe against, one connection each.
#
#   ./servers.sh KIND [PORT]     then, in another terminal:
#   cargo run -q -p timeout_probe -- 127.0.0.1:PORT 1000
#
# KIND is how the server behaves once it has read `PING`:
#   reply    answers `PONG` at once
#   pieces   answers in three pieces, 0.3 s apart (a UTF-8 character split)
#   late     answers after 2 s (try TIMEOUT_MS 1000, then 3000)
#   silent   never answers
#   trickle  sends `x` every 0.2 s and never ends the line
#
# It uses OpenBSD netcat (`nc`, as on Debian and Ubuntu); with Nmap's ncat,
# replace `nc -l 127.0.0.1 "$port"` by `ncat -l 127.0.0.1 "$port"`. Stop it
# with Ctrl-C. What the client sends appears on this terminal.
kind=$1
port=${2:-9000}
case $kind in
    reply) (printf 'PONG\n'; sleep 60) ;;
    pieces) (printf 'PONG \344\275'; sleep 0.3; printf '\240\345\245\275'; sleep 0.3; printf '\n'; sleep 60) ;;
    late) (sleep 2; printf 'PONG, a little late\n'; sleep 60) ;;
    silent) sleep 60 ;;
    trickle) (while :; do printf x || exit; sleep 0.2; done) ;;
    *)
        echo "usage: $0 reply|pieces|late|silent|trickle [PORT]" >&2
        exit 2
        ;;
esac | nc -l 127.0.0.1 "$port"
