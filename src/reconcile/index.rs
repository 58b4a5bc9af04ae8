//! Phase 1, index: the selected state's instances by address, and the live side by identity
//! (`(type, import ID)`, identity attributes, natural keys), with what the inventory covers.
//! Lookups are hash lookups; nothing here scans one side per element of the other.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use serde_json::Value as Json;

use super::normalize;
use super::{Damage, StateInput, StateRead};
use crate::addr::{Mode, ResourceInstance};
use crate::catalog::{lookup_attr, Catalog, TypeInfo};
use crate::findings::SourceError;
use crate::inventory::{Cloud, Inventory, InventoryError, LiveResource};
use crate::map::Map;
use crate::state::{InstanceObject, StoredAttributes};

pub fn catalog_for(tf_type: &str) -> Option<&'static TypeInfo> {
    match cloud_of(tf_type)? {
        Cloud::Gcp => Catalog::gcp().get(tf_type),
        Cloud::Aws => Catalog::aws().get(tf_type),
    }
}

pub fn cloud_of(tf_type: &str) -> Option<Cloud> {
    if tf_type.starts_with("google_") {
        Some(Cloud::Gcp)
    } else if tf_type.starts_with("aws_") {
        Some(Cloud::Aws)
    } else {
        None
    }
}

/// The selected workspace's state, indexed by address.
pub struct StateIndex<'a> {
    /// Managed instances of the selected state(s), with the state they come from.
    pub selected: HashMap<ResourceInstance, (&'a StateInput, &'a InstanceObject)>,
    /// Why the selected workspace's state could not be read, when it could not.
    pub selected_unreadable: Option<&'a str>,
    /// Whether any scanned state could not be read: then nobody can say that a live
    /// resource is managed by no state.
    pub any_unreadable: bool,
    /// The unreadable parts of the selected state(s), and of every scanned state.
    pub selected_damage: Vec<&'a Damage>,
    pub damage: Vec<&'a Damage>,
}

impl<'a> StateIndex<'a> {
    pub fn new(states: &'a [StateInput]) -> Self {
        let mut selected = HashMap::new();
        let mut selected_unreadable = None;
        let mut any_unreadable = false;
        let mut selected_damage = Vec::new();
        let mut damage = Vec::new();
        for s in states {
            if s.damage != Damage::None {
                damage.push(&s.damage);
                if s.selected {
                    selected_damage.push(&s.damage);
                }
            }
            if let StateRead::Unreadable(why) = &s.state {
                any_unreadable = true;
                if s.selected {
                    selected_unreadable.get_or_insert(why.as_str());
                }
            }
            if !s.selected {
                continue;
            }
            let Some(state) = s.state.state() else {
                continue;
            };
            for (addr, _res, obj) in state.current_instances() {
                if addr.resource.mode == Mode::Managed {
                    selected.insert(addr, (s, obj));
                }
            }
        }
        StateIndex {
            selected,
            selected_unreadable,
            any_unreadable,
            selected_damage,
            damage,
        }
    }

    /// Whether an unreadable part of the selected state might record `addr`.
    pub fn damaged(&self, addr: &ResourceInstance) -> bool {
        self.selected_damage.iter().any(|d| d.covers(addr))
    }

    /// Whether a scanned state that could not be read, wholly or in part, might record a
    /// live resource of `tf_type`: then nobody can say that no state manages it.
    pub fn may_record(&self, tf_type: &str) -> bool {
        self.any_unreadable || self.damage.iter().any(|d| d.covers_type(tf_type))
    }

    /// The selected state's attributes (secrets included, for evaluation and matching only),
    /// as the configuration's evaluation reads them: on demand, sharing the state's text.
    pub fn values(&self) -> crate::config::StateValues {
        let stored: HashMap<ResourceInstance, StoredAttributes> = self
            .selected
            .iter()
            .map(|(a, (_, obj))| (a.clone(), obj.stored_attributes()))
            .collect();
        crate::config::StateValues(Some(std::sync::Arc::new(StateAttributes(stored))))
    }
}

/// The selected state's attributes, read when the configuration's evaluation asks.
struct StateAttributes(HashMap<ResourceInstance, StoredAttributes>);

impl crate::config::AttributeSource for StateAttributes {
    fn contains(&self, addr: &ResourceInstance) -> bool {
        self.0.contains_key(addr)
    }

    fn get(&self, addr: &ResourceInstance) -> Option<Json> {
        self.0.get(addr).map(StoredAttributes::read)
    }
}

/// What failed to list, as the reconciler needs it.
#[derive(Default)]
struct Failures {
    /// Native types (or Terraform types) whose listing failed somewhere.
    types: HashSet<String>,
    /// Parent asset types whose IAM policies could not be read.
    iam_parents: HashSet<String>,
    /// Scopes that failed as a whole.
    scopes: HashSet<String>,
    /// A failure with no scope: nothing is covered.
    everything: bool,
}

