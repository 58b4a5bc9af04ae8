//! SQS: queues with all their attributes, and the queue and redrive policies Terraform models
//! as resources of their own. Never receives messages.

use std::collections::HashMap;

use aws_sdk_sqs::types::QueueAttributeName as A;
use serde_json::{json, Value};

use super::{call, client, pages, policy_json, tags_map, Ctx};
use crate::inventory::model::Inventory;

const T: &[&str] = &[
    "aws_sqs_queue",
    "aws_sqs_queue_policy",
    "aws_sqs_queue_redrive_policy",
];

pub(super) async fn queues(ctx: &Ctx<'_>, out: &mut Inventory) {
    let sqs = client!(ctx, aws_sdk_sqs);
    let req = sqs
        .list_queues()
        .set_max_results(ctx.page_size())
        .into_paginator()
        .send();
    let Some(urls) =
        pages!(ctx, out, T, "sqs:ListQueues", req, p => p.queue_urls.unwrap_or_default())
    else {
        return;
    };
    for url in urls {
        let req = sqs
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(A::All)
            .send();
        let Some(a) = call!(ctx, out, T, "sqs:GetQueueAttributes", req) else {
            continue;
        };
        let attrs: HashMap<A, String> = a.attributes.unwrap_or_default();
        let get = |k: A| attrs.get(&k).cloned();
        let num = |k: A| get(k).and_then(|v| v.parse::<i64>().ok());
        let flag = |k: A| get(k).map(|v| v == "true");
        let name = url.rsplit('/').next().unwrap_or_default().to_string();
        let arn = get(A::QueueArn).unwrap_or_else(|| ctx.arn("sqs", true, &name));
        let policy = get(A::Policy).map(|p| policy_json(&p));
        let redrive = get(A::RedrivePolicy).map(|p| policy_json(&p));
        if ctx.wants(T[0]) {
            let tags = call!(
                ctx,
                out,
                &T[..1],
                "sqs:ListQueueTags",
                sqs.list_queue_tags().queue_url(&url).send()
            )
            .map(|t| tags_map(t.tags.as_ref()))
            .unwrap_or(Value::Null);
            let attributes = json!({
                "id": url, "url": url, "arn": arn, "name": name,
                "fifo_queue": flag(A::FifoQueue).unwrap_or(false),
                "content_based_deduplication": flag(A::ContentBasedDeduplication).unwrap_or(false),
                "visibility_timeout_seconds": num(A::VisibilityTimeout),
                "message_retention_seconds": num(A::MessageRetentionPeriod),
                "delay_seconds": num(A::DelaySeconds),
                "max_message_size": num(A::MaximumMessageSize),
                "receive_wait_time_seconds": num(A::ReceiveMessageWaitTimeSeconds),
                "redrive_policy": redrive,
                "redrive_allow_policy": get(A::RedriveAllowPolicy).map(|p| policy_json(&p)),
                "policy": policy,
                "kms_master_key_id": get(A::KmsMasterKeyId),
                "kms_data_key_reuse_period_seconds": num(A::KmsDataKeyReusePeriodSeconds),
                "sqs_managed_sse_enabled": flag(A::SqsManagedSseEnabled),
                "tags": tags,
            });
            out.resources
                .push(ctx.resource(T[0], arn.clone(), attributes));
        }
        if let (true, Some(p)) = (ctx.wants(T[1]), &policy) {
            let attributes = json!({"id": url, "queue_url": url, "policy": p});
            out.resources
                .push(ctx.resource(T[1], arn.clone(), attributes));
        }
        if let (true, Some(r)) = (ctx.wants(T[2]), &redrive) {
            let attributes = json!({"id": url, "queue_url": url, "redrive_policy": r});
            out.resources
                .push(ctx.resource(T[2], arn.clone(), attributes));
        }
    }
}
