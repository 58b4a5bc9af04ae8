//! Expansion: the whole configuration evaluated as one graph, as Terraform does, and every
//! `resource` and `data` block turned into its instances with full addresses, evaluated
//! attributes and its effective provider configuration.
//!
//! Owns evaluation order across modules ([`graph`]), the module tree ([`tree`]),
//! `count`/`for_each`/`enabled` ([`meta`]), block values ([`body`]), provider inheritance
//! ([`providers`]) and `import` blocks ([`imports`]). It never guesses: an expansion that
//! depends on an unknown value is recorded as unknown, and what depends on it stays unknown.

mod body;
mod graph;
mod imports;
mod meta;
mod providers;
mod tree;

use crate::config::value::Map;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use hcl_edit::structure::Body;

use super::diag::{Diagnostic, LoadError};
use super::eval::{Evaluator, ModuleValues, Scope};
use super::funcs::FuncContext;
use super::parse::{BlockKind, Expr, ModuleConfig, ResourceBlock, VariableDecl};
use super::refs::{Ref, RefTarget};
use super::types::Type;
use super::value::Value;
use super::vars::{self, Raw, RawVar};
use super::{
    Dependency, ImportTarget, Instance, ModuleBlock, ModuleInstanceInfo, Node, ProviderAddr,
    ProviderConfig, UnknownExpansion,
};
use crate::addr::{
    AbsResource, InstanceKey, Mode, ModuleInstance, PartialExpanded, Resource, ResourceInstance,
};
use graph::{Kind, Plan};
use meta::{Expansion, Meta};
use providers::ProviderMap;
use tree::{ModNode, Tree};

pub use meta::{MAX_INSTANCES, MAX_INSTANCES_PER_BLOCK};
pub use tree::MAX_DEPTH;

/// What every evaluation shares.
pub struct Ctx {
    /// The root module's directory as given (`-C`); module directories are joined to it.
    pub root_dir: PathBuf,
    /// `path.cwd`: the root module's directory, absolute, as Terraform run there sees it.
    pub cwd: String,
    pub workspace: String,
    /// Relative paths in `file()` and the other filesystem functions resolve against the
    /// working directory, which is the root module's, in every module.
    pub fc: FuncContext,
}

impl Ctx {
    pub fn scope<'s>(
        &'s self,
        values: &'s ModuleValues,
        path_module: &'s str,
        count_index: Option<Value>,
        each: Option<(Value, Value)>,
    ) -> Scope<'s> {
        Scope {
            values,
            count_index,
            each,
            path_module,
            path_root: ".",
            path_cwd: &self.cwd,
            workspace: &self.workspace,
            funcs: &self.fc,
        }
    }
}

/// What the expansion produces.
#[derive(Default)]
pub struct Output {
    pub diags: Vec<Diagnostic>,
    pub instances: Vec<Instance>,
    pub module_instances: Vec<ModuleInstanceInfo>,
    pub unknown: Vec<UnknownExpansion>,
    pub providers: BTreeMap<ProviderAddr, ProviderConfig>,
    pub moved: Vec<ModuleBlock<super::MovedBlock>>,
    pub removed: Vec<ModuleBlock<super::RemovedBlock>>,
    pub imports: Vec<ImportTarget>,
    pub other_blocks: Vec<super::OtherBlock>,
    /// The root module's outputs.
    pub outputs: Map<Value>,
    pub sensitive_outputs: BTreeSet<String>,
}

/// One module instance while the graph is evaluated.
struct InstState {
    addr: ModuleInstance,
    /// The calling module instance.
    parent: Option<usize>,
    /// `count.index` / `each` of the call, for the call's arguments.
    count_index: Option<Value>,
    each: Option<(Value, Value)>,
    values: ModuleValues,
    /// What each input variable's argument refers to, in the caller.
    var_deps: HashMap<String, Vec<Dependency>>,
    local_deps: HashMap<String, Vec<Dependency>>,
    /// Resource block index → its instances.
    res_instances: HashMap<usize, Vec<ResourceInstance>>,
    /// Module call name → its instances.
    call_instances: HashMap<String, Vec<ModuleInstance>>,
    /// Module call name → the states of its instances.
    call_states: HashMap<String, Vec<usize>>,
    /// Output name → the resource instances its value comes from.
    output_deps: HashMap<String, Vec<Dependency>>,
    providers: ProviderMap,
    /// Dependencies every resource in this module instance inherits from `depends_on` of
    /// the calls above it.
    inherited: Arc<Vec<Dependency>>,
    /// Its entry in [`Output::module_instances`].
    info: Option<usize>,
}

