//! timeout_probe ADDR TIMEOUT_MS: send `PING\n` to ADDR and wait at most
//! TIMEOUT_MS for one reply line.
//! The full contract is in README.md (README.zh.md in Chinese).
use std::env;
use std::process;
use std::time::Duration;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: timeout_probe ADDR TIMEOUT_MS");
        process::exit(2);
    }
    let addr = &args[1];
    let Ok(ms) = args[2].parse::<u64>() else {
        eprintln!(
            "timeout_probe: TIMEOUT_MS must be a number, not {:?}",
            args[2]
        );
        process::exit(2);
    };
    let timeout = Duration::from_millis(ms);
    // TODO: connect to ADDR (nothing listens: print `refused`, exit 4), send
    // `PING\n`, and read until a `\n` arrives: print `reply: ` and the line
    // without its `\n`, exit 0. If no full line has arrived `timeout` after
    // connecting, print `timeout` and exit 3. One deadline for the whole wait:
    // before each read, `set_read_timeout` to the time that is left.
    todo!("probe {addr} with a timeout of {timeout:?}")
}
