//! Opening an IMAP session: TCP to an address the SSRF guard allows, TLS
//! (implicit, or STARTTLS before anything is sent), LOGIN.

use std::{fmt, sync::Arc, time::Duration};

use async_imap::{Client, Session};
use guestcare_domain::{channels::net_guard::is_forbidden, inbound::ImapSecurity};
use tokio::{
    io::{AsyncRead, AsyncWrite},
    net::TcpStream,
    time::timeout,
};
use tokio_rustls::{
    TlsConnector,
    rustls::{ClientConfig, RootCertStore, crypto::ring, pki_types::ServerName},
};

use super::ImapError;

/// A byte stream an IMAP session runs over (plain TCP or TLS).
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug> Io for T {}

/// An authenticated session.
pub type ImapSession = Session<Box<dyn Io>>;

/// Where and how to log in.
#[derive(Clone)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub security: ImapSecurity,
    pub username: String,
    pub password: String,
    /// Hosts that may resolve to private or loopback addresses.
    pub allow_hosts: Vec<String>,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .finish_non_exhaustive()
    }
}

/// The longest connecting, the TLS handshake or logging in may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

fn tls_connector() -> Result<TlsConnector, ImapError> {
    let roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|_| ImapError::Connect("no TLS protocol version available"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

async fn tcp(target: &Target) -> Result<TcpStream, ImapError> {
    let allowed = target
        .allow_hosts
        .iter()
        .any(|h| h.eq_ignore_ascii_case(&target.host));
    let addresses = tokio::net::lookup_host((target.host.as_str(), target.port))
        .await
        .map_err(|_| ImapError::Connect("the host name does not resolve"))?;
    let address = addresses
        .into_iter()
        .find(|a| allowed || !is_forbidden(a.ip()))
        .ok_or(ImapError::Connect("the host resolves to a private address"))?;
    TcpStream::connect(address)
        .await
        .map_err(|_| ImapError::Connect("the server refused the connection"))
}

async fn tls(stream: Box<dyn Io>, host: &str) -> Result<Box<dyn Io>, ImapError> {
    let name = ServerName::try_from(host.to_owned())
        .map_err(|_| ImapError::Connect("invalid TLS server name"))?;
    let stream = tls_connector()?
        .connect(name, stream)
        .await
        .map_err(|_| ImapError::Connect("TLS handshake failed"))?;
    Ok(Box::new(stream))
}

async fn open(target: &Target) -> Result<ImapSession, ImapError> {
    let plain: Box<dyn Io> = Box::new(tcp(target).await?);
    let stream = match target.security {
        ImapSecurity::Tls => tls(plain, &target.host).await?,
        ImapSecurity::None => plain,
        ImapSecurity::Starttls => {
            let mut client = Client::new(plain);
            client.read_response().await.map_err(ImapError::io)?;
            client
                .run_command_and_check_ok("STARTTLS", None)
                .await
                .map_err(|_| ImapError::Connect("the server does not offer STARTTLS"))?;
            tls(client.into_inner(), &target.host).await?
        }
    };
    let mut client = Client::new(stream);
    if target.security != ImapSecurity::Starttls {
        client.read_response().await.map_err(ImapError::io)?;
    }
    client
        .login(&target.username, &target.password)
        .await
        .map_err(|_| ImapError::Login)
}

/// Connects and logs in, within [`CONNECT_TIMEOUT`].
pub async fn connect(target: &Target) -> Result<ImapSession, ImapError> {
    timeout(CONNECT_TIMEOUT, open(target))
        .await
        .map_err(|_| ImapError::Connect("timed out connecting"))?
}