impl Failures {
    fn new(errors: &[InventoryError]) -> Self {
        let mut f = Failures::default();
        for e in errors {
            match (e.scope.is_empty(), e.type_name.is_empty()) {
                (true, true) => f.everything = true,
                (false, true) => {
                    f.scopes.insert(e.scope.clone());
                }
                _ => match e.type_name.strip_suffix(" (IAM policy)") {
                    Some(parent) => {
                        f.iam_parents.insert(parent.to_string());
                    }
                    None => {
                        f.types.insert(e.type_name.clone());
                    }
                },
            }
        }
        f
    }
}

/// Whether the live side can say that a resource does not exist, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    Covered,
    /// The catalog cannot list the type.
    NotListable,
    /// The type's listing (or its parent's IAM policy) failed.
    Failed,
    /// Its cloud, project or account was not listed.
    ScopeNotListed,
}

/// The live resources under one key of an index: almost always one, kept without a vector.
#[derive(Debug)]
enum Hits {
    One(usize),
    Many(Vec<usize>),
}

impl Hits {
    fn push(&mut self, i: usize) {
        match self {
            Hits::One(first) => *self = Hits::Many(vec![*first, i]),
            Hits::Many(v) => v.push(i),
        }
    }

    fn as_slice(&self) -> &[usize] {
        match self {
            Hits::One(i) => std::slice::from_ref(i),
            Hits::Many(v) => v,
        }
    }
}

/// Adds resource `i` under `key`.
fn add_hit<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Hits>, key: K, i: usize) {
    map.entry(key)
        .and_modify(|hits| hits.push(i))
        .or_insert(Hits::One(i));
}

/// The live side, indexed.
pub struct LiveIndex<'a> {
    pub resources: &'a [LiveResource],
    norm: &'a normalize::Context,
    /// type → import ID → resources.
    by_id: HashMap<&'a str, HashMap<&'a str, Hits>>,
    /// type → identity attribute values (joined) → resources. Identity is what the import ID
    /// is made of, so this matches even when two sides would spell the ID differently (a
    /// bucket's optional project prefix, a project number for an ID).
    by_identity: HashMap<&'a str, HashMap<String, Hits>>,
    /// `(type, natural key attribute, value)`.
    by_natural: HashMap<(&'a str, String, String), Hits>,
    /// Clouds listed (or that a snapshot covers), and the projects and accounts seen.
    clouds: HashSet<Cloud>,
    scopes: HashSet<String>,
    failures: Failures,
}

impl<'a> LiveIndex<'a> {
    pub fn new(inv: &'a Inventory, norm: &'a normalize::Context) -> Self {
        let mut index = LiveIndex {
            resources: &inv.resources,
            norm,
            by_id: HashMap::new(),
            by_identity: HashMap::new(),
            by_natural: HashMap::new(),
            clouds: HashSet::new(),
            scopes: HashSet::new(),
            failures: Failures::new(&inv.errors),
        };
        for (i, r) in inv.resources.iter().enumerate() {
            let attrs = r.attributes.value();
            index.add_natural(i, r, &attrs);
            index.add(i, r, &live_values(r, attrs, norm));
        }
        index
    }

    /// A live resource's attributes as references read them once it is matched, normalised
    /// (made when asked for: most resources never are).
    pub fn values(&self, i: usize) -> Json {
        let r = &self.resources[i];
        live_values(r, r.attributes.value(), self.norm)
    }

    fn add(&mut self, i: usize, r: &'a LiveResource, values: &Json) {
        self.clouds.insert(r.cloud);
        self.scopes.extend(r.project.iter().cloned());
        self.scopes.extend(r.account.iter().cloned());
        let Some(t) = r.tf_type.as_deref() else {
            return;
        };
        if let Some(id) = r.import_id.as_deref() {
            add_hit(self.by_id.entry(t).or_default(), id, i);
        }
        let Some(info) = catalog_for(t) else {
            return;
        };
        // Index under every type that shares the native type (Cloud Run v1 and v2 services
        // are one asset type), so a declaration of either finds it.
        let mut types: Vec<&TypeInfo> = Catalog::for_cloud(r.cloud)
            .by_native_type(&r.native_type)
            .collect();
        if !types.iter().any(|x| x.type_name == info.type_name) {
            types.push(info);
        }
        for alias in types {
            if let Some(key) = identity_key(alias, values) {
                let by_key = self
                    .by_identity
                    .entry(alias.type_name.as_str())
                    .or_default();
                add_hit(by_key, key, i);
            }
        }
    }

    /// Indexes a resource by its natural keys, from its attributes as listed.
    fn add_natural(&mut self, i: usize, r: &'a LiveResource, attrs: &Json) {
        let Some(info) = r.tf_type.as_deref().and_then(catalog_for) else {
            return;
        };
        for key in &info.natural_keys {
            if let Some(v) = natural_value(attrs, &r.labels, key) {
                let natural = (info.type_name.as_str(), key.clone(), v);
                add_hit(&mut self.by_natural, natural, i);
            }
        }
    }

