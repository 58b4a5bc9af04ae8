//! The AWS listers against moto_server on loopback, seeded by tests/py/aws_seed.py through the
//! real AWS APIs; denial paths through a loopback proxy that answers AccessDenied as AWS does.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;
use tfrecon::inventory::aws::{list_with, AwsConfig, AwsScope, RequestCounter, StaticCredentials};
use tfrecon::inventory::{Inventory, LiveResource, ProgressEvent, ProgressSink};

use crate::support;

const ROLES: usize = 25;
const QUEUES: usize = 12;
const PAGE: i32 = 10;

fn config(endpoint: &str) -> AwsConfig {
    AwsConfig {
        endpoint_url: Some(endpoint.to_string()),
        credentials: Some(StaticCredentials {
            access_key_id: "testing".into(),
            secret_access_key: "testing".into(),
            session_token: None,
        }),
        default_region: Some("us-east-1".into()),
        page_size: Some(PAGE),
        request_counter: Some(RequestCounter::new()),
        unit_timeout: Duration::from_secs(120),
        ..AwsConfig::default()
    }
}

fn seed(server: &support::Server, roles: usize, queues: usize) -> Value {
    let out = support::python()
        .arg(support::repo().join("tests/py/aws_seed.py"))
        .args([
            server.url(),
            "us-east-1".into(),
            roles.to_string(),
            queues.to_string(),
        ])
        .output()
        .expect("run aws_seed.py");
    assert!(
        out.status.success(),
        "seeding failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("seed prints JSON")
}

#[derive(Default)]
struct Events(Mutex<Vec<ProgressEvent>>);

impl ProgressSink for Events {
    fn event(&self, event: ProgressEvent) {
        self.0.lock().unwrap().push(event);
    }
}

fn run(config: &AwsConfig, scope: &str, types: Option<&[String]>, events: &Events) -> Inventory {
    let scope: AwsScope = scope.parse().unwrap();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(list_with(config, &[scope], types, events))
}

fn find<'a>(inv: &'a Inventory, tf_type: &str, import_id: &str) -> &'a LiveResource {
    inv.resources
        .iter()
        .find(|r| {
            r.tf_type.as_deref() == Some(tf_type) && r.import_id.as_deref() == Some(import_id)
        })
        .unwrap_or_else(|| {
            let have: Vec<_> = inv
                .resources
                .iter()
                .filter(|r| r.tf_type.as_deref() == Some(tf_type))
                .map(|r| r.import_id.clone())
                .collect();
            panic!("no {tf_type} with import ID {import_id:?}; have {have:?}")
        })
}

fn count(inv: &Inventory, tf_type: &str) -> usize {
    inv.resources
        .iter()
        .filter(|r| r.tf_type.as_deref() == Some(tf_type))
        .count()
}

fn s<'a>(v: &'a Value, seed_key: &str) -> &'a str {
    v[seed_key]
        .as_str()
        .unwrap_or_else(|| panic!("seed output has no {seed_key}"))
}

