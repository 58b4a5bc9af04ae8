//! RDS: DB instances; those that belong to an Aurora cluster are `aws_rds_cluster_instance`.
//! Never reads the master password.

use serde_json::json;

use super::{client, pages, tags_value, Ctx};
use crate::inventory::model::Inventory;

pub(super) async fn instances(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_db_instance", "aws_rds_cluster_instance"];
    let rds = client!(ctx, aws_sdk_rds);
    // MaxRecords accepts 20 to 100.
    let req = rds
        .describe_db_instances()
        .set_max_records(ctx.page_size().map(|n| n.clamp(20, 100)))
        .into_paginator()
        .send();
    let Some(dbs) = pages!(ctx, out, T, "rds:DescribeDBInstances", req, p => p.db_instances.unwrap_or_default())
    else {
        return;
    };
    for d in dbs {
        let ty = if d.db_cluster_identifier().is_some() {
            T[1]
        } else {
            T[0]
        };
        let identifier = d.db_instance_identifier().unwrap_or_default();
        let arn = d
            .db_instance_arn()
            .map(str::to_string)
            .unwrap_or_else(|| ctx.arn("rds", true, &format!("db:{identifier}")));
        let attrs = json!({
            "id": d.dbi_resource_id(), "identifier": identifier, "arn": arn,
            "resource_id": d.dbi_resource_id(),
            "engine": d.engine(), "engine_version": d.engine_version(),
            "instance_class": d.db_instance_class(), "allocated_storage": d.allocated_storage(),
            "storage_type": d.storage_type(), "multi_az": d.multi_az(),
            "publicly_accessible": d.publicly_accessible(), "storage_encrypted": d.storage_encrypted(),
            "kms_key_id": d.kms_key_id(),
            "db_subnet_group_name": d.db_subnet_group().and_then(|g| g.db_subnet_group_name()),
            "cluster_identifier": d.db_cluster_identifier(),
            "username": d.master_username(), "db_name": d.db_name(),
            "backup_retention_period": d.backup_retention_period(),
            "deletion_protection": d.deletion_protection(),
            "tags": tags_value(d.tag_list().iter().filter_map(|t| Some((t.key()?, t.value()?)))),
        });
        out.resources.push(ctx.resource(ty, arn, attrs));
    }
}
