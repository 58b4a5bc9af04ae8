//! Findings: what reconciliation concludes, as data. A drifted or untracked resource is a
//! finding with a stable code and kind, never an error; errors are for what stopped a source
//! from being read. Reports and import plans are rendered from these values only.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::addr::ResourceInstance;

/// Version of the `tfrecon scan --format json` document.
pub const REPORT_FORMAT_VERSION: u32 = 1;

/// What kind of finding, or of counted outcome. The serialized names are part of the JSON
/// contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// In state, declared, live, no drift. Counted, not reported.
    InSync,
    /// Declared, not in state, not live: `apply` will create it. Counted, not reported.
    Pending,
    /// In state and live, with live attributes that differ from state.
    Drifted,
    /// Declared and live, absent from state: `apply` would try to create it and fail.
    Untracked,
    /// Live, declared nowhere and in no scanned state.
    Unmanaged,
    /// In state, gone from the cloud.
    Missing,
    /// In state, no longer declared (apply would destroy it), and no moved/removed block says why.
    Orphaned,
    /// More than one candidate matched; never guessed.
    Ambiguous,
    /// The selected workspace's state is empty or missing while declared resources exist live.
    EmptyState,
    /// The backend settings cached by `terraform init` differ from the configuration's block.
    BackendMismatch,
    /// An IAM policy grants access to everyone (`allUsers`, `allAuthenticatedUsers`, `"Principal": "*"`).
    PublicAccess,
    /// The same live resource is recorded in two scanned states.
    DuplicateState,
    /// A declared or recorded resource that could not be checked against the cloud: its type
    /// is not covered, its listing failed, its identity is not known offline, or its state
    /// could not be read. Makes the report incomplete.
    Unchecked,
}

impl Kind {
    /// Whether this kind is reported as a finding (and so makes `scan` exit 2).
    pub fn is_finding(self) -> bool {
        !matches!(self, Kind::InSync | Kind::Pending)
    }

    /// A stable code for CI systems and SARIF rules.
    pub fn code(self) -> &'static str {
        match self {
            Kind::InSync => "TFR000",
            Kind::Drifted => "TFR001",
            Kind::Untracked => "TFR002",
            Kind::Unmanaged => "TFR003",
            Kind::Missing => "TFR004",
            Kind::Orphaned => "TFR005",
            Kind::Ambiguous => "TFR006",
            Kind::EmptyState => "TFR007",
            Kind::BackendMismatch => "TFR008",
            Kind::PublicAccess => "TFR009",
            Kind::DuplicateState => "TFR010",
            Kind::Pending => "TFR011",
            Kind::Unchecked => "TFR012",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::InSync => "in_sync",
            Kind::Pending => "pending",
            Kind::Drifted => "drifted",
            Kind::Untracked => "untracked",
            Kind::Unmanaged => "unmanaged",
            Kind::Missing => "missing",
            Kind::Orphaned => "orphaned",
            Kind::Ambiguous => "ambiguous",
            Kind::EmptyState => "empty_state",
            Kind::BackendMismatch => "backend_mismatch",
            Kind::PublicAccess => "public_access",
            Kind::DuplicateState => "duplicate_state",
            Kind::Unchecked => "unchecked",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Kind::InSync | Kind::Pending => Severity::Note,
            Kind::Unmanaged | Kind::BackendMismatch | Kind::DuplicateState | Kind::Unchecked => {
                Severity::Warning
            }
            Kind::Drifted | Kind::Ambiguous => Severity::Warning,
            Kind::Untracked
            | Kind::Missing
            | Kind::Orphaned
            | Kind::EmptyState
            | Kind::PublicAccess => Severity::Error,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

/// Where something is declared in the configuration.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceLocation {
    /// Relative to the configuration directory.
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// Why a resource could not be checked (`unchecked` findings). The serialized names are part
/// of the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UncheckedCause {
    /// The catalog has no row for the type, or cannot list it.
    TypeNotCovered,
    /// The listing of its type (or of the IAM policy of its parent) failed.
    ListingFailed,
    /// Its project, account or region was not listed.
    ScopeNotListed,
    /// Its identity depends on values only known after apply.
    IdentityUnknown,
    /// Its entry in the state, or a part of the state that might hold it, could not be read.
    StateUnreadable,
}

/// One candidate of an ambiguous match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub live_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_id: Option<String>,
    /// Why it matched (which natural key, which value).
    pub why: String,
}

