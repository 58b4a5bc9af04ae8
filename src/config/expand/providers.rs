//! Provider configurations: which one each resource uses (its `provider` argument, else the
//! default configuration of its implied provider), what child modules inherit or receive
//! through `providers`, and the evaluated arguments of every `provider` block.
//!
//! Owns provider addresses and inheritance; it never reads or guesses credentials.

use crate::config::value::Map;
use std::collections::BTreeMap;

use super::super::diag::Diagnostic;
use super::super::eval::{Evaluator, ModuleValues};
use super::super::parse::{ModuleCall, ModuleConfig, ResourceBlock};
use super::super::value::Value;
use super::super::{ProviderAddr, ProviderConfig};
use super::body::eval_body;
use super::{Ctx, Output};
use crate::addr::{ModuleInstance, ModulePath};

/// Provider configurations a module instance sees: `(local name, alias)` → configuration.
pub type ProviderMap = BTreeMap<(String, Option<String>), ProviderAddr>;

/// The fully qualified source address of a module's provider local name.
pub fn provider_fqn(cfg: &ModuleConfig, local: &str) -> String {
    if let Some(src) = cfg.required_providers.get(local) {
        let parts: Vec<&str> = src.split('/').collect();
        return match parts.len() {
            1 => format!(
                "registry.terraform.io/hashicorp/{}",
                parts[0].to_lowercase()
            ),
            2 => format!("registry.terraform.io/{}", src.to_lowercase()),
            _ => src.to_lowercase(),
        };
    }
    if local == "terraform" {
        "terraform.io/builtin/terraform".into()
    } else {
        format!("registry.terraform.io/hashicorp/{local}")
    }
}

fn unconfigured(out: &mut Output, addr: &ProviderAddr, local: &str) {
    out.providers
        .entry(addr.clone())
        .or_insert_with(|| ProviderConfig {
            addr: addr.clone(),
            local_name: local.to_string(),
            attributes: Value::Object(Map::new()),
            pos: None,
        });
}

/// Registers the provider configurations a module declares. Their arguments are evaluated
/// once per module path, when everything else is ([`evaluate`]).
pub fn declare(out: &mut Output, cfg: &ModuleConfig, inst: &ModuleInstance, map: &mut ProviderMap) {
    for p in &cfg.providers {
        let addr = ProviderAddr {
            module: inst.config_path(),
            fqn: provider_fqn(cfg, &p.name).into(),
            alias: p.alias.clone(),
        };
        map.insert((p.name.clone(), p.alias.clone()), addr.clone());
        out.providers
            .entry(addr.clone())
            .or_insert_with(|| ProviderConfig {
                addr,
                local_name: p.name.clone(),
                attributes: Value::Unknown,
                pos: Some(p.snippet.pos.clone()),
            });
    }
}

/// Evaluates the arguments of a module's provider blocks in the scope of one of its instances.
pub fn evaluate(
    out: &mut Output,
    ctx: &Ctx,
    cfg: &ModuleConfig,
    module: &ModulePath,
    values: &ModuleValues,
    path_module: &str,
) {
    let scope = ctx.scope(values, path_module, None, None);
    for p in &cfg.providers {
        let addr = ProviderAddr {
            module: module.clone(),
            fqn: provider_fqn(cfg, &p.name).into(),
            alias: p.alias.clone(),
        };
        let attributes = eval_body(
            &mut Evaluator::new(&scope, &p.file, &mut out.diags),
            &p.body,
            &["alias", "version"],
        );
        if let Some(pc) = out.providers.get_mut(&addr) {
            pc.attributes = attributes;
        }
    }
}

/// The provider configuration a resource uses.
pub fn provider_for(
    out: &mut Output,
    cfg: &ModuleConfig,
    inst: &ModuleInstance,
    map: &mut ProviderMap,
    rb: &ResourceBlock,
) -> ProviderAddr {
    let key = rb.provider.clone().unwrap_or_else(|| {
        (
            rb.type_name.split('_').next().unwrap_or("").to_string(),
            None,
        )
    });
    if let Some(a) = map.get(&key) {
        return a.clone();
    }
    if key.1.is_some() {
        out.diags.push(Diagnostic::error(
            format!(
                "provider {}.{} is not configured in {}",
                key.0,
                key.1.clone().unwrap_or_default(),
                if inst.is_root() {
                    "the root module".to_string()
                } else {
                    inst.to_string()
                }
            ),
            Some(rb.snippet.clone()),
        ));
    }
    // A provider nobody configured is its empty default configuration, in the module where
    // it is first needed.
    let addr = ProviderAddr {
        module: if key.1.is_none() {
            ModulePath::root()
        } else {
            inst.config_path()
        },
        fqn: provider_fqn(cfg, &key.0).into(),
        alias: key.1.clone(),
    };
    unconfigured(out, &addr, &key.0);
    map.insert(key, addr.clone());
    addr
}

/// The configurations a module call's instances see: an explicit `providers` map replaces
/// inheritance; otherwise the default (unaliased) configurations are inherited.
pub fn for_child(
    out: &mut Output,
    cfg: &ModuleConfig,
    mc: &ModuleCall,
    call_text: &str,
    parent: &mut ProviderMap,
) -> ProviderMap {
    let mut child = ProviderMap::new();
    if mc.providers.is_empty() {
        for ((n, a), addr) in parent.iter() {
            if a.is_none() {
                child.insert((n.clone(), None), addr.clone());
            }
        }
        return child;
    }
    for (c, parent_key) in &mc.providers {
        match parent.get(parent_key) {
            Some(addr) => {
                child.insert(c.clone(), addr.clone());
            }
            None if parent_key.1.is_none() => {
                let addr = ProviderAddr {
                    module: ModulePath::root(),
                    fqn: provider_fqn(cfg, &parent_key.0).into(),
                    alias: None,
                };
                unconfigured(out, &addr, &parent_key.0);
                parent.insert(parent_key.clone(), addr.clone());
                child.insert(c.clone(), addr);
            }
            None => out.diags.push(Diagnostic::error(
                format!(
                    "{call_text}: provider {}.{} passed in providers is not configured",
                    parent_key.0,
                    parent_key.1.clone().unwrap_or_default()
                ),
                Some(mc.snippet.clone()),
            )),
        }
    }
    child
}
