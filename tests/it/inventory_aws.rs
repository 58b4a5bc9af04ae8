//! The AWS listers: the SDK listers (IAM, S3, Route 53) against moto_server on loopback, seeded
//! by tests/py/aws_seed.py through the real AWS APIs; the Cloud Control lister, the region list
//! and the AWS Config aggregator against tests/py/cloudcontrol_server.py, which replays those
//! APIs' documented shapes and errors to SigV4-signed requests; denial paths through a loopback
//! proxy that answers AccessDenied as AWS does.

use std::collections::BTreeSet;
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
const SDK_TYPES: &[&str] = &[
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy",
    "aws_iam_user",
    "aws_iam_user_policy",
    "aws_iam_user_policy_attachment",
    "aws_iam_group",
    "aws_iam_group_policy",
    "aws_iam_group_policy_attachment",
    "aws_iam_instance_profile",
    "aws_iam_openid_connect_provider",
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_route53_zone",
    "aws_route53_record",
];
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
    // Cloud Control (everything else) has its own tests below: moto does not implement it.
    let types: Vec<String> = SDK_TYPES.iter().map(|t| t.to_string()).collect();
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
    assert_eq!(app.attributes.value()["max_session_duration"], 7200);
    assert_eq!(app.attributes.value()["description"], "application role");
    assert_eq!(app.labels.get("team").map(String::as_str), Some("payments"));
    let trust: Value = serde_json::from_str(
        app.attributes.value()["assume_role_policy"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        trust["Statement"][0]["Principal"]["Service"],
        "lambda.amazonaws.com"
    );
    assert!(!app.service_managed);
    let slr = find(&inv, "aws_iam_role", s(&seeded, "slr_name"));
    assert!(slr.service_managed, "service-linked role {slr:?}");
    assert!(count(&inv, "aws_iam_role") >= ROLES + 2);
    let inline = find(&inv, "aws_iam_role_policy", "app-role:logs");
    assert_eq!(inline.attributes.value()["role"], "app-role");
    let policy_arn = s(&seeded, "policy_arn");
    find(
        &inv,
        "aws_iam_role_policy_attachment",
        &format!("app-role/{policy_arn}"),
    );
    let policy = find(&inv, "aws_iam_policy", policy_arn);
    assert!(policy.attributes.value()["policy"]
        .as_str()
        .unwrap()
        .contains("logs:*"));
    assert_eq!(policy.attributes.value()["tags"]["owner"], "platform");
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
        find(&inv, "aws_iam_instance_profile", "app-profile")
            .attributes
            .value()["role"],
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
            versioning.attributes.value()["versioning_configuration"][0]["status"],
            "Enabled"
        );
    }
    assert_eq!(
        find(&inv, "aws_s3_bucket_public_access_block", "tfrecon-logs")
            .attributes
            .value()["block_public_policy"],
        true
    );
    let sse = find(
        &inv,
        "aws_s3_bucket_server_side_encryption_configuration",
        "tfrecon-logs",
    );
    assert_eq!(
        sse.attributes.value()["rule"][0]["apply_server_side_encryption_by_default"][0]
            ["sse_algorithm"],
        "aws:kms"
    );
    let lc = find(
        &inv,
        "aws_s3_bucket_lifecycle_configuration",
        "tfrecon-logs",
    );
    assert_eq!(
        lc.attributes.value()["rule"][0]["expiration"][0]["days"],
        30
    );
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

    // Pagination: one request per page, not per resource.
    let counter = cfg.request_counter.as_ref().unwrap();
    let roles = count(&inv, "aws_iam_role") as u64;
    let list_roles = counter.get("ListRoles");
    assert!(
        list_roles >= roles.div_ceil(PAGE as u64) && list_roles <= roles.div_ceil(PAGE as u64) + 1,
        "ListRoles sent {list_roles} times for {roles} roles at {PAGE} a page"
    );
    assert_eq!(counter.get("GetCallerIdentity"), 1);

    let zone = s(&seeded, "zone_id");
    find(&inv, "aws_route53_zone", zone);
    let www = find(
        &inv,
        "aws_route53_record",
        &format!("{zone}_www.example.com_A"),
    );
    assert_eq!(www.attributes.value()["records"][0], "192.0.2.10");
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
        let denied = req.contains("Action=ListRoles")
            || req.contains("Action=ListHostedZones")
            || req.contains("/hostedzone");
        denied.then_some("xml")
    });
    let types: Vec<String> = [
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_iam_user",
        "aws_route53_zone",
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
    assert_eq!(
        role_err.reason,
        "iam:ListRoles in us-east-1 was denied (AccessDenied): grant iam:ListRoles"
    );
    assert!(inv
        .errors
        .iter()
        .any(|e| e.type_name == "aws_iam_role_policy" && e.reason.contains("iam:ListRoles")));
    let zone_err = inv
        .errors
        .iter()
        .find(|e| e.type_name == "aws_route53_zone")
        .expect("an error for hosted zones");
    assert!(
        zone_err
            .reason
            .starts_with("route53:ListHostedZones in us-east-1 was denied")
            && !zone_err.reason.contains('\n'),
        "{}",
        zone_err.reason
    );
    assert_eq!(inv.errors.len(), 3, "{:?}", inv.errors);
    assert!(!inv.complete());
    find(&inv, "aws_iam_user", "deployer");
    assert_eq!(count(&inv, "aws_iam_role"), 0);
}

