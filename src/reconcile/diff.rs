//! How reconciliation asks for diffs: only the attributes the live side reports are compared
//! (a lister maps what the API returns; an attribute it does not report is not drift), with
//! the catalog's ignore, secret and JSON-attribute lists. Redaction happens in [`crate::diff`].

use std::collections::BTreeSet;

use serde_json::Value as Json;

use crate::catalog::TypeInfo;
use crate::diff::{self, Against, DiffOptions};
use crate::findings::Diff;
use crate::inventory::{Cloud, LiveResource};
use crate::state::Sensitivity;

/// The reference side, cut down to the attributes the live side reports.
fn comparable(expected: &Json, live: &Json) -> Json {
    match (expected, live) {
        (Json::Object(e), Json::Object(l)) => Json::Object(
            e.iter()
                .filter(|(k, _)| l.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        _ => Json::Object(Default::default()),
    }
}

/// The live attributes to compare. Google's `labels` argument is not authoritative: the
/// provider manages only the labels the configuration sets, and labels that Google or other
/// tools add live are in `effective_labels`, not drift. So live labels are compared only under
/// the keys the reference side sets (a changed or removed label is still drift).
fn live_side(expected: &Json, cloud: Cloud, mut attrs: Json) -> Json {
    if cloud != Cloud::Gcp {
        return attrs;
    }
    if let (Some(Json::Object(want)), Some(Json::Object(labels))) =
        (expected.get("labels"), attrs.get_mut("labels"))
    {
        labels.retain(|k, _| want.contains_key(k));
    }
    attrs
}

fn options(against: Against, info: &TypeInfo, sensitive: Sensitivity) -> DiffOptions {
    let mut o = DiffOptions::new(against);
    o.ignore = info.ignore.clone();
    o.ignore.push("id".into());
    o.secret = info.secret.clone();
    o.json_attributes = info.json_attributes.clone();
    o.sensitive = sensitive;
    o
}

/// State against live. `with_secrets` is the state's attributes in clear: the diff module
/// compares them and redacts by `sensitivity` before anything enters the finding.
pub fn compare(
    with_secrets: &Json,
    live: &LiveResource,
    info: &TypeInfo,
    sensitivity: &Sensitivity,
) -> Diff {
    let attrs = live.attributes.value();
    let expected = comparable(with_secrets, &attrs);
    diff::compare(
        &expected,
        &live_side(&expected, live.cloud, attrs),
        &options(Against::State, info, sensitivity.clone()),
    )
}

/// Configuration against live: only the attributes the configuration sets and knows.
pub fn compare_config(
    expected: &Json,
    live: &LiveResource,
    info: &TypeInfo,
    sensitive: &BTreeSet<String>,
) -> Diff {
    let attrs = live.attributes.value();
    let expected = comparable(expected, &attrs);
    let mut o = options(Against::Configuration, info, Sensitivity::Paths(Vec::new()));
    o.secret.extend(sensitive.iter().cloned());
    diff::compare(&expected, &live_side(&expected, live.cloud, attrs), &o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn topic(labels: Json) -> LiveResource {
        serde_json::from_value(json!({
            "cloud": "gcp", "native_type": "pubsub.googleapis.com/Topic", "name": "//t",
            "attributes": {"name": "t", "labels": labels}, "source": "test",
        }))
        .unwrap()
    }

    #[test]
    fn google_labels_added_live_are_not_drift_but_changed_ones_are() {
        let info = crate::catalog::Catalog::gcp()
            .get("google_pubsub_topic")
            .unwrap();
        let state = json!({"name": "t", "labels": {"env": "dev"}});
        let none = Sensitivity::Paths(Vec::new());
        let added = topic(json!({"env": "dev", "goog-terraform-provisioned": "true"}));
        assert!(compare(&state, &added, info, &none).is_empty());
        let changed = topic(json!({"env": "prod", "other": "x"}));
        let d = compare(&state, &changed, info, &none);
        assert_eq!(d.changes.len(), 1, "{d:?}");
        let removed = topic(json!({"other": "x"}));
        assert!(!compare(&state, &removed, info, &none).is_empty());
    }
}
