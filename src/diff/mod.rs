//! Attribute-level diffs of a paired resource (state or configuration against live), with
//! JSON-valued attributes compared structurally. This is where redaction of sensitive and secret
//! values is enforced: a [`Diff`] leaving this module never holds a secret in clear. It does not
//! decide what is paired with what, and never prints.

mod json;
mod path;

use serde_json::Value;

use crate::findings::{AttrChange, Diff};
use crate::state::{AttrPath, PathStep, Sensitivity, REDACTED};

pub use path::{display_path, path_matches, wildcard_match};

/// What the reference side of a comparison is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Against {
    /// Recorded state against live: the changes make a resource drifted.
    State,
    /// The configuration against live: what `apply` would change after importing.
    Configuration,
}

impl Against {
    pub fn as_str(self) -> &'static str {
        match self {
            Against::State => "state",
            Against::Configuration => "configuration",
        }
    }
}

/// How to compare one pair of objects.
///
/// Path patterns (`ignore`, `secret`, `json_attributes`) are attribute paths written as Terraform
/// prints them (`labels["env"]`, `template[0].containers[0].image`) where `*` matches any run of
/// characters (`template[*].etag`); a pattern also covers everything below the path it names.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    pub against: Against,
    /// Attributes never compared: computed by the provider or defaulted (from the catalog).
    pub ignore: Vec<String>,
    /// Attributes never shown in clear, whatever the state says (from the catalog).
    pub secret: Vec<String>,
    /// The sensitive paths of the state object (the reference side).
    pub sensitive: Sensitivity,
    /// Attributes whose value is a JSON document held in a string (policies, table schemas,
    /// container definitions): compared after parsing, so layout and key order are not drift.
    pub json_attributes: Vec<String>,
    /// Compare only what the reference side sets: for configuration-vs-live, where the
    /// configuration leaves most attributes to their defaults.
    pub only_expected_keys: bool,
}

impl DiffOptions {
    pub fn new(against: Against) -> Self {
        DiffOptions {
            against,
            ignore: Vec::new(),
            secret: Vec::new(),
            sensitive: Sensitivity::Paths(Vec::new()),
            json_attributes: Vec::new(),
            only_expected_keys: matches!(against, Against::Configuration),
        }
    }
}

/// Compares the reference object `expected` with the `live` one.
///
/// `expected` should hold values in clear (`InstanceObject::attributes_with_secrets`) with
/// `opts.sensitive` saying which are sensitive; they are redacted here. A reference leaf that is
/// already the redaction marker cannot be compared and yields no change rather than a false one.
pub fn compare(expected: &Value, live: &Value, opts: &DiffOptions) -> Diff {
    let mut cx = Cx {
        opts,
        out: Vec::new(),
    };
    let (expected, live) = (unwrap_dynamic(expected), unwrap_dynamic(live));
    cx.walk(
        &mut Vec::new(),
        Some(&*expected),
        Some(&*live),
        Nesting::Block,
    );
    cx.out.sort_by(|a, b| a.0.cmp(&b.0));
    Diff {
        against: opts.against.as_str().to_string(),
        changes: cx.out.into_iter().map(|(_, c)| c).collect(),
    }
}

/// How the keys of an object at a position are printed: attributes of a resource or of a nested
/// block print as `.name`, keys of a map attribute as `["key"]`. State JSON does not say which is
/// which; nested blocks are always lists, so an object reached through an index is a block and
/// an object reached through a name is a map.
#[derive(Clone, Copy)]
enum Nesting {
    Block,
    Map,
}

struct Cx<'o> {
    opts: &'o DiffOptions,
    out: Vec<(AttrPath, AttrChange)>,
}

