//! `tfrecon inventory` text output: what the catalog cannot reconcile is named.

use crate::support;

#[test]
fn live_types_with_no_catalog_row_are_listed_by_name_and_count() {
    let tmp = support::tempdir();
    let snapshot = tmp.path().join("assets.json");
    std::fs::write(
        &snapshot,
        serde_json::json!([
            {"name": "//pubsub.googleapis.com/projects/p/topics/t",
             "assetType": "pubsub.googleapis.com/Topic",
             "resource": {"data": {"name": "projects/p/topics/t"}}},
            {"name": "//vmmigration.googleapis.com/projects/p/locations/europe-west1/sources/s1",
             "assetType": "vmmigration.googleapis.com/Source",
             "resource": {"data": {"description": "on-prem"}, "location": "europe-west1"}},
            {"name": "//vmmigration.googleapis.com/projects/p/locations/europe-west1/sources/s2",
             "assetType": "vmmigration.googleapis.com/Source",
             "resource": {"data": {}, "location": "europe-west1"}}
        ])
        .to_string(),
    )
    .unwrap();
    let o = support::tfrecon()
        .args(["inventory", "--inventory"])
        .arg(&snapshot)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("1 live type(s) with no catalog row (tfrecon does not reconcile them):\n  vmmigration.googleapis.com/Source  2\n"),
        "{out}"
    );
    assert!(!out.contains("pubsub.googleapis.com/Topic  1"), "{out}");
}
