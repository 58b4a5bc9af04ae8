//! The Cloud Control lister: `ListResources` for every CloudFormation type the catalog lists
//! through it, page by page with `NextToken`, `GetResource` where a list handler returns only
//! identifiers, types that need a parent in `ResourceModel` listed once per parent, and rows
//! that live inside another type's model (`within`). What to list and how to name it comes from
//! `catalog/aws.toml`; a type that cannot be listed is an inventory error for every Terraform
//! type it covers, and the others go on.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::StreamExt;
use serde_json::{json, Map, Value};

use super::convert::{self, Place};
use super::error::ListError;
use super::http::{xml_elements, Call, Http, CLOUD_CONTROL, EC2};
use super::AwsConfig;
use crate::catalog::{AwsLister, Catalog, TypeInfo};
use crate::inventory::model::{Inventory, InventoryError, ProgressEvent, ProgressSink};

const LIST: &str = "cloudcontrol:ListResources";
const GET: &str = "cloudcontrol:GetResource";
/// `GetResource` calls in flight for one type.
const GET_CONCURRENCY: usize = 4;

/// One CloudFormation type and everything listed from it: its own rows, rows built from its
/// model, and types listed per resource of it.
#[derive(Debug)]
pub(crate) struct Family {
    pub cfn_type: String,
    pub global: bool,
    rows: Vec<&'static TypeInfo>,
    within: Vec<&'static TypeInfo>,
    children: Vec<Family>,
}

impl Family {
    /// Every Terraform type this family produces, children included.
    pub fn types(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = self
            .rows
            .iter()
            .chain(&self.within)
            .map(|t| t.type_name.as_str())
            .collect();
        for c in &self.children {
            out.extend(c.types());
        }
        out
    }

    fn wanted(&self, wanted: &BTreeSet<&'static str>) -> bool {
        self.types().iter().any(|t| wanted.contains(t))
    }

    /// Permissions a denial of this family's listing asks for.
    fn grant(&self) -> Vec<String> {
        let mut g = vec!["cloudformation:ListResources".to_string()];
        if let Some(row) = self.rows.first() {
            let aws = row.aws.as_ref().expect("AWS row");
            if let Some(op) = aws.list.first() {
                g.push(format!("{}:{op}", aws.service));
            }
        }
        g
    }
}

/// The Cloud Control families of the catalog, top level first in catalog order.
pub(crate) fn families() -> Vec<Family> {
    let cat = Catalog::aws();
    let mut by_type: BTreeMap<String, Family> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut parent_of: BTreeMap<String, String> = BTreeMap::new();
    for t in cat.types() {
        let Some(aws) = &t.aws else { continue };
        let (cfn, is_within) = match aws.lister {
            AwsLister::CloudControl => (aws.cloudformation_type.clone(), false),
            AwsLister::Within => match &aws.within {
                Some(w) => (w.cloudformation_type.clone(), true),
                None => continue,
            },
            AwsLister::Sdk | AwsLister::None => continue,
        };
        let fam = by_type.entry(cfn.clone()).or_insert_with(|| {
            order.push(cfn.clone());
            Family {
                cfn_type: cfn.clone(),
                global: aws.global,
                rows: vec![],
                within: vec![],
                children: vec![],
            }
        });
        if is_within {
            fam.within.push(t);
        } else {
            fam.rows.push(t);
            if let Some(p) = &aws.parent {
                parent_of.insert(cfn.clone(), p.cloudformation_type.clone());
            }
        }
    }
    // Attach children to parents, deepest first, so grandchildren travel with their parent.
    let depth = |t: &str| {
        let mut d = 0;
        let mut cur = t.to_string();
        while let Some(p) = parent_of.get(&cur) {
            d += 1;
            cur = p.clone();
            if d > 8 {
                break;
            }
        }
        d
    };
    let mut nested: Vec<String> = parent_of.keys().cloned().collect();
    nested.sort_by_key(|t| std::cmp::Reverse(depth(t)));
    for child in nested {
        let parent = parent_of[&child].clone();
        if !by_type.contains_key(&parent) {
            continue; // a catalog test insists that parents are listed
        }
        if let Some(fam) = by_type.remove(&child) {
            by_type
                .get_mut(&parent)
                .expect("parent family")
                .children
                .push(fam);
        }
    }
    order
        .into_iter()
        .filter_map(|t| by_type.remove(&t))
        .collect()
}

