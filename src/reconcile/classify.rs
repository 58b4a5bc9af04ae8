//! Phase 4, classify: every declared instance, every entry of the selected state and every
//! live resource gets an explicit outcome. A state that could not be read, a listing that
//! failed, a type the catalog cannot list and an identity only known after apply all make
//! resources *unchecked*; nothing is concluded from what could not be read.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use foldhash::{HashSet, HashSetExt};

use serde_json::Value as Json;

use super::diff;
use super::finding;
use super::index::{catalog_for, Coverage, LiveIndex, StateIndex};
use super::matching::{
    find_live, identity_attributes, import_id_for, known_json, state_identity, Match, Matched,
    StateMatch,
};
use super::normalize;
use super::{Options, StateInput};
use crate::addr::{InstanceKey, Mode, ModuleInstance, Resource, ResourceInstance};
use crate::backend::settings::Mismatch;
use crate::catalog::{lookup_attr, Catalog, TypeInfo};
use crate::config::{Config, Instance};
use crate::findings::{Candidate, Finding, ImportEntry, ImportKind, Kind, UncheckedCause};
use crate::inventory::LiveResource;
use crate::state::InstanceObject;

/// What every classification reads.
pub struct Context<'a> {
    pub cfg: &'a Config,
    pub live: &'a LiveIndex<'a>,
    pub states: &'a [StateInput],
    pub state_index: &'a StateIndex<'a>,
    pub matched: &'a Matched<'a>,
    pub norm: &'a normalize::Context,
    pub opts: &'a Options,
}

/// What classification has concluded so far.
#[derive(Default)]
pub struct Acc<'a> {
    pub findings: Vec<Finding>,
    pub counted: BTreeMap<Kind, usize>,
    pub imports: Vec<ImportEntry>,
    pub unmanaged_imports: Vec<ImportEntry>,
    /// Live resources some declaration or state entry accounts for.
    matched_live: HashSet<usize>,
    /// The declared (or recorded) address each live resource was matched to.
    live_address: HashMap<usize, &'a ResourceInstance>,
    untracked: usize,
}

impl<'a> Acc<'a> {
    fn count(&mut self, kind: Kind) {
        *self.counted.entry(kind).or_default() += 1;
    }

    fn claim(&mut self, i: usize, addr: &'a ResourceInstance) {
        self.matched_live.insert(i);
        self.live_address.insert(i, addr);
    }
}

/// Live resources recorded in several scanned states; every recorded live resource is
/// accounted for.
pub fn duplicate_states<'a>(ctx: &Context<'a>, acc: &mut Acc<'a>) {
    for (i, owners) in ctx.matched.owned() {
        acc.matched_live.insert(i);
        let labels: BTreeSet<&str> = owners.iter().map(|o| o.label).collect();
        if labels.len() > 1 {
            acc.findings
                .push(finding::duplicate_state(&ctx.live.resources[i], owners));
        }
    }
}

/// Types whose resources exist only in state (random values, local files, keys generated on
/// the machine, timers): nothing live to check.
fn is_local_only(tf_type: &str) -> bool {
    Catalog::local_only(tf_type)
}

/// Why a resource that could not be checked was not, as a finding's cause and sentence.
fn uncovered(tf_type: &str, coverage: Coverage, scope: Option<&str>) -> (UncheckedCause, String) {
    match coverage {
        Coverage::NotListable | Coverage::Covered => (
            UncheckedCause::TypeNotCovered,
            format!(
                "tfrecon cannot list {tf_type} resources, so whether this one exists is unknown; \
                 if that is expected, add `type:{tf_type}` to .tfreconignore"
            ),
        ),
        Coverage::Failed => (
            UncheckedCause::ListingFailed,
            format!(
                "the listing of {tf_type} failed (see the errors), so whether it exists is unknown"
            ),
        ),
        Coverage::ScopeNotListed => (
            UncheckedCause::ScopeNotListed,
            match scope {
                Some(s) => format!("{s} was not listed, so whether it exists there is unknown"),
                None => "its cloud was not listed, so whether it exists is unknown".into(),
            },
        ),
    }
}

