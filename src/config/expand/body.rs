//! Block bodies evaluated to values: arguments, nested blocks as lists of objects, `dynamic`
//! blocks expanded; and the view other blocks get of a resource, where whatever the
//! configuration leaves to the provider is unknown.
//!
//! Owns only the shape of block values; expressions are the evaluator's.

use crate::config::value::Map;
use std::collections::BTreeSet;

use hcl_edit::structure::Body;

use super::super::eval::Evaluator;
use super::super::refs::SKIPPED_BLOCKS;
use super::super::value::Value;

/// Evaluates a block body to an object: attributes, then nested blocks as lists of objects,
/// `dynamic` blocks expanded.
pub fn eval_body(ev: &mut Evaluator<'_, '_>, body: &Body, skip: &[&str]) -> Value {
    eval_body_tracked(ev, body, skip, None)
}

/// The iteration variable name of a `dynamic` block: `iterator`, else its label.
fn iterator_name(b: &hcl_edit::structure::Block, label: &str) -> String {
    b.body
        .get_attribute("iterator")
        .and_then(|a| a.value.as_variable().map(|v| v.to_string()))
        .unwrap_or_else(|| label.to_string())
}

/// [`eval_body`], recording in `sensitive` the top-level arguments and blocks whose value
/// was computed from a sensitive value.
pub fn eval_body_tracked(
    ev: &mut Evaluator<'_, '_>,
    body: &Body,
    skip: &[&str],
    mut sensitive: Option<&mut BTreeSet<String>>,
) -> Value {
    let outer = std::mem::take(&mut ev.tainted);
    let mut out = Map::new();
    let mut mark = |ev: &mut Evaluator<'_, '_>, name: &str| {
        if std::mem::take(&mut ev.tainted) {
            if let Some(s) = sensitive.as_deref_mut() {
                s.insert(name.to_string());
            }
        }
    };
    for a in body.attributes() {
        let k = a.key.value().as_str();
        if !skip.contains(&k) {
            let v = ev.eval(&a.value);
            mark(ev, k);
            out.insert(k.to_string(), v);
        }
    }
    let mut blocks: Map<Value> = Map::new();
    for b in body.blocks() {
        let ident = b.ident.value().as_str();
        if SKIPPED_BLOCKS.contains(&ident) {
            continue;
        }
        if ident != "dynamic" {
            let v = eval_body(ev, &b.body, &[]);
            mark(ev, ident);
            if let Value::List(l) = blocks
                .entry(ident.to_string())
                .or_insert_with(|| Value::List(Vec::new()))
            {
                l.push(v);
            }
            continue;
        }
        let Some(label) = b.labels.first().map(|l| l.as_str().to_string()) else {
            continue;
        };
        let iter = iterator_name(b, &label);
        let coll = b
            .body
            .get_attribute("for_each")
            .map_or(Value::Null, |a| ev.eval(&a.value));
        let items = crate::config::eval::iteration_pairs(coll).ok().flatten();
        let entry = blocks
            .entry(label.clone())
            .or_insert_with(|| Value::List(Vec::new()));
        let Some(items) = items else {
            *entry = Value::Unknown;
            continue;
        };
        let mut produced = Vec::new();
        for (k, v) in items {
            let it = Value::Object(Map::from([
                ("key".to_string(), k),
                ("value".to_string(), v),
            ]));
            ev.bind(&iter, it);
            for content in b.body.get_blocks("content") {
                produced.push(eval_body(ev, &content.body, &[]));
            }
            ev.unbind();
        }
        if let Some(Value::List(l)) = blocks.get_mut(&label) {
            l.extend(produced);
        }
        mark(ev, &label);
    }
    out.extend(blocks);
    ev.tainted = outer;
    Value::Object(out)
}

/// The body of the nested block `name` (or of a `dynamic "name"` block's content).
fn nested_body<'b>(body: &'b Body, name: &str) -> Option<&'b Body> {
    body.blocks().find_map(|b| match b.ident.value().as_str() {
        i if i == name => Some(&b.body),
        "dynamic" if b.labels.first().is_some_and(|l| l.as_str() == name) => {
            b.body.get_blocks("content").next().map(|c| &c.body)
        }
        _ => None,
    })
}

/// What references to a resource instance see when nothing is known about it but its
/// configuration: the arguments it sets, and unknown for everything else the provider may
/// compute: arguments it leaves out or sets to null, and the same inside nested blocks.
/// Without provider schemas, reading any attribute of it is never an error.
pub fn provider_view(body: &Body, v: &Value) -> Value {
    let Value::Object(m) = v else {
        return v.clone();
    };
    let mut out = Map::new();
    for (k, x) in m {
        if matches!(x, Value::Null) {
            continue;
        }
        let seen = match (nested_body(body, k), x) {
            (Some(inner), Value::List(items)) => {
                Value::List(items.iter().map(|i| provider_view(inner, i)).collect())
            }
            _ => x.clone(),
        };
        out.insert(k.clone(), seen);
    }
    Value::Partial(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_view_leaves_computed_attributes_unknown() {
        let body = hcl_edit::parser::parse_body(
            "name = \"x\"\ndescription = null\nroot_block_device {\n  size = 8\n}\ndynamic \"ebs\" {\n  for_each = []\n  content {\n    size = 1\n  }\n}\n",
        )
        .unwrap();
        let v = Value::Object(Map::from([
            ("name".into(), Value::str("x")),
            ("description".into(), Value::Null),
            (
                "root_block_device".into(),
                Value::List(vec![Value::Object(Map::from([(
                    "size".into(),
                    Value::int(8),
                )]))]),
            ),
        ]));
        let Value::Partial(m) = provider_view(&body, &v) else {
            panic!("a resource is a partial object")
        };
        assert_eq!(m["name"], Value::str("x"));
        assert!(
            !m.contains_key("description"),
            "null arguments are computed"
        );
        let Value::List(devices) = &m["root_block_device"] else {
            panic!()
        };
        assert!(matches!(&devices[0], Value::Partial(d) if d["size"] == Value::int(8)));
    }
}
