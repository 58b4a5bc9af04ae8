//! `count`, `for_each` and OpenTofu's `enabled`: how many instances a block has and their
//! keys.
//!
//! Owns the rules Terraform applies to those values (whole numbers, maps or sets of strings,
//! no sensitive `for_each`) and the limits that keep a load bounded. It never guesses: a
//! value that is not known offline makes the expansion unknown.

use crate::config::value::Map;

use super::super::diag::Diagnostic;
use super::super::parse::Expr;
use super::super::value::{make_set, Value};
use crate::addr::InstanceKey;

/// The most instances one block may expand to. Terraform has no such limit, but a plan with
/// this many instances of one block is beyond what it handles in practice, while a typo
/// (`count = 1e9`) would exhaust memory.
pub const MAX_INSTANCES_PER_BLOCK: usize = 100_000;

/// The most resource and module instances a whole configuration may expand to.
pub const MAX_INSTANCES: usize = 2_000_000;

/// An instance key, with `count.index` or `(each.key, each.value)` when the block has them.
pub type InstanceBinding = (InstanceKey, Option<Value>, Option<(Value, Value)>);

/// How a block expands.
#[derive(Debug, Clone)]
pub enum Expansion {
    Single,
    Count(usize),
    /// Key → `each.value`.
    ForEach(Vec<(String, Value)>),
    /// OpenTofu's `lifecycle { enabled = ... }`: one unkeyed instance, or none.
    Enabled(bool),
    Unknown(String),
}

impl Expansion {
    /// Each instance key with its `count.index` or `each` values.
    pub fn keys(&self) -> Vec<InstanceBinding> {
        match self {
            Expansion::Single | Expansion::Enabled(true) => vec![(InstanceKey::None, None, None)],
            Expansion::Count(n) => (0..*n)
                .map(|i| (InstanceKey::Int(i as i64), Some(Value::int(i as i64)), None))
                .collect(),
            Expansion::ForEach(kv) => kv
                .iter()
                .map(|(k, v)| {
                    (
                        InstanceKey::Str(k.clone()),
                        None,
                        Some((Value::String(k.clone()), v.clone())),
                    )
                })
                .collect(),
            Expansion::Enabled(false) | Expansion::Unknown(_) => Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Expansion::Single | Expansion::Enabled(true) => 1,
            Expansion::Count(n) => *n,
            Expansion::ForEach(kv) => kv.len(),
            Expansion::Enabled(false) | Expansion::Unknown(_) => 0,
        }
    }

    /// The value a reference to the whole block sees, from its instances' values.
    pub fn collect(&self, mut values: Vec<Value>) -> Value {
        match self {
            Expansion::Single | Expansion::Enabled(true) => values.pop().unwrap_or(Value::Unknown),
            Expansion::Enabled(false) => Value::Null,
            Expansion::Count(_) => Value::List(values),
            Expansion::ForEach(kv) => {
                Value::Object(kv.iter().map(|(k, _)| k.clone()).zip(values).collect())
            }
            Expansion::Unknown(_) => Value::Unknown,
        }
    }

    /// The value of a module call before its outputs are known: one empty object per
    /// instance (unknown when the module is not installed), filled output by output.
    pub fn skeleton(&self, installed: bool) -> Value {
        let one = || {
            if installed {
                Value::Object(Map::new())
            } else {
                Value::Unknown
            }
        };
        self.collect(self.keys().iter().map(|_| one()).collect())
    }
}

/// The part of a module call's value that holds the outputs of the instance with `key`.
pub fn slot_mut<'v>(v: &'v mut Value, key: &InstanceKey) -> Option<&'v mut Value> {
    match (v, key) {
        (v @ Value::Object(_), InstanceKey::None) => Some(v),
        (Value::List(l), InstanceKey::Int(i)) => l.get_mut(usize::try_from(*i).ok()?),
        (Value::Object(m), InstanceKey::Str(k)) => m.get_mut(k),
        _ => None,
    }
}

