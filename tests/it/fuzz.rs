//! Fuzzing by property, in the normal test binary: the state reader, the snapshot reader and the
//! configuration loader are given arbitrary bytes and mutations of the repository's real inputs
//! (state files, inventory snapshots, `.tf` fixtures). Each must answer with a value or an error
//! that says something; it must never panic and never hang.
//!
//! By default each target runs a bounded number of cases. `TFRECON_FUZZ_SECONDS=N` runs each
//! for about N seconds instead (`.ci/run` does, briefly). A failure prints the smallest input
//! proptest found; it then belongs in this file's regression cases, with the fix.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

use crate::support::repo;

/// Longer than any input here should take, short enough to call it a hang.
const CASE_TIMEOUT: Duration = Duration::from_secs(20);

/// One way to change an input: an operation, two positions (taken modulo the length) and a
/// token from the target's dictionary.
#[derive(Debug, Clone)]
struct Mutation {
    op: u8,
    a: usize,
    b: usize,
    token: usize,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (0u8..6, any::<usize>(), any::<usize>(), any::<usize>())
        .prop_map(|(op, a, b, token)| Mutation { op, a, b, token })
}

fn apply(input: &[u8], mutations: &[Mutation], dictionary: &[&str]) -> Vec<u8> {
    let mut v = input.to_vec();
    for m in mutations {
        let len = v.len();
        let at = if len == 0 { 0 } else { m.a % (len + 1) };
        let to = if len == 0 { 0 } else { m.b % (len + 1) };
        let (lo, hi) = (at.min(to), at.max(to));
        match m.op {
            // Flip a byte.
            0 if len > 0 => v[m.a % len] ^= 1 << (m.b % 8),
            // Cut the input short.
            1 => v.truncate(at),
            // Remove a range (bounded, so that most of the structure survives).
            2 => {
                let hi = hi.min(lo + 64);
                v.drain(lo..hi);
            }
            // Insert a token that means something to the parser.
            3 | 4 => {
                let t = dictionary[m.token % dictionary.len()].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            // Repeat a range in place.
            5 => {
                let hi = hi.min(lo + 256);
                let piece = v[lo..hi].to_vec();
                v.splice(hi..hi, piece);
            }
            _ => {}
        }
    }
    v
}

/// Arbitrary bytes, or a real input with a few mutations.
fn inputs(corpus: Vec<Vec<u8>>, dictionary: &'static [&'static str]) -> BoxedStrategy<Vec<u8>> {
    let n = corpus.len();
    let mutated = (0..n, proptest::collection::vec(mutation(), 1..6))
        .prop_map(move |(i, ms)| apply(&corpus[i], &ms, dictionary));
    let tokens = proptest::collection::vec(0..dictionary.len(), 0..24).prop_map(move |ix| {
        ix.iter()
            .map(|i| dictionary[*i])
            .collect::<String>()
            .into_bytes()
    });
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..256),
        1 => tokens,
        4 => mutated,
    ]
    .boxed()
}

/// Runs `check` on another thread: a panic or a hang becomes a failure naming the input. The
/// input is first written to `target/tmp/fuzz-last-<name>`, so that one that aborts the
/// process (an allocation failure cannot be caught) is still there to be kept.
fn guarded(
    name: &str,
    input: &[u8],
    check: fn(&[u8]) -> Result<(), String>,
) -> Result<(), TestCaseError> {
    let _ = std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-last-{name}")),
        input,
    );
    let (tx, rx) = mpsc::channel();
    let owned = input.to_vec();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let result = std::panic::catch_unwind(|| check(&owned));
            let _ = tx.send(result);
        })
        .unwrap();
    match rx.recv_timeout(CASE_TIMEOUT) {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(e))) => Err(TestCaseError::fail(e)),
        Ok(Err(panic)) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(TestCaseError::fail(format!("panicked: {msg}")))
        }
        Err(_) => Err(TestCaseError::fail(format!(
            "no answer within {CASE_TIMEOUT:?}: a hang"
        ))),
    }
}