/// Every declared managed instance: in sync, drifted, missing, ambiguous or unchecked when
/// recorded in the selected state; untracked, ambiguous, pending or unchecked when not.
/// Nothing is concluded when the selected state could not be read.
pub fn declared<'a>(ctx: &Context<'a>, acc: &mut Acc<'a>) {
    if ctx.state_index.selected_unreadable.is_some() {
        return;
    }
    let import_targets: HashSet<&ResourceInstance> = ctx
        .cfg
        .imports
        .iter()
        .filter_map(|i| i.to.as_ref())
        .collect();
    for inst in &ctx.cfg.instances {
        if inst.addr.resource.mode != Mode::Managed {
            continue;
        }
        let tf_type = inst.addr.resource.type_name.as_str();
        let Some(info) = catalog_for(tf_type) else {
            if !is_local_only(tf_type) {
                let (cause, why) = uncovered(tf_type, Coverage::NotListable, None);
                let loc = Some(finding::location(ctx.cfg, inst));
                acc.findings
                    .push(finding::unchecked(inst.addr.clone(), loc, cause, why));
            }
            continue;
        };
        match ctx.state_index.selected.get(&inst.addr) {
            Some((src, obj)) => in_state(ctx, acc, inst, info, src, obj),
            None if import_targets.contains(&inst.addr) => acc.count(Kind::Pending),
            None if ctx.state_index.damaged(&inst.addr) => {
                let loc = Some(finding::location(ctx.cfg, inst));
                acc.findings.push(finding::unchecked(
                    inst.addr.clone(),
                    loc,
                    UncheckedCause::StateUnreadable,
                    "a part of the state that might record it could not be read (see the errors), so whether it is tracked is unknown".into(),
                ));
            }
            None => {
                let attrs = identity_attributes(ctx.cfg, inst, ctx.norm);
                not_in_state(ctx, acc, inst, info, &attrs)
            }
        }
    }
}

/// The scope a resource's listing must have covered: its project.
fn scope_of(attrs: &Json) -> Option<&str> {
    attrs.get("project").and_then(Json::as_str)
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

fn in_state<'a>(
    ctx: &Context<'a>,
    acc: &mut Acc<'a>,
    inst: &'a Instance,
    info: &TypeInfo,
    src: &StateInput,
    obj: &InstanceObject,
) {
    // Every entry of the selected state was matched and compared in the match phase.
    let computed;
    let m = match ctx.matched.selected.get(&inst.addr) {
        Some(m) => m,
        None => {
            let attrs = obj.attributes_with_secrets();
            computed = StateMatch::new(ctx.live, info, &attrs, obj, ctx.norm);
            &computed
        }
    };
    let id = m.id.clone();
    match &m.found {
        Match::One(i) => {
            let i = *i;
            acc.claim(i, &inst.addr);
            match &m.drift {
                None => acc.count(Kind::InSync),
                Some(d) => {
                    let r = &ctx.live.resources[i];
                    let import_id = import_id_for(info, ctx.live, i);
                    acc.findings.push(finding::drifted(
                        ctx.cfg,
                        inst,
                        &src.label,
                        r,
                        import_id,
                        d.clone(),
                    ));
                }
            }
        }
        Match::Many(hits, why) => ambiguous(ctx, acc, inst, Some(&src.label), hits, why),
        Match::None => {
            let stored = obj.attributes_with_secrets();
            let normalized = state_identity(info, &stored, ctx.norm);
            let declared = identity_attributes(ctx.cfg, inst, ctx.norm);
            let scope = scope_of(&normalized).or(scope_of(&declared));
            match ctx.live.coverage(info, scope) {
                Coverage::Covered => {
                    acc.findings
                        .push(finding::missing(ctx.cfg, inst, &src.label, id));
                }
                other => {
                    let (cause, why) = uncovered(&info.type_name, other, scope);
                    let loc = Some(finding::location(ctx.cfg, inst));
                    acc.findings
                        .push(finding::unchecked(inst.addr.clone(), loc, cause, why));
                }
            }
        }
        Match::Unknowable(why) => identity_unknown(ctx, acc, inst, why.clone()),
    }
}

