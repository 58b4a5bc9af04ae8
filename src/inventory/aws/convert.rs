//! Turns a resource's properties (CloudFormation property names, as Cloud Control and AWS Config
//! give them) into a [`LiveResource`] named as Terraform names it, from its row in
//! `catalog/aws.toml` alone: `fields` maps properties to attributes, `derive` cuts attributes
//! out of others, `import_omit` and the import ID templates give the import ID, `id_format`
//! the provider's `id`, `policy_attribute` the resource policy and `service_managed` the
//! service's own resources. It holds no per-type knowledge of its own and calls nothing.

use std::collections::BTreeMap;

use regex::Regex;
use serde_json::{Map, Value};

use crate::catalog::{lookup_attr, AwsTest, Catalog, TypeInfo};
use crate::inventory::model::{Cloud, LiveResource};

/// Where a resource was found.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub account: Option<String>,
    /// Its region, or `global`.
    pub location: String,
    /// The scope it was listed under (`aws:eu-west-1`).
    pub source: String,
}

/// The catalog row of `tf_type`. Every type a lister produces has one (a test checks).
pub(crate) fn info(tf_type: &str) -> &'static TypeInfo {
    Catalog::aws().get(tf_type).unwrap_or_else(|| {
        panic!("{tf_type} is produced by a lister but has no row in catalog/aws.toml")
    })
}

/// Terraform attributes from `props` through the row's `fields`. Property paths are dotted,
/// `A[].B` collects `B` from every element of the list `A`; `case_insensitive` lets AWS Config's
/// camelCase documents match CloudFormation's PascalCase names.
pub(crate) fn attributes(info: &TypeInfo, props: &Value, case_insensitive: bool) -> Value {
    let mut out = Map::new();
    for (path, attr) in &info.fields {
        let Some(v) = read_path(props, path, case_insensitive) else {
            continue;
        };
        let v = terraform_value(info, attr, v);
        if v.is_null() {
            continue;
        }
        set_path(&mut out, attr, v);
    }
    let mut attrs = Value::Object(out);
    derive(info, &mut attrs);
    attrs
}

/// A property value as Terraform holds it: CloudFormation tag lists become maps, documents
/// the catalog marks as JSON become compact JSON strings.
fn terraform_value(info: &TypeInfo, attr: &str, v: Value) -> Value {
    if let Some(tags) = tag_map(&v) {
        return tags;
    }
    let is_json = info.json_attributes.iter().any(|j| j == attr);
    match v {
        Value::String(s) if is_json => match serde_json::from_str::<Value>(&s) {
            Ok(doc) => Value::String(doc.to_string()),
            Err(_) => Value::String(s),
        },
        v @ (Value::Object(_) | Value::Array(_)) if is_json => Value::String(v.to_string()),
        v => v,
    }
}

/// `[{"Key": k, "Value": v}, ...]` (either case) as `{k: v}`; an empty list is `null`, as
/// Terraform's state has it for untagged resources.
fn tag_map(v: &Value) -> Option<Value> {
    let list = v.as_array()?;
    let mut map = Map::new();
    for t in list {
        let o = t.as_object()?;
        let k = o.get("Key").or_else(|| o.get("key"))?.as_str()?;
        let val = o.get("Value").or_else(|| o.get("value"))?;
        let val = match val {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        map.insert(k.to_string(), Value::String(val));
    }
    if map.is_empty() && !list.is_empty() {
        return None;
    }
    Some(if map.is_empty() {
        Value::Null
    } else {
        Value::Object(map)
    })
}

fn read_path(v: &Value, path: &str, ci: bool) -> Option<Value> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    // `A[K=V]`: the first element of the list `A` whose `K` is `V` (a key schema's HASH key).
    if let Some((list_key, filter)) = head
        .strip_suffix(']')
        .and_then(|h| h.split_once('['))
        .filter(|(_, f)| f.contains('='))
    {
        let (k, want) = filter.split_once('=').unwrap_or_default();
        let item = get_key(v, list_key, ci)?
            .as_array()?
            .iter()
            .find(|i| get_key(i, k, ci).and_then(Value::as_str) == Some(want))?;
        return match rest {
            Some(r) => read_path(item, r, ci),
            None => Some(item.clone()),
        };
    }
    if let Some(list_key) = head.strip_suffix("[]") {
        let list = get_key(v, list_key, ci)?.as_array()?.clone();
        let items: Vec<Value> = list
            .iter()
            .filter_map(|item| match rest {
                Some(r) => read_path(item, r, ci),
                None => Some(item.clone()),
            })
            .collect();
        return Some(Value::Array(items));
    }
    let next = get_key(v, head, ci)?;
    match rest {
        Some(r) => read_path(next, r, ci),
        None => Some(next.clone()),
    }
}

