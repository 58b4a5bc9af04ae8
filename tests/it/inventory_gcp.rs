//! `tfrecon inventory` against a loopback Cloud Asset Inventory server (tests/py/cai_server.py)
//! that pages, throttles, refuses and fails the way the real API does. The binary runs its
//! production code path; only the endpoint differs.

use std::process::Command;

use serde_json::{json, Value};

use crate::support::{free_port, python, repo, tempdir, Server};

struct Cai {
    server: Server,
    _dir: tempfile::TempDir,
}

impl Cai {
    fn start(config: Value) -> Cai {
        let dir = tempdir();
        let cfg = dir.path().join("cai.json");
        std::fs::write(&cfg, serde_json::to_vec(&config).unwrap()).unwrap();
        let port = free_port();
        let mut cmd: Command = python();
        cmd.arg(repo().join("tests/py/cai_server.py"))
            .args(["--port", &port.to_string(), "--config"])
            .arg(&cfg);
        Cai {
            server: Server::start("cai_server", cmd, port),
            _dir: dir,
        }
    }

    fn log(&self) -> Vec<Value> {
        let out = std::process::Command::new(crate::support::venv_bin("python"))
            .args([
                "-c",
                &format!(
                    "import urllib.request,sys;sys.stdout.write(urllib.request.urlopen('{}/_log').read().decode())",
                    self.server.url()
                ),
            ])
            .output()
            .unwrap();
        serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("request log")
    }

    fn inventory(&self, args: &[&str]) -> (i32, Value, String) {
        let out = assert_cmd::Command::cargo_bin("tfrecon")
            .unwrap()
            .arg("inventory")
            .args(args)
            .args(["--format", "json", "--gcp-endpoint", &self.server.url()])
            .env("GOOGLE_OAUTH_ACCESS_TOKEN", "test-token")
            .env_remove("TFRECON_CLOUDASSET_ENDPOINT")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let doc = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr: {stderr}"));
        (out.status.code().unwrap(), doc, stderr)
    }
}

fn requests_for<'a>(log: &'a [Value], asset_type: &str, content: &str) -> Vec<&'a Value> {
    log.iter()
        .filter(|e| {
            e["contentType"] == content
                && e["assetTypes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t == asset_type)
        })
        .collect()
}

fn resources<'a>(doc: &'a Value, tf_type: &str) -> Vec<&'a Value> {
    doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["tf_type"] == tf_type)
        .collect()
}

fn import_ids(doc: &Value, tf_type: &str) -> Vec<String> {
    let mut v: Vec<String> = resources(doc, tf_type)
        .iter()
        .map(|r| r["import_id"].as_str().unwrap_or("<none>").to_string())
        .collect();
    v.sort();
    v
}

