//! The state file on disk (format version 4), kept private: these structs mirror Terraform's
//! `statefile/version4.go` and are converted into the model in one place. Versions 1 to 3
//! are first upgraded to 4 in memory ([`super::upgrade`]); the backend cache and OpenTofu's
//! encrypted states are recognised and named, never parsed as something else.
//!
//! Parsing borrows from the input buffer: resources are first read as raw JSON slices, then
//! each is decoded on its own, so one bad resource becomes a diagnostic instead of a failure of
//! the whole file, and attributes are copied exactly once, as raw text.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use super::{
    AttrPath, Attributes, Diagnostic, EachMode, InstanceObject, ObjectStatus, OutputValue, Parsed,
    PathStep, RawText, ResourceState, Sensitivity, State,
};
use crate::addr::{AbsResource, InstanceKey, Mode, ModuleInstance, Resource};

/// Why a state file could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("the state is empty (0 bytes); Terraform treats an empty file as no state at all")]
    Empty,
    #[error(
        "the state is not valid JSON: {message} at line {line}, column {column}{}",
        if *.truncated { " (the file ends early: it looks truncated; re-download it or restore a backup such as terraform.tfstate.backup)" } else { "" }
    )]
    InvalidJson {
        message: String,
        line: usize,
        column: usize,
        truncated: bool,
    },
    #[error("this is not a Terraform state file: {0}")]
    NotState(String),
    #[error(
        "state format version {version}{} was written by Terraform {written_by}; tfrecon reads formats 1 to 4 \
         (JSON states, Terraform 0.6 and later), as Terraform does. Upgrade it by running \
         `terraform refresh` once with Terraform 0.6 to 0.11, then read it again",
        terraform_version.as_ref().map(|v| format!(" (terraform_version {v})")).unwrap_or_default()
    )]
    TooOld {
        version: u64,
        terraform_version: Option<String>,
        written_by: &'static str,
    },
    #[error(
        "state format version {version}{} is newer than format 4, which is the latest tfrecon knows; \
         upgrade tfrecon",
        terraform_version.as_ref().map(|v| format!(" (written by Terraform {v})")).unwrap_or_default()
    )]
    TooNew {
        version: u64,
        terraform_version: Option<String>,
    },
    #[error(
        "this is Terraform's backend cache (.terraform/terraform.tfstate), which records where the \
         state is kept (backend \"{backend_type}\"), not the state itself: pass the configuration \
         directory with -C and tfrecon reads the state from that backend, or save the state with \
         `terraform state pull > state.json` and pass --state state.json"
    )]
    BackendCache { backend_type: String },
    #[error(
        "this state is encrypted by OpenTofu (encryption_version {encryption_version}); tfrecon \
         cannot decrypt it: with the encryption key configured, save it decrypted with \
         `tofu state pull > state.json` and pass --state state.json"
    )]
    Encrypted { encryption_version: String },
    #[error(
        "state format version {version} could not be upgraded to format 4 as Terraform does: \
         {message}"
    )]
    UpgradeFailed { version: u64, message: String },
}

/// Reads the version fields first, so an old or future file gets the right message before any
/// format-specific decoding.
#[derive(Deserialize)]
struct Sniff {
    version: Option<Value>,
    terraform_version: Option<Value>,
    /// Only in the backend cache `.terraform/terraform.tfstate`.
    backend: Option<Value>,
    /// OpenTofu's encrypted state envelope.
    encrypted_data: Option<IgnoredAny>,
    encryption_version: Option<Value>,
}

#[derive(Deserialize)]
struct StateV4<'a> {
    #[serde(default)]
    terraform_version: Option<String>,
    #[serde(default)]
    serial: u64,
    #[serde(default)]
    lineage: String,
    #[serde(default, borrow)]
    outputs: BTreeMap<String, OutputV4<'a>>,
    #[serde(default, borrow, deserialize_with = "raw_seq")]
    resources: Vec<&'a RawValue>,
    #[serde(default)]
    check_results: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct OutputV4<'a> {
    #[serde(borrow)]
    value: &'a RawValue,
    #[serde(rename = "type", borrow)]
    type_json: &'a RawValue,
    #[serde(default)]
    sensitive: bool,
}

