//! How a job body reports failure.

/// A failed attempt. `Transient` retries later; `Permanent` gives up now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Worth retrying: a timeout, a 4xx SMTP reply, a 5xx or 429 HTTP answer,
    /// a dropped connection.
    #[error("{0}")]
    Transient(String),
    /// Retrying cannot help: an invalid address, an SMTP 5xx, an HTTP 4xx,
    /// a payload that refers to a deleted row.
    #[error("{0}")]
    Permanent(String),
}

impl JobError {
    pub fn transient(error: impl std::fmt::Display) -> JobError {
        JobError::Transient(error.to_string())
    }

    pub fn permanent(error: impl std::fmt::Display) -> JobError {
        JobError::Permanent(error.to_string())
    }

    pub fn is_permanent(&self) -> bool {
        matches!(self, JobError::Permanent(_))
    }
}

/// Database errors are transient: the database may be restarting.
impl From<diesel::result::Error> for JobError {
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::NotFound => {
                JobError::Permanent("referenced row not found".to_owned())
            }
            other => JobError::Transient(format!("database: {other}")),
        }
    }
}
