//! Variable type constraints and Terraform's conversions to them, `optional()` defaults
//! included. Owns nothing else; a failed conversion is a message, never a panic.

use crate::config::value::Map;
use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};

use super::value::{make_set, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(BTreeMap<String, Attr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub ty: Type,
    pub optional: bool,
    pub default: Option<Value>,
}

impl Type {
    /// Whether `-var` and `TF_VAR_` values are taken literally rather than parsed as HCL.
    pub fn is_primitive(&self) -> bool {
        matches!(self, Type::String | Type::Number | Type::Bool)
    }

    /// Parses a type expression; `default` evaluates the default of an `optional()`.
    pub fn parse(
        e: &Expression,
        default: &mut dyn FnMut(&Expression) -> Value,
    ) -> Result<Type, String> {
        match e {
            Expression::Variable(v) => match v.value().as_str() {
                "any" => Ok(Type::Any),
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "list" => Ok(Type::List(Box::new(Type::Any))),
                "set" => Ok(Type::Set(Box::new(Type::Any))),
                "map" => Ok(Type::Map(Box::new(Type::Any))),
                other => Err(format!("unknown type {other:?}")),
            },
            Expression::FuncCall(f) => {
                let args: Vec<&Expression> = f.args.iter().collect();
                let one =
                    |default: &mut dyn FnMut(&Expression) -> Value| -> Result<Box<Type>, String> {
                        match args.as_slice() {
                            [a] => Ok(Box::new(Type::parse(a, default)?)),
                            _ => Err(format!("{}() takes one type", f.name.name.value().as_str())),
                        }
                    };
                match f.name.name.value().as_str() {
                    "list" => Ok(Type::List(one(default)?)),
                    "set" => Ok(Type::Set(one(default)?)),
                    "map" => Ok(Type::Map(one(default)?)),
                    "tuple" => match args.as_slice() {
                        [Expression::Array(a)] => Ok(Type::Tuple(
                            a.iter()
                                .map(|t| Type::parse(t, default))
                                .collect::<Result<_, _>>()?,
                        )),
                        _ => Err("tuple() takes a list of types".into()),
                    },
                    "object" => {
                        let [Expression::Object(o)] = args.as_slice() else {
                            return Err("object() takes an object of attribute types".into());
                        };
                        let mut attrs = BTreeMap::new();
                        for (k, v) in o.iter() {
                            let name = match k {
                                ObjectKey::Ident(i) => i.value().to_string(),
                                ObjectKey::Expression(e) => match e {
                                    Expression::String(s) => s.value().clone(),
                                    Expression::Variable(v) => v.value().to_string(),
                                    // Keywords are names too in this position.
                                    Expression::Bool(b) => b.value().to_string(),
                                    Expression::Null(_) => "null".to_string(),
                                    _ => return Err("object attribute names must be names".into()),
                                },
                            };
                            attrs.insert(name, Attr::parse(v.expr(), default)?);
                        }
                        Ok(Type::Object(attrs))
                    }
                    other => Err(format!("unknown type constructor {other}()")),
                }
            }
            _ => Err("not a type expression".into()),
        }
    }

    /// Converts `v` to this type as Terraform does for variable values.
    pub fn convert(&self, v: Value) -> Result<Value, String> {
        if matches!(v, Value::Unknown | Value::Null) {
            return Ok(v);
        }
        if matches!(v, Value::Partial(_)) && *self != Type::Any {
            return Ok(Value::Unknown);
        }
        match self {
            Type::Any => Ok(v),
            Type::String => match v.to_tf_string() {
                Ok(Some(s)) => Ok(Value::String(s)),
                Ok(None) => Ok(Value::Unknown),
                Err(t) => Err(format!("a string is required, got {t}")),
            },
            Type::Number => v
                .to_tf_number()
                .map(|n| n.map_or(Value::Unknown, Value::Number)),
            Type::Bool => v
                .to_tf_bool()
                .map(|b| b.map_or(Value::Unknown, Value::Bool)),
            Type::List(t) | Type::Set(t) => {
                let (Value::List(items) | Value::Set(items)) = v else {
                    return Err(format!("a list is required, got {}", v.type_name()));
                };
                let items = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, x)| t.convert(x).map_err(|e| format!("element {i}: {e}")))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if matches!(self, Type::Set(_)) {
                    Value::Set(make_set(items))
                } else {
                    Value::List(items)
                })
            }
            Type::Tuple(ts) => {
                let Value::List(items) = v else {
                    return Err(format!("a tuple is required, got {}", v.type_name()));
                };
                if items.len() != ts.len() {
                    return Err(format!(
                        "a tuple of {} elements is required, got {}",
                        ts.len(),
                        items.len()
                    ));
                }
                Ok(Value::List(
                    items
                        .into_iter()
                        .zip(ts)
                        .map(|(x, t)| t.convert(x))
                        .collect::<Result<_, _>>()?,
                ))
            }
            Type::Map(t) => {
                let Value::Object(m) = v else {
                    return Err(format!("a map is required, got {}", v.type_name()));
                };
                Ok(Value::Object(
                    m.into_iter()
                        .map(|(k, x)| {
                            t.convert(x)
                                .map(|x| (k.clone(), x))
                                .map_err(|e| format!("element {k:?}: {e}"))
                        })
                        .collect::<Result<_, _>>()?,
                ))
            }
            Type::Object(attrs) => {
                let Value::Object(mut m) = v else {
                    return Err(format!("an object is required, got {}", v.type_name()));
                };
                let mut out = Map::new();
                for (name, a) in attrs {
                    let val = match m.remove(name) {
                        Some(Value::Null) | None if a.optional => match &a.default {
                            Some(d) => a.ty.convert(d.clone())?,
                            None => Value::Null,
                        },
                        Some(x) => {
                            a.ty.convert(x)
                                .map_err(|e| format!("attribute {name:?}: {e}"))?
                        }
                        None => return Err(format!("attribute {name:?} is required")),
                    };
                    out.insert(name.clone(), val);
                }
                Ok(Value::Object(out))
            }
        }
    }
}

