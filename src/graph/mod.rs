//! The dependency graph of an expanded configuration: resource, data and module instances,
//! joined by the references and `depends_on` that order them. Owns graph construction,
//! filtering, topological order (for import plans) and the dot / JSON / mermaid renderings.
//! It reads a [`Config`]; it never loads files or prints.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

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

/// `from` depends on `to` (indices into [`Graph::nodes`]), because of the reference `via`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// Shared by the edges of every instance of a block (an `Arc`, not a copy per edge).
    pub via: Arc<str>,
}

#[derive(Serialize)]
struct JsonNode {
    address: String,
    kind: Kind,
    #[serde(rename = "type")]
    type_name: Option<String>,
    module: String,
    file: String,
    line: usize,
}

/// The JSON shape; edges print their endpoints' addresses, computed once per node.
struct JsonGraph<'g> {
    nodes: Vec<JsonNode>,
    edges: &'g [Edge],
    addresses: Vec<String>,
}

impl Serialize for JsonGraph<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(Serialize)]
        struct JsonEdge<'a> {
            from: &'a str,
            to: &'a str,
            via: &'a str,
        }
        let edges: Vec<JsonEdge<'_>> = self
            .edges
            .iter()
            .map(|e| JsonEdge {
                from: &self.addresses[e.from],
                to: &self.addresses[e.to],
                via: &e.via,
            })
            .collect();
        let mut st = s.serialize_struct("Graph", 2)?;
        st.serialize_field("nodes", &self.nodes)?;
        st.serialize_field("edges", &edges)?;
        st.end()
    }
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

/// A node of the graph: an instance or a module instance, by its index in the configuration.
#[derive(Clone, Copy)]
enum Src {
    Instance(usize),
    Module(usize),
}

/// The graph's nodes in their order, and where each instance and module instance landed: what
/// both the graph and the import order are built on.
struct Layout {
    order: Vec<Src>,
    inst_pos: Vec<usize>,
    mod_pos: Vec<usize>,
}

impl Layout {
    fn new(cfg: &Config) -> Layout {
        let mut order: Vec<Src> = (0..cfg.instances.len())
            .map(Src::Instance)
            .chain((0..cfg.module_instances.len()).map(Src::Module))
            .collect();
        // Each module instance just before its contents; resources in `terraform state list`
        // order within a module.
        let key = |s: &Src| match *s {
            Src::Instance(i) => {
                let a = &cfg.instances[i].addr;
                (&a.module, 1, Some(a))
            }
            Src::Module(m) => (&cfg.module_instances[m].addr, 0, None),
        };
        order.sort_by(|a, b| key(a).cmp(&key(b)));
        let mut inst_pos = vec![0; cfg.instances.len()];
        let mut mod_pos = vec![0; cfg.module_instances.len()];
        for (pos, src) in order.iter().enumerate() {
            match *src {
                Src::Instance(i) => inst_pos[i] = pos,
                Src::Module(i) => mod_pos[i] = pos,
            }
        }
        Layout {
            order,
            inst_pos,
            mod_pos,
        }
    }

    /// Calls `edge(from, to, via)` for every dependency of a node on another, in node positions.
    fn edges(&self, cfg: &Config, mut edge: impl FnMut(usize, usize, &Arc<str>)) {
        let modules: HashMap<&ModuleInstance, usize> = cfg
            .module_instances
            .iter()
            .enumerate()
            .map(|(i, m)| (&m.addr, self.mod_pos[i]))
            .collect();
        let target = |n: &Node| match n {
            Node::Resource(r) => cfg.position(r).map(|i| self.inst_pos[i]),
            Node::Module(m) => modules.get(m).copied(),
        };
        // All the instances of a block share one dependency list: resolve each list once.
        let mut resolved: HashMap<*const Vec<crate::config::Dependency>, Vec<(usize, Arc<str>)>> =
            HashMap::new();
        for (idx, i) in cfg.instances.iter().enumerate() {
            let from = self.inst_pos[idx];
            let targets = resolved
                .entry(Arc::as_ptr(&i.depends_on))
                .or_insert_with(|| {
                    i.depends_on
                        .iter()
                        .filter_map(|d| Some((target(&d.target)?, d.via.as_str().into())))
                        .collect()
                });
            for (to, via) in targets.iter() {
                if *to != from {
                    edge(from, *to, via);
                }
            }
        }
        for (idx, m) in cfg.module_instances.iter().enumerate() {
            let from = self.mod_pos[idx];
            for d in &m.depends_on {
                if let Some(to) = target(&d.target) {
                    if to != from {
                        edge(from, to, &d.via.as_str().into());
                    }
                }
            }
        }
    }
}

