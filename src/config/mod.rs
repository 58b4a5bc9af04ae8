//! The Terraform configuration, loaded and evaluated offline: modules, variables, locals,
//! expansion of `count`/`for_each` into resource instances with full addresses, evaluated
//! attributes, effective provider configurations, and the `moved`/`removed`/`import` blocks.
//!
//! Owns everything between `.tf` files and typed instances. It never reads state or the
//! network and never prints: data source values come in through [`LoadOptions`], and
//! problems come back as [`Diagnostic`]s or a [`LoadError`]. What cannot be known offline is
//! [`Value::Unknown`], never guessed.

mod diag;
mod eval;
mod expand;
pub mod funcs;
mod json;
mod parse;
mod refs;
mod split;
mod types;
mod value;
mod vars;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::addr::{ModuleInstance, ModulePath, PartialExpanded, ResourceInstance};

pub use diag::{Diagnostic, LoadError, Severity, Snippet, SourcePos};
pub use expand::{MAX_DEPTH, MAX_INSTANCES, MAX_INSTANCES_PER_BLOCK};
pub use parse::{MovedBlock, RemovedBlock};
pub use types::Type;
pub use value::{Map, Number, Value, UNKNOWN_MARKER};
pub use vars::{parse_var_arg, VarArg};

/// What a load needs besides the directory.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--var` and `--var-file`, in command-line order.
    pub var_args: Vec<VarArg>,
    /// The environment to take `TF_VAR_*` (and `TF_WORKSPACE`) from; `None` reads the process
    /// environment.
    pub env: Option<BTreeMap<String, String>>,
    /// `terraform.workspace`; default `TF_WORKSPACE`, then `.terraform/environment`, then
    /// `default`.
    pub workspace: Option<String>,
    /// Data source instances as the state holds them (their attributes); other data sources
    /// are unknown.
    pub data_sources: HashMap<ResourceInstance, serde_json::Value>,
    /// Attributes of managed resource instances known from outside the configuration (their
    /// state entry, or the live resource they matched). References to these instances read
    /// them, so identities built from computed attributes (a service account's `email`) become
    /// known; arguments set in configuration still win.
    pub resource_values: HashMap<ResourceInstance, serde_json::Value>,
    /// Attributes of managed resource instances recorded in state, read only for the
    /// instances whose value something reads (a state of 100,000 instances is not copied);
    /// `resource_values` wins where both know an instance.
    pub state_values: StateValues,
}

/// Attributes a source outside the configuration (the state) gives on demand.
pub trait AttributeSource: Send + Sync {
    fn contains(&self, addr: &ResourceInstance) -> bool;
    fn get(&self, addr: &ResourceInstance) -> Option<serde_json::Value>;
}

/// The state's attributes for a load, when there is a state.
#[derive(Clone, Default)]
pub struct StateValues(pub Option<std::sync::Arc<dyn AttributeSource>>);

impl fmt::Debug for StateValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "StateValues(Some)"
        } else {
            "StateValues(None)"
        })
    }
}

impl LoadOptions {
    /// The attributes known for `addr` from outside the configuration.
    pub fn known_values(
        &self,
        addr: &ResourceInstance,
    ) -> Option<std::borrow::Cow<'_, serde_json::Value>> {
        if let Some(v) = self.resource_values.get(addr) {
            return Some(std::borrow::Cow::Borrowed(v));
        }
        self.state_values
            .0
            .as_ref()?
            .get(addr)
            .map(std::borrow::Cow::Owned)
    }

    /// Whether anything outside the configuration knows `addr`'s attributes.
    pub fn knows(&self, addr: &ResourceInstance) -> bool {
        self.resource_values.contains_key(addr)
            || self
                .state_values
                .0
                .as_ref()
                .is_some_and(|s| s.contains(addr))
    }
}

/// A provider configuration address, printed as Terraform prints it:
/// `module.a.provider["registry.terraform.io/hashicorp/google"].west`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProviderAddr {
    pub module: ModulePath,
    /// Fully qualified source address, `registry.terraform.io/hashicorp/google`.
    pub fqn: std::sync::Arc<str>,
    pub alias: Option<String>,
}

