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
fn google_catalog_has_at_least_260_types_most_used_first() {
    let gcp = Catalog::gcp();
    assert!(gcp.types().len() >= 260, "{} rows", gcp.types().len());
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
        listable.len() >= LISTABLE_FLOOR,
        "{} asset types listed",
        listable.len()
    );
}

const LISTABLE_FLOOR: usize = 120;

#[test]
fn every_iam_parent_with_members_has_binding_and_policy_rows() {
    let gcp = Catalog::gcp();
    let parents = gcp.iam_parent_types();
    assert!(parents.len() >= 30, "{} IAM parents", parents.len());
    for parent in parents {
        let kinds: Vec<IamKind> = gcp
            .iam_types_for_parent(parent)
            .map(|t| t.gcp.as_ref().unwrap().iam.as_ref().unwrap().kind)
            .collect();
        if kinds.contains(&IamKind::Member) {
            for k in [IamKind::Binding, IamKind::Policy] {
                assert!(
                    kinds.contains(&k),
                    "{parent} has member rows but no {k:?} row"
                );
            }
        }
    }
}

#[test]
fn every_id_format_renders_from_the_example_attributes() {
    let gcp = Catalog::gcp();
    let mut with_format = 0;
    for t in gcp.types() {
        let Some(format) = &t.id_format else { continue };
        with_format += 1;
        let id = t.render_id(&t.example_attributes).unwrap_or_else(|| {
            panic!(
                "{}: id_format `{format}` names an attribute the examples do not give",
                t.type_name
            )
        });
        assert!(!id.contains('{'), "{}: {id}", t.type_name);
    }
    assert!(
        with_format >= ID_FORMAT_FLOOR,
        "{with_format} rows with id_format"
    );
}

const ID_FORMAT_FLOOR: usize = 52;

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

/// The catalog files and documentation fixtures are read from this checkout at run time, so the
/// check can be re-run on edited data without rebuilding (`TFRECON_SOURCE_ROOT` points elsewhere).
fn source_root() -> std::path::PathBuf {
    std::env::var_os("TFRECON_SOURCE_ROOT")
        .map(Into::into)
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())
}

/// The `## Import` section of a provider documentation page, kept verbatim under
/// `testdata/catalog/docs/<cloud>/<type>.md`, with a header naming its source:
///
/// ```text
/// <!-- source: hashicorp/terraform-provider-google:website/docs/r/pubsub_topic.html.markdown@COMMIT -->
/// <!-- alias: {{doc_name}} = attribute -->        (optional, when the page names a placeholder differently)
/// ## Import
/// ...
/// ```
struct DocImport {
    source: String,
    aliases: std::collections::HashMap<String, String>,
    /// The accepted formats the page lists (`* \`...\``).
    formats: Vec<String>,
    /// Every example ID the page gives: `id = "..."` in import blocks and `terraform import` lines.
    examples: Vec<String>,
    /// Why the row departs from the page, with the evidence (the page is older than the
    /// provider's importer): `<!-- exception: ... -->`.
    exception: Option<String>,
}

fn read_doc_import(path: &std::path::Path, tf_type: &str) -> Result<DocImport, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut doc = DocImport {
        source: String::new(),
        aliases: Default::default(),
        formats: vec![],
        examples: vec![],
        exception: None,
    };
    let unquote = |s: &str| {
        // Inline code (`` `$ terraform import T.x ID` ``) ends in a backtick.
        let s = s.trim().trim_end_matches('`').trim();
        for q in ['"', '\''] {
            if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
                return s[1..s.len() - 1].to_string();
            }
        }
        s.to_string()
    };
    let import_cmd = format!("terraform import {tf_type}.");
    // Shell commands continued over lines with `\` are read as one line.
    let mut joined: Vec<String> = Vec::new();
    let mut continued = false;
    for line in text.lines() {
        let (body, more) = match line.trim_end().strip_suffix('\\') {
            Some(b) => (b, true),
            None => (line, false),
        };
        match joined.last_mut() {
            Some(last) if continued => {
                last.push(' ');
                last.push_str(body.trim());
            }
            _ => joined.push(body.to_string()),
        }
        continued = more;
    }
    for line in &joined {
        let l = line.trim();
        if let Some(rest) = l.strip_prefix("<!-- source:") {
            doc.source = rest.trim_end_matches("-->").trim().to_string();
        } else if let Some(rest) = l.strip_prefix("<!-- exception:") {
            doc.exception = Some(rest.trim_end_matches("-->").trim().to_string());
        } else if let Some(rest) = l.strip_prefix("<!-- alias:") {
            let (k, v) = rest
                .trim_end_matches("-->")
                .split_once('=')
                .ok_or_else(|| format!("{}: bad alias line `{l}`", path.display()))?;
            doc.aliases.insert(
                k.trim().trim_matches(|c| c == '{' || c == '}').to_string(),
                v.trim().to_string(),
            );
        } else if let Some(f) = l.strip_prefix("* `").and_then(|f| f.strip_suffix('`')) {
            if f.starts_with('"') {
                // A quoted bullet is an example ID (`* \`"{{org_id}} roles/viewer"\``).
                doc.examples.push(unquote(f));
            } else {
                doc.formats.push(f.to_string());
            }
        } else if let Some(v) = l.strip_prefix("id = ").or_else(|| l.strip_prefix("id=")) {
            doc.examples.push(unquote(v));
        } else if let Some(pos) = normalized(l).find(&import_cmd) {
            let l = normalized(l);
            let after = &l[pos + import_cmd.len()..];
            if let Some((_name, id)) = after.split_once(char::is_whitespace) {
                doc.examples.push(unquote(id));
            }
        }
    }
    if doc.source.is_empty() {
        return Err(format!(
            "{}: no `<!-- source: ... -->` line",
            path.display()
        ));
    }
    if !text.contains("## Import") {
        return Err(format!("{}: no `## Import` section", path.display()));
    }
    Ok(doc)
}

