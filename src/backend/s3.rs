//! The S3 backend: `key` for the default workspace, `<workspace_key_prefix>/<ws>/<key>` for the
//! others (prefix `env:` by default), credentials from the standard AWS chain. Read-only. Every
//! request is bounded by the connect and read timeouts, the download of a state too; no message
//! shows a key or token.

use std::collections::BTreeMap;

use aws_config::BehaviorVersion;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::Client;
use time::OffsetDateTime;

use super::error::Wait;
use super::secrets::{redact_url, Secrets};
use super::settings::{get_bool, get_nested_str, get_str, SettingValue};
use super::timeouts::Timeouts;
use super::{
    BackendError, LockInfo, LockStatus, StateObject, StateStore, WorkspaceList, DEFAULT_WORKSPACE,
};
use crate::error_chain::error_chain;

const DEFAULT_WORKSPACE_KEY_PREFIX: &str = "env:";
const MAX_OTHER_STATES: usize = 20;
const MAX_KEYS_SCANNED: usize = 10_000;

pub struct S3Backend {
    client: Client,
    bucket: String,
    key: String,
    workspace_key_prefix: String,
    use_lockfile: bool,
    dynamodb_table: Option<String>,
    /// The endpoint as messages show it.
    endpoint: String,
    timeouts: Timeouts,
    secrets: Secrets,
}

/// The HTTP client every AWS SDK client in tfrecon uses: rustls with ring.
pub fn aws_http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::tls;
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https()
}

impl S3Backend {
    pub async fn from_settings(
        settings: &BTreeMap<String, SettingValue>,
        timeouts: Timeouts,
        secrets: Secrets,
    ) -> Result<Self, BackendError> {
        let bucket = get_str(settings, "bucket")
            .ok_or_else(|| BackendError::Config("the s3 backend needs a bucket (set it in the backend block or with --backend-config bucket=NAME)".into()))?
            .to_string();
        let key = get_str(settings, "key")
            .ok_or_else(|| BackendError::Config("the s3 backend needs a key (set it in the backend block or with --backend-config key=PATH)".into()))?
            .to_string();
        if key.starts_with('/') || key.ends_with('/') {
            return Err(BackendError::Config(format!(
                "key {key:?} must not start or end with '/'"
            )));
        }
        let workspace_key_prefix = match settings.get("workspace_key_prefix") {
            Some(v) => v.as_str().unwrap_or_default().to_string(),
            None => DEFAULT_WORKSPACE_KEY_PREFIX.to_string(),
        };

        // The SDK's read timeout covers the wait for an answer's headers, and the attempt
        // timeout a whole non-streaming answer (a listing page); a state's body is read
        // under the read timeout chunk by chunk in `get`.
        let timeout_config = aws_config::timeout::TimeoutConfig::builder()
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            .operation_attempt_timeout(timeouts.connect + timeouts.read)
            .build();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(aws_http_client())
            .timeout_config(timeout_config);
        if let Some(region) = get_str(settings, "region") {
            loader = loader.region(aws_config::Region::new(region.to_string()));
        }
        if let Some(profile) = get_str(settings, "profile") {
            loader = loader.profile_name(profile);
        }
        if let (Some(ak), Some(sk)) = (
            get_str(settings, "access_key"),
            get_str(settings, "secret_key"),
        ) {
            loader = loader.credentials_provider(aws_sdk_s3::config::Credentials::new(
                ak,
                sk,
                get_str(settings, "token").map(str::to_string),
                None,
                "backend-config",
            ));
        }
        let mut conf = loader.load().await;
        if conf.region().is_none() {
            return Err(BackendError::Config(
                "the s3 backend needs a region: set region in the backend block, --backend-config region=..., or AWS_REGION".into(),
            ));
        }
        if let Some(role_arn) = settings
            .get("assume_role")
            .and_then(|v| v.get("role_arn"))
            .and_then(|v| v.as_str())
            .or_else(|| get_str(settings, "role_arn"))
        {
            let mut b = aws_config::sts::AssumeRoleProvider::builder(role_arn)
                .session_name("tfrecon")
                .configure(&conf);
            if let Some(ext) = settings
                .get("assume_role")
                .and_then(|v| v.get("external_id"))
                .and_then(|v| v.as_str())
            {
                b = b.external_id(ext);
            }
            let provider = b.build().await;
            conf = conf
                .into_builder()
                .credentials_provider(aws_sdk_s3::config::SharedCredentialsProvider::new(provider))
                .build();
        }
        let mut s3 = aws_sdk_s3::config::Builder::from(&conf);
        let endpoint = get_nested_str(settings, "endpoints", "s3")
            .or_else(|| get_str(settings, "endpoint"))
            .map(str::to_string)
            .or_else(|| {
                std::env::var("AWS_ENDPOINT_URL_S3")
                    .ok()
                    .filter(|s| !s.is_empty())
            })
            .or_else(|| {
                std::env::var("AWS_ENDPOINT_URL")
                    .ok()
                    .filter(|s| !s.is_empty())
            });
        let shown_endpoint = match &endpoint {
            Some(ep) => secrets.scrub(&redact_url(ep)),
            None => format!(
                "https://s3.{}.amazonaws.com",
                conf.region().map(|r| r.as_ref()).unwrap_or("us-east-1")
            ),
        };
        if let Some(ep) = endpoint {
            s3 = s3.endpoint_url(ep);
        }
        if get_bool(settings, "use_path_style").or_else(|| get_bool(settings, "force_path_style"))
            == Some(true)
        {
            s3 = s3.force_path_style(true);
        }
        Ok(S3Backend {
            client: Client::from_conf(s3.build()),
            bucket,
            key,
            workspace_key_prefix,
            use_lockfile: get_bool(settings, "use_lockfile").unwrap_or(false),
            dynamodb_table: get_str(settings, "dynamodb_table").map(str::to_string),
            endpoint: shown_endpoint,
            timeouts,
            secrets,
        })
    }

