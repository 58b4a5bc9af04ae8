//! S3: the bucket list (global, one call) and each bucket's configuration resources, kept to
//! the regions of the run. A configuration that was never set is absent, not an error.

use serde_json::{json, Value};

use super::error::code_of;
use super::{pages, tags_value, Ctx, ListError};
use crate::inventory::model::Inventory;

const T: &[&str] = &[
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_lifecycle_configuration",
];

/// Error codes S3 answers when a bucket simply has no such configuration.
const ABSENT: &[&str] = &[
    "NoSuchBucketPolicy",
    "NoSuchPublicAccessBlockConfiguration",
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchLifecycleConfiguration",
    "NoSuchTagSet",
    "NoSuchTagSetError",
];

/// Outcome of a per-bucket Get*: the configuration, its absence, or an error to report.
macro_rules! get_config {
    ($ctx:expr, $out:expr, $ty:expr, $perm:expr, $req:expr) => {
        match $req.await {
            Ok(v) => Some(v),
            Err(e) if code_of(&e).is_some_and(|c| ABSENT.contains(&c)) => None,
            Err(e) => {
                $ctx.fail($out, &[$ty], &ListError::from_sdk($perm, &$ctx.region, e));
                None
            }
        }
    };
}

fn path_style(ctx: &Ctx<'_>) -> bool {
    // Emulators and S3-compatible stores behind a custom endpoint rarely resolve
    // bucket.host names.
    ctx.config.endpoint_url.is_some()
        || std::env::var_os("AWS_ENDPOINT_URL").is_some()
        || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some()
}

fn s3_client(ctx: &Ctx<'_>, region: &str) -> aws_sdk_s3::Client {
    let mut b = aws_sdk_s3::config::Builder::from(&ctx.sdk)
        .region(aws_config::Region::new(region.to_string()))
        .force_path_style(path_style(ctx));
    if let Some(c) = &ctx.config.request_counter {
        b = b.interceptor(super::error::Counting(c.clone()));
    }
    aws_sdk_s3::Client::from_conf(b.build())
}

pub(super) async fn buckets(ctx: &Ctx<'_>, out: &mut Inventory) {
    let s3 = s3_client(ctx, &ctx.region);
    let req = s3
        .list_buckets()
        .set_max_buckets(ctx.page_size())
        .into_paginator()
        .send();
    let Some(buckets) =
        pages!(ctx, out, T, "s3:ListAllMyBuckets", req, p => p.buckets.unwrap_or_default())
    else {
        return;
    };
    for b in buckets {
        let Some(name) = b.name().map(str::to_string) else {
            continue;
        };
        let Some(region) = bucket_region(ctx, &s3, &b, &name, out).await else {
            continue;
        };
        if !ctx.regions.contains(&region) {
            continue;
        }
        let c = s3_client(ctx, &region);
        let arn = format!("arn:{}:s3:::{name}", partition(&region));
        bucket_settings(ctx, &c, (&name, &arn, &region), out).await;
        bucket_rules(ctx, &c, (&name, &arn, &region), out).await;
    }
}

/// Where a bucket lives: from the listing, else from GetBucketLocation (`None` when that
/// failed, recorded in `out`).
async fn bucket_region(
    ctx: &Ctx<'_>,
    s3: &aws_sdk_s3::Client,
    b: &aws_sdk_s3::types::Bucket,
    name: &str,
    out: &mut Inventory,
) -> Option<String> {
    Some(match b.bucket_region() {
        Some(r) => r.to_string(),
        None => {
            let req = s3.get_bucket_location().bucket(name).send();
            match req.await {
                Ok(l) => match l.location_constraint().map(|c| c.as_str()) {
                    None | Some("") => "us-east-1".to_string(),
                    Some("EU") => "eu-west-1".to_string(),
                    Some(r) => r.to_string(),
                },
                Err(e) => {
                    ctx.fail(
                        out,
                        T,
                        &ListError::from_sdk("s3:GetBucketLocation", &ctx.region, e),
                    );
                    return None;
                }
            }
        }
    })
}