fn not_in_state<'a>(
    ctx: &Context<'a>,
    acc: &mut Acc<'a>,
    inst: &'a Instance,
    info: &TypeInfo,
    attrs: &Json,
) {
    match find_live(ctx.live, info, attrs).0 {
        Match::One(i) => {
            acc.claim(i, &inst.addr);
            acc.untracked += 1;
            let r = &ctx.live.resources[i];
            let expected = known_json(&inst.attributes);
            let d = diff::compare_config(&expected, r, info, &inst.sensitive);
            let owners = ctx.matched.owners(i);
            let import_id = import_id_for(info, ctx.live, i);
            // Another scanned state already manages it, or one that could not be read might:
            // importing it here could put one resource in two states.
            let importable = owners.is_empty() && !ctx.state_index.may_record(&info.type_name);
            if let (Some(id), true) = (&import_id, importable) {
                acc.imports.push(ImportEntry {
                    address: inst.addr.clone(),
                    id: id.clone(),
                    tf_type: info.type_name.clone(),
                    kind: ImportKind::Untracked,
                    live_name: Some(r.name.clone()),
                });
            }
            acc.findings
                .push(finding::untracked(ctx.cfg, inst, r, import_id, owners, d));
        }
        Match::Many(hits, why) => ambiguous(ctx, acc, inst, None, &hits, &why),
        Match::None => match ctx.live.coverage(info, scope_of(attrs)) {
            Coverage::Covered => acc.count(Kind::Pending),
            other => {
                let (cause, why) = uncovered(&info.type_name, other, scope_of(attrs));
                let loc = Some(finding::location(ctx.cfg, inst));
                acc.findings
                    .push(finding::unchecked(inst.addr.clone(), loc, cause, why));
            }
        },
        Match::Unknowable(why) => identity_unknown(ctx, acc, inst, why),
    }
}

/// Several live resources match a declared instance (recorded in the state `label`, when it
/// is): none is chosen, and none is left to look unmanaged.
fn ambiguous(
    ctx: &Context,
    acc: &mut Acc,
    inst: &Instance,
    label: Option<&str>,
    hits: &[usize],
    why: &str,
) {
    acc.matched_live.extend(hits.iter().copied());
    let c = candidates(ctx.live, hits, why);
    acc.findings
        .push(finding::ambiguous(ctx.cfg, inst, label, c));
}

/// A declared instance whose identity is only known after apply.
fn identity_unknown(ctx: &Context, acc: &mut Acc, inst: &Instance, why: String) {
    let loc = Some(finding::location(ctx.cfg, inst));
    acc.findings.push(finding::unchecked(
        inst.addr.clone(),
        loc,
        UncheckedCause::IdentityUnknown,
        why,
    ));
}

/// Entries of the selected state that nothing declares any more, and that no `moved` or
/// `removed` block (read in the module that declares it) and no block of unknown expansion
/// accounts for.
pub fn orphans(ctx: &Context, acc: &mut Acc) {
    for s in ctx.states.iter().filter(|s| s.selected) {
        let Some(state) = s.state.state() else {
            continue;
        };
        for addr in state.instance_addresses() {
            if addr.resource.mode != Mode::Managed || ctx.cfg.position(&addr).is_some() {
                continue;
            }
            let cfg = ctx.cfg;
            let explained = cfg
                .moved
                .iter()
                .any(|m| m.block.from.covers(&m.module, &addr))
                || cfg
                    .removed
                    .iter()
                    .any(|r| r.block.from.covers(&r.module, &addr))
                || cfg
                    .unknown_expansions
                    .iter()
                    .any(|u| u.address.contains(&addr));
            if !explained {
                acc.findings.push(finding::orphaned(addr, &s.label));
            }
        }
    }
}

/// The suffixes of IAM types that are views of the same grants as `_iam_member`.
const AUTHORITATIVE_IAM: [&str; 3] = ["_iam_binding", "_iam_policy", "_iam_audit_config"];

fn iam_family(tf_type: &str) -> Option<(&str, &str)> {
    ["_iam_member", "_iam_binding", "_iam_policy"]
        .iter()
        .find_map(|s| tf_type.strip_suffix(s).map(|f| (f, *s)))
}

/// The grants that declared (or recorded) authoritative IAM resources manage: a binding
/// manages every member of its role on its parent, a policy every member of every role.
#[derive(Default)]
struct AuthoritativeIam {
    roles: HashSet<(String, String, String)>,
    parents: HashSet<(String, String)>,
}

