//! How reconciliation asks for diffs: only the attributes the live side reports are compared
//! (a lister maps what the API returns; an attribute it does not report is not drift), with
//! the catalog's ignore, secret and JSON-attribute lists. Redaction happens in [`crate::diff`].

use std::collections::BTreeSet;

use serde_json::Value as Json;

use crate::catalog::TypeInfo;
use crate::diff::{self, Against, DiffOptions};
use crate::findings::Diff;
use crate::inventory::LiveResource;
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
    let expected = comparable(with_secrets, &live.attributes);
    diff::compare(
        &expected,
        &live.attributes,
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
    let expected = comparable(expected, &live.attributes);
    let mut o = options(Against::Configuration, info, Sensitivity::Paths(Vec::new()));
    o.secret.extend(sensitive.iter().cloned());
    diff::compare(&expected, &live.attributes, &o)
}
