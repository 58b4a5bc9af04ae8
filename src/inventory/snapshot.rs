//! Offline inventories: files written by gcloud (`asset list`, `asset search-all-resources`,
//! `asset export`) and tfrecon's own `inventory --format json` document, detected by shape.
//! Owns the tfrecon document format both ways. It reads files; it never calls a cloud.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::gcp::asset::{Asset, AssetResource, Converter};
use super::model::INVENTORY_FORMAT_VERSION;
use super::{Inventory, InventoryError, LiveResource};
use crate::catalog::Catalog;

const EXPECTED: &str =
    "the JSON of `gcloud asset list --format=json` (resource or iam-policy content), \
    of `gcloud asset search-all-resources --format=json`, the newline-delimited JSON that \
    `gcloud asset export` writes, or `tfrecon inventory --format json`";

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read inventory file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("inventory file {path}: {reason}")]
    Malformed { path: PathBuf, reason: String },
    #[error("inventory file {path} is not a format tfrecon reads; expected {EXPECTED}")]
    Unrecognised { path: PathBuf },
}

/// The `tfrecon inventory --format json` document.
#[derive(Debug, Serialize, Deserialize)]
pub struct Document {
    pub version: u32,
    pub complete: bool,
    pub resources: Vec<LiveResource>,
    pub errors: Vec<InventoryError>,
}

impl Document {
    /// The document for an inventory, sorted so that runs compare line by line.
    pub fn new(mut inventory: Inventory) -> Document {
        inventory.sort();
        Document {
            version: INVENTORY_FORMAT_VERSION,
            complete: inventory.complete(),
            resources: inventory.resources,
            errors: inventory.errors,
        }
    }
}

/// What one file held.
#[derive(Debug)]
pub enum Snapshot {
    /// Cloud Asset Inventory assets, still to be converted (together with the other files').
    Assets(Vec<Asset>),
    /// A tfrecon document, already in the model.
    Inventory(Inventory),
}

/// Reads several files into one inventory. Assets from every gcloud file are converted
/// together, so an IAM-policy listing in one file finds its parents in another.
pub fn load(paths: &[PathBuf]) -> Result<Inventory, SnapshotError> {
    let mut inventory = Inventory::default();
    let mut converter = Converter::new(Catalog::gcp());
    for path in paths {
        let source = format!("file:{}", path.display());
        match read(path)? {
            Snapshot::Inventory(inv) => inventory.extend(inv),
            Snapshot::Assets(assets) => {
                for a in assets {
                    converter.push(a, &source, None);
                }
            }
        }
    }
    inventory.resources.extend(converter.finish());
    Ok(inventory)
}

