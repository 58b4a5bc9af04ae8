//! The AWS half of the live inventory: lists resources with the AWS SDK, region by region, and
//! converts them into [`LiveResource`]s named as Terraform names them. It only reads (List*,
//! Describe*, Get* of configuration); it never reads secret values and no SDK type leaves it.
//!
//! Work is split into *units* (one list operation family in one region, e.g. IAM roles with
//! their policies, or VPCs in `eu-west-1`), run with bounded concurrency. A unit that fails or
//! times out becomes an [`InventoryError`] naming the missing permission; every other unit is
//! still listed.

mod error;
mod import_id;
mod units;

mod dynamodb;
mod ec2;
mod ecr;
mod ecs;
mod events;
mod iam;
mod kms;
mod lambda;
mod monitoring;
mod rds;
mod route53;
mod s3;
mod secrets;
mod sns;
mod sqs;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use futures_util::StreamExt;
use serde_json::Value;

use super::model::{Cloud, Inventory, InventoryError, LiveResource, ProgressEvent, ProgressSink};

pub use error::{ListError, ScopeError};
use units::Unit;

/// Where to list: `aws` (the region of the standard configuration chain) or `aws:REGION[,REGION…]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwsScope {
    /// The region from the environment, profile or instance metadata.
    Default,
    Regions(Vec<String>),
}

impl FromStr for AwsScope {
    type Err = ScopeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            None if s == "aws" => Ok(AwsScope::Default),
            Some(("aws", list)) => {
                let regions: Vec<String> = list.split(',').map(|r| r.trim().to_string()).collect();
                if let Some(bad) = regions.iter().find(|r| !valid_region(r)) {
                    return Err(ScopeError::BadRegion {
                        scope: s.to_string(),
                        region: bad.clone(),
                    });
                }
                Ok(AwsScope::Regions(regions))
            }
            _ => Err(ScopeError::NotAws(s.to_string())),
        }
    }
}

impl fmt::Display for AwsScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AwsScope::Default => f.write_str("aws"),
            AwsScope::Regions(r) => write!(f, "aws:{}", r.join(",")),
        }
    }
}

fn valid_region(r: &str) -> bool {
    !r.is_empty()
        && r.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && r.contains('-')
}

/// How to reach AWS. The default takes everything from the standard chain (environment,
/// profiles, SSO, instance metadata), `AWS_ENDPOINT_URL` included. Tests set the fields
/// instead of mutating the process environment, because they run in parallel threads.
#[derive(Debug, Clone)]
pub struct AwsConfig {
    /// Overrides the endpoint of every service (a local emulator).
    pub endpoint_url: Option<String>,
    /// Static credentials instead of the chain.
    pub credentials: Option<StaticCredentials>,
    /// The region `aws` means when the chain has none.
    pub default_region: Option<String>,
    /// Page size requested from paginated operations; `None` leaves the service default.
    pub page_size: Option<i32>,
    /// Units listed at the same time.
    pub concurrency: usize,
    /// A unit still running after this long is abandoned and reported as an error.
    pub unit_timeout: Duration,
    /// Counts requests per `service:Operation` when set (benchmarks, pagination tests).
    pub request_counter: Option<RequestCounter>,
}

impl Default for AwsConfig {
    fn default() -> Self {
        AwsConfig {
            endpoint_url: None,
            credentials: None,
            default_region: None,
            page_size: None,
            concurrency: 8,
            unit_timeout: Duration::from_secs(300),
            request_counter: None,
        }
    }
}

#[derive(Clone)]
pub struct StaticCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticCredentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// Requests sent, per `service:Operation` (every attempt, retries included).
#[derive(Debug, Clone, Default)]
pub struct RequestCounter(Arc<Mutex<BTreeMap<String, u64>>>);

impl RequestCounter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Requests sent so far for `operation` (`ListRoles`, or `iam:ListRoles`).
    pub fn get(&self, operation: &str) -> u64 {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.iter()
            .filter(|(k, _)| *k == operation || k.rsplit(':').next() == Some(operation))
            .map(|(_, v)| *v)
            .sum()
    }

    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn add(&self, key: String) {
        *self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_default() += 1;
    }
}

