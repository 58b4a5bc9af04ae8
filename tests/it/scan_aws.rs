//! `tfrecon scan` and `tfrecon import` end to end on the AWS example: resources a lost apply
//! created (untracked, some with identities that come from other resources' computed attributes),
//! changes made in the console (drifted) and resources made by hand (unmanaged). Once with the
//! recorded inventory, once against a live moto account with the state in a moto S3 bucket.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{self, Server};

const SQS: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/";

/// Every untracked instance and its import ID; queue URLs relative to the SQS endpoint.
const UNTRACKED: &[(&str, &str)] = &[
    ("aws_s3_bucket.exports[1]", "acme-orders-exports-1"),
    (
        "aws_s3_bucket_versioning.artifacts",
        "acme-orders-artifacts",
    ),
    (
        "module.workers[\"shipping\"].aws_cloudwatch_log_group.this",
        "/ecs/orders/shipping",
    ),
    (
        "module.workers[\"shipping\"].aws_ecs_service.this",
        "orders/shipping",
    ),
    (
        "module.workers[\"shipping\"].aws_ecs_task_definition.this",
        "arn:aws:ecs:us-east-1:123456789012:task-definition/orders-shipping:1",
    ),
    (
        "module.workers[\"shipping\"].aws_iam_policy.consume",
        "arn:aws:iam::123456789012:policy/orders-shipping-consume",
    ),
    (
        "module.workers[\"shipping\"].aws_iam_role.task",
        "orders-shipping-task",
    ),
    (
        "module.workers[\"shipping\"].aws_iam_role_policy_attachment.consume",
        "orders-shipping-task/arn:aws:iam::123456789012:policy/orders-shipping-consume",
    ),
    (
        "module.workers[\"shipping\"].aws_sqs_queue.dead_letter[0]",
        "sqs:orders-shipping-dlq",
    ),
    (
        "module.workers[\"shipping\"].aws_sqs_queue.this",
        "sqs:orders-shipping",
    ),
];

const DRIFTED: &[(&str, &str)] = &[
    ("aws_iam_role.task_execution", "orders-task-execution"),
    ("aws_sqs_queue.orders", "sqs:orders"),
    (
        "module.workers[\"billing\"].aws_cloudwatch_log_group.this",
        "/ecs/orders/billing",
    ),
];

/// Made by hand: suggested address and import ID.
const UNMANAGED: &[(&str, &str)] = &[
    ("aws_iam_role.orders-oncall-debug", "orders-oncall-debug"),
    ("aws_sqs_queue.orders-replay", "sqs:orders-replay"),
];

fn example() -> PathBuf {
    support::repo().join("examples/aws-app")
}

