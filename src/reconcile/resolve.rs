//! Phase 3, resolve: identities built from other resources' computed attributes (a service
//! account's `email` in an IAM member) become known by evaluating the configuration again with
//! what is known of those resources — their state entries first, then the live resources
//! their declarations matched — for as long as a block reads a newly learnt value.

use std::collections::HashSet;
use std::path::Path;

use super::index::{catalog_for, LiveIndex};
use super::matching::{find_live, identity_attributes, Match};
use super::normalize;
use crate::addr::{Mode, ModuleInstance, ResourceInstance};
use crate::config::{self, Config, Diagnostic, LoadError, LoadOptions, Node};
use crate::findings::SourceError;

/// How many times the configuration is re-evaluated with newly learnt values.
const MAX_ROUNDS: usize = 6;

/// The configuration as finally evaluated.
pub struct Resolved {
    pub config: Config,
    pub diags: Vec<Diagnostic>,
}

/// Evaluates again while something new is learnt. `opts.resource_values` holds the state's
/// values; `first` is the evaluation made with them.
pub fn resolve(
    config_dir: &Path,
    mut opts: LoadOptions,
    first: (Config, Vec<Diagnostic>),
    live: &LiveIndex,
    norm: &normalize::Context,
) -> Result<Resolved, LoadError> {
    let (mut config, mut diags) = first;
    let mut round = 1;
    loop {
        let new = learn(&config, live, norm, &mut opts);
        let more = anything_reads(&config, &new);
        if !more || round >= MAX_ROUNDS {
            break;
        }
        (config, diags) = config::load(config_dir, &opts)?;
        round += 1;
    }
    Ok(Resolved { config, diags })
}

/// Adds the live values of every declared instance matched live and not known yet; returns
/// their addresses. State entries are never replaced.
fn learn(
    cfg: &Config,
    live: &LiveIndex,
    norm: &normalize::Context,
    opts: &mut LoadOptions,
) -> Vec<ResourceInstance> {
    let mut new = Vec::new();
    for inst in &cfg.instances {
        if inst.addr.resource.mode != Mode::Managed || opts.knows(&inst.addr) {
            continue;
        }
        let Some(info) = catalog_for(&inst.addr.resource.type_name) else {
            continue;
        };
        let attrs = identity_attributes(cfg, inst, norm);
        if let (Match::One(i), _) = find_live(live, info, &attrs) {
            opts.resource_values
                .insert(inst.addr.clone(), live.values(i));
            new.push(inst.addr.clone());
        }
    }
    new
}

/// Whether any block of the configuration refers to one of `learnt` (directly, or through the
/// module instance that holds it): only then can another evaluation round know more.
fn anything_reads(cfg: &Config, learnt: &[ResourceInstance]) -> bool {
    if learnt.is_empty() {
        return false;
    }
    let resources: HashSet<_> = learnt.iter().map(|a| a.abs_resource()).collect();
    let mut modules: HashSet<ModuleInstance> = HashSet::new();
    for a in learnt {
        for n in 1..=a.module.0.len() {
            modules.insert(ModuleInstance(a.module.0[..n].to_vec()));
        }
    }
    // `depends_on` orders blocks but passes no value.
    let reads = |d: &config::Dependency| match &d.target {
        _ if d.via == "depends_on" || d.via.starts_with("depends_on of ") => false,
        Node::Resource(r) => resources.contains(&r.abs_resource()),
        Node::Module(m) => modules.contains(m),
    };
    cfg.instances.iter().any(|i| i.depends_on.iter().any(reads))
        || cfg
            .module_instances
            .iter()
            .any(|m| m.depends_on.iter().any(reads))
}

/// What in the configuration could not be evaluated: error diagnostics, and blocks whose
/// instances are not known offline.
pub fn config_errors(r: &Resolved) -> Vec<SourceError> {
    let errors = r
        .diags
        .iter()
        .filter(|d| d.severity == config::Severity::Error)
        .map(|d| SourceError {
            source: format!(
                "configuration {}",
                d.pos().map(|p| p.to_string()).unwrap_or_default()
            ),
            reason: d.summary.clone(),
        });
    let unknown = r.config.unknown_expansions.iter().map(|u| SourceError {
        source: format!("configuration {}", u.address),
        reason: format!("its instances are not known offline: {}", u.reason),
    });
    errors.chain(unknown).collect()
}
