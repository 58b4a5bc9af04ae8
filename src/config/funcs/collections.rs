//! Collection functions over lists, sets, tuples, maps and objects. Sets arrive and leave as
//! sorted, de-duplicated arrays; results that Terraform types as lists or sets have their
//! elements unified to one type first, as Terraform's conversions do.

use crate::config::value::Map;

use crate::config::value::Value;
use unicode_segmentation::UnicodeSegmentation;

use super::value::{
    array, boolean, equal, int, not_null, primitive_to_string, string, string_list, to_set,
    type_name, unify, whole,
};
use super::{Fail, FuncContext};

type R = Result<Value, Fail>;

fn sorted(obj: Map<Value>) -> Value {
    Value::Object(obj)
}

pub(crate) fn concat(args: &[Value], _: &FuncContext) -> R {
    if args.is_empty() {
        return Err(Fail::call("at least one argument is required"));
    }
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        match a {
            Value::List(items) => out.extend(items.iter().cloned()),
            Value::Null => return Err(Fail::arg(i, "argument must not be null")),
            other => {
                return Err(Fail::arg(
                    i,
                    format!(
                        "all arguments must be lists or tuples; got {}",
                        type_name(other)
                    ),
                ))
            }
        }
    }
    Ok(Value::List(out))
}

pub(crate) fn merge(args: &[Value], _: &FuncContext) -> R {
    let mut out = Map::new();
    for a in args {
        match a {
            Value::Null => {}
            Value::Object(obj) => {
                for (k, v) in obj {
                    out.insert(k.clone(), v.clone());
                }
            }
            other => {
                return Err(Fail::call(format!(
                    "arguments must be maps or objects, got \"{}\"",
                    type_name(other)
                )))
            }
        }
    }
    Ok(sorted(out))
}

