//! State format versions 1 to 3 (Terraform 0.11 and earlier), upgraded in memory to
//! version 4 exactly as Terraform's `statefile/version{1,2,3}_upgrade.go` do, so that old
//! states are read by the one version 4 reader. Nothing is written back.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Map, Value};

/// Version 1 to 3 share this shape closely enough: version 1 outputs are bare strings and
/// its instances have no `tainted` flag; version 2 and 3 are identical on disk.
#[derive(Deserialize)]
struct Legacy {
    #[serde(default)]
    terraform_version: Option<String>,
    #[serde(default)]
    serial: i64,
    #[serde(default)]
    lineage: String,
    #[serde(default)]
    modules: Option<Vec<LegacyModule>>,
}

#[derive(Deserialize)]
struct LegacyModule {
    #[serde(default)]
    path: Vec<String>,
    #[serde(default)]
    outputs: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    resources: Option<BTreeMap<String, LegacyResource>>,
}

#[derive(Deserialize)]
struct LegacyResource {
    #[serde(rename = "type", default)]
    type_name: String,
    #[serde(default)]
    primary: Option<LegacyInstance>,
    #[serde(default)]
    deposed: Option<Vec<Option<LegacyInstance>>>,
    #[serde(default)]
    provider: String,
}

#[derive(Deserialize)]
struct LegacyInstance {
    #[serde(default)]
    id: String,
    #[serde(default)]
    attributes: Option<BTreeMap<String, String>>,
    #[serde(default)]
    meta: Option<Map<String, Value>>,
    #[serde(default)]
    tainted: bool,
}

/// The version 4 document a version 1, 2 or 3 state upgrades to, or why it cannot.
pub fn to_v4(version: u64, text: &[u8]) -> Result<Value, String> {
    let old: Legacy = serde_json::from_slice(text).map_err(|e| e.to_string())?;
    if old.serial < 0 {
        return Err("state has serial less than zero, which is invalid".into());
    }
    let mut resources: Vec<Value> = Vec::new();
    let mut outputs = Map::new();
    for m in old.modules.unwrap_or_default() {
        // Version 1 states were found with no path at all: the root module.
        let path = if m.path.is_empty() && version == 1 {
            vec!["root".to_string()]
        } else {
            m.path
        };
        if path.first().map(String::as_str) != Some("root") {
            return Err(format!("state contains invalid module path {path:?}"));
        }
        for name in &path[1..] {
            if !valid_identifier(name) {
                return Err(format!(
                    "state contains invalid module path {path:?}: {name:?} is not a valid identifier; rename it in Terraform 0.11 before upgrading"
                ));
            }
        }
        let module: Vec<String> = path[1..].iter().map(|n| format!("module.{n}")).collect();
        let module = module.join(".");
        let mut by_resource: BTreeMap<(String, String, String), Value> = BTreeMap::new();
        for (legacy_addr, rs) in m.resources.unwrap_or_default() {
            let (mode, type_name, name, key) = parse_legacy_address(&legacy_addr)?;
            let entry = by_resource
                .entry((mode.to_string(), type_name.clone(), name.clone()))
                .or_insert_with(|| {
                    json!({
                        "module": module,
                        "mode": mode,
                        "type": type_name,
                        "name": name,
                        "provider": legacy_provider(&rs.provider, &module, &rs.type_name, &type_name),
                        "instances": [],
                    })
                });
            if let Some(p) = &rs.primary {
                let inst = instance(version, p, key, None);
                push_instance(entry, inst);
            }
            for (i, d) in rs.deposed.iter().flatten().enumerate() {
                if let Some(d) = d {
                    let inst = instance(version, d, key, Some(format!("{:08x}", i + 1)));
                    push_instance(entry, inst);
                }
            }
            if key.is_some() {
                entry["each"] = json!("list");
            }
        }
        resources.extend(by_resource.into_values());
        if module.is_empty() {
            for (k, v) in m.outputs.unwrap_or_default() {
                let (value, sensitive) = match v {
                    // Version 1 outputs are plain strings.
                    Value::String(s) if version == 1 => (Value::String(s), false),
                    Value::Object(o) => (
                        o.get("value").cloned().unwrap_or(Value::Null),
                        o.get("sensitive").and_then(Value::as_bool).unwrap_or(false),
                    ),
                    other => (other, false),
                };
                let ty = implied_type(&value);
                outputs.insert(
                    k,
                    json!({"value": value, "type": ty, "sensitive": sensitive}),
                );
            }
        }
    }
    Ok(json!({
        "version": 4,
        "terraform_version": old.terraform_version.filter(|v| !v.is_empty()).unwrap_or_else(|| "0.0.0".into()),
        "serial": old.serial,
        "lineage": old.lineage,
        "outputs": outputs,
        "resources": resources,
    }))
}

