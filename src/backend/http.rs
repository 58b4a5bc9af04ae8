//! The http backend: state is one document behind a URL (GET), with optional basic auth
//! (`username` / `password` settings, `TF_HTTP_USERNAME` / `TF_HTTP_PASSWORD`, or the URL's user
//! info) and extra headers (`headers` setting, or `--http-header`). It has only the default
//! workspace, like Terraform's. Read-only: the lock endpoint is never called.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::settings::{get_bool, get_str, SettingValue};
use super::{BackendError, LockStatus, StateObject, StateStore, DEFAULT_WORKSPACE};

pub struct HttpBackend {
    client: reqwest::Client,
    url: reqwest::Url,
    username: Option<String>,
    password: Option<String>,
    headers: Vec<(String, String)>,
    has_lock_address: bool,
}

impl HttpBackend {
    pub fn from_settings(settings: &BTreeMap<String, SettingValue>) -> Result<Self, BackendError> {
        let address = get_str(settings, "address")
            .map(str::to_string)
            .or_else(|| {
                std::env::var("TF_HTTP_ADDRESS")
                    .ok()
                    .filter(|s| !s.is_empty())
            })
            .ok_or_else(|| BackendError::Config("the http backend needs an address".into()))?;
        let mut url = reqwest::Url::parse(&address)
            .map_err(|e| BackendError::Config(format!("address {address:?} is not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(BackendError::Config(format!(
                "address {address:?} must be http:// or https://"
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
                    let (k, v) = s.split_once(':').ok_or_else(|| {
                        BackendError::Config(format!("header {s:?} must be NAME: VALUE"))
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
            .build()
            .map_err(|e| BackendError::Config(format!("cannot build an HTTP client: {e}")))?;
        Ok(HttpBackend {
            client,
            url,
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

impl StateStore for HttpBackend {
    fn describe(&self) -> String {
        self.url.to_string()
    }

    async fn workspaces(&self) -> Result<Vec<String>, BackendError> {
        Ok(vec![DEFAULT_WORKSPACE.to_string()])
    }

    async fn read(&self, workspace: &str) -> Result<Option<StateObject>, BackendError> {
        if workspace != DEFAULT_WORKSPACE {
            return Err(BackendError::Unsupported(format!(
                "the http backend has only the default workspace, not {workspace:?}"
            )));
        }
        let mut req = self.client.get(self.url.clone());
        if let Some(u) = &self.username {
            req = req.basic_auth(u, self.password.as_ref());
        }
        for (k, v) in &self.headers {
            req = req.header(k, v);
        }
        let location = self.url.to_string();
        let resp = req.send().await.map_err(|e| BackendError::Remote {
            location: location.clone(),
            detail: format!("request failed: {e}"),
        })?;
        let status = resp.status();
        match status.as_u16() {
            200..=299 if status.as_u16() != 204 => {}
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
        let bytes = resp.bytes().await.map_err(|e| BackendError::Remote {
            location: location.clone(),
            detail: format!("the download was interrupted: {e}"),
        })?;
        if bytes.is_empty() {
            return Ok(None);
        }
        Ok(Some(StateObject {
            location,
            bytes: bytes.to_vec(),
            last_modified,
        }))
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
