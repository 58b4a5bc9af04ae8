//! ECS: clusters, their services, and active task-definition revisions.

use serde_json::json;

use super::{call, client, pages, tags_value, Ctx};
use crate::inventory::model::Inventory;

const CLUSTER: &[&str] = &["aws_ecs_cluster", "aws_ecs_service"];

fn last_segment(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

pub(super) async fn clusters(ctx: &Ctx<'_>, out: &mut Inventory) {
    let ecs = client!(ctx, aws_sdk_ecs);
    let req = ecs
        .list_clusters()
        .set_max_results(ctx.page_size())
        .into_paginator()
        .send();
    let Some(arns) =
        pages!(ctx, out, CLUSTER, "ecs:ListClusters", req, p => p.cluster_arns.unwrap_or_default())
    else {
        return;
    };
    // DescribeClusters takes at most 100 clusters per call.
    for chunk in arns.chunks(100) {
        if !ctx.wants(CLUSTER[0]) {
            break;
        }
        let req = ecs
            .describe_clusters()
            .set_clusters(Some(chunk.to_vec()))
            .include(aws_sdk_ecs::types::ClusterField::Tags)
            .include(aws_sdk_ecs::types::ClusterField::Settings)
            .send();
        let Some(d) = call!(ctx, out, &CLUSTER[..1], "ecs:DescribeClusters", req) else {
            continue;
        };
        for c in d.clusters() {
            let arn = c.cluster_arn().unwrap_or_default();
            let attrs = json!({
                "id": arn, "arn": arn, "name": c.cluster_name(),
                "setting": c.settings().iter().map(|s| json!({"name": s.name().map(|n| n.as_str()), "value": s.value()})).collect::<Vec<_>>(),
                "tags": tags_value(c.tags().iter().filter_map(|t| Some((t.key()?, t.value()?)))),
            });
            out.resources
                .push(ctx.resource(CLUSTER[0], arn.to_string(), attrs));
        }
    }
    if !ctx.wants(CLUSTER[1]) {
        return;
    }
    for cluster in &arns {
        let req = ecs
            .list_services()
            .cluster(cluster)
            .set_max_results(ctx.page_size())
            .into_paginator()
            .send();
        let Some(services) = pages!(ctx, out, &CLUSTER[1..], "ecs:ListServices", req, p => p.service_arns.unwrap_or_default())
        else {
            continue;
        };
        // DescribeServices takes at most 10 services per call.
        for chunk in services.chunks(10) {
            let req = ecs
                .describe_services()
                .cluster(cluster)
                .set_services(Some(chunk.to_vec()))
                .include(aws_sdk_ecs::types::ServiceField::Tags)
                .send();
            let Some(d) = call!(ctx, out, &CLUSTER[1..], "ecs:DescribeServices", req) else {
                continue;
            };
            for s in d.services() {
                let arn = s.service_arn().unwrap_or_default();
                let attrs = json!({
                    "id": arn, "arn": arn, "name": s.service_name(),
                    "cluster": cluster, "cluster_name": last_segment(cluster),
                    "task_definition": s.task_definition(),
                    "desired_count": s.desired_count(),
                    "launch_type": s.launch_type().map(|l| l.as_str()),
                    "tags": tags_value(s.tags().iter().filter_map(|t| Some((t.key()?, t.value()?)))),
                });
                out.resources
                    .push(ctx.resource(CLUSTER[1], arn.to_string(), attrs));
            }
        }
    }
}

pub(super) async fn task_definitions(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_ecs_task_definition"];
    let ecs = client!(ctx, aws_sdk_ecs);
    let req = ecs
        .list_task_definitions()
        .status(aws_sdk_ecs::types::TaskDefinitionStatus::Active)
        .set_max_results(ctx.page_size())
        .into_paginator()
        .send();
    let Some(arns) = pages!(ctx, out, T, "ecs:ListTaskDefinitions", req, p => p.task_definition_arns.unwrap_or_default())
    else {
        return;
    };
    for arn in arns {
        // arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION
        let (family, revision) = match last_segment(&arn).rsplit_once(':') {
            Some((f, r)) => (f.to_string(), r.parse::<i64>().ok()),
            None => (last_segment(&arn).to_string(), None),
        };
        let attrs = json!({
            "id": family, "arn": arn, "family": family, "revision": revision,
            "arn_without_revision": arn.rsplit_once(':').map(|(a, _)| a),
        });
        out.resources.push(ctx.resource(T[0], arn.clone(), attrs));
    }
}
