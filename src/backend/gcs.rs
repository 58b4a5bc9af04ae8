//! The GCS backend over the Cloud Storage JSON API: `<prefix>/<workspace>.tfstate`, locks at
//! `<prefix>/<workspace>.tflock`. Credentials: the `access_token` setting,
//! `GOOGLE_OAUTH_ACCESS_TOKEN`, the `credentials` setting, or application default credentials;
//! none against an emulator (`STORAGE_EMULATOR_HOST` or `storage_custom_endpoint`). Read-only.
//! Every request is bounded by the connect and read timeouts; no message shows a token or key.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;
use time::OffsetDateTime;

use super::error::Wait;
use super::files;
use super::secrets::{redact_url, Secrets};
use super::settings::{get_str, SettingValue};
use super::timeouts::Timeouts;
use super::{BackendError, LockInfo, LockStatus, StateObject, StateStore, WorkspaceList};

const DEFAULT_ENDPOINT: &str = "https://storage.googleapis.com/storage/v1/";
const SCOPE: &str = "https://www.googleapis.com/auth/devstorage.read_only";
const MAX_OTHER_STATES: usize = 20;
const MAX_OBJECTS_SCANNED: usize = 10_000;

/// Object names are one path segment in the JSON API: escape everything but unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

enum Auth {
    None,
    Static(String),
    Provider(Arc<dyn gcp_auth::TokenProvider>),
}

pub struct GcsBackend {
    http: reqwest::Client,
    endpoint: String,
    bucket: String,
    /// Normalised to end with `/` when not empty, as Terraform does.
    prefix: String,
    auth: Auth,
    timeouts: Timeouts,
    secrets: Secrets,
}

