//! Configuration values as the evaluator sees them, with *unknown* as a value of its own.
//!
//! Owns conversion to and from JSON and `hcl::Value`, and Terraform's numbers ([`Number`],
//! cty's arbitrary-precision binary floats). It must never turn an unknown into a guessed
//! value: anything that contains an unknown converts to JSON only through
//! [`Value::to_json_marked`], which writes the marker explicitly. JSON text read with
//! [`Value::from_json_text`] keeps every digit of its numbers; `serde_json` values keep 64.

use std::fmt;

mod number;

pub use crate::map::Map;
pub use number::Number;

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Number(Number::from(i))
    }
}

impl From<f64> for Value {
    /// A 64-bit float (cty's `NumberFloatVal`); NaN becomes null.
    fn from(f: f64) -> Value {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

/// The JSON key that marks an unknown value in [`Value::to_json_marked`] output.
pub const UNKNOWN_MARKER: &str = "$unknown";

/// A value of the Terraform language. Lists and tuples are both `List`; sets are `Set`
/// (sorted, de-duplicated); maps and objects are both `Object`, whose keys are kept in
/// lexical order as Terraform iterates them.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    /// A set: elements in Terraform's order ([`set_order`]), without duplicates; unknown
    /// elements last (they may turn out equal to any other).
    Set(Vec<Value>),
    Object(Map<Value>),
    /// An object of which only some attributes are known: a resource instance, whose
    /// arguments set in configuration are known and whose other attributes are computed by
    /// the provider. Reading an attribute it lacks gives [`Value::Unknown`].
    Partial(Map<Value>),
    /// Not knowable offline: computed by a provider, read from the cloud, or depending on
    /// such a value.
    Unknown,
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// A whole number as Terraform makes them (lengths, indexes).
    pub fn int(i: i64) -> Value {
        Value::Number(Number::int(i))
    }

    /// Whether this value is unknown or contains an unknown anywhere inside.
    pub fn has_unknown(&self) -> bool {
        match self {
            Value::Unknown | Value::Partial(_) => true,
            Value::List(v) | Value::Set(v) => v.iter().any(Value::has_unknown),
            Value::Object(m) => m.values().any(Value::has_unknown),
            _ => false,
        }
    }

    pub fn is_known(&self) -> bool {
        !self.has_unknown()
    }

    /// Whether the value itself is unknown (a collection with unknown elements is known).
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown | Value::Partial(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The elements of a list, tuple or set.
    pub fn as_seq(&self) -> Option<&Vec<Value>> {
        match self {
            Value::List(v) | Value::Set(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map<Value>> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Object(_) | Value::Partial(_) => "object",
            Value::Unknown => "unknown",
        }
    }

    /// The JSON form of a wholly known value; `None` when anything inside is unknown.
    /// Integers beyond 64 bits and fractions become the nearest double: use
    /// [`Value::to_json_text`] where every digit counts.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => n
                .to_json()
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(v) | Value::Set(v) => {
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

    /// The JSON text of a wholly known value with every number exact, as Terraform writes
    /// it; `None` when anything inside is unknown.
    pub fn to_json_text(&self) -> Option<String> {
        let mut out = String::new();
        self.write_json(&mut out).then_some(out)
    }

    fn write_json(&self, out: &mut String) -> bool {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(&n.json_text()),
            Value::String(s) => out.push_str(&serde_json::Value::from(s.as_str()).to_string()),
            Value::List(v) | Value::Set(v) => {
                out.push('[');
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !x.write_json(out) {
                        return false;
                    }
                }
                out.push(']');
            }
            Value::Object(m) => {
                out.push('{');
                for (i, (k, x)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::from(k.as_str()).to_string());
                    out.push(':');
                    if !x.write_json(out) {
                        return false;
                    }
                }
                out.push('}');
            }
            Value::Unknown | Value::Partial(_) => return false,
        }
        true
    }

    /// The JSON form with every unknown written as `{"$unknown": true}`.
    pub fn to_json_marked(&self) -> serde_json::Value {
        match self {
            Value::Unknown => serde_json::json!({ UNKNOWN_MARKER: true }),
            Value::List(v) | Value::Set(v) => {
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
            serde_json::Value::Number(n) => Value::Number(Number::from_json(n)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(v) => Value::List(v.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Reads JSON text with every number exact (as cty reads it: 512-bit numbers, the last
    /// of repeated object keys). Prefer it to [`Value::from_json`] wherever the text is at
    /// hand: `serde_json` keeps only 64-bit numbers.
    pub fn from_json_text(text: &str) -> Result<Value, serde_json::Error> {
        // serde_json validates and words the errors; the exact reader then only reads.
        serde_json::from_str::<serde::de::IgnoredAny>(text)?;
        let mut r = JsonReader {
            s: text.as_bytes(),
            i: 0,
        };
        Ok(r.value())
    }

    /// The `hcl::Value` of a wholly known value; `None` when anything is unknown. Numbers
    /// beyond 64 bits become the nearest double.
    pub fn to_hcl(&self) -> Option<hcl::Value> {
        Some(match self {
            Value::Null => hcl::Value::Null,
            Value::Bool(b) => hcl::Value::Bool(*b),
            Value::Number(n) => hcl::Value::Number(hcl_number(n)),
            Value::String(s) => hcl::Value::String(s.clone()),
            Value::List(v) | Value::Set(v) => {
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
            hcl::Value::Number(n) => Value::Number(
                Number::parse(&n.to_string())
                    .or_else(|| n.as_f64().and_then(Number::from_f64))
                    .unwrap_or_default(),
            ),
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
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Bool(b) => Ok(Some(b.to_string())),
            Value::Unknown => Ok(None),
            other => Err(other.type_name()),
        }
    }

    /// Terraform's conversion to a number (strings holding a number convert).
    pub fn to_tf_number(&self) -> Result<Option<Number>, String> {
        match self {
            Value::Number(n) => Ok(Some(n.clone())),
            Value::String(s) => Number::parse(s)
                .map(Some)
                .ok_or_else(|| format!("a number is required, got the string {s:?}")),
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

/// Reads JSON that serde_json has already validated, keeping numbers exact.
struct JsonReader<'a> {
    s: &'a [u8],
    i: usize,
}

impl JsonReader<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Value {
        self.ws();
        let Some(&c) = self.s.get(self.i) else {
            return Value::Null;
        };
        match c {
            b'n' => {
                self.i += 4;
                Value::Null
            }
            b't' => {
                self.i += 4;
                Value::Bool(true)
            }
            b'f' => {
                self.i += 5;
                Value::Bool(false)
            }
            b'"' => Value::String(self.string()),
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if self.s.get(self.i) == Some(&b']') {
                        self.i += 1;
                        break;
                    }
                    items.push(self.value());
                    self.ws();
                    if self.s.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
                Value::List(items)
            }
            b'{' => {
                self.i += 1;
                let mut m = Map::new();
                loop {
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b'}') | None => {
                            self.i += 1;
                            break;
                        }
                        Some(b',') => self.i += 1,
                        _ => {
                            let k = self.string();
                            self.ws();
                            self.i += 1; // ':'
                            let v = self.value();
                            m.insert(k, v);
                        }
                    }
                }
                Value::Object(m)
            }
            _ => {
                let start = self.i;
                while self.i < self.s.len()
                    && matches!(
                        self.s[self.i],
                        b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
                    )
                {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("0");
                Value::Number(Number::parse(text).unwrap_or_default())
            }
        }
    }

    fn string(&mut self) -> String {
        // The string token, quotes included, decoded by serde_json.
        let start = self.i;
        self.i += 1;
        while self.i < self.s.len() {
            match self.s[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    break;
                }
                _ => self.i += 1,
            }
        }
        let token = std::str::from_utf8(&self.s[start..self.i.min(self.s.len())]).unwrap_or("\"\"");
        serde_json::from_str(token).unwrap_or_default()
    }
}

fn hcl_number(n: &Number) -> hcl::Number {
    if let Some(i) = n.to_i64() {
        return hcl::Number::from(i);
    }
    hcl::Number::from_f64(n.to_f64()).unwrap_or_else(|| hcl::Number::from(0))
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json_marked())
    }
}

/// The order Terraform gives set elements: numbers numerically, strings lexically (by
/// bytes), false before true, nulls and then unknowns last; other values by their JSON text
/// (stable, if not Terraform's hash order).
pub fn set_order(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let rank = |v: &Value| match v {
        Value::Unknown | Value::Partial(_) => 2,
        Value::Null => 1,
        _ => 0,
    };
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.cmp(y),
        (Value::String(x), Value::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ if rank(a) != 0 || rank(b) != 0 => rank(a).cmp(&rank(b)),
        _ => match (a.to_json_text(), b.to_json_text()) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => Ordering::Equal,
        },
    }
}

/// Sorts and de-duplicates, as a set conversion does; unknown elements are never merged.
pub fn make_set(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by(set_order);
    v.dedup_by(|a, b| a.is_known() && b.is_known() && a == b);
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
    fn numbers_print_as_terraform_prints_them() {
        let n = |s: &str| Value::Number(Number::parse(s).unwrap());
        assert_eq!(n("3").to_tf_string(), Ok(Some("3".into())));
        assert_eq!(n("1.5").to_tf_string(), Ok(Some("1.5".into())));
        assert_eq!(n("2").to_json(), Some(serde_json::json!(2)));
        assert_eq!(
            n("123456789012345678901234567890").to_json_text().unwrap(),
            "123456789012345678901234567890"
        );
    }

    #[test]
    fn json_text_keeps_every_digit() {
        let v = Value::from_json_text(
            r#"{"a": [12345678901234567890123, 0.1, "x\"y"], "a": 2, "b": -0}"#,
        )
        .unwrap();
        assert_eq!(v.to_json_text().unwrap(), r#"{"a":2,"b":0}"#);
        let v =
            Value::from_json_text(r#"[12345678901234567890123, 0.1, "x\"y\u00e9", {}]"#).unwrap();
        assert_eq!(
            v.to_json_text().unwrap(),
            r#"[12345678901234567890123,0.1,"x\"yé",{}]"#
        );
        assert!(Value::from_json_text("[1,").is_err());
    }

    #[test]
    fn sets_keep_unknowns_apart() {
        let s = make_set(vec![
            Value::Unknown,
            Value::str("b"),
            Value::Unknown,
            Value::str("a"),
            Value::str("b"),
        ]);
        assert_eq!(s.len(), 4);
        assert_eq!(s[0], Value::str("a"));
        assert!(s[3].is_unknown());
    }
}
