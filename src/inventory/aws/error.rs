//! What can go wrong while listing AWS, as one line an operator can act on: the call, what it
//! was for, the region, the cause and what to do. Owns the mapping from SDK and wire errors and
//! nothing else; never prints a response's headers or raw body.

use std::fmt;
use std::time::Duration;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::RequestCounter;

/// A scope argument that is not an AWS scope.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScopeError {
    #[error("`{0}` is not an AWS scope: use `aws`, `aws:REGION[,REGION...]`, `aws:*` (every enabled region) or `aws:aggregator:NAME[@REGION]` (an AWS Config aggregator)")]
    NotAws(String),
    #[error("`{region}` in `{scope}` is not a region name such as `eu-west-1`")]
    BadRegion { scope: String, region: String },
}

/// One failed AWS call. `Display` is the `reason` of the inventory error:
/// `cloudcontrol:ListResources for AWS::SQS::Queue in eu-west-1 was denied (AccessDenied):
/// grant cloudformation:ListResources and sqs:ListQueues`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListError {
    /// `service:Operation` as sent (`cloudcontrol:ListResources`, `iam:ListRoles`).
    pub call: String,
    /// What the call was for (`AWS::SQS::Queue`, `roles`); empty when the call says it all.
    pub subject: String,
    pub region: String,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The credentials lack a permission; `grant` lists what to grant.
    Denied { code: String, grant: Vec<String> },
    /// Still throttled when the retry budget ran out.
    Throttled {
        code: String,
        attempts: u32,
        waited: Duration,
    },
    /// The service does not offer this here: Cloud Control has no list handler for the type,
    /// the type does not exist in the region, the region is not enabled, ...
    Unsupported { code: String, message: String },
    /// Any other answer from the service.
    Service { code: String, message: String },
    /// No answer: connection refused, DNS, TLS.
    Unreachable { message: String },
    /// The retry budget ran out while requests hung or kept failing without an answer.
    TimedOut { waited: Duration, last: String },
    /// An answer that could not be read.
    Decode { message: String },
    /// No credentials could be found.
    NoCredentials { message: String },
}

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.call)?;
        if !self.subject.is_empty() {
            write!(f, " for {}", self.subject)?;
        }
        if !self.region.is_empty() {
            write!(f, " in {}", self.region)?;
        }
        match &self.kind {
            ErrorKind::Denied { code, grant } => {
                write!(f, " was denied ({code}): grant {}", grant.join(" and "))
            }
            ErrorKind::Throttled {
                code,
                attempts,
                waited,
            } => write!(
                f,
                " was still throttled ({code}) after {attempts} attempts over {}s: run again later, with less concurrency or a larger --retry-budget",
                waited.as_secs()
            ),
            ErrorKind::Unsupported { code, message } => write!(
                f,
                " is not available ({code}: {}): the type cannot be listed there, so it covers nothing",
                one_line(message)
            ),
            ErrorKind::Service { code, message } => {
                write!(f, " failed ({code}: {})", one_line(message))
            }
            ErrorKind::Unreachable { message } => write!(
                f,
                " could not reach AWS ({}): check the network, proxy and endpoint settings",
                one_line(message)
            ),
            ErrorKind::TimedOut { waited, last } => write!(
                f,
                " got no answer within {}s, the retry budget ({}): raise --retry-budget or run again",
                waited.as_secs(),
                one_line(last)
            ),
            ErrorKind::Decode { message } => {
                write!(f, " answered something unreadable ({})", one_line(message))
            }
            ErrorKind::NoCredentials { message } => write!(
                f,
                " has no AWS credentials ({}): set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws sso login`",
                one_line(message)
            ),
        }
    }
}

impl std::error::Error for ListError {}

/// Error texts from AWS sometimes carry line breaks; a reason is one line.
fn one_line(s: &str) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 300 {
        let cut: String = joined.chars().take(300).collect();
        format!("{cut}…")
    } else {
        joined
    }
}

const DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "AuthorizationErrorException",
    "Forbidden",
    "AllAccessDisabled",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "ExpiredToken",
    "ExpiredTokenException",
    "SignatureDoesNotMatch",
];
const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "ProvisionedThroughputExceededException",
];
const UNSUPPORTED: &[&str] = &[
    "InvalidAction",
    "UnknownOperationException",
    "UnsupportedOperation",
    "UnsupportedOperationException",
    "UnsupportedActionException",
    "TypeNotFoundException",
    "NotImplemented",
    "OptInRequired",
    "SubscriptionRequiredException",
];

/// How a service error code is to be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Denied,
    Throttled,
    Unsupported,
    Other,
}

pub(crate) fn classify(code: &str) -> Class {
    // Codes arrive bare or as `com.amazon.coral.service#AccessDeniedException`.
    let code = code.rsplit('#').next().unwrap_or(code);
    let code = code.split(':').next().unwrap_or(code);
    if DENIED.contains(&code) {
        Class::Denied
    } else if THROTTLED.contains(&code) {
        Class::Throttled
    } else if UNSUPPORTED.contains(&code) {
        Class::Unsupported
    } else {
        Class::Other
    }
}

impl ListError {
    pub fn new(call: &str, subject: &str, region: &str, kind: ErrorKind) -> ListError {
        ListError {
            call: call.to_string(),
            subject: subject.to_string(),
            region: region.to_string(),
            kind,
        }
    }