pub struct Expander<'o> {
    opts: &'o super::LoadOptions,
    ctx: Ctx,
    pub out: Output,
    states: Vec<InstState>,
    /// Tree node → its instances, in creation order.
    by_module: Vec<Vec<usize>>,
    /// Resource and module instances so far, against [`MAX_INSTANCES`].
    total: usize,
}

/// The root module and its variable values.
pub type RootResult = (Arc<ModuleConfig>, Map<Value>);

fn var_type(ctx: &Ctx, decl: &VariableDecl, diags: &mut Vec<Diagnostic>) -> Option<Type> {
    let te = decl.type_expr.as_ref()?;
    parse_type(ctx, te, diags)
        .map_err(|e| {
            diags.push(Diagnostic::error(
                format!("var.{}: invalid type: {e}", decl.name),
                Some(te.snippet()),
            ))
        })
        .ok()
}

fn parse_type(ctx: &Ctx, te: &Expr, diags: &mut Vec<Diagnostic>) -> Result<Type, String> {
    let values = ModuleValues::default();
    let scope = Scope::constant(&values, &ctx.fc);
    let file = te.file.clone();
    Type::parse(&te.expr, &mut |e| {
        Evaluator::new(&scope, &file, diags).eval(e)
    })
}

fn default_value(
    ctx: &Ctx,
    decl: &VariableDecl,
    ty: Option<&Type>,
    inst: &ModuleInstance,
    diags: &mut Vec<Diagnostic>,
) -> Value {
    let Some(d) = &decl.default else {
        let whose = if inst.is_root() {
            String::new()
        } else {
            format!("{inst}: ")
        };
        diags.push(Diagnostic::error(
            format!(
                "{whose}no value for required variable {:?}: set it with --var, --var-file, a .tfvars file or TF_VAR_{}; everything that depends on it stays unknown",
                decl.name, decl.name
            ),
            Some(decl.snippet.clone()),
        ));
        return Value::Unknown;
    };
    let values = ModuleValues::default();
    let scope = Scope::constant(&values, &ctx.fc);
    let v = Evaluator::new(&scope, &d.file, diags).eval(&d.expr);
    match ty.map_or(Ok(v.clone()), |t| t.convert(v)) {
        Ok(v) => v,
        Err(e) => {
            diags.push(Diagnostic::error(
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

/// The root module's variable values, from the gathered raw values and the defaults.
fn root_vars(
    ctx: &Ctx,
    root: &ModuleConfig,
    raw: &BTreeMap<String, RawVar>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Map<Value>, LoadError> {
    let mut vars = Map::new();
    for (name, decl) in &root.variables {
        let ty = var_type(ctx, decl, diags);
        let v = match raw.get(name) {
            Some(r) => {
                let v = match &r.raw {
                    Raw::Value(v) => Ok(v.clone()),
                    Raw::Text(t) if ty.as_ref().is_none_or(Type::is_primitive) => {
                        Ok(Value::String(t.clone()))
                    }
                    Raw::Text(t) => vars::parse_hcl_text(name, t, diags),
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
            None => default_value(ctx, decl, ty.as_ref(), &ModuleInstance::root(), diags),
        };
        vars.insert(name.clone(), v);
    }
    for (name, r) in raw {
        if !root.variables.contains_key(name) {
            let msg = format!(
                "a value was given for undeclared variable {name:?} (from {})",
                r.origin
            );
            if r.from_cli {
                diags.push(Diagnostic::error(msg, None));
            } else if r.origin.ends_with("tfvars") || r.origin.ends_with(".json") {
                diags.push(Diagnostic::warning(msg, None));
            }
        }
    }
    Ok(vars)
}

/// Resolves static references to graph targets (resource and module instances), through
/// locals, variables and module outputs. A module output leads to what the output's value
/// comes from, so that modules feeding each other are not a cycle; `depends_on` on a module,
/// or a module that is not installed, leads to its instances.
fn resolve(states: &[InstState], at: usize, t: &ModNode, refs: &[Ref]) -> Vec<Dependency> {
    let st = &states[at];
    let mut out: Vec<Dependency> = Vec::new();
    let relabel = |deps: Option<&Vec<Dependency>>, via: &str, out: &mut Vec<Dependency>| {
        for d in deps.into_iter().flatten() {
            out.push(Dependency {
                target: d.target.clone(),
                via: via.to_string(),
            });
        }
    };
    for r in refs {
        let via = &r.text;
        match &r.target {
            RefTarget::Var(n) => relabel(st.var_deps.get(n), via, &mut out),
            RefTarget::Local(n) => relabel(st.local_deps.get(n), via, &mut out),
            RefTarget::Ephemeral { .. } => {}
            RefTarget::Resource {
                mode,
                type_name,
                name,
                key,
            } => {
                let Some(i) = t.res_idx.get(&(*mode, type_name.clone(), name.clone())) else {
                    continue;
                };
                let all = st.res_instances.get(i).map(Vec::as_slice).unwrap_or(&[]);
                let one = |a: &&ResourceInstance| key.as_ref().is_some_and(|k| &a.key == k);
                let picked: Vec<&ResourceInstance> = if all.iter().any(|a| one(&a)) {
                    all.iter().filter(one).collect()
                } else {
                    all.iter().collect()
                };
                out.extend(picked.into_iter().map(|a| Dependency {
                    target: Node::Resource(a.clone()),
                    via: via.clone(),
                }));
            }
            RefTarget::Module { name, key, output } => {
                let all = st
                    .call_instances
                    .get(name)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                let ids = st.call_states.get(name).map(Vec::as_slice).unwrap_or(&[]);
                let one = |m: &ModuleInstance| {
                    key.as_ref()
                        .is_some_and(|k| m.0.last().is_some_and(|s| &s.key == k))
                };
                let keyed = all.iter().any(one);
                if r.text == "depends_on" || ids.is_empty() {
                    out.extend(all.iter().filter(|m| !keyed || one(m)).map(|m| Dependency {
                        target: Node::Module(m.clone()),
                        via: via.clone(),
                    }));
                    continue;
                }
                for &c in ids {
                    let child = &states[c];
                    if keyed && !one(&child.addr) {
                        continue;
                    }
                    for (o, deps) in &child.output_deps {
                        if output.as_ref().is_none_or(|x| x == o) {
                            relabel(Some(deps), via, &mut out);
                        }
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Evaluates a block's `count`, `for_each` and `enabled` in a module instance.
fn eval_meta<'e>(
    ctx: &Ctx,
    values: &ModuleValues,
    path_module: &str,
    exprs: [Option<&'e Expr>; 3],
    diags: &mut Vec<Diagnostic>,
) -> Meta<'e> {
    let scope = ctx.scope(values, path_module, None, None);
    let mut for_each_sensitive = false;
    let mut ev = |e: &'e Expr, sensitive: Option<&mut bool>| {
        let mut ev = Evaluator::new(&scope, &e.file, diags);
        let v = ev.eval(&e.expr);
        if let Some(s) = sensitive {
            *s = ev.tainted;
        }
        (v, e)
    };
    let count = exprs[0].map(|e| ev(e, None));
    let for_each = exprs[1].map(|e| ev(e, Some(&mut for_each_sensitive)));
    let enabled = exprs[2].map(|e| ev(e, None));
    Meta {
        count,
        for_each,
        enabled,
        for_each_sensitive,
    }
}

impl<'o> Expander<'o> {
    pub fn new(opts: &'o super::LoadOptions, root_dir: PathBuf, workspace: String) -> Self {
        let abs = std::path::absolute(&root_dir).unwrap_or_else(|_| root_dir.clone());
        let cwd = abs
            .canonicalize()
            .unwrap_or_else(|_| abs.clone())
            .to_string_lossy()
            .into_owned();
        Expander {
            opts,
            ctx: Ctx {
                root_dir,
                cwd,
                workspace,
                fc: FuncContext { base_dir: abs },
            },
            out: Output::default(),
            states: Vec::new(),
            by_module: Vec::new(),
            total: 0,
        }
    }

    /// Loads every module, evaluates the whole graph and expands every block.
    pub fn run(&mut self, raw: BTreeMap<String, RawVar>) -> Result<RootResult, LoadError> {
        let mut loader = tree::Loader::new(&self.ctx);
        let root = loader.module_config(&self.ctx.root_dir.clone());
        self.out.diags.append(&mut loader.diags);
        let root = root?;
        let vars = root_vars(&self.ctx, &root, &raw, &mut self.out.diags)?;
        let tree = loader.tree(root.clone(), &vars);
        self.out.diags.append(&mut loader.diags);
        let tree = tree?;
        let plan = Plan::build(&tree)?;
        self.by_module = vec![Vec::new(); tree.nodes.len()];
        let mut providers = ProviderMap::new();
        providers::declare(
            &mut self.out,
            &root,
            &ModuleInstance::root(),
            &mut providers,
        );
        self.states.push(InstState {
            addr: ModuleInstance::root(),
            parent: None,
            count_index: None,
            each: None,
            values: ModuleValues {
                vars: vars.clone(),
                sensitive: root
                    .variables
                    .values()
                    .filter(|d| d.sensitive)
                    .map(|d| format!("var.{}", d.name))
                    .collect(),
                ..Default::default()
            },
            var_deps: HashMap::new(),
            local_deps: HashMap::new(),
            res_instances: HashMap::new(),
            call_instances: HashMap::new(),
            call_states: HashMap::new(),
            output_deps: HashMap::new(),
            providers,
            inherited: Arc::new(Vec::new()),
            info: None,
        });
        self.by_module[0].push(0);
        for &n in &plan.order {
            let node = &plan.nodes[n];
            match &node.kind {
                Kind::Var(name) => self.eval_var(&tree, node, name),
                Kind::Local(name) => self.eval_local(&tree, node, name),
                Kind::Resource(i) => self.eval_resource(&tree, node, *i, false)?,
                Kind::Ephemeral(i) => self.eval_resource(&tree, node, *i, true)?,
                Kind::Call(name) => self.eval_call(&tree, node, name)?,
                Kind::Output(name) => self.eval_output(&tree, node, name),
            }
        }
        self.finish(&tree);
        Ok((root, vars))
    }

    /// What a block or module call expands to in module instance `i` (`count`, `for_each`,
    /// `enabled`), counted against [`MAX_INSTANCES`].
    fn expansion_in(
        &mut self,
        i: usize,
        t: &ModNode,
        exprs: [Option<&Expr>; 3],
    ) -> Result<Expansion, LoadError> {
        let meta = eval_meta(
            &self.ctx,
            &self.states[i].values,
            &t.path_module,
            exprs,
            &mut self.out.diags,
        );
        let expansion = meta::expansion(meta, &mut self.out.diags);
        self.count_instances(expansion.len())?;
        Ok(expansion)
    }

    fn count_instances(&mut self, n: usize) -> Result<(), LoadError> {
        self.total += n;
        if self.total > MAX_INSTANCES {
            return Err(LoadError::TooManyInstances {
                count: self.total,
                limit: MAX_INSTANCES,
            });
        }
        Ok(())
    }

    fn instances_of(&self, module: usize) -> Vec<usize> {
        self.by_module[module].clone()
    }

    fn eval_var(&mut self, tree: &Tree, node: &graph::Node, name: &str) {
        let t = &tree.nodes[node.module];
        let (Some(cfg), Some(p_mod), Some(call)) = (&t.cfg, t.parent, &t.call) else {
            return;
        };
        let decl = &cfg.variables[name];
        let caller = &tree.nodes[p_mod];
        let arg = caller
            .cfg
            .as_ref()
            .and_then(|c| c.module_calls.get(call))
            .and_then(|mc| mc.args.get(name));
        let ty = var_type(&self.ctx, decl, &mut self.out.diags);
        for i in self.instances_of(node.module) {
            let p = self.states[i]
                .parent
                .expect("a child module instance has a caller");
            let given = arg.map(|e| {
                let (st, child) = (&self.states[p], &self.states[i]);
                let scope = self.ctx.scope(
                    &st.values,
                    &caller.path_module,
                    child.count_index.clone(),
                    child.each.clone(),
                );
                let mut ev = Evaluator::new(&scope, &e.file, &mut self.out.diags);
                let v = ev.eval(&e.expr);
                (
                    v,
                    ev.tainted,
                    resolve(&self.states, p, caller, &node.refs),
                    e,
                )
            });
            let inst = &self.states[i].addr;
            let (v, tainted, deps) = match given {
                // A null for a non-nullable variable takes the default; a nullable one stays null.
                Some((Value::Null, t, d, _)) if !decl.nullable => (
                    default_value(&self.ctx, decl, ty.as_ref(), inst, &mut self.out.diags),
                    t,
                    d,
                ),
                Some((v, t, d, e)) => {
                    let v = match ty.as_ref().map_or(Ok(v.clone()), |ty| ty.convert(v)) {
                        Ok(v) => v,
                        Err(err) => {
                            self.out.diags.push(Diagnostic::error(
                                format!("{inst}: invalid value for variable {name:?}: {err}"),
                                Some(e.snippet()),
                            ));
                            Value::Unknown
                        }
                    };
                    (v, t, d)
                }
                None => (
                    default_value(&self.ctx, decl, ty.as_ref(), inst, &mut self.out.diags),
                    false,
                    Vec::new(),
                ),
            };
            let st = &mut self.states[i];
            if tainted || decl.sensitive {
                st.values.sensitive.insert(format!("var.{name}"));
            }
            st.values.vars.insert(name.to_string(), v);
            if let Some(info) = st.info {
                self.out.module_instances[info]
                    .depends_on
                    .extend(deps.iter().cloned());
            }
            st.var_deps.insert(name.to_string(), deps);
        }
    }

    fn eval_local(&mut self, tree: &Tree, node: &graph::Node, name: &str) {
        let t = &tree.nodes[node.module];
        let Some(e) = t.cfg.as_ref().and_then(|c| c.locals.get(name)) else {
            return;
        };
        for i in self.instances_of(node.module) {
            let st = &self.states[i];
            let scope = self.ctx.scope(&st.values, &t.path_module, None, None);
            let mut ev = Evaluator::new(&scope, &e.file, &mut self.out.diags);
            let v = ev.eval(&e.expr);
            let tainted = ev.tainted;
            let deps = resolve(&self.states, i, t, &node.refs);
            let st = &mut self.states[i];
            if tainted {
                st.values.sensitive.insert(format!("local.{name}"));
            }
            st.values.locals.insert(name.to_string(), v);
            st.local_deps.insert(name.to_string(), deps);
        }
    }

    fn eval_resource(
        &mut self,
        tree: &Tree,
        node: &graph::Node,
        idx: usize,
        ephemeral: bool,
    ) -> Result<(), LoadError> {
        let t = &tree.nodes[node.module];
        let Some(cfg) = &t.cfg else {
            return Ok(());
        };
        let rb = if ephemeral {
            &cfg.ephemerals[idx]
        } else {
            &cfg.resources[idx]
        };
        let body = rb.body();
        for i in self.instances_of(node.module) {
            let inst = self.states[i].addr.clone();
            let provider = (!ephemeral).then(|| {
                providers::provider_for(
                    &mut self.out,
                    cfg,
                    &inst,
                    &mut self.states[i].providers,
                    rb,
                )
            });
            let expansion = self.expansion_in(
                i,
                t,
                [rb.count.as_ref(), rb.for_each.as_ref(), rb.enabled.as_ref()],
            )?;
            let st = &self.states[i];
            let abs = AbsResource {
                module: inst.clone(),
                resource: Resource {
                    mode: rb.mode,
                    type_name: rb.type_name.clone(),
                    name: rb.name.clone(),
                },
            };
            if let Expansion::Unknown(reason) = &expansion {
                if ephemeral {
                    // Never instances to import: what reads it is unknown, nothing is missed.
                    self.out.diags.push(Diagnostic::warning(
                        format!(
                            "{}ephemeral.{}.{}: {reason}; what reads it is unknown",
                            prefix(&inst),
                            rb.type_name,
                            rb.name
                        ),
                        Some(rb.snippet.clone()),
                    ));
                } else {
                    self.out.unknown.push(UnknownExpansion {
                        address: PartialExpanded::Resource(abs.clone()),
                        reason: reason.clone(),
                        pos: Some(rb.snippet.pos.clone()),
                    });
                }
            }
            let mut all_deps = resolve(&self.states, i, t, &node.refs);
            all_deps.extend(st.inherited.iter().cloned());
            all_deps.sort();
            all_deps.dedup();
            let all_deps = Arc::new(all_deps);
            let mut seen_values = Vec::new();
            let mut addrs = Vec::new();
            for (key, count_index, each) in expansion.keys() {
                let addr = abs.instance(key);
                let scope = self
                    .ctx
                    .scope(&st.values, &t.path_module, count_index, each);
                let mut sensitive = BTreeSet::new();
                let attributes = body::eval_body_tracked(
                    &mut Evaluator::new(&scope, &rb.file, &mut self.out.diags),
                    &body,
                    RESOURCE_META,
                    Some(&mut sensitive),
                );
                seen_values.push(if node.read {
                    self.seen(rb, &body, &addr, &attributes)
                } else {
                    Value::Unknown
                });
                if let Some(provider) = &provider {
                    addrs.push(addr.clone());
                    self.out.instances.push(Instance {
                        addr,
                        attributes,
                        provider: provider.clone(),
                        pos: rb.snippet.pos.clone(),
                        depends_on: all_deps.clone(),
                        sensitive,
                    });
                }
            }
            let value = expansion.collect(seen_values);
            let st = &mut self.states[i];
            if ephemeral {
                // `ephemeral.TYPE.NAME` reads as an object of names under the key
                // (managed, "ephemeral", TYPE): no resource type is named `ephemeral`.
                let entry = st
                    .values
                    .resources
                    .entry((Mode::Managed, "ephemeral".into(), rb.type_name.clone()))
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(m) = entry {
                    m.insert(rb.name.clone(), value);
                }
            } else {
                st.values
                    .resources
                    .insert((rb.mode, rb.type_name.clone(), rb.name.clone()), value);
                st.res_instances.insert(idx, addrs);
            }
        }
        Ok(())
    }

    /// What other blocks see of a resource instance: its stored attributes when the state
    /// (or the matched live resource) says them, arguments set in configuration winning, and
    /// unknown for whatever the provider computes.
    fn seen(
        &self,
        rb: &ResourceBlock,
        body: &Body,
        addr: &ResourceInstance,
        attributes: &Value,
    ) -> Value {
        match rb.kind {
            BlockKind::Data => self
                .opts
                .data_sources
                .get(addr)
                .map_or(Value::Unknown, Value::from_json),
            BlockKind::Ephemeral => body::provider_view(body, attributes),
            BlockKind::Managed => {
                let view = body::provider_view(body, attributes);
                let (Value::Partial(mut m), Some(known)) =
                    (view.clone(), self.opts.known_values(addr))
                else {
                    return view;
                };
                if let Value::Object(k) = Value::from_json(&known) {
                    for (name, v) in k {
                        if m.get(&name).is_none_or(|c| !c.is_known()) {
                            m.insert(name, v);
                        }
                    }
                }
                Value::Partial(m)
            }
        }
    }

    fn eval_call(&mut self, tree: &Tree, node: &graph::Node, name: &str) -> Result<(), LoadError> {
        let t = &tree.nodes[node.module];
        let Some(cfg) = &t.cfg else {
            return Ok(());
        };
        let mc = &cfg.module_calls[name];
        let c = t.children[name];
        let child = &tree.nodes[c];
        for p in self.instances_of(node.module) {
            let st = &self.states[p];
            let call_text = format!("{}module.{name}", prefix(&st.addr));
            let expansion = self.expansion_in(
                p,
                t,
                [mc.count.as_ref(), mc.for_each.as_ref(), mc.enabled.as_ref()],
            )?;
            let st = &self.states[p];
            let deps = resolve(&self.states, p, t, &node.refs);
            if let Some(child_cfg) = &child.cfg {
                for (arg, e) in &mc.args {
                    if !child_cfg.variables.contains_key(arg) {
                        self.out.diags.push(Diagnostic::error(
                            format!("{call_text}: the module has no variable {arg:?}"),
                            Some(e.snippet()),
                        ));
                    }
                }
            }
            if let Expansion::Unknown(reason) = &expansion {
                self.out.unknown.push(UnknownExpansion {
                    address: PartialExpanded::ModuleCall {
                        parent: st.addr.clone(),
                        name: name.to_string(),
                    },
                    reason: reason.clone(),
                    pos: Some(mc.snippet.pos.clone()),
                });
                self.out.diags.push(Diagnostic::warning(
                    format!(
                        "{call_text}: {reason}; its instances and everything in them are unknown"
                    ),
                    Some(mc.snippet.clone()),
                ));
                let st = &mut self.states[p];
                st.values.modules.insert(name.to_string(), Value::Unknown);
                st.call_instances.insert(name.to_string(), Vec::new());
                continue;
            }
            if !child.installed() && mc.source_expr.is_none() {
                self.out.diags.push(Diagnostic::warning(
                    format!(
                        "{call_text} (source {:?}) is not installed: run `terraform init` to download it; its resources are unknown",
                        mc.source
                    ),
                    Some(mc.snippet.clone()),
                ));
            }
            let child_providers = providers::for_child(
                &mut self.out,
                cfg,
                mc,
                &call_text,
                &mut self.states[p].providers,
            );
            let st = &self.states[p];
            let mut inherited: Vec<Dependency> = st.inherited.to_vec();
            if mc.depends_on.is_some() {
                let via = format!("depends_on of {call_text}");
                inherited.extend(deps.iter().filter(|x| x.via == "depends_on").map(|x| {
                    Dependency {
                        target: x.target.clone(),
                        via: via.clone(),
                    }
                }));
            }
            let inherited = Arc::new(inherited);
            let parent_addr = st.addr.clone();
            let mut addrs = Vec::new();
            let mut ids = Vec::new();
            for (key, count_index, each) in expansion.keys() {
                let addr = parent_addr.child(name, key);
                addrs.push(addr.clone());
                let info = self.out.module_instances.len();
                self.out.module_instances.push(ModuleInstanceInfo {
                    addr: addr.clone(),
                    source: child.source.clone(),
                    version: child.version.clone(),
                    dir: child.installed().then(|| child.dir.clone()),
                    pos: mc.snippet.pos.clone(),
                    depends_on: deps.clone(),
                    installed: child.installed(),
                });
                let Some(child_cfg) = &child.cfg else {
                    continue;
                };
                let mut providers = child_providers.clone();
                providers::declare(&mut self.out, child_cfg, &addr, &mut providers);
                let sensitive: HashSet<String> = child_cfg
                    .variables
                    .values()
                    .filter(|d| d.sensitive)
                    .map(|d| format!("var.{}", d.name))
                    .collect();
                let id = self.states.len();
                self.states.push(InstState {
                    addr,
                    parent: Some(p),
                    count_index,
                    each,
                    values: ModuleValues {
                        sensitive,
                        ..Default::default()
                    },
                    var_deps: HashMap::new(),
                    local_deps: HashMap::new(),
                    res_instances: HashMap::new(),
                    call_instances: HashMap::new(),
                    call_states: HashMap::new(),
                    output_deps: HashMap::new(),
                    providers,
                    inherited: inherited.clone(),
                    info: Some(info),
                });
                self.by_module[c].push(id);
                ids.push(id);
            }
            let st = &mut self.states[p];
            st.values
                .modules
                .insert(name.to_string(), expansion.skeleton(child.installed()));
            st.call_instances.insert(name.to_string(), addrs);
            st.call_states.insert(name.to_string(), ids);
        }
        Ok(())
    }

    fn eval_output(&mut self, tree: &Tree, node: &graph::Node, name: &str) {
        let t = &tree.nodes[node.module];
        let Some(cfg) = &t.cfg else {
            return;
        };
        let o = &cfg.outputs[name];
        let ty = o.type_expr.as_ref().and_then(|te| {
            parse_type(&self.ctx, te, &mut self.out.diags)
                .map_err(|e| {
                    self.out.diags.push(Diagnostic::error(
                        format!("output.{name}: invalid type: {e}"),
                        Some(te.snippet()),
                    ))
                })
                .ok()
        });
        for i in self.instances_of(node.module) {
            let st = &self.states[i];
            let (v, tainted) = match &o.value {
                Some(e) => {
                    let scope = self.ctx.scope(&st.values, &t.path_module, None, None);
                    let mut ev = Evaluator::new(&scope, &e.file, &mut self.out.diags);
                    let v = ev.eval(&e.expr);
                    let tainted = ev.tainted;
                    let v = match ty.as_ref().map_or(Ok(v.clone()), |ty| ty.convert(v)) {
                        Ok(v) => v,
                        Err(err) => {
                            self.out.diags.push(Diagnostic::error(
                                format!("output.{name}: the value does not match the type: {err}"),
                                Some(e.snippet()),
                            ));
                            Value::Unknown
                        }
                    };
                    (v, tainted)
                }
                None => (Value::Null, false),
            };
            let sensitive = tainted || o.sensitive;
            let deps: Vec<Dependency> = resolve(&self.states, i, t, &node.refs)
                .into_iter()
                .map(|d| Dependency {
                    target: d.target,
                    via: format!("output.{name}"),
                })
                .collect();
            if let Some(info) = st.info {
                self.out.module_instances[info]
                    .depends_on
                    .extend(deps.iter().cloned());
            }
            let parent = st.parent;
            self.states[i].output_deps.insert(name.to_string(), deps);
            let st = &self.states[i];
            let (Some(p), Some(call)) = (parent, &t.call) else {
                if sensitive {
                    self.out.sensitive_outputs.insert(name.to_string());
                }
                self.out.outputs.insert(name.to_string(), v);
                continue;
            };
            let key = st
                .addr
                .0
                .last()
                .map(|s| s.key.clone())
                .unwrap_or(InstanceKey::None);
            let parent = &mut self.states[p];
            if let Some(Value::Object(m)) = parent
                .values
                .modules
                .get_mut(call)
                .and_then(|v| meta::slot_mut(v, &key))
            {
                m.insert(name.to_string(), v);
            }
            if sensitive {
                parent
                    .values
                    .sensitive
                    .insert(format!("module.{call}.{name}"));
                parent.values.sensitive.insert(format!("module.{call}"));
            }
        }
    }

    /// What is evaluated once everything else is: provider configurations, `import`
    /// blocks, and the module-relative `moved` and `removed` blocks.
    fn finish(&mut self, tree: &Tree) {
        for (m, t) in tree.nodes.iter().enumerate() {
            let Some(cfg) = &t.cfg else {
                continue;
            };
            let Some(&first) = self.by_module[m].first() else {
                continue;
            };
            for b in &cfg.moved {
                self.out.moved.push(ModuleBlock {
                    module: t.path.clone(),
                    block: b.clone(),
                });
            }
            let others = [("action", &cfg.actions), ("list", &cfg.lists)];
            for (kind, blocks) in others {
                for b in blocks {
                    self.out.other_blocks.push(super::OtherBlock {
                        kind,
                        address: format!(
                            "{}{kind}.{}.{}",
                            module_prefix(&t.path),
                            b.type_name,
                            b.name
                        ),
                        pos: b.snippet.pos.clone(),
                    });
                }
            }
            for b in &cfg.ephemerals {
                self.out.other_blocks.push(super::OtherBlock {
                    kind: "ephemeral",
                    address: format!(
                        "{}ephemeral.{}.{}",
                        module_prefix(&t.path),
                        b.type_name,
                        b.name
                    ),
                    pos: b.snippet.pos.clone(),
                });
            }
            for b in &cfg.removed {
                self.out.removed.push(ModuleBlock {
                    module: t.path.clone(),
                    block: b.clone(),
                });
            }
            if !cfg.providers.is_empty() {
                providers::evaluate(
                    &mut self.out,
                    &self.ctx,
                    cfg,
                    &t.path,
                    &self.states[first].values,
                    &t.path_module,
                );
            }
            if !cfg.imports.is_empty() {
                for &i in &self.by_module[m] {
                    let st = &self.states[i];
                    imports::evaluate(
                        &mut self.out,
                        &self.ctx,
                        cfg,
                        &st.addr,
                        &st.values,
                        &t.path_module,
                    );
                }
            }
        }
        for info in &mut self.out.module_instances {
            info.depends_on.sort();
            info.depends_on.dedup();
        }
    }
}

/// `module.a["x"].` for a child module instance, nothing for the root.
fn prefix(inst: &ModuleInstance) -> String {
    if inst.is_root() {
        String::new()
    } else {
        format!("{inst}.")
    }
}

/// `module.a.module.b.` for a child module path, nothing for the root.
fn module_prefix(path: &crate::addr::ModulePath) -> String {
    if path.is_root() {
        String::new()
    } else {
        format!("{path}.")
    }
}

const RESOURCE_META: &[&str] = &["count", "for_each", "provider", "depends_on"];
