//! `tfrecon graph`: the configuration's dependency graph of resource, data and module
//! instances, as dot, JSON or mermaid. Loads the configuration, prints; nothing else.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, CommandFactory, ValueEnum};

use super::{Outcome, RunContext};
use crate::config::{self, LoadOptions, Severity, VarArg};
use crate::graph::{Filter, Graph};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Json,
    Mermaid,
}

/// Print the dependency graph of the configuration's resource, data and module instances.
#[derive(Debug, Args)]
#[command(after_help = "\
Edges point from an instance to what it depends on, labelled with the reference that says so.
Addresses are printed exactly as Terraform prints them, sorted. Values that cannot be known
offline (data sources, computed attributes) make the blocks that expand over them unknown:
they are reported on stderr and the exit code is 3.

Examples:
  tfrecon graph -C infra --format dot | dot -Tsvg > graph.svg
  tfrecon graph --format json --type google_storage_bucket
  tfrecon graph --module 'module.functions[\"refresh-gold\"]' --var-file prod.tfvars --var env=prod")]
pub struct GraphArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,

    /// Keep only resources and data sources of this type. Repeatable.
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,

    /// Keep only what is inside this module (`module.a`, or one instance `module.a["x"]`).
    /// Repeatable.
    #[arg(long = "module", value_name = "ADDRESS")]
    pub modules: Vec<String>,

    /// Set a root variable, as `terraform -var`. Repeatable; with --var-file, later wins.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = config::parse_var_arg)]
    pub vars: Vec<VarArg>,

    /// Read root variables from a .tfvars or .tfvars.json file. Repeatable. A relative path is
    /// relative to the configuration directory (-C), as with `terraform -chdir`.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
}

/// `--var` and `--var-file` in the order they were typed: Terraform gives the later one
/// precedence, so the two lists must be merged by position on the command line.
pub fn ordered_var_args(subcommand: &str, vars: &[VarArg], files: &[PathBuf]) -> Vec<VarArg> {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let matches = super::Cli::command().try_get_matches_from(argv).ok();
    let sub = matches
        .as_ref()
        .and_then(|m| m.subcommand_matches(subcommand));
    let positions = |id: &str| -> Vec<usize> {
        sub.and_then(|s| s.indices_of(id))
            .map(|i| i.collect())
            .unwrap_or_default()
    };
    let (vp, fp) = (positions("vars"), positions("var_files"));
    let mut tagged: Vec<(usize, VarArg)> = Vec::new();
    let known = vp.len() == vars.len() && fp.len() == files.len();
    for (i, v) in vars.iter().enumerate() {
        tagged.push((if known { vp[i] } else { usize::MAX / 2 + i }, v.clone()));
    }
    for (i, f) in files.iter().enumerate() {
        tagged.push((if known { fp[i] } else { i }, VarArg::File(f.clone())));
    }
    tagged.sort_by_key(|(p, _)| *p);
    tagged.into_iter().map(|(_, v)| v).collect()
}

pub async fn run(args: GraphArgs, ctx: &mut RunContext) -> anyhow::Result<Outcome> {
    let dir = ctx.global.chdir.clone();
    let opts = LoadOptions {
        var_args: crate::run::resolve_vars(
            &dir,
            ordered_var_args("graph", &args.vars, &args.var_files),
        )?,
        workspace: ctx.global.workspace.clone(),
        ..Default::default()
    };
    let (cfg, diags) = config::load(&dir, &opts)
        .with_context(|| format!("loading the configuration in {}", dir.display()))?;
    let mut stderr = anstream::stderr();
    for d in &diags {
        writeln!(stderr, "{d}")?;
    }
    let graph = Graph::from_config(&cfg).filter(&Filter {
        types: args.types,
        modules: args.modules,
    });
    if let Err(e) = graph.topological_order() {
        writeln!(stderr, "warning: {e}")?;
    }
    match args.format {
        GraphFormat::Json => graph.write_json(&dir, &mut ctx.out)?,
        GraphFormat::Dot => ctx.out.write_all(graph.to_dot().as_bytes())?,
        GraphFormat::Mermaid => ctx.out.write_all(graph.to_mermaid().as_bytes())?,
    }
    for u in &cfg.unknown_expansions {
        writeln!(
            stderr,
            "warning: the instances of {} are unknown: {}",
            u.address, u.reason
        )?;
    }
    let incomplete = !cfg.unknown_expansions.is_empty()
        || cfg.module_instances.iter().any(|m| !m.installed)
        || diags.iter().any(|d| d.severity == Severity::Error);
    // The process ends right after: freeing a large configuration value by value would only
    // add time.
    std::mem::forget(graph);
    std::mem::forget(cfg);
    Ok(if incomplete {
        Outcome::Incomplete
    } else {
        Outcome::Success
    })
}
