//! The Cloud Asset Inventory REST client: `assets.list` with pagination, credentials, a
//! client-side rate limit and retries with backoff. It returns wire assets and typed errors;
//! it knows nothing of the catalog and never prints.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::{Mutex, OnceCell};

use super::asset::Asset;
use crate::inventory::{ProgressEvent, ProgressSink};

/// The production endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://cloudasset.googleapis.com";
/// The largest page `assets.list` returns.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// `assets.list` quota: requests per minute per consumer project.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 100;

const MAX_CONNECT_ATTEMPTS: u32 = 3;

const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentType {
    Resource,
    IamPolicy,
}

impl ContentType {
    fn param(self) -> &'static str {
        match self {
            ContentType::Resource => "RESOURCE",
            ContentType::IamPolicy => "IAM_POLICY",
        }
    }

    /// The permission `assets.list` needs for this content.
    pub fn permission(self) -> &'static str {
        match self {
            ContentType::Resource => "cloudasset.assets.listResource",
            ContentType::IamPolicy => "cloudasset.assets.listIamPolicy",
        }
    }
}

/// Why a listing failed. The text says what to do.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ListError {
    #[error(
        "permission denied: the caller needs {permission} on {parent} (roles/cloudasset.viewer grants it): {message}"
    )]
    PermissionDenied {
        permission: &'static str,
        parent: String,
        message: String,
    },
    #[error(
        "the Cloud Asset API is not enabled for project {project}: run `gcloud services enable cloudasset.googleapis.com --project={project}` and retry ({message})"
    )]
    ApiDisabled { project: String, message: String },
    #[error("throttled: still failing after {retries} retries over {waited:?} ({last})")]
    GaveUp {
        retries: u32,
        waited: Duration,
        last: String,
    },
    #[error("the credentials were rejected (HTTP 401): run `gcloud auth application-default login` or set GOOGLE_OAUTH_ACCESS_TOKEN ({0})")]
    Unauthenticated(String),
    #[error("no Google credentials: set GOOGLE_OAUTH_ACCESS_TOKEN or run `gcloud auth application-default login` ({0})")]
    NoCredentials(String),
    #[error("the request was rejected (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },
    #[error("the response could not be read: {0}")]
    Decode(String),
    #[error("cannot reach Cloud Asset Inventory after {attempts} attempts: {message}")]
    Unreachable { attempts: u32, message: String },
}

impl ListError {
    /// Failures that no asset type of the scope escapes (credentials, a disabled API): reported
    /// once for the scope rather than once per type.
    pub fn is_scope_wide(&self) -> bool {
        matches!(
            self,
            ListError::ApiDisabled { .. }
                | ListError::Unauthenticated(_)
                | ListError::NoCredentials(_)
                | ListError::Unreachable { .. }
        )
    }
}

/// Where credentials come from.
pub enum Auth {
    /// A bearer token given as is (`GOOGLE_OAUTH_ACCESS_TOKEN`).
    Static(String),
    /// Application default credentials, resolved at the first request.
    Adc(OnceCell<Result<Arc<dyn gcp_auth::TokenProvider>, String>>),
}

impl Auth {
    /// `GOOGLE_OAUTH_ACCESS_TOKEN` when set (as the Google provider reads it), else ADC.
    pub fn from_env() -> Auth {
        match std::env::var("GOOGLE_OAUTH_ACCESS_TOKEN") {
            Ok(t) if !t.is_empty() => Auth::Static(t),
            _ => Auth::Adc(OnceCell::new()),
        }
    }

    async fn token(&self) -> Result<String, ListError> {
        match self {
            Auth::Static(t) => Ok(t.clone()),
            Auth::Adc(cell) => {
                let provider = cell
                    .get_or_init(|| async { gcp_auth::provider().await.map_err(|e| e.to_string()) })
                    .await
                    .clone()
                    .map_err(ListError::NoCredentials)?;
                let token = provider
                    .token(&[SCOPE])
                    .await
                    .map_err(|e| ListError::NoCredentials(e.to_string()))?;
                Ok(token.as_str().to_string())
            }
        }
    }
}

/// Retry limits.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub base: Duration,
    pub max_delay: Duration,
    /// Total time one request may spend waiting between attempts.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base: Duration::from_millis(500),
            max_delay: Duration::from_secs(32),
            budget: Duration::from_secs(120),
        }
    }
}