impl AuthoritativeIam {
    /// The parent's identity: the binding row's identity without `role`.
    fn parent_key(family: &str, attrs: &Json) -> Option<String> {
        let binding = catalog_for(&format!("{family}_iam_binding"))?;
        let mut parts = Vec::new();
        for a in binding.identity.iter().filter(|a| *a != "role") {
            parts.push(lookup_attr(attrs, a)?);
        }
        Some(parts.join("\u{1f}"))
    }

    fn role_key(attrs: &Json) -> Option<String> {
        let role = lookup_attr(attrs, "role")?;
        let condition = lookup_attr(attrs, "condition.title").unwrap_or_default();
        Some(format!("{role}\u{1f}{condition}"))
    }

    fn add(&mut self, tf_type: &str, attrs: &Json) {
        let Some((family, kind)) = iam_family(tf_type) else {
            return;
        };
        let Some(parent) = Self::parent_key(family, attrs) else {
            return;
        };
        match kind {
            "_iam_binding" => {
                if let Some(role) = Self::role_key(attrs) {
                    self.roles.insert((family.to_string(), parent, role));
                }
            }
            "_iam_policy" => {
                self.parents.insert((family.to_string(), parent));
            }
            _ => {}
        }
    }

    fn new(ctx: &Context) -> Self {
        let mut a = AuthoritativeIam::default();
        for inst in &ctx.cfg.instances {
            let t = &inst.addr.resource.type_name;
            if inst.addr.resource.mode == Mode::Managed && iam_family(t).is_some() {
                a.add(t, &identity_attributes(ctx.cfg, inst, ctx.norm));
            }
        }
        for s in ctx.states {
            let Some(state) = s.state.state() else {
                continue;
            };
            for (addr, _, obj) in state.current_instances() {
                let t = &addr.resource.type_name;
                if let (Some(_), Some(info)) = (iam_family(t), catalog_for(t)) {
                    let attrs = obj.attributes_with_secrets();
                    a.add(t, &state_identity(info, &attrs, ctx.norm));
                }
            }
        }
        a
    }

    /// Whether a declared binding or policy manages this live member grant.
    fn covers(&self, tf_type: &str, attrs: &Json) -> bool {
        let Some((family, "_iam_member")) = iam_family(tf_type) else {
            return false;
        };
        let Some(parent) = Self::parent_key(family, attrs) else {
            return false;
        };
        if self.parents.contains(&(family.to_string(), parent.clone())) {
            return true;
        }
        Self::role_key(attrs)
            .is_some_and(|role| self.roles.contains(&(family.to_string(), parent, role)))
    }
}

/// Live resources that nothing declares and no scanned state records. Not concluded when a
/// scanned state could not be read (it might record them). A grant that a declared binding
/// or policy manages is not unmanaged; bindings and policies are views of the member grants
/// and are shown only with `--strict`, and never imported (their members are), so an import
/// plan never holds two blocks for one grant.
pub fn unmanaged(ctx: &Context, acc: &mut Acc) {
    if ctx.state_index.any_unreadable {
        return;
    }
    let authoritative = AuthoritativeIam::new(ctx);
    let mut taken = Taken {
        cfg: ctx.cfg,
        suggested: HashSet::new(),
    };
    // One live object can appear under several types (Cloud Run v1 and v2): report it once,
    // as the newest type.
    let mut seen_objects: HashSet<(&str, &str)> = HashSet::new();
    let live = ctx.live;
    let matched_names: HashSet<&str> = acc
        .matched_live
        .iter()
        .map(|&i| live.resources[i].name.as_str())
        .collect();
    let mut order: Vec<usize> = (0..live.resources.len()).collect();
    order.sort_by_key(|&i| {
        let t = live.resources[i].tf_type.as_deref().unwrap_or("");
        (!t.contains("_v2_"), t)
    });
    let mut found = Vec::new();
    for i in order {
        let r = &live.resources[i];
        if acc.matched_live.contains(&i) || matched_names.contains(r.name.as_str()) {
            continue;
        }
        let Some(t) = r.tf_type.as_deref() else {
            continue;
        };
        let view = AUTHORITATIVE_IAM.iter().any(|s| t.ends_with(s)) || t == "google_project";
        if (r.service_managed || view) && !ctx.opts.strict {
            continue;
        }
        if ctx.state_index.may_record(t) {
            continue;
        }
        if iam_family(t).is_some() && authoritative.covers(t, &live.values(i)) {
            continue;
        }
        if !seen_objects.insert((r.native_type.as_str(), r.name.as_str())) {
            continue;
        }
        let addr = suggest_address(t, r, &mut taken);
        if ctx.opts.include_unmanaged && !view {
            if let Some(id) = &r.import_id {
                acc.unmanaged_imports.push(ImportEntry {
                    address: addr.clone(),
                    id: id.clone(),
                    tf_type: t.to_string(),
                    kind: ImportKind::Unmanaged,
                    live_name: Some(r.name.clone()),
                });
            }
        }
        found.push(finding::unmanaged(t, r, addr));
    }
    acc.findings.extend(found);
}