impl Cx<'_> {
    fn walk(
        &mut self,
        path: &mut Vec<PathStep>,
        expected: Option<&Value>,
        live: Option<&Value>,
        nesting: Nesting,
    ) {
        let printed = display_path(path);
        if !path.is_empty() && self.opts.ignore.iter().any(|p| path_matches(p, &printed)) {
            return;
        }
        if self.opts.only_expected_keys && is_unset(expected) {
            return;
        }
        // A value redacted on either side (a sensitive state value, a secret left out of an
        // inventory snapshot) cannot be compared.
        if expected.is_some_and(|v| v.as_str() == Some(REDACTED))
            || live.is_some_and(|v| v.as_str() == Some(REDACTED))
        {
            return;
        }
        if !path.is_empty()
            && self
                .opts
                .json_attributes
                .iter()
                .any(|p| path_matches(p, &printed))
        {
            match json::compare_documents(expected, live) {
                json::Outcome::Equal => return,
                json::Outcome::Changed(change) => {
                    self.push(path, *change);
                    return;
                }
                // Not JSON on both sides: compared as plain values below.
                json::Outcome::NotJson => {}
            }
        }
        match (expected, live) {
            (Some(Value::Object(e)), Some(Value::Object(l))) => {
                let keys: Vec<&String> = if self.opts.only_expected_keys {
                    e.keys().collect()
                } else {
                    let mut k: Vec<&String> = e.keys().collect();
                    k.extend(l.keys().filter(|k| !e.contains_key(*k)));
                    k
                };
                for k in keys {
                    path.push(match nesting {
                        Nesting::Block => PathStep::Attr(k.clone()),
                        Nesting::Map => PathStep::Key(k.clone()),
                    });
                    self.walk(path, e.get(k), l.get(k), Nesting::Map);
                    path.pop();
                }
            }
            (Some(Value::Array(e)), Some(Value::Array(l))) => {
                let n = if self.opts.only_expected_keys {
                    e.len()
                } else {
                    e.len().max(l.len())
                };
                for i in 0..n {
                    path.push(PathStep::Index(i as i64));
                    self.walk(path, e.get(i), l.get(i), Nesting::Block);
                    path.pop();
                }
            }
            (e, l) => {
                if !equal_leaves(e, l) {
                    self.push(
                        path,
                        AttrChange {
                            path: String::new(),
                            expected: e.filter(|v| !v.is_null()).cloned(),
                            live: l.filter(|v| !v.is_null()).cloned(),
                            sensitive: false,
                            details: Vec::new(),
                        },
                    );
                }
            }
        }
    }

    fn push(&mut self, path: &[PathStep], mut change: AttrChange) {
        change.path = display_path(path);
        if self.is_sensitive(path, &change.path) {
            change.sensitive = true;
            change.expected = change.expected.map(|_| Value::String(REDACTED.into()));
            change.live = change.live.map(|_| Value::String(REDACTED.into()));
            // Details describe the content (column names, members): hidden with it.
            change.details.clear();
        }
        self.out.push((AttrPath(path.to_vec()), change));
    }

    /// A change is sensitive when its path is inside, or contains, a sensitive or secret path:
    /// a whole object shown because its shape changed must not carry a secret leaf.
    fn is_sensitive(&self, path: &[PathStep], printed: &str) -> bool {
        let by_state = match &self.opts.sensitive {
            Sensitivity::Everything => true,
            Sensitivity::Paths(paths) => paths.iter().any(|p| {
                let n = p.0.len().min(path.len());
                p.0[..n]
                    .iter()
                    .zip(&path[..n])
                    .all(|(a, b)| same_step(a, b))
            }),
        };
        by_state
            || self
                .opts
                .secret
                .iter()
                .any(|p| path_matches(p, printed) || path::pattern_is_below(p, printed))
    }
}

/// State stores a dynamically typed attribute (`terraform_data.input`, `output`) as
/// `{"value": V, "type": T}`, while its sensitive paths and the live side address `V` directly:
/// unwrap such attributes so both sides and the paths line up. Only objects with exactly those
/// two keys and a `type` that is a cty type are unwrapped.
fn unwrap_dynamic(v: &Value) -> std::borrow::Cow<'_, Value> {
    let is_dynamic = |v: &Value| match v {
        Value::Object(inner) => {
            inner.len() == 2
                && inner.contains_key("value")
                && inner.get("type").is_some_and(is_cty_type)
        }
        _ => false,
    };
    match v {
        Value::Object(m) if m.values().any(is_dynamic) => std::borrow::Cow::Owned(Value::Object(
            m.iter()
                .map(|(k, v)| match v {
                    Value::Object(inner) if is_dynamic(v) => (k.clone(), inner["value"].clone()),
                    other => (k.clone(), other.clone()),
                })
                .collect(),
        )),
        other => std::borrow::Cow::Borrowed(other),
    }
}

fn is_cty_type(t: &Value) -> bool {
    match t {
        Value::String(s) => matches!(s.as_str(), "string" | "number" | "bool" | "dynamic"),
        Value::Array(a) => a
            .first()
            .and_then(Value::as_str)
            .is_some_and(|k| matches!(k, "object" | "list" | "map" | "set" | "tuple")),
        _ => false,
    }
}

/// State paths name map keys and attributes alike; the printed form decides between them here.
fn same_step(a: &PathStep, b: &PathStep) -> bool {
    match (a, b) {
        (PathStep::Attr(x) | PathStep::Key(x), PathStep::Attr(y) | PathStep::Key(y)) => x == y,
        (PathStep::Index(x), PathStep::Index(y)) => x == y,
        _ => false,
    }
}

/// Unset on the reference side: configuration-vs-live compares only what is set.
fn is_unset(v: Option<&Value>) -> bool {
    v.is_none_or(Value::is_null)
}

