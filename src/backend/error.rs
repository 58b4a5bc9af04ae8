//! Backend errors a user can act on: each says what is wrong and what to do.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error("{what} {name:?} was not found{}", available_hint(.available))]
    NotFound {
        what: &'static str,
        name: String,
        /// What is there instead (other buckets, other keys), to help spot a typo.
        available: Vec<String>,
    },
    #[error("access denied reading {location}: the credentials need the {permission} permission ({detail})")]
    AccessDenied {
        location: String,
        permission: String,
        detail: String,
    },
    #[error("{detail}: {hint}")]
    Credentials { detail: String, hint: String },
    #[error("{0}")]
    Unsupported(String),
    #[error("invalid backend settings: {0}")]
    Config(String),
    #[error("cannot read {}: {cause}", path.display())]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("reading {location} failed: {detail}")]
    Remote { location: String, detail: String },
}

fn available_hint(available: &[String]) -> String {
    if available.is_empty() {
        String::new()
    } else {
        const MAX: usize = 20;
        let mut list: Vec<&str> = available.iter().take(MAX).map(String::as_str).collect();
        if available.len() > MAX {
            list.push("...");
        }
        format!("; what is there: {}", list.join(", "))
    }
}
