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

// ---------------------------------------------------------------------------------------------
// A bad day at the state backend: tests/py/fault_server.py answers as a failing, stalling or
// truncating endpoint would. An unreadable state is an error for its workspace, never "no
// state"; every wait is bounded; no credential reaches any message.

use std::collections::BTreeMap;
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use tfrecon::backend::{Backend, Timeouts};
use tfrecon::state::survey::{self, WorkspaceState};

/// tests/py/fault_server.py on a free port, with a request log.
pub(crate) struct FaultServer {
    pub server: Server,
    _dir: tempfile::TempDir,
}

impl FaultServer {
    pub fn start(routes: Value) -> FaultServer {
        let dir = support::tempdir();
        let cfg = dir.path().join("routes.json");
        std::fs::write(
            &cfg,
            serde_json::to_vec(&json!({ "routes": routes })).unwrap(),
        )
        .unwrap();
        let port = support::free_port();
        let mut cmd: Command = support::python();
        cmd.arg(support::repo().join("tests/py/fault_server.py"))
            .args(["--port", &port.to_string(), "--config"])
            .arg(&cfg);
        FaultServer {
            server: Server::start("fault_server", cmd, port),
            _dir: dir,
        }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Every request the server saw, in order.
    pub fn log(&self) -> Vec<Value> {
        let out = support::python()
            .args([
                "-c",
                &format!(
                    "import urllib.request,sys;sys.stdout.write(urllib.request.urlopen('{}/_log').read().decode())",
                    self.url()
                ),
            ])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).expect("the fault server's request log")
    }
}

/// A generous bound that only catches a hang: every wait under test is a second or two.
const HANG: Duration = Duration::from_secs(60);

fn short_timeouts() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(2),
        read: Duration::from_secs(1),
    }
}

fn http_settings(url: &str) -> BTreeMap<String, Value> {
    [("address".to_string(), json!(url))].into()
}

/// Reads the default workspace of an http backend through the library, bounded by `HANG`.
async fn read_http(settings: BTreeMap<String, Value>) -> WorkspaceState {
    let dir = support::tempdir();
    let backend = Backend::open_with("http", &settings, dir.path(), short_timeouts())
        .await
        .expect("open the http backend");
    tokio::time::timeout(HANG, survey::read(&backend, "default"))
        .await
        .expect("the read finished instead of hanging")
}

fn unreadable_reason(state: WorkspaceState) -> String {
    match state {
        WorkspaceState::Unreadable(u) => u.to_string(),
        WorkspaceState::Missing => panic!("an unreadable state was reported as missing"),
        WorkspaceState::Empty { .. } => panic!("an unreadable state was reported as empty"),
        WorkspaceState::Present { .. } => panic!("an unreadable state was reported as present"),
    }
}