/// Runs one target: `cases` cases, or as many as fit in `TFRECON_FUZZ_SECONDS`.
fn fuzz(
    name: &str,
    corpus: Vec<Vec<u8>>,
    dictionary: &'static [&'static str],
    cases: u32,
    check: fn(&[u8]) -> Result<(), String>,
) {
    assert!(!corpus.is_empty(), "{name}: the corpus is empty");
    let seconds = std::env::var("TFRECON_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok());
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs(s));
    let strategy = inputs(corpus, dictionary);
    let mut total = 0u64;
    loop {
        let mut runner = TestRunner::new(Config {
            cases: if deadline.is_some() { 200 } else { cases },
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&strategy, |input| guarded(name, &input, check));
        report(name, result);
        total += u64::from(runner.config().cases);
        match deadline {
            Some(d) if Instant::now() < d => continue,
            _ => break,
        }
    }
    if seconds.is_some() {
        eprintln!("fuzz {name}: {total} cases");
    }
}

/// Fails the test with the smallest failing input, as text and as escaped bytes.
fn report(name: &str, result: Result<(), TestError<Vec<u8>>>) {
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, input)) => panic!(
            "{name}: {reason}\n--- input ({} bytes) ---\n{}\n--- escaped ---\n{:?}",
            input.len(),
            String::from_utf8_lossy(&input),
            String::from_utf8_lossy(&input)
        ),
        Err(e) => panic!("{name}: {e}"),
    }
}

fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, keep, out);
        } else if keep(&p) {
            out.push(p);
        }
    }
}

fn corpus(dirs: &[&str], keep: &dyn Fn(&Path) -> bool) -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    for d in dirs {
        files_under(&repo().join(d), keep, &mut paths);
    }
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        // Large inputs make slow cases and mutate no better.
        .filter(|b| b.len() <= 64 * 1024)
        .collect()
}

// --- The state reader ------------------------------------------------------------------------

const STATE_TOKENS: &[&str] = &[
    "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1", "0", "1e999", "18446744073709551616",
    "\"\\ud800\"", "\"version\": 4,", "\"version\": 3,", "\"version\": 5,", "\"serial\": ",
    "\"resources\": [", "\"instances\": [", "\"index_key\": ", "\"index_key\": \"k\"",
    "\"mode\": \"data\",", "\"mode\": \"managed\",", "\"module\": \"module.a[0]\",",
    "\"module\": \"module.\",", "\"type\": \"t\",", "\"name\": \"n\",", "\"deposed\": \"d\",",
    "\"each\": \"map\",", "\"attributes\": {", "\"attributes_flat\": {",
    "\"sensitive_attributes\": [[{\"type\": \"get_attr\", \"value\": \"a\"}]],",
    "\"sensitive_attributes\": [{\"type\": \"index\", \"value\": {\"value\": 1, \"type\": \"number\"}}],",
    "\"outputs\": {\"o\": {\"value\": 1, \"type\": \"string\", \"sensitive\": true}},",
    "\"provider\": \"provider[\\\"x\\\"]\",", "\"identity\": {", "\"check_results\": [",
    "\"lineage\": \"",
];

fn check_state(bytes: &[u8]) -> Result<(), String> {
    match tfrecon::state::parse(bytes) {
        Ok(parsed) => {
            // Everything a consumer touches, lazily parsed parts included.
            let state = &parsed.state;
            let _ = state.instance_addresses();
            for (addr, _res, obj) in state.current_instances() {
                let _ = addr.to_string();
                let _ = obj.attributes();
                let _ = obj.attributes_with_secrets();
                let _ = obj.identity();
            }
            for o in state.outputs.values() {
                let _ = o.value();
            }
            for d in &parsed.diagnostics {
                if d.to_string().trim().is_empty() {
                    return Err("a diagnostic without a message".into());
                }
            }
            Ok(())
        }
        Err(e) if e.to_string().trim().is_empty() => Err("an error without a message".into()),
        Err(_) => Ok(()),
    }
}

fn state_corpus() -> Vec<Vec<u8>> {
    let mut c = corpus(&["testdata", "examples"], &|p| {
        p.extension().is_some_and(|e| e == "tfstate")
    });
    c.extend(STATE_REGRESSIONS.iter().map(|s| s.as_bytes().to_vec()));
    c
}

/// Inputs that once crashed or hung the state reader.
const STATE_REGRESSIONS: &[&str] = &[];

#[test]
fn fuzz_state_reader() {
    fuzz("state", state_corpus(), STATE_TOKENS, 256, check_state);
}

// --- The snapshot reader ---------------------------------------------------------------------