impl fmt::Display for ProviderAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.module.0 {
            write!(f, "module.{step}.")?;
        }
        write!(f, "provider[{}]", crate::addr::hcl_quote(&self.fqn))?;
        if let Some(a) = &self.alias {
            write!(f, ".{a}")?;
        }
        Ok(())
    }
}

impl Serialize for ProviderAddr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A provider block with its evaluated arguments (`project`, `region`, `default_labels`,
/// `default_tags`...). An implied configuration that no block declares has no arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderConfig {
    pub addr: ProviderAddr,
    pub local_name: String,
    pub attributes: Value,
    pub pos: Option<SourcePos>,
}

/// A node of the dependency graph: a resource or data instance, or a module instance.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    Resource(ResourceInstance),
    Module(ModuleInstance),
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Resource(r) => r.fmt(f),
            Node::Module(m) => m.fmt(f),
        }
    }
}

/// An edge: what a block depends on and the reference that says so (`local.names`,
/// `aws_vpc.main.id`, `depends_on`, `output.ids`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dependency {
    pub target: Node,
    pub via: String,
}

/// One expanded resource or data instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub addr: ResourceInstance,
    /// The block's arguments and nested blocks (lists of objects), evaluated; arguments that
    /// depend on what is not known offline are [`Value::Unknown`].
    pub attributes: Value,
    pub provider: ProviderAddr,
    pub pos: SourcePos,
    /// Shared by all the instances of a block.
    pub depends_on: std::sync::Arc<Vec<Dependency>>,
    /// Top-level arguments and blocks computed from a sensitive value (a `sensitive`
    /// variable or output, `sensitive()`): their values must never be shown.
    pub sensitive: std::collections::BTreeSet<String>,
}

/// One expanded module instance.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleInstanceInfo {
    pub addr: ModuleInstance,
    pub source: String,
    /// The `version` constraint of a registry module.
    pub version: Option<String>,
    pub dir: Option<PathBuf>,
    pub pos: SourcePos,
    pub depends_on: Vec<Dependency>,
    /// False for a remote module that `terraform init` has not installed.
    pub installed: bool,
}

/// A block (resource, data or module call) whose instances are not knowable offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownExpansion {
    /// The block, in the module instance it belongs to: `module.a["x"].aws_s3_bucket.b`.
    pub address: PartialExpanded,
    pub reason: String,
    pub pos: Option<SourcePos>,
}

/// A module-relative block (`moved`, `removed`) and the module that declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleBlock<T> {
    pub module: ModulePath,
    pub block: T,
}

/// One import an `import` block asks for (one per `for_each` element).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportTarget {
    /// The target address, when it could be evaluated.
    pub to: Option<ResourceInstance>,
    pub to_text: String,
    pub id: Value,
    /// `provider = NAME.ALIAS`, when set.
    pub provider: Option<(String, Option<String>)>,
    pub pos: SourcePos,
    /// Why the block's elements are unknown, when they are.
    pub reason: Option<String>,
}

/// A block that is part of the configuration but never a resource instance: never in state
/// and never imported. `ephemeral` resources (opened anew in each run), `action` blocks and
/// the `list` blocks of `.tfquery.hcl` files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherBlock {
    pub kind: &'static str,
    /// `module.a.ephemeral.aws_secretsmanager_secret_version.db`.
    pub address: String,
    pub pos: SourcePos,
}

/// The root `terraform { backend "TYPE" { ... } }` block: its literal settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Backend {
    pub kind: String,
    pub settings: BTreeMap<String, serde_json::Value>,
    pub pos: SourcePos,
}

/// The loaded, evaluated and expanded configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub root_dir: PathBuf,
    pub workspace: String,
    /// Every resource and data instance, in `terraform state list` order.
    pub instances: Vec<Instance>,
    /// Every module instance, sorted by address.
    pub module_instances: Vec<ModuleInstanceInfo>,
    pub unknown_expansions: Vec<UnknownExpansion>,
    pub providers: BTreeMap<ProviderAddr, ProviderConfig>,
    pub moved: Vec<ModuleBlock<MovedBlock>>,
    pub removed: Vec<ModuleBlock<RemovedBlock>>,
    pub imports: Vec<ImportTarget>,
    /// Ephemeral resources, actions and query `list` blocks, once per module that declares them.
    pub other_blocks: Vec<OtherBlock>,
    pub variables: Map<Value>,
    /// Root variables declared `sensitive`: their values must never be shown.
    pub sensitive_variables: std::collections::BTreeSet<String>,
    pub outputs: Value,
    /// Root outputs declared `sensitive` or computed from a sensitive value.
    pub sensitive_outputs: std::collections::BTreeSet<String>,
    backend: Option<Backend>,
    cloud: Option<SourcePos>,
}

