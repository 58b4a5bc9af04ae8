//! EC2: VPC networking (VPCs, subnets, security groups and their rules, route tables with
//! routes and associations, internet and NAT gateways, Elastic IPs) and instances.
//! Default VPCs, default subnets, default security groups and main route tables are marked
//! service-managed through their attributes, and so are the rules AWS creates with a default
//! security group.

use std::collections::HashSet;

use aws_sdk_ec2::types::{Filter, Tag};
use serde_json::{json, Value};

use super::{call, client, pages, tags_value, Ctx};
use crate::inventory::model::Inventory;

fn tags(t: &[Tag]) -> Value {
    tags_value(
        t.iter()
            .filter_map(|t| Some((t.key()?, t.value().unwrap_or_default()))),
    )
}

/// Describe* calls accept MaxResults of 5 to 1000; smaller test page sizes are raised to 5.
fn max_results(ctx: &Ctx<'_>) -> Option<i32> {
    ctx.page_size().map(|n| n.max(5))
}

pub(super) async fn vpcs(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_vpc"];
    let ec2 = client!(ctx, aws_sdk_ec2);
    let req = ec2
        .describe_vpcs()
        .set_max_results(max_results(ctx))
        .into_paginator()
        .send();
    let Some(vpcs) = pages!(ctx, out, T, "ec2:DescribeVpcs", req, p => p.vpcs.unwrap_or_default())
    else {
        return;
    };
    for v in vpcs {
        let id = v.vpc_id().unwrap_or_default().to_string();
        let arn = ctx.arn("ec2", true, &format!("vpc/{id}"));
        let attrs = json!({
            "id": id, "arn": arn, "cidr_block": v.cidr_block(),
            "instance_tenancy": v.instance_tenancy().map(|t| t.as_str()),
            "default": v.is_default().unwrap_or(false),
            "dhcp_options_id": v.dhcp_options_id(), "owner_id": v.owner_id(),
            "ipv6_cidr_block": v.ipv6_cidr_block_association_set().first().and_then(|a| a.ipv6_cidr_block()),
            "tags": tags(v.tags()),
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}

pub(super) async fn subnets(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_subnet"];
    let ec2 = client!(ctx, aws_sdk_ec2);
    let req = ec2
        .describe_subnets()
        .set_max_results(max_results(ctx))
        .into_paginator()
        .send();
    let Some(subnets) =
        pages!(ctx, out, T, "ec2:DescribeSubnets", req, p => p.subnets.unwrap_or_default())
    else {
        return;
    };
    for s in subnets {
        let id = s.subnet_id().unwrap_or_default().to_string();
        let arn = s
            .subnet_arn()
            .map(str::to_string)
            .unwrap_or_else(|| ctx.arn("ec2", true, &format!("subnet/{id}")));
        let attrs = json!({
            "id": id, "arn": arn, "vpc_id": s.vpc_id(), "cidr_block": s.cidr_block(),
            "availability_zone": s.availability_zone(), "availability_zone_id": s.availability_zone_id(),
            "map_public_ip_on_launch": s.map_public_ip_on_launch(),
            "default_for_az": s.default_for_az().unwrap_or(false),
            "owner_id": s.owner_id(), "tags": tags(s.tags()),
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}

pub(super) async fn security_groups(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_security_group"];
    let ec2 = client!(ctx, aws_sdk_ec2);
    let req = ec2
        .describe_security_groups()
        .set_max_results(max_results(ctx))
        .into_paginator()
        .send();
    let Some(groups) = pages!(ctx, out, T, "ec2:DescribeSecurityGroups", req, p => p.security_groups.unwrap_or_default())
    else {
        return;
    };
    for g in groups {
        let id = g.group_id().unwrap_or_default().to_string();
        let arn = g
            .security_group_arn()
            .map(str::to_string)
            .unwrap_or_else(|| ctx.arn("ec2", true, &format!("security-group/{id}")));
        let attrs = json!({
            "id": id, "arn": arn, "name": g.group_name(), "description": g.description(),
            "vpc_id": g.vpc_id(), "owner_id": g.owner_id(), "tags": tags(g.tags()),
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}

pub(super) async fn security_group_rules(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &[
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
    ];
    let ec2 = client!(ctx, aws_sdk_ec2);
    let req = ec2
        .describe_security_group_rules()
        .set_max_results(max_results(ctx))
        .into_paginator()
        .send();
    let Some(rules) = pages!(ctx, out, T, "ec2:DescribeSecurityGroupRules", req, p => p.security_group_rules.unwrap_or_default())
    else {
        return;
    };
    // The default security group of every VPC comes with the rules AWS made for it.
    let req = ec2
        .describe_security_groups()
        .filters(
            Filter::builder()
                .name("group-name")
                .values("default")
                .build(),
        )
        .set_max_results(max_results(ctx))
        .into_paginator()
        .send();
    let Some(defaults) = pages!(ctx, out, T, "ec2:DescribeSecurityGroups", req, p => p.security_groups.unwrap_or_default())
    else {
        return;
    };
    let defaults: HashSet<String> = defaults
        .iter()
        .filter_map(|g| g.group_id().map(str::to_string))
        .collect();
    for r in rules {
        let ty = if r.is_egress().unwrap_or(false) {
            T[1]
        } else {
            T[0]
        };
        let id = r.security_group_rule_id().unwrap_or_default().to_string();
        let arn = r
            .security_group_rule_arn()
            .map(str::to_string)
            .unwrap_or_else(|| ctx.arn("ec2", true, &format!("security-group-rule/{id}")));
        // Terraform keeps ports unset for "all protocols" (-1).
        let all = r.ip_protocol() == Some("-1");
        let attrs = json!({
            "id": id, "security_group_rule_id": id, "arn": arn,
            "security_group_id": r.group_id(), "ip_protocol": r.ip_protocol(),
            "from_port": if all { None } else { r.from_port() },
            "to_port": if all { None } else { r.to_port() },
            "cidr_ipv4": r.cidr_ipv4(), "cidr_ipv6": r.cidr_ipv6(), "prefix_list_id": r.prefix_list_id(),
            "referenced_security_group_id": r.referenced_group_info().and_then(|g| g.group_id()),
            "description": r.description(), "tags": tags(r.tags()),
        });
        let mut resource = ctx.resource(ty, arn, attrs);
        resource.service_managed |= is_default_group_rule(&resource.attributes, ty, &defaults);
        out.resources.push(resource);
    }
}

/// Whether a rule is one of the two AWS creates with a VPC's default security group: all
/// traffic out to anywhere, and all traffic in from the group itself.
fn is_default_group_rule(attrs: &Value, tf_type: &str, default_groups: &HashSet<String>) -> bool {
    let s = |k: &str| attrs.get(k).and_then(Value::as_str);
    let Some(group) = s("security_group_id").filter(|g| default_groups.contains(*g)) else {
        return false;
    };
    if s("ip_protocol") != Some("-1") {
        return false;
    }
    if tf_type == "aws_vpc_security_group_egress_rule" {
        s("cidr_ipv4") == Some("0.0.0.0/0") && s("referenced_security_group_id").is_none()
    } else {
        s("referenced_security_group_id") == Some(group) && s("cidr_ipv4").is_none()
    }
}

pub(super) async fn route_tables(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &[
        "aws_route_table",
        "aws_route_table_association",
        "aws_route",
    ];
    let ec2 = client!(ctx, aws_sdk_ec2);
    let req = ec2
        .describe_route_tables()
        .set_max_results(max_results(ctx))
        .into_paginator()
        .send();
    let Some(tables) = pages!(ctx, out, T, "ec2:DescribeRouteTables", req, p => p.route_tables.unwrap_or_default())
    else {
        return;
    };
    for t in tables {
        let id = t.route_table_id().unwrap_or_default().to_string();
        let arn = ctx.arn("ec2", true, &format!("route-table/{id}"));
        let main = t.associations().iter().any(|a| a.main().unwrap_or(false));
        let attrs = json!({
            "id": id, "arn": arn, "vpc_id": t.vpc_id(), "owner_id": t.owner_id(),
            "main": main, "tags": tags(t.tags()),
        });
        out.resources.push(ctx.resource(T[0], arn.clone(), attrs));
        for a in t.associations() {
            if a.main().unwrap_or(false) {
                continue;
            }
            let assoc = a.route_table_association_id().unwrap_or_default();
            let attrs = json!({
                "id": assoc, "route_table_id": id, "subnet_id": a.subnet_id(), "gateway_id": a.gateway_id(),
            });
            out.resources
                .push(ctx.resource(T[1], assoc.to_string(), attrs));
        }
        for r in t.routes() {
            // The local route and propagated routes come with the table; only CreateRoute
            // routes are Terraform's to import.
            if r.origin().map(|o| o.as_str()) != Some("CreateRoute") {
                continue;
            }
            let dest = r
                .destination_cidr_block()
                .or(r.destination_ipv6_cidr_block())
                .or(r.destination_prefix_list_id())
                .unwrap_or_default();
            let attrs = json!({
                "id": format!("r-{id}{}", dest),
                "route_table_id": id,
                "destination_cidr_block": r.destination_cidr_block(),
                "destination_ipv6_cidr_block": r.destination_ipv6_cidr_block(),
                "destination_prefix_list_id": r.destination_prefix_list_id(),
                "gateway_id": r.gateway_id(), "nat_gateway_id": r.nat_gateway_id(),
                "instance_id": r.instance_id(), "network_interface_id": r.network_interface_id(),
                "vpc_peering_connection_id": r.vpc_peering_connection_id(),
                "transit_gateway_id": r.transit_gateway_id(),
            });
            out.resources
                .push(ctx.resource(T[2], format!("{id}_{dest}"), attrs));
        }
    }
}

pub(super) async fn internet_gateways(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_internet_gateway"];
    let ec2 = client!(ctx, aws_sdk_ec2);
    let req = ec2
        .describe_internet_gateways()
        .set_max_results(max_results(ctx))
        .into_paginator()
        .send();
    let Some(igws) = pages!(ctx, out, T, "ec2:DescribeInternetGateways", req, p => p.internet_gateways.unwrap_or_default())
    else {
        return;
    };
    for g in igws {
        let id = g.internet_gateway_id().unwrap_or_default().to_string();
        let arn = ctx.arn("ec2", true, &format!("internet-gateway/{id}"));
        let attrs = json!({
            "id": id, "arn": arn, "owner_id": g.owner_id(),
            "vpc_id": g.attachments().first().and_then(|a| a.vpc_id()),
            "tags": tags(g.tags()),
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}

pub(super) async fn nat_gateways(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_nat_gateway"];
    let ec2 = client!(ctx, aws_sdk_ec2);
    let req = ec2
        .describe_nat_gateways()
        .set_max_results(max_results(ctx))
        .into_paginator()
        .send();
    let Some(nats) = pages!(ctx, out, T, "ec2:DescribeNatGateways", req, p => p.nat_gateways.unwrap_or_default())
    else {
        return;
    };
    for n in nats {
        // Deleted gateways stay visible for about an hour.
        if matches!(n.state().map(|s| s.as_str()), Some("deleted" | "deleting")) {
            continue;
        }
        let id = n.nat_gateway_id().unwrap_or_default().to_string();
        let arn = ctx.arn("ec2", true, &format!("natgateway/{id}"));
        let addr = n.nat_gateway_addresses().first();
        let attrs = json!({
            "id": id, "subnet_id": n.subnet_id(),
            "connectivity_type": n.connectivity_type().map(|c| c.as_str()),
            "allocation_id": addr.and_then(|a| a.allocation_id()),
            "public_ip": addr.and_then(|a| a.public_ip()),
            "private_ip": addr.and_then(|a| a.private_ip()),
            "network_interface_id": addr.and_then(|a| a.network_interface_id()),
            "tags": tags(n.tags()),
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}

pub(super) async fn eips(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_eip"];
    let ec2 = client!(ctx, aws_sdk_ec2);
    // DescribeAddresses is not paginated: one call returns every address of the region.
    let Some(o) = call!(
        ctx,
        out,
        T,
        "ec2:DescribeAddresses",
        ec2.describe_addresses().send()
    ) else {
        return;
    };
    ctx.page(T[0], o.addresses().len());
    for a in o.addresses() {
        let Some(id) = a.allocation_id() else {
            continue;
        };
        let arn = ctx.arn("ec2", true, &format!("elastic-ip/{id}"));
        let attrs = json!({
            "id": id, "allocation_id": id, "arn": arn,
            "public_ip": a.public_ip(), "private_ip": a.private_ip_address(),
            "domain": a.domain().map(|d| d.as_str()),
            "instance": a.instance_id(), "network_interface": a.network_interface_id(),
            "association_id": a.association_id(), "public_ipv4_pool": a.public_ipv4_pool(),
            "tags": tags(a.tags()),
        });
        out.resources.push(ctx.resource(T[0], arn, attrs));
    }
}

pub(super) async fn instances(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_instance"];
    let ec2 = client!(ctx, aws_sdk_ec2);
    // Terminated instances linger for a while and can never be imported.
    let live = Filter::builder()
        .name("instance-state-name")
        .values("pending")
        .values("running")
        .values("stopping")
        .values("stopped")
        .values("shutting-down")
        .build();
    let req = ec2
        .describe_instances()
        .filters(live)
        .set_max_results(max_results(ctx))
        .into_paginator()
        .send();
    let Some(reservations) =
        pages!(ctx, out, T, "ec2:DescribeInstances", req, p => p.reservations.unwrap_or_default())
    else {
        return;
    };
    for r in reservations {
        for i in r.instances() {
            let id = i.instance_id().unwrap_or_default().to_string();
            let arn = ctx.arn("ec2", true, &format!("instance/{id}"));
            let mut sgs: Vec<&str> = i
                .security_groups()
                .iter()
                .filter_map(|g| g.group_id())
                .collect();
            sgs.sort();
            let attrs = json!({
                "id": id, "arn": arn, "ami": i.image_id(),
                "instance_type": i.instance_type().map(|t| t.as_str()),
                "subnet_id": i.subnet_id(), "key_name": i.key_name(),
                "vpc_security_group_ids": sgs,
                "iam_instance_profile": i.iam_instance_profile().and_then(|p| p.arn()).map(|a| a.rsplit('/').next().unwrap_or(a)),
                "availability_zone": i.placement().and_then(|p| p.availability_zone()),
                "private_ip": i.private_ip_address(), "public_ip": i.public_ip_address(),
                "instance_state": i.state().and_then(|s| s.name()).map(|s| s.as_str()),
                "tags": tags(i.tags()),
            });
            out.resources.push(ctx.resource(T[0], arn, attrs));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_rules_aws_creates_with_a_default_group_are_service_managed() {
        let defaults: HashSet<String> = ["sg-default".to_string()].into();
        let egress = "aws_vpc_security_group_egress_rule";
        let ingress = "aws_vpc_security_group_ingress_rule";
        let all_out = json!({"security_group_id": "sg-default", "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"});
        assert!(is_default_group_rule(&all_out, egress, &defaults));
        let from_itself = json!({"security_group_id": "sg-default", "ip_protocol": "-1", "referenced_security_group_id": "sg-default"});
        assert!(is_default_group_rule(&from_itself, ingress, &defaults));
        // Rules added by hand to the default group, and the same rules on other groups, are not.
        let https_in = json!({"security_group_id": "sg-default", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0"});
        assert!(!is_default_group_rule(&https_in, ingress, &defaults));
        let all_in = json!({"security_group_id": "sg-default", "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"});
        assert!(!is_default_group_rule(&all_in, ingress, &defaults));
        let other =
            json!({"security_group_id": "sg-web", "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"});
        assert!(!is_default_group_rule(&other, egress, &defaults));
    }
}