fn acme_config(buckets: usize) -> Value {
    json!({
        "assets": [
            {"parent": "projects/acme", "name": "//cloudresourcemanager.googleapis.com/projects/123456",
             "assetType": "cloudresourcemanager.googleapis.com/Project", "ancestors": ["projects/123456", "organizations/42"],
             "resource": {"data": {"projectId": "acme", "projectNumber": "123456", "name": "Acme"}},
             "iamPolicy": {"version": 3, "bindings": [
                 {"role": "roles/viewer", "members": ["user:ann@example.com", "group:ops@example.com"]},
                 {"role": "roles/storage.admin", "members": ["serviceAccount:ci@acme.iam.gserviceaccount.com"],
                  "condition": {"title": "until_2030", "expression": "request.time < timestamp(\"2030-01-01T00:00:00Z\")"}}]}},
            {"parent": "projects/acme", "name": "//iam.googleapis.com/projects/acme/serviceAccounts/1099",
             "assetType": "iam.googleapis.com/ServiceAccount",
             "resource": {"data": {"email": "ci@acme.iam.gserviceaccount.com", "uniqueId": "1099",
                                   "name": "projects/acme/serviceAccounts/ci@acme.iam.gserviceaccount.com"}},
             "iamPolicy": {"bindings": [{"role": "roles/iam.serviceAccountUser", "members": ["user:ann@example.com"]}]}},
            {"parent": "projects/acme", "name": "//iam.googleapis.com/projects/acme/serviceAccounts/2001",
             "assetType": "iam.googleapis.com/ServiceAccount",
             "resource": {"data": {"email": "123456-compute@developer.gserviceaccount.com", "uniqueId": "2001"}}},
            {"parent": "projects/acme", "name": "//secretmanager.googleapis.com/projects/123456/secrets/db-password",
             "assetType": "secretmanager.googleapis.com/Secret", "resource": {"data": {}, "location": "global"}},
            {"parent": "projects/acme", "name": "//storage.googleapis.com/gcf-sources-123456-us-central1",
             "assetType": "storage.googleapis.com/Bucket", "resource": {"data": {"name": "gcf-sources-123456-us-central1"}, "location": "us-central1"}},
            {"parent": "projects/acme", "name": "//compute.googleapis.com/projects/acme/zones/europe-west1-b/instances/vm-1",
             "assetType": "compute.googleapis.com/Instance", "resource": {"data": {"labels": {"env": "prod"}}, "location": "europe-west1-b"}},
            {"parent": "projects/acme", "name": "//pubsub.googleapis.com/projects/acme/topics/hidden",
             "assetType": "pubsub.googleapis.com/Topic", "resource": {"data": {}}}
        ],
        "generate": [{"parent": "projects/acme", "count": buckets,
            "template": {"name": "//storage.googleapis.com/data-{i}", "assetType": "storage.googleapis.com/Bucket",
                         "resource": {"data": {"name": "data-{i}", "labels": {"team": "t{i}"}}, "location": "EU"}}}],
        "faults": [
            {"assetType": "pubsub.googleapis.com/Topic", "contentType": "RESOURCE", "status": 403, "times": -1},
            {"assetType": "storage.googleapis.com/Bucket", "contentType": "RESOURCE", "status": 429, "times": 1, "retryAfter": 1},
            {"assetType": "iam.googleapis.com/ServiceAccount", "contentType": "RESOURCE", "status": 500, "times": 2}
        ]
    })
}

