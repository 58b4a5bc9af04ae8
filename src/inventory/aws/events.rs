//! EventBridge: rules on every event bus and their targets.

use serde_json::json;

use super::{call, client, Ctx};
use crate::inventory::model::Inventory;

const T: &[&str] = &["aws_cloudwatch_event_rule", "aws_cloudwatch_event_target"];

pub(super) async fn rules(ctx: &Ctx<'_>, out: &mut Inventory) {
    let eb = client!(ctx, aws_sdk_eventbridge);
    // The EventBridge model declares no paginators: follow NextToken by hand.
    let mut buses = Vec::new();
    let mut token = None;
    loop {
        let req = eb
            .list_event_buses()
            .set_next_token(token.take())
            .set_limit(ctx.page_size())
            .send();
        let Some(page) = call!(ctx, out, T, "events:ListEventBuses", req) else {
            return;
        };
        buses.extend(
            page.event_buses()
                .iter()
                .filter_map(|b| b.name().map(str::to_string)),
        );
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    if !buses.iter().any(|b| b == "default") {
        buses.insert(0, "default".to_string());
    }
    for bus in buses {
        let mut token = None;
        loop {
            let req = eb
                .list_rules()
                .event_bus_name(&bus)
                .set_next_token(token.take())
                .set_limit(ctx.page_size())
                .send();
            let Some(page) = call!(ctx, out, T, "events:ListRules", req) else {
                break;
            };
            ctx.page(T[0], page.rules().len());
            for r in page.rules() {
                let name = r.name().unwrap_or_default().to_string();
                let arn = r.arn().unwrap_or_default().to_string();
                if ctx.wants(T[0]) {
                    let attrs = json!({
                        "id": if bus == "default" { name.clone() } else { format!("{bus}/{name}") },
                        "name": name, "arn": arn, "event_bus_name": bus,
                        "event_pattern": r.event_pattern().map(super::policy_json),
                        "schedule_expression": r.schedule_expression(),
                        "state": r.state().map(|s| s.as_str()),
                        "description": r.description(), "role_arn": r.role_arn(),
                    });
                    out.resources.push(ctx.resource(T[0], arn.clone(), attrs));
                }
                if ctx.wants(T[1]) {
                    list_targets(ctx, out, &eb, &bus, &name).await;
                }
            }
            token = page.next_token;
            if token.is_none() {
                break;
            }
        }
    }
}

async fn list_targets(
    ctx: &Ctx<'_>,
    out: &mut Inventory,
    eb: &aws_sdk_eventbridge::Client,
    bus: &str,
    rule: &str,
) {
    let mut token = None;
    loop {
        let req = eb
            .list_targets_by_rule()
            .rule(rule)
            .event_bus_name(bus)
            .set_next_token(token.take())
            .set_limit(ctx.page_size())
            .send();
        let Some(page) = call!(ctx, out, &T[1..], "events:ListTargetsByRule", req) else {
            return;
        };
        for t in page.targets() {
            let id = if bus == "default" {
                format!("{rule}/{}", t.id())
            } else {
                format!("{bus}/{rule}/{}", t.id())
            };
            let attrs = json!({
                "id": format!("{rule}-{}", t.id()),
                "rule": rule, "target_id": t.id(), "event_bus_name": bus, "arn": t.arn(),
                "role_arn": t.role_arn(), "input": t.input(), "input_path": t.input_path(),
            });
            out.resources.push(ctx.resource(T[1], id, attrs));
        }
        token = page.next_token;
        if token.is_none() {
            return;
        }
    }
}