/// Live resources whose IAM policy opens them to everyone, with the address they were
/// matched to when there is one.
pub fn public_access(ctx: &Context, acc: &mut Acc) {
    for (i, r) in ctx.live.resources.iter().enumerate() {
        if let Some(who) = public_principal(r) {
            // The declaration it was matched to, else the first state entry recording it.
            let address = acc
                .live_address
                .get(&i)
                .map(|a| (*a).clone())
                .or_else(|| ctx.matched.owners(i).first().map(|o| o.addr()));
            acc.findings.push(finding::public_access(r, address, &who));
        }
    }
}

/// The selected workspace is empty or missing while declared resources exist live.
pub fn empty_state(ctx: &Context, acc: &mut Acc) {
    if acc.untracked == 0 {
        return;
    }
    for s in ctx.states.iter().filter(|s| s.selected) {
        let missing = match &s.state {
            super::StateRead::Present(st) if st.is_empty() => false,
            super::StateRead::Missing => true,
            _ => continue,
        };
        acc.findings.push(finding::empty_state(
            &s.label,
            &s.workspace,
            missing,
            acc.untracked,
            &s.elsewhere,
        ));
    }
}

pub fn backend_mismatches(mismatches: &[Mismatch], acc: &mut Acc) {
    acc.findings
        .extend(mismatches.iter().map(finding::backend_mismatch));
}

/// Who a live resource's IAM policy opens it to, if anyone.
fn public_principal(r: &LiveResource) -> Option<String> {
    let mut who = BTreeSet::new();
    if let Some(bindings) = r
        .iam_policy
        .as_ref()
        .and_then(|p| p.get("bindings"))
        .and_then(Json::as_array)
    {
        for b in bindings {
            let members = b.get("members").and_then(Json::as_array);
            for m in members.into_iter().flatten().filter_map(Json::as_str) {
                if m == "allUsers" || m == "allAuthenticatedUsers" {
                    let role = b.get("role").and_then(Json::as_str).unwrap_or("?");
                    who.insert(format!("{m} ({role})"));
                }
            }
        }
    }
    // AWS resource policies: "Principal": "*" or {"AWS": "*"} on an Allow statement.
    let attrs = match r.attributes.mentions("policy\":") {
        true => r.attributes.value(),
        false => Json::Null,
    };
    for key in ["policy", "assume_role_policy"] {
        let doc = match attrs.get(key) {
            Some(Json::String(s)) => serde_json::from_str::<Json>(s).ok(),
            Some(v @ Json::Object(_)) => Some(v.clone()),
            _ => None,
        };
        let statements = match doc.as_ref().and_then(|d| d.get("Statement")) {
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
            let star = match s.get("Principal") {
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

/// The addresses a suggestion must not take: the declared ones, and those already suggested.
struct Taken<'a> {
    cfg: &'a Config,
    suggested: HashSet<ResourceInstance>,
}

/// A valid, stable, readable address for a resource nobody declares: the type and a name made
/// from the resource's own short name.
fn suggest_address(tf_type: &str, r: &LiveResource, taken: &mut Taken) -> ResourceInstance {
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
        if taken.cfg.position(&addr).is_none() && taken.suggested.insert(addr.clone()) {
            return addr;
        }
        name = format!("{base}_{n}");
        n += 1;
    }
}
