//! Phase 5, plan: the imports in dependency order — a resource after everything it
//! references, so that `terraform import` of one block can read what it depends on — then the
//! unmanaged resources, by address.

use crate::config::Config;
use crate::findings::ImportEntry;
use crate::graph::Graph;

pub fn order(
    cfg: &Config,
    declared: Vec<ImportEntry>,
    mut unmanaged: Vec<ImportEntry>,
) -> Vec<ImportEntry> {
    // Ranks only when there are imports to order among themselves. Without ranks (or with a
    // cycle, which Terraform would refuse): address order.
    let ranks = match declared.len() {
        0 | 1 => None,
        _ => Graph::instance_ranks(cfg),
    };
    let rank = |e: &ImportEntry| {
        ranks
            .as_ref()
            .and_then(|r| Some(r[cfg.position(&e.address)?]))
            .unwrap_or(usize::MAX)
    };
    let mut ranked: Vec<(usize, ImportEntry)> =
        declared.into_iter().map(|e| (rank(&e), e)).collect();
    ranked.sort_by(|(ra, a), (rb, b)| (ra, &a.address).cmp(&(rb, &b.address)));
    unmanaged.sort_by(|a, b| a.address.cmp(&b.address));
    ranked
        .into_iter()
        .map(|(_, e)| e)
        .chain(unmanaged)
        .collect()
}
