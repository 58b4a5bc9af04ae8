//! Per-type knowledge as reviewed data: `catalog/gcp.toml` and `catalog/aws.toml`, embedded in
//! the binary and validated when loaded. Owns import ID templates, identity, natural keys, the
//! fields compared in diffs and what marks a resource as created by a cloud service.
//! It must not list anything or talk to a cloud: listers read it, they do not live here.
//!
//! File format, one `[[resource]]` table per Terraform type:
//!
//! ```toml
//! [[resource]]
//! type = "google_pubsub_topic"                # unique in the file
//! import_id = ["projects/{project}/topics/{name}", "{project}/{name}"]   # accepted, preferred first
//! identity = ["project", "name"]              # attributes the preferred import ID uses
//! example_id = "projects/my-project/topics/my-topic"
//! example_attributes = { project = "my-project", name = "my-topic" }     # renders example_id
//! id_format = "projects/{project}/topics/{name}"  # the provider's `id` attribute (optional)
//! natural_keys = []                           # for cloud-assigned IDs, e.g. ["display_name"]
//! fields = { "displayName" = "display_name" } # API field -> Terraform attribute
//! attributes = ["unique_id"]                  # other attributes the templates name (optional)
//! ignore = ["id"]                             # never compared in diffs
//! secret = []                                 # never printed in clear
//! json_attributes = []                        # JSON documents, compared structurally
//! source = "hashicorp/terraform-provider-google:website/docs/r/pubsub_topic.html.markdown"
//! service_managed = [ { attribute = "name", prefix = "gcf-sources-" } ]  # equals|prefix|suffix|regex
//! [resource.gcp]
//! asset_type = "pubsub.googleapis.com/Topic"  # "" when not a Cloud Asset Inventory asset of its own
//! asset_name = "//pubsub.googleapis.com/projects/{project}/topics/{name}"
//! project_ref = "project_id"                  # project_id | project_number | n/a
//! iam = { parent_asset_type = "...", kind = "member" }   # member | binding | policy
//! [resource.aws]
//! service = "iam"; list = ["ListRoles"]; global = true; cloudformation_type = "AWS::IAM::Role"
//! lister = "cloudcontrol"                     # cloudcontrol (default) | sdk | within | none
//! parent = { cloudformation_type = "AWS::ECS::Cluster", property = "Cluster", from = "Arn" }
//! ```
//!
//! Placeholders are `{attr}` or `{attr.sub}` and must name a declared attribute (identity,
//! example attributes, field targets, natural keys or `attributes`). In an `asset_name`, a
//! placeholder starting with `_` matches a name segment that is not a Terraform attribute.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashMapExt};
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

/// The clouds whose types the catalogs describe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    Gcp,
    Aws,
}

const GCP_TOML: &str = include_str!("../../catalog/gcp.toml");
const AWS_TOML: &str = include_str!("../../catalog/aws.toml");
const LOCAL_TOML: &str = include_str!("../../catalog/local.toml");

static GCP: LazyLock<Catalog> = LazyLock::new(|| {
    Catalog::parse(Cloud::Gcp, GCP_TOML).unwrap_or_else(|e| panic!("catalog/gcp.toml: {e}"))
});
static AWS: LazyLock<Catalog> = LazyLock::new(|| {
    Catalog::parse(Cloud::Aws, AWS_TOML).unwrap_or_else(|e| panic!("catalog/aws.toml: {e}"))
});

/// `catalog/local.toml`: the types with no live counterpart.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocalTypes {
    providers: BTreeSet<String>,
    types: BTreeSet<String>,
}

static LOCAL: LazyLock<LocalTypes> = LazyLock::new(|| {
    toml::from_str(LOCAL_TOML).unwrap_or_else(|e| panic!("catalog/local.toml: {e}"))
});

/// What is wrong with a catalog file.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("not valid TOML for the catalog format: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("type {type_name}: {reason}")]
    Row { type_name: String, reason: String },
}

/// A template attribute that had no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("attribute `{0}` is needed to build the import ID and is unknown")]
pub struct MissingAttr(pub String);

/// All the types of one cloud, in file order (most used first).
#[derive(Debug)]
pub struct Catalog {
    cloud: Cloud,
    types: Vec<TypeInfo>,
    by_type: HashMap<String, usize>,
    by_native: HashMap<String, Vec<usize>>,
    iam_by_parent: HashMap<String, Vec<usize>>,
}

