//! `tfrecon inventory`: list what exists live (Cloud Asset Inventory, snapshot files) and print
//! it as a table or as the JSON document other runs can read back with `--inventory`.

use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use clap::ValueEnum;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Outcome, RunContext};
use crate::inventory::gcp::client::DEFAULT_REQUESTS_PER_MINUTE;
use crate::inventory::snapshot::Document;
use crate::inventory::{self, Inventory, ProgressEvent, ProgressSink};
use crate::run::{self, LiveSpec, RunConfig};

const EXAMPLES: &str = "\
Exit codes: 0 everything was read, 1 error, 3 incomplete (a scope or type could not be read).

Without --scope or --inventory, the scopes are the project of each google provider block and the
region of each aws provider block of the configuration in -C.

Examples:
  tfrecon inventory --scope gcp:projects/acme-prod
  tfrecon inventory --scope gcp:folders/123456789 --format json > live.json
  tfrecon inventory --inventory live.json --inventory iam.json
  gcloud asset list --project acme-prod --content-type=resource --format=json > assets.json
  tfrecon inventory --inventory assets.json

Credentials: GOOGLE_OAUTH_ACCESS_TOKEN when set, else application default credentials
(gcloud auth application-default login). The caller needs cloudasset.assets.listResource and
cloudasset.assets.listIamPolicy (roles/cloudasset.viewer) on each scope.";

/// List the live resources of Google Cloud scopes or snapshot files.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct InventoryArgs {
    #[command(flatten)]
    pub source: InventorySourceArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text, value_name = "FORMAT")]
    pub format: Format,
}

/// Where the live inventory comes from; shared by `inventory`, `scan` and `import`.
#[derive(Debug, Clone, clap::Args)]
pub struct InventorySourceArgs {
    /// Where to list: gcp:projects/PROJECT_ID, gcp:folders/NUMBER or gcp:organizations/NUMBER,
    /// aws or aws:REGION[,REGION...]. Repeatable.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scope: Vec<String>,

    /// Read a snapshot instead of (or as well as) listing: gcloud asset list / search-all-resources
    /// JSON, gcloud asset export NDJSON, or `tfrecon inventory --format json`; a directory
    /// reads every .json and .ndjson file in it. Repeatable.
    #[arg(long = "inventory", value_name = "FILE|DIR")]
    pub inventory: Vec<PathBuf>,

    /// List every asset type, not only those the catalog maps to Terraform types.
    #[arg(long)]
    pub all_types: bool,

    /// Cloud Asset Inventory endpoint (for emulators and tests).
    #[arg(
        long,
        env = "TFRECON_CLOUDASSET_ENDPOINT",
        value_name = "URL",
        hide_env_values = true
    )]
    pub gcp_endpoint: Option<String>,

    /// Client-side limit on assets.list calls per minute (the API's quota is 100 per project).
    #[arg(long, default_value_t = DEFAULT_REQUESTS_PER_MINUTE, value_name = "N")]
    pub gcp_requests_per_minute: u32,

    /// Listings run at the same time.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub concurrency: usize,

    /// How long one request may keep retrying throttling and server errors.
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    pub retry_budget: u64,
}

impl InventorySourceArgs {
    /// The live side these options describe.
    pub fn live_spec(&self) -> LiveSpec {
        LiveSpec {
            scopes: self.scope.clone(),
            files: self.inventory.clone(),
            all_types: self.all_types,
            gcp_endpoint: self.gcp_endpoint.clone(),
            gcp_requests_per_minute: self.gcp_requests_per_minute,
            concurrency: self.concurrency,
            retry_budget: Duration::from_secs(self.retry_budget),
        }
    }
}

/// Progress bars on stderr when allowed and stderr is a terminal; nothing otherwise.
pub enum Progress {
    Bars(Bars),
    Silent,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        if enabled && std::io::stderr().is_terminal() {
            Progress::Bars(Bars::new())
        } else {
            Progress::Silent
        }
    }

    pub fn finish(&self) {
        if let Progress::Bars(b) = self {
            b.finish();
        }
    }
}

impl ProgressSink for Progress {
    fn event(&self, event: ProgressEvent) {
        if let Progress::Bars(b) = self {
            b.event(event);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub async fn run(args: InventoryArgs, ctx: &mut RunContext) -> anyhow::Result<Outcome> {
    let rc = RunConfig::new(
        ctx.global.chdir.clone(),
        ctx.source_request(),
        Vec::new(),
        args.source.live_spec(),
    )?;
    let progress = Progress::new(ctx.progress && args.format == Format::Text);
    let inventory = run::inventory(&rc, &progress).await;
    progress.finish();
    let mut inventory = inventory?;
    crate::diff::redact_live_secrets(&mut inventory.resources);
    let complete = inventory.complete();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut ctx.out, &Document::new(inventory))?;
            writeln!(ctx.out)?;
        }
        Format::Text => print_text(inventory, ctx)?,
    }
    Ok(if complete {
        Outcome::Success
    } else {
        Outcome::Incomplete
    })
}