#[derive(Deserialize)]
struct ResourceV4<'a> {
    #[serde(default)]
    module: String,
    mode: String,
    #[serde(rename = "type")]
    type_name: String,
    name: String,
    #[serde(default)]
    each: Option<String>,
    #[serde(default)]
    provider: String,
    #[serde(default, borrow)]
    instances: Vec<InstanceV4<'a>>,
}

#[derive(Deserialize)]
struct InstanceV4<'a> {
    #[serde(default)]
    index_key: Option<Value>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    deposed: Option<String>,
    #[serde(default)]
    schema_version: u64,
    #[serde(default, borrow)]
    attributes: Option<&'a RawValue>,
    #[serde(default)]
    attributes_flat: Option<BTreeMap<String, String>>,
    #[serde(default, borrow)]
    sensitive_attributes: Option<&'a RawValue>,
    #[serde(default, borrow)]
    identity: Option<&'a RawValue>,
    #[serde(default)]
    identity_schema_version: Option<u64>,
    #[serde(default)]
    dependencies: Vec<String>,
    #[serde(default)]
    create_before_destroy: bool,
}

/// Collects the elements of a JSON array as raw slices without decoding them.
fn raw_seq<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'de RawValue>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<&'de RawValue>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of resources")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(raw) = seq.next_element::<&'de RawValue>()? {
                out.push(raw);
            }
            Ok(out)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V)
}

fn json_error(e: serde_json::Error) -> ParseError {
    ParseError::InvalidJson {
        message: strip_position(&e.to_string()),
        line: e.line(),
        column: e.column(),
        truncated: e.is_eof(),
    }
}

/// serde_json appends " at line L column C"; we print the position our own way.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Parses a state file. Whole-file problems are errors; problems with single resources or
/// instances are diagnostics next to the state that could be read.
pub fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    parse_owned(bytes.to_vec())
}

/// Parses a state file, keeping its buffer as the backing store of the model's raw JSON (no
/// second copy of the attributes).
pub fn parse_owned(bytes: Vec<u8>) -> Result<Parsed, ParseError> {
    let trimmed = bytes.trim_ascii();
    if trimmed.is_empty() {
        return Err(ParseError::Empty);
    }
    if trimmed.starts_with(b"tfstate") {
        return Err(ParseError::TooOld {
            version: 0,
            terraform_version: None,
            written_by: "0.6 or earlier (binary format)",
        });
    }
    if trimmed[0] != b'{' {
        // Let serde_json say where and what, for JSON that is not an object.
        if let Err(e) = serde_json::from_slice::<IgnoredAny>(trimmed) {
            return Err(json_error(e));
        }
        return Err(ParseError::NotState(
            "the top level is not a JSON object".into(),
        ));
    }
    let sniff: Sniff = serde_json::from_slice(&bytes).map_err(json_error)?;
    if sniff.encrypted_data.is_some() {
        return Err(ParseError::Encrypted {
            encryption_version: match sniff.encryption_version {
                Some(Value::String(v)) => v,
                Some(other) => other.to_string(),
                None => "unknown".into(),
            },
        });
    }
    if let Some(Value::Object(b)) = &sniff.backend {
        return Err(ParseError::BackendCache {
            backend_type: b
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_string(),
        });
    }
    let terraform_version = sniff
        .terraform_version
        .and_then(|v| v.as_str().map(str::to_string));
    let version = match sniff.version {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| {
            ParseError::NotState(format!("\"version\" is {n}, not a format version"))
        })?,
        Some(other) => {
            return Err(ParseError::NotState(format!(
                "\"version\" is {other}, not a format version"
            )))
        }
        None => {
            return Err(ParseError::NotState(
                "it has no \"version\" field (is this a plan file or another JSON document?)"
                    .into(),
            ))
        }
    };
    let (bytes, upgraded_from) = match version {
        4 => (bytes, None),
        1..=3 => {
            let v4 = super::upgrade::to_v4(version, &bytes)
                .map_err(|message| ParseError::UpgradeFailed { version, message })?;
            (v4.to_string().into_bytes(), Some(version))
        }
        0 => {
            return Err(ParseError::TooOld {
                version,
                terraform_version,
                written_by: "0.5 or earlier",
            })
        }
        _ => {
            return Err(ParseError::TooNew {
                version,
                terraform_version,
            })
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| ParseError::InvalidJson {
        message: format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        line: 0,
        column: 0,
        truncated: false,
    })?;
    let buf = std::sync::Arc::new(text);
    let file: StateV4<'_> = serde_json::from_str(&buf).map_err(json_error)?;
    let mut parsed = convert(file, &buf);
    parsed.state.upgraded_from = upgraded_from;
    Ok(parsed)
}