const SNAPSHOT_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "\n",
    "null",
    "0",
    "-1",
    "1e999",
    "\"\\ud800\"",
    "\"name\": \"//storage.googleapis.com/b\",",
    "\"assetType\": \"storage.googleapis.com/Bucket\",",
    "\"asset_type\": \"iam.googleapis.com/ServiceAccount\",",
    "\"resource\": {\"data\": {",
    "\"iamPolicy\": {\"bindings\": [{\"role\": \"roles/x\", \"members\": [\"user:a\"]}]},",
    "\"ancestors\": [\"projects/1\"],",
    "\"location\": \"EU\",",
    "\"project\": \"projects/1\",",
    "\"additionalAttributes\": {",
    "\"version\": 1,",
    "\"version\": 2,",
    "\"resources\": [",
    "\"errors\": [",
    "\"cloud\": \"gcp\",",
    "\"cloud\": \"aws\",",
    "\"native_type\": \"x\",",
    "\"source\": \"file:x\",",
    "\"complete\": true,",
    "//",
    "projects/",
    "/",
    "{i}",
    "\"name\": \"//cloudresourcemanager.googleapis.com/projects/123\",",
];

fn check_snapshot(bytes: &[u8]) -> Result<(), String> {
    use tfrecon::inventory::gcp::asset::Converter;
    use tfrecon::inventory::snapshot::{parse, Snapshot};
    let text = String::from_utf8_lossy(bytes);
    match parse(&text, Path::new("fuzz.json")) {
        Ok(Snapshot::Assets(assets)) => {
            let mut c = Converter::new(tfrecon::catalog::Catalog::gcp());
            for a in assets {
                c.push(a, "file:fuzz.json", None);
            }
            let _ = c.finish();
            Ok(())
        }
        Ok(Snapshot::Inventory(_)) => Ok(()),
        Err(e) if e.to_string().trim().is_empty() => Err("an error without a message".into()),
        Err(_) => Ok(()),
    }
}

fn snapshot_corpus() -> Vec<Vec<u8>> {
    let mut c = corpus(&["testdata/snapshots", "examples"], &|p| {
        p.extension().is_some_and(|e| e == "json" || e == "ndjson")
    });
    c.extend(SNAPSHOT_REGRESSIONS.iter().map(|s| s.as_bytes().to_vec()));
    c
}

/// Inputs that once crashed or hung the snapshot reader.
const SNAPSHOT_REGRESSIONS: &[&str] = &[];

#[test]
fn fuzz_snapshot_reader() {
    fuzz(
        "snapshot",
        snapshot_corpus(),
        SNAPSHOT_TOKENS,
        256,
        check_snapshot,
    );
}

// --- The configuration loader ----------------------------------------------------------------

const HCL_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "=",
    ",",
    "\n",
    ".",
    "*",
    "...",
    "?",
    ":",
    "!",
    "-",
    "${",
    "%{",
    "%{ for x in [1] }",
    "%{ endfor }",
    "<<EOT\n",
    "\nEOT\n",
    "<<-X\n",
    "#",
    "//",
    "/*",
    "*/",
    "var.",
    "local.",
    "module.",
    "each.key",
    "each.value",
    "count.index",
    "self.",
    "path.module",
    "terraform.workspace",
    "data.",
    "null",
    "true",
    "0",
    "-1",
    "9999999999999999999",
    "1e308",
    "0.5",
    "\"\\u00e9\"",
    "\"\\ud800\"",
    "count = ",
    "for_each = ",
    "depends_on = [",
    "provider = ",
    "source = \"./m\"",
    "[for x in [1, 2]: x]",
    "{for k, v in {a = 1}: k => v...}",
    "x => y",
    "[*]",
    ".*",
    "resource \"t\" \"n\" {",
    "module \"m\" {",
    "variable \"v\" {",
    "locals {",
    "output \"o\" {",
    "data \"t\" \"n\" {",
    "dynamic \"b\" {",
    "content {",
    "moved {",
    "import {",
    "removed {",
    "lifecycle {",
    "default = ",
    "type = ",
    "map(string)",
    "object({a = number})",
    "any",
    "range(",
    "length(",
    "lookup(",
    "element(",
    "try(",
    "can(",
    "format(\"%d\", ",
    "cidrsubnet(",
    "jsonencode(",
    "jsondecode(",
    "regex(",
    "templatefile(",
    "file(",
    "setproduct(",
    "flatten(",
    "merge(",
    "zipmap(",
    "tostring(",
    "tonumber(",
    "/ 0",
    "% 0",
];

fn check_config(bytes: &[u8]) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    std::fs::write(dir.path().join("main.tf"), bytes).map_err(|e| e.to_string())?;
    let opts = tfrecon::config::LoadOptions {
        env: Some(Default::default()),
        workspace: Some("default".into()),
        ..Default::default()
    };
    match tfrecon::config::load(dir.path(), &opts) {
        Ok((_, diags)) => {
            for d in &diags {
                if d.to_string().trim().is_empty() {
                    return Err("a diagnostic without a message".into());
                }
            }
            Ok(())
        }
        Err(e) if e.to_string().trim().is_empty() => Err("an error without a message".into()),
        Err(_) => Ok(()),
    }
}