    /// The object key of a workspace's state.
    pub fn state_key(&self, workspace: &str) -> String {
        state_key(&self.workspace_key_prefix, &self.key, workspace)
    }

    fn workspace_of(&self, object_key: &str) -> Option<String> {
        workspace_of(&self.workspace_key_prefix, &self.key, object_key)
    }

    fn url(&self, key: &str) -> String {
        format!("s3://{}/{}", self.bucket, key)
    }

    async fn list_keys(
        &self,
        prefix: Option<&str>,
        limit: usize,
    ) -> Result<Vec<String>, BackendError> {
        let mut out = Vec::new();
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .set_prefix(prefix.map(str::to_string))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| {
                self.map_err(
                    e,
                    &format!("s3://{}/{}", self.bucket, prefix.unwrap_or("")),
                    "s3:ListBucket",
                )
            })?;
            for obj in page.contents() {
                if let Some(k) = obj.key() {
                    out.push(k.to_string());
                }
            }
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    async fn get(&self, key: &str) -> Result<Option<StateObject>, BackendError> {
        let resp = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) if e.code() == Some("NoSuchKey") => return Ok(None),
            Err(e) => return Err(self.map_err(e, &self.url(key), "s3:GetObject")),
        };
        let last_modified = resp
            .last_modified()
            .and_then(|d| OffsetDateTime::from_unix_timestamp_nanos(d.as_nanos()).ok());
        let expected = resp.content_length().and_then(|n| usize::try_from(n).ok());
        let mut body = resp.body;
        let mut bytes = Vec::with_capacity(expected.unwrap_or(0).min(1 << 30));
        loop {
            match tokio::time::timeout(self.timeouts.read, body.next()).await {
                Err(_) => {
                    return Err(BackendError::Timeout {
                        location: self.url(key),
                        endpoint: self.endpoint.clone(),
                        wait: Wait::Body,
                        timeout: self.timeouts.read,
                    })
                }
                Ok(None) => break,
                Ok(Some(Ok(chunk))) => bytes.extend_from_slice(&chunk),
                Ok(Some(Err(e))) => {
                    return Err(BackendError::Remote {
                        location: self.url(key),
                        detail: format!(
                            "the download was cut off before the end of the state ({}); nothing of it is used",
                            error_chain(&e)
                        ),
                    })
                }
            }
        }
        if let Some(n) = expected.filter(|n| *n != bytes.len()) {
            return Err(BackendError::Remote {
                location: self.url(key),
                detail: format!(
                    "the download was cut off: {} of {n} byte(s) arrived; nothing of it is used",
                    bytes.len()
                ),
            });
        }
        Ok(Some(StateObject {
            location: self.url(key),
            bytes,
            last_modified,
        }))
    }

    /// Turns an SDK error into something a user can act on.
    fn map_err<E, R>(&self, err: SdkError<E, R>, location: &str, permission: &str) -> BackendError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        if let Some(wait) = timeout_kind(&err) {
            return BackendError::Timeout {
                location: location.to_string(),
                endpoint: self.endpoint.clone(),
                wait,
                timeout: self.timeouts.of(wait),
            };
        }
        let code = err.code().map(str::to_string);
        let message = err.message().map(str::to_string);
        let detail = || {
            let mut s = code.clone().unwrap_or_default();
            if let Some(m) = &message {
                if !s.is_empty() {
                    s.push_str(": ");
                }
                s.push_str(m);
            }
            if s.is_empty() {
                s = error_chain(&err);
            }
            s
        };
        match code.as_deref() {
            Some("NoSuchBucket") => BackendError::NotFound {
                what: "S3 bucket",
                name: self.bucket.clone(),
                available: Vec::new(),
            },
            Some("AccessDenied" | "AllAccessDisabled" | "Forbidden") => {
                BackendError::AccessDenied {
                    location: location.to_string(),
                    permission: permission.to_string(),
                    detail: detail(),
                }
            }
            Some("ExpiredToken" | "ExpiredTokenException" | "TokenRefreshRequired") => {
                BackendError::Credentials {
                    detail: format!("the AWS credentials have expired ({})", detail()),
                    hint: "refresh them (aws sso login, or new session credentials) and run again"
                        .into(),
                }
            }
            Some(
                "InvalidAccessKeyId"
                | "SignatureDoesNotMatch"
                | "InvalidToken"
                | "InvalidClientTokenId",
            ) => BackendError::Credentials {
                detail: format!("the AWS credentials were rejected ({})", detail()),
                hint: "check AWS_PROFILE / AWS_ACCESS_KEY_ID or the backend's profile setting"
                    .into(),
            },
            _ => {
                let chain = error_chain(&err);
                if chain.contains("no credentials")
                    || chain.contains("credential provider")
                    || chain.contains("loading credentials")
                    || chain.contains("CredentialsNotLoaded")
                {
                    BackendError::Credentials {
                        detail: format!("no AWS credentials could be loaded ({chain})"),
                        hint: "set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login`".into(),
                    }
                } else {
                    BackendError::Remote {
                        location: location.to_string(),
                        detail: if code.is_some() { detail() } else { chain },
                    }
                }
            }
        }
    }

    /// Adds the buckets these credentials can see to a bucket-not-found error.
    async fn with_bucket_list(&self, err: BackendError) -> BackendError {
        match err {
            BackendError::NotFound { what, name, .. } if what == "S3 bucket" => {
                let available = match self.client.list_buckets().send().await {
                    Ok(out) => out
                        .buckets()
                        .iter()
                        .filter_map(|b| b.name().map(str::to_string))
                        .collect(),
                    Err(_) => Vec::new(),
                };
                BackendError::NotFound {
                    what,
                    name,
                    available,
                }
            }
            other => other,
        }
    }
}

