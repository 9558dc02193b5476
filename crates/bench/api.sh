#!/usr/bin/env bash
# The API benchmark, Cornac beside moto, as docs/benchmarks.md reports it: installs moto into
# the project's virtualenv, builds release binaries, and prints the Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/pip ] || python3 -m venv .venv
.venv/bin/pip install -q -r crates/bench/requirements.txt
cargo build --release -q -p cornac -p cornac-bench
exec target/release/cornac-bench api --cornac target/release/cornac --moto .venv/bin/moto_server "$@"
