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

// ---------------------------------------------------------------------------------------------
// Cloud Asset Inventory on a bad day, from tests/py/fault_server.py: every failure is an
// inventory error naming the scope and type, every wait is bounded by --retry-budget, and
// attempts are counted from the server's log.

mod faults {
    use std::time::Duration;

    use serde_json::{json, Value};

    use crate::state_errors::FaultServer;

    /// A generous bound that only catches a hang.
    const HANG: Duration = Duration::from_secs(90);

    const BUCKETS: &str = "storage.googleapis.com/Bucket";

    fn bucket(i: usize) -> Value {
        json!({"name": format!("//storage.googleapis.com/b{i}"), "assetType": BUCKETS,
               "resource": {"data": {"name": format!("b{i}")}, "location": "EU"}})
    }

    fn page(assets: Vec<Value>, token: Option<&str>) -> Value {
        let mut body = json!({"readTime": "2026-01-01T00:00:00Z", "assets": assets});
        if let Some(t) = token {
            body["nextPageToken"] = json!(t);
        }
        json!({"status": 200, "json": body})
    }

    /// Routes that answer the bucket listing with `responses` and every other listing with an
    /// empty page.
    fn buckets_answer(responses: Value) -> Value {
        json!([
            {"query": {"assetTypes": BUCKETS, "contentType": "RESOURCE"}, "responses": responses},
            {"prefix": "/v1/", "responses": [page(vec![], None)]}
        ])
    }

    fn inventory(server: &FaultServer, extra: &[&str]) -> (i32, Value, String) {
        let out = assert_cmd::Command::cargo_bin("tfrecon")
            .unwrap()
            .args([
                "inventory",
                "--scope",
                "gcp:projects/acme",
                "--format",
                "json",
            ])
            .args(["--gcp-endpoint", &server.url()])
            .args(extra)
            .env("GOOGLE_OAUTH_ACCESS_TOKEN", "test-token")
            .env_remove("TFRECON_CLOUDASSET_ENDPOINT")
            .timeout(HANG)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let doc = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr: {stderr}"));
        (out.status.code().unwrap_or(-1), doc, stderr)
    }

