//! The live side: what exists in Google Cloud and AWS, from their APIs or from snapshot files.
//! [`collect`] is the one entry point the rest of tfrecon calls.

pub mod aws;
pub mod gcp;
pub mod model;
pub mod snapshot;

use std::path::PathBuf;

pub use model::{
    Cloud, Inventory, InventoryError, LiveResource, NoProgress, ProgressEvent, ProgressSink,
    RawJson,
};

/// What to list.
pub struct InventoryRequest {
    pub gcp_scopes: Vec<gcp::GcpScope>,
    /// `aws`, `aws:REGION[,REGION...]`, `aws:*` (every enabled region) or
    /// `aws:aggregator:NAME[@REGION]` (an AWS Config aggregator).
    pub aws_scopes: Vec<String>,
    /// Snapshot files (`--inventory`), combined with each other and with live listings.
    pub files: Vec<PathBuf>,
    /// The snapshot files, already read (on another thread while state was being read).
    pub preloaded: Option<Result<Inventory, snapshot::SnapshotError>>,
    /// List every asset type, not only those the catalog knows.
    pub all_types: bool,
    pub gcp: gcp::GcpOptions,
}

#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error(transparent)]
    Snapshot(#[from] snapshot::SnapshotError),
    #[error("{0}")]
    AwsScope(String),
}

/// Lists every source of the request. Files that cannot be read stop the run (the user named
/// them); cloud types or scopes that cannot be read are recorded in `Inventory::errors`.
pub async fn collect(
    request: InventoryRequest,
    progress: &dyn ProgressSink,
) -> Result<Inventory, CollectError> {
    let aws_scopes = request
        .aws_scopes
        .iter()
        .map(|s| {
            s.parse::<aws::AwsScope>()
                .map_err(|e| CollectError::AwsScope(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut inventory = match request.preloaded {
        Some(read) => read?,
        None => snapshot::load(&request.files)?,
    };
    if !aws_scopes.is_empty() {
        // One retry budget for every cloud (`--retry-budget`).
        let config = aws::AwsConfig {
            retry: request.gcp.retry.clone(),
            ..aws::AwsConfig::default()
        };
        inventory.extend(aws::list_with(&config, &aws_scopes, None, progress).await);
    }
    if !request.gcp_scopes.is_empty() {
        inventory.extend(
            gcp::list(
                &request.gcp_scopes,
                request.all_types,
                request.gcp,
                progress,
            )
            .await,
        );
    }
    inventory.sort();
    dedupe(&mut inventory);
    Ok(inventory)
}

/// The same resource seen twice (overlapping scopes, a snapshot and a live listing) is kept
/// once: the live listing wins over a file, then the first scope in order.
fn dedupe(inventory: &mut Inventory) {
    let mut best: std::collections::HashMap<(Cloud, Option<String>, String), usize> =
        std::collections::HashMap::new();
    let mut keep = vec![true; inventory.resources.len()];
    for (i, r) in inventory.resources.iter().enumerate() {
        let key = (r.cloud, r.tf_type.clone(), r.name.clone());
        match best.get(&key) {
            None => {
                best.insert(key, i);
            }
            Some(&j) => {
                let live = |x: &LiveResource| !x.source.starts_with("file:");
                if live(r) && !live(&inventory.resources[j]) {
                    keep[j] = false;
                    best.insert(key, i);
                } else {
                    keep[i] = false;
                }
            }
        }
    }
    let mut k = keep.into_iter();
    inventory.resources.retain(|_| k.next().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(name: &str, source: &str) -> LiveResource {
        LiveResource {
            cloud: Cloud::Gcp,
            tf_type: Some("google_storage_bucket".into()),
            native_type: "storage.googleapis.com/Bucket".into(),
            name: name.into(),
            import_id: None,
            project: None,
            account: None,
            location: None,
            labels: Default::default(),
            attributes: Default::default(),
            iam_policy: None,
            service_managed: false,
            source: source.into(),
        }
    }

    #[test]
    fn duplicates_keep_the_live_listing() {
        let mut inv = Inventory {
            resources: vec![
                res("//storage.googleapis.com/a", "file:old.json"),
                res("//storage.googleapis.com/a", "gcp:folders/1"),
                res("//storage.googleapis.com/a", "gcp:projects/p"),
                res("//storage.googleapis.com/b", "file:old.json"),
            ],
            errors: vec![],
        };
        inv.sort();
        dedupe(&mut inv);
        let got: Vec<_> = inv
            .resources
            .iter()
            .map(|r| (r.name.as_str(), r.source.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("//storage.googleapis.com/a", "gcp:folders/1"),
                ("//storage.googleapis.com/b", "file:old.json")
            ]
        );
    }
}
