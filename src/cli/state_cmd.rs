//! `tfrecon state list` and `tfrecon state workspaces`.

use std::io::Write;

use anyhow::{bail, Context};
use clap::{Subcommand, ValueEnum};
use owo_colors::OwoColorize;
use serde_json::json;

use super::{Outcome, RunContext};
use crate::backend::source::{open_sources, OpenedSource};
use crate::backend::{LockStatus, StateStore};
use crate::state::survey::{self, Loaded, WorkspaceStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// List every resource instance in the selected workspace's state, exactly as
    /// `terraform state list` prints them.
    #[command(after_help = "Examples:\n  \
        tfrecon state list -C infra/\n  \
        tfrecon state list --state s3://my-tf-state/app/terraform.tfstate --backend-config region=eu-west-1\n  \
        terraform state pull | tfrecon state list --state -\n\n\
        Exit codes: 0 listed, 1 error, 3 part of the state could not be read (the rest is listed).")]
    List {
        /// Output format: one address a line, or JSON.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show every workspace in the backend: serial, Terraform version, resource instances, last
    /// modified time and lock; the selected one is marked. Says so plainly when the selected
    /// workspace is empty while another workspace or key holds resources.
    #[command(after_help = "Examples:\n  \
        tfrecon state workspaces -C examples/gcp-data-platform\n  \
        tfrecon state workspaces --state gs://my-tf-state/terraform/state --format json\n  \
        TF_WORKSPACE=dev tfrecon state workspaces")]
    Workspaces {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

pub async fn run(cmd: StateCommand, ctx: &mut RunContext) -> anyhow::Result<Outcome> {
    let request = ctx.source_request();
    let mut sources = open_sources(&request).await?;
    if sources.len() != 1 {
        bail!(
            "`tfrecon state` reads one state source at a time; {} were given with --state",
            sources.len()
        );
    }
    let source = sources.remove(0);
    if let Some(resolved) = &source.resolved {
        for w in &resolved.warnings {
            eprintln!("warning: {w}");
        }
    }
    match cmd {
        StateCommand::List { format } => list(&source, format, ctx).await,
        StateCommand::Workspaces { format } => workspaces(&source, format, ctx).await,
    }
}

async fn list(
    source: &OpenedSource,
    format: Format,
    ctx: &mut RunContext,
) -> anyhow::Result<Outcome> {
    let loaded = survey::load(&source.backend, &source.workspace)
        .await
        .with_context(|| {
            format!(
                "reading workspace {:?} from {}",
                source.workspace,
                source.backend.describe()
            )
        })?;
    let mut outcome = Outcome::Success;
    let addresses = match &loaded {
        Loaded::Present { parsed, .. } => {
            for d in &parsed.diagnostics {
                eprintln!("warning: {d}");
            }
            if !parsed.diagnostics.is_empty() {
                outcome = Outcome::Incomplete;
            }
            parsed.state.instance_addresses()
        }
        Loaded::Missing | Loaded::Empty { .. } => Vec::new(),
    };
    match format {
        Format::Text => {
            for a in &addresses {
                writeln!(ctx.out, "{a}")?;
            }
        }
        Format::Json => {
            let doc = json!({
                "backend": source.backend.describe(),
                "workspace": source.workspace,
                "resources": addresses.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut ctx.out, &doc)?;
            writeln!(ctx.out)?;
        }
    }
    if addresses.is_empty() {
        let what = match &loaded {
            Loaded::Missing => format!("has no state in {}", source.backend.describe()),
            Loaded::Empty { location } => format!("has an empty state file ({location})"),
            Loaded::Present { object, .. } => format!("records no resources ({})", object.location),
        };
        eprintln!("note: workspace {:?} {what}", source.workspace);
        // Say where the state is, if it is somewhere else in the same backend.
        if let Ok(s) = survey::survey(&source.backend, &source.workspace).await {
            for w in s
                .warnings
                .iter()
                .filter(|w| w.starts_with("the selected workspace"))
            {
                eprintln!("warning: {w}");
            }
        }
    }
    Ok(outcome)
}

fn lock_text(lock: &LockStatus) -> String {
    match lock {
        LockStatus::Unlocked => "no".into(),
        LockStatus::Locked(info) if !info.who.is_empty() => format!("yes ({})", info.who),
        LockStatus::Locked(_) => "yes".into(),
        LockStatus::Unknown(_) => "unknown".into(),
    }
}

fn rfc3339(t: &Option<time::OffsetDateTime>) -> Option<String> {
    t.and_then(|t| {
        t.to_offset(time::UtcOffset::UTC)
            .replace_nanosecond(0)
            .ok()?
            .format(&time::format_description::well_known::Rfc3339)
            .ok()
    })
}

async fn workspaces(
    source: &OpenedSource,
    format: Format,
    ctx: &mut RunContext,
) -> anyhow::Result<Outcome> {
    let s = survey::survey(&source.backend, &source.workspace)
        .await
        .with_context(|| format!("listing the workspaces of {}", source.backend.describe()))?;
    let incomplete = s
        .workspaces
        .iter()
        .any(|w| matches!(w.status, WorkspaceStatus::Unreadable(_)) || w.diagnostics > 0);
    match format {
        Format::Json => {
            let doc = json!({
                "backend": s.backend,
                "backend_type": source.backend.kind(),
                "selected": s.selected,
                "selected_by": source.workspace_origin,
                "workspaces": s.workspaces.iter().map(|w| json!({
                    "name": w.name,
                    "status": match &w.status {
                        WorkspaceStatus::Present => "present",
                        WorkspaceStatus::Missing => "missing",
                        WorkspaceStatus::Empty => "empty",
                        WorkspaceStatus::Unreadable(_) => "unreadable",
                    },
                    "location": w.location,
                    "serial": w.serial,
                    "terraform_version": w.terraform_version,
                    "resources": w.resources,
                    "last_modified": rfc3339(&w.last_modified),
                    "locked": match &w.lock {
                        LockStatus::Unlocked => json!(false),
                        LockStatus::Locked(_) => json!(true),
                        LockStatus::Unknown(_) => json!(null),
                    },
                    "lock": match &w.lock {
                        LockStatus::Locked(info) => serde_json::to_value(info).unwrap_or_default(),
                        LockStatus::Unknown(why) => json!({"unknown": why}),
                        LockStatus::Unlocked => json!(null),
                    },
                    "error": match &w.status { WorkspaceStatus::Unreadable(e) => json!(e), _ => json!(null) },
                })).collect::<Vec<_>>(),
                "other_states": s.others.iter().map(|o| json!({
                    "location": o.location, "resources": o.resources, "serial": o.serial, "lineage": o.lineage,
                })).collect::<Vec<_>>(),
                "warnings": s.warnings,
            });
            serde_json::to_writer_pretty(&mut ctx.out, &doc)?;
            writeln!(ctx.out)?;
        }
        Format::Text => {
            let color = ctx.out.color();
            writeln!(
                ctx.out,
                "Backend: {} (workspace chosen by {})",
                s.backend, source.workspace_origin
            )?;
            let rows: Vec<[String; 6]> = s
                .workspaces
                .iter()
                .map(|w| {
                    [
                        w.name.clone(),
                        w.serial
                            .map(|n| n.to_string())
                            .unwrap_or_else(|| "-".into()),
                        w.terraform_version.clone().unwrap_or_else(|| "-".into()),
                        match &w.status {
                            WorkspaceStatus::Missing => "no state".into(),
                            WorkspaceStatus::Empty => "empty file".into(),
                            WorkspaceStatus::Unreadable(_) => "unreadable".into(),
                            WorkspaceStatus::Present => w.resources.to_string(),
                        },
                        rfc3339(&w.last_modified).unwrap_or_else(|| "-".into()),
                        lock_text(&w.lock),
                    ]
                })
                .collect();
            let header = [
                "WORKSPACE",
                "SERIAL",
                "TERRAFORM",
                "RESOURCES",
                "LAST MODIFIED",
                "LOCKED",
            ];
            let mut widths = header.map(str::len);
            for r in &rows {
                for (i, c) in r.iter().enumerate() {
                    widths[i] = widths[i].max(c.chars().count());
                }
            }
            let line = |cells: [&str; 6]| {
                format!(
                    "{:<w0$}  {:>w1$}  {:<w2$}  {:>w3$}  {:<w4$}  {}",
                    cells[0],
                    cells[1],
                    cells[2],
                    cells[3],
                    cells[4],
                    cells[5],
                    w0 = widths[0],
                    w1 = widths[1],
                    w2 = widths[2],
                    w3 = widths[3],
                    w4 = widths[4]
                )
            };
            writeln!(ctx.out, "  {}", line(header))?;
            for (w, r) in s.workspaces.iter().zip(&rows) {
                let text = line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]);
                if w.name == s.selected {
                    if color {
                        writeln!(ctx.out, "{} {}", "*".green().bold(), text.bold())?;
                    } else {
                        writeln!(ctx.out, "* {text}")?;
                    }
                } else {
                    writeln!(ctx.out, "  {text}")?;
                }
            }
            for o in &s.others {
                writeln!(
                    ctx.out,
                    "  other state: {} ({} resource instance(s), serial {})",
                    o.location,
                    o.resources,
                    o.serial.unwrap_or(0)
                )?;
            }
            for w in &s.warnings {
                if color {
                    writeln!(ctx.out, "{} {w}", "warning:".yellow().bold())?;
                } else {
                    writeln!(ctx.out, "warning: {w}")?;
                }
            }
        }
    }
    Ok(if incomplete {
        Outcome::Incomplete
    } else {
        Outcome::Success
    })
}
