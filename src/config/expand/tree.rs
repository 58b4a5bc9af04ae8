//! The module tree: every module the configuration calls, once per call path, with its
//! directory, `path.module`, source and version.
//!
//! Owns module sources (local paths, modules `terraform init` installed, sources built from
//! `const` variables) and refuses a module that calls itself, directly, through other modules
//! or through a symlink. It evaluates nothing but module sources and versions.

use crate::config::value::Map;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::super::diag::{Diagnostic, LoadError};
use super::super::eval::{Evaluator, ModuleValues};
use super::super::parse::{Expr, ModuleCall, ModuleConfig};
use super::super::refs::{self, RefTarget};
use super::super::value::Value;
use super::Ctx;
use crate::addr::{Mode, ModulePath};

/// How deep modules may nest. Terraform has no limit, but a chain this deep only comes from
/// modules that call each other through paths that never repeat.
pub const MAX_DEPTH: usize = 100;

/// One module of the tree: a call path such as `module.net.module.subnets`.
pub struct ModNode {
    pub path: ModulePath,
    /// `None` when the module is not installed (a remote source before `terraform init`).
    pub cfg: Option<Arc<ModuleConfig>>,
    pub parent: Option<usize>,
    /// The name of the call in the parent.
    pub call: Option<String>,
    pub dir: PathBuf,
    /// `path.module`: relative to the root module (`.` for the root, `modules/x`).
    pub path_module: String,
    pub source: String,
    pub version: Option<String>,
    /// Call name → child node.
    pub children: BTreeMap<String, usize>,
    /// `(mode, type, name)` → index into `cfg.resources`.
    pub res_idx: HashMap<(Mode, String, String), usize>,
    /// `(type, name)` → index into `cfg.ephemerals`.
    pub eph_idx: HashMap<(String, String), usize>,
    canonical: Option<PathBuf>,
    /// Values of the `const` variables, for sources built from them.
    consts: Map<Value>,
}

impl ModNode {
    pub fn installed(&self) -> bool {
        self.cfg.is_some()
    }

    fn new(
        path: ModulePath,
        cfg: Option<Arc<ModuleConfig>>,
        parent: Option<usize>,
        call: Option<String>,
        dir: PathBuf,
        path_module: String,
    ) -> ModNode {
        let (res_idx, eph_idx) = match &cfg {
            Some(c) => (
                c.resources
                    .iter()
                    .enumerate()
                    .map(|(i, r)| ((r.mode, r.type_name.clone(), r.name.clone()), i))
                    .collect(),
                c.ephemerals
                    .iter()
                    .enumerate()
                    .map(|(i, r)| ((r.type_name.clone(), r.name.clone()), i))
                    .collect(),
            ),
            None => Default::default(),
        };
        ModNode {
            path,
            cfg,
            parent,
            call,
            dir,
            path_module,
            source: String::new(),
            version: None,
            children: BTreeMap::new(),
            res_idx,
            eph_idx,
            canonical: None,
            consts: Map::new(),
        }
    }
}

pub struct Tree {
    pub nodes: Vec<ModNode>,
}

/// `base` joined with a relative module source, cleaned as Terraform cleans module paths.
pub fn clean_join(base: &str, rel: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in Path::new(base).join(rel).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else {
                    parts.push("..".into());
                }
            }
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

fn is_local_source(s: &str) -> bool {
    s.starts_with("./") || s.starts_with("../") || s == "." || s == ".."
}

/// `.terraform/modules/modules.json`: module key → installed directory (relative to root).
fn read_modules_json(root: &Path) -> HashMap<String, PathBuf> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Dir")]
        dir: String,
    }
    let Ok(text) = std::fs::read_to_string(root.join(".terraform/modules/modules.json")) else {
        return HashMap::new();
    };
    serde_json::from_str::<Manifest>(&text)
        .map(|m| {
            m.modules
                .into_iter()
                .map(|e| (e.key, PathBuf::from(e.dir)))
                .collect()
        })
        .unwrap_or_default()
}

/// Loads module configurations, each directory once.
pub struct Loader<'a> {
    pub ctx: &'a Ctx,
    /// What loading found, for the caller to take.
    pub diags: Vec<Diagnostic>,
    cache: HashMap<PathBuf, Arc<ModuleConfig>>,
    modules_json: HashMap<String, PathBuf>,
}

