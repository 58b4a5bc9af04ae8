//! The types the AWS listers produce: their native type, import-ID templates and service-managed
//! marks, copied verbatim from `catalog/aws.toml` (a test keeps both identical). Owns rendering
//! until the catalog loader replaces it; knows nothing about the SDK.

use serde_json::Value;

pub(crate) struct TypeInfo {
    pub tf_type: &'static str,
    pub native_type: &'static str,
    pub templates: &'static [&'static str],
    /// Any match marks the resource as created by AWS itself.
    pub service_managed: &'static [(&'static str, Cond)],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cond {
    Equals(&'static str),
    Prefix(&'static str),
}

const fn t(
    tf_type: &'static str,
    native_type: &'static str,
    templates: &'static [&'static str],
) -> TypeInfo {
    TypeInfo {
        tf_type,
        native_type,
        templates,
        service_managed: &[],
    }
}

const fn m(
    tf_type: &'static str,
    native_type: &'static str,
    templates: &'static [&'static str],
    service_managed: &'static [(&'static str, Cond)],
) -> TypeInfo {
    TypeInfo {
        tf_type,
        native_type,
        templates,
        service_managed,
    }
}

const SLR: &[(&str, Cond)] = &[("role_path", Cond::Prefix("/aws-service-role/"))];

