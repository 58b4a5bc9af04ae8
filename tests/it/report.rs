//! Report and import-plan emitters: golden files for every format from one hand-built report
//! with a finding of every kind and hostile names; import blocks loaded and planned by real
//! Terraform; the import script run against a recording fake `terraform`; SARIF checked
//! against the 2.1.0 schema's required properties.
//!
//! Golden files live in testdata/report/ and are compared byte for byte. After an intended
//! change of output, regenerate them with `TFRECON_BLESS=1 cargo test report::` and review the
//! diff like code: they are the user interface.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{json, Value};
use tfrecon::diff::{compare, Against, DiffOptions};
use tfrecon::findings::{
    Candidate, Finding, ImportEntry, ImportKind, ImportPlan, Kind, Report, SourceError,
    SourceLocation,
};
use tfrecon::report::{self, Format, PlanFormat};
use tfrecon::state::{AttrPath, PathStep, Sensitivity};

use crate::support::{python, repo, tempdir};

/// A string key with every character that needs care somewhere: a quote, a backslash, an
/// HCL template start, a pipe, a backtick, a single quote, spaces, a dollar and unicode.
pub const HOSTILE_KEY: &str = "a\"b\\c ${x} |p| `t` it's $HOME é 日本";

fn addr(s: &str) -> tfrecon::addr::ResourceInstance {
    s.parse()
        .unwrap_or_else(|e| panic!("test address {s} does not parse: {e}"))
}

fn hostile_address(prefix: &str) -> tfrecon::addr::ResourceInstance {
    addr(&format!(
        "{prefix}[{}]",
        tfrecon::addr::hcl_quote(HOSTILE_KEY)
    ))
}

/// The drift of a BigQuery table, computed by `diff::compare` from state and live attributes:
/// a schema change, a label change and a sensitive value.
fn table_drift() -> tfrecon::findings::Diff {
    let state = json!({
        "table_id": "events",
        "labels": {"env": "prod", "team": "data"},
        "schema": "[{\"name\":\"id\",\"type\":\"INTEGER\",\"mode\":\"REQUIRED\"},{\"name\":\"amount\",\"type\":\"NUMERIC\"},{\"name\":\"created\",\"type\":\"TIMESTAMP\"}]",
        "encryption_configuration": [{"kms_key_name": "projects/p/locations/eu/keyRings/r/cryptoKeys/k"}],
        "external_data_configuration": [{"connection_id": "conn-secret-1"}]
    });
    let live = json!({
        "table_id": "events",
        "labels": {"env": "dev", "team": "data"},
        "schema": "[{\"name\":\"id\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},{\"name\":\"amount\",\"type\":\"BIGNUMERIC\"},{\"name\":\"created\",\"type\":\"TIMESTAMP\"},{\"name\":\"note\",\"type\":\"STRING\"}]",
        "encryption_configuration": [{"kms_key_name": "projects/p/locations/eu/keyRings/r/cryptoKeys/k"}],
        "external_data_configuration": [{"connection_id": "conn-secret-2"}]
    });
    let mut o = DiffOptions::new(Against::State);
    o.json_attributes = vec!["schema".into()];
    o.sensitive = Sensitivity::Paths(vec![AttrPath(vec![
        PathStep::Attr("external_data_configuration".into()),
        PathStep::Index(0),
        PathStep::Attr("connection_id".into()),
    ])]);
    compare(&state, &live, &o)
}

fn policy_drift() -> tfrecon::findings::Diff {
    let state = json!({"bucket": "b", "policy_data": "{\"bindings\":[{\"role\":\"roles/storage.objectViewer\",\"members\":[\"group:data@example.com\"]}]}"});
    let live = json!({"bucket": "b", "policy_data": "{\"etag\":\"CAE=\",\"bindings\":[{\"members\":[\"allUsers\",\"group:data@example.com\"],\"role\":\"roles/storage.objectViewer\"}]}"});
    let mut o = DiffOptions::new(Against::State);
    o.json_attributes = vec!["policy_data".into()];
    compare(&state, &live, &o)
}

