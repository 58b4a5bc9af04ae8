//! Where state lives: the local, S3, GCS and HTTP backends and standard input, their workspaces,
//! and how a backend's settings are put together (configuration block, `terraform init` cache,
//! `--backend-config`).
//!
//! Every operation here reads. Nothing in this module writes to a backend, takes a lock, or
//! changes a file: lock status is observed, never acquired.

use std::collections::BTreeMap;
use std::future::Future;

use time::OffsetDateTime;

mod error;
mod gcs;
mod http;
mod local;
mod memory;
mod s3;
pub mod settings;
pub mod source;

pub use error::BackendError;
pub use gcs::GcsBackend;
pub use http::HttpBackend;
pub use local::{LocalBackend, StdinBackend};
pub use memory::MemoryBackend;
pub use s3::S3Backend;
pub use settings::{BackendSettings, Resolved, SettingValue, SettingsError};

/// The name Terraform gives the workspace that always exists.
pub const DEFAULT_WORKSPACE: &str = "default";

/// The bytes of one state object and what the backend knows about it.
#[derive(Debug, Clone)]
pub struct StateObject {
    /// Where it was read from, in the backend's own terms (`s3://b/env:/dev/k`, a path, a URL).
    pub location: String,
    pub bytes: Vec<u8>,
    pub last_modified: Option<OffsetDateTime>,
}

/// Whether a workspace's state is locked by a running Terraform. Observed, never acquired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockStatus {
    Unlocked,
    Locked(LockInfo),
    /// The backend keeps locks where tfrecon does not look (a DynamoDB table, an HTTP lock
    /// endpoint); the reason says which.
    Unknown(String),
}

/// Terraform's lock info (`ID`, `Operation`, `Who`, `Version`, `Created`), as far as known.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
pub struct LockInfo {
    #[serde(rename = "ID", default)]
    pub id: String,
    #[serde(rename = "Operation", default)]
    pub operation: String,
    #[serde(rename = "Who", default)]
    pub who: String,
    #[serde(rename = "Version", default)]
    pub version: String,
    #[serde(rename = "Created", default)]
    pub created: String,
}

/// What every state backend can do. All of it is read-only.
pub trait StateStore {
    /// A short description for messages: `s3://bucket/key`, `local terraform.tfstate`.
    fn describe(&self) -> String;

    /// Every workspace, `default` first and the rest sorted, as `terraform workspace list`.
    fn workspaces(&self) -> impl Future<Output = Result<Vec<String>, BackendError>> + Send;

    /// The state of one workspace, or `None` when it has none yet.
    fn read(
        &self,
        workspace: &str,
    ) -> impl Future<Output = Result<Option<StateObject>, BackendError>> + Send;

    /// Whether the workspace's state is locked.
    fn lock_status(
        &self,
        workspace: &str,
    ) -> impl Future<Output = Result<LockStatus, BackendError>> + Send;

    /// State objects in the same place that belong to no workspace of this configuration (other
    /// keys in the bucket, other state files in the directory): where state often is when the
    /// selected workspace looks empty. Best effort, bounded.
    fn other_states(&self) -> impl Future<Output = Result<Vec<StateObject>, BackendError>> + Send;
}

/// Any backend, so callers can hold one without generics.
pub enum Backend {
    Local(LocalBackend),
    Stdin(StdinBackend),
    S3(S3Backend),
    Gcs(GcsBackend),
    Http(HttpBackend),
    Memory(MemoryBackend),
}

macro_rules! dispatch {
    ($self:ident, $b:ident => $e:expr) => {
        match $self {
            Backend::Local($b) => $e,
            Backend::Stdin($b) => $e,
            Backend::S3($b) => $e,
            Backend::Gcs($b) => $e,
            Backend::Http($b) => $e,
            Backend::Memory($b) => $e,
        }
    };
}

impl StateStore for Backend {
    fn describe(&self) -> String {
        dispatch!(self, b => b.describe())
    }