fn push_instance(resource: &mut Value, inst: Value) {
    if let Some(list) = resource["instances"].as_array_mut() {
        list.push(inst);
    }
}

fn instance(
    version: u64,
    old: &LegacyInstance,
    key: Option<i64>,
    deposed: Option<String>,
) -> Value {
    let mut attributes = old.attributes.clone().unwrap_or_default();
    if version < 3 {
        upgrade_attributes_v2_to_v3(&mut attributes);
    }
    // A first-class ID with no `id` attribute becomes one, so that it is not lost.
    if !old.id.is_empty() && attributes.get("id").is_none_or(|v| v.is_empty()) {
        attributes.insert("id".into(), old.id.clone());
    }
    let schema_version = old
        .meta
        .as_ref()
        .and_then(|m| m.get("schema_version"))
        .and_then(|v| match v {
            Value::String(s) => s.parse::<u64>().ok(),
            Value::Number(n) => n.as_f64().map(|f| f as u64),
            _ => None,
        })
        .unwrap_or(0);
    let mut inst = json!({
        "schema_version": schema_version,
        "attributes_flat": attributes,
    });
    if let Some(k) = key {
        inst["index_key"] = json!(k);
    }
    if old.tainted {
        inst["status"] = json!("tainted");
    }
    if let Some(d) = deposed {
        inst["deposed"] = json!(d);
    }
    inst
}

/// Version 2 to 3: flatmap counts of collections with non-numeric keys are maps (`.%`
/// instead of `.#`), and counts of empty collections are dropped.
fn upgrade_attributes_v2_to_v3(attrs: &mut BTreeMap<String, String>) {
    let prefixes: Vec<String> = attrs
        .keys()
        .filter_map(|k| k.strip_suffix('#').filter(|p| p.ends_with('.')))
        .map(str::to_string)
        .collect();
    for prefix in prefixes {
        let mut keys: Vec<&str> = attrs
            .keys()
            .filter_map(|k| k.strip_prefix(prefix.as_str()))
            .map(|rest| rest.split('.').next().unwrap_or(rest))
            .filter(|k| *k != "#")
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let non_numeric = keys.iter().any(|k| k.parse::<i64>().is_err());
        let empty = keys.is_empty();
        let old_key = format!("{prefix}#");
        if non_numeric {
            if let Some(v) = attrs.remove(&old_key) {
                attrs.insert(format!("{prefix}%"), v);
            }
        }
        if empty {
            attrs.remove(&old_key);
        }
    }
}

/// `aws_instance.web`, `aws_instance.web.0`, `data.aws_ami.ubuntu.1`.
fn parse_legacy_address(s: &str) -> Result<(&'static str, String, String, Option<i64>), String> {
    let mut parts: Vec<&str> = s.split('.').collect();
    if parts.len() < 2 || parts.len() > 4 {
        return Err(format!("invalid internal resource address format: {s}"));
    }
    let mut mode = "managed";
    if parts.len() > 2 && parts[0] == "data" {
        mode = "data";
        parts.remove(0);
    }
    if parts.len() > 3 {
        return Err(format!("invalid internal resource address format: {s}"));
    }
    let key = match parts.get(2) {
        Some(k) => Some(
            k.parse::<i64>()
                .map_err(|e| format!("error parsing resource address {s:?}: {e}"))?,
        ),
        None => None,
    };
    Ok((mode, parts[0].to_string(), parts[1].to_string(), key))
}