pub(crate) fn lookup(args: &[Value], _: &FuncContext) -> R {
    if args.len() > 3 {
        return Err(Fail::call("lookup() takes no more than three arguments"));
    }
    let Value::Object(map) = not_null(args, 0)? else {
        return Err(Fail::arg(
            0,
            "lookup() requires a map as the first argument",
        ));
    };
    let key = string(args, 1)?;
    match (map.get(&key), args.get(2)) {
        (Some(v), _) => Ok(v.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => Err(Fail::arg(
            0,
            format!("the given object has no attribute \"{key}\""),
        )),
    }
}

pub(crate) fn element(args: &[Value], _: &FuncContext) -> R {
    let list = match not_null(args, 0)? {
        Value::List(items) => items,
        other => {
            return Err(Fail::call(format!(
                "cannot read elements from {}",
                type_name(other)
            )))
        }
    };
    let index = whole(args, 1)?;
    if list.is_empty() {
        return Err(Fail::call("cannot use element function with an empty list"));
    }
    // Terraform wraps in both directions: -1 is the last element.
    Ok(list[index.rem_euclid(list.len() as i64) as usize].clone())
}

pub(crate) fn length(args: &[Value], _: &FuncContext) -> R {
    match not_null(args, 0)? {
        Value::String(s) => Ok(int(s.graphemes(true).count() as i64)),
        Value::List(a) => Ok(int(a.len() as i64)),
        // Unknown elements of a set may turn out equal to others: the size is not known.
        Value::Set(a) if a.iter().any(Value::has_unknown) => Ok(Value::Unknown),
        Value::Set(a) => Ok(int(a.len() as i64)),
        Value::Object(o) => Ok(int(o.len() as i64)),
        _ => Err(Fail::call(
            "argument must be a string, a collection type, or a structural type",
        )),
    }
}

pub(crate) fn keys(args: &[Value], _: &FuncContext) -> R {
    let Value::Object(map) = not_null(args, 0)? else {
        return Err(Fail::arg(0, "must have map or object type"));
    };
    let mut k: Vec<&String> = map.keys().collect();
    k.sort();
    Ok(Value::List(
        k.into_iter().map(|k| Value::String(k.clone())).collect(),
    ))
}

pub(crate) fn values(args: &[Value], _: &FuncContext) -> R {
    let Value::Object(map) = not_null(args, 0)? else {
        return Err(Fail::arg(0, "must have map or object type"));
    };
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    Ok(Value::List(
        entries.into_iter().map(|(_, v)| v.clone()).collect(),
    ))
}

pub(crate) fn flatten(args: &[Value], _: &FuncContext) -> R {
    fn walk(items: &[Value], out: &mut Vec<Value>) {
        for item in items {
            match item {
                Value::List(inner) | Value::Set(inner) => walk(inner, out),
                other => out.push(other.clone()),
            }
        }
    }
    let list = array(args, 0, "can only flatten lists, sets and tuples")?;
    let mut out = Vec::new();
    walk(list, &mut out);
    Ok(Value::List(out))
}

fn unified(args: &[Value], i: usize) -> Result<Vec<Value>, Fail> {
    let list = array(args, i, "list of any single type required")?;
    unify(list).ok_or_else(|| Fail::arg(i, "all list elements must have the same type"))
}

pub(crate) fn distinct(args: &[Value], _: &FuncContext) -> R {
    let mut out: Vec<Value> = Vec::new();
    for v in unified(args, 0)? {
        if !out.iter().any(|o| equal(o, &v)) {
            out.push(v);
        }
    }
    Ok(Value::List(out))
}

pub(crate) fn contains(args: &[Value], _: &FuncContext) -> R {
    let list = array(args, 0, "argument must be list, tuple, or set")?;
    let needle = not_null(args, 1)?;
    Ok(Value::Bool(list.iter().any(|v| equal(v, needle))))
}

pub(crate) fn coalesce(args: &[Value], _: &FuncContext) -> R {
    if args.is_empty() {
        // Terraform finds no common type for no arguments.
        return Err(Fail::call("all arguments must have the same type"));
    }
    // Arguments convert to their common type; when they have none, a null literal (which
    // has no type) makes Terraform give up converting rather than fail.
    let vals = match unify(args) {
        Some(vals) => vals,
        None if args.iter().any(Value::is_null) => args.to_vec(),
        None => return Err(Fail::call("all arguments must have the same type")),
    };
    for v in vals {
        match v {
            // It may be null or empty: what comes after it may be the result.
            v if v.is_unknown() => return Ok(Value::Unknown),
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            v => return Ok(v),
        }
    }
    Err(Fail::call("no non-null, non-empty-string arguments"))
}

pub(crate) fn coalescelist(args: &[Value], _: &FuncContext) -> R {
    for (i, a) in args.iter().enumerate() {
        match a {
            Value::Null => {
                return Err(Fail::call("coalescelist arguments must be lists or tuples"))
            }
            Value::List(items) if items.is_empty() => {}
            Value::List(_) => return Ok(a.clone()),
            other => {
                return Err(Fail::arg(
                    i,
                    format!(
                        "coalescelist arguments must be lists or tuples, got {}",
                        type_name(other)
                    ),
                ))
            }
        }
    }
    Err(Fail::call("no non-null arguments"))
}

pub(crate) fn compact(args: &[Value], _: &FuncContext) -> R {
    let list = array(args, 0, "list of string required")?;
    let mut out = Vec::new();
    for (n, v) in list.iter().enumerate() {
        match v {
            Value::Null => {}
            v => {
                let s = primitive_to_string(v).ok_or_else(|| {
                    Fail::arg(
                        0,
                        format!("element {n}: string required, but have {}", type_name(v)),
                    )
                })?;
                if !s.is_empty() {
                    out.push(Value::String(s));
                }
            }
        }
    }
    Ok(Value::List(out))
}

pub(crate) fn zipmap(args: &[Value], _: &FuncContext) -> R {
    let keys = string_list(args, 0)?;
    let values = array(args, 1, "list or tuple required")?;
    if keys.len() != values.len() {
        return Err(Fail::call(format!(
            "number of keys ({}) does not match number of values ({})",
            keys.len(),
            values.len()
        )));
    }
    Ok(sorted(
        keys.into_iter().zip(values.iter().cloned()).collect(),
    ))
}

pub(crate) fn setproduct(args: &[Value], _: &FuncContext) -> R {
    if args.len() < 2 {
        return Err(Fail::call("at least two arguments are required"));
    }
    let mut sets = Vec::new();
    for i in 0..args.len() {
        sets.push(unified(args, i)?);
    }
    // Every combination is built in memory: past this the call would not end.
    const MAX_PRODUCT: usize = 1_000_000;
    let size = sets
        .iter()
        .try_fold(1usize, |acc, set| acc.checked_mul(set.len()));
    if size.is_none_or(|n| n > MAX_PRODUCT) {
        return Err(Fail::call(format!(
            "the product has more than {MAX_PRODUCT} elements, more than tfrecon computes"
        )));
    }
    let mut rows: Vec<Vec<Value>> = vec![Vec::new()];
    for set in &sets {
        let mut next = Vec::with_capacity(rows.len() * set.len());
        for row in &rows {
            for v in set {
                let mut r = row.clone();
                r.push(v.clone());
                next.push(r);
            }
        }
        rows = next;
    }
    let rows = rows.into_iter().map(Value::List).collect();
    // Sets in, a set out; any list or tuple makes the product a list.
    if args.iter().all(|a| matches!(a, Value::Set(_))) {
        Ok(Value::Set(crate::config::value::make_set(rows)))
    } else {
        Ok(Value::List(rows))
    }
}

/// The arguments as sets of one common element type.
fn sets(args: &[Value]) -> Result<Vec<Vec<Value>>, Fail> {
    let mut all = Vec::new();
    let mut lens = Vec::new();
    for i in 0..args.len() {
        let list = array(args, i, "set of any single type required")?;
        if unify(list).is_none() {
            return Err(Fail::arg(i, "all set elements must have the same type"));
        }
        lens.push(list.len());
        all.extend(list.iter().cloned());
    }
    let all = unify(&all)
        .ok_or_else(|| Fail::call("given sets must all have compatible element types"))?;
    let mut it = all.into_iter();
    Ok(lens
        .into_iter()
        .map(|n| to_set(&it.by_ref().take(n).collect::<Vec<_>>()).unwrap_or_default())
        .collect())
}

pub(crate) fn setunion(args: &[Value], _: &FuncContext) -> R {
    let all: Vec<Value> = sets(args)?.into_iter().flatten().collect();
    Ok(Value::Set(to_set(&all).unwrap_or_default()))
}

pub(crate) fn setintersection(args: &[Value], _: &FuncContext) -> R {
    let sets = sets(args)?;
    let mut out = sets[0].clone();
    for s in &sets[1..] {
        out.retain(|v| s.iter().any(|w| equal(v, w)));
    }
    Ok(Value::Set(out))
}

pub(crate) fn setsubtract(args: &[Value], _: &FuncContext) -> R {
    let sets = sets(args)?;
    let mut out = sets[0].clone();
    out.retain(|v| !sets[1].iter().any(|w| equal(v, w)));
    Ok(Value::Set(out))
}

pub(crate) fn slice(args: &[Value], _: &FuncContext) -> R {
    let list = array(args, 0, "must be a list or tuple value")?;
    let start = whole(args, 1)?;
    let end = whole(args, 2)?;
    if start < 0 {
        return Err(Fail::arg(1, "start index must not be less than zero"));
    }
    if end > list.len() as i64 {
        return Err(Fail::arg(
            2,
            "end index must not be greater than the length of the list",
        ));
    }
    if start > end {
        return Err(Fail::arg(
            1,
            "start index must not be greater than end index",
        ));
    }
    Ok(Value::List(list[start as usize..end as usize].to_vec()))
}

/// cty's range: the start and each step added with arbitrary precision, so that
/// `range(0, 1, 0.3)` ends in `0.9000…0004` as in Terraform.
pub(crate) fn range(args: &[Value], _: &FuncContext) -> R {
    use crate::config::value::Number;
    let nums: Vec<Number> = (0..args.len())
        .map(|i| super::value::number(args, i))
        .collect::<Result<_, _>>()?;
    let one = Number::int(1);
    let (start, end, step) = match nums.as_slice() {
        [end] => (
            Number::int(0),
            end.clone(),
            if end.is_negative() { one.neg() } else { one },
        ),
        [start, end] => (
            start.clone(),
            end.clone(),
            if end < start { one.neg() } else { one },
        ),
        [start, end, step] => (start.clone(), end.clone(), step.clone()),
        _ => return Err(Fail::call("must have one, two, or three arguments")),
    };
    let zero = Number::int(0);
    if step < zero && end > start {
        return Err(Fail::arg(
            0,
            "end must be less than start when step is negative",
        ));
    }
    if step > zero && end < start {
        return Err(Fail::arg(
            0,
            "end must be greater than start when step is positive",
        ));
    }
    let mut out = Vec::new();
    let mut v = start;
    // A zero step counts up forever and hits the limit, as in Terraform.
    while if step < zero { v > end } else { v < end } {
        if out.len() >= 1024 {
            return Err(Fail::call(
                "more than 1024 values were generated; either decrease the difference between start and end or use a smaller step",
            ));
        }
        let next = v
            .add(&step)
            .map_err(|_| Fail::call("the range has no end"))?;
        out.push(Value::Number(v));
        v = next;
    }
    Ok(Value::List(out))
}

pub(crate) fn index(args: &[Value], _: &FuncContext) -> R {
    let Value::List(list) = not_null(args, 0)? else {
        return Err(Fail::call("argument must be a list or tuple"));
    };
    not_null(args, 1)?;
    list.iter()
        .position(|v| equal(v, &args[1]))
        .map(|i| int(i as i64))
        .ok_or_else(|| Fail::call("item not found"))
}

pub(crate) fn one(args: &[Value], _: &FuncContext) -> R {
    let list = array(
        args,
        0,
        "must be a list, set, or tuple value with either zero or one elements",
    )?;
    match list.as_slice() {
        [] => Ok(Value::Null),
        [v] => Ok(v.clone()),
        _ => Err(Fail::arg(
            0,
            "must be a list, set, or tuple value with either zero or one elements",
        )),
    }
}

pub(crate) fn reverse(args: &[Value], _: &FuncContext) -> R {
    let list = array(args, 0, "can only reverse list or tuple values")?;
    Ok(Value::List(list.iter().rev().cloned().collect()))
}

/// Sorts lexically by bytes, numbers included: Terraform converts the list to strings first.
pub(crate) fn sort(args: &[Value], _: &FuncContext) -> R {
    let mut list = string_list(args, 0)?;
    list.sort();
    Ok(Value::List(list.into_iter().map(Value::String).collect()))
}

pub(crate) fn chunklist(args: &[Value], _: &FuncContext) -> R {
    let list = unified(args, 0)?;
    let size = whole(args, 1)?;
    if size < 0 {
        return Err(Fail::call("the size argument must be positive"));
    }
    if list.is_empty() {
        return Ok(Value::List(Vec::new()));
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(list)]));
    }
    Ok(Value::List(
        list.chunks(size as usize)
            .map(|c| Value::List(c.to_vec()))
            .collect(),
    ))
}

