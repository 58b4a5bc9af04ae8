//! Value helpers shared by the functions: Terraform's argument conversions, type names,
//! type unification for lists and sets, set ordering and number formatting. Never evaluates
//! expressions.

use std::cmp::Ordering;

use hcl::{Map, Number, Value};

use super::Fail;

/// Terraform's name for the type of a value as it appears in error messages. Arrays are
/// tuples and objects are objects: that is what a literal is before any conversion.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "tuple",
        Value::Object(_) => "object",
    }
}

/// A number the way Terraform prints it: integers without exponent or fraction, floats in
/// their shortest round-tripping decimal form, never in exponent notation.
pub(crate) fn number_to_string(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    // Rust's Display for f64 is the shortest round-tripping form and never uses exponents,
    // which is what Terraform's big.Float Text('f', -1) gives for values parsed from f64.
    format!("{f}")
}

pub(crate) fn num(f: f64) -> Result<Value, Fail> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| Fail::call("the result is not a finite number"))
}

pub(crate) fn int(i: i64) -> Value {
    Value::Number(Number::from(i))
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
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let valid = !body.is_empty()
        && body
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if !valid {
        return None;
    }
    if let Ok(i) = s.parse::<i64>() {
        return Some(Number::from(i));
    }
    s.parse::<f64>().ok().and_then(Number::from_f64)
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
        Value::Number(n) => Ok(*n),
        Value::String(s) => parse_decimal(s).ok_or_else(|| Fail::arg(i, "a number is required")),
        _ => Err(Fail::arg(i, "a number is required")),
    }
}

pub(crate) fn float(args: &[Value], i: usize) -> Result<f64, Fail> {
    Ok(number(args, i)?.as_f64().unwrap_or(0.0))
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
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    (f.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f))
        .then_some(f as i64)
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
        Value::Array(a) => Ok(a),
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
        Value::Array(_) => Some(Kind::Array),
        Value::Object(_) => Some(Kind::Object),
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
            Value::Array(a) => Value::Array(it.by_ref().take(a.len()).collect()),
            Value::Object(o) => {
                Value::Object(o.keys().cloned().zip(it.by_ref().take(o.len())).collect())
            }
            other => other.clone(),
        })
        .collect()
}

fn unify_tuples(values: &[Value]) -> Option<Vec<Value>> {
    let arrays: Vec<&Vec<Value>> = values.iter().filter_map(Value::as_array).collect();
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
            .map(|(r, _)| Value::Array(columns.iter().map(|c| c[r].clone()).collect()));
        return Some(
            values
                .iter()
                .map(|v| {
                    if v.is_null() {
                        Value::Null
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
    let objects: Vec<&Map<String, Value>> = values.iter().filter_map(Value::as_object).collect();
    fn key_set(o: &Map<String, Value>) -> Vec<&String> {
        let mut k: Vec<&String> = o.keys().collect();
        k.sort();
        k
    }
    let keys = key_set(objects[0]);
    if objects.iter().all(|o| key_set(o) == keys) {
        // One object type: each attribute unifies on its own.
        let mut columns: Map<String, Vec<Value>> = Map::new();
        for k in &keys {
            let column: Vec<Value> = objects.iter().map(|o| o[k.as_str()].clone()).collect();
            columns.insert((*k).clone(), unify(&column)?);
        }
        let mut r = 0;
        return Some(
            values
                .iter()
                .map(|v| {
                    if v.is_null() {
                        return Value::Null;
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
pub(crate) fn unify_map(obj: &Map<String, Value>) -> Option<Map<String, Value>> {
    let values: Vec<Value> = obj.values().cloned().collect();
    let unified = unify(&values)?;
    Some(obj.keys().cloned().zip(unified).collect())
}

/// Terraform's set order when a set becomes a list: strings lexically (by bytes), numbers
/// numerically, false before true, null last; other values by their JSON text, which is stable.
pub(crate) fn set_order(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (Value::String(x), Value::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => json_text(a).cmp(&json_text(b)),
    }
}

fn json_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// A set made from values: unified to one type, de-duplicated, in Terraform's order.
pub(crate) fn to_set(values: &[Value]) -> Option<Vec<Value>> {
    let mut out = unify(values)?;
    out.sort_by(set_order);
    out.dedup();
    Some(out)
}

/// Value equality as Terraform's `==` on values of one type: numbers by value (1 == 1.0),
/// objects whatever their attribute order, no conversion between types ("1" != 1).
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    a == b
}