#[test]
fn lists_a_project_through_pages_retries_and_a_forbidden_type() {
    let cai = Cai::start(acme_config(2500));
    let (code, doc, stderr) = cai.inventory(&["--scope", "gcp:projects/acme"]);
    assert_eq!(
        code, 3,
        "a type could not be read, so the run is incomplete; stderr: {stderr}"
    );
    assert_eq!(doc["complete"], false);
    assert_eq!(doc["version"], 1);

    // The forbidden type is an error naming the permission; nothing else is.
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["scope"], "gcp:projects/acme");
    assert_eq!(errors[0]["type"], "pubsub.googleapis.com/Topic");
    let reason = errors[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("cloudasset.assets.listResource"),
        "{reason}"
    );
    assert!(resources(&doc, "google_pubsub_topic").is_empty());

    // Every bucket across three pages, after the 429.
    let buckets = resources(&doc, "google_storage_bucket");
    assert_eq!(buckets.len(), 2501);
    let b7 = buckets
        .iter()
        .find(|b| b["name"] == "//storage.googleapis.com/data-7")
        .unwrap();
    assert_eq!(b7["import_id"], "acme/data-7");
    assert_eq!(b7["project"], "acme");
    assert_eq!(b7["location"], "EU");
    assert_eq!(b7["labels"]["team"], "t7");
    assert_eq!(b7["source"], "gcp:projects/acme");
    let gcf = buckets
        .iter()
        .find(|b| b["name"] == "//storage.googleapis.com/gcf-sources-123456-us-central1")
        .unwrap();
    assert_eq!(gcf["service_managed"], true);
    assert!(b7.get("service_managed").is_none());

    // Service accounts by e-mail, after two 500s; the default compute account is Google's.
    assert_eq!(
        import_ids(&doc, "google_service_account"),
        [
            "projects/acme/serviceAccounts/123456-compute@developer.gserviceaccount.com",
            "projects/acme/serviceAccounts/ci@acme.iam.gserviceaccount.com"
        ]
    );
    // Project number in the CAI name, project ID in the import ID.
    assert_eq!(
        import_ids(&doc, "google_secret_manager_secret"),
        ["projects/acme/secrets/db-password"]
    );
    assert_eq!(
        import_ids(&doc, "google_compute_instance"),
        ["projects/acme/zones/europe-west1-b/instances/vm-1"]
    );
    // IAM: one member resource per member per binding, with the condition title.
    assert_eq!(
        import_ids(&doc, "google_project_iam_member"),
        [
            "acme roles/storage.admin serviceAccount:ci@acme.iam.gserviceaccount.com until_2030",
            "acme roles/viewer group:ops@example.com",
            "acme roles/viewer user:ann@example.com"
        ]
    );
    assert_eq!(
        import_ids(&doc, "google_project_iam_binding"),
        ["acme roles/storage.admin until_2030", "acme roles/viewer"]
    );
    assert_eq!(
        import_ids(&doc, "google_service_account_iam_member"),
        ["projects/acme/serviceAccounts/ci@acme.iam.gserviceaccount.com roles/iam.serviceAccountUser user:ann@example.com"]
    );

    let log = cai.log();
    assert!(log.iter().all(|e| e["auth"] == "Bearer test-token"));
    assert!(
        log.iter().all(|e| e["pageSize"] == "1000"),
        "always the largest page"
    );
    let same = |a: &Value, b: &Value| {
        a["assetTypes"] == b["assetTypes"]
            && a["pageToken"] == b["pageToken"]
            && a["contentType"] == b["contentType"]
    };
    // The 429 is retried with the same request, no sooner than Retry-After says.
    let throttled = requests_for(&log, "storage.googleapis.com/Bucket", "RESOURCE")
        .into_iter()
        .find(|e| e["status"] == 429)
        .expect("the bucket listing was throttled once");
    let retry = log
        .iter()
        .find(|e| same(e, throttled) && e["time"].as_f64() > throttled["time"].as_f64())
        .expect("and retried");
    assert_eq!(retry["status"], 200);
    let waited = retry["time"].as_f64().unwrap() - throttled["time"].as_f64().unwrap();
    assert!(
        waited >= 0.95,
        "Retry-After: 1 was honoured (waited {waited:.3}s)"
    );
    // The two 500s on service accounts are retried until the listing succeeds.
    let sa = requests_for(&log, "iam.googleapis.com/ServiceAccount", "RESOURCE");
    assert_eq!(sa.iter().filter(|e| e["status"] == 500).count(), 2);
    // The forbidden type is isolated by splitting its batch, in few requests.
    let topic = requests_for(&log, "pubsub.googleapis.com/Topic", "RESOURCE");
    assert_eq!(
        topic.last().unwrap()["assetTypes"],
        json!(["pubsub.googleapis.com/Topic"])
    );
    assert!(
        topic.len() <= 6,
        "{} requests to isolate one type",
        topic.len()
    );
    // The successful bucket listing: ceil(assets / 1000) pages, each asked once.
    let last_ok = requests_for(&log, "storage.googleapis.com/Bucket", "RESOURCE")
        .into_iter()
        .rev()
        .find(|e| e["status"] == 200)
        .unwrap();
    let pages: Vec<_> = log
        .iter()
        .filter(|e| {
            e["status"] == 200
                && e["assetTypes"] == last_ok["assetTypes"]
                && e["contentType"] == "RESOURCE"
        })
        .collect();
    assert_eq!(pages.len(), 3, "{pages:#?}");
    // Everything the catalog knows, resources and IAM policies, in a handful of requests.
    let ok = log.iter().filter(|e| e["status"] == 200).count();
    assert!(ok <= 20, "{ok} successful requests");
}

