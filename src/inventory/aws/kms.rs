//! KMS: keys (with their policy and rotation setting) and aliases. AWS-managed keys and
//! `alias/aws/*` aliases are marked service-managed. Never uses a key.

use serde_json::{json, Value};

use super::error::code_of;
use super::{call, client, pages, policy_json, tags_value, Ctx, ListError};
use crate::inventory::model::Inventory;

pub(super) async fn keys(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_kms_key"];
    let kms = client!(ctx, aws_sdk_kms);
    let req = kms
        .list_keys()
        .set_limit(ctx.page_size())
        .into_paginator()
        .send();
    let Some(keys) = pages!(ctx, out, T, "kms:ListKeys", req, p => p.keys.unwrap_or_default())
    else {
        return;
    };
    for k in keys {
        let Some(key_id) = k.key_id().map(str::to_string) else {
            continue;
        };
        let Some(d) = call!(
            ctx,
            out,
            T,
            "kms:DescribeKey",
            kms.describe_key().key_id(&key_id).send()
        ) else {
            continue;
        };
        let Some(m) = d.key_metadata else { continue };
        let state = m.key_state().map(|s| s.as_str().to_string());
        // Keys pending deletion are on their way out and cannot be managed.
        if state.as_deref() == Some("PendingDeletion") {
            continue;
        }
        let customer = m.key_manager().map(|k| k.as_str()) == Some("CUSTOMER");
        let (policy, rotation, tags) = if customer {
            let policy = call!(
                ctx,
                out,
                T,
                "kms:GetKeyPolicy",
                kms.get_key_policy()
                    .key_id(&key_id)
                    .policy_name("default")
                    .send()
            )
            .and_then(|p| p.policy)
            .map(|p| policy_json(&p));
            let rotation = match kms.get_key_rotation_status().key_id(&key_id).send().await {
                Ok(r) => Some(r.key_rotation_enabled()),
                // Asymmetric and HMAC keys do not rotate.
                Err(e) if code_of(&e) == Some("UnsupportedOperationException") => Some(false),
                Err(e) => {
                    ctx.fail(out, T, &ListError::from_sdk("kms:GetKeyRotationStatus", e));
                    None
                }
            };
            let tags = call!(
                ctx,
                out,
                T,
                "kms:ListResourceTags",
                kms.list_resource_tags().key_id(&key_id).send()
            )
            .map(|t| tags_value(t.tags().iter().map(|t| (t.tag_key(), t.tag_value()))))
            .unwrap_or(Value::Null);
            (policy, rotation, tags)
        } else {
            (None, None, Value::Null)
        };
        let arn = m
            .arn()
            .map(str::to_string)
            .unwrap_or_else(|| ctx.arn("kms", true, &format!("key/{key_id}")));
        let attrs = json!({
            "id": key_id, "key_id": key_id, "arn": arn,
            "description": m.description(),
            "key_usage": m.key_usage().map(|u| u.as_str()),
            "customer_master_key_spec": m.key_spec().map(|s| s.as_str()),
            "multi_region": m.multi_region(),
            "is_enabled": m.enabled(),
            "enable_key_rotation": rotation,
            "key_manager": m.key_manager().map(|k| k.as_str()),
            "policy": policy,
            "tags": tags,
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}

pub(super) async fn aliases(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_kms_alias"];
    let kms = client!(ctx, aws_sdk_kms);
    let req = kms
        .list_aliases()
        .set_limit(ctx.page_size())
        .into_paginator()
        .send();
    let Some(aliases) =
        pages!(ctx, out, T, "kms:ListAliases", req, p => p.aliases.unwrap_or_default())
    else {
        return;
    };
    for a in aliases {
        let Some(name) = a.alias_name() else { continue };
        let arn = a
            .alias_arn()
            .map(str::to_string)
            .unwrap_or_else(|| ctx.arn("kms", true, name));
        let attrs = json!({
            "id": name, "name": name, "arn": arn, "target_key_id": a.target_key_id(),
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}