/// Where and how one family is listed.
pub(crate) struct Cx<'a> {
    pub http: &'a Http,
    pub config: &'a AwsConfig,
    /// The region the API is called in.
    pub region: String,
    pub place: Place,
    pub progress: &'a dyn ProgressSink,
    pub wanted: &'a BTreeSet<&'static str>,
}

impl Cx<'_> {
    fn fail(&self, out: &mut Inventory, types: &[&str], err: &ListError) {
        for t in types {
            if self.wanted.contains(t)
                && !out
                    .errors
                    .iter()
                    .any(|e| e.type_name == *t && e.scope == self.place.source)
            {
                out.errors.push(InventoryError {
                    scope: self.place.source.clone(),
                    type_name: t.to_string(),
                    reason: err.to_string(),
                });
            }
        }
    }
}

/// Lists `fam` (and what hangs from it) into `out`.
pub(crate) async fn list_family(cx: &Cx<'_>, fam: &Family, out: &mut Inventory) {
    if !fam.wanted(cx.wanted) {
        return;
    }
    list_under(cx, fam, None, out).await;
}

async fn list_under(cx: &Cx<'_>, fam: &Family, model: Option<Value>, out: &mut Inventory) -> bool {
    let items = match list_all(cx, fam, model.as_ref()).await {
        Ok(items) => items,
        Err(e) => {
            cx.fail(out, &fam.types(), &e);
            return false;
        }
    };
    let created = if items.is_empty() {
        BTreeMap::new()
    } else {
        ec2_created(cx, fam, out).await
    };
    for (identifier, props) in &items {
        emit(cx, fam, identifier, props, &created, out);
    }
    for child in &fam.children {
        if !child.wanted(cx.wanted) {
            continue;
        }
        let link = child.rows[0]
            .aws
            .as_ref()
            .and_then(|a| a.parent.clone())
            .expect("a child family has a parent link");
        for (_, props) in &items {
            let Some(value) = props.get(&link.from).filter(|v| !v.is_null()) else {
                continue;
            };
            let model = json!({ link.property.clone(): value });
            // A failure under one parent is a failure for the type: the first one is
            // recorded and the remaining parents are not asked again.
            if !Box::pin(list_under(cx, child, Some(model), out)).await {
                break;
            }
        }
    }
    true
}

/// For rows with `ec2_created`: the IDs of the resources AWS created by itself, or `None`
/// when they could not be read (the row is then left out, with its error recorded: without
/// the marks, a default VPC would read as made by hand).
async fn ec2_created(
    cx: &Cx<'_>,
    fam: &Family,
    out: &mut Inventory,
) -> BTreeMap<String, Option<BTreeSet<String>>> {
    let mut marks = BTreeMap::new();
    for row in &fam.rows {
        let Some(c) = row.aws.as_ref().and_then(|a| a.ec2_created.as_ref()) else {
            continue;
        };
        if !cx.wanted.contains(row.type_name.as_str()) {
            continue;
        }
        let op = format!("ec2:{}", c.action);
        let grant = [op.clone()];
        let call = Call {
            api: EC2,
            call: &op,
            subject: "",
            region: &cx.region,
            grant: &grant,
            label: (&cx.place.source, row.type_name.as_str()),
        };
        let params = [
            ("Action", c.action.as_str()),
            ("Version", "2016-11-15"),
            ("Filter.1.Name", c.filter.as_str()),
            ("Filter.1.Value.1", "true"),
        ];
        let ids = match cx.http.query(&call, &params, cx.progress).await {
            Ok(xml) => Some(
                xml_elements(&xml, &c.id_element)
                    .into_iter()
                    .map(|s| s.trim().to_string())
                    .collect(),
            ),
            Err(e) => {
                cx.fail(out, &[row.type_name.as_str()], &e);
                None
            }
        };
        marks.insert(row.type_name.clone(), ids);
    }
    marks
}