#[test]
fn resources_aws_creates_by_itself_are_service_managed_and_unknown_marks_cover_nothing() {
    let mut fx = account();
    fx["types"]["AWS::EC2::VPC"] = serde_json::json!({"list": "full", "identifier": ["VpcId"], "resources": [
        {"properties": {"VpcId": "vpc-0default", "CidrBlock": "172.31.0.0/16"}},
        {"properties": {"VpcId": "vpc-0app", "CidrBlock": "172.31.0.0/16"}}]});
    fx["ec2_created"] =
        serde_json::json!({"DescribeVpcs": {"element": "vpcId", "ids": ["vpc-0default"]}});
    let (server, _dir) = cloudcontrol(&fx);
    let types = strings(&["aws_vpc"]);
    let inv = run(
        &cc_config(&server),
        "aws:us-east-1",
        Some(&types),
        &Events::default(),
    );
    assert_eq!(inv.errors, vec![]);
    assert!(find(&inv, "aws_vpc", "vpc-0default").service_managed);
    assert!(
        !find(&inv, "aws_vpc", "vpc-0app").service_managed,
        "the same CIDR block made by hand is not AWS's"
    );
    let log = server_log(&server);
    let describe = log
        .iter()
        .find(|e| e["body"]["Action"] == "DescribeVpcs")
        .expect("the default VPC was asked for");
    assert_eq!(describe["body"]["Filter.1.Name"], "is-default");

    // Without the marks a default VPC would read as made by hand: the type covers nothing.
    let mut fx = fx.clone();
    fx["ec2_created"] = serde_json::json!({});
    let (server, _dir) = cloudcontrol(&fx);
    let inv = run(
        &cc_config(&server),
        "aws:us-east-1",
        Some(&types),
        &Events::default(),
    );
    assert_eq!(count(&inv, "aws_vpc"), 0);
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert!(
        inv.errors[0]
            .reason
            .starts_with("ec2:DescribeVpcs in us-east-1 is not available (InvalidAction"),
        "{}",
        inv.errors[0].reason
    );
}

