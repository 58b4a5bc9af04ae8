//! `tfrecon scan` and `tfrecon import`: read state, configuration and the live inventory,
//! reconcile them, and print a report or an import plan.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::ValueEnum;

use super::inventory_cmd::{InventorySourceArgs, Progress};
use super::{graph_cmd, Outcome, RunContext};
use crate::config::{self, VarArg};
use crate::findings::{Kind, Report};
use crate::ignore::IgnoreRules;
use crate::reconcile;
use crate::report;
use crate::run::{self, RunConfig};

/// What `scan` and `import` share: where the configuration's variables and the live side come
/// from, and which states to read.
#[derive(Debug, Clone, clap::Args)]
pub struct ReconcileArgs {
    #[command(flatten)]
    pub inventory: InventorySourceArgs,

    /// Set a root variable, as `terraform -var`. Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = config::parse_var_arg)]
    pub vars: Vec<VarArg>,

    /// Read root variables from a .tfvars or .tfvars.json file. Repeatable. A relative path is
    /// relative to the configuration directory (-C), as with `terraform -chdir`.
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
Exit codes: 0 in sync, 1 error, 2 findings, 3 incomplete (a source could not be read or a resource
could not be checked: see the unchecked findings; even with findings).

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

/// The run these options describe.
fn run_config(
    args: &ReconcileArgs,
    subcommand: &str,
    include_unmanaged: bool,
    ctx: &RunContext,
) -> anyhow::Result<RunConfig> {
    let vars = graph_cmd::ordered_var_args(subcommand, &args.vars, &args.var_files);
    let mut rc = RunConfig::new(
        ctx.global.chdir.clone(),
        ctx.source_request(),
        vars,
        args.inventory.live_spec(),
    )?;
    rc.all_workspaces = args.all_workspaces;
    rc.reconcile = reconcile::Options {
        strict: args.strict,
        include_unmanaged,
    };
    Ok(rc)
}

async fn run_reconcile(
    args: &ReconcileArgs,
    subcommand: &str,
    include_unmanaged: bool,
    ctx: &mut RunContext,
) -> anyhow::Result<reconcile::Outcome> {
    let rc = run_config(args, subcommand, include_unmanaged, ctx)?;
    let progress = Progress::new(ctx.progress);
    let outcome = run::reconcile(&rc, &progress).await;
    progress.finish();
    Ok(outcome?)
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