/// The Terraform types the AWS listers produce, in catalog order.
pub fn supported_types() -> Vec<&'static str> {
    let produced: BTreeSet<&str> = Unit::ALL
        .iter()
        .flat_map(|u| u.types().iter().copied())
        .collect();
    crate::catalog::Catalog::aws()
        .types()
        .iter()
        .map(|t| t.type_name.as_str())
        .filter(|t| produced.contains(t))
        .collect()
}

/// Lists `scopes` with credentials and endpoints from the standard chain.
pub async fn list(
    scopes: &[AwsScope],
    tf_types: Option<&[String]>,
    progress: &dyn ProgressSink,
) -> Inventory {
    list_with(&AwsConfig::default(), scopes, tf_types, progress).await
}

/// Lists `scopes` (all supported types when `tf_types` is `None`). Never fails as a whole:
/// whatever cannot be read is in [`Inventory::errors`].
pub async fn list_with(
    config: &AwsConfig,
    scopes: &[AwsScope],
    tf_types: Option<&[String]>,
    progress: &dyn ProgressSink,
) -> Inventory {
    let mut inv = Inventory::default();
    let wanted: BTreeSet<&'static str> = match tf_types {
        None => supported_types().into_iter().collect(),
        Some(list) => {
            let supported = supported_types();
            for t in list {
                if !supported.contains(&t.as_str()) && t.starts_with("aws_") {
                    inv.errors.push(InventoryError {
                        scope: "aws".into(),
                        type_name: t.clone(),
                        reason: "tfrecon cannot list this AWS type yet; it is left out of the \
                                 inventory"
                            .into(),
                    });
                }
            }
            supported
                .into_iter()
                .filter(|t| list.iter().any(|w| w == t))
                .collect()
        }
    };
    if wanted.is_empty() {
        return inv;
    }

    let base = load_base(config).await;
    let mut regions: Vec<String> = Vec::new();
    for scope in scopes {
        match scope {
            AwsScope::Default => match base
                .region()
                .map(|r| r.to_string())
                .or_else(|| config.default_region.clone())
            {
                Some(r) => regions.push(r),
                None => inv.errors.push(InventoryError {
                    scope: "aws".into(),
                    type_name: String::new(),
                    reason: "no AWS region configured: set AWS_REGION or a profile region, or \
                             name the regions with --scope aws:REGION[,REGION]"
                        .into(),
                }),
            },
            AwsScope::Regions(r) => regions.extend(r.iter().cloned()),
        }
    }
    let mut seen = BTreeSet::new();
    regions.retain(|r| seen.insert(r.clone()));
    let Some(first) = regions.first().cloned() else {
        return inv;
    };

    let first_cfg = region_config(&base, &first);
    let account = match account_id(&first_cfg, config).await {
        Ok(a) => Some(a),
        Err(e) => {
            inv.errors.push(InventoryError {
                scope: format!("aws:{first}"),
                type_name: String::new(),
                reason: format!("{e}; resources are listed without their account ID"),
            });
            None
        }
    };

    let mut tasks = Vec::new();
    for unit in Unit::ALL {
        if !unit.types().iter().any(|t| wanted.contains(t)) {
            continue;
        }
        if unit.global() {
            tasks.push(Ctx {
                sdk: first_cfg.clone(),
                region: first.clone(),
                regions: regions.clone(),
                global: true,
                account: account.clone(),
                config,
                progress,
                wanted: &wanted,
                unit: *unit,
            });
        } else {
            for r in &regions {
                tasks.push(Ctx {
                    sdk: region_config(&base, r),
                    region: r.clone(),
                    regions: regions.clone(),
                    global: false,
                    account: account.clone(),
                    config,
                    progress,
                    wanted: &wanted,
                    unit: *unit,
                });
            }
        }
    }

    let mut results = futures_util::stream::iter(tasks.iter().map(run_unit))
        .buffer_unordered(config.concurrency.max(1));
    while let Some(part) = results.next().await {
        inv.extend(part);
    }
    inv.sort();
    inv
}

