//! ECR: repositories (never images).

use serde_json::json;

use super::{client, pages, Ctx};
use crate::inventory::model::Inventory;

pub(super) async fn repositories(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_ecr_repository"];
    let ecr = client!(ctx, aws_sdk_ecr);
    let req = ecr
        .describe_repositories()
        .set_max_results(ctx.page_size())
        .into_paginator()
        .send();
    let Some(repos) = pages!(ctx, out, T, "ecr:DescribeRepositories", req, p => p.repositories.unwrap_or_default())
    else {
        return;
    };
    for r in repos {
        let arn = r.repository_arn().unwrap_or_default().to_string();
        let attrs = json!({
            "id": r.repository_name(), "name": r.repository_name(), "arn": arn,
            "registry_id": r.registry_id(), "repository_url": r.repository_uri(),
            "image_tag_mutability": r.image_tag_mutability().map(|m| m.as_str()),
            "image_scanning_configuration": r.image_scanning_configuration().map(|c| vec![json!({"scan_on_push": c.scan_on_push()})]).unwrap_or_default(),
            "encryption_configuration": r.encryption_configuration().map(|e| vec![json!({"encryption_type": e.encryption_type().as_str(), "kms_key": e.kms_key()})]).unwrap_or_default(),
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}