fn config_corpus() -> Vec<Vec<u8>> {
    let mut c = corpus(&["testdata/config", "testdata/state", "examples"], &|p| {
        p.extension().is_some_and(|e| e == "tf")
    });
    c.extend(CONFIG_REGRESSIONS.iter().map(|s| s.as_bytes().to_vec()));
    c
}

/// Inputs that once crashed or hung the configuration loader.
const CONFIG_REGRESSIONS: &[&str] = &[];

#[test]
fn fuzz_configuration_loader() {
    fuzz("config", config_corpus(), HCL_TOKENS, 64, check_config);
}

// --- The configuration evaluator: valid syntax, arbitrary expressions -------------------------

/// Functions the evaluator knows, and a few it does not.
const FUNCS: &[&str] = &[
    "format",
    "formatlist",
    "join",
    "split",
    "replace",
    "lower",
    "upper",
    "title",
    "trimspace",
    "trim",
    "substr",
    "regex",
    "regexall",
    "strrev",
    "indent",
    "concat",
    "merge",
    "element",
    "length",
    "keys",
    "values",
    "flatten",
    "distinct",
    "contains",
    "coalesce",
    "coalescelist",
    "compact",
    "zipmap",
    "setproduct",
    "setsubtract",
    "range",
    "index",
    "one",
    "reverse",
    "sort",
    "chunklist",
    "transpose",
    "alltrue",
    "anytrue",
    "sum",
    "toset",
    "tolist",
    "tomap",
    "tostring",
    "tonumber",
    "tobool",
    "sensitive",
    "nonsensitive",
    "abs",
    "ceil",
    "floor",
    "pow",
    "log",
    "signum",
    "min",
    "max",
    "parseint",
    "jsonencode",
    "jsondecode",
    "yamlencode",
    "yamldecode",
    "base64encode",
    "base64decode",
    "urlencode",
    "md5",
    "sha256",
    "uuidv5",
    "file",
    "fileexists",
    "templatefile",
    "fileset",
    "abspath",
    "basename",
    "dirname",
    "formatdate",
    "timeadd",
    "cidrhost",
    "cidrnetmask",
    "cidrsubnets",
    "cidrsubnet",
    "lookup",
    "try",
    "can",
    "slice",
    "setunion",
    "setintersection",
    "type",
    "nope",
];

const LEAVES: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "255",
    "1024",
    "0.5",
    "-0",
    "1e308",
    "9007199254740993",
    "18446744073709551616",
    "null",
    "true",
    "false",
    "\"\"",
    "\"a\"",
    "\"abc\"",
    "\"%d\"",
    "\"%s-%v\"",
    "\"%999999999999d\"",
    "\"%.999999999999f\"",
    "\"%-99999999999s\"",
    "1e18",
    "\"a\\nb\"",
    "\"/dev/zero\"",
    "\"${var.s}-x\"",
    "\"%{ for c in var.l }${c}%{ endfor }\"",
    "\"%{ if var.n > 1 }y%{ else }n%{ endif }\"",
    "\"10.0.0.0/8\"",
    "\"fe80::/10\"",
    "\"2006-01-02T15:04:05Z\"",
    "\"1h\"",
    "\"[a-z]+\"",
    "\"(\"",
    "\"a,b\"",
    "\"{\\\"a\\\": 1}\"",
    "\"[1, 2\"",
    "\"a: [1, 2]\"",
    "\"\\u00e9\"",
    "\"YQ==\"",
    "\"*.tf\"",
    "\"../..\"",
    "[]",
    "{}",
    "var.n",
    "var.s",
    "var.l",
    "var.m",
    "var.o",
    "local.a",
    "local.b",
    "count.index",
    "each.key",
    "each.value",
    "terraform.workspace",
    "path.module",
    "path.root",
    "t.r",
    "t.r[0]",
    "t.r[0].name",
    "t.f",
    "module.m",
    "data.d.x.id",
    "x",
    "k",
    "self.name",
    "var.missing",
];

const OPS: &[&str] = &[
    "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||",
];

