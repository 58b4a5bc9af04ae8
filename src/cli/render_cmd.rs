//! `tfrecon render`: a saved JSON report or import plan written in another format, so one scan
//! in CI can feed a terminal log, a pull-request comment, a SARIF upload and an import script.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use serde_json::Value;

use super::{Outcome, RunContext};
use crate::findings::{ImportPlan, Kind, Report, REPORT_FORMAT_VERSION};
use crate::ignore::IgnoreRules;
use crate::report::{self, Format, PlanFormat};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// A report for a terminal.
    Text,
    /// A report or a plan as JSON (after the ignore file, if any).
    Json,
    /// A report for a pull-request comment or $GITHUB_STEP_SUMMARY.
    Markdown,
    /// A report as SARIF 2.1.0 for code scanning.
    Sarif,
    /// An import plan as Terraform 1.5+ `import {}` blocks.
    Blocks,
    /// An import plan as a bash script of `terraform import` commands.
    Script,
}

const AFTER_HELP: &str = "\
The input is a report (`tfrecon scan --format json`) or an import plan (`tfrecon import --format json`);
which one is detected from its content. `-` reads standard input.

Exit codes for a report: 0 nothing found, 2 findings, 3 the report is incomplete (a source could not
be read), 1 error. A plan always exits 0.

Examples:
  tfrecon render --format markdown report.json >> \"$GITHUB_STEP_SUMMARY\"
  tfrecon render --format sarif report.json > tfrecon.sarif
  tfrecon render --format text --ignore-file ci/.tfreconignore report.json
  tfrecon render --format blocks plan.json > imports.tf";

/// Write a saved JSON report or import plan in another format.
#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct RenderArgs {
    /// The JSON report or import plan; `-` for standard input.
    #[arg(value_name = "FILE")]
    pub input: PathBuf,

    /// The output format. text, markdown and sarif take a report; blocks and script take a plan;
    /// json takes either.
    #[arg(long, value_enum, default_value_t = RenderFormat::Text)]
    pub format: RenderFormat,

    /// Drop findings and attribute changes matched by this ignore file (see .tfreconignore).
    /// Reports only.
    #[arg(long, value_name = "PATH")]
    pub ignore_file: Option<PathBuf>,

    /// SARIF: the file (relative to the configuration directory) that findings without a
    /// declaration point to, since GitHub code scanning rejects results without a file.
    /// Default: main.tf, else the first .tf file of the configuration directory (-C).
    #[arg(long, value_name = "FILE")]
    pub sarif_fallback_file: Option<String>,
}

pub async fn run(args: RenderArgs, ctx: &mut RunContext) -> anyhow::Result<Outcome> {
    let text = if args.input.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read the report from standard input")?;
        s
    } else {
        std::fs::read_to_string(&args.input)
            .with_context(|| format!("cannot read {}", args.input.display()))?
    };
    let doc: Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not JSON: expected a tfrecon report or import plan",
            args.input.display()
        )
    })?;
    let name = args.input.display().to_string();
    if doc.get("imports").is_some() && doc.get("workspace").is_some() {
        let plan: ImportPlan = serde_json::from_value(doc)
            .with_context(|| format!("{name} is not a valid tfrecon import plan"))?;
        if args.ignore_file.is_some() {
            bail!("--ignore-file applies to reports, and {name} is an import plan");
        }
        let format = match args.format {
            RenderFormat::Blocks => PlanFormat::Blocks,
            RenderFormat::Script => PlanFormat::Script,
            RenderFormat::Json => PlanFormat::Json,
            other => bail!(
                "{name} is an import plan: render it as blocks, script or json, not {}",
                other
                    .to_possible_value()
                    .map(|v| v.get_name().to_string())
                    .unwrap_or_default()
            ),
        };
        report::write_plan(&plan, format, &mut ctx.out)?;
        return Ok(Outcome::Success);
    }
    if doc.get("findings").is_none() {
        bail!(
            "{name} is neither a tfrecon report (no `findings`) nor an import plan (no `imports`)"
        );
    }
    let version = doc.get("version").and_then(Value::as_u64).unwrap_or(0);
    if version != u64::from(REPORT_FORMAT_VERSION) {
        bail!(
            "{name} is a version {version} report; this tfrecon reads version {REPORT_FORMAT_VERSION}"
        );
    }
    let mut rep: Report = serde_json::from_value(doc)
        .with_context(|| format!("{name} is not a valid tfrecon report"))?;
    if let Some(path) = &args.ignore_file {
        let rules = IgnoreRules::load(std::path::Path::new("."), Some(path))?;
        rep = apply_ignore(rep, &rules);
    }
    let format = match args.format {
        RenderFormat::Text => Format::Text,
        RenderFormat::Json => Format::Json,
        RenderFormat::Markdown => Format::Markdown,
        RenderFormat::Sarif => Format::Sarif,
        RenderFormat::Blocks | RenderFormat::Script => bail!(
            "{name} is a report: blocks and script are made from an import plan (`tfrecon import --format json`)"
        ),
    };
    let color = ctx.out.color();
    if format == Format::Sarif {
        let fallback_file = args
            .sarif_fallback_file
            .clone()
            .or_else(|| first_tf_file(&ctx.global.chdir));
        let opts = report::sarif::SarifOptions { fallback_file };
        report::sarif::write_with(&rep, &opts, &mut ctx.out)?;
    } else {
        report::write(&rep, format, color, &mut ctx.out)?;
    }
    Ok(if !rep.complete {
        Outcome::Incomplete
    } else if rep.has_findings() {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}

/// `main.tf` if the configuration has one, else its first `.tf` file by name.
fn first_tf_file(dir: &std::path::Path) -> Option<String> {
    if dir.join("main.tf").is_file() {
        return Some("main.tf".into());
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".tf"))
        .collect();
    names.sort();
    names.into_iter().next()
}

/// The report as if the ignore rules had applied during the scan: counts rebuilt, drifts left
/// without changes counted in sync.
fn apply_ignore(rep: Report, rules: &IgnoreRules) -> Report {
    let get = |k: &str| rep.summary.get(k).copied().unwrap_or(0);
    let filtered = rules.apply(rep.findings.clone());
    let counted = BTreeMap::from([
        (
            Kind::InSync,
            get(Kind::InSync.as_str()) + filtered.now_in_sync,
        ),
        (Kind::Pending, get(Kind::Pending.as_str())),
    ]);
    Report::new(
        filtered.findings,
        &counted,
        get("ignored") + filtered.ignored,
        rep.errors,
        rep.workspace,
    )
}
