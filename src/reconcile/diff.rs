//! Attribute comparison of a paired resource: state (or configuration) against the live
//! resource, through the catalog's field list and ignore list, with sensitive and secret
//! values redacted before they enter a finding.

use std::collections::BTreeSet;

use serde_json::Value as Json;

use crate::catalog::TypeInfo;
use crate::findings::{AttrChange, Diff};
use crate::inventory::LiveResource;
use crate::state::{AttrPath, PathStep, Sensitivity, REDACTED};

/// Whether two attribute values are the same, treating JSON documents held in strings
/// structurally (key order and whitespace are not drift).
fn same(a: &Json, b: &Json) -> bool {
    if a == b {
        return true;
    }
    match (a, b) {
        (Json::String(x), Json::String(y)) => {
            match (serde_json::from_str::<Json>(x), serde_json::from_str::<Json>(y)) {
                (Ok(px), Ok(py)) if px.is_object() || px.is_array() => px == py,
                _ => false,
            }
        }
        (Json::String(x), other) | (other, Json::String(x)) if other.is_object() || other.is_array() => {
            serde_json::from_str::<Json>(x).is_ok_and(|p| &p == other)
        }
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Null, Json::Array(v)) | (Json::Array(v), Json::Null) => v.is_empty(),
        (Json::Null, Json::Object(m)) | (Json::Object(m), Json::Null) => m.is_empty(),
        (Json::Null, Json::String(s)) | (Json::String(s), Json::Null) => s.is_empty(),
        _ => false,
    }
}

/// The attributes compared for a type: those the live side reports (mapped through the
/// catalog), minus the catalog's ignore list and the `id`.
fn compared_keys<'a>(live: &'a Json, info: &TypeInfo) -> BTreeSet<&'a str> {
    let ignore: BTreeSet<&str> = info.ignore.iter().map(String::as_str).collect();
    live.as_object()
        .map(|m| {
            m.keys()
                .map(String::as_str)
                .filter(|k| !ignore.contains(k) && *k != "id")
                .collect()
        })
        .unwrap_or_default()
}

fn change(path: &str, expected: Option<&Json>, live: Option<&Json>, hidden: bool) -> AttrChange {
    let shown = |v: Option<&Json>| v.map(|v| if hidden { Json::String(REDACTED.into()) } else { v.clone() });
    AttrChange {
        path: path.to_string(),
        expected: shown(expected),
        live: shown(live),
        sensitive: hidden,
        details: Vec::new(),
    }
}

/// State against live. `with_secrets` is the state's attributes in clear, used only to
/// compare; what is shown comes from the redacted form and the sensitivity of the state.
pub fn compare(
    _redacted: &Json,
    with_secrets: &Json,
    live: &LiveResource,
    info: &TypeInfo,
    against: &str,
    sensitivity: &Sensitivity,
) -> Diff {
    let mut changes = Vec::new();
    for key in compared_keys(&live.attributes, info) {
        let l = live.attributes.get(key);
        let e = with_secrets.get(key);
        let Some(e) = e else { continue };
        if l.is_some_and(|l| same(e, l)) {
            continue;
        }
        let path = AttrPath(vec![PathStep::Attr(key.to_string())]);
        let hidden = info.secret.iter().any(|s| s == key)
            || match sensitivity {
                Sensitivity::Everything => true,
                Sensitivity::Paths(ps) => ps.iter().any(|p| p.0.first() == path.0.first()),
            };
        changes.push(change(key, Some(e), l, hidden));
    }
    Diff {
        against: against.to_string(),
        changes,
    }
}

/// Configuration against live: only the attributes the configuration sets and knows.
pub fn compare_config(
    expected: &Json,
    live: &LiveResource,
    info: &TypeInfo,
    sensitive: &BTreeSet<String>,
) -> Diff {
    let mut changes = Vec::new();
    for key in compared_keys(&live.attributes, info) {
        let Some(e) = expected.get(key) else { continue };
        if e.is_null() {
            continue;
        }
        let l = live.attributes.get(key);
        if l.is_some_and(|l| same(e, l)) {
            continue;
        }
        let hidden = sensitive.contains(key) || info.secret.iter().any(|s| s == key);
        changes.push(change(key, Some(e), l, hidden));
    }
    Diff {
        against: "configuration".to_string(),
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_documents_compare_structurally() {
        assert!(same(&json!("{\"a\": 1, \"b\": [1,2]}"), &json!("{\"b\":[1,2],\"a\":1}")));
        assert!(!same(&json!("{\"a\": 1}"), &json!("{\"a\": 2}")));
        assert!(same(&json!("{\"a\": 1}"), &json!({"a": 1})));
        assert!(same(&json!(1), &json!(1.0)));
        assert!(same(&json!(null), &json!([])));
        assert!(!same(&json!("x"), &json!("y")));
    }
}