pub fn read(path: &Path) -> Result<Snapshot, SnapshotError> {
    // A named pipe or device would block or never end: refused before it is opened.
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() && !meta.is_dir() {
            return Err(SnapshotError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "it is not a regular file (a named pipe, socket or device); give a file",
                ),
            });
        }
    }
    let text = std::fs::read_to_string(path).map_err(|source| SnapshotError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Detects the format from the text's shape and parses it.
pub fn parse(text: &str, path: &Path) -> Result<Snapshot, SnapshotError> {
    let malformed = |reason: String| SnapshotError::Malformed {
        path: path.to_path_buf(),
        reason,
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let items: Vec<Value> = serde_json::from_str(text).map_err(|e| {
            malformed(format!(
                "not valid JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ))
        })?;
        let mut assets = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            assets.push(item_to_asset(item).map_err(|r| malformed(format!("item {i}: {r}")))?);
        }
        return Ok(Snapshot::Assets(assets));
    }
    if !trimmed.starts_with('{') {
        return Err(SnapshotError::Unrecognised {
            path: path.to_path_buf(),
        });
    }
    // A tfrecon document is read straight into its types: a first pass that allocates nothing
    // tells it from the other shapes, which keeps a large snapshot to one copy in memory.
    #[derive(Deserialize)]
    struct Probe {
        version: Option<Value>,
        resources: Option<serde::de::IgnoredAny>,
    }
    if let Ok(Probe {
        version: Some(version),
        resources: Some(_),
    }) = serde_json::from_str::<Probe>(text)
    {
        if version.as_u64() != Some(u64::from(INVENTORY_FORMAT_VERSION)) {
            return Err(malformed(format!(
                "tfrecon inventory document version {version} is not supported (this build reads version {INVENTORY_FORMAT_VERSION})"
            )));
        }
        let doc: Document = serde_json::from_str(text)
            .map_err(|e| malformed(format!("not a valid tfrecon inventory document: {e}")))?;
        return Ok(Snapshot::Inventory(Inventory {
            resources: doc.resources,
            errors: doc.errors,
        }));
    }
    // Assets: one JSON object, or one per line (gcloud asset export).
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let first: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) if e.is_syntax() && e.line() > 1 => {
            let (_, l) = lines.next().expect("text starts with `{`");
            serde_json::from_str(l).map_err(|_| {
                malformed(format!(
                    "not valid JSON at line {} column {}: {e}",
                    e.line(),
                    e.column()
                ))
            })?
        }
        Err(e) => {
            return Err(malformed(format!(
                "not valid JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            )))
        }
    };
    if !is_asset(&first) {
        return Err(SnapshotError::Unrecognised {
            path: path.to_path_buf(),
        });
    }
    let mut assets = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .map_err(|e| malformed(format!("line {}: not JSON: {e}", n + 1)))?;
        assets.push(item_to_asset(v).map_err(|r| malformed(format!("line {}: {r}", n + 1)))?);
    }
    Ok(Snapshot::Assets(assets))
}

fn asset_type_of(v: &Value) -> Option<&str> {
    v.get("assetType").or_else(|| v.get("asset_type"))?.as_str()
}

fn is_asset(v: &Value) -> bool {
    v.get("name").and_then(Value::as_str).is_some() && asset_type_of(v).is_some()
}

/// A gcloud list/export `Asset`, or a search-all-resources `ResourceSearchResult` turned
/// into one (its fields become the resource data the catalog reads).
fn item_to_asset(v: Value) -> Result<Asset, String> {
    if !is_asset(&v) {
        return Err("expected an object with `name` and `assetType`".into());
    }
    let is_cai_asset = [
        "resource",
        "iamPolicy",
        "iam_policy",
        "ancestors",
        "updateTime",
        "update_time",
    ]
    .iter()
    .any(|k| v.get(k).is_some());
    if is_cai_asset {
        return serde_json::from_value(v)
            .map_err(|e| format!("not a Cloud Asset Inventory asset: {e}"));
    }
    let Value::Object(mut obj) = v else {
        unreachable!("is_asset checked the shape")
    };
    let name = obj
        .remove("name")
        .and_then(|n| n.as_str().map(str::to_string))
        .unwrap_or_default();
    let asset_type = asset_type_of(&Value::Object(obj.clone()))
        .unwrap_or_default()
        .to_string();
    let location = obj
        .remove("location")
        .and_then(|l| l.as_str().map(str::to_string));
    let ancestors = obj
        .get("project")
        .and_then(Value::as_str)
        .map(|p| vec![p.to_string()])
        .unwrap_or_default();
    let mut data = Map::new();
    if let Some(Value::Object(extra)) = obj.remove("additionalAttributes") {
        data.extend(extra);
    }
    for (k, v) in obj {
        if !matches!(
            k.as_str(),
            "assetType" | "project" | "versionedResources" | "attachedResources"
        ) {
            data.entry(k).or_insert(v);
        }
    }
    Ok(Asset {
        name,
        asset_type,
        resource: Some(AssetResource {
            data: Some(Value::Object(data)),
            location,
        }),
        iam_policy: None,
        ancestors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_array_is_an_empty_listing() {
        match parse("[]", Path::new("x.json")).unwrap() {
            Snapshot::Assets(a) => assert!(a.is_empty()),
            Snapshot::Inventory(_) => panic!("an array is a gcloud listing"),
        }
    }

    #[test]
    fn unknown_shapes_name_the_file() {
        let err = parse("name,type\n", Path::new("assets.csv"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("assets.csv") && err.contains("gcloud asset list"),
            "{err}"
        );
        let err = parse("{\"foo\": 1}", Path::new("o.json"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a format tfrecon reads"), "{err}");
    }
}