fn convert(file: StateV4<'_>, buf: &std::sync::Arc<String>) -> Parsed {
    let mut diagnostics = Vec::new();
    let mut state = State {
        terraform_version: file.terraform_version,
        serial: file.serial,
        lineage: file.lineage,
        has_check_results: file.check_results.is_some(),
        ..State::default()
    };
    for (name, out) in file.outputs {
        state.outputs.insert(
            name,
            OutputValue {
                value: RawText::new(buf, out.value.get()),
                type_json: RawText::new(buf, out.type_json.get()),
                sensitive: out.sensitive,
            },
        );
    }
    let mut seen = std::collections::HashSet::new();
    for (index, raw) in file.resources.into_iter().enumerate() {
        match convert_resource(raw, buf, &mut diagnostics, &mut seen) {
            Ok(r) => state.resources.push(r),
            Err(message) => diagnostics.push(Diagnostic {
                subject: Some(describe_raw_resource(raw, index)),
                message,
            }),
        }
    }
    Parsed { state, diagnostics }
}

/// Names a resource that failed to decode, from whatever fields can still be read.
fn describe_raw_resource(raw: &RawValue, index: usize) -> String {
    #[derive(Deserialize)]
    struct Loose {
        module: Option<Value>,
        mode: Option<Value>,
        #[serde(rename = "type")]
        type_name: Option<Value>,
        name: Option<Value>,
    }
    let s = |v: Option<Value>| v.and_then(|v| v.as_str().map(str::to_string));
    match serde_json::from_str::<Loose>(raw.get()) {
        Ok(l) => {
            let mut parts = Vec::new();
            if let Some(m) = s(l.module).filter(|m| !m.is_empty()) {
                parts.push(m);
            }
            if s(l.mode).as_deref() == Some("data") {
                parts.push("data".into());
            }
            let (t, n) = (s(l.type_name), s(l.name));
            if t.is_none() && n.is_none() {
                return format!("resource #{} in the state", index + 1);
            }
            parts.push(t.unwrap_or_else(|| "?".into()));
            parts.push(n.unwrap_or_else(|| "?".into()));
            format!("{} (resource #{} in the state)", parts.join("."), index + 1)
        }
        Err(_) => format!("resource #{} in the state", index + 1),
    }
}