const STATE: &str = r#"{"version":4,"terraform_version":"1.15.5","serial":2,"lineage":"l","outputs":{},"resources":[{"mode":"managed","type":"terraform_data","name":"a","provider":"provider[\"terraform.io/builtin/terraform\"]","instances":[{"schema_version":0,"attributes":{"id":"x"}}]}]}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_state_that_cannot_be_read_is_unreadable_and_only_404_is_missing() {
    let cut = &STATE[..STATE.len() - 40];
    let server = FaultServer::start(json!([
        {"path": "/s401", "responses": [{"status": 401}]},
        {"path": "/s403", "responses": [{"status": 403}]},
        {"path": "/s500", "responses": [{"status": 500, "body": "backend database is down"}]},
        {"path": "/short", "responses": [{"status": 200, "body": STATE, "truncate": 100}]},
        {"path": "/cut", "responses": [{"status": 200, "body": cut}]},
        {"path": "/md5", "responses": [{"status": 200, "body": STATE, "headers": {"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}}]},
        {"path": "/hang", "responses": [{"hang": true}]},
        {"path": "/stall", "responses": [{"status": 200, "body": STATE, "stallBody": 50}]},
        {"path": "/none", "responses": [{"status": 404}]},
        {"path": "/nocontent", "responses": [{"status": 204}]},
        {"path": "/ok", "responses": [{"status": 200, "body": STATE}]}
    ]));
    let read = |path: &str| read_http(http_settings(&format!("{}{path}", server.url())));

    let r = unreadable_reason(read("/s401").await);
    assert!(
        r.contains("answered 401 Unauthorized") && r.contains("TF_HTTP_USERNAME"),
        "{r}"
    );
    let r = unreadable_reason(read("/s403").await);
    assert!(r.contains("access denied") && r.contains("403"), "{r}");
    let r = unreadable_reason(read("/s500").await);
    assert!(
        r.contains("HTTP 500 Internal Server Error: backend database is down"),
        "{r}"
    );
    let r = unreadable_reason(read("/short").await);
    assert!(r.contains("the download was cut off"), "{r}");
    let r = unreadable_reason(read("/cut").await);
    assert!(r.contains("truncated"), "{r}");
    let r = unreadable_reason(read("/md5").await);
    assert!(r.contains("Content-MD5"), "{r}");
    let r = unreadable_reason(read("/hang").await);
    assert!(
        r.contains(&format!("{} did not answer within 1 s", server.url()))
            && r.contains("TFRECON_READ_TIMEOUT"),
        "{r}"
    );
    let r = unreadable_reason(read("/stall").await);
    assert!(
        r.contains("stopped sending the state within 1 s") && r.contains(&server.url()),
        "{r}"
    );
    assert!(matches!(read("/none").await, WorkspaceState::Missing));
    assert!(matches!(read("/nocontent").await, WorkspaceState::Missing));
    assert_eq!(read("/ok").await.instance_count(), 1);
    // Each read was one request: nothing retried a failure into a success or a "missing".
    let log = server.log();
    assert_eq!(log.iter().filter(|e| e["path"] == "/s500").count(), 1);
}

/// A listener whose accept queue is full (tests/py/fault_server.py --no-accept): connecting to
/// it never completes. Killed when dropped.
struct NoAccept {
    child: std::process::Child,
    port: u16,
}

impl NoAccept {
    fn start() -> NoAccept {
        use std::io::BufRead;
        let port = support::free_port();
        let mut child = support::python()
            .arg(support::repo().join("tests/py/fault_server.py"))
            .args(["--port", &port.to_string(), "--no-accept"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start fault_server.py --no-accept");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready");
        NoAccept { child, port }
    }
}

impl Drop for NoAccept {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_that_accepts_no_connection_is_a_connect_timeout() {
    let listener = NoAccept::start();
    let endpoint = format!("http://127.0.0.1:{}", listener.port);
    let settings = http_settings(&format!("{endpoint}/state"));
    let dir = support::tempdir();
    let backend = Backend::open_with(
        "http",
        &settings,
        dir.path(),
        Timeouts {
            connect: Duration::from_secs(1),
            read: Duration::from_secs(30),
        },
    )
    .await
    .unwrap();
    let state = tokio::time::timeout(HANG, survey::read(&backend, "default"))
        .await
        .expect("no hang");
    let r = unreadable_reason(state);
    assert!(
        r.contains(&format!("{endpoint} accepted no connection within 1 s"))
            && r.contains("TFRECON_CONNECT_TIMEOUT"),
        "{r}"
    );
}

#[test]
fn a_stalled_http_backend_fails_with_the_endpoint_and_timeout_instead_of_hanging() {
    let server = FaultServer::start(json!([{"path": "/state", "responses": [{"hang": true}]}]));
    let d = support::tempdir();
    let o = support::tfrecon()
        .env("TFRECON_READ_TIMEOUT", "1")
        .arg("-C")
        .arg(d.path())
        .args([
            "state",
            "list",
            "--state",
            &format!("{}/state", server.url()),
        ])
        .timeout(HANG)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{} did not answer within 1 s", server.url()))
            && err.contains("TFRECON_READ_TIMEOUT=SECONDS"),
        "{err}"
    );
    let o = support::tfrecon()
        .env("TFRECON_READ_TIMEOUT", "soon")
        .arg("-C")
        .arg(d.path())
        .args([
            "state",
            "list",
            "--state",
            &format!("{}/state", server.url()),
        ])
        .timeout(HANG)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("TFRECON_READ_TIMEOUT=\"soon\" is not a number of seconds"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_stalled_s3_endpoint_fails_with_the_endpoint_and_timeout() {
    let server = FaultServer::start(json!([
        {"method": "GET", "query": {"list-type": "2"}, "responses": [{"hang": true}]},
        {"method": "GET", "responses": [{"status": 200, "body": STATE, "stallBody": 20}]}
    ]));
    let d = support::tempdir();
    let run = |cmd: &str| {
        support::tfrecon()
            .env("TFRECON_READ_TIMEOUT", "1")
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .env("AWS_REGION", "eu-west-1")
            .env("AWS_ENDPOINT_URL", server.url())
            .arg("-C")
            .arg(d.path())
            .args(["state", cmd, "--state", "s3://acme/app/terraform.tfstate"])
            .args(["--backend-config", "use_path_style=true"])
            .timeout(HANG)
            .output()
            .unwrap()
    };
    // Headers arrive, then the body stops.
    let o = run("list");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("s3://acme/app/terraform.tfstate")
            && err.contains(&format!(
                "{} stopped sending the state within 1 s",
                server.url()
            )),
        "{err}"
    );
    // The listing never answers.
    let o = run("workspaces");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{} did not answer within 1 s", server.url())),
        "{err}"
    );
}

#[test]
fn a_stalled_gcs_endpoint_fails_with_the_endpoint_and_timeout() {
    let server = FaultServer::start(json!([
        {"query": {"alt": "media"}, "responses": [{"status": 200, "body": STATE, "stallBody": 10}]},
        {"prefix": "/storage/v1/b/acme/o/", "responses": [{"status": 200, "json": {"name": "state/default.tfstate", "updated": "2026-01-01T00:00:00Z"}}]},
        {"prefix": "/storage/v1/b/acme/o", "responses": [{"hang": true}]}
    ]));
    let d = support::tempdir();
    let run = |cmd: &str| {
        support::tfrecon()
            .env("TFRECON_READ_TIMEOUT", "1")
            .env("GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.token")
            .arg("-C")
            .arg(d.path())
            .args(["state", cmd, "--state", "gs://acme/state"])
            .args([
                "--backend-config",
                &format!("storage_custom_endpoint={}/storage/v1/", server.url()),
            ])
            .timeout(HANG)
            .output()
            .unwrap()
    };
    let o = run("list");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("gs://acme/state/default.tfstate")
            && err.contains("stopped sending the state within 1 s"),
        "{err}"
    );
    let o = run("workspaces");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("did not answer within 1 s"), "{err}");
}

#[test]
fn an_unreadable_workspace_is_listed_as_unreadable_and_the_others_still_read() {
    let d = support::tempdir();
    std::fs::write(d.path().join("terraform.tfstate"), STATE).unwrap();
    let ws = d.path().join("terraform.tfstate.d");
    std::fs::create_dir_all(ws.join("broken")).unwrap();
    std::fs::write(ws.join("broken/terraform.tfstate"), &STATE[..60]).unwrap();
    std::fs::create_dir_all(ws.join("dev")).unwrap();
    std::fs::write(ws.join("dev/terraform.tfstate"), STATE).unwrap();
    let (code, out, err) = run(d.path(), &["state", "workspaces", "--format", "json"], &[]);
    assert_eq!(code, 3, "incomplete: {err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let status: Vec<(&str, &str)> = doc["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["name"].as_str().unwrap(), w["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        status,
        [
            ("default", "present"),
            ("broken", "unreadable"),
            ("dev", "present")
        ]
    );
}

// --- Credentials never reach a message ---------------------------------------------------------

/// Every output stream of a run, for searching.
fn all_output(o: &std::process::Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn assert_no_marker(o: &std::process::Output, markers: &[&str]) {
    let text = all_output(o);
    for m in markers {
        assert!(!text.contains(m), "{m} leaked:\n{text}");
    }
}

#[test]
fn backend_mismatch_findings_never_show_credentials() {
    let server = FaultServer::start(json!([{"responses": [{"status": 404}]}]));
    let d = support::tempdir();
    std::fs::write(
        d.path().join("main.tf"),
        format!(
            r#"terraform {{
  backend "http" {{
    address  = "{}/state?private_token=MARKERurltoken1"
    password = "MARKERpassword1"
    username = "ci"
  }}
}}
resource "terraform_data" "x" {{}}
"#,
            server.url()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(d.path().join(".terraform")).unwrap();
    std::fs::write(
        d.path().join(".terraform/terraform.tfstate"),
        serde_json::to_vec(&json!({"version": 3, "serial": 1, "lineage": "x", "backend": {
            "type": "http", "hash": 1, "config": {
                "address": server.url().replace("http://", "http://ci:MARKERurlpass2@") + "/state?private_token=MARKERurltoken2",
                "password": "MARKERpassword2", "username": "ci"}}}))
        .unwrap(),
    )
    .unwrap();
    std::fs::write(d.path().join("inventory.json"), "[]").unwrap();
    let o = support::tfrecon()
        .arg("-C")
        .arg(d.path())
        .args(["scan", "--format", "json", "--inventory"])
        .arg(d.path().join("inventory.json"))
        .timeout(HANG)
        .output()
        .unwrap();
    let text = all_output(&o);
    for key in ["password", "address"] {
        assert!(
            text.contains(&format!("backend setting \\\"{key}\\\"")),
            "the {key} mismatch is still reported: {text}"
        );
    }
    assert_no_marker(
        &o,
        &[
            "MARKERurltoken1",
            "MARKERpassword1",
            "MARKERurlpass2",
            "MARKERurltoken2",
            "MARKERpassword2",
        ],
    );
}

#[test]
fn backend_errors_never_show_credentials() {
    // Servers that echo what they were sent, as some error pages do.
    let echo = "rejected: MARKERpw3 MARKERhdr4 MARKERtok5 MARKERq6";
    let server = FaultServer::start(json!([
        {"prefix": "/acme/", "responses": [{"status": 403, "headers": {"Content-Type": "application/xml"},
            "body": "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>denied for MARKERak7 signed with MARKERsk8</Message></Error>"}]},
        {"prefix": "/storage/v1/", "responses": [{"status": 403,
            "json": {"error": {"code": 403, "message": "token MARKERgtok9 lacks storage.objects.get"}}}]},
        {"responses": [{"status": 500, "body": echo}]}
    ]));
    let d = support::tempdir();
    let base = |args: &[&str]| {
        let mut c = support::tfrecon();
        c.arg("-C").arg(d.path()).args(args).timeout(HANG);
        c
    };
    let url = format!(
        "{}/state?private_token=MARKERq6",
        server.url().replace("http://", "http://u:MARKERtok5@")
    );
    let o = base(&["state", "list", "--state", &url])
        .args(["--backend-config", "password=MARKERpw3"])
        .args(["--http-header", "X-Api-Key: MARKERhdr4"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        all_output(&o).contains("HTTP 500 Internal Server Error: rejected: (sensitive)"),
        "{}",
        all_output(&o)
    );
    assert_no_marker(&o, &["MARKERpw3", "MARKERhdr4", "MARKERtok5", "MARKERq6"]);

    let o = base(&["state", "list", "--state", "s3://acme/k.tfstate"])
        .env("AWS_REGION", "eu-west-1")
        .args([
            "--backend-config",
            &format!("endpoints.s3={}", server.url()),
        ])
        .args(["--backend-config", "use_path_style=true"])
        .args(["--backend-config", "access_key=MARKERak7"])
        .args(["--backend-config", "secret_key=MARKERsk8"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        all_output(&o).contains("access denied reading s3://acme/k.tfstate"),
        "{}",
        all_output(&o)
    );
    assert_no_marker(&o, &["MARKERak7", "MARKERsk8"]);

    let o = base(&["state", "list", "--state", "gs://acme/p"])
        .args([
            "--backend-config",
            &format!("storage_custom_endpoint={}/storage/v1/", server.url()),
        ])
        .args(["--backend-config", "access_token=MARKERgtok9"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        all_output(&o).contains("access denied reading gs://acme/p/default.tfstate"),
        "{}",
        all_output(&o)
    );
    assert_no_marker(&o, &["MARKERgtok9"]);

    // Settings refused before any request is sent.
    std::fs::write(
        d.path().join("main.tf"),
        "terraform {\n  backend \"http\" {}\n}\n",
    )
    .unwrap();
    for args in [
        vec!["--backend-config", "address=ftp://u:MARKERbad10@host/state"],
        vec![
            "--state",
            "http://127.0.0.1:9/s",
            "--http-header",
            "MARKERnocolon11",
        ],
        vec![
            "--state",
            "http://127.0.0.1:9/s",
            "--backend-config",
            "=MARKERnokey12",
        ],
        vec![
            "--state",
            "gs://acme/p",
            "--backend-config",
            r#"credentials={"type": "service_account", "client_email": "a@b", "private_key": "MARKERkey13", "token_uri": "http://127.0.0.1:9"}"#,
        ],
    ] {
        let mut all = vec!["state", "list"];
        all.extend(args);
        let o = base(&all).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", all_output(&o));
        assert_no_marker(
            &o,
            &[
                "MARKERbad10",
                "MARKERnocolon11",
                "MARKERnokey12",
                "MARKERkey13",
            ],
        );
    }
}

// --- Workspace names and special files -------------------------------------------------------

#[test]
fn invalid_workspace_names_are_refused_wherever_they_come_from() {
    let d = with_state(STATE.as_bytes());
    let (code, _, err) = run(
        d.path(),
        &["state", "list", "--workspace", "../../etc"],
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("invalid workspace name \"../../etc\" (from --workspace)"),
        "{err}"
    );
    let (code, _, err) = run(d.path(), &["state", "list"], &[("TF_WORKSPACE", "a/b")]);
    assert_eq!(code, 1);
    assert!(err.contains("\"a/b\" (from TF_WORKSPACE)"), "{err}");
    std::fs::create_dir_all(d.path().join(".terraform")).unwrap();
    std::fs::write(d.path().join(".terraform/environment"), "..\n").unwrap();
    let (code, _, err) = run(d.path(), &["state", "list"], &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("\"..\" (from .terraform/environment)"),
        "{err}"
    );
    std::fs::remove_file(d.path().join(".terraform/environment")).unwrap();

    // A listed name Terraform would refuse is skipped with a diagnostic, never read.
    let ws = d.path().join("terraform.tfstate.d");
    for name in ["dev", "with space", "100%"] {
        std::fs::create_dir_all(ws.join(name)).unwrap();
        std::fs::write(ws.join(name).join("terraform.tfstate"), STATE).unwrap();
    }
    let (code, out, err) = run(d.path(), &["state", "workspaces", "--format", "json"], &[]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = doc["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["default", "dev"]);
    let warnings = doc["warnings"].to_string();
    assert!(
        warnings.contains("\\\"with space\\\" is not a valid workspace name, so it was skipped")
            && warnings.contains("100%"),
        "{warnings}"
    );
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

#[test]
fn a_fifo_as_state_is_refused_without_blocking() {
    let d = support::tempdir();
    let fifo = d.path().join("pipe.tfstate");
    mkfifo(&fifo);
    let o = support::tfrecon()
        .arg("-C")
        .arg(d.path())
        .args(["state", "list", "--state"])
        .arg(&fifo)
        .timeout(HANG)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("pipe.tfstate")
            && err.contains("named pipe (FIFO)")
            && err.contains("--state -"),
        "{err}"
    );
    // The local backend's own state file, and the workspace selection file.
    let d = support::tempdir();
    mkfifo(&d.path().join("terraform.tfstate"));
    let (code, _, err) = {
        let o = support::tfrecon()
            .arg("-C")
            .arg(d.path())
            .args(["state", "list"])
            .timeout(HANG)
            .output()
            .unwrap();
        (
            o.status.code(),
            (),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("named pipe (FIFO)"), "{err}");
    let d = support::tempdir();
    std::fs::create_dir_all(d.path().join(".terraform")).unwrap();
    mkfifo(&d.path().join(".terraform/environment"));
    let o = support::tfrecon()
        .arg("-C")
        .arg(d.path())
        .args(["state", "list"])
        .timeout(HANG)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("environment") && err.contains("named pipe (FIFO)"),
        "{err}"
    );
}