#[test]
fn at_least_300_terraform_types_are_listable() {
    let types = tfrecon::inventory::aws::supported_types();
    assert!(types.len() >= 300, "{} listable AWS types", types.len());
    for t in [
        "aws_sqs_queue",
        "aws_ecs_service",
        "aws_iam_role_policy_attachment",
    ] {
        assert!(types.contains(&t), "{t}");
    }
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
    assert_eq!("aws:*".parse::<AwsScope>().unwrap(), AwsScope::AllRegions);
    assert_eq!(
        "aws:aggregator:org@eu-west-1".parse::<AwsScope>().unwrap(),
        AwsScope::Aggregator {
            name: "org".into(),
            region: Some("eu-west-1".into())
        }
    );
    assert_eq!(
        "aws:aggregator:org"
            .parse::<AwsScope>()
            .unwrap()
            .to_string(),
        "aws:aggregator:org"
    );
}

/// tests/py/cloudcontrol_server.py on a free port, serving `fixture`.
fn cloudcontrol(fixture: &Value) -> (support::Server, tempfile::TempDir) {
    let dir = support::tempdir();
    let path = dir.path().join("fixture.json");
    std::fs::write(&path, serde_json::to_vec(fixture).unwrap()).unwrap();
    let port = support::free_port();
    let mut cmd = support::python();
    cmd.arg(support::repo().join("tests/py/cloudcontrol_server.py"))
        .arg(port.to_string())
        .arg(&path);
    (
        support::Server::start("cloudcontrol_server.py", cmd, port),
        dir,
    )
}

/// What the server received: `(region, service, target, body)` per request.
fn server_log(server: &support::Server) -> Vec<Value> {
    let out = support::python()
        .arg("-c")
        .arg(format!(
            "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('{}/_log').read().decode())",
            server.url()
        ))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("the server's log")
}

