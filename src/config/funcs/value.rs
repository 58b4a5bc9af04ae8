//! Value helpers shared by the functions: Terraform's argument conversions, type names,
//! type unification for lists and sets, set ordering and number formatting. Never evaluates
//! expressions.

use crate::config::value::Map;

use crate::config::value::{Number, Value};

use super::Fail;

/// Terraform's name for the type of a value as it appears in error messages. Arrays are
/// tuples and objects are objects: that is what a literal is before any conversion.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "tuple",
        Value::Set(_) => "set",
        Value::Object(_) | Value::Partial(_) => "object",
        Value::Unknown => "dynamic",
    }
}

/// A number the way Terraform prints it: without exponent, in the shortest form that reads
/// back as the same number.
pub(crate) fn number_to_string(n: &Number) -> String {
    n.to_string()
}

/// A result computed in 64-bit floating point (cty's `NumberFloatVal`).
pub(crate) fn num(f: f64) -> Result<Value, Fail> {
    if f.is_infinite() {
        return Err(Fail::call("the result is not a finite number"));
    }
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| Fail::call("the result is not a finite number"))
}

/// A whole number Terraform makes (lengths, indexes).
pub(crate) fn int(i: i64) -> Value {
    Value::Number(Number::int(i))
}

/// Converts a primitive to a string as Terraform's automatic conversion does; `None` for
/// null and for collections.
pub(crate) fn primitive_to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(number_to_string(n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parses a decimal number as Terraform converts strings to numbers: decimal digits with an
/// optional sign, fraction and exponent; no hex, no infinities, no surrounding spaces.
pub(crate) fn parse_decimal(s: &str) -> Option<Number> {
    Number::parse(s)
}

// ---- argument accessors: each names what Terraform requires in its error message.

pub(crate) fn string(args: &[Value], i: usize) -> Result<String, Fail> {
    match &args[i] {
        Value::Null => Err(Fail::arg(i, "argument must not be null")),
        v => primitive_to_string(v)
            .ok_or_else(|| Fail::arg(i, format!("string required, but have {}", type_name(v)))),
    }
}

pub(crate) fn number(args: &[Value], i: usize) -> Result<Number, Fail> {
    match &args[i] {
        Value::Null => Err(Fail::arg(i, "argument must not be null")),
        Value::Number(n) => Ok(n.clone()),
        Value::String(s) => parse_decimal(s).ok_or_else(|| Fail::arg(i, "a number is required")),
        _ => Err(Fail::arg(i, "a number is required")),
    }
}

pub(crate) fn float(args: &[Value], i: usize) -> Result<f64, Fail> {
    Ok(number(args, i)?.to_f64())
}

/// A whole number argument; Terraform's message for a fraction comes from the call.
pub(crate) fn whole(args: &[Value], i: usize) -> Result<i64, Fail> {
    let n = number(args, i)?;
    as_whole(&n).ok_or_else(|| {
        Fail::call(
            "value must be a whole number, between -9223372036854775808 and 9223372036854775807",
        )
    })
}

pub(crate) fn as_whole(n: &Number) -> Option<i64> {
    n.to_i64()
}

pub(crate) fn boolean(args: &[Value], i: usize) -> Result<bool, Fail> {
    match &args[i] {
        Value::Null => Err(Fail::arg(i, "argument must not be null")),
        Value::Bool(b) => Ok(*b),
        Value::String(s) => string_to_bool(s).ok_or_else(|| Fail::arg(i, "a bool is required")),
        v => Err(Fail::arg(
            i,
            format!("bool required, but have {}", type_name(v)),
        )),
    }
}

/// Terraform's string-to-bool conversion: "true" and "1", "false" and "0".
pub(crate) fn string_to_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

pub(crate) fn not_null(args: &[Value], i: usize) -> Result<&Value, Fail> {
    match &args[i] {
        Value::Null => Err(Fail::arg(i, "argument must not be null")),
        v => Ok(v),
    }
}

/// A list, set or tuple argument (all arrays here).
pub(crate) fn array<'a>(args: &'a [Value], i: usize, what: &str) -> Result<&'a Vec<Value>, Fail> {
    match &args[i] {
        Value::Null => Err(Fail::arg(i, "argument must not be null")),
        Value::List(a) | Value::Set(a) => Ok(a),
        _ => Err(Fail::arg(i, what.to_string())),
    }
}

/// A list of strings: every element converted, none null.
pub(crate) fn string_list(args: &[Value], i: usize) -> Result<Vec<String>, Fail> {
    let list = array(args, i, "list of string required")?;
    list.iter()
        .enumerate()
        .map(|(n, v)| match v {
            Value::Null => Err(Fail::arg(i, format!("element {n} is null"))),
            v => primitive_to_string(v).ok_or_else(|| {
                Fail::arg(
                    i,
                    format!("element {n}: string required, but have {}", type_name(v)),
                )
            }),
        })
        .collect()
}

// ---- type unification: what a list, set or map of "any single type" becomes.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Bool,
    Number,
    String,
    Array,
    Object,
}

fn kind(v: &Value) -> Option<Kind> {
    match v {
        Value::Null => None,
        Value::Bool(_) => Some(Kind::Bool),
        Value::Number(_) => Some(Kind::Number),
        Value::String(_) => Some(Kind::String),
        Value::List(_) | Value::Set(_) => Some(Kind::Array),
        Value::Object(_) | Value::Partial(_) => Some(Kind::Object),
        Value::Unknown => None,
    }
}

