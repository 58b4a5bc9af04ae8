//! The projects under `examples/`, end to end: golden outputs of `scan` and `import` in every
//! format, the import blocks loaded by real Terraform together with the configuration, and the
//! import script run with a fake `terraform` that records its arguments.

use std::path::Path;

use serde_json::Value;

use crate::support::{self, copy_dir, repo, tempdir, tfrecon};

/// Every example with a recorded inventory, and the exit code its scan gives.
const EXAMPLES: &[&str] = &["gcp-data-platform", "aws-app"];

/// Runs tfrecon from the repository root on `examples/NAME` with its recorded inventory.
fn run(example: &str, args: &[&str]) -> (i32, String) {
    let dir = format!("examples/{example}");
    let inventory = format!("{dir}/inventory");
    let out = tfrecon()
        .current_dir(repo())
        .args(&args[..1])
        .args(["-C", &dir, "--inventory", &inventory, "--color", "never"])
        .args(&args[1..])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.trim().is_empty() || out.status.code() != Some(1),
        "{args:?} on {example} failed:\n{stderr}"
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn golden_scan_and_import_outputs_in_every_format() {
    for example in EXAMPLES {
        let golden = repo().join("testdata/examples").join(example);
        for (format, file) in [
            ("text", "scan.txt"),
            ("json", "scan.json"),
            ("markdown", "scan.md"),
            ("sarif", "scan.sarif"),
        ] {
            let (code, out) = run(example, &["scan", "--format", format]);
            assert_eq!(code, 2, "scan --format {format} on {example}: findings");
            support::golden(&golden.join(file), &out);
        }
        for (format, file) in [
            ("blocks", "imports.tf"),
            ("script", "imports.sh"),
            ("json", "imports.json"),
        ] {
            let (code, out) = run(example, &["import", "--format", format]);
            assert_eq!(code, 0, "import --format {format} on {example}");
            support::golden(&golden.join(file), &out);
        }
        // Twice the same: stable across runs.
        assert_eq!(
            run(example, &["scan", "--format", "json"]).1,
            run(example, &["scan", "--format", "json"]).1
        );
    }
}

/// Loads `dir` with `imports` written into it through real Terraform's loader and returns the
/// checker's report (tests/py/example_import_blocks.py).
fn load_with_imports(dir: &Path, imports: &str) -> Value {
    let file = dir.join("imports.tf");
    std::fs::write(&file, imports).unwrap();
    let out = support::python()
        .arg(repo().join("tests/py/example_import_blocks.py"))
        .arg(dir)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "Terraform did not load the configuration with the import blocks:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn import_blocks_load_in_terraform_and_name_declared_instances() {
    for example in EXAMPLES {
        let dir = tempdir();
        copy_dir(&repo().join("examples").join(example), dir.path());
        let (_, blocks) = run(example, &["import", "--format", "blocks"]);
        let (_, plan) = run(example, &["import", "--format", "json"]);
        let plan: Value = serde_json::from_str(&plan).unwrap();
        let planned: Vec<&str> = plan["imports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["address"].as_str().unwrap())
            .collect();
        assert!(!planned.is_empty(), "{example} plans imports");

        let report = load_with_imports(dir.path(), &blocks);
        assert_eq!(report["problems"], serde_json::json!([]), "{example}");
        let checked: Vec<&str> = report["checked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(checked, planned, "{example}: every block checked, in order");

        // The check can fail: a block naming an undeclared resource, and one with the wrong
        // kind of instance key, are both reported.
        let first = planned[0];
        let broken = format!(
            "{blocks}\nimport {{\n  to = google_storage_bucket.nowhere\n  id = \"x\"\n}}\n"
        );
        let wrong_key = if first.ends_with(']') {
            first[..first.rfind('[').unwrap()].to_string()
        } else {
            format!("{first}[\"k\"]")
        };
        let broken = format!("{broken}\nimport {{\n  to = {wrong_key}\n  id = \"y\"\n}}\n");
        let report = load_with_imports(dir.path(), &broken);
        let problems = report["problems"].to_string();
        assert!(problems.contains("nowhere"), "{problems}");
        assert!(problems.contains("key"), "{problems}");
    }
}

#[test]
fn untracked_addresses_are_the_addresses_terraform_wrote_in_the_other_workspace() {
    // The Google example's dev workspace is empty while its default workspace state, written
    // at the same addresses, holds everything: the plan for dev must target exactly those.
    let example = "gcp-data-platform";
    let (_, plan) = run(example, &["import", "--format", "json"]);
    let plan: Value = serde_json::from_str(&plan).unwrap();
    let mut planned: Vec<String> = plan["imports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["address"].as_str().unwrap().to_string())
        .collect();
    planned.sort();
    let out = tfrecon()
        .current_dir(repo())
        .args([
            "state",
            "list",
            "-C",
            "examples/gcp-data-platform",
            "--workspace",
            "default",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut listed: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("data."))
        .map(str::to_string)
        .collect();
    listed.sort();
    assert_eq!(planned, listed);
}

#[test]
fn import_script_runs_every_planned_import_with_exact_arguments() {
    for example in EXAMPLES {
        let dir = tempdir();
        let (_, script) = run(example, &["import", "--format", "script"]);
        let (_, plan) = run(example, &["import", "--format", "json"]);
        let plan: Value = serde_json::from_str(&plan).unwrap();
        let (out, calls) = support::run_with_fake_terraform(dir.path(), &script, &[]);
        assert!(
            out.status.success(),
            "{example}: the script failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let workspace = plan["workspace"].as_str().unwrap_or("default");
        assert_eq!(calls[0], ["workspace", "select", workspace]);
        let imports: Vec<Vec<String>> =
            calls.iter().filter(|c| c[0] == "import").cloned().collect();
        let want: Vec<Vec<String>> = plan["imports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                vec![
                    "import".to_string(),
                    e["address"].as_str().unwrap().to_string(),
                    e["id"].as_str().unwrap().to_string(),
                ]
            })
            .collect();
        assert_eq!(imports, want, "{example}");
    }
}
