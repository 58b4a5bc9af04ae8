//! `tfrecon graph`: the binary run on fixtures, its JSON checked node by node and edge by edge.

use assert_cmd::Command;

use crate::support;

fn graph(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("tfrecon")
        .unwrap()
        .arg("graph")
        .arg("-C")
        .arg(support::repo().join("testdata/config/graph"))
        .args(args)
        .env_remove("TF_WORKSPACE")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = graph(&all);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn json_lists_instances_and_the_references_between_them() {
    let g = json(&[]);
    let addrs: Vec<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        addrs,
        [
            "data.google_project.this",
            "google_pubsub_topic.events",
            "google_storage_bucket.src",
            "module.functions[\"ingest\"]",
            "module.functions[\"ingest\"].google_cloudfunctions2_function.this",
            "module.functions[\"ingest\"].google_storage_bucket_object.code",
            "module.functions[\"refresh-gold\"]",
            "module.functions[\"refresh-gold\"].google_cloudfunctions2_function.this",
            "module.functions[\"refresh-gold\"].google_storage_bucket_object.code",
        ]
    );
    let fnode = &g["nodes"][7];
    assert_eq!(fnode["kind"], "resource");
    assert_eq!(fnode["type"], "google_cloudfunctions2_function");
    assert_eq!(fnode["module"], "module.functions[\"refresh-gold\"]");
    assert_eq!(fnode["file"], "modules/fn/main.tf");
    assert_eq!(fnode["line"], 9);
    assert_eq!(g["nodes"][0]["kind"], "data");
    assert_eq!(g["nodes"][3]["kind"], "module");
    assert_eq!(g["nodes"][3]["type"], serde_json::Value::Null);

    let edges: Vec<(String, String, String)> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().into(),
                e["to"].as_str().unwrap().into(),
                e["via"].as_str().unwrap().into(),
            )
        })
        .collect();
    let has =
        |f: &str, t: &str, v: &str| edges.contains(&(f.to_string(), t.to_string(), v.to_string()));
    assert!(
        has(
            "google_pubsub_topic.events",
            "data.google_project.this",
            "data.google_project.this.project_id"
        ),
        "{edges:#?}"
    );
    assert!(
        has(
            "google_pubsub_topic.events",
            "module.functions[\"ingest\"]",
            "depends_on"
        ),
        "{edges:#?}"
    );
    assert!(
        has(
            "module.functions[\"ingest\"]",
            "google_storage_bucket.src",
            "google_storage_bucket.src.name"
        ),
        "{edges:#?}"
    );
    // Through the module's variable, to the resource its argument refers to.
    assert!(
        has(
            "module.functions[\"ingest\"].google_storage_bucket_object.code",
            "google_storage_bucket.src",
            "var.bucket"
        ),
        "{edges:#?}"
    );
    assert!(
        has(
            "module.functions[\"ingest\"].google_cloudfunctions2_function.this",
            "module.functions[\"ingest\"].google_storage_bucket_object.code",
            "google_storage_bucket_object.code.name"
        ),
        "{edges:#?}"
    );
    // The module instance depends on what its outputs refer to.
    assert!(
        has(
            "module.functions[\"ingest\"]",
            "module.functions[\"ingest\"].google_cloudfunctions2_function.this",
            "output.uri"
        ),
        "{edges:#?}"
    );
    // An instance never depends on another instance of a different module key.
    assert!(!edges
        .iter()
        .any(|(f, t, _)| f.contains("ingest") && t.contains("refresh-gold")));
}

#[test]
fn filters_keep_a_type_or_a_module() {
    let g = json(&["--type", "google_storage_bucket_object"]);
    let addrs: Vec<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        addrs,
        [
            "module.functions[\"ingest\"].google_storage_bucket_object.code",
            "module.functions[\"refresh-gold\"].google_storage_bucket_object.code"
        ]
    );
    assert_eq!(g["edges"].as_array().unwrap().len(), 0);

    let g = json(&["--module", "module.functions[\"refresh-gold\"]"]);
    let addrs: Vec<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["address"].as_str().unwrap())
        .collect();
    assert_eq!(addrs.len(), 3, "{addrs:?}");
    assert!(addrs
        .iter()
        .all(|a| a.starts_with("module.functions[\"refresh-gold\"]")));
}

