//! What every report format shares: kind titles and advice, the summary sentence, and changes
//! turned into lines. Formats differ only in how they decorate these.

use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use crate::findings::{AttrChange, Finding, Kind, Report};
use crate::state::REDACTED;

/// Finding kinds in the order reports show them: what blocks an apply first.
pub const KIND_ORDER: [Kind; 11] = [
    Kind::EmptyState,
    Kind::BackendMismatch,
    Kind::Untracked,
    Kind::Drifted,
    Kind::Missing,
    Kind::Orphaned,
    Kind::Ambiguous,
    Kind::DuplicateState,
    Kind::PublicAccess,
    Kind::Unmanaged,
    Kind::Unchecked,
];

/// Words for a count of a kind: `3 untracked`, `12 in sync`.
pub fn label(kind: Kind) -> &'static str {
    match kind {
        Kind::InSync => "in sync",
        Kind::Pending => "pending",
        Kind::Drifted => "drifted",
        Kind::Untracked => "untracked",
        Kind::Unmanaged => "unmanaged",
        Kind::Missing => "missing",
        Kind::Orphaned => "orphaned",
        Kind::Ambiguous => "ambiguous",
        Kind::EmptyState => "empty state",
        Kind::BackendMismatch => "backend mismatch",
        Kind::PublicAccess => "public access",
        Kind::DuplicateState => "duplicate state",
        Kind::Unchecked => "unchecked",
    }
}

/// A section heading.
pub fn title(kind: Kind) -> &'static str {
    match kind {
        Kind::InSync => "In sync",
        Kind::Pending => "Pending",
        Kind::Drifted => "Drifted",
        Kind::Untracked => "Untracked",
        Kind::Unmanaged => "Unmanaged",
        Kind::Missing => "Missing",
        Kind::Orphaned => "Orphaned",
        Kind::Ambiguous => "Ambiguous",
        Kind::EmptyState => "Empty state",
        Kind::BackendMismatch => "Backend mismatch",
        Kind::PublicAccess => "Public access",
        Kind::DuplicateState => "Duplicate state",
        Kind::Unchecked => "Unchecked",
    }
}

/// A short description, for rule lists.
pub fn short_description(kind: Kind) -> &'static str {
    match kind {
        Kind::InSync => "Resource in sync",
        Kind::Pending => "Resource pending creation",
        Kind::Drifted => "Resource changed outside Terraform",
        Kind::Untracked => "Declared live resource missing from state",
        Kind::Unmanaged => "Live resource not managed by Terraform",
        Kind::Missing => "Resource in state gone from the cloud",
        Kind::Orphaned => "Resource in state no longer declared",
        Kind::Ambiguous => "Resource matching more than one live resource",
        Kind::EmptyState => "Empty state for a workspace with live resources",
        Kind::BackendMismatch => "Backend settings differ from the initialised ones",
        Kind::PublicAccess => "IAM policy granting public access",
        Kind::DuplicateState => "Resource recorded in two states",
        Kind::Unchecked => "Resource that could not be checked against the cloud",
    }
}

/// What the kind means and what to do about it, in one sentence.
pub fn advice(kind: Kind) -> &'static str {
    match kind {
        Kind::InSync => "In state, declared and live, with no drift.",
        Kind::Pending => "Declared, not in state and not live: apply will create them.",
        Kind::Drifted => {
            "In state and live, but changed outside Terraform: apply would revert these changes."
        }
        Kind::Untracked => {
            "Declared and live but absent from state: apply would try to create them and fail. \
             Import them."
        }
        Kind::Unmanaged => {
            "Live, declared nowhere and in no scanned state: write a resource block and import \
             them, or delete them."
        }
        Kind::Missing => {
            "In state but gone from the cloud: apply will recreate them; remove them from state \
             if that is not wanted."
        }
        Kind::Orphaned => {
            "In state but no longer declared: apply would destroy them. Add a `removed` or \
             `moved` block if that is not wanted."
        }
        Kind::Ambiguous => {
            "More than one live resource matched: tfrecon does not guess. Pick the right one."
        }
        Kind::EmptyState => {
            "The selected workspace's state is empty or missing while declared resources exist \
             live: check the backend and workspace before applying."
        }
        Kind::BackendMismatch => {
            "The backend settings cached by `terraform init` differ from the configuration: run \
             `terraform init` again."
        }
        Kind::PublicAccess => "An IAM policy grants access to everyone.",
        Kind::DuplicateState => "The same live resource is recorded in two scanned states.",
        Kind::Unchecked => {
            "Declared or recorded, but not checked against the cloud (type not covered, listing \
             failed, identity only known after apply): the result is incomplete for them. \
             `type:NAME` in .tfreconignore accepts a type with no live counterpart."
        }
    }
}

