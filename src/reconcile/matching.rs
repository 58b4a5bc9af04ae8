//! Phase 2, match: finding the live resource of a state entry or of a declared instance,
//! through the indexes of [`super::index`] — identity attributes first, then the import ID,
//! then natural keys for cloud-assigned IDs — and the owners of every live resource across
//! the scanned states. The selected state's entries are compared with the live resource they
//! match here, while their attributes are parsed ([`StateMatch`]). Never a guess: several candidates are [`Match::Many`], an identity that
//! needs what is only known after apply is [`Match::Unknowable`].

use std::borrow::Cow;
use std::collections::BTreeSet;

use foldhash::HashMap;

use serde_json::Value as Json;

use super::diff;
use super::index::{catalog_for, identity_key, natural_value, LiveIndex};
use super::normalize;
use super::StateInput;
use crate::addr::{AbsResource, InstanceKey, Mode, ResourceInstance};
use crate::catalog::TypeInfo;
use crate::config::{Config, Instance, Value};
use crate::findings::Diff;
use crate::state::InstanceObject;

#[derive(Debug, Clone, PartialEq)]
pub enum Match {
    One(usize),
    /// Several live resources match, and on what.
    Many(Vec<usize>, String),
    None,
    /// The identity could not be computed (unknown attributes, no catalog row).
    Unknowable(String),
}

/// What the match phase found for the scanned states.
#[derive(Default)]
pub struct Matched<'a> {
    /// Every scanned state entry matched to a live resource, by live resource (in scan order
    /// within one).
    owners: Vec<Owner<'a>>,
    /// The selected state's entries and what they matched.
    pub selected: HashMap<ResourceInstance, StateMatch>,
}

/// A scanned state's entry that matched a live resource, borrowed from the state.
#[derive(Debug, Clone, Copy)]
pub struct Owner<'a> {
    /// The live resource.
    pub live: usize,
    /// The state's label.
    pub label: &'a str,
    resource: &'a AbsResource,
    key: &'a InstanceKey,
}

impl Owner<'_> {
    /// The entry's address.
    pub fn addr(&self) -> ResourceInstance {
        self.resource.instance(self.key.clone())
    }
}

impl<'a> Matched<'a> {
    /// The scanned state entries matched to live resource `i`.
    pub fn owners(&self, i: usize) -> &[Owner<'a>] {
        let start = self.owners.partition_point(|o| o.live < i);
        let end = self.owners.partition_point(|o| o.live <= i);
        &self.owners[start..end]
    }

    /// Every live resource some scanned state records, with the entries that record it, by
    /// live resource.
    pub fn owned(&self) -> impl Iterator<Item = (usize, &[Owner<'a>])> {
        self.owners
            .chunk_by(|a, b| a.live == b.live)
            .map(|c| (c[0].live, c))
    }
}

/// What a state entry matched, with the import ID when known and, when it matched one live
/// resource, how the live resource differs from the state (`None`: in sync).
#[derive(Debug, Clone, PartialEq)]
pub struct StateMatch {
    pub found: Match,
    pub id: Option<String>,
    pub drift: Option<Diff>,
}

impl StateMatch {
    /// Matches a state entry (its attributes in clear, as stored) and compares it with the
    /// live resource it matched.
    pub fn new(
        live: &LiveIndex,
        info: &TypeInfo,
        attrs: &Json,
        obj: &InstanceObject,
        norm: &normalize::Context,
    ) -> StateMatch {
        let (found, id) = find_state_live(live, info, attrs, norm);
        let drift = match found {
            Match::One(i) => Some(diff::compare(
                attrs,
                &live.resources[i],
                info,
                obj.sensitivity(),
            ))
            .filter(|d| !d.is_empty()),
            _ => None,
        };
        StateMatch { found, id, drift }
    }
}

/// Matches every managed entry of every scanned state to the live side.
pub fn match_states<'a>(
    live: &LiveIndex,
    states: &'a [StateInput],
    norm: &normalize::Context,
) -> Matched<'a> {
    let mut out = Matched::default();
    for s in states {
        let Some(state) = s.state.state() else {
            continue;
        };
        for res in &state.resources {
            if res.addr.resource.mode != Mode::Managed {
                continue;
            }
            let Some(info) = catalog_for(&res.addr.resource.type_name) else {
                continue;
            };
            for obj in res.instances.iter().filter(|o| o.deposed.is_none()) {
                let attrs = obj.attributes_with_secrets();
                let owner = |live| Owner {
                    live,
                    label: s.label.as_str(),
                    resource: &res.addr,
                    key: &obj.key,
                };
                if s.selected {
                    // The selected state's entries are compared with what they match here,
                    // while their attributes are parsed.
                    let m = StateMatch::new(live, info, &attrs, obj, norm);
                    if let Match::One(i) = m.found {
                        out.owners.push(owner(i));
                    }
                    out.selected.insert(res.addr.instance(obj.key.clone()), m);
                } else if let (Match::One(i), _) = find_state_live(live, info, &attrs, norm) {
                    out.owners.push(owner(i));
                }
            }
        }
    }
    // Stable: the entries of one live resource stay in scan order.
    out.owners.sort_by_key(|o| o.live);
    out
}

