//! Signed requests to the AWS APIs tfrecon reads without an SDK crate (Cloud Control, AWS
//! Config, EC2's region list): SigV4 with the credentials of the standard chain, connect and
//! read timeouts, and retries of throttling, server errors and hung requests within the run's
//! retry budget. It returns parsed answers and [`ListError`]s; it knows nothing of the catalog.

use std::time::{Duration, Instant, SystemTime};

use aws_config::SdkConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use serde_json::Value;

use super::error::{classify, Class, ErrorKind, ListError};
use super::{AwsConfig, RequestCounter};
use crate::inventory::gcp::client::RetryPolicy;
use crate::inventory::{ProgressEvent, ProgressSink};

/// A refused connection or an unknown host does not heal in seconds: a few tries, not the
/// whole budget.
const MAX_CONNECT_ATTEMPTS: u32 = 3;

/// One AWS API as reached over HTTP.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Api {
    /// SigV4 signing name (`cloudcontrolapi`, `config`, `ec2`).
    pub signing_name: &'static str,
    /// The host's first label (`cloudcontrolapi` in `cloudcontrolapi.eu-west-1.amazonaws.com`).
    pub host: &'static str,
    /// The suffix of `AWS_ENDPOINT_URL_<ID>`, the service's own endpoint override.
    pub env_id: &'static str,
}

pub(crate) const CLOUD_CONTROL: Api = Api {
    signing_name: "cloudcontrolapi",
    host: "cloudcontrolapi",
    env_id: "CLOUDCONTROL",
};

pub(crate) const CONFIG: Api = Api {
    signing_name: "config",
    host: "config",
    env_id: "CONFIG_SERVICE",
};

pub(crate) const EC2: Api = Api {
    signing_name: "ec2",
    host: "ec2",
    env_id: "EC2",
};

/// Names one request for errors, progress and counting.
pub(crate) struct Call<'a> {
    pub api: Api,
    /// `cloudcontrol:ListResources`, as the error names it.
    pub call: &'a str,
    /// What it is for (`AWS::SQS::Queue`).
    pub subject: &'a str,
    pub region: &'a str,
    /// Permissions a denial asks for.
    pub grant: &'a [String],
    /// Where progress goes: `(scope, type)`.
    pub label: (&'a str, &'a str),
}

pub(crate) struct Http {
    client: reqwest::Client,
    sdk: SdkConfig,
    endpoint_override: Option<String>,
    retry: RetryPolicy,
    counter: Option<RequestCounter>,
}

impl Http {
    pub fn new(sdk: &SdkConfig, config: &AwsConfig) -> Http {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .user_agent(concat!("tfrecon/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Http {
            client,
            sdk: sdk.clone(),
            endpoint_override: config.endpoint_url.clone(),
            retry: config.retry.clone(),
            counter: config.request_counter.clone(),
        }
    }

    /// The endpoint of `api` in `region`: the run's override, then `AWS_ENDPOINT_URL_<ID>`,
    /// then the shared `AWS_ENDPOINT_URL` / profile `endpoint_url`, then AWS's own.
    fn endpoint(&self, api: Api, region: &str) -> String {
        if let Some(e) = &self.endpoint_override {
            return e.trim_end_matches('/').to_string();
        }
        if let Ok(e) = std::env::var(format!("AWS_ENDPOINT_URL_{}", api.env_id)) {
            if !e.is_empty() {
                return e.trim_end_matches('/').to_string();
            }
        }
        if let Some(e) = self.sdk.endpoint_url() {
            return e.trim_end_matches('/').to_string();
        }
        let suffix = if region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        format!("https://{}.{region}.{suffix}", api.host)
    }

    /// An AWS JSON protocol call (`X-Amz-Target: <target>`, `application/x-amz-json-<version>`).
    pub async fn json(
        &self,
        call: &Call<'_>,
        target: &str,
        version: &str,
        body: &Value,
        progress: &dyn ProgressSink,
    ) -> Result<Value, ListError> {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        let ctype = format!("application/x-amz-json-{version}");
        let answer = self
            .send(call, &ctype, Some(target), bytes, progress)
            .await?;
        serde_json::from_slice(&answer).map_err(|e| {
            ListError::new(
                call.call,
                call.subject,
                call.region,
                ErrorKind::Decode {
                    message: e.to_string(),
                },
            )
        })
    }

    /// An AWS query protocol call (form-encoded POST); the answer is the XML text.
    pub async fn query(
        &self,
        call: &Call<'_>,
        params: &[(&str, &str)],
        progress: &dyn ProgressSink,
    ) -> Result<String, ListError> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        let answer = self
            .send(
                call,
                "application/x-www-form-urlencoded; charset=utf-8",
                None,
                body.into_bytes(),
                progress,
            )
            .await?;
        Ok(String::from_utf8_lossy(&answer).into_owned())
    }

