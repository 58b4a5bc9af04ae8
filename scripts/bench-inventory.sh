#!/usr/bin/env bash
# Benchmark of `tfrecon inventory` listing 100,000 assets from the loopback Cloud Asset
# Inventory server, against a Python fetch-and-parse reference measured in the same run.
# Usage: scripts/bench-inventory.sh [N]   (builds the release binary first)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$("$root/scripts/test-env.sh")
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
exec "$venv/bin/python" "$root/scripts/bench-inventory.py" "$root/target/release/tfrecon" "${1:-100000}"
