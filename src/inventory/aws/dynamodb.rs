//! DynamoDB: tables and their key schema, billing mode and streams. Never reads items.

use serde_json::{json, Value};

use super::{call, client, pages, tags_value, Ctx};
use crate::inventory::model::Inventory;

pub(super) async fn tables(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_dynamodb_table"];
    let ddb = client!(ctx, aws_sdk_dynamodb);
    let req = ddb
        .list_tables()
        .set_limit(ctx.page_size())
        .into_paginator()
        .send();
    let Some(names) =
        pages!(ctx, out, T, "dynamodb:ListTables", req, p => p.table_names.unwrap_or_default())
    else {
        return;
    };
    for name in names {
        let Some(d) = call!(
            ctx,
            out,
            T,
            "dynamodb:DescribeTable",
            ddb.describe_table().table_name(&name).send()
        ) else {
            continue;
        };
        let Some(t) = d.table else { continue };
        let arn = t.table_arn().unwrap_or_default().to_string();
        let key = |kind: aws_sdk_dynamodb::types::KeyType| {
            t.key_schema()
                .iter()
                .find(|k| *k.key_type() == kind)
                .map(|k| k.attribute_name().to_string())
        };
        let tags = call!(
            ctx,
            out,
            T,
            "dynamodb:ListTagsOfResource",
            ddb.list_tags_of_resource().resource_arn(&arn).send()
        )
        .map(|o| tags_value(o.tags().iter().map(|t| (t.key(), t.value()))))
        .unwrap_or(Value::Null);
        let stream = t.stream_specification();
        let attrs = json!({
            "id": name, "name": name, "arn": arn,
            "hash_key": key(aws_sdk_dynamodb::types::KeyType::Hash),
            "range_key": key(aws_sdk_dynamodb::types::KeyType::Range),
            "billing_mode": t.billing_mode_summary().and_then(|b| b.billing_mode()).map(|m| m.as_str()).unwrap_or("PROVISIONED"),
            "read_capacity": t.provisioned_throughput().and_then(|p| p.read_capacity_units()),
            "write_capacity": t.provisioned_throughput().and_then(|p| p.write_capacity_units()),
            "attribute": t.attribute_definitions().iter().map(|a| json!({"name": a.attribute_name(), "type": a.attribute_type().as_str()})).collect::<Vec<_>>(),
            "stream_enabled": stream.map(|s| s.stream_enabled()).unwrap_or(false),
            "stream_view_type": stream.and_then(|s| s.stream_view_type()).map(|v| v.as_str()),
            "stream_arn": t.latest_stream_arn(),
            "tags": tags,
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}