#[test]
fn lists_a_seeded_account_with_import_ids_attributes_and_service_marks() {
    let moto = support::moto();
    let seeded = seed(&moto, ROLES, QUEUES);
    let cfg = config(&moto.url());
    let events = Events::default();
    // moto 5.2 does not speak the rpc-v2-cbor protocol the CloudWatch SDK uses for alarms.
    let types: Vec<String> = tfrecon::inventory::aws::supported_types()
        .into_iter()
        .filter(|t| *t != "aws_cloudwatch_metric_alarm")
        .map(String::from)
        .collect();
    let inv = run(&cfg, "aws:us-east-1", Some(&types), &events);
    // moto 5.2 answers GetBucketVersioning with a GetBucketVersioningResponse root, which the
    // SDK rejects; real S3 sends VersioningConfiguration. That type must then be an error that
    // names the operation, never a silent gap; every other type lists cleanly.
    let (versioning_errors, other_errors): (Vec<_>, Vec<_>) = inv
        .errors
        .iter()
        .partition(|e| e.type_name == "aws_s3_bucket_versioning");
    assert_eq!(
        other_errors,
        Vec::<&tfrecon::inventory::InventoryError>::new()
    );
    for e in &versioning_errors {
        assert!(e.reason.contains("s3:GetBucketVersioning"), "{}", e.reason);
    }

    for r in &inv.resources {
        assert_eq!(r.account.as_deref(), Some("123456789012"), "{r:?}");
        assert!(r.import_id.is_some(), "no import ID for {r:?}");
        assert!(
            r.source == "aws:us-east-1" || r.source == "aws:global",
            "{r:?}"
        );
    }

    // IAM: roles over several pages, inline and attached policies, service-linked role.
    let app = find(&inv, "aws_iam_role", "app-role");
    assert_eq!(app.name, s(&seeded, "app_role_arn"));
    assert_eq!(app.native_type, "AWS::IAM::Role");
    assert_eq!(app.location.as_deref(), Some("global"));
    assert_eq!(app.attributes["max_session_duration"], 7200);
    assert_eq!(app.attributes["description"], "application role");
    assert_eq!(app.labels.get("team").map(String::as_str), Some("payments"));
    let trust: Value =
        serde_json::from_str(app.attributes["assume_role_policy"].as_str().unwrap()).unwrap();
    assert_eq!(
        trust["Statement"][0]["Principal"]["Service"],
        "lambda.amazonaws.com"
    );
    assert!(!app.service_managed);
    let slr = find(&inv, "aws_iam_role", s(&seeded, "slr_name"));
    assert!(slr.service_managed, "service-linked role {slr:?}");
    assert!(count(&inv, "aws_iam_role") >= ROLES + 2);
    let inline = find(&inv, "aws_iam_role_policy", "app-role:logs");
    assert_eq!(inline.attributes["role"], "app-role");
    let policy_arn = s(&seeded, "policy_arn");
    find(
        &inv,
        "aws_iam_role_policy_attachment",
        &format!("app-role/{policy_arn}"),
    );
    let policy = find(&inv, "aws_iam_policy", policy_arn);
    assert!(policy.attributes["policy"]
        .as_str()
        .unwrap()
        .contains("logs:*"));
    assert_eq!(policy.attributes["tags"]["owner"], "platform");
    assert_eq!(
        policy.labels.get("owner").map(String::as_str),
        Some("platform")
    );
    assert_eq!(
        count(&inv, "aws_iam_policy"),
        1,
        "only customer-managed policies (Scope=Local)"
    );
    find(&inv, "aws_iam_user", "deployer");
    find(
        &inv,
        "aws_iam_user_policy_attachment",
        &format!("deployer/{policy_arn}"),
    );
    find(&inv, "aws_iam_group", "admins");
    find(&inv, "aws_iam_group_policy", "admins:all-logs");
    assert_eq!(
        find(&inv, "aws_iam_instance_profile", "app-profile").attributes["role"],
        "app-role"
    );
    find(
        &inv,
        "aws_iam_openid_connect_provider",
        s(&seeded, "oidc_arn"),
    );

    // S3: configuration resources share the bucket's ID; absent ones are simply absent.
    let logs = find(&inv, "aws_s3_bucket", "tfrecon-logs");
    assert_eq!(logs.name, "arn:aws:s3:::tfrecon-logs");
    assert_eq!(logs.location.as_deref(), Some("us-east-1"));
    assert_eq!(logs.labels.get("env").map(String::as_str), Some("prod"));
    let bp = find(&inv, "aws_s3_bucket_policy", "tfrecon-logs");
    assert_eq!(
        bp.iam_policy.as_ref().unwrap()["Statement"][0]["Sid"],
        "deny-http"
    );
    if versioning_errors.is_empty() {
        let versioning = find(&inv, "aws_s3_bucket_versioning", "tfrecon-logs");
        assert_eq!(
            versioning.attributes["versioning_configuration"][0]["status"],
            "Enabled"
        );
    }
    assert_eq!(
        find(&inv, "aws_s3_bucket_public_access_block", "tfrecon-logs").attributes
            ["block_public_policy"],
        true
    );
    let sse = find(
        &inv,
        "aws_s3_bucket_server_side_encryption_configuration",
        "tfrecon-logs",
    );
    assert_eq!(
        sse.attributes["rule"][0]["apply_server_side_encryption_by_default"][0]["sse_algorithm"],
        "aws:kms"
    );
    let lc = find(
        &inv,
        "aws_s3_bucket_lifecycle_configuration",
        "tfrecon-logs",
    );
    assert_eq!(lc.attributes["rule"][0]["expiration"][0]["days"], 30);
    find(&inv, "aws_s3_bucket", "tfrecon-plain");
    for t in [
        "aws_s3_bucket_policy",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_lifecycle_configuration",
    ] {
        assert!(
            !inv.resources.iter().any(|r| r.tf_type.as_deref() == Some(t)
                && r.import_id.as_deref() == Some("tfrecon-plain")),
            "{t} reported for a bucket that has none"
        );
    }
    assert!(
        !inv.resources
            .iter()
            .any(|r| r.import_id.as_deref() == Some("tfrecon-eu")),
        "eu-west-1 bucket outside the scope"
    );

    // SQS: every attribute under its Terraform name, and the policies as resources of their own.
    let orders = find(&inv, "aws_sqs_queue", s(&seeded, "orders_url"));
    assert_eq!(orders.name, s(&seeded, "orders_arn"));
    let a = &orders.attributes;
    assert_eq!(a["name"], "orders");
    assert_eq!(a["visibility_timeout_seconds"], 45);
    assert_eq!(a["message_retention_seconds"], 86400);
    assert_eq!(a["delay_seconds"], 5);
    assert_eq!(a["fifo_queue"], false);
    let redrive: Value = serde_json::from_str(a["redrive_policy"].as_str().unwrap()).unwrap();
    assert_eq!(redrive["deadLetterTargetArn"], s(&seeded, "dlq_arn"));
    assert_eq!(
        orders.labels.get("team").map(String::as_str),
        Some("payments")
    );
    let fifo = inv
        .resources
        .iter()
        .find(|r| r.attributes["name"] == "events.fifo")
        .unwrap();
    assert_eq!(fifo.attributes["fifo_queue"], true);
    find(&inv, "aws_sqs_queue_policy", s(&seeded, "orders_url"));
    find(
        &inv,
        "aws_sqs_queue_redrive_policy",
        s(&seeded, "orders_url"),
    );
    assert_eq!(count(&inv, "aws_sqs_queue"), QUEUES + 3);

    // Pagination: one request per page, not per resource.
    let counter = cfg.request_counter.as_ref().unwrap();
    let roles = count(&inv, "aws_iam_role") as u64;
    let list_roles = counter.get("ListRoles");
    assert!(
        list_roles >= roles.div_ceil(PAGE as u64) && list_roles <= roles.div_ceil(PAGE as u64) + 1,
        "ListRoles sent {list_roles} times for {roles} roles at {PAGE} a page"
    );
    let queues = count(&inv, "aws_sqs_queue") as u64;
    let list_queues = counter.get("ListQueues");
    assert!(
        list_queues >= queues.div_ceil(PAGE as u64)
            && list_queues <= queues.div_ceil(PAGE as u64) + 1,
        "ListQueues sent {list_queues} times"
    );
    assert_eq!(counter.get("GetCallerIdentity"), 1);

    // SNS, ECS, ECR, Lambda, DynamoDB.
    find(&inv, "aws_sns_topic", s(&seeded, "topic_arn"));
    find(
        &inv,
        "aws_sns_topic_subscription",
        s(&seeded, "subscription_arn"),
    );
    find(&inv, "aws_ecs_cluster", "prod");
    let svc = find(&inv, "aws_ecs_service", "prod/web");
    assert_eq!(svc.attributes["desired_count"], 2);
    find(
        &inv,
        "aws_ecs_task_definition",
        s(&seeded, "task_definition_arn"),
    );
    assert_eq!(
        find(&inv, "aws_ecr_repository", "web").attributes["image_tag_mutability"],
        "IMMUTABLE"
    );
    let worker = find(&inv, "aws_lambda_function", "worker");
    assert_eq!(worker.name, s(&seeded, "function_arn"));
    assert_eq!(worker.attributes["memory_size"], 256);
    let perm = find(&inv, "aws_lambda_permission", "worker/AllowSNS");
    assert_eq!(perm.attributes["principal"], "sns.amazonaws.com");
    assert_eq!(perm.attributes["source_arn"], s(&seeded, "topic_arn"));
    find(
        &inv,
        "aws_lambda_event_source_mapping",
        s(&seeded, "esm_uuid"),
    );
    let table = find(&inv, "aws_dynamodb_table", "sessions");
    assert_eq!(table.attributes["hash_key"], "pk");
    assert_eq!(table.attributes["range_key"], "sk");
    assert_eq!(table.attributes["billing_mode"], "PAY_PER_REQUEST");

    // EC2 networking and instances.
    let vpc = find(&inv, "aws_vpc", s(&seeded, "vpc"));
    assert_eq!(vpc.attributes["cidr_block"], "10.20.0.0/16");
    assert_eq!(vpc.labels.get("Name").map(String::as_str), Some("main"));
    assert!(!vpc.service_managed);
    for id in seeded["default_vpcs"].as_array().unwrap() {
        assert!(
            find(&inv, "aws_vpc", id.as_str().unwrap()).service_managed,
            "default VPC"
        );
    }
    let subnet = find(&inv, "aws_subnet", s(&seeded, "subnet"));
    assert_eq!(subnet.attributes["vpc_id"], s(&seeded, "vpc"));
    let sg = find(&inv, "aws_security_group", s(&seeded, "sg"));
    assert_eq!(sg.attributes["name"], "web");
    assert!(!sg.service_managed);
    let default_sg = inv
        .resources
        .iter()
        .find(|r| {
            r.tf_type.as_deref() == Some("aws_security_group")
                && r.attributes["vpc_id"] == s(&seeded, "vpc")
                && r.attributes["name"] == "default"
        })
        .expect("the VPC's default security group");
    assert!(default_sg.service_managed);
    let ingress = inv
        .resources
        .iter()
        .find(|r| {
            r.tf_type.as_deref() == Some("aws_vpc_security_group_ingress_rule")
                && r.attributes["security_group_id"] == s(&seeded, "sg")
        })
        .expect("the https ingress rule");
    assert_eq!(ingress.attributes["from_port"], 443);
    assert_eq!(ingress.attributes["cidr_ipv4"], "0.0.0.0/0");
    assert!(ingress.import_id.as_deref().unwrap().starts_with("sgr-"));
    let rtb = s(&seeded, "rtb");
    find(&inv, "aws_route_table", rtb);
    find(&inv, "aws_route", &format!("{rtb}_0.0.0.0/0"));
    find(
        &inv,
        "aws_route_table_association",
        &format!("{}/{rtb}", s(&seeded, "subnet")),
    );
    assert!(
        inv.resources
            .iter()
            .any(|r| r.tf_type.as_deref() == Some("aws_route_table")
                && r.attributes["vpc_id"] == s(&seeded, "vpc")
                && r.service_managed),
        "the VPC's main route table is service-managed"
    );
    find(&inv, "aws_internet_gateway", s(&seeded, "igw"));
    find(&inv, "aws_eip", s(&seeded, "eip"));
    find(&inv, "aws_nat_gateway", s(&seeded, "nat"));
    let inst = find(&inv, "aws_instance", s(&seeded, "instance"));
    assert_eq!(inst.attributes["instance_type"], "t3.micro");
    assert!(
        !inv.resources
            .iter()
            .any(|r| r.import_id.as_deref() == Some(s(&seeded, "terminated"))),
        "terminated instance listed"
    );

    // CloudWatch, EventBridge, KMS, Secrets Manager, SSM, RDS, Route 53.
    assert_eq!(
        find(&inv, "aws_cloudwatch_log_group", "/app/web").attributes["retention_in_days"],
        14
    );
    find(&inv, "aws_cloudwatch_event_rule", "nightly");
    find(&inv, "aws_cloudwatch_event_target", "nightly/notify");
    find(&inv, "aws_cloudwatch_event_rule", "orders/created");
    find(&inv, "aws_cloudwatch_event_target", "orders/created/queue");
    let key = find(&inv, "aws_kms_key", s(&seeded, "key_id"));
    assert_eq!(key.name, s(&seeded, "key_arn"));
    assert_eq!(key.attributes["enable_key_rotation"], true);
    assert!(!key.service_managed);
    find(&inv, "aws_kms_alias", "alias/logs");
    find(&inv, "aws_secretsmanager_secret", s(&seeded, "secret_arn"));
    assert_eq!(
        find(&inv, "aws_ssm_parameter", "/app/db/password").attributes["type"],
        "SecureString"
    );
    assert_eq!(
        find(&inv, "aws_db_instance", "orders-db").attributes["engine"],
        "postgres"
    );
    let zone = s(&seeded, "zone_id");
    find(&inv, "aws_route53_zone", zone);
    let www = find(
        &inv,
        "aws_route53_record",
        &format!("{zone}_www.example.com_A"),
    );
    assert_eq!(www.attributes["records"][0], "192.0.2.10");
    assert!(!www.service_managed);
    find(
        &inv,
        "aws_route53_record",
        &format!("{zone}_api.example.com_CNAME_blue"),
    );
    assert!(
        find(
            &inv,
            "aws_route53_record",
            &format!("{zone}_example.com_NS")
        )
        .service_managed
    );

    // Secret values never leave AWS.
    let text = serde_json::to_string(&inv).unwrap();
    for secret in [
        "supersecret-value-123",
        "hunter2-secure-value",
        "env-secret-value",
        "rds-password-value",
    ] {
        assert!(!text.contains(secret), "{secret} reached the inventory");
    }

    let events = events.0.lock().unwrap();
    assert!(events.iter().any(|e| matches!(e, ProgressEvent::Page { type_name, resources, .. } if type_name == "aws_iam_role" && *resources == PAGE as usize)));
    assert!(events.iter().all(|e| !matches!(
        e,
        ProgressEvent::TypeDone { ok: false, type_name, .. } if type_name != "aws_s3_bucket_versioning"
    )));

    // Two regions: global services once, regional ones per region, buckets in their region.
    let cfg2 = config(&moto.url());
    let inv2 = run(
        &cfg2,
        "aws:us-east-1,eu-west-1",
        Some(&types),
        &Events::default(),
    );
    assert_eq!(
        count(&inv2, "aws_iam_role"),
        count(&inv, "aws_iam_role"),
        "IAM listed once"
    );
    assert_eq!(
        find(&inv2, "aws_s3_bucket", "tfrecon-eu")
            .location
            .as_deref(),
        Some("eu-west-1")
    );
    assert_eq!(
        cfg2.request_counter.as_ref().unwrap().get("ListRoles"),
        list_roles
    );
    assert!(inv2
        .resources
        .iter()
        .any(|r| r.tf_type.as_deref() == Some("aws_vpc")
            && r.location.as_deref() == Some("eu-west-1")));

    // What the emulator cannot answer is an error for that type, never a silent gap.
    let alarms = vec!["aws_cloudwatch_metric_alarm".to_string()];
    let inv4 = run(
        &config(&moto.url()),
        "aws:us-east-1",
        Some(&alarms),
        &Events::default(),
    );
    assert!(inv4.resources.is_empty() || inv4.errors.is_empty());
    if inv4.resources.is_empty() {
        assert_eq!(inv4.errors.len(), 1, "{:?}", inv4.errors);
        assert_eq!(inv4.errors[0].type_name, "aws_cloudwatch_metric_alarm");
        assert!(
            inv4.errors[0].reason.contains("cloudwatch:DescribeAlarms"),
            "{}",
            inv4.errors[0].reason
        );
    } else {
        assert_eq!(
            find(&inv4, "aws_cloudwatch_metric_alarm", "queue-depth").attributes["threshold"],
            100.0
        );
    }

    // A type filter lists only what was asked.
    let only = vec!["aws_sqs_queue".to_string()];
    let inv3 = run(
        &config(&moto.url()),
        "aws:us-east-1",
        Some(&only),
        &Events::default(),
    );
    assert_eq!(inv3.resources.len(), QUEUES + 3);
}

