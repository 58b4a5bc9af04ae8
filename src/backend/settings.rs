//! Backend settings, put together as `terraform init` does: the root module's
//! `terraform { backend "TYPE" { ... } }` block (static values only), the settings `terraform init`
//! cached in `.terraform/terraform.tfstate` (which hold any `-backend-config` given then), and
//! this run's `--backend-config` values, later sources winning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use serde_json::Value;

use super::files;
use super::secrets::{is_secret_setting, redact_setting, REDACTED};

/// A setting's value, as JSON (strings, bools, numbers, lists, objects such as `endpoints`).
pub type SettingValue = Value;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("cannot read {}: {cause}", path.display())]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("--backend-config {arg:?}: {message}")]
    Override { arg: String, message: String },
}

/// A backend block found in the configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendSettings {
    pub kind: String,
    pub settings: BTreeMap<String, SettingValue>,
    /// `file:line:col` of the block, or of the `.terraform/terraform.tfstate` cache.
    pub location: String,
}

/// What the root module declares about where its state lives.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Declared {
    pub backend: Option<BackendSettings>,
    /// `file:line:col` of a `cloud {}` block, which tfrecon cannot read yet.
    pub cloud: Option<String>,
}

/// A setting whose value in the configuration differs from what `terraform init` cached.
/// The values are as they may be shown: a credential is [`super::secrets::REDACTED`], a URL
/// has no password or token (see [`super::secrets::redact_setting`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub key: String,
    pub declared: SettingValue,
    pub cached: SettingValue,
}

/// The settings to open the backend with, and what was noticed while putting them together.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub kind: String,
    pub settings: BTreeMap<String, SettingValue>,
    /// Where the settings came from, for messages.
    pub origin: String,
    /// Settings that differ between the configuration's block and the `terraform init` cache.
    pub mismatches: Vec<Mismatch>,
    /// The cache names another backend type than the configuration (init was not re-run).
    pub kind_mismatch: Option<(String, String)>,
    pub warnings: Vec<String>,
}

/// Reads the root module's `terraform` blocks (`*.tf` and `*.tf.json`, in lexical order).
pub fn read_declared(dir: &Path) -> Result<Declared, SettingsError> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        (n.ends_with(".tf") || n.ends_with(".tf.json")) && !n.starts_with('.')
                    })
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(SettingsError::Io {
                path: dir.to_path_buf(),
                cause: e,
            })
        }
        Err(e) => {
            return Err(SettingsError::Io {
                path: dir.to_path_buf(),
                cause: e,
            })
        }
    };
    files.sort();
    let mut declared = Declared::default();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|cause| SettingsError::Io {
            path: path.clone(),
            cause,
        })?;
        let name = display_name(&path, dir);
        let found = if name.ends_with(".json") {
            read_json_file(&text, &name)?
        } else {
            read_hcl_file(&text, &name)?
        };
        if let Some(b) = found.backend {
            if let Some(prev) = &declared.backend {
                return Err(SettingsError::Invalid {
                    file: b.location.clone(),
                    message: format!(
                        "a second backend block (the first is at {}); a module has at most one",
                        prev.location
                    ),
                });
            }
            declared.backend = Some(b);
        }
        if found.cloud.is_some() {
            declared.cloud = found.cloud;
        }
    }
    Ok(declared)
}

fn display_name(path: &Path, dir: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}

fn read_hcl_file(text: &str, file: &str) -> Result<Declared, SettingsError> {
    use hcl_edit::structure::Body;
    let body: Body = text.parse().map_err(|e: hcl_edit::parser::Error| {
        let loc = e.location();
        SettingsError::Syntax {
            file: file.to_string(),
            line: loc.line(),
            column: loc.column(),
            message: e.message().to_string(),
        }
    })?;
    let mut out = Declared::default();
    for block in body.get_blocks("terraform") {
        for inner in block.body.blocks() {
            let pos = position(text, inner.span());
            match inner.ident.as_str() {
                "backend" => {
                    let Some(label) = inner.labels.first() else {
                        return Err(SettingsError::Invalid {
                            file: format!("{file}:{pos}"),
                            message: "a backend block needs a type label, e.g. backend \"s3\""
                                .into(),
                        });
                    };
                    let kind = label.as_str().to_string();
                    let settings = hcl_body_to_settings(&inner.body, text, file)?;
                    out.backend = Some(BackendSettings {
                        kind,
                        settings,
                        location: format!("{file}:{pos}"),
                    });
                }
                "cloud" => out.cloud = Some(format!("{file}:{pos}")),
                _ => {}
            }
        }
    }
    Ok(out)
}

