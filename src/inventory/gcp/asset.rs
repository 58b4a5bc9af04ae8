//! Cloud Asset Inventory assets (the wire shape) and their conversion into [`LiveResource`]s
//! through the catalog. Live listings and snapshot files share this code path; it does no I/O.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::catalog::{Catalog, IamKind, Template, TypeInfo};
use crate::inventory::{Cloud, LiveResource};

/// A CAI `Asset`, as `assets.list`, `gcloud asset list --format=json` and `gcloud asset export`
/// write it (the export spells fields in snake_case, hence the aliases).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Asset {
    pub name: String,
    #[serde(alias = "asset_type")]
    pub asset_type: String,
    #[serde(default)]
    pub resource: Option<AssetResource>,
    #[serde(default, alias = "iam_policy")]
    pub iam_policy: Option<Value>,
    #[serde(default)]
    pub ancestors: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssetResource {
    #[serde(default)]
    pub data: Option<Value>,
    #[serde(default)]
    pub location: Option<String>,
}

/// Keeps only the resource data the catalog reads (mapped fields, labels, project identity),
/// so that a listing of many assets holds what it will output and no more. Assets of types the
/// catalog does not know keep everything: their data is all there is to show.
pub fn prune(catalog: &Catalog, asset: &mut Asset) {
    let Some(data) = asset.resource.as_mut().and_then(|r| r.data.as_mut()) else {
        return;
    };
    if catalog.by_native_type(&asset.asset_type).next().is_none() {
        return;
    }
    let mut keep: Vec<&str> = vec!["labels", "metadata.labels", "projectNumber", "projectId"];
    for row in catalog
        .by_native_type(&asset.asset_type)
        .chain(catalog.iam_types_for_parent(&asset.asset_type))
    {
        keep.extend(row.fields.keys().map(String::as_str));
    }
    let mut kept = Map::new();
    for path in keep {
        let mut src = Some(&*data);
        for part in path.split('.') {
            src = src.and_then(|v| v.get(part));
        }
        let Some(value) = src else { continue };
        let mut dst = &mut kept;
        let mut parts = path.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                dst.insert(part.to_string(), value.clone());
                break;
            }
            let next = dst
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            match next {
                Value::Object(m) => dst = m,
                _ => break,
            }
        }
    }
    *data = Value::Object(kept);
}

/// One asset waiting for conversion, with where it came from.
struct Pending {
    asset: Asset,
    source: String,
    /// The project ID the asset must belong to (a `projects/ID` scope), used when the asset
    /// names its project by number and no project asset gives the mapping.
    scope_project: Option<String>,
}

/// Collects assets from one or more listings, then converts them together: project numbers,
/// parents of IAM policies and service-account e-mails are resolved across the whole set.
pub struct Converter<'c> {
    catalog: &'c Catalog,
    pending: Vec<Pending>,
}

impl<'c> Converter<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        Converter {
            catalog,
            pending: Vec::new(),
        }
    }

    pub fn push(&mut self, asset: Asset, source: &str, scope_project: Option<&str>) {
        self.pending.push(Pending {
            asset,
            source: source.to_string(),
            scope_project: scope_project.map(str::to_string),
        });
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    pub fn finish(self) -> Vec<LiveResource> {
        let mut numbers: HashMap<String, String> = HashMap::new();
        let mut policies: HashMap<&str, &Value> = HashMap::new();
        for p in &self.pending {
            if let Some(policy) = &p.asset.iam_policy {
                policies.insert(p.asset.name.as_str(), policy);
            }
            if p.asset.asset_type != "cloudresourcemanager.googleapis.com/Project" {
                continue;
            }
            if let Some(data) = p.asset.resource.as_ref().and_then(|r| r.data.as_ref()) {
                if let (Some(num), Some(id)) = (
                    scalar(data.get("projectNumber")),
                    scalar(data.get("projectId")),
                ) {
                    numbers.insert(num, id);
                }
            }
        }
        let ctx = Ctx {
            numbers: &numbers,
            catalog: self.catalog,
        };
        let mut out = Vec::with_capacity(self.pending.len());
        // IAM first, while the parents' data can still be borrowed; only parents with a policy
        // are looked up, so this costs nothing for the bulk of the assets.
        let parent_data: HashMap<&str, &Value> = self
            .pending
            .iter()
            .filter(|p| policies.contains_key(p.asset.name.as_str()))
            .filter_map(|p| {
                let data = p.asset.resource.as_ref()?.data.as_ref()?;
                Some((p.asset.name.as_str(), data))
            })
            .collect();
        for p in &self.pending {
            if let Some(policy) = &p.asset.iam_policy {
                let data = parent_data.get(p.asset.name.as_str()).copied();
                out.extend(ctx.iam(p, policy, data));
            }
        }
        // The parent resource carries its own policy too, for whoever wants the whole document.
        let policies: HashMap<String, Value> = policies
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        drop(parent_data);
        for p in self.pending {
            if p.asset.resource.is_some() {
                let mut r = ctx.resource(p);
                r.iam_policy = policies.get(&r.name).cloned();
                out.push(r);
            }
        }
        out
    }
}

