//! Root module variable values, gathered with Terraform's precedence: `TF_VAR_*` environment
//! variables (lowest), `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars(.json)` in
//! lexical order, then `-var-file` and `-var` in command-line order (highest).
//!
//! Owns reading those sources and turning raw strings into values; type conversion and
//! defaults are applied by the expander, which knows the declarations.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::diag::{Diagnostic, LoadError, Snippet, SourceFile, SourcePos};
use super::eval::{Evaluator, ModuleValues, Scope};
use super::funcs::FuncContext;
use super::value::Value;

/// A `--var NAME=VALUE` or `--var-file FILE` argument, kept in command-line order because
/// that order decides which one wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarArg {
    Var { name: String, value: String },
    File(PathBuf),
}

/// A value before its declaration is known to the reader.
#[derive(Debug, Clone)]
pub enum Raw {
    /// From `-var` or `TF_VAR_`: a literal string for primitive types, HCL otherwise.
    Text(String),
    /// From a tfvars file: already a value.
    Value(Value),
}

#[derive(Debug, Clone)]
pub struct RawVar {
    pub raw: Raw,
    /// Where it came from, for messages: `TF_VAR_x`, `-var`, or the file position.
    pub origin: String,
    pub pos: Option<SourcePos>,
    pub from_cli: bool,
}

fn tfvars(
    path: &Path,
    out: &mut BTreeMap<String, RawVar>,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let origin = path.display().to_string();
    if path.extension().is_some_and(|e| e == "json") {
        let j: serde_json::Value = serde_json::from_str(&text).map_err(|e| LoadError::Json {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let serde_json::Value::Object(m) = j else {
            return Err(LoadError::Json {
                path: path.to_path_buf(),
                message: "a variables file must hold an object".into(),
            });
        };
        for (k, v) in m {
            out.insert(
                k,
                RawVar {
                    raw: Raw::Value(Value::from_json(&v)),
                    origin: origin.clone(),
                    pos: None,
                    from_cli: false,
                },
            );
        }
        return Ok(());
    }
    let file = SourceFile::new(path.to_path_buf(), text);
    let body = hcl_edit::parser::parse_body(&file.text).map_err(|e| LoadError::Syntax {
        message: e.message().to_string(),
        snippet: Snippet {
            pos: SourcePos {
                file: path.into(),
                line: e.location().line(),
                col: e.location().column(),
            },
            line: e.line().to_string(),
        },
    })?;
    let values = ModuleValues::default();
    let fc = FuncContext::default();
    let scope = Scope::constant(&values, &fc);
    for a in body.attributes() {
        use hcl_edit::Span;
        let v = Evaluator::new(&scope, &file, diags).eval(&a.value);
        out.insert(
            a.key.value().to_string(),
            RawVar {
                raw: Raw::Value(v),
                origin: origin.clone(),
                pos: Some(file.pos(a.span().map_or(0, |r| r.start))),
                from_cli: false,
            },
        );
    }
    Ok(())
}

/// Every raw root variable value, the winning source for each name.
pub fn gather(
    dir: &Path,
    args: &[VarArg],
    env: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Result<BTreeMap<String, RawVar>, LoadError> {
    let mut out = BTreeMap::new();
    for (k, v) in env {
        if let Some(name) = k.strip_prefix("TF_VAR_") {
            out.insert(
                name.to_string(),
                RawVar {
                    raw: Raw::Text(v.clone()),
                    origin: k.clone(),
                    pos: None,
                    from_cli: false,
                },
            );
        }
    }
    for f in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(f);
        if p.is_file() {
            tfvars(&p, &mut out, diags)?;
        }
    }
    let mut autos: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| LoadError::Io {
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")) && p.is_file()
        })
        .collect();
    autos.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    for p in autos {
        tfvars(&p, &mut out, diags)?;
    }
    for a in args {
        match a {
            VarArg::File(p) => {
                if !p.is_file() {
                    return Err(LoadError::Variable(format!(
                        "the variables file {} does not exist",
                        p.display()
                    )));
                }
                tfvars(p, &mut out, diags)?;
            }
            VarArg::Var { name, value } => {
                out.insert(
                    name.clone(),
                    RawVar {
                        raw: Raw::Text(value.clone()),
                        origin: "-var".into(),
                        pos: None,
                        from_cli: true,
                    },
                );
            }
        }
    }
    Ok(out)
}

/// Parses `NAME=VALUE` as `-var` does.
pub fn parse_var_arg(s: &str) -> Result<VarArg, String> {
    match s.split_once('=') {
        Some((n, v)) if !n.trim().is_empty() => Ok(VarArg::Var {
            name: n.trim().to_string(),
            value: v.to_string(),
        }),
        _ => Err(format!("{s:?} is not NAME=VALUE")),
    }
}

/// Evaluates a `-var`/`TF_VAR_` string as an HCL expression, for non-primitive types.
pub fn parse_hcl_text(
    name: &str,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Value, String> {
    let file = SourceFile::new(
        PathBuf::from(format!("<value for var.{name}>")),
        text.to_string(),
    );
    let expr = hcl_edit::parser::parse_expr(text).map_err(|e| e.message().to_string())?;
    let values = ModuleValues::default();
    let fc = FuncContext::default();
    let scope = Scope::constant(&values, &fc);
    let mut ev = Evaluator::new(&scope, &file, diags);
    let v = ev.eval(&expr);
    if ev.error_count() > 0 {
        return Err("the value could not be evaluated".into());
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_sources_win() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("terraform.tfvars"),
            "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("b.auto.tfvars"),
            "b = \"auto-b\"\nc = \"auto-b\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("a.auto.tfvars.json"),
            "{\"b\": \"auto-a\", \"c\": \"auto-a\"}",
        )
        .unwrap();
        let env = BTreeMap::from([
            ("TF_VAR_a".to_string(), "env".to_string()),
            ("TF_VAR_d".to_string(), "env".to_string()),
        ]);
        let args = vec![VarArg::Var {
            name: "c".into(),
            value: "cli".into(),
        }];
        let mut d = Vec::new();
        let got = gather(dir.path(), &args, &env, &mut d).unwrap();
        let text = |k: &str| match &got[k].raw {
            Raw::Text(t) => t.clone(),
            Raw::Value(v) => v.to_tf_string().unwrap().unwrap(),
        };
        assert_eq!(text("a"), "tfvars");
        assert_eq!(text("b"), "auto-b");
        assert_eq!(text("c"), "cli");
        assert_eq!(text("d"), "env");
    }
}
