//! The embedded catalogs: loadable, unique, every example renders, enough Google types.

use tfrecon::catalog::{Catalog, IamKind};
use tfrecon::inventory::Cloud;

#[test]
fn both_catalogs_load_with_unique_types() {
    for cat in [Catalog::gcp(), Catalog::aws()] {
        let mut seen = std::collections::HashSet::new();
        for t in cat.types() {
            assert!(seen.insert(&t.type_name), "{} twice", t.type_name);
            assert!(!t.source.is_empty(), "{} names no source", t.type_name);
        }
    }
}

#[test]
fn every_row_renders_its_example_id_from_its_example_attributes() {
    for cat in [Catalog::gcp(), Catalog::aws()] {
        for t in cat.types() {
            let id = t
                .render_import_id(&t.example_attributes)
                .unwrap_or_else(|e| panic!("{}: {e}", t.type_name));
            assert_eq!(id, t.example_id, "{}", t.type_name);
        }
    }
}

#[test]
fn google_catalog_has_at_least_80_types_most_used_first() {
    let gcp = Catalog::gcp();
    assert!(gcp.types().len() >= 80, "{} rows", gcp.types().len());
    let pos = |t: &str| gcp.types().iter().position(|x| x.type_name == t).unwrap();
    for common in [
        "google_project",
        "google_project_iam_member",
        "google_service_account",
        "google_storage_bucket",
    ] {
        assert!(pos(common) < 12, "{common} is among the first rows");
    }
    assert!(gcp
        .types()
        .iter()
        .all(|t| t.type_name.starts_with("google_")));
    assert!(Catalog::aws()
        .types()
        .iter()
        .all(|t| t.type_name.starts_with("aws_")));
    let listable = gcp.listable_native_types();
    assert!(
        listable.len() >= 70,
        "{} asset types listed",
        listable.len()
    );
}

#[test]
fn iam_rows_cover_member_binding_and_policy_for_projects() {
    let kinds: Vec<IamKind> = Catalog::gcp()
        .iam_types_for_parent("cloudresourcemanager.googleapis.com/Project")
        .map(|t| t.gcp.as_ref().unwrap().iam.as_ref().unwrap().kind)
        .collect();
    for k in [IamKind::Member, IamKind::Binding, IamKind::Policy] {
        assert!(kinds.contains(&k), "{k:?}");
    }
}

#[test]
fn natural_keys_for_cloud_assigned_ids() {
    let gcp = Catalog::gcp();
    assert_eq!(
        gcp.get("google_monitoring_alert_policy")
            .unwrap()
            .natural_keys,
        ["display_name"]
    );
    assert_eq!(
        gcp.get("google_monitoring_notification_channel")
            .unwrap()
            .natural_keys,
        ["display_name", "type"]
    );
}

#[test]
fn a_row_naming_an_undeclared_attribute_is_rejected_with_its_type() {
    let text = r#"
[[resource]]
type = "aws_thing"
import_id = ["{name}/{tags.Name}"]
identity = ["name"]
example_id = "a"
example_attributes = { name = "a" }
source = "s"
[resource.aws]
service = "x"
list = ["ListThings"]
cloudformation_type = "AWS::X::Thing"
"#;
    let err = Catalog::parse(Cloud::Aws, text).unwrap_err().to_string();
    assert!(
        err.contains("aws_thing") && err.contains("{tags.Name}"),
        "{err}"
    );
    let dup = format!("{text}{text}").replace("/{tags.Name}", "");
    let err = Catalog::parse(Cloud::Aws, &dup).unwrap_err().to_string();
    assert!(err.contains("more than once"), "{err}");
}