fn emit(
    cx: &Cx<'_>,
    fam: &Family,
    identifier: &str,
    props: &Value,
    created: &BTreeMap<String, Option<BTreeSet<String>>>,
    out: &mut Inventory,
) {
    // A row built from a single object of the model (a queue's redrive policy) is the same
    // live object as its parent and carries the parent's name, so that a managed parent makes
    // it managed too; one built from a list element (a rule's targets) is an object of its
    // own, named by its import ID.
    let parent_name = fam
        .rows
        .first()
        .and_then(|row| {
            convert::attributes(row, props, false)
                .get("arn")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| identifier.to_string());
    for row in &fam.rows {
        if !cx.wanted.contains(row.type_name.as_str()) {
            continue;
        }
        let attrs = convert::attributes(row, props, false);
        if !convert::belongs(row, &attrs) {
            continue;
        }
        let made_by_aws = match created.get(&row.type_name) {
            None => false,
            Some(None) => continue,
            Some(Some(ids)) => row
                .aws
                .as_ref()
                .and_then(|a| a.ec2_created.as_ref())
                .and_then(|c| crate::catalog::lookup_attr(&attrs, &c.attribute))
                .is_some_and(|v| ids.contains(&v)),
        };
        let mut r = convert::resource(row, attrs, Some(identifier.to_string()), true, &cx.place);
        r.service_managed |= made_by_aws;
        out.resources.push(r);
    }
    for row in &fam.within {
        if !cx.wanted.contains(row.type_name.as_str()) {
            continue;
        }
        let w = row
            .aws
            .as_ref()
            .and_then(|a| a.within.as_ref())
            .expect("within");
        let (items, single): (Vec<&Value>, bool) = match props.get(&w.property) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(list)) => (list.iter().collect(), false),
            Some(v) => (vec![v], true),
        };
        for item in items {
            let doc = json!({ "Item": item, "Parent": props });
            let attrs = convert::attributes(row, &doc, false);
            if !convert::belongs(row, &attrs) {
                continue;
            }
            let native = single.then(|| parent_name.clone());
            out.resources
                .push(convert::resource(row, attrs, native, false, &cx.place));
        }
    }
}

/// Every resource of the family's type (under `model`), with full properties.
async fn list_all(
    cx: &Cx<'_>,
    fam: &Family,
    model: Option<&Value>,
) -> Result<Vec<(String, Value)>, ListError> {
    let grant = fam.grant();
    let label_type = fam.types().first().copied().unwrap_or_default();
    let call = Call {
        api: CLOUD_CONTROL,
        call: LIST,
        subject: &fam.cfn_type,
        region: &cx.region,
        grant: &grant,
        label: (&cx.place.source, label_type),
    };
    let mut items: Vec<(String, Value)> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = Map::new();
        body.insert("TypeName".into(), Value::String(fam.cfn_type.clone()));
        if let Some(n) = cx.config.page_size {
            body.insert("MaxResults".into(), json!(n));
        }
        if let Some(t) = &token {
            body.insert("NextToken".into(), Value::String(t.clone()));
        }
        if let Some(m) = model {
            body.insert("ResourceModel".into(), Value::String(m.to_string()));
        }
        let page = cx
            .http
            .json(
                &call,
                "CloudApiService.ListResources",
                "1.0",
                &Value::Object(body),
                cx.progress,
            )
            .await?;
        let descriptions = page
            .get("ResourceDescriptions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        cx.progress.event(ProgressEvent::Page {
            scope: cx.place.source.clone(),
            type_name: label_type.to_string(),
            resources: descriptions.len(),
        });
        for d in descriptions {
            let identifier = d
                .get("Identifier")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let props = properties(&d);
            items.push((identifier, props));
        }
        match page.get("NextToken").and_then(Value::as_str) {
            Some(t) if !t.is_empty() && token.as_deref() != Some(t) => token = Some(t.to_string()),
            _ => break,
        }
    }
    if !cx.config.detail {
        return Ok(items);
    }
    let get_grant: Vec<String> = ["cloudformation:GetResource".to_string()]
        .into_iter()
        .chain(fam.rows.iter().filter_map(|r| {
            let aws = r.aws.as_ref()?;
            aws.list.last().map(|op| format!("{}:{op}", aws.service))
        }))
        .collect();
    let get_call = Call {
        api: CLOUD_CONTROL,
        call: GET,
        subject: &fam.cfn_type,
        region: &cx.region,
        grant: &get_grant,
        label: (&cx.place.source, label_type),
    };
    let mut detailed: Vec<Option<Result<(String, Value), ListError>>> =
        futures_util::stream::iter(items.into_iter().map(|(id, props)| {
            let get_call = &get_call;
            async move {
                if !identifier_only(&id, &props) {
                    return Some(Ok((id, props)));
                }
                let body = json!({"TypeName": fam.cfn_type, "Identifier": id});
                match cx
                    .http
                    .json(
                        get_call,
                        "CloudApiService.GetResource",
                        "1.0",
                        &body,
                        cx.progress,
                    )
                    .await
                {
                    Ok(resp) => {
                        let d = resp.get("ResourceDescription").cloned().unwrap_or_default();
                        Some(Ok((id, properties(&d))))
                    }
                    // Deleted between the listing and the read: it no longer exists.
                    Err(e) if e.to_string().contains("ResourceNotFoundException") => None,
                    Err(e) => Some(Err(e)),
                }
            }
        }))
        .buffered(GET_CONCURRENCY)
        .collect()
        .await;
    let mut out = Vec::with_capacity(detailed.len());
    for d in detailed.drain(..).flatten() {
        out.push(d?);
    }
    Ok(out)
}

