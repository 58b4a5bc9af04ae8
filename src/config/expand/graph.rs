//! The evaluation graph of the whole configuration, as Terraform builds it: one node per
//! input variable, local value, resource, module call and output of every module (not per
//! instance), with an edge for each reference.
//!
//! Module inputs and outputs are separate nodes, so two modules that feed each other through
//! outputs that do not depend on the other's inputs are not a cycle. Owns the order of
//! evaluation and the message that names a true cycle; it evaluates nothing.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use super::super::diag::{LoadError, Snippet};
use super::super::parse::ModuleConfig;
use super::super::refs::{self, Ref, RefTarget};
use super::tree::Tree;
use crate::addr::Resource;

/// What a graph node evaluates, in the module it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An input variable of a child module: the call's argument, evaluated in the caller.
    Var(String),
    Local(String),
    Resource(usize),
    Ephemeral(usize),
    /// A module call's expansion (`count`, `for_each`, `enabled`) in the calling module.
    Call(String),
    Output(String),
}

#[derive(Debug)]
pub struct Node {
    /// The module (tree node) this node belongs to.
    pub module: usize,
    pub kind: Kind,
    /// The references of the node's expressions, in the scope they are evaluated in: the
    /// caller's for `Var`, the module's own otherwise. `depends_on` references have the text
    /// `depends_on`.
    pub refs: std::sync::Arc<[Ref]>,
    /// Whether anything reads the node's value (a `depends_on` only orders). Resources that
    /// nothing reads need no value of their own, which matters in large configurations.
    pub read: bool,
}

/// The nodes and the order to evaluate them in.
pub struct Plan {
    pub nodes: Vec<Node>,
    pub order: Vec<usize>,
}

fn depends_on_refs(e: Option<&super::super::parse::Expr>, out: &mut Vec<Ref>) {
    if let Some(d) = e {
        let mut dr = Vec::new();
        refs::in_expr(&d.expr, &mut dr);
        out.extend(dr.into_iter().map(|x| Ref {
            text: "depends_on".into(),
            ..x
        }));
    }
}

fn expr_refs<'a>(exprs: impl IntoIterator<Item = &'a super::super::parse::Expr>) -> Vec<Ref> {
    let mut r = Vec::new();
    for e in exprs {
        refs::in_expr(&e.expr, &mut r);
    }
    r
}

/// The nodes of one module, with their references.
fn module_nodes(tree: &Tree, m: usize, cfg: &ModuleConfig, out: &mut Vec<Node>) {
    let node = |kind, refs: Vec<Ref>| Node {
        module: m,
        kind,
        refs: refs.into(),
        read: false,
    };
    if let (Some(p), Some(call)) = (tree.nodes[m].parent, &tree.nodes[m].call) {
        let mc = tree.nodes[p]
            .cfg
            .as_ref()
            .and_then(|c| c.module_calls.get(call));
        for name in cfg.variables.keys() {
            let arg = mc.and_then(|mc| mc.args.get(name));
            out.push(node(Kind::Var(name.clone()), expr_refs(arg)));
        }
    }
    for (name, e) in &cfg.locals {
        out.push(node(Kind::Local(name.clone()), expr_refs([e])));
    }
    for (kind, blocks) in [(0, &cfg.resources), (1, &cfg.ephemerals)] {
        for (i, rb) in blocks.iter().enumerate() {
            let k = if kind == 0 {
                Kind::Resource(i)
            } else {
                Kind::Ephemeral(i)
            };
            // The body's references are shared with the block unless more are added.
            let refs = if rb.enabled.is_none() && rb.depends_on.is_none() {
                rb.body_refs.clone()
            } else {
                let mut r = rb.body_refs.to_vec();
                if let Some(e) = &rb.enabled {
                    refs::in_expr(&e.expr, &mut r);
                }
                depends_on_refs(rb.depends_on.as_ref(), &mut r);
                r.into()
            };
            out.push(Node {
                module: m,
                kind: k,
                refs,
                read: false,
            });
        }
    }
    for (name, mc) in &cfg.module_calls {
        let mut r = expr_refs(mc.count.iter().chain(&mc.for_each).chain(&mc.enabled));
        depends_on_refs(mc.depends_on.as_ref(), &mut r);
        out.push(node(Kind::Call(name.clone()), r));
    }
    for (name, o) in &cfg.outputs {
        out.push(node(Kind::Output(name.clone()), expr_refs(&o.value)));
    }
}

