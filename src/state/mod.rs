//! The Terraform state model: resources, instance objects (current and deposed), outputs, and
//! which attribute paths are sensitive. The on-disk format lives in [`wire`] and never leaks out.
//!
//! Attributes are kept as raw JSON text until asked for, so a large state costs about its own
//! size in memory. Every accessor that could reach output redacts sensitive values; the one
//! that does not ([`InstanceObject::attributes_with_secrets`]) says so in its name.

use std::collections::BTreeMap;
use std::fmt;

use std::sync::Arc;

use serde_json::Value;

use crate::addr::{AbsResource, InstanceKey, ResourceInstance};

mod upgrade;
mod wire;

pub mod survey;

pub use wire::{parse, parse_owned, ParseError};

/// The text that replaces a sensitive value wherever a value could be shown.
pub const REDACTED: &str = "(sensitive)";

/// A parsed state file plus the diagnostics for the parts that could not be read.
#[derive(Debug)]
pub struct Parsed {
    pub state: State,
    pub diagnostics: Vec<Diagnostic>,
}

/// A problem with one part of a state file. The rest of the file is still usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The resource or instance the problem concerns, as far as it could be read.
    pub subject: Option<String>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.subject {
            Some(s) => write!(f, "{s}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A Terraform state (format version 4, or an older one upgraded to it).
#[derive(Debug, Default)]
pub struct State {
    pub terraform_version: Option<String>,
    pub serial: u64,
    pub lineage: String,
    pub outputs: BTreeMap<String, OutputValue>,
    /// Resources in file order.
    pub resources: Vec<ResourceState>,
    /// Whether the file carried `check_results` (Terraform 1.5+), kept only as a fact.
    pub has_check_results: bool,
    /// The format version the file was written in, when it was 1 to 3 and upgraded in
    /// memory to 4 as Terraform does.
    pub upgraded_from: Option<u64>,
}

impl State {
    /// Every resource instance address that has at least one object, sorted and without
    /// duplicates: exactly the lines `terraform state list` prints.
    pub fn instance_addresses(&self) -> Vec<ResourceInstance> {
        let mut out: Vec<ResourceInstance> = self
            .resources
            .iter()
            .flat_map(|r| r.instances.iter().map(|i| r.addr.instance(i.key.clone())))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The number of resource instances (managed and data), as `terraform state list` counts them.
    pub fn instance_count(&self) -> usize {
        self.instance_addresses().len()
    }

    /// Current (non-deposed) objects with their addresses.
    pub fn current_instances(
        &self,
    ) -> impl Iterator<Item = (ResourceInstance, &ResourceState, &InstanceObject)> {
        self.resources.iter().flat_map(|r| {
            r.instances
                .iter()
                .filter(|i| i.deposed.is_none())
                .map(move |i| (r.addr.instance(i.key.clone()), r, i))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.resources.iter().all(|r| r.instances.is_empty())
    }
}

/// How a resource was expanded, as recorded by Terraform 0.12 (`each`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EachMode {
    List,
    Map,
}

#[derive(Debug)]
pub struct ResourceState {
    pub addr: AbsResource,
    /// The provider configuration address, e.g. `provider["registry.terraform.io/hashicorp/google"].west`.
    pub provider: String,
    pub each: Option<EachMode>,
    pub instances: Vec<InstanceObject>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStatus {
    Ready,
    Tainted,
}

/// One object of a resource instance: the current one, or a deposed one awaiting destruction.
#[derive(Debug)]
pub struct InstanceObject {
    pub key: InstanceKey,
    /// The eight-character deposed key, for deposed objects.
    pub deposed: Option<String>,
    pub status: ObjectStatus,
    pub schema_version: u64,
    attributes: Attributes,
    sensitive: Sensitivity,
    identity: Option<RawText>,
    pub identity_schema_version: Option<u64>,
    /// Configuration addresses of the resources this object depended on when it was applied.
    pub dependencies: Vec<String>,
    pub create_before_destroy: bool,
}

#[derive(Debug, Clone)]
enum Attributes {
    Json(RawText),
    /// The pre-0.12 flat map, still legal in format 4 for resources never re-applied.
    Flat(BTreeMap<String, String>),
}

/// Which parts of an object are sensitive.
#[derive(Debug, Clone, PartialEq)]
pub enum Sensitivity {
    Paths(Vec<AttrPath>),
    /// The sensitive paths could not be read: treat everything as sensitive.
    Everything,
}

/// A path into an attribute value: `input.list[1]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttrPath(pub Vec<PathStep>);

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathStep {
    Attr(String),
    Index(i64),
    Key(String),
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attr(a) if i == 0 => write!(f, "{a}")?,
                PathStep::Attr(a) => write!(f, ".{a}")?,
                PathStep::Index(n) => write!(f, "[{n}]")?,
                PathStep::Key(k) => write!(f, "[{}]", crate::addr::hcl_quote(k))?,
            }
        }
        Ok(())
    }
}

impl InstanceObject {
    /// The attributes with every sensitive value replaced by [`REDACTED`]. Safe to show.
    pub fn attributes(&self) -> Value {
        let mut v = self.attributes_with_secrets();
        redact(&mut v, &self.sensitive);
        v
    }

    /// The attributes including sensitive values. For comparisons only: never print the result.
    /// The attributes as stored, secrets included, as a handle that shares the state's text:
    /// cheap to keep, read when needed.
    pub fn stored_attributes(&self) -> StoredAttributes {
        StoredAttributes(self.attributes.clone())
    }

    pub fn attributes_with_secrets(&self) -> Value {
        match &self.attributes {
            Attributes::Json(raw) => serde_json::from_str(raw.get()).unwrap_or(Value::Null),
            Attributes::Flat(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect(),
            ),
        }
    }

    /// One top-level attribute, redacted if it is (or contains) something sensitive.
    pub fn attribute(&self, name: &str) -> Option<Value> {
        match self.attributes() {
            Value::Object(mut m) => m.remove(name),
            _ => None,
        }
    }

    pub fn sensitivity(&self) -> &Sensitivity {
        &self.sensitive
    }

    /// Whether the value at `path` (or anything above it) is sensitive.
    pub fn is_sensitive(&self, path: &AttrPath) -> bool {
        match &self.sensitive {
            Sensitivity::Everything => true,
            Sensitivity::Paths(paths) => paths.iter().any(|p| path.0.starts_with(&p.0)),
        }
    }

    /// The resource identity (Terraform 1.12+), when the provider recorded one.
    pub fn identity(&self) -> Option<Value> {
        self.identity
            .as_ref()
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
    }

    /// The raw size of the stored attributes, for memory accounting.
    pub fn attributes_len(&self) -> usize {
        match &self.attributes {
            Attributes::Json(raw) => raw.get().len(),
            Attributes::Flat(m) => m.iter().map(|(k, v)| k.len() + v.len()).sum(),
        }
    }
}

/// A slice of JSON text inside the state file's own buffer, which the model shares instead of
/// copying: a state costs about its own size in memory, however many attributes it holds.
#[derive(Clone)]
pub struct RawText {
    buf: Arc<String>,
    start: usize,
    end: usize,
}

impl RawText {
    pub fn get(&self) -> &str {
        &self.buf[self.start..self.end]
    }

    pub(crate) fn new(buf: &Arc<String>, part: &str) -> RawText {
        let base = buf.as_ptr() as usize;
        let p = part.as_ptr() as usize;
        if p >= base && p + part.len() <= base + buf.len() {
            RawText {
                buf: Arc::clone(buf),
                start: p - base,
                end: p - base + part.len(),
            }
        } else {
            RawText::owned(part.to_string())
        }
    }

    pub(crate) fn owned(text: String) -> RawText {
        let end = text.len();
        RawText {
            buf: Arc::new(text),
            start: 0,
            end,
        }
    }
}

impl fmt::Debug for RawText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the text itself: it may hold sensitive values.
        write!(f, "RawText({} bytes)", self.end - self.start)
    }
}

