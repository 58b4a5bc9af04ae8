//! Structural comparison of attributes that hold JSON documents: IAM and bucket policies,
//! BigQuery table schemas, container definitions. Layout, key order and the forms IAM treats
//! as equal are normalised away; only what the service would see differently is a change.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use crate::findings::AttrChange;

pub(super) enum Outcome {
    /// Neither side is a JSON document: compare as plain values.
    NotJson,
    Equal,
    Changed(Box<AttrChange>),
}

/// Parses both sides (a string holding JSON, or an already decoded value) and compares their
/// normal forms. The change carries the normal forms, keys sorted, so a line diff of the two
/// pretty-printed documents shows only what differs.
pub(super) fn compare_documents(expected: Option<&Value>, live: Option<&Value>) -> Outcome {
    let (e, l) = match (decode(expected), decode(live)) {
        (Some(Err(())), _) | (_, Some(Err(()))) | (None, None) => return Outcome::NotJson,
        (e, l) => (
            e.map(|r| r.unwrap_or_default()),
            l.map(|r| r.unwrap_or_default()),
        ),
    };
    let e = e.map(|v| normalize(&v));
    let l = l.map(|v| normalize(&v));
    if e == l {
        return Outcome::Equal;
    }
    let details = match (&e, &l) {
        (Some(a), Some(b)) => describe(a, b),
        _ => Vec::new(),
    };
    Outcome::Changed(Box::new(AttrChange {
        path: String::new(),
        expected: e,
        live: l,
        sensitive: false,
        details,
    }))
}

/// `None` when the side is absent or null; `Err` when it is a string that is not JSON.
fn decode(v: Option<&Value>) -> Option<Result<Value, ()>> {
    match v? {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(serde_json::from_str(s).map_err(|_| ())),
        other => Some(Ok(other.clone())),
    }
}

/// The normal form: object keys sorted, IAM policy forms made canonical, BigQuery schema
/// defaults and type aliases spelled one way.
pub(super) fn normalize(v: &Value) -> Value {
    let v = sort_keys(v);
    if is_bigquery_schema(&v) {
        return normalize_schema(&v);
    }
    match v {
        Value::Object(m) if m.contains_key("Statement") => normalize_aws_policy(m),
        Value::Object(m) if m.get("bindings").is_some_and(Value::is_array) => {
            normalize_gcp_policy(m)
        }
        other => other,
    }
}

fn sort_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let sorted: BTreeMap<&String, Value> =
                m.iter().map(|(k, v)| (k, sort_keys(v))).collect();
            Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

