//! The organization-wide source: an AWS Config aggregator, read with
//! `SelectAggregateResourceConfig` (one SQL query per batch of resource types, paginated with
//! `NextToken`). Every item carries its own account and region. Configuration documents are
//! mapped through the catalog's `fields`, matching property names without regard to case
//! (AWS Config writes `queueName` where CloudFormation writes `QueueName`).

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::convert::{self, Place};
use super::http::{Call, Http, CONFIG};
use crate::catalog::{AwsLister, Catalog, TypeInfo};
use crate::inventory::model::{Inventory, InventoryError, ProgressEvent, ProgressSink};

/// Resource types asked for in one query: keeps the expression well under its 4,096
/// characters.
const TYPES_PER_QUERY: usize = 20;
/// The largest page `SelectAggregateResourceConfig` returns.
const PAGE: u32 = 100;

/// Lists the aggregator `name` (read in `region`) for the `wanted` types.
pub(crate) async fn list(
    http: &Http,
    name: &str,
    region: &str,
    wanted: &BTreeSet<&'static str>,
    progress: &dyn ProgressSink,
) -> Inventory {
    let scope = format!("aws:aggregator:{name}");
    let rows: Vec<&'static TypeInfo> = Catalog::aws()
        .types()
        .iter()
        .filter(|t| wanted.contains(t.type_name.as_str()))
        .filter(|t| {
            t.aws
                .as_ref()
                .is_some_and(|a| matches!(a.lister, AwsLister::CloudControl | AwsLister::Sdk))
        })
        .collect();
    let mut types: Vec<&str> = Vec::new();
    for r in &rows {
        let n = r.native_type().unwrap_or_default();
        if !n.is_empty() && !types.contains(&n) {
            types.push(n);
        }
    }
    let mut inv = Inventory::default();
    let grant = vec!["config:SelectAggregateResourceConfig".to_string()];
    for batch in types.chunks(TYPES_PER_QUERY) {
        let quoted: Vec<String> = batch.iter().map(|t| format!("'{t}'")).collect();
        let expression = format!(
            "SELECT resourceId, resourceName, resourceType, awsRegion, accountId, arn, tags, configuration WHERE resourceType IN ({})",
            quoted.join(", ")
        );
        let subject = format!("aggregator {name}");
        let call = Call {
            api: CONFIG,
            call: "config:SelectAggregateResourceConfig",
            subject: &subject,
            region,
            grant: &grant,
            label: (&scope, batch[0]),
        };
        let mut token: Option<String> = None;
        let mut items: Vec<Value> = Vec::new();
        let failed = loop {
            let mut body = json!({
                "Expression": expression,
                "ConfigurationAggregatorName": name,
                "Limit": PAGE,
            });
            if let Some(t) = &token {
                body["NextToken"] = Value::String(t.clone());
            }
            match http
                .json(
                    &call,
                    "StarlingDoveService.SelectAggregateResourceConfig",
                    "1.1",
                    &body,
                    progress,
                )
                .await
            {
                Ok(page) => {
                    let results = page
                        .get("Results")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    progress.event(ProgressEvent::Page {
                        scope: scope.clone(),
                        type_name: batch[0].to_string(),
                        resources: results.len(),
                    });
                    items.extend(results.iter().filter_map(|r| match r {
                        Value::String(s) => serde_json::from_str(s).ok(),
                        v @ Value::Object(_) => Some(v.clone()),
                        _ => None,
                    }));
                    match page.get("NextToken").and_then(Value::as_str) {
                        Some(t) if !t.is_empty() && token.as_deref() != Some(t) => {
                            token = Some(t.to_string())
                        }
                        _ => break None,
                    }
                }
                Err(e) => break Some(e),
            }
        };
        if let Some(e) = failed {
            for r in rows
                .iter()
                .filter(|r| batch.contains(&r.native_type().unwrap_or_default()))
            {
                inv.errors.push(InventoryError {
                    scope: scope.clone(),
                    type_name: r.type_name.clone(),
                    reason: e.to_string(),
                });
            }
            continue;
        }
        for item in &items {
            let native = item
                .get("resourceType")
                .and_then(Value::as_str)
                .unwrap_or("");
            for row in rows.iter().filter(|r| r.native_type() == Some(native)) {
                inv.resources.push(resource(row, item, &scope));
            }
        }
    }
    inv
}

/// One aggregator item as a live resource of `row`, in the account and region it names.
fn resource(row: &TypeInfo, item: &Value, scope: &str) -> crate::inventory::LiveResource {
    let config = item.get("configuration").cloned().unwrap_or(Value::Null);
    let mut attrs = convert::attributes(row, &config, true);
    if let Value::Object(m) = &mut attrs {
        let tags_mapped = row.fields.values().any(|a| a == "tags");
        if tags_mapped && !m.contains_key("tags") {
            if let Some(tags) = item.get("tags").and_then(Value::as_array) {
                let map: serde_json::Map<String, Value> = tags
                    .iter()
                    .filter_map(|t| {
                        Some((
                            t.get("key")?.as_str()?.to_string(),
                            Value::String(t.get("value")?.as_str()?.to_string()),
                        ))
                    })
                    .collect();
                if !map.is_empty() {
                    m.insert("tags".into(), Value::Object(map));
                }
            }
        }
        if let Some(arn) = item.get("arn").and_then(Value::as_str) {
            m.entry("arn")
                .or_insert_with(|| Value::String(arn.to_string()));
        }
    }
    let global = row.aws.as_ref().is_some_and(|a| a.global);
    let region = item.get("awsRegion").and_then(Value::as_str).unwrap_or("");
    let place = Place {
        account: item
            .get("accountId")
            .and_then(Value::as_str)
            .map(str::to_string),
        location: if global || region == "global" {
            "global".into()
        } else {
            region.to_string()
        },
        source: scope.to_string(),
    };
    let native_name = item
        .get("resourceId")
        .and_then(Value::as_str)
        .map(str::to_string);
    convert::resource(row, attrs, native_name, true, &place)
}