impl Config {
    /// The backend type, its literal settings and where the block is.
    pub fn backend(&self) -> Option<(&str, &BTreeMap<String, serde_json::Value>, &SourcePos)> {
        self.backend
            .as_ref()
            .map(|b| (b.kind.as_str(), &b.settings, &b.pos))
    }

    /// Where the `terraform { cloud {} }` block is, when there is one.
    pub fn cloud_block(&self) -> Option<&SourcePos> {
        self.cloud.as_ref()
    }

    pub fn instance(&self, addr: &ResourceInstance) -> Option<&Instance> {
        self.position(addr).map(|i| &self.instances[i])
    }

    /// The position of an instance in [`Config::instances`] (sorted by address: a binary
    /// search, where a map would copy every address). Of two instances at one address (an
    /// error already diagnosed), the last.
    pub fn position(&self, addr: &ResourceInstance) -> Option<usize> {
        let after = self.instances.partition_point(|i| i.addr <= *addr);
        after
            .checked_sub(1)
            .filter(|&i| self.instances[i].addr == *addr)
    }

    /// The effective provider configuration of an instance.
    pub fn provider_config(&self, inst: &Instance) -> Option<&ProviderConfig> {
        self.providers.get(&inst.provider)
    }
}

fn default_workspace(dir: &Path, env: &BTreeMap<String, String>) -> String {
    if let Some(w) = env.get("TF_WORKSPACE").filter(|w| !w.is_empty()) {
        return w.clone();
    }
    std::fs::read_to_string(dir.join(".terraform/environment"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "default".into())
}

/// Loads the configuration in `dir`: parses every module, gathers variables, evaluates and
/// expands. Problems that do not stop the load come back as diagnostics, sorted by position.
pub fn load(dir: &Path, opts: &LoadOptions) -> Result<(Config, Vec<Diagnostic>), LoadError> {
    let env: BTreeMap<String, String> = match &opts.env {
        Some(e) => e.clone(),
        None => std::env::vars().collect(),
    };
    let workspace = opts
        .workspace
        .clone()
        .unwrap_or_else(|| default_workspace(dir, &env));
    let mut ex = expand::Expander::new(opts, dir.to_path_buf(), workspace.clone());
    let raw = vars::gather(dir, &opts.var_args, &env, &mut ex.out.diags)?;
    let (root, variables) = ex.run(raw)?;
    let mut out = ex.out;
    out.instances.sort_by(|a, b| a.addr.cmp(&b.addr));
    out.module_instances.sort_by(|a, b| a.addr.cmp(&b.addr));
    out.moved.sort_by(|a, b| a.module.cmp(&b.module));
    out.removed.sort_by(|a, b| a.module.cmp(&b.module));
    let mut diags = out.diags;
    diags.sort_by(|a, b| a.pos().cmp(&b.pos()).then(a.severity.cmp(&b.severity)));
    diags.dedup();
    let config = Config {
        root_dir: dir.to_path_buf(),
        workspace,
        instances: out.instances,
        module_instances: out.module_instances,
        unknown_expansions: out.unknown,
        providers: out.providers,
        moved: out.moved,
        removed: out.removed,
        imports: out.imports,
        other_blocks: out.other_blocks,
        sensitive_variables: root
            .variables
            .values()
            .filter(|d| d.sensitive)
            .map(|d| d.name.clone())
            .collect(),
        variables,
        outputs: Value::Object(out.outputs),
        sensitive_outputs: out.sensitive_outputs,
        backend: root.backend.as_ref().map(|b| Backend {
            kind: b.kind.clone(),
            settings: b.settings.clone(),
            pos: b.snippet.pos.clone(),
        }),
        cloud: root.cloud.as_ref().map(|s| s.pos.clone()),
    };
    Ok((config, diags))
}