async fn run_unit(ctx: &Ctx<'_>) -> Inventory {
    let types: Vec<&'static str> = ctx
        .unit
        .types()
        .iter()
        .copied()
        .filter(|t| ctx.wants(t))
        .collect();
    for t in &types {
        ctx.progress.event(ProgressEvent::TypeStarted {
            scope: ctx.scope(),
            type_name: t.to_string(),
        });
    }
    let mut out = Inventory::default();
    let timed = tokio::time::timeout(ctx.config.unit_timeout, ctx.unit.run(ctx, &mut out)).await;
    if timed.is_err() {
        let secs = ctx.config.unit_timeout.as_secs();
        for t in &types {
            out.errors.push(ctx.error(
                t,
                &ListError::Timeout {
                    operation: ctx.unit.types()[0].to_string(),
                    seconds: secs,
                },
            ));
        }
    }
    out.resources
        .retain(|r| r.tf_type.as_deref().is_some_and(|t| ctx.wants(t)));
    out.errors.retain(|e| ctx.wants(&e.type_name));
    for t in &types {
        let ok = !out.errors.iter().any(|e| e.type_name == *t);
        ctx.progress.event(ProgressEvent::TypeDone {
            scope: ctx.scope(),
            type_name: t.to_string(),
            ok,
        });
    }
    out
}

async fn load_base(config: &AwsConfig) -> SdkConfig {
    // ring-based rustls, like the rest of the binary: one crypto backend.
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http);
    if let Some(url) = &config.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(c) = &config.credentials {
        loader = loader.credentials_provider(aws_sdk_sts::config::Credentials::new(
            c.access_key_id.clone(),
            c.secret_access_key.clone(),
            c.session_token.clone(),
            None,
            "tfrecon-static",
        ));
    }
    let mut cfg = loader.load().await;
    if cfg.region().is_none() {
        if let Some(r) = &config.default_region {
            cfg = cfg.into_builder().region(Region::new(r.clone())).build();
        }
    }
    cfg
}

fn region_config(base: &SdkConfig, region: &str) -> SdkConfig {
    base.to_builder()
        .region(Region::new(region.to_string()))
        .build()
}

async fn account_id(sdk: &SdkConfig, config: &AwsConfig) -> Result<String, ListError> {
    let mut b = aws_sdk_sts::config::Builder::from(sdk);
    if let Some(c) = &config.request_counter {
        b = b.interceptor(error::Counting(c.clone()));
    }
    let sts = aws_sdk_sts::Client::from_conf(b.build());
    let out = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| ListError::from_sdk("sts:GetCallerIdentity", e))?;
    out.account().map(str::to_string).ok_or(ListError::Service {
        permission: "sts:GetCallerIdentity".into(),
        code: "NoAccount".into(),
        message: "the response carried no account ID".into(),
    })
}

/// What one unit needs: the region's SDK configuration and where to report.
pub(crate) struct Ctx<'a> {
    pub sdk: SdkConfig,
    pub region: String,
    /// Every region of the run; global units keep regional children (S3 buckets) in these.
    pub regions: Vec<String>,
    pub global: bool,
    pub account: Option<String>,
    pub config: &'a AwsConfig,
    pub progress: &'a dyn ProgressSink,
    wanted: &'a BTreeSet<&'static str>,
    unit: Unit,
}

impl Ctx<'_> {
    pub fn wants(&self, tf_type: &str) -> bool {
        self.wanted.contains(tf_type)
    }

    pub fn scope(&self) -> String {
        if self.global {
            "aws:global".into()
        } else {
            format!("aws:{}", self.region)
        }
    }

    pub fn page_size(&self) -> Option<i32> {
        self.config.page_size
    }

    pub fn account(&self) -> &str {
        self.account.as_deref().unwrap_or("")
    }

    pub fn page(&self, tf_type: &str, resources: usize) {
        self.progress.event(ProgressEvent::Page {
            scope: self.scope(),
            type_name: tf_type.to_string(),
            resources,
        });
    }

    /// A resource in this unit's region (or `global`).
    pub fn resource(&self, tf_type: &'static str, name: String, attributes: Value) -> LiveResource {
        let location = if self.global {
            "global".to_string()
        } else {
            self.region.clone()
        };
        self.resource_in(tf_type, name, attributes, location)
    }

    pub fn resource_in(
        &self,
        tf_type: &'static str,
        name: String,
        mut attributes: Value,
        location: String,
    ) -> LiveResource {
        let info = import_id::info(tf_type);
        let labels = tags_of(&attributes);
        let import_id = import_id::render_for(tf_type, &attributes);
        let iam_policy = import_id::resource_policy(tf_type, &attributes);
        if let Value::Object(map) = &mut attributes {
            map.retain(|_, v| !v.is_null());
        }
        let mut r = LiveResource {
            cloud: Cloud::Aws,
            tf_type: Some(tf_type.to_string()),
            native_type: info.native_type().unwrap_or_default().to_string(),
            name,
            import_id,
            project: None,
            account: self.account.clone(),
            location: Some(location),
            labels,
            attributes,
            iam_policy,
            service_managed: false,
            source: self.scope(),
        };
        r.service_managed = info.is_service_managed(&r);
        r
    }

    pub fn error(&self, tf_type: &str, err: &ListError) -> InventoryError {
        InventoryError {
            scope: self.scope(),
            type_name: tf_type.to_string(),
            reason: err.to_string(),
        }
    }

    /// Records `err` against every wanted type in `types`, once per type: a permission missing
    /// for one child call is missing for all of them.
    pub fn fail(&self, out: &mut Inventory, types: &[&str], err: &ListError) {
        let scope = self.scope();
        for t in types {
            if self.wants(t)
                && !out
                    .errors
                    .iter()
                    .any(|e| e.type_name == *t && e.scope == scope)
            {
                out.errors.push(self.error(t, err));
            }
        }
    }

    /// An ARN in this unit's partition, region and account.
    pub fn arn(&self, service: &str, regional: bool, resource: &str) -> String {
        let region = if regional { self.region.as_str() } else { "" };
        format!(
            "arn:{}:{service}:{region}:{}:{resource}",
            partition(&self.region),
            self.account()
        )
    }
}

fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// Tags live in `attributes.tags` (as Terraform has them) and are copied into the labels.
fn tags_of(attributes: &Value) -> BTreeMap<String, String> {
    attributes
        .get("tags")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// A `tags` attribute from key/value pairs; `null` when there are none, as Terraform's
/// state has it for untagged resources.
pub(crate) fn tags_value<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Value {
    let map: serde_json::Map<String, Value> = pairs
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect();
    if map.is_empty() {
        Value::Null
    } else {
        Value::Object(map)
    }
}

pub(crate) fn tags_map(map: Option<&HashMap<String, String>>) -> Value {
    tags_value(
        map.into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    )
}

/// Builds a client of `$krate` for the unit's region, counting requests when asked.
macro_rules! client {
    ($ctx:expr, $krate:ident) => {{
        let mut b = $krate::config::Builder::from(&$ctx.sdk);
        if let Some(c) = &$ctx.config.request_counter {
            b = b.interceptor($crate::inventory::aws::error::Counting(c.clone()));
        }
        $krate::Client::from_conf(b.build())
    }};
}
pub(crate) use client;

/// Drains a paginator's page stream into one list, reporting each page. On an error the error
/// is recorded against `$types` and the result is `None`.
macro_rules! pages {
    ($ctx:expr, $out:expr, $types:expr, $perm:expr, $stream:expr, $p:ident => $items:expr) => {{
        let mut stream = $stream;
        let mut all = Vec::new();
        let mut ok = true;
        while let Some(page) = stream.next().await {
            match page {
                Ok($p) => {
                    let items: Vec<_> = $items;
                    $ctx.page($types[0], items.len());
                    all.extend(items);
                }
                Err(e) => {
                    $ctx.fail(
                        $out,
                        $types,
                        &$crate::inventory::aws::ListError::from_sdk($perm, e),
                    );
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            Some(all)
        } else {
            None
        }
    }};
}
pub(crate) use pages;

/// Runs one request; on an error records it against `$types` and evaluates to `None`.
macro_rules! call {
    ($ctx:expr, $out:expr, $types:expr, $perm:expr, $req:expr) => {
        match $req.await {
            Ok(v) => Some(v),
            Err(e) => {
                $ctx.fail(
                    $out,
                    $types,
                    &$crate::inventory::aws::ListError::from_sdk($perm, e),
                );
                None
            }
        }
    };
}
pub(crate) use call;

/// Normalises a JSON policy document (IAM returns them URL-encoded) into a compact string.
pub(crate) fn policy_json(raw: &str) -> String {
    let decoded = if raw.trim_start().starts_with('{') {
        raw.to_string()
    } else {
        percent_encoding::percent_decode_str(raw)
            .decode_utf8_lossy()
            .into_owned()
    };
    match serde_json::from_str::<Value>(&decoded) {
        Ok(v) => v.to_string(),
        Err(_) => decoded,
    }
}