/// The evaluated meta-arguments of one block.
pub struct Meta<'e> {
    pub count: Option<(Value, &'e Expr)>,
    pub for_each: Option<(Value, &'e Expr)>,
    pub enabled: Option<(Value, &'e Expr)>,
    /// Whether `for_each` was computed from a sensitive value.
    pub for_each_sensitive: bool,
}

/// How a block expands, from its evaluated meta-arguments; problems become diagnostics and
/// an unknown expansion.
pub fn expansion(meta: Meta<'_>, diags: &mut Vec<Diagnostic>) -> Expansion {
    let set = [
        meta.count.as_ref().map(|c| ("count", c.1)),
        meta.for_each.as_ref().map(|c| ("for_each", c.1)),
        meta.enabled.as_ref().map(|c| ("enabled", c.1)),
    ];
    let set: Vec<(&str, &Expr)> = set.into_iter().flatten().collect();
    if set.len() > 1 {
        let names: Vec<&str> = set.iter().map(|s| s.0).collect();
        diags.push(Diagnostic::error(
            format!(
                "{} cannot be set together on one block: keep one",
                names.join(" and ")
            ),
            Some(set[0].1.snippet()),
        ));
        return Expansion::Unknown(format!("{} are all set", names.join(" and ")));
    }
    if let Some((v, c)) = meta.count {
        return count(v, c, diags);
    }
    if let Some((v, e)) = meta.enabled {
        return match v.to_tf_bool() {
            Ok(Some(b)) => Expansion::Enabled(b),
            Ok(None) => Expansion::Unknown(format!("enabled = {} is not known offline", e.text())),
            Err(m) => {
                diags.push(Diagnostic::error(
                    format!("invalid enabled argument: {m}"),
                    Some(e.snippet()),
                ));
                Expansion::Unknown("enabled is invalid".into())
            }
        };
    }
    match meta.for_each {
        Some((v, fe)) => for_each(v, fe, meta.for_each_sensitive, diags),
        None => Expansion::Single,
    }
}

fn too_many(
    n: impl std::fmt::Display,
    what: &str,
    e: &Expr,
    diags: &mut Vec<Diagnostic>,
) -> Expansion {
    diags.push(Diagnostic::error(
        format!(
            "{what} asks for {n} instances of one block; tfrecon expands at most {MAX_INSTANCES_PER_BLOCK} per block: check the value, or split the block"
        ),
        Some(e.snippet()),
    ));
    Expansion::Unknown(format!(
        "{what} is over the limit of {MAX_INSTANCES_PER_BLOCK} instances"
    ))
}

fn count(v: Value, c: &Expr, diags: &mut Vec<Diagnostic>) -> Expansion {
    // Sensitive values are allowed in count (unlike for_each), as in Terraform.
    match v.to_tf_number() {
        Ok(Some(n)) if n.is_integer() && !n.is_negative() => match n.to_i64() {
            Some(i) if i as u64 <= MAX_INSTANCES_PER_BLOCK as u64 => Expansion::Count(i as usize),
            _ => too_many(&n, &format!("count = {}", c.text()), c, diags),
        },
        Ok(Some(n)) => {
            diags.push(Diagnostic::error(
                format!("invalid count argument: it must be a whole number ≥ 0, got {n}"),
                Some(c.snippet()),
            ));
            Expansion::Unknown("count is invalid".into())
        }
        Ok(None) if v == Value::Null => {
            diags.push(Diagnostic::error(
                "invalid count argument: the value is null; a whole number is required",
                Some(c.snippet()),
            ));
            Expansion::Unknown("count is invalid".into())
        }
        Ok(None) => Expansion::Unknown(format!("count = {} is not known offline", c.text())),
        Err(e) => {
            diags.push(Diagnostic::error(
                format!("invalid count argument: {e}"),
                Some(c.snippet()),
            ));
            Expansion::Unknown("count is invalid".into())
        }
    }
}

fn for_each(v: Value, fe: &Expr, sensitive: bool, diags: &mut Vec<Diagnostic>) -> Expansion {
    if sensitive {
        // The message must not show the value: it would disclose the secret.
        diags.push(Diagnostic::error(
            "invalid for_each argument: sensitive values, or values derived from sensitive values, cannot be used as for_each arguments, because they would be exposed as resource instance keys: derive the keys from values that are not sensitive",
            Some(fe.snippet()),
        ));
        return Expansion::Unknown("for_each is sensitive".into());
    }
    let unknown = || Expansion::Unknown(format!("for_each = {} is not known offline", fe.text()));
    let len = match &v {
        Value::Object(m) => m.len(),
        Value::List(l) | Value::Set(l) => l.len(),
        _ => 0,
    };
    if len > MAX_INSTANCES_PER_BLOCK {
        return too_many(len, &format!("for_each = {}", fe.text()), fe, diags);
    }
    match v {
        // Unknown values are fine: only the keys decide the instances.
        Value::Object(m) => Expansion::ForEach(m.into_iter().collect()),
        Value::List(items) | Value::Set(items) => {
            let mut keys = Vec::new();
            for i in items {
                match i {
                    Value::String(s) => keys.push(Value::String(s)),
                    Value::Unknown => return unknown(),
                    Value::Null => {
                        diags.push(Diagnostic::error(
                            "invalid for_each set argument: it must not contain null values",
                            Some(fe.snippet()),
                        ));
                        return Expansion::Unknown("for_each is invalid".into());
                    }
                    other => {
                        diags.push(Diagnostic::error(
                            format!(
                                "invalid for_each set argument: for_each supports maps and sets of strings, but you have provided a set containing type {}",
                                other.type_name()
                            ),
                            Some(fe.snippet()),
                        ));
                        return Expansion::Unknown("for_each is invalid".into());
                    }
                }
            }
            Expansion::ForEach(
                make_set(keys)
                    .into_iter()
                    .filter_map(|k| match k {
                        Value::String(s) => Some((s.clone(), Value::String(s))),
                        _ => None,
                    })
                    .collect(),
            )
        }
        Value::Unknown | Value::Partial(_) => unknown(),
        Value::Null => {
            diags.push(Diagnostic::error(
                "invalid for_each argument: the value is null; a map, or set of strings, is allowed",
                Some(fe.snippet()),
            ));
            Expansion::Unknown("for_each is invalid".into())
        }
        other => {
            diags.push(Diagnostic::error(
                format!(
                    "invalid for_each argument: it must be a map, or set of strings, and you have provided a value of type {}",
                    other.type_name()
                ),
                Some(fe.snippet()),
            ));
            Expansion::Unknown("for_each is invalid".into())
        }
    }
}