#[test]
fn requests_stay_within_one_more_than_the_pages_needed() {
    for n in [0usize, 1, 999, 1000, 1001, 3000] {
        let cai = Cai::start(json!({
            "generate": [{"parent": "projects/p", "count": n,
                "template": {"name": "//pubsub.googleapis.com/projects/p/topics/t{i}", "assetType": "pubsub.googleapis.com/Topic",
                             "resource": {"data": {}}}}]
        }));
        let (code, doc, stderr) = cai.inventory(&["--scope", "gcp:projects/p"]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(resources(&doc, "google_pubsub_topic").len(), n);
        let reqs = requests_for(&cai.log(), "pubsub.googleapis.com/Topic", "RESOURCE").len();
        assert!(
            reqs <= n.div_ceil(1000) + 1,
            "{n} topics took {reqs} requests"
        );
        assert!(reqs >= n.div_ceil(1000).max(1));
    }
}

#[test]
fn throttling_past_the_retry_budget_is_recorded_and_the_rest_is_listed() {
    let mut config = acme_config(3);
    config["faults"] = json!([
        {"assetType": "storage.googleapis.com/Bucket", "contentType": "RESOURCE", "status": 429, "times": -1, "retryAfter": 1}
    ]);
    let cai = Cai::start(config);
    let (code, doc, _) = cai.inventory(&["--scope", "gcp:projects/acme", "--retry-budget", "3"]);
    assert_eq!(code, 3);
    // Throttling is not a type's fault: the listing that kept failing is reported for each of
    // its types, and the other listings complete.
    let errors = doc["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["type"] == "storage.googleapis.com/Bucket"),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .all(|e| e["reason"].as_str().unwrap().starts_with("throttled")),
        "{errors:#?}"
    );
    assert!(errors.len() <= 20, "only the throttled listing's types");
    assert!(resources(&doc, "google_storage_bucket").is_empty());
    assert_eq!(
        resources(&doc, "google_compute_instance").len(),
        1,
        "other listings still complete"
    );
    assert_eq!(resources(&doc, "google_project_iam_member").len(), 3);
    let tries = requests_for(&cai.log(), "storage.googleapis.com/Bucket", "RESOURCE").len();
    assert!((2..=4).contains(&tries), "bounded retries, got {tries}");
}

#[test]
fn a_scope_with_the_api_disabled_says_how_to_enable_it() {
    let mut config = acme_config(2);
    config["faults"] = json!([{"parent": "projects/off", "status": 403, "times": -1, "reason": "SERVICE_DISABLED"}]);
    let cai = Cai::start(config);
    let (code, doc, _) = cai.inventory(&[
        "--scope",
        "gcp:projects/off",
        "--scope",
        "gcp:projects/acme",
    ]);
    assert_eq!(code, 3);
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(
        errors.len(),
        1,
        "once for the scope, not once per type: {errors:#?}"
    );
    assert_eq!(errors[0]["type"], "", "every type of the scope");
    for e in errors {
        assert_eq!(e["scope"], "gcp:projects/off");
        let reason = e["reason"].as_str().unwrap();
        assert!(
            reason.contains(
                "gcloud services enable cloudasset.googleapis.com --project=123456789012"
            ),
            "{reason}"
        );
    }
    assert_eq!(
        resources(&doc, "google_storage_bucket").len(),
        3,
        "the other scope is complete"
    );
}

#[test]
fn text_output_counts_types_and_lists_what_could_not_be_read() {
    let cai = Cai::start(acme_config(2));
    let out = assert_cmd::Command::cargo_bin("tfrecon")
        .unwrap()
        .args([
            "inventory",
            "--scope",
            "gcp:projects/acme",
            "--gcp-endpoint",
            &cai.server.url(),
        ])
        .env("GOOGLE_OAUTH_ACCESS_TOKEN", "t")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("google_storage_bucket") && l.trim_end().ends_with(" 3")),
        "{text}"
    );
    assert!(text.contains("acme/data-1"), "{text}");
    assert!(text.contains("[service-managed]"), "{text}");
    assert!(
        text.contains("Incomplete: 1 listing(s) could not be read"),
        "{text}"
    );
    assert!(
        text.contains("pubsub.googleapis.com/Topic: permission denied"),
        "{text}"
    );
    assert!(
        out.stderr.is_empty(),
        "no progress when stderr is not a terminal"
    );
}

