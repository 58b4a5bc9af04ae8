//! Reconciliation: state × configuration × live inventory → findings and an import plan.
//!
//! It runs as named phases, each a function of its own with its own tests:
//!
//! 1. **index** ([`index`]): the selected state's instances, and the live side through hash
//!    indexes keyed on identity — `(type, import ID)`, identity attributes, natural keys —
//!    never nested scans; plus what the inventory covers.
//! 2. **match** ([`matching`]): every state entry of every scanned state to the live side;
//!    a live resource recorded in two states is a finding.
//! 3. **resolve** ([`resolve`]): identities that depend on another resource's computed
//!    attribute, learnt by evaluating the configuration again with the values found so far
//!    (state entries, then matched live resources), until nothing new is learnt.
//! 4. **classify** ([`classify`]): every declared instance, every state entry, every live
//!    resource gets an explicit outcome, including `ambiguous` and `unchecked`; never a guess.
//! 5. **plan** ([`plan`]): the imports, in dependency order.
//!
//! Identity attributes go through the normalisation passes of [`normalize`] on every side.
//! Every finding is built by one constructor per kind ([`finding`]). Before anything leaves,
//! every value known to be secret is searched for in the findings and messages and redacted
//! ([`secrets`]), so a secret that reached another attribute through a reference never prints. No cloud SDK type and no
//! printing here: the result is data ([`crate::findings`]).

use std::collections::BTreeMap;
use std::path::Path;

use crate::addr::{AbsResource, ResourceInstance};
use crate::backend::settings::Mismatch;
use crate::config::{self, Config, LoadOptions};
use crate::findings::{Finding, ImportPlan, Kind, SourceError, UncheckedCause};
use crate::inventory::Inventory;
use crate::state::State;

mod classify;
mod diff;
mod finding;
mod index;
mod matching;
mod normalize;
mod plan;
mod resolve;
mod secrets;

#[cfg(test)]
mod tests;

/// What reading one workspace's state gave.
pub enum StateRead {
    /// Parsed state (possibly with no resources).
    Present(State),
    /// The workspace was never written (or its object is empty): Terraform sees no state.
    Missing,
    /// The state exists or may exist but could not be read: nothing can be concluded from it.
    Unreadable(String),
}

impl StateRead {
    pub fn state(&self) -> Option<&State> {
        match self {
            StateRead::Present(s) => Some(s),
            _ => None,
        }
    }
}

/// One scanned state: where it came from and what it holds.
pub struct StateInput {
    /// `s3://bucket/key`, a path, `<stdin>`; with the workspace when it is not `default`.
    pub label: String,
    pub workspace: String,
    pub state: StateRead,
    /// Other workspaces or keys of the same backend that hold resources, for the empty-state
    /// finding (`workspace "default" holds 21 resource instance(s)`).
    pub elsewhere: Vec<String>,
    /// Whether this is the state of the workspace the configuration is scanned for.
    pub selected: bool,
    /// Parts of a present state that could not be read.
    pub damage: Damage,
}

/// The parts of a present state that could not be read (its diagnostics), as far as they
/// name a resource. Whatever a damaged part might record is never called untracked or
/// unmanaged, and never imported: it might already be in that state.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Damage {
    #[default]
    None,
    /// Resources with an entry (or an instance) that could not be read.
    Resources(Vec<AbsResource>),
    /// A part that names no resource could not be read: it might hold anything.
    Unknown,
}

impl Damage {
    /// The damage a state's diagnostics describe.
    pub fn from_diagnostics(diags: &[crate::state::Diagnostic]) -> Damage {
        let mut resources = Vec::new();
        for d in diags {
            // `ADDRESS`, `ADDRESS[KEY]` or `ADDRESS (resource #N in the state)`.
            let subject = d.subject.as_deref().map(|s| match s.find(" (resource #") {
                Some(i) => &s[..i],
                None => s,
            });
            match subject.and_then(|s| s.parse::<ResourceInstance>().ok()) {
                Some(a) => resources.push(a.abs_resource()),
                None => return Damage::Unknown,
            }
        }
        if resources.is_empty() {
            Damage::None
        } else {
            resources.sort();
            resources.dedup();
            Damage::Resources(resources)
        }
    }