pub fn sample_report() -> Report {
    let mut findings = Vec::new();

    let mut f = Finding::new(Kind::Untracked);
    f.address = Some(addr(
        r#"module.jobs["quality-check"].google_cloud_scheduler_job.this[0]"#,
    ));
    f.tf_type = Some("google_cloud_scheduler_job".into());
    f.import_id = Some("projects/acme-data/locations/europe-west1/jobs/quality-check".into());
    f.live_name = Some(
        "//cloudscheduler.googleapis.com/projects/acme-data/locations/europe-west1/jobs/quality-check"
            .into(),
    );
    f.location = Some(SourceLocation {
        file: "modules/jobs/main.tf".into(),
        line: 12,
        column: 1,
    });
    findings.push(f);

    let mut f = Finding::new(Kind::Untracked);
    f.address = Some(hostile_address("google_storage_bucket.raw"));
    f.tf_type = Some("google_storage_bucket".into());
    f.import_id = Some("acme|raw `bucket`".into());
    f.location = Some(SourceLocation {
        file: "storage buckets/main.tf".into(),
        line: 3,
        column: 1,
    });
    findings.push(f);

    let mut f = Finding::new(Kind::Drifted);
    f.address = Some(addr("google_bigquery_table.events"));
    f.tf_type = Some("google_bigquery_table".into());
    f.import_id = Some("projects/acme-data/datasets/analytics/tables/events".into());
    f.state = Some("gs://acme-tf-state/data/staging.tfstate".into());
    f.diff = Some(table_drift());
    f.location = Some(SourceLocation {
        file: "bigquery.tf".into(),
        line: 40,
        column: 1,
    });
    findings.push(f);

    let mut f = Finding::new(Kind::Drifted);
    f.address = Some(addr(r#"google_storage_bucket_iam_policy.public["raw"]"#));
    f.tf_type = Some("google_storage_bucket_iam_policy".into());
    f.import_id = Some("b".into());
    f.diff = Some(policy_drift());
    findings.push(f);

    let mut f = Finding::new(Kind::Unmanaged);
    f.suggested_address = Some(addr("aws_s3_bucket.acme_logs_2024"));
    f.tf_type = Some("aws_s3_bucket".into());
    f.import_id = Some("acme-logs-2024".into());
    f.live_name = Some("arn:aws:s3:::acme-logs-2024".into());
    findings.push(f);

    let mut f = Finding::new(Kind::Missing);
    f.address = Some(addr("aws_sqs_queue.jobs"));
    f.tf_type = Some("aws_sqs_queue".into());
    f.import_id = Some("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs".into());
    f.state = Some("s3://acme-tf-state/prod/terraform.tfstate".into());
    findings.push(f);

    let mut f = Finding::new(Kind::Orphaned);
    f.address = Some(addr("module.old.aws_iam_role.ci"));
    f.tf_type = Some("aws_iam_role".into());
    f.import_id = Some("ci".into());
    f.reason = Some("module \"old\" was removed from the configuration; no `removed` block".into());
    findings.push(f);

    let mut f = Finding::new(Kind::Ambiguous);
    f.address = Some(addr("google_compute_instance.web[1]"));
    f.tf_type = Some("google_compute_instance".into());
    f.reason = Some("two live instances carry the name web-1 in different zones".into());
    f.candidates = vec![
        Candidate {
            live_name: "projects/acme/zones/europe-west1-b/instances/web-1".into(),
            import_id: Some("projects/acme/zones/europe-west1-b/instances/web-1".into()),
            why: "name = \"web-1\"".into(),
        },
        Candidate {
            live_name: "projects/acme/zones/europe-west1-c/instances/web-1".into(),
            import_id: Some("projects/acme/zones/europe-west1-c/instances/web-1".into()),
            why: "name = \"web-1\"".into(),
        },
    ];
    findings.push(f);

    let mut f = Finding::new(Kind::EmptyState);
    f.state = Some("gs://acme-tf-state/data/staging.tfstate".into());
    f.reason = Some(
        "workspace \"staging\" has no state while 14 declared resources exist live; workspace \"default\" holds 14"
            .into(),
    );
    findings.push(f);

    let mut f = Finding::new(Kind::BackendMismatch);
    f.reason = Some(
        "backend \"gcs\": bucket is \"acme-tf-state\" in the configuration but \"acme-tf-state-old\" in .terraform/terraform.tfstate"
            .into(),
    );
    findings.push(f);

    let mut f = Finding::new(Kind::PublicAccess);
    f.address = Some(addr(r#"google_storage_bucket_iam_policy.public["raw"]"#));
    f.tf_type = Some("google_storage_bucket_iam_policy".into());
    f.reason = Some("role roles/storage.objectViewer is granted to allUsers".into());
    findings.push(f);

    let mut f = Finding::new(Kind::DuplicateState);
    f.address = Some(addr("aws_s3_bucket.shared"));
    f.tf_type = Some("aws_s3_bucket".into());
    f.import_id = Some("acme-shared".into());
    f.reason = Some(
        "also in s3://acme-tf-state/network/terraform.tfstate as aws_s3_bucket.shared_assets"
            .into(),
    );
    findings.push(f);

    let counted = BTreeMap::from([(Kind::InSync, 12), (Kind::Pending, 4)]);
    let errors = vec![
        SourceError {
            source: "gcp projects/acme-data sqladmin.googleapis.com/Instance".into(),
            reason: "permission denied (403): cloudasset.assets.listResource".into(),
        },
        SourceError {
            source: "aws 123456789012 eu-west-1 aws_ecs_service".into(),
            reason: "AccessDenied: ecs:ListClusters <script>|`x`".into(),
        },
    ];
    Report::new(findings, &counted, 2, errors, Some("staging".into()))
}

/// Imports for the golden files: declared and undeclared, hostile keys.
fn sample_plan() -> ImportPlan {
    ImportPlan {
        workspace: "staging".into(),
        imports: vec![
            ImportEntry {
                address: addr(r#"module.jobs["quality-check"].google_cloud_scheduler_job.this[0]"#),
                id: "projects/acme-data/locations/europe-west1/jobs/quality-check".into(),
                tf_type: "google_cloud_scheduler_job".into(),
                kind: ImportKind::Untracked,
                live_name: None,
            },
            ImportEntry {
                address: hostile_address("google_storage_bucket.raw"),
                id: "acme|raw `bucket` ${x} %{y} it's".into(),
                tf_type: "google_storage_bucket".into(),
                kind: ImportKind::Untracked,
                live_name: None,
            },
            ImportEntry {
                address: addr("aws_s3_bucket.acme_logs_2024"),
                id: "acme-logs-2024".into(),
                tf_type: "aws_s3_bucket".into(),
                kind: ImportKind::Unmanaged,
                live_name: Some("arn:aws:s3:::acme-logs-2024".into()),
            },
        ],
    }
}

fn golden_dir() -> PathBuf {
    repo().join("testdata/report")
}

fn golden(name: &str, got: &str) {
    crate::support::golden(&golden_dir().join(name), got);
}

fn render(format: Format, color: bool) -> String {
    let mut out = Vec::new();
    report::write(&sample_report(), format, color, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn render_plan(format: PlanFormat, plan: &ImportPlan) -> String {
    let mut out = Vec::new();
    report::write_plan(plan, format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn golden_text() {
    golden("report.txt", &render(Format::Text, false));
}

#[test]
fn golden_text_colour() {
    let coloured = render(Format::Text, true);
    assert!(coloured.contains("\u{1b}["), "colour was asked for");
    golden("report.color.txt", &coloured);
    // Without its escape sequences the coloured report is the plain one.
    let mut plain = String::new();
    let mut chars = coloured.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    assert_eq!(plain, render(Format::Text, false));
}

#[test]
fn golden_json() {
    let text = render(Format::Json, false);
    golden("report.json", &text);
    // It is the report itself: it reads back into the same value.
    let back: Report = serde_json::from_str(&text).unwrap();
    assert_eq!(back, sample_report());
    let v: Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "version",
            "complete",
            "summary",
            "findings",
            "errors",
            "workspace"
        ]
    );
}

#[test]
fn golden_markdown() {
    golden("report.md", &render(Format::Markdown, false));
}

#[test]
fn golden_sarif() {
    golden("report.sarif", &render(Format::Sarif, false));
}

#[test]
fn golden_import_plans() {
    let plan = sample_plan();
    golden("imports.tf", &render_plan(PlanFormat::Blocks, &plan));
    golden("imports.sh", &render_plan(PlanFormat::Script, &plan));
    let json = render_plan(PlanFormat::Json, &plan);
    golden("imports.json", &json);
    assert_eq!(serde_json::from_str::<ImportPlan>(&json).unwrap(), plan);
}

#[test]
fn no_output_format_shows_a_sensitive_value() {
    for format in [Format::Text, Format::Json, Format::Markdown, Format::Sarif] {
        let out = render(format, false);
        for secret in ["conn-secret-1", "conn-secret-2"] {
            assert!(!out.contains(secret), "{format:?} shows {secret}");
        }
    }
    let text = render(Format::Text, false);
    assert!(
        text.contains("~ external_data_configuration[0].connection_id: (sensitive) -> (sensitive)")
    );
}

#[test]
fn text_report_names_schema_columns_and_sums_up() {
    let text = render(Format::Text, false);
    assert!(
        text.contains("column \"amount\" type NUMERIC -> BIGNUMERIC"),
        "{text}"
    );
    assert!(text.contains("column \"note\" added"));
    assert!(text.contains("member \"allUsers\" added to role \"roles/storage.objectViewer\""));
    assert!(text.trim_end().ends_with(
        "workspace staging: 1 empty state, 1 backend mismatch, 2 untracked, 2 drifted, 1 missing, \
         1 orphaned, 1 ambiguous, 1 duplicate state, 1 public access, 1 unmanaged, 12 in sync, \
         4 pending (2 ignored) — incomplete: 2 sources could not be read"
    ));
}

#[test]
fn markdown_table_rows_keep_their_cells() {
    let md = render(Format::Markdown, false);
    // Every table row has as many unescaped pipes as its header: hostile names split nothing.
    let mut header_cells = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            header_cells = None;
            continue;
        }
        let cells = count_unescaped_pipes(line);
        match header_cells {
            None => header_cells = Some(cells),
            Some(n) => assert_eq!(cells, n, "row splits differently from its header: {line}"),
        }
    }
    assert!(!md.contains("<script>"), "HTML from a resource is escaped");
}

fn count_unescaped_pipes(line: &str) -> usize {
    let mut n = 0;
    let mut prev_backslash = false;
    for c in line.chars() {
        if c == '|' && !prev_backslash {
            n += 1;
        }
        prev_backslash = c == '\\' && !prev_backslash;
    }
    n
}

// --- SARIF -------------------------------------------------------------------------------

/// The properties the SARIF 2.1.0 schema (OASIS, errata 01) requires of each object we emit,
/// its enumerations, and the cross-references the specification requires (§3.27.5 ruleId and
/// ruleIndex name the same rule).
fn check_sarif(doc: &Value) {
    let obj = |v: &Value, what: &str| -> serde_json::Map<String, Value> {
        v.as_object()
            .unwrap_or_else(|| panic!("{what} is not an object: {v}"))
            .clone()
    };
    let text_message = |v: &Value, what: &str| {
        let m = obj(v, what);
        assert!(
            m.get("text").is_some_and(Value::is_string)
                || m.get("id").is_some_and(Value::is_string),
            "{what} needs text or id"
        );
    };
    let log = obj(doc, "sarifLog");
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"]
        .as_str()
        .unwrap()
        .ends_with("sarif-schema-2.1.0.json"));
    for k in log.keys() {
        assert!(
            [
                "$schema",
                "version",
                "runs",
                "inlineExternalProperties",
                "properties"
            ]
            .contains(&k.as_str()),
            "sarifLog allows no property {k}"
        );
    }
    let runs = log["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1);
    let run = obj(&runs[0], "run");
    let driver = obj(&run["tool"]["driver"], "tool.driver");
    assert_eq!(driver["name"], "tfrecon");
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    let mut rule_ids = Vec::new();
    for r in rules {
        let r = obj(r, "reportingDescriptor");
        let id = r["id"].as_str().expect("rule id");
        assert!(id.starts_with("TFR"));
        rule_ids.push(id.to_string());
        assert!(r["name"]
            .as_str()
            .unwrap()
            .chars()
            .all(char::is_alphanumeric));
        text_message(&r["shortDescription"], "shortDescription");
        text_message(&r["help"], "help");
        assert!(["none", "note", "warning", "error"]
            .contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let mut sorted = rule_ids.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), rule_ids.len(), "rule ids are unique");
    for inv in run["invocations"].as_array().unwrap() {
        assert!(inv["executionSuccessful"].is_boolean());
        for n in inv["toolExecutionNotifications"]
            .as_array()
            .into_iter()
            .flatten()
        {
            text_message(&n["message"], "notification.message");
        }
    }
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().unwrap();
    let mut fingerprints = Vec::new();
    for r in results {
        let r = obj(r, "result");
        text_message(&r["message"], "result.message");
        let rule_id = r["ruleId"].as_str().unwrap();
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], rule_id, "ruleIndex names ruleId's rule");
        assert!(["none", "note", "warning", "error"].contains(&r["level"].as_str().unwrap()));
        let locations = r["locations"].as_array().unwrap();
        assert!(!locations.is_empty());
        for l in locations {
            let l = obj(l, "location");
            if let Some(p) = l.get("physicalLocation") {
                let uri = p["artifactLocation"]["uri"].as_str().unwrap();
                // A relative reference: no scheme, no leading slash, nothing left to encode.
                assert!(
                    !uri.contains(':') && !uri.starts_with('/') && !uri.contains(' '),
                    "{uri}"
                );
                assert!(p["region"]["startLine"].as_u64().unwrap() >= 1);
                assert!(p["region"]["startColumn"].as_u64().unwrap() >= 1);
            }
            let logical = l["logicalLocations"].as_array().unwrap();
            assert!(logical[0]["fullyQualifiedName"].is_string());
        }
        let fp = obj(&r["partialFingerprints"], "partialFingerprints");
        assert!(fp.values().all(Value::is_string));
        fingerprints.push(fp["tfrecon/v1"].as_str().unwrap().to_string());
    }
    let n = fingerprints.len();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), n, "one fingerprint per finding");
}

#[test]
fn sarif_has_the_required_structure() {
    let doc: Value = serde_json::from_str(&render(Format::Sarif, false)).unwrap();
    check_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), sample_report().findings.len());
    let untracked = &results
        .iter()
        .find(|r| r["ruleId"] == Kind::Untracked.code())
        .unwrap();
    assert_eq!(untracked["level"], "error");
    let uris: Vec<&str> = results
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"storage%20buckets/main.tf"), "{uris:?}");
    assert_eq!(
        doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn sarif_fingerprints_are_stable_across_runs_and_order() {
    let a: Value = serde_json::from_str(&render(Format::Sarif, false)).unwrap();
    let mut r = sample_report();
    r.findings.reverse();
    let r = Report::new(r.findings, &BTreeMap::new(), 0, r.errors, None);
    let mut out = Vec::new();
    report::write(&r, Format::Sarif, false, &mut out).unwrap();
    let b: Value = serde_json::from_slice(&out).unwrap();
    let fps = |v: &Value| -> Vec<Value> {
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    assert_eq!(fps(&a), fps(&b));
}

// --- import plans with real Terraform and a fake one ---------------------------------------

/// A plan over `terraform_data` resources (real Terraform plans them offline) at every kind of
/// address: root, count, for_each with hostile keys, nested modules with keys.
fn terraform_data_plan() -> ImportPlan {
    let entry = |a: tfrecon::addr::ResourceInstance, id: &str| ImportEntry {
        address: a,
        id: id.into(),
        tf_type: "terraform_data".into(),
        kind: ImportKind::Untracked,
        live_name: None,
    };
    ImportPlan {
        workspace: "default".into(),
        imports: vec![
            entry(addr("terraform_data.plain"), "plain-id"),
            entry(
                addr("terraform_data.counted[1]"),
                "id with spaces and 'quotes'",
            ),
            entry(
                hostile_address("terraform_data.keyed"),
                "${not_interpolated} %{if x}",
            ),
            entry(
                addr(r#"terraform_data.keyed["simple"]"#),
                "back\\slash \"dq\" $HOME `cmd`",
            ),
            entry(
                addr(r#"module.jobs["quality-check"].terraform_data.this[0]"#),
                "projects/p/locations/europe-west1/jobs/quality-check",
            ),
            entry(
                addr(r#"module.svc[1].module.inner["k|ey"].terraform_data.x"#),
                "日本語 id\twith tab",
            ),
            ImportEntry {
                kind: ImportKind::Unmanaged,
                live_name: Some("some live thing".into()),
                ..entry(addr("terraform_data.adopted"), "adopted-1")
            },
        ],
    }
}

/// The configuration declaring every address of [`terraform_data_plan`].
fn write_config(dir: &std::path::Path) {
    let hostile = tfrecon::addr::hcl_quote(HOSTILE_KEY);
    std::fs::write(
        dir.join("main.tf"),
        format!(
            r#"resource "terraform_data" "plain" {{}}

resource "terraform_data" "counted" {{
  count = 2
}}

resource "terraform_data" "keyed" {{
  for_each = toset([{hostile}, "simple"])
}}

resource "terraform_data" "adopted" {{}}

module "jobs" {{
  source   = "./jobs"
  for_each = toset(["quality-check"])
}}

module "svc" {{
  source = "./svc"
  count  = 2
}}
"#
        ),
    )
    .unwrap();
    for (m, body) in [
        (
            "jobs",
            "resource \"terraform_data\" \"this\" {\n  count = 1\n}\n".to_string(),
        ),
        (
            "svc",
            "module \"inner\" {\n  source   = \"./inner\"\n  for_each = toset([\"k|ey\"])\n}\n"
                .to_string(),
        ),
        (
            "svc/inner",
            "resource \"terraform_data\" \"x\" {}\n".to_string(),
        ),
    ] {
        std::fs::create_dir_all(dir.join(m)).unwrap();
        std::fs::write(dir.join(m).join("main.tf"), body).unwrap();
    }
}

#[test]
fn import_blocks_are_planned_by_real_terraform_at_the_exact_addresses() {
    let plan = terraform_data_plan();
    let dir = tempdir();
    write_config(dir.path());
    std::fs::write(
        dir.path().join("imports.tf"),
        render_plan(PlanFormat::Blocks, &plan),
    )
    .unwrap();
    let out = python()
        .arg(repo().join("tests/py/report_import_blocks.py"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "report_import_blocks.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    // `terraform fmt -check` found nothing to change.
    assert_eq!(got["fmt_changed"], json!([]), "{got}");
    // The root module Terraform parsed declares the root resources we import to.
    let declared: Vec<&str> = got["declared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for e in &plan.imports {
        if e.address.module.0.is_empty() {
            let r = e.address.abs_resource().resource.to_string();
            assert!(declared.contains(&r.as_str()), "{r} not in {declared:?}");
        }
    }
    // The plan imports exactly these instances with exactly these IDs.
    let mut planned: Vec<(String, String)> = got["imports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    planned.sort();
    let mut want: Vec<(String, String)> = plan
        .imports
        .iter()
        .map(|e| (e.address.to_string(), e.id.clone()))
        .collect();
    want.sort();
    assert_eq!(planned, want);
}

#[test]
fn import_script_runs_every_import_once_with_exact_arguments() {
    let plan = terraform_data_plan();
    let dir = tempdir();
    let present = plan.imports[2].address.to_string();
    let (out, calls) = crate::support::run_with_fake_terraform(
        dir.path(),
        &render_plan(PlanFormat::Script, &plan),
        &[("FAKE_TF_PRESENT", &present)],
    );
    assert!(
        out.status.success(),
        "the script failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(calls[0], ["workspace", "select", "default"]);
    let mut want: Vec<Vec<String>> = Vec::new();
    for e in &plan.imports {
        let a = e.address.to_string();
        want.push(vec!["state".into(), "show".into(), a.clone()]);
        if a != present {
            want.push(vec!["import".into(), a, e.id.clone()]);
        }
    }
    assert_eq!(calls[1..], want[..]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("already in state, skipped"));
}

#[test]
fn import_script_stops_at_the_first_failed_import() {
    let plan = terraform_data_plan();
    let dir = tempdir();
    let failing = plan.imports[1].address.to_string();
    let (out, calls) = crate::support::run_with_fake_terraform(
        dir.path(),
        &render_plan(PlanFormat::Script, &plan),
        &[("FAKE_TF_FAIL", &failing)],
    );
    assert!(!out.status.success(), "set -e stops the script");
    let last = calls.last().unwrap();
    assert_eq!(
        *last,
        ["import", failing.as_str(), plan.imports[1].id.as_str()]
    );
}

// --- `tfrecon render` ----------------------------------------------------------------------

fn tfrecon() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("tfrecon").unwrap();
    c.env_remove("NO_COLOR").arg("--color").arg("never");
    c
}

fn saved(dir: &std::path::Path, name: &str, value: &impl serde::Serialize) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string(value).unwrap()).unwrap();
    p
}

#[test]
fn render_writes_a_saved_report_in_every_format() {
    let dir = tempdir();
    let input = saved(dir.path(), "report.json", &sample_report());
    for (format, golden_file) in [
        ("text", "report.txt"),
        ("json", "report.json"),
        ("markdown", "report.md"),
        ("sarif", "report.sarif"),
    ] {
        // A configuration directory without .tf files: SARIF gets no fallback file.
        let out = tfrecon()
            .arg("-C")
            .arg(dir.path())
            .args(["render", "--format", format])
            .arg(&input)
            .output()
            .unwrap();
        // The sample report is incomplete: exit 3 even though it has findings.
        assert_eq!(
            out.status.code(),
            Some(3),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let want = std::fs::read_to_string(golden_dir().join(golden_file)).unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), want, "{format}");
    }
}

#[test]
fn render_sarif_gives_every_result_a_file_for_code_scanning() {
    let dir = tempdir();
    let input = saved(dir.path(), "report.json", &sample_report());
    let cfg = dir.path().join("cfg");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("versions.tf"), "").unwrap();
    std::fs::write(cfg.join("b.tf"), "").unwrap();
    let out = tfrecon()
        .arg("-C")
        .arg(&cfg)
        .args(["render", "--format", "sarif"])
        .arg(&input)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    check_sarif(&doc);
    for r in doc["runs"][0]["results"].as_array().unwrap() {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_else(|| panic!("no physical location: {r}"));
        if r["ruleId"] == Kind::Unmanaged.code() {
            assert_eq!(uri, "b.tf", "the first .tf file when there is no main.tf");
        }
    }
    let out = tfrecon()
        .args([
            "render",
            "--format",
            "sarif",
            "--sarif-fallback-file",
            "infra/main.tf",
        ])
        .arg(&input)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let missing = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == Kind::Missing.code())
        .unwrap();
    assert_eq!(
        missing["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/main.tf"
    );
}

#[test]
fn render_reads_standard_input_and_exits_by_outcome() {
    let mut complete = sample_report();
    complete.errors.clear();
    complete.complete = true;
    tfrecon()
        .args(["render", "--format", "json", "-"])
        .write_stdin(serde_json::to_string(&complete).unwrap())
        .assert()
        .code(2);
    let empty = Report::new(
        vec![],
        &BTreeMap::from([(Kind::InSync, 3)]),
        0,
        vec![],
        None,
    );
    tfrecon()
        .args(["render", "-"])
        .write_stdin(serde_json::to_string(&empty).unwrap())
        .assert()
        .code(0)
        .stdout("3 in sync\n");
}

#[test]
fn render_applies_an_ignore_file_and_recounts() {
    let dir = tempdir();
    let input = saved(dir.path(), "report.json", &sample_report());
    let ignore = dir.path().join("ci.tfreconignore");
    std::fs::write(
        &ignore,
        "# the IAM policy's drift is tracked elsewhere\nattr:google_storage_bucket_iam_policy.policy_data\ntype:aws_*\n!address:aws_sqs_queue.jobs\n",
    )
    .unwrap();
    let out = tfrecon()
        .args(["render", "--format", "json", "--ignore-file"])
        .arg(&ignore)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    // aws_s3_bucket.acme_logs_2024, aws_s3_bucket.shared and module.old.aws_iam_role.ci are
    // ignored; aws_sqs_queue.jobs is taken back by the negation; the policy's only change is
    // ignored, so it is in sync.
    assert_eq!(r.summary["ignored"], 2 + 3);
    assert_eq!(r.summary["in_sync"], 12 + 1);
    assert_eq!(r.summary["drifted"], 1);
    assert_eq!(r.summary["missing"], 1);
    assert!(!r.summary.contains_key("unmanaged"));
    assert!(r.findings.iter().all(|f| f
        .tf_type
        .as_deref()
        .is_none_or(|t| !t.starts_with("aws_") || t == "aws_sqs_queue")));
}

#[test]
fn render_writes_plans_and_refuses_mismatched_formats() {
    let dir = tempdir();
    let plan = saved(dir.path(), "plan.json", &sample_plan());
    for (format, golden_file) in [
        ("blocks", "imports.tf"),
        ("script", "imports.sh"),
        ("json", "imports.json"),
    ] {
        let out = tfrecon()
            .args(["render", "--format", format])
            .arg(&plan)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let want = std::fs::read_to_string(golden_dir().join(golden_file)).unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), want, "{format}");
    }
    tfrecon()
        .args(["render", "--format", "sarif"])
        .arg(&plan)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "is an import plan: render it as blocks, script or json",
        ));
    let report = saved(dir.path(), "report.json", &sample_report());
    tfrecon()
        .args(["render", "--format", "blocks"])
        .arg(&report)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "is a report: blocks and script are made from an import plan",
        ));
    let bad = dir.path().join(".tfreconignore");
    std::fs::write(&bad, "typ:x\n").unwrap();
    tfrecon()
        .args(["render", "--ignore-file"])
        .arg(&bad)
        .arg(&report)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            ".tfreconignore:1: unknown scope `typ:`",
        ));
}
