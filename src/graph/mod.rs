//! The dependency graph of an expanded configuration: resource, data and module instances,
//! joined by the references and `depends_on` that order them. Owns graph construction,
//! filtering, topological order (for import plans) and the dot / JSON / mermaid renderings.
//! It reads a [`Config`]; it never loads files or prints.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;

use crate::addr::{Mode, ModuleInstance};
use crate::config::{Config, Node, SourcePos};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Resource,
    Data,
    Module,
}

/// A node with what is shown about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NodeInfo {
    pub node: Node,
    pub kind: Kind,
    /// The resource type; `None` for a module instance.
    pub type_name: Option<String>,
    /// The module instance the node lives in (a module instance's parent).
    pub module: ModuleInstance,
    pub pos: SourcePos,
}

/// `from` depends on `to`, because of the reference `via`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: Node,
    pub to: Node,
    pub via: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GraphError {
    #[error("dependency cycle between {}: break one of the references between them", .members.join(", "))]
    Cycle { members: Vec<String> },
}

/// The graph itself; nodes and edges are kept sorted so every rendering is reproducible.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    nodes: Vec<NodeInfo>,
    edges: Vec<Edge>,
}

/// What to keep when filtering.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Resource types to keep (module nodes are dropped when this is set).
    pub types: Vec<String>,
    /// Module addresses (`module.a`, `module.a["x"].module.b`) whose contents are kept.
    pub modules: Vec<String>,
}

fn within(module: &ModuleInstance, prefix: &str) -> bool {
    let m = module.to_string();
    m == prefix || m.starts_with(&format!("{prefix}.")) || m.starts_with(&format!("{prefix}["))
}

impl Graph {
    pub fn from_config(cfg: &Config) -> Graph {
        let mut nodes = Vec::new();
        let mut edges = BTreeSet::new();
        for i in &cfg.instances {
            let node = Node::Resource(i.addr.clone());
            nodes.push(NodeInfo {
                kind: match i.addr.resource.mode {
                    Mode::Managed => Kind::Resource,
                    Mode::Data => Kind::Data,
                },
                type_name: Some(i.addr.resource.type_name.clone()),
                module: i.addr.module.clone(),
                pos: i.pos.clone(),
                node: node.clone(),
            });
            for d in &i.depends_on {
                edges.insert(Edge {
                    from: node.clone(),
                    to: d.target.clone(),
                    via: d.via.clone(),
                });
            }
        }
        for m in &cfg.module_instances {
            let node = Node::Module(m.addr.clone());
            let mut parent = m.addr.clone();
            parent.0.pop();
            nodes.push(NodeInfo {
                node: node.clone(),
                kind: Kind::Module,
                type_name: None,
                module: parent,
                pos: m.pos.clone(),
            });
            for d in &m.depends_on {
                edges.insert(Edge {
                    from: node.clone(),
                    to: d.target.clone(),
                    via: d.via.clone(),
                });
            }
        }
        // Each module instance just before its contents; resources in `terraform state list`
        // order within a module.
        nodes.sort_by_cached_key(|n| match &n.node {
            Node::Resource(r) => (r.module.clone(), 1, Some(r.clone())),
            Node::Module(m) => (m.clone(), 0, None),
        });
        let known: BTreeSet<&Node> = nodes.iter().map(|n| &n.node).collect();
        let edges = edges
            .into_iter()
            .filter(|e| known.contains(&e.from) && known.contains(&e.to) && e.from != e.to)
            .collect();
        Graph { nodes, edges }
    }

    pub fn nodes(&self) -> &[NodeInfo] {
        &self.nodes
    }

    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The subgraph of the nodes the filter keeps, with the edges between them.
    pub fn filter(&self, f: &Filter) -> Graph {
        let keep = |n: &NodeInfo| {
            let type_ok =
                f.types.is_empty() || n.type_name.as_ref().is_some_and(|t| f.types.contains(t));
            let module_ok = f.modules.is_empty()
                || f.modules.iter().any(|p| {
                    within(&n.module, p) || matches!(&n.node, Node::Module(m) if within(m, p))
                });
            type_ok && module_ok
        };
        let nodes: Vec<NodeInfo> = self.nodes.iter().filter(|n| keep(n)).cloned().collect();
        let kept: BTreeSet<&Node> = nodes.iter().map(|n| &n.node).collect();
        let edges = self
            .edges
            .iter()
            .filter(|e| kept.contains(&e.from) && kept.contains(&e.to))
            .cloned()
            .collect();
        Graph { nodes, edges }
    }

    fn petgraph(&self) -> (DiGraph<usize, ()>, HashMap<&Node, NodeIndex>) {
        let mut g = DiGraph::new();
        let mut idx = HashMap::new();
        for (i, n) in self.nodes.iter().enumerate() {
            idx.insert(&n.node, g.add_node(i));
        }
        for e in &self.edges {
            // Dependencies point at their dependents, so a topological sort lists them first.
            g.add_edge(idx[&e.to], idx[&e.from], ());
        }
        (g, idx)
    }

