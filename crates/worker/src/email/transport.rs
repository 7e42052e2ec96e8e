//! Where e-mail goes: a pooled SMTP connection set (STARTTLS, implicit TLS,
//! or plain for a relay on loopback), or an outbox folder of `.eml` files.

use std::{path::PathBuf, time::Duration};

use guestcare_domain::settings::SmtpSecurity;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    transport::smtp::{PoolConfig, authentication::Credentials},
};
use secrecy::{ExposeSecret, SecretString};

/// How to reach one SMTP server.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: String,
    pub password: SecretString,
    pub pool_size: u32,
}

impl SmtpConfig {
    /// What identifies the connection set: settings changed → new pool.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        for field in [
            self.host.as_str(),
            &self.port.to_string(),
            &format!("{:?}", self.security),
            &self.username,
            self.password.expose_secret(),
            &self.pool_size.to_string(),
        ] {
            hash.update(field.as_bytes());
            hash.update([0]);
        }
        format!("{:x}", hash.finalize())
    }
}

/// A send attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth retrying: SMTP 4xx, connection refused or dropped, timeout.
    #[error("{0}")]
    Transient(String),
    /// The server refused for good (SMTP 5xx); `code` is its reply code.
    #[error("{text}")]
    Permanent { code: Option<u16>, text: String },
}

/// One way of delivering e-mail.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Smtp(_) => f.write_str("Transport::Smtp"),
            Transport::Outbox(dir) => write!(f, "Transport::Outbox({})", dir.display()),
        }
    }
}

impl Transport {
    /// A pooled SMTP transport; connections open on first use.
    pub fn smtp(config: &SmtpConfig, timeout: Duration) -> Result<Transport, SendError> {
        type Smtp = AsyncSmtpTransport<Tokio1Executor>;
        let builder = match config.security {
            SmtpSecurity::None => Smtp::builder_dangerous(config.host.as_str()),
            SmtpSecurity::Starttls => Smtp::starttls_relay(&config.host)
                .map_err(|e| SendError::Transient(format!("TLS set-up: {e}")))?,
            SmtpSecurity::Tls => Smtp::relay(&config.host)
                .map_err(|e| SendError::Transient(format!("TLS set-up: {e}")))?,
        };
        let mut builder = builder
            .port(config.port)
            .timeout(Some(timeout))
            .pool_config(PoolConfig::new().max_size(config.pool_size.max(1)));
        if !config.username.is_empty() {
            builder = builder.credentials(Credentials::new(
                config.username.clone(),
                config.password.expose_secret().to_owned(),
            ));
        }
        Ok(Transport::Smtp(builder.build()))
    }

    /// Sends `message`; returns the provider's id for it (the server's reply
    /// text, e.g. `2.0.0 Ok: queued as 4F2…`, or the outbox file name).
    pub async fn send(&self, message: &Message, file_stem: &str) -> Result<String, SendError> {
        match self {
            Transport::Smtp(smtp) => match smtp.send(message.clone()).await {
                Ok(response) => Ok(response.message().collect::<Vec<_>>().join(" ")),
                Err(error) if error.is_permanent() => Err(SendError::Permanent {
                    code: error.status().map(u16::from),
                    text: error.to_string(),
                }),
                Err(error) => Err(SendError::Transient(error.to_string())),
            },
            Transport::Outbox(dir) => write_eml(dir, file_stem, &message.formatted()).await,
        }
    }
}

/// Writes `{dir}/{stem}.eml` atomically (temporary file, then rename), so a
/// retried message replaces its earlier copy rather than adding one.
async fn write_eml(dir: &PathBuf, stem: &str, bytes: &[u8]) -> Result<String, SendError> {
    let io = |e: std::io::Error| SendError::Transient(format!("outbox: {e}"));
    tokio::fs::create_dir_all(dir).await.map_err(io)?;
    let name = format!("{stem}.eml");
    let partial = dir.join(format!(".{name}.partial"));
    tokio::fs::write(&partial, bytes).await.map_err(io)?;
    tokio::fs::rename(&partial, dir.join(&name))
        .await
        .map_err(io)?;
    Ok(name)
}