impl Attr {
    fn parse(
        e: &Expression,
        default: &mut dyn FnMut(&Expression) -> Value,
    ) -> Result<Attr, String> {
        if let Expression::FuncCall(f) = e {
            if f.name.name.value().as_str() == "optional" {
                let args: Vec<&Expression> = f.args.iter().collect();
                let ty = Type::parse(args.first().ok_or("optional() takes a type")?, default)?;
                let dflt = args.get(1).map(|d| default(d));
                return Ok(Attr {
                    ty,
                    optional: true,
                    default: dflt,
                });
            }
        }
        Ok(Attr {
            ty: Type::parse(e, default)?,
            optional: false,
            default: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(src: &str) -> Type {
        let body = hcl_edit::parser::parse_body(&format!("t = {src}\n")).unwrap();
        let e = &body.get_attribute("t").unwrap().value;
        Type::parse(e, &mut |d| {
            Value::String(d.as_str().unwrap_or("?").to_string())
        })
        .unwrap()
    }

    #[test]
    fn optional_attributes_take_their_defaults() {
        let t = ty(
            r#"object({ name = string, tier = optional(string, "std"), n = optional(number) })"#,
        );
        let v = Value::from_json(&serde_json::json!({"name": "a", "extra": 1}));
        assert_eq!(
            t.convert(v).unwrap().to_json().unwrap(),
            serde_json::json!({"name": "a", "tier": "std", "n": null})
        );
        assert!(t.convert(Value::from_json(&serde_json::json!({}))).is_err());
    }

    #[test]
    fn primitives_convert_like_terraform() {
        assert_eq!(
            ty("number").convert(Value::str("3")).unwrap(),
            Value::from(3)
        );
        assert_eq!(
            ty("string").convert(Value::from(3)).unwrap(),
            Value::str("3")
        );
        assert_eq!(
            ty("set(string)")
                .convert(Value::from_json(&serde_json::json!(["b", "a", "b"])))
                .unwrap(),
            Value::Set(vec![Value::str("a"), Value::str("b")])
        );
        assert!(ty("bool").convert(Value::str("yes")).is_err());
    }
}