    fn bucket_names(doc: &Value) -> Vec<String> {
        let mut v: Vec<String> = doc["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["native_type"] == BUCKETS)
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    }

    /// The bucket listing's requests, from the server's log.
    fn bucket_requests(server: &FaultServer) -> Vec<Value> {
        server
            .log()
            .into_iter()
            .filter(|e| e["route"] == 0)
            .collect()
    }

    fn gap(a: &Value, b: &Value) -> f64 {
        b["time"].as_f64().unwrap() - a["time"].as_f64().unwrap()
    }

    fn errors(doc: &Value) -> Vec<(String, String, String)> {
        doc["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["scope"].as_str().unwrap().to_string(),
                    e["type"].as_str().unwrap().to_string(),
                    e["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn retry_after_in_seconds_is_honoured() {
        let server = FaultServer::start(buckets_answer(json!([
            {"status": 429, "retryAfter": 2, "json": {"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}}},
            page(vec![bucket(1)], None)
        ])));
        let (code, doc, stderr) = inventory(&server, &[]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(bucket_names(&doc), ["//storage.googleapis.com/b1"]);
        let reqs = bucket_requests(&server);
        assert_eq!(reqs.len(), 2, "{reqs:#?}");
        assert!(
            gap(&reqs[0], &reqs[1]) >= 1.9,
            "waited {:.2}s",
            gap(&reqs[0], &reqs[1])
        );
    }

    #[test]
    fn retry_after_as_an_http_date_is_honoured() {
        // The date has whole seconds: three seconds ahead is at least two from now.
        let server = FaultServer::start(buckets_answer(json!([
            {"status": 429, "retryAfterDate": 3, "json": {"error": {"code": 429, "message": "Quota exceeded"}}},
            page(vec![bucket(1)], None)
        ])));
        let (code, doc, stderr) = inventory(&server, &[]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(bucket_names(&doc).len(), 1);
        let reqs = bucket_requests(&server);
        assert_eq!(reqs.len(), 2);
        assert!(
            gap(&reqs[0], &reqs[1]) >= 1.9,
            "the date was honoured, not the 0.5 s backoff: waited {:.2}s",
            gap(&reqs[0], &reqs[1])
        );
    }

    #[test]
    fn server_errors_then_success_and_server_errors_forever() {
        let server = FaultServer::start(buckets_answer(json!([
            {"status": 503, "json": {"error": {"code": 503, "message": "The service is currently unavailable."}}},
            {"status": 500, "json": {"error": {"code": 500, "message": "Internal error encountered."}}},
            page(vec![bucket(1), bucket(2)], None)
        ])));
        let (code, doc, stderr) = inventory(&server, &[]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(bucket_names(&doc).len(), 2);
        let statuses: Vec<u64> = bucket_requests(&server)
            .iter()
            .map(|e| e["status"].as_u64().unwrap())
            .collect();
        assert_eq!(statuses, [503, 500, 200]);

        let server = FaultServer::start(buckets_answer(json!([
            {"status": 503, "json": {"error": {"code": 503, "message": "The service is currently unavailable."}}}
        ])));
        let (code, doc, _) = inventory(&server, &["--retry-budget", "3"]);
        assert_eq!(code, 3);
        let errs = errors(&doc);
        let bucket_err = errs
            .iter()
            .find(|(_, t, _)| t == BUCKETS)
            .unwrap_or_else(|| panic!("{errs:#?}"));
        assert_eq!(bucket_err.0, "gcp:projects/acme");
        assert!(
            bucket_err
                .2
                .starts_with("server errors: still failing after")
                && bucket_err.2.contains("--retry-budget")
                && bucket_err
                    .2
                    .contains("HTTP 503: The service is currently unavailable."),
            "{}",
            bucket_err.2
        );
        assert!(
            errs.iter().all(|(_, _, r)| r.starts_with("server errors")),
            "{errs:#?}"
        );
        let tries = bucket_requests(&server).len();
        assert!((2..=6).contains(&tries), "bounded retries, got {tries}");
    }

    #[test]
    fn forbidden_on_one_type_only_keeps_the_others() {
        let server = FaultServer::start(json!([
            {"query": {"assetTypes": "pubsub.googleapis.com/Topic", "contentType": "RESOURCE"},
             "responses": [{"status": 403, "json": {"error": {"code": 403, "message": "Request is prohibited by organization's policy. vpcServiceControlsUniqueIdentifier: x", "status": "PERMISSION_DENIED"}}}]},
            {"query": {"assetTypes": BUCKETS, "contentType": "RESOURCE"}, "responses": [page(vec![bucket(1)], None)]},
            {"prefix": "/v1/", "responses": [page(vec![], None)]}
        ]));
        let (code, doc, stderr) = inventory(&server, &[]);
        assert_eq!(code, 3, "{stderr}");
        assert_eq!(bucket_names(&doc), ["//storage.googleapis.com/b1"]);
        let errs = errors(&doc);
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert_eq!(errs[0].0, "gcp:projects/acme");
        assert_eq!(errs[0].1, "pubsub.googleapis.com/Topic");
        assert!(
            errs[0].2.contains("cloudasset.assets.listResource"),
            "{}",
            errs[0].2
        );
    }

    #[test]
    fn a_hung_request_is_bounded_by_the_retry_budget() {
        let server = FaultServer::start(buckets_answer(json!([{"hang": true}])));
        let (code, doc, stderr) = inventory(&server, &["--retry-budget", "2"]);
        assert_eq!(code, 3, "{stderr}");
        let errs = errors(&doc);
        let e = errs
            .iter()
            .find(|(_, t, _)| t == BUCKETS)
            .unwrap_or_else(|| panic!("{errs:#?}"));
        assert!(
            e.2.contains(&format!(
                "no answer from {} within the retry budget of 2 s",
                server.url()
            )),
            "{}",
            e.2
        );
        assert!(bucket_names(&doc).is_empty());
        assert_eq!(
            bucket_requests(&server).len(),
            1,
            "the hung attempt took the whole budget"
        );
    }

    #[test]
    fn a_truncated_body_is_retried_then_reported() {
        let full = page(vec![bucket(1), bucket(2), bucket(3)], None);
        let mut cut = full.clone();
        cut["truncate"] = json!(60);
        let server = FaultServer::start(buckets_answer(json!([cut, full])));
        let (code, doc, stderr) = inventory(&server, &[]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(bucket_names(&doc).len(), 3);
        assert_eq!(bucket_requests(&server).len(), 2);

        // Cut off on every attempt: an error that says so, nothing listed.
        let server = FaultServer::start(buckets_answer(json!([cut])));
        let (code, doc, _) = inventory(&server, &["--retry-budget", "3"]);
        assert_eq!(code, 3);
        let errs = errors(&doc);
        let e = errs
            .iter()
            .find(|(_, t, _)| t == BUCKETS)
            .unwrap_or_else(|| panic!("{errs:#?}"));
        assert!(
            e.2.starts_with("cut-off responses: still failing after") && e.2.contains("cut off"),
            "{}",
            e.2
        );
        assert!(bucket_names(&doc).is_empty());
        assert!(bucket_requests(&server).len() >= 2);

        // A body that is complete but cut short of valid JSON (a proxy's doing) is retried too.
        let server = FaultServer::start(buckets_answer(json!([
            {"status": 200, "body": "{\"assets\": [{\"name\": \"//storage.googleapis.com/b1\", \"assetT"},
            page(vec![bucket(1)], None)
        ])));
        let (code, doc, stderr) = inventory(&server, &[]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(bucket_names(&doc).len(), 1);
    }

    #[test]
    fn a_looping_page_token_stops_the_listing() {
        let server = FaultServer::start(json!([
            {"query": {"assetTypes": BUCKETS, "contentType": "RESOURCE", "pageToken": null}, "responses": [page(vec![bucket(1)], Some("a"))]},
            {"query": {"assetTypes": BUCKETS, "contentType": "RESOURCE", "pageToken": "a"}, "responses": [page(vec![bucket(2)], Some("b"))]},
            {"query": {"assetTypes": BUCKETS, "contentType": "RESOURCE", "pageToken": "b"}, "responses": [page(vec![bucket(3)], Some("a"))]},
            {"prefix": "/v1/", "responses": [page(vec![], None)]}
        ]));
        let (code, doc, stderr) = inventory(&server, &[]);
        assert_eq!(code, 3, "{stderr}");
        let errs = errors(&doc);
        let e = errs
            .iter()
            .find(|(_, t, _)| t == BUCKETS)
            .unwrap_or_else(|| panic!("{errs:#?}"));
        assert_eq!(e.0, "gcp:projects/acme");
        assert!(
            e.2.contains("in projects/acme returned page token \"a\" a second time")
                && e.2.contains("nothing from this listing is used"),
            "{}",
            e.2
        );
        assert!(
            bucket_names(&doc).is_empty(),
            "a listing that looped covers nothing"
        );
        let pages = server
            .log()
            .iter()
            .filter(|e| e["route"].as_u64().is_some_and(|r| r < 3))
            .count();
        assert_eq!(pages, 3);
    }

    #[test]
    fn empty_pages_that_keep_returning_a_token_stop_the_listing() {
        let endless: Vec<Value> = (0..50)
            .map(|i| page(vec![], Some(&format!("t{i}"))))
            .collect();
        let server = FaultServer::start(buckets_answer(json!(endless)));
        let (code, doc, stderr) = inventory(&server, &[]);
        assert_eq!(code, 3, "{stderr}");
        let errs = errors(&doc);
        let e = errs
            .iter()
            .find(|(_, t, _)| t == BUCKETS)
            .unwrap_or_else(|| panic!("{errs:#?}"));
        assert!(e.2.contains("returned 5 empty pages in a row"), "{}", e.2);
        assert_eq!(bucket_requests(&server).len(), 5);
    }

    #[test]
    fn an_endpoint_that_is_not_a_url_fails_at_once() {
        let out = assert_cmd::Command::cargo_bin("tfrecon")
            .unwrap()
            .args(["inventory", "--scope", "gcp:projects/a", "--format", "json"])
            .args(["--gcp-endpoint", "localhost:8080"])
            .env("GOOGLE_OAUTH_ACCESS_TOKEN", "t")
            .timeout(HANG)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let errs = errors(&doc);
        assert_eq!(errs.len(), 1, "once for the scope: {errs:#?}");
        assert_eq!(errs[0].1, "");
        assert!(
            errs[0]
                .2
                .contains("\"localhost:8080\" is not a valid Cloud Asset Inventory endpoint"),
            "{}",
            errs[0].2
        );
    }
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