fn position(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else {
        return "1:1".into();
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    format!("{line}:{col}")
}

fn hcl_body_to_settings(
    body: &hcl_edit::structure::Body,
    text: &str,
    file: &str,
) -> Result<BTreeMap<String, SettingValue>, SettingsError> {
    let mut out = BTreeMap::new();
    for attr in body.attributes() {
        let expr: hcl::Expression = attr.value.clone().into();
        let value: hcl::Value = hcl::eval::Evaluate::evaluate(&expr, &hcl::eval::Context::new())
            .map_err(|e| SettingsError::Invalid {
                file: format!("{file}:{}", position(text, attr.value.span())),
                message: format!(
                    "backend setting {:?} must be a literal value (variables and functions are not allowed in a backend block){}",
                    attr.key.as_str(),
                    // The evaluator's message may quote the expression, which holds a credential.
                    if is_secret_setting(attr.key.as_str()) {
                        String::new()
                    } else {
                        format!(": {e}")
                    }
                ),
            })?;
        let json = serde_json::to_value(&value).unwrap_or(Value::Null);
        out.insert(attr.key.as_str().to_string(), json);
    }
    for block in body.blocks() {
        let nested = hcl_body_to_settings(&block.body, text, file)?;
        out.insert(
            block.ident.as_str().to_string(),
            Value::Object(nested.into_iter().collect()),
        );
    }
    Ok(out)
}

fn read_json_file(text: &str, file: &str) -> Result<Declared, SettingsError> {
    let v: Value = serde_json::from_str(text).map_err(|e| SettingsError::Syntax {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let mut out = Declared::default();
    for tf in blocks_of(v.get("terraform")) {
        for backend in blocks_of(tf.get("backend")) {
            if let Some(obj) = backend.as_object() {
                for (kind, body) in obj {
                    let body = blocks_of(Some(body)).into_iter().next().cloned();
                    let settings = match body {
                        Some(Value::Object(m)) => m.into_iter().collect(),
                        _ => BTreeMap::new(),
                    };
                    out.backend = Some(BackendSettings {
                        kind: kind.clone(),
                        settings,
                        location: file.to_string(),
                    });
                }
            }
        }
        if tf.get("cloud").is_some() {
            out.cloud = Some(file.to_string());
        }
    }
    Ok(out)
}

/// JSON configuration syntax allows a block to be an object or a list of objects.
fn blocks_of(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

/// Reads the backend settings `terraform init` cached in `DATA_DIR/terraform.tfstate`.
pub fn read_init_cache(data_dir: &Path) -> Result<Option<BackendSettings>, SettingsError> {
    let path = data_dir.join("terraform.tfstate");
    let text = match files::read_regular(&path) {
        Ok(t) => String::from_utf8_lossy(&t).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(cause) => return Err(SettingsError::Io { path, cause }),
    };
    let file = path.display().to_string();
    let v: Value = serde_json::from_str(&text).map_err(|e| SettingsError::Syntax {
        file: file.clone(),
        line: e.line(),
        column: e.column(),
        message: format!("{e}; run `terraform init` again to rewrite it"),
    })?;
    let Some(backend) = v.get("backend").filter(|b| !b.is_null()) else {
        return Ok(None);
    };
    let kind = backend
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| SettingsError::Invalid {
            file: file.clone(),
            message: "the cached backend has no type; run `terraform init` again".into(),
        })?
        .to_string();
    let settings = match backend.get("config") {
        Some(Value::Object(m)) => m
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => BTreeMap::new(),
    };
    Ok(Some(BackendSettings {
        kind,
        settings,
        location: file,
    }))
}

/// Parses `--backend-config` arguments: `KEY=VALUE` (a string, as Terraform reads it; dotted
/// keys such as `endpoints.s3=...` set nested settings) or the path of a file of settings in
/// HCL syntax (`bucket = "x"`), relative to `base_dir`.
pub fn parse_overrides(
    args: &[String],
    base_dir: &Path,
) -> Result<BTreeMap<String, SettingValue>, SettingsError> {
    let mut out = BTreeMap::new();
    for arg in args {
        if let Some((key, value)) = arg.split_once('=') {
            let key = key.trim();
            if key.is_empty() {
                // The value may be a credential given without its name: never shown.
                return Err(SettingsError::Override {
                    arg: format!("={REDACTED}"),
                    message: "the key is empty; use KEY=VALUE".into(),
                });
            }
            set_dotted(&mut out, key, Value::String(value.to_string()));
            continue;
        }
        let path = base_dir.join(arg);
        let text = files::read_regular(&path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| SettingsError::Override {
                arg: arg.clone(),
                message: format!(
                    "it is neither KEY=VALUE nor a readable file ({}: {e})",
                    path.display()
                ),
            })?;
        let body: hcl_edit::structure::Body =
            text.parse().map_err(|e: hcl_edit::parser::Error| {
                let loc = e.location();
                SettingsError::Syntax {
                    file: path.display().to_string(),
                    line: loc.line(),
                    column: loc.column(),
                    message: e.message().to_string(),
                }
            })?;
        let settings = hcl_body_to_settings(&body, &text, &path.display().to_string())?;
        out.extend(settings);
    }
    Ok(out)
}

fn set_dotted(map: &mut BTreeMap<String, SettingValue>, key: &str, value: Value) {
    match key.split_once('.') {
        None => {
            map.insert(key.to_string(), value);
        }
        Some((head, rest)) => {
            let entry = map
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Default::default()));
            if !entry.is_object() {
                *entry = Value::Object(Default::default());
            }
            let obj = entry.as_object_mut().unwrap();
            let mut inner: BTreeMap<String, Value> =
                obj.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            set_dotted(&mut inner, rest, value);
            *obj = inner.into_iter().collect();
        }
    }
}

/// Puts the settings together. `declared` is the configuration's block, `cached` what
/// `terraform init` stored, `overrides` this run's `--backend-config`.
pub fn resolve(
    declared: Option<&BackendSettings>,
    cached: Option<&BackendSettings>,
    overrides: &BTreeMap<String, SettingValue>,
) -> Resolved {
    let mut warnings = Vec::new();
    let mut mismatches = Vec::new();
    let mut kind_mismatch = None;
    let (kind, mut settings, origin) = match (declared, cached) {
        (Some(d), Some(c)) if d.kind == c.kind => {
            let mut s = c.settings.clone();
            for (k, v) in &d.settings {
                if let Some(cv) = c.settings.get(k) {
                    if !same_setting(cv, v) {
                        mismatches.push(Mismatch {
                            key: k.clone(),
                            declared: redact_setting(k, v),
                            cached: redact_setting(k, cv),
                        });
                    }
                }
                s.insert(k.clone(), v.clone());
            }
            (
                d.kind.clone(),
                s,
                format!("{} and {}", d.location, c.location),
            )
        }
        (Some(d), Some(c)) => {
            kind_mismatch = Some((d.kind.clone(), c.kind.clone()));
            warnings.push(format!(
                "the configuration declares backend {:?} ({}) but `terraform init` last initialised backend {:?} ({}): \
                 run `terraform init` (with -migrate-state if the state moved); reading the declared backend",
                d.kind, d.location, c.kind, c.location
            ));
            (d.kind.clone(), d.settings.clone(), d.location.clone())
        }
        (Some(d), None) => (d.kind.clone(), d.settings.clone(), d.location.clone()),
        (None, Some(c)) => {
            warnings.push(format!(
                "the configuration declares no backend but `terraform init` cached backend {:?} ({}): \
                 Terraform would ask to migrate the state to the local backend; reading local state",
                c.kind, c.location
            ));
            (
                "local".to_string(),
                BTreeMap::new(),
                "the local backend (no backend block)".into(),
            )
        }
        (None, None) => (
            "local".to_string(),
            BTreeMap::new(),
            "the local backend (no backend block)".into(),
        ),
    };
    for (k, v) in overrides {
        match (settings.get_mut(k), v) {
            (Some(Value::Object(existing)), Value::Object(new)) => {
                for (nk, nv) in new {
                    existing.insert(nk.clone(), nv.clone());
                }
            }
            _ => {
                settings.insert(k.clone(), v.clone());
            }
        }
    }
    Resolved {
        kind,
        settings,
        origin,
        mismatches,
        kind_mismatch,
        warnings,
    }
}

/// Terraform caches every setting as its schema type; `-backend-config` strings become
/// booleans or numbers there. Compare loosely so `"true"` and `true` are the same setting.
fn same_setting(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(s), Value::Bool(v)) | (Value::Bool(v), Value::String(s)) => {
            s.parse::<bool>().ok() == Some(*v)
        }
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
            s.parse::<f64>().ok() == n.as_f64()
        }
        _ => a == b,
    }
}

