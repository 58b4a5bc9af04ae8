//! Reading state out of a backend: one workspace, or every workspace with its vital signs, and
//! the plain warning an operator needs when the selected workspace is empty while resources
//! are recorded elsewhere in the same backend.
//!
//! A state that exists but cannot be read (denied, a failed or cut-off download, a corrupt
//! file) is [`WorkspaceState::Unreadable`], never mistaken for a workspace without state: only
//! the backend saying the object does not exist makes a workspace `Missing`.

use time::OffsetDateTime;

use super::{parse, parse_owned, ParseError, Parsed};
use crate::backend::{BackendError, LockStatus, StateObject, StateStore};

/// Why reading a workspace's state failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Backend(#[from] BackendError),
    #[error("{location}: {cause}")]
    Parse { location: String, cause: ParseError },
}

/// The state of one workspace, as read.
pub enum Loaded {
    /// No state object exists for the workspace.
    Missing,
    /// The object exists but is empty: Terraform treats it as no state.
    Empty {
        location: String,
    },
    Present {
        object: StateObject,
        parsed: Parsed,
    },
}

impl Loaded {
    pub fn instance_count(&self) -> usize {
        match self {
            Loaded::Present { parsed, .. } => parsed.state.instance_count(),
            _ => 0,
        }
    }
}

/// One workspace's state as read: the outcome every consumer must tell apart. `Unreadable`
/// covers nothing: it must never be treated like `Missing` or `Empty`, or every resource the
/// state records would look untracked.
pub enum WorkspaceState {
    /// No state object exists for the workspace (no file, no object, HTTP 404).
    Missing,
    /// The object exists but is empty: Terraform treats it as no state.
    Empty {
        location: String,
    },
    Present {
        object: StateObject,
        parsed: Parsed,
    },
    /// The state exists, or may exist, but could not be read.
    Unreadable(Unreadable),
}

/// Why a workspace's state could not be read, and where it was looked for.
#[derive(Debug)]
pub struct Unreadable {
    pub workspace: String,
    /// The backend (`s3://bucket/key`, a path, a URL), as [`StateStore::describe`] says.
    pub backend: String,
    pub error: ReadError,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the state of workspace {:?} could not be read, so it covers nothing: {}",
            self.workspace, self.error
        )
    }
}

impl WorkspaceState {
    pub fn instance_count(&self) -> usize {
        match self {
            WorkspaceState::Present { parsed, .. } => parsed.state.instance_count(),
            _ => 0,
        }
    }

    pub fn is_unreadable(&self) -> bool {
        matches!(self, WorkspaceState::Unreadable(_))
    }
}

impl From<Loaded> for WorkspaceState {
    fn from(l: Loaded) -> Self {
        match l {
            Loaded::Missing => WorkspaceState::Missing,
            Loaded::Empty { location } => WorkspaceState::Empty { location },
            Loaded::Present { object, parsed } => WorkspaceState::Present { object, parsed },
        }
    }
}

/// Reads and parses one workspace's state; every failure is [`WorkspaceState::Unreadable`].
pub async fn read<B: StateStore>(backend: &B, workspace: &str) -> WorkspaceState {
    match load(backend, workspace).await {
        Ok(l) => l.into(),
        Err(error) => WorkspaceState::Unreadable(Unreadable {
            workspace: workspace.to_string(),
            backend: backend.describe(),
            error,
        }),
    }
}