pub(crate) const TYPES: &[TypeInfo] = &[
    t("aws_s3_bucket", "AWS::S3::Bucket", &["{bucket}"]),
    m(
        "aws_iam_role",
        "AWS::IAM::Role",
        &["{name}"],
        &[("path", Cond::Prefix("/aws-service-role/"))],
    ),
    m(
        "aws_iam_role_policy_attachment",
        "AWS::IAM::RolePolicyAttachment",
        &["{role}/{policy_arn}"],
        SLR,
    ),
    t("aws_iam_policy", "AWS::IAM::ManagedPolicy", &["{arn}"]),
    m(
        "aws_security_group",
        "AWS::EC2::SecurityGroup",
        &["{id}"],
        &[("name", Cond::Equals("default"))],
    ),
    t(
        "aws_vpc_security_group_ingress_rule",
        "AWS::EC2::SecurityGroupIngress",
        &["{security_group_rule_id}"],
    ),
    t(
        "aws_vpc_security_group_egress_rule",
        "AWS::EC2::SecurityGroupEgress",
        &["{security_group_rule_id}"],
    ),
    t("aws_instance", "AWS::EC2::Instance", &["{id}"]),
    m(
        "aws_vpc",
        "AWS::EC2::VPC",
        &["{id}"],
        &[("default", Cond::Equals("true"))],
    ),
    m(
        "aws_subnet",
        "AWS::EC2::Subnet",
        &["{id}"],
        &[("default_for_az", Cond::Equals("true"))],
    ),
    m(
        "aws_route_table",
        "AWS::EC2::RouteTable",
        &["{id}"],
        &[("main", Cond::Equals("true"))],
    ),
    t(
        "aws_route_table_association",
        "AWS::EC2::SubnetRouteTableAssociation",
        &[
            "{subnet_id}/{route_table_id}",
            "{gateway_id}/{route_table_id}",
        ],
    ),
    t(
        "aws_internet_gateway",
        "AWS::EC2::InternetGateway",
        &["{id}"],
    ),
    t("aws_nat_gateway", "AWS::EC2::NatGateway", &["{id}"]),
    t("aws_eip", "AWS::EC2::EIP", &["{allocation_id}"]),
    t(
        "aws_lambda_function",
        "AWS::Lambda::Function",
        &["{function_name}"],
    ),
    t(
        "aws_lambda_permission",
        "AWS::Lambda::Permission",
        &[
            "{function_name}:{qualifier}/{statement_id}",
            "{function_name}/{statement_id}",
        ],
    ),
    t(
        "aws_cloudwatch_log_group",
        "AWS::Logs::LogGroup",
        &["{name}"],
    ),
    t(
        "aws_s3_bucket_policy",
        "AWS::S3::BucketPolicy",
        &["{bucket}"],
    ),
    t(
        "aws_s3_bucket_versioning",
        "AWS::S3::BucketVersioning",
        &["{bucket}", "{bucket},{expected_bucket_owner}"],
    ),
    t(
        "aws_s3_bucket_public_access_block",
        "AWS::S3::BucketPublicAccessBlock",
        &["{bucket}"],
    ),
    t(
        "aws_s3_bucket_server_side_encryption_configuration",
        "AWS::S3::BucketEncryption",
        &["{bucket}", "{bucket},{expected_bucket_owner}"],
    ),
    t(
        "aws_s3_bucket_lifecycle_configuration",
        "AWS::S3::BucketLifecycleConfiguration",
        &["{bucket}", "{bucket},{expected_bucket_owner}"],
    ),
    m(
        "aws_iam_role_policy",
        "AWS::IAM::RolePolicy",
        &["{role}:{name}"],
        SLR,
    ),
    t(
        "aws_iam_instance_profile",
        "AWS::IAM::InstanceProfile",
        &["{name}"],
    ),
    t("aws_sqs_queue", "AWS::SQS::Queue", &["{url}"]),
    t(
        "aws_sqs_queue_policy",
        "AWS::SQS::QueueInlinePolicy",
        &["{queue_url}"],
    ),
    t("aws_sns_topic", "AWS::SNS::Topic", &["{arn}"]),
    t(
        "aws_sns_topic_subscription",
        "AWS::SNS::Subscription",
        &["{arn}"],
    ),
    t("aws_dynamodb_table", "AWS::DynamoDB::Table", &["{name}"]),
    m(
        "aws_kms_key",
        "AWS::KMS::Key",
        &["{key_id}"],
        &[("key_manager", Cond::Equals("AWS"))],
    ),
    m(
        "aws_kms_alias",
        "AWS::KMS::Alias",
        &["{name}"],
        &[("name", Cond::Prefix("alias/aws/"))],
    ),
    t("aws_ecs_cluster", "AWS::ECS::Cluster", &["{name}"]),
    t(
        "aws_ecs_service",
        "AWS::ECS::Service",
        &["{cluster_name}/{name}"],
    ),
    t(
        "aws_ecs_task_definition",
        "AWS::ECS::TaskDefinition",
        &["{arn}"],
    ),
    t("aws_ecr_repository", "AWS::ECR::Repository", &["{name}"]),
    t("aws_db_instance", "AWS::RDS::DBInstance", &["{identifier}"]),
    t(
        "aws_route53_zone",
        "AWS::Route53::HostedZone",
        &["{zone_id}"],
    ),
    m(
        "aws_route53_record",
        "AWS::Route53::RecordSet",
        &[
            "{zone_id}_{name}_{type}_{set_identifier}",
            "{zone_id}_{name}_{type}",
        ],
        &[("apex_ns_or_soa", Cond::Equals("true"))],
    ),
    t(
        "aws_cloudwatch_metric_alarm",
        "AWS::CloudWatch::Alarm",
        &["{alarm_name}"],
    ),
    t(
        "aws_cloudwatch_event_rule",
        "AWS::Events::Rule",
        &["{event_bus_name}/{name}", "{name}"],
    ),
    t(
        "aws_cloudwatch_event_target",
        "AWS::Events::Target",
        &["{event_bus_name}/{rule}/{target_id}", "{rule}/{target_id}"],
    ),
    t(
        "aws_secretsmanager_secret",
        "AWS::SecretsManager::Secret",
        &["{arn}"],
    ),
    t("aws_ssm_parameter", "AWS::SSM::Parameter", &["{name}"]),
    t(
        "aws_lambda_event_source_mapping",
        "AWS::Lambda::EventSourceMapping",
        &["{uuid}"],
    ),
    t("aws_iam_user", "AWS::IAM::User", &["{name}"]),
    t("aws_iam_group", "AWS::IAM::Group", &["{name}"]),
    t(
        "aws_iam_openid_connect_provider",
        "AWS::IAM::OIDCProvider",
        &["{arn}"],
    ),
    t(
        "aws_iam_user_policy_attachment",
        "AWS::IAM::UserPolicyAttachment",
        &["{user}/{policy_arn}"],
    ),
    t(
        "aws_iam_group_policy",
        "AWS::IAM::GroupPolicy",
        &["{group}:{name}"],
    ),
    t(
        "aws_iam_group_policy_attachment",
        "AWS::IAM::GroupPolicyAttachment",
        &["{group}/{policy_arn}"],
    ),
    t(
        "aws_iam_user_policy",
        "AWS::IAM::UserPolicy",
        &["{user}:{name}"],
    ),
    t(
        "aws_sqs_queue_redrive_policy",
        "AWS::SQS::QueueRedrivePolicy",
        &["{queue_url}"],
    ),
    t(
        "aws_sns_topic_policy",
        "AWS::SNS::TopicInlinePolicy",
        &["{arn}"],
    ),
    t(
        "aws_route",
        "AWS::EC2::Route",
        &[
            "{route_table_id}_{destination_cidr_block}",
            "{route_table_id}_{destination_ipv6_cidr_block}",
            "{route_table_id}_{destination_prefix_list_id}",
        ],
    ),
    t(
        "aws_rds_cluster_instance",
        "AWS::RDS::DBInstance",
        &["{identifier}"],
    ),
];

