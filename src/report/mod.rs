//! Report emitters: a [`Report`] as text, JSON, Markdown or SARIF, and an [`ImportPlan`] as
//! import blocks, a script or JSON. Emitters see only findings and plans (already redacted by
//! `diff`); they decide nothing and read nothing else.

mod common;
pub mod markdown;
pub mod plan;
pub mod sarif;
pub mod text;

use std::io::{self, Write};

use crate::findings::{ImportPlan, Report};

pub use common::{summary_line, verdict};
pub use plan::shell_quote;

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a terminal: grouped by kind, optionally coloured.
    Text,
    /// The [`Report`] itself, for programs.
    Json,
    /// For a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
}

/// How an import plan is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFormat {
    /// Terraform 1.5+ `import {}` blocks.
    Blocks,
    /// A bash script of `terraform import` commands.
    Script,
    /// The [`ImportPlan`] itself.
    Json,
}

/// Writes `report` in `format`; `color` only matters for text.
pub fn write(report: &Report, format: Format, color: bool, w: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => text::write(report, color, w),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, report)?;
            writeln!(w)
        }
        Format::Markdown => markdown::write(report, w),
        Format::Sarif => sarif::write(report, w),
    }
}

/// Writes `plan` in `format`.
pub fn write_plan(plan: &ImportPlan, format: PlanFormat, w: &mut dyn Write) -> io::Result<()> {
    plan::write(plan, format, w)
}