fn list_calls(log: &[Value], cfn_type: &str) -> usize {
    log.iter()
        .filter(|e| {
            e["target"] == "CloudApiService.ListResources" && e["body"]["TypeName"] == cfn_type
        })
        .count()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

const SQS: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/";
const SQS_EU: &str = "https://sqs.eu-west-1.amazonaws.com/123456789012/";

/// An account as Cloud Control describes it: queues (listed by URL only, read back with
/// GetResource), an ECS cluster with services (listed per cluster), EventBridge rules with their
/// targets, and a queue named `orders` in two regions.
fn account() -> Value {
    let mut queues = Vec::new();
    for i in 0..5 {
        queues.push(serde_json::json!({"properties": {
            "QueueUrl": format!("{SQS}q-{i}"), "QueueName": format!("q-{i}"),
            "Arn": format!("arn:aws:sqs:us-east-1:123456789012:q-{i}"), "VisibilityTimeout": 30}}));
    }
    queues.push(serde_json::json!({"properties": {
        "QueueUrl": format!("{SQS}orders"), "QueueName": "orders",
        "Arn": "arn:aws:sqs:us-east-1:123456789012:orders", "VisibilityTimeout": 45,
        "MessageRetentionPeriod": 86400, "FifoQueue": false,
        "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:q-0", "maxReceiveCount": 5},
        "Tags": [{"Key": "team", "Value": "payments"}]}}));
    queues.push(serde_json::json!({"region": "eu-west-1", "properties": {
        "QueueUrl": format!("{SQS_EU}orders"), "QueueName": "orders",
        "Arn": "arn:aws:sqs:eu-west-1:123456789012:orders", "VisibilityTimeout": 30}}));
    let cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";
    serde_json::json!({
        "account": "123456789012",
        "regions": [
            {"name": "us-east-1", "status": "opt-in-not-required"},
            {"name": "eu-west-1", "status": "opt-in-not-required"},
            {"name": "af-south-1", "status": "not-opted-in"}
        ],
        "types": {
            "AWS::SQS::Queue": {"list": "identifier", "identifier": ["QueueUrl"], "resources": queues},
            "AWS::ECS::Cluster": {"list": "full", "identifier": ["ClusterName"], "resources": [
                {"properties": {"ClusterName": "prod", "Arn": cluster}}]},
            "AWS::ECS::Service": {"list": "full", "identifier": ["ServiceArn", "Cluster"], "requires": "Cluster", "resources": [
                {"properties": {"ServiceName": "web", "Cluster": cluster, "DesiredCount": 2,
                    "ServiceArn": "arn:aws:ecs:us-east-1:123456789012:service/prod/web"}},
                {"properties": {"ServiceName": "other", "Cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/dev",
                    "ServiceArn": "arn:aws:ecs:us-east-1:123456789012:service/dev/other"}}]},
            "AWS::Events::Rule": {"list": "full", "identifier": ["Arn"], "resources": [
                {"properties": {"Name": "nightly", "EventBusName": "default", "ScheduleExpression": "rate(1 day)",
                    "Arn": "arn:aws:events:us-east-1:123456789012:rule/nightly",
                    "Targets": [{"Id": "notify", "Arn": "arn:aws:sns:us-east-1:123456789012:t"}]}},
                {"properties": {"Name": "created", "EventBusName": "orders",
                    "Arn": "arn:aws:events:us-east-1:123456789012:rule/orders/created",
                    "EventPattern": {"source": ["orders"]},
                    "Targets": [{"Id": "queue", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders"}]}}]},
            "AWS::Logs::LogGroup": {"list": "full", "identifier": ["LogGroupName"], "resources": [
                {"properties": {"LogGroupName": "/app/web", "RetentionInDays": 14}}]},
            "AWS::SNS::Topic": {"list": "identifier", "identifier": ["TopicArn"], "resources": []}
        },
        "errors": {
            "AWS::SNS::Topic": {"status": 400, "code": "AccessDeniedException",
                "message": "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sns:ListTopics"},
            "AWS::Lambda::Function": {"status": 400, "code": "UnsupportedActionException",
                "message": "Resource type AWS::Lambda::Function does not support LIST action"}
        },
        "throttle": {"AWS::ECS::Cluster": 2},
        "aggregator": {"name": "org", "items": [
            {"resourceId": "https://sqs.eu-west-1.amazonaws.com/111111111111/orders", "resourceName": "orders",
             "resourceType": "AWS::SQS::Queue", "awsRegion": "eu-west-1", "accountId": "111111111111",
             "arn": "arn:aws:sqs:eu-west-1:111111111111:orders",
             "configuration": {"queueUrl": "https://sqs.eu-west-1.amazonaws.com/111111111111/orders", "queueName": "orders", "visibilityTimeout": 30},
             "tags": [{"key": "team", "value": "billing"}]},
            {"resourceId": "https://sqs.us-east-1.amazonaws.com/222222222222/orders", "resourceName": "orders",
             "resourceType": "AWS::SQS::Queue", "awsRegion": "us-east-1", "accountId": "222222222222",
             "arn": "arn:aws:sqs:us-east-1:222222222222:orders",
             "configuration": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/222222222222/orders", "QueueName": "orders"},
             "tags": []},
            {"resourceId": "/app/web", "resourceName": "/app/web", "resourceType": "AWS::Logs::LogGroup",
             "awsRegion": "us-east-1", "accountId": "222222222222",
             "arn": "arn:aws:logs:us-east-1:222222222222:log-group:/app/web",
             "configuration": {"logGroupName": "/app/web", "retentionInDays": 7}}
        ]}
    })
}

fn cc_config(server: &support::Server) -> AwsConfig {
    AwsConfig {
        page_size: Some(2),
        ..config(&server.url())
    }
}

#[test]
fn cloud_control_lists_pages_parents_and_models_with_catalog_import_ids() {
    let (server, _dir) = cloudcontrol(&account());
    let cfg = cc_config(&server);
    let types = strings(&[
        "aws_sqs_queue",
        "aws_sqs_queue_redrive_policy",
        "aws_ecs_cluster",
        "aws_ecs_service",
        "aws_cloudwatch_event_rule",
        "aws_cloudwatch_event_target",
        "aws_cloudwatch_log_group",
    ]);
    let inv = run(
        &cfg,
        "aws:us-east-1,eu-west-1",
        Some(&types),
        &Events::default(),
    );
    assert_eq!(inv.errors, vec![], "every listing succeeds");

    // Identifier-only listings are read back: attributes under their Terraform names.
    let orders = find(&inv, "aws_sqs_queue", &format!("{SQS}orders"));
    assert_eq!(orders.name, "arn:aws:sqs:us-east-1:123456789012:orders");
    assert_eq!(orders.native_type, "AWS::SQS::Queue");
    assert_eq!(orders.attributes.value()["visibility_timeout_seconds"], 45);
    assert_eq!(
        orders.attributes.value()["message_retention_seconds"],
        86400
    );
    assert_eq!(orders.attributes.value()["id"], format!("{SQS}orders"));
    assert_eq!(orders.labels["team"], "payments");
    assert_eq!(orders.account.as_deref(), Some("123456789012"));
    assert_eq!(orders.location.as_deref(), Some("us-east-1"));
    assert_eq!(orders.source, "aws:us-east-1");
    let redrive = find(
        &inv,
        "aws_sqs_queue_redrive_policy",
        &format!("{SQS}orders"),
    );
    let doc: Value = serde_json::from_str(
        redrive.attributes.value()["redrive_policy"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(doc["maxReceiveCount"], 5);
    assert_eq!(count(&inv, "aws_sqs_queue_redrive_policy"), 1);

    // The same name in two regions is two resources, each in its own region.
    let eu = find(&inv, "aws_sqs_queue", &format!("{SQS_EU}orders"));
    assert_eq!(eu.location.as_deref(), Some("eu-west-1"));
    assert_eq!(count(&inv, "aws_sqs_queue"), 7);

    // Pagination: MaxResults 2 over 6 queues in us-east-1 is 3 pages, each followed.
    let log = server_log(&server);
    let sqs_pages: Vec<&Value> = log
        .iter()
        .filter(|e| {
            e["target"] == "CloudApiService.ListResources"
                && e["body"]["TypeName"] == "AWS::SQS::Queue"
                && e["region"] == "us-east-1"
        })
        .collect();
    assert_eq!(sqs_pages.len(), 3, "{sqs_pages:?}");
    assert_eq!(sqs_pages[1]["body"]["NextToken"], "2");
    assert!(log
        .iter()
        .all(|e| e["service"] == "cloudcontrolapi" || e["body"]["Action"] == "GetCallerIdentity"));
    assert_eq!(
        log.iter()
            .filter(|e| e["target"] == "CloudApiService.GetResource")
            .count(),
        7,
        "one GetResource per queue listed by identifier only"
    );

    // Services are listed per cluster, with the cluster in ResourceModel.
    let svc = find(&inv, "aws_ecs_service", "prod/web");
    assert_eq!(svc.attributes.value()["desired_count"], 2);
    assert_eq!(svc.attributes.value()["cluster_name"], "prod");
    assert_eq!(
        svc.attributes.value()["id"],
        "arn:aws:ecs:us-east-1:123456789012:service/prod/web"
    );
    assert_eq!(
        count(&inv, "aws_ecs_service"),
        1,
        "only the listed cluster's"
    );
    let model = log
        .iter()
        .find(|e| e["body"]["TypeName"] == "AWS::ECS::Service")
        .unwrap();
    let model: Value =
        serde_json::from_str(model["body"]["ResourceModel"].as_str().unwrap()).unwrap();
    assert_eq!(
        model["Cluster"],
        "arn:aws:ecs:us-east-1:123456789012:cluster/prod"
    );

    // Throttling is retried within the budget.
    find(&inv, "aws_ecs_cluster", "prod");
    assert_eq!(
        list_calls(&log, "AWS::ECS::Cluster"),
        2 + 2,
        "two throttled, then one a region"
    );

    // Rules and their targets; the default bus is left out of their IDs.
    find(&inv, "aws_cloudwatch_event_rule", "nightly");
    find(&inv, "aws_cloudwatch_event_rule", "orders/created");
    let pattern: Value = serde_json::from_str(
        find(&inv, "aws_cloudwatch_event_rule", "orders/created")
            .attributes
            .value()["event_pattern"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(pattern["source"][0], "orders");
    find(&inv, "aws_cloudwatch_event_target", "nightly/notify");
    find(&inv, "aws_cloudwatch_event_target", "orders/created/queue");
    assert_eq!(
        find(&inv, "aws_cloudwatch_log_group", "/app/web")
            .attributes
            .value()["retention_in_days"],
        14
    );
}

#[test]
fn cloud_control_errors_cover_their_types_and_say_what_to_grant() {
    let (server, _dir) = cloudcontrol(&account());
    let types = strings(&[
        "aws_sns_topic",
        "aws_lambda_function",
        "aws_lambda_permission",
        "aws_kinesis_stream",
        "aws_sqs_queue",
    ]);
    let inv = run(
        &cc_config(&server),
        "aws:eu-west-1",
        Some(&types),
        &Events::default(),
    );
    let reason = |t: &str| {
        inv.errors
            .iter()
            .find(|e| e.type_name == t)
            .unwrap_or_else(|| panic!("no error for {t}: {:?}", inv.errors))
            .reason
            .clone()
    };
    assert_eq!(
        reason("aws_sns_topic"),
        "cloudcontrol:ListResources for AWS::SNS::Topic in eu-west-1 was denied (AccessDeniedException): grant cloudformation:ListResources and sns:ListTopics"
    );
    let unsupported = reason("aws_lambda_function");
    assert!(
        unsupported.starts_with("cloudcontrol:ListResources for AWS::Lambda::Function in eu-west-1 is not available (UnsupportedActionException"),
        "{unsupported}"
    );
    assert_eq!(
        reason("aws_lambda_permission"),
        unsupported,
        "a type listed per parent covers nothing when its parent cannot be listed"
    );
    assert!(
        reason("aws_kinesis_stream").contains("(TypeNotFoundException"),
        "{}",
        reason("aws_kinesis_stream")
    );
    for e in &inv.errors {
        assert_eq!(e.scope, "aws:eu-west-1");
        assert!(
            !e.reason.contains('\n') && !e.reason.contains("x-amzn"),
            "{}",
            e.reason
        );
    }
    assert_eq!(inv.errors.len(), 4, "{:?}", inv.errors);
    assert!(!inv.complete());
    find(&inv, "aws_sqs_queue", &format!("{SQS_EU}orders"));
}

#[test]
fn every_wait_is_bounded_by_the_retry_budget() {
    let mut fx = account();
    fx["throttle"]["AWS::SQS::Queue"] = serde_json::json!(1000);
    fx["hang"] = serde_json::json!({"AWS::Logs::LogGroup": 60});
    let (server, _dir) = cloudcontrol(&fx);
    let mut cfg = cc_config(&server);
    cfg.retry.budget = Duration::from_secs(3);
    cfg.retry.base = Duration::from_millis(100);
    cfg.retry.max_delay = Duration::from_millis(400);
    let types = strings(&[
        "aws_sqs_queue",
        "aws_cloudwatch_log_group",
        "aws_ecs_cluster",
    ]);
    let started = std::time::Instant::now();
    let inv = run(&cfg, "aws:us-east-1", Some(&types), &Events::default());
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "the listing took {took:?}");
    let throttled = inv
        .errors
        .iter()
        .find(|e| e.type_name == "aws_sqs_queue")
        .expect("throttled past the budget");
    assert!(
        throttled
            .reason
            .contains("was still throttled (ThrottlingException) after")
            && throttled.reason.contains("--retry-budget"),
        "{}",
        throttled.reason
    );
    let hung = inv
        .errors
        .iter()
        .find(|e| e.type_name == "aws_cloudwatch_log_group")
        .expect("a hung request is abandoned");
    assert!(
        hung.reason.contains("got no answer within") || hung.reason.contains("timed out"),
        "{}",
        hung.reason
    );
    find(&inv, "aws_ecs_cluster", "prod");
    let log = server_log(&server);
    assert!(
        list_calls(&log, "AWS::SQS::Queue") >= 3,
        "throttling was retried"
    );
}

#[test]
fn all_enabled_regions_are_listed_and_an_aggregator_keeps_accounts_apart() {
    let (server, _dir) = cloudcontrol(&account());
    let types = strings(&["aws_sqs_queue", "aws_cloudwatch_log_group"]);
    let inv = run(
        &cc_config(&server),
        "aws:*",
        Some(&types),
        &Events::default(),
    );
    assert_eq!(inv.errors, vec![]);
    let log = server_log(&server);
    let regions: BTreeSet<&str> = log
        .iter()
        .filter(|e| e["body"]["TypeName"] == "AWS::SQS::Queue")
        .filter_map(|e| e["region"].as_str())
        .collect();
    assert_eq!(
        regions,
        BTreeSet::from(["eu-west-1", "us-east-1"]),
        "the region that is not opted in is left out"
    );
    assert!(log.iter().any(|e| e["body"]["Action"] == "DescribeRegions"
        && e["body"]["AllRegions"] == "true"
        && e["service"] == "ec2"));
    assert_eq!(count(&inv, "aws_sqs_queue"), 7);

    let agg = run(
        &cc_config(&server),
        "aws:aggregator:org",
        Some(&types),
        &Events::default(),
    );
    assert_eq!(agg.errors, vec![]);
    let a = find(
        &agg,
        "aws_sqs_queue",
        "https://sqs.eu-west-1.amazonaws.com/111111111111/orders",
    );
    assert_eq!(a.account.as_deref(), Some("111111111111"));
    assert_eq!(a.location.as_deref(), Some("eu-west-1"));
    assert_eq!(a.attributes.value()["visibility_timeout_seconds"], 30);
    assert_eq!(a.labels["team"], "billing");
    assert_eq!(a.source, "aws:aggregator:org");
    let b = find(
        &agg,
        "aws_sqs_queue",
        "https://sqs.us-east-1.amazonaws.com/222222222222/orders",
    );
    assert_eq!(b.account.as_deref(), Some("222222222222"));
    assert_ne!(
        a.name, b.name,
        "one queue name in two accounts is two resources"
    );
    assert_eq!(
        find(&agg, "aws_cloudwatch_log_group", "/app/web")
            .attributes
            .value()["retention_in_days"],
        7
    );
    let log = server_log(&server);
    let select = log
        .iter()
        .find(|e| e["target"] == "StarlingDoveService.SelectAggregateResourceConfig")
        .expect("the aggregator was queried");
    assert_eq!(select["service"], "config");
    let expression = select["body"]["Expression"].as_str().unwrap();
    assert!(
        expression.contains("WHERE resourceType IN (")
            && expression.contains("'AWS::SQS::Queue'")
            && expression.contains("'AWS::Logs::LogGroup'"),
        "{expression}"
    );

    let missing = run(
        &cc_config(&server),
        "aws:aggregator:nope",
        Some(&types),
        &Events::default(),
    );
    assert!(missing.resources.is_empty());
    assert_eq!(missing.errors.len(), 2);
    assert!(
        missing.errors[0].reason.starts_with(
            "config:SelectAggregateResourceConfig for aggregator nope in us-east-1 failed (NoSuchConfigurationAggregatorException"
        ),
        "{}",
        missing.errors[0].reason
    );
}
