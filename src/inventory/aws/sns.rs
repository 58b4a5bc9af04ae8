//! SNS: topics (with their access policy, a resource of its own in Terraform) and
//! subscriptions. Never publishes.

use serde_json::{json, Value};

use super::{call, client, pages, policy_json, tags_value, Ctx};
use crate::inventory::model::Inventory;

const TOPIC: &[&str] = &["aws_sns_topic", "aws_sns_topic_policy"];

pub(super) async fn topics(ctx: &Ctx<'_>, out: &mut Inventory) {
    let sns = client!(ctx, aws_sdk_sns);
    let req = sns.list_topics().into_paginator().send();
    let Some(topics) =
        pages!(ctx, out, TOPIC, "sns:ListTopics", req, p => p.topics.unwrap_or_default())
    else {
        return;
    };
    for t in topics {
        let Some(arn) = t.topic_arn().map(str::to_string) else {
            continue;
        };
        let req = sns.get_topic_attributes().topic_arn(&arn).send();
        let Some(a) = call!(ctx, out, TOPIC, "sns:GetTopicAttributes", req) else {
            continue;
        };
        let attrs = a.attributes.unwrap_or_default();
        let get = |k: &str| attrs.get(k).cloned();
        let policy = get("Policy").map(|p| policy_json(&p));
        if ctx.wants(TOPIC[0]) {
            let tags = call!(
                ctx,
                out,
                &TOPIC[..1],
                "sns:ListTagsForResource",
                sns.list_tags_for_resource().resource_arn(&arn).send()
            )
            .map(|t| tags_value(t.tags().iter().map(|t| (t.key(), t.value()))))
            .unwrap_or(Value::Null);
            let attributes = json!({
                "id": arn, "arn": arn,
                "name": arn.rsplit(':').next(),
                "display_name": get("DisplayName"),
                "policy": policy,
                "delivery_policy": get("DeliveryPolicy").map(|p| policy_json(&p)),
                "kms_master_key_id": get("KmsMasterKeyId"),
                "fifo_topic": get("FifoTopic").map(|v| v == "true").unwrap_or(false),
                "content_based_deduplication": get("ContentBasedDeduplication").map(|v| v == "true").unwrap_or(false),
                "owner": get("Owner"),
                "tags": tags,
            });
            out.resources
                .push(ctx.resource(TOPIC[0], arn.clone(), attributes));
        }
        if let (true, Some(p)) = (ctx.wants(TOPIC[1]), &policy) {
            let attributes = json!({"id": arn, "arn": arn, "policy": p});
            out.resources
                .push(ctx.resource(TOPIC[1], arn.clone(), attributes));
        }
    }
}

pub(super) async fn subscriptions(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_sns_topic_subscription"];
    let sns = client!(ctx, aws_sdk_sns);
    let req = sns.list_subscriptions().into_paginator().send();
    let Some(subs) =
        pages!(ctx, out, T, "sns:ListSubscriptions", req, p => p.subscriptions.unwrap_or_default())
    else {
        return;
    };
    for s in subs {
        // Unconfirmed subscriptions show "PendingConfirmation" instead of an ARN: nothing to import yet.
        let Some(arn) = s.subscription_arn().filter(|a| a.starts_with("arn:")) else {
            continue;
        };
        let attributes = json!({
            "id": arn, "arn": arn, "topic_arn": s.topic_arn(), "protocol": s.protocol(),
            "endpoint": s.endpoint(), "owner_id": s.owner(),
        });
        out.resources
            .push(ctx.resource(T[0], arn.to_string(), attributes));
    }
}