struct Ctx<'a> {
    numbers: &'a HashMap<String, String>,
    catalog: &'a Catalog,
}

impl Ctx<'_> {
    fn resource(&self, mut p: Pending) -> LiveResource {
        let data = p
            .asset
            .resource
            .as_mut()
            .and_then(|r| r.data.take())
            .unwrap_or(Value::Object(Map::new()));
        let asset = &p.asset;
        // Cloud Run's v1 (Knative) shape keeps labels under `metadata`.
        let labels = string_map(
            data.get("labels")
                .or_else(|| data.get("metadata").and_then(|m| m.get("labels"))),
        );
        let chosen = self
            .catalog
            .by_native_type(&asset.asset_type)
            .filter(|t| t.gcp.as_ref().is_some_and(|g| g.iam.is_none()))
            .find_map(|t| {
                let tpl = t.gcp.as_ref()?.asset_name.as_ref()?;
                capture_attrs(tpl, &asset.name).map(|a| (t, a))
            });
        let mut live = LiveResource {
            cloud: Cloud::Gcp,
            tf_type: None,
            native_type: asset.asset_type.clone(),
            name: asset.name.clone(),
            import_id: None,
            project: None,
            account: None,
            location: None,
            labels,
            attributes: Default::default(),
            iam_policy: None,
            service_managed: false,
            source: p.source.clone(),
        };
        let Some((row, mut attrs)) = chosen else {
            // Not a type the catalog knows (or a name it does not expect): keep the API's data.
            live.attributes = data.into();
            live.location = self.location(asset, &Map::new());
            live.project = self.project_of(asset, &Map::new(), p.scope_project.as_deref());
            return live;
        };
        apply_fields(row, &data, &mut attrs);
        if !live.labels.is_empty() {
            attrs.insert(
                "labels".into(),
                Value::Object(
                    live.labels
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect(),
                ),
            );
        }
        self.resolve_project(&mut attrs, p.scope_project.as_deref());
        live.project = self.project_of(asset, &attrs, p.scope_project.as_deref());
        // Names without a project (buckets) still import with one when the listing knows it.
        if !attrs.contains_key("project")
            && row
                .import_id
                .iter()
                .any(|t| t.placeholders().any(|p| p == "project"))
        {
            if let Some(project) = &live.project {
                attrs.insert("project".into(), Value::String(project.clone()));
            }
        }
        live.location = self.location(asset, &attrs);
        // tfrecon keeps no secret: attributes the catalog marks secret are dropped here.
        for secret in &row.secret {
            attrs.remove(secret);
        }
        let attrs = Value::Object(attrs);
        live.import_id = row.render_import_id(&attrs).ok();
        live.tf_type = Some(row.type_name.clone());
        live.service_managed =
            row.is_service_managed(&attrs, |k| live.labels.get(k).map(String::as_str));
        live.attributes = attrs.into();
        live
    }

    /// One resource per member per binding, per binding, and per policy, for each IAM row of
    /// the parent's asset type.
    fn iam(&self, p: &Pending, policy: &Value, parent_data: Option<&Value>) -> Vec<LiveResource> {
        let asset = &p.asset;
        let bindings: Vec<Binding> = policy
            .get("bindings")
            .and_then(|b| serde_json::from_value(b.clone()).ok())
            .unwrap_or_default();
        let mut out = Vec::new();
        for row in self.catalog.iam_types_for_parent(&asset.asset_type) {
            let Some(g) = &row.gcp else { continue };
            let (Some(iam), Some(tpl)) = (&g.iam, &g.asset_name) else {
                continue;
            };
            let Some(mut base) = capture_attrs(tpl, &asset.name) else {
                continue;
            };
            if let Some(data) = parent_data {
                apply_fields(row, data, &mut base);
            }
            self.resolve_project(&mut base, p.scope_project.as_deref());
            let project = self.project_of(asset, &base, p.scope_project.as_deref());
            let location = asset.resource.as_ref().and_then(|r| r.location.clone());
            let make = |name: String, attrs: Map<String, Value>, policy: Option<Value>| {
                let attrs = Value::Object(attrs);
                LiveResource {
                    cloud: Cloud::Gcp,
                    tf_type: Some(row.type_name.clone()),
                    native_type: format!("{}#iam_{}", asset.asset_type, kind_name(iam.kind)),
                    name,
                    import_id: row.render_import_id(&attrs).ok(),
                    project: project.clone(),
                    account: None,
                    location: location.clone(),
                    labels: Default::default(),
                    attributes: attrs.into(),
                    iam_policy: policy,
                    service_managed: false,
                    source: p.source.clone(),
                }
            };
            match iam.kind {
                IamKind::Policy => {
                    let mut attrs = base.clone();
                    attrs.insert("policy_data".into(), Value::String(policy.to_string()));
                    // A listed parent carries the document itself; repeating it here would
                    // report the same grant once per policy row of that parent.
                    let document = parent_data.is_none().then(|| policy.clone());
                    out.push(make(asset.name.clone(), attrs, document));
                }
                IamKind::Binding => {
                    for b in &bindings {
                        let mut attrs = base.clone();
                        attrs.insert("role".into(), Value::String(b.role.clone()));
                        attrs.insert(
                            "members".into(),
                            Value::Array(b.members.iter().cloned().map(Value::String).collect()),
                        );
                        b.condition_into(&mut attrs);
                        out.push(make(b.name(&asset.name, None), attrs, None));
                    }
                }
                IamKind::Member => {
                    for b in &bindings {
                        for m in &b.members {
                            let mut attrs = base.clone();
                            attrs.insert("role".into(), Value::String(b.role.clone()));
                            attrs.insert("member".into(), Value::String(m.clone()));
                            b.condition_into(&mut attrs);
                            out.push(make(b.name(&asset.name, Some(m)), attrs, None));
                        }
                    }
                }
            }
        }
        out
    }

    /// Project numbers become IDs: a project ID never consists of digits only, so a numeric
    /// value is always a number.
    fn resolve_project(&self, attrs: &mut Map<String, Value>, scope_project: Option<&str>) {
        if let Some(Value::String(v)) = attrs.get("project") {
            if is_number(v) {
                match self.numbers.get(v).map(String::as_str).or(scope_project) {
                    Some(id) => {
                        attrs.insert("project".into(), Value::String(id.to_string()));
                    }
                    // Unknown mapping: leave the project out rather than build a wrong import ID.
                    None => {
                        attrs.remove("project");
                    }
                }
            }
        }
    }

    fn project_of(
        &self,
        asset: &Asset,
        attrs: &Map<String, Value>,
        scope_project: Option<&str>,
    ) -> Option<String> {
        for key in ["project", "project_id"] {
            if let Some(Value::String(v)) = attrs.get(key) {
                if !is_number(v) {
                    return Some(v.clone());
                }
            }
        }
        let from_ancestors = asset
            .ancestors
            .iter()
            .find_map(|a| a.strip_prefix("projects/"))
            .and_then(|n| {
                if is_number(n) {
                    self.numbers.get(n).cloned()
                } else {
                    Some(n.to_string())
                }
            });
        from_ancestors.or_else(|| scope_project.map(str::to_string))
    }

    fn location(&self, asset: &Asset, attrs: &Map<String, Value>) -> Option<String> {
        if let Some(l) = asset.resource.as_ref().and_then(|r| r.location.clone()) {
            return Some(l);
        }
        for key in ["zone", "region", "location"] {
            if let Some(Value::String(v)) = attrs.get(key) {
                return Some(v.clone());
            }
        }
        asset
            .name
            .contains("/global/")
            .then(|| "global".to_string())
    }
}

