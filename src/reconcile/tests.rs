//! Table tests of reconciliation: one case per outcome, each a small configuration, state and
//! inventory, run through every phase.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use super::*;
use crate::backend::settings::{Mismatch, SettingValue};
use crate::findings::UncheckedCause;

const PROVIDER: &str = "provider \"google\" {\n  project = \"p\"\n}\n";

fn topic(name: &str, labels: Json) -> Json {
    json!({
        "cloud": "gcp", "tf_type": "google_pubsub_topic",
        "native_type": "pubsub.googleapis.com/Topic",
        "name": format!("//pubsub.googleapis.com/projects/p/topics/{name}"),
        "import_id": format!("projects/p/topics/{name}"), "project": "p",
        "attributes": {"name": name, "project": "p", "labels": labels},
        "source": "gcp:projects/p",
    })
}

fn project_asset() -> Json {
    json!({
        "cloud": "gcp", "tf_type": "google_project",
        "native_type": "cloudresourcemanager.googleapis.com/Project",
        "name": "//cloudresourcemanager.googleapis.com/projects/42",
        "import_id": "p", "project": "p",
        "attributes": {"project_id": "p", "number": "42", "name": "p"},
        "source": "gcp:projects/p",
    })
}

/// A v4 state holding these managed resources: `(type, name, index_key, attributes)`.
fn state(resources: &[(&str, &str, Option<Json>, Json)]) -> StateRead {
    let resources: Vec<Json> = resources
        .iter()
        .map(|(t, n, key, attrs)| {
            let mut instance = json!({"schema_version": 0, "attributes": attrs});
            if let Some(k) = key {
                instance["index_key"] = k.clone();
            }
            json!({
                "mode": "managed", "type": t, "name": n,
                "provider": "provider[\"registry.terraform.io/hashicorp/google\"]",
                "instances": [instance],
            })
        })
        .collect();
    let doc = json!({
        "version": 4, "terraform_version": "1.15.0", "serial": 1,
        "lineage": "l", "outputs": {}, "resources": resources,
    });
    let parsed = crate::state::parse(doc.to_string().as_bytes()).expect("valid state");
    StateRead::Present(parsed.state)
}

