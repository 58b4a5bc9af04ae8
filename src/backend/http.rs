//! The http backend: state is one document behind a URL (GET), with optional basic auth
//! (`username` / `password` settings, `TF_HTTP_USERNAME` / `TF_HTTP_PASSWORD`, or the URL's user
//! info) and extra headers (`headers` setting, or `--http-header`). It has only the default
//! workspace, like Terraform's. Read-only: the lock endpoint is never called. Every request is
//! bounded by the connect and read timeouts; no message shows a password, a header value or a
//! token in the URL.

use std::collections::BTreeMap;

use base64::Engine as _;
use md5::Digest as _;
use time::OffsetDateTime;

use super::error::Wait;
use super::secrets::{redact_url, Secrets};
use super::settings::{get_bool, get_str, SettingValue};
use super::timeouts::Timeouts;
use super::{BackendError, LockStatus, StateObject, StateStore, WorkspaceList, DEFAULT_WORKSPACE};
use crate::error_chain::error_chain;

pub struct HttpBackend {
    client: reqwest::Client,
    url: reqwest::Url,
    /// The URL as messages show it: no user info, credential query values redacted.
    shown: String,
    timeouts: Timeouts,
    secrets: Secrets,
    username: Option<String>,
    password: Option<String>,
    headers: Vec<(String, String)>,
    has_lock_address: bool,
}

impl HttpBackend {
    pub fn from_settings(
        settings: &BTreeMap<String, SettingValue>,
        timeouts: Timeouts,
        secrets: Secrets,
    ) -> Result<Self, BackendError> {
        let address = get_str(settings, "address")
            .map(str::to_string)
            .or_else(|| {
                std::env::var("TF_HTTP_ADDRESS")
                    .ok()
                    .filter(|s| !s.is_empty())
            })
            .ok_or_else(|| BackendError::Config("the http backend needs an address".into()))?;
        let mut url = reqwest::Url::parse(&address).map_err(|e| {
            BackendError::Config(format!(
                "address {:?} is not a URL: {e}",
                secrets.scrub(&redact_url(&address))
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(BackendError::Config(format!(
                "address {:?} must be http:// or https://",
                secrets.scrub(&redact_url(&address))
            )));
        }
        // Credentials in the URL are moved to the Authorization header and out of messages.
        let mut username = (!url.username().is_empty()).then(|| pct_decode(url.username()));
        let mut password = url.password().map(pct_decode);
        let _ = url.set_username("");
        let _ = url.set_password(None);
        if let Some(u) = get_str(settings, "username")
            .map(str::to_string)
            .or_else(|| {
                std::env::var("TF_HTTP_USERNAME")
                    .ok()
                    .filter(|s| !s.is_empty())
            })
        {
            username = Some(u);
        }
        if let Some(p) = get_str(settings, "password")
            .map(str::to_string)
            .or_else(|| {
                std::env::var("TF_HTTP_PASSWORD")
                    .ok()
                    .filter(|s| !s.is_empty())
            })
        {
            password = Some(p);
        }
        let mut headers = Vec::new();
        match settings.get("headers") {
            Some(SettingValue::Object(m)) => {
                for (k, v) in m {
                    headers.push((
                        k.clone(),
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string()),
                    ));
                }
            }
            Some(SettingValue::Array(items)) => {
                for item in items {
                    let s = item.as_str().unwrap_or_default();
                    // Without a colon the text may be the value alone: it is never shown.
                    let (k, v) = s.split_once(':').ok_or_else(|| {
                        BackendError::Config(
                            "an HTTP header must be written NAME: VALUE (one was given without ':')"
                                .into(),
                        )
                    })?;
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            _ => {}
        }
        let skip_verify = get_bool(settings, "skip_cert_verification").unwrap_or(false);
        let client = reqwest::Client::builder()
            .user_agent(concat!("tfrecon/", env!("CARGO_PKG_VERSION")))
            .danger_accept_invalid_certs(skip_verify)
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            .build()
            .map_err(|e| BackendError::Config(format!("cannot build an HTTP client: {e}")))?;
        let shown = secrets.scrub(&redact_url(url.as_str()));
        Ok(HttpBackend {
            client,
            url,
            shown,
            timeouts,
            secrets,
            username,
            password,
            headers,
            has_lock_address: get_str(settings, "lock_address").is_some(),
        })
    }
}

fn pct_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

impl HttpBackend {
    /// A transport failure as something a user can act on; timeouts name the endpoint and the
    /// limit that was hit.
    fn transport_error(&self, e: reqwest::Error, during_body: bool) -> BackendError {
        let location = self.shown.clone();
        // The request's URL may carry a token in its query: the message names the location as
        // shown (redacted) instead.
        let e = e.without_url();
        if e.is_timeout() {
            let wait = Wait::of_timeout(&e, during_body);
            return BackendError::Timeout {
                location,
                endpoint: endpoint_of(&self.url),
                wait,
                timeout: self.timeouts.of(wait),
            };
        }
        let detail = if during_body {
            format!(
                "the download was cut off before the end of the state ({}); nothing of it is used",
                error_chain(&e)
            )
        } else {
            format!("request failed: {}", error_chain(&e))
        };
        BackendError::Remote { location, detail }
    }

    async fn get(&self) -> Result<Option<StateObject>, BackendError> {
        let mut req = self.client.get(self.url.clone());
        if let Some(u) = &self.username {
            req = req.basic_auth(u, self.password.as_ref());
        }
        for (k, v) in &self.headers {
            req = req.header(k, v);
        }
        let location = self.shown.clone();
        let resp = req
            .send()
            .await
            .map_err(|e| self.transport_error(e, false))?;
        let status = resp.status();
        match status.as_u16() {
            200..=299 if status.as_u16() != 204 => {}
            // The only answers that mean "no state yet", as Terraform's http client reads them.
            204 | 404 => return Ok(None),
            401 => {
                return Err(BackendError::Credentials {
                    detail: format!("{location} answered 401 Unauthorized"),
                    hint: "set username and password (--backend-config username=... password=..., or TF_HTTP_USERNAME / TF_HTTP_PASSWORD) or an Authorization header".into(),
                })
            }
            403 => {
                return Err(BackendError::AccessDenied {
                    location,
                    permission: "read access to the state endpoint".into(),
                    detail: "HTTP 403 Forbidden".into(),
                })
            }
            _ => {
                let body: String = resp.text().await.unwrap_or_default().chars().take(300).collect();
                return Err(BackendError::Remote {
                    location,
                    detail: format!("HTTP {status}: {body}"),
                });
            }
        }
        let last_modified = resp
            .headers()
            .get(reqwest::header::LAST_MODIFIED)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                OffsetDateTime::parse(v, &time::format_description::well_known::Rfc2822).ok()
            });
        let content_md5 = resp
            .headers()
            .get("content-md5")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| self.transport_error(e, true))?;
        // Terraform's http backend checks Content-MD5 when the server sends it.
        if let Some(want) = content_md5 {
            let got = base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(&bytes));
            if got != want.trim() {
                return Err(BackendError::Remote {
                    location,
                    detail: format!(
                        "the state's Content-MD5 is {want:?} but the {} byte(s) received hash to {got:?}: the download is corrupt or cut off; nothing of it is used",
                        bytes.len()
                    ),
                });
            }
        }
        if bytes.is_empty() {
            return Ok(None);
        }
        Ok(Some(StateObject {
            location,
            bytes: bytes.to_vec(),
            last_modified,
        }))
    }
}