fn get_key<'v>(v: &'v Value, key: &str, ci: bool) -> Option<&'v Value> {
    let o = v.as_object()?;
    o.get(key).or_else(|| {
        if ci {
            o.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        } else {
            None
        }
    })
}

fn set_path(out: &mut Map<String, Value>, attr: &str, v: Value) {
    match attr.split_once('.') {
        None => {
            out.insert(attr.to_string(), v);
        }
        Some((head, rest)) => {
            let entry = out
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = entry {
                set_path(m, rest, v);
            }
        }
    }
}

/// Applies the row's `derive` rules: each is the first capture group of a regex.
fn derive(info: &TypeInfo, attrs: &mut Value) {
    let Some(aws) = &info.aws else { return };
    for d in &aws.derive {
        let Some(from) = lookup_attr(attrs, &d.from) else {
            continue;
        };
        let Ok(re) = cached_regex(&d.regex) else {
            continue;
        };
        if let Some(v) = re.captures(&from).and_then(|c| c.get(1)) {
            if let Value::Object(m) = attrs {
                m.insert(d.attribute.clone(), Value::String(v.as_str().to_string()));
            }
        }
    }
}

fn cached_regex(pattern: &str) -> Result<Regex, regex::Error> {
    use std::sync::{LazyLock, Mutex};
    static CACHE: LazyLock<Mutex<BTreeMap<String, Regex>>> = LazyLock::new(Default::default);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = cache.get(pattern) {
        return Ok(r.clone());
    }
    let r = Regex::new(pattern)?;
    cache.insert(pattern.to_string(), r.clone());
    Ok(r)
}

/// Whether one test of `when` / `import_omit` holds for `attrs`.
pub(crate) fn test(t: &AwsTest, attrs: &Value) -> bool {
    let v = lookup_attr(attrs, &t.attribute);
    if let Some(present) = t.present {
        if v.is_some() != present {
            return false;
        }
    }
    if let Some(eq) = &t.equals {
        if v.as_deref() != Some(eq.as_str()) {
            return false;
        }
    }
    if let Some(re) = &t.regex {
        match (cached_regex(re), v) {
            (Ok(re), Some(v)) if re.is_match(&v) => {}
            _ => return false,
        }
    }
    true
}

/// Whether a resource of the row's CloudFormation type is this row's (rows sharing a type).
pub(crate) fn belongs(info: &TypeInfo, attrs: &Value) -> bool {
    info.aws
        .as_ref()
        .is_none_or(|a| a.when.iter().all(|t| test(t, attrs)))
}

/// The import ID from the catalog templates, leaving out what `import_omit` says.
pub(crate) fn import_id(info: &TypeInfo, attrs: &Value) -> Option<String> {
    let omit: Vec<&str> = info
        .aws
        .iter()
        .flat_map(|a| a.import_omit.iter())
        .filter(|t| test(t, attrs))
        .map(|t| t.attribute.as_str())
        .collect();
    if omit.is_empty() {
        return info.render_import_id(attrs).ok();
    }
    let mut a = attrs.clone();
    if let Value::Object(m) = &mut a {
        for k in omit {
            m.remove(k);
        }
    }
    info.render_import_id(&a).ok()
}

