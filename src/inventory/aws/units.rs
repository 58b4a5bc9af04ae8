//! The units of listing work: which list-operation family produces which Terraform types, and
//! whether it is listed once (global) or once per region.

use super::{
    dynamodb, ec2, ecr, ecs, events, iam, kms, lambda, monitoring, rds, route53, s3, secrets, sns,
    sqs, Ctx,
};
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
    SqsQueues,
    SnsTopics,
    SnsSubscriptions,
    Ecs,
    EcsTaskDefinitions,
    Ecr,
    LambdaFunctions,
    LambdaEventSourceMappings,
    DynamoDb,
    Vpcs,
    Subnets,
    SecurityGroups,
    SecurityGroupRules,
    RouteTables,
    InternetGateways,
    NatGateways,
    Eips,
    Instances,
    LogGroups,
    MetricAlarms,
    EventRules,
    KmsKeys,
    KmsAliases,
    Secrets,
    SsmParameters,
    RdsInstances,
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
        Unit::SqsQueues,
        Unit::SnsTopics,
        Unit::SnsSubscriptions,
        Unit::Ecs,
        Unit::EcsTaskDefinitions,
        Unit::Ecr,
        Unit::LambdaFunctions,
        Unit::LambdaEventSourceMappings,
        Unit::DynamoDb,
        Unit::Vpcs,
        Unit::Subnets,
        Unit::SecurityGroups,
        Unit::SecurityGroupRules,
        Unit::RouteTables,
        Unit::InternetGateways,
        Unit::NatGateways,
        Unit::Eips,
        Unit::Instances,
        Unit::LogGroups,
        Unit::MetricAlarms,
        Unit::EventRules,
        Unit::KmsKeys,
        Unit::KmsAliases,
        Unit::Secrets,
        Unit::SsmParameters,
        Unit::RdsInstances,
    ];

    /// The Terraform types this unit produces; the first is the one listed directly.
    pub fn types(self) -> &'static [&'static str] {
        match self {
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
            Unit::S3Buckets => &[
                "aws_s3_bucket",
                "aws_s3_bucket_policy",
                "aws_s3_bucket_versioning",
                "aws_s3_bucket_public_access_block",
                "aws_s3_bucket_server_side_encryption_configuration",
                "aws_s3_bucket_lifecycle_configuration",
            ],
            Unit::Route53 => &["aws_route53_zone", "aws_route53_record"],
            Unit::SqsQueues => &[
                "aws_sqs_queue",
                "aws_sqs_queue_policy",
                "aws_sqs_queue_redrive_policy",
            ],
            Unit::SnsTopics => &["aws_sns_topic", "aws_sns_topic_policy"],
            Unit::SnsSubscriptions => &["aws_sns_topic_subscription"],
            Unit::Ecs => &["aws_ecs_cluster", "aws_ecs_service"],
            Unit::EcsTaskDefinitions => &["aws_ecs_task_definition"],
            Unit::Ecr => &["aws_ecr_repository"],
            Unit::LambdaFunctions => &["aws_lambda_function", "aws_lambda_permission"],
            Unit::LambdaEventSourceMappings => &["aws_lambda_event_source_mapping"],
            Unit::DynamoDb => &["aws_dynamodb_table"],
            Unit::Vpcs => &["aws_vpc"],
            Unit::Subnets => &["aws_subnet"],
            Unit::SecurityGroups => &["aws_security_group"],
            Unit::SecurityGroupRules => &[
                "aws_vpc_security_group_ingress_rule",
                "aws_vpc_security_group_egress_rule",
            ],
            Unit::RouteTables => &[
                "aws_route_table",
                "aws_route_table_association",
                "aws_route",
            ],
            Unit::InternetGateways => &["aws_internet_gateway"],
            Unit::NatGateways => &["aws_nat_gateway"],
            Unit::Eips => &["aws_eip"],
            Unit::Instances => &["aws_instance"],
            Unit::LogGroups => &["aws_cloudwatch_log_group"],
            Unit::MetricAlarms => &["aws_cloudwatch_metric_alarm"],
            Unit::EventRules => &["aws_cloudwatch_event_rule", "aws_cloudwatch_event_target"],
            Unit::KmsKeys => &["aws_kms_key"],
            Unit::KmsAliases => &["aws_kms_alias"],
            Unit::Secrets => &["aws_secretsmanager_secret"],
            Unit::SsmParameters => &["aws_ssm_parameter"],
            Unit::RdsInstances => &["aws_db_instance", "aws_rds_cluster_instance"],
        }
    }

    /// Listed once per run rather than once per region (IAM, Route 53, the S3 bucket list).
    pub fn global(self) -> bool {
        matches!(
            self,
            Unit::IamRoles
                | Unit::IamPolicies
                | Unit::IamUsers
                | Unit::IamGroups
                | Unit::IamInstanceProfiles
                | Unit::IamOidcProviders
                | Unit::S3Buckets
                | Unit::Route53
        )
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
            Unit::SqsQueues => sqs::queues(ctx, out).await,
            Unit::SnsTopics => sns::topics(ctx, out).await,
            Unit::SnsSubscriptions => sns::subscriptions(ctx, out).await,
            Unit::Ecs => ecs::clusters(ctx, out).await,
            Unit::EcsTaskDefinitions => ecs::task_definitions(ctx, out).await,
            Unit::Ecr => ecr::repositories(ctx, out).await,
            Unit::LambdaFunctions => lambda::functions(ctx, out).await,
            Unit::LambdaEventSourceMappings => lambda::event_source_mappings(ctx, out).await,
            Unit::DynamoDb => dynamodb::tables(ctx, out).await,
            Unit::Vpcs => ec2::vpcs(ctx, out).await,
            Unit::Subnets => ec2::subnets(ctx, out).await,
            Unit::SecurityGroups => ec2::security_groups(ctx, out).await,
            Unit::SecurityGroupRules => ec2::security_group_rules(ctx, out).await,
            Unit::RouteTables => ec2::route_tables(ctx, out).await,
            Unit::InternetGateways => ec2::internet_gateways(ctx, out).await,
            Unit::NatGateways => ec2::nat_gateways(ctx, out).await,
            Unit::Eips => ec2::eips(ctx, out).await,
            Unit::Instances => ec2::instances(ctx, out).await,
            Unit::LogGroups => monitoring::log_groups(ctx, out).await,
            Unit::MetricAlarms => monitoring::metric_alarms(ctx, out).await,
            Unit::EventRules => events::rules(ctx, out).await,
            Unit::KmsKeys => kms::keys(ctx, out).await,
            Unit::KmsAliases => kms::aliases(ctx, out).await,
            Unit::Secrets => secrets::secrets(ctx, out).await,
            Unit::SsmParameters => secrets::parameters(ctx, out).await,
            Unit::RdsInstances => rds::instances(ctx, out).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_type_has_a_catalog_row() {
        let mut from_units: Vec<&str> = Unit::ALL
            .iter()
            .flat_map(|u| u.types().iter().copied())
            .collect();
        from_units.sort();
        let n = from_units.len();
        from_units.dedup();
        assert_eq!(n, from_units.len(), "a type is produced by two units");
        for t in &from_units {
            let row = crate::catalog::Catalog::aws()
                .get(t)
                .unwrap_or_else(|| panic!("{t} is listed but has no row in catalog/aws.toml"));
            assert!(
                row.aws.is_some(),
                "{t}: its row has no [resource.aws] table"
            );
        }
        assert_eq!(super::super::supported_types().len(), from_units.len());
    }
}
