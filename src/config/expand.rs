//! Expansion: every module instance evaluated in dependency order, every `resource` and
//! `data` block turned into its instances with full addresses, evaluated attributes and its
//! effective provider configuration.
//!
//! Owns evaluation order (per module instance, from static references), `count`/`for_each`,
//! module sources and provider inheritance. It never guesses: an expansion that depends on
//! an unknown value is recorded as unknown, and what depends on it stays unknown.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::Body;
use petgraph::graph::{DiGraph, NodeIndex};

use super::diag::{Diagnostic, LoadError, Snippet};
use super::eval::{Evaluator, ModuleValues, Scope};
use super::funcs::FuncContext;
use super::parse::{Expr, ModuleCall, ModuleConfig, ResourceBlock};
use super::refs::{self, Ref, RefTarget, SKIPPED_BLOCKS};
use super::types::Type;
use super::value::{make_set, Value};
use super::vars::{self, Raw, RawVar};
use super::{
    Dependency, ImportTarget, Instance, ModuleBlock, ModuleInstanceInfo, Node, ProviderAddr,
    ProviderConfig, UnknownExpansion,
};
use crate::addr::{InstanceKey, Mode, ModuleInstance, ModulePath, Resource, ResourceInstance};

/// An instance key, with `count.index` or `(each.key, each.value)` when the block has them.
type InstanceBinding = (InstanceKey, Option<Value>, Option<(Value, Value)>);

/// How a block expands.
enum Expansion {
    Single,
    Count(i64),
    /// Key → `each.value`.
    ForEach(Vec<(String, Value)>),
    Unknown(String),
}

impl Expansion {
    /// Each instance key with its `count.index` or `each` values.
    fn keys(&self) -> Vec<InstanceBinding> {
        match self {
            Expansion::Single => vec![(InstanceKey::None, None, None)],
            Expansion::Count(n) => (0..*n)
                .map(|i| (InstanceKey::Int(i), Some(Value::int(i)), None))
                .collect(),
            Expansion::ForEach(kv) => kv
                .iter()
                .map(|(k, v)| {
                    (
                        InstanceKey::Str(k.clone()),
                        None,
                        Some((Value::String(k.clone()), v.clone())),
                    )
                })
                .collect(),
            Expansion::Unknown(_) => Vec::new(),
        }
    }

    /// The value a reference to the whole block sees, from its instances' values.
    fn collect(&self, mut values: Vec<Value>) -> Value {
        match self {
            Expansion::Single => values.pop().unwrap_or(Value::Unknown),
            Expansion::Count(_) => Value::List(values),
            Expansion::ForEach(kv) => {
                Value::Object(kv.iter().map(|(k, _)| k.clone()).zip(values).collect())
            }
            Expansion::Unknown(_) => Value::Unknown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Item {
    Local(usize),
    Resource(usize),
    Call(usize),
    Output(usize),
}

/// Provider configurations a module instance sees: `(local name, alias)` → configuration.
type ProviderMap = BTreeMap<(String, Option<String>), ProviderAddr>;

pub struct Expander<'o> {
    pub opts: &'o super::LoadOptions,
    pub root_dir: PathBuf,
    pub workspace: String,
    pub cwd: String,
    pub diags: Vec<Diagnostic>,
    modules_json: HashMap<String, PathBuf>,
    cache: HashMap<PathBuf, Arc<ModuleConfig>>,
    pub instances: Vec<Instance>,
    pub module_instances: Vec<ModuleInstanceInfo>,
    pub unknown: Vec<UnknownExpansion>,
    pub providers: BTreeMap<ProviderAddr, ProviderConfig>,
    pub moved: Vec<ModuleBlock<super::MovedBlock>>,
    pub removed: Vec<ModuleBlock<super::RemovedBlock>>,
    pub imports: Vec<ImportTarget>,
    seen_paths: BTreeSet<ModulePath>,
    evaluated_providers: BTreeSet<ModulePath>,
    pub sensitive_outputs: BTreeSet<String>,
}

/// The root module, its variable values and its outputs.
type RootResult = (Arc<ModuleConfig>, BTreeMap<String, Value>, Value);

/// Arguments for evaluating one module instance.
struct Call<'a> {
    cfg: Arc<ModuleConfig>,
    inst: ModuleInstance,
    key_path: Vec<String>,
    path_module: String,
    vars: BTreeMap<String, Value>,
    var_deps: BTreeMap<String, Vec<Dependency>>,
    /// `var.NAME` of the variables whose values are sensitive.
    sensitive: std::collections::HashSet<String>,
    providers: ProviderMap,
    /// Dependencies every resource in this module inherits from module-level `depends_on`.
    inherited: &'a [Dependency],
}

/// What one module instance produced for its caller.
struct Done {
    outputs: Value,
    sensitive_outputs: BTreeSet<String>,
    output_deps: Vec<Dependency>,
}

fn clean_join(base: &str, rel: &str) -> String {
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

fn provider_fqn(cfg: &ModuleConfig, local: &str) -> String {
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

/// Evaluates a block body to an object: attributes, then nested blocks as lists of objects,
/// `dynamic` blocks expanded.
pub fn eval_body(ev: &mut Evaluator<'_, '_>, body: &Body, skip: &[&str]) -> Value {
    eval_body_tracked(ev, body, skip, None)
}

/// [`eval_body`], recording in `sensitive` the top-level arguments and blocks whose value
/// was computed from a sensitive value.
pub fn eval_body_tracked(
    ev: &mut Evaluator<'_, '_>,
    body: &Body,
    skip: &[&str],
    mut sensitive: Option<&mut BTreeSet<String>>,
) -> Value {
    let outer = std::mem::take(&mut ev.tainted);
    let mut out = BTreeMap::new();
    for a in body.attributes() {
        let k = a.key.value().as_str();
        if !skip.contains(&k) {
            let v = ev.eval(&a.value);
            if std::mem::take(&mut ev.tainted) {
                if let Some(s) = sensitive.as_deref_mut() {
                    s.insert(k.to_string());
                }
            }
            out.insert(k.to_string(), v);
        }
    }
    let mut blocks: BTreeMap<String, Value> = BTreeMap::new();
    for b in body.blocks() {
        let ident = b.ident.value().as_str();
        if SKIPPED_BLOCKS.contains(&ident) {
            continue;
        }
        if ident == "dynamic" {
            let Some(label) = b.labels.first().map(|l| l.as_str().to_string()) else {
                continue;
            };
            let iter = b
                .body
                .get_attribute("iterator")
                .and_then(|a| a.value.as_variable().map(|v| v.to_string()))
                .unwrap_or_else(|| label.clone());
            let coll = b
                .body
                .get_attribute("for_each")
                .map_or(Value::Null, |a| ev.eval(&a.value));
            let items = super::eval::iteration_pairs(coll).ok().flatten();
            let entry = blocks
                .entry(label)
                .or_insert_with(|| Value::List(Vec::new()));
            let Some(items) = items else {
                *entry = Value::Unknown;
                continue;
            };
            for (k, v) in items {
                let it = Value::Object(BTreeMap::from([
                    ("key".to_string(), k),
                    ("value".to_string(), v),
                ]));
                ev.bind(&iter, it);
                for content in b.body.get_blocks("content") {
                    let v = eval_body(ev, &content.body, &[]);
                    if let Some(Value::List(l)) = blocks.get_mut(b.labels[0].as_str()) {
                        l.push(v);
                    }
                }
                ev.unbind();
            }
            if std::mem::take(&mut ev.tainted) {
                if let Some(s) = sensitive.as_deref_mut() {
                    s.insert(b.labels[0].as_str().to_string());
                }
            }
        } else {
            let v = eval_body(ev, &b.body, &[]);
            if std::mem::take(&mut ev.tainted) {
                if let Some(s) = sensitive.as_deref_mut() {
                    s.insert(ident.to_string());
                }
            }
            if let Value::List(l) = blocks
                .entry(ident.to_string())
                .or_insert_with(|| Value::List(Vec::new()))
            {
                l.push(v);
            }
        }
    }
    out.extend(blocks);
    ev.tainted = outer;
    Value::Object(out)
}

fn scope<'s>(
    cwd: &'s str,
    workspace: &'s str,
    values: &'s ModuleValues,
    path_module: &'s str,
    fc: &'s FuncContext,
    count_index: Option<Value>,
    each: Option<(Value, Value)>,
) -> Scope<'s> {
    Scope {
        values,
        count_index,
        each,
        path_module,
        path_root: ".",
        path_cwd: cwd,
        workspace,
        funcs: fc,
    }
}

/// The largest `count` expanded.
const MAX_COUNT: i64 = 1_000_000;

const RESOURCE_META: &[&str] = &["count", "for_each", "provider", "depends_on"];

impl<'o> Expander<'o> {
    pub fn new(opts: &'o super::LoadOptions, root_dir: PathBuf, workspace: String) -> Self {
        let modules_json = read_modules_json(&root_dir);
        let cwd = root_dir
            .canonicalize()
            .unwrap_or_else(|_| root_dir.clone())
            .to_string_lossy()
            .into_owned();
        Expander {
            opts,
            root_dir,
            workspace,
            cwd,
            diags: Vec::new(),
            modules_json,
            cache: HashMap::new(),
            instances: Vec::new(),
            module_instances: Vec::new(),
            unknown: Vec::new(),
            providers: BTreeMap::new(),
            moved: Vec::new(),
            removed: Vec::new(),
            imports: Vec::new(),
            seen_paths: BTreeSet::new(),
            evaluated_providers: BTreeSet::new(),
            sensitive_outputs: BTreeSet::new(),
        }
    }

