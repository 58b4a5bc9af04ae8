//! Reconciliation: state × configuration × live inventory → findings and an import plan.
//!
//! Everything is joined through hash indexes keyed on identity — `(type, import ID)` first,
//! then the catalog's natural keys — never by nested scans, and every outcome is explicit,
//! including `ambiguous`. Identities that depend on another resource's computed attribute are
//! resolved by loading the configuration again with the values found so far (state entries,
//! then the live resources matched), until nothing new is learnt. No cloud SDK type and no
//! printing here: the result is data ([`crate::findings`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde_json::Value as Json;

use crate::addr::{InstanceKey, Mode, ModuleInstance, Resource, ResourceInstance};
use crate::backend::settings::Mismatch;
use crate::catalog::{lookup_attr, Catalog, TypeInfo};
use crate::config::{self, Config, Instance, LoadOptions, Node, Value};
use crate::findings::{
    Candidate, Finding, ImportEntry, ImportKind, ImportPlan, Kind, SourceError, SourceLocation,
};
use crate::inventory::{Cloud, Inventory, LiveResource};
use crate::state::State;

mod diff;

/// How many times the configuration is re-evaluated with newly learnt values.
const MAX_RESOLVE_ROUNDS: usize = 6;

/// One scanned state: where it came from and what it holds.
pub struct StateInput {
    /// `s3://bucket/key`, a path, `<stdin>`; with the workspace when it is not `default`.
    pub label: String,
    pub workspace: String,
    /// `None` when the workspace has no state (or an empty file).
    pub state: Option<State>,
    /// Other workspaces or keys of the same backend that hold resources, for the empty-state
    /// finding (`workspace "default" holds 21 resource instance(s)`).
    pub elsewhere: Vec<String>,
    /// Whether this is the state of the workspace the configuration is scanned for.
    pub selected: bool,
}

pub struct Options {
    /// Report resources that cloud services created for themselves as unmanaged too.
    pub strict: bool,
    /// Add unmanaged resources to the import plan, at their suggested addresses.
    pub include_unmanaged: bool,
}

/// Everything reconciliation concluded.
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Non-finding outcomes (`in_sync`, `pending`) and `unchecked` (types the catalog does
    /// not know, or that no listing covered).
    pub counted: BTreeMap<Kind, usize>,
    pub unchecked: usize,
    /// Why declared instances could not be checked (identity unknowable offline).
    pub unknowable: Vec<(ResourceInstance, String)>,
    pub imports: ImportPlan,
    pub errors: Vec<SourceError>,
    /// The configuration, as finally evaluated.
    pub config: Option<Config>,
}

fn catalog_for(tf_type: &str) -> Option<&'static TypeInfo> {
    if tf_type.starts_with("google_") {
        Catalog::gcp().get(tf_type)
    } else if tf_type.starts_with("aws_") {
        Catalog::aws().get(tf_type)
    } else {
        None
    }
}

fn cloud_of(tf_type: &str) -> Option<Cloud> {
    if tf_type.starts_with("google_") {
        Some(Cloud::Gcp)
    } else if tf_type.starts_with("aws_") {
        Some(Cloud::Aws)
    } else {
        None
    }
}

/// The live side, indexed.
struct LiveIndex<'a> {
    resources: &'a [LiveResource],
    /// type → import ID → resources.
    by_id: HashMap<&'a str, HashMap<&'a str, Vec<usize>>>,
    /// type → identity attribute values (joined) → resources. Identity is what the import ID
    /// is made of, so this matches even when two sides would spell the ID differently (a
    /// bucket's optional project prefix, a project number for an ID).
    by_identity: HashMap<&'a str, HashMap<String, Vec<usize>>>,
    /// `(type, natural key attribute, value)`.
    by_natural: HashMap<(&'a str, String, String), Vec<usize>>,
    /// Clouds, projects and accounts that were listed (or that a snapshot covers).
    clouds: HashSet<Cloud>,
    scopes: HashSet<String>,
    /// Types whose listing failed somewhere: never reported missing.
    failed: HashSet<String>,
    failed_everything: bool,
}