fn print_text(mut inventory: Inventory, ctx: &mut RunContext) -> anyhow::Result<()> {
    inventory.sort();
    let out = &mut ctx.out;
    let type_of = |r: &inventory::LiveResource| {
        r.tf_type
            .clone()
            .unwrap_or_else(|| format!("({})", r.native_type))
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in &inventory.resources {
        *counts.entry(type_of(r)).or_default() += 1;
    }
    let width = counts.keys().map(String::len).max().unwrap_or(4).max(4);
    writeln!(out, "{:<width$}  COUNT", "TYPE")?;
    for (t, n) in &counts {
        writeln!(out, "{t:<width$}  {n:>5}")?;
    }
    writeln!(out, "{:<width$}  {:>5}", "total", inventory.resources.len())?;
    if !inventory.resources.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{:<width$}  {:<16}  IMPORT ID (or name)",
            "TYPE", "LOCATION"
        )?;
        for r in &inventory.resources {
            let id = r.import_id.as_deref().unwrap_or(&r.name);
            let loc = r.location.as_deref().unwrap_or("-");
            let flag = if r.service_managed {
                "  [service-managed]"
            } else {
                ""
            };
            writeln!(out, "{:<width$}  {loc:<16}  {id}{flag}", type_of(r))?;
        }
    }
    let mut uncatalogued: BTreeMap<&str, usize> = BTreeMap::new();
    for r in inventory.resources.iter().filter(|r| r.tf_type.is_none()) {
        *uncatalogued.entry(r.native_type.as_str()).or_default() += 1;
    }
    if !uncatalogued.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{} live type(s) with no catalog row (tfrecon does not reconcile them):",
            uncatalogued.len()
        )?;
        for (t, n) in &uncatalogued {
            writeln!(out, "  {t}  {n}")?;
        }
    }
    if !inventory.errors.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Incomplete: {} listing(s) could not be read; resources there are missing from this inventory:",
            inventory.errors.len()
        )?;
        for e in &inventory.errors {
            let what = if e.type_name.is_empty() {
                "(all types)"
            } else {
                &e.type_name
            };
            writeln!(out, "  {}  {}: {}", e.scope, what, e.reason)?;
        }
    }
    Ok(())
}

/// One progress line per source on stderr: types done, resources found, pages, retries.
pub struct Bars {
    multi: MultiProgress,
    state: Mutex<HashMap<String, (ProgressBar, Stats)>>,
}

#[derive(Default)]
struct Stats {
    started: usize,
    done: usize,
    failed: usize,
    resources: usize,
    pages: usize,
    retries: usize,
}

impl Bars {
    fn new() -> Bars {
        Bars {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            state: Mutex::new(HashMap::new()),
        }
    }

    fn finish(&self) {
        if let Ok(state) = self.state.lock() {
            for (bar, _) in state.values() {
                bar.finish_and_clear();
            }
        }
    }
}

impl ProgressSink for Bars {
    fn event(&self, event: ProgressEvent) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let scope = match &event {
            ProgressEvent::TypeStarted { scope, .. }
            | ProgressEvent::Page { scope, .. }
            | ProgressEvent::Retry { scope, .. }
            | ProgressEvent::TypeDone { scope, .. } => scope.clone(),
        };
        let (bar, stats) = state.entry(scope.clone()).or_insert_with(|| {
            let bar = self.multi.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix} {wide_msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(scope);
            bar.enable_steady_tick(Duration::from_millis(120));
            (bar, Stats::default())
        });
        match event {
            ProgressEvent::TypeStarted { .. } => stats.started += 1,
            ProgressEvent::Page { resources, .. } => {
                stats.pages += 1;
                stats.resources += resources;
            }
            ProgressEvent::Retry { .. } => stats.retries += 1,
            ProgressEvent::TypeDone { ok, .. } => {
                stats.done += 1;
                if !ok {
                    stats.failed += 1;
                }
            }
        }
        bar.set_message(format!(
            "types {}/{} ({} failed), {} resources, {} pages, {} retries",
            stats.done, stats.started, stats.failed, stats.resources, stats.pages, stats.retries
        ));
    }
}
