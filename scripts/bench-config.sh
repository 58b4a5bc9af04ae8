#!/usr/bin/env bash
# Benchmark of configuration loading: tfrecon (load, evaluate, expand 100,000 instances, build
# and print the graph) against Terraform's own loader on the same generated files, same run.
# Usage: scripts/bench-config.sh [--blocks N] [--count N] [--runs N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$("$root/scripts/test-env.sh")
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin tfrecon
"$venv/bin/python" "$root/scripts/bench-config.py" "$root/target/release/tfrecon" "$@"
