//! What can go wrong while listing AWS, in words an operator can act on; owns the mapping
//! from SDK errors and nothing else.

use std::fmt;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::RequestCounter;

/// A scope argument that is not an AWS scope.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScopeError {
    #[error("`{0}` is not an AWS scope: use `aws` or `aws:REGION[,REGION...]`")]
    NotAws(String),
    #[error("`{region}` in `{scope}` is not a region name such as `eu-west-1`")]
    BadRegion { scope: String, region: String },
}

/// Why a type could not be listed. The text is the `reason` of the inventory error.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ListError {
    #[error("access denied: the credentials need the `{permission}` permission ({message})")]
    AccessDenied { permission: String, message: String },
    #[error("AWS kept throttling `{permission}` after retries; run again later or with lower concurrency")]
    Throttled { permission: String },
    #[error("`{permission}` is not available here ({code}: {message}); the service may not be enabled in this region or account")]
    Unsupported {
        permission: String,
        code: String,
        message: String,
    },
    #[error("`{permission}` failed: {code}: {message}")]
    Service {
        permission: String,
        code: String,
        message: String,
    },
    #[error("`{permission}` could not reach AWS: {message}")]
    Transport { permission: String, message: String },
    #[error("listing `{operation}` took longer than {seconds} s and was abandoned")]
    Timeout { operation: String, seconds: u64 },
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
    "NotImplemented",
    "OptInRequired",
    "SubscriptionRequiredException",
    "InvalidClientTokenId",
];

impl ListError {
    /// Maps an SDK error of the call that needs `permission` (`iam:ListRoles`).
    pub fn from_sdk<E, R>(permission: &str, err: SdkError<E, R>) -> ListError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: fmt::Debug,
    {
        let permission = permission.to_string();
        let status = match &err {
            SdkError::ServiceError(_) => None,
            SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => {
                return ListError::Transport {
                    permission,
                    message: DisplayErrorContext(&err).to_string(),
                }
            }
            _ => Some(DisplayErrorContext(&err).to_string()),
        };
        let code = err.code().unwrap_or_default().to_string();
        let message = err
            .message()
            .map(str::to_string)
            .or(status)
            .unwrap_or_else(|| DisplayErrorContext(&err).to_string());
        if DENIED.contains(&code.as_str()) {
            ListError::AccessDenied {
                permission,
                message,
            }
        } else if THROTTLED.contains(&code.as_str()) {
            ListError::Throttled { permission }
        } else if UNSUPPORTED.contains(&code.as_str()) {
            ListError::Unsupported {
                permission,
                code,
                message,
            }
        } else {
            ListError::Service {
                permission,
                code: if code.is_empty() {
                    "Unknown".into()
                } else {
                    code
                },
                message,
            }
        }
    }
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