struct Case {
    files: Vec<(&'static str, String)>,
    states: Vec<(&'static str, StateRead, bool, Damage)>,
    live: Vec<Json>,
    errors: Vec<Json>,
    mismatches: Vec<Mismatch>,
    opts: Options,
}

impl Case {
    fn new(tf: &str) -> Case {
        Case {
            files: vec![("main.tf", format!("{PROVIDER}{tf}"))],
            states: Vec::new(),
            live: vec![project_asset()],
            errors: Vec::new(),
            mismatches: Vec::new(),
            opts: Options::default(),
        }
    }

    fn state(mut self, label: &'static str, s: StateRead, selected: bool) -> Case {
        self.states.push((label, s, selected, Damage::None));
        self
    }

    fn damaged(mut self, label: &'static str, s: StateRead, selected: bool, d: Damage) -> Case {
        self.states.push((label, s, selected, d));
        self
    }

    fn live(mut self, r: Json) -> Case {
        self.live.push(r);
        self
    }

    fn run(self) -> Outcome {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in &self.files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let states: Vec<StateInput> = self
            .states
            .into_iter()
            .map(|(label, state, selected, damage)| StateInput {
                label: label.to_string(),
                workspace: if selected { "default" } else { "other" }.to_string(),
                state,
                elsewhere: Vec::new(),
                selected,
                damage,
            })
            .collect();
        let inventory: Inventory = serde_json::from_value(json!({
            "resources": self.live, "errors": self.errors,
        }))
        .unwrap();
        let load = LoadOptions {
            env: Some(BTreeMap::new()),
            ..Default::default()
        };
        reconcile(
            dir.path(),
            &load,
            &states,
            || Ok::<_, std::convert::Infallible>(inventory),
            &self.mismatches,
            &self.opts,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }
}

fn kinds(o: &Outcome) -> Vec<(Kind, String)> {
    let mut v: Vec<(Kind, String)> = o
        .findings
        .iter()
        .map(|f| {
            let who = f
                .address
                .as_ref()
                .or(f.suggested_address.as_ref())
                .map(|a| a.to_string())
                .or_else(|| f.live_name.clone())
                .unwrap_or_default();
            (f.kind, who)
        })
        .collect();
    v.sort();
    v
}

fn one(kind: Kind, who: &str) -> Vec<(Kind, String)> {
    vec![(kind, who.to_string())]
}

const TOPIC_T: &str = "resource \"google_pubsub_topic\" \"t\" {\n  name = \"t\"\n}\n";

fn topic_state(labels: Json) -> StateRead {
    state(&[(
        "google_pubsub_topic",
        "t",
        None,
        json!({"id": "projects/p/topics/t", "name": "t", "project": "p", "labels": labels}),
    )])
}

#[test]
fn in_sync_is_counted_not_reported() {
    let o = Case::new(TOPIC_T)
        .state("s", topic_state(json!({})), true)
        .live(topic("t", json!({})))
        .run();
    assert_eq!(kinds(&o), vec![]);
    assert_eq!(o.counted.get(&Kind::InSync), Some(&1));
}

#[test]
fn drifted() {
    let o = Case::new(TOPIC_T)
        .state("s", topic_state(json!({"env": "dev"})), true)
        .live(topic("t", json!({"env": "prod"})))
        .run();
    assert_eq!(kinds(&o), one(Kind::Drifted, "google_pubsub_topic.t"));
    let d = o.findings[0].diff.as_ref().unwrap();
    assert_eq!(d.changes[0].path, "labels[\"env\"]");
}

#[test]
fn untracked_is_planned_for_import_with_an_empty_state_finding() {
    let o = Case::new(TOPIC_T)
        .state("s", StateRead::Missing, true)
        .live(topic("t", json!({})))
        .run();
    assert_eq!(
        kinds(&o),
        vec![
            (Kind::Untracked, "google_pubsub_topic.t".into()),
            (Kind::EmptyState, String::new()),
        ]
    );
    assert_eq!(o.imports.imports.len(), 1);
    assert_eq!(o.imports.imports[0].id, "projects/p/topics/t");
}

#[test]
fn untracked_here_but_recorded_in_another_state_is_never_imported() {
    let o = Case::new(TOPIC_T)
        .state("s", StateRead::Missing, true)
        .state("other", topic_state(json!({})), false)
        .live(topic("t", json!({})))
        .run();
    let f = o
        .findings
        .iter()
        .find(|f| f.kind == Kind::Untracked)
        .unwrap();
    let reason = f.reason.as_deref().unwrap();
    assert!(
        reason.contains("other at google_pubsub_topic.t already manages it"),
        "{reason}"
    );
    assert_eq!(f.state.as_deref(), Some("other"));
    assert!(o.imports.imports.is_empty());
}

#[test]
fn pending_when_declared_and_nowhere() {
    let o = Case::new(TOPIC_T)
        .state("s", StateRead::Missing, true)
        .run();
    assert_eq!(kinds(&o), vec![]);
    assert_eq!(o.counted.get(&Kind::Pending), Some(&1));
}

#[test]
fn missing() {
    let o = Case::new(TOPIC_T)
        .state("s", topic_state(json!({})), true)
        .run();
    assert_eq!(kinds(&o), one(Kind::Missing, "google_pubsub_topic.t"));
    assert_eq!(
        o.findings[0].import_id.as_deref(),
        Some("projects/p/topics/t")
    );
}

#[test]
fn orphaned() {
    let o = Case::new("")
        .state("s", topic_state(json!({})), true)
        .live(topic("t", json!({})))
        .run();
    assert_eq!(kinds(&o), one(Kind::Orphaned, "google_pubsub_topic.t"));
}

#[test]
fn ambiguous() {
    // Two live resources with the same identity (two listings of one project).
    let mut twin = topic("t", json!({}));
    twin["name"] = json!("//pubsub.googleapis.com/projects/p/topics/t#copy");
    let o = Case::new(TOPIC_T)
        .state("s", StateRead::Missing, true)
        .live(topic("t", json!({})))
        .live(twin)
        .run();
    assert_eq!(kinds(&o), one(Kind::Ambiguous, "google_pubsub_topic.t"));
    assert_eq!(o.findings[0].candidates.len(), 2);
    assert!(o.imports.imports.is_empty(), "never guessed");
}

#[test]
fn unmanaged() {
    let mut c = Case::new("")
        .state("s", StateRead::Missing, true)
        .live(topic("stray", json!({})));
    c.opts.include_unmanaged = true;
    let o = c.run();
    assert_eq!(kinds(&o), one(Kind::Unmanaged, "google_pubsub_topic.stray"));
    assert_eq!(o.imports.imports[0].id, "projects/p/topics/stray");
}

#[test]
fn an_unmanaged_suggestion_never_takes_a_declared_or_suggested_address() {
    let tf = "resource \"google_pubsub_topic\" \"stray\" {\n  name = \"other\"\n}\n";
    let mut twin = topic("stray", json!({}));
    twin["name"] = json!("//pubsub.googleapis.com/projects/q/topics/stray");
    twin["import_id"] = json!("projects/q/topics/stray");
    let mut c = Case::new(tf)
        .state("s", StateRead::Missing, true)
        .live(topic("stray", json!({})))
        .live(twin);
    c.opts.include_unmanaged = true;
    let o = c.run();
    let mut suggested: Vec<String> = o
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Unmanaged)
        .map(|f| f.suggested_address.as_ref().unwrap().to_string())
        .collect();
    suggested.sort();
    assert_eq!(
        suggested,
        ["google_pubsub_topic.stray_2", "google_pubsub_topic.stray_3"]
    );
}

#[test]
fn public_access() {
    let mut open = topic("t", json!({}));
    open["iam_policy"] =
        json!({"bindings": [{"role": "roles/pubsub.subscriber", "members": ["allUsers"]}]});
    let o = Case::new(TOPIC_T)
        .state("s", topic_state(json!({})), true)
        .live(open)
        .run();
    assert_eq!(kinds(&o), one(Kind::PublicAccess, "google_pubsub_topic.t"));
    // Recorded in state but declared nowhere: the state's address names it.
    let mut open = topic("t", json!({}));
    open["iam_policy"] =
        json!({"bindings": [{"role": "roles/pubsub.subscriber", "members": ["allUsers"]}]});
    let o = Case::new("")
        .state("s", topic_state(json!({})), true)
        .live(open)
        .run();
    let public = o
        .findings
        .iter()
        .find(|f| f.kind == Kind::PublicAccess)
        .unwrap();
    assert_eq!(
        public.address.as_ref().map(ToString::to_string).as_deref(),
        Some("google_pubsub_topic.t")
    );
}

#[test]
fn backend_mismatch() {
    let mut c = Case::new("").state("s", StateRead::Missing, true);
    c.mismatches.push(Mismatch {
        key: "bucket".into(),
        declared: SettingValue::String("a".into()),
        cached: SettingValue::String("b".into()),
    });
    let o = c.run();
    assert_eq!(kinds(&o), one(Kind::BackendMismatch, ""));
}

#[test]
fn duplicate_state() {
    let o = Case::new(TOPIC_T)
        .state("s", topic_state(json!({})), true)
        .state("other", topic_state(json!({})), false)
        .live(topic("t", json!({})))
        .run();
    assert_eq!(
        kinds(&o),
        one(Kind::DuplicateState, "google_pubsub_topic.t")
    );
    let reason = o.findings[0].reason.as_deref().unwrap();
    assert!(
        reason.contains("google_pubsub_topic.t in s, google_pubsub_topic.t in other"),
        "{reason}"
    );
}

#[test]
fn empty_state_names_where_state_is() {
    let mut c = Case::new(TOPIC_T).live(topic("t", json!({})));
    c.states.push(("s", StateRead::Missing, true, Damage::None));
    let o = c.run();
    let f = o
        .findings
        .iter()
        .find(|f| f.kind == Kind::EmptyState)
        .unwrap();
    assert!(f.reason.as_deref().unwrap().contains("is missing"), "{f:?}");
}

#[test]
fn an_uncovered_type_is_unchecked_with_its_address_and_local_types_are_not() {
    let tf = "resource \"google_made_up_thing\" \"x\" {\n  name = \"x\"\n}\n\
              resource \"random_id\" \"r\" {\n  byte_length = 4\n}\n\
              resource \"terraform_data\" \"d\" {}\n";
    let o = Case::new(tf).state("s", StateRead::Missing, true).run();
    assert_eq!(kinds(&o), one(Kind::Unchecked, "google_made_up_thing.x"));
    assert_eq!(o.findings[0].cause, Some(UncheckedCause::TypeNotCovered));
    assert!(o.findings[0]
        .reason
        .as_deref()
        .unwrap()
        .contains("type:google_made_up_thing"));
}

#[test]
fn a_failed_listing_makes_state_entries_unchecked_never_missing() {
    let mut c = Case::new(TOPIC_T).state("s", topic_state(json!({})), true);
    c.errors.push(json!({
        "scope": "gcp:projects/p", "type": "pubsub.googleapis.com/Topic", "reason": "403",
    }));
    let o = c.run();
    assert_eq!(kinds(&o), one(Kind::Unchecked, "google_pubsub_topic.t"));
    assert_eq!(o.findings[0].cause, Some(UncheckedCause::ListingFailed));
}

#[test]
fn iam_members_whose_parent_policy_could_not_be_read_are_unchecked() {
    let tf = "resource \"google_pubsub_topic_iam_member\" \"m\" {\n  topic = \"t\"\n  role = \"roles/viewer\"\n  member = \"user:a@example.com\"\n}\n";
    let s = state(&[(
        "google_pubsub_topic_iam_member",
        "m",
        None,
        json!({"topic": "projects/p/topics/t", "project": "p", "role": "roles/viewer", "member": "user:a@example.com"}),
    )]);
    let mut c = Case::new(tf).state("s", s, true);
    c.errors.push(json!({
        "scope": "gcp:projects/p", "type": "pubsub.googleapis.com/Topic (IAM policy)", "reason": "403",
    }));
    let o = c.run();
    assert_eq!(
        kinds(&o),
        one(Kind::Unchecked, "google_pubsub_topic_iam_member.m")
    );
    assert_eq!(o.findings[0].cause, Some(UncheckedCause::ListingFailed));
}

#[test]
fn an_unreadable_selected_state_concludes_nothing() {
    let o = Case::new(TOPIC_T)
        .state("s", StateRead::Unreadable("403 Forbidden".into()), true)
        .live(topic("t", json!({})))
        .live(topic("stray", json!({})))
        .run();
    assert_eq!(kinds(&o), vec![]);
    assert!(o.imports.imports.is_empty());
    assert!(o.counted.is_empty());
}

#[test]
fn an_unreadable_other_state_blocks_imports_and_unmanaged() {
    let o = Case::new(TOPIC_T)
        .state("s", StateRead::Missing, true)
        .state("other", StateRead::Unreadable("500".into()), false)
        .live(topic("t", json!({})))
        .live(topic("stray", json!({})))
        .run();
    assert_eq!(
        kinds(&o),
        vec![
            (Kind::Untracked, "google_pubsub_topic.t".into()),
            (Kind::EmptyState, String::new()),
        ]
    );
    assert!(o.imports.imports.is_empty());
}

#[test]
fn an_unknown_project_never_falls_back_to_the_provider_default() {
    // The topic's project comes from a project not created yet: the provider's `p` would
    // name another topic.
    let tf = "resource \"google_project\" \"new\" {\n  name = \"n\"\n  project_id = \"n-${terraform_data.suffix.output}\"\n}\n\
              resource \"terraform_data\" \"suffix\" {}\n\
              resource \"google_pubsub_topic\" \"t\" {\n  name = \"t\"\n  project = google_project.new.project_id\n}\n";
    let o = Case::new(tf)
        .state("s", StateRead::Missing, true)
        .live(topic("t", json!({})))
        .run();
    assert!(o.imports.imports.is_empty(), "{:?}", o.imports.imports);
    assert!(
        !kinds(&o).iter().any(|(k, _)| *k == Kind::Untracked),
        "{:?}",
        kinds(&o)
    );
}

#[test]
fn a_declared_binding_manages_its_members_and_imports_never_conflict() {
    let tf = "resource \"google_pubsub_topic_iam_binding\" \"b\" {\n  topic = \"projects/p/topics/t\"\n  role = \"roles/viewer\"\n  members = [\"user:a@example.com\"]\n}\n";
    let member = |m: &str| {
        json!({
            "cloud": "gcp", "tf_type": "google_pubsub_topic_iam_member",
            "native_type": "pubsub.googleapis.com/Topic#iam_member",
            "name": format!("//pubsub.googleapis.com/projects/p/topics/t#roles/viewer#{m}"),
            "import_id": format!("projects/p/topics/t roles/viewer {m}"), "project": "p",
            "attributes": {"topic": "t", "project": "p", "role": "roles/viewer", "member": m},
            "source": "gcp:projects/p",
        })
    };
    let other_role = json!({
        "cloud": "gcp", "tf_type": "google_pubsub_topic_iam_member",
        "native_type": "pubsub.googleapis.com/Topic#iam_member",
        "name": "//pubsub.googleapis.com/projects/p/topics/t#roles/editor#user:c@example.com",
        "import_id": "projects/p/topics/t roles/editor user:c@example.com", "project": "p",
        "attributes": {"topic": "t", "project": "p", "role": "roles/editor", "member": "user:c@example.com"},
        "source": "gcp:projects/p",
    });
    let mut c = Case::new(tf)
        .state("s", StateRead::Missing, true)
        .live(topic("t", json!({})))
        .live(member("user:a@example.com"))
        .live(member("user:b@example.com"))
        .live(other_role);
    c.opts.include_unmanaged = true;
    c.opts.strict = true;
    let o = c.run();
    let unmanaged: Vec<String> = o
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Unmanaged)
        .filter_map(|f| f.import_id.clone())
        .collect();
    // The binding is authoritative for roles/viewer: b@ is its drift, not an unmanaged grant.
    assert!(
        unmanaged.iter().all(|id| !id.contains("roles/viewer")),
        "{unmanaged:?}"
    );
    assert!(
        unmanaged.iter().any(|id| id.contains("roles/editor")),
        "{unmanaged:?}"
    );
    for e in &o.imports.imports {
        assert!(!e.tf_type.ends_with("_iam_binding") && !e.tf_type.ends_with("_iam_policy"));
    }
}

#[test]
fn matched_resources_expose_the_providers_id_never_the_import_id() {
    // A bucket's provider `id` is its name; its import ID is `project/name`. A resource that
    // reads `.id` of an untracked bucket must not read the import ID.
    let tf = "resource \"google_storage_bucket\" \"b\" {\n  name = \"bkt\"\n  location = \"EU\"\n}\n\
              resource \"google_pubsub_topic\" \"t\" {\n  name = \"t-${google_storage_bucket.b.id}\"\n}\n";
    let bucket = json!({
        "cloud": "gcp", "tf_type": "google_storage_bucket",
        "native_type": "storage.googleapis.com/Bucket",
        "name": "//storage.googleapis.com/bkt", "import_id": "p/bkt", "project": "p",
        "attributes": {"name": "bkt", "project": "p"}, "source": "gcp:projects/p",
    });
    let o = Case::new(tf)
        .state("s", StateRead::Missing, true)
        .live(bucket)
        .live(topic("t-p/bkt", json!({})))
        .run();
    let topics: Vec<_> = o
        .imports
        .imports
        .iter()
        .filter(|e| e.tf_type == "google_pubsub_topic")
        .collect();
    assert!(topics.is_empty(), "{topics:?}");
}

#[test]
fn moved_and_removed_are_read_in_the_module_that_declares_them() {
    let mut c = Case::new("module \"net\" {\n  source = \"./net\"\n}\n");
    c.files.push((
        "net/main.tf",
        "moved {\n  from = google_pubsub_topic.old\n  to = google_pubsub_topic.new\n}\n\
         resource \"google_pubsub_topic\" \"new\" {\n  name = \"new\"\n}\n"
            .into(),
    ));
    let s = state(&[(
        "google_pubsub_topic",
        "old",
        None,
        json!({"id": "projects/p/topics/x", "name": "x", "project": "p"}),
    )]);
    // `module.net.google_pubsub_topic.old` is explained by the moved block in module.net;
    // a root-level `google_pubsub_topic.old` is not.
    let module_state = {
        let StateRead::Present(mut st) = s else {
            unreachable!()
        };
        for r in &mut st.resources {
            r.addr.module = "module.net".parse().unwrap();
        }
        StateRead::Present(st)
    };
    let o = c.state("s", module_state, true).run();
    assert!(
        !kinds(&o).iter().any(|(k, _)| *k == Kind::Orphaned),
        "{:?}",
        kinds(&o)
    );
    let mut c = Case::new("module \"net\" {\n  source = \"./net\"\n}\n");
    c.files.push((
        "net/main.tf",
        "moved {\n  from = google_pubsub_topic.old\n  to = google_pubsub_topic.new\n}\n\
         resource \"google_pubsub_topic\" \"new\" {\n  name = \"new\"\n}\n"
            .into(),
    ));
    let root_state = state(&[(
        "google_pubsub_topic",
        "old",
        None,
        json!({"id": "projects/p/topics/x", "name": "x", "project": "p"}),
    )]);
    let o = c.state("s", root_state, true).run();
    assert!(kinds(&o).contains(&(Kind::Orphaned, "google_pubsub_topic.old".into())));
}

#[test]
fn an_unknown_expansion_hides_its_own_instances_only() {
    let tf = "resource \"terraform_data\" \"n\" {}\n\
              resource \"google_pubsub_topic\" \"b\" {\n  count = length(terraform_data.n.output)\n  name = \"b${count.index}\"\n}\n";
    let s = state(&[
        (
            "google_pubsub_topic",
            "b",
            Some(json!(0)),
            json!({"id": "projects/p/topics/b0", "name": "b0", "project": "p"}),
        ),
        (
            "google_pubsub_topic",
            "bb",
            None,
            json!({"id": "projects/p/topics/bb", "name": "bb", "project": "p"}),
        ),
    ]);
    let o = Case::new(tf).state("s", s, true).run();
    let k = kinds(&o);
    assert!(
        !k.contains(&(Kind::Orphaned, "google_pubsub_topic.b[0]".into())),
        "{k:?}"
    );
    assert!(
        k.contains(&(Kind::Orphaned, "google_pubsub_topic.bb".into())),
        "{k:?}"
    );
}

#[test]
fn a_damaged_state_entry_is_unchecked_never_imported() {
    let damage = Damage::Resources(vec!["google_pubsub_topic.t"
        .parse::<ResourceInstance>()
        .unwrap()
        .abs_resource()]);
    let o = Case::new(TOPIC_T)
        .damaged("s", state(&[]), true, damage)
        .live(topic("t", json!({})))
        .run();
    assert_eq!(kinds(&o), one(Kind::Unchecked, "google_pubsub_topic.t"));
    assert_eq!(o.findings[0].cause, Some(UncheckedCause::StateUnreadable));
    assert!(o.imports.imports.is_empty());
}

#[test]
fn a_damaged_part_naming_nothing_blocks_every_conclusion_about_absence() {
    let o = Case::new(TOPIC_T)
        .damaged("s", state(&[]), true, Damage::Unknown)
        .live(topic("t", json!({})))
        .live(topic("stray", json!({})))
        .run();
    // Neither untracked nor unmanaged: the unreadable part might record both.
    assert_eq!(kinds(&o), one(Kind::Unchecked, "google_pubsub_topic.t"));
    assert!(o.imports.imports.is_empty());
}

#[test]
fn damage_in_another_state_blocks_imports_of_its_types_only() {
    let tf = format!("{TOPIC_T}resource \"google_pubsub_subscription\" \"s\" {{\n  name  = \"s\"\n  topic = \"t\"\n}}\n");
    let damage = Damage::Resources(vec!["module.x.google_pubsub_topic.other"
        .parse::<ResourceInstance>()
        .unwrap()
        .abs_resource()]);
    let o = Case::new(&tf)
        .state("s", StateRead::Missing, true)
        .damaged("other", state(&[]), false, damage)
        .live(topic("t", json!({})))
        .live(topic("stray", json!({})))
        .live(json!({
            "cloud": "gcp", "tf_type": "google_pubsub_subscription",
            "native_type": "pubsub.googleapis.com/Subscription",
            "name": "//pubsub.googleapis.com/projects/p/subscriptions/s",
            "import_id": "projects/p/subscriptions/s", "project": "p",
            "attributes": {"name": "s", "project": "p", "topic": "projects/p/topics/t"},
            "source": "gcp:projects/p",
        }))
        .run();
    let k = kinds(&o);
    assert!(
        k.contains(&(Kind::Untracked, "google_pubsub_topic.t".into())),
        "{k:?}"
    );
    assert!(
        k.contains(&(Kind::Untracked, "google_pubsub_subscription.s".into())),
        "{k:?}"
    );
    assert!(!k.iter().any(|(kind, _)| *kind == Kind::Unmanaged), "{k:?}");
    let planned: Vec<String> = o
        .imports
        .imports
        .iter()
        .map(|i| i.address.to_string())
        .collect();
    assert_eq!(planned, vec!["google_pubsub_subscription.s".to_string()]);
}

#[test]
fn damage_is_read_from_the_state_diagnostics() {
    let doc = json!({
        "version": 4, "terraform_version": "1.15.0", "serial": 1, "lineage": "l", "outputs": {},
        "resources": [
            {"mode": "managed", "type": "google_pubsub_topic", "name": "t",
             "provider": "provider[\"registry.terraform.io/hashicorp/google\"]",
             "instances": [{"index_key": true, "schema_version": 0, "attributes": {}}]},
        ],
    });
    let parsed = crate::state::parse(doc.to_string().as_bytes()).unwrap();
    let d = Damage::from_diagnostics(&parsed.diagnostics);
    assert!(
        d.covers(&"google_pubsub_topic.t[\"a\"]".parse().unwrap()),
        "{d:?}"
    );
    assert!(
        !d.covers(&"google_pubsub_topic.u".parse().unwrap()),
        "{d:?}"
    );
    let nameless = crate::state::Diagnostic {
        subject: None,
        message: "x".into(),
    };
    assert_eq!(Damage::from_diagnostics(&[nameless]), Damage::Unknown);
    assert_eq!(Damage::from_diagnostics(&[]), Damage::None);
}

fn lambda(region: &str) -> Json {
    json!({
        "cloud": "aws", "tf_type": "aws_lambda_function",
        "native_type": "AWS::Lambda::Function",
        "name": format!("arn:aws:lambda:{region}:111122223333:function:fn"),
        "import_id": "fn", "account": "111122223333", "location": region,
        "attributes": {"function_name": "fn"},
        "source": format!("aws:{region}"),
    })
}

#[test]
fn the_same_name_in_two_regions_is_two_resources() {
    let tf = "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_lambda_function\" \"f\" {\n  function_name = \"fn\"\n}\n";
    let o = Case::new(tf)
        .state("s", StateRead::Missing, true)
        .live(lambda("us-east-1"))
        .live(lambda("eu-west-1"))
        .run();
    let k = kinds(&o);
    assert!(
        k.contains(&(Kind::Untracked, "aws_lambda_function.f".into())),
        "{k:?}"
    );
    assert!(!k.iter().any(|(kind, _)| *kind == Kind::Ambiguous), "{k:?}");
    assert_eq!(o.imports.imports.len(), 1);
    let f = o
        .findings
        .iter()
        .find(|f| f.kind == Kind::Untracked)
        .unwrap();
    assert_eq!(
        f.live_name.as_deref(),
        Some("arn:aws:lambda:eu-west-1:111122223333:function:fn")
    );
}

#[test]
fn a_resource_that_exists_only_in_another_region_is_not_matched() {
    let tf = "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_lambda_function\" \"f\" {\n  function_name = \"fn\"\n}\n";
    let o = Case::new(tf)
        .state("s", StateRead::Missing, true)
        .live(lambda("us-east-1"))
        .run();
    assert!(o.imports.imports.is_empty());
    assert!(!kinds(&o).iter().any(|(kind, _)| *kind == Kind::Untracked));
}
