//! The AWS half of the live inventory: lists resources region by region (or out of an AWS
//! Config aggregator) and converts them into [`LiveResource`]s named as Terraform names them.
//! It only reads (List*, Describe*, Get* of configuration); it never reads secret values and
//! no SDK or wire type leaves it.
//!
//! Most types are listed through Cloud Control ([`cloudcontrol`]), driven by the
//! `cloudformation_type` column of `catalog/aws.toml`; what Cloud Control cannot list (IAM
//! policy attachments and inline policies, S3 bucket configurations, Route 53 records) has a
//! dedicated SDK lister ([`units`]). Either way, import IDs, native types, derived attributes
//! and service-managed marks come from the catalog ([`convert`]). Work is split into units
//! (one CloudFormation type family, or one SDK family, in one region) run with bounded
//! concurrency; every request's whole wait is bounded by the retry budget. A unit that fails
//! becomes an [`InventoryError`] naming the call, the region and the permission to grant;
//! every other unit is still listed.

mod aggregator;
mod cloudcontrol;
mod convert;
mod error;
mod http;
mod regions;
mod units;

mod iam;
mod route53;
mod s3;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use futures_util::StreamExt;
use serde_json::Value;

use super::model::{Inventory, InventoryError, LiveResource, ProgressEvent, ProgressSink};
use crate::inventory::gcp::client::RetryPolicy;

pub use error::{ErrorKind, ListError, ScopeError};
use units::Unit;

/// Where to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwsScope {
    /// `aws`: the region from the environment, profile or instance metadata.
    Default,
    /// `aws:REGION[,REGION...]`.
    Regions(Vec<String>),
    /// `aws:*`: every region enabled for the account (`ec2:DescribeRegions`).
    AllRegions,
    /// `aws:aggregator:NAME[@REGION]`: every account and region an AWS Config aggregator
    /// collects, read in `region` (the default region when not given).
    Aggregator {
        name: String,
        region: Option<String>,
    },
}

impl FromStr for AwsScope {
    type Err = ScopeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            None if s == "aws" => Ok(AwsScope::Default),
            Some(("aws", "*")) => Ok(AwsScope::AllRegions),
            Some(("aws", rest)) if rest.starts_with("aggregator:") => {
                let spec = &rest["aggregator:".len()..];
                let (name, region) = match spec.split_once('@') {
                    Some((n, r)) => (n, Some(r.to_string())),
                    None => (spec, None),
                };
                if name.is_empty() {
                    return Err(ScopeError::NotAws(s.to_string()));
                }
                if let Some(r) = &region {
                    if !valid_region(r) {
                        return Err(ScopeError::BadRegion {
                            scope: s.to_string(),
                            region: r.clone(),
                        });
                    }
                }
                Ok(AwsScope::Aggregator {
                    name: name.to_string(),
                    region,
                })
            }
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
            AwsScope::AllRegions => f.write_str("aws:*"),
            AwsScope::Aggregator { name, region } => match region {
                Some(r) => write!(f, "aws:aggregator:{name}@{r}"),
                None => write!(f, "aws:aggregator:{name}"),
            },
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
    /// How long one request may keep retrying throttling, server errors and hung attempts
    /// (`--retry-budget`, shared with the Google lister).
    pub retry: RetryPolicy,
    pub connect_timeout: Duration,
    /// Longest silence while a response is read.
    pub read_timeout: Duration,
    /// Read a resource again with `GetResource` when its list handler returned only its
    /// identifier, so that its attributes can be compared.
    pub detail: bool,
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
            unit_timeout: Duration::from_secs(900),
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            detail: true,
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
    let sdk: BTreeSet<&str> = Unit::ALL
        .iter()
        .flat_map(|u| u.types().iter().copied())
        .collect();
    let cc: BTreeSet<&str> = cloudcontrol::families()
        .iter()
        .flat_map(|f| f.types())
        .collect();
    crate::catalog::Catalog::aws()
        .types()
        .iter()
        .map(|t| t.type_name.as_str())
        .filter(|t| sdk.contains(t) || cc.contains(t))
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
    let wanted = wanted_types(tf_types, &mut inv);
    if wanted.is_empty() {
        return inv;
    }

    let base = load_base(config).await;
    let http = http::Http::new(&base, config);
    let home = base
        .region()
        .map(|r| r.to_string())
        .or_else(|| config.default_region.clone());
    let no_region = || InventoryError {
        scope: "aws".into(),
        type_name: String::new(),
        reason: "no AWS region configured: set AWS_REGION or a profile region, or name the \
                 regions with --scope aws:REGION[,REGION]"
            .into(),
    };
    let mut regions: Vec<String> = Vec::new();
    for scope in scopes {
        match scope {
            AwsScope::Default => match &home {
                Some(r) => regions.push(r.clone()),
                None => inv.errors.push(no_region()),
            },
            AwsScope::Regions(r) => regions.extend(r.iter().cloned()),
            AwsScope::AllRegions => {
                let Some(r) = &home else {
                    inv.errors.push(no_region());
                    continue;
                };
                match regions::enabled(&http, r, progress).await {
                    Ok(all) => regions.extend(all),
                    Err(e) => inv.errors.push(InventoryError {
                        scope: "aws:*".into(),
                        type_name: String::new(),
                        reason: format!("{e}; name the regions with --scope aws:REGION[,REGION]"),
                    }),
                }
            }
            AwsScope::Aggregator { name, region } => {
                let Some(r) = region.clone().or_else(|| home.clone()) else {
                    inv.errors.push(no_region());
                    continue;
                };
                inv.extend(aggregator::list(&http, name, &r, &wanted, progress).await);
            }
        }
    }
    let mut seen = BTreeSet::new();
    regions.retain(|r| seen.insert(r.clone()));
    let Some(first) = regions.first().cloned() else {
        inv.sort();
        return inv;
    };

