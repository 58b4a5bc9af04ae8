//! No secret reaches any output. Every secret of the fixtures under `testdata/secrets/` —
//! sensitive variables (by default, `-var` and `TF_VAR_`), sensitive attributes of state
//! (reached through references from other resources), a sensitive data source, a sensitive
//! output, secret attributes of live resources, backend credentials in the configuration, in
//! the settings `terraform init` cached, in `-backend-config`, in a state URL and in an HTTP
//! header — holds the marker `TFRECON-MARKER`; every command, in every output format, is
//! searched for it on stdout and stderr.

use std::path::Path;

use crate::support;

const MARKER: &str = "TFRECON-MARKER";

fn fixture() -> tempfile::TempDir {
    let tmp = support::tempdir();
    support::copy_dir(&support::repo().join("testdata/secrets"), tmp.path());
    tmp
}

/// Runs tfrecon and asserts that the marker is in neither stream; returns the exit code and
/// stdout.
fn clean(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let o = support::tfrecon()
        .current_dir(dir)
        .env("TF_VAR_api_token", "TFRECON-MARKER-tf-var-token")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(args)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    for (stream, text) in [("stdout", &out), ("stderr", &err)] {
        if let Some(at) = text.find(MARKER) {
            let from = text[..at].rfind('\n').map_or(0, |n| n + 1);
            let to = text[at..].find('\n').map_or(text.len(), |n| at + n);
            panic!(
                "`tfrecon {}` printed a secret on {stream}:\n{}",
                args.join(" "),
                &text[from..to]
            );
        }
    }
    (o.status.code(), out)
}

#[test]
fn no_command_and_no_format_prints_a_secret() {
    let tmp = fixture();
    let dir = tmp.path();
    let cfg = ["-C", "config"];
    let inv = ["--inventory", "inventory.json"];
    let var = ["--var", "api_token=TFRECON-MARKER-var-flag-token"];
    let with = |rest: &[&str]| -> Vec<String> {
        cfg.iter()
            .chain(rest)
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        clean(dir, &args)
    };

    // scan, every format, with the token from TF_VAR_ and from --var.
    for format in ["text", "json", "markdown", "sarif"] {
        let mut a = with(&["scan", "--format", format]);
        a.extend(inv.iter().map(|s| s.to_string()));
        let (code, _) = run(a.clone());
        assert_ne!(code, Some(1), "scan --format {format} ran");
        a.extend(var.iter().map(|s| s.to_string()));
        a.push("--strict".into());
        run(a);
    }
    // The saved report and plan, rendered in every format.
    let mut a = with(&["scan", "--format", "json"]);
    a.extend(inv.iter().map(|s| s.to_string()));
    let (_, report) = run(a);
    std::fs::write(dir.join("report.json"), &report).unwrap();
    for format in ["text", "json", "markdown", "sarif"] {
        run(with(&["render", "--format", format, "report.json"]));
    }
    for format in ["blocks", "script", "json"] {
        let mut a = with(&[
            "import",
            "--format",
            format,
            "--include-unmanaged",
            "--strict",
        ]);
        a.extend(inv.iter().map(|s| s.to_string()));
        let (code, out) = run(a);
        assert_ne!(code, Some(1), "import --format {format} ran");
        if format == "json" {
            std::fs::write(dir.join("plan.json"), out).unwrap();
        }
    }
    for format in ["blocks", "script", "json"] {
        run(with(&["render", "--format", format, "plan.json"]));
    }
    for format in ["dot", "json", "mermaid"] {
        let mut a = with(&["graph", "--format", format]);
        a.extend(var.iter().map(|s| s.to_string()));
        run(a);
    }
    run(with(&["state", "list"]));
    run(with(&["state", "workspaces"]));
    for format in ["text", "json"] {
        let mut a = with(&["inventory", "--format", format]);
        a.extend(inv.iter().map(|s| s.to_string()));
        run(a);
    }
}

#[test]
fn backend_credentials_never_print() {
    let tmp = fixture();
    let dir = tmp.path();
    let secret_config = [
        "--backend-config",
        "secret_key=TFRECON-MARKER-backend-config-flag",
    ];
    for args in [
        &["-C", "backend", "state", "workspaces"][..],
        &["-C", "backend", "state", "list"],
        &["-C", "backend", "scan", "--inventory", "inventory.json"],
        &[
            "-C",
            "backend",
            "scan",
            "--format",
            "json",
            "--inventory",
            "inventory.json",
        ],
    ] {
        clean(dir, args);
        let mut with_flag = args.to_vec();
        with_flag.extend(secret_config);
        clean(dir, &with_flag);
    }
    // Credentials in a state URL and in an HTTP header.
    let port = support::free_port();
    let url = format!("http://user:TFRECON-MARKER-url-password@127.0.0.1:{port}/state?token=TFRECON-MARKER-query-token");
    for cmd in [&["state", "list"][..], &["state", "workspaces"]] {
        let mut a: Vec<&str> = cmd.to_vec();
        a.extend(["--state", url.as_str()]);
        a.extend([
            "--http-header",
            "Authorization: Bearer TFRECON-MARKER-header-token",
        ]);
        // An error (1), or for `state workspaces` a listing that says what it could not read (3).
        let (code, _) = clean(dir, &a);
        assert!(
            matches!(code, Some(1 | 3)),
            "nothing listens on {port}: {code:?}"
        );
    }
}