/// Types whose `policy` attribute is the resource's own access policy.
const RESOURCE_POLICY: &[&str] = &[
    "aws_s3_bucket_policy",
    "aws_sqs_queue",
    "aws_sqs_queue_policy",
    "aws_sns_topic",
    "aws_sns_topic_policy",
    "aws_kms_key",
];

pub(crate) fn info(tf_type: &str) -> &'static TypeInfo {
    TYPES
        .iter()
        .find(|t| t.tf_type == tf_type)
        .unwrap_or_else(|| panic!("{tf_type} is produced by a lister but missing from TYPES"))
}

/// The value of `path` (`name` or `tags.Name`) as a string, when present and not empty.
fn lookup(attributes: &Value, path: &str) -> Option<String> {
    let mut v = attributes;
    for part in path.split('.') {
        v = v.get(part)?;
    }
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Renders the first template whose placeholders all have a value.
pub(crate) fn render(templates: &[&str], attributes: &Value) -> Option<String> {
    'templates: for template in templates {
        let mut out = String::new();
        let mut rest = *template;
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}')? + start;
            out.push_str(&rest[..start]);
            match lookup(attributes, &rest[start + 1..end]) {
                Some(v) => out.push_str(&v),
                None => continue 'templates,
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        return Some(out);
    }
    None
}

/// The import ID of a resource of `tf_type`. The default EventBridge bus is left out of the
/// ID, as the provider writes it.
pub(crate) fn render_for(tf_type: &str, attributes: &Value) -> Option<String> {
    let info = info(tf_type);
    if matches!(
        tf_type,
        "aws_cloudwatch_event_rule" | "aws_cloudwatch_event_target"
    ) && lookup(attributes, "event_bus_name").as_deref() == Some("default")
    {
        let mut a = attributes.clone();
        if let Value::Object(map) = &mut a {
            map.remove("event_bus_name");
        }
        return render(info.templates, &a);
    }
    render(info.templates, attributes)
}

pub(crate) fn service_managed(tf_type: &str, attributes: &Value) -> bool {
    info(tf_type).service_managed.iter().any(|(attr, cond)| {
        lookup(attributes, attr).is_some_and(|v| match cond {
            Cond::Equals(x) => v == *x,
            Cond::Prefix(x) => v.starts_with(x),
        })
    })
}