    fn module_config(&mut self, dir: &Path) -> Result<Arc<ModuleConfig>, LoadError> {
        if let Some(c) = self.cache.get(dir) {
            return Ok(c.clone());
        }
        let cfg = Arc::new(ModuleConfig::load(dir, &mut self.diags)?);
        self.cache.insert(dir.to_path_buf(), cfg.clone());
        Ok(cfg)
    }

    /// Loads and evaluates the whole configuration from the root module.
    pub fn run_root(&mut self, raw: BTreeMap<String, RawVar>) -> Result<RootResult, LoadError> {
        let root = self.module_config(&self.root_dir.clone())?;
        let mut vars = BTreeMap::new();
        for (name, decl) in &root.variables {
            let ty = self.var_type(&root, decl);
            let v = match raw.get(name) {
                Some(r) => {
                    let v = match &r.raw {
                        Raw::Value(v) => Ok(v.clone()),
                        Raw::Text(t) if ty.as_ref().is_none_or(Type::is_primitive) => {
                            Ok(Value::String(t.clone()))
                        }
                        Raw::Text(t) => vars::parse_hcl_text(name, t, &mut self.diags),
                    };
                    match v.and_then(|v| ty.as_ref().map_or(Ok(v.clone()), |t| t.convert(v))) {
                        Ok(v) => v,
                        Err(e) => {
                            return Err(LoadError::Variable(format!(
                                "var.{name} from {}: {e}",
                                r.pos.as_ref().map_or(r.origin.clone(), |p| p.to_string())
                            )))
                        }
                    }
                }
                None => self.default_value(&root, decl, ty.as_ref(), &ModuleInstance::root()),
            };
            vars.insert(name.clone(), v);
        }
        for (name, r) in &raw {
            if !root.variables.contains_key(name) {
                let msg = format!(
                    "a value was given for undeclared variable {name:?} (from {})",
                    r.origin
                );
                if r.from_cli {
                    self.diags.push(Diagnostic::error(msg, None));
                } else if r.origin.ends_with("tfvars") || r.origin.ends_with(".json") {
                    self.diags.push(Diagnostic::warning(msg, None));
                }
            }
        }
        let mut providers = ProviderMap::new();
        self.declare_providers(&root, &ModuleInstance::root(), &mut providers);
        let call = Call {
            cfg: root.clone(),
            inst: ModuleInstance::root(),
            key_path: Vec::new(),
            path_module: ".".into(),
            vars: vars.clone(),
            var_deps: BTreeMap::new(),
            sensitive: root
                .variables
                .values()
                .filter(|d| d.sensitive)
                .map(|d| format!("var.{}", d.name))
                .collect(),
            providers,
            inherited: &[],
        };
        let done = self.run_module(call)?;
        self.sensitive_outputs = done.sensitive_outputs;
        Ok((root, vars, done.outputs))
    }