pub(crate) fn transpose(args: &[Value], _: &FuncContext) -> R {
    let Value::Object(map) = not_null(args, 0)? else {
        return Err(Fail::arg(0, "map of list of string required"));
    };
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let mut out: Map<Value> = Map::new();
    for (k, v) in entries {
        let (Value::List(items) | Value::Set(items)) = v else {
            return Err(Fail::arg(0, "map of list of string required"));
        };
        for item in items {
            let s = primitive_to_string(item)
                .ok_or_else(|| Fail::arg(0, "map of list of string required"))?;
            if let Value::List(list) = out.entry(s).or_insert_with(|| Value::List(Vec::new())) {
                list.push(Value::String(k.clone()));
            }
        }
    }
    Ok(sorted(out))
}

fn bools(args: &[Value]) -> Result<Vec<Option<bool>>, Fail> {
    let list = array(args, 0, "list of bool required")?;
    list.iter()
        .enumerate()
        .map(|(n, v)| match v {
            Value::Null => Ok(None),
            Value::String(_) => boolean(std::slice::from_ref(v), 0).map(Some),
            v => boolean(std::slice::from_ref(v), 0).map(Some).map_err(|_| {
                Fail::arg(
                    0,
                    format!("element {n}: bool required, but have {}", type_name(v)),
                )
            }),
        })
        .collect()
}

pub(crate) fn alltrue(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::Bool(bools(args)?.iter().all(|b| *b == Some(true))))
}

pub(crate) fn anytrue(args: &[Value], _: &FuncContext) -> R {
    Ok(Value::Bool(bools(args)?.contains(&Some(true))))
}

pub(crate) fn matchkeys(args: &[Value], _: &FuncContext) -> R {
    let values = unified(args, 0)?;
    let keys = unified(args, 1)?;
    let search = unified(args, 2)?;
    // Keys and search set are compared in their common type.
    let both: Vec<Value> = keys.iter().chain(&search).cloned().collect();
    let both =
        unify(&both).ok_or_else(|| Fail::arg(2, "searchset must be of the same type as keys"))?;
    let (keys, search) = both.split_at(keys.len());
    let (keys, search) = (keys.to_vec(), search.to_vec());
    if values.len() != keys.len() {
        return Err(Fail::call("length of keys and values should be equal"));
    }
    Ok(Value::List(
        values
            .into_iter()
            .zip(keys)
            .filter(|(_, k)| search.iter().any(|s| equal(s, k)))
            .map(|(v, _)| v)
            .collect(),
    ))
}
