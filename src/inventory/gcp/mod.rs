//! Google Cloud inventory from Cloud Asset Inventory: which scopes and asset types to list,
//! run with bounded concurrency, and every failure kept as an [`InventoryError`]. It must not
//! print; progress goes through a [`ProgressSink`].

pub mod asset;
pub mod client;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use tokio::sync::Semaphore;

use self::asset::{Asset, Converter};
use self::client::{Auth, CaiClient, ContentType, ListError, RetryPolicy};
use crate::catalog::Catalog;
use crate::inventory::{Inventory, InventoryError, ProgressEvent, ProgressSink};

/// A place to list from: `gcp:projects/ID`, `gcp:folders/N` or `gcp:organizations/N`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GcpScope {
    /// `projects/ID`, `folders/N` or `organizations/N`.
    pub parent: String,
}

impl GcpScope {
    /// The project ID when the scope is a project named by ID.
    pub fn project_id(&self) -> Option<&str> {
        self.parent
            .strip_prefix("projects/")
            .filter(|p| !p.bytes().all(|b| b.is_ascii_digit()))
    }
}

impl fmt::Display for GcpScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gcp:{}", self.parent)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a Google Cloud scope: write gcp:projects/PROJECT_ID, gcp:folders/NUMBER or gcp:organizations/NUMBER")]
pub struct BadScope(pub String);

impl FromStr for GcpScope {
    type Err = BadScope;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s.strip_prefix("gcp:").unwrap_or(s);
        let (kind, id) = rest
            .split_once('/')
            .ok_or_else(|| BadScope(s.to_string()))?;
        let ok_id = !id.is_empty() && !id.contains('/');
        let ok = match kind {
            "projects" => ok_id,
            "folders" | "organizations" => ok_id && id.bytes().all(|b| b.is_ascii_digit()),
            _ => false,
        };
        if !ok {
            return Err(BadScope(s.to_string()));
        }
        Ok(GcpScope {
            parent: rest.to_string(),
        })
    }
}

/// How to reach Cloud Asset Inventory and how hard to push it.
pub struct GcpOptions {
    pub endpoint: String,
    pub auth: Auth,
    pub requests_per_minute: u32,
    pub concurrency: usize,
    pub retry: RetryPolicy,
    pub page_size: u32,
    /// Asset types asked for in one listing. Most types are empty in most projects, and the
    /// quota counts requests, so types are listed together and split only when a listing fails.
    pub types_per_request: usize,
}

impl GcpOptions {
    /// Production defaults; `TFRECON_CLOUDASSET_ENDPOINT` overrides the endpoint.
    pub fn from_env() -> GcpOptions {
        GcpOptions {
            endpoint: std::env::var("TFRECON_CLOUDASSET_ENDPOINT")
                .ok()
                .filter(|e| !e.is_empty())
                .unwrap_or_else(|| client::DEFAULT_ENDPOINT.to_string()),
            auth: Auth::from_env(),
            requests_per_minute: client::DEFAULT_REQUESTS_PER_MINUTE,
            concurrency: 8,
            retry: RetryPolicy::default(),
            page_size: client::MAX_PAGE_SIZE,
            types_per_request: 20,
        }
    }
}

/// One listing: a scope, some asset types (all when empty), a content type.
#[derive(Clone)]
struct Job {
    scope: GcpScope,
    types: Vec<String>,
    content: ContentType,
}

impl Job {
    fn label(&self) -> String {
        let t = match self.types.as_slice() {
            [] => "*".to_string(),
            [one] => one.clone(),
            [first, rest @ ..] => format!("{first} and {} more", rest.len()),
        };
        match self.content {
            ContentType::Resource => t,
            ContentType::IamPolicy => format!("{t} (IAM policy)"),
        }
    }

    /// Halves, when the failure may belong to one type (a VPC Service Controls perimeter or an
    /// unsupported type refuses only some services): each half is listed again on its own.
    fn split(&self, err: &ListError) -> Option<(Job, Job)> {
        let type_specific = matches!(
            err,
            ListError::PermissionDenied { .. } | ListError::Rejected { .. }
        );
        if !type_specific || self.types.len() < 2 {
            return None;
        }
        let (a, b) = self.types.split_at(self.types.len() / 2);
        let half = |t: &[String]| Job {
            scope: self.scope.clone(),
            types: t.to_vec(),
            content: self.content,
        };
        Some((half(a), half(b)))
    }
}