fn expression() -> BoxedStrategy<String> {
    let leaf = proptest::sample::select(LEAVES).prop_map(str::to_string);
    leaf.prop_recursive(4, 48, 4, |inner| {
        prop_oneof![
            (
                proptest::sample::select(FUNCS),
                proptest::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (inner.clone(), proptest::sample::select(OPS), inner.clone())
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(", "))),
            proptest::collection::vec(inner.clone(), 0..3).prop_map(|v| {
                let items: Vec<String> = v
                    .iter()
                    .enumerate()
                    .map(|(i, e)| format!("k{i} = {e}"))
                    .collect();
                format!("{{ {} }}", items.join(", "))
            }),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[for x in {a} : {b}]")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| { format!("{{for k, x in {a} : tostring({b}) => {c}...}}") }),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}[{b}]")),
            inner.clone().prop_map(|a| format!("{a}[*].name")),
            inner.clone().prop_map(|a| format!("{a}.*")),
            inner.clone().prop_map(|a| format!("-{a}")),
            inner.clone().prop_map(|a| format!("!{a}")),
            inner.clone().prop_map(|a| format!("\"${{{a}}}\"")),
            (inner.clone(), inner)
                .prop_map(|(a, b)| format!("\"%{{ for v in {a} }}${{{b}}}%{{ endfor }}\"")),
        ]
    })
    .boxed()
}

fn configuration() -> BoxedStrategy<Vec<u8>> {
    proptest::collection::vec(expression(), 9)
        .prop_map(|e| {
            format!(
                r#"variable "n" {{
  default = 3
}}
variable "s" {{
  default = "abc"
}}
variable "l" {{
  default = [1, 2]
}}
variable "m" {{
  default = {{ a = 1, b = "x" }}
}}
variable "o" {{
  type    = object({{ a = number, b = optional(list(string), ["z"]) }})
  default = {{ a = 1 }}
}}
locals {{
  a = {}
  b = {}
}}
resource "t" "r" {{
  count = {}
  name  = {}
}}
resource "t" "f" {{
  for_each = {}
  name     = {}
  dynamic "block" {{
    for_each = {}
    content {{
      v = block.value
    }}
  }}
}}
output "o" {{
  value = {}
}}
"#,
                e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]
            )
            .into_bytes()
        })
        .boxed()
}

/// Generated configurations that once crashed or hung the evaluator.
const EVALUATOR_REGRESSIONS: &[&str] = &[
    // A count beyond what fits in memory aborted the process (allocation failure), or
    // panicked with "capacity overflow" past i64.
    "resource \"t\" \"r\" {\n  count = 9007199254740993\n}\n",
    "resource \"t\" \"r\" {\n  count = 18446744073709551616\n}\n",
    "module \"m\" {\n  source = \"./m\"\n  count  = 1e15\n}\n",
    // A width or precision past Rust's formatter panicked; a huge one never ended.
    "locals {\n  a = format(\"%.999999999999f\", 1)\n}\n",
    "locals {\n  a = format(\"%999999999999d\", 1)\n}\n",
    "locals {\n  a = formatlist(\"%-99999999999s\", [\"x\"])\n}\n",
    // Padding built in memory aborted the process.
    "locals {\n  a = indent(1e18, \"a\\nb\")\n}\n",
    // A billion combinations never finished.
    "locals {\n  a = setproduct(range(1024), range(1024), range(1024))\n}\n",
    // Reading a device never ended.
    "locals {\n  a = file(\"/dev/zero\")\n  b = filemd5(\"/dev/zero\")\n}\n",
];

#[test]
fn fuzz_configuration_evaluator() {
    let seconds = std::env::var("TFRECON_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok());
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs(s));
    let mut total = 0u64;
    loop {
        let mut runner = TestRunner::new(Config {
            cases: if deadline.is_some() { 100 } else { 48 },
            failure_persistence: None,
            ..Config::default()
        });
        report(
            "evaluator",
            runner.run(&configuration(), |input| {
                guarded("evaluator", &input, check_config)
            }),
        );
        total += u64::from(runner.config().cases);
        match deadline {
            Some(d) if Instant::now() < d => continue,
            _ => break,
        }
    }
    if seconds.is_some() {
        eprintln!("fuzz evaluator: {total} cases");
    }
}

/// Every input that once crashed a reader, replayed on every run.
#[test]
fn fuzz_regressions() {
    for (name, cases, check) in [
        (
            "state",
            STATE_REGRESSIONS,
            check_state as fn(&[u8]) -> Result<(), String>,
        ),
        ("snapshot", SNAPSHOT_REGRESSIONS, check_snapshot),
        ("config", CONFIG_REGRESSIONS, check_config),
        ("evaluator", EVALUATOR_REGRESSIONS, check_config),
    ] {
        for (i, input) in cases.iter().enumerate() {
            if let Err(e) = guarded(name, input.as_bytes(), check) {
                panic!("{name} regression case {i}: {e}");
            }
        }
    }
}
