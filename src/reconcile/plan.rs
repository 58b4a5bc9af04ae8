//! Phase 5, plan: the imports in dependency order — a resource after everything it
//! references, so that `terraform import` of one block can read what it depends on — then the
//! unmanaged resources, by address.

use std::collections::HashMap;

use crate::addr::ResourceInstance;
use crate::config::{Config, Node};
use crate::findings::ImportEntry;

pub fn order(
    cfg: &Config,
    mut declared: Vec<ImportEntry>,
    mut unmanaged: Vec<ImportEntry>,
) -> Vec<ImportEntry> {
    let graph = crate::graph::Graph::from_config(cfg);
    let position: HashMap<ResourceInstance, usize> = match graph.topological_order() {
        Ok(nodes) => nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match &n.node {
                Node::Resource(r) => Some((r.clone(), i)),
                Node::Module(_) => None,
            })
            .collect(),
        // A cycle (Terraform would refuse the configuration): address order.
        Err(_) => HashMap::new(),
    };
    let rank = |e: &ImportEntry| position.get(&e.address).copied().unwrap_or(usize::MAX);
    declared.sort_by(|a, b| (rank(a), &a.address).cmp(&(rank(b), &b.address)));
    unmanaged.sort_by(|a, b| a.address.cmp(&b.address));
    declared.extend(unmanaged);
    declared
}