impl<'a> LiveIndex<'a> {
    fn new(inv: &'a Inventory) -> Self {
        let mut by_id: HashMap<&str, HashMap<&str, Vec<usize>>> = HashMap::new();
        let mut by_natural: HashMap<(&str, String, String), Vec<usize>> = HashMap::new();
        let mut by_identity: HashMap<&str, HashMap<String, Vec<usize>>> = HashMap::new();
        let mut clouds = HashSet::new();
        let mut scopes = HashSet::new();
        for (i, r) in inv.resources.iter().enumerate() {
            clouds.insert(r.cloud);
            if let Some(p) = &r.project {
                scopes.insert(p.clone());
            }
            if let Some(a) = &r.account {
                scopes.insert(a.clone());
            }
            let Some(t) = r.tf_type.as_deref() else {
                continue;
            };
            if let Some(id) = r.import_id.as_deref() {
                by_id.entry(t).or_default().entry(id).or_default().push(i);
            }
            if let Some(info) = catalog_for(t) {
                // Index under every type that shares the native type (Cloud Run v1 and v2
                // services are one asset type), so a declaration of either finds it.
                let values = live_values(r);
                let catalog = if r.cloud == Cloud::Gcp {
                    Catalog::gcp()
                } else {
                    Catalog::aws()
                };
                let mut types: Vec<&TypeInfo> = catalog.by_native_type(&r.native_type).collect();
                if !types.iter().any(|x| x.type_name == info.type_name) {
                    types.push(info);
                }
                for alias in types {
                    if let Some(key) = identity_key(alias, &values) {
                        by_identity
                            .entry(alias.type_name.as_str())
                            .or_default()
                            .entry(key)
                            .or_default()
                            .push(i);
                    }
                }
                for key in &info.natural_keys {
                    if let Some(v) = natural_value(&r.attributes, &r.labels, key) {
                        by_natural.entry((t, key.clone(), v)).or_default().push(i);
                    }
                }
            }
        }
        let mut failed = HashSet::new();
        let mut failed_everything = false;
        for e in &inv.errors {
            if e.type_name.is_empty() {
                failed_everything = true;
            } else {
                failed.insert(e.type_name.clone());
            }
        }
        LiveIndex {
            resources: &inv.resources,
            by_id,
            by_identity,
            by_natural,
            clouds,
            scopes,
            failed,
            failed_everything,
        }
    }

