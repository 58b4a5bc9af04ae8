//! The SDK units: the list-operation families Cloud Control cannot list, which Terraform types
//! each produces, and whether it is listed once (global) or once per region. Every type here
//! has `lister = "sdk"` in its catalog row (a test checks).

use super::{iam, route53, s3, Ctx};
use crate::inventory::model::Inventory;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    IamRoles,
    IamPolicies,
    IamUsers,
    IamGroups,
    IamInstanceProfiles,
    IamOidcProviders,
    S3Buckets,
    Route53,
}

impl Unit {
    pub const ALL: &'static [Unit] = &[
        Unit::IamRoles,
        Unit::IamPolicies,
        Unit::IamUsers,
        Unit::IamGroups,
        Unit::IamInstanceProfiles,
        Unit::IamOidcProviders,
        Unit::S3Buckets,
        Unit::Route53,
    ];

    /// The Terraform types this unit produces; the first is the one listed directly.
    pub fn types(self) -> &'static [&'static str] {
        match self {
            // Attachments and inline policies have no list handler; the roles, users and
            // groups they hang from come in the same pages (a Cloud Control listing of them
            // would add one GetResource per principal).
            Unit::IamRoles => &[
                "aws_iam_role",
                "aws_iam_role_policy",
                "aws_iam_role_policy_attachment",
            ],
            Unit::IamPolicies => &["aws_iam_policy"],
            Unit::IamUsers => &[
                "aws_iam_user",
                "aws_iam_user_policy",
                "aws_iam_user_policy_attachment",
            ],
            Unit::IamGroups => &[
                "aws_iam_group",
                "aws_iam_group_policy",
                "aws_iam_group_policy_attachment",
            ],
            Unit::IamInstanceProfiles => &["aws_iam_instance_profile"],
            Unit::IamOidcProviders => &["aws_iam_openid_connect_provider"],
            // Bucket configurations are properties of AWS::S3::Bucket in CloudFormation, not
            // listable types.
            Unit::S3Buckets => &[
                "aws_s3_bucket",
                "aws_s3_bucket_policy",
                "aws_s3_bucket_versioning",
                "aws_s3_bucket_public_access_block",
                "aws_s3_bucket_server_side_encryption_configuration",
                "aws_s3_bucket_lifecycle_configuration",
            ],
            // AWS::Route53::RecordSet has no Cloud Control handlers.
            Unit::Route53 => &["aws_route53_zone", "aws_route53_record"],
        }
    }

    /// Listed once per run rather than once per region.
    pub fn global(self) -> bool {
        true
    }

    pub async fn run(self, ctx: &Ctx<'_>, out: &mut Inventory) {
        match self {
            Unit::IamRoles => iam::roles(ctx, out).await,
            Unit::IamPolicies => iam::policies(ctx, out).await,
            Unit::IamUsers => iam::users(ctx, out).await,
            Unit::IamGroups => iam::groups(ctx, out).await,
            Unit::IamInstanceProfiles => iam::instance_profiles(ctx, out).await,
            Unit::IamOidcProviders => iam::oidc_providers(ctx, out).await,
            Unit::S3Buckets => s3::buckets(ctx, out).await,
            Unit::Route53 => route53::zones(ctx, out).await,
        }
    }
}
