//! A pool of SMTP connections for plain and STARTTLS servers, opened with
//! `TCP_NODELAY`.
//!
//! lettre's own pool writes a message body and its final `.` in two writes
//! on a socket with Nagle's algorithm on, so every message waits for the
//! server's delayed ACK (40 ms on Linux): about 25 messages per second per
//! connection, whatever the hardware. Here connections are opened by us,
//! with Nagle off, and handed to lettre's SMTP client. A connection that
//! fails is dropped; a pooled one that turns out closed is replaced once.

use std::{sync::Arc, time::Duration};

use guestcare_domain::settings::SmtpSecurity;
use lettre::{
    address::Envelope,
    transport::smtp::{
        Error as SmtpError,
        authentication::{Credentials, Mechanism},
        client::{AsyncSmtpConnection, TlsParameters},
        extension::ClientId,
        response::Response,
    },
};
use secrecy::ExposeSecret;
use tokio::{
    net::TcpStream,
    sync::{Mutex, Semaphore},
};

use super::{SendError, SmtpConfig};

/// Connections to one server, at most `pool_size` at a time.
pub struct SmtpPool {
    config: SmtpConfig,
    timeout: Duration,
    hello: ClientId,
    idle: Mutex<Vec<AsyncSmtpConnection>>,
    slots: Arc<Semaphore>,
}

impl std::fmt::Debug for SmtpPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpPool")
            .field("host", &self.config.host)
            .field("port", &self.config.port)
            .finish_non_exhaustive()
    }
}

fn transient(what: &str, error: impl std::fmt::Display) -> SendError {
    SendError::Transient(format!("{what}: {error}"))
}

/// Sorts an SMTP error: 5xx replies are permanent, everything else (4xx,
/// I/O, TLS, timeouts) is worth retrying.
pub fn classify(error: &SmtpError) -> SendError {
    if error.is_permanent() {
        SendError::Permanent {
            code: error.status().map(u16::from),
            text: error.to_string(),
        }
    } else {
        SendError::Transient(error.to_string())
    }
}

impl SmtpPool {
    pub fn new(config: &SmtpConfig, timeout: Duration) -> SmtpPool {
        SmtpPool {
            config: config.clone(),
            timeout,
            hello: ClientId::default(),
            idle: Mutex::new(Vec::new()),
            slots: Arc::new(Semaphore::new(config.pool_size.max(1) as usize)),
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let address = (self.config.host.as_str(), self.config.port);
        let stream = tokio::time::timeout(self.timeout, TcpStream::connect(address))
            .await
            .map_err(|_| SendError::Transient("SMTP connect timed out".to_owned()))?
            .map_err(|e| transient("SMTP connect", e))?;
        stream
            .set_nodelay(true)
            .map_err(|e| transient("SMTP socket", e))?;
        let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello)
            .await
            .map_err(|e| classify(&e))?;
        if self.config.security == SmtpSecurity::Starttls {
            let tls = TlsParameters::new(self.config.host.clone())
                .map_err(|e| transient("TLS set-up", e))?;
            conn.starttls(tls, &self.hello)
                .await
                .map_err(|e| classify(&e))?;
        }
        if !self.config.username.is_empty() {
            let credentials = Credentials::new(
                self.config.username.clone(),
                self.config.password.expose_secret().to_owned(),
            );
            conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
                .await
                .map_err(|e| classify(&e))?;
        }
        Ok(conn)
    }

    /// Sends one message on a pooled (or new) connection.
    pub async fn send(&self, envelope: &Envelope, bytes: &[u8]) -> Result<Response, SendError> {
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|e| transient("SMTP pool", e))?;
        let pooled = self.idle.lock().await.pop();
        let reused = pooled.is_some();
        let mut conn = match pooled {
            Some(conn) => conn,
            None => self.connect().await?,
        };
        let mut result = self.attempt(&mut conn, envelope, bytes).await;
        if reused && matches!(&result, Err(Some(e)) if !e.is_response()) {
            // The server closed the idle connection: once more on a new one.
            conn.abort().await;
            conn = self.connect().await?;
            result = self.attempt(&mut conn, envelope, bytes).await;
        }
        match result {
            Ok(response) => {
                self.idle.lock().await.push(conn);
                Ok(response)
            }
            Err(error) => {
                conn.abort().await;
                Err(error.map_or_else(
                    || SendError::Transient("SMTP send timed out".to_owned()),
                    |e| classify(&e),
                ))
            }
        }
    }

    /// One transaction; `Err(None)` when it timed out.
    async fn attempt(
        &self,
        conn: &mut AsyncSmtpConnection,
        envelope: &Envelope,
        bytes: &[u8],
    ) -> Result<Response, Option<SmtpError>> {
        tokio::time::timeout(self.timeout, conn.send(envelope, bytes))
            .await
            .map_err(|_| None)?
            .map_err(Some)
    }
}
