//! Outgoing SMS: the [`SmsProvider`] interface and its implementations — a
//! Twilio-compatible REST API, a generic configurable HTTP gateway, and a
//! log file for development.

mod gateway;
mod log_file;
mod twilio;

use futures::future::BoxFuture;

pub use gateway::HttpGateway;
pub use log_file::LogFile;
pub use twilio::Twilio;

/// One SMS to send.
#[derive(Debug, Clone)]
pub struct OutgoingSms {
    /// E.164 number; never logged.
    pub to: String,
    pub text: String,
    /// The client reference: the message id, so a provider (and a reader of
    /// its logs) recognises a retried send.
    pub reference: String,
}

/// A provider accepted the SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsReceipt {
    pub provider_id: Option<String>,
}

/// A send attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// Gateway 5xx, 429, timeout or connection failure: retry.
    #[error("{0}")]
    Transient(String),
    /// Gateway 4xx, a refused message or an unusable configuration.
    #[error("{0}")]
    Permanent(String),
}

/// Something that sends SMS.
pub trait SmsProvider: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, sms: &'a OutgoingSms) -> BoxFuture<'a, Result<SmsReceipt, SmsError>>;
}

/// Sorts an HTTP answer that is not a success: 5xx and 429 are worth
/// retrying, other codes are not.
fn http_error(status: reqwest::StatusCode, what: &str) -> SmsError {
    let message = format!("{what} answered {status}");
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        SmsError::Transient(message)
    } else {
        SmsError::Permanent(message)
    }
}

/// Sorts a request that got no answer: refused by the address guard is
/// permanent; timeouts and connection failures are transient.
fn request_error(error: &reqwest::Error, what: &str) -> SmsError {
    if crate::guarded_http::is_refused(error) {
        SmsError::Permanent(format!("{what}: address refused"))
    } else if error.is_timeout() {
        SmsError::Transient(format!("{what} timed out"))
    } else {
        SmsError::Transient(format!("{what} unreachable"))
    }
}
