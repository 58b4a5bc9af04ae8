"""A fake `terraform` for testing generated import scripts: records its arguments and answers.

Each call appends its arguments as one JSON array line to $FAKE_TF_LOG.
  state show ADDR   exits 0 when ADDR equals $FAKE_TF_PRESENT (already in state), else 1
                    with Terraform's "No instance found" message
  import ADDR ID    exits 1 when ADDR equals $FAKE_TF_FAIL, else 0
  anything else     exits 0
"""
import json
import os
import sys

args = sys.argv[1:]
with open(os.environ["FAKE_TF_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(args, ensure_ascii=False) + "\n")

if args[:2] == ["state", "show"]:
    if len(args) == 3 and args[2] == os.environ.get("FAKE_TF_PRESENT"):
        print(f"# {args[2]}:\nresource \"x\" \"y\" {{}}")
        sys.exit(0)
    print("No instance found for the given address!", file=sys.stderr)
    sys.exit(1)
if args[:1] == ["import"]:
    if len(args) == 3 and args[1] == os.environ.get("FAKE_TF_FAIL"):
        print("Error: Cannot import non-existent remote object", file=sys.stderr)
        sys.exit(1)
    print("Import successful!")
sys.exit(0)
