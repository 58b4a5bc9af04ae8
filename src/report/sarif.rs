//! SARIF 2.1.0 for code-scanning uploads: one rule per finding kind, one result per finding,
//! located in the configuration when the finding has a declaration and by address otherwise.
//! Errors that made the run incomplete are tool execution notifications.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::common::{advice, one_line, short_description, subject_or_title, title};
use crate::findings::{Finding, Kind, Report, Severity};

/// The final OASIS schema (errata 01), which is what validators and GitHub expect.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/tfrecon/tfrecon";

/// Every kind a finding can have, in code order: the rules array.
const RULES: [Kind; 10] = [
    Kind::Drifted,
    Kind::Untracked,
    Kind::Unmanaged,
    Kind::Missing,
    Kind::Orphaned,
    Kind::Ambiguous,
    Kind::EmptyState,
    Kind::BackendMismatch,
    Kind::PublicAccess,
    Kind::DuplicateState,
];

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// SARIF rule names are meant to be identifiers: the kind's title in PascalCase.
fn rule_name(kind: Kind) -> String {
    title(kind)
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Choices for SARIF output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SarifOptions {
    /// The file, relative to the configuration directory, that results without a declaration
    /// (unmanaged, missing, backend findings) point to. GitHub code scanning rejects a whole
    /// upload when any result lacks a physical location; without this file such results carry
    /// only a logical location (the address), which other SARIF consumers accept.
    pub fallback_file: Option<String>,
}

pub fn document(report: &Report) -> Value {
    document_with(report, &SarifOptions::default())
}

pub fn document_with(report: &Report, opts: &SarifOptions) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|&k| {
            json!({
                "id": k.code(),
                "name": rule_name(k),
                "shortDescription": {"text": short_description(k)},
                "fullDescription": {"text": advice(k)},
                "help": {"text": advice(k)},
                "defaultConfiguration": {"level": level(k.severity())},
                "properties": {"kind": k.as_str()}
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.kind.is_finding())
        .map(|f| result(f, opts))
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": {"text": format!("could not read {}: {}", one_line(&e.source), one_line(&e.reason))}
            })
        })
        .collect();
    let mut invocation = json!({"executionSuccessful": true});
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    let mut props = json!({"complete": report.complete, "summary": report.summary});
    if let Some(ws) = &report.workspace {
        props["workspace"] = json!(ws);
    }
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "tfrecon",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules
            }},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": props
        }]
    })
}

fn result(f: &Finding, opts: &SarifOptions) -> Value {
    let rule_index = RULES.iter().position(|k| *k == f.kind).unwrap_or(0);
    let name = subject_or_title(f);
    let mut msg = format!("{}: {}", title(f.kind), one_line(&name));
    if let Some(t) = &f.tf_type {
        msg.push_str(&format!(" ({})", one_line(t)));
    }
    if let Some(id) = &f.import_id {
        msg.push_str(&format!(", import ID {}", one_line(id)));
    }
    msg.push('.');
    if let Some(r) = &f.reason {
        msg.push_str(&format!(" {}", one_line(r)));
    }
    if let Some(d) = &f.diff {
        let paths: Vec<String> = d.changes.iter().map(|c| one_line(&c.path)).collect();
        if !paths.is_empty() {
            msg.push_str(&format!(
                " Changed against {}: {}.",
                d.against,
                paths.join(", ")
            ));
        }
    }
    if !f.candidates.is_empty() {
        let c: Vec<String> = f
            .candidates
            .iter()
            .map(|c| one_line(&c.live_name))
            .collect();
        msg.push_str(&format!(" Candidates: {}.", c.join(", ")));
    }
    let logical = json!({"fullyQualifiedName": name, "kind": "resource"});
    let location = match (&f.location, &opts.fallback_file) {
        (Some(l), _) => json!({
            "physicalLocation": {
                "artifactLocation": {"uri": relative_uri(&l.file)},
                "region": {"startLine": l.line.max(1), "startColumn": l.column.max(1)}
            },
            "logicalLocations": [logical]
        }),
        (None, Some(file)) => json!({
            "physicalLocation": {
                "artifactLocation": {"uri": relative_uri(file)},
                "region": {"startLine": 1, "startColumn": 1}
            },
            "logicalLocations": [logical]
        }),
        (None, None) => json!({"logicalLocations": [logical]}),
    };
    let identity = f
        .address
        .as_ref()
        .or(f.suggested_address.as_ref())
        .map(|a| a.to_string())
        .or_else(|| f.live_name.clone())
        .or_else(|| f.state.clone())
        .unwrap_or_default();
    json!({
        "ruleId": f.kind.code(),
        "ruleIndex": rule_index,
        "level": level(f.kind.severity()),
        "message": {"text": msg},
        "locations": [location],
        "partialFingerprints": {
            "tfrecon/v1": fingerprint(&format!("{}\u{0}{identity}", f.kind.code()))
        }
    })
}

/// A relative URI reference for a configuration file: each path segment percent-encoded, so
/// spaces and `#` in file names stay part of the path.
fn relative_uri(file: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    const SEGMENT: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'[')
        .add(b']')
        .add(b'\\')
        .add(b'^')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}');
    file.replace('\\', "/")
        .split('/')
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// FNV-1a, 64 bits: stable across runs, platforms and Rust versions (std's hasher is not
/// promised to be), which is what a fingerprint needs.
fn fingerprint(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

pub fn write(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    write_with(report, &SarifOptions::default(), w)
}

pub fn write_with(report: &Report, opts: &SarifOptions, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &document_with(report, opts))?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_fnv1a() {
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_eq!(fingerprint("a"), "af63dc4c8601ec8c");
    }

    #[test]
    fn uris_encode_each_segment() {
        assert_eq!(
            relative_uri("modules/my mod/main.tf"),
            "modules/my%20mod/main.tf"
        );
        assert_eq!(relative_uri("a#b/c.tf"), "a%23b/c.tf");
    }

    #[test]
    fn rule_names_are_identifiers() {
        assert_eq!(rule_name(Kind::EmptyState), "EmptyState");
        assert_eq!(rule_name(Kind::Drifted), "Drifted");
    }
}