#[test]
fn var_and_var_file_apply_in_command_line_order() {
    let modules = |g: &serde_json::Value| {
        g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "module")
            .count()
    };
    assert_eq!(modules(&json(&[])), 2);
    let tmp = support::tempdir();
    let file = tmp.path().join("three.tfvars");
    std::fs::write(&file, "functions = [\"x\", \"y\", \"z\"]\n").unwrap();
    let file = file.to_str().unwrap();
    // The later of --var and --var-file wins, as with terraform.
    assert_eq!(
        modules(&json(&["--var", "functions=[\"a\"]", "--var-file", file])),
        3
    );
    assert_eq!(
        modules(&json(&["--var-file", file, "--var", "functions=[\"a\"]"])),
        1
    );
    // A relative --var-file is relative to -C.
    assert_eq!(modules(&json(&["--var-file", "one.tfvars"])), 1);
}

#[test]
fn dot_and_mermaid_render_the_same_graph() {
    let (code, dot, _) = graph(&["--format", "dot"]);
    assert_eq!(code, 0);
    assert!(dot.starts_with("digraph tfrecon {"));
    assert!(dot.contains("\"google_pubsub_topic.events\" -> \"data.google_project.this\" [label = \"data.google_project.this.project_id\"];"), "{dot}");
    let (code, mm, _) = graph(&["--format", "mermaid"]);
    assert_eq!(code, 0);
    assert!(mm.starts_with("flowchart RL\n"));
    assert_eq!(mm.matches("-->").count(), dot.matches(" -> ").count());
}

#[test]
fn an_unknown_expansion_is_reported_and_the_exit_code_says_incomplete() {
    let tmp = support::tempdir();
    std::fs::write(
        tmp.path().join("main.tf"),
        "data \"google_projects\" \"p\" {\n  filter = \"x\"\n}\nresource \"google_project_service\" \"s\" {\n  for_each = toset(data.google_projects.p.projects[*].project_id)\n  service = \"run.googleapis.com\"\n}\n",
    )
    .unwrap();
    let out = Command::cargo_bin("tfrecon")
        .unwrap()
        .args(["graph", "--format", "json", "-C"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("google_project_service.s") && err.contains("for_each"),
        "{err}"
    );
}

#[test]
fn a_syntax_error_exits_1_with_the_position() {
    let tmp = support::tempdir();
    std::fs::write(
        tmp.path().join("main.tf"),
        "resource \"a\" \"b\" {\n  x = [1,\n}\n",
    )
    .unwrap();
    let out = Command::cargo_bin("tfrecon")
        .unwrap()
        .args(["graph", "-C"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("main.tf:3:1"), "{err}");
}

#[test]
fn references_to_module_outputs_lead_to_what_the_outputs_come_from() {
    let tmp = support::tempdir();
    let files = [
        (
            "main.tf",
            "module \"network\" {\n  source = \"./network\"\n  dns_ip = module.dns.ip\n}\nmodule \"dns\" {\n  source     = \"./dns\"\n  network_id = module.network.id\n}\nresource \"google_compute_instance\" \"vm\" {\n  name    = \"vm\"\n  network = module.network.self_link\n}\n",
        ),
        (
            "network/main.tf",
            "variable \"dns_ip\" {}\nresource \"google_compute_network\" \"n\" {\n  name = \"core\"\n}\noutput \"id\" {\n  value = \"net-core\"\n}\noutput \"self_link\" {\n  value = google_compute_network.n.self_link\n}\n",
        ),
        (
            "dns/main.tf",
            "variable \"network_id\" {}\nresource \"google_dns_managed_zone\" \"z\" {\n  name    = \"z\"\n  network = var.network_id\n}\noutput \"ip\" {\n  value = \"10.0.0.53\"\n}\n",
        ),
    ];
    for (name, text) in files {
        let p = tmp.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let out = Command::cargo_bin("tfrecon")
        .unwrap()
        .args(["graph", "--format", "json", "-C"])
        .arg(tmp.path())
        .env_remove("TF_WORKSPACE")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // Modules that feed each other through outputs of constants are no cycle.
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("cycle"), "{err}");
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let edges: Vec<(String, String, String)> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().into(),
                e["to"].as_str().unwrap().into(),
                e["via"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        edges.contains(&(
            "google_compute_instance.vm".into(),
            "module.network.google_compute_network.n".into(),
            "module.network.self_link".into()
        )),
        "{edges:#?}"
    );
    assert!(
        !edges
            .iter()
            .any(|(f, _, _)| f.starts_with("module.dns") && !f.starts_with("module.dns.")),
        "module.dns depends on nothing but its own resource: {edges:#?}"
    );
}