impl<'a> Loader<'a> {
    pub fn new(ctx: &'a Ctx) -> Self {
        Loader {
            modules_json: read_modules_json(&ctx.root_dir),
            ctx,
            diags: Vec::new(),
            cache: HashMap::new(),
        }
    }

    pub fn module_config(&mut self, dir: &Path) -> Result<Arc<ModuleConfig>, LoadError> {
        let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if let Some(c) = self.cache.get(&key) {
            return Ok(c.clone());
        }
        let cfg = Arc::new(ModuleConfig::load(dir, &mut self.diags)?);
        self.cache.insert(key, cfg.clone());
        Ok(cfg)
    }

    /// The whole tree under `root`; `root_vars` are the root module's variable values, of
    /// which only the `const` ones may shape sources.
    pub fn tree(
        &mut self,
        root: Arc<ModuleConfig>,
        root_vars: &Map<Value>,
    ) -> Result<Tree, LoadError> {
        let mut node = ModNode::new(
            ModulePath::root(),
            Some(root.clone()),
            None,
            None,
            self.ctx.root_dir.clone(),
            ".".into(),
        );
        node.canonical = self.ctx.root_dir.canonicalize().ok();
        node.consts = root
            .variables
            .values()
            .filter(|d| d.constant)
            .filter_map(|d| Some((d.name.clone(), root_vars.get(&d.name)?.clone())))
            .collect();
        let mut tree = Tree { nodes: vec![node] };
        let mut queue = VecDeque::from([0usize]);
        while let Some(n) = queue.pop_front() {
            let Some(cfg) = tree.nodes[n].cfg.clone() else {
                continue;
            };
            let mut consts: Option<ModuleValues> = None;
            for mc in cfg.module_calls.values() {
                let child = self.child(&tree, n, &cfg, mc, &mut consts)?;
                let id = tree.nodes.len();
                tree.nodes[n].children.insert(mc.name.clone(), id);
                tree.nodes.push(child);
                queue.push_back(id);
            }
        }
        Ok(tree)
    }

    fn child(
        &mut self,
        tree: &Tree,
        n: usize,
        cfg: &ModuleConfig,
        mc: &ModuleCall,
        consts: &mut Option<ModuleValues>,
    ) -> Result<ModNode, LoadError> {
        let parent = &tree.nodes[n];
        let path = parent.path.child(mc.name.clone());
        let source = match &mc.source_expr {
            None => Some(mc.source.clone()),
            Some(e) => self.const_string(parent, cfg, consts, e, &path, "source"),
        };
        let version = match &mc.version_expr {
            None => mc.version.clone(),
            Some(e) => self.const_string(parent, cfg, consts, e, &path, "version"),
        };
        let Some(source) = source else {
            let mut node = ModNode::new(
                path,
                None,
                Some(n),
                Some(mc.name.clone()),
                PathBuf::new(),
                String::new(),
            );
            node.source = mc.source.clone();
            node.version = version;
            return Ok(node);
        };
        let local = is_local_source(&source);
        let (dir, path_module) = if local {
            (
                parent.dir.join(&source),
                clean_join(&parent.path_module, &source),
            )
        } else {
            match self.modules_json.get(&path.0.join(".")) {
                Some(d) => (
                    self.ctx.root_dir.join(d),
                    clean_join(".", &d.to_string_lossy()),
                ),
                None => (PathBuf::new(), String::new()),
            }
        };
        let installed = !dir.as_os_str().is_empty() && dir.is_dir();
        if !installed && local {
            return Err(LoadError::ModuleNotFound {
                call: mc.name.clone(),
                dir,
                snippet: mc.snippet.clone(),
            });
        }
        let mut child_cfg = None;
        let mut canonical = None;
        if installed {
            canonical = dir.canonicalize().ok();
            let mut chain = vec![path.to_string()];
            let mut cur = Some(n);
            while let Some(a) = cur {
                let anc = &tree.nodes[a];
                chain.push(if anc.path.is_root() {
                    "the root module".to_string()
                } else {
                    anc.path.to_string()
                });
                if canonical.is_some() && anc.canonical == canonical {
                    chain.reverse();
                    return Err(LoadError::ModuleRecursion {
                        chain,
                        dir: dir.clone(),
                        snippet: mc.snippet.clone(),
                    });
                }
                cur = anc.parent;
            }
            if path.0.len() > MAX_DEPTH {
                return Err(LoadError::ModuleTooDeep {
                    depth: path.0.len(),
                    limit: MAX_DEPTH,
                    snippet: mc.snippet.clone(),
                });
            }
            child_cfg = Some(self.module_config(&dir)?);
        }
        let mut node = ModNode::new(
            path,
            child_cfg.clone(),
            Some(n),
            Some(mc.name.clone()),
            dir,
            path_module,
        );
        node.canonical = canonical;
        node.source = source;
        node.version = version;
        if let Some(c) = &child_cfg {
            for d in c.variables.values().filter(|d| d.constant) {
                let v = match mc.args.get(&d.name) {
                    Some(e) => {
                        let values = self.const_scope(parent, cfg, consts);
                        self.eval_const(parent, values, e, false)
                    }
                    None => match &d.default {
                        Some(e) => self.eval_const(parent, &ModuleValues::default(), e, false),
                        None => Value::Unknown,
                    },
                };
                node.consts.insert(d.name.clone(), v);
            }
        }
        Ok(node)
    }

