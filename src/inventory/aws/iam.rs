//! IAM (global): roles with their inline and attached policies, customer-managed policies,
//! users, groups, instance profiles and OIDC providers. Never reads access keys or passwords.

use serde_json::{json, Value};

use super::{call, client, pages, policy_json, tags_value, Ctx};
use crate::inventory::model::Inventory;

const ROLE: &[&str] = &[
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
];
const USER: &[&str] = &[
    "aws_iam_user",
    "aws_iam_user_policy",
    "aws_iam_user_policy_attachment",
];
const GROUP: &[&str] = &[
    "aws_iam_group",
    "aws_iam_group_policy",
    "aws_iam_group_policy_attachment",
];

pub(super) async fn roles(ctx: &Ctx<'_>, out: &mut Inventory) {
    let iam = client!(ctx, aws_sdk_iam);
    let req = iam
        .list_roles()
        .set_max_items(ctx.page_size())
        .into_paginator()
        .send();
    let Some(roles) = pages!(ctx, out, ROLE, "iam:ListRoles", req, p => p.roles) else {
        return;
    };
    for role in roles {
        let name = role.role_name().to_string();
        let path = role.path().to_string();
        if ctx.wants(ROLE[0]) {
            let tags = call!(
                ctx,
                out,
                &ROLE[..1],
                "iam:ListRoleTags",
                iam.list_role_tags().role_name(&name).send()
            )
            .map(|t| tags_value(t.tags().iter().map(|t| (t.key(), t.value()))))
            .unwrap_or(Value::Null);
            let attrs = json!({
                "name": name,
                "arn": role.arn(),
                "path": path,
                "unique_id": role.role_id(),
                "assume_role_policy": role.assume_role_policy_document().map(policy_json),
                "description": role.description(),
                "max_session_duration": role.max_session_duration(),
                "permissions_boundary": role.permissions_boundary().and_then(|b| b.permissions_boundary_arn()),
                "tags": tags,
            });
            out.resources
                .push(ctx.resource(ROLE[0], Some(role.arn().to_string()), attrs));
        }
        if ctx.wants(ROLE[1]) {
            let req = iam
                .list_role_policies()
                .role_name(&name)
                .into_paginator()
                .send();
            if let Some(names) =
                pages!(ctx, out, &ROLE[1..2], "iam:ListRolePolicies", req, p => p.policy_names)
            {
                for policy in names {
                    let req = iam
                        .get_role_policy()
                        .role_name(&name)
                        .policy_name(&policy)
                        .send();
                    let Some(doc) = call!(ctx, out, &ROLE[1..2], "iam:GetRolePolicy", req) else {
                        continue;
                    };
                    let attrs = json!({
                        "role": name, "name": policy, "role_path": path,
                        "policy": policy_json(doc.policy_document()),
                    });
                    out.resources.push(ctx.resource(ROLE[1], None, attrs));
                }
            }
        }
        if ctx.wants(ROLE[2]) {
            let req = iam
                .list_attached_role_policies()
                .role_name(&name)
                .into_paginator()
                .send();
            if let Some(attached) = pages!(ctx, out, &ROLE[2..3], "iam:ListAttachedRolePolicies", req, p => p.attached_policies.unwrap_or_default())
            {
                for a in attached {
                    let arn = a.policy_arn().unwrap_or_default();
                    let attrs = json!({"role": name, "policy_arn": arn, "role_path": path});
                    out.resources.push(ctx.resource(ROLE[2], None, attrs));
                }
            }
        }
    }
}