    /// Every node, each after everything it depends on (the order to import or create them).
    /// Among independent nodes the order is by address.
    pub fn topological_order(&self) -> Result<Vec<&NodeInfo>, GraphError> {
        let (g, _) = self.petgraph();
        // Kahn's algorithm with a sorted ready set keeps the order reproducible.
        let mut indegree: Vec<usize> = g
            .node_indices()
            .map(|n| g.neighbors_directed(n, petgraph::Incoming).count())
            .collect();
        let mut ready: BTreeSet<usize> =
            (0..indegree.len()).filter(|&i| indegree[i] == 0).collect();
        let mut out = Vec::with_capacity(self.nodes.len());
        while let Some(i) = ready.pop_first() {
            out.push(&self.nodes[i]);
            for n in g.neighbors_directed(NodeIndex::new(i), petgraph::Outgoing) {
                indegree[n.index()] -= 1;
                if indegree[n.index()] == 0 {
                    ready.insert(n.index());
                }
            }
        }
        if out.len() < self.nodes.len() {
            let scc = petgraph::algo::tarjan_scc(&g);
            let cycle = scc.into_iter().find(|c| c.len() > 1).unwrap_or_default();
            let mut members: Vec<String> = cycle
                .iter()
                .map(|n| self.nodes[g[*n]].node.to_string())
                .collect();
            members.sort();
            return Err(GraphError::Cycle { members });
        }
        Ok(out)
    }

    /// `{"nodes": [...], "edges": [...]}`, file paths relative to `base`.
    pub fn to_json(&self, base: &Path) -> serde_json::Value {
        let nodes: Vec<serde_json::Value> = self
            .nodes
            .iter()
            .map(|n| {
                let pos = n.pos.relative_to(base);
                serde_json::json!({
                    "address": n.node.to_string(),
                    "kind": n.kind,
                    "type": n.type_name,
                    "module": n.module.to_string(),
                    "file": pos.file.to_string_lossy(),
                    "line": pos.line,
                })
            })
            .collect();
        let edges: Vec<serde_json::Value> = self
            .edges
            .iter()
            .map(|e| serde_json::json!({"from": e.from.to_string(), "to": e.to.to_string(), "via": e.via}))
            .collect();
        serde_json::json!({"nodes": nodes, "edges": edges})
    }

    pub fn to_dot(&self) -> String {
        let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let mut out = String::from(
            "digraph tfrecon {\n  rankdir = \"RL\";\n  node [fontname = \"sans-serif\"];\n",
        );
        for n in &self.nodes {
            let shape = match n.kind {
                Kind::Resource => "box",
                Kind::Data => "note",
                Kind::Module => "component",
            };
            let _ = writeln!(out, "  {} [shape = {shape}];", q(&n.node.to_string()));
        }
        for e in &self.edges {
            let _ = writeln!(
                out,
                "  {} -> {} [label = {}];",
                q(&e.from.to_string()),
                q(&e.to.to_string()),
                q(&e.via)
            );
        }
        out.push_str("}\n");
        out
    }

    pub fn to_mermaid(&self) -> String {
        // Mermaid labels cannot hold raw quotes or pipes: use its entity codes.
        let label = |s: &str| s.replace('"', "#quot;").replace('|', "#124;");
        let ids: BTreeMap<&Node, String> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (&n.node, format!("n{i}")))
            .collect();
        let mut out = String::from("flowchart RL\n");
        for n in &self.nodes {
            let text = label(&n.node.to_string());
            let id = &ids[&n.node];
            let _ = match n.kind {
                Kind::Resource => writeln!(out, "  {id}[\"{text}\"]"),
                Kind::Data => writeln!(out, "  {id}[/\"{text}\"/]"),
                Kind::Module => writeln!(out, "  {id}[[\"{text}\"]]"),
            };
        }
        for e in &self.edges {
            let _ = writeln!(
                out,
                "  {} -->|\"{}\"| {}",
                ids[&e.from],
                label(&e.via),
                ids[&e.to]
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addr::ResourceInstance;

    fn node(addr: &str) -> NodeInfo {
        let r: ResourceInstance = addr.parse().unwrap();
        NodeInfo {
            kind: Kind::Resource,
            type_name: Some(r.resource.type_name.clone()),
            module: r.module.clone(),
            pos: SourcePos {
                file: "main.tf".into(),
                line: 1,
                col: 1,
            },
            node: Node::Resource(r),
        }
    }

    fn edge(from: &str, to: &str) -> Edge {
        Edge {
            from: Node::Resource(from.parse().unwrap()),
            to: Node::Resource(to.parse().unwrap()),
            via: "ref".into(),
        }
    }

    #[test]
    fn dependencies_come_first_and_cycles_are_named() {
        let mut g = Graph {
            nodes: vec![node("a_x.a"), node("a_x.b"), node("a_x.c")],
            edges: vec![edge("a_x.a", "a_x.c"), edge("a_x.b", "a_x.a")],
        };
        let order: Vec<String> = g
            .topological_order()
            .unwrap()
            .iter()
            .map(|n| n.node.to_string())
            .collect();
        assert_eq!(order, ["a_x.c", "a_x.a", "a_x.b"]);
        g.edges.push(edge("a_x.c", "a_x.b"));
        assert_eq!(
            g.topological_order().unwrap_err(),
            GraphError::Cycle {
                members: vec!["a_x.a".into(), "a_x.b".into(), "a_x.c".into()]
            }
        );
    }

    #[test]
    fn renderings_quote_string_keys() {
        let g = Graph {
            nodes: vec![node("a_x.a[\"k\"]")],
            edges: vec![],
        };
        assert!(g.to_dot().contains("\"a_x.a[\\\"k\\\"]\" [shape = box];"));
        assert!(g.to_mermaid().contains("n0[\"a_x.a[#quot;k#quot;]\"]"));
    }
}
