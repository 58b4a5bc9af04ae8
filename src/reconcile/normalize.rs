//! Identity normalisation: the provider accepts several spellings of one parent (a key ring
//! as `project/location/name` or `projects/…/keyRings/name`, a folder as `folders/N` or `N`,
//! a topic by name or by `id`, a project by number or by ID). Before anything is matched, the
//! identity attributes of every side — configuration, state, live — are rewritten into one
//! spelling by the named pure passes of [`PASSES`], in order. A pass that would need a value
//! nobody knows leaves the attribute as written: it never guesses.

use std::collections::HashMap;

use serde_json::{Map, Value as Json};

use crate::catalog::TypeInfo;
use crate::inventory::Inventory;

/// What the passes may look up: facts the live side established.
#[derive(Debug, Default)]
pub struct Context {
    /// Project number → project ID, from the projects the inventory lists.
    project_ids: HashMap<String, String>,
}

impl Context {
    pub fn from_inventory(inv: &Inventory) -> Self {
        let mut project_ids = HashMap::new();
        for r in &inv.resources {
            if r.tf_type.as_deref() != Some("google_project") {
                continue;
            }
            let attrs = r.attributes.value();
            let id = attrs.get("project_id").and_then(Json::as_str);
            let number = match attrs.get("number") {
                Some(Json::String(s)) => Some(s.clone()),
                Some(Json::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            if let (Some(id), Some(number)) = (id, number) {
                project_ids.insert(number, id.to_string());
            }
        }
        Context { project_ids }
    }

    #[cfg(test)]
    pub fn with_project(number: &str, id: &str) -> Self {
        Context {
            project_ids: [(number.to_string(), id.to_string())].into(),
        }
    }
}

type Pass = fn(&str, &mut Map<String, Json>, &Context);

/// Every pass, in the order they run. Each takes the Terraform type, the attributes and the
/// context, and rewrites only the attributes it names.
pub const PASSES: &[(&str, Pass)] = &[
    ("project_number_to_id", project_number_to_id),
    ("folder_resource_name", folder_resource_name),
    ("numeric_folder_and_org_ids", numeric_folder_and_org_ids),
    ("kms_key_ring_long_form", kms_key_ring_long_form),
    ("kms_crypto_key_long_form", kms_crypto_key_long_form),
    ("pubsub_parent_by_id", pubsub_parent_by_id),
];

/// Runs every pass over a resource's attributes.
pub fn identity(info: &TypeInfo, attrs: &mut Json, ctx: &Context) {
    let Json::Object(map) = attrs else { return };
    for (_, pass) in PASSES {
        pass(&info.type_name, map, ctx);
    }
}

fn string<'a>(map: &'a Map<String, Json>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Json::as_str)
}

/// `project = "123456789012"` names the project by number; the catalog's identities use IDs.
fn project_number_to_id(_: &str, map: &mut Map<String, Json>, ctx: &Context) {
    let Some(p) = string(map, "project") else {
        return;
    };
    let digits = p.strip_prefix("projects/").unwrap_or(p);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(id) = ctx.project_ids.get(digits) {
            map.insert("project".into(), Json::String(id.clone()));
        }
    }
}

/// `folder` of the folder IAM types is `folders/N`; `N` alone means the same folder.
fn folder_resource_name(tf_type: &str, map: &mut Map<String, Json>, _: &Context) {
    if !tf_type.starts_with("google_folder_") {
        return;
    }
    if let Some(f) = string(map, "folder") {
        if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) {
            let long = format!("folders/{f}");
            map.insert("folder".into(), Json::String(long));
        }
    }
}

/// `folder_id` and `org_id` are numbers; `folders/N` and `organizations/N` name the same.
fn numeric_folder_and_org_ids(_: &str, map: &mut Map<String, Json>, _: &Context) {
    for (key, prefix) in [("folder_id", "folders/"), ("org_id", "organizations/")] {
        if let Some(short) = string(map, key).and_then(|v| v.strip_prefix(prefix)) {
            let short = short.to_string();
            map.insert(key.into(), Json::String(short));
        }
    }
}

/// `project/location/ring` → `projects/project/locations/location/keyRings/ring`.
fn kms_key_ring_long_form(_: &str, map: &mut Map<String, Json>, _: &Context) {
    for key in ["key_ring_id", "key_ring"] {
        let Some(v) = string(map, key) else { continue };
        let parts: Vec<&str> = v.split('/').collect();
        if let [project, location, ring] = parts[..] {
            if !v.starts_with("projects/") && parts.iter().all(|p| !p.is_empty()) {
                let long = format!("projects/{project}/locations/{location}/keyRings/{ring}");
                map.insert(key.into(), Json::String(long));
            }
        }
    }
}

/// `project/location/ring/key`, or `location/ring/key` in the provider's project, →
/// `projects/project/locations/location/keyRings/ring/cryptoKeys/key`.
fn kms_crypto_key_long_form(_: &str, map: &mut Map<String, Json>, _: &Context) {
    let Some(v) = string(map, "crypto_key_id") else {
        return;
    };
    if v.starts_with("projects/") {
        return;
    }
    let parts: Vec<&str> = v.split('/').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return;
    }
    let project = string(map, "project");
    let long = match (parts.as_slice(), project) {
        (&[p, l, r, k], _) => format!("projects/{p}/locations/{l}/keyRings/{r}/cryptoKeys/{k}"),
        (&[l, r, k], Some(p)) => format!("projects/{p}/locations/{l}/keyRings/{r}/cryptoKeys/{k}"),
        _ => return,
    };
    map.insert("crypto_key_id".into(), Json::String(long));
}

