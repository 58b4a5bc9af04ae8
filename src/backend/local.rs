//! The local backend (`terraform.tfstate`, `terraform.tfstate.d/<workspace>/terraform.tfstate`),
//! a single state file named with `--state PATH`, and standard input (`--state -`). Only
//! regular files are opened: a named pipe, socket or device given as a state path is refused.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::files;
use super::settings::{get_str, SettingValue};
use super::{
    BackendError, LockInfo, LockStatus, StateObject, StateStore, WorkspaceList, DEFAULT_WORKSPACE,
};

const DEFAULT_STATE_FILE: &str = "terraform.tfstate";
const DEFAULT_WORKSPACE_DIR: &str = "terraform.tfstate.d";
/// How many stray state files `other_states` reads at most.
const MAX_OTHER_STATES: usize = 20;

#[derive(Debug, Clone)]
pub struct LocalBackend {
    /// The directory paths are relative to (the configuration directory).
    base: PathBuf,
    /// The default workspace's state file.
    path: PathBuf,
    workspace_dir: PathBuf,
    /// A single file given with `--state PATH`: it is the state of this one workspace.
    single: Option<String>,
}

impl LocalBackend {
    /// The local backend of a configuration directory, with its `path` and `workspace_dir`
    /// settings.
    pub fn from_settings(
        settings: &BTreeMap<String, SettingValue>,
        base: &Path,
    ) -> Result<Self, BackendError> {
        for key in settings.keys() {
            if key != "path" && key != "workspace_dir" {
                return Err(BackendError::Config(format!(
                    "the local backend has no setting {key:?} (it takes path and workspace_dir)"
                )));
            }
        }
        Ok(LocalBackend {
            base: base.to_path_buf(),
            path: base.join(get_str(settings, "path").unwrap_or(DEFAULT_STATE_FILE)),
            workspace_dir: base
                .join(get_str(settings, "workspace_dir").unwrap_or(DEFAULT_WORKSPACE_DIR)),
            single: None,
        })
    }

    /// One state file, read as the state of `workspace`.
    pub fn file(path: &Path, workspace: &str) -> Self {
        LocalBackend {
            base: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            path: path.to_path_buf(),
            workspace_dir: PathBuf::new(),
            single: Some(workspace.to_string()),
        }
    }

    fn state_path(&self, workspace: &str) -> Option<PathBuf> {
        match &self.single {
            Some(ws) if ws == workspace => Some(self.path.clone()),
            Some(_) => None,
            None if workspace == DEFAULT_WORKSPACE => Some(self.path.clone()),
            None => Some(self.workspace_dir.join(workspace).join(DEFAULT_STATE_FILE)),
        }
    }
}

fn read_file(path: &Path) -> Result<Option<StateObject>, BackendError> {
    let bytes = match files::read_regular(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(cause) => {
            return Err(BackendError::Io {
                path: path.to_path_buf(),
                cause,
            })
        }
    };
    let last_modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(OffsetDateTime::from);
    Ok(Some(StateObject {
        location: path.display().to_string(),
        bytes,
        last_modified,
    }))
}

impl StateStore for LocalBackend {
    fn describe(&self) -> String {
        match &self.single {
            Some(_) => format!("state file {}", self.path.display()),
            None => format!("local backend ({})", self.path.display()),
        }
    }

    async fn workspace_list(&self) -> Result<WorkspaceList, BackendError> {
        if let Some(ws) = &self.single {
            return Ok(WorkspaceList {
                names: vec![ws.clone()],
                skipped: Vec::new(),
            });
        }
        let mut found = Vec::new();
        match std::fs::read_dir(&self.workspace_dir) {
            Ok(rd) => {
                for entry in rd.flatten() {
                    if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                        found.push((
                            entry.file_name().to_string_lossy().into_owned(),
                            entry.path().display().to_string(),
                        ));
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(cause) => {
                return Err(BackendError::Io {
                    path: self.workspace_dir.clone(),
                    cause,
                })
            }
        }
        Ok(WorkspaceList::from_found(found))
    }

    async fn read(&self, workspace: &str) -> Result<Option<StateObject>, BackendError> {
        match self.state_path(workspace) {
            Some(p) => {
                if p.is_dir() {
                    return Err(BackendError::Config(format!(
                        "{} is a directory, not a state file",
                        p.display()
                    )));
                }
                read_file(&p)
            }
            None => Ok(None),
        }
    }

    async fn lock_status(&self, workspace: &str) -> Result<LockStatus, BackendError> {
        let Some(path) = self.state_path(workspace) else {
            return Ok(LockStatus::Unlocked);
        };
        // Terraform writes `.NAME.lock.info` beside the state while it holds the lock.
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let info_path = path.with_file_name(format!(".{name}.lock.info"));
        match files::read_regular(&info_path) {
            Ok(bytes) => Ok(LockStatus::Locked(
                serde_json::from_slice::<LockInfo>(&bytes).unwrap_or_default(),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(LockStatus::Unlocked),
            Err(cause) => Err(BackendError::Io {
                path: info_path,
                cause,
            }),
        }
    }

    async fn other_states(&self) -> Result<Vec<StateObject>, BackendError> {
        if self.single.is_some() {
            return Ok(Vec::new());
        }
        let mut paths: Vec<PathBuf> = match std::fs::read_dir(&self.base) {
            Ok(rd) => rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file() && p.extension().is_some_and(|e| e == "tfstate") && *p != self.path
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        paths.sort();
        paths.truncate(MAX_OTHER_STATES);
        let mut out = Vec::new();
        for p in paths {
            if let Some(obj) = read_file(&p)? {
                out.push(obj);
            }
        }
        Ok(out)
    }
}

/// State piped in on standard input (`terraform state pull | tfrecon ... --state -`), read as
/// the state of the selected workspace.
#[derive(Debug, Clone)]
pub struct StdinBackend {
    bytes: Vec<u8>,
    workspace: String,
}

impl StdinBackend {
    pub fn read_stdin(workspace: &str) -> Result<Self, BackendError> {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|cause| BackendError::Io {
                path: PathBuf::from("<stdin>"),
                cause,
            })?;
        Ok(Self::from_bytes(bytes, workspace))
    }

    pub fn from_bytes(bytes: Vec<u8>, workspace: &str) -> Self {
        StdinBackend {
            bytes,
            workspace: workspace.to_string(),
        }
    }
}

impl StateStore for StdinBackend {
    fn describe(&self) -> String {
        "standard input".into()
    }

    async fn workspace_list(&self) -> Result<WorkspaceList, BackendError> {
        Ok(WorkspaceList {
            names: vec![self.workspace.clone()],
            skipped: Vec::new(),
        })
    }

    async fn read(&self, workspace: &str) -> Result<Option<StateObject>, BackendError> {
        Ok((workspace == self.workspace).then(|| StateObject {
            location: "<stdin>".into(),
            bytes: self.bytes.clone(),
            last_modified: None,
        }))
    }

    async fn lock_status(&self, _workspace: &str) -> Result<LockStatus, BackendError> {
        Ok(LockStatus::Unknown("state read from standard input".into()))
    }

    async fn other_states(&self) -> Result<Vec<StateObject>, BackendError> {
        Ok(Vec::new())
    }
}