/// Providers write an unset collection as null or as an empty one, depending on the version and
/// on the resource: both mean "nothing", so neither is drift.
fn is_nothing(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(m)) => m.is_empty(),
        _ => false,
    }
}

fn equal_leaves(e: Option<&Value>, l: Option<&Value>) -> bool {
    if is_nothing(e) && is_nothing(l) {
        return true;
    }
    match (e, l) {
        // 1 and 1.0 are the same number to Terraform.
        (Some(Value::Number(a)), Some(Value::Number(b))) => a.as_f64() == b.as_f64(),
        // An API that writes a number as text ("256") says the same as a state's 256:
        // Terraform converts between the two for a number attribute.
        (Some(Value::Number(n)), Some(Value::String(s)))
        | (Some(Value::String(s)), Some(Value::Number(n))) => {
            let t = s.trim();
            !t.is_empty() && t == s && t.parse::<f64>().ok() == n.as_f64()
        }
        (a, b) => a == b,
    }
}

/// Replaces the attributes the catalog calls secret (a Lambda function's environment, a
/// secret's payload) with the redaction marker in live resources about to be written out,
/// such as an inventory snapshot. A snapshot read back compares nothing on them.
pub fn redact_live_secrets(resources: &mut [crate::inventory::LiveResource]) {
    use crate::catalog::Catalog;
    for r in resources {
        let Some(info) = r
            .tf_type
            .as_deref()
            .and_then(|t| Catalog::gcp().get(t).or_else(|| Catalog::aws().get(t)))
        else {
            continue;
        };
        if info.secret.is_empty() {
            continue;
        }
        let mut attributes = r.attributes.value();
        if let Value::Object(m) = &mut attributes {
            for key in &info.secret {
                if let Some(v) = m.get_mut(key) {
                    if !v.is_null() {
                        *v = Value::String(REDACTED.into());
                    }
                }
            }
        }
        r.attributes = attributes.into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state_opts() -> DiffOptions {
        DiffOptions::new(Against::State)
    }

    fn paths(d: &Diff) -> Vec<&str> {
        d.changes.iter().map(|c| c.path.as_str()).collect()
    }

    #[test]
    fn equal_objects_have_no_changes() {
        let v = json!({"name": "a", "labels": {"env": "prod"}, "n": 1});
        let d = compare(
            &v,
            &json!({"n": 1.0, "labels": {"env": "prod"}, "name": "a"}),
            &state_opts(),
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(d.against, "state");
    }

    #[test]
    fn paths_print_as_terraform_does() {
        let e = json!({
            "labels": {"env": "prod", "team": "a"},
            "template": [{"containers": [{"image": "app:1", "env": [{"name": "A"}]}]}]
        });
        let l = json!({
            "labels": {"env": "dev", "team": "a", "new key": "x"},
            "template": [{"containers": [{"image": "app:2", "env": [{"name": "A"}]}]}]
        });
        let d = compare(&e, &l, &state_opts());
        assert_eq!(
            paths(&d),
            [
                "labels[\"env\"]",
                "labels[\"new key\"]",
                "template[0].containers[0].image"
            ]
        );
        assert_eq!(d.changes[0].expected, Some(json!("prod")));
        assert_eq!(d.changes[0].live, Some(json!("dev")));
        assert_eq!(d.changes[1].expected, None);
        assert_eq!(d.changes[1].live, Some(json!("x")));
    }

    #[test]
    fn null_and_empty_collections_are_not_drift() {
        let d = compare(
            &json!({"a": null, "b": [], "c": {}, "d": null}),
            &json!({"a": [], "b": null, "c": null}),
            &state_opts(),
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn list_length_changes_show_added_and_removed_elements() {
        let d = compare(
            &json!({"l": ["a", "b"]}),
            &json!({"l": ["a", "c", "d"]}),
            &state_opts(),
        );
        assert_eq!(paths(&d), ["l[1]", "l[2]"]);
        assert_eq!(d.changes[1].expected, None);
    }

    #[test]
    fn ignored_paths_are_not_compared() {
        let mut o = state_opts();
        o.ignore = vec![
            "etag".into(),
            "template[*].generation".into(),
            "labels".into(),
        ];
        let d = compare(
            &json!({"etag": "1", "labels": {"a": "1"}, "template": [{"generation": 1, "x": 1}]}),
            &json!({"etag": "2", "labels": {"a": "2"}, "template": [{"generation": 2, "x": 1}]}),
            &o,
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn configuration_compares_only_what_it_sets() {
        let o = DiffOptions::new(Against::Configuration);
        let d = compare(
            &json!({"name": "b", "location": "EU", "labels": {"env": "prod"}, "versioning": null}),
            &json!({"name": "b", "location": "US", "labels": {"env": "prod", "x": "y"},
                    "storage_class": "STANDARD", "versioning": [{"enabled": true}]}),
            &o,
        );
        assert_eq!(paths(&d), ["location"]);
        assert_eq!(d.against, "configuration");
    }

    #[test]
    fn sensitive_state_values_are_redacted_on_both_sides() {
        let mut o = state_opts();
        o.sensitive = Sensitivity::Paths(vec![AttrPath(vec![
            PathStep::Attr("input".into()),
            PathStep::Attr("password".into()),
        ])]);
        let d = compare(
            &json!({"input": {"password": "hunter2", "user": "bob"}}),
            &json!({"input": {"password": "swordfish", "user": "alice"}}),
            &o,
        );
        let text = serde_json::to_string(&d).unwrap();
        assert!(
            !text.contains("hunter2") && !text.contains("swordfish"),
            "{text}"
        );
        let pw = &d.changes[0];
        assert_eq!(pw.path, "input[\"password\"]");
        assert!(pw.sensitive);
        assert_eq!(pw.expected, Some(json!(REDACTED)));
        assert_eq!(pw.live, Some(json!(REDACTED)));
        assert!(!d.changes[1].sensitive);
        assert_eq!(d.changes[1].live, Some(json!("alice")));
    }

    #[test]
    fn a_changed_parent_of_a_sensitive_leaf_is_redacted_whole() {
        let mut o = state_opts();
        o.sensitive = Sensitivity::Paths(vec![AttrPath(vec![
            PathStep::Attr("conf".into()),
            PathStep::Key("token".into()),
        ])]);
        // The shape changes (object to string), so the whole value is shown as one change.
        let d = compare(
            &json!({"conf": {"token": "s3cret"}}),
            &json!({"conf": "plain"}),
            &o,
        );
        assert_eq!(d.changes.len(), 1);
        assert!(d.changes[0].sensitive);
        assert!(!serde_json::to_string(&d).unwrap().contains("s3cret"));
    }

    #[test]
    fn everything_sensitive_redacts_every_change() {
        let mut o = state_opts();
        o.sensitive = Sensitivity::Everything;
        let d = compare(&json!({"a": "x"}), &json!({"a": "y"}), &o);
        assert!(d.changes[0].sensitive);
        assert_eq!(d.changes[0].live, Some(json!(REDACTED)));
    }

    #[test]
    fn catalog_secrets_are_redacted_even_when_state_does_not_mark_them() {
        let mut o = state_opts();
        o.secret = vec!["secret_data".into(), "settings[*].password".into()];
        let d = compare(
            &json!({"secret_data": "a", "settings": [{"password": "p1", "tier": "x"}]}),
            &json!({"secret_data": "b", "settings": [{"password": "p2", "tier": "y"}]}),
            &o,
        );
        assert_eq!(
            paths(&d),
            ["secret_data", "settings[0].password", "settings[0].tier"]
        );
        assert!(d.changes[0].sensitive && d.changes[1].sensitive && !d.changes[2].sensitive);
        let text = serde_json::to_string(&d).unwrap();
        assert!(!text.contains("p1") && !text.contains("p2"));
    }

    #[test]
    fn dynamic_attributes_are_compared_by_value() {
        let mut o = state_opts();
        o.sensitive = Sensitivity::Paths(vec![AttrPath(vec![
            PathStep::Attr("input".into()),
            PathStep::Attr("pw".into()),
        ])]);
        let d = compare(
            &json!({"input": {"value": {"pw": "a", "u": "x"}, "type": ["object", {"pw": "string", "u": "string"}]},
                    "tags": {"value": "v", "type": "not a type"}}),
            &json!({"input": {"pw": "b", "u": "x"}, "tags": {"value": "v", "type": "not a type"}}),
            &o,
        );
        assert_eq!(paths(&d), ["input[\"pw\"]"]);
        assert!(d.changes[0].sensitive);
    }

    #[test]
    fn already_redacted_reference_values_are_not_reported_as_drift() {
        let d = compare(
            &json!({"pw": REDACTED}),
            &json!({"pw": "clear"}),
            &state_opts(),
        );
        assert!(d.is_empty());
    }

    #[test]
    fn a_number_written_as_text_is_the_same_number() {
        assert!(equal_leaves(Some(&json!(256)), Some(&json!("256"))));
        assert!(equal_leaves(Some(&json!("0.5")), Some(&json!(0.5))));
        assert!(!equal_leaves(Some(&json!(256)), Some(&json!("257"))));
        assert!(!equal_leaves(Some(&json!(256)), Some(&json!(" 256"))));
        assert!(!equal_leaves(Some(&json!(1)), Some(&json!("true"))));
    }
}
