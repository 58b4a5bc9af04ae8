//! Backend errors a user can act on: each says what is wrong and what to do. No variant ever
//! carries a credential: [`BackendError::scrub`] takes them out of text that came from a server
//! or a library.

use std::path::PathBuf;

use super::secrets::Secrets;
use super::workspace::NAME_RULE;

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
    /// The endpoint accepted no connection, or stopped answering, within the timeout.
    #[error("reading {location} failed: {endpoint} {} within {}; check that the endpoint is right and reachable, or allow longer with {}=SECONDS", .wait.what(), super::timeouts::describe(*.timeout), .wait.variable())]
    Timeout {
        location: String,
        endpoint: String,
        wait: Wait,
        timeout: std::time::Duration,
    },
    #[error("invalid workspace name {name:?} (from {origin}): {NAME_RULE}")]
    InvalidWorkspace { name: String, origin: String },
}

impl BackendError {
    /// The same error with every credential value in `secrets` replaced, wherever its text
    /// came from (a server's answer, an SDK's message, a URL).
    pub fn scrub(self, secrets: &Secrets) -> BackendError {
        if secrets.is_empty() {
            return self;
        }
        let s = |t: String| secrets.scrub(&t);
        match self {
            BackendError::NotFound {
                what,
                name,
                available,
            } => BackendError::NotFound {
                what,
                name: s(name),
                available: available.into_iter().map(s).collect(),
            },
            BackendError::AccessDenied {
                location,
                permission,
                detail,
            } => BackendError::AccessDenied {
                location: s(location),
                permission,
                detail: s(detail),
            },
            BackendError::Credentials { detail, hint } => BackendError::Credentials {
                detail: s(detail),
                hint,
            },
            BackendError::Unsupported(m) => BackendError::Unsupported(s(m)),
            BackendError::Config(m) => BackendError::Config(s(m)),
            BackendError::Io { path, cause } => {
                let text = cause.to_string();
                let clean = secrets.scrub(&text);
                BackendError::Io {
                    path: PathBuf::from(secrets.scrub(&path.to_string_lossy())),
                    cause: if clean == text {
                        cause
                    } else {
                        std::io::Error::new(cause.kind(), clean)
                    },
                }
            }
            BackendError::Remote { location, detail } => BackendError::Remote {
                location: s(location),
                detail: s(detail),
            },
            BackendError::Timeout {
                location,
                endpoint,
                wait,
                timeout,
            } => BackendError::Timeout {
                location: s(location),
                endpoint: s(endpoint),
                wait,
                timeout,
            },
            BackendError::InvalidWorkspace { name, origin } => BackendError::InvalidWorkspace {
                name: s(name),
                origin,
            },
        }
    }
}

/// Which wait ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// No connection within the connect timeout.
    Connect,
    /// No answer (headers) within the read timeout.
    Answer,
    /// The body stopped arriving for longer than the read timeout.
    Body,
}

impl Wait {
    /// Which wait a timed-out request ran out of: connecting, the answer's headers, or the
    /// body (`during_body`).
    pub(super) fn of_timeout(e: &reqwest::Error, during_body: bool) -> Wait {
        if e.is_connect() {
            Wait::Connect
        } else if during_body {
            Wait::Body
        } else {
            Wait::Answer
        }
    }

    fn what(self) -> &'static str {
        match self {
            Wait::Connect => "accepted no connection",
            Wait::Answer => "did not answer",
            Wait::Body => "stopped sending the state",
        }
    }

    /// The environment variable that sets this wait's limit.
    fn variable(self) -> &'static str {
        match self {
            Wait::Connect => super::timeouts::CONNECT_TIMEOUT_VAR,
            Wait::Answer | Wait::Body => super::timeouts::READ_TIMEOUT_VAR,
        }
    }
}

impl super::timeouts::Timeouts {
    /// The limit of one kind of wait.
    pub fn of(&self, wait: Wait) -> std::time::Duration {
        match wait {
            Wait::Connect => self.connect,
            Wait::Answer | Wait::Body => self.read,
        }
    }
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