/// Finds the live resource for a set of Terraform attributes of a type (already normalised).
pub fn find_live(live: &LiveIndex, info: &TypeInfo, attrs: &Json) -> (Match, Option<String>) {
    let id = info.render_import_id(attrs);
    let region = aws_region(info, attrs);
    if let Some(key) = identity_key(info, attrs) {
        match in_region(live, region, live.lookup_identity(&info.type_name, &key)).as_ref() {
            [one] => return (Match::One(*one), id.ok()),
            [] => {}
            many => {
                let why = format!("identity {}", info.identity.join(", "));
                return (Match::Many(many.to_vec(), why), id.ok());
            }
        }
    }
    match id {
        Ok(id) => {
            let m = match in_region(live, region, live.lookup_id(&info.type_name, &id)).as_ref() {
                [] => Match::None,
                [one] => Match::One(*one),
                many => Match::Many(many.to_vec(), format!("import ID {id}")),
            };
            (m, Some(id))
        }
        Err(missing) => (by_natural_keys(live, info, attrs, &missing.0, region), None),
    }
}

/// The region an AWS resource lives in, when known: its own `region` argument or its
/// provider's. The same name in two regions is two resources.
fn aws_region<'a>(info: &TypeInfo, attrs: &'a Json) -> Option<&'a str> {
    if !info.type_name.starts_with("aws_") {
        return None;
    }
    attrs.get("region").and_then(Json::as_str)
}

/// The hits that live in `region` (or are global); all of them when the region is unknown.
fn in_region<'h>(live: &LiveIndex, region: Option<&str>, hits: &'h [usize]) -> Cow<'h, [usize]> {
    let Some(region) = region else {
        return Cow::Borrowed(hits);
    };
    let keep = |i: &usize| match live.resources[*i].location.as_deref() {
        None | Some("global") => true,
        Some(l) => l == region,
    };
    if hits.iter().all(keep) {
        Cow::Borrowed(hits)
    } else {
        Cow::Owned(hits.iter().copied().filter(keep).collect())
    }
}

