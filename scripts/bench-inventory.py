"""Benchmark: list N Cloud Asset Inventory assets from the loopback server (tests/py/cai_server.py).

Measured in the same run, against the same pre-rendered pages:
  reference  Python: urllib fetches every page of the one asset type and json.loads it
             (no conversion, no output): the floor for "fetch and parse".
  tfrecon    `tfrecon inventory --scope gcp:projects/bench --format json > /dev/null`: every
             catalog type (batched), conversion through the catalog, sorting, JSON output.
Reports wall time, resources per second and peak RSS for each, and tfrecon / reference ratios.

Usage: python scripts/bench-inventory.py TFRECON_BINARY [N]
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
binary = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
asset_type = "compute.googleapis.com/Instance"

config = {"generate": [{"parent": "projects/bench", "count": n, "template": {
    "name": "//compute.googleapis.com/projects/bench/zones/europe-west1-b/instances/vm-{i}",
    "assetType": asset_type, "ancestors": ["projects/123", "organizations/1"],
    "updateTime": "2026-01-01T00:00:00Z",
    "resource": {"version": "v1", "discoveryName": "Instance", "location": "europe-west1-b",
                 "parent": "//cloudresourcemanager.googleapis.com/projects/123",
                 "data": {"name": "vm-{i}", "machineType": "zones/europe-west1-b/machineTypes/e2-small",
                          "status": "RUNNING", "labels": {"app": "web", "shard": "s{i}"},
                          "networkInterfaces": [{"network": "global/networks/default", "networkIP": "10.0.0.1"}]}}}}]}

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
url = f"http://127.0.0.1:{port}"
cfg = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
json.dump(config, cfg)
cfg.close()
server = subprocess.Popen([sys.executable, os.path.join(root, "tests/py/cai_server.py"),
                           "--port", str(port), "--config", cfg.name],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(cmd, env=None):
    """Runs cmd; returns (seconds, peak RSS in MiB) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{cmd[0]} failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024


REFERENCE = r'''
import json, sys, urllib.request, urllib.parse
url, t = sys.argv[1], sys.argv[2]
token, total = None, 0
while True:
    q = f"{url}/v1/projects/bench/assets?contentType=RESOURCE&pageSize=1000&assetTypes={urllib.parse.quote(t, safe='')}"
    if token:
        q += "&pageToken=" + token
    page = json.loads(urllib.request.urlopen(q).read())
    total += len(page.get("assets", []))
    token = page.get("nextPageToken")
    if not token:
        break
assert total == int(sys.argv[3]), total
'''

try:
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/_log").read()
            break
        except OSError:
            time.sleep(0.1)
    ref = [sys.executable, "-c", REFERENCE, url, asset_type, str(n)]
    measure(ref)  # warm-up: the server renders and caches every page
    env = dict(os.environ, GOOGLE_OAUTH_ACCESS_TOKEN="bench")
    tf = [binary, "inventory", "--scope", "gcp:projects/bench", "--format", "json",
          "--gcp-endpoint", url, "--gcp-requests-per-minute", "1000000", "--no-progress"]
    measure(tf, env)  # warm-up for the other batches' pages
    runs = 3
    r_t = min(measure(ref)[0] for _ in range(runs))
    r_m = measure(ref)[1]
    t_runs = [measure(tf, env) for _ in range(runs)]
    t_t = min(t for t, _ in t_runs)
    t_m = max(m for _, m in t_runs)
    print(f"assets: {n} (page size 1000), best of {runs}")
    print(f"reference (Python urllib + json.loads, fetch only): {r_t:7.2f} s  {n / r_t:9.0f} resources/s  peak {r_m:6.1f} MiB")
    print(f"tfrecon inventory --format json (all catalog types): {t_t:7.2f} s  {n / t_t:9.0f} resources/s  peak {t_m:6.1f} MiB")
    print(f"ratio tfrecon/reference: time {t_t / r_t:.2f}x, throughput {r_t / t_t:.2f}x, peak memory {t_m / r_m:.2f}x")
finally:
    server.terminate()
    server.wait()
    os.unlink(cfg.name)
