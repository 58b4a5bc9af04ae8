#!/usr/bin/env bash
# Benchmark of `tfrecon scan` on generated workloads of 1,000, 10,000 and 100,000 resource
# instances (configuration, state, inventory snapshot), against real Terraform's
# `terraform plan -refresh=false` on the same configuration and state (terraform_data), same run.
# Usage: scripts/bench-scan.sh [--sizes 1000,10000,100000] [--terraform-max 10000] [--runs 3]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$("$root/scripts/test-env.sh")
cargo build --release --quiet --locked --manifest-path "$root/Cargo.toml" --bin tfrecon
"$venv/bin/python" "$root/scripts/bench-scan.py" "$root/target/release/tfrecon" "$@"
