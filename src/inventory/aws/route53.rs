//! Route 53 (global): hosted zones and their record sets. The NS and SOA records Route 53
//! creates at a zone's apex are marked service-managed.

use serde_json::{json, Value};

use super::{call, client, pages, tags_value, Ctx};
use crate::inventory::model::Inventory;

const T: &[&str] = &["aws_route53_zone", "aws_route53_record"];

/// Route 53 returns names with a trailing dot and some characters as octal escapes (`\052`
/// for `*`); Terraform writes them without the dot and unescaped.
fn clean_name(name: &str) -> String {
    let mut out = String::new();
    let bytes = name.trim_end_matches('.').as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 4 <= bytes.len() {
            if let Ok(code) =
                u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 4]).unwrap_or("x"), 8)
            {
                out.push(code as char);
                i += 4;
                continue;
            }
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    out.to_lowercase()
}

pub(super) async fn zones(ctx: &Ctx<'_>, out: &mut Inventory) {
    let r53 = client!(ctx, aws_sdk_route53);
    let req = r53
        .list_hosted_zones()
        .set_max_items(ctx.page_size())
        .into_paginator()
        .send();
    let Some(zones) = pages!(ctx, out, T, "route53:ListHostedZones", req, p => p.hosted_zones)
    else {
        return;
    };
    for z in zones {
        let zone_id = z.id().trim_start_matches("/hostedzone/").to_string();
        let zone_name = clean_name(z.name());
        let arn = format!("arn:aws:route53:::hostedzone/{zone_id}");
        if ctx.wants(T[0]) {
            let req = r53
                .list_tags_for_resource()
                .resource_type(aws_sdk_route53::types::TagResourceType::Hostedzone)
                .resource_id(&zone_id)
                .send();
            let tags = call!(ctx, out, &T[..1], "route53:ListTagsForResource", req)
                .and_then(|t| t.resource_tag_set)
                .map(|s| tags_value(s.tags().iter().filter_map(|t| Some((t.key()?, t.value()?)))))
                .unwrap_or(Value::Null);
            let attrs = json!({
                "zone_id": zone_id, "arn": arn, "name": zone_name,
                "comment": z.config().and_then(|c| c.comment()),
                "private_zone": z.config().map(|c| c.private_zone()),
                "tags": tags,
            });
            out.resources
                .push(ctx.resource(T[0], Some(arn.clone()), attrs));
        }
        if ctx.wants(T[1]) {
            records(ctx, out, &r53, &zone_id, &zone_name).await;
        }
    }
}

async fn records(
    ctx: &Ctx<'_>,
    out: &mut Inventory,
    r53: &aws_sdk_route53::Client,
    zone_id: &str,
    zone_name: &str,
) {
    // ListResourceRecordSets pages on (name, type, set identifier), not on a token.
    let (mut name, mut ty, mut ident) = (None, None, None);
    loop {
        let req = r53
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .set_start_record_name(name.take())
            .set_start_record_type(ty.take())
            .set_start_record_identifier(ident.take())
            .set_max_items(ctx.page_size())
            .send();
        let Some(page) = call!(ctx, out, &T[1..], "route53:ListResourceRecordSets", req) else {
            return;
        };
        ctx.page(T[1], page.resource_record_sets().len());
        for r in page.resource_record_sets() {
            let rname = clean_name(r.name());
            let rtype = r.r#type().as_str();
            let apex = rname == zone_name && matches!(rtype, "NS" | "SOA");
            let mut records: Vec<&str> = r.resource_records().iter().map(|v| v.value()).collect();
            records.sort();
            let attrs = json!({
                "zone_id": zone_id, "name": rname, "fqdn": rname, "type": rtype,
                "ttl": r.ttl(), "records": if records.is_empty() { Value::Null } else { json!(records) },
                "set_identifier": r.set_identifier(),
                "alias": r.alias_target().map(|a| vec![json!({
                    "name": clean_name(a.dns_name()), "zone_id": a.hosted_zone_id(),
                    "evaluate_target_health": a.evaluate_target_health(),
                })]),
                "apex_ns_or_soa": apex,
            });
            out.resources.push(ctx.resource(T[1], None, attrs));
        }
        if !page.is_truncated() {
            return;
        }
        name = page.next_record_name;
        ty = page.next_record_type;
        ident = page.next_record_identifier;
    }
}
