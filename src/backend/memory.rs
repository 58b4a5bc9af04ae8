//! An in-memory backend: the reference implementation the conformance suite checks the real
//! backends against, and a way to feed states to the reconciler in tests.

use std::collections::BTreeMap;

use super::{BackendError, LockInfo, LockStatus, StateObject, StateStore, WorkspaceList};

#[derive(Debug, Default, Clone)]
pub struct MemoryBackend {
    pub states: BTreeMap<String, Vec<u8>>,
    pub locks: BTreeMap<String, LockInfo>,
    pub others: Vec<(String, Vec<u8>)>,
    /// Workspaces whose read fails with this message, as an unreadable remote object would.
    pub failing: BTreeMap<String, String>,
}

impl StateStore for MemoryBackend {
    fn describe(&self) -> String {
        "memory".into()
    }

    async fn workspace_list(&self) -> Result<WorkspaceList, BackendError> {
        Ok(WorkspaceList::from_found(
            self.states
                .keys()
                .chain(self.failing.keys())
                .map(|k| (k.clone(), format!("memory:{k}"))),
        ))
    }

    async fn read(&self, workspace: &str) -> Result<Option<StateObject>, BackendError> {
        if let Some(detail) = self.failing.get(workspace) {
            return Err(BackendError::Remote {
                location: format!("memory:{workspace}"),
                detail: detail.clone(),
            });
        }
        Ok(self.states.get(workspace).map(|b| StateObject {
            location: format!("memory:{workspace}"),
            bytes: b.clone(),
            last_modified: None,
        }))
    }

    async fn lock_status(&self, workspace: &str) -> Result<LockStatus, BackendError> {
        Ok(match self.locks.get(workspace) {
            Some(info) => LockStatus::Locked(info.clone()),
            None => LockStatus::Unlocked,
        })
    }

    async fn other_states(&self) -> Result<Vec<StateObject>, BackendError> {
        Ok(self
            .others
            .iter()
            .map(|(loc, b)| StateObject {
                location: loc.clone(),
                bytes: b.clone(),
                last_modified: None,
            })
            .collect())
    }
}