/// A sliding-window limit shared by every request of a run: at most `limit` requests in any
/// `window`. The quota is per consumer project and per minute, not per scope or type, so one
/// limiter covers them all; a token bucket would let twice the quota through in a minute.
pub struct RateLimiter {
    limit: usize,
    window: Duration,
    sent: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter::with_window(per_minute, Duration::from_secs(60))
    }

    pub fn with_window(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit: limit.max(1) as usize,
            window,
            sent: Mutex::new(VecDeque::new()),
        }
    }

    pub async fn acquire(&self) {
        loop {
            let wait = {
                let mut sent = self.sent.lock().await;
                let now = Instant::now();
                while sent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= self.window)
                {
                    sent.pop_front();
                }
                if sent.len() < self.limit {
                    sent.push_back(now);
                    return;
                }
                self.window - now.duration_since(sent[0])
            };
            tokio::time::sleep(wait).await;
        }
    }
}

pub struct CaiClient {
    http: reqwest::Client,
    endpoint: String,
    auth: Auth,
    limiter: RateLimiter,
    retry: RetryPolicy,
    page_size: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    #[serde(default)]
    assets: Vec<Asset>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Deserialize, Default)]
struct GoogleError {
    #[serde(default)]
    error: GoogleErrorBody,
}

#[derive(Deserialize, Default)]
struct GoogleErrorBody {
    #[serde(default)]
    message: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    details: Vec<serde_json::Value>,
}

impl CaiClient {
    pub fn new(
        endpoint: &str,
        auth: Auth,
        requests_per_minute: u32,
        retry: RetryPolicy,
        page_size: u32,
    ) -> Result<CaiClient, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("tfrecon/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(CaiClient {
            http,
            endpoint: endpoint.trim_end_matches('/').to_string(),
            auth,
            limiter: RateLimiter::new(requests_per_minute),
            retry,
            page_size: page_size.clamp(1, MAX_PAGE_SIZE),
        })
    }

    /// Every asset of `asset_types` (all types when empty) under `parent` (`projects/ID`,
    /// `folders/N`, `organizations/N`), following page tokens to the end. `prune` trims each
    /// asset as its page arrives.
    pub async fn list(
        &self,
        parent: &str,
        asset_types: &[String],
        content: ContentType,
        progress: &dyn ProgressSink,
        label: (&str, &str),
        prune: &(dyn Fn(&mut Asset) + Sync),
    ) -> Result<Vec<Asset>, ListError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut url = format!(
                "{}/v1/{}/assets?contentType={}&pageSize={}",
                self.endpoint,
                parent,
                content.param(),
                self.page_size
            );
            for t in asset_types {
                url.push_str("&assetTypes=");
                url.push_str(&encode(t));
            }
            if let Some(t) = &token {
                url.push_str("&pageToken=");
                url.push_str(&encode(t));
            }
            let page: Page = self.get(&url, parent, content, progress, label).await?;
            progress.event(ProgressEvent::Page {
                scope: label.0.to_string(),
                type_name: label.1.to_string(),
                resources: page.assets.len(),
            });
            // Trimmed page by page: a listing never holds more than one page of full data.
            out.extend(page.assets.into_iter().map(|mut a| {
                prune(&mut a);
                a
            }));
            match page.next_page_token {
                Some(t) if !t.is_empty() => token = Some(t),
                _ => return Ok(out),
            }
        }
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        parent: &str,
        content: ContentType,
        progress: &dyn ProgressSink,
        label: (&str, &str),
    ) -> Result<T, ListError> {
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            self.limiter.acquire().await;
            let token = self.auth.token().await?;
            let sent = self.http.get(url).bearer_auth(token).send().await;
            let (retry_after, last) = match sent {
                // A refused connection or an unknown host does not heal in seconds: a few
                // tries, not the whole budget.
                Err(e) if e.is_connect() && attempt + 1 >= MAX_CONNECT_ATTEMPTS => {
                    let mut cause: &dyn std::error::Error = &e;
                    while let Some(inner) = cause.source() {
                        cause = inner;
                    }
                    return Err(ListError::Unreachable {
                        attempts: attempt + 1,
                        message: format!("{} ({cause})", self.endpoint),
                    });
                }
                Err(e) => (None, format!("transport error: {e}")),
                Ok(resp) => {
                    let status = resp.status();
                    if status.is_success() {
                        let bytes = resp
                            .bytes()
                            .await
                            .map_err(|e| ListError::Decode(e.to_string()))?;
                        return serde_json::from_slice(&bytes)
                            .map_err(|e| ListError::Decode(format!("{e} (from {url})")));
                    }
                    let retry_after = resp
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let body = resp.bytes().await.unwrap_or_default();
                    let err: GoogleError = serde_json::from_slice(&body).unwrap_or_default();
                    let code = status.as_u16();
                    if code != 429 && !status.is_server_error() {
                        return Err(classify(code, err.error, parent, content));
                    }
                    let msg = if err.error.message.is_empty() {
                        String::from_utf8_lossy(&body).chars().take(200).collect()
                    } else {
                        err.error.message
                    };
                    (retry_after, format!("HTTP {code}: {msg}"))
                }
            };
            let backoff = {
                let exp = self.retry.base.saturating_mul(1u32 << attempt.min(16));
                let capped = exp.min(self.retry.max_delay);
                // Full jitter: spreads the retries of concurrent listings apart.
                capped.mul_f64(0.5 + fastrand::f64() * 0.5)
            };
            // The server's Retry-After wins over our own schedule.
            let delay = retry_after.unwrap_or(backoff);
            let waited = started.elapsed();
            if waited + delay > self.retry.budget {
                return Err(ListError::GaveUp {
                    retries: attempt,
                    waited,
                    last,
                });
            }
            attempt += 1;
            progress.event(ProgressEvent::Retry {
                scope: label.0.to_string(),
                type_name: label.1.to_string(),
                attempt,
            });
            tokio::time::sleep(delay).await;
        }
    }
}

