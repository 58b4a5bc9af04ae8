//! Secrets Manager secrets and SSM parameters: metadata only. Secret values and
//! SecureString values are never requested (no GetSecretValue, no GetParameter).

use serde_json::json;

use super::{client, pages, tags_value, Ctx};
use crate::inventory::model::Inventory;

pub(super) async fn secrets(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_secretsmanager_secret"];
    let sm = client!(ctx, aws_sdk_secretsmanager);
    let req = sm
        .list_secrets()
        .set_max_results(ctx.page_size())
        .into_paginator()
        .send();
    let Some(list) = pages!(ctx, out, T, "secretsmanager:ListSecrets", req, p => p.secret_list.unwrap_or_default())
    else {
        return;
    };
    for s in list {
        let arn = s.arn().unwrap_or_default().to_string();
        let attrs = json!({
            "id": arn, "arn": arn, "name": s.name(), "description": s.description(),
            "kms_key_id": s.kms_key_id(),
            "rotation_enabled": s.rotation_enabled(),
            "rotation_lambda_arn": s.rotation_lambda_arn(),
            "tags": tags_value(s.tags().iter().filter_map(|t| Some((t.key()?, t.value()?)))),
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}

pub(super) async fn parameters(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_ssm_parameter"];
    let ssm = client!(ctx, aws_sdk_ssm);
    let req = ssm
        .describe_parameters()
        .set_max_results(ctx.page_size())
        .into_paginator()
        .send();
    let Some(params) =
        pages!(ctx, out, T, "ssm:DescribeParameters", req, p => p.parameters.unwrap_or_default())
    else {
        return;
    };
    for p in params {
        let name = p.name().unwrap_or_default().to_string();
        let arn = p.arn().map(str::to_string).unwrap_or_else(|| {
            ctx.arn(
                "ssm",
                true,
                &format!("parameter/{}", name.trim_start_matches('/')),
            )
        });
        let attrs = json!({
            "id": name, "name": name, "arn": arn,
            "type": p.r#type().map(|t| t.as_str()),
            "tier": p.tier().map(|t| t.as_str()),
            "data_type": p.data_type(), "description": p.description(),
            "key_id": p.key_id(), "allowed_pattern": p.allowed_pattern(), "version": p.version(),
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}
