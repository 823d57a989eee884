#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image
# (Ubuntu): it installs the Rust toolchain, fetches the crates the exercises
# may use, and builds the grader, so that grading a submission builds only
# the student's crates.
set -euxo pipefail

SOURCE="${AUTOGRADER_ROOT:-/autograder}/source"

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl gcc libc6-dev

if ! command -v cargo >/dev/null; then
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
    sh -s -- -y --profile minimal --default-toolchain stable
fi
# shellcheck disable=SC1091
. "$HOME/.cargo/env"

cd "$SOURCE/socklings"
# Every crate the course allows is fetched now: grading builds offline.
cargo fetch
cargo build --release -p grader