#[derive(Deserialize)]
struct ObjectList {
    #[serde(default)]
    items: Vec<ObjectMeta>,
    #[serde(rename = "nextPageToken")]
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
struct ObjectMeta {
    name: String,
    #[serde(default)]
    updated: Option<String>,
}

#[derive(Deserialize)]
struct ApiErrorBody {
    error: ApiError,
}

#[derive(Deserialize)]
struct ApiError {
    #[serde(default)]
    message: String,
}

impl GcsBackend {
    pub async fn from_settings(
        settings: &BTreeMap<String, SettingValue>,
        base: &Path,
        timeouts: Timeouts,
        secrets: Secrets,
    ) -> Result<Self, BackendError> {
        let bucket = get_str(settings, "bucket")
            .ok_or_else(|| BackendError::Config("the gcs backend needs a bucket (set it in the backend block or with --backend-config bucket=NAME)".into()))?
            .to_string();
        let mut prefix = get_str(settings, "prefix").unwrap_or("").to_string();
        if prefix.starts_with('/') {
            return Err(BackendError::Config(format!(
                "prefix {prefix:?} must not start with '/'"
            )));
        }
        if !prefix.is_empty() && !prefix.ends_with('/') {
            prefix.push('/');
        }
        let emulator = std::env::var("STORAGE_EMULATOR_HOST")
            .ok()
            .filter(|s| !s.is_empty());
        let custom = get_str(settings, "storage_custom_endpoint").map(str::to_string);
        let endpoint = match (&custom, &emulator) {
            (Some(c), _) => normalise_endpoint(c),
            (None, Some(host)) => {
                let host = if host.contains("://") {
                    host.clone()
                } else {
                    format!("http://{host}")
                };
                format!("{}/storage/v1/", host.trim_end_matches('/'))
            }
            (None, None) => DEFAULT_ENDPOINT.to_string(),
        };
        let auth = if let Some(t) = get_str(settings, "access_token") {
            Auth::Static(t.to_string())
        } else if let Some(t) = std::env::var("GOOGLE_OAUTH_ACCESS_TOKEN")
            .ok()
            .filter(|s| !s.is_empty())
        {
            Auth::Static(t)
        } else if emulator.is_some() && custom.is_none() {
            Auth::None
        } else if let Some(creds) = get_str(settings, "credentials")
            .map(str::to_string)
            .or_else(|| std::env::var("GOOGLE_BACKEND_CREDENTIALS").ok())
        {
            let hint = "set credentials to a service account key file or its JSON content";
            let json = if creds.trim_start().starts_with('{') {
                creds.clone()
            } else {
                let path = base.join(&creds);
                let bytes = files::read_regular(&path).map_err(|e| BackendError::Credentials {
                    detail: format!(
                        "the gcs backend's credentials file {} could not be read: {e}",
                        path.display()
                    ),
                    hint: hint.into(),
                })?;
                String::from_utf8_lossy(&bytes).into_owned()
            };
            // A parser's message may quote part of the key: only the fact is shown.
            let account = gcp_auth::CustomServiceAccount::from_json(&json).map_err(|_| {
                BackendError::Credentials {
                    detail: "the gcs backend's credentials are not a valid service account key"
                        .into(),
                    hint: hint.into(),
                }
            })?;
            Auth::Provider(Arc::new(account))
        } else if custom.as_deref().is_some_and(|c| c.starts_with("http://")) {
            Auth::None
        } else {
            let provider = gcp_auth::provider().await.map_err(|e| BackendError::Credentials {
                detail: format!("no Google credentials were found ({e})"),
                hint: "run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS, or set GOOGLE_OAUTH_ACCESS_TOKEN".into(),
            })?;
            Auth::Provider(provider)
        };
        let http = reqwest::Client::builder()
            .user_agent(concat!("tfrecon/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            .build()
            .map_err(|e| BackendError::Config(format!("cannot build an HTTP client: {e}")))?;
        Ok(GcsBackend {
            http,
            endpoint,
            bucket,
            prefix,
            auth,
            timeouts,
            secrets,
        })
    }

    /// The endpoint as messages show it.
    fn shown_endpoint(&self) -> String {
        self.secrets.scrub(&redact_url(&self.endpoint))
    }

    /// A transport failure as something a user can act on; timeouts name the endpoint and
    /// the limit that was hit.
    fn transport_error(
        &self,
        e: reqwest::Error,
        location: String,
        during_body: bool,
    ) -> BackendError {
        if e.is_timeout() {
            let wait = Wait::of_timeout(&e, during_body);
            return BackendError::Timeout {
                location,
                endpoint: self.shown_endpoint(),
                wait,
                timeout: self.timeouts.of(wait),
            };
        }
        BackendError::Remote {
            location,
            detail: if during_body {
                format!("the download was cut off before the end ({e}); nothing of it is used")
            } else {
                format!("cannot reach {}: {e}", self.shown_endpoint())
            },
        }
    }

    fn state_object(&self, workspace: &str) -> String {
        format!("{}{workspace}.tfstate", self.prefix)
    }

    fn url(&self, object: &str) -> String {
        format!("gs://{}/{object}", self.bucket)
    }

    async fn token(&self) -> Result<Option<String>, BackendError> {
        match &self.auth {
            Auth::None => Ok(None),
            Auth::Static(t) => Ok(Some(t.clone())),
            Auth::Provider(p) => {
                let token = p
                    .token(&[SCOPE])
                    .await
                    .map_err(|e| BackendError::Credentials {
                        detail: format!("could not get a Google access token ({e})"),
                        hint:
                            "refresh the credentials with `gcloud auth application-default login`"
                                .into(),
                    })?;
                Ok(Some(token.as_str().to_string()))
            }
        }
    }

    async fn get(
        &self,
        url: &str,
        query: &[(&str, &str)],
    ) -> Result<reqwest::Response, BackendError> {
        let mut req = self.http.get(url).query(query);
        if let Some(t) = self.token().await? {
            req = req.bearer_auth(t);
        }
        req.send()
            .await
            .map_err(|e| self.transport_error(e, format!("gs://{}", self.bucket), false))
    }

    async fn error(
        &self,
        resp: reqwest::Response,
        location: &str,
        permission: &str,
    ) -> BackendError {
        let status = resp.status();
        let body = resp.text().await.unwrap_or_default();
        let message = serde_json::from_str::<ApiErrorBody>(&body)
            .map(|b| b.error.message)
            .unwrap_or_else(|_| body.chars().take(300).collect());
        match status.as_u16() {
            401 => BackendError::Credentials {
                detail: format!("Google rejected the credentials ({message})"),
                hint: "they may have expired: run `gcloud auth application-default login` or refresh GOOGLE_OAUTH_ACCESS_TOKEN".into(),
            },
            403 => BackendError::AccessDenied {
                location: location.to_string(),
                permission: permission.to_string(),
                detail: message,
            },
            404 => BackendError::NotFound {
                what: "GCS bucket",
                name: self.bucket.clone(),
                available: Vec::new(),
            },
            _ => BackendError::Remote {
                location: location.to_string(),
                detail: format!("HTTP {status}: {message}"),
            },
        }
    }

    async fn list(
        &self,
        prefix: &str,
        delimiter: bool,
        limit: usize,
    ) -> Result<Vec<ObjectMeta>, BackendError> {
        let url = format!(
            "{}b/{}/o",
            self.endpoint,
            utf8_percent_encode(&self.bucket, SEGMENT)
        );
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        let mut seen = std::collections::HashSet::new();
        loop {
            let mut query = vec![
                ("prefix", prefix),
                ("fields", "items(name,updated),nextPageToken"),
            ];
            if delimiter {
                query.push(("delimiter", "/"));
            }
            if let Some(t) = &token {
                query.push(("pageToken", t));
            }
            let resp = self.get(&url, &query).await?;
            if !resp.status().is_success() {
                return Err(self
                    .error(resp, &self.url(prefix), "storage.objects.list")
                    .await);
            }
            let body = resp
                .bytes()
                .await
                .map_err(|e| self.transport_error(e, self.url(prefix), true))?;
            let page: ObjectList =
                serde_json::from_slice(&body).map_err(|e| BackendError::Remote {
                    location: self.url(prefix),
                    detail: format!("unexpected object listing: {e}"),
                })?;
            out.extend(page.items);
            match page.next_page_token {
                Some(t) if !t.is_empty() && out.len() < limit => {
                    // A server that hands out a token it gave before would keep this loop
                    // going forever.
                    if !seen.insert(t.clone()) {
                        return Err(BackendError::Remote {
                            location: self.url(prefix),
                            detail: format!(
                                "the object listing returned page token {t:?} a second time; the listing is incomplete"
                            ),
                        });
                    }
                    token = Some(t)
                }
                _ => break,
            }
        }
        Ok(out)
    }

    async fn download(&self, object: &str) -> Result<Option<StateObject>, BackendError> {
        let url = format!(
            "{}b/{}/o/{}",
            self.endpoint,
            utf8_percent_encode(&self.bucket, SEGMENT),
            utf8_percent_encode(object, SEGMENT)
        );
        let meta = self.get(&url, &[]).await?;
        match meta.status().as_u16() {
            404 => {
                // Either the object or the bucket is missing: tell them apart.
                self.list(&self.prefix, true, 1).await?;
                return Ok(None);
            }
            s if !(200..300).contains(&s) => {
                return Err(self
                    .error(meta, &self.url(object), "storage.objects.get")
                    .await)
            }
            _ => {}
        }
        let meta_body = meta
            .bytes()
            .await
            .map_err(|e| self.transport_error(e, self.url(object), true))?;
        let meta: ObjectMeta =
            serde_json::from_slice(&meta_body).map_err(|e| BackendError::Remote {
                location: self.url(object),
                detail: format!("unexpected object metadata: {e}"),
            })?;
        let resp = self.get(&url, &[("alt", "media")]).await?;
        if resp.status().as_u16() == 404 {
            return Ok(None);
        }
        if !resp.status().is_success() {
            return Err(self
                .error(resp, &self.url(object), "storage.objects.get")
                .await);
        }
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| self.transport_error(e, self.url(object), true))?;
        Ok(Some(StateObject {
            location: self.url(object),
            bytes: bytes.to_vec(),
            last_modified: meta.updated.as_deref().and_then(parse_rfc3339),
        }))
    }
}

fn normalise_endpoint(e: &str) -> String {
    let mut e = e.to_string();
    if !e.ends_with('/') {
        e.push('/');
    }
    e
}

fn parse_rfc3339(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

impl StateStore for GcsBackend {
    fn describe(&self) -> String {
        format!("gs://{}/{}", self.bucket, self.prefix)
    }

    async fn workspace_list(&self) -> Result<WorkspaceList, BackendError> {
        let objects = self
            .list(&self.prefix, true, usize::MAX)
            .await
            .map_err(|e| e.scrub(&self.secrets))?;
        Ok(WorkspaceList::from_found(objects.iter().filter_map(|o| {
            let base = o.name.rsplit('/').next().unwrap_or(&o.name);
            base.strip_suffix(".tfstate")
                .map(|ws| (ws.to_string(), self.url(&o.name)))
        })))
    }

    async fn read(&self, workspace: &str) -> Result<Option<StateObject>, BackendError> {
        self.download(&self.state_object(workspace))
            .await
            .map_err(|e| e.scrub(&self.secrets))
    }

    async fn lock_status(&self, workspace: &str) -> Result<LockStatus, BackendError> {
        self.lock_status_inner(workspace)
            .await
            .map_err(|e| e.scrub(&self.secrets))
    }

    async fn other_states(&self) -> Result<Vec<StateObject>, BackendError> {
        self.other_states_inner()
            .await
            .map_err(|e| e.scrub(&self.secrets))
    }
}

impl GcsBackend {
    async fn lock_status_inner(&self, workspace: &str) -> Result<LockStatus, BackendError> {
        let lock = format!("{}{workspace}.tflock", self.prefix);
        Ok(match self.download(&lock).await? {
            Some(obj) => LockStatus::Locked(
                serde_json::from_slice::<LockInfo>(&obj.bytes).unwrap_or_default(),
            ),
            None => LockStatus::Unlocked,
        })
    }

    async fn other_states_inner(&self) -> Result<Vec<StateObject>, BackendError> {
        let objects = self.list("", false, MAX_OBJECTS_SCANNED).await?;
        let mut out = Vec::new();
        for o in objects {
            if out.len() >= MAX_OTHER_STATES {
                break;
            }
            let in_prefix = o
                .name
                .strip_prefix(&self.prefix)
                .is_some_and(|rest| !rest.contains('/'));
            if !o.name.ends_with(".tfstate") || in_prefix {
                continue;
            }
            if let Some(obj) = self.download(&o.name).await? {
                out.push(obj);
            }
        }
        Ok(out)
    }
}