/// `scheme://host:port`: the endpoint a timeout message names.
fn endpoint_of(url: &reqwest::Url) -> String {
    match url.port() {
        Some(p) => format!("{}://{}:{p}", url.scheme(), url.host_str().unwrap_or("")),
        None => format!("{}://{}", url.scheme(), url.host_str().unwrap_or("")),
    }
}

impl StateStore for HttpBackend {
    fn describe(&self) -> String {
        self.shown.clone()
    }

    async fn workspace_list(&self) -> Result<WorkspaceList, BackendError> {
        Ok(WorkspaceList::from_found([]))
    }

    async fn read(&self, workspace: &str) -> Result<Option<StateObject>, BackendError> {
        if workspace != DEFAULT_WORKSPACE {
            return Err(BackendError::Unsupported(format!(
                "the http backend has only the default workspace, not {workspace:?}"
            )));
        }
        self.get().await.map_err(|e| e.scrub(&self.secrets))
    }

    async fn lock_status(&self, _workspace: &str) -> Result<LockStatus, BackendError> {
        Ok(if self.has_lock_address {
            LockStatus::Unknown("the http backend's lock can only be observed by taking it, which tfrecon never does".into())
        } else {
            LockStatus::Unlocked
        })
    }

    async fn other_states(&self) -> Result<Vec<StateObject>, BackendError> {
        Ok(Vec::new())
    }
}