/// Reads a string setting.
pub fn get_str<'a>(settings: &'a BTreeMap<String, SettingValue>, key: &str) -> Option<&'a str> {
    settings
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Reads a boolean setting given as a boolean or as the strings "true" / "false".
pub fn get_bool(settings: &BTreeMap<String, SettingValue>, key: &str) -> Option<bool> {
    match settings.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Reads a nested string setting such as `endpoints.s3`.
pub fn get_nested_str<'a>(
    settings: &'a BTreeMap<String, SettingValue>,
    key: &str,
    inner: &str,
) -> Option<&'a str> {
    settings
        .get(key)?
        .get(inner)?
        .as_str()
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn reads_backend_block_with_nested_settings() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "main.tf",
            r#"
terraform {
  required_version = ">= 1.5"
  backend "s3" {
    bucket = "tf-state"
    key    = "app/terraform.tfstate"
    use_lockfile = true
    endpoints = { s3 = "http://127.0.0.1:5000" }
    assume_role {
      role_arn = "arn:aws:iam::123:role/x"
    }
  }
}
resource "x" "y" {}
"#,
        );
        let declared = read_declared(d.path()).unwrap();
        let b = declared.backend.unwrap();
        assert_eq!(b.kind, "s3");
        assert_eq!(b.location, "main.tf:4:3");
        assert_eq!(b.settings["bucket"], json!("tf-state"));
        assert_eq!(b.settings["use_lockfile"], json!(true));
        assert_eq!(
            b.settings["endpoints"],
            json!({"s3": "http://127.0.0.1:5000"})
        );
        assert_eq!(
            b.settings["assume_role"],
            json!({"role_arn": "arn:aws:iam::123:role/x"})
        );
        assert!(declared.cloud.is_none());
    }

    #[test]
    fn json_syntax_and_cloud_block() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "backend.tf.json",
            r#"{"terraform": [{"backend": [{"gcs": [{"bucket": "b", "prefix": "p"}]}]}]}"#,
        );
        let b = read_declared(d.path()).unwrap().backend.unwrap();
        assert_eq!(
            (b.kind.as_str(), b.settings["prefix"].clone()),
            ("gcs", json!("p"))
        );
        let d2 = tempfile::tempdir().unwrap();
        write(
            d2.path(),
            "main.tf",
            "terraform {\n  cloud {\n    organization = \"o\"\n  }\n}\n",
        );
        assert_eq!(
            read_declared(d2.path()).unwrap().cloud.as_deref(),
            Some("main.tf:2:3")
        );
    }

    #[test]
    fn errors_point_at_file_line_column() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "a.tf",
            "terraform {\n  backend \"s3\" {\n    bucket = \n  }\n}\n",
        );
        let e = read_declared(d.path()).unwrap_err().to_string();
        assert!(e.starts_with("a.tf:3:"), "{e}");
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "a.tf",
            "terraform {\n  backend \"s3\" {\n    bucket = var.b\n  }\n}\n",
        );
        let e = read_declared(d.path()).unwrap_err().to_string();
        assert!(
            e.starts_with("a.tf:3:14") && e.contains("literal value"),
            "{e}"
        );
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "a.tf", "terraform {\n  backend \"s3\" {}\n}\n");
        write(d.path(), "b.tf", "terraform {\n  backend \"gcs\" {}\n}\n");
        let e = read_declared(d.path()).unwrap_err().to_string();
        assert!(e.contains("second backend block"), "{e}");
    }

    #[test]
    fn overrides_and_merge_like_terraform_init() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "prod.s3.tfbackend",
            "bucket = \"prod-bucket\"\nregion = \"eu-west-1\"\n",
        );
        let overrides = parse_overrides(
            &[
                "prod.s3.tfbackend".into(),
                "key=prod/terraform.tfstate".into(),
                "endpoints.s3=http://x".into(),
            ],
            d.path(),
        )
        .unwrap();
        assert_eq!(overrides["bucket"], json!("prod-bucket"));
        assert_eq!(overrides["endpoints"], json!({"s3": "http://x"}));
        let declared = BackendSettings {
            kind: "s3".into(),
            settings: [
                ("bucket".into(), json!("dev-bucket")),
                ("encrypt".into(), json!(true)),
            ]
            .into(),
            location: "main.tf:2:3".into(),
        };
        let cached = BackendSettings {
            kind: "s3".into(),
            settings: [
                ("bucket".into(), json!("old-bucket")),
                ("encrypt".into(), json!(true)),
                ("key".into(), json!("cached-key")),
                ("workspace_key_prefix".into(), json!("envs")),
            ]
            .into(),
            location: ".terraform/terraform.tfstate".into(),
        };
        let r = resolve(Some(&declared), Some(&cached), &BTreeMap::new());
        assert_eq!(r.settings["bucket"], json!("dev-bucket"));
        assert_eq!(r.settings["key"], json!("cached-key"));
        assert_eq!(r.settings["workspace_key_prefix"], json!("envs"));
        assert_eq!(r.mismatches.len(), 1);
        assert_eq!(r.mismatches[0].key, "bucket");
        let r = resolve(Some(&declared), Some(&cached), &overrides);
        assert_eq!(r.settings["bucket"], json!("prod-bucket"));
        assert_eq!(r.settings["key"], json!("prod/terraform.tfstate"));
        let gcs = BackendSettings {
            kind: "gcs".into(),
            ..cached.clone()
        };
        let r = resolve(Some(&declared), Some(&gcs), &BTreeMap::new());
        assert_eq!(r.kind_mismatch, Some(("s3".into(), "gcs".into())));
        assert_eq!(r.warnings.len(), 1);
        let r = resolve(None, Some(&cached), &BTreeMap::new());
        assert_eq!(r.kind, "local");
        assert!(r.warnings[0].contains("declares no backend"));
        assert!(parse_overrides(&["missing-file".into()], d.path())
            .unwrap_err()
            .to_string()
            .contains("neither KEY=VALUE"));
    }

    #[test]
    fn init_cache() {
        let d = tempfile::tempdir().unwrap();
        assert!(read_init_cache(d.path()).unwrap().is_none());
        write(
            d.path(),
            "terraform.tfstate",
            r#"{"version":3,"serial":1,"lineage":"x","backend":{"type":"gcs","config":{"bucket":"b","prefix":"p","credentials":null},"hash":1}}"#,
        );
        let c = read_init_cache(d.path()).unwrap().unwrap();
        assert_eq!(c.kind, "gcs");
        assert_eq!(c.settings.len(), 2);
        write(d.path(), "terraform.tfstate", "{oops");
        assert!(read_init_cache(d.path())
            .unwrap_err()
            .to_string()
            .contains("terraform init"));
    }
}
