//! CloudWatch: log groups (never log events) and metric alarms.

use serde_json::{json, Value};

use super::{call, client, pages, tags_map, Ctx};
use crate::inventory::model::Inventory;

pub(super) async fn log_groups(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_cloudwatch_log_group"];
    let logs = client!(ctx, aws_sdk_cloudwatchlogs);
    let req = logs
        .describe_log_groups()
        .set_limit(ctx.page_size())
        .into_paginator()
        .send();
    let Some(groups) =
        pages!(ctx, out, T, "logs:DescribeLogGroups", req, p => p.log_groups.unwrap_or_default())
    else {
        return;
    };
    for g in groups {
        let name = g.log_group_name().unwrap_or_default().to_string();
        // The API's arn ends in ":*"; Terraform's does not.
        let arn = g
            .arn()
            .map(|a| a.trim_end_matches(":*").to_string())
            .unwrap_or_else(|| ctx.arn("logs", true, &format!("log-group:{name}")));
        let tags = call!(
            ctx,
            out,
            T,
            "logs:ListTagsForResource",
            logs.list_tags_for_resource().resource_arn(&arn).send()
        )
        .map(|t| tags_map(t.tags.as_ref()))
        .unwrap_or(Value::Null);
        let attrs = json!({
            "id": name, "name": name, "arn": arn,
            "retention_in_days": g.retention_in_days().unwrap_or(0),
            "kms_key_id": g.kms_key_id(),
            "log_group_class": g.log_group_class().map(|c| c.as_str()),
            "tags": tags,
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}

pub(super) async fn metric_alarms(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_cloudwatch_metric_alarm"];
    let cw = client!(ctx, aws_sdk_cloudwatch);
    let req = cw
        .describe_alarms()
        .set_max_records(ctx.page_size())
        .into_paginator()
        .send();
    let Some(alarms) = pages!(ctx, out, T, "cloudwatch:DescribeAlarms", req, p => p.metric_alarms.unwrap_or_default())
    else {
        return;
    };
    for a in alarms {
        let name = a.alarm_name().unwrap_or_default().to_string();
        let arn = a
            .alarm_arn()
            .map(str::to_string)
            .unwrap_or_else(|| ctx.arn("cloudwatch", true, &format!("alarm:{name}")));
        let dimensions: serde_json::Map<String, Value> = a
            .dimensions()
            .iter()
            .filter_map(|d| Some((d.name()?.to_string(), Value::String(d.value()?.to_string()))))
            .collect();
        let attrs = json!({
            "id": name, "alarm_name": name, "arn": arn,
            "comparison_operator": a.comparison_operator().map(|c| c.as_str()),
            "evaluation_periods": a.evaluation_periods(), "datapoints_to_alarm": a.datapoints_to_alarm(),
            "metric_name": a.metric_name(), "namespace": a.namespace(), "period": a.period(),
            "statistic": a.statistic().map(|s| s.as_str()), "extended_statistic": a.extended_statistic(),
            "threshold": a.threshold(), "alarm_description": a.alarm_description(),
            "actions_enabled": a.actions_enabled(),
            "alarm_actions": a.alarm_actions(), "ok_actions": a.ok_actions(),
            "insufficient_data_actions": a.insufficient_data_actions(),
            "treat_missing_data": a.treat_missing_data(),
            "unit": a.unit().map(|u| u.as_str()),
            "dimensions": if dimensions.is_empty() { Value::Null } else { Value::Object(dimensions) },
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}
