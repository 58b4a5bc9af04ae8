//! One run of `scan`, `import` or `inventory`, from a [`RunConfig`] to a result: the states
//! are read, the configuration is evaluated, the live side is listed, and the three are
//! reconciled. The command line builds the [`RunConfig`]; nothing here knows clap or prints.
//!
//! [`RunConfig::new`] is the one place that resolves the run's paths and variables: a
//! relative `--var-file` is read from the configuration directory, as `terraform -chdir`
//! reads it (so `scan`, `import` and `graph` agree), and a snapshot directory stands for the
//! snapshot files in it.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value as Json;

use crate::addr::{Mode, ResourceInstance};
use crate::backend::settings::Mismatch;
use crate::backend::source::{open_sources, SourceRequest};
use crate::backend::StateStore;
use crate::config::{self, LoadOptions, Value, VarArg};
use crate::findings::SourceError;
use crate::inventory::gcp::client::{RetryPolicy, DEFAULT_REQUESTS_PER_MINUTE};
use crate::inventory::gcp::{GcpOptions, GcpScope};
use crate::inventory::{self, Inventory, InventoryRequest, ProgressSink};
use crate::reconcile::{self, Damage, StateInput, StateRead};
use crate::state::survey::{self, Loaded};

/// Everything a run needs, as real values.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The configuration directory (`-C`).
    pub dir: PathBuf,
    /// Where state is read from.
    pub sources: SourceRequest,
    /// `--var` and `--var-file` in command-line order (later wins), files resolved.
    pub vars: Vec<VarArg>,
    /// Read every workspace of each backend.
    pub all_workspaces: bool,
    pub live: LiveSpec,
    pub reconcile: reconcile::Options,
}

/// Where the live side comes from, and how hard to push the APIs.
#[derive(Debug, Clone)]
pub struct LiveSpec {
    /// `--scope` as given: `gcp:projects/ID`, `gcp:folders/N`, `aws`, `aws:REGION,...`.
    pub scopes: Vec<String>,
    /// Snapshot files, directories already expanded.
    pub files: Vec<PathBuf>,
    pub all_types: bool,
    /// Cloud Asset Inventory endpoint, when not the production one.
    pub gcp_endpoint: Option<String>,
    pub gcp_requests_per_minute: u32,
    /// Listings run at the same time.
    pub concurrency: usize,
    /// How long one request may keep retrying throttling and server errors.
    pub retry_budget: Duration,
}

impl Default for LiveSpec {
    fn default() -> Self {
        LiveSpec {
            scopes: Vec::new(),
            files: Vec::new(),
            all_types: false,
            gcp_endpoint: None,
            gcp_requests_per_minute: DEFAULT_REQUESTS_PER_MINUTE,
            concurrency: 8,
            retry_budget: RetryPolicy::default().budget,
        }
    }
}

impl LiveSpec {
    fn gcp_options(&self) -> GcpOptions {
        let mut gcp = GcpOptions::from_env();
        if let Some(e) = &self.gcp_endpoint {
            gcp.endpoint = e.clone();
        }
        gcp.requests_per_minute = self.gcp_requests_per_minute;
        gcp.concurrency = self.concurrency;
        gcp.retry = RetryPolicy {
            budget: self.retry_budget,
            ..RetryPolicy::default()
        };
        gcp
    }
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("reading --var-file {path}: {reason} (a relative --var-file is read from the configuration directory {dir}, as `terraform -chdir` reads it)")]
    VarFile {
        path: PathBuf,
        dir: PathBuf,
        reason: String,
    },
    #[error("reading {path}: {source}")]
    SnapshotDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} holds no .json or .ndjson snapshot files")]
    EmptySnapshotDir(PathBuf),
    #[error("nothing to list: give --scope gcp:projects/PROJECT_ID or --scope aws:REGION (repeatable), or --inventory FILE")]
    NothingToList,
    #[error("{0}")]
    Scope(String),
    #[error(transparent)]
    Sources(#[from] crate::backend::source::SourceError),
    #[error("listing the workspaces of {backend}: {source}")]
    Workspaces {
        backend: String,
        source: crate::backend::BackendError,
    },
    #[error("loading the configuration in {dir}: {source}")]
    Config {
        dir: PathBuf,
        source: Box<config::LoadError>,
    },
    #[error("listing the inventory: {0}")]
    Inventory(#[from] inventory::CollectError),
}

impl RunConfig {
    /// Resolves what the command line gave: `vars` relative to `dir`, snapshot directories
    /// into their files.
    pub fn new(
        dir: PathBuf,
        sources: SourceRequest,
        vars: Vec<VarArg>,
        live: LiveSpec,
    ) -> Result<RunConfig, RunError> {
        let vars = resolve_vars(&dir, vars)?;
        let mut files = Vec::new();
        for f in live.files {
            if f.is_dir() {
                let read = std::fs::read_dir(&f).map_err(|source| RunError::SnapshotDir {
                    path: f.clone(),
                    source,
                })?;
                let mut inside: Vec<PathBuf> = read
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "ndjson"))
                    .collect();
                inside.sort();
                if inside.is_empty() {
                    return Err(RunError::EmptySnapshotDir(f));
                }
                files.extend(inside);
            } else {
                files.push(f);
            }
        }
        Ok(RunConfig {
            dir,
            sources,
            vars,
            all_workspaces: false,
            live: LiveSpec { files, ..live },
            reconcile: reconcile::Options::default(),
        })
    }

    /// The configuration's load options, with the workspace and the data sources read from
    /// state when there are some.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            var_args: self.vars.clone(),
            ..LoadOptions::default()
        }
    }

    /// The inventory request; `default_scopes` apply when neither a scope nor a snapshot was
    /// given.
    pub fn inventory_request(
        &self,
        default_scopes: &[String],
    ) -> Result<InventoryRequest, RunError> {
        let live = &self.live;
        let scopes: &[String] = if live.scopes.is_empty() && live.files.is_empty() {
            default_scopes
        } else {
            &live.scopes
        };
        if scopes.is_empty() && live.files.is_empty() {
            return Err(RunError::NothingToList);
        }
        let mut gcp_scopes = Vec::new();
        let mut aws_scopes = Vec::new();
        for s in scopes {
            if s == "aws" || s.starts_with("aws:") {
                aws_scopes.push(s.clone());
            } else {
                gcp_scopes.push(
                    s.parse::<GcpScope>()
                        .map_err(|e| RunError::Scope(e.to_string()))?,
                );
            }
        }
        gcp_scopes.sort();
        gcp_scopes.dedup();
        Ok(InventoryRequest {
            gcp_scopes,
            aws_scopes,
            files: live.files.clone(),
            all_types: live.all_types,
            gcp: live.gcp_options(),
            preloaded: None,
        })
    }
}