pub(super) async fn policies(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_iam_policy"];
    let iam = client!(ctx, aws_sdk_iam);
    // Scope=Local: AWS-managed policies are not the account's to import.
    let req = iam
        .list_policies()
        .scope(aws_sdk_iam::types::PolicyScopeType::Local)
        .set_max_items(ctx.page_size())
        .into_paginator()
        .send();
    let Some(policies) =
        pages!(ctx, out, T, "iam:ListPolicies", req, p => p.policies.unwrap_or_default())
    else {
        return;
    };
    for p in policies {
        let arn = p.arn().unwrap_or_default().to_string();
        let document = match p.default_version_id() {
            Some(v) => call!(
                ctx,
                out,
                T,
                "iam:GetPolicyVersion",
                iam.get_policy_version()
                    .policy_arn(&arn)
                    .version_id(v)
                    .send()
            )
            .and_then(|o| o.policy_version.and_then(|v| v.document))
            .map(|d| policy_json(&d)),
            None => None,
        };
        // ListPolicies leaves tags out; they are drift like any other attribute.
        let tags = call!(
            ctx,
            out,
            T,
            "iam:ListPolicyTags",
            iam.list_policy_tags().policy_arn(&arn).send()
        )
        .map(|t| tags_value(t.tags().iter().map(|t| (t.key(), t.value()))))
        .unwrap_or(Value::Null);
        let attrs = json!({
            "arn": arn, "name": p.policy_name(), "path": p.path(),
            "description": p.description(), "policy_id": p.policy_id(), "policy": document,
            "attachment_count": p.attachment_count(), "tags": tags,
        });
        out.resources.push(ctx.resource(T[0], Some(arn), attrs));
    }
}

pub(super) async fn users(ctx: &Ctx<'_>, out: &mut Inventory) {
    let iam = client!(ctx, aws_sdk_iam);
    let req = iam
        .list_users()
        .set_max_items(ctx.page_size())
        .into_paginator()
        .send();
    let Some(users) = pages!(ctx, out, USER, "iam:ListUsers", req, p => p.users) else {
        return;
    };
    for u in users {
        let name = u.user_name().to_string();
        if ctx.wants(USER[0]) {
            let tags = call!(
                ctx,
                out,
                &USER[..1],
                "iam:ListUserTags",
                iam.list_user_tags().user_name(&name).send()
            )
            .map(|t| tags_value(t.tags().iter().map(|t| (t.key(), t.value()))))
            .unwrap_or(Value::Null);
            let attrs = json!({
                "name": name, "arn": u.arn(), "path": u.path(), "unique_id": u.user_id(),
                "permissions_boundary": u.permissions_boundary().and_then(|b| b.permissions_boundary_arn()),
                "tags": tags,
            });
            out.resources
                .push(ctx.resource(USER[0], Some(u.arn().to_string()), attrs));
        }
        if ctx.wants(USER[1]) {
            let req = iam
                .list_user_policies()
                .user_name(&name)
                .into_paginator()
                .send();
            if let Some(names) =
                pages!(ctx, out, &USER[1..2], "iam:ListUserPolicies", req, p => p.policy_names)
            {
                for policy in names {
                    let req = iam
                        .get_user_policy()
                        .user_name(&name)
                        .policy_name(&policy)
                        .send();
                    let Some(doc) = call!(ctx, out, &USER[1..2], "iam:GetUserPolicy", req) else {
                        continue;
                    };
                    let attrs = json!({"user": name, "name": policy, "policy": policy_json(doc.policy_document())});
                    out.resources.push(ctx.resource(USER[1], None, attrs));
                }
            }
        }
        if ctx.wants(USER[2]) {
            let req = iam
                .list_attached_user_policies()
                .user_name(&name)
                .into_paginator()
                .send();
            if let Some(attached) = pages!(ctx, out, &USER[2..3], "iam:ListAttachedUserPolicies", req, p => p.attached_policies.unwrap_or_default())
            {
                for a in attached {
                    let arn = a.policy_arn().unwrap_or_default();
                    let attrs = json!({"user": name, "policy_arn": arn});
                    out.resources.push(ctx.resource(USER[2], None, attrs));
                }
            }
        }
    }
}