/// A root module output.
#[derive(Debug)]
pub struct OutputValue {
    value: RawText,
    pub type_json: RawText,
    pub sensitive: bool,
}

impl OutputValue {
    /// The value, or [`REDACTED`] when the output is sensitive.
    pub fn value(&self) -> Value {
        if self.sensitive {
            Value::String(REDACTED.into())
        } else {
            serde_json::from_str(self.value.get()).unwrap_or(Value::Null)
        }
    }
}

/// Replaces every sensitive path in `v` with [`REDACTED`].
pub fn redact(v: &mut Value, sensitivity: &Sensitivity) {
    match sensitivity {
        Sensitivity::Everything => redact_all(v),
        Sensitivity::Paths(paths) => {
            for p in paths {
                if p.0.is_empty() {
                    redact_all(v);
                } else if let Some(target) = lookup_mut(v, &p.0) {
                    *target = Value::String(REDACTED.into());
                }
            }
        }
    }
}

fn redact_all(v: &mut Value) {
    match v {
        Value::Object(m) => m.values_mut().for_each(redact_all),
        Value::Array(a) => a.iter_mut().for_each(redact_all),
        Value::Null => {}
        other => *other = Value::String(REDACTED.into()),
    }
}

fn lookup_mut<'v>(v: &'v mut Value, path: &[PathStep]) -> Option<&'v mut Value> {
    let mut cur = v;
    for step in path {
        // Attributes of dynamic type (`terraform_data.input`) are stored as
        // `{"value": ..., "type": ...}`, but their sensitive paths point inside the value.
        if is_dynamic_wrapper(cur)
            && !matches!(step, PathStep::Attr(k) if k == "value" || k == "type")
        {
            cur = cur.get_mut("value")?;
        }
        cur = match (step, cur) {
            (PathStep::Attr(k) | PathStep::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (PathStep::Index(i), Value::Array(a)) => a.get_mut(usize::try_from(*i).ok()?)?,
            // A set element is addressed by value in cty paths; Terraform writes those as
            // indexes into the JSON array, which is what we have.
            _ => return None,
        };
    }
    Some(cur)
}

