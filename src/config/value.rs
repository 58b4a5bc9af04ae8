//! Configuration values as the evaluator sees them, with *unknown* as a value of its own.
//!
//! Owns conversion to and from JSON and `hcl::Value`. It must never turn an unknown into a
//! guessed value: anything that contains an unknown converts to JSON only through
//! [`Value::to_json_marked`], which writes the marker explicitly.

use std::collections::BTreeMap;
use std::fmt;

/// The JSON key that marks an unknown value in [`Value::to_json_marked`] output.
pub const UNKNOWN_MARKER: &str = "$unknown";

/// A value of the Terraform language. Lists, tuples and sets are all `List` (sets sorted and
/// de-duplicated); maps and objects are both `Object`, whose keys are kept in lexical order as
/// Terraform iterates them.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
    /// An object of which only some attributes are known: a resource instance, whose
    /// arguments set in configuration are known and whose other attributes are computed by
    /// the provider. Reading an attribute it lacks gives [`Value::Unknown`].
    Partial(BTreeMap<String, Value>),
    /// Not knowable offline: computed by a provider, read from the cloud, or depending on
    /// such a value.
    Unknown,
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// Whether this value is unknown or contains an unknown anywhere inside.
    pub fn has_unknown(&self) -> bool {
        match self {
            Value::Unknown | Value::Partial(_) => true,
            Value::List(v) => v.iter().any(Value::has_unknown),
            Value::Object(m) => m.values().any(Value::has_unknown),
            _ => false,
        }
    }

    pub fn is_known(&self) -> bool {
        !self.has_unknown()
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) | Value::Partial(_) => "object",
            Value::Unknown => "unknown",
        }
    }

    /// The JSON form of a wholly known value; `None` when anything inside is unknown.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_json(*n),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(v) => {
                serde_json::Value::Array(v.iter().map(Value::to_json).collect::<Option<_>>()?)
            }
            Value::Object(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Unknown | Value::Partial(_) => return None,
        })
    }

    /// The JSON form with every unknown written as `{"$unknown": true}`.
    pub fn to_json_marked(&self) -> serde_json::Value {
        match self {
            Value::Unknown => serde_json::json!({ UNKNOWN_MARKER: true }),
            Value::List(v) => {
                serde_json::Value::Array(v.iter().map(Value::to_json_marked).collect())
            }
            Value::Object(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), v.to_json_marked()))
                    .collect(),
            ),
            other => other.to_json().unwrap_or(serde_json::Value::Null),
        }
    }

    pub fn from_json(j: &serde_json::Value) -> Value {
        match j {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(v) => Value::List(v.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// The `hcl::Value` the function library takes; `None` when anything is unknown.
    pub fn to_hcl(&self) -> Option<hcl::Value> {
        Some(match self {
            Value::Null => hcl::Value::Null,
            Value::Bool(b) => hcl::Value::Bool(*b),
            Value::Number(n) => hcl::Value::Number(hcl_number(*n)),
            Value::String(s) => hcl::Value::String(s.clone()),
            Value::List(v) => {
                hcl::Value::Array(v.iter().map(Value::to_hcl).collect::<Option<_>>()?)
            }
            Value::Object(m) => hcl::Value::Object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_hcl()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Unknown | Value::Partial(_) => return None,
        })
    }

    pub fn from_hcl(v: &hcl::Value) -> Value {
        match v {
            hcl::Value::Null => Value::Null,
            hcl::Value::Bool(b) => Value::Bool(*b),
            hcl::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            hcl::Value::String(s) => Value::String(s.clone()),
            hcl::Value::Array(v) => Value::List(v.iter().map(Value::from_hcl).collect()),
            hcl::Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::from_hcl(v)))
                    .collect(),
            ),
        }
    }

    /// Terraform's conversion of a primitive to a string (template interpolation, `string`
    /// type constraints). `Err` names the type that cannot convert.
    pub fn to_tf_string(&self) -> Result<Option<String>, &'static str> {
        match self {
            Value::String(s) => Ok(Some(s.clone())),
            Value::Number(n) => Ok(Some(format_number(*n))),
            Value::Bool(b) => Ok(Some(b.to_string())),
            Value::Unknown => Ok(None),
            other => Err(other.type_name()),
        }
    }

    /// Terraform's conversion to a number (strings holding a number convert).
    pub fn to_tf_number(&self) -> Result<Option<f64>, String> {
        match self {
            Value::Number(n) => Ok(Some(*n)),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .map(Some)
                .map_err(|_| format!("a number is required, got the string {s:?}")),
            Value::Unknown => Ok(None),
            other => Err(format!("a number is required, got {}", other.type_name())),
        }
    }

    /// Terraform's conversion to a bool (`"true"` and `"false"` convert).
    pub fn to_tf_bool(&self) -> Result<Option<bool>, String> {
        match self {
            Value::Bool(b) => Ok(Some(*b)),
            Value::String(s) if s == "true" => Ok(Some(true)),
            Value::String(s) if s == "false" => Ok(Some(false)),
            Value::Unknown => Ok(None),
            other => Err(format!("a bool is required, got {}", other.type_name())),
        }
    }
}

/// Numbers print as Terraform prints them: integers without a fractional part.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn number_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

fn hcl_number(n: f64) -> hcl::Number {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        hcl::Number::from(n as i64)
    } else {
        hcl::Number::from_f64(n).unwrap_or_else(|| hcl::Number::from(0))
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json_marked())
    }
}

/// The order Terraform gives set elements: numbers numerically, strings lexically, others by
/// their JSON text (stable, if not Terraform's hash order).
pub fn set_order(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.total_cmp(y),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

/// Sorts and de-duplicates, as a set conversion does.
pub fn make_set(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by(set_order);
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_never_becomes_json() {
        let v = Value::List(vec![Value::str("a"), Value::Unknown]);
        assert_eq!(v.to_json(), None);
        assert_eq!(
            v.to_json_marked(),
            serde_json::json!(["a", {"$unknown": true}])
        );
    }

    #[test]
    fn integral_numbers_print_without_fraction() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(1.5), "1.5");
        assert_eq!(Value::Number(2.0).to_json(), Some(serde_json::json!(2)));
    }
}