/// A topic or subscription of the Pub/Sub IAM types given by its `id`
/// (`projects/P/topics/T`) is the name `T` in project `P`.
fn pubsub_parent_by_id(tf_type: &str, map: &mut Map<String, Json>, _: &Context) {
    let (key, collection) = match tf_type {
        t if t.starts_with("google_pubsub_topic_iam_") => ("topic", "topics"),
        t if t.starts_with("google_pubsub_subscription_iam_") => ("subscription", "subscriptions"),
        _ => return,
    };
    let Some(v) = string(map, key) else { return };
    let parts: Vec<&str> = v.split('/').collect();
    if let ["projects", project, c, name] = parts[..] {
        if c == collection && !project.is_empty() && !name.is_empty() {
            let (project, name) = (project.to_string(), name.to_string());
            map.insert("project".into(), Json::String(project));
            map.insert(key.into(), Json::String(name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use serde_json::json;

    fn run(tf_type: &str, attrs: Json, ctx: &Context) -> Json {
        let info = Catalog::gcp()
            .get(tf_type)
            .or_else(|| Catalog::aws().get(tf_type))
            .unwrap_or_else(|| panic!("{tf_type} is catalogued"));
        let mut attrs = attrs;
        identity(info, &mut attrs, ctx);
        attrs
    }

    #[test]
    fn every_documented_spelling_becomes_one() {
        let ctx = Context::with_project("123456789012", "acme-prod");
        let long_ring = "projects/p/locations/europe-west1/keyRings/r";
        let long_key = "projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k";
        // (type, written, normalised)
        let cases = [
            (
                "google_kms_key_ring_iam_member",
                json!({"key_ring_id": "p/europe-west1/r"}),
                json!({"key_ring_id": long_ring}),
            ),
            (
                "google_kms_key_ring_iam_member",
                json!({"key_ring_id": long_ring}),
                json!({"key_ring_id": long_ring}),
            ),
            (
                "google_kms_crypto_key",
                json!({"key_ring": "p/europe-west1/r", "name": "k"}),
                json!({"key_ring": long_ring, "name": "k"}),
            ),
            (
                "google_kms_crypto_key_iam_member",
                json!({"crypto_key_id": "p/europe-west1/r/k"}),
                json!({"crypto_key_id": long_key}),
            ),
            (
                "google_kms_crypto_key_iam_member",
                json!({"crypto_key_id": "europe-west1/r/k", "project": "p"}),
                json!({"crypto_key_id": long_key, "project": "p"}),
            ),
            // No project to complete the short form with: left as written, never guessed.
            (
                "google_kms_crypto_key_iam_member",
                json!({"crypto_key_id": "europe-west1/r/k"}),
                json!({"crypto_key_id": "europe-west1/r/k"}),
            ),
            (
                "google_folder_iam_member",
                json!({"folder": "1234"}),
                json!({"folder": "folders/1234"}),
            ),
            (
                "google_folder_iam_member",
                json!({"folder": "folders/1234"}),
                json!({"folder": "folders/1234"}),
            ),
            (
                "google_folder",
                json!({"folder_id": "folders/1234"}),
                json!({"folder_id": "1234"}),
            ),
            (
                "google_organization_iam_member",
                json!({"org_id": "organizations/42"}),
                json!({"org_id": "42"}),
            ),
            (
                "google_pubsub_topic_iam_member",
                json!({"topic": "projects/other/topics/t", "project": "default-project"}),
                json!({"topic": "t", "project": "other"}),
            ),
            (
                "google_pubsub_subscription_iam_member",
                json!({"subscription": "projects/p/subscriptions/s"}),
                json!({"subscription": "s", "project": "p"}),
            ),
            (
                "google_pubsub_topic_iam_member",
                json!({"topic": "t", "project": "p"}),
                json!({"topic": "t", "project": "p"}),
            ),
            (
                "google_storage_bucket",
                json!({"project": "123456789012", "name": "b"}),
                json!({"project": "acme-prod", "name": "b"}),
            ),
            // An unknown project number stays a number.
            (
                "google_storage_bucket",
                json!({"project": "999", "name": "b"}),
                json!({"project": "999", "name": "b"}),
            ),
        ];
        for (tf_type, written, want) in cases {
            assert_eq!(
                run(tf_type, written.clone(), &ctx),
                want,
                "{tf_type} {written}"
            );
        }
    }

    #[test]
    fn project_numbers_come_from_listed_projects() {
        let inv: Inventory = serde_json::from_value(json!({
            "resources": [{
                "cloud": "gcp", "tf_type": "google_project",
                "native_type": "cloudresourcemanager.googleapis.com/Project",
                "name": "//cloudresourcemanager.googleapis.com/projects/42",
                "attributes": {"project_id": "acme", "number": "42"}, "source": "t",
            }],
            "errors": [],
        }))
        .unwrap();
        let ctx = Context::from_inventory(&inv);
        let out = run("google_storage_bucket", json!({"project": "42"}), &ctx);
        assert_eq!(out, json!({"project": "acme"}));
    }
}