pub(super) async fn groups(ctx: &Ctx<'_>, out: &mut Inventory) {
    let iam = client!(ctx, aws_sdk_iam);
    let req = iam
        .list_groups()
        .set_max_items(ctx.page_size())
        .into_paginator()
        .send();
    let Some(groups) = pages!(ctx, out, GROUP, "iam:ListGroups", req, p => p.groups) else {
        return;
    };
    for g in groups {
        let name = g.group_name().to_string();
        if ctx.wants(GROUP[0]) {
            let attrs =
                json!({"name": name, "arn": g.arn(), "path": g.path(), "unique_id": g.group_id()});
            out.resources
                .push(ctx.resource(GROUP[0], Some(g.arn().to_string()), attrs));
        }
        if ctx.wants(GROUP[1]) {
            let req = iam
                .list_group_policies()
                .group_name(&name)
                .into_paginator()
                .send();
            if let Some(names) =
                pages!(ctx, out, &GROUP[1..2], "iam:ListGroupPolicies", req, p => p.policy_names)
            {
                for policy in names {
                    let req = iam
                        .get_group_policy()
                        .group_name(&name)
                        .policy_name(&policy)
                        .send();
                    let Some(doc) = call!(ctx, out, &GROUP[1..2], "iam:GetGroupPolicy", req) else {
                        continue;
                    };
                    let attrs = json!({"group": name, "name": policy, "policy": policy_json(doc.policy_document())});
                    out.resources.push(ctx.resource(GROUP[1], None, attrs));
                }
            }
        }
        if ctx.wants(GROUP[2]) {
            let req = iam
                .list_attached_group_policies()
                .group_name(&name)
                .into_paginator()
                .send();
            if let Some(attached) = pages!(ctx, out, &GROUP[2..3], "iam:ListAttachedGroupPolicies", req, p => p.attached_policies.unwrap_or_default())
            {
                for a in attached {
                    let arn = a.policy_arn().unwrap_or_default();
                    let attrs = json!({"group": name, "policy_arn": arn});
                    out.resources.push(ctx.resource(GROUP[2], None, attrs));
                }
            }
        }
    }
}

pub(super) async fn instance_profiles(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_iam_instance_profile"];
    let iam = client!(ctx, aws_sdk_iam);
    let req = iam
        .list_instance_profiles()
        .set_max_items(ctx.page_size())
        .into_paginator()
        .send();
    let Some(profiles) =
        pages!(ctx, out, T, "iam:ListInstanceProfiles", req, p => p.instance_profiles)
    else {
        return;
    };
    for p in profiles {
        let name = p.instance_profile_name();
        let attrs = json!({
            "name": name, "arn": p.arn(), "path": p.path(),
            "unique_id": p.instance_profile_id(),
            "role": p.roles().first().map(|r| r.role_name()),
            "tags": tags_value(p.tags().iter().map(|t| (t.key(), t.value()))),
        });
        out.resources
            .push(ctx.resource(T[0], Some(p.arn().to_string()), attrs));
    }
}

pub(super) async fn oidc_providers(ctx: &Ctx<'_>, out: &mut Inventory) {
    const T: &[&str] = &["aws_iam_openid_connect_provider"];
    let iam = client!(ctx, aws_sdk_iam);
    let Some(list) = call!(
        ctx,
        out,
        T,
        "iam:ListOpenIDConnectProviders",
        iam.list_open_id_connect_providers().send()
    ) else {
        return;
    };
    let arns: Vec<String> = list
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn().map(str::to_string))
        .collect();
    ctx.page(T[0], arns.len());
    for arn in arns {
        let Some(p) = call!(
            ctx,
            out,
            T,
            "iam:GetOpenIDConnectProvider",
            iam.get_open_id_connect_provider()
                .open_id_connect_provider_arn(&arn)
                .send()
        ) else {
            continue;
        };
        let attrs = json!({
            "arn": arn, "url": p.url(), "client_id_list": p.client_id_list(),
            "thumbprint_list": p.thumbprint_list(),
            "tags": tags_value(p.tags().iter().map(|t| (t.key(), t.value()))),
        });
        out.resources.push(ctx.resource(T[0], Some(arn), attrs));
    }
}