    async fn credentials(&self, call: &Call<'_>) -> Result<Identity, ListError> {
        let no_creds = |message: String| {
            ListError::new(
                call.call,
                call.subject,
                call.region,
                ErrorKind::NoCredentials { message },
            )
        };
        let provider = self
            .sdk
            .credentials_provider()
            .ok_or_else(|| no_creds("no credentials provider is configured".into()))?;
        let creds = provider
            .provide_credentials()
            .await
            .map_err(|e| no_creds(e.to_string()))?;
        Ok(creds.into())
    }

    async fn send(
        &self,
        call: &Call<'_>,
        content_type: &str,
        target: Option<&str>,
        body: Vec<u8>,
        progress: &dyn ProgressSink,
    ) -> Result<Vec<u8>, ListError> {
        let url = format!("{}/", self.endpoint(call.api, call.region));
        let host = reqwest::Url::parse(&url)
            .ok()
            .and_then(|u| {
                u.host_str().map(|h| match u.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_string(),
                })
            })
            .unwrap_or_default();
        let started = Instant::now();
        let mut attempt = 0u32;
        let err = |kind: ErrorKind| ListError::new(call.call, call.subject, call.region, kind);
        loop {
            let identity = self.credentials(call).await?;
            let mut headers: Vec<(String, String)> = vec![
                ("host".into(), host.clone()),
                ("content-type".into(), content_type.to_string()),
            ];
            if let Some(t) = target {
                headers.push(("x-amz-target".into(), t.to_string()));
            }
            let signed = sign_headers(&identity, call, &url, &headers, &body).map_err(|e| {
                err(ErrorKind::NoCredentials {
                    message: format!("the request could not be signed: {e}"),
                })
            })?;
            let mut req = self.client.post(&url).body(body.clone());
            for (k, v) in headers.iter().chain(signed.iter()) {
                if k != "host" {
                    req = req.header(k.as_str(), v.as_str());
                }
            }
            if let Some(c) = &self.counter {
                c.add(call.call.to_string());
            }
            let remaining = self.retry.budget.saturating_sub(started.elapsed());
            let sent = tokio::time::timeout(remaining.max(Duration::from_millis(1)), async {
                let resp = req.send().await?;
                let status = resp.status();
                let bytes = resp.bytes().await?;
                Ok::<_, reqwest::Error>((status, bytes))
            })
            .await;
            let (last, code) = match sent {
                Err(_) => {
                    return Err(err(ErrorKind::TimedOut {
                        waited: started.elapsed(),
                        last: "the request hung".into(),
                    }))
                }
                Ok(Err(e)) if e.is_connect() && attempt + 1 >= MAX_CONNECT_ATTEMPTS => {
                    return Err(err(ErrorKind::Unreachable {
                        message: format!("{url}: {}", innermost(&e)),
                    }))
                }
                Ok(Err(e)) => (innermost(&e), String::new()),
                Ok(Ok((status, bytes))) if status.is_success() => return Ok(bytes.to_vec()),
                Ok(Ok((status, bytes))) => {
                    let (code, message) = error_of(&bytes);
                    let class = classify(&code);
                    let retryable = class == Class::Throttled
                        || status.as_u16() == 429
                        || (status.is_server_error() && class == Class::Other);
                    if !retryable {
                        let code = if code.is_empty() {
                            format!("HTTP {}", status.as_u16())
                        } else {
                            code
                        };
                        let message = if message.is_empty() {
                            status.canonical_reason().unwrap_or_default().to_string()
                        } else {
                            message
                        };
                        return Err(ListError::from_code(
                            call.call,
                            call.subject,
                            call.region,
                            &code,
                            &message,
                            call.grant,
                        ));
                    }
                    let code = if code.is_empty() {
                        format!("HTTP {}", status.as_u16())
                    } else {
                        code
                    };
                    (message, code)
                }
            };
            let backoff = {
                let exp = self.retry.base.saturating_mul(1u32 << attempt.min(16));
                // Full jitter: spreads the retries of concurrent listings apart.
                exp.min(self.retry.max_delay)
                    .mul_f64(0.5 + fastrand::f64() * 0.5)
            };
            let waited = started.elapsed();
            if waited + backoff > self.retry.budget {
                let kind = if code.is_empty() {
                    ErrorKind::TimedOut { waited, last }
                } else if classify(&code) == Class::Throttled || code == "HTTP 429" {
                    ErrorKind::Throttled {
                        code: code.rsplit('#').next().unwrap_or(&code).to_string(),
                        attempts: attempt + 1,
                        waited,
                    }
                } else {
                    ErrorKind::Service {
                        code: code.rsplit('#').next().unwrap_or(&code).to_string(),
                        message: format!("still failing after {} attempts: {last}", attempt + 1),
                    }
                };
                return Err(err(kind));
            }
            attempt += 1;
            progress.event(ProgressEvent::Retry {
                scope: call.label.0.to_string(),
                type_name: call.label.1.to_string(),
                attempt,
            });
            tokio::time::sleep(backoff).await;
        }
    }
}

