//! The Markdown report, for a pull-request comment or `$GITHUB_STEP_SUMMARY`: verdict, summary
//! table, a table per kind, drift as ```diff blocks, errors. Everything taken from a resource
//! is escaped or put in code spans, so names with `|`, backticks or HTML cannot break the page.

use std::io::{self, Write};

use super::common::{
    advice, of_kind, one_line, render_change, subject_or_title, summary_line, title, verdict,
    DocLine, Rendered, KIND_ORDER,
};
use crate::findings::{Finding, Kind, Report};

/// Longer tables are folded in a `<details>` element.
const FOLD_AFTER: usize = 10;

pub fn write(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let icon = match (report.has_findings(), report.complete) {
        (false, true) => "✅",
        (true, _) => "⚠️",
        (false, false) => "❓",
    };
    writeln!(w, "## {icon} tfrecon: {}", verdict(report))?;
    writeln!(w)?;
    let line = text(&summary_line(report));
    match &report.workspace {
        Some(ws) => writeln!(w, "Workspace {}: {line}", code(ws))?,
        None => writeln!(w, "{line}")?,
    }
    writeln!(w)?;

    writeln!(w, "| Outcome | Code | Count |")?;
    writeln!(w, "|---|---|---:|")?;
    for kind in KIND_ORDER.iter().chain(&[Kind::InSync, Kind::Pending]) {
        if let Some(&n) = report.summary.get(kind.as_str()).filter(|n| **n > 0) {
            writeln!(w, "| {} | `{}` | {n} |", title(*kind), kind.code())?;
        }
    }
    if let Some(&n) = report.summary.get("ignored").filter(|n| **n > 0) {
        writeln!(w, "| Ignored | | {n} |")?;
    }
    if !report.errors.is_empty() {
        writeln!(w, "| Could not read | | {} |", report.errors.len())?;
    }

    for kind in KIND_ORDER {
        let found = of_kind(report, kind);
        if found.is_empty() {
            continue;
        }
        writeln!(w)?;
        writeln!(w, "### {} ({})", title(kind), found.len())?;
        writeln!(w)?;
        writeln!(w, "{}", advice(kind))?;
        writeln!(w)?;
        let fold = found.len() > FOLD_AFTER;
        if fold {
            writeln!(w, "<details><summary>{} resources</summary>", found.len())?;
            writeln!(w)?;
        }
        table(kind, &found, w)?;
        if fold {
            writeln!(w)?;
            writeln!(w, "</details>")?;
        }
        if kind == Kind::Drifted {
            for f in &found {
                drift(f, w)?;
            }
        }
    }

    if !report.errors.is_empty() {
        writeln!(w)?;
        writeln!(w, "### Could not read ({})", report.errors.len())?;
        writeln!(w)?;
        writeln!(
            w,
            "The report is incomplete: what these sources hold was not checked, so none of it is known to be in sync."
        )?;
        writeln!(w)?;
        for e in &report.errors {
            writeln!(w, "- {}: {}", code(&e.source), text(&e.reason))?;
        }
    }
    Ok(())
}

fn table(kind: Kind, found: &[&Finding], w: &mut dyn Write) -> io::Result<()> {
    let with_candidates = kind == Kind::Ambiguous;
    write!(w, "| Address | Type | Import ID | Live name |")?;
    if with_candidates {
        write!(w, " Candidates |")?;
    }
    writeln!(w, " Details |")?;
    write!(w, "|---|---|---|---|")?;
    if with_candidates {
        write!(w, "---|")?;
    }
    writeln!(w, "---|")?;
    for f in found {
        let address = f
            .address
            .as_ref()
            .map(|a| cell_code(&a.to_string()))
            .or_else(|| {
                f.suggested_address
                    .as_ref()
                    .map(|a| format!("{} (suggested)", cell_code(&a.to_string())))
            })
            .unwrap_or_else(|| "—".into());
        let opt = |v: &Option<String>| v.as_deref().map(cell_code).unwrap_or_else(|| "—".into());
        write!(
            w,
            "| {address} | {} | {} | {} |",
            opt(&f.tf_type),
            opt(&f.import_id),
            opt(&f.live_name)
        )?;
        if with_candidates {
            let c: Vec<String> = f
                .candidates
                .iter()
                .map(|c| {
                    let id = c
                        .import_id
                        .as_deref()
                        .map(|i| format!(" id {}", cell_code(i)))
                        .unwrap_or_default();
                    format!("{}{id}: {}", cell_code(&c.live_name), text(&c.why))
                })
                .collect();
            write!(w, " {} |", c.join("<br>"))?;
        }
        let mut details = Vec::new();
        if let Some(r) = &f.reason {
            details.push(text(r));
        }
        if let Some(s) = &f.state {
            details.push(format!("state {}", cell_code(s)));
        }
        if let Some(l) = &f.location {
            details.push(cell_code(&format!("{}:{}:{}", l.file, l.line, l.column)));
        }
        if let Some(d) = &f.diff {
            if !d.changes.is_empty() {
                details.push(format!(
                    "{} attribute{} changed",
                    d.changes.len(),
                    if d.changes.len() == 1 { "" } else { "s" }
                ));
            }
        }
        writeln!(
            w,
            " {} |",
            if details.is_empty() {
                "—".into()
            } else {
                details.join("<br>")
            }
        )?;
    }
    Ok(())
}

