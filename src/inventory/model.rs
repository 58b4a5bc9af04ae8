//! The one model of what exists live, whichever cloud or snapshot file it came from.
//! No SDK type appears here; listers convert into these values at their edge.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Version of the `tfrecon inventory --format json` document.
pub const INVENTORY_FORMAT_VERSION: u32 = 1;

pub use crate::catalog::Cloud;

/// One live resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveResource {
    pub cloud: Cloud,
    /// The Terraform resource type, when the catalog maps the native type to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tf_type: Option<String>,
    /// The cloud's own type: a Cloud Asset Inventory asset type
    /// (`storage.googleapis.com/Bucket`) or an AWS CloudFormation-style type (`AWS::IAM::Role`).
    pub native_type: String,
    /// The native name: a CAI full resource name or an ARN (or the API's natural name when the
    /// resource has no ARN).
    pub name: String,
    /// The ID `terraform import` takes for `tf_type`, when it can be built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_id: Option<String>,
    /// GCP project ID (never a project number once resolved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// AWS account ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Region, zone, or location; `global` for global resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Labels (GCP) or tags (AWS).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Attributes as JSON, named as Terraform names them where the catalog maps the field.
    #[serde(default)]
    pub attributes: serde_json::Value,
    /// The resource's IAM policy (GCP IAM_POLICY content, AWS resource policy), when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam_policy: Option<serde_json::Value>,
    /// Created and owned by a cloud service (never reported as unmanaged, except with --strict).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub service_managed: bool,
    /// Where it came from: `gcp:projects/ID`, `aws:REGION`, `file:PATH`.
    pub source: String,
}

/// Something that could not be read. Its presence makes the inventory incomplete.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InventoryError {
    /// The scope: `gcp:projects/ID`, `aws:us-east-1`, `file:PATH`.
    pub scope: String,
    /// The Terraform or native type that could not be listed (empty for the whole scope).
    #[serde(rename = "type")]
    pub type_name: String,
    /// What went wrong and what to do: the missing permission, the disabled API, ...
    pub reason: String,
}

/// Everything found, plus everything that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub resources: Vec<LiveResource>,
    pub errors: Vec<InventoryError>,
}

impl Inventory {
    pub fn complete(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn extend(&mut self, other: Inventory) {
        self.resources.extend(other.resources);
        self.errors.extend(other.errors);
    }

    /// Sort for stable output: by cloud, type, name, source; errors by scope and type.
    pub fn sort(&mut self) {
        self.resources.sort_by(|a, b| {
            (a.cloud, &a.tf_type, &a.native_type, &a.name, &a.source).cmp(&(
                b.cloud,
                &b.tf_type,
                &b.native_type,
                &b.name,
                &b.source,
            ))
        });
        self.errors.sort();
    }
}

/// What listers report while they work, for progress display. Implementations must be cheap.
pub trait ProgressSink: Send + Sync {
    fn event(&self, event: ProgressEvent);
}

#[derive(Debug, Clone)]
pub enum ProgressEvent {
    /// A type (or native type) in a scope has started.
    TypeStarted { scope: String, type_name: String },
    /// A page was fetched with this many resources on it.
    Page {
        scope: String,
        type_name: String,
        resources: usize,
    },
    /// A request is being retried after throttling or a server error.
    Retry {
        scope: String,
        type_name: String,
        attempt: u32,
    },
    /// A type in a scope is done (successfully or not).
    TypeDone {
        scope: String,
        type_name: String,
        ok: bool,
    },
}

/// A sink that discards everything.
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn event(&self, _event: ProgressEvent) {}
}