/// The name of a finding: its address, its suggested address, its live name or its state;
/// `None` for findings about no one thing (a backend mismatch), which the reason names.
pub fn subject(f: &Finding) -> Option<String> {
    f.address
        .as_ref()
        .or(f.suggested_address.as_ref())
        .map(ToString::to_string)
        .or_else(|| f.live_name.clone())
        .or_else(|| f.state.clone())
}

/// The subject, or the kind's title when there is none.
pub fn subject_or_title(f: &Finding) -> String {
    subject(f).unwrap_or_else(|| title(f.kind).to_string())
}

fn count(report: &Report, kind: Kind) -> usize {
    report.summary.get(kind.as_str()).copied().unwrap_or(0)
}

/// `3 untracked, 1 drifted, 2 unmanaged, 12 in sync, 4 pending (2 ignored) — incomplete: 1
/// source could not be read`.
pub fn summary_line(report: &Report) -> String {
    let mut parts: Vec<String> = KIND_ORDER
        .iter()
        .chain(&[Kind::InSync, Kind::Pending])
        .filter_map(|&k| {
            let n = count(report, k);
            (n > 0).then(|| format!("{n} {}", label(k)))
        })
        .collect();
    if parts.is_empty() {
        parts.push("nothing to reconcile".into());
    }
    let mut s = parts.join(", ");
    let ignored = report.summary.get("ignored").copied().unwrap_or(0);
    if ignored > 0 {
        s.push_str(&format!(" ({ignored} ignored)"));
    }
    if !report.complete {
        let n = report.errors.len();
        s.push_str(&format!(
            " — incomplete: {n} source{} could not be read",
            if n == 1 { "" } else { "s" }
        ));
    }
    s
}

/// The verdict of a report in a few words.
pub fn verdict(report: &Report) -> &'static str {
    match (report.has_findings(), report.complete) {
        (false, true) => "in sync",
        (true, true) => "findings",
        (false, false) => "incomplete",
        (true, false) => "findings, incomplete",
    }
}

/// One attribute change ready to print.
pub enum Rendered {
    /// `~ path: old -> new`; `None` where the side is absent.
    Scalar {
        path: String,
        old: Option<String>,
        new: Option<String>,
    },
    /// A multi-line value (a JSON document, a heredoc), diffed line by line.
    Document { path: String, lines: Vec<DocLine> },
}

pub enum DocLine {
    Same(String),
    Removed(String),
    Added(String),
    /// Unchanged lines left out.
    Skipped,
}

/// Lines of unchanged context kept around each changed line of a document.
const CONTEXT: usize = 3;

pub fn render_change(c: &AttrChange) -> Rendered {
    let multi = |v: &Option<Value>| match v {
        Some(Value::Object(_) | Value::Array(_)) => true,
        Some(Value::String(s)) => s.contains('\n'),
        _ => false,
    };
    if c.sensitive || !(multi(&c.expected) || multi(&c.live)) {
        return Rendered::Scalar {
            path: c.path.clone(),
            old: c.expected.as_ref().map(|v| scalar(v, c.sensitive)),
            new: c.live.as_ref().map(|v| scalar(v, c.sensitive)),
        };
    }
    let old = c.expected.as_ref().map(document).unwrap_or_default();
    let new = c.live.as_ref().map(document).unwrap_or_default();
    let diff = TextDiff::from_lines(old.as_str(), new.as_str());
    let mut lines = Vec::new();
    for (i, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if i > 0 || group.first().is_some_and(|op| op.old_range().start > 0) {
            lines.push(DocLine::Skipped);
        }
        for op in group {
            for ch in diff.iter_changes(op) {
                let text = ch.value().trim_end_matches('\n').to_string();
                lines.push(match ch.tag() {
                    ChangeTag::Equal => DocLine::Same(text),
                    ChangeTag::Delete => DocLine::Removed(text),
                    ChangeTag::Insert => DocLine::Added(text),
                });
            }
        }
    }
    let last_old = diff.ops().last().map(|op| op.old_range().end).unwrap_or(0);
    let shown_to = diff
        .grouped_ops(CONTEXT)
        .last()
        .and_then(|g| g.last())
        .map(|op| op.old_range().end)
        .unwrap_or(0);
    if shown_to < last_old {
        lines.push(DocLine::Skipped);
    }
    Rendered::Document {
        path: c.path.clone(),
        lines,
    }
}

/// A scalar as Terraform's plan shows it: strings quoted, the redaction marker bare.
pub fn scalar(v: &Value, sensitive: bool) -> String {
    match v {
        _ if sensitive => REDACTED.to_string(),
        Value::String(s) if s == REDACTED => REDACTED.to_string(),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

fn document(v: &Value) -> String {
    let mut s = match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    };
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Makes text safe for one line of a terminal or a comment: control characters (newlines,
/// escape sequences from a hostile resource name) are shown escaped instead of acting.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Findings of one kind, in report order.
pub fn of_kind(report: &Report, kind: Kind) -> Vec<&Finding> {
    report.findings.iter().filter(|f| f.kind == kind).collect()
}