fn drift(f: &Finding, w: &mut dyn Write) -> io::Result<()> {
    let Some(d) = f.diff.as_ref().filter(|d| !d.changes.is_empty()) else {
        return Ok(());
    };
    let mut body = String::new();
    let mut notes = Vec::new();
    for c in &d.changes {
        match render_change(c) {
            Rendered::Scalar { path, old, new } => {
                let path = one_line(&path);
                if let Some(o) = old {
                    body.push_str(&format!("- {path} = {}\n", one_line(&o)));
                }
                if let Some(n) = new {
                    body.push_str(&format!("+ {path} = {}\n", one_line(&n)));
                }
            }
            Rendered::Document { path, lines } => {
                body.push_str(&format!("@@ {} @@\n", one_line(&path)));
                for l in lines {
                    match l {
                        DocLine::Same(s) => body.push_str(&format!("  {s}\n")),
                        DocLine::Removed(s) => body.push_str(&format!("- {s}\n")),
                        DocLine::Added(s) => body.push_str(&format!("+ {s}\n")),
                        DocLine::Skipped => body.push_str("  ...\n"),
                    }
                }
            }
        }
        for d in &c.details {
            notes.push(format!("{}: {}", code(&c.path), text(d)));
        }
    }
    writeln!(w)?;
    writeln!(
        w,
        "<details><summary>{} — {} against live</summary>",
        html(&subject_or_title(f)),
        html(&d.against)
    )?;
    writeln!(w)?;
    let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
    writeln!(w, "{fence}diff")?;
    write!(w, "{body}")?;
    writeln!(w, "{fence}")?;
    if !notes.is_empty() {
        writeln!(w)?;
        for n in notes {
            writeln!(w, "- {n}")?;
        }
    }
    writeln!(w)?;
    writeln!(w, "</details>")?;
    Ok(())
}

/// A code span inside a table cell: `|` escaped too, since GitHub splits cells before it
/// parses spans (and the escape does not show inside the span).
pub(crate) fn cell_code(s: &str) -> String {
    span(&one_line(s).replace('|', "\\|"))
}

/// A code span outside tables, where `\|` would show as typed.
pub(crate) fn code(s: &str) -> String {
    span(&one_line(s))
}

/// The fence is longer than any run of backticks inside, and a leading or trailing backtick is
/// padded so it is not taken for the fence.
fn span(s: &str) -> String {
    let fence = "`".repeat(longest_run(s, '`') + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.starts_with(' ') && s.ends_with(' ') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// Plain text with every character Markdown or HTML could interpret escaped.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '!' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// For HTML elements (`<summary>`): Markdown is not parsed there on GitHub.
fn html(s: &str) -> String {
    one_line(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_pipes_and_backticks() {
        assert_eq!(cell_code("a|b"), "`a\\|b`");
        assert_eq!(code("a|b"), "`a|b`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("line\nbreak"), "`line\\nbreak`");
    }

    #[test]
    fn long_tables_fold_and_short_ones_do_not() {
        use crate::findings::{Finding, Report};
        let render = |n: usize| {
            let findings = (0..n)
                .map(|i| {
                    let mut f = Finding::new(Kind::Missing);
                    f.address = Some(format!("aws_sqs_queue.q[{i}]").parse().unwrap());
                    f
                })
                .collect();
            let r = Report::new(findings, &Default::default(), 0, vec![], None);
            let mut out = Vec::new();
            write(&r, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert!(!render(FOLD_AFTER).contains("<details>"));
        let long = render(FOLD_AFTER + 1);
        assert!(
            long.contains("<details><summary>11 resources</summary>\n\n| Address"),
            "{long}"
        );
        assert!(long.contains("`aws_sqs_queue.q[10]`"));
    }

    #[test]
    fn text_escapes_markdown_and_html() {
        assert_eq!(
            text("a_b *c* <img> [x](y) |"),
            "a\\_b \\*c\\* &lt;img&gt; \\[x\\]\\(y\\) \\|"
        );
    }
}