/// IAM evaluates a single string and a one-element list alike, lists as sets, and statements
/// in any order: so one canonical form for each.
fn normalize_aws_policy(mut m: Map<String, Value>) -> Value {
    let statements = match m.remove("Statement") {
        Some(Value::Array(a)) => a,
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let mut statements: Vec<Value> = statements
        .into_iter()
        .map(|s| match s {
            Value::Object(mut s) => {
                for key in ["Action", "NotAction", "Resource", "NotResource"] {
                    if let Some(v) = s.remove(key) {
                        s.insert(key.into(), string_set(v));
                    }
                }
                for key in ["Principal", "NotPrincipal"] {
                    match s.remove(key) {
                        Some(Value::Object(p)) => {
                            let p = p.into_iter().map(|(k, v)| (k, string_set(v))).collect();
                            s.insert(key.into(), Value::Object(p));
                        }
                        Some(other) => {
                            s.insert(key.into(), other);
                        }
                        None => {}
                    }
                }
                if let Some(Value::Object(c)) = s.remove("Condition") {
                    let c = c
                        .into_iter()
                        .map(|(op, tests)| match tests {
                            Value::Object(t) => (
                                op,
                                Value::Object(
                                    t.into_iter().map(|(k, v)| (k, string_set(v))).collect(),
                                ),
                            ),
                            other => (op, other),
                        })
                        .collect();
                    s.insert("Condition".into(), Value::Object(c));
                }
                sort_keys(&Value::Object(s))
            }
            other => other,
        })
        .collect();
    statements.sort_by_cached_key(|s| s.to_string());
    m.insert("Statement".into(), Value::Array(statements));
    sort_keys(&Value::Object(m))
}

/// A string or a list of strings as a sorted, deduplicated list; anything else unchanged.
fn string_set(v: Value) -> Value {
    match v {
        Value::String(s) => Value::Array(vec![Value::String(s)]),
        Value::Array(a) if a.iter().all(Value::is_string) => {
            let mut a: Vec<String> = a
                .into_iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            a.sort();
            a.dedup();
            Value::Array(a.into_iter().map(Value::String).collect())
        }
        other => other,
    }
}

/// GCP policies: bindings are a set keyed by role (and condition), members a set; the etag is
/// a concurrency token, not content.
fn normalize_gcp_policy(mut m: Map<String, Value>) -> Value {
    m.remove("etag");
    if let Some(Value::Array(bindings)) = m.remove("bindings") {
        let mut bindings: Vec<Value> = bindings
            .into_iter()
            .map(|b| match b {
                Value::Object(mut b) => {
                    if let Some(v) = b.remove("members") {
                        b.insert("members".into(), string_set(v));
                    }
                    sort_keys(&Value::Object(b))
                }
                other => other,
            })
            .collect();
        bindings.sort_by_cached_key(|b| b.to_string());
        m.insert("bindings".into(), Value::Array(bindings));
    }
    sort_keys(&Value::Object(m))
}

fn is_bigquery_schema(v: &Value) -> bool {
    matches!(v, Value::Array(a) if !a.is_empty() && a.iter().all(|c| {
        c.get("name").is_some_and(Value::is_string) && c.get("type").is_some_and(Value::is_string)
    }))
}

/// The API reports `mode` only when it is not NULLABLE and spells types in their legacy names;
/// configurations may use either.
fn normalize_schema(v: &Value) -> Value {
    let Value::Array(cols) = v else {
        return v.clone();
    };
    Value::Array(
        cols.iter()
            .map(|c| {
                let mut c = c.as_object().cloned().unwrap_or_default();
                let ty = c.get("type").and_then(Value::as_str).unwrap_or("");
                let ty = match ty.to_ascii_uppercase().as_str() {
                    "INT64" => "INTEGER".to_string(),
                    "FLOAT64" => "FLOAT".to_string(),
                    "BOOL" => "BOOLEAN".to_string(),
                    "STRUCT" => "RECORD".to_string(),
                    other => other.to_string(),
                };
                c.insert("type".into(), Value::String(ty));
                if !c.contains_key("mode") {
                    c.insert("mode".into(), Value::String("NULLABLE".into()));
                }
                if let Some(fields) = c.remove("fields") {
                    c.insert("fields".into(), normalize_schema(&fields));
                }
                sort_keys(&Value::Object(c))
            })
            .collect(),
    )
}

/// A sentence per structural difference that a reader would otherwise have to find in the
/// document diff.
fn describe(e: &Value, l: &Value) -> Vec<String> {
    if is_bigquery_schema(e) || is_bigquery_schema(l) {
        let mut out = Vec::new();
        describe_columns("", e, l, &mut out);
        return out;
    }
    if e.get("bindings").is_some() || l.get("bindings").is_some() {
        return describe_bindings(e, l);
    }
    if e.get("Statement").is_some() || l.get("Statement").is_some() {
        return describe_statements(e, l);
    }
    Vec::new()
}

fn columns(v: &Value) -> Vec<(&str, &Value)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| Some((c.get("name")?.as_str()?, c)))
                .collect()
        })
        .unwrap_or_default()
}

fn describe_columns(prefix: &str, e: &Value, l: &Value, out: &mut Vec<String>) {
    let ec = columns(e);
    let lc = columns(l);
    // Indexed by name: schemas run to thousands of columns.
    let e_by_name: HashMap<&str, &Value> = ec.iter().copied().collect();
    let l_by_name: HashMap<&str, &Value> = lc.iter().copied().collect();
    for (name, col) in &ec {
        let full = format!("{prefix}{name}");
        let Some(live) = l_by_name.get(name) else {
            out.push(format!("column {} removed", quote(&full)));
            continue;
        };
        for attr in [
            "type",
            "mode",
            "description",
            "policyTags",
            "defaultValueExpression",
        ] {
            let (a, b) = (col.get(attr), live.get(attr));
            if a != b {
                out.push(format!(
                    "column {} {attr} {} -> {}",
                    quote(&full),
                    short(a),
                    short(b)
                ));
            }
        }
        if let (Some(ef), Some(lf)) = (col.get("fields"), live.get("fields")) {
            describe_columns(&format!("{full}."), ef, lf, out);
        }
    }
    for (name, _) in &lc {
        if !e_by_name.contains_key(name) {
            out.push(format!(
                "column {} added",
                quote(&format!("{prefix}{name}"))
            ));
        }
    }
    let common_e = ec.iter().map(|c| c.0).filter(|n| l_by_name.contains_key(n));
    let common_l = lc.iter().map(|c| c.0).filter(|n| e_by_name.contains_key(n));
    if !common_e.eq(common_l) {
        let at = if prefix.is_empty() {
            String::new()
        } else {
            format!(" in {}", quote(prefix.trim_end_matches('.')))
        };
        out.push(format!("columns reordered{at}"));
    }
}

