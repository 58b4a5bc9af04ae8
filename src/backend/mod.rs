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
mod files;
mod gcs;
mod http;
mod local;
mod memory;
mod s3;
pub mod secrets;
pub mod settings;
pub mod source;
pub mod timeouts;
mod workspace;

pub use error::{BackendError, Wait};
pub use gcs::GcsBackend;
pub use http::HttpBackend;
pub use local::{LocalBackend, StdinBackend};
pub use memory::MemoryBackend;
pub use s3::S3Backend;
pub use settings::{BackendSettings, Resolved, SettingValue, SettingsError};
pub use timeouts::Timeouts;
pub use workspace::{
    check_workspace_name, is_valid_workspace_name, select_workspace, WorkspaceList,
};

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
///
/// `read` answers `Ok(None)` only when the workspace truly has no state (no file, no object,
/// HTTP 404): a state that exists but cannot be read (denied, a failed or cut-off download, a
/// missing bucket) is an `Err`, never `None`.
pub trait StateStore: Sync {
    /// A short description for messages: `s3://bucket/key`, `local terraform.tfstate`.
    /// It never holds a credential.
    fn describe(&self) -> String;

    /// Every workspace whose name Terraform would accept, `default` first and the rest
    /// sorted, as `terraform workspace list`; and the listed names that were skipped.
    fn workspace_list(&self) -> impl Future<Output = Result<WorkspaceList, BackendError>> + Send;

    /// Every valid workspace name, `default` first and the rest sorted.
    fn workspaces(&self) -> impl Future<Output = Result<Vec<String>, BackendError>> + Send {
        async move { Ok(self.workspace_list().await?.names) }
    }

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

    async fn workspace_list(&self) -> Result<WorkspaceList, BackendError> {
        dispatch!(self, b => b.workspace_list().await)
    }

    async fn read(&self, workspace: &str) -> Result<Option<StateObject>, BackendError> {
        // A name is never turned into a path or key unless Terraform would accept it.
        check_workspace_name(workspace, "the workspace to read")?;
        dispatch!(self, b => b.read(workspace).await)
    }

    async fn lock_status(&self, workspace: &str) -> Result<LockStatus, BackendError> {
        check_workspace_name(workspace, "the workspace to read")?;
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

    /// Builds a backend from resolved settings (see [`settings::resolve`]), with the request
    /// timeouts of the environment ([`Timeouts::from_env`]).
    pub async fn open(
        kind: &str,
        settings: &BTreeMap<String, SettingValue>,
        base_dir: &std::path::Path,
    ) -> Result<Backend, BackendError> {
        let timeouts = Timeouts::from_env().map_err(BackendError::Config)?;
        Backend::open_with(kind, settings, base_dir, timeouts).await
    }

    /// Builds a backend whose every request is bounded by `timeouts`. No error it returns,
    /// now or later, holds a credential from `settings`.
    pub async fn open_with(
        kind: &str,
        settings: &BTreeMap<String, SettingValue>,
        base_dir: &std::path::Path,
        timeouts: Timeouts,
    ) -> Result<Backend, BackendError> {
        let secrets = secrets::Secrets::from_settings(settings);
        Backend::open_inner(kind, settings, base_dir, timeouts, &secrets)
            .await
            .map_err(|e| e.scrub(&secrets))
    }

    async fn open_inner(
        kind: &str,
        settings: &BTreeMap<String, SettingValue>,
        base_dir: &std::path::Path,
        timeouts: Timeouts,
        secrets: &secrets::Secrets,
    ) -> Result<Backend, BackendError> {
        match kind {
            "local" => Ok(Backend::Local(LocalBackend::from_settings(settings, base_dir)?)),
            "s3" => Ok(Backend::S3(
                S3Backend::from_settings(settings, timeouts, secrets.clone()).await?,
            )),
            "gcs" => Ok(Backend::Gcs(
                GcsBackend::from_settings(settings, base_dir, timeouts, secrets.clone()).await?,
            )),
            "http" => Ok(Backend::Http(HttpBackend::from_settings(
                settings,
                timeouts,
                secrets.clone(),
            )?)),
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