/// `--var-file` paths read from the configuration directory, as `terraform -chdir` reads
/// them; a file that is not there is an error now, naming where it was looked for.
pub fn resolve_vars(dir: &Path, vars: Vec<VarArg>) -> Result<Vec<VarArg>, RunError> {
    vars.into_iter()
        .map(|v| match v {
            VarArg::File(f) => {
                let path = if f.is_absolute() { f } else { dir.join(f) };
                let reason = match std::fs::metadata(&path) {
                    Ok(m) if m.is_file() => return Ok(VarArg::File(path)),
                    Ok(_) => "not a regular file".to_string(),
                    Err(e) => e.to_string(),
                };
                Err(RunError::VarFile {
                    path,
                    dir: dir.to_path_buf(),
                    reason,
                })
            }
            other => Ok(other),
        })
        .collect()
}

/// The default scopes: the project of every google provider and the region of every aws one
/// that the configuration declares.
pub fn default_scopes(dir: &Path, load: &LoadOptions) -> Vec<String> {
    let Ok((cfg, _)) = config::load(dir, load) else {
        return Vec::new();
    };
    let mut scopes = BTreeSet::new();
    for p in cfg.providers.values() {
        let attr = |k: &str| match &p.attributes {
            Value::Object(m) | Value::Partial(m) => match m.get(k) {
                Some(Value::String(s)) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        };
        if p.addr.fqn.ends_with("/google") || p.addr.fqn.ends_with("/google-beta") {
            if let Some(project) = attr("project") {
                scopes.insert(format!("gcp:projects/{project}"));
            }
        } else if p.addr.fqn.ends_with("/aws") {
            scopes.insert(match attr("region") {
                Some(r) => format!("aws:{r}"),
                None => "aws".into(),
            });
        }
    }
    scopes.into_iter().collect()
}

/// Lists the live side of a run.
pub async fn inventory(rc: &RunConfig, progress: &dyn ProgressSink) -> Result<Inventory, RunError> {
    let scopes = default_scopes(&rc.dir, &rc.load_options());
    let request = rc.inventory_request(&scopes)?;
    Ok(inventory::collect(request, progress).await?)
}

/// The states of a run, as read.
pub struct States {
    pub inputs: Vec<StateInput>,
    /// Diagnostics of the states read, and the states that could not be read.
    pub errors: Vec<SourceError>,
    pub mismatches: Vec<Mismatch>,
    /// Data sources of the selected state, for the configuration to read.
    pub data_sources: HashMap<ResourceInstance, Json>,
    /// The selected workspace.
    pub workspace: Option<String>,
}

/// Reads the selected workspace of every state source (every workspace with
/// `all_workspaces`). A state that could not be read is [`StateRead::Unreadable`] and an
/// error of the run, never an empty state.
pub async fn read_states(rc: &RunConfig) -> Result<States, RunError> {
    let sources = open_sources(&rc.sources).await?;
    let mut out = States {
        inputs: Vec::new(),
        errors: Vec::new(),
        mismatches: Vec::new(),
        data_sources: HashMap::new(),
        workspace: None,
    };
    for source in &sources {
        if let Some(r) = &source.resolved {
            out.mismatches.extend(r.mismatches.iter().cloned());
        }
        out.workspace
            .get_or_insert_with(|| source.workspace.clone());
        let names = if rc.all_workspaces {
            let listed =
                source
                    .backend
                    .workspace_list()
                    .await
                    .map_err(|e| RunError::Workspaces {
                        backend: source.backend.describe(),
                        source: e,
                    })?;
            // Objects whose names Terraform would refuse as workspaces are not read: the run
            // says so, and is incomplete.
            out.errors
                .extend(listed.diagnostics().into_iter().map(|reason| SourceError {
                    source: source.backend.describe(),
                    reason,
                }));
            listed.names
        } else {
            vec![source.workspace.clone()]
        };
        for ws in names {
            let selected = ws == source.workspace;
            let input = read_workspace(source, &ws, selected, &mut out).await;
            out.inputs.push(input);
        }
    }
    Ok(out)
}

async fn read_workspace(
    source: &crate::backend::source::OpenedSource,
    ws: &str,
    selected: bool,
    out: &mut States,
) -> StateInput {
    let label = if ws == "default" {
        source.backend.describe()
    } else {
        format!("{} (workspace {ws})", source.backend.describe())
    };
    let mut damage = Damage::None;
    let state = match survey::load(&source.backend, ws).await {
        Ok(Loaded::Present { parsed, .. }) => {
            damage = Damage::from_diagnostics(&parsed.diagnostics);
            out.errors
                .extend(parsed.diagnostics.iter().map(|d| SourceError {
                    source: label.clone(),
                    reason: d.to_string(),
                }));
            StateRead::Present(parsed.state)
        }
        Ok(Loaded::Missing | Loaded::Empty { .. }) => StateRead::Missing,
        Err(e) => {
            out.errors.push(SourceError {
                source: label.clone(),
                reason: format!(
                    "{e}; nothing is concluded from this workspace (no resource is called untracked, missing or orphaned, and no import is planned)"
                ),
            });
            StateRead::Unreadable(e.to_string())
        }
    };
    let empty = match &state {
        StateRead::Present(s) => s.is_empty(),
        StateRead::Missing => true,
        StateRead::Unreadable(_) => false,
    };
    let elsewhere = if selected && empty {
        elsewhere(source, ws).await
    } else {
        Vec::new()
    };
    if selected {
        if let Some(st) = state.state() {
            for (addr, _, obj) in st.current_instances() {
                if addr.resource.mode == Mode::Data {
                    out.data_sources.insert(addr, obj.attributes_with_secrets());
                }
            }
        }
    }
    StateInput {
        label,
        workspace: ws.to_string(),
        state,
        elsewhere,
        selected,
        damage,
    }
}

/// Other workspaces and keys of the backend that hold resources.
async fn elsewhere(source: &crate::backend::source::OpenedSource, ws: &str) -> Vec<String> {
    let Ok(s) = survey::survey(&source.backend, ws).await else {
        return Vec::new();
    };
    let workspaces = s
        .workspaces
        .iter()
        .filter(|w| w.name != ws && w.resources > 0)
        .map(|w| {
            format!(
                "workspace {:?} holds {} resource instance(s)",
                w.name, w.resources
            )
        });
    let others = s
        .others
        .iter()
        .filter(|o| o.resources > 0)
        .map(|o| format!("{} holds {} resource instance(s)", o.location, o.resources));
    workspaces.chain(others).collect()
}

/// Reads the states, evaluates the configuration and lists the live side (on this thread,
/// while the configuration is first evaluated on another), then reconciles them.
pub async fn reconcile(
    rc: &RunConfig,
    progress: &dyn ProgressSink,
) -> Result<reconcile::Outcome, RunError> {
    // Snapshot files do not depend on the configuration: they are read on another thread
    // while the states are read.
    let early = (!rc.live.files.is_empty()).then(|| {
        let files = rc.live.files.clone();
        std::thread::spawn(move || inventory::snapshot::load(&files))
    });
    let states = read_states(rc).await?;
    let load = LoadOptions {
        workspace: states.workspace.clone(),
        data_sources: states.data_sources,
        ..rc.load_options()
    };
    let get_inventory = || -> Result<Inventory, RunError> {
        let mut request = match &early {
            Some(_) => rc.inventory_request(&[])?,
            // The configuration's provider blocks name the scopes only when nothing else does.
            None if rc.live.scopes.is_empty() => {
                rc.inventory_request(&default_scopes(&rc.dir, &load))?
            }
            None => rc.inventory_request(&[])?,
        };
        request.preloaded = early.map(|handle| {
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        let collect = inventory::collect(request, progress);
        let inv =
            tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(collect))?;
        Ok(inv)
    };
    let mut outcome = reconcile::reconcile(
        &rc.dir,
        &load,
        &states.inputs,
        get_inventory,
        &states.mismatches,
        &rc.reconcile,
    )
    .map_err(|e| match e {
        reconcile::ReconcileError::Config(source) => RunError::Config {
            dir: rc.dir.clone(),
            source: Box::new(source),
        },
        reconcile::ReconcileError::Inventory(e) => e,
    })?;
    outcome.errors.extend(states.errors);
    Ok(outcome)
}