#[test]
fn no_scope_and_no_file_is_an_error_that_says_what_to_give() {
    let out = assert_cmd::Command::cargo_bin("tfrecon")
        .unwrap()
        .arg("inventory")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--scope gcp:projects/PROJECT_ID"), "{err}");
    let bad = assert_cmd::Command::cargo_bin("tfrecon")
        .unwrap()
        .args(["inventory", "--scope", "gcp:buckets/x"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a Google Cloud scope"));
}

#[test]
fn a_folder_scope_with_all_types_maps_project_numbers_and_keeps_unknown_types() {
    let cai = Cai::start(json!({"assets": [
        {"parent": "folders/77", "name": "//cloudresourcemanager.googleapis.com/projects/111",
         "assetType": "cloudresourcemanager.googleapis.com/Project", "ancestors": ["projects/111", "folders/77"],
         "resource": {"data": {"projectId": "shop-dev", "projectNumber": "111"}}},
        {"parent": "folders/77", "name": "//cloudresourcemanager.googleapis.com/projects/222",
         "assetType": "cloudresourcemanager.googleapis.com/Project", "ancestors": ["projects/222", "folders/77"],
         "resource": {"data": {"projectId": "shop-prod", "projectNumber": "222"}}},
        {"parent": "folders/77", "name": "//secretmanager.googleapis.com/projects/222/secrets/api-key",
         "assetType": "secretmanager.googleapis.com/Secret", "ancestors": ["projects/222", "folders/77"],
         "resource": {"data": {"replication": {"automatic": {}}}}},
        {"parent": "folders/77", "name": "//vmmigration.googleapis.com/projects/shop-dev/locations/europe-west1/sources/s1",
         "assetType": "vmmigration.googleapis.com/Source", "ancestors": ["projects/111", "folders/77"],
         "resource": {"data": {"description": "on-prem"}, "location": "europe-west1"}}
    ]}));
    let (code, doc, stderr) = cai.inventory(&["--scope", "gcp:folders/77", "--all-types"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        import_ids(&doc, "google_project"),
        ["shop-dev", "shop-prod"]
    );
    assert_eq!(
        import_ids(&doc, "google_secret_manager_secret"),
        ["projects/shop-prod/secrets/api-key"]
    );
    let unknown: Vec<&Value> = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["native_type"] == "vmmigration.googleapis.com/Source")
        .collect();
    assert_eq!(
        unknown.len(),
        1,
        "types the catalog does not know are still listed"
    );
    assert!(unknown[0].get("tf_type").is_none());
    assert_eq!(unknown[0]["project"], "shop-dev");
    assert_eq!(unknown[0]["attributes"]["description"], "on-prem");
    let log = cai.log();
    assert_eq!(
        log.len(),
        2,
        "one listing of everything per content type: {log:#?}"
    );
    assert!(log
        .iter()
        .all(|e| e["assetTypes"] == json!([]) && e["parent"] == "folders/77"));
}

#[test]
fn an_unreachable_endpoint_is_one_error_per_scope_and_quick() {
    let port = free_port();
    let started = std::time::Instant::now();
    let out = assert_cmd::Command::cargo_bin("tfrecon")
        .unwrap()
        .args([
            "inventory",
            "--scope",
            "gcp:projects/a",
            "--scope",
            "gcp:projects/b",
            "--format",
            "json",
        ])
        .args(["--gcp-endpoint", &format!("http://127.0.0.1:{port}")])
        .env("GOOGLE_OAUTH_ACCESS_TOKEN", "t")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0]["scope"], "gcp:projects/a");
    assert_eq!(errors[0]["type"], "");
    assert!(errors[0]["reason"]
        .as_str()
        .unwrap()
        .contains("cannot reach Cloud Asset Inventory"));
    assert!(
        started.elapsed().as_secs() < 30,
        "connection failures do not use the whole retry budget"
    );
}

// ---------------------------------------------------------------------------------------------
// Catalog row kinds: `gcloud asset list` listings (resource and iam-policy content) of asset
// types that share a type across names, name their project by number, sit under another
// resource or an organization, or carry IAM policies, converted into the import IDs the
// provider documents.
// ---------------------------------------------------------------------------------------------

fn snapshot_inventory(files: &[&str]) -> Value {
    let mut cmd = assert_cmd::Command::cargo_bin("tfrecon").unwrap();
    cmd.args(["inventory", "--format", "json"]);
    for f in files {
        cmd.arg("--inventory")
            .arg(repo().join("testdata/snapshots").join(f));
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}); {stderr}"))
}

const KINDS: [&str; 2] = [
    "gcloud-list-catalog-kinds-resource.json",
    "gcloud-list-catalog-kinds-iam.json",
];