fn output(o: std::process::Output) -> (i32, String, String) {
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// tfrecon on the example with its recorded inventory.
fn run_recorded(args: &[&str]) -> (i32, String, String) {
    let e = example();
    output(
        support::tfrecon()
            .arg("-C")
            .arg(&e)
            .args(args)
            .arg("--inventory")
            .arg(e.join("inventory"))
            .output()
            .unwrap(),
    )
}

/// The (kind, address, import ID) of a report's findings; unmanaged ones at their suggested
/// address.
fn triples(doc: &Value) -> BTreeSet<(String, String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let addr = f["address"]
                .as_str()
                .or_else(|| f["suggested_address"].as_str())
                .unwrap_or("");
            (
                f["kind"].as_str().unwrap().to_string(),
                addr.to_string(),
                f["import_id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The findings the example must produce, with `sqs:NAME` spelled with `sqs` as the queue URL
/// prefix.
fn expected(sqs: &str) -> BTreeSet<(String, String, String)> {
    let id = |s: &str| match s.strip_prefix("sqs:") {
        Some(name) => format!("{sqs}{name}"),
        None => s.to_string(),
    };
    let mut want = BTreeSet::new();
    for (kind, list) in [
        ("untracked", UNTRACKED),
        ("drifted", DRIFTED),
        ("unmanaged", UNMANAGED),
    ] {
        for (addr, import_id) in list {
            want.insert((kind.to_string(), addr.to_string(), id(import_id)));
        }
    }
    want
}

fn finding<'a>(doc: &'a Value, address: &str) -> &'a Value {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["address"] == address)
        .unwrap_or_else(|| panic!("no finding for {address}"))
}

/// The drift of the example: what changed since the state was written, and nothing else.
fn assert_drift(doc: &Value) {
    let changes = |addr: &str| finding(doc, addr)["diff"]["changes"].clone();
    assert_eq!(
        changes("aws_iam_role.task_execution"),
        serde_json::json!([{"path": "tags[\"cost-center\"]", "live": "retail-42"}])
    );
    assert_eq!(
        changes("aws_sqs_queue.orders"),
        serde_json::json!([
            {"path": "message_retention_seconds", "expected": 345600, "live": 1209600},
            {"path": "visibility_timeout_seconds", "expected": 60, "live": 300},
        ])
    );
    assert_eq!(
        changes("module.workers[\"billing\"].aws_cloudwatch_log_group.this"),
        serde_json::json!([{"path": "retention_in_days", "expected": 30, "live": 90}])
    );
    for f in doc["findings"].as_array().unwrap() {
        if f["kind"] == "drifted" {
            assert_eq!(f["diff"]["against"], "state", "{f}");
        } else {
            // Untracked resources are compared with the configuration (the redrive policy and
            // the consume policy with the ARNs resolved from the live queues): no difference.
            assert!(f.get("diff").is_none_or(Value::is_null), "{f}");
        }
    }
}

#[test]
fn scan_aws_example_finds_untracked_drifted_and_unmanaged_at_exact_addresses() {
    let (code, out, err) = run_recorded(&["scan", "--format", "json"]);
    assert_eq!(code, 2, "findings: {err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["complete"], true, "{err}");
    assert_eq!(doc["errors"], serde_json::json!([]));
    assert_eq!(triples(&doc), expected(SQS));
    assert_eq!(doc["summary"]["untracked"], 10);
    assert_eq!(doc["summary"]["drifted"], 3);
    assert_eq!(doc["summary"]["unmanaged"], 2);
    assert_eq!(doc["summary"]["in_sync"], 12);
    assert_drift(&doc);
    // What AWS made for itself (the default VPC and its rules, the ECS service-linked role,
    // aws/ KMS aliases) is not reported.
    assert!(!out.contains("AWSServiceRoleFor"), "{out}");
    assert!(!out.contains("alias/aws/"), "{out}");
    // And the text report says the same.
    let (code, text, _) = run_recorded(&["scan"]);
    assert_eq!(code, 2);
    assert!(
        text.contains("10 untracked, 3 drifted, 2 unmanaged, 12 in sync"),
        "{text}"
    );
}

#[test]
fn import_aws_example_in_dependency_order() {
    let (code, out, err) = run_recorded(&["import"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("import {").count(), UNTRACKED.len(), "{out}");
    let pos = |addr: &str| {
        let (_, id) = UNTRACKED.iter().find(|(a, _)| *a == addr).unwrap();
        let id = match id.strip_prefix("sqs:") {
            Some(name) => format!("{SQS}{name}"),
            None => id.to_string(),
        };
        let block = format!("  to = {addr}\n  id = \"{}\"\n", id.replace('"', "\\\""));
        out.find(&block)
            .unwrap_or_else(|| panic!("no import block for {addr} with {id}:\n{out}"))
    };
    let m = |r: &str| format!("module.workers[\"shipping\"].{r}");
    // The role and the policy before the attachment that joins them; the dead-letter queue
    // before the queue that redrives to it, the queue before the policy that names it; the log
    // group and the queue before the task definition, the task definition before the service.
    let before = [
        (
            "aws_iam_role.task",
            "aws_iam_role_policy_attachment.consume",
        ),
        (
            "aws_iam_policy.consume",
            "aws_iam_role_policy_attachment.consume",
        ),
        ("aws_sqs_queue.dead_letter[0]", "aws_sqs_queue.this"),
        ("aws_sqs_queue.this", "aws_iam_policy.consume"),
        (
            "aws_cloudwatch_log_group.this",
            "aws_ecs_task_definition.this",
        ),
        ("aws_sqs_queue.this", "aws_ecs_task_definition.this"),
        ("aws_ecs_task_definition.this", "aws_ecs_service.this"),
    ];
    for (a, b) in before {
        assert!(pos(&m(a)) < pos(&m(b)), "{a} must come before {b}:\n{out}");
    }
    assert!(pos("aws_s3_bucket.exports[1]") > 0);
    assert!(pos("aws_s3_bucket_versioning.artifacts") > 0);

    let (code, script, err) = run_recorded(&["import", "--format", "script"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        script.contains(
            "'module.workers[\"shipping\"].aws_iam_role_policy_attachment.consume' \
             'orders-shipping-task/arn:aws:iam::123456789012:policy/orders-shipping-consume'"
        ),
        "{script}"
    );
}

/// moto with AWS's managed policies (the example attaches one), behind the proxy that fills
/// moto's protocol gaps for the Rust SDK (tests/py/moto_compat.py).
fn moto_with_compat() -> (Server, Server) {
    let port = support::free_port();
    let mut cmd = Command::new(support::venv_bin("moto_server"));
    cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
    let moto = Server::start("moto_server", cmd, port);
    let proxy_port = support::free_port();
    let mut cmd = support::python();
    cmd.arg(support::repo().join("tests/py/moto_compat.py"))
        .arg(proxy_port.to_string())
        .arg(moto.url());
    let proxy = Server::start("moto_compat.py", cmd, proxy_port);
    (moto, proxy)
}

/// The example in scratch space, its state in `bucket` on moto instead of the local file.
fn example_with_s3_backend(dir: &Path, moto: &Server, bucket: &str, key: &str) -> PathBuf {
    let cfg = dir.join("aws-app");
    support::copy_dir(&example(), &cfg);
    std::fs::remove_file(cfg.join("terraform.tfstate")).unwrap();
    std::fs::remove_dir_all(cfg.join("inventory")).unwrap();
    std::fs::write(
        cfg.join("backend.tf"),
        format!(
            r#"terraform {{
  backend "s3" {{
    bucket                      = "{bucket}"
    key                         = "{key}"
    region                      = "us-east-1"
    use_path_style              = true
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    endpoints = {{
      s3 = "{}"
    }}
  }}
}}
"#,
            moto.url()
        ),
    )
    .unwrap();
    cfg
}

#[test]
fn scan_aws_live_moto_account_with_state_in_s3() {
    let (moto, proxy) = moto_with_compat();
    let dir = support::tempdir();
    let (bucket, key) = ("acme-terraform-state", "orders/terraform.tfstate");
    let cfg = example_with_s3_backend(dir.path(), &moto, bucket, key);
    // Queue URLs name the endpoint that serves them: moto's own.
    let sqs = format!("{}/123456789012/", moto.url());
    let state = std::fs::read_to_string(example().join("terraform.tfstate"))
        .unwrap()
        .replace(SQS, &sqs);
    let state_file = dir.path().join("state.json");
    std::fs::write(&state_file, state).unwrap();
    let seeded = support::python()
        .arg(support::repo().join("tests/py/aws_app_seed.py"))
        .arg(moto.url())
        .args([bucket, key])
        .arg(&state_file)
        .output()
        .expect("run aws_app_seed.py");
    assert!(
        seeded.status.success(),
        "seeding failed: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let seeded: Value = serde_json::from_slice(&seeded.stdout).unwrap();
    assert_eq!(
        seeded["orders-shipping"]["url"],
        format!("{sqs}orders-shipping")
    );

    let (code, out, err) = output(
        support::tfrecon()
            .arg("-C")
            .arg(&cfg)
            .args(["scan", "--scope", "aws:us-east-1", "--format", "json"])
            .env("AWS_ENDPOINT_URL", proxy.url())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .output()
            .unwrap(),
    );
    assert_eq!(code, 2, "{err}\n{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["complete"], true, "{}", doc["errors"]);
    // The live account holds what the recorded inventory holds, plus the bucket the state is in.
    let mut want = expected(&sqs);
    want.insert((
        "unmanaged".into(),
        format!("aws_s3_bucket.{bucket}"),
        bucket.into(),
    ));
    assert_eq!(triples(&doc), want);
    assert_drift(&doc);
    assert_eq!(
        finding(&doc, "aws_sqs_queue.orders")["state"],
        format!("s3://{bucket}/{key}")
    );
    assert_eq!(doc["summary"]["in_sync"], 12);
}
