//! Where e-mail goes: a pool of SMTP connections (STARTTLS, implicit TLS, or
//! plain for a relay on loopback), or an outbox folder of `.eml` files.

use std::{path::PathBuf, sync::Arc, time::Duration};

use guestcare_domain::settings::SmtpSecurity;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    transport::smtp::{PoolConfig, authentication::Credentials, response::Response},
};
use secrecy::{ExposeSecret, SecretString};

use super::smtp_pool::{SmtpPool, classify};

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
    /// Plain or STARTTLS: our pool of `TCP_NODELAY` connections.
    Smtp(Arc<SmtpPool>),
    /// Implicit TLS (port 465): lettre's pooled transport.
    Tls(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Smtp(pool) => write!(f, "Transport::Smtp({pool:?})"),
            Transport::Tls(_) => f.write_str("Transport::Tls"),
            Transport::Outbox(dir) => write!(f, "Transport::Outbox({})", dir.display()),
        }
    }
}

impl Transport {
    /// A pooled SMTP transport; connections open on first use.
    pub fn smtp(config: &SmtpConfig, timeout: Duration) -> Result<Transport, SendError> {
        if config.security != SmtpSecurity::Tls {
            return Ok(Transport::Smtp(Arc::new(SmtpPool::new(config, timeout))));
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)
            .map_err(|e| SendError::Transient(format!("TLS set-up: {e}")))?
            .port(config.port)
            .timeout(Some(timeout))
            .pool_config(PoolConfig::new().max_size(config.pool_size.max(1)));
        if !config.username.is_empty() {
            builder = builder.credentials(Credentials::new(
                config.username.clone(),
                config.password.expose_secret().to_owned(),
            ));
        }
        Ok(Transport::Tls(builder.build()))
    }

    /// Sends `message`; returns the provider's id for it (the server's reply
    /// text, e.g. `2.0.0 Ok: queued as 4F2…`, or the outbox file name).
    pub async fn send(&self, message: &Message, file_stem: &str) -> Result<String, SendError> {
        match self {
            Transport::Smtp(pool) => pool
                .send(message.envelope(), &message.formatted())
                .await
                .map(|response| reply_text(&response)),
            Transport::Tls(smtp) => smtp
                .send(message.clone())
                .await
                .map(|response| reply_text(&response))
                .map_err(|e| classify(&e)),
            Transport::Outbox(dir) => write_eml(dir, file_stem, &message.formatted()).await,
        }
    }
}

fn reply_text(response: &Response) -> String {
    response.message().collect::<Vec<_>>().join(" ")
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