fn convert_resource(
    raw: &RawValue,
    buf: &std::sync::Arc<String>,
    diagnostics: &mut Vec<Diagnostic>,
    seen: &mut std::collections::HashSet<(crate::addr::ResourceInstance, Option<String>)>,
) -> Result<ResourceState, String> {
    let r: ResourceV4<'_> = serde_json::from_str(raw.get()).map_err(|e| e.to_string())?;
    let mode = match r.mode.as_str() {
        "managed" => Mode::Managed,
        "data" => Mode::Data,
        other => return Err(format!("unsupported resource mode {other:?}")),
    };
    let module: ModuleInstance = if r.module.is_empty() {
        ModuleInstance::root()
    } else {
        r.module
            .parse()
            .map_err(|e| format!("invalid module address: {e}"))?
    };
    let addr = AbsResource {
        module,
        resource: Resource {
            mode,
            type_name: r.type_name,
            name: r.name,
        },
    };
    let provider = match provider_address(&r.provider) {
        Ok(p) => p,
        Err(why) => {
            return Err(format!(
                "invalid provider configuration address {:?} ({why}); the resource is skipped, as Terraform skips it: fix its \"provider\" (for example provider[\"registry.terraform.io/hashicorp/aws\"]) or remove it from the state with `terraform state rm`",
                r.provider
            ))
        }
    };
    let each = match r.each.as_deref() {
        Some("list") => Some(EachMode::List),
        Some("map") => Some(EachMode::Map),
        _ => None,
    };
    let mut instances = Vec::with_capacity(r.instances.len());
    for inst in r.instances {
        let key = match inst.index_key {
            None | Some(Value::Null) => InstanceKey::None,
            Some(Value::String(s)) => InstanceKey::Str(s),
            Some(Value::Number(n)) if n.as_i64().is_some() => InstanceKey::Int(n.as_i64().unwrap()),
            Some(Value::Number(n)) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => {
                InstanceKey::Int(n.as_f64().unwrap() as i64)
            }
            Some(other) => {
                diagnostics.push(Diagnostic {
                    subject: Some(addr.to_string()),
                    message: format!(
                        "an instance has the invalid instance key {other}; it was skipped"
                    ),
                });
                continue;
            }
        };
        let subject = addr.instance(key.clone());
        let status = match inst.status.as_deref() {
            None | Some("") => ObjectStatus::Ready,
            Some("tainted") => ObjectStatus::Tainted,
            Some(other) => {
                diagnostics.push(Diagnostic {
                    subject: Some(subject.to_string()),
                    message: format!("invalid status {other:?}; the object was skipped"),
                });
                continue;
            }
        };
        let deposed = inst.deposed.filter(|d| !d.is_empty());
        if let Some(d) = &deposed {
            if d.len() != 8 {
                diagnostics.push(Diagnostic {
                    subject: Some(subject.to_string()),
                    message: format!(
                        "deposed key {d:?} is not eight characters; the object was skipped"
                    ),
                });
                continue;
            }
        }
        if !seen.insert((subject.clone(), deposed.clone())) {
            diagnostics.push(Diagnostic {
                subject: Some(subject.to_string()),
                message: match &deposed {
                    Some(d) => format!(
                        "deposed object {d:?} appears more than once; the repeat was skipped"
                    ),
                    None => "the instance appears more than once; the repeat was skipped".into(),
                },
            });
            continue;
        }
        let attributes = match (inst.attributes, inst.attributes_flat) {
            (Some(raw), _) => Attributes::Json(RawText::new(buf, raw.get())),
            (None, Some(flat)) => Attributes::Flat(flat),
            (None, None) => Attributes::Json(RawText::owned("{}".into())),
        };
        let sensitive = match inst.sensitive_attributes {
            None => Sensitivity::Paths(Vec::new()),
            Some(raw) => match decode_sensitive_paths(raw.get()) {
                Ok(paths) => Sensitivity::Paths(paths),
                Err(msg) => {
                    diagnostics.push(Diagnostic {
                        subject: Some(subject.to_string()),
                        message: format!(
                            "sensitive_attributes could not be read ({msg}); every attribute of this object is treated as sensitive"
                        ),
                    });
                    Sensitivity::Everything
                }
            },
        };
        instances.push(InstanceObject {
            key,
            deposed,
            status,
            schema_version: inst.schema_version,
            attributes,
            sensitive,
            identity: inst.identity.map(|r| RawText::new(buf, r.get())),
            identity_schema_version: inst.identity_schema_version,
            dependencies: inst.dependencies,
            create_before_destroy: inst.create_before_destroy,
        });
    }
    Ok(ResourceState {
        addr,
        provider,
        each,
        instances,
    })
}