fn is_dynamic_wrapper(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.len() == 2 && m.contains_key("value") && m.contains_key("type"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_reaches_inside_dynamic_values() {
        // How Terraform 1.15 stores `terraform_data.input = { user = "app", password = var.secret }`.
        let mut v = serde_json::json!({
            "input": {"value": {"password": "hunter2", "user": "app"},
                      "type": ["object", {"password": "string", "user": "string"}]},
            "output": {"value": {"password": "hunter2", "user": "app"},
                       "type": ["object", {"password": "string", "user": "string"}]}
        });
        let paths = ["input", "output"]
            .map(|a| {
                AttrPath(vec![
                    PathStep::Attr(a.into()),
                    PathStep::Attr("password".into()),
                ])
            })
            .to_vec();
        redact(&mut v, &Sensitivity::Paths(paths));
        assert_eq!(v["input"]["value"]["password"], REDACTED);
        assert_eq!(v["output"]["value"]["password"], REDACTED);
        assert_eq!(v["input"]["value"]["user"], "app");
        assert!(!v.to_string().contains("hunter2"));
    }

    #[test]
    fn redaction_replaces_only_sensitive_leaves() {
        let mut v: Value = serde_json::json!({
            "input": {"user": "bob", "pw": "hunter2", "list": [1, "hunter2"]},
            "id": "x"
        });
        let paths = vec![
            AttrPath(vec![
                PathStep::Attr("input".into()),
                PathStep::Attr("pw".into()),
            ]),
            AttrPath(vec![
                PathStep::Attr("input".into()),
                PathStep::Attr("list".into()),
                PathStep::Index(1),
            ]),
        ];
        redact(&mut v, &Sensitivity::Paths(paths));
        assert_eq!(
            v,
            serde_json::json!({
                "input": {"user": "bob", "pw": REDACTED, "list": [1, REDACTED]},
                "id": "x"
            })
        );
    }

    #[test]
    fn everything_sensitive_keeps_shape_and_nulls() {
        let mut v = serde_json::json!({"a": [1, {"b": null, "c": true}], "d": "s"});
        redact(&mut v, &Sensitivity::Everything);
        assert_eq!(
            v,
            serde_json::json!({"a": [REDACTED, {"b": null, "c": REDACTED}], "d": REDACTED})
        );
    }

    #[test]
    fn attr_path_display() {
        let p = AttrPath(vec![
            PathStep::Attr("tags".into()),
            PathStep::Key("a\"b".into()),
            PathStep::Index(2),
        ]);
        assert_eq!(p.to_string(), "tags[\"a\\\"b\"][2]");
    }
}

/// The attributes of one object as its state stores them (see
/// [`InstanceObject::stored_attributes`]).
#[derive(Debug, Clone)]
pub struct StoredAttributes(Attributes);

impl StoredAttributes {
    /// The attributes as JSON, secrets included.
    pub fn read(&self) -> Value {
        match &self.0 {
            Attributes::Json(raw) => serde_json::from_str(raw.get()).unwrap_or(Value::Null),
            Attributes::Flat(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect(),
            ),
        }
    }
}
