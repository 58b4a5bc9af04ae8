//! The Cloud Asset Inventory REST client: `assets.list` with pagination, credentials, a
//! client-side rate limit and retries with backoff. It returns wire assets and typed errors;
//! it knows nothing of the catalog and never prints.
//!
//! Every wait is bounded: the retry budget bounds the whole time one request may take,
//! attempts that hang included; a page token that comes back again, or empty pages that never
//! end, stop a listing with an error rather than looping.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::{Mutex, OnceCell};

use super::asset::Asset;
use crate::error_chain::error_chain;
use crate::inventory::{ProgressEvent, ProgressSink};

/// The production endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://cloudasset.googleapis.com";
/// The largest page `assets.list` returns.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// `assets.list` quota: requests per minute per consumer project.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 100;

/// The longest one attempt may take, whatever budget remains: a hung connection is given up
/// and tried again rather than waited on for the whole budget.
const MAX_ATTEMPT: Duration = Duration::from_secs(120);
/// Empty pages in a row that still carry a next-page token before a listing is abandoned.
/// The API may return an empty page with a token, but not without end.
const MAX_EMPTY_PAGES: u32 = 5;

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
    #[error("{cause}: still failing after {retries} retries over {:.1} s, past the retry budget (--retry-budget) ({last})", .waited.as_secs_f64())]
    GaveUp {
        /// `throttled`, `server errors`, `cut-off responses`, `no answer`.
        cause: &'static str,
        retries: u32,
        waited: Duration,
        last: String,
    },
    #[error("no answer from {endpoint} within the retry budget of {} s (--retry-budget): the request hung{}", .budget.as_secs_f64(), if *.retries > 0 { format!(" after {} retries", .retries) } else { String::new() })]
    NoAnswer {
        endpoint: String,
        budget: Duration,
        retries: u32,
    },
    #[error("the listing of {types} in {parent} {detail}; nothing from this listing is used")]
    Pagination {
        parent: String,
        types: String,
        detail: String,
    },
    #[error("{0:?} is not a valid Cloud Asset Inventory endpoint: give an http:// or https:// URL such as {DEFAULT_ENDPOINT}")]
    BadEndpoint(String),
    #[error("the credentials were rejected (HTTP 401): run `gcloud auth application-default login` or set GOOGLE_OAUTH_ACCESS_TOKEN ({0})")]
    Unauthenticated(String),
    #[error("no Google credentials: set GOOGLE_OAUTH_ACCESS_TOKEN or run `gcloud auth application-default login` ({0})")]
    NoCredentials(String),
    #[error("the request was rejected (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },
    #[error("the response could not be read: {0}")]
    Decode(String),
    #[error("cannot reach Cloud Asset Inventory at {message}; check --gcp-endpoint / TFRECON_CLOUDASSET_ENDPOINT and the network")]
    Unreachable { message: String },
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
                | ListError::BadEndpoint(_)
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
    /// Total time one request may take, from its first attempt to its last answer: attempts,
    /// waits between them, and an attempt that hangs.
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
    ) -> Result<CaiClient, ListError> {
        // A URL that can never work fails here, once, rather than on every request.
        match url::Url::parse(endpoint) {
            Ok(u)
                if matches!(u.scheme(), "http" | "https")
                    && u.host_str().is_some_and(|h| !h.is_empty()) => {}
            _ => return Err(ListError::BadEndpoint(endpoint.to_string())),
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("tfrecon/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ListError::Unreachable {
                message: format!("{endpoint} (cannot build an HTTP client: {e})"),
            })?;
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
        let mut seen: HashSet<String> = HashSet::new();
        let mut empty_pages = 0u32;
        let stop = |detail: String| ListError::Pagination {
            parent: parent.to_string(),
            types: if asset_types.is_empty() {
                "every asset type".to_string()
            } else {
                asset_types.join(", ")
            },
            detail,
        };
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
            let empty = page.assets.is_empty();
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
                Some(t) if !t.is_empty() => {
                    if !seen.insert(t.clone()) {
                        return Err(stop(format!(
                            "returned page token {t:?} a second time after {} page(s): the API is going round in circles",
                            seen.len() + 1
                        )));
                    }
                    empty_pages = if empty { empty_pages + 1 } else { 0 };
                    if empty_pages >= MAX_EMPTY_PAGES {
                        return Err(stop(format!(
                            "returned {empty_pages} empty pages in a row, each with another page token"
                        )));
                    }
                    token = Some(t)
                }
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
        // The budget runs from the first attempt: time queued behind the rate limit before it
        // is pacing, not waiting on this request.
        let mut started: Option<Instant> = None;
        let mut attempt = 0u32;
        loop {
            self.limiter.acquire().await;
            // Getting a token (a metadata server, a token exchange) is bounded too.
            let token = tokio::time::timeout(self.retry.budget, self.auth.token())
                .await
                .map_err(|_| {
                    ListError::NoCredentials(format!(
                        "no access token within the retry budget of {} s",
                        self.retry.budget.as_secs_f64()
                    ))
                })??;
            let began = *started.get_or_insert_with(Instant::now);
            let remaining = self.retry.budget.saturating_sub(began.elapsed());
            if remaining.is_zero() {
                return Err(ListError::NoAnswer {
                    endpoint: self.endpoint.clone(),
                    budget: self.retry.budget,
                    retries: attempt,
                });
            }
            let limit = remaining.min(MAX_ATTEMPT);
            let sent = tokio::time::timeout(limit, self.attempt(url, &token)).await;
            let (retry_after, cause, last) = match sent {
                Err(_) if limit == remaining => {
                    return Err(ListError::NoAnswer {
                        endpoint: self.endpoint.clone(),
                        budget: self.retry.budget,
                        retries: attempt,
                    })
                }
                Err(_) => (
                    None,
                    "no answer",
                    format!("no answer within {} s", limit.as_secs()),
                ),
                // A refused connection or an unknown host does not heal in seconds.
                Ok(Attempt::Transport(e)) if e.is_connect() && !e.is_timeout() => {
                    let mut cause: &dyn std::error::Error = &e;
                    while let Some(inner) = cause.source() {
                        cause = inner;
                    }
                    return Err(ListError::Unreachable {
                        message: format!("{} ({cause})", self.endpoint),
                    });
                }
                Ok(Attempt::Transport(e)) if e.is_builder() => {
                    return Err(ListError::BadEndpoint(format!("{url} ({e})")))
                }
                Ok(Attempt::Transport(e)) => {
                    (None, "transport errors", format!("transport error: {e}"))
                }
                Ok(Attempt::Body(bytes)) => match serde_json::from_slice::<T>(&bytes) {
                    Ok(v) => return Ok(v),
                    // Cut off on the way (a proxy, a reset connection): worth another try.
                    Err(e) if e.is_eof() || e.is_syntax() => (
                        None,
                        "cut-off responses",
                        format!(
                            "the response was cut off or garbled after {} byte(s): {e}",
                            bytes.len()
                        ),
                    ),
                    Err(e) => return Err(ListError::Decode(format!("{e} (from {url})"))),
                },
                Ok(Attempt::CutOff(e)) => (
                    None,
                    "cut-off responses",
                    format!("the response was cut off: {}", error_chain(&e)),
                ),
                Ok(Attempt::Failed {
                    status,
                    retry_after,
                    body,
                }) => {
                    let err: GoogleError = serde_json::from_slice(&body).unwrap_or_default();
                    if status != 429 && !(500..600).contains(&status) {
                        return Err(classify(status, err.error, parent, content));
                    }
                    let msg = if err.error.message.is_empty() {
                        String::from_utf8_lossy(&body).chars().take(200).collect()
                    } else {
                        err.error.message
                    };
                    (
                        retry_after
                            .and_then(|v| parse_retry_after(&v, std::time::SystemTime::now())),
                        if status == 429 {
                            "throttled"
                        } else {
                            "server errors"
                        },
                        format!("HTTP {status}: {msg}"),
                    )
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
            let waited = began.elapsed();
            if waited + delay > self.retry.budget {
                return Err(ListError::GaveUp {
                    cause,
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

    /// One request and its whole body.
    async fn attempt(&self, url: &str, token: &str) -> Attempt {
        let resp = match self.http.get(url).bearer_auth(token).send().await {
            Ok(r) => r,
            Err(e) => return Attempt::Transport(e),
        };
        let status = resp.status().as_u16();
        if resp.status().is_success() {
            return match resp.bytes().await {
                Ok(b) => Attempt::Body(b.to_vec()),
                Err(e) => Attempt::CutOff(e),
            };
        }
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = resp.bytes().await.unwrap_or_default().to_vec();
        Attempt::Failed {
            status,
            retry_after,
            body,
        }
    }
}

/// How one attempt ended.
enum Attempt {
    Transport(reqwest::Error),
    /// A success whose body was cut off on the way.
    CutOff(reqwest::Error),
    Body(Vec<u8>),
    Failed {
        status: u16,
        retry_after: Option<String>,
        body: Vec<u8>,
    },
}

/// `Retry-After` as RFC 9110 gives it: a number of seconds, or an HTTP date (how long until
/// then; a date in the past means now).
fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) is RFC 2822 with the zone named GMT.
    let rfc2822 = match value.strip_suffix(" GMT") {
        Some(rest) => format!("{rest} +0000"),
        None => value.to_string(),
    };
    let at = time::OffsetDateTime::parse(&rfc2822, &time::format_description::well_known::Rfc2822)
        .ok()?;
    let now = time::OffsetDateTime::from(now);
    let ahead = at - now;
    Some(if ahead.is_positive() {
        Duration::try_from(ahead).unwrap_or_default()
    } else {
        Duration::ZERO
    })
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
    fn retry_after_in_seconds_or_as_an_http_date() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn an_endpoint_that_is_not_a_url_is_refused_at_once() {
        for bad in ["localhost:8080", "not a url", "ftp://x", "http://"] {
            let e = CaiClient::new(
                bad,
                Auth::Static("t".into()),
                10,
                RetryPolicy::default(),
                10,
            )
            .err()
            .unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(
                e.to_string()
                    .contains("not a valid Cloud Asset Inventory endpoint"),
                "{e}"
            );
            assert!(e.is_scope_wide());
        }
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