/// Converts the elements of a collection to one common type as Terraform does when a tuple
/// becomes a list or set, or an object a map: primitives mixed with strings become strings;
/// tuples of one length unify position by position, of several lengths element by element;
/// objects with the same attributes unify attribute by attribute, others become maps of
/// one element type. Numbers with bools, or primitives with collections, have no common
/// type: `None`. Nulls stay null.
pub(crate) fn unify(values: &[Value]) -> Option<Vec<Value>> {
    let kinds: Vec<Kind> = values.iter().filter_map(kind).collect();
    let Some(&first) = kinds.first() else {
        return Some(values.to_vec());
    };
    let structural = matches!(first, Kind::Array | Kind::Object);
    if structural && values.iter().any(Value::is_null) {
        // A null literal has no type to unify with a tuple or an object.
        return None;
    }
    if kinds.iter().all(|k| *k == first) {
        return match first {
            Kind::Array => unify_tuples(values),
            Kind::Object => unify_objects(values),
            _ => Some(values.to_vec()),
        };
    }
    let all_primitive = kinds
        .iter()
        .all(|k| matches!(k, Kind::Bool | Kind::Number | Kind::String));
    if all_primitive && kinds.contains(&Kind::String) {
        return Some(
            values
                .iter()
                .map(|v| match v {
                    Value::Null => Value::Null,
                    v => Value::String(primitive_to_string(v).unwrap_or_default()),
                })
                .collect(),
        );
    }
    None
}

/// Rebuilds `values` with the elements of each non-null collection replaced, in order,
/// from `unified`.
fn refill(values: &[Value], unified: Vec<Value>) -> Vec<Value> {
    let mut it = unified.into_iter();
    values
        .iter()
        .map(|v| match v {
            Value::List(a) => Value::List(it.by_ref().take(a.len()).collect()),
            Value::Set(a) => Value::Set(it.by_ref().take(a.len()).collect()),
            Value::Object(o) => {
                Value::Object(o.keys().cloned().zip(it.by_ref().take(o.len())).collect())
            }
            other => other.clone(),
        })
        .collect()
}

fn unify_tuples(values: &[Value]) -> Option<Vec<Value>> {
    let arrays: Vec<&Vec<Value>> = values.iter().filter_map(Value::as_seq).collect();
    let len = arrays[0].len();
    if arrays.iter().all(|a| a.len() == len) {
        // One tuple type: each position unifies on its own.
        let mut columns = Vec::with_capacity(len);
        for p in 0..len {
            let column: Vec<Value> = arrays.iter().map(|a| a[p].clone()).collect();
            columns.push(unify(&column)?);
        }
        let mut rows = arrays
            .iter()
            .enumerate()
            .map(|(r, _)| Value::List(columns.iter().map(|c| c[r].clone()).collect()));
        return Some(
            values
                .iter()
                .map(|v| {
                    // Nulls and unknowns (of no tuple type yet) stay as they are.
                    if v.as_seq().is_none() {
                        v.clone()
                    } else {
                        rows.next().unwrap_or(Value::Null)
                    }
                })
                .collect(),
        );
    }
    let inner: Vec<Value> = arrays.iter().flat_map(|a| a.iter().cloned()).collect();
    Some(refill(values, unify(&inner)?))
}

fn unify_objects(values: &[Value]) -> Option<Vec<Value>> {
    let objects: Vec<&Map<Value>> = values.iter().filter_map(Value::as_object).collect();
    fn key_set(o: &Map<Value>) -> Vec<&String> {
        let mut k: Vec<&String> = o.keys().collect();
        k.sort();
        k
    }
    let keys = key_set(objects[0]);
    if objects.iter().all(|o| key_set(o) == keys) {
        // One object type: each attribute unifies on its own.
        let mut columns: Map<Vec<Value>> = Map::new();
        for k in &keys {
            let column: Vec<Value> = objects.iter().map(|o| o[k.as_str()].clone()).collect();
            columns.insert((*k).clone(), unify(&column)?);
        }
        let mut r = 0;
        return Some(
            values
                .iter()
                .map(|v| {
                    // Nulls, unknowns and partly known objects stay as they are.
                    if v.as_object().is_none() {
                        return v.clone();
                    }
                    let row = keys
                        .iter()
                        .map(|k| ((*k).clone(), columns[k.as_str()][r].clone()))
                        .collect();
                    r += 1;
                    Value::Object(row)
                })
                .collect(),
        );
    }
    // Different attributes: maps of one element type.
    let inner: Vec<Value> = objects.iter().flat_map(|o| o.values().cloned()).collect();
    Some(refill(values, unify(&inner)?))
}

/// Unifies the values of an object into a map of one type.
pub(crate) fn unify_map(obj: &Map<Value>) -> Option<Map<Value>> {
    let values: Vec<Value> = obj.values().cloned().collect();
    let unified = unify(&values)?;
    Some(obj.keys().cloned().zip(unified).collect())
}

/// A set made from values: unified to one type, de-duplicated, in Terraform's order.
pub(crate) fn to_set(values: &[Value]) -> Option<Vec<Value>> {
    Some(crate::config::value::make_set(unify(values)?))
}

/// Value equality as Terraform's `==` on values of one type: numbers by value (1 == 1.0),
/// objects whatever their attribute order, no conversion between types ("1" != 1).
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    a == b
}

/// The value with every set written as a list: encodings see no difference.
pub(crate) fn sets_as_lists(v: &Value) -> Value {
    match v {
        Value::List(items) | Value::Set(items) => {
            Value::List(items.iter().map(sets_as_lists).collect())
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), sets_as_lists(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}