    /// A module's `source` or `version` built from `const` variables; `None` (and an error)
    /// when it is not known when the configuration is loaded.
    fn const_string(
        &mut self,
        parent: &ModNode,
        cfg: &ModuleConfig,
        consts: &mut Option<ModuleValues>,
        e: &Expr,
        path: &ModulePath,
        what: &str,
    ) -> Option<String> {
        let values = self.const_scope(parent, cfg, consts);
        match self.eval_const(parent, values, e, true) {
            Value::String(s) => Some(s),
            Value::Null if what == "version" => None,
            other => {
                let why = if other.is_known() {
                    format!("it is a {}, not a string", other.type_name())
                } else {
                    "it is not known when the configuration is loaded: it may refer only to literals, locals and variables declared with const = true".to_string()
                };
                self.diags.push(Diagnostic::error(
                    format!("{path}: invalid module {what} {}: {why}; the module's resources are unknown", e.text()),
                    Some(e.snippet()),
                ));
                None
            }
        }
    }

    /// The values a source may use: `const` variables and the locals computed from them.
    /// Everything else is unknown.
    fn const_scope<'v>(
        &mut self,
        node: &ModNode,
        cfg: &ModuleConfig,
        consts: &'v mut Option<ModuleValues>,
    ) -> &'v ModuleValues {
        if consts.is_none() {
            let mut values = ModuleValues::default();
            for name in cfg.variables.keys() {
                let v = node.consts.get(name).cloned().unwrap_or(Value::Unknown);
                values.vars.insert(name.clone(), v);
            }
            let mut pending: HashSet<&str> = HashSet::new();
            for name in cfg.locals.keys() {
                self.const_local(node, cfg, name, &mut values, &mut pending);
            }
            *consts = Some(values);
        }
        consts.as_ref().expect("just computed")
    }

    fn const_local<'c>(
        &mut self,
        node: &ModNode,
        cfg: &'c ModuleConfig,
        name: &'c str,
        values: &mut ModuleValues,
        pending: &mut HashSet<&'c str>,
    ) {
        if values.locals.contains_key(name) || !pending.insert(name) {
            return;
        }
        let Some(e) = cfg.locals.get(name) else {
            return;
        };
        let mut found = Vec::new();
        refs::in_expr(&e.expr, &mut found);
        for r in &found {
            if let RefTarget::Local(l) = &r.target {
                if let Some((k, _)) = cfg.locals.get_key_value(l.as_str()) {
                    self.const_local(node, cfg, k, values, pending);
                }
            }
        }
        let v = self.eval_const(node, values, e, false);
        values.locals.insert(name.to_string(), v);
    }

    fn eval_const(
        &mut self,
        node: &ModNode,
        values: &ModuleValues,
        e: &Expr,
        report: bool,
    ) -> Value {
        let scope = self.ctx.scope(values, &node.path_module, None, None);
        let mut scratch = Vec::new();
        let v = Evaluator::new(&scope, &e.file, &mut scratch).eval(&e.expr);
        if report {
            self.diags.extend(scratch);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_join_like_terraform() {
        assert_eq!(clean_join(".", "./modules/x"), "modules/x");
        assert_eq!(clean_join("modules/x", "../y"), "modules/y");
        assert_eq!(clean_join(".", "../shared"), "../shared");
    }
}