/// Whether an SDK error is a timeout, and which wait ran out.
fn timeout_kind<E, R>(err: &SdkError<E, R>) -> Option<Wait>
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match err {
        SdkError::TimeoutError(_) => Some(Wait::Answer),
        SdkError::DispatchFailure(d) if d.is_timeout() => {
            let chain = error_chain(err).to_ascii_lowercase();
            Some(if chain.contains("connect") {
                Wait::Connect
            } else {
                Wait::Answer
            })
        }
        _ => None,
    }
}

/// The object key of a workspace's state, exactly as Terraform's S3 backend computes it.
fn state_key(prefix: &str, key: &str, workspace: &str) -> String {
    if workspace == DEFAULT_WORKSPACE {
        key.to_string()
    } else if prefix.is_empty() {
        format!("{workspace}/{key}")
    } else {
        format!("{prefix}/{workspace}/{key}")
    }
}

/// The workspace an object key belongs to, or `None` (Terraform's `keyEnv`).
fn workspace_of(prefix: &str, key: &str, object_key: &str) -> Option<String> {
    if prefix.is_empty() {
        let (ws, rest) = object_key.split_once('/')?;
        return (rest == key && !ws.is_empty()).then(|| ws.to_string());
    }
    let rest = object_key.strip_prefix(&format!("{prefix}/"))?;
    let (ws, rest) = rest.split_once('/')?;
    (rest == key && !ws.is_empty()).then(|| ws.to_string())
}