    fn lookup_id(&self, tf_type: &str, id: &str) -> &[usize] {
        self.by_id
            .get(tf_type)
            .and_then(|m| m.get(id))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Whether the live side can say that a resource of this type (in this project or
    /// account) does not exist.
    fn covers(&self, info: &TypeInfo, scope: Option<&str>) -> bool {
        let Some(cloud) = cloud_of(&info.type_name) else {
            return false;
        };
        if !self.clouds.contains(&cloud) || self.failed_everything {
            return false;
        }
        if self.failed.contains(&info.type_name)
            || info.native_type().is_some_and(|n| self.failed.contains(n))
        {
            return false;
        }
        if info.native_type().is_none() && info.gcp.as_ref().and_then(|g| g.iam.as_ref()).is_none()
        {
            // Not listable at all.
            return false;
        }
        match scope {
            Some(s) if !self.scopes.is_empty() => self.scopes.contains(s),
            _ => true,
        }
    }
}

/// The identity attribute values of a resource, joined; `None` when one is not known.
fn identity_key(info: &TypeInfo, attrs: &Json) -> Option<String> {
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
fn natural_value(
    attributes: &Json,
    labels: &BTreeMap<String, String>,
    key: &str,
) -> Option<String> {
    lookup_attr(attributes, key).or_else(|| {
        ["tags.", "labels."]
            .iter()
            .find_map(|p| key.strip_prefix(p))
            .and_then(|k| labels.get(k).cloned())
    })
}

/// The known part of a configuration object, as JSON (unknown attributes left out).
fn known_json(v: &Value) -> Json {
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

/// Identity attributes of a declared instance: its known arguments, plus the provider's
/// `project`, `region` and `zone` where the resource leaves them out (the provider fills them).
fn identity_attributes(cfg: &Config, inst: &Instance) -> Json {
    let mut attrs = known_json(&inst.attributes);
    if let (Json::Object(map), Some(p)) = (&mut attrs, cfg.provider_config(inst)) {
        let provider = known_json(&p.attributes);
        for key in ["project", "region", "zone"] {
            if !map.contains_key(key) {
                if let Some(v) = provider.get(key).filter(|v| !v.is_null()) {
                    map.insert(key.to_string(), v.clone());
                }
            }
        }
    }
    derive_identity(&inst.addr.resource.type_name, &mut attrs);
    attrs
}

/// Identity attributes the provider computes by a fixed rule from arguments: derive them
/// rather than leave the resource unmatchable.
fn derive_identity(tf_type: &str, attrs: &mut Json) {
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

/// A state object's attributes with the identity attributes [`derive_identity`] adds, copied
/// only when it adds one.
fn with_derived_identity<'a>(tf_type: &str, attrs: &'a Json) -> std::borrow::Cow<'a, Json> {
    let mut derived = match tf_type {
        "google_service_account" | "aws_ecs_service" => attrs.clone(),
        _ => return std::borrow::Cow::Borrowed(attrs),
    };
    derive_identity(tf_type, &mut derived);
    std::borrow::Cow::Owned(derived)
}

/// Whether any block of the configuration refers to one of `learnt` (directly, or through the
/// module instance that holds it): only then can another evaluation round know more.
fn anything_reads(cfg: &Config, learnt: &[&ResourceInstance]) -> bool {
    if learnt.is_empty() {
        return false;
    }
    let resources: HashSet<String> = learnt
        .iter()
        .map(|a| a.abs_resource().to_string())
        .collect();
    let mut modules: HashSet<String> = HashSet::new();
    for a in learnt {
        for n in 1..=a.module.0.len() {
            modules.insert(ModuleInstance(a.module.0[..n].to_vec()).to_string());
        }
    }
    // `depends_on` orders blocks but passes no value.
    let reads = |d: &config::Dependency| match &d.target {
        _ if d.via == "depends_on" || d.via.starts_with("depends_on of ") => false,
        Node::Resource(r) => resources.contains(&r.abs_resource().to_string()),
        Node::Module(m) => modules.contains(&m.to_string()),
    };
    cfg.instances.iter().any(|i| i.depends_on.iter().any(reads))
        || cfg
            .module_instances
            .iter()
            .any(|m| m.depends_on.iter().any(reads))
}

/// A state object's attributes with secrets, for matching only (never shown).
fn state_attributes(obj: &crate::state::InstanceObject) -> Json {
    obj.attributes_with_secrets()
}

enum Match {
    One(usize),
    Many(Vec<usize>, String),
    None,
    /// The identity could not be computed (unknown attributes, no catalog row).
    Unknowable(String),
}

/// Finds the live resource for a set of Terraform attributes of a type.
fn find_live(
    live: &LiveIndex,
    info: &TypeInfo,
    attrs: &Json,
    labels: &BTreeMap<String, String>,
) -> (Match, Option<String>) {
    if let Some(key) = identity_key(info, attrs) {
        let hits = live
            .by_identity
            .get(info.type_name.as_str())
            .and_then(|m| m.get(&key))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let id = info.render_import_id(attrs).ok();
        match hits {
            [one] => return (Match::One(*one), id),
            [] => {}
            many => {
                return (
                    Match::Many(
                        many.to_vec(),
                        format!("identity {}", info.identity.join(", ")),
                    ),
                    id,
                )
            }
        }
    }
    match info.render_import_id(attrs) {
        Ok(id) => {
            let hits = live.lookup_id(&info.type_name, &id);
            let m = match hits {
                [] => Match::None,
                [one] => Match::One(*one),
                many => Match::Many(many.to_vec(), format!("import ID {id}")),
            };
            (m, Some(id))
        }
        Err(missing) => {
            // Cloud-assigned IDs: match on natural keys, all of which must agree.
            if info.natural_keys.is_empty() {
                return (
                    Match::Unknowable(format!(
                        "its import ID needs `{}`, which is not known before apply",
                        missing.0
                    )),
                    None,
                );
            }
            let mut candidates: Option<BTreeSet<usize>> = None;
            let mut used = Vec::new();
            for key in &info.natural_keys {
                let Some(v) = natural_value(attrs, labels, key) else {
                    continue;
                };
                let hits: BTreeSet<usize> = live
                    .by_natural
                    .get(&(info.type_name.as_str(), key.clone(), v.clone()))
                    .map(|h| h.iter().copied().collect())
                    .unwrap_or_default();
                used.push(format!("{key} = {v:?}"));
                candidates = Some(match candidates {
                    None => hits,
                    Some(c) => c.intersection(&hits).copied().collect(),
                });
            }
            match candidates {
                None => (
                    Match::Unknowable(format!(
                        "neither its import ID (`{}` is not known before apply) nor its natural keys ({}) are known",
                        missing.0,
                        info.natural_keys.join(", ")
                    )),
                    None,
                ),
                Some(c) if c.is_empty() => (Match::None, None),
                Some(c) if c.len() == 1 => (Match::One(*c.iter().next().unwrap()), None),
                Some(c) => (Match::Many(c.into_iter().collect(), used.join(", ")), None),
            }
        }
    }
}

fn location(cfg: &Config, inst: &Instance) -> SourceLocation {
    let file = inst.pos.file.as_path();
    SourceLocation {
        file: file
            .strip_prefix(&cfg.root_dir)
            .unwrap_or(file)
            .display()
            .to_string(),
        line: inst.pos.line,
        column: inst.pos.col,
    }
}

fn candidates(live: &LiveIndex, hits: &[usize], why: &str) -> Vec<Candidate> {
    hits.iter()
        .map(|&i| {
            let r = &live.resources[i];
            Candidate {
                live_name: r.name.clone(),
                import_id: r.import_id.clone(),
                why: format!("matches on {why}"),
            }
        })
        .collect()
}

/// The live attributes of a matched resource, plus the attributes its import ID spells out,
/// as values for references from other resources.
fn live_values(r: &LiveResource) -> Json {
    let mut attrs = match &r.attributes {
        Json::Object(m) => m.clone(),
        _ => Default::default(),
    };
    if let Some(id) = &r.import_id {
        attrs
            .entry("id".to_string())
            .or_insert_with(|| Json::String(id.clone()));
    }
    if let Some(p) = &r.project {
        attrs
            .entry("project".to_string())
            .or_insert_with(|| Json::String(p.clone()));
    }
    Json::Object(attrs)
}

/// Why [`reconcile`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReconcileError<E> {
    #[error(transparent)]
    Config(#[from] config::LoadError),
    #[error(transparent)]
    Inventory(E),
}

/// Runs reconciliation. The inventory is obtained by `get_inventory` on this thread while the configuration is
/// first evaluated on another: reading a large snapshot or listing the cloud overlaps with the
/// configuration's evaluation.
pub fn reconcile<E>(
    config_dir: &Path,
    load: &LoadOptions,
    states: &[StateInput],
    get_inventory: impl FnOnce() -> Result<Inventory, E>,
    mismatches: &[Mismatch],
    opts: &Options,
) -> Result<Outcome, ReconcileError<E>> {
    // The selected state's instances, with their attributes (with secrets, for matching
    // only), read once.
    let selected: Vec<&StateInput> = states.iter().filter(|s| s.selected).collect();
    let mut in_selected_state: HashMap<
        ResourceInstance,
        (&StateInput, &crate::state::InstanceObject),
    > = HashMap::new();
    let mut selected_attrs: HashMap<ResourceInstance, Json> = HashMap::new();
    for s in &selected {
        let Some(state) = &s.state else { continue };
        for (addr, _res, obj) in state.current_instances() {
            if addr.resource.mode == Mode::Managed {
                in_selected_state.insert(addr.clone(), (*s, obj));
                selected_attrs.insert(addr.clone(), state_attributes(obj));
            }
        }
    }
    // The configuration's first evaluation needs only what state knows.
    let mut opts_round = load.clone();
    opts_round.resource_values = selected_attrs;
    let (first_round, inventory) = std::thread::scope(|scope| {
        let first = scope.spawn(|| config::load(config_dir, &opts_round));
        let inventory = get_inventory();
        let first = first
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, inventory)
    });
    let inventory = inventory.map_err(ReconcileError::Inventory)?;
    let inventory = &inventory;
    let live = LiveIndex::new(inventory);
    let mut findings = Vec::new();
    let mut counted: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut unchecked = 0usize;
    let mut unknowable = Vec::new();
    let mut errors: Vec<SourceError> = inventory
        .errors
        .iter()
        .map(|e| SourceError {
            source: if e.type_name.is_empty() {
                e.scope.clone()
            } else {
                format!("{} {}", e.scope, e.type_name)
            },
            reason: e.reason.clone(),
        })
        .collect();

    let (live_owner, mut selected_match) = {
        let mut live_owner: HashMap<usize, Vec<(String, ResourceInstance)>> = HashMap::new();
        // The selected state's matches, kept for classifying its instances below.
        let mut selected_match: HashMap<ResourceInstance, (Match, Option<String>)> = HashMap::new();
        for s in states {
            let Some(state) = &s.state else { continue };
            for (addr, _res, obj) in state.current_instances() {
                if addr.resource.mode != Mode::Managed {
                    continue;
                }
                let Some(info) = catalog_for(&addr.resource.type_name) else {
                    continue;
                };
                let read;
                let attrs = match (s.selected, opts_round.resource_values.get(&addr)) {
                    (true, Some(a)) => a,
                    _ => {
                        read = state_attributes(obj);
                        &read
                    }
                };
                let found = find_state_live(&live, info, attrs);
                if let (Match::One(i), _) = found {
                    live_owner
                        .entry(i)
                        .or_default()
                        .push((s.label.clone(), addr.clone()));
                }
                if s.selected {
                    selected_match.insert(addr.clone(), found);
                }
            }
        }
        (live_owner, selected_match)
    };
    for (i, owners) in &live_owner {
        let labels: BTreeSet<&String> = owners.iter().map(|(l, _)| l).collect();
        if labels.len() > 1 {
            let r = &live.resources[*i];
            let mut f = Finding::new(Kind::DuplicateState);
            f.tf_type = r.tf_type.clone();
            f.import_id = r.import_id.clone();
            f.live_name = Some(r.name.clone());
            f.address = owners.first().map(|(_, a)| a.clone());
            f.reason = Some(format!(
                "recorded in {} states: {}; two states managing one resource will fight over it",
                labels.len(),
                owners
                    .iter()
                    .map(|(l, a)| format!("{a} in {l}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            findings.push(f);
        }
    }

    // Load the configuration, feeding back values learnt from state and from live matches
    // until identities stop changing.
    // State entries are never replaced, so after the rounds `learnt` still holds each one.
    let mut learnt: HashMap<ResourceInstance, Json> = HashMap::new();
    let mut cfg;
    let mut diags;
    let mut round = 0;
    let mut first_round = Some(first_round);
    loop {
        (cfg, diags) = match first_round.take() {
            Some(first) => first?,
            None => {
                opts_round.resource_values = std::mem::take(&mut learnt);
                config::load(config_dir, &opts_round)?
            }
        };
        learnt = std::mem::take(&mut opts_round.resource_values);
        round += 1;
        let mut new = Vec::new();
        for inst in &cfg.instances {
            if inst.addr.resource.mode != Mode::Managed || learnt.contains_key(&inst.addr) {
                continue;
            }
            let Some(info) = catalog_for(&inst.addr.resource.type_name) else {
                continue;
            };
            let attrs = identity_attributes(&cfg, inst);
            if let (Match::One(i), _) = find_live(&live, info, &attrs, &BTreeMap::new()) {
                learnt.insert(inst.addr.clone(), live_values(&live.resources[i]));
                new.push(&inst.addr);
            }
        }
        if !anything_reads(&cfg, &new) || round >= MAX_RESOLVE_ROUNDS {
            break;
        }
    }
    for d in diags
        .iter()
        .filter(|d| d.severity == config::Severity::Error)
    {
        errors.push(SourceError {
            source: format!(
                "configuration {}",
                d.pos().map(|p| p.to_string()).unwrap_or_default()
            ),
            reason: d.summary.clone(),
        });
    }
    for u in &cfg.unknown_expansions {
        errors.push(SourceError {
            source: format!("configuration {}", u.address),
            reason: format!("its instances are not known offline: {}", u.reason),
        });
    }

    let declared: HashSet<&ResourceInstance> = cfg.instances.iter().map(|i| &i.addr).collect();
    let declared_import_targets: HashSet<ResourceInstance> =
        cfg.imports.iter().filter_map(|i| i.to.clone()).collect();
    let mut matched_live: HashSet<usize> = live_owner.keys().copied().collect();
    // The declared address each live resource was matched to, for findings about it.
    let mut live_address: HashMap<usize, ResourceInstance> = live_owner
        .iter()
        .filter_map(|(i, owners)| Some((*i, owners.first()?.1.clone())))
        .collect();
    let mut imports = Vec::new();
    let mut untracked_count = 0usize;

    // Declared instances.
    for inst in &cfg.instances {
        if inst.addr.resource.mode != Mode::Managed {
            continue;
        }
        let tf_type = inst.addr.resource.type_name.as_str();
        let Some(info) = catalog_for(tf_type) else {
            unchecked += 1;
            continue;
        };
        let attrs = identity_attributes(&cfg, inst);
        let scope = attrs
            .get("project")
            .and_then(Json::as_str)
            .map(str::to_string);
        if let Some((src, obj)) = in_selected_state.get(&inst.addr) {
            // In state: in sync, drifted or missing.
            let state_attrs = match learnt.get(&inst.addr) {
                Some(a) => std::borrow::Cow::Borrowed(a),
                None => std::borrow::Cow::Owned(state_attributes(obj)),
            };
            let state_attrs = state_attrs.as_ref();
            let (m, id) = selected_match
                .remove(&inst.addr)
                .unwrap_or_else(|| find_state_live(&live, info, state_attrs));
            match m {
                Match::One(i) => {
                    matched_live.insert(i);
                    live_address.insert(i, inst.addr.clone());
                    let r = &live.resources[i];
                    let d = diff::compare(state_attrs, r, info, obj.sensitivity());
                    if d.is_empty() {
                        *counted.entry(Kind::InSync).or_default() += 1;
                    } else {
                        let mut f = resource_finding(Kind::Drifted, inst, &cfg, r, info);
                        f.state = Some(src.label.clone());
                        f.reason = Some(format!(
                            "{} attribute(s) differ between state and the live resource",
                            d.changes.len()
                        ));
                        f.diff = Some(d);
                        findings.push(f);
                    }
                }
                Match::Many(hits, why) => {
                    let mut f = Finding::new(Kind::Ambiguous);
                    f.address = Some(inst.addr.clone());
                    f.tf_type = Some(tf_type.to_string());
                    f.state = Some(src.label.clone());
                    f.location = Some(location(&cfg, inst));
                    f.reason = Some(format!(
                        "{} live resources match its state entry",
                        hits.len()
                    ));
                    f.candidates = candidates(&live, &hits, &why);
                    hits.iter().for_each(|h| {
                        matched_live.insert(*h);
                    });
                    findings.push(f);
                }
                Match::None => {
                    let state_scope = state_attrs.get("project").and_then(Json::as_str);
                    if live.covers(info, state_scope.or(scope.as_deref())) {
                        let mut f = Finding::new(Kind::Missing);
                        f.address = Some(inst.addr.clone());
                        f.tf_type = Some(tf_type.to_string());
                        f.import_id = id;
                        f.state = Some(src.label.clone());
                        f.location = Some(location(&cfg, inst));
                        f.reason = Some("recorded in state, but not found in the cloud: `terraform plan` will recreate it".into());
                        findings.push(f);
                    } else {
                        unchecked += 1;
                    }
                }
                Match::Unknowable(why) => {
                    unchecked += 1;
                    unknowable.push((inst.addr.clone(), why));
                }
            }
            continue;
        }
        // Not in state: untracked, ambiguous or pending.
        if declared_import_targets.contains(&inst.addr) {
            // The configuration already has an import block for it.
            *counted.entry(Kind::Pending).or_default() += 1;
            continue;
        }
        match find_live(&live, info, &attrs, &BTreeMap::new()) {
            (Match::One(i), _) => {
                matched_live.insert(i);
                live_address.insert(i, inst.addr.clone());
                let r = &live.resources[i];
                untracked_count += 1;
                let mut f = resource_finding(Kind::Untracked, inst, &cfg, r, info);
                let expected = known_json(&inst.attributes);
                let d = diff::compare_config(&expected, r, info, &inst.sensitive);
                // Another scanned state (another workspace) already manages it: importing it
                // here would put one resource in two states, so it is not planned.
                let owners = live_owner.get(&i).map(Vec::as_slice).unwrap_or(&[]);
                f.reason = Some(if owners.is_empty() {
                    "declared and exists in the cloud, but not in state: `terraform apply` would try to create it and fail"
                        .into()
                } else {
                    format!(
                        "declared and exists in the cloud, but not in this workspace's state: {} already manages it, so importing it here would put it in two states; select the workspace that manages it instead",
                        owners
                            .iter()
                            .map(|(l, a)| format!("{l} at {a}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
                if let Some((label, _)) = owners.first() {
                    f.state = Some(label.clone());
                }
                if !d.is_empty() {
                    f.diff = Some(d);
                }
                if let (Some(id), true) = (&f.import_id, owners.is_empty()) {
                    imports.push(ImportEntry {
                        address: inst.addr.clone(),
                        id: id.clone(),
                        tf_type: tf_type.to_string(),
                        kind: ImportKind::Untracked,
                        live_name: Some(r.name.clone()),
                    });
                }
                findings.push(f);
            }
            (Match::Many(hits, why), _) => {
                let mut f = Finding::new(Kind::Ambiguous);
                f.address = Some(inst.addr.clone());
                f.tf_type = Some(tf_type.to_string());
                f.location = Some(location(&cfg, inst));
                f.reason = Some(format!(
                    "{} live resources match this declaration; import the right one by hand",
                    hits.len()
                ));
                f.candidates = candidates(&live, &hits, &why);
                hits.iter().for_each(|h| {
                    matched_live.insert(*h);
                });
                findings.push(f);
            }
            (Match::None, _) => {
                if live.covers(info, scope.as_deref()) {
                    *counted.entry(Kind::Pending).or_default() += 1;
                } else {
                    unchecked += 1;
                }
            }
            (Match::Unknowable(why), _) => {
                unchecked += 1;
                unknowable.push((inst.addr.clone(), why));
            }
        }
    }

    // State entries no longer declared.
    let moved_from: HashSet<String> = cfg.moved.iter().map(|m| m.block.from.to_string()).collect();
    let removed: Vec<String> = cfg
        .removed
        .iter()
        .map(|r| r.block.from.to_string())
        .collect();
    for s in &selected {
        let Some(state) = &s.state else { continue };
        for addr in state.instance_addresses() {
            if addr.resource.mode != Mode::Managed || declared.contains(&addr) {
                continue;
            }
            let addr_s = addr.to_string();
            let res_s = addr.abs_resource().to_string();
            let cfg_s = addr.config_resource().to_string();
            let explained = moved_from.iter().chain(removed.iter()).any(|m| {
                *m == addr_s
                    || *m == res_s
                    || *m == cfg_s
                    || addr_s.starts_with(&format!("{m}."))
                    || addr_s.starts_with(&format!("{m}["))
            });
            let expansion_unknown = cfg
                .unknown_expansions
                .iter()
                .any(|u| addr_s.starts_with(u.address.as_str()));
            if explained || expansion_unknown {
                continue;
            }
            let mut f = Finding::new(Kind::Orphaned);
            f.tf_type = Some(addr.resource.type_name.clone());
            f.state = Some(s.label.clone());
            f.reason = Some("in state but no longer declared: `terraform apply` would destroy it (add a `moved` or `removed` block if that is not what you want)".into());
            f.address = Some(addr);
            findings.push(f);
        }
    }

    // Live resources nobody manages.
    let mut taken: HashSet<ResourceInstance> = declared.iter().map(|a| (*a).clone()).collect();
    let mut unmanaged_imports = Vec::new();
    // One live object can appear under several types (an IAM grant as a member, a binding and a
    // policy; Cloud Run v1 and v2): report it once, as the finest-grained, newest type.
    let mut seen_objects: HashSet<(String, String)> = HashSet::new();
    let matched_names: HashSet<&str> = matched_live
        .iter()
        .map(|&i| live.resources[i].name.as_str())
        .collect();
    let mut order: Vec<usize> = (0..live.resources.len()).collect();
    order.sort_by_key(|&i| {
        let t = live.resources[i].tf_type.as_deref().unwrap_or("");
        (!t.contains("_v2_"), t.to_string())
    });
    for i in order {
        let r = &live.resources[i];
        if matched_live.contains(&i) || matched_names.contains(r.name.as_str()) {
            continue;
        }
        let Some(t) = r.tf_type.as_deref() else {
            continue;
        };
        if r.service_managed && !opts.strict {
            continue;
        }
        let iam_view = t.ends_with("_iam_binding")
            || t.ends_with("_iam_policy")
            || t.ends_with("_iam_audit_config");
        if (iam_view || t == "google_project") && !opts.strict {
            continue;
        }
        if !seen_objects.insert((r.native_type.clone(), r.name.clone())) {
            continue;
        }
        let addr = suggest_address(t, r, &mut taken);
        let mut f = Finding::new(Kind::Unmanaged);
        f.tf_type = Some(t.to_string());
        f.import_id = r.import_id.clone();
        f.live_name = Some(r.name.clone());
        f.suggested_address = Some(addr.clone());
        f.reason = Some(if r.service_managed {
            "created by a cloud service for itself (shown because of --strict)".into()
        } else {
            "exists in the cloud, but no configuration declares it and no scanned state records it"
                .into()
        });
        if opts.include_unmanaged {
            if let Some(id) = &r.import_id {
                unmanaged_imports.push(ImportEntry {
                    address: addr,
                    id: id.clone(),
                    tf_type: t.to_string(),
                    kind: ImportKind::Unmanaged,
                    live_name: Some(r.name.clone()),
                });
            }
        }
        findings.push(f);
    }

    // Public access in IAM policies.
    for (i, r) in live.resources.iter().enumerate() {
        if let Some(who) = public_principal(r) {
            let mut f = Finding::new(Kind::PublicAccess);
            f.address = live_address.get(&i).cloned();
            f.tf_type = match &f.address {
                Some(a) => Some(a.resource.type_name.clone()),
                None => r.tf_type.clone(),
            };
            f.live_name = Some(r.name.clone());
            f.import_id = r.import_id.clone();
            f.reason = Some(format!("its IAM policy grants access to {who}"));
            findings.push(f);
        }
    }

    // The selected workspace is empty while declared resources exist live.
    for s in &selected {
        let empty = s.state.as_ref().is_none_or(|st| st.is_empty());
        if empty && untracked_count > 0 {
            let mut f = Finding::new(Kind::EmptyState);
            f.state = Some(s.label.clone());
            let mut reason = format!(
                "the state of workspace {:?} is {}, while {untracked_count} declared resource(s) exist in the cloud: \
                 `terraform apply` would try to create them all and fail",
                s.workspace,
                if s.state.is_none() { "missing" } else { "empty" }
            );
            if !s.elsewhere.is_empty() {
                reason.push_str(&format!(
                    "; state is recorded elsewhere: {}",
                    s.elsewhere.join("; ")
                ));
            }
            f.reason = Some(reason);
            findings.push(f);
        }
    }

    for m in mismatches {
        let mut f = Finding::new(Kind::BackendMismatch);
        f.reason = Some(format!(
            "backend setting {:?} is {} in the configuration but {} in the settings `terraform init` cached: run `terraform init` (with -reconfigure or -migrate-state)",
            m.key, m.declared, m.cached
        ));
        findings.push(f);
    }

    // Imports in dependency order.
    let graph = crate::graph::Graph::from_config(&cfg);
    let order: HashMap<String, usize> = match graph.topological_order() {
        Ok(nodes) => nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.node.to_string(), i))
            .collect(),
        Err(_) => HashMap::new(),
    };
    imports.sort_by(|a, b| {
        let oa = order
            .get(&a.address.to_string())
            .copied()
            .unwrap_or(usize::MAX);
        let ob = order
            .get(&b.address.to_string())
            .copied()
            .unwrap_or(usize::MAX);
        (oa, &a.address).cmp(&(ob, &b.address))
    });
    unmanaged_imports.sort_by(|a, b| a.address.cmp(&b.address));
    imports.extend(unmanaged_imports);

    let workspace = selected
        .first()
        .map(|s| s.workspace.clone())
        .unwrap_or_else(|| cfg.workspace.clone());
    Ok(Outcome {
        findings,
        counted,
        unchecked,
        unknowable,
        imports: ImportPlan { workspace, imports },
        errors,
        config: Some(cfg),
    })
}

/// Matches a state entry to the live side: by its import ID, then by its `id` attribute.
fn find_state_live(live: &LiveIndex, info: &TypeInfo, attrs: &Json) -> (Match, Option<String>) {
    let attrs = &*with_derived_identity(&info.type_name, attrs);
    let (m, id) = find_live(live, info, attrs, &BTreeMap::new());
    match m {
        Match::None | Match::Unknowable(_) => {
            if let Some(raw_id) = attrs.get("id").and_then(Json::as_str) {
                match live.lookup_id(&info.type_name, raw_id) {
                    [one] => return (Match::One(*one), Some(raw_id.to_string())),
                    [] => {}
                    many => {
                        return (
                            Match::Many(many.to_vec(), format!("id {raw_id}")),
                            Some(raw_id.to_string()),
                        )
                    }
                }
            }
            (
                m,
                id.or_else(|| attrs.get("id").and_then(Json::as_str).map(str::to_string)),
            )
        }
        other => (other, id),
    }
}

/// The import ID of a live resource for the type it is declared as (which may be a sibling
/// type sharing its native type).
fn import_id_for(info: &TypeInfo, r: &LiveResource) -> Option<String> {
    if r.tf_type.as_deref() == Some(info.type_name.as_str()) {
        r.import_id.clone()
    } else {
        info.render_import_id(&live_values(r)).ok()
    }
}

fn resource_finding(
    kind: Kind,
    inst: &Instance,
    cfg: &Config,
    r: &LiveResource,
    info: &TypeInfo,
) -> Finding {
    let mut f = Finding::new(kind);
    f.address = Some(inst.addr.clone());
    f.tf_type = Some(inst.addr.resource.type_name.clone());
    f.import_id = import_id_for(info, r);
    f.live_name = Some(r.name.clone());
    f.location = Some(location(cfg, inst));
    f
}

/// Who a live resource's IAM policy opens it to, if anyone.
fn public_principal(r: &LiveResource) -> Option<String> {
    let mut who = BTreeSet::new();
    if let Some(policy) = &r.iam_policy {
        if let Some(bindings) = policy.get("bindings").and_then(Json::as_array) {
            for b in bindings {
                for m in b
                    .get("members")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(m) = m.as_str() {
                        if m == "allUsers" || m == "allAuthenticatedUsers" {
                            let role = b.get("role").and_then(Json::as_str).unwrap_or("?");
                            who.insert(format!("{m} ({role})"));
                        }
                    }
                }
            }
        }
    }
    // AWS resource policies: "Principal": "*" or {"AWS": "*"} on an Allow statement.
    for key in ["policy", "assume_role_policy"] {
        let doc = match r.attributes.get(key) {
            Some(Json::String(s)) => serde_json::from_str::<Json>(s).ok(),
            Some(v @ Json::Object(_)) => Some(v.clone()),
            _ => None,
        };
        let Some(doc) = doc else { continue };
        let statements = match doc.get("Statement") {
            Some(Json::Array(a)) => a.clone(),
            Some(s @ Json::Object(_)) => vec![s.clone()],
            _ => vec![],
        };
        for s in statements {
            if s.get("Effect").and_then(Json::as_str) != Some("Allow")
                || s.get("Condition").is_some()
            {
                continue;
            }
            let p = s.get("Principal");
            let star = match p {
                Some(Json::String(x)) => x == "*",
                Some(Json::Object(m)) => m
                    .values()
                    .any(|v| v == "*" || v.as_array().is_some_and(|a| a.iter().any(|x| x == "*"))),
                _ => false,
            };
            if star {
                who.insert("\"Principal\": \"*\"".to_string());
            }
        }
    }
    (!who.is_empty()).then(|| who.into_iter().collect::<Vec<_>>().join(", "))
}

/// A valid, stable, readable address for a resource nobody declares: the type and a name made
/// from the resource's own short name.
fn suggest_address(
    tf_type: &str,
    r: &LiveResource,
    taken: &mut HashSet<ResourceInstance>,
) -> ResourceInstance {
    let short = r
        .name
        .trim_end_matches('/')
        .rsplit(['/', ':'])
        .next()
        .unwrap_or(&r.name);
    let mut name: String = short
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    name = name.trim_matches('_').to_string();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        name = format!("r_{name}");
    }
    let base = name.clone();
    let mut n = 2;
    loop {
        let addr = ResourceInstance {
            module: ModuleInstance::root(),
            resource: Resource::managed(tf_type, name.clone()),
            key: InstanceKey::None,
        };
        if taken.insert(addr.clone()) {
            return addr;
        }
        name = format!("{base}_{n}");
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ecs_service_identity_names_the_cluster_of_its_arn() {
        let info = Catalog::aws().get("aws_ecs_service").unwrap();
        let state = json!({
            "id": "arn:aws:ecs:us-east-1:123456789012:service/orders/billing",
            "name": "billing",
            "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/orders",
        });
        let derived = with_derived_identity("aws_ecs_service", &state);
        assert_eq!(info.render_import_id(&derived).unwrap(), "orders/billing");
        // A cluster given by name, as the provider also accepts.
        let mut by_name = json!({"name": "billing", "cluster": "orders"});
        derive_identity("aws_ecs_service", &mut by_name);
        assert_eq!(info.render_import_id(&by_name).unwrap(), "orders/billing");
        // Unknown cluster: nothing is made up.
        let mut unknown = json!({"name": "billing"});
        derive_identity("aws_ecs_service", &mut unknown);
        assert!(info.render_import_id(&unknown).is_err());
        // Other types are not copied.
        let queue = json!({"name": "orders"});
        assert!(matches!(
            with_derived_identity("aws_sqs_queue", &queue),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
