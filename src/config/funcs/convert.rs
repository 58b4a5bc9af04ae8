//! Type conversion functions (`tostring`, `tolist`, `toset`, `tomap`, ...) with Terraform's
//! conversion rules and messages. `sensitive` and `nonsensitive` return their argument:
//! sensitivity is tracked by the evaluator, not carried in values.

use crate::config::value::Value;

use super::value::{number_to_string, parse_decimal, to_set, type_name, unify, unify_map};
use super::{Fail, FuncContext};

type R = Result<Value, Fail>;

pub(crate) fn identity(args: &[Value], _: &FuncContext) -> R {
    Ok(args[0].clone())
}

pub(crate) fn tostring(args: &[Value], _: &FuncContext) -> R {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::String(s) => Ok(Value::String(s.clone())),
        Value::Number(n) => Ok(Value::String(number_to_string(n))),
        Value::Bool(b) => Ok(Value::String(b.to_string())),
        other => Err(Fail::arg(
            0,
            format!("cannot convert {} to string", type_name(other)),
        )),
    }
}

pub(crate) fn tonumber(args: &[Value], _: &FuncContext) -> R {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Number(n) => Ok(Value::Number(n.clone())),
        Value::String(s) => parse_decimal(s).map(Value::Number).ok_or_else(|| {
            Fail::arg(
                0,
                format!(
                    "cannot convert \"{s}\" to number; given string must be a decimal representation of a number"
                ),
            )
        }),
        other => Err(Fail::arg(0, format!("cannot convert {} to number", type_name(other)))),
    }
}

pub(crate) fn tobool(args: &[Value], _: &FuncContext) -> R {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Bool(b) => Ok(Value::Bool(*b)),
        Value::String(s) if super::value::string_to_bool(s).is_some() => {
            Ok(Value::Bool(super::value::string_to_bool(s) == Some(true)))
        }
        Value::String(s) => Err(Fail::arg(
            0,
            format!("cannot convert \"{s}\" to bool; only the strings \"true\" or \"false\" are allowed"),
        )),
        other => Err(Fail::arg(0, format!("cannot convert {} to bool", type_name(other)))),
    }
}

fn collection(args: &[Value], kind: &str) -> Result<Option<Vec<Value>>, Fail> {
    match &args[0] {
        Value::Null => Ok(None),
        Value::List(items) | Value::Set(items) => unify(items).map(Some).ok_or_else(|| {
            Fail::arg(
                0,
                format!("cannot convert tuple to {kind} of any single type"),
            )
        }),
        other => Err(Fail::arg(
            0,
            format!(
                "cannot convert {} to {kind} of any single type",
                type_name(other)
            ),
        )),
    }
}

pub(crate) fn tolist(args: &[Value], _: &FuncContext) -> R {
    Ok(collection(args, "list")?
        .map(Value::List)
        .unwrap_or(Value::Null))
}

pub(crate) fn toset(args: &[Value], _: &FuncContext) -> R {
    Ok(match collection(args, "set")? {
        Some(items) => Value::Set(to_set(&items).unwrap_or_default()),
        None => Value::Null,
    })
}

pub(crate) fn tomap(args: &[Value], _: &FuncContext) -> R {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Object(obj) => {
            let map = unify_map(obj)
                .ok_or_else(|| Fail::arg(0, "cannot convert object to map of any single type"))?;
            Ok(Value::Object(map))
        }
        other => Err(Fail::arg(
            0,
            format!(
                "cannot convert {} to map of any single type",
                type_name(other)
            ),
        )),
    }
}
