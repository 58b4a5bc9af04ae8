//! An in-memory backend: the reference implementation the conformance suite checks the real
//! backends against, and a way to feed states to the reconciler in tests.

use std::collections::BTreeMap;

use super::{
    terraform_workspace_order, BackendError, LockInfo, LockStatus, StateObject, StateStore,
};

#[derive(Debug, Default, Clone)]
pub struct MemoryBackend {
    pub states: BTreeMap<String, Vec<u8>>,
    pub locks: BTreeMap<String, LockInfo>,
    pub others: Vec<(String, Vec<u8>)>,
}

impl StateStore for MemoryBackend {
    fn describe(&self) -> String {
        "memory".into()
    }

    async fn workspaces(&self) -> Result<Vec<String>, BackendError> {
        Ok(terraform_workspace_order(
            self.states.keys().cloned().collect(),
        ))
    }

    async fn read(&self, workspace: &str) -> Result<Option<StateObject>, BackendError> {
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
