//! `tfrecon scan` and `tfrecon import`: read state, configuration and the live inventory,
//! reconcile them, and print a report or an import plan.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::ValueEnum;

use super::inventory_cmd::{self, InventorySourceArgs};
use super::{graph_cmd, Outcome, RunContext};
use crate::addr::Mode;
use crate::backend::source::open_sources;
use crate::backend::StateStore;
use crate::config::{self, LoadOptions, VarArg};
use crate::findings::{Kind, Report, SourceError};
use crate::ignore::IgnoreRules;
use crate::inventory::Inventory;
use crate::reconcile::{self, StateInput, StateRead};
use crate::report;
use crate::state::survey::{self, Loaded};

/// What `scan` and `import` share: where the configuration's variables and the live side come
/// from, and which states to read.
#[derive(Debug, Clone, clap::Args)]
pub struct ReconcileArgs {
    #[command(flatten)]
    pub inventory: InventorySourceArgs,

    /// Set a root variable, as `terraform -var`. Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = config::parse_var_arg)]
    pub vars: Vec<VarArg>,

    /// Read root variables from a .tfvars or .tfvars.json file. Repeatable.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,

    /// Read every workspace of the backend: a resource any of them manages is not unmanaged.
    #[arg(long)]
    pub all_workspaces: bool,

    /// Also report resources that cloud services created for themselves as unmanaged.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    Text,
    Json,
    Markdown,
    Sarif,
}

const SCAN_HELP: &str = "\
Exit codes: 0 in sync, 1 error, 2 findings, 3 incomplete (some source could not be read; even with findings).

Examples:
  tfrecon scan -C examples/gcp-data-platform \\
      --inventory examples/gcp-data-platform/inventory/resources.json \\
      --inventory examples/gcp-data-platform/inventory/iam-policies.json
  tfrecon scan -C infra --scope gcp:projects/acme-prod --format sarif > tfrecon.sarif
  tfrecon scan -C infra --scope aws:eu-west-1 --format markdown >> \"$GITHUB_STEP_SUMMARY\"

Without --scope or --inventory, the scopes come from the configuration: the project of each
google provider block and the region of each aws provider block.";

/// Compare state, configuration and the live cloud; report what is out of line.
#[derive(Debug, clap::Args)]
#[command(after_help = SCAN_HELP)]
pub struct ScanArgs {
    #[command(flatten)]
    pub common: ReconcileArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,

    /// Patterns of findings and attribute paths to leave out (default: .tfreconignore in -C).
    #[arg(long, value_name = "FILE")]
    pub ignore_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Blocks,
    Script,
    Json,
}

const IMPORT_HELP: &str = "\
Examples:
  tfrecon import -C examples/gcp-data-platform \\
      --inventory examples/gcp-data-platform/inventory/resources.json \\
      --inventory examples/gcp-data-platform/inventory/iam-policies.json > imports.tf
  tfrecon import -C infra --scope aws --format script --out import.sh
  tfrecon import -C infra --scope gcp:projects/acme --include-unmanaged --out imports.tf
  terraform plan -generate-config-out=generated.tf   # writes resource blocks for unmanaged imports";

/// Write the imports that bring existing resources under the configuration's addresses.
#[derive(Debug, clap::Args)]
#[command(after_help = IMPORT_HELP)]
pub struct ImportArgs {
    #[command(flatten)]
    pub common: ReconcileArgs,

    /// `import {}` blocks (Terraform 1.5+), a bash script of `terraform import`, or JSON.
    #[arg(long, value_enum, default_value_t = ImportFormat::Blocks)]
    pub format: ImportFormat,

    /// Add unmanaged resources too, at suggested addresses.
    #[arg(long)]
    pub include_unmanaged: bool,

    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Overwrite --out if it exists.
    #[arg(long)]
    pub force: bool,
}