/// A pre-0.12 provider reference (`provider.aws`, `module.a.provider.aws.west`, or the
/// module-local `aws.west`) as the legacy provider configuration address Terraform reads:
/// the `-` namespace marks a provider from before source addresses existed.
fn legacy_provider(old: &str, module: &str, resource_type: &str, type_name: &str) -> String {
    let in_module = |m: &str| {
        if m.is_empty() {
            String::new()
        } else {
            format!("{m}.")
        }
    };
    let (module, rest) = match old.find("provider.") {
        Some(i) => (
            old[..i].trim_end_matches('.').to_string(),
            &old[i + "provider.".len()..],
        ),
        None if old.is_empty() => {
            let t = if resource_type.is_empty() {
                type_name
            } else {
                resource_type
            };
            (module.to_string(), t.split('_').next().unwrap_or(t))
        }
        None => (module.to_string(), old),
    };
    let (name, alias) = match rest.split_once('.') {
        Some((n, a)) => (n, Some(a)),
        None => (rest, None),
    };
    let fqn = if name == "terraform" {
        "terraform.io/builtin/terraform".to_string()
    } else {
        format!("registry.terraform.io/-/{name}")
    };
    let mut s = format!("{}provider[\"{fqn}\"]", in_module(&module));
    if let Some(a) = alias {
        s.push('.');
        s.push_str(a);
    }
    s
}

fn valid_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// The type of a legacy output value, as `cty`'s implied type simplified the way the
/// upgrade does: homogeneous tuples become lists and homogeneous objects maps.
fn implied_type(v: &Value) -> Value {
    match v {
        Value::Null => json!("dynamic"),
        Value::Bool(_) => json!("bool"),
        Value::Number(_) => json!("number"),
        Value::String(_) => json!("string"),
        Value::Array(items) => {
            let tys: Vec<Value> = items.iter().map(implied_type).collect();
            match tys.first() {
                Some(first) if tys.iter().all(|t| t == first) => json!(["list", first]),
                _ => json!(["tuple", tys]),
            }
        }
        Value::Object(m) => {
            let tys: Map<String, Value> = m
                .iter()
                .map(|(k, v)| (k.clone(), implied_type(v)))
                .collect();
            let first = tys.values().next().cloned();
            match first {
                Some(f) if tys.values().all(|t| *t == f) => json!(["map", f]),
                _ => json!(["object", tys]),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatmap_counts_of_maps_become_percent() {
        let mut a: BTreeMap<String, String> = [
            ("tags.#", "1"),
            ("tags.Name", "x"),
            ("list.#", "1"),
            ("list.0", "a"),
            ("empty.#", "0"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        upgrade_attributes_v2_to_v3(&mut a);
        assert_eq!(a.get("tags.%").map(String::as_str), Some("1"));
        assert!(!a.contains_key("tags.#"));
        assert_eq!(a.get("list.#").map(String::as_str), Some("1"));
        assert!(!a.contains_key("empty.#"));
    }

    #[test]
    fn legacy_providers_become_addresses() {
        assert_eq!(
            legacy_provider("provider.aws", "", "aws_instance", "aws_instance"),
            "provider[\"registry.terraform.io/-/aws\"]"
        );
        assert_eq!(
            legacy_provider("module.a.provider.aws.west", "module.a", "", "aws_instance"),
            "module.a.provider[\"registry.terraform.io/-/aws\"].west"
        );
        assert_eq!(
            legacy_provider("aws.east", "module.b", "", "aws_instance"),
            "module.b.provider[\"registry.terraform.io/-/aws\"].east"
        );
        assert_eq!(
            legacy_provider("", "", "", "google_storage_bucket"),
            "provider[\"registry.terraform.io/-/google\"]"
        );
    }
}