impl Plan {
    pub fn build(tree: &Tree) -> Result<Plan, LoadError> {
        let mut nodes = Vec::new();
        for (m, t) in tree.nodes.iter().enumerate() {
            if let Some(cfg) = &t.cfg {
                module_nodes(tree, m, cfg, &mut nodes);
            }
        }
        let index: HashMap<(usize, &Kind), usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| ((n.module, &n.kind), i))
            .collect();
        let mut graph: DiGraph<usize, ()> = DiGraph::with_capacity(nodes.len(), nodes.len());
        for i in 0..nodes.len() {
            graph.add_node(i);
        }
        let mut targets = Vec::new();
        let mut read = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            let t = &tree.nodes[n.module];
            // Everything in a child module waits for the call's expansion.
            if let (Some(p), Some(call)) = (t.parent, &t.call) {
                if let Some(&c) = index.get(&(p, &Kind::Call(call.clone()))) {
                    graph.add_edge(NodeIndex::new(c), NodeIndex::new(i), ());
                }
            }
            // A variable's argument is evaluated in the calling module.
            let scope = match n.kind {
                Kind::Var(_) => t.parent.unwrap_or(n.module),
                _ => n.module,
            };
            for r in n.refs.iter() {
                targets.clear();
                ref_targets(tree, scope, &r.target, &mut targets);
                for k in &targets {
                    if let Some(&d) = index.get(&(k.0, &k.1)) {
                        graph.add_edge(NodeIndex::new(d), NodeIndex::new(i), ());
                        if r.text != "depends_on" {
                            read.push(d);
                        }
                    }
                }
            }
        }
        // Provider configurations and import blocks are evaluated after the graph; what
        // they read needs its value too.
        for (m, t) in tree.nodes.iter().enumerate() {
            let Some(cfg) = &t.cfg else {
                continue;
            };
            let mut r = Vec::new();
            for p in &cfg.providers {
                refs::in_body(&p.body, &[], &mut r);
            }
            for ib in &cfg.imports {
                refs::in_expr(&ib.to_expr, &mut r);
                for e in ib.id.iter().chain(&ib.for_each) {
                    refs::in_expr(&e.expr, &mut r);
                }
            }
            for x in &r {
                targets.clear();
                ref_targets(tree, m, &x.target, &mut targets);
                read.extend(
                    targets
                        .iter()
                        .filter_map(|k| index.get(&(k.0, &k.1)).copied()),
                );
            }
        }
        drop(index);
        for d in read {
            nodes[d].read = true;
        }
        match petgraph::algo::toposort(&graph, None) {
            Ok(order) => Ok(Plan {
                order: order.into_iter().map(|n| graph[n]).collect(),
                nodes,
            }),
            Err(cycle) => Err(cycle_error(tree, &nodes, &graph, cycle.node_id())),
        }
    }
}

/// The graph nodes a reference in module `m` points at.
fn ref_targets(tree: &Tree, m: usize, target: &RefTarget, out: &mut Vec<(usize, Kind)>) {
    let t = &tree.nodes[m];
    match target {
        RefTarget::Var(n) if !t.path.is_root() => out.push((m, Kind::Var(n.clone()))),
        RefTarget::Var(_) => {}
        RefTarget::Local(n) => out.push((m, Kind::Local(n.clone()))),
        RefTarget::Resource {
            mode,
            type_name,
            name,
            ..
        } => {
            if let Some(&i) = t.res_idx.get(&(*mode, type_name.clone(), name.clone())) {
                out.push((m, Kind::Resource(i)));
            }
        }
        RefTarget::Ephemeral { type_name, name } => {
            if let Some(&i) = t.eph_idx.get(&(type_name.clone(), name.clone())) {
                out.push((m, Kind::Ephemeral(i)));
            }
        }
        RefTarget::Module { name, output, .. } => {
            out.push((m, Kind::Call(name.clone())));
            let Some(&c) = t.children.get(name) else {
                return;
            };
            let Some(cfg) = &tree.nodes[c].cfg else {
                return;
            };
            match output {
                Some(o) if cfg.outputs.contains_key(o) => out.push((c, Kind::Output(o.clone()))),
                // A reference to the whole module, or to an output it does not declare
                // (an error reported when it is evaluated).
                _ => out.extend(cfg.outputs.keys().map(|o| (c, Kind::Output(o.clone())))),
            }
        }
    }
}

fn cycle_error(
    tree: &Tree,
    nodes: &[Node],
    graph: &DiGraph<usize, ()>,
    at: NodeIndex,
) -> LoadError {
    let sccs = petgraph::algo::tarjan_scc(graph);
    let members = sccs
        .into_iter()
        .find(|c| c.contains(&at))
        .unwrap_or_else(|| vec![at]);
    let mut names: Vec<(String, Snippet)> = members
        .iter()
        .map(|n| describe(tree, &nodes[graph[*n]]))
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    let snippet = names[0].1.clone();
    LoadError::Cycle {
        members: names.into_iter().map(|(n, _)| n).collect(),
        snippet,
    }
}

/// A node's address (`module.a.var.x`, `local.y`, `aws_vpc.main`) and where it is written.
pub fn describe(tree: &Tree, n: &Node) -> (String, Snippet) {
    let t = &tree.nodes[n.module];
    let cfg = t
        .cfg
        .as_ref()
        .expect("nodes exist only for installed modules");
    let (name, snippet) = match &n.kind {
        Kind::Var(v) => {
            let arg = t
                .parent
                .zip(t.call.as_ref())
                .and_then(|(p, c)| tree.nodes[p].cfg.as_ref()?.module_calls.get(c)?.args.get(v))
                .map(|e| e.snippet());
            (
                format!("var.{v}"),
                arg.unwrap_or_else(|| cfg.variables[v].snippet.clone()),
            )
        }
        Kind::Local(l) => (format!("local.{l}"), cfg.locals[l].snippet()),
        Kind::Resource(i) => {
            let r = &cfg.resources[*i];
            (
                Resource {
                    mode: r.mode,
                    type_name: r.type_name.clone(),
                    name: r.name.clone(),
                }
                .to_string(),
                r.snippet.clone(),
            )
        }
        Kind::Ephemeral(i) => {
            let r = &cfg.ephemerals[*i];
            (
                format!("ephemeral.{}.{}", r.type_name, r.name),
                r.snippet.clone(),
            )
        }
        Kind::Call(c) => (format!("module.{c}"), cfg.module_calls[c].snippet.clone()),
        Kind::Output(o) => (format!("output.{o}"), cfg.outputs[o].snippet.clone()),
    };
    if t.path.is_root() {
        (name, snippet)
    } else {
        (format!("{}.{name}", t.path), snippet)
    }
}