    fn var_type(&mut self, cfg: &ModuleConfig, decl: &super::parse::VariableDecl) -> Option<Type> {
        let te = decl.type_expr.as_ref()?;
        let values = ModuleValues::default();
        let fc = FuncContext {
            base_dir: cfg.dir.clone(),
        };
        let scope = Scope::constant(&values, &fc);
        let mut scratch = Vec::new();
        let file = te.file.clone();
        let parsed = Type::parse(&te.expr, &mut |e| {
            Evaluator::new(&scope, &file, &mut scratch).eval(e)
        });
        self.diags.extend(scratch);
        match parsed {
            Ok(t) => Some(t),
            Err(e) => {
                self.diags.push(Diagnostic::error(
                    format!("var.{}: invalid type: {e}", decl.name),
                    Some(te.snippet()),
                ));
                None
            }
        }
    }

    fn default_value(
        &mut self,
        cfg: &ModuleConfig,
        decl: &super::parse::VariableDecl,
        ty: Option<&Type>,
        inst: &ModuleInstance,
    ) -> Value {
        let Some(d) = &decl.default else {
            let whose = if inst.is_root() {
                String::new()
            } else {
                format!("{inst}: ")
            };
            self.diags.push(Diagnostic::error(
                format!(
                    "{whose}no value for required variable {:?}: set it with --var, --var-file, a .tfvars file or TF_VAR_{}; everything that depends on it stays unknown",
                    decl.name, decl.name
                ),
                Some(decl.snippet.clone()),
            ));
            return Value::Unknown;
        };
        let values = ModuleValues::default();
        let fc = FuncContext {
            base_dir: cfg.dir.clone(),
        };
        let scope = Scope::constant(&values, &fc);
        let v = Evaluator::new(&scope, &d.file, &mut self.diags).eval(&d.expr);
        match ty.map_or(Ok(v.clone()), |t| t.convert(v)) {
            Ok(v) => v,
            Err(e) => {
                self.diags.push(Diagnostic::error(
                    format!(
                        "var.{}: the default does not match the type: {e}",
                        decl.name
                    ),
                    Some(d.snippet()),
                ));
                Value::Unknown
            }
        }
    }

    /// Registers the provider blocks a module declares (evaluated once per module path).
    /// Registers the provider configurations a module declares. Their arguments are
    /// evaluated once per module path, at the end of its first instance, when its locals,
    /// resources and data sources are all known ([`Self::evaluate_providers`]).
    fn declare_providers(
        &mut self,
        cfg: &ModuleConfig,
        inst: &ModuleInstance,
        map: &mut ProviderMap,
    ) {
        for p in &cfg.providers {
            let addr = ProviderAddr {
                module: inst.config_path(),
                fqn: provider_fqn(cfg, &p.name),
                alias: p.alias.clone(),
            };
            map.insert((p.name.clone(), p.alias.clone()), addr.clone());
            self.providers
                .entry(addr.clone())
                .or_insert_with(|| ProviderConfig {
                    addr,
                    local_name: p.name.clone(),
                    attributes: Value::Unknown,
                    pos: Some(p.snippet.pos.clone()),
                });
        }
    }

    fn evaluate_providers(
        &mut self,
        cfg: &ModuleConfig,
        inst: &ModuleInstance,
        values: &ModuleValues,
        path_module: &str,
    ) {
        if cfg.providers.is_empty() || !self.evaluated_providers.insert(inst.config_path()) {
            return;
        }
        let (cwd, ws) = (self.cwd.clone(), self.workspace.clone());
        let fc = FuncContext {
            base_dir: cfg.dir.clone(),
        };
        let scope = scope(&cwd, &ws, values, path_module, &fc, None, None);
        for p in &cfg.providers {
            let addr = ProviderAddr {
                module: inst.config_path(),
                fqn: provider_fqn(cfg, &p.name),
                alias: p.alias.clone(),
            };
            let attributes = eval_body(
                &mut Evaluator::new(&scope, &p.file, &mut self.diags),
                &p.body,
                &["alias", "version"],
            );
            if let Some(pc) = self.providers.get_mut(&addr) {
                pc.attributes = attributes;
            }
        }
    }