/// Cloud-assigned IDs: a match on natural keys, every one of which must agree.
fn by_natural_keys(
    live: &LiveIndex,
    info: &TypeInfo,
    attrs: &Json,
    missing: &str,
    region: Option<&str>,
) -> Match {
    if info.natural_keys.is_empty() {
        return Match::Unknowable(format!(
            "its import ID needs `{missing}`, which is not known before apply"
        ));
    }
    let mut candidates: Option<BTreeSet<usize>> = None;
    let mut used = Vec::new();
    for key in &info.natural_keys {
        let Some(v) = natural_value(attrs, &Default::default(), key) else {
            continue;
        };
        let hits: BTreeSet<usize> =
            in_region(live, region, live.lookup_natural(&info.type_name, key, &v))
                .iter()
                .copied()
                .collect();
        used.push(format!("{key} = {v:?}"));
        candidates = Some(match candidates {
            None => hits,
            Some(c) => c.intersection(&hits).copied().collect(),
        });
    }
    match candidates {
        None => Match::Unknowable(format!(
            "neither its import ID (`{missing}` is not known before apply) nor its natural keys ({}) are known",
            info.natural_keys.join(", ")
        )),
        Some(c) if c.is_empty() => Match::None,
        Some(c) if c.len() == 1 => Match::One(*c.iter().next().unwrap()),
        Some(c) => Match::Many(c.into_iter().collect(), used.join(", ")),
    }
}

/// Matches a state entry to the live side: by its identity and import ID, then by its `id`
/// attribute.
pub fn find_state_live(
    live: &LiveIndex,
    info: &TypeInfo,
    attrs: &Json,
    norm: &normalize::Context,
) -> (Match, Option<String>) {
    let attrs = &*state_identity(info, attrs, norm);
    let (m, id) = find_live(live, info, attrs);
    match m {
        Match::None | Match::Unknowable(_) => {
            let raw_id = attrs.get("id").and_then(Json::as_str);
            if let Some(raw_id) = raw_id {
                match live.lookup_id(&info.type_name, raw_id) {
                    [one] => return (Match::One(*one), Some(raw_id.to_string())),
                    [] => {}
                    many => {
                        let why = format!("id {raw_id}");
                        return (Match::Many(many.to_vec(), why), Some(raw_id.to_string()));
                    }
                }
            }
            (m, id.or_else(|| raw_id.map(str::to_string)))
        }
        other => (other, id),
    }
}

/// A state entry's attributes with the identity attributes [`derive_identity`] adds and the
/// normalisation passes applied; copied only when something changes.
pub fn state_identity<'a>(
    info: &TypeInfo,
    attrs: &'a Json,
    norm: &normalize::Context,
) -> Cow<'a, Json> {
    let mut owned = attrs.clone();
    derive_identity(&info.type_name, &mut owned);
    normalize::identity(info, &mut owned, norm);
    Cow::Owned(owned)
}

/// The known part of a configuration object, as JSON (unknown attributes left out).
pub fn known_json(v: &Value) -> Json {
    match v {
        Value::Object(m) | Value::Partial(m) => Json::Object(
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), known_part(v)?)))
                .collect(),
        ),
        other => other.to_json().unwrap_or(Json::Null),
    }
}

fn known_part(v: &Value) -> Option<Json> {
    match v {
        Value::Unknown => None,
        Value::Object(_) | Value::Partial(_) => Some(known_json(v)),
        Value::List(items) => Some(Json::Array(
            items
                .iter()
                .map(|i| known_part(i).unwrap_or(Json::Null))
                .collect(),
        )),
        other => other.to_json(),
    }
}

/// The provider arguments a resource inherits when it leaves them out.
const PROVIDER_DEFAULTS: [&str; 3] = ["project", "region", "zone"];