/// Reads and parses one workspace's state. `Err` means the state could not be read, which is
/// never the same as `Loaded::Missing`; see [`read`] for the outcome as one value.
pub async fn load<B: StateStore>(backend: &B, workspace: &str) -> Result<Loaded, ReadError> {
    crate::backend::check_workspace_name(workspace, "the workspace to read")?;
    let Some(object) = backend.read(workspace).await? else {
        return Ok(Loaded::Missing);
    };
    let StateObject {
        location,
        bytes,
        last_modified,
    } = object;
    match parse_owned(bytes) {
        Ok(parsed) => Ok(Loaded::Present {
            parsed,
            object: StateObject {
                location,
                bytes: Vec::new(),
                last_modified,
            },
        }),
        Err(ParseError::Empty) => Ok(Loaded::Empty { location }),
        Err(cause) => Err(ReadError::Parse { location, cause }),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum WorkspaceStatus {
    Present,
    Missing,
    Empty,
    Unreadable(String),
}

#[derive(Debug, Clone)]
pub struct WorkspaceSummary {
    pub name: String,
    pub status: WorkspaceStatus,
    pub location: Option<String>,
    pub serial: Option<u64>,
    pub terraform_version: Option<String>,
    pub resources: usize,
    pub last_modified: Option<OffsetDateTime>,
    pub lock: LockStatus,
    /// How many resources or instances of the state could not be read.
    pub diagnostics: usize,
}

/// A state object in the same backend that belongs to no workspace of this configuration.
#[derive(Debug, Clone)]
pub struct OtherState {
    pub location: String,
    pub resources: usize,
    pub serial: Option<u64>,
    pub lineage: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Survey {
    pub backend: String,
    pub selected: String,
    pub workspaces: Vec<WorkspaceSummary>,
    pub others: Vec<OtherState>,
    pub warnings: Vec<String>,
}

impl Survey {
    pub fn selected_summary(&self) -> Option<&WorkspaceSummary> {
        self.workspaces.iter().find(|w| w.name == self.selected)
    }
}

/// Reads every workspace of a backend (and, when the selected one holds nothing, looks for state
/// kept under other keys). Only a failure to list the workspaces is an error: a workspace whose
/// state cannot be read is listed as unreadable, with a warning, and the others are still read.
pub async fn survey<B: StateStore>(backend: &B, selected: &str) -> Result<Survey, BackendError> {
    let listed = backend.workspace_list().await?;
    let mut warnings = listed.diagnostics();
    let mut names = listed.names;
    if !names.iter().any(|n| n == selected) {
        names.push(selected.to_string());
    }
    let mut workspaces = Vec::with_capacity(names.len());
    for name in names {
        let lock = backend
            .lock_status(&name)
            .await
            .unwrap_or_else(|e| LockStatus::Unknown(e.to_string()));
        let mut summary = WorkspaceSummary {
            name: name.clone(),
            status: WorkspaceStatus::Missing,
            location: None,
            serial: None,
            terraform_version: None,
            resources: 0,
            last_modified: None,
            lock,
            diagnostics: 0,
        };
        match load(backend, &name).await {
            Ok(Loaded::Missing) => {}
            Ok(Loaded::Empty { location }) => {
                summary.status = WorkspaceStatus::Empty;
                summary.location = Some(location);
            }
            Ok(Loaded::Present { object, parsed }) => {
                summary.status = WorkspaceStatus::Present;
                summary.location = Some(object.location);
                summary.last_modified = object.last_modified;
                summary.serial = Some(parsed.state.serial);
                summary.terraform_version = parsed.state.terraform_version.clone();
                summary.resources = parsed.state.instance_count();
                summary.diagnostics = parsed.diagnostics.len();
                if !parsed.diagnostics.is_empty() {
                    warnings.push(format!(
                        "workspace {name:?}: {} part(s) of the state could not be read; counts leave them out",
                        parsed.diagnostics.len()
                    ));
                }
            }
            Err(e) => {
                warnings.push(format!("workspace {name:?} could not be read: {e}"));
                summary.status = WorkspaceStatus::Unreadable(e.to_string());
            }
        }
        if let LockStatus::Locked(info) = &summary.lock {
            warnings.push(format!(
                "workspace {name:?} is locked{}{}: a Terraform run may be changing it right now",
                if info.who.is_empty() {
                    String::new()
                } else {
                    format!(" by {}", info.who)
                },
                if info.operation.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", info.operation)
                },
            ));
        }
        workspaces.push(summary);
    }

    let selected_summary = workspaces.iter().find(|w| w.name == selected).cloned();
    let mut others = Vec::new();
    if selected_summary.as_ref().is_some_and(|s| s.resources == 0) {
        let objects = match backend.other_states().await {
            Ok(o) => o,
            Err(e) => {
                warnings.push(format!(
                    "could not look for state kept under other keys of the backend: {e}"
                ));
                Vec::new()
            }
        };
        for object in objects {
            let (resources, serial, lineage) = match parse(&object.bytes) {
                Ok(p) => (
                    p.state.instance_count(),
                    Some(p.state.serial),
                    Some(p.state.lineage),
                ),
                Err(_) => continue,
            };
            others.push(OtherState {
                location: object.location,
                resources,
                serial,
                lineage,
            });
        }
        if let Some(sel) = &selected_summary {
            let why = match &sel.status {
                WorkspaceStatus::Missing => "has no state".to_string(),
                WorkspaceStatus::Empty => "has an empty state file".to_string(),
                WorkspaceStatus::Unreadable(_) => "could not be read".to_string(),
                WorkspaceStatus::Present => "records 0 resources".to_string(),
            };
            let holders: Vec<String> =
                workspaces
                    .iter()
                    .filter(|w| w.name != selected && w.resources > 0)
                    .map(|w| {
                        format!(
                            "workspace {:?} holds {} resource instance(s)",
                            w.name, w.resources
                        )
                    })
                    .chain(others.iter().filter(|o| o.resources > 0).map(|o| {
                        format!("{} holds {} resource instance(s)", o.location, o.resources)
                    }))
                    .collect();
            if !holders.is_empty() {
                warnings.insert(
                    0,
                    format!(
                        "the selected workspace {selected:?} {why}, but in the same backend {}. \
                         This is why `terraform state list` shows nothing, and `terraform apply` would try to \
                         create every resource again: select the workspace that holds the state \
                         (`terraform workspace select NAME`, or --workspace NAME here) or fix the backend key",
                        holders.join("; ")
                    ),
                );
            }
        }
    }
    Ok(Survey {
        backend: backend.describe(),
        selected: selected.to_string(),
        workspaces,
        others,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::{LockInfo, MemoryBackend};

    const TWO: &str = r#"{"version":4,"serial":3,"lineage":"l","terraform_version":"1.15.5","resources":[
        {"mode":"managed","type":"t","name":"a","instances":[{"index_key":0},{"index_key":1}]}]}"#;

    #[tokio::test]
    async fn warns_when_the_selected_workspace_is_empty() {
        let mut m = MemoryBackend::default();
        m.states.insert("default".into(), TWO.as_bytes().to_vec());
        m.states.insert(
            "dev".into(),
            br#"{"version":4,"serial":1,"lineage":"x"}"#.to_vec(),
        );
        m.others
            .push(("memory:other-key".into(), TWO.as_bytes().to_vec()));
        m.locks.insert(
            "default".into(),
            LockInfo {
                who: "ci@runner".into(),
                operation: "OperationTypeApply".into(),
                ..Default::default()
            },
        );
        let s = survey(&m, "dev").await.unwrap();
        assert_eq!(
            s.workspaces
                .iter()
                .map(|w| w.name.as_str())
                .collect::<Vec<_>>(),
            ["default", "dev"]
        );
        assert_eq!(s.workspaces[0].resources, 2);
        assert_eq!(s.workspaces[0].serial, Some(3));
        assert_eq!(s.workspaces[1].resources, 0);
        assert_eq!(s.others.len(), 1);
        assert!(
            s.warnings[0].contains("\"dev\" records 0 resources"),
            "{}",
            s.warnings[0]
        );
        assert!(s.warnings[0].contains("workspace \"default\" holds 2 resource instance(s)"));
        assert!(s.warnings[0].contains("memory:other-key holds 2"));
        assert!(s
            .warnings
            .iter()
            .any(|w| w.contains("locked by ci@runner (OperationTypeApply)")));
    }

    #[tokio::test]
    async fn missing_selected_workspace_is_listed_and_no_warning_when_all_empty() {
        let mut m = MemoryBackend::default();
        m.states.insert("default".into(), b"".to_vec());
        let s = survey(&m, "staging").await.unwrap();
        assert_eq!(s.workspaces.len(), 2);
        assert_eq!(s.workspaces[0].status, WorkspaceStatus::Empty);
        assert_eq!(s.workspaces[1].status, WorkspaceStatus::Missing);
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    }

    #[tokio::test]
    async fn unreadable_state_is_reported_not_fatal() {
        let mut m = MemoryBackend::default();
        m.states.insert(
            "default".into(),
            b"{\"version\": 4, \"resources\": [".to_vec(),
        );
        m.states.insert("b".into(), TWO.as_bytes().to_vec());
        let s = survey(&m, "default").await.unwrap();
        assert!(matches!(
            s.workspaces[0].status,
            WorkspaceStatus::Unreadable(_)
        ));
        assert!(
            s.warnings.iter().any(|w| w.contains("truncated")),
            "{:?}",
            s.warnings
        );
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("\"default\" could not be read")),
            "{:?}",
            s.warnings
        );
    }

    #[tokio::test]
    async fn a_backend_error_is_unreadable_never_missing() {
        let mut m = MemoryBackend::default();
        m.states.insert("default".into(), TWO.as_bytes().to_vec());
        m.failing
            .insert("prod".into(), "HTTP 500 Internal Server Error".into());
        m.states
            .insert("cut".into(), b"{\"version\": 4, \"resources\": [".to_vec());
        match read(&m, "prod").await {
            WorkspaceState::Unreadable(u) => {
                assert_eq!(u.workspace, "prod");
                let text = u.to_string();
                assert!(
                    text.contains("covers nothing") && text.contains("HTTP 500"),
                    "{text}"
                );
            }
            _ => panic!("a failed read is unreadable"),
        }
        assert!(read(&m, "cut").await.is_unreadable());
        assert!(matches!(read(&m, "never").await, WorkspaceState::Missing));
        assert_eq!(read(&m, "default").await.instance_count(), 2);

        // One unreadable workspace does not stop the survey of the others.
        let s = survey(&m, "prod").await.unwrap();
        let status = |n: &str| {
            s.workspaces
                .iter()
                .find(|w| w.name == n)
                .unwrap()
                .status
                .clone()
        };
        assert!(matches!(status("prod"), WorkspaceStatus::Unreadable(e) if e.contains("HTTP 500")));
        assert_eq!(status("default"), WorkspaceStatus::Present);
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("workspace \"prod\" could not be read")
                    && w.contains("HTTP 500")),
            "{:?}",
            s.warnings
        );
    }

    #[tokio::test]
    async fn invalid_listed_workspace_names_are_skipped_with_a_warning() {
        let mut m = MemoryBackend::default();
        m.states.insert("default".into(), TWO.as_bytes().to_vec());
        m.states.insert("..".into(), TWO.as_bytes().to_vec());
        m.states.insert("a/b".into(), TWO.as_bytes().to_vec());
        let s = survey(&m, "default").await.unwrap();
        let names: Vec<&str> = s.workspaces.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["default"]);
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("\"..\" is not a valid workspace name, so it was skipped")),
            "{:?}",
            s.warnings
        );
        assert!(s.warnings.iter().any(|w| w.contains("\"a/b\"")));
        // Never used to build a key, even when asked for directly.
        assert!(read(&m, "..").await.is_unreadable());
    }
}