    let first_cfg = region_config(&base, &first, config);
    let account = match account_id(&first_cfg, config, &first).await {
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

    let mut tasks: Vec<Task<'_>> = Vec::new();
    for unit in Unit::ALL {
        if !unit.types().iter().any(|t| wanted.contains(t)) {
            continue;
        }
        let places: Vec<(String, bool)> = if unit.global() {
            vec![(first.clone(), true)]
        } else {
            regions.iter().map(|r| (r.clone(), false)).collect()
        };
        for (r, global) in places {
            tasks.push(Task::Sdk(Box::new(Ctx {
                sdk: region_config(&base, &r, config),
                region: r,
                regions: regions.clone(),
                global,
                account: account.clone(),
                config,
                progress,
                wanted: &wanted,
                unit: *unit,
            })));
        }
    }
    let families = cloudcontrol::families();
    for fam in &families {
        if !fam.types().iter().any(|t| wanted.contains(t)) {
            continue;
        }
        let places: Vec<(String, String)> = if fam.global {
            vec![(global_region(&first).to_string(), "global".to_string())]
        } else {
            regions.iter().map(|r| (r.clone(), r.clone())).collect()
        };
        for (api_region, location) in places {
            let source = if location == "global" {
                "aws:global".to_string()
            } else {
                format!("aws:{location}")
            };
            tasks.push(Task::CloudControl(
                fam,
                cloudcontrol::Cx {
                    http: &http,
                    config,
                    region: api_region,
                    place: convert::Place {
                        account: account.clone(),
                        location,
                        source,
                    },
                    progress,
                    wanted: &wanted,
                },
            ));
        }
    }

    let mut results = futures_util::stream::iter(tasks.iter().map(|t| t.run()))
        .buffer_unordered(config.concurrency.max(1));
    while let Some(part) = results.next().await {
        inv.extend(part);
    }
    inv.sort();
    inv
}

/// The types to list: every supported one, or those of `tf_types` that are supported; an
/// AWS type asked for that cannot be listed is an error of the inventory.
fn wanted_types(tf_types: Option<&[String]>, inv: &mut Inventory) -> BTreeSet<&'static str> {
    let supported = supported_types();
    let Some(list) = tf_types else {
        return supported.into_iter().collect();
    };
    for t in list {
        if !supported.contains(&t.as_str()) && t.starts_with("aws_") {
            inv.errors.push(InventoryError {
                scope: "aws".into(),
                type_name: t.clone(),
                reason: "tfrecon cannot list this AWS type yet; it is left out of the inventory"
                    .into(),
            });
        }
    }
    supported
        .into_iter()
        .filter(|t| list.iter().any(|w| w == t))
        .collect()
}

/// Global services (CloudFront, Route 53 health checks) answer in their partition's first
/// region.
fn global_region(any: &str) -> &'static str {
    if any.starts_with("cn-") {
        "cn-north-1"
    } else if any.starts_with("us-gov-") {
        "us-gov-west-1"
    } else {
        "us-east-1"
    }
}

enum Task<'a> {
    Sdk(Box<Ctx<'a>>),
    CloudControl(&'a cloudcontrol::Family, cloudcontrol::Cx<'a>),
}