/// Identity attributes of a declared instance: its known arguments, plus the provider's
/// `project`, `region` and `zone` where the resource leaves them out (the provider fills
/// them). An argument that is set but unknown (computed from another resource) stays unknown:
/// the provider's default would be a guess, and an import of the wrong resource.
pub fn identity_attributes(cfg: &Config, inst: &Instance, norm: &normalize::Context) -> Json {
    let mut attrs = known_json(&inst.attributes);
    let set = |key: &str| match &inst.attributes {
        Value::Object(m) | Value::Partial(m) => m.get(key).is_some_and(|v| *v != Value::Null),
        _ => false,
    };
    if let (Json::Object(map), Some(p)) = (&mut attrs, cfg.provider_config(inst)) {
        let provider = known_json(&p.attributes);
        for key in PROVIDER_DEFAULTS {
            if set(key) {
                continue;
            }
            if let Some(v) = provider.get(key).filter(|v| !v.is_null()) {
                map.insert(key.to_string(), v.clone());
            }
        }
    }
    if let Some(info) = catalog_for(&inst.addr.resource.type_name) {
        derive_identity(&info.type_name, &mut attrs);
        normalize::identity(info, &mut attrs, norm);
    }
    attrs
}

/// Identity attributes the provider computes by a fixed rule from arguments: derive them
/// rather than leave the resource unmatchable.
pub fn derive_identity(tf_type: &str, attrs: &mut Json) {
    let Json::Object(map) = attrs else { return };
    let s = |map: &serde_json::Map<String, Json>, k: &str| {
        map.get(k).and_then(Json::as_str).map(str::to_string)
    };
    if tf_type == "google_service_account" && !map.contains_key("email") {
        if let (Some(account), Some(project)) = (s(map, "account_id"), s(map, "project")) {
            map.insert(
                "email".into(),
                Json::String(format!("{account}@{project}.iam.gserviceaccount.com")),
            );
        }
    }
    if tf_type == "aws_ecs_service" && !map.contains_key("cluster_name") {
        // `cluster` is the cluster's ARN (or its name); the import ID names the cluster.
        if let Some(cluster) = s(map, "cluster").filter(|c| !c.is_empty()) {
            let name = cluster.rsplit('/').next().unwrap_or(&cluster).to_string();
            map.insert("cluster_name".into(), Json::String(name));
        }
    }
}

/// The import ID of a live resource for the type it is declared as (which may be a sibling
/// type sharing its native type).
pub fn import_id_for(info: &TypeInfo, live: &LiveIndex, i: usize) -> Option<String> {
    let r = &live.resources[i];
    if r.tf_type.as_deref() == Some(info.type_name.as_str()) {
        r.import_id.clone()
    } else {
        info.render_import_id(&live.values(i)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use serde_json::json;

    #[test]
    fn ecs_service_identity_names_the_cluster_of_its_arn() {
        let info = Catalog::aws().get("aws_ecs_service").unwrap();
        let norm = normalize::Context::default();
        let state = json!({
            "id": "arn:aws:ecs:us-east-1:123456789012:service/orders/billing",
            "name": "billing",
            "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/orders",
        });
        let derived = state_identity(info, &state, &norm);
        assert_eq!(info.render_import_id(&derived).unwrap(), "orders/billing");
        // A cluster given by name, as the provider also accepts.
        let mut by_name = json!({"name": "billing", "cluster": "orders"});
        derive_identity("aws_ecs_service", &mut by_name);
        assert_eq!(info.render_import_id(&by_name).unwrap(), "orders/billing");
        // Unknown cluster: nothing is made up.
        let mut unknown = json!({"name": "billing"});
        derive_identity("aws_ecs_service", &mut unknown);
        assert!(info.render_import_id(&unknown).is_err());
        // Nothing to derive: the same attributes.
        let queue_info = Catalog::aws().get("aws_sqs_queue").unwrap();
        let queue = json!({"name": "orders"});
        assert_eq!(*state_identity(queue_info, &queue, &norm), queue);
    }

    #[test]
    fn known_json_leaves_unknowns_out() {
        let v = Value::Object(
            [
                ("a".to_string(), Value::str("x")),
                ("b".to_string(), Value::Unknown),
                (
                    "c".to_string(),
                    Value::List(vec![Value::Unknown, Value::Bool(true)]),
                ),
            ]
            .into_iter()
            .collect(),
        );
        assert_eq!(known_json(&v), json!({"a": "x", "c": [null, true]}));
    }
}