impl Catalog {
    /// The Google Cloud catalog, loaded and validated once.
    pub fn gcp() -> &'static Catalog {
        &GCP
    }

    /// The AWS catalog, loaded and validated once.
    pub fn aws() -> &'static Catalog {
        &AWS
    }

    /// Whether resources of this type exist only in state or on the machine that runs
    /// Terraform (`random_id`, `tls_private_key`, `terraform_data`): nothing live to check.
    pub fn local_only(tf_type: &str) -> bool {
        let local = &*LOCAL;
        local.types.contains(tf_type)
            || tf_type
                .split_once('_')
                .is_some_and(|(provider, _)| local.providers.contains(provider))
    }

    pub fn for_cloud(cloud: Cloud) -> &'static Catalog {
        match cloud {
            Cloud::Gcp => Catalog::gcp(),
            Cloud::Aws => Catalog::aws(),
        }
    }

    /// Parses and validates a catalog file.
    pub fn parse(cloud: Cloud, text: &str) -> Result<Catalog, CatalogError> {
        let file: wire::File = toml::from_str(text)?;
        let mut types = Vec::with_capacity(file.resource.len());
        let mut by_type = HashMap::new();
        let mut by_native: HashMap<String, Vec<usize>> = HashMap::new();
        let mut iam_by_parent: HashMap<String, Vec<usize>> = HashMap::new();
        for row in file.resource {
            let info = TypeInfo::from_wire(cloud, row)?;
            let idx = types.len();
            if by_type.insert(info.type_name.clone(), idx).is_some() {
                return Err(row_err(&info.type_name, "appears more than once"));
            }
            if let Some(native) = info.native_type() {
                by_native.entry(native.to_string()).or_default().push(idx);
            }
            if let Some(iam) = info.gcp.as_ref().and_then(|g| g.iam.as_ref()) {
                iam_by_parent
                    .entry(iam.parent_asset_type.clone())
                    .or_default()
                    .push(idx);
            }
            types.push(info);
        }
        Ok(Catalog {
            cloud,
            types,
            by_type,
            by_native,
            iam_by_parent,
        })
    }

    pub fn cloud(&self) -> Cloud {
        self.cloud
    }

    /// Every type, most used first.
    pub fn types(&self) -> &[TypeInfo] {
        &self.types
    }

    pub fn get(&self, tf_type: &str) -> Option<&TypeInfo> {
        self.by_type.get(tf_type).map(|&i| &self.types[i])
    }

    /// The types listed under a native type (a CAI asset type or a CloudFormation type), in
    /// file order. Several Terraform types can share one native type; the listers tell them
    /// apart by name (`global/`, `regions/`, `zones/`) and by `when` conditions.
    pub fn by_native_type(&self, native: &str) -> impl Iterator<Item = &TypeInfo> {
        self.by_native
            .get(native)
            .into_iter()
            .flatten()
            .map(|&i| &self.types[i])
    }

    /// The IAM rows (`*_iam_member`, `_binding`, `_policy`) built from a parent's IAM policy.
    pub fn iam_types_for_parent(&self, parent_asset_type: &str) -> impl Iterator<Item = &TypeInfo> {
        self.iam_by_parent
            .get(parent_asset_type)
            .into_iter()
            .flatten()
            .map(|&i| &self.types[i])
    }

    /// The distinct native types the catalog can list, in file order.
    pub fn listable_native_types(&self) -> Vec<&str> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for t in &self.types {
            if let Some(n) = t.native_type() {
                if seen.insert(n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// The distinct parent asset types whose IAM policies the catalog turns into resources.
    pub fn iam_parent_types(&self) -> Vec<&str> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for t in &self.types {
            if let Some(iam) = t.gcp.as_ref().and_then(|g| g.iam.as_ref()) {
                if seen.insert(iam.parent_asset_type.as_str()) {
                    out.push(iam.parent_asset_type.as_str());
                }
            }
        }
        out
    }
}

/// One Terraform type.
#[derive(Debug, Clone)]
pub struct TypeInfo {
    pub type_name: String,
    /// Accepted import ID formats, preferred first.
    pub import_id: Vec<Template>,
    pub identity: Vec<String>,
    pub example_id: String,
    pub example_attributes: serde_json::Value,
    /// How the provider spells the resource's `id` attribute, which often differs from the
    /// import ID (a bucket's `id` is its name). `None` when not recorded: `.id` of a resource
    /// matched live then stays unknown rather than guessed.
    pub id_format: Option<Template>,
    pub natural_keys: Vec<String>,
    /// API field path (dotted) → Terraform attribute.
    pub fields: BTreeMap<String, String>,
    pub ignore: Vec<String>,
    pub secret: Vec<String>,
    pub json_attributes: Vec<String>,
    pub source: String,
    pub service_managed: Vec<Condition>,
    pub gcp: Option<GcpInfo>,
    pub aws: Option<AwsInfo>,
}

#[derive(Debug, Clone)]
pub struct GcpInfo {
    /// Empty when the type is not an asset of its own (IAM rows, types not yet verified).
    pub asset_type: String,
    pub asset_name: Option<Template>,
    pub project_ref: ProjectRef,
    pub iam: Option<IamInfo>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ProjectRef {
    /// The asset name carries the project ID.
    #[serde(rename = "project_id")]
    ProjectId,
    /// The asset name carries the project number: map it to the ID before building the import ID.
    #[serde(rename = "project_number")]
    ProjectNumber,
    #[serde(rename = "n/a")]
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamInfo {
    pub parent_asset_type: String,
    pub kind: IamKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IamKind {
    /// One resource per member per binding.
    Member,
    /// One resource per binding (role, and condition when present).
    Binding,
    /// One resource per policy.
    Policy,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsInfo {
    pub service: String,
    pub list: Vec<String>,
    #[serde(default)]
    pub global: bool,
    pub cloudformation_type: String,
    /// How tfrecon lists the type; Cloud Control unless the row says otherwise.
    #[serde(default)]
    pub lister: AwsLister,
    /// Cloud Control lists this type per parent resource (`ResourceModel` names the parent).
    #[serde(default)]
    pub parent: Option<AwsParent>,
    /// The type lives inside another type's Cloud Control model (`lister = "within"`).
    #[serde(default)]
    pub within: Option<AwsWithin>,
    /// Rows sharing a CloudFormation type: a resource is this row's when every test holds.
    #[serde(default)]
    pub when: Vec<AwsTest>,
    /// Attributes the import ID needs that Terraform does not have, cut out of another.
    #[serde(default)]
    pub derive: Vec<AwsDerive>,
    /// Attributes left out when the import ID is rendered, when their test holds (the
    /// provider writes the default EventBridge bus out of IDs).
    #[serde(default)]
    pub import_omit: Vec<AwsTest>,
    /// The attribute holding the resource's own access policy (a JSON document).
    #[serde(default)]
    pub policy_attribute: Option<String>,
    /// EC2 resources AWS creates by itself (a region's default VPC, its subnets, network ACLs,
    /// main route tables), which the Cloud Control model does not mark: an EC2 `action`
    /// filtered on `filter = true` names their `id_element`s, matched against `attribute`.
    #[serde(default)]
    pub ec2_created: Option<AwsEc2Created>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsEc2Created {
    pub action: String,
    pub filter: String,
    pub id_element: String,
    pub attribute: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum AwsLister {
    /// `cloudformation:ListResources` with the row's `cloudformation_type`.
    #[default]
    #[serde(rename = "cloudcontrol")]
    CloudControl,
    /// A dedicated SDK lister (what Cloud Control cannot list).
    #[serde(rename = "sdk")]
    Sdk,
    /// Built from a property of the `within` type's Cloud Control model.
    #[serde(rename = "within")]
    Within,
    /// Not listed yet: the type is never reported as deleted.
    #[serde(rename = "none")]
    None,
}

/// `ResourceModel = { property: <the parent's `from` property> }`, once per parent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsParent {
    pub cloudformation_type: String,
    pub property: String,
    pub from: String,
}

/// One resource per element of `property` (or for the object itself) in each resource of
/// `cloudformation_type`; its fields read `Item.*` and `Parent.*`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsWithin {
    pub cloudformation_type: String,
    pub property: String,
}

/// A test on a Terraform attribute: `equals`, `regex`, or `present`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsTest {
    pub attribute: String,
    pub equals: Option<String>,
    pub regex: Option<String>,
    pub present: Option<bool>,
}

/// `attribute` is the first capture group of `regex` over the value of `from`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsDerive {
    pub attribute: String,
    pub from: String,
    pub regex: String,
}

impl TypeInfo {
    /// The cloud's own type name (CAI asset type, CloudFormation type), when it is listable.
    pub fn native_type(&self) -> Option<&str> {
        if let Some(g) = &self.gcp {
            return (!g.asset_type.is_empty()).then_some(g.asset_type.as_str());
        }
        self.aws.as_ref().map(|a| a.cloudformation_type.as_str())
    }

    /// Builds the import ID from Terraform attributes with the first accepted format whose
    /// attributes are all known. Formats that leave out an identity attribute (the short forms
    /// that rely on the provider's default project) are never used: that would be a guess.
    /// The error names the preferred format's first missing attribute.
    pub fn render_import_id(&self, attributes: &serde_json::Value) -> Result<String, MissingAttr> {
        let mut first_err = None;
        let complete = |t: &&Template| {
            let used: BTreeSet<&str> = t.placeholders().collect();
            self.identity.iter().all(|i| used.contains(i.as_str()))
        };
        for t in self.import_id.iter().filter(complete) {
            match t.render(attributes) {
                Ok(id) => return Ok(id),
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        Err(first_err.unwrap_or_else(|| MissingAttr(String::new())))
    }

    /// The provider's `id` attribute for these attributes; `None` when the catalog does not
    /// record its format or an attribute it needs is unknown.
    pub fn render_id(&self, attributes: &serde_json::Value) -> Option<String> {
        self.id_format.as_ref()?.render(attributes).ok()
    }

    /// Whether a cloud service created the live resource with these attributes and labels
    /// (nobody should import it).
    pub fn is_service_managed<'l>(
        &self,
        attributes: &serde_json::Value,
        label: impl Fn(&str) -> Option<&'l str>,
    ) -> bool {
        self.service_managed.iter().any(|c| {
            lookup_attr(attributes, &c.attribute)
                .or_else(|| {
                    c.attribute
                        .strip_prefix("labels.")
                        .and_then(|k| label(k).map(str::to_string))
                })
                .is_some_and(|v| c.matches(&v))
        })
    }

    fn from_wire(cloud: Cloud, row: wire::Resource) -> Result<TypeInfo, CatalogError> {
        let name = row.type_name.clone();
        let err = |reason: String| row_err(&name, &reason);
        if row.import_id.is_empty() {
            return Err(err("import_id lists no format".into()));
        }
        let import_id = row
            .import_id
            .iter()
            .map(|s| Template::parse(s).map_err(&err))
            .collect::<Result<Vec<_>, _>>()?;
        let mut declared: BTreeSet<&str> = BTreeSet::new();
        declared.extend(row.identity.iter().map(String::as_str));
        declared.extend(row.natural_keys.iter().map(String::as_str));
        declared.extend(row.fields.values().map(String::as_str));
        declared.extend(row.attributes.iter().map(String::as_str));
        declared.extend(row.example_attributes.keys().map(String::as_str));
        // IAM rows always carry the binding's condition.
        if row.gcp.as_ref().is_some_and(|g| g.iam.is_some()) {
            declared.extend(["condition.title", "condition.expression"]);
        }
        let check = |t: &Template, what: &str| -> Result<(), CatalogError> {
            for p in t.placeholders() {
                if !p.starts_with('_') && !declared.contains(p) {
                    return Err(err(format!(
                        "{what} `{}` names `{{{p}}}`, which is not a declared attribute",
                        t.raw
                    )));
                }
            }
            Ok(())
        };
        for t in &import_id {
            check(t, "import_id")?;
        }
        let id_format = match &row.id_format {
            Some(f) => {
                let t = Template::parse(f).map_err(&err)?;
                check(&t, "id_format")?;
                Some(t)
            }
            None => None,
        };
        let preferred: BTreeSet<&str> = import_id[0].placeholders().collect();
        for i in &row.identity {
            if !preferred.contains(i.as_str()) {
                return Err(err(format!(
                    "identity attribute `{i}` is not used by the preferred import ID `{}`",
                    import_id[0].raw
                )));
            }
        }
        let example_attributes = serde_json::Value::Object(
            row.example_attributes
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect(),
        );
        let example_attributes = unflatten(&example_attributes);
        let service_managed = row
            .service_managed
            .iter()
            .map(|c| Condition::from_wire(c).map_err(&err))
            .collect::<Result<Vec<_>, _>>()?;
        let gcp = match (cloud, row.gcp, row.aws.is_some()) {
            (Cloud::Gcp, Some(g), false) => {
                let asset_name = if g.asset_name.is_empty() {
                    None
                } else {
                    let t = Template::parse(&g.asset_name).map_err(&err)?;
                    check(&t, "asset_name")?;
                    Some(t)
                };
                if !g.asset_type.is_empty() && asset_name.is_none() {
                    return Err(err("asset_type is set but asset_name is empty".into()));
                }
                if g.iam.is_some() && (!g.asset_type.is_empty() || asset_name.is_none()) {
                    return Err(err(
                        "an IAM row has an empty asset_type and the parent's asset_name".into(),
                    ));
                }
                Some(GcpInfo {
                    asset_type: g.asset_type,
                    asset_name,
                    project_ref: g.project_ref,
                    iam: g.iam.map(|i| IamInfo {
                        parent_asset_type: i.parent_asset_type,
                        kind: i.kind,
                    }),
                })
            }
            (Cloud::Aws, None, true) => None,
            (Cloud::Gcp, _, _) => return Err(err("a Google row needs [resource.gcp] only".into())),
            (Cloud::Aws, _, _) => return Err(err("an AWS row needs [resource.aws] only".into())),
        };
        Ok(TypeInfo {
            type_name: row.type_name,
            import_id,
            identity: row.identity,
            example_id: row.example_id,
            example_attributes,
            id_format,
            natural_keys: row.natural_keys,
            fields: row.fields,
            ignore: row.ignore,
            secret: row.secret,
            json_attributes: row.json_attributes,
            source: row.source,
            service_managed,
            gcp,
            aws: row.aws,
        })
    }
}

fn row_err(type_name: &str, reason: &str) -> CatalogError {
    CatalogError::Row {
        type_name: type_name.to_string(),
        reason: reason.to_string(),
    }
}

/// `{"condition.title": "x"}` → `{"condition": {"title": "x"}}`, so example attributes look
/// like real ones.
fn unflatten(flat: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    if let Some(obj) = flat.as_object() {
        for (k, v) in obj {
            let mut parts = k.split('.').peekable();
            let mut cur = &mut out;
            while let Some(p) = parts.next() {
                if parts.peek().is_none() {
                    cur.insert(p.to_string(), v.clone());
                } else {
                    cur = cur
                        .entry(p.to_string())
                        .or_insert_with(|| serde_json::Value::Object(Default::default()))
                        .as_object_mut()
                        .expect("example attribute paths do not overlap");
                }
            }
        }
    }
    serde_json::Value::Object(out)
}

/// Reads `attr` or `attr.sub` from Terraform-style attributes. A list on the way (a nested
/// block such as `condition`) is read at its first element, as Terraform's `condition.0.title`.
pub fn lookup_attr(attributes: &serde_json::Value, path: &str) -> Option<String> {
    let mut cur = attributes;
    for part in path.split('.') {
        if let Some(arr) = cur.as_array() {
            cur = arr.first()?;
        }
        cur = cur.get(part)?;
    }
    if let Some(arr) = cur.as_array() {
        cur = arr.first()?;
    }
    match cur {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A `{placeholder}` template for import IDs and asset names.
#[derive(Debug, Clone)]
pub struct Template {
    raw: String,
    parts: Vec<Part>,
    /// The pattern that matches a name against the template, groups in placeholder order;
    /// compiled the first time a name is parsed (a run reads a few of the hundreds of rows).
    pattern: String,
    matcher: std::sync::OnceLock<Regex>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    Attr(String),
}

impl Template {
    pub fn parse(raw: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut rest = raw;
        let mut pattern = String::from("^");
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or_else(|| format!("template `{raw}` has an unclosed `{{`"))?;
            let name = &rest[open + 1..close];
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
            {
                return Err(format!(
                    "template `{raw}` has a bad placeholder `{{{name}}}`"
                ));
            }
            if open > 0 {
                parts.push(Part::Lit(rest[..open].to_string()));
                pattern.push_str(&regex::escape(&rest[..open]));
            }
            if matches!(parts.last(), Some(Part::Attr(_))) {
                return Err(format!(
                    "template `{raw}` has two placeholders with nothing between"
                ));
            }
            // A placeholder right after the host of a full resource name holds a path
            // (`//cloudkms.googleapis.com/{key_ring}` is `projects/.../keyRings/k`); lazy, so
            // that literal separators bind. Anywhere else it is one segment: a global template
            // must not read a regional name (`projects/p/locations/l/secrets/s` is not the
            // secret `s` of project `p/locations/l`).
            let prefix: String = parts
                .iter()
                .map(|p| match p {
                    Part::Lit(l) => l.as_str(),
                    Part::Attr(_) => "\u{0}",
                })
                .collect();
            let after_host = prefix.starts_with("//")
                && prefix.ends_with('/')
                && prefix[2..prefix.len() - 1].find('/').is_none();
            pattern.push_str(if after_host { "(.+?)" } else { "([^/]+)" });
            parts.push(Part::Attr(name.to_string()));
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            return Err(format!("template `{raw}` has a stray `}}`"));
        }
        if !rest.is_empty() {
            parts.push(Part::Lit(rest.to_string()));
            pattern.push_str(&regex::escape(rest));
        }
        pattern.push('$');
        // Literals are escaped and groups fixed: the pattern always compiles (a catalog test
        // compiles every one).
        Ok(Template {
            raw: raw.to_string(),
            parts,
            pattern,
            matcher: std::sync::OnceLock::new(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }

    fn matcher(&self) -> &Regex {
        self.matcher.get_or_init(|| {
            Regex::new(&self.pattern)
                .unwrap_or_else(|e| panic!("template `{}` makes an invalid pattern: {e}", self.raw))
        })
    }

    /// Compiles the pattern now: for tests that check every row.
    pub fn check(&self) -> Result<(), String> {
        Regex::new(&self.pattern)
            .map(|_| ())
            .map_err(|e| format!("template `{}`: {e}", self.raw))
    }

    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Attr(a) => Some(a.as_str()),
            Part::Lit(_) => None,
        })
    }

    pub fn render(&self, attributes: &serde_json::Value) -> Result<String, MissingAttr> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(l) => out.push_str(l),
                Part::Attr(a) => {
                    out.push_str(&lookup_attr(attributes, a).ok_or_else(|| MissingAttr(a.clone()))?)
                }
            }
        }
        Ok(out)
    }

    /// Matches `name` and returns each placeholder's value, or `None` when it does not fit.
    pub fn capture<'n>(&self, name: &'n str) -> Option<Vec<(&str, &'n str)>> {
        let caps = self.matcher().captures(name)?;
        Some(
            self.placeholders()
                .zip(caps.iter().skip(1))
                .filter_map(|(p, m)| m.map(|m| (p, m.as_str())))
                .collect(),
        )
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// One test on an attribute (`labels.KEY` reads a label).
#[derive(Debug, Clone)]
pub struct Condition {
    pub attribute: String,
    pub test: Test,
}

#[derive(Debug, Clone)]
pub enum Test {
    Equals(String),
    Prefix(String),
    Suffix(String),
    Regex(Regex),
}

impl Condition {
    pub fn matches(&self, value: &str) -> bool {
        match &self.test {
            Test::Equals(s) => value == s,
            Test::Prefix(s) => value.starts_with(s.as_str()),
            Test::Suffix(s) => value.ends_with(s.as_str()),
            Test::Regex(r) => r.is_match(value),
        }
    }

    fn from_wire(c: &wire::Condition) -> Result<Condition, String> {
        let tests = [&c.equals, &c.prefix, &c.suffix, &c.regex];
        if tests.iter().filter(|t| t.is_some()).count() != 1 {
            return Err(format!(
                "service_managed condition on `{}` needs exactly one of equals, prefix, suffix, regex",
                c.attribute
            ));
        }
        let test = if let Some(s) = &c.equals {
            Test::Equals(s.clone())
        } else if let Some(s) = &c.prefix {
            Test::Prefix(s.clone())
        } else if let Some(s) = &c.suffix {
            Test::Suffix(s.clone())
        } else {
            let r = c.regex.as_deref().unwrap_or_default();
            Test::Regex(Regex::new(r).map_err(|e| format!("regex `{r}`: {e}"))?)
        };
        Ok(Condition {
            attribute: c.attribute.clone(),
            test,
        })
    }
}

/// The file as written; converted into the types above after validation.
mod wire {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        pub resource: Vec<Resource>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Resource {
        #[serde(rename = "type")]
        pub type_name: String,
        pub import_id: Vec<String>,
        pub identity: Vec<String>,
        pub example_id: String,
        pub example_attributes: BTreeMap<String, String>,
        #[serde(default)]
        pub id_format: Option<String>,
        #[serde(default)]
        pub natural_keys: Vec<String>,
        #[serde(default)]
        pub fields: BTreeMap<String, String>,
        #[serde(default)]
        pub attributes: Vec<String>,
        #[serde(default)]
        pub ignore: Vec<String>,
        #[serde(default)]
        pub secret: Vec<String>,
        #[serde(default)]
        pub json_attributes: Vec<String>,
        pub source: String,
        #[serde(default)]
        pub service_managed: Vec<Condition>,
        pub gcp: Option<Gcp>,
        pub aws: Option<super::AwsInfo>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Condition {
        pub attribute: String,
        pub equals: Option<String>,
        pub prefix: Option<String>,
        pub suffix: Option<String>,
        pub regex: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Gcp {
        pub asset_type: String,
        #[serde(default)]
        pub asset_name: String,
        pub project_ref: super::ProjectRef,
        pub iam: Option<Iam>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Iam {
        pub parent_asset_type: String,
        pub kind: super::IamKind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_of_every_catalog_compiles() {
        for cat in [Catalog::gcp(), Catalog::aws()] {
            for t in cat.types() {
                let templates = t
                    .import_id
                    .iter()
                    .chain(&t.id_format)
                    .chain(t.gcp.as_ref().and_then(|g| g.asset_name.as_ref()));
                for tpl in templates {
                    tpl.check()
                        .unwrap_or_else(|e| panic!("{}: {e}", t.type_name));
                }
            }
        }
    }

    #[test]
    fn template_captures_paths_and_segments() {
        let t = Template::parse("//cloudkms.googleapis.com/{key_ring}/cryptoKeys/{name}").unwrap();
        let caps = t
            .capture("//cloudkms.googleapis.com/projects/p/locations/l/keyRings/r/cryptoKeys/k")
            .unwrap();
        assert_eq!(
            caps,
            vec![
                ("key_ring", "projects/p/locations/l/keyRings/r"),
                ("name", "k")
            ]
        );
        let z = Template::parse(
            "//compute.googleapis.com/projects/{project}/zones/{zone}/disks/{name}",
        )
        .unwrap();
        assert!(z
            .capture("//compute.googleapis.com/projects/p/regions/r/disks/d")
            .is_none());
        // A global template never reads a regional name as a project holding slashes.
        let secret = Template::parse(
            "//secretmanager.googleapis.com/projects/{project}/secrets/{secret_id}",
        )
        .unwrap();
        assert!(secret
            .capture("//secretmanager.googleapis.com/projects/p/locations/l/secrets/s")
            .is_none());
        assert_eq!(
            secret
                .capture("//secretmanager.googleapis.com/projects/p/secrets/s")
                .unwrap(),
            vec![("project", "p"), ("secret_id", "s")]
        );
    }

    #[test]
    fn render_falls_back_to_the_next_format_and_names_the_missing_attribute() {
        let row = Catalog::gcp().get("google_project_iam_member").unwrap();
        let plain =
            serde_json::json!({"project": "p", "role": "roles/viewer", "member": "user:a@b.c"});
        assert_eq!(
            row.render_import_id(&plain).unwrap(),
            "p roles/viewer user:a@b.c"
        );
        let cond = serde_json::json!({"project": "p", "role": "roles/viewer", "member": "user:a@b.c",
            "condition": [{"title": "expires", "expression": "x"}]});
        assert_eq!(
            row.render_import_id(&cond).unwrap(),
            "p roles/viewer user:a@b.c expires"
        );
        let err = row
            .render_import_id(&serde_json::json!({"role": "r"}))
            .unwrap_err();
        assert_eq!(err.0, "project");
    }

    #[test]
    fn rejects_unknown_placeholders() {
        let text = r#"
[[resource]]
type = "google_x"
import_id = ["{project}/{nme}"]
identity = ["project"]
example_id = "p"
example_attributes = { project = "p" }
source = "s"
[resource.gcp]
asset_type = ""
project_ref = "project_id"
"#;
        let err = Catalog::parse(Cloud::Gcp, text).unwrap_err().to_string();
        assert!(err.contains("{nme}"), "{err}");
    }
}
