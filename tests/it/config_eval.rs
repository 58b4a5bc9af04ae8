//! The expression evaluator against Terraform and HCL's own specification: differential
//! cases over what evaluation must get exactly right (numbers, sets, templates, try/can,
//! heredocs, conditionals), the native-syntax cases of HCL's specification suite, and
//! sensitive values kept out of every diagnostic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl_edit::structure::Body;
use hcl_edit::Span;
use tfrecon::config::funcs::{self, FuncContext};
use tfrecon::config::{self, LoadOptions, Map, Severity, Type, Value};

use crate::support;

macro_rules! eval_differential_cases {
    ($($case:ident),* $(,)?) => {
        mod differential {
            $(
                #[test]
                fn $case() {
                    crate::config::differential(stringify!($case));
                }
            )*
        }
    };
}

eval_differential_cases!(
    eval_big_numbers,
    eval_decimal_arithmetic,
    eval_keys_from_numbers,
    eval_try_can_chains,
    eval_templatefile_functions,
    eval_templatestring,
    eval_for_over_sets,
    eval_heredoc_flush_directives,
    eval_heredoc_flush_plain,
    eval_conditional_multiline,
    eval_repeated_keys,
    eval_conditional_types,
    eval_modulo_floor,
    eval_cidr_math,
    eval_setproduct_for_each,
    eval_json_yaml_numbers,
    eval_number_formatting,
    eval_range_steps,
    eval_parseint_hex,
    eval_sum_min_max,
    eval_grouped_for,
    eval_strip_markers,
    eval_templatefile_strip,
    eval_lookup_element,
    eval_conversions,
    eval_object_key_expressions,
    eval_negative_zero,
    eval_count_index_precision,
    eval_module_numbers,
    eval_set_variables,
);

// ---- sensitive values never reach a diagnostic

const MARKER: &str = "s3cr3t-mk-q7x";
const MARKER_PLAIN: &str = "pl41n-mk-z9w";

#[test]
fn diagnostics_never_show_a_sensitive_value() {
    let dir = support::repo().join("testdata/funcs/sensitive/secret");
    let opts = LoadOptions {
        env: Some(BTreeMap::from([
            ("TF_VAR_secret".to_string(), MARKER.to_string()),
            ("TF_VAR_plain".to_string(), MARKER_PLAIN.to_string()),
        ])),
        ..Default::default()
    };
    let (_, diags) = config::load(&dir, &opts).expect("the configuration loads");
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    // Every erroring expression of the fixture reports something: the test looks at them.
    assert!(errors >= 20, "only {errors} errors: {diags:#?}");
    for d in &diags {
        let text = format!("{d:?}").to_lowercase();
        for marker in [MARKER, MARKER_PLAIN] {
            assert!(
                !text.contains(marker),
                "a diagnostic shows the sensitive value: {d:#?}"
            );
        }
    }
    // The same expressions over a value that is not sensitive do show it: the fixture's
    // messages would leak without redaction.
    let dir = support::repo().join("testdata/funcs/sensitive/plain");
    let (_, diags) = config::load(&dir, &opts).expect("the configuration loads");
    let shown = diags
        .iter()
        .filter(|d| format!("{d:?}").to_lowercase().contains(MARKER_PLAIN))
        .count();
    assert!(shown >= 5, "only {shown} diagnostics show the plain value");
}

// ---- HCL's specification suite (native syntax)

/// The variables the specification suite's runner gives expressions.
fn spec_variables() -> Map<Value> {
    Map::from([
        ("bar".to_string(), Value::str("Bar")),
        ("space_bar".to_string(), Value::str("  Bar")),
    ])
}

