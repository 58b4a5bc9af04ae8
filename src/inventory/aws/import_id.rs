//! What the AWS listers need from the catalog (`catalog/aws.toml`, the one source of per-type
//! knowledge): the row of each type they produce, import IDs rendered from it, and which
//! attribute holds a resource's own access policy. Knows nothing about the SDK.

use serde_json::Value;

use crate::catalog::{Catalog, TypeInfo};

/// The catalog row of a type the listers produce. Every such type has one (a test checks).
pub(crate) fn info(tf_type: &str) -> &'static TypeInfo {
    Catalog::aws().get(tf_type).unwrap_or_else(|| {
        panic!("{tf_type} is produced by a lister but has no row in catalog/aws.toml")
    })
}

/// The import ID of a resource of `tf_type`, from the catalog's templates. The default
/// EventBridge bus is left out of the ID, as the provider writes it.
pub(crate) fn render_for(tf_type: &str, attributes: &Value) -> Option<String> {
    let info = info(tf_type);
    if matches!(
        tf_type,
        "aws_cloudwatch_event_rule" | "aws_cloudwatch_event_target"
    ) && attributes.get("event_bus_name").and_then(Value::as_str) == Some("default")
    {
        let mut a = attributes.clone();
        if let Value::Object(map) = &mut a {
            map.remove("event_bus_name");
        }
        return info.render_import_id(&a).ok();
    }
    info.render_import_id(attributes).ok()
}

/// Types whose `policy` attribute is the resource's own access policy.
const RESOURCE_POLICY: &[&str] = &[
    "aws_s3_bucket_policy",
    "aws_sqs_queue",
    "aws_sqs_queue_policy",
    "aws_sns_topic",
    "aws_sns_topic_policy",
    "aws_kms_key",
];

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

    #[test]
    fn render_takes_the_first_complete_template() {
        let plain = json!({"zone_id": "Z1", "name": "www.example.com", "type": "A"});
        assert_eq!(
            render_for("aws_route53_record", &plain).unwrap(),
            "Z1_www.example.com_A"
        );
        let weighted = json!({"zone_id": "Z1", "name": "www.example.com", "type": "A", "set_identifier": "blue"});
        assert_eq!(
            render_for("aws_route53_record", &weighted).unwrap(),
            "Z1_www.example.com_A_blue"
        );
        let empty =
            json!({"zone_id": "Z1", "name": "www.example.com", "type": "A", "set_identifier": ""});
        assert_eq!(
            render_for("aws_route53_record", &empty).unwrap(),
            "Z1_www.example.com_A"
        );
        assert_eq!(
            render_for("aws_route53_record", &json!({"zone_id": "Z1"})),
            None
        );
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
}