pub(crate) fn resource_policy(tf_type: &str, attributes: &Value) -> Option<Value> {
    if !RESOURCE_POLICY.contains(&tf_type) {
        return None;
    }
    let text = attributes.get("policy")?.as_str()?;
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The same `toml` crate the catalog loader uses; the file is the one shipped in the binary.
    fn catalog() -> Vec<toml::Value> {
        let text = include_str!("../../../catalog/aws.toml");
        let doc: toml::Table = toml::from_str(text).expect("catalog/aws.toml parses");
        doc["resource"]
            .as_array()
            .expect("[[resource]] rows")
            .clone()
    }

    fn row<'a>(rows: &'a [toml::Value], tf_type: &str) -> &'a toml::Value {
        rows.iter()
            .find(|r| r["type"].as_str() == Some(tf_type))
            .unwrap_or_else(|| panic!("{tf_type} is listed but has no row in catalog/aws.toml"))
    }

    #[test]
    fn every_lister_template_is_the_catalog_template() {
        let rows = catalog();
        for info in TYPES {
            let r = row(&rows, info.tf_type);
            let templates: Vec<&str> = r["import_id"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(templates, info.templates, "import_id of {}", info.tf_type);
            assert_eq!(
                r["aws"]["cloudformation_type"].as_str(),
                Some(info.native_type),
                "cloudformation_type of {}",
                info.tf_type
            );
        }
    }

    #[test]
    fn every_service_managed_mark_is_the_catalog_mark() {
        let rows = catalog();
        for info in TYPES {
            let r = row(&rows, info.tf_type);
            let mut want: Vec<(String, Cond)> = Vec::new();
            for c in r
                .get("service_managed")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                let attr = c["attribute"].as_str().unwrap().to_string();
                if let Some(e) = c.get("equals").and_then(|v| v.as_str()) {
                    want.push((attr, Cond::Equals(e.to_string().leak())));
                } else if let Some(p) = c.get("prefix").and_then(|v| v.as_str()) {
                    want.push((attr, Cond::Prefix(p.to_string().leak())));
                } else {
                    panic!(
                        "{}: a condition the listers cannot evaluate: {c}",
                        info.tf_type
                    );
                }
            }
            let have: Vec<(String, Cond)> = info
                .service_managed
                .iter()
                .map(|(a, c)| (a.to_string(), *c))
                .collect();
            assert_eq!(have, want, "service_managed of {}", info.tf_type);
        }
    }

    #[test]
    fn every_catalog_example_renders() {
        for r in catalog() {
            let templates: Vec<&str> = r["import_id"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let attrs = serde_json::to_value(&r["example_attributes"]).unwrap();
            assert_eq!(
                render(&templates, &attrs).as_deref(),
                r["example_id"].as_str(),
                "{}",
                r["type"]
            );
        }
    }

    #[test]
    fn catalog_has_unique_types_and_enough_rows() {
        let rows = catalog();
        let mut seen = std::collections::BTreeSet::new();
        for r in &rows {
            assert!(
                seen.insert(r["type"].as_str().unwrap()),
                "duplicate {}",
                r["type"]
            );
        }
        assert!(rows.len() >= 80, "{} rows", rows.len());
    }

    #[test]
    fn render_takes_the_first_complete_template() {
        let t = info("aws_route53_record").templates;
        let plain = json!({"zone_id": "Z1", "name": "www.example.com", "type": "A"});
        assert_eq!(render(t, &plain).unwrap(), "Z1_www.example.com_A");
        let weighted = json!({"zone_id": "Z1", "name": "www.example.com", "type": "A", "set_identifier": "blue"});
        assert_eq!(render(t, &weighted).unwrap(), "Z1_www.example.com_A_blue");
        let empty =
            json!({"zone_id": "Z1", "name": "www.example.com", "type": "A", "set_identifier": ""});
        assert_eq!(render(t, &empty).unwrap(), "Z1_www.example.com_A");
        assert_eq!(render(t, &json!({"zone_id": "Z1"})), None);
    }

    #[test]
    fn default_event_bus_is_left_out() {
        let rule = json!({"name": "nightly", "event_bus_name": "default"});
        assert_eq!(
            render_for("aws_cloudwatch_event_rule", &rule).unwrap(),
            "nightly"
        );
        let custom = json!({"name": "nightly", "event_bus_name": "orders"});
        assert_eq!(
            render_for("aws_cloudwatch_event_rule", &custom).unwrap(),
            "orders/nightly"
        );
        let target = json!({"rule": "nightly", "target_id": "t1", "event_bus_name": "default"});
        assert_eq!(
            render_for("aws_cloudwatch_event_target", &target).unwrap(),
            "nightly/t1"
        );
    }

    #[test]
    fn service_linked_roles_are_service_managed() {
        assert!(service_managed(
            "aws_iam_role",
            &json!({"path": "/aws-service-role/ecs.amazonaws.com/"})
        ));
        assert!(!service_managed("aws_iam_role", &json!({"path": "/"})));
        assert!(service_managed("aws_vpc", &json!({"default": true})));
        assert!(!service_managed("aws_vpc", &json!({"default": false})));
    }
}