    /// A service answer with `code` and `message`; `grant` is what a denial asks for.
    pub fn from_code(
        call: &str,
        subject: &str,
        region: &str,
        code: &str,
        message: &str,
        grant: &[String],
    ) -> ListError {
        let bare = code.rsplit('#').next().unwrap_or(code).to_string();
        let kind = match classify(code) {
            Class::Denied => ErrorKind::Denied {
                code: bare,
                grant: grant.to_vec(),
            },
            Class::Throttled => ErrorKind::Throttled {
                code: bare,
                attempts: 1,
                waited: Duration::ZERO,
            },
            Class::Unsupported => ErrorKind::Unsupported {
                code: bare,
                message: message.to_string(),
            },
            Class::Other => ErrorKind::Service {
                code: if bare.is_empty() {
                    "Unknown".into()
                } else {
                    bare
                },
                message: message.to_string(),
            },
        };
        ListError::new(call, subject, region, kind)
    }

    /// Maps an SDK error of `permission` (`iam:ListRoles`, which is also the call's name).
    pub fn from_sdk<E, R>(permission: &str, region: &str, err: SdkError<E, R>) -> ListError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: fmt::Debug,
    {
        let grant = [permission.to_string()];
        match &err {
            SdkError::ServiceError(_) => {
                let code = err.code().unwrap_or_default().to_string();
                let message = err.message().unwrap_or_default().to_string();
                ListError::from_code(permission, "", region, &code, &message, &grant)
            }
            SdkError::TimeoutError(_) => ListError::new(
                permission,
                "",
                region,
                ErrorKind::TimedOut {
                    waited: Duration::ZERO,
                    last: "the SDK's operation timeout".into(),
                },
            ),
            SdkError::DispatchFailure(d) => {
                let message = innermost(&err);
                let kind = if d.is_timeout() {
                    ErrorKind::TimedOut {
                        waited: Duration::ZERO,
                        last: message,
                    }
                } else if d.is_user() || message.contains("credentials") {
                    ErrorKind::NoCredentials { message }
                } else {
                    ErrorKind::Unreachable { message }
                };
                ListError::new(permission, "", region, kind)
            }
            SdkError::ResponseError(_) => ListError::new(
                permission,
                "",
                region,
                ErrorKind::Decode {
                    message: innermost(&err),
                },
            ),
            _ => {
                let message = innermost(&err);
                let kind = if message.contains("credentials") {
                    ErrorKind::NoCredentials { message }
                } else {
                    ErrorKind::Service {
                        code: "Unknown".into(),
                        message,
                    }
                };
                ListError::new(permission, "", region, kind)
            }
        }
    }

    /// The same error for another subject (a parent's failure recorded against a child type).
    pub fn for_subject(&self, subject: &str) -> ListError {
        let mut e = self.clone();
        if e.subject.is_empty() {
            e.subject = subject.to_string();
        }
        e
    }
}

/// The deepest cause of an error chain: the part a person can act on (`connection refused`),
/// without the SDK's wrappers.
fn innermost(err: &dyn std::error::Error) -> String {
    let mut cause: &dyn std::error::Error = err;
    let mut text = cause.to_string();
    while let Some(inner) = cause.source() {
        cause = inner;
        let t = cause.to_string();
        if !t.is_empty() {
            text = t;
        }
    }
    one_line(&text)
}

/// The service error code of `err`, for absent-configuration checks (`NoSuchBucketPolicy`).
pub(crate) fn code_of<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<&str> {
    match err {
        SdkError::ServiceError(_) => err.code(),
        _ => None,
    }
}

/// Counts every request attempt by `service:Operation`.
#[derive(Debug, Clone)]
pub(crate) struct Counting(pub RequestCounter);

impl Intercept for Counting {
    fn name(&self) -> &'static str {
        "tfrecon-request-counter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(m) = cfg.load::<Metadata>() {
            self.0.add(format!("{}:{}", m.service(), m.name()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_class_reads_as_one_actionable_line() {
        let grant = [
            "cloudformation:ListResources".into(),
            "sqs:ListQueues".into(),
        ];
        let denied = ListError::from_code(
            "cloudcontrol:ListResources",
            "AWS::SQS::Queue",
            "eu-west-1",
            "AccessDeniedException",
            "User: arn:aws:iam::1:user/ci is not authorized",
            &grant,
        );
        assert_eq!(
            denied.to_string(),
            "cloudcontrol:ListResources for AWS::SQS::Queue in eu-west-1 was denied (AccessDeniedException): grant cloudformation:ListResources and sqs:ListQueues"
        );
        let unsupported = ListError::from_code(
            "cloudcontrol:ListResources",
            "AWS::Foo::Bar",
            "us-east-1",
            "com.amazon.coral#UnsupportedActionException",
            "Resource type AWS::Foo::Bar does not support LIST action\n",
            &grant,
        );
        let text = unsupported.to_string();
        assert!(
            text.contains("(UnsupportedActionException: Resource type AWS::Foo::Bar does not support LIST action)")
                && !text.contains('\n'),
            "{text}"
        );
        let other =
            ListError::from_code("iam:ListRoles", "", "us-east-1", "", "boom", &grant).to_string();
        assert_eq!(other, "iam:ListRoles in us-east-1 failed (Unknown: boom)");
        let slow = ListError::new(
            "cloudcontrol:ListResources",
            "AWS::SQS::Queue",
            "us-east-1",
            ErrorKind::TimedOut {
                waited: Duration::from_secs(3),
                last: "operation timed out".into(),
            },
        );
        assert!(slow.to_string().contains("within 3s"), "{slow}");
        assert_eq!(classify("ThrottlingException"), Class::Throttled);
        assert_eq!(classify("TypeNotFoundException"), Class::Unsupported);
    }
}