    fn provider_for(
        &mut self,
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
            self.diags.push(Diagnostic::error(
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
        // A provider nobody configured is its empty default configuration, in the module
        // where it is first needed.
        let addr = ProviderAddr {
            module: if key.1.is_none() {
                ModulePath::root()
            } else {
                inst.config_path()
            },
            fqn: provider_fqn(cfg, &key.0),
            alias: key.1.clone(),
        };
        self.providers
            .entry(addr.clone())
            .or_insert_with(|| ProviderConfig {
                addr: addr.clone(),
                local_name: key.0.clone(),
                attributes: Value::Object(BTreeMap::new()),
                pos: None,
            });
        map.insert(key, addr.clone());
        addr
    }

    /// How a block expands, from its already evaluated `count` or `for_each`.
    fn expansion(
        &mut self,
        count: Option<(Value, &Expr)>,
        for_each: Option<(Value, &Expr)>,
    ) -> Expansion {
        if let (Some((_, c)), Some(_)) = (&count, &for_each) {
            self.diags.push(Diagnostic::error(
                "count and for_each cannot both be set on one block: remove one",
                Some(c.snippet()),
            ));
            return Expansion::Unknown("count and for_each are both set".into());
        }
        if let Some((v, c)) = count {
            return match v.to_tf_number() {
                // Every instance is held in memory: a count beyond this is refused, not
                // attempted until the allocator gives up.
                Ok(Some(n)) if n.to_i64().is_some_and(|i| i > MAX_COUNT) => {
                    self.diags.push(Diagnostic::error(
                        format!("count = {n} is more instances than tfrecon expands for one block (at most {MAX_COUNT})"),
                        Some(c.snippet()),
                    ));
                    Expansion::Unknown("count is too large".into())
                }
                Ok(Some(n)) if n.to_i64().is_some_and(|i| i >= 0) => {
                    Expansion::Count(n.to_i64().unwrap_or(0))
                }
                Ok(Some(n)) => {
                    self.diags.push(Diagnostic::error(
                        format!("count must be a whole number ≥ 0, got {n}"),
                        Some(c.snippet()),
                    ));
                    Expansion::Unknown("count is invalid".into())
                }
                Ok(None) => {
                    Expansion::Unknown(format!("count = {} is not known offline", c.text()))
                }
                Err(e) => {
                    self.diags.push(Diagnostic::error(
                        format!("invalid count: {e}"),
                        Some(c.snippet()),
                    ));
                    Expansion::Unknown("count is invalid".into())
                }
            };
        }
        let Some((v, fe)) = for_each else {
            return Expansion::Single;
        };
        let unknown =
            || Expansion::Unknown(format!("for_each = {} is not known offline", fe.text()));
        match v {
            // Unknown values are fine: only the keys decide the instances.
            Value::Object(m) => Expansion::ForEach(m.into_iter().collect()),
            Value::List(items) | Value::Set(items) => {
                let mut keys = Vec::new();
                for i in items {
                    match i {
                        Value::String(s) => keys.push(Value::String(s)),
                        Value::Unknown => return unknown(),
                        other => {
                            self.diags.push(Diagnostic::error(
                                format!(
                                    "for_each over a set needs strings, found a {}",
                                    other.type_name()
                                ),
                                Some(fe.snippet()),
                            ));
                            return Expansion::Unknown("for_each is invalid".into());
                        }
                    }
                }
                Expansion::ForEach(
                    make_set(keys)
                        .into_iter()
                        .map(|k| match k {
                            Value::String(s) => (s.clone(), Value::String(s)),
                            _ => unreachable!("only strings were kept"),
                        })
                        .collect(),
                )
            }
            Value::Unknown => unknown(),
            other => {
                self.diags.push(Diagnostic::error(
                    format!(
                        "for_each must be a map or a set of strings, got {}",
                        other.type_name()
                    ),
                    Some(fe.snippet()),
                ));
                Expansion::Unknown("for_each is invalid".into())
            }
        }
    }

    fn run_module(&mut self, call: Call<'_>) -> Result<Done, LoadError> {
        let (cwd, ws) = (self.cwd.clone(), self.workspace.clone());
        let cfg = call.cfg.clone();
        let inst = call.inst.clone();
        if self.seen_paths.insert(inst.config_path()) {
            let mp = inst.config_path();
            for m in &cfg.moved {
                self.moved.push(ModuleBlock {
                    module: mp.clone(),
                    block: m.clone(),
                });
            }
            for r in &cfg.removed {
                self.removed.push(ModuleBlock {
                    module: mp.clone(),
                    block: r.clone(),
                });
            }
        }

        // Items and their static references, then the evaluation order.
        let locals: Vec<(&String, &Expr)> = cfg.locals.iter().collect();
        let calls: Vec<&ModuleCall> = cfg.module_calls.values().collect();
        let outputs: Vec<&super::parse::OutputDecl> = cfg.outputs.values().collect();
        let mut graph: DiGraph<Item, ()> = DiGraph::new();
        let mut index: HashMap<Item, NodeIndex> = HashMap::new();
        let mut item_refs: HashMap<Item, Vec<Ref>> = HashMap::new();
        for (i, (_, e)) in locals.iter().enumerate() {
            let mut r = Vec::new();
            refs::in_expr(&e.expr, &mut r);
            item_refs.insert(Item::Local(i), r);
        }
        for (i, rb) in cfg.resources.iter().enumerate() {
            let mut r = Vec::new();
            refs::in_body(&rb.body, &["provider", "depends_on"], &mut r);
            if let Some(d) = &rb.depends_on {
                let mut dr = Vec::new();
                refs::in_expr(&d.expr, &mut dr);
                r.extend(dr.into_iter().map(|x| Ref {
                    text: "depends_on".into(),
                    ..x
                }));
            }
            item_refs.insert(Item::Resource(i), r);
        }
        for (i, c) in calls.iter().enumerate() {
            let mut r = Vec::new();
            for e in c
                .args
                .values()
                .chain(c.count.iter())
                .chain(c.for_each.iter())
            {
                refs::in_expr(&e.expr, &mut r);
            }
            if let Some(d) = &c.depends_on {
                let mut dr = Vec::new();
                refs::in_expr(&d.expr, &mut dr);
                r.extend(dr.into_iter().map(|x| Ref {
                    text: "depends_on".into(),
                    ..x
                }));
            }
            item_refs.insert(Item::Call(i), r);
        }
        for (i, o) in outputs.iter().enumerate() {
            let mut r = Vec::new();
            if let Some(v) = &o.value {
                refs::in_expr(&v.expr, &mut r);
            }
            item_refs.insert(Item::Output(i), r);
        }
        let mut items: Vec<Item> = item_refs.keys().copied().collect();
        items.sort();
        for it in &items {
            index.insert(*it, graph.add_node(*it));
        }
        let local_idx: HashMap<&str, usize> = locals
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (n.as_str(), i))
            .collect();
        let res_idx: HashMap<(Mode, &str, &str), usize> = cfg
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| ((r.mode, r.type_name.as_str(), r.name.as_str()), i))
            .collect();
        let call_idx: HashMap<&str, usize> = calls
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.as_str(), i))
            .collect();
        for it in &items {
            for r in &item_refs[it] {
                let dep = match &r.target {
                    RefTarget::Local(n) => local_idx.get(n.as_str()).map(|i| Item::Local(*i)),
                    RefTarget::Resource {
                        mode,
                        type_name,
                        name,
                        ..
                    } => res_idx
                        .get(&(*mode, type_name.as_str(), name.as_str()))
                        .map(|i| Item::Resource(*i)),
                    RefTarget::Module { name, .. } => {
                        call_idx.get(name.as_str()).map(|i| Item::Call(*i))
                    }
                    RefTarget::Var(_) => None,
                };
                if let Some(d) = dep {
                    graph.add_edge(index[&d], index[it], ());
                }
            }
        }
        let order = match petgraph::algo::toposort(&graph, None) {
            Ok(o) => o,
            Err(cycle) => {
                let sccs = petgraph::algo::tarjan_scc(&graph);
                let members = sccs
                    .into_iter()
                    .find(|c| c.contains(&cycle.node_id()))
                    .unwrap_or_else(|| vec![cycle.node_id()]);
                let mut names: Vec<(String, Snippet)> = members
                    .iter()
                    .map(|n| match graph[*n] {
                        Item::Local(i) => (format!("local.{}", locals[i].0), locals[i].1.snippet()),
                        Item::Resource(i) => {
                            let r = &cfg.resources[i];
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
                        Item::Call(i) => (
                            format!("module.{}", calls[i].name),
                            calls[i].snippet.clone(),
                        ),
                        Item::Output(i) => (
                            format!("output.{}", outputs[i].name),
                            outputs[i].snippet.clone(),
                        ),
                    })
                    .collect();
                names.sort_by(|a, b| a.0.cmp(&b.0));
                let snippet = names[0].1.clone();
                let prefix = if inst.is_root() {
                    String::new()
                } else {
                    format!("{inst}.")
                };
                return Err(LoadError::Cycle {
                    members: names
                        .into_iter()
                        .map(|(n, _)| format!("{prefix}{n}"))
                        .collect(),
                    snippet,
                });
            }
        };

        let mut values = ModuleValues {
            vars: call.vars.clone(),
            sensitive: call.sensitive.clone(),
            ..Default::default()
        };
        let mut sensitive_outputs = BTreeSet::new();
        let mut local_deps: HashMap<usize, Vec<Dependency>> = HashMap::new();
        let mut res_instances: HashMap<usize, Vec<ResourceInstance>> = HashMap::new();
        let mut call_instances: HashMap<usize, Vec<ModuleInstance>> = HashMap::new();
        let mut out_values = BTreeMap::new();
        let mut output_deps = Vec::new();
        let mut providers = call.providers.clone();
        let fc = FuncContext {
            base_dir: cfg.dir.clone(),
        };

        // Resolves static references to graph targets, through locals and variables.
        let resolve = |refs: &[Ref],
                       local_deps: &HashMap<usize, Vec<Dependency>>,
                       res_instances: &HashMap<usize, Vec<ResourceInstance>>,
                       call_instances: &HashMap<usize, Vec<ModuleInstance>>|
         -> Vec<Dependency> {
            let mut out: Vec<Dependency> = Vec::new();
            for r in refs {
                let via = r.text.clone();
                match &r.target {
                    RefTarget::Var(n) => {
                        for d in call.var_deps.get(n).into_iter().flatten() {
                            out.push(Dependency {
                                target: d.target.clone(),
                                via: via.clone(),
                            });
                        }
                    }
                    RefTarget::Local(n) => {
                        if let Some(i) = local_idx.get(n.as_str()) {
                            for d in local_deps.get(i).into_iter().flatten() {
                                out.push(Dependency {
                                    target: d.target.clone(),
                                    via: via.clone(),
                                });
                            }
                        }
                    }
                    RefTarget::Resource {
                        mode,
                        type_name,
                        name,
                        key,
                    } => {
                        if let Some(i) = res_idx.get(&(*mode, type_name.as_str(), name.as_str())) {
                            let all = res_instances.get(i).cloned().unwrap_or_default();
                            let picked: Vec<_> = match key {
                                Some(k) if all.iter().any(|a| &a.key == k) => {
                                    all.into_iter().filter(|a| &a.key == k).collect()
                                }
                                _ => all,
                            };
                            out.extend(picked.into_iter().map(|a| Dependency {
                                target: Node::Resource(a),
                                via: via.clone(),
                            }));
                        }
                    }
                    RefTarget::Module { name, key, .. } => {
                        if let Some(i) = call_idx.get(name.as_str()) {
                            let all = call_instances.get(i).cloned().unwrap_or_default();
                            let one = |m: &ModuleInstance| {
                                key.as_ref()
                                    .is_some_and(|k| m.0.last().is_some_and(|s| &s.key == k))
                            };
                            let picked: Vec<ModuleInstance> = if all.iter().any(one) {
                                all.iter().filter(|m| one(m)).cloned().collect()
                            } else {
                                all
                            };
                            for m in &picked {
                                out.push(Dependency {
                                    target: Node::Module(m.clone()),
                                    via: via.clone(),
                                });
                            }
                        }
                    }
                }
            }
            out.sort();
            out.dedup();
            out
        };

        for n in order {
            let item = graph[n];
            let deps = resolve(
                &item_refs[&item],
                &local_deps,
                &res_instances,
                &call_instances,
            );
            match item {
                Item::Local(i) => {
                    let scope = scope(&cwd, &ws, &values, &call.path_module, &fc, None, None);
                    let mut ev = Evaluator::new(&scope, &locals[i].1.file, &mut self.diags);
                    let v = ev.eval(&locals[i].1.expr);
                    if ev.tainted {
                        values.sensitive.insert(format!("local.{}", locals[i].0));
                    }
                    values.locals.insert(locals[i].0.clone(), v);
                    local_deps.insert(i, deps);
                }
                Item::Output(i) => {
                    let o = outputs[i];
                    let v = match &o.value {
                        Some(e) => {
                            let scope =
                                scope(&cwd, &ws, &values, &call.path_module, &fc, None, None);
                            let mut ev = Evaluator::new(&scope, &e.file, &mut self.diags);
                            let v = ev.eval(&e.expr);
                            if ev.tainted || o.sensitive {
                                sensitive_outputs.insert(o.name.clone());
                            }
                            v
                        }
                        None => Value::Null,
                    };
                    out_values.insert(o.name.clone(), v);
                    output_deps.extend(deps.into_iter().map(|d| Dependency {
                        target: d.target,
                        via: format!("output.{}", o.name),
                    }));
                }
                Item::Resource(i) => {
                    let rb = &cfg.resources[i];
                    let provider = self.provider_for(&cfg, &inst, &mut providers, rb);
                    let (c, f) = self.eval_meta(
                        &values,
                        &call.path_module,
                        &fc,
                        rb.count.as_ref(),
                        rb.for_each.as_ref(),
                    );
                    let expansion =
                        self.expansion(c.zip(rb.count.as_ref()), f.zip(rb.for_each.as_ref()));
                    let mut all_deps = deps.clone();
                    all_deps.extend(call.inherited.iter().cloned());
                    all_deps.sort();
                    all_deps.dedup();
                    let all_deps = Arc::new(all_deps);
                    let abs = crate::addr::AbsResource {
                        module: inst.clone(),
                        resource: Resource {
                            mode: rb.mode,
                            type_name: rb.type_name.clone(),
                            name: rb.name.clone(),
                        },
                    };
                    if let Expansion::Unknown(reason) = &expansion {
                        self.unknown.push(UnknownExpansion {
                            address: crate::addr::PartialExpanded::Resource(abs.clone()),
                            reason: reason.clone(),
                            pos: Some(rb.snippet.pos.clone()),
                        });
                    }
                    let mut inst_values = Vec::new();
                    let mut addrs = Vec::new();
                    for (key, count_index, each) in expansion.keys() {
                        let addr = abs.instance(key);
                        let scope = scope(
                            &cwd,
                            &ws,
                            &values,
                            &call.path_module,
                            &fc,
                            count_index,
                            each,
                        );
                        let mut sensitive = BTreeSet::new();
                        let attributes = eval_body_tracked(
                            &mut Evaluator::new(&scope, &rb.file, &mut self.diags),
                            &rb.body,
                            RESOURCE_META,
                            Some(&mut sensitive),
                        );
                        let seen = match rb.mode {
                            Mode::Managed => {
                                match (&attributes, self.opts.resource_values.get(&addr)) {
                                    (Value::Object(m), Some(known)) => {
                                        let mut merged = match Value::from_json(known) {
                                            Value::Object(k) => k,
                                            _ => Default::default(),
                                        };
                                        for (k, v) in m {
                                            if v.is_known() || !merged.contains_key(k) {
                                                merged.insert(k.clone(), v.clone());
                                            }
                                        }
                                        Value::Partial(merged)
                                    }
                                    (Value::Object(m), None) => Value::Partial(m.clone()),
                                    (other, _) => other.clone(),
                                }
                            }
                            Mode::Data => self
                                .opts
                                .data_sources
                                .get(&addr)
                                .map_or(Value::Unknown, Value::from_json),
                        };
                        inst_values.push(seen);
                        addrs.push(addr.clone());
                        self.instances.push(Instance {
                            addr,
                            attributes,
                            provider: provider.clone(),
                            pos: rb.snippet.pos.clone(),
                            depends_on: all_deps.clone(),
                            sensitive,
                        });
                    }
                    values.resources.insert(
                        (rb.mode, rb.type_name.clone(), rb.name.clone()),
                        expansion.collect(inst_values),
                    );
                    res_instances.insert(i, addrs);
                }
                Item::Call(i) => {
                    let mc = calls[i];
                    let (v, insts, sensitive) =
                        self.run_call(&call, &cfg, mc, &values, &fc, deps, &mut providers)?;
                    if !sensitive.is_empty() {
                        values.sensitive.insert(format!("module.{}", mc.name));
                    }
                    for o in sensitive {
                        values.sensitive.insert(format!("module.{}.{o}", mc.name));
                    }
                    values.modules.insert(mc.name.clone(), v);
                    call_instances.insert(i, insts);
                }
            }
        }
        self.evaluate_providers(&cfg, &inst, &values, &call.path_module);
        if inst.is_root() {
            self.root_imports(&cfg, &values, &fc);
        }
        Ok(Done {
            outputs: Value::Object(out_values),
            sensitive_outputs,
            output_deps,
        })
    }