/// Checks a resource's provider configuration address and returns it in the current form:
/// `module.a.provider["registry.terraform.io/hashicorp/aws"].west`. The form written before
/// provider source addresses (`provider.aws`, `module.a.provider.aws.west`) is read as
/// Terraform reads it, as a legacy provider (`registry.terraform.io/-/aws`). An absent
/// address (hand-written states) is kept absent.
fn provider_address(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Ok(String::new());
    }
    let ident = |p: &str| {
        p.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let mut rest = s;
    let mut module = String::new();
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find('.').ok_or("it ends after a module name")?;
        let name = &after[..end];
        if !ident(name) {
            return Err(format!("{name:?} is not a valid module name"));
        }
        module.push_str(&format!("module.{name}."));
        rest = &after[end + 1..];
    }
    let (fqn, alias) = if let Some(q) = rest.strip_prefix("provider[\"") {
        let end = q
            .find("\"]")
            .ok_or("the provider source is not closed with \"]")?;
        let fqn = &q[..end];
        let parts: Vec<&str> = fqn.split('/').collect();
        if parts.is_empty()
            || parts.len() > 3
            || parts
                .iter()
                .any(|p| p.is_empty() || p.contains(char::is_whitespace))
        {
            return Err(format!("{fqn:?} is not a provider source address"));
        }
        (fqn.to_string(), &q[end + 2..])
    } else if let Some(legacy) = rest.strip_prefix("provider.") {
        let (name, tail) = match legacy.find('.') {
            Some(i) => (&legacy[..i], &legacy[i..]),
            None => (legacy, ""),
        };
        if !ident(name) {
            return Err(format!("{name:?} is not a provider name"));
        }
        let fqn = if name == "terraform" {
            "terraform.io/builtin/terraform".to_string()
        } else {
            format!("registry.terraform.io/-/{name}")
        };
        (fqn, tail)
    } else {
        return Err("it does not name a provider[\"SOURCE\"] configuration".into());
    };
    let alias = match alias {
        "" => None,
        a => match a.strip_prefix('.') {
            Some(a) if ident(a) => Some(a),
            _ => return Err(format!("{a:?} after the provider is not an alias")),
        },
    };
    let mut out = format!("{module}provider[\"{fqn}\"]");
    if let Some(a) = alias {
        out.push('.');
        out.push_str(a);
    }
    Ok(out)
}

/// Decodes `sensitive_attributes`. Two encodings exist:
/// - cty paths (Terraform 0.15+): `[[{"type":"get_attr","value":"pw"},{"type":"index","value":{"value":0,"type":"number"}}]]`
/// - path/marks pairs: `[{"path":[...steps...],"marks":["sensitive"]}]`, also with steps whose
///   index value is bare (`{"type":"index","value":0}`).
///
/// Anything else is an error, and the caller then treats the whole object as sensitive.
fn decode_sensitive_paths(raw: &str) -> Result<Vec<AttrPath>, String> {
    let v: Value = serde_json::from_str(raw).map_err(|e| e.to_string())?;
    let items = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        other => return Err(format!("expected a list of paths, found {}", kind(&other))),
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let steps = match item {
            Value::Array(steps) => steps,
            Value::Object(mut m) => {
                if let Some(Value::Array(marks)) = m.get("marks") {
                    if !marks.iter().any(|m| m.as_str() == Some("sensitive")) {
                        continue;
                    }
                }
                match m.remove("path") {
                    Some(Value::Array(steps)) => steps,
                    _ => return Err("a path entry has no \"path\" list".into()),
                }
            }
            other => return Err(format!("a path is {}, not a list of steps", kind(&other))),
        };
        let mut path = Vec::with_capacity(steps.len());
        for step in steps {
            path.push(decode_step(step)?);
        }
        out.push(AttrPath(path));
    }
    Ok(out)
}

