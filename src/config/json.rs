//! Terraform's JSON configuration syntax (`*.tf.json`), rewritten to the native syntax so that
//! one parser and one evaluator serve both. Owns only that rewrite. Strings stay templates, as
//! the JSON syntax specifies; positions inside a `.tf.json` file are approximate.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value as J;

use super::diag::LoadError;

/// Block types whose first level of keys are labels, and how many labels they take.
fn labels_of(block: &str) -> usize {
    match block {
        "resource" | "data" | "ephemeral" | "action" => 2,
        "module" | "variable" | "output" | "provider" | "check" | "backend" => 1,
        _ => 0,
    }
}

/// Keys inside a body that are nested blocks rather than attributes.
fn is_nested_block(key: &str) -> bool {
    matches!(
        key,
        "lifecycle"
            | "provisioner"
            | "connection"
            | "backend"
            | "required_providers"
            | "cloud"
            | "precondition"
            | "postcondition"
    )
}

/// Attributes whose strings are expressions (references, types) rather than templates.
fn is_raw_expr(key: &str) -> bool {
    matches!(
        key,
        "type" | "depends_on" | "provider" | "providers" | "to" | "from" | "ignore_changes"
    )
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn value(v: &J, raw: bool, out: &mut String) {
    match v {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Number(n) => out.push_str(&n.to_string()),
        J::String(s) if raw => {
            let inner = s
                .strip_prefix("${")
                .and_then(|s| s.strip_suffix('}'))
                .unwrap_or(s);
            out.push_str(inner);
        }
        J::String(s) => out.push_str(&quote(s)),
        J::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                value(x, raw, out);
            }
            out.push(']');
        }
        J::Object(m) => {
            out.push_str("{\n");
            for (k, x) in m {
                let _ = write!(out, "{} = ", quote(k));
                value(x, raw, out);
                out.push('\n');
            }
            out.push('}');
        }
    }
}

fn body(block_type: &str, v: &J, out: &mut String, path: &Path) -> Result<(), LoadError> {
    let J::Object(m) = v else {
        return Err(json_err(
            path,
            format!("the body of a {block_type} block must be an object"),
        ));
    };
    for (k, x) in m {
        if k == "//" {
            continue;
        }
        if is_nested_block(k) || k == "dynamic" {
            let n = if k == "dynamic" || k == "provisioner" {
                1
            } else {
                labels_of(k)
            };
            blocks(k, n, x, &[], out, path)?;
        } else if block_type == "locals" || !matches!(x, J::Object(_)) || k != "content" {
            let _ = write!(out, "{k} = ");
            value(x, is_raw_expr(k) && block_type != "locals", out);
            out.push('\n');
        } else {
            blocks(k, 0, x, &[], out, path)?;
        }
    }
    Ok(())
}

fn blocks(
    kind: &str,
    n: usize,
    v: &J,
    labels: &[&str],
    out: &mut String,
    path: &Path,
) -> Result<(), LoadError> {
    if labels.len() == n {
        let bodies: Vec<&J> = match v {
            J::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for b in bodies {
            out.push_str(kind);
            for l in labels {
                let _ = write!(out, " {}", quote(l));
            }
            out.push_str(" {\n");
            body(kind, b, out, path)?;
            out.push_str("}\n");
        }
        return Ok(());
    }
    let J::Object(m) = v else {
        return Err(json_err(
            path,
            format!("a {kind} block must be an object keyed by its labels"),
        ));
    };
    for (label, inner) in m {
        let mut next = labels.to_vec();
        next.push(label);
        blocks(kind, n, inner, &next, out, path)?;
    }
    Ok(())
}

fn json_err(path: &Path, message: String) -> LoadError {
    LoadError::Json {
        path: path.to_path_buf(),
        message,
    }
}

/// The native-syntax text of a `.tf.json` file.
pub fn to_native(path: &Path, text: &str) -> Result<String, LoadError> {
    let root: J = serde_json::from_str(text).map_err(|e| json_err(path, e.to_string()))?;
    let J::Object(m) = &root else {
        return Err(json_err(path, "the top level must be an object".into()));
    };
    let mut out = String::new();
    for (kind, v) in m {
        if kind == "//" {
            continue;
        }
        blocks(kind, labels_of(kind), v, &[], &mut out, path)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ephemeral_and_action_blocks_take_two_labels() {
        let text = r#"{"action": {"test_action": {"a": {}}}, "ephemeral": {"random_password": {"p": {"length": 8}}}}"#;
        let native = to_native(Path::new("main.tf.json"), text).unwrap();
        assert!(
            native.contains("action \"test_action\" \"a\" {"),
            "{native}"
        );
        assert!(
            native.contains("ephemeral \"random_password\" \"p\" {"),
            "{native}"
        );
    }

    #[test]
    fn resources_and_variables_become_blocks() {
        let text = r#"{"variable": {"n": {"type": "number", "default": 2}},
                       "resource": {"terraform_data": {"a": {"count": "${var.n}", "input": "x-${count.index}"}}}}"#;
        let native = to_native(Path::new("main.tf.json"), text).unwrap();
        let body = hcl_edit::parser::parse_body(&native).unwrap();
        let blocks: Vec<_> = body.blocks().map(|b| b.ident.value().to_string()).collect();
        assert_eq!(blocks, ["variable", "resource"]);
        assert!(native.contains("type = number"), "{native}");
        assert!(native.contains(r#"input = "x-${count.index}""#), "{native}");
    }
}
