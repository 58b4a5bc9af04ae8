//! Bad input and failing backends: every error says what is wrong and what to do, and exit
//! codes follow the contract (1 error, 3 part of the state unreadable).

use std::path::Path;

use crate::support::{self, Server};

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = support::tfrecon();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.arg("-C").arg(dir).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn with_state(content: &[u8]) -> tempfile::TempDir {
    let d = support::tempdir();
    std::fs::write(d.path().join("terraform.tfstate"), content).unwrap();
    d
}

#[test]
fn corrupt_json_names_line_and_column() {
    let d = with_state(b"{\n  \"version\": 4,\n  \"serial\": 1,\n  \"resources\": [\n    {\"mode\": \"managed\" \"type\": \"x\"}\n  ]\n}\n");
    let (code, out, err) = run(d.path(), &["state", "list"], &[]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert!(err.contains("terraform.tfstate: the state is not valid JSON: expected `,` or `}` at line 5, column 24"), "{err}");
}

#[test]
fn truncated_state_says_it_is_truncated() {
    let full =
        std::fs::read(support::repo().join("testdata/state/bad/one-bad-resource.tfstate")).unwrap();
    let d = with_state(&full[..full.len() / 2]);
    let (code, _, err) = run(d.path(), &["state", "list"], &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("looks truncated") && err.contains("terraform.tfstate.backup"),
        "{err}"
    );
}

#[test]
fn empty_file_is_no_state() {
    let d = with_state(b"");
    let (code, out, err) = run(d.path(), &["state", "list"], &[]);
    assert_eq!((code, out.as_str()), (0, ""));
    assert!(err.contains("has an empty state file"), "{err}");
    let (code, out, _) = run(d.path(), &["state", "workspaces"], &[]);
    assert_eq!(code, 0);
    assert!(out.contains("empty file"), "{out}");
}

#[test]
fn old_and_future_format_versions() {
    // Formats 1 to 3 are upgraded as Terraform upgrades them (tests/it/state_formats.rs).
    let d = with_state(br#"{"version": 0, "terraform_version": "0.5.3", "serial": 9}"#);
    let (code, _, err) = run(d.path(), &["state", "list"], &[]);
    assert_eq!(code, 1);
    assert!(err.contains("state format version 0 (terraform_version 0.5.3) was written by Terraform 0.5 or earlier"), "{err}");
    assert!(err.contains("with Terraform 0.6 to 0.11"), "{err}");
    let d = with_state(br#"{"version": 5, "terraform_version": "2.1.0"}"#);
    let (code, _, err) = run(d.path(), &["state", "list"], &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("format version 5 (written by Terraform 2.1.0)")
            && err.contains("upgrade tfrecon"),
        "{err}"
    );
}

#[test]
fn one_bad_resource_is_named_and_the_rest_listed() {
    let d = support::tempdir();
    let (code, out, err) = run(
        d.path(),
        &[
            "state",
            "list",
            "--state",
            support::repo()
                .join("testdata/state/bad/one-bad-resource.tfstate")
                .to_str()
                .unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 3, "incomplete: {err}");
    assert_eq!(out, "good.one\n");
    assert!(
        err.contains(
            "warning: broken.thing: an instance has the invalid instance key {\"not\":\"a key\"}"
        ),
        "{err}"
    );
}

#[test]
fn locked_local_state_is_informational() {
    let d = with_state(
        std::fs::read(support::repo().join("testdata/state/bad/one-bad-resource.tfstate"))
            .unwrap()
            .as_slice(),
    );
    std::fs::write(
        d.path().join(".terraform.tfstate.lock.info"),
        r#"{"ID":"abc","Operation":"OperationTypePlan","Who":"alice@laptop","Version":"1.15.5","Created":"2026-11-01T10:00:00Z","Path":"terraform.tfstate"}"#,
    )
    .unwrap();
    let (code, out, _) = run(d.path(), &["state", "workspaces"], &[]);
    assert_eq!(code, 3, "one resource is unreadable");
    assert!(out.contains("yes (alice@laptop)"), "{out}");
    assert!(
        out.contains("workspace \"default\" is locked by alice@laptop (OperationTypePlan)"),
        "{out}"
    );
}

#[test]
fn unsupported_backends_say_what_to_do() {
    let d = support::tempdir();
    std::fs::write(
        d.path().join("main.tf"),
        "terraform {\n  cloud {\n    organization = \"acme\"\n  }\n}\n",
    )
    .unwrap();
    let (code, _, err) = run(d.path(), &["state", "list"], &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("`cloud` block (main.tf:2:3)")
            && err.contains("not supported yet")
            && err.contains("terraform state pull"),
        "{err}"
    );
    std::fs::write(
        d.path().join("main.tf"),
        "terraform {\n  backend \"remote\" {\n    organization = \"acme\"\n  }\n}\n",
    )
    .unwrap();
    let (code, _, err) = run(d.path(), &["state", "list"], &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("\"remote\" backend") && err.contains("not supported yet"),
        "{err}"
    );
}

#[test]
fn hcl_syntax_error_in_backend_block_points_at_it() {
    let d = support::tempdir();
    std::fs::write(
        d.path().join("versions.tf"),
        "terraform {\n  backend \"s3\" {\n    bucket = \"x\n  }\n}\n",
    )
    .unwrap();
    let (code, _, err) = run(d.path(), &["state", "list"], &[]);
    assert_eq!(code, 1);
    assert!(err.contains("versions.tf:3:"), "{err}");
}

#[test]
fn missing_configuration_directory() {
    let (code, _, err) = run(Path::new("/nonexistent/config"), &["state", "list"], &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("/nonexistent/config") && err.contains("-C DIR"),
        "{err}"
    );
}

fn canned(status: u16, body: &str) -> Server {
    let port = support::free_port();
    let mut cmd = support::python();
    cmd.arg(support::repo().join("tests/py/canned_server.py"))
        .arg(port.to_string())
        .arg(status.to_string())
        .arg(body)
        .args(["--header", "Content-Type=application/xml"]);
    Server::start("canned server", cmd, port)
}

fn s3_env(server: &Server) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "secret".to_string()),
        ("AWS_REGION", "eu-west-1".to_string()),
        ("AWS_ENDPOINT_URL", server.url()),
    ]
}

fn run_s3(server: &Server, args: &[&str]) -> (i32, String, String) {
    let env = s3_env(server);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let d = support::tempdir();
    let mut all = vec!["state"];
    all.extend_from_slice(args);
    all.extend_from_slice(&[
        "--state",
        "s3://acme-tf-state/app/terraform.tfstate",
        "--backend-config",
        "use_path_style=true",
    ]);
    run(d.path(), &all, &env)
}

#[test]
fn s3_access_denied_names_the_permission() {
    let server = canned(403, "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
    let (code, _, err) = run_s3(&server, &["list"]);
    assert_eq!(code, 1);
    assert!(err.contains("access denied reading s3://acme-tf-state/app/terraform.tfstate: the credentials need the s3:GetObject permission"), "{err}");
    let (code, _, err) = run_s3(&server, &["workspaces"]);
    assert_eq!(code, 1);
    assert!(err.contains("s3:ListBucket"), "{err}");
}

#[test]
fn s3_expired_credentials() {
    let server = canned(400, "<?xml version=\"1.0\"?><Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>");
    let (code, _, err) = run_s3(&server, &["list"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("the AWS credentials have expired") && err.contains("aws sso login"),
        "{err}"
    );
}

#[test]
fn s3_without_any_credentials() {
    let d = support::tempdir();
    let (code, _, err) = run(
        d.path(),
        &[
            "state",
            "list",
            "--state",
            "s3://acme-tf-state/k.tfstate",
            "--backend-config",
            "region=eu-west-1",
            "--backend-config",
            "endpoints.s3=http://127.0.0.1:9",
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("no AWS credentials could be loaded") && err.contains("AWS_PROFILE"),
        "{err}"
    );
}

#[test]
fn s3_without_region() {
    let d = support::tempdir();
    let (code, _, err) = run(
        d.path(),
        &["state", "list", "--state", "s3://b/k.tfstate"],
        &[("AWS_ACCESS_KEY_ID", "x"), ("AWS_SECRET_ACCESS_KEY", "y")],
    );
    assert_eq!(code, 1);
    assert!(err.contains("needs a region"), "{err}");
}

#[test]
fn gcs_permission_and_credential_errors() {
    let server = canned(
        403,
        r#"{"error": {"code": 403, "message": "sa@p.iam.gserviceaccount.com does not have storage.objects.get access to the Google Cloud Storage object."}}"#,
    );
    let d = support::tempdir();
    let endpoint = format!("storage_custom_endpoint={}/storage/v1/", server.url());
    let (code, _, err) = run(
        d.path(),
        &[
            "state",
            "list",
            "--state",
            "gs://acme/state",
            "--backend-config",
            &endpoint,
        ],
        &[("GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.token")],
    );
    assert_eq!(code, 1);
    assert!(err.contains("access denied reading gs://acme/state/default.tfstate: the credentials need the storage.objects.get permission"), "{err}");
    let server = canned(
        401,
        r#"{"error": {"code": 401, "message": "Invalid Credentials"}}"#,
    );
    let endpoint = format!("storage_custom_endpoint={}/storage/v1/", server.url());
    let (code, _, err) = run(
        d.path(),
        &[
            "state",
            "workspaces",
            "--state",
            "gs://acme/state",
            "--backend-config",
            &endpoint,
        ],
        &[("GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.expired")],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("Google rejected the credentials (Invalid Credentials)")
            && err.contains("gcloud auth application-default login"),
        "{err}"
    );
}

#[test]
fn http_server_error_is_reported_with_status() {
    let server = canned(500, "database is down");
    let d = support::tempdir();
    let (code, _, err) = run(
        d.path(),
        &[
            "state",
            "list",
            "--state",
            &format!("{}/state", server.url()),
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("HTTP 500 Internal Server Error: database is down"),
        "{err}"
    );
}