    /// Whether the damaged parts might record `addr`.
    pub fn covers(&self, addr: &ResourceInstance) -> bool {
        match self {
            Damage::None => false,
            Damage::Unknown => true,
            Damage::Resources(r) => r
                .iter()
                .any(|a| a.module == addr.module && a.resource == addr.resource),
        }
    }

    /// Whether the damaged parts might record a resource of `tf_type`.
    pub fn covers_type(&self, tf_type: &str) -> bool {
        match self {
            Damage::None => false,
            Damage::Unknown => true,
            Damage::Resources(r) => r.iter().any(|a| a.resource.type_name == tf_type),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Report resources that cloud services created for themselves as unmanaged too.
    pub strict: bool,
    /// Add unmanaged resources to the import plan, at their suggested addresses.
    pub include_unmanaged: bool,
}

/// Everything reconciliation concluded.
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Non-finding outcomes (`in_sync`, `pending`).
    pub counted: BTreeMap<Kind, usize>,
    pub imports: ImportPlan,
    pub errors: Vec<SourceError>,
    /// The configuration, as finally evaluated.
    pub config: Option<Config>,
}

impl Outcome {
    /// Declared instances whose identity could not be computed offline.
    pub fn unknowable(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.cause == Some(UncheckedCause::IdentityUnknown))
            .count()
    }
}

/// Why [`reconcile`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReconcileError<E> {
    #[error(transparent)]
    Config(#[from] config::LoadError),
    #[error(transparent)]
    Inventory(E),
}

/// Runs the phases. The inventory is obtained by `get_inventory` on this thread while the
/// configuration is first evaluated on another: reading a large snapshot or listing the cloud,
/// indexing it and matching the states overlap with the configuration's evaluation.
pub fn reconcile<E>(
    config_dir: &Path,
    load: &LoadOptions,
    states: &[StateInput],
    get_inventory: impl FnOnce() -> Result<Inventory, E>,
    mismatches: &[Mismatch],
    opts: &Options,
) -> Result<Outcome, ReconcileError<E>> {
    let state_index = index::StateIndex::new(states);
    let mut round_opts = load.clone();
    round_opts.state_values = state_index.values();
    // The first evaluation runs while the inventory is obtained, indexed and matched with the
    // states, none of which needs the configuration.
    let evaluation = {
        let dir = config_dir.to_path_buf();
        std::thread::spawn(move || {
            let first = config::load(&dir, &round_opts);
            (first, round_opts)
        })
    };
    let join = |evaluation: std::thread::JoinHandle<_>| {
        evaluation
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    };
    let inventory = match get_inventory() {
        Ok(inventory) => inventory,
        Err(e) => {
            let _ = join(evaluation);
            return Err(ReconcileError::Inventory(e));
        }
    };
    let norm = normalize::Context::from_inventory(&inventory);
    let live = index::LiveIndex::new(&inventory, &norm);
    let matched = matching::match_states(&live, states, &norm);
    let (first, round_opts) = join(evaluation);
    let resolved = resolve::resolve(config_dir, round_opts, first?, &live, &norm)?;

    let mut errors = index::inventory_errors(&inventory);
    errors.extend(resolve::config_errors(&resolved));
    let ctx = classify::Context {
        cfg: &resolved.config,
        live: &live,
        states,
        state_index: &state_index,
        matched: &matched,
        norm: &norm,
        opts,
    };
    let mut acc = classify::Acc::default();
    classify::duplicate_states(&ctx, &mut acc);
    classify::declared(&ctx, &mut acc);
    classify::orphans(&ctx, &mut acc);
    classify::unmanaged(&ctx, &mut acc);
    classify::public_access(&ctx, &mut acc);
    classify::empty_state(&ctx, &mut acc);
    classify::backend_mismatches(mismatches, &mut acc);
    secrets::Secrets::collect(states, &resolved.config, &inventory)
        .scrub(&mut acc.findings, &mut errors);

    let workspace = states
        .iter()
        .find(|s| s.selected)
        .map(|s| s.workspace.clone())
        .unwrap_or_else(|| resolved.config.workspace.clone());
    let imports = plan::order(&resolved.config, acc.imports, acc.unmanaged_imports);
    Ok(Outcome {
        findings: acc.findings,
        counted: acc.counted,
        imports: ImportPlan { workspace, imports },
        errors,
        config: Some(resolved.config),
    })
}
