//! A minimal built-in function library, to be replaced by the full one. Known values only:
//! the evaluator handles unknowns, `try`/`can` and impure functions itself. Never does I/O.

use std::path::PathBuf;

use hcl::Value;

/// What functions may need from the calling module.
#[derive(Debug, Clone, Default)]
pub struct FuncContext {
    /// `path.module`, for `file()` and `templatefile()`.
    pub base_dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum FuncError {
    #[error("call to unknown function {0:?}")]
    Unknown(String),
    #[error("{func}: {reason}")]
    Invalid { func: String, reason: String },
}

const KNOWN: &[&str] = &[
    "format", "upper", "lower", "length", "join", "concat", "merge", "toset", "tomap", "tolist",
    "lookup", "keys", "values", "tostring", "tonumber",
];

const IMPURE: &[&str] = &["timestamp", "uuid", "bcrypt", "plantimestamp"];

pub fn is_known_function(name: &str) -> bool {
    KNOWN.contains(&name) || IMPURE.contains(&name)
}

pub fn is_impure(name: &str) -> bool {
    IMPURE.contains(&name)
}

fn invalid(func: &str, reason: impl Into<String>) -> FuncError {
    FuncError::Invalid {
        func: func.to_string(),
        reason: reason.into(),
    }
}

fn string_of(func: &str, v: &Value) -> Result<String, FuncError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(invalid(func, format!("a string is required, got {other}"))),
    }
}

fn sorted_set(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by_key(|a| a.to_string());
    v.dedup();
    v
}

pub fn call(name: &str, args: &[Value], _ctx: &FuncContext) -> Result<Value, FuncError> {
    let arg = |i: usize| {
        args.get(i)
            .ok_or_else(|| invalid(name, "not enough arguments"))
    };
    match name {
        "upper" => Ok(Value::String(string_of(name, arg(0)?)?.to_uppercase())),
        "lower" => Ok(Value::String(string_of(name, arg(0)?)?.to_lowercase())),
        "tostring" => match arg(0)? {
            Value::Null => Ok(Value::Null),
            v => Ok(Value::String(string_of(name, v)?)),
        },
        "tonumber" => match arg(0)? {
            Value::Number(n) => Ok(Value::Number(*n)),
            Value::String(s) => s
                .parse::<f64>()
                .ok()
                .and_then(hcl::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| invalid(name, format!("cannot convert {s:?} to a number"))),
            other => Err(invalid(name, format!("cannot convert {other} to a number"))),
        },
        "length" => match arg(0)? {
            Value::String(s) => Ok(Value::from(s.chars().count() as i64)),
            Value::Array(a) => Ok(Value::from(a.len() as i64)),
            Value::Object(o) => Ok(Value::from(o.len() as i64)),
            other => Err(invalid(name, format!("cannot take the length of {other}"))),
        },
        "join" => {
            let sep = string_of(name, arg(0)?)?;
            let mut parts = Vec::new();
            for list in &args[1..] {
                let Value::Array(items) = list else {
                    return Err(invalid(name, "lists are required"));
                };
                for i in items {
                    parts.push(string_of(name, i)?);
                }
            }
            Ok(Value::String(parts.join(&sep)))
        }
        "concat" => {
            let mut out = Vec::new();
            for list in args {
                let Value::Array(items) = list else {
                    return Err(invalid(name, "lists are required"));
                };
                out.extend(items.iter().cloned());
            }
            Ok(Value::Array(out))
        }
        "merge" => {
            let mut out = hcl::Map::new();
            for m in args {
                match m {
                    Value::Object(o) => out.extend(o.iter().map(|(k, v)| (k.clone(), v.clone()))),
                    Value::Null => {}
                    _ => return Err(invalid(name, "maps or objects are required")),
                }
            }
            out.sort_keys();
            Ok(Value::Object(out))
        }
        "toset" => match arg(0)? {
            Value::Array(a) => Ok(Value::Array(sorted_set(a.clone()))),
            other => Err(invalid(name, format!("cannot convert {other} to a set"))),
        },
        "tolist" => match arg(0)? {
            Value::Array(a) => Ok(Value::Array(a.clone())),
            other => Err(invalid(name, format!("cannot convert {other} to a list"))),
        },
        "tomap" => match arg(0)? {
            Value::Object(o) => Ok(Value::Object(o.clone())),
            other => Err(invalid(name, format!("cannot convert {other} to a map"))),
        },
        "keys" => match arg(0)? {
            Value::Object(o) => {
                let mut k: Vec<_> = o.keys().cloned().collect();
                k.sort();
                Ok(Value::Array(k.into_iter().map(Value::String).collect()))
            }
            other => Err(invalid(name, format!("a map is required, got {other}"))),
        },
        "values" => match arg(0)? {
            Value::Object(o) => {
                let mut kv: Vec<_> = o.iter().collect();
                kv.sort_by(|a, b| a.0.cmp(b.0));
                Ok(Value::Array(
                    kv.into_iter().map(|(_, v)| v.clone()).collect(),
                ))
            }
            other => Err(invalid(name, format!("a map is required, got {other}"))),
        },
        "lookup" => match arg(0)? {
            Value::Object(o) => {
                let key = string_of(name, arg(1)?)?;
                match (o.get(&key), args.get(2)) {
                    (Some(v), _) => Ok(v.clone()),
                    (None, Some(d)) => Ok(d.clone()),
                    (None, None) => Err(invalid(name, format!("the map has no key {key:?}"))),
                }
            }
            other => Err(invalid(name, format!("a map is required, got {other}"))),
        },
        "format" => {
            let fmt = string_of(name, arg(0)?)?;
            let mut out = String::new();
            let mut rest = args[1..].iter();
            let mut chars = fmt.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('%') => out.push('%'),
                    Some('s') | Some('d') | Some('v') => {
                        let v = rest
                            .next()
                            .ok_or_else(|| invalid(name, "not enough arguments"))?;
                        out.push_str(&string_of(name, v)?);
                    }
                    other => {
                        return Err(invalid(
                            name,
                            format!("unsupported verb %{}", other.unwrap_or(' ')),
                        ))
                    }
                }
            }
            Ok(Value::String(out))
        }
        _ => Err(FuncError::Unknown(name.to_string())),
    }
}
