//! `tfrecon inventory --inventory FILE`: every gcloud output shape, tfrecon's own document
//! (round trip, AWS resources included), and files that are not inventories.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::{repo, tempdir};

fn fixture(name: &str) -> PathBuf {
    repo().join("testdata/snapshots").join(name)
}

fn run(files: &[PathBuf]) -> (i32, String, String) {
    let mut cmd = assert_cmd::Command::cargo_bin("tfrecon").unwrap();
    cmd.arg("inventory").args(["--format", "json"]);
    for f in files {
        cmd.arg("--inventory").arg(f);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn doc(files: &[PathBuf]) -> Value {
    let (code, out, err) = run(files);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn ids(doc: &Value, tf_type: &str) -> Vec<String> {
    let mut v: Vec<String> = doc["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["tf_type"] == tf_type)
        .map(|r| r["import_id"].as_str().unwrap_or("<none>").to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn gcloud_asset_list_resources_and_iam_policies_combine_across_files() {
    let d = doc(&[
        fixture("gcloud-list-resource.json"),
        fixture("gcloud-list-iam.json"),
    ]);
    assert_eq!(d["complete"], true);
    assert_eq!(ids(&d, "google_project"), ["acme-prod"]);
    assert_eq!(
        ids(&d, "google_storage_bucket"),
        ["acme-prod/acme-prod-logs"]
    );
    assert_eq!(
        ids(&d, "google_monitoring_alert_policy"),
        ["projects/acme-prod/alertPolicies/8812399"]
    );
    let alert = d["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["tf_type"] == "google_monitoring_alert_policy")
        .unwrap();
    assert_eq!(
        alert["attributes"]["display_name"], "High error rate",
        "the natural key is there"
    );
    assert_eq!(alert["project"], "acme-prod");
    // The IAM file names the project by number; the resource file maps it to the ID.
    assert_eq!(
        ids(&d, "google_project_iam_member"),
        [
            "acme-prod roles/storage.admin serviceAccount:ci@acme-prod.iam.gserviceaccount.com until_2030",
            "acme-prod roles/viewer group:ops@acme.example",
            "acme-prod roles/viewer user:ann@acme.example"
        ]
    );
    assert_eq!(
        ids(&d, "google_storage_bucket_iam_member"),
        ["b/acme-prod-logs roles/storage.legacyBucketReader projectViewer:acme-prod"]
    );
    assert_eq!(
        ids(&d, "google_storage_bucket_iam_policy"),
        ["b/acme-prod-logs"]
    );
    let source = d["resources"][0]["source"].as_str().unwrap();
    assert!(
        source.starts_with("file:") && source.contains("testdata/snapshots/"),
        "{source}"
    );
}

#[test]
fn gcloud_search_all_resources_results() {
    let d = doc(&[fixture("search-all-resources.json")]);
    assert_eq!(
        ids(&d, "google_compute_instance"),
        ["projects/acme-prod/zones/europe-west1-b/instances/web-1"]
    );
    let r = d["resources"].as_array().unwrap();
    let vm = r
        .iter()
        .find(|x| x["tf_type"] == "google_compute_instance")
        .unwrap();
    assert_eq!(vm["location"], "europe-west1-b");
    assert_eq!(vm["labels"]["role"], "web");
    let bucket = r
        .iter()
        .find(|x| x["tf_type"] == "google_storage_bucket")
        .unwrap();
    assert_eq!(
        bucket["service_managed"], true,
        "Cloud Functions' source bucket"
    );
    // The project is only known by number here: the import ID uses the global bucket name alone.
    assert_eq!(
        bucket["import_id"],
        "gcf-v2-sources-123456789012-europe-west1"
    );
}

#[test]
fn gcloud_asset_export_newline_delimited_json() {
    let d = doc(&[fixture("export.ndjson")]);
    assert_eq!(
        ids(&d, "google_pubsub_topic"),
        ["projects/acme-prod/topics/orders"]
    );
    assert_eq!(
        ids(&d, "google_kms_crypto_key"),
        ["projects/acme-prod/locations/europe/keyRings/main/cryptoKeys/db"]
    );
    assert_eq!(
        ids(&d, "google_pubsub_topic_iam_member"),
        ["projects/acme-prod/topics/orders roles/pubsub.publisher serviceAccount:shop@acme-prod.iam.gserviceaccount.com"]
    );
    let topic = d["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["tf_type"] == "google_pubsub_topic")
        .unwrap();
    assert_eq!(topic["labels"]["team"], "shop");
    assert!(
        topic["iam_policy"]["bindings"].is_array(),
        "the parent keeps its policy"
    );
}

#[test]
fn tfrecon_json_round_trips_including_aws_and_errors() {
    let first = run(&[
        fixture("gcloud-list-resource.json"),
        fixture("export.ndjson"),
        fixture("tfrecon-with-aws.json"),
    ]);
    assert_eq!(
        first.0, 3,
        "the AWS file carries an error, so the result is incomplete: {}",
        first.2
    );
    let dir = tempdir();
    let saved = dir.path().join("live.json");
    std::fs::write(&saved, &first.1).unwrap();
    let second = run(std::slice::from_ref(&saved));
    assert_eq!(second.0, 3);
    assert_eq!(
        first.1, second.1,
        "reading tfrecon's own output gives the same document"
    );
    let d: Value = serde_json::from_str(&second.1).unwrap();
    assert_eq!(ids(&d, "aws_iam_role"), ["deployer"]);
    assert_eq!(d["errors"][0]["type"], "AWS::SQS::Queue");
    let all = d["resources"].as_array().unwrap();
    assert_eq!(all.first().unwrap()["cloud"], "gcp");
    assert_eq!(all.last().unwrap()["cloud"], "aws", "sorted by cloud first");
}

#[test]
fn malformed_and_unknown_files_are_errors_naming_the_file() {
    let (code, out, err) = run(&[fixture("malformed-list.json")]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("malformed-list.json") && err.contains("line"),
        "{err}"
    );

    let (code, _, err) = run(&[fixture("malformed-export.ndjson")]);
    assert_eq!(code, 1);
    assert!(
        err.contains("malformed-export.ndjson") && err.contains("line 2"),
        "{err}"
    );

    let (code, _, err) = run(&[fixture("not-an-inventory.csv")]);
    assert_eq!(code, 1);
    assert!(
        err.contains("not-an-inventory.csv") && err.contains("gcloud asset export"),
        "{err}"
    );

    let (code, _, err) = run(&[fixture("does-not-exist.json")]);
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot read inventory file") && err.contains("does-not-exist.json"),
        "{err}"
    );

    let dir = tempdir();
    let future = dir.path().join("v9.json");
    std::fs::write(
        &future,
        r#"{"version": 9, "complete": true, "resources": [], "errors": []}"#,
    )
    .unwrap();
    let (code, _, err) = run(&[future]);
    assert_eq!(code, 1);
    assert!(err.contains("version 9 is not supported"), "{err}");
}

#[test]
fn a_named_pipe_as_inventory_is_refused_without_blocking() {
    let d = tempdir();
    let fifo = d.path().join("assets.json");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let out = assert_cmd::Command::cargo_bin("tfrecon")
        .unwrap()
        .args(["inventory", "--format", "json", "--inventory"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("assets.json") && err.contains("not a regular file"),
        "{err}"
    );
}