impl Task<'_> {
    fn types(&self) -> Vec<&'static str> {
        match self {
            Task::Sdk(ctx) => ctx.unit.types().to_vec(),
            Task::CloudControl(fam, _) => fam.types(),
        }
    }

    fn wanted(&self) -> &BTreeSet<&'static str> {
        match self {
            Task::Sdk(ctx) => ctx.wanted,
            Task::CloudControl(_, cx) => cx.wanted,
        }
    }

    fn scope(&self) -> String {
        match self {
            Task::Sdk(ctx) => ctx.scope(),
            Task::CloudControl(_, cx) => cx.place.source.clone(),
        }
    }

    fn progress(&self) -> &dyn ProgressSink {
        match self {
            Task::Sdk(ctx) => ctx.progress,
            Task::CloudControl(_, cx) => cx.progress,
        }
    }

    fn timeout(&self) -> Duration {
        match self {
            Task::Sdk(ctx) => ctx.config.unit_timeout,
            Task::CloudControl(_, cx) => cx.config.unit_timeout,
        }
    }

    async fn run(&self) -> Inventory {
        let wanted = self.wanted();
        let types: Vec<&'static str> = self
            .types()
            .into_iter()
            .filter(|t| wanted.contains(t))
            .collect();
        let scope = self.scope();
        for t in &types {
            self.progress().event(ProgressEvent::TypeStarted {
                scope: scope.clone(),
                type_name: t.to_string(),
            });
        }
        let mut out = Inventory::default();
        let work = async {
            match self {
                Task::Sdk(ctx) => ctx.unit.run(ctx, &mut out).await,
                Task::CloudControl(fam, cx) => cloudcontrol::list_family(cx, fam, &mut out).await,
            }
        };
        let timed = tokio::time::timeout(self.timeout(), work).await;
        if timed.is_err() {
            for t in &types {
                let region = scope.trim_start_matches("aws:");
                let err = ListError::new(
                    "listing",
                    t,
                    region,
                    ErrorKind::TimedOut {
                        waited: self.timeout(),
                        last: "the unit's time limit".into(),
                    },
                );
                out.errors.push(InventoryError {
                    scope: scope.clone(),
                    type_name: t.to_string(),
                    reason: err.to_string(),
                });
            }
        }
        out.resources
            .retain(|r| r.tf_type.as_deref().is_some_and(|t| wanted.contains(t)));
        out.errors.retain(|e| wanted.contains(e.type_name.as_str()));
        for t in &types {
            let ok = !out.errors.iter().any(|e| e.type_name == *t);
            self.progress().event(ProgressEvent::TypeDone {
                scope: scope.clone(),
                type_name: t.to_string(),
                ok,
            });
        }
        out
    }
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
        loader = loader.credentials_provider(aws_credential_types::Credentials::new(
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

/// The SDK configuration for `region`, with the run's timeouts: every call's whole wait,
/// retries included, stays within the retry budget.
fn region_config(base: &SdkConfig, region: &str, config: &AwsConfig) -> SdkConfig {
    let timeouts = aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(config.connect_timeout)
        .read_timeout(config.read_timeout)
        .operation_timeout(config.retry.budget)
        .build();
    let retry = aws_config::retry::RetryConfig::standard()
        .with_max_attempts(10)
        .with_initial_backoff(config.retry.base)
        .with_max_backoff(config.retry.max_delay);
    base.to_builder()
        .region(Region::new(region.to_string()))
        .timeout_config(timeouts)
        .retry_config(retry)
        .build()
}

async fn account_id(
    sdk: &SdkConfig,
    config: &AwsConfig,
    region: &str,
) -> Result<String, ListError> {
    let mut b = aws_sdk_sts::config::Builder::from(sdk);
    if let Some(c) = &config.request_counter {
        b = b.interceptor(error::Counting(c.clone()));
    }
    let sts = aws_sdk_sts::Client::from_conf(b.build());
    let out = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| ListError::from_sdk("sts:GetCallerIdentity", region, e))?;
    out.account().map(str::to_string).ok_or_else(|| {
        ListError::new(
            "sts:GetCallerIdentity",
            "",
            region,
            ErrorKind::Decode {
                message: "the answer carried no account ID".into(),
            },
        )
    })
}

/// What one SDK unit needs: the region's SDK configuration and where to report.
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

    pub fn page(&self, tf_type: &str, resources: usize) {
        self.progress.event(ProgressEvent::Page {
            scope: self.scope(),
            type_name: tf_type.to_string(),
            resources,
        });
    }

    /// A resource in this unit's region (or `global`). `native_name` is its ARN when it has
    /// one; otherwise the import ID names it.
    pub fn resource(
        &self,
        tf_type: &'static str,
        native_name: Option<String>,
        attributes: Value,
    ) -> LiveResource {
        let location = if self.global {
            "global".to_string()
        } else {
            self.region.clone()
        };
        self.resource_in(tf_type, native_name, attributes, location)
    }

    pub fn resource_in(
        &self,
        tf_type: &'static str,
        native_name: Option<String>,
        attributes: Value,
        location: String,
    ) -> LiveResource {
        let place = convert::Place {
            account: self.account.clone(),
            location,
            source: self.scope(),
        };
        convert::resource(
            convert::info(tf_type),
            attributes,
            native_name,
            false,
            &place,
        )
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
                        &$crate::inventory::aws::ListError::from_sdk($perm, &$ctx.region, e),
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
                    &$crate::inventory::aws::ListError::from_sdk($perm, &$ctx.region, e),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::AwsLister;

    #[test]
    fn every_listed_type_has_one_lister() {
        let sdk: Vec<&str> = Unit::ALL
            .iter()
            .flat_map(|u| u.types().iter().copied())
            .collect();
        for t in &sdk {
            let row = convert::info(t);
            assert_eq!(
                row.aws.as_ref().unwrap().lister,
                AwsLister::Sdk,
                "{t} is listed by an SDK unit, so its row says lister = \"sdk\""
            );
        }
        for t in crate::catalog::Catalog::aws().types() {
            let aws = t.aws.as_ref().unwrap();
            if aws.lister == AwsLister::Sdk {
                assert!(
                    sdk.contains(&t.type_name.as_str()),
                    "{}: no SDK unit lists it",
                    t.type_name
                );
            }
        }
    }
}