#[test]
fn shared_asset_types_are_told_apart_by_their_names() {
    let doc = snapshot_inventory(&KINDS);
    assert_eq!(
        import_ids(&doc, "google_compute_autoscaler"),
        ["projects/acme-prod/zones/europe-west1-b/autoscalers/web"]
    );
    assert_eq!(
        import_ids(&doc, "google_compute_region_autoscaler"),
        ["projects/acme-prod/regions/europe-west1/autoscalers/api"]
    );
    assert_eq!(
        import_ids(&doc, "google_compute_health_check"),
        ["projects/acme-prod/global/healthChecks/http"]
    );
    assert_eq!(
        import_ids(&doc, "google_compute_region_health_check"),
        ["projects/acme-prod/regions/europe-west1/healthChecks/http"]
    );
    assert_eq!(
        import_ids(&doc, "google_compute_vpn_tunnel"),
        ["projects/acme-prod/regions/europe-west1/vpnTunnels/to-dc"]
    );
}

#[test]
fn project_numbers_children_and_organization_parents_import_as_documented() {
    let doc = snapshot_inventory(&KINDS);
    // Named by project number in Cloud Asset Inventory, by project ID in the import ID.
    assert_eq!(
        import_ids(&doc, "google_memcache_instance"),
        ["projects/acme-prod/locations/europe-west1/instances/sessions"]
    );
    // A child of another resource, in a location.
    assert_eq!(
        import_ids(&doc, "google_filestore_snapshot"),
        ["projects/acme-prod/locations/europe-west1-b/instances/nfs/snapshots/daily"]
    );
    assert_eq!(
        import_ids(&doc, "google_network_security_gateway_security_policy_rule"),
        ["projects/acme-prod/locations/europe-west1/gatewaySecurityPolicies/egress/rules/allow-github"]
    );
    // Under an organization, not a project.
    let profile = resources(&doc, "google_network_security_security_profile");
    assert_eq!(profile.len(), 1);
    assert_eq!(
        profile[0]["import_id"],
        "organizations/42/locations/global/securityProfiles/threats"
    );
    assert!(profile[0].get("project").is_none(), "{:#?}", profile[0]);
}

#[test]
fn iam_policies_of_new_parents_give_member_binding_and_policy_import_ids() {
    let doc = snapshot_inventory(&KINDS);
    let repo_id = "projects/acme-prod/locations/europe/repositories/images";
    assert_eq!(
        import_ids(&doc, "google_artifact_registry_repository_iam_member"),
        [
            format!("{repo_id} roles/artifactregistry.reader group:ops@acme.example"),
            format!("{repo_id} roles/artifactregistry.reader serviceAccount:ci@acme-prod.iam.gserviceaccount.com"),
        ]
    );
    assert_eq!(
        import_ids(&doc, "google_artifact_registry_repository_iam_binding"),
        [format!("{repo_id} roles/artifactregistry.reader")]
    );
    assert_eq!(
        import_ids(&doc, "google_artifact_registry_repository_iam_policy"),
        [repo_id]
    );
    assert_eq!(
        import_ids(&doc, "google_cloud_tasks_queue_iam_member"),
        ["projects/acme-prod/locations/europe-west1/queues/jobs roles/cloudtasks.enqueuer serviceAccount:ci@acme-prod.iam.gserviceaccount.com"]
    );
    // The zone's asset name carries its numeric ID; the import ID needs its name, which only
    // the zone's own data gives. Without that data there is no import ID.
    assert_eq!(
        import_ids(&doc, "google_dns_managed_zone_iam_member"),
        [
            "<none>",
            "projects/acme-prod/managedZones/internal roles/dns.reader user:ann@acme.example"
        ]
    );
    assert_eq!(
        import_ids(&doc, "google_compute_instance_iam_member"),
        ["projects/acme-prod/zones/europe-west1-b/instances/bastion roles/compute.osLogin user:ann@acme.example"]
    );
    assert_eq!(
        import_ids(&doc, "google_compute_subnetwork_iam_binding"),
        ["acme-prod/europe-west1/shared roles/compute.networkUser"]
    );
    assert_eq!(
        import_ids(&doc, "google_spanner_database_iam_member"),
        ["acme-prod/main/orders roles/spanner.databaseReader group:ops@acme.example"]
    );
    assert_eq!(
        import_ids(&doc, "google_kms_crypto_key_iam_policy"),
        ["projects/acme-prod/locations/europe/keyRings/app/cryptoKeys/data"]
    );
    assert_eq!(
        import_ids(&doc, "google_folder_iam_binding"),
        ["folders/1111 roles/viewer"]
    );
}
