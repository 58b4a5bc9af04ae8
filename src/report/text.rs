//! The terminal report: findings grouped by kind, attribute changes as `~ path: old -> new`
//! or line diffs for documents, errors, and a summary line last where the eye lands.

use std::io::{self, Write};

use owo_colors::{OwoColorize, Style};

use super::common::{
    advice, of_kind, one_line, render_change, subject, summary_line, title, DocLine, Rendered,
    KIND_ORDER,
};
use crate::findings::{Finding, Report, Severity};

struct Paint {
    color: bool,
}

impl Paint {
    fn s(&self, text: &str, style: Style) -> String {
        if self.color {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    }
}

pub fn write(report: &Report, color: bool, w: &mut dyn Write) -> io::Result<()> {
    let p = Paint { color };
    for kind in KIND_ORDER {
        let found = of_kind(report, kind);
        if found.is_empty() {
            continue;
        }
        let heading_style = match kind.severity() {
            Severity::Error => Style::new().red().bold(),
            Severity::Warning => Style::new().yellow().bold(),
            Severity::Note => Style::new().bold(),
        };
        writeln!(
            w,
            "{} {}",
            p.s(&format!("{} ({})", title(kind), found.len()), heading_style),
            p.s(&format!("[{}]", kind.code()), Style::new().dimmed())
        )?;
        writeln!(w, "  {}", p.s(advice(kind), Style::new().dimmed()))?;
        for f in found {
            finding(&p, f, w)?;
        }
        writeln!(w)?;
    }
    if !report.errors.is_empty() {
        writeln!(
            w,
            "{}",
            p.s(
                &format!("Could not read ({})", report.errors.len()),
                Style::new().magenta().bold()
            )
        )?;
        for e in &report.errors {
            writeln!(w, "  {}: {}", one_line(&e.source), one_line(&e.reason))?;
        }
        writeln!(w)?;
    }
    let mut line = summary_line(report);
    if let Some(ws) = &report.workspace {
        line = format!("workspace {}: {line}", one_line(ws));
    }
    let style = if !report.complete {
        Style::new().magenta().bold()
    } else if report.has_findings() {
        Style::new().yellow().bold()
    } else {
        Style::new().green().bold()
    };
    writeln!(w, "{}", p.s(&line, style))
}

fn finding(p: &Paint, f: &Finding, w: &mut dyn Write) -> io::Result<()> {
    let name = subject(f);
    let mut reason_shown = false;
    match (&name, &f.reason) {
        (Some(n), _) => {
            let suggested = if f.address.is_none() && f.suggested_address.is_some() {
                p.s(" (suggested address)", Style::new().dimmed())
            } else {
                String::new()
            };
            writeln!(w, "  {}{suggested}", p.s(&one_line(n), Style::new().bold()))?;
        }
        (None, Some(r)) => {
            writeln!(w, "  {}", p.s(&one_line(r), Style::new().bold()))?;
            reason_shown = true;
        }
        (None, None) => writeln!(w, "  {}", p.s(title(f.kind), Style::new().bold()))?,
    }
    let mut facts = Vec::new();
    if let Some(t) = &f.tf_type {
        facts.push(format!("type {}", one_line(t)));
    }
    if let Some(id) = &f.import_id {
        facts.push(format!("id {}", one_line(id)));
    }
    if let Some(n) = f.live_name.as_ref().filter(|n| name.as_ref() != Some(*n)) {
        facts.push(format!("live {}", one_line(n)));
    }
    if let Some(s) = f.state.as_ref().filter(|s| name.as_ref() != Some(*s)) {
        facts.push(format!("state {}", one_line(s)));
    }
    if let Some(l) = &f.location {
        facts.push(format!("at {}:{}:{}", one_line(&l.file), l.line, l.column));
    }
    if !facts.is_empty() {
        writeln!(w, "      {}", p.s(&facts.join("  "), Style::new().dimmed()))?;
    }
    if let Some(r) = f.reason.as_ref().filter(|_| !reason_shown) {
        writeln!(w, "      {}", one_line(r))?;
    }
    for c in &f.candidates {
        let id = c
            .import_id
            .as_deref()
            .map(|i| format!(" (id {})", one_line(i)))
            .unwrap_or_default();
        writeln!(
            w,
            "      candidate {}{id}: {}",
            one_line(&c.live_name),
            one_line(&c.why)
        )?;
    }
    if let Some(d) = &f.diff {
        if !d.changes.is_empty() {
            writeln!(
                w,
                "      {}",
                p.s(&format!("{} -> live:", d.against), Style::new().dimmed())
            )?;
        }
        for c in &d.changes {
            match render_change(c) {
                Rendered::Scalar { path, old, new } => {
                    let path = one_line(&path);
                    let text = match (old, new) {
                        (Some(o), Some(n)) => format!(
                            "~ {path}: {} -> {}",
                            p.s(&one_line(&o), Style::new().red()),
                            p.s(&one_line(&n), Style::new().green())
                        ),
                        (None, Some(n)) => {
                            p.s(&format!("+ {path}: {}", one_line(&n)), Style::new().green())
                        }
                        (Some(o), None) => {
                            p.s(&format!("- {path}: {}", one_line(&o)), Style::new().red())
                        }
                        (None, None) => format!("~ {path}"),
                    };
                    writeln!(w, "        {text}")?;
                }
                Rendered::Document { path, lines } => {
                    writeln!(w, "        ~ {}:", one_line(&path))?;
                    for l in lines {
                        let text = match l {
                            DocLine::Same(s) => format!("    {}", one_line(&s)),
                            DocLine::Removed(s) => {
                                p.s(&format!("  - {}", one_line(&s)), Style::new().red())
                            }
                            DocLine::Added(s) => {
                                p.s(&format!("  + {}", one_line(&s)), Style::new().green())
                            }
                            DocLine::Skipped => p.s("    ...", Style::new().dimmed()),
                        };
                        writeln!(w, "        {text}")?;
                    }
                }
            }
            for d in &c.details {
                writeln!(
                    w,
                    "          {}",
                    p.s(&format!("· {}", one_line(d)), Style::new().cyan())
                )?;
            }
        }
    }
    Ok(())
}
