//! The one model of what exists live, whichever cloud or snapshot file it came from.
//! No SDK type appears here; listers convert into these values at their edge.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value as Json;

use crate::map::Map;

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
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub labels: Map<String>,
    /// Attributes as JSON, named as Terraform names them where the catalog maps the field.
    #[serde(default)]
    pub attributes: RawJson,
    /// The resource's IAM policy (GCP IAM_POLICY content, AWS resource policy), when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam_policy: Option<serde_json::Value>,
    /// Created and owned by a cloud service (never reported as unmanaged, except with --strict).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub service_managed: bool,
    /// Where it came from: `gcp:projects/ID`, `aws:REGION`, `file:PATH`.
    pub source: String,
}

/// A JSON value kept as its compact text and parsed when read. A live resource's attributes
/// are read a few times in a run (indexing, matching, one diff) while hundreds of thousands of
/// them may be held at once: as text they take a fraction of the memory of a parsed map.
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    pub fn new(value: &Json) -> RawJson {
        // A `Value` always serializes.
        RawJson(serde_json::value::to_raw_value(value).unwrap_or_else(|_| null()))
    }

    /// The value, parsed.
    pub fn value(&self) -> Json {
        serde_json::from_str(self.0.get()).unwrap_or(Json::Null)
    }

    /// One top-level attribute of an object.
    pub fn get(&self, key: &str) -> Option<Json> {
        match self.value() {
            Json::Object(mut m) => m.remove(key),
            _ => None,
        }
    }

    /// Whether the text contains `needle`: a cheap test before a parse (a key of an object
    /// appears in its text as `"key":`).
    pub fn mentions(&self, needle: &str) -> bool {
        self.0.get().contains(needle)
    }

    pub fn is_null(&self) -> bool {
        self.0.get() == "null"
    }
}

fn null() -> Box<RawValue> {
    RawValue::from_string("null".into()).expect("null is JSON")
}

impl Default for RawJson {
    fn default() -> Self {
        RawJson(null())
    }
}

impl From<Json> for RawJson {
    fn from(value: Json) -> Self {
        RawJson::new(&value)
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get() || self.value() == other.value()
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.get())
    }
}

impl Serialize for RawJson {
    /// As the parsed value, so that a pretty-printed document stays pretty.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(s)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        // Text read from an indented document is made compact; compact text is kept as is.
        if raw.get().contains(['\n', '\r', '\t']) || raw.get().contains(": ") {
            let value: Json = serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
            return Ok(RawJson::new(&value));
        }
        Ok(RawJson(raw))
    }
}

#[cfg(test)]
mod raw_json_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn raw_json_is_compact_text_read_back_as_the_value() {
        let v = json!({"name": "a b", "labels": {"env": "dev"}, "n": 1.5, "list": [1, null]});
        let raw = RawJson::new(&v);
        assert_eq!(raw.value(), v);
        assert_eq!(raw.get("n"), Some(json!(1.5)));
        assert_eq!(raw.get("absent"), None);
        assert!(raw.mentions("\"labels\":"));
        assert!(!raw.mentions("policy"));
        // From indented text: made compact, same value.
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        let read: RawJson = serde_json::from_str(&pretty).unwrap();
        assert!(!format!("{read:?}").contains('\n'));
        assert_eq!(read, raw);
        // From a parsed value (tests and documents built in memory).
        let from_value: RawJson = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(from_value.value(), v);
        // Written as the value: a pretty document stays pretty.
        let doc = serde_json::to_string_pretty(&json!({"attributes": raw.value()})).unwrap();
        #[derive(Serialize)]
        struct Doc {
            attributes: RawJson,
        }
        assert_eq!(
            serde_json::to_string_pretty(&Doc { attributes: raw }).unwrap(),
            doc
        );
        assert!(RawJson::default().is_null());
        assert_eq!(RawJson::default().value(), Json::Null);
    }
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

    pub fn extend(&mut self, mut other: Inventory) {
        // The larger vector takes the other's resources: a snapshot of 100,000 resources is
        // not copied into an empty inventory.
        if self.resources.len() < other.resources.len() {
            std::mem::swap(&mut self.resources, &mut other.resources);
            self.resources.splice(0..0, other.resources);
        } else {
            self.resources.extend(other.resources);
        }
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