    /// Evaluates `count` and `for_each` in the module scope.
    fn eval_meta(
        &mut self,
        values: &ModuleValues,
        path_module: &str,
        fc: &FuncContext,
        count: Option<&Expr>,
        for_each: Option<&Expr>,
    ) -> (Option<Value>, Option<Value>) {
        let (cwd, ws) = (self.cwd.clone(), self.workspace.clone());
        let mut scratch = Vec::new();
        let out = {
            let scope = scope(&cwd, &ws, values, path_module, fc, None, None);
            let mut ev_on = |e: &Expr| Evaluator::new(&scope, &e.file, &mut scratch).eval(&e.expr);
            (count.map(&mut ev_on), for_each.map(&mut ev_on))
        };
        self.diags.extend(scratch);
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn run_call(
        &mut self,
        parent: &Call<'_>,
        cfg: &ModuleConfig,
        mc: &ModuleCall,
        values: &ModuleValues,
        fc: &FuncContext,
        deps: Vec<Dependency>,
        parent_providers: &mut ProviderMap,
    ) -> Result<(Value, Vec<ModuleInstance>, BTreeSet<String>), LoadError> {
        let (cwd, ws) = (self.cwd.clone(), self.workspace.clone());
        let mut key_path = parent.key_path.clone();
        key_path.push(mc.name.clone());
        let is_local = mc.source.starts_with("./") || mc.source.starts_with("../");
        let (child_dir, child_path_module) = if is_local {
            (
                cfg.dir.join(&mc.source),
                clean_join(&parent.path_module, &mc.source),
            )
        } else {
            match self.modules_json.get(&key_path.join(".")) {
                Some(d) => (self.root_dir.join(d), clean_join(".", &d.to_string_lossy())),
                None => (PathBuf::new(), String::new()),
            }
        };
        let (c, f) = self.eval_meta(
            values,
            &parent.path_module,
            fc,
            mc.count.as_ref(),
            mc.for_each.as_ref(),
        );
        let expansion = self.expansion(c.zip(mc.count.as_ref()), f.zip(mc.for_each.as_ref()));
        let call_text = if parent.inst.is_root() {
            format!("module.{}", mc.name)
        } else {
            format!("{}.module.{}", parent.inst, mc.name)
        };
        if let Expansion::Unknown(reason) = &expansion {
            self.unknown.push(UnknownExpansion {
                address: crate::addr::PartialExpanded::ModuleCall {
                    parent: parent.inst.clone(),
                    name: mc.name.clone(),
                },
                reason: reason.clone(),
                pos: Some(mc.snippet.pos.clone()),
            });
            self.diags.push(Diagnostic::warning(
                format!("{call_text}: {reason}; its instances and everything in them are unknown"),
                Some(mc.snippet.clone()),
            ));
            return Ok((Value::Unknown, Vec::new(), BTreeSet::new()));
        }
        let installed = !child_dir.as_os_str().is_empty() && child_dir.is_dir();
        if !installed {
            if is_local {
                return Err(LoadError::ModuleNotFound {
                    call: mc.name.clone(),
                    dir: child_dir,
                    snippet: mc.snippet.clone(),
                });
            }
            self.diags.push(Diagnostic::warning(
                format!(
                    "{call_text} (source {:?}) is not installed: run `terraform init` to download it; its resources are unknown",
                    mc.source
                ),
                Some(mc.snippet.clone()),
            ));
        }
        // Child providers: an explicit `providers` map replaces inheritance; otherwise the
        // default (unaliased) configurations are inherited.
        let mut child_providers = ProviderMap::new();
        if mc.providers.is_empty() {
            for ((n, a), addr) in parent_providers.iter() {
                if a.is_none() {
                    child_providers.insert((n.clone(), None), addr.clone());
                }
            }
        } else {
            for (child, parent_key) in &mc.providers {
                match parent_providers.get(parent_key) {
                    Some(addr) => {
                        child_providers.insert(child.clone(), addr.clone());
                    }
                    None if parent_key.1.is_none() => {
                        let addr = ProviderAddr {
                            module: ModulePath::root(),
                            fqn: provider_fqn(cfg, &parent_key.0),
                            alias: None,
                        };
                        self.providers
                            .entry(addr.clone())
                            .or_insert_with(|| ProviderConfig {
                                addr: addr.clone(),
                                local_name: parent_key.0.clone(),
                                attributes: Value::Object(BTreeMap::new()),
                                pos: None,
                            });
                        parent_providers.insert(parent_key.clone(), addr.clone());
                        child_providers.insert(child.clone(), addr);
                    }
                    None => self.diags.push(Diagnostic::error(
                        format!(
                            "{call_text}: provider {}.{} passed in providers is not configured",
                            parent_key.0,
                            parent_key.1.clone().unwrap_or_default()
                        ),
                        Some(mc.snippet.clone()),
                    )),
                }
            }
        }
        let child_cfg = if installed {
            Some(self.module_config(&child_dir)?)
        } else {
            None
        };
        let mut outs = Vec::new();
        let mut sensitive_outputs = BTreeSet::new();
        let mut insts = Vec::new();
        let mut inherited: Vec<Dependency> = parent.inherited.to_vec();
        if mc.depends_on.is_some() {
            let via = format!("depends_on of {call_text}");
            inherited.extend(
                deps.iter()
                    .filter(|x| x.via == "depends_on")
                    .map(|x| Dependency {
                        target: x.target.clone(),
                        via: via.clone(),
                    }),
            );
        }
        for (key, count_index, each) in expansion.keys() {
            let child_inst = parent.inst.child(mc.name.clone(), key);
            insts.push(child_inst.clone());
            self.module_instances.push(ModuleInstanceInfo {
                addr: child_inst.clone(),
                source: mc.source.clone(),
                version: mc.version.clone(),
                dir: installed.then(|| child_dir.clone()),
                pos: mc.snippet.pos.clone(),
                depends_on: deps.clone(),
                installed,
            });
            let Some(child_cfg) = &child_cfg else {
                outs.push(Value::Unknown);
                continue;
            };
            let mut args = BTreeMap::new();
            let mut arg_deps = BTreeMap::new();
            let mut child_sensitive: std::collections::HashSet<String> = child_cfg
                .variables
                .values()
                .filter(|d| d.sensitive)
                .map(|d| format!("var.{}", d.name))
                .collect();
            {
                let scope = scope(
                    &cwd,
                    &ws,
                    values,
                    &parent.path_module,
                    fc,
                    count_index,
                    each,
                );
                for (name, e) in &mc.args {
                    let mut ev = Evaluator::new(&scope, &e.file, &mut self.diags);
                    let v = ev.eval(&e.expr);
                    if ev.tainted {
                        child_sensitive.insert(format!("var.{name}"));
                    }
                    args.insert(name.clone(), v);
                }
            }
            for (name, e) in &mc.args {
                let mut r = Vec::new();
                refs::in_expr(&e.expr, &mut r);
                arg_deps.insert(
                    name.clone(),
                    deps.iter()
                        .filter(|d| r.iter().any(|x| x.text == d.via))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
                if !child_cfg.variables.contains_key(name) {
                    self.diags.push(Diagnostic::error(
                        format!("{call_text}: the module has no variable {name:?}"),
                        Some(e.snippet()),
                    ));
                }
            }
            let mut vars = BTreeMap::new();
            for (name, decl) in &child_cfg.variables {
                let ty = self.var_type(child_cfg, decl);
                let v = match args.remove(name) {
                    // A null for a non-nullable variable takes the default; a nullable one stays null.
                    Some(Value::Null) if !decl.nullable => {
                        self.default_value(child_cfg, decl, ty.as_ref(), &child_inst)
                    }
                    Some(v) => match ty.as_ref().map_or(Ok(v.clone()), |t| t.convert(v)) {
                        Ok(v) => v,
                        Err(e) => {
                            self.diags.push(Diagnostic::error(
                                format!("{child_inst}: invalid value for variable {name:?}: {e}"),
                                mc.args.get(name).map(|e| e.snippet()),
                            ));
                            Value::Unknown
                        }
                    },
                    None => self.default_value(child_cfg, decl, ty.as_ref(), &child_inst),
                };
                vars.insert(name.clone(), v);
            }
            let mut providers = child_providers.clone();
            self.declare_providers(child_cfg, &child_inst, &mut providers);
            let done = self.run_module(Call {
                cfg: child_cfg.clone(),
                inst: child_inst.clone(),
                key_path: key_path.clone(),
                path_module: child_path_module.clone(),
                vars,
                var_deps: arg_deps,
                sensitive: child_sensitive,
                providers,
                inherited: &inherited,
            })?;
            if let Some(info) = self
                .module_instances
                .iter_mut()
                .rev()
                .find(|m| m.addr == child_inst)
            {
                info.depends_on.extend(done.output_deps);
                info.depends_on.sort();
                info.depends_on.dedup();
            }
            sensitive_outputs.extend(done.sensitive_outputs);
            outs.push(done.outputs);
        }
        Ok((expansion.collect(outs), insts, sensitive_outputs))
    }

    /// Import blocks (root module only): target addresses and IDs, per `for_each` element.
    fn root_imports(&mut self, cfg: &ModuleConfig, values: &ModuleValues, fc: &FuncContext) {
        let (cwd, ws) = (self.cwd.clone(), self.workspace.clone());
        for ib in &cfg.imports {
            let to_expr = hcl_edit::parser::parse_expr(&ib.to).ok();
            let expansion = match &ib.for_each {
                Some(fe) => {
                    let v = {
                        let scope = scope(&cwd, &ws, values, ".", fc, None, None);
                        let mut scratch = Vec::new();
                        let v = Evaluator::new(&scope, &fe.file, &mut scratch).eval(&fe.expr);
                        self.diags.extend(scratch);
                        v
                    };
                    match v {
                        Value::Object(m) => Expansion::ForEach(m.into_iter().collect()),
                        Value::Set(l) => Expansion::ForEach(
                            l.into_iter()
                                .map(|v| (v.to_tf_string().ok().flatten().unwrap_or_default(), v))
                                .collect(),
                        ),
                        Value::List(l) => Expansion::ForEach(
                            l.into_iter()
                                .enumerate()
                                .map(|(i, v)| (i.to_string(), v))
                                .collect(),
                        ),
                        _ => Expansion::Unknown(format!(
                            "for_each = {} is not known offline",
                            fe.text()
                        )),
                    }
                }
                None => Expansion::Single,
            };
            if let Expansion::Unknown(reason) = &expansion {
                self.imports.push(ImportTarget {
                    to: None,
                    to_text: ib.to.clone(),
                    id: Value::Unknown,
                    provider: ib.provider.clone(),
                    pos: ib.snippet.pos.clone(),
                    reason: Some(reason.clone()),
                });
                continue;
            }
            for (_, _, each) in expansion.keys() {
                let scope = scope(&cwd, &ws, values, ".", fc, None, each);
                let file = ib
                    .id
                    .as_ref()
                    .map(|e| e.file.clone())
                    .unwrap_or_else(|| cfg.files[0].clone());
                let mut ev = Evaluator::new(&scope, &file, &mut self.diags);
                let id = ib.id.as_ref().map_or(Value::Unknown, |e| ev.eval(&e.expr));
                let to = to_expr.as_ref().and_then(|e| eval_address(&mut ev, e));
                self.imports.push(ImportTarget {
                    to,
                    to_text: ib.to.clone(),
                    id,
                    provider: ib.provider.clone(),
                    pos: ib.snippet.pos.clone(),
                    reason: None,
                });
            }
        }
    }
}

/// Evaluates an address expression such as `module.a["x"].aws_s3_bucket.b[each.key]`.
fn eval_address(ev: &mut Evaluator<'_, '_>, e: &Expression) -> Option<ResourceInstance> {
    let (root, ops): (&str, Vec<&TraversalOperator>) = match e {
        Expression::Traversal(t) => match &t.expr {
            Expression::Variable(v) => (
                v.value().as_str(),
                t.operators.iter().map(|o| o.value()).collect(),
            ),
            _ => return None,
        },
        _ => return None,
    };
    let mut names: Vec<String> = vec![root.to_string()];
    let mut keys: Vec<InstanceKey> = vec![InstanceKey::None];
    for op in ops {
        match op {
            TraversalOperator::GetAttr(a) => {
                names.push(a.value().to_string());
                keys.push(InstanceKey::None);
            }
            TraversalOperator::Index(ie) => {
                let k = match ev.eval(ie) {
                    Value::Number(n) if n.to_i64().is_some() => {
                        InstanceKey::Int(n.to_i64().unwrap_or(0))
                    }
                    Value::String(s) => InstanceKey::Str(s),
                    _ => return None,
                };
                *keys.last_mut()? = k;
            }
            TraversalOperator::LegacyIndex(n) => {
                *keys.last_mut()? = InstanceKey::Int(*n.value() as i64)
            }
            _ => return None,
        }
    }
    let mut module = ModuleInstance::root();
    let mut i = 0;
    while names.get(i).is_some_and(|n| n == "module") {
        module = module.child(names.get(i + 1)?.clone(), keys.get(i + 1)?.clone());
        i += 2;
    }
    let (mode, t, n, k) = if names.get(i).is_some_and(|n| n == "data") {
        (
            Mode::Data,
            names.get(i + 1)?,
            names.get(i + 2)?,
            keys.get(i + 2)?,
        )
    } else {
        (
            Mode::Managed,
            names.get(i)?,
            names.get(i + 1)?,
            keys.get(i + 1)?,
        )
    };
    Some(ResourceInstance {
        module,
        resource: Resource {
            mode,
            type_name: t.clone(),
            name: n.clone(),
        },
        key: k.clone(),
    })
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
