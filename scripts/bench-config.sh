#!/usr/bin/env bash
# Benchmark of configuration loading: tfrecon (load, evaluate, expand 100,000 instances, build
# and print the graph) against Terraform's own loader on the same generated files, same run.
# With --baseline BINARY, another tfrecon build (the previous version) is timed in the same
# run too. With --large-mb N, one generated .tf file of N MB is loaded under /usr/bin/time -v
# instead, and the wall time and peak memory are reported.
# Usage: scripts/bench-config.sh [--blocks N] [--count N] [--runs N] [--baseline BINARY]
#        scripts/bench-config.sh --large-mb 50
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$("$root/scripts/test-env.sh")
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin tfrecon
"$venv/bin/python" "$root/scripts/bench-config.py" "$root/target/release/tfrecon" "$@"