/// `Properties` is a JSON document held in a string.
fn properties(description: &Value) -> Value {
    match description.get("Properties") {
        Some(Value::String(s)) => serde_json::from_str(s).unwrap_or(Value::Null),
        Some(v @ Value::Object(_)) => v.clone(),
        _ => Value::Null,
    }
}

/// Whether a listed model holds nothing beyond its primary identifier (what most list handlers
/// return): then `GetResource` reads the rest.
fn identifier_only(identifier: &str, props: &Value) -> bool {
    let Some(map) = props.as_object() else {
        return true;
    };
    let parts: BTreeSet<&str> = identifier.split('|').collect();
    map.values().all(|v| match v {
        Value::String(s) => parts.contains(s.as_str()),
        Value::Number(n) => parts.contains(n.to_string().as_str()),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_only_models_are_read_again() {
        assert!(identifier_only("orders", &json!({"QueueUrl": "orders"})));
        assert!(identifier_only("a|b", &json!({"A": "a", "B": "b"})));
        assert!(identifier_only("a", &json!({})));
        assert!(!identifier_only(
            "orders",
            &json!({"QueueUrl": "orders", "VisibilityTimeout": 30})
        ));
    }

    /// A row listed through Cloud Control must be able to name what it finds: one of its
    /// import ID formats (with the whole identity) is built from mapped or derived attributes,
    /// or, for cloud-assigned IDs the model does not carry, its natural keys are all mapped.
    #[test]
    fn every_listed_row_can_identify_what_it_lists() {
        let mut bad = Vec::new();
        for fam in families() {
            let mut stack = vec![&fam];
            while let Some(f) = stack.pop() {
                stack.extend(f.children.iter());
                for row in f.rows.iter().chain(&f.within) {
                    let aws = row.aws.as_ref().unwrap();
                    let known: BTreeSet<&str> = row
                        .fields
                        .values()
                        .map(String::as_str)
                        .chain(aws.derive.iter().map(|d| d.attribute.as_str()))
                        .collect();
                    let by_id = row.import_id.iter().any(|t| {
                        let used: BTreeSet<&str> = t.placeholders().collect();
                        used.iter().all(|p| known.contains(p))
                            && row.identity.iter().all(|i| used.contains(i.as_str()))
                    });
                    let by_keys = !row.natural_keys.is_empty()
                        && row.natural_keys.iter().all(|k| {
                            known.contains(k.as_str())
                                || k.strip_prefix("tags.").is_some() && known.contains("tags")
                        });
                    if !by_id && !by_keys {
                        bad.push(row.type_name.clone());
                    }
                }
            }
        }
        assert!(
            bad.is_empty(),
            "rows that cannot name what they list: {bad:?}"
        );
    }

    #[test]
    fn children_hang_from_their_parents() {
        let fams = families();
        let cluster = fams
            .iter()
            .find(|f| f.cfn_type == "AWS::ECS::Cluster")
            .expect("ECS clusters are listed");
        assert!(cluster
            .children
            .iter()
            .any(|c| c.cfn_type == "AWS::ECS::Service"));
        assert!(!fams.iter().any(|f| f.cfn_type == "AWS::ECS::Service"));
        let queue = fams
            .iter()
            .find(|f| f.cfn_type == "AWS::SQS::Queue")
            .unwrap();
        assert!(queue
            .within
            .iter()
            .any(|t| t.type_name == "aws_sqs_queue_redrive_policy"));
    }
}