/// A live resource of `info`'s type from Terraform attributes. It is named by its `arn`
/// attribute when `prefer_arn` and it has one, else by `native_name` (the ARN an SDK gave, the
/// identifier Cloud Control listed it under), else by its import ID.
pub(crate) fn resource(
    info: &TypeInfo,
    mut attributes: Value,
    native_name: Option<String>,
    prefer_arn: bool,
    place: &Place,
) -> LiveResource {
    if let Value::Object(map) = &mut attributes {
        map.retain(|_, v| !v.is_null());
    }
    if attributes.get("id").is_none() {
        if let Some(id) = info.render_id(&attributes) {
            if let Value::Object(map) = &mut attributes {
                map.insert("id".into(), Value::String(id));
            }
        }
    }
    let import_id = import_id(info, &attributes);
    let name = attributes
        .get("arn")
        .and_then(Value::as_str)
        .filter(|_| prefer_arn)
        .map(str::to_string)
        .or(native_name)
        .or_else(|| import_id.clone())
        .unwrap_or_default();
    let iam_policy = info
        .aws
        .as_ref()
        .and_then(|a| a.policy_attribute.as_deref())
        .and_then(|p| attributes.get(p))
        .and_then(Value::as_str)
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
        .filter(Value::is_object);
    let labels: crate::map::Map<String> = attributes
        .get("tags")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let service_managed =
        info.is_service_managed(&attributes, |k| labels.get(k).map(String::as_str));
    LiveResource {
        cloud: Cloud::Aws,
        tf_type: Some(info.type_name.clone()),
        native_type: info.native_type().unwrap_or_default().to_string(),
        name,
        import_id,
        project: None,
        account: place.account.clone(),
        location: Some(place.location.clone()),
        labels,
        attributes: attributes.into(),
        iam_policy,
        service_managed,
        source: place.source.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn place() -> Place {
        Place {
            account: Some("123456789012".into()),
            location: "eu-west-1".into(),
            source: "aws:eu-west-1".into(),
        }
    }

    #[test]
    fn cloudformation_properties_become_terraform_attributes() {
        let info = info("aws_sqs_queue");
        let props = json!({
            "QueueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/orders",
            "Arn": "arn:aws:sqs:eu-west-1:123456789012:orders",
            "QueueName": "orders",
            "VisibilityTimeout": 45,
            "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:123456789012:dlq", "maxReceiveCount": 5},
            "Tags": [{"Key": "team", "Value": "payments"}]
        });
        let attrs = attributes(info, &props, false);
        assert_eq!(attrs["name"], "orders");
        assert_eq!(attrs["visibility_timeout_seconds"], 45);
        assert_eq!(attrs["tags"]["team"], "payments");
        let redrive: Value =
            serde_json::from_str(attrs["redrive_policy"].as_str().unwrap()).unwrap();
        assert_eq!(redrive["maxReceiveCount"], 5);
        let r = resource(info, attrs, None, true, &place());
        assert_eq!(
            r.import_id.as_deref(),
            Some("https://sqs.eu-west-1.amazonaws.com/123456789012/orders")
        );
        assert_eq!(r.name, "arn:aws:sqs:eu-west-1:123456789012:orders");
        assert_eq!(r.labels["team"], "payments");
        assert_eq!(r.native_type, "AWS::SQS::Queue");
        assert_eq!(r.account.as_deref(), Some("123456789012"));
    }

    #[test]
    fn derived_attributes_and_omitted_defaults_come_from_the_row() {
        let svc = info("aws_ecs_service");
        let attrs = attributes(
            svc,
            &json!({"ServiceName": "web", "Cluster": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
                    "ServiceArn": "arn:aws:ecs:eu-west-1:123456789012:service/prod/web"}),
            false,
        );
        assert_eq!(attrs["cluster_name"], "prod");
        assert_eq!(import_id(svc, &attrs).as_deref(), Some("prod/web"));
        let rule = info("aws_cloudwatch_event_rule");
        let default_bus = json!({"name": "nightly", "event_bus_name": "default"});
        assert_eq!(import_id(rule, &default_bus).as_deref(), Some("nightly"));
        let custom = json!({"name": "nightly", "event_bus_name": "orders"});
        assert_eq!(import_id(rule, &custom).as_deref(), Some("orders/nightly"));
    }

    #[test]
    fn route53_records_take_the_first_complete_template() {
        let rec = info("aws_route53_record");
        let plain = json!({"zone_id": "Z1", "name": "www.example.com", "type": "A"});
        assert_eq!(
            import_id(rec, &plain).as_deref(),
            Some("Z1_www.example.com_A")
        );
        let weighted = json!({"zone_id": "Z1", "name": "www.example.com", "type": "A", "set_identifier": "blue"});
        assert_eq!(
            import_id(rec, &weighted).as_deref(),
            Some("Z1_www.example.com_A_blue")
        );
        assert_eq!(import_id(rec, &json!({"zone_id": "Z1"})), None);
    }

    #[test]
    fn config_documents_match_case_insensitively() {
        let info = info("aws_sqs_queue");
        let attrs = attributes(info, &json!({"queueName": "orders"}), true);
        assert_eq!(attrs["name"], "orders");
        let strict = attributes(info, &json!({"queueName": "orders"}), false);
        assert!(strict.get("name").is_none());
    }
}