impl Graph {
    pub fn from_config(cfg: &Config) -> Graph {
        let layout = Layout::new(cfg);
        let nodes = layout
            .order
            .iter()
            .map(|src| match *src {
                Src::Instance(i) => {
                    let i = &cfg.instances[i];
                    NodeInfo {
                        kind: match i.addr.resource.mode {
                            Mode::Managed => Kind::Resource,
                            Mode::Data => Kind::Data,
                        },
                        type_name: Some(i.addr.resource.type_name.clone()),
                        module: i.addr.module.clone(),
                        pos: i.pos.clone(),
                        node: Node::Resource(i.addr.clone()),
                    }
                }
                Src::Module(m) => {
                    let m = &cfg.module_instances[m];
                    let mut parent = m.addr.clone();
                    parent.0.pop();
                    NodeInfo {
                        node: Node::Module(m.addr.clone()),
                        kind: Kind::Module,
                        type_name: None,
                        module: parent,
                        pos: m.pos.clone(),
                    }
                }
            })
            .collect();
        let mut edges = Vec::new();
        layout.edges(cfg, |from, to, via| {
            edges.push(Edge {
                from,
                to,
                via: via.clone(),
            })
        });
        edges.sort_unstable();
        edges.dedup();
        Graph { nodes, edges }
    }

    /// Each instance's place (by its index in [`Config::instances`]) in the
    /// [`Graph::topological_order`] of the whole configuration, computed without building the
    /// graph's nodes; `None` when the configuration has a cycle.
    pub fn instance_ranks(cfg: &Config) -> Option<Vec<usize>> {
        let layout = Layout::new(cfg);
        let n = layout.order.len();
        // Dependencies point at their dependents: `to` is ready before `from`.
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        layout.edges(cfg, |from, to, _| pairs.push((to as u32, from as u32)));
        pairs.sort_unstable();
        pairs.dedup();
        let mut start = vec![0usize; n + 1];
        let mut indegree = vec![0usize; n];
        for &(to, from) in &pairs {
            start[to as usize + 1] += 1;
            indegree[from as usize] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        // The same order as `topological_order`: among ready nodes, the first in node order.
        let mut ready: BinaryHeap<Reverse<usize>> =
            (0..n).filter(|&i| indegree[i] == 0).map(Reverse).collect();
        let mut rank = vec![usize::MAX; n];
        let mut next = 0;
        while let Some(Reverse(i)) = ready.pop() {
            rank[i] = next;
            next += 1;
            for &(_, dependent) in &pairs[start[i]..start[i + 1]] {
                let d = dependent as usize;
                indegree[d] -= 1;
                if indegree[d] == 0 {
                    ready.push(Reverse(d));
                }
            }
        }
        (next == n).then(|| layout.inst_pos.iter().map(|&p| rank[p]).collect())
    }

    pub fn nodes(&self) -> &[NodeInfo] {
        &self.nodes
    }

    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The subgraph of the nodes the filter keeps, with the edges between them.
    pub fn filter(&self, f: &Filter) -> Graph {
        if f.types.is_empty() && f.modules.is_empty() {
            return self.clone();
        }
        let keep = |n: &NodeInfo| {
            let type_ok =
                f.types.is_empty() || n.type_name.as_ref().is_some_and(|t| f.types.contains(t));
            let module_ok = f.modules.is_empty()
                || f.modules.iter().any(|p| {
                    within(&n.module, p) || matches!(&n.node, Node::Module(m) if within(m, p))
                });
            type_ok && module_ok
        };
        let mut renumber = vec![None; self.nodes.len()];
        let mut nodes = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if keep(n) {
                renumber[i] = Some(nodes.len());
                nodes.push(n.clone());
            }
        }
        let edges = self
            .edges
            .iter()
            .filter_map(|e| {
                Some(Edge {
                    from: renumber[e.from]?,
                    to: renumber[e.to]?,
                    via: e.via.clone(),
                })
            })
            .collect();
        Graph { nodes, edges }
    }

    fn petgraph(&self) -> DiGraph<usize, ()> {
        let mut g = DiGraph::with_capacity(self.nodes.len(), self.edges.len());
        for i in 0..self.nodes.len() {
            g.add_node(i);
        }
        for e in &self.edges {
            // Dependencies point at their dependents, so a topological sort lists them first.
            g.add_edge(NodeIndex::new(e.to), NodeIndex::new(e.from), ());
        }
        g
    }

    /// Every node, each after everything it depends on (the order to import or create them).
    /// Among independent nodes the order is by address.
    pub fn topological_order(&self) -> Result<Vec<&NodeInfo>, GraphError> {
        let g = self.petgraph();
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
        serde_json::to_value(self.json_view(base)).unwrap_or_default()
    }