fn describe_bindings(e: &Value, l: &Value) -> Vec<String> {
    fn members(v: &Value) -> BTreeMap<String, Vec<String>> {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for b in v
            .get("bindings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut role = b
                .get("role")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if let Some(t) = b.pointer("/condition/title").and_then(Value::as_str) {
                role = format!("{role} (condition {})", quote(t));
            }
            let entry = m.entry(role).or_default();
            for x in b
                .get("members")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(s) = x.as_str() {
                    entry.push(s.to_string());
                }
            }
        }
        m
    }
    let (em, lm) = (members(e), members(l));
    let mut out = Vec::new();
    let roles: std::collections::BTreeSet<&String> = em.keys().chain(lm.keys()).collect();
    for role in roles {
        let none = Vec::new();
        let (a, b) = (em.get(role).unwrap_or(&none), lm.get(role).unwrap_or(&none));
        for m in b.iter().filter(|m| !a.contains(m)) {
            out.push(format!("member {} added to role {}", quote(m), quote(role)));
        }
        for m in a.iter().filter(|m| !b.contains(m)) {
            out.push(format!(
                "member {} removed from role {}",
                quote(m),
                quote(role)
            ));
        }
    }
    out
}

fn describe_statements(e: &Value, l: &Value) -> Vec<String> {
    let list = |v: &Value| -> Vec<Value> {
        v.get("Statement")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (es, ls) = (list(e), list(l));
    let label = |s: &Value, i: usize| match s.get("Sid").and_then(Value::as_str) {
        Some(sid) if !sid.is_empty() => format!("statement {}", quote(sid)),
        _ => format!("statement {}", i + 1),
    };
    // Statements are in normal form (keys sorted), so their text identifies them.
    let texts = |v: &[Value]| -> std::collections::HashSet<String> {
        v.iter().map(Value::to_string).collect()
    };
    let (et, lt) = (texts(&es), texts(&ls));
    let mut out = Vec::new();
    for (i, s) in ls.iter().enumerate() {
        if !et.contains(&s.to_string()) {
            out.push(format!("{} added or changed", label(s, i)));
        }
    }
    for (i, s) in es.iter().enumerate() {
        if !lt.contains(&s.to_string()) {
            out.push(format!("{} removed or changed", label(s, i)));
        }
    }
    out
}

fn quote(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

fn short(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "(none)".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::{compare, Against, DiffOptions};
    use serde_json::json;

    fn opts(attr: &str) -> DiffOptions {
        let mut o = DiffOptions::new(Against::State);
        o.json_attributes = vec![attr.into()];
        o
    }

    #[test]
    fn key_order_and_whitespace_are_not_drift() {
        let d = compare(
            &json!({"doc": "{\"a\": 1, \"b\": [1,2]}"}),
            &json!({"doc": "{\n  \"b\": [1, 2],\n  \"a\": 1\n}"}),
            &opts("doc"),
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn iam_statement_order_and_single_strings_are_not_drift() {
        let state = json!({"policy": r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Principal":{"AWS":"arn:aws:iam::1:root"}},
            {"Sid":"B","Effect":"Deny","Action":["s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::b/*"],"Principal":"*"}]}"#});
        let live = json!({"policy": r#"{"Statement":[
            {"Principal":"*","Effect":"Deny","Sid":"B","Action":["s3:DeleteObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"},
            {"Resource":["arn:aws:s3:::b/*"],"Sid":"A","Action":["s3:GetObject"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root"]}}],
            "Version":"2012-10-17"}"#});
        let d = compare(&state, &live, &opts("policy"));
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn a_changed_policy_is_one_change_with_details() {
        let d = compare(
            &json!({"policy": r#"{"Statement":{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject"}}"#}),
            &json!({"policy": r#"{"Statement":{"Sid":"Read","Effect":"Allow","Action":"s3:*"}}"#}),
            &opts("policy"),
        );
        assert_eq!(d.changes.len(), 1);
        let c = &d.changes[0];
        assert_eq!(c.path, "policy");
        assert_eq!(
            c.details,
            [
                "statement \"Read\" added or changed",
                "statement \"Read\" removed or changed"
            ]
        );
        assert_eq!(
            c.live.as_ref().unwrap()["Statement"][0]["Action"],
            json!(["s3:*"])
        );
    }

    #[test]
    fn gcp_policy_bindings_are_sets_and_members_are_named() {
        let e = json!({"policy_data": r#"{"bindings":[{"role":"roles/viewer","members":["user:a@x.com","user:b@x.com"]},{"role":"roles/owner","members":["user:o@x.com"]}]}"#});
        let same = json!({"policy_data": r#"{"etag":"BwX","bindings":[{"members":["user:o@x.com"],"role":"roles/owner"},{"role":"roles/viewer","members":["user:b@x.com","user:a@x.com"]}]}"#});
        assert!(compare(&e, &same, &opts("policy_data")).is_empty());
        let changed = json!({"policy_data": r#"{"bindings":[{"role":"roles/viewer","members":["allUsers","user:a@x.com"]},{"role":"roles/owner","members":["user:o@x.com"]}]}"#});
        let d = compare(&e, &changed, &opts("policy_data"));
        assert_eq!(
            d.changes[0].details,
            [
                "member \"allUsers\" added to role \"roles/viewer\"",
                "member \"user:b@x.com\" removed from role \"roles/viewer\""
            ]
        );
    }

    #[test]
    fn bigquery_schema_changes_name_the_columns() {
        let e = json!({"schema": r#"[{"name":"id","type":"INT64","mode":"REQUIRED"},{"name":"amount","type":"NUMERIC"},{"name":"meta","type":"RECORD","fields":[{"name":"src","type":"STRING"}]}]"#});
        let l = json!({"schema": r#"[{"name":"id","type":"INTEGER","mode":"REQUIRED"},{"name":"amount","type":"BIGNUMERIC","mode":"NULLABLE"},{"name":"meta","type":"RECORD","fields":[{"name":"src","type":"STRING","mode":"REQUIRED"}]},{"name":"note","type":"STRING"}]"#});
        let d = compare(&e, &l, &opts("schema"));
        assert_eq!(d.changes.len(), 1);
        assert_eq!(
            d.changes[0].details,
            [
                "column \"amount\" type NUMERIC -> BIGNUMERIC",
                "column \"meta.src\" mode NULLABLE -> REQUIRED",
                "column \"note\" added",
            ]
        );
        // Aliases and the default mode alone are not drift.
        let alias = json!({"schema": r#"[{"name":"id","type":"INTEGER","mode":"REQUIRED"},{"name":"amount","type":"NUMERIC","mode":"NULLABLE"},{"name":"meta","type":"STRUCT","fields":[{"name":"src","type":"STRING"}]}]"#});
        assert!(compare(&e, &alias, &opts("schema")).is_empty());
    }

    #[test]
    fn removed_columns_and_reordering_are_named() {
        let e = json!({"schema": r#"[{"name":"a","type":"STRING"},{"name":"b","type":"STRING"},{"name":"c","type":"STRING"}]"#});
        let l = json!({"schema": r#"[{"name":"c","type":"STRING"},{"name":"a","type":"STRING"}]"#});
        let d = compare(&e, &l, &opts("schema"));
        assert_eq!(
            d.changes[0].details,
            ["column \"b\" removed", "columns reordered"]
        );
    }

    #[test]
    fn a_secret_json_document_hides_its_details_too() {
        let mut o = opts("policy_data");
        o.secret = vec!["policy_data".into()];
        let d = compare(
            &json!({"policy_data": r#"{"bindings":[{"role":"r","members":["user:a"]}]}"#}),
            &json!({"policy_data": r#"{"bindings":[{"role":"r","members":["user:b"]}]}"#}),
            &o,
        );
        assert!(d.changes[0].sensitive && d.changes[0].details.is_empty());
        assert!(!serde_json::to_string(&d).unwrap().contains("user:"));
    }

    #[test]
    fn strings_that_are_not_json_compare_as_strings() {
        let d = compare(
            &json!({"doc": "not json"}),
            &json!({"doc": "{}"}),
            &opts("doc"),
        );
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].expected, Some(json!("not json")));
    }
}