fn sign_headers(
    identity: &Identity,
    call: &Call<'_>,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Vec<(String, String)>, String> {
    let params = v4::SigningParams::builder()
        .identity(identity)
        .region(call.region)
        .name(call.api.signing_name)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new(
        "POST",
        url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

/// The error code and message of an AWS error body: JSON (`__type`, `message`/`Message`) or
/// XML (`<Code>`, `<Message>`).
fn error_of(body: &[u8]) -> (String, String) {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        let code = v
            .get("__type")
            .or_else(|| v.get("code"))
            .or_else(|| v.get("Code"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let message = v
            .get("message")
            .or_else(|| v.get("Message"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        return (
            code.rsplit('#').next().unwrap_or(code).to_string(),
            message.to_string(),
        );
    }
    let text = String::from_utf8_lossy(body);
    (
        xml_text(&text, "Code").unwrap_or_default(),
        xml_text(&text, "Message").unwrap_or_default(),
    )
}

/// The text of the first `<tag>` element: enough for AWS error documents and the flat lists
/// tfrecon reads from query APIs.
pub(crate) fn xml_text(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    Some(unescape(&xml[start..end]))
}

/// Every `<tag>...</tag>` element's inner text, in order.
pub(crate) fn xml_elements<'x>(xml: &'x str, tag: &str) -> Vec<&'x str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let start = i + open.len();
        let Some(len) = rest[start..].find(&close) else {
            break;
        };
        out.push(&rest[start..start + len]);
        rest = &rest[start + len + close.len()..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn innermost(err: &dyn std::error::Error) -> String {
    let mut cause: &dyn std::error::Error = err;
    let mut text = cause.to_string();
    while let Some(inner) = cause.source() {
        cause = inner;
        text = cause.to_string();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_in_both_encodings() {
        assert_eq!(
            error_of(br#"{"__type":"com.amazon.coral.service#ThrottlingException","Message":"Rate exceeded"}"#),
            ("ThrottlingException".into(), "Rate exceeded".into())
        );
        assert_eq!(
            error_of(b"<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized &amp; more</Message></Error></Errors></Response>"),
            ("UnauthorizedOperation".into(), "You are not authorized & more".into())
        );
        let items = xml_elements("<a><item>1</item><item>2</item></a>", "item");
        assert_eq!(items, ["1", "2"]);
    }
}