async fn run_reconcile(
    args: &ReconcileArgs,
    subcommand: &str,
    include_unmanaged: bool,
    ctx: &mut RunContext,
) -> anyhow::Result<reconcile::Outcome> {
    let dir = ctx.global.chdir.clone();
    // With snapshot files, the inventory request does not depend on the configuration: the
    // files are read on another thread while state is read and evaluated.
    let early = if args.inventory.inventory.is_empty() {
        None
    } else {
        let request = args.inventory.request(&[])?;
        let files = request.files.clone();
        let handle = std::thread::spawn(move || crate::inventory::snapshot::load(&files));
        Some((request, handle))
    };
    let request = ctx.source_request();
    let sources = open_sources(&request).await?;
    let mut states = Vec::new();
    let mut errors: Vec<SourceError> = Vec::new();
    let mut mismatches = Vec::new();
    let mut data_sources = std::collections::HashMap::new();
    let mut workspace = None;
    for source in &sources {
        if let Some(r) = &source.resolved {
            mismatches.extend(r.mismatches.iter().cloned());
        }
        workspace.get_or_insert_with(|| source.workspace.clone());
        let names = if args.all_workspaces {
            source.backend.workspaces().await?
        } else {
            vec![source.workspace.clone()]
        };
        for ws in names {
            let selected = ws == source.workspace;
            let label = if ws == "default" {
                source.backend.describe()
            } else {
                format!("{} (workspace {ws})", source.backend.describe())
            };
            let state = match survey::load(&source.backend, &ws).await {
                Ok(Loaded::Present { parsed, .. }) => {
                    for d in &parsed.diagnostics {
                        errors.push(SourceError {
                            source: label.clone(),
                            reason: d.to_string(),
                        });
                    }
                    StateRead::Present(parsed.state)
                }
                Ok(_) => StateRead::Missing,
                Err(e) => {
                    errors.push(SourceError {
                        source: label.clone(),
                        reason: format!(
                            "{e}; nothing is concluded from this workspace (no resource is called untracked, missing or orphaned, and no import is planned)"
                        ),
                    });
                    StateRead::Unreadable(e.to_string())
                }
            };
            let mut elsewhere = Vec::new();
            let empty = match &state {
                StateRead::Present(s) => s.is_empty(),
                StateRead::Missing => true,
                StateRead::Unreadable(_) => false,
            };
            if selected && empty {
                if let Ok(s) = survey::survey(&source.backend, &ws).await {
                    for w in s
                        .workspaces
                        .iter()
                        .filter(|w| w.name != ws && w.resources > 0)
                    {
                        elsewhere.push(format!(
                            "workspace {:?} holds {} resource instance(s)",
                            w.name, w.resources
                        ));
                    }
                    for o in s.others.iter().filter(|o| o.resources > 0) {
                        elsewhere.push(format!(
                            "{} holds {} resource instance(s)",
                            o.location, o.resources
                        ));
                    }
                }
            }
            if selected {
                if let Some(st) = state.state() {
                    for (addr, _, obj) in st.current_instances() {
                        if addr.resource.mode == Mode::Data {
                            data_sources.insert(addr, obj.attributes_with_secrets());
                        }
                    }
                }
            }
            states.push(StateInput {
                label,
                workspace: ws,
                state,
                elsewhere,
                selected,
            });
        }
    }
    let load = LoadOptions {
        var_args: graph_cmd::ordered_var_args(subcommand, &args.vars, &args.var_files),
        workspace: workspace.clone(),
        data_sources,
        ..LoadOptions::default()
    };
    let progress = ctx.progress;
    // Read on this thread while the configuration is first evaluated on another.
    let get_inventory = || -> anyhow::Result<Inventory> {
        let request = match early {
            Some((mut request, handle)) => {
                request.preloaded = Some(
                    handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                );
                request
            }
            // The configuration's provider blocks name the scopes only when nothing else does.
            None if args.inventory.scope.is_empty() => args
                .inventory
                .request(&inventory_cmd::default_scopes(&dir, &load))?,
            None => args.inventory.request(&[])?,
        };
        let collect = inventory_cmd::collect(request, progress);
        tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(collect))
    };
    let opts = reconcile::Options {
        strict: args.strict,
        include_unmanaged,
    };
    let mut outcome = reconcile::reconcile(&dir, &load, &states, get_inventory, &mismatches, &opts)
        .map_err(|e| match e {
            reconcile::ReconcileError::Config(e) => anyhow::Error::new(e)
                .context(format!("loading the configuration in {}", dir.display())),
            reconcile::ReconcileError::Inventory(e) => e,
        })?;
    outcome.errors.extend(errors);
    Ok(outcome)
}

pub async fn run_scan(args: ScanArgs, ctx: &mut RunContext) -> anyhow::Result<Outcome> {
    let outcome = run_reconcile(&args.common, "scan", false, ctx).await?;
    let rules = IgnoreRules::load(&ctx.global.chdir, args.ignore_file.as_deref())?;
    let filtered = rules.apply(outcome.findings);
    let mut counted: BTreeMap<Kind, usize> = outcome.counted;
    *counted.entry(Kind::InSync).or_default() += filtered.now_in_sync;
    let report = Report::new(
        filtered.findings,
        &counted,
        filtered.ignored,
        outcome.errors,
        Some(outcome.imports.workspace.clone()),
    );
    let color = ctx.out.color();
    match args.format {
        ScanFormat::Text => report::write(&report, report::Format::Text, color, &mut ctx.out)?,
        ScanFormat::Json => report::write(&report, report::Format::Json, false, &mut ctx.out)?,
        ScanFormat::Markdown => {
            report::write(&report, report::Format::Markdown, false, &mut ctx.out)?
        }
        ScanFormat::Sarif => {
            let fallback_file = ["main.tf"]
                .into_iter()
                .find(|f| ctx.global.chdir.join(f).exists())
                .map(str::to_string);
            let opts = report::sarif::SarifOptions { fallback_file };
            report::sarif::write_with(&report, &opts, &mut ctx.out)?
        }
    }
    Ok(if !report.complete {
        Outcome::Incomplete
    } else if report.has_findings() {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}

pub async fn run_import(args: ImportArgs, ctx: &mut RunContext) -> anyhow::Result<Outcome> {
    if let Some(out) = &args.out {
        if out.exists() && !args.force {
            bail!("{} exists: give --force to overwrite it", out.display());
        }
    }
    let outcome = run_reconcile(&args.common, "import", args.include_unmanaged, ctx).await?;
    let format = match args.format {
        ImportFormat::Blocks => report::PlanFormat::Blocks,
        ImportFormat::Script => report::PlanFormat::Script,
        ImportFormat::Json => report::PlanFormat::Json,
    };
    let mut buf = Vec::new();
    report::write_plan(&outcome.imports, format, &mut buf)?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &buf).with_context(|| format!("writing {}", path.display()))?;
            if args.format == ImportFormat::Script {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
                }
            }
        }
        None => ctx.out.write_all(&buf)?,
    }
    for e in &outcome.errors {
        eprintln!("warning: {}: {}", e.source, e.reason);
    }
    let unknowable = outcome.unknowable();
    if unknowable > 0 {
        eprintln!(
            "note: {unknowable} declared instance(s) could not be matched offline (their identity is computed by the provider)"
        );
    }
    let unchecked = outcome
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Unchecked)
        .count();
    if unchecked > 0 {
        eprintln!(
            "warning: {unchecked} resource instance(s) could not be checked against the cloud (`tfrecon scan` lists them)"
        );
    }
    Ok(if outcome.errors.is_empty() && unchecked == 0 {
        Outcome::Success
    } else {
        Outcome::Incomplete
    })
}