fn classify(code: u16, err: GoogleErrorBody, parent: &str, content: ContentType) -> ListError {
    let reason = err
        .details
        .iter()
        .find_map(|d| d.get("reason")?.as_str().map(str::to_string));
    let metadata = err.details.iter().find_map(|d| d.get("metadata").cloned());
    let message = if err.message.is_empty() {
        err.status.clone()
    } else {
        err.message.clone()
    };
    match code {
        401 => ListError::Unauthenticated(message),
        403 if reason.as_deref() == Some("SERVICE_DISABLED")
            || message.contains("has not been used")
            || message.contains("is disabled") =>
        {
            let project = metadata
                .as_ref()
                .and_then(|m| m.get("consumer")?.as_str().map(str::to_string))
                .unwrap_or_else(|| parent.to_string());
            ListError::ApiDisabled {
                project: project.trim_start_matches("projects/").to_string(),
                message,
            }
        }
        403 => ListError::PermissionDenied {
            permission: content.permission(),
            parent: parent.to_string(),
            message,
        },
        _ => ListError::Rejected {
            status: code,
            message,
        },
    }
}

/// Query values: everything but RFC 3986 unreserved characters is escaped.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_')
    .remove(b'~');

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn the_limiter_never_lets_more_than_the_limit_through_in_a_window() {
        let limiter = RateLimiter::with_window(5, Duration::from_millis(400));
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..12 {
            limiter.acquire().await;
            times.push(start.elapsed());
        }
        // Any six consecutive requests span at least one window.
        for w in times.windows(6) {
            assert!(w[5] - w[0] >= Duration::from_millis(400), "{times:?}");
        }
        assert!(
            times[4] < Duration::from_millis(100),
            "the first five go at once: {times:?}"
        );
    }

    #[test]
    fn errors_say_what_to_do() {
        let disabled = classify(
            403,
            serde_json::from_value(serde_json::json!({"message": "Cloud Asset API has not been used in project 42 before or it is disabled.",
                "status": "PERMISSION_DENIED",
                "details": [{"reason": "SERVICE_DISABLED", "metadata": {"consumer": "projects/42", "service": "cloudasset.googleapis.com"}}]}))
            .unwrap(),
            "projects/acme",
            ContentType::Resource,
        );
        assert!(
            disabled
                .to_string()
                .contains("gcloud services enable cloudasset.googleapis.com --project=42"),
            "{disabled}"
        );
        let denied = classify(
            403,
            serde_json::from_value(serde_json::json!({"message": "The caller does not have permission", "status": "PERMISSION_DENIED"})).unwrap(),
            "folders/7",
            ContentType::IamPolicy,
        );
        assert!(
            denied
                .to_string()
                .contains("cloudasset.assets.listIamPolicy on folders/7"),
            "{denied}"
        );
    }
}