/// A bucket's tags, policy, versioning and public access block.
async fn bucket_settings(
    ctx: &Ctx<'_>,
    c: &aws_sdk_s3::Client,
    (name, arn, region): (&str, &str, &str),
    out: &mut Inventory,
) {
    let (name, arn, region) = (name.to_string(), arn.to_string(), region.to_string());
    if ctx.wants(T[0]) {
        let tags = get_config!(
            ctx,
            out,
            T[0],
            "s3:GetBucketTagging",
            c.get_bucket_tagging().bucket(&name).send()
        )
        .map(|t| tags_value(t.tag_set().iter().map(|t| (t.key(), t.value()))))
        .unwrap_or(Value::Null);
        let attrs = json!({"bucket": name, "arn": arn, "region": region, "tags": tags});
        out.resources
            .push(ctx.resource_in(T[0], Some(arn.clone()), attrs, region.clone()));
    }
    if ctx.wants(T[1]) {
        if let Some(p) = get_config!(
            ctx,
            out,
            T[1],
            "s3:GetBucketPolicy",
            c.get_bucket_policy().bucket(&name).send()
        ) {
            if let Some(policy) = p.policy() {
                let attrs = json!({"bucket": name, "policy": super::policy_json(policy)});
                out.resources
                    .push(ctx.resource_in(T[1], Some(arn.clone()), attrs, region.clone()));
            }
        }
    }
    if ctx.wants(T[2]) {
        if let Some(v) = get_config!(
            ctx,
            out,
            T[2],
            "s3:GetBucketVersioning",
            c.get_bucket_versioning().bucket(&name).send()
        ) {
            // A bucket whose versioning was never touched has no status: nothing to import.
            if let Some(status) = v.status() {
                let attrs = json!({
                    "bucket": name,
                    "versioning_configuration": [{
                        "status": status.as_str(),
                        "mfa_delete": v.mfa_delete().map(|m| m.as_str()),
                    }],
                });
                out.resources
                    .push(ctx.resource_in(T[2], Some(arn.clone()), attrs, region.clone()));
            }
        }
    }
    if ctx.wants(T[3]) {
        if let Some(p) = get_config!(
            ctx,
            out,
            T[3],
            "s3:GetBucketPublicAccessBlock",
            c.get_public_access_block().bucket(&name).send()
        ) {
            if let Some(cfg) = p.public_access_block_configuration() {
                let attrs = json!({
                    "bucket": name,
                    "block_public_acls": cfg.block_public_acls(),
                    "block_public_policy": cfg.block_public_policy(),
                    "ignore_public_acls": cfg.ignore_public_acls(),
                    "restrict_public_buckets": cfg.restrict_public_buckets(),
                });
                out.resources
                    .push(ctx.resource_in(T[3], Some(arn.clone()), attrs, region.clone()));
            }
        }
    }
}

/// A bucket's encryption and lifecycle rules.
async fn bucket_rules(
    ctx: &Ctx<'_>,
    c: &aws_sdk_s3::Client,
    (name, arn, region): (&str, &str, &str),
    out: &mut Inventory,
) {
    let (name, arn, region) = (name.to_string(), arn.to_string(), region.to_string());
    if ctx.wants(T[4]) {
        if let Some(e) = get_config!(
            ctx,
            out,
            T[4],
            "s3:GetEncryptionConfiguration",
            c.get_bucket_encryption().bucket(&name).send()
        ) {
            if let Some(cfg) = e.server_side_encryption_configuration() {
                let rules: Vec<Value> = cfg
                    .rules()
                    .iter()
                    .map(|r| {
                        json!({
                            "apply_server_side_encryption_by_default": r.apply_server_side_encryption_by_default().map(|d| vec![json!({
                                "sse_algorithm": d.sse_algorithm().as_str(),
                                "kms_master_key_id": d.kms_master_key_id(),
                            })]).unwrap_or_default(),
                            "bucket_key_enabled": r.bucket_key_enabled(),
                        })
                    })
                    .collect();
                let attrs = json!({"bucket": name, "rule": rules});
                out.resources
                    .push(ctx.resource_in(T[4], Some(arn.clone()), attrs, region.clone()));
            }
        }
    }
    if ctx.wants(T[5]) {
        if let Some(l) = get_config!(
            ctx,
            out,
            T[5],
            "s3:GetLifecycleConfiguration",
            c.get_bucket_lifecycle_configuration().bucket(&name).send()
        ) {
            let rules: Vec<Value> = l
                .rules()
                .iter()
                .map(|r| {
                    json!({
                        "id": r.id(),
                        "status": r.status().as_str(),
                        "filter": r.filter().map(|f| vec![json!({"prefix": f.prefix()})]).unwrap_or_default(),
                        "expiration": r.expiration().map(|e| vec![json!({"days": e.days(), "expired_object_delete_marker": e.expired_object_delete_marker()})]).unwrap_or_default(),
                        "transition": r.transitions().iter().map(|t| json!({"days": t.days(), "storage_class": t.storage_class().map(|s| s.as_str())})).collect::<Vec<_>>(),
                        "noncurrent_version_expiration": r.noncurrent_version_expiration().map(|e| vec![json!({"noncurrent_days": e.noncurrent_days()})]).unwrap_or_default(),
                    })
                })
                .collect();
            if !rules.is_empty() {
                let attrs = json!({"bucket": name, "rule": rules});
                out.resources
                    .push(ctx.resource_in(T[5], Some(arn.clone()), attrs, region.clone()));
            }
        }
    }
}

/// The ARN partition of a region: bucket ARNs are built, ListBuckets gives only names.
fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}