fn kind_name(k: IamKind) -> &'static str {
    match k {
        IamKind::Member => "member",
        IamKind::Binding => "binding",
        IamKind::Policy => "policy",
    }
}

#[derive(Debug, Deserialize)]
struct Binding {
    role: String,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    condition: Option<Value>,
}

impl Binding {
    fn title(&self) -> Option<&str> {
        self.condition.as_ref()?.get("title")?.as_str()
    }

    fn name(&self, parent: &str, member: Option<&str>) -> String {
        let mut n = format!("{parent} {}", self.role);
        if let Some(m) = member {
            n.push(' ');
            n.push_str(m);
        }
        if let Some(t) = self.title() {
            n.push(' ');
            n.push_str(t);
        }
        n
    }

    /// Terraform holds the condition as a one-element block list.
    fn condition_into(&self, attrs: &mut Map<String, Value>) {
        if let Some(c) = &self.condition {
            attrs.insert("condition".into(), Value::Array(vec![c.clone()]));
        }
    }
}

/// Matches the asset name against a row's template. CAI names zonal GKE clusters and node
/// pools with `zones/` where Terraform and the template say `locations/`.
fn capture_attrs(tpl: &Template, name: &str) -> Option<Map<String, Value>> {
    let to_map = |caps: Vec<(&str, &str)>| {
        caps.into_iter()
            .filter(|(k, _)| !k.starts_with('_'))
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect::<Map<_, _>>()
    };
    if let Some(c) = tpl.capture(name) {
        return Some(to_map(c));
    }
    if name.starts_with("//container.googleapis.com/") && name.contains("/zones/") {
        let alt = name.replacen("/zones/", "/locations/", 1);
        return tpl.capture(&alt).map(to_map);
    }
    None
}