fn decode_step(step: Value) -> Result<PathStep, String> {
    let Value::Object(mut m) = step else {
        return Err(format!("a path step is {}, not an object", kind(&step)));
    };
    let ty = m
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let value = m.remove("value").unwrap_or(Value::Null);
    match ty.as_str() {
        "get_attr" => match value {
            Value::String(s) => Ok(PathStep::Attr(s)),
            other => Err(format!("get_attr step with {} value", kind(&other))),
        },
        "index" => {
            // {"value": 0, "type": "number"} or a bare value.
            let inner = match value {
                Value::Object(mut o) if o.contains_key("value") => o.remove("value").unwrap(),
                other => other,
            };
            match inner {
                Value::Number(n) => n
                    .as_i64()
                    .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                    .map(PathStep::Index)
                    .ok_or_else(|| format!("index {n} is not a whole number")),
                Value::String(s) => Ok(PathStep::Key(s)),
                other => Err(format!("index step with {} value", kind(&other))),
            }
        }
        other => Err(format!("unknown path step type {other:?}")),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::REDACTED;

    fn parse_ok(s: &str) -> Parsed {
        parse(s.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    const FULL: &str = r#"{
      "version": 4, "terraform_version": "1.15.5", "serial": 7, "lineage": "abc",
      "outputs": {"o": {"value": "secret", "type": "string", "sensitive": true},
                  "p": {"value": [1,2], "type": ["tuple", ["number","number"]]}},
      "resources": [
        {"mode": "managed", "type": "terraform_data", "name": "x",
         "provider": "provider[\"terraform.io/builtin/terraform\"]", "each": "list",
         "instances": [
           {"index_key": 0, "schema_version": 0, "attributes": {"id": "a", "input": {"pw": "hunter2", "user": "bob"}},
            "sensitive_attributes": [[{"type": "get_attr", "value": "input"}, {"type": "get_attr", "value": "pw"}]],
            "identity_schema_version": 0},
           {"index_key": 1, "status": "tainted", "schema_version": 0, "attributes": {"id": "b"},
            "identity": {"id": "b"}, "identity_schema_version": 1},
           {"index_key": 1, "deposed": "00000001", "schema_version": 0, "attributes": {"id": "old"}}
         ]},
        {"module": "module.m[\"k\\\"q\"]", "mode": "data", "type": "t", "name": "d",
         "provider": "provider[\"registry.terraform.io/hashicorp/t\"]",
         "instances": [{"schema_version": 0, "attributes_flat": {"id": "flat"}}]}
      ],
      "check_results": [{"object_kind": "resource", "config_addr": "x.y", "status": "pass", "objects": null}]
    }"#;

    #[test]
    fn reads_everything_terraform_writes() {
        let p = parse_ok(FULL);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let s = &p.state;
        assert_eq!(s.terraform_version.as_deref(), Some("1.15.5"));
        assert_eq!(s.serial, 7);
        assert_eq!(s.lineage, "abc");
        assert!(s.has_check_results);
        assert_eq!(s.outputs["o"].value(), Value::String(REDACTED.into()));
        assert_eq!(s.outputs["p"].value(), serde_json::json!([1, 2]));
        let addrs: Vec<String> = s
            .instance_addresses()
            .iter()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(
            addrs,
            [
                "terraform_data.x[0]",
                "terraform_data.x[1]",
                "module.m[\"k\\\"q\"].data.t.d"
            ]
        );
        let x = &s.resources[0];
        assert_eq!(x.each, Some(EachMode::List));
        assert_eq!(x.instances.len(), 3);
        assert_eq!(x.instances[1].status, ObjectStatus::Tainted);
        assert_eq!(
            x.instances[1].identity(),
            Some(serde_json::json!({"id": "b"}))
        );
        assert_eq!(x.instances[1].identity_schema_version, Some(1));
        assert_eq!(x.instances[2].deposed.as_deref(), Some("00000001"));
        assert_eq!(
            x.instances[0].attributes(),
            serde_json::json!({"id": "a", "input": {"pw": REDACTED, "user": "bob"}})
        );
        assert_eq!(
            x.instances[0].attributes_with_secrets()["input"]["pw"],
            Value::String("hunter2".into())
        );
        assert_eq!(
            s.resources[1].instances[0].attributes(),
            serde_json::json!({"id": "flat"})
        );
        assert_eq!(s.current_instances().count(), 3);
    }

    #[test]
    fn one_bad_resource_is_a_diagnostic() {
        let p = parse_ok(
            r#"{"version": 4, "serial": 1, "lineage": "l", "resources": [
              {"mode": "managed", "type": "a", "name": "ok", "provider": "provider[\"registry.terraform.io/hashicorp/a\"]", "instances": [{"attributes": {}}]},
              {"mode": "weird", "type": "b", "name": "bad", "provider": "p", "instances": []},
              {"module": "module.x.", "mode": "managed", "type": "c", "name": "badmod", "instances": []},
              {"mode": "managed", "type": "d", "name": "badkey", "instances": [{"index_key": true}, {"index_key": 2}]},
              {"mode": "managed", "type": "e", "name": "dup", "instances": [{"index_key": 0}, {"index_key": 0}]},
              {"mode": "managed", "type": "f", "instances": "nope"},
              42,
              {"module": "module.m", "mode": "managed", "type": "g", "name": "badprov", "provider": "aws.west", "instances": [{"attributes": {}}]}
            ]}"#,
        );
        let addrs: Vec<String> = p
            .state
            .instance_addresses()
            .iter()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(addrs, ["a.ok", "d.badkey[2]", "e.dup[0]"]);
        let msgs: Vec<String> = p.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 7, "{msgs:#?}");
        assert!(
            msgs[0].starts_with(
                "b.bad (resource #2 in the state): unsupported resource mode \"weird\""
            ),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].contains("c.badmod") && msgs[1].contains("invalid module address"),
            "{}",
            msgs[1]
        );
        assert!(
            msgs[2].starts_with("d.badkey: an instance has the invalid instance key true"),
            "{}",
            msgs[2]
        );
        assert!(
            msgs[3].starts_with("e.dup[0]: the instance appears more than once"),
            "{}",
            msgs[3]
        );
        assert!(msgs[4].contains("f.? (resource #6"), "{}", msgs[4]);
        assert!(
            msgs[5].starts_with("resource #7 in the state"),
            "{}",
            msgs[5]
        );
        assert!(
            msgs[6].starts_with("module.m.g.badprov (resource #8 in the state): invalid provider configuration address \"aws.west\""),
            "{}",
            msgs[6]
        );
    }

    #[test]
    fn sensitive_path_encodings() {
        let cty = r#"[[{"type":"get_attr","value":"a"},{"type":"index","value":{"value":2,"type":"number"}}],
                      [{"type":"get_attr","value":"m"},{"type":"index","value":{"value":"k","type":"string"}}]]"#;
        assert_eq!(
            decode_sensitive_paths(cty).unwrap(),
            vec![
                AttrPath(vec![PathStep::Attr("a".into()), PathStep::Index(2)]),
                AttrPath(vec![PathStep::Attr("m".into()), PathStep::Key("k".into())]),
            ]
        );
        let marks = r#"[{"path":[{"type":"get_attr","value":"pw"}],"marks":["sensitive"]},
                        {"path":[{"type":"get_attr","value":"eph"}],"marks":["ephemeral"]},
                        {"path":[{"type":"get_attr","value":"l"},{"type":"index","value":0}]}]"#;
        assert_eq!(
            decode_sensitive_paths(marks).unwrap(),
            vec![
                AttrPath(vec![PathStep::Attr("pw".into())]),
                AttrPath(vec![PathStep::Attr("l".into()), PathStep::Index(0)]),
            ]
        );
        assert!(decode_sensitive_paths(r#"{"a":1}"#).is_err());
        assert!(decode_sensitive_paths(r#"[[{"type":"wat","value":1}]]"#).is_err());
    }

    #[test]
    fn unreadable_sensitive_paths_redact_everything() {
        let p = parse_ok(
            r#"{"version":4,"resources":[{"mode":"managed","type":"t","name":"n","instances":[
               {"attributes":{"id":"x","pw":"hunter2"},"sensitive_attributes":"garbage"}]}]}"#,
        );
        assert_eq!(p.diagnostics.len(), 1);
        assert!(p.diagnostics[0].message.contains("treated as sensitive"));
        let attrs = p.state.resources[0].instances[0].attributes();
        assert_eq!(attrs, serde_json::json!({"id": REDACTED, "pw": REDACTED}));
    }

    #[test]
    fn whole_file_errors() {
        assert_eq!(parse(b"").unwrap_err(), ParseError::Empty);
        assert_eq!(parse(b"  \n").unwrap_err(), ParseError::Empty);
        match parse(b"{\"version\": 4, \"resources\": [").unwrap_err() {
            ParseError::InvalidJson {
                line, truncated, ..
            } => {
                assert_eq!(line, 1);
                assert!(truncated);
            }
            e => panic!("{e:?}"),
        }
        match parse(b"{\n  \"version\": 4,\n  \"serial\": x\n}").unwrap_err() {
            ParseError::InvalidJson {
                line,
                column,
                truncated,
                ..
            } => {
                assert_eq!((line, column, truncated), (3, 13, false));
            }
            e => panic!("{e:?}"),
        }
        let e = parse(br#"{"version": 0, "terraform_version": "0.5.0"}"#).unwrap_err();
        assert!(e.to_string().contains("0.5 or earlier"), "{e}");
        let e = parse(br#"{"version": 3, "modules": [{"path": ["nope"]}]}"#).unwrap_err();
        assert!(
            e.to_string().contains("could not be upgraded")
                && e.to_string().contains("invalid module path"),
            "{e}"
        );
        let e = parse(br#"{"version": 5, "terraform_version": "2.0.0"}"#).unwrap_err();
        assert!(e.to_string().contains("upgrade tfrecon"), "{e}");
        let e = parse(b"tfstate\x00\x01binary").unwrap_err();
        assert!(e.to_string().contains("0.6 or earlier"), "{e}");
        let e = parse(br#"{"format_version": "1.2", "terraform_version": "1.15.5"}"#).unwrap_err();
        assert!(matches!(e, ParseError::NotState(_)), "{e}");
        let e = parse(b"[1,2]").unwrap_err();
        assert!(matches!(e, ParseError::NotState(_)), "{e}");
        let e = parse(br#"{"version": "4"}"#).unwrap_err();
        assert!(matches!(e, ParseError::NotState(_)), "{e}");
    }

    #[test]
    fn provider_addresses_are_checked_and_legacy_ones_read_as_terraform_does() {
        assert_eq!(
            provider_address("module.a.provider[\"registry.terraform.io/hashicorp/aws\"].west"),
            Ok("module.a.provider[\"registry.terraform.io/hashicorp/aws\"].west".into())
        );
        assert_eq!(
            provider_address("provider.google"),
            Ok("provider[\"registry.terraform.io/-/google\"]".into())
        );
        assert_eq!(
            provider_address("provider.terraform"),
            Ok("provider[\"terraform.io/builtin/terraform\"]".into())
        );
        for bad in [
            "aws",
            "provider[\"a/b/c/d\"]",
            "provider[\"x\"].",
            "provider[\"x",
            "module..provider.aws",
        ] {
            assert!(provider_address(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn backend_caches_and_encrypted_states_are_named() {
        let e = parse(br#"{"version":3,"serial":0,"lineage":"x","backend":{"type":"s3","config":{"bucket":"b"},"hash":1},"modules":[]}"#).unwrap_err();
        assert!(
            matches!(&e, ParseError::BackendCache { backend_type } if backend_type == "s3"),
            "{e}"
        );
        assert!(
            e.to_string().contains(".terraform/terraform.tfstate") && e.to_string().contains("-C"),
            "{e}"
        );
        let e = parse(br#"{"serial":1,"lineage":"x","meta":{"key_provider.pbkdf2.k":"e30="},"encrypted_data":"AAAA","encryption_version":"v0"}"#).unwrap_err();
        assert!(
            matches!(&e, ParseError::Encrypted { encryption_version } if encryption_version == "v0"),
            "{e}"
        );
        assert!(e.to_string().contains("tofu state pull"), "{e}");
    }

    #[test]
    fn minimal_and_null_resources() {
        let p = parse_ok(r#"{"version": 4, "resources": null}"#);
        assert!(p.state.is_empty());
        let p = parse_ok(r#"{"version": 4}"#);
        assert!(p.state.is_empty());
        assert_eq!(p.state.instance_count(), 0);
    }
}