/// Lists `scopes` through Cloud Asset Inventory: the catalog's asset types (or every type with
/// `all_types`), resources and IAM policies. Never fails as a whole: whatever cannot be read
/// is in `Inventory::errors`, one entry per scope and asset type.
pub async fn list(
    scopes: &[GcpScope],
    all_types: bool,
    options: GcpOptions,
    progress: &dyn ProgressSink,
) -> Inventory {
    let catalog = Catalog::gcp();
    let mut inventory = Inventory::default();
    let client = match CaiClient::new(
        &options.endpoint,
        options.auth,
        options.requests_per_minute,
        options.retry,
        options.page_size,
    ) {
        Ok(c) => Arc::new(c),
        Err(e) => {
            for s in scopes {
                inventory.errors.push(InventoryError {
                    scope: s.to_string(),
                    type_name: String::new(),
                    reason: e.to_string(),
                });
            }
            return inventory;
        }
    };
    let jobs = jobs(catalog, scopes, all_types, options.types_per_request.max(1));

    // The sink is borrowed, the tasks are 'static: events cross through a channel drained here.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<ProgressEvent>();
    let semaphore = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut set = tokio::task::JoinSet::new();
    let spawn = |set: &mut tokio::task::JoinSet<(Job, Result<Vec<Asset>, ListError>)>, job: Job| {
        let client = client.clone();
        let semaphore = semaphore.clone();
        let sink = ChannelSink(tx.clone());
        set.spawn(async move {
            let _permit = semaphore
                .acquire_owned()
                .await
                .expect("semaphore never closed");
            let scope_label = job.scope.to_string();
            let type_label = job.label();
            sink.event(ProgressEvent::TypeStarted {
                scope: scope_label.clone(),
                type_name: type_label.clone(),
            });
            let result = client
                .list(
                    &job.scope.parent,
                    &job.types,
                    job.content,
                    &sink,
                    (&scope_label, &type_label),
                    &|a| asset::prune(catalog, a),
                )
                .await;
            sink.event(ProgressEvent::TypeDone {
                scope: scope_label,
                type_name: type_label,
                ok: result.is_ok(),
            });
            (job, result)
        });
    };
    for job in jobs {
        spawn(&mut set, job);
    }

    let mut per_scope: Vec<(GcpScope, Vec<Asset>)> =
        scopes.iter().map(|s| (s.clone(), Vec::new())).collect();
    loop {
        tokio::select! {
            Some(ev) = rx.recv() => progress.event(ev),
            joined = set.join_next() => {
                let Some(joined) = joined else { break };
                let (job, result) = match joined {
                    Ok(r) => r,
                    Err(e) => {
                        inventory.errors.push(InventoryError {
                            scope: String::new(),
                            type_name: String::new(),
                            reason: format!("a listing task failed: {e}"),
                        });
                        continue;
                    }
                };
                match result {
                    Ok(assets) => {
                        if let Some((_, v)) = per_scope.iter_mut().find(|(s, _)| *s == job.scope) {
                            v.extend(assets);
                        }
                    }
                    Err(e) => match job.split(&e) {
                        Some((a, b)) => {
                            spawn(&mut set, a);
                            spawn(&mut set, b);
                        }
                        None => record_failure(&mut inventory, &job, &e),
                    },
                }
            }
        }
    }
    drop(tx);
    while let Ok(ev) = rx.try_recv() {
        progress.event(ev);
    }

    let mut converter = Converter::new(catalog);
    for (scope, assets) in per_scope {
        let source = scope.to_string();
        for a in assets {
            converter.push(a, &source, scope.project_id());
        }
    }
    inventory.resources = converter.finish();
    inventory
}

/// The requests of a listing: per scope, the catalog's asset types in batches (or every
/// type with `all_types`), for resources and for IAM policies.
fn jobs(catalog: &Catalog, scopes: &[GcpScope], all_types: bool, batch: usize) -> Vec<Job> {
    let batches = |types: Vec<&str>| -> Vec<Vec<String>> {
        if all_types {
            return vec![Vec::new()];
        }
        types
            .chunks(batch)
            .map(|c| c.iter().map(|t| t.to_string()).collect())
            .collect()
    };
    let resource_batches = batches(catalog.listable_native_types());
    let iam_batches = batches(catalog.iam_parent_types());
    let mut jobs = Vec::new();
    for scope in scopes {
        for (content, list) in [
            (ContentType::Resource, &resource_batches),
            (ContentType::IamPolicy, &iam_batches),
        ] {
            for types in list {
                jobs.push(Job {
                    scope: scope.clone(),
                    types: types.clone(),
                    content,
                });
            }
        }
    }
    jobs
}

/// A request that failed for good: one error for its scope when the failure is scope-wide,
/// else one per asset type it asked for.
fn record_failure(inventory: &mut Inventory, job: &Job, e: &ListError) {
    if e.is_scope_wide() {
        let error = InventoryError {
            scope: job.scope.to_string(),
            type_name: String::new(),
            reason: e.to_string(),
        };
        if !inventory.errors.contains(&error) {
            inventory.errors.push(error);
        }
        return;
    }
    let suffix = if job.content == ContentType::IamPolicy {
        " (IAM policy)"
    } else {
        ""
    };
    let names = if job.types.is_empty() {
        vec![String::new()]
    } else {
        job.types.clone()
    };
    for t in names {
        inventory.errors.push(InventoryError {
            scope: job.scope.to_string(),
            type_name: if t.is_empty() {
                t
            } else {
                format!("{t}{suffix}")
            },
            reason: e.to_string(),
        });
    }
}

struct ChannelSink(tokio::sync::mpsc::UnboundedSender<ProgressEvent>);

impl ProgressSink for ChannelSink {
    fn event(&self, event: ProgressEvent) {
        let _ = self.0.send(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_and_reject() {
        let s: GcpScope = "gcp:projects/acme-prod".parse().unwrap();
        assert_eq!(s.project_id(), Some("acme-prod"));
        assert_eq!(s.to_string(), "gcp:projects/acme-prod");
        assert!("gcp:folders/123".parse::<GcpScope>().is_ok());
        assert!("gcp:folders/abc".parse::<GcpScope>().is_err());
        assert!("gcp:buckets/x".parse::<GcpScope>().is_err());
        assert!("projects/".parse::<GcpScope>().is_err());
    }
}