fn apply_fields(row: &TypeInfo, data: &Value, attrs: &mut Map<String, Value>) {
    for (api, tf) in &row.fields {
        let mut cur = Some(data);
        for part in api.split('.') {
            cur = cur.and_then(|c| c.get(part));
        }
        if let Some(v) = cur {
            if !v.is_null() {
                attrs.insert(tf.clone(), v.clone());
            }
        }
    }
}

fn scalar(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn string_map(v: Option<&Value>) -> crate::map::Map<String> {
    v.and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn asset(v: Value) -> Asset {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn project_iam_member_uses_the_project_id_from_the_project_asset() {
        let mut c = Converter::new(Catalog::gcp());
        c.push(
            asset(json!({"name": "//cloudresourcemanager.googleapis.com/projects/123", "assetType": "cloudresourcemanager.googleapis.com/Project",
                "resource": {"data": {"projectId": "acme-prod", "projectNumber": "123"}}})),
            "gcp:folders/9",
            None,
        );
        c.push(
            asset(json!({"name": "//cloudresourcemanager.googleapis.com/projects/123", "assetType": "cloudresourcemanager.googleapis.com/Project",
                "iamPolicy": {"bindings": [{"role": "roles/viewer", "members": ["user:a@example.com", "group:g@example.com"]},
                    {"role": "roles/editor", "members": ["user:b@example.com"], "condition": {"title": "expires_2030", "expression": "request.time < timestamp(\"2030-01-01T00:00:00Z\")"}}]}})),
            "gcp:folders/9",
            None,
        );
        let out = c.finish();
        let ids = |t: &str| {
            let mut v: Vec<_> = out
                .iter()
                .filter(|r| r.tf_type.as_deref() == Some(t))
                .map(|r| r.import_id.clone().unwrap())
                .collect();
            v.sort();
            v
        };
        assert_eq!(ids("google_project"), ["acme-prod"]);
        assert_eq!(
            ids("google_project_iam_member"),
            [
                "acme-prod roles/editor user:b@example.com expires_2030",
                "acme-prod roles/viewer group:g@example.com",
                "acme-prod roles/viewer user:a@example.com"
            ]
        );
        assert_eq!(
            ids("google_project_iam_binding"),
            [
                "acme-prod roles/editor expires_2030",
                "acme-prod roles/viewer"
            ]
        );
        assert_eq!(ids("google_project_iam_policy"), ["acme-prod"]);
    }

    #[test]
    fn service_account_import_id_uses_the_email_not_the_unique_id() {
        let mut c = Converter::new(Catalog::gcp());
        for (uid, email) in [
            ("111", "app@p1.iam.gserviceaccount.com"),
            ("222", "42-compute@developer.gserviceaccount.com"),
        ] {
            c.push(
                asset(json!({"name": format!("//iam.googleapis.com/projects/p1/serviceAccounts/{uid}"),
                    "assetType": "iam.googleapis.com/ServiceAccount",
                    "resource": {"data": {"email": email, "uniqueId": uid, "name": format!("projects/p1/serviceAccounts/{email}")}}})),
                "gcp:projects/p1",
                Some("p1"),
            );
        }
        let out = c.finish();
        assert_eq!(
            out[0].import_id.as_deref(),
            Some("projects/p1/serviceAccounts/app@p1.iam.gserviceaccount.com")
        );
        assert!(!out[0].service_managed);
        assert!(
            out[1].service_managed,
            "the default compute service account is Google's"
        );
    }

    #[test]
    fn regional_and_zonal_shared_types_and_gke_zones() {
        let mut c = Converter::new(Catalog::gcp());
        c.push(
            asset(json!({"name": "//compute.googleapis.com/projects/p/regions/europe-west1/instanceGroupManagers/web",
                "assetType": "compute.googleapis.com/InstanceGroupManager", "resource": {"data": {}}})),
            "t",
            None,
        );
        c.push(
            asset(json!({"name": "//container.googleapis.com/projects/p/zones/europe-west1-b/clusters/k",
                "assetType": "container.googleapis.com/Cluster", "resource": {"data": {}, "location": "europe-west1-b"}})),
            "t",
            None,
        );
        let out = c.finish();
        assert_eq!(
            out[0].tf_type.as_deref(),
            Some("google_compute_region_instance_group_manager")
        );
        assert_eq!(
            out[0].import_id.as_deref(),
            Some("projects/p/regions/europe-west1/instanceGroupManagers/web")
        );
        assert_eq!(
            out[1].import_id.as_deref(),
            Some("projects/p/locations/europe-west1-b/clusters/k")
        );
    }

    #[test]
    fn unmapped_project_number_gives_no_import_id() {
        let mut c = Converter::new(Catalog::gcp());
        c.push(
            asset(
                json!({"name": "//secretmanager.googleapis.com/projects/999/secrets/s",
                "assetType": "secretmanager.googleapis.com/Secret", "resource": {"data": {}}}),
            ),
            "file:x",
            None,
        );
        c.push(
            asset(
                json!({"name": "//secretmanager.googleapis.com/projects/999/secrets/t",
                "assetType": "secretmanager.googleapis.com/Secret", "resource": {"data": {}}}),
            ),
            "gcp:projects/acme",
            Some("acme"),
        );
        let out = c.finish();
        assert_eq!(out[0].import_id, None);
        assert_eq!(out[1].import_id.as_deref(), Some("projects/acme/secrets/t"));
    }

    #[test]
    fn dns_zone_named_by_numeric_id_imports_by_its_name() {
        let mut c = Converter::new(Catalog::gcp());
        c.push(
            asset(json!({"name": "//dns.googleapis.com/projects/p/managedZones/5566778899",
                "assetType": "dns.googleapis.com/ManagedZone",
                "resource": {"data": {"name": "public-zone", "dnsName": "example.com.", "id": "5566778899"}}})),
            "t",
            None,
        );
        let out = c.finish();
        assert_eq!(
            out[0].import_id.as_deref(),
            Some("projects/p/managedZones/public-zone")
        );
    }

    #[test]
    fn cloud_run_services_of_2nd_gen_functions_are_service_managed() {
        let mut c = Converter::new(Catalog::gcp());
        for (name, labels) in [
            ("fn", json!({"goog-managed-by": "cloudfunctions"})),
            ("api", json!({"team": "web"})),
        ] {
            c.push(
                asset(json!({"name": format!("//run.googleapis.com/projects/p/locations/europe-west1/services/{name}"),
                    "assetType": "run.googleapis.com/Service",
                    "resource": {"data": {"apiVersion": "serving.knative.dev/v1", "kind": "Service",
                        "metadata": {"name": name, "namespace": "123", "labels": labels}}, "location": "europe-west1"}})),
                "t",
                None,
            );
        }
        let out = c.finish();
        assert!(out[0].service_managed);
        assert_eq!(out[0].labels["goog-managed-by"], "cloudfunctions");
        assert!(!out[1].service_managed);
    }

    #[test]
    fn a_policy_document_is_carried_once_by_the_listed_parent_else_by_the_policy_row() {
        let name = "//run.googleapis.com/projects/p/locations/europe-west1/services/api";
        let policy = json!({"bindings": [{"role": "roles/run.invoker", "members": ["allUsers"]}]});
        let iam = asset(
            json!({"name": name, "assetType": "run.googleapis.com/Service", "iamPolicy": policy}),
        );
        let resource = asset(
            json!({"name": name, "assetType": "run.googleapis.com/Service",
            "resource": {"data": {"metadata": {"name": "api"}}, "location": "europe-west1"}}),
        );
        let carriers = |assets: Vec<Asset>| {
            let mut c = Converter::new(Catalog::gcp());
            for a in assets {
                c.push(a, "t", None);
            }
            let mut v: Vec<String> = c
                .finish()
                .into_iter()
                .filter(|r| r.iam_policy.is_some())
                .map(|r| r.tf_type.unwrap_or_default())
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            carriers(vec![iam.clone(), resource]),
            ["google_cloud_run_service"],
            "the service carries its policy; its policy rows do not repeat it"
        );
        assert_eq!(
            carriers(vec![iam]),
            [
                "google_cloud_run_service_iam_policy",
                "google_cloud_run_v2_service_iam_policy"
            ],
            "without the service listed, the policy rows carry the document"
        );
    }

    #[test]
    fn pruning_keeps_what_conversion_reads() {
        let raw = json!({"name": "//iam.googleapis.com/projects/p/serviceAccounts/1",
            "assetType": "iam.googleapis.com/ServiceAccount",
            "resource": {"data": {"email": "a@p.iam.gserviceaccount.com", "uniqueId": "1",
                "name": "projects/p/serviceAccounts/a@p.iam.gserviceaccount.com", "oauth2ClientId": "1", "etag": "x"}}});
        let mut pruned = asset(raw.clone());
        prune(Catalog::gcp(), &mut pruned);
        let data = pruned.resource.as_ref().unwrap().data.as_ref().unwrap();
        assert!(data.get("etag").is_none() && data.get("oauth2ClientId").is_none());
        assert_eq!(
            data["name"], "projects/p/serviceAccounts/a@p.iam.gserviceaccount.com",
            "read by the IAM rows"
        );
        let convert = |a: Asset| {
            let mut c = Converter::new(Catalog::gcp());
            c.push(a, "t", None);
            c.finish()
        };
        assert_eq!(convert(pruned), convert(asset(raw)));

        let mut unknown = asset(
            json!({"name": "//x.googleapis.com/a", "assetType": "x.googleapis.com/A",
            "resource": {"data": {"any": 1}}}),
        );
        prune(Catalog::gcp(), &mut unknown);
        assert_eq!(unknown.resource.unwrap().data.unwrap()["any"], 1);
    }
}