/// A loopback proxy in front of moto that answers AccessDenied, the way AWS does, to the
/// requests `deny` picks (query-protocol XML or JSON-protocol bodies).
fn denying_proxy(upstream: u16, deny: fn(&str) -> Option<&'static str>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut client) = conn else { continue };
            std::thread::spawn(move || {
                let Some((head, body)) = read_request(&mut client) else {
                    return;
                };
                let text = format!("{head}{}", String::from_utf8_lossy(&body));
                if let Some(kind) = deny(&text) {
                    let (ctype, payload) = if kind == "json" {
                        ("application/x-amz-json-1.0", r#"{"__type":"com.amazon.coral.service#AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/ci is not authorized to perform this action"}"#.to_string())
                    } else {
                        ("text/xml", "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::123456789012:role/</Message></Error><RequestId>4a5b</RequestId></ErrorResponse>".to_string())
                    };
                    let resp = format!(
                        "HTTP/1.1 403 Forbidden\r\nContent-Type: {ctype}\r\nx-amzn-RequestId: 4a5b\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
                        payload.len()
                    );
                    let _ = client.write_all(resp.as_bytes());
                    return;
                }
                let Ok(mut up) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    return;
                };
                let head: String = head
                    .split("\r\n")
                    .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
                    .filter(|l| !l.is_empty())
                    .map(|l| format!("{l}\r\n"))
                    .collect();
                let _ = up.write_all(format!("{head}Connection: close\r\n\r\n").as_bytes());
                let _ = up.write_all(&body);
                let mut resp = Vec::new();
                let _ = up.read_to_end(&mut resp);
                let _ = client.write_all(&resp);
            });
        }
    });
    port
}

fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let len = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
        })
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((head, body))
}

#[test]
fn access_denied_becomes_an_error_naming_the_permission_and_the_rest_is_listed() {
    let moto = support::moto();
    seed(&moto, 2, 3);
    let port = denying_proxy(moto.port, |req| {
        if req.contains("Action=ListRoles") {
            Some("xml")
        } else if req.contains("DynamoDB_20120810.ListTables") {
            Some("json")
        } else {
            None
        }
    });
    let types: Vec<String> = [
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_dynamodb_table",
        "aws_sqs_queue",
        "aws_iam_user",
    ]
    .map(String::from)
    .to_vec();
    let inv = run(
        &config(&format!("http://127.0.0.1:{port}")),
        "aws:us-east-1",
        Some(&types),
        &Events::default(),
    );

    let role_err = inv
        .errors
        .iter()
        .find(|e| e.type_name == "aws_iam_role")
        .expect("an error for roles");
    assert_eq!(role_err.scope, "aws:global");
    assert!(
        role_err.reason.contains("access denied") && role_err.reason.contains("`iam:ListRoles`"),
        "{}",
        role_err.reason
    );
    assert!(inv
        .errors
        .iter()
        .any(|e| e.type_name == "aws_iam_role_policy" && e.reason.contains("iam:ListRoles")));
    let ddb = inv
        .errors
        .iter()
        .find(|e| e.type_name == "aws_dynamodb_table")
        .expect("an error for tables");
    assert_eq!(ddb.scope, "aws:us-east-1");
    assert!(
        ddb.reason.contains("`dynamodb:ListTables`"),
        "{}",
        ddb.reason
    );
    assert_eq!(inv.errors.len(), 3, "{:?}", inv.errors);
    assert!(!inv.complete());
    assert_eq!(
        count(&inv, "aws_sqs_queue"),
        3 + 3,
        "queues listed despite the denials"
    );
    find(&inv, "aws_iam_user", "deployer");
    assert_eq!(count(&inv, "aws_iam_role"), 0);
}

#[test]
fn scopes_parse_and_bad_ones_say_what_to_write() {
    assert_eq!("aws".parse::<AwsScope>().unwrap(), AwsScope::Default);
    assert_eq!(
        "aws:eu-west-1,us-east-2".parse::<AwsScope>().unwrap(),
        AwsScope::Regions(vec!["eu-west-1".into(), "us-east-2".into()])
    );
    let err = "gcp:projects/x"
        .parse::<AwsScope>()
        .unwrap_err()
        .to_string();
    assert!(err.contains("aws:REGION"), "{err}");
    let err = "aws:EU WEST".parse::<AwsScope>().unwrap_err().to_string();
    assert!(err.contains("EU WEST"), "{err}");
}