impl StateStore for S3Backend {
    fn describe(&self) -> String {
        self.url(&self.key)
    }

    async fn workspace_list(&self) -> Result<WorkspaceList, BackendError> {
        let prefix = if self.workspace_key_prefix.is_empty() {
            None
        } else {
            Some(format!("{}/", self.workspace_key_prefix))
        };
        let keys = match self.list_keys(prefix.as_deref(), usize::MAX).await {
            Ok(k) => k,
            Err(e) => return Err(self.with_bucket_list(e).await.scrub(&self.secrets)),
        };
        Ok(WorkspaceList::from_found(keys.iter().filter_map(|k| {
            self.workspace_of(k).map(|ws| (ws, self.url(k)))
        })))
    }

    async fn read(&self, workspace: &str) -> Result<Option<StateObject>, BackendError> {
        match self.get(&self.state_key(workspace)).await {
            Ok(o) => Ok(o),
            Err(e) => Err(self.with_bucket_list(e).await.scrub(&self.secrets)),
        }
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

impl S3Backend {
    async fn lock_status_inner(&self, workspace: &str) -> Result<LockStatus, BackendError> {
        if self.use_lockfile {
            let lock_key = format!("{}.tflock", self.state_key(workspace));
            return match self.get(&lock_key).await? {
                Some(obj) => Ok(LockStatus::Locked(
                    serde_json::from_slice::<LockInfo>(&obj.bytes).unwrap_or_default(),
                )),
                None => Ok(LockStatus::Unlocked),
            };
        }
        match &self.dynamodb_table {
            Some(table) => Ok(LockStatus::Unknown(format!(
                "locks are kept in the DynamoDB table {table:?}, which tfrecon does not read"
            ))),
            None => Ok(LockStatus::Unlocked),
        }
    }

    async fn other_states_inner(&self) -> Result<Vec<StateObject>, BackendError> {
        let keys = self.list_keys(None, MAX_KEYS_SCANNED).await?;
        let mut out = Vec::new();
        for key in keys {
            if out.len() >= MAX_OTHER_STATES {
                break;
            }
            if !key.ends_with(".tfstate") || key == self.key || self.workspace_of(&key).is_some() {
                continue;
            }
            if let Some(obj) = self.get(&key).await? {
                out.push(obj);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_layout_matches_terraform() {
        assert_eq!(
            state_key("env:", "app/t.tfstate", "default"),
            "app/t.tfstate"
        );
        assert_eq!(
            state_key("env:", "app/t.tfstate", "dev"),
            "env:/dev/app/t.tfstate"
        );
        assert_eq!(state_key("", "t.tfstate", "dev"), "dev/t.tfstate");
        assert_eq!(
            state_key("envs/x", "t.tfstate", "dev"),
            "envs/x/dev/t.tfstate"
        );
        assert_eq!(
            workspace_of("env:", "app/t.tfstate", "env:/dev/app/t.tfstate").as_deref(),
            Some("dev")
        );
        assert_eq!(
            workspace_of("env:", "app/t.tfstate", "env:/dev/other.tfstate"),
            None
        );
        assert_eq!(
            workspace_of("env:", "app/t.tfstate", "env://app/t.tfstate"),
            None
        );
        assert_eq!(workspace_of("env:", "app/t.tfstate", "app/t.tfstate"), None);
        assert_eq!(
            workspace_of("", "t.tfstate", "dev/t.tfstate").as_deref(),
            Some("dev")
        );
        assert_eq!(workspace_of("", "t.tfstate", "t.tfstate"), None);
        assert_eq!(
            workspace_of("envs/x", "t.tfstate", "envs/x/qa/t.tfstate").as_deref(),
            Some("qa")
        );
    }
}
