//! The GCS backend over the Cloud Storage JSON API: `<prefix>/<workspace>.tfstate`, locks at
//! `<prefix>/<workspace>.tflock`. Credentials: the `access_token` setting,
//! `GOOGLE_OAUTH_ACCESS_TOKEN`, the `credentials` setting, or application default credentials;
//! none against an emulator (`STORAGE_EMULATOR_HOST` or `storage_custom_endpoint`). Read-only.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;
use time::OffsetDateTime;

use super::settings::{get_str, SettingValue};
use super::{
    terraform_workspace_order, BackendError, LockInfo, LockStatus, StateObject, StateStore,
};

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
            let account = if creds.trim_start().starts_with('{') {
                gcp_auth::CustomServiceAccount::from_json(&creds)
            } else {
                gcp_auth::CustomServiceAccount::from_file(base.join(&creds))
            }
            .map_err(|e| BackendError::Credentials {
                detail: format!("the gcs backend's credentials could not be read: {e}"),
                hint: "set credentials to a service account key file or its JSON content".into(),
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
            .build()
            .map_err(|e| BackendError::Config(format!("cannot build an HTTP client: {e}")))?;
        Ok(GcsBackend {
            http,
            endpoint,
            bucket,
            prefix,
            auth,
        })
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
        req.send().await.map_err(|e| BackendError::Remote {
            location: format!("gs://{}", self.bucket),
            detail: format!("cannot reach {}: {e}", self.endpoint),
        })
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
            let page: ObjectList = resp.json().await.map_err(|e| BackendError::Remote {
                location: self.url(prefix),
                detail: format!("unexpected object listing: {e}"),
            })?;
            out.extend(page.items);
            match page.next_page_token {
                Some(t) if !t.is_empty() && out.len() < limit => token = Some(t),
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
        let meta: ObjectMeta = meta.json().await.map_err(|e| BackendError::Remote {
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
        let bytes = resp.bytes().await.map_err(|e| BackendError::Remote {
            location: self.url(object),
            detail: format!("the download was interrupted: {e}"),
        })?;
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

    async fn workspaces(&self) -> Result<Vec<String>, BackendError> {
        let objects = self.list(&self.prefix, true, usize::MAX).await?;
        let names = objects
            .iter()
            .filter_map(|o| {
                let base = o.name.rsplit('/').next().unwrap_or(&o.name);
                base.strip_suffix(".tfstate").map(str::to_string)
            })
            .collect();
        Ok(terraform_workspace_order(names))
    }

    async fn read(&self, workspace: &str) -> Result<Option<StateObject>, BackendError> {
        self.download(&self.state_object(workspace)).await
    }

    async fn lock_status(&self, workspace: &str) -> Result<LockStatus, BackendError> {
        let lock = format!("{}{workspace}.tflock", self.prefix);
        Ok(match self.download(&lock).await? {
            Some(obj) => LockStatus::Locked(
                serde_json::from_slice::<LockInfo>(&obj.bytes).unwrap_or_default(),
            ),
            None => LockStatus::Unlocked,
        })
    }

    async fn other_states(&self) -> Result<Vec<StateObject>, BackendError> {
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
