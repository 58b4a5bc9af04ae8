//! The live side: what exists in Google Cloud and AWS, from their APIs or from snapshot files.
//! [`collect`] is the one entry point the rest of tfrecon calls.

pub mod gcp;
pub mod model;
pub mod snapshot;

use std::path::PathBuf;

pub use model::{
    Cloud, Inventory, InventoryError, LiveResource, NoProgress, ProgressEvent, ProgressSink,
};

/// What to list.
pub struct InventoryRequest {
    pub gcp_scopes: Vec<gcp::GcpScope>,
    /// `aws:REGION` style scopes, handed to the AWS lister (see [`CollectError::AwsUnavailable`]).
    pub aws_scopes: Vec<String>,
    /// Snapshot files (`--inventory`), combined with each other and with live listings.
    pub files: Vec<PathBuf>,
    /// List every asset type, not only those the catalog knows.
    pub all_types: bool,
    pub gcp: gcp::GcpOptions,
}

#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error(transparent)]
    Snapshot(#[from] snapshot::SnapshotError),
    /// The integration point for `inventory::aws::list`: until it is wired in, AWS scopes are
    /// refused rather than silently skipped.
    #[error("AWS scopes ({0}) cannot be listed by this build: list them with a snapshot file (--inventory) instead")]
    AwsUnavailable(String),
}

/// Lists every source of the request. Files that cannot be read stop the run (the user named
/// them); cloud types or scopes that cannot be read are recorded in `Inventory::errors`.
pub async fn collect(
    request: InventoryRequest,
    progress: &dyn ProgressSink,
) -> Result<Inventory, CollectError> {
    if !request.aws_scopes.is_empty() {
        return Err(CollectError::AwsUnavailable(request.aws_scopes.join(", ")));
    }
    let mut inventory = snapshot::load(&request.files)?;
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
    Ok(inventory)
}
