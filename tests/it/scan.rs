//! `tfrecon scan` and `tfrecon import` end to end on the Google Cloud example: an empty dev
//! workspace while everything exists, a function created by hand, a service open to allUsers.

use std::path::PathBuf;

use serde_json::Value;

use crate::support;

fn example() -> PathBuf {
    support::repo().join("examples/gcp-data-platform")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let e = example();
    let o = support::tfrecon()
        .arg("-C")
        .arg(&e)
        .args(args)
        .arg("--inventory")
        .arg(e.join("inventory/resources.json"))
        .arg("--inventory")
        .arg(e.join("inventory/iam-policies.json"))
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn scan_finds_every_declared_resource_at_its_exact_address() {
    let (code, out, err) = run(&["scan", "--format", "json"]);
    assert_eq!(code, 2, "findings: {err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["complete"], true, "{err}");
    assert_eq!(doc["summary"]["untracked"], 21);
    assert_eq!(doc["summary"]["unmanaged"], 4);
    assert_eq!(doc["summary"]["public_access"], 1);
    assert_eq!(doc["summary"]["empty_state"], 1);
    let findings = doc["findings"].as_array().unwrap();
    let by_addr = |a: &str| {
        findings
            .iter()
            .find(|f| f["address"] == a)
            .unwrap_or_else(|| panic!("no finding for {a}"))
    };
    // for_each keys in modules, count indexes, and identities resolved through another
    // resource's computed attribute (the service account's e-mail).
    let job = by_addr("module.jobs[\"quality-check\"].google_cloud_scheduler_job.this[0]");
    assert_eq!(job["kind"], "untracked");
    assert_eq!(
        job["import_id"],
        "projects/acme-data-dev/locations/europe-west1/jobs/quality-check"
    );
    assert_eq!(job["diff"]["changes"][0]["path"], "schedule");
    assert_eq!(job["diff"]["changes"][0]["expected"], "30 4 * * *");
    assert_eq!(job["diff"]["changes"][0]["live"], "0 5 * * *");
    let member = by_addr("google_project_iam_member.pipelines_bq[\"roles/bigquery.jobUser\"]");
    assert_eq!(member["import_id"], "acme-data-dev roles/bigquery.jobUser serviceAccount:pipelines@acme-data-dev.iam.gserviceaccount.com");
    assert_eq!(
        by_addr("google_storage_bucket.exports[1]")["kind"],
        "untracked"
    );
    assert_eq!(
        by_addr("module.pipelines[\"refresh-gold\"].google_cloudfunctions2_function.this[0]")
            ["import_id"],
        "projects/acme-data-dev/locations/europe-west1/functions/refresh-gold"
    );
    // The function created by hand is unmanaged; what Google made for itself is not reported.
    assert!(findings.iter().any(|f| f["kind"] == "unmanaged"
        && f["suggested_address"] == "google_cloudfunctions2_function.adhoc-backfill"));
    assert!(
        !out.contains("gcf-v2-sources"),
        "a service-managed bucket was reported"
    );
    assert!(
        !out.contains("-compute@developer.gserviceaccount.com"),
        "the default service account was reported"
    );
    let public = findings
        .iter()
        .find(|f| f["kind"] == "public_access")
        .unwrap();
    assert_eq!(
        public["address"],
        "module.pipelines[\"ingest-orders\"].google_cloud_run_v2_service.this[0]"
    );
    let empty = findings
        .iter()
        .find(|f| f["kind"] == "empty_state")
        .unwrap();
    assert!(
        empty["reason"]
            .as_str()
            .unwrap()
            .contains("workspace \"default\" holds 21"),
        "{empty}"
    );
}

#[test]
fn scan_text_and_strict() {
    let (code, out, _) = run(&["scan"]);
    assert_eq!(code, 2);
    assert!(out.contains("21 untracked"), "{out}");
    let (_, strict, _) = run(&["scan", "--strict", "--format", "json"]);
    let doc: Value = serde_json::from_str(&strict).unwrap();
    assert!(
        doc["summary"]["unmanaged"].as_u64().unwrap() > 4,
        "--strict shows service-managed resources"
    );
}

#[test]
fn import_plan_in_dependency_order_and_never_overwrites() {
    let (code, out, err) = run(&["import"]);
    assert_eq!(code, 0, "{err}");
    let blocks = out.matches("import {").count();
    assert_eq!(blocks, 21);
    let pos = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing"));
    // A dataset before its table; a service account before the IAM members that name it.
    assert!(
        pos("to = google_bigquery_dataset.this[\"raw\"]")
            < pos("to = google_bigquery_table.orders")
    );
    assert!(
        pos("to = google_service_account.pipelines")
            < pos("to = google_project_iam_member.pipelines_bq[\"roles/bigquery.jobUser\"]")
    );
    let dir = support::tempdir();
    let target = dir.path().join("imports.tf");
    std::fs::write(&target, "keep me").unwrap();
    let (code, _, err) = run(&["import", "--out", target.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    let (code, _, err) = run(&[
        "import",
        "--out",
        target.to_str().unwrap(),
        "--force",
        "--format",
        "script",
        "--include-unmanaged",
    ]);
    assert_eq!(code, 0, "{err}");
    let script = std::fs::read_to_string(&target).unwrap();
    assert!(script.starts_with("#!/usr/bin/env bash"));
    assert!(script.contains("'google_cloudfunctions2_function.adhoc-backfill' 'projects/acme-data-dev/locations/europe-west1/functions/adhoc-backfill'"), "{script}");
}

/// Runs tfrecon on a copy of the example in `dir`.
fn run_in(dir: &std::path::Path, args: &[&str]) -> (i32, Value, String) {
    let o = support::tfrecon()
        .arg("-C")
        .arg(dir)
        .args(args)
        .arg("--inventory")
        .arg(dir.join("inventory"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let doc = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{err}"));
    (o.status.code().unwrap_or(-1), doc, err)
}

fn of_kind<'a>(doc: &'a Value, kind: &str) -> Vec<&'a Value> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .collect()
}

#[test]
fn all_workspaces_names_the_workspace_that_manages_each_untracked_resource() {
    let dir = support::tempdir();
    support::copy_dir(&example(), dir.path());

    // The dev workspace alone: 21 resources to import.
    let (_, plan, _) = run_in(dir.path(), &["import"]);
    assert_eq!(plan["imports"].as_array().unwrap().len(), 21);

    // With every workspace read, the default workspace is seen to manage all of them: they
    // are still untracked in dev, but importing them there would put each in two states, so
    // the finding names the workspace and address that manage it and nothing is planned.
    let (code, doc, err) = run_in(dir.path(), &["scan", "--all-workspaces"]);
    assert_eq!(code, 2, "{err}");
    let untracked = of_kind(&doc, "untracked");
    assert_eq!(untracked.len(), 21);
    for f in &untracked {
        let reason = f["reason"].as_str().unwrap();
        let address = f["address"].as_str().unwrap();
        assert!(
            reason.contains("already manages it") && reason.contains(&format!("at {address}")),
            "{reason}"
        );
        assert!(
            !f["state"].as_str().unwrap().contains("workspace dev"),
            "{f}"
        );
    }
    // Managed somewhere: never unmanaged. The hand-made ones still are.
    assert_eq!(of_kind(&doc, "unmanaged").len(), 4);
    let (_, plan, _) = run_in(dir.path(), &["import", "--all-workspaces"]);
    assert_eq!(plan["imports"], serde_json::json!([]));
}

#[test]
fn a_resource_recorded_in_two_workspaces_is_reported_once_with_both() {
    let dir = support::tempdir();
    support::copy_dir(&example(), dir.path());
    // Record the Pub/Sub topic in the dev workspace's state as well.
    let default: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("terraform.tfstate")).unwrap(),
    )
    .unwrap();
    let mut dev = default.clone();
    dev["serial"] = 1.into();
    dev["lineage"] = "8a7e0c1e-0d4b-4b8e-9a55-1f2e3d4c5b6a".into();
    dev["resources"] = Value::Array(
        default["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["type"] == "google_pubsub_topic")
            .cloned()
            .collect(),
    );
    assert_eq!(dev["resources"].as_array().unwrap().len(), 1);
    let ws = dir.path().join("terraform.tfstate.d/dev");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("terraform.tfstate"), dev.to_string()).unwrap();

    // dev alone: the topic is in its state (so not untracked), the rest are untracked.
    let (_, doc, err) = run_in(dir.path(), &["scan"]);
    assert_eq!(of_kind(&doc, "untracked").len(), 20, "{err}");
    assert!(of_kind(&doc, "duplicate_state").is_empty());
    assert!(of_kind(&doc, "empty_state").is_empty());

    // Every workspace: the topic is in two states, reported once, naming both.
    let (code, doc, err) = run_in(dir.path(), &["scan", "--all-workspaces"]);
    assert_eq!(code, 2, "{err}");
    let dup = of_kind(&doc, "duplicate_state");
    assert_eq!(dup.len(), 1, "{doc}");
    assert_eq!(dup[0]["type"], "google_pubsub_topic");
    let reason = dup[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("recorded in 2 states") && reason.contains("workspace dev"),
        "{reason}"
    );
    assert_eq!(
        dup[0]["import_id"],
        "projects/acme-data-dev/topics/pipeline-events"
    );
}

/// `--var-file` is read from the configuration directory by every command, as after
/// `terraform -chdir`: `scan`, `import` and `graph` agree on which file it is.
#[test]
fn var_files_are_read_from_the_configuration_directory_by_every_command() {
    let tmp = support::tempdir();
    let dir = tmp.path().join("infra");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "variable \"n\" {}\nresource \"terraform_data\" \"x\" {\n  count = var.n\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join("two.tfvars"), "n = 2\n").unwrap();
    std::fs::write(
        dir.join("inventory.json"),
        r#"{"version": 1, "complete": true, "resources": [], "errors": []}"#,
    )
    .unwrap();
    // Run from the parent directory: `two.tfvars` exists only relative to -C.
    for cmd in [
        &["graph", "--format", "json"][..],
        &["scan", "--format", "json"],
        &["import"],
    ] {
        let o = support::tfrecon()
            .current_dir(tmp.path())
            .arg("-C")
            .arg("infra")
            .args(cmd)
            .args(["--var-file", "two.tfvars"])
            .args(if cmd[0] == "graph" {
                &[][..]
            } else {
                &["--inventory", "infra/inventory.json"][..]
            })
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_ne!(o.status.code(), Some(1), "{cmd:?}: {err}");
        if cmd[0] == "graph" {
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(out.contains("terraform_data.x[1]"), "{out}");
        }
    }
    // A var file that is not there names where it was looked for.
    let o = support::tfrecon()
        .current_dir(tmp.path())
        .args(["-C", "infra", "scan", "--var-file", "infra/two.tfvars"])
        .args(["--inventory", "infra/inventory.json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("infra/infra/two.tfvars") && err.contains("terraform -chdir"),
        "{err}"
    );
}

/// A declared type the catalog cannot list is never a green result: it is named as
/// unchecked and the scan is incomplete (exit 3), until .tfreconignore accepts it.
#[test]
fn an_uncatalogued_type_makes_the_scan_incomplete_and_is_named() {
    let tmp = support::tempdir();
    let dir = tmp.path();
    std::fs::write(
        dir.join("main.tf"),
        "provider \"google\" {\n  project = \"p\"\n}\n\
         resource \"google_made_up_widget\" \"w\" {\n  name = \"w\"\n}\n\
         resource \"random_id\" \"suffix\" {\n  byte_length = 4\n}\n",
    )
    .unwrap();
    let snapshot = dir.join("assets.json");
    std::fs::write(
        &snapshot,
        r#"[{"name": "//cloudresourcemanager.googleapis.com/projects/42",
             "assetType": "cloudresourcemanager.googleapis.com/Project",
             "resource": {"data": {"projectId": "p", "projectNumber": "42"}}}]"#,
    )
    .unwrap();
    let scan = |format: &str| {
        let o = support::tfrecon()
            .arg("-C")
            .arg(dir)
            .args(["scan", "--format", format, "--inventory"])
            .arg(&snapshot)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    let (code, out) = scan("json");
    assert_eq!(code, Some(3), "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["complete"], false);
    assert_eq!(doc["summary"]["unchecked"], 1);
    let f = &doc["findings"][0];
    assert_eq!(f["kind"], "unchecked");
    assert_eq!(f["address"], "google_made_up_widget.w");
    assert_eq!(f["cause"], "type_not_covered");
    let (code, text) = scan("text");
    assert_eq!(code, Some(3));
    assert!(text.contains("google_made_up_widget.w"), "{text}");
    // The operator accepts the gap: the scan is complete again.
    std::fs::write(dir.join(".tfreconignore"), "type:google_made_up_widget\n").unwrap();
    let (code, out) = scan("json");
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn all_workspaces_names_what_it_skipped_and_is_incomplete() {
    let dir = support::tempdir();
    support::copy_dir(&example(), dir.path());
    // Not a name Terraform accepts for a workspace: never read, never a path.
    let odd = dir.path().join("terraform.tfstate.d/has space");
    std::fs::create_dir_all(&odd).unwrap();
    std::fs::write(odd.join("terraform.tfstate"), "{}").unwrap();
    let (code, doc, err) = run_in(dir.path(), &["scan", "--all-workspaces"]);
    assert_eq!(code, 3, "{err}");
    let errors = doc["errors"].to_string();
    assert!(
        errors.contains("\\\"has space\\\" is not a valid workspace name"),
        "{errors}"
    );
}