/// A body as the suite's runner sees it without a schema: attributes by name, blocks nested
/// under their type and then each label.
fn body_value(text: &str, body: &Body) -> Result<Value, String> {
    let ctx = FuncContext::default();
    let mut out = Map::new();
    for a in body.attributes() {
        let span = a.value.span().ok_or("an attribute without a span")?;
        let v = funcs::evaluate_str(&text[span], &spec_variables(), &ctx)
            .map_err(|e| format!("{}: {e}", a.key.as_str()))?;
        out.insert(a.key.as_str().to_string(), v);
    }
    for b in body.blocks() {
        let mut inner = body_value(text, &b.body)?;
        for label in b.labels.iter().rev() {
            inner = Value::Object(Map::from([(label.as_str().to_string(), inner)]));
        }
        let slot = out
            .entry(b.ident.as_str().to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let (Value::Object(slot), Value::Object(inner)) = (slot, inner) {
            slot.extend(inner);
        }
    }
    Ok(Value::Object(out))
}

/// What a `.t` file expects: a result of a type, or an error diagnostic at a line.
enum Expect {
    Result { value: Value, ty: Type },
    Error,
}

fn expectation(t: &Path) -> Expect {
    let text = std::fs::read_to_string(t).unwrap();
    let body = hcl_edit::parser::parse_body(&text).unwrap();
    if body.get_blocks("diagnostics").next().is_some() {
        return Expect::Error;
    }
    let ty_expr = &body.get_attribute("result_type").unwrap().value;
    // `inferred` is the suite's name for "no conversion".
    let ty_text = text[ty_expr.span().unwrap()].replace("inferred", "any");
    let ty_expr = hcl_edit::parser::parse_expr(&ty_text).unwrap();
    let ty = Type::parse(&ty_expr, &mut |_| Value::Null).unwrap();
    let result = &body.get_attribute("result").unwrap().value;
    let value = funcs::evaluate_str(
        &text[result.span().unwrap()],
        &Map::new(),
        &FuncContext::default(),
    )
    .unwrap();
    Expect::Result { value, ty }
}

/// Whether `got` has every attribute `want` has, with equal values (the heredoc case's `.t`
/// predates two of its `.hcl`'s attributes).
fn covers(got: &Value, want: &Value, path: &str, diffs: &mut Vec<String>) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                match g.get(k) {
                    Some(gv) => covers(gv, wv, &format!("{path}.{k}"), diffs),
                    None => diffs.push(format!("{path}.{k}: missing")),
                }
            }
        }
        _ if got == want => {}
        _ => diffs.push(format!(
            "{path}: got {}, want {}",
            got.to_json_text().unwrap_or_default(),
            want.to_json_text().unwrap_or_default()
        )),
    }
}

/// Runs one case; `Err` says how it failed. `excepted` are the documented differences
/// (`file: path`) that do not count.
fn run_spec_case(hcl: &Path, rel: &str, excepted: &mut Vec<String>) -> Result<(), String> {
    let text = std::fs::read_to_string(hcl).unwrap();
    let name = hcl.file_stem().unwrap().to_string_lossy().to_string();
    let t = hcl.with_extension("t");
    let parsed = hcl_edit::parser::parse_body(&text);
    let expect = if t.exists() {
        expectation(&t)
    } else if name.ends_with("_bad") || name.ends_with("_invalid") {
        Expect::Error
    } else {
        // A case without expectations must parse and evaluate.
        Expect::Result {
            value: Value::Null,
            ty: Type::Any,
        }
    };
    match (expect, parsed) {
        (Expect::Error, Ok(_)) => Err("parsed, but the suite expects an error".into()),
        (Expect::Error, Err(_)) => Ok(()),
        (Expect::Result { .. }, Err(e)) => Err(format!("does not parse: {e}")),
        (Expect::Result { value, ty }, Ok(body)) => {
            let got = body_value(&text, &body)?;
            if value == Value::Null {
                return Ok(());
            }
            let got = ty.convert(got).map_err(|e| format!("result type: {e}"))?;
            let want = ty.convert(value).unwrap();
            let mut diffs = Vec::new();
            covers(&got, &want, "result", &mut diffs);
            diffs.retain(|d| {
                let path = d.split(": ").next().unwrap_or_default();
                let known = SPEC_EXCEPTIONS.contains(&format!("{rel}: {path}").as_str());
                if known {
                    excepted.push(format!("{rel}: {d}"));
                }
                !known
            });
            if diffs.is_empty() {
                Ok(())
            } else {
                Err(diffs.join("\n  "))
            }
        }
    }
}

fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            spec_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "hcl") {
            out.push(p);
        }
    }
}

/// The differences vendor/README.md documents, as `file: attribute path`: each is a
/// place where the suite's stored expectation is older than the cty in Terraform 1.15,
/// and where tfrecon gives what Terraform gives (checked in testdata/funcs/cases.txt).
const SPEC_EXCEPTIONS: &[&str] = &["expressions/operators.hcl: result.arithmetic.mod_frac"];

#[test]
fn hcl_specification_suite_native_syntax() {
    let root = support::repo().join("testdata/hclspec");
    let mut files = Vec::new();
    spec_files(&root, &mut files);
    files.sort();
    assert!(files.len() >= 14, "only {} cases", files.len());
    let mut failures = Vec::new();
    let mut excepted = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().to_string();
        if let Err(e) = run_spec_case(f, &rel, &mut excepted) {
            failures.push(format!("{rel}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} specification cases fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    // Every documented exception still happens: one that no longer does must go.
    assert_eq!(
        excepted.len(),
        SPEC_EXCEPTIONS.len(),
        "documented exceptions that no longer happen: {excepted:?}"
    );
}
