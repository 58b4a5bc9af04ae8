//! Diffs of state written by real Terraform against a live object: sensitive values marked by
//! Terraform never appear in clear, JSON documents compare structurally.

use serde_json::json;
use tfrecon::diff::{compare, Against, DiffOptions};
use tfrecon::report::{self, Format};
use tfrecon::state::REDACTED;

use crate::support::{copy_dir, python, repo, tempdir};

/// Applies testdata/report/sensitive with real Terraform and returns the attributes (in clear,
/// as the diff needs them) and the sensitivity Terraform recorded for `terraform_data.db`.
fn applied_db() -> (serde_json::Value, tfrecon::state::Sensitivity) {
    let dir = tempdir();
    copy_dir(&repo().join("testdata/report/sensitive"), dir.path());
    let out = python()
        .arg(repo().join("tests/py/report_apply_state.py"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "real Terraform could not apply: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(dir.path().join("terraform.tfstate")).unwrap();
    let parsed = tfrecon::state::parse(&bytes).unwrap();
    let (_, _, obj) = parsed
        .state
        .current_instances()
        .find(|(a, _, _)| a.to_string() == "terraform_data.db")
        .expect("terraform_data.db in state");
    (obj.attributes_with_secrets(), obj.sensitivity().clone())
}

#[test]
fn drift_against_real_state_redacts_what_terraform_marks_sensitive() {
    let (state, sensitivity) = applied_db();
    // Terraform stores the dynamically typed input as {value, type} and marks the password
    // at input.password; the live side has plain values.
    assert_eq!(state["input"]["value"]["password"], "hunter2-from-state");
    let mut live = json!({
        "id": state["id"],
        "input": state["input"]["value"],
        "output": state["output"]["value"],
        "triggers_replace": null
    });
    live["input"]["password"] = json!("changed-live-pw");
    live["input"]["labels"]["env"] = json!("dev");
    // The same policy as the service might return it: other key order, lists for single
    // values, statements swapped, whitespace.
    live["input"]["policy"] = json!(
        "{\"Statement\": [ {\"Resource\": [\"arn:aws:s3:::b\"], \"Action\": \"s3:ListBucket\", \"Effect\": \"Allow\", \"Sid\": \"List\"},\n {\"Sid\": \"Read\", \"Resource\": \"arn:aws:s3:::b/*\", \"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\"]} ], \"Version\": \"2012-10-17\"}"
    );

    let mut opts = DiffOptions::new(Against::State);
    opts.sensitive = sensitivity;
    opts.json_attributes = vec!["*[\"policy\"]".into()];
    // `output` mirrors `input`, but Terraform records only input.password as sensitive: a
    // catalog would list it as computed, so it is not compared.
    opts.ignore = vec!["id".into(), "output".into()];
    let diff = compare(&state, &live, &opts);

    let paths: Vec<&str> = diff.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        ["input[\"labels\"][\"env\"]", "input[\"password\"]",],
        "{diff:?}"
    );
    for c in &diff.changes {
        let is_pw = c.path.ends_with("[\"password\"]");
        assert_eq!(c.sensitive, is_pw, "{}", c.path);
        if is_pw {
            assert_eq!(c.expected, Some(json!(REDACTED)));
            assert_eq!(c.live, Some(json!(REDACTED)));
        }
    }

    // Through every report format, neither password shows.
    let mut f = tfrecon::findings::Finding::new(tfrecon::findings::Kind::Drifted);
    f.address = Some("terraform_data.db".parse().unwrap());
    f.diff = Some(diff);
    let r = tfrecon::findings::Report::new(vec![f], &Default::default(), 0, vec![], None);
    for format in [Format::Text, Format::Json, Format::Markdown, Format::Sarif] {
        let mut out = Vec::new();
        report::write(&r, format, true, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            !out.contains("hunter2") && !out.contains("changed-live-pw"),
            "{format:?}: {out}"
        );
        assert!(
            out.contains("password"),
            "{format:?} names the changed attribute"
        );
    }
}

#[test]
fn configuration_diff_compares_only_what_is_set() {
    let (state, _) = applied_db();
    // What a configuration sets for the object, against the live one which has more.
    let config = json!({"input": {"user": "alice"}});
    let diff = compare(&config, &state, &DiffOptions::new(Against::Configuration));
    assert_eq!(diff.against, "configuration");
    let paths: Vec<&str> = diff.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["input[\"user\"]"]);
}