/// A command line with its runs of spaces made single (continued lines leave double ones).
fn normalized(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Replaces the page's `{{name}}` placeholders with the row's example attribute values.
fn fill_doc_template(
    template: &str,
    aliases: &std::collections::HashMap<String, String>,
    attrs: &serde_json::Value,
) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let close = open + rest[open..].find("}}")?;
        let name = &rest[open + 2..close];
        let attr = aliases.get(name).map(String::as_str).unwrap_or(name);
        out.push_str(&rest[..open]);
        out.push_str(&tfrecon::catalog::lookup_attr(attrs, attr)?);
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// A catalog template written the way the page writes it: `{attr}` becomes `{{doc_name}}`.
fn as_doc_format(template: &str, aliases: &std::collections::HashMap<String, String>) -> String {
    let mut out = template.to_string();
    for (doc_name, attr) in aliases {
        out = out.replace(&format!("{{{attr}}}"), &format!("{{{{{doc_name}}}}}"));
    }
    let mut res = String::new();
    let mut chars = out.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                // Already in the page's form.
                chars.next();
                res.push_str("{{");
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                res.push_str("}}");
            }
            '{' => res.push_str("{{"),
            '}' => res.push_str("}}"),
            c => res.push(c),
        }
    }
    res
}

#[test]
fn every_row_renders_an_example_from_its_provider_documentation() {
    let root = source_root();
    let mut failures = Vec::new();
    let mut exceptions = Vec::new();
    for (cloud, dir, file) in [
        (Cloud::Gcp, "gcp", "gcp.toml"),
        (Cloud::Aws, "aws", "aws.toml"),
    ] {
        let text = std::fs::read_to_string(root.join("catalog").join(file)).unwrap();
        let cat = Catalog::parse(cloud, &text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for t in cat.types() {
            let path = root
                .join("testdata/catalog/docs")
                .join(dir)
                .join(format!("{}.md", t.type_name));
            let doc = match read_doc_import(&path, &t.type_name) {
                Ok(d) => d,
                Err(e) => {
                    failures.push(format!("{}: {e}", t.type_name));
                    continue;
                }
            };
            let page = doc.source.split('@').next().unwrap_or_default();
            let page_path = page.split(':').nth(1).unwrap_or(page);
            if !t.source.contains(page_path) {
                failures.push(format!(
                    "{}: `source` does not cite the page the fixture comes from ({page})",
                    t.type_name
                ));
            }
            if doc.exception.is_some() {
                exceptions.push(t.type_name.clone());
                continue;
            }
            let filled: Vec<String> = doc
                .examples
                .iter()
                .filter_map(|e| fill_doc_template(e, &doc.aliases, &t.example_attributes))
                .collect();
            if !filled.contains(&t.example_id) {
                failures.push(format!(
                    "{}: example_id `{}` is none of the page's examples {:?} (filled in: {:?})",
                    t.type_name, t.example_id, doc.examples, filled
                ));
            }
            if !doc.formats.is_empty() {
                for f in &t.import_id {
                    if f.as_str().contains("condition") {
                        continue; // IAM condition titles: described in prose, not listed.
                    }
                    let as_doc = as_doc_format(f.as_str(), &doc.aliases);
                    if !doc.formats.contains(&as_doc) {
                        failures.push(format!(
                            "{}: import format `{as_doc}` is not among the page's {:?}",
                            t.type_name, doc.formats
                        ));
                    }
                }
            }
        }
    }
    // Departures from the page are explained in their fixture, and rare.
    assert!(exceptions.len() <= 3, "too many exceptions: {exceptions:?}");
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