/// One attribute that differs. Values are already redacted: a sensitive value is the string
/// `(sensitive)` and `sensitive` is true.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttrChange {
    /// The attribute path, printed as Terraform does: `labels["env"]`, `template[0].containers[0].image`.
    pub path: String,
    /// The value on the reference side (state for drifted, configuration for untracked); absent
    /// when the attribute is only on the live side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
    /// The live value; absent when the attribute is gone live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<Value>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// A structural summary for JSON-valued attributes (policies, schemas): e.g. BigQuery
    /// columns added, removed or changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

/// The differences of one paired resource.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Diff {
    /// What the reference side is: `state` (drifted) or `configuration` (untracked).
    pub against: String,
    pub changes: Vec<AttrChange>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: Kind,
    /// The resource instance address, when there is one (for unmanaged: absent; see `suggested_address`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<ResourceInstance>,
    /// For unmanaged resources: a valid, stable, readable address to import them at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_address: Option<ResourceInstance>,
    /// The Terraform resource type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub tf_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_id: Option<String>,
    /// The native name or ARN of the live resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_name: Option<String>,
    /// Which state source the finding concerns (`s3://b/k`, `terraform.tfstate`, workspace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<Diff>,
    /// For findings that are not about one resource, and to explain any finding in a sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
    /// Where the resource is declared, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<SourceLocation>,
    /// For `unchecked` findings: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<UncheckedCause>,
}

impl Finding {
    pub fn new(kind: Kind) -> Self {
        Finding {
            kind,
            address: None,
            suggested_address: None,
            tf_type: None,
            import_id: None,
            live_name: None,
            state: None,
            diff: None,
            reason: None,
            candidates: Vec::new(),
            location: None,
            cause: None,
        }
    }

    /// The key findings are sorted by: kind, then address (or suggested address), then live
    /// name, so every output is stable across runs.
    pub fn sort_key(&self) -> (Kind, Option<&ResourceInstance>, Option<&str>, Option<&str>) {
        (
            self.kind,
            self.address.as_ref().or(self.suggested_address.as_ref()),
            self.live_name.as_deref(),
            self.reason.as_deref(),
        )
    }
}

/// Something that could not be read; its presence makes the report incomplete.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceError {
    /// What could not be read: a state source, an inventory scope and type, a module.
    pub source: String,
    pub reason: String,
}

/// The whole result of a scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub version: u32,
    pub complete: bool,
    /// Count per kind, including `in_sync` and `pending`, and `ignored` for findings an ignore
    /// pattern matched.
    pub summary: BTreeMap<String, usize>,
    pub findings: Vec<Finding>,
    pub errors: Vec<SourceError>,
    /// The workspace that was scanned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
}

impl Report {
    /// Builds a report: sorts findings, counts kinds (with `counted` adding the non-finding
    /// outcomes such as in_sync and pending), and marks completeness from the errors and the
    /// `unchecked` findings (which an ignore pattern may have taken out).
    pub fn new(
        mut findings: Vec<Finding>,
        counted: &BTreeMap<Kind, usize>,
        ignored: usize,
        mut errors: Vec<SourceError>,
        workspace: Option<String>,
    ) -> Report {
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        errors.sort();
        errors.dedup();
        let mut summary: BTreeMap<String, usize> = BTreeMap::new();
        for (k, n) in counted {
            *summary.entry(k.as_str().to_string()).or_default() += n;
        }
        for f in &findings {
            *summary.entry(f.kind.as_str().to_string()).or_default() += 1;
        }
        summary.insert("ignored".into(), ignored);
        Report {
            version: REPORT_FORMAT_VERSION,
            complete: errors.is_empty() && !findings.iter().any(|f| f.kind == Kind::Unchecked),
            summary,
            findings,
            errors,
            workspace,
        }
    }

    pub fn has_findings(&self) -> bool {
        self.findings.iter().any(|f| f.kind.is_finding())
    }
}

/// Whether an import is for a resource the configuration declares, or for one it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Untracked,
    Unmanaged,
}

/// One `terraform import` to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportEntry {
    pub address: ResourceInstance,
    pub id: String,
    #[serde(rename = "type")]
    pub tf_type: String,
    pub kind: ImportKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_name: Option<String>,
}

/// Imports in dependency order (a resource after everything it references).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPlan {
    /// The workspace the imports go to (selected first by the generated script).
    pub workspace: String,
    pub imports: Vec<ImportEntry>,
}