    pub fn lookup_id(&self, tf_type: &str, id: &str) -> &[usize] {
        self.by_id
            .get(tf_type)
            .and_then(|m| m.get(id))
            .map(Hits::as_slice)
            .unwrap_or(&[])
    }

    pub fn lookup_identity(&self, tf_type: &str, key: &str) -> &[usize] {
        self.by_identity
            .get(tf_type)
            .and_then(|m| m.get(key))
            .map(Hits::as_slice)
            .unwrap_or(&[])
    }

    pub fn lookup_natural<'s>(&'s self, tf_type: &'s str, key: &str, value: &str) -> &'s [usize] {
        self.by_natural
            .get(&(tf_type, key.to_string(), value.to_string()))
            .map(Hits::as_slice)
            .unwrap_or(&[])
    }

    /// Whether the live side can say that a resource of this type (in this project or
    /// account) does not exist.
    pub fn coverage(&self, info: &TypeInfo, scope: Option<&str>) -> Coverage {
        let Some(cloud) = cloud_of(&info.type_name) else {
            return Coverage::NotListable;
        };
        let iam_parent = info
            .gcp
            .as_ref()
            .and_then(|g| g.iam.as_ref())
            .map(|i| i.parent_asset_type.as_str());
        let native = info.native_type();
        if native.is_none() && iam_parent.is_none() {
            return Coverage::NotListable;
        }
        if !self.clouds.contains(&cloud) {
            return Coverage::ScopeNotListed;
        }
        let f = &self.failures;
        if f.everything
            || f.types.contains(&info.type_name)
            || native.is_some_and(|n| f.types.contains(n))
            || iam_parent.is_some_and(|p| f.iam_parents.contains(p))
        {
            return Coverage::Failed;
        }
        let prefix = match cloud {
            Cloud::Gcp => "gcp:",
            Cloud::Aws => "aws:",
        };
        let scope_failed = f
            .scopes
            .iter()
            .filter(|x| x.starts_with(prefix))
            .any(|failed| {
                // A resource that cannot be placed in a scope may be in the one that failed.
                scope.is_none_or(|s| {
                    failed.ends_with(&format!("/{s}")) || failed.ends_with(&format!(":{s}"))
                })
            });
        if scope_failed {
            return Coverage::Failed;
        }
        match scope {
            Some(s) if !self.scopes.is_empty() && !self.scopes.contains(s) => {
                Coverage::ScopeNotListed
            }
            _ => Coverage::Covered,
        }
    }
}

/// The identity attribute values of a resource, joined; `None` when one is not known.
pub fn identity_key(info: &TypeInfo, attrs: &Json) -> Option<String> {
    if info.identity.is_empty() {
        return None;
    }
    let mut parts = Vec::with_capacity(info.identity.len());
    for attr in &info.identity {
        parts.push(lookup_attr(attrs, attr)?);
    }
    Some(parts.join("\u{1f}"))
}

/// The value of a natural key (`display_name`, `tags.Name`, `labels.x`), as a string.
pub fn natural_value(attributes: &Json, labels: &Map<String>, key: &str) -> Option<String> {
    lookup_attr(attributes, key).or_else(|| {
        ["tags.", "labels."]
            .iter()
            .find_map(|p| key.strip_prefix(p))
            .and_then(|k| labels.get(k).cloned())
    })
}

/// The attributes of a live resource as other resources' references read them once it is
/// matched: its live attributes, the project, and its `id` in the provider's own format when
/// the catalog records it (never the import ID, which differs for many types). Normalised.
fn live_values(r: &LiveResource, attrs: Json, norm: &normalize::Context) -> Json {
    let mut attrs = match attrs {
        Json::Object(m) => m,
        _ => Default::default(),
    };
    if let Some(p) = &r.project {
        attrs
            .entry("project".to_string())
            .or_insert_with(|| Json::String(p.clone()));
    }
    let mut attrs = Json::Object(attrs);
    if let Some(info) = r.tf_type.as_deref().and_then(catalog_for) {
        normalize::identity(info, &mut attrs, norm);
        if attrs.get("id").is_none() {
            if let Some(id) = info.render_id(&attrs) {
                attrs["id"] = Json::String(id);
            }
        }
    }
    attrs
}

/// The inventory's errors, as the report's source errors.
pub fn inventory_errors(inv: &Inventory) -> Vec<SourceError> {
    inv.errors
        .iter()
        .map(|e| SourceError {
            source: if e.type_name.is_empty() {
                e.scope.clone()
            } else {
                format!("{} {}", e.scope, e.type_name)
            },
            reason: e.reason.clone(),
        })
        .collect()
}
