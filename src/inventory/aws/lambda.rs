//! Lambda: functions, the permissions in each function's resource policy (Terraform's
//! `aws_lambda_permission`, one per statement) and event source mappings. Never reads
//! environment variable values: Terraform users keep secrets there.

use serde_json::{json, Value};

use super::error::code_of;
use super::{call, client, pages, tags_map, Ctx, ListError};
use crate::inventory::model::Inventory;

const FUNC: &[&str] = &["aws_lambda_function", "aws_lambda_permission"];

pub(super) async fn functions(ctx: &Ctx<'_>, out: &mut Inventory) {
    let lambda = client!(ctx, aws_sdk_lambda);
    let req = lambda
        .list_functions()
        .set_max_items(ctx.page_size())
        .into_paginator()
        .send();
    let Some(functions) =
        pages!(ctx, out, FUNC, "lambda:ListFunctions", req, p => p.functions.unwrap_or_default())
    else {
        return;
    };
    for f in functions {
        let name = f.function_name().unwrap_or_default().to_string();
        let arn = f.function_arn().unwrap_or_default().to_string();
        if ctx.wants(FUNC[0]) {
            let tags = call!(
                ctx,
                out,
                &FUNC[..1],
                "lambda:ListTags",
                lambda.list_tags().resource(&arn).send()
            )
            .map(|t| tags_map(t.tags.as_ref()))
            .unwrap_or(Value::Null);
            let attrs = json!({
                "id": name, "function_name": name, "arn": arn,
                "runtime": f.runtime().map(|r| r.as_str()), "handler": f.handler(), "role": f.role(),
                "memory_size": f.memory_size(), "timeout": f.timeout(), "description": f.description(),
                "package_type": f.package_type().map(|p| p.as_str()),
                "architectures": f.architectures().iter().map(|a| a.as_str()).collect::<Vec<_>>(),
                "kms_key_arn": f.kms_key_arn(),
                "tags": tags,
            });
            out.resources
                .push(ctx.resource(FUNC[0], arn.clone(), attrs));
        }
        if ctx.wants(FUNC[1]) {
            let policy = match lambda.get_policy().function_name(&name).send().await {
                Ok(p) => p.policy,
                // A function nobody granted access to has no policy at all.
                Err(e) if code_of(&e) == Some("ResourceNotFoundException") => None,
                Err(e) => {
                    ctx.fail(out, &FUNC[1..], &ListError::from_sdk("lambda:GetPolicy", e));
                    None
                }
            };
            let doc: Value = policy
                .and_then(|p| serde_json::from_str(&p).ok())
                .unwrap_or(Value::Null);
            for st in doc
                .get("Statement")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(sid) = st.get("Sid").and_then(Value::as_str) else {
                    continue;
                };
                let principal = match st.get("Principal") {
                    Some(Value::Object(m)) => m
                        .values()
                        .next()
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    Some(Value::String(s)) => Some(s.clone()),
                    _ => None,
                };
                let condition = st.get("Condition");
                let source_arn = condition
                    .and_then(|c| c.get("ArnLike"))
                    .and_then(|c| c.get("AWS:SourceArn"))
                    .and_then(Value::as_str);
                let source_account = condition
                    .and_then(|c| c.get("StringEquals"))
                    .and_then(|c| c.get("AWS:SourceAccount"))
                    .and_then(Value::as_str);
                let id = format!("{name}/{sid}");
                let attrs = json!({
                    "id": sid, "function_name": name, "statement_id": sid,
                    "action": st.get("Action"), "principal": principal,
                    "source_arn": source_arn, "source_account": source_account,
                });
                out.resources.push(ctx.resource(FUNC[1], id, attrs));
            }
        }
    }
}

pub(super) async fn event_source_mappings(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_lambda_event_source_mapping"];
    let lambda = client!(ctx, aws_sdk_lambda);
    let req = lambda
        .list_event_source_mappings()
        .set_max_items(ctx.page_size())
        .into_paginator()
        .send();
    let Some(mappings) = pages!(ctx, out, T, "lambda:ListEventSourceMappings", req, p => p.event_source_mappings.unwrap_or_default())
    else {
        return;
    };
    for m in mappings {
        let uuid = m.uuid().unwrap_or_default().to_string();
        let arn = m
            .event_source_mapping_arn()
            .map(str::to_string)
            .unwrap_or_else(|| ctx.arn("lambda", true, &format!("event-source-mapping:{uuid}")));
        let attrs = json!({
            "id": uuid, "uuid": uuid, "arn": arn,
            "event_source_arn": m.event_source_arn(), "function_arn": m.function_arn(),
            "function_name": m.function_arn(),
            "batch_size": m.batch_size(), "state": m.state(),
            "enabled": m.state().map(|s| s == "Enabled" || s == "Enabling"),
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}