    /// Writes [`Self::to_json`] as pretty JSON without building it in memory first.
    pub fn write_json(&self, base: &Path, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.json_view(base))?;
        writeln!(out)
    }

    fn json_view(&self, base: &Path) -> JsonGraph<'_> {
        let addresses: Vec<String> = self.nodes.iter().map(|n| n.node.to_string()).collect();
        let nodes = self
            .nodes
            .iter()
            .zip(&addresses)
            .map(|(n, address)| {
                let pos = n.pos.relative_to(base);
                JsonNode {
                    address: address.clone(),
                    kind: n.kind,
                    type_name: n.type_name.clone(),
                    module: n.module.to_string(),
                    file: pos.file.to_string_lossy().into_owned(),
                    line: pos.line,
                }
            })
            .collect();
        JsonGraph {
            nodes,
            edges: &self.edges,
            addresses,
        }
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
                q(&self.nodes[e.from].node.to_string()),
                q(&self.nodes[e.to].node.to_string()),
                q(&e.via)
            );
        }
        out.push_str("}\n");
        out
    }

    pub fn to_mermaid(&self) -> String {
        // Mermaid labels cannot hold raw quotes or pipes: use its entity codes.
        let label = |s: &str| s.replace('"', "#quot;").replace('|', "#124;");
        let mut out = String::from("flowchart RL\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let text = label(&n.node.to_string());
            let id = format!("n{i}");
            let _ = match n.kind {
                Kind::Resource => writeln!(out, "  {id}[\"{text}\"]"),
                Kind::Data => writeln!(out, "  {id}[/\"{text}\"/]"),
                Kind::Module => writeln!(out, "  {id}[[\"{text}\"]]"),
            };
        }
        for e in &self.edges {
            let _ = writeln!(out, "  n{} -->|\"{}\"| n{}", e.from, label(&e.via), e.to);
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
                file: Path::new("main.tf").into(),
                line: 1,
                col: 1,
            },
            node: Node::Resource(r),
        }
    }

    fn edge(from: usize, to: usize) -> Edge {
        Edge {
            from,
            to,
            via: "ref".into(),
        }
    }

    /// The import order's ranks are the places of the instances in the whole graph's order.
    #[test]
    fn instance_ranks_follow_the_topological_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("main.tf"),
            r#"
resource "terraform_data" "z" {
  count = 3
  input = "z${count.index}"
}
resource "terraform_data" "a" {
  for_each = toset(["k1", "k2"])
  input    = terraform_data.z[0].output
}
module "m" {
  source = "./m"
  in     = terraform_data.a["k2"].output
}
resource "terraform_data" "b" {
  input = module.m.out
}
"#,
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("m")).unwrap();
        std::fs::write(
            dir.path().join("m/main.tf"),
            r#"
variable "in" {}
resource "terraform_data" "inner" {
  input = var.in
}
output "out" {
  value = terraform_data.inner.output
}
"#,
        )
        .unwrap();
        let (cfg, _) = crate::config::load(dir.path(), &Default::default()).unwrap();
        assert_eq!(cfg.instances.len(), 7);
        for (i, inst) in cfg.instances.iter().enumerate() {
            assert_eq!(cfg.position(&inst.addr), Some(i));
        }
        for absent in [
            "terraform_data.z[3]",
            "terraform_data.a",
            "terraform_data.y",
        ] {
            assert_eq!(cfg.position(&absent.parse().unwrap()), None, "{absent}");
        }
        let graph = Graph::from_config(&cfg);
        let order = graph.topological_order().unwrap();
        let ranks = Graph::instance_ranks(&cfg).unwrap();
        let mut seen = 0;
        for (rank, n) in order.iter().enumerate() {
            if let Node::Resource(r) = &n.node {
                assert_eq!(ranks[cfg.position(r).unwrap()], rank, "{r}");
                seen += 1;
            }
        }
        assert_eq!(seen, 7);
        let rank_of = |a: &str| ranks[cfg.position(&a.parse().unwrap()).unwrap()];
        assert!(rank_of("terraform_data.z[0]") < rank_of("terraform_data.a[\"k1\"]"));
        assert!(rank_of("module.m.terraform_data.inner") < rank_of("terraform_data.b"));
        assert!(rank_of("terraform_data.a[\"k2\"]") < rank_of("module.m.terraform_data.inner"));
    }

    #[test]
    fn dependencies_come_first_and_cycles_are_named() {
        let mut g = Graph {
            nodes: vec![node("a_x.a"), node("a_x.b"), node("a_x.c")],
            edges: vec![edge(0, 2), edge(1, 0)],
        };
        let order: Vec<String> = g
            .topological_order()
            .unwrap()
            .iter()
            .map(|n| n.node.to_string())
            .collect();
        assert_eq!(order, ["a_x.c", "a_x.a", "a_x.b"]);
        g.edges.push(edge(2, 1));
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