    async fn workspaces(&self) -> Result<Vec<String>, BackendError> {
        dispatch!(self, b => b.workspaces().await)
    }

    async fn read(&self, workspace: &str) -> Result<Option<StateObject>, BackendError> {
        dispatch!(self, b => b.read(workspace).await)
    }

    async fn lock_status(&self, workspace: &str) -> Result<LockStatus, BackendError> {
        dispatch!(self, b => b.lock_status(workspace).await)
    }

    async fn other_states(&self) -> Result<Vec<StateObject>, BackendError> {
        dispatch!(self, b => b.other_states().await)
    }
}

impl Backend {
    /// The backend type name, as in `backend "s3"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Backend::Local(_) => "local",
            Backend::Stdin(_) => "stdin",
            Backend::S3(_) => "s3",
            Backend::Gcs(_) => "gcs",
            Backend::Http(_) => "http",
            Backend::Memory(_) => "memory",
        }
    }

    /// Builds a backend from resolved settings (see [`settings::resolve`]).
    pub async fn open(
        kind: &str,
        settings: &BTreeMap<String, SettingValue>,
        base_dir: &std::path::Path,
    ) -> Result<Backend, BackendError> {
        match kind {
            "local" => Ok(Backend::Local(LocalBackend::from_settings(settings, base_dir)?)),
            "s3" => Ok(Backend::S3(S3Backend::from_settings(settings).await?)),
            "gcs" => Ok(Backend::Gcs(GcsBackend::from_settings(settings, base_dir).await?)),
            "http" => Ok(Backend::Http(HttpBackend::from_settings(settings)?)),
            "remote" => Err(BackendError::Unsupported(
                "the \"remote\" backend (HCP Terraform / Terraform Enterprise) is not supported yet; \
                 run `terraform state pull | tfrecon ... --state -` instead"
                    .into(),
            )),
            other => Err(BackendError::Unsupported(format!(
                "the {other:?} backend is not supported yet (supported: local, s3, gcs, http); \
                 run `terraform state pull | tfrecon ... --state -` instead"
            ))),
        }
    }
}

/// Which workspace to read: `--workspace`, else `TF_WORKSPACE`, else `.terraform/environment`
/// (under `TF_DATA_DIR` when set), else `default`. Returns the name and where it came from.
pub fn select_workspace(
    flag: Option<&str>,
    env_workspace: Option<&str>,
    data_dir: &std::path::Path,
) -> (String, &'static str) {
    if let Some(w) = flag.filter(|w| !w.is_empty()) {
        return (w.to_string(), "--workspace");
    }
    if let Some(w) = env_workspace.filter(|w| !w.is_empty()) {
        return (w.to_string(), "TF_WORKSPACE");
    }
    if let Ok(s) = std::fs::read_to_string(data_dir.join("environment")) {
        let s = s.trim();
        if !s.is_empty() {
            return (s.to_string(), ".terraform/environment");
        }
    }
    (DEFAULT_WORKSPACE.to_string(), "default")
}

/// Sorts workspace names as Terraform lists them: `default` first, then the rest sorted.
pub(crate) fn terraform_workspace_order(mut names: Vec<String>) -> Vec<String> {
    names.retain(|n| n != DEFAULT_WORKSPACE);
    names.sort();
    names.dedup();
    names.insert(0, DEFAULT_WORKSPACE.to_string());
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_selection_precedence() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            select_workspace(None, None, dir.path()),
            ("default".into(), "default")
        );
        std::fs::write(dir.path().join("environment"), "dev\n").unwrap();
        assert_eq!(select_workspace(None, None, dir.path()).0, "dev");
        assert_eq!(select_workspace(None, Some("stage"), dir.path()).0, "stage");
        assert_eq!(
            select_workspace(Some("prod"), Some("stage"), dir.path()).0,
            "prod"
        );
    }

    #[test]
    fn workspace_order() {
        let got =
            terraform_workspace_order(vec!["b".into(), "default".into(), "a".into(), "b".into()]);
        assert_eq!(got, ["default", "a", "b"]);
    }
}
