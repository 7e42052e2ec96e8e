//! Outgoing e-mail: the [`OutgoingEmail`] builder, the transports, and the
//! [`Mailer`] that picks a tenant's own SMTP server or the system default,
//! keeps one connection pool per server, and signs with DKIM when
//! configured.

mod outgoing;
mod transport;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use guestcare_db::channel_settings::ChannelSettings;
use guestcare_domain::{
    channels::purposes,
    sealed::Sealer,
    settings::{MailSettings, MailTransport, SmtpSecurity},
};
use lettre::{
    Message,
    message::dkim::{
        DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
        DkimSigningKey,
    },
    message::header::HeaderName,
};
use secrecy::{ExposeSecret, SecretString};
use uuid::Uuid;

pub use outgoing::{BuildError, OutgoingEmail};
pub use transport::{SendError, SmtpConfig, Transport};

/// Which transport, sender and Message-ID domain a tenant's mail uses.
#[derive(Debug, Clone)]
pub struct Route {
    pub transport: Transport,
    pub from: String,
    pub id_domain: String,
}

/// Transports by server, the system defaults and the DKIM key.
pub struct Mailer {
    settings: MailSettings,
    system: Transport,
    pools: Mutex<HashMap<Uuid, (String, Transport)>>,
    dkim: Option<Arc<DkimConfig>>,
    sealer: Sealer,
    timeout: Duration,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("system", &self.system)
            .field("dkim", &self.dkim.is_some())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// The mailer for `settings`; `master_key` opens tenants' SMTP passwords.
    pub fn new(settings: &MailSettings, master_key: &[u8]) -> anyhow::Result<Mailer> {
        let timeout = Duration::from_secs(30);
        let system = match settings.transport {
            MailTransport::Outbox => Transport::Outbox(settings.outbox_dir.clone()),
            MailTransport::Smtp => Transport::smtp(
                &SmtpConfig {
                    host: settings.smtp.host.clone(),
                    port: settings.smtp.port,
                    security: settings.smtp.security,
                    username: settings.smtp.username.clone(),
                    password: settings.smtp.password.clone(),
                    pool_size: settings.smtp.pool_size,
                },
                timeout,
            )?,
        };
        Ok(Mailer {
            settings: settings.clone(),
            system,
            pools: Mutex::new(HashMap::new()),
            dkim: dkim_config(settings)?.map(Arc::new),
            sealer: Sealer::new(master_key, purposes::SMTP_PASSWORD),
            timeout,
        })
    }

    /// The route of `tenant_id`'s mail: its own SMTP server when it has one
    /// (and mail is not going to the outbox), else the system default.
    pub fn route(
        &self,
        tenant_id: Uuid,
        own: Option<&ChannelSettings>,
    ) -> Result<Route, SendError> {
        let from = own
            .and_then(|s| s.mail_from.clone())
            .unwrap_or_else(|| self.settings.from.clone());
        let id_domain = own
            .and_then(|s| s.mail_domain.clone())
            .unwrap_or_else(|| self.settings.host.clone());
        let transport = match own.and_then(|s| self.tenant_smtp(tenant_id, s).transpose()) {
            Some(config) if self.settings.transport == MailTransport::Smtp => {
                self.pooled(tenant_id, &config?)?
            }
            _ => self.system.clone(),
        };
        Ok(Route {
            transport,
            from,
            id_domain,
        })
    }

    /// Our identity in `X-Loop`.
    pub fn loop_identity(&self) -> String {
        format!("guestcare@{}", self.settings.host)
    }

    /// Adds a DKIM signature when signing is configured.
    pub fn sign(&self, message: &mut Message) {
        if let Some(dkim) = &self.dkim {
            message.sign(dkim);
        }
    }

    fn tenant_smtp(
        &self,
        tenant_id: Uuid,
        own: &ChannelSettings,
    ) -> Result<Option<SmtpConfig>, SendError> {
        let Some(host) = own.smtp_host.clone() else {
            return Ok(None);
        };
        let password = match &own.smtp_password_sealed {
            Some(sealed) => self
                .sealer
                .open_string(sealed, tenant_id.as_bytes())
                .map_err(|_| SendError::Permanent {
                    code: None,
                    text: "the tenant's SMTP password cannot be opened".to_owned(),
                })?,
            None => String::new(),
        };
        let security = match own.smtp_security.as_deref() {
            Some("tls") => SmtpSecurity::Tls,
            Some("none") => SmtpSecurity::None,
            _ => SmtpSecurity::Starttls,
        };
        Ok(Some(SmtpConfig {
            host,
            port: own
                .smtp_port
                .and_then(|p| u16::try_from(p).ok())
                .unwrap_or(587),
            security,
            username: own.smtp_username.clone().unwrap_or_default(),
            password: SecretString::from(password),
            pool_size: self.settings.smtp.pool_size,
        }))
    }

    /// The tenant's pool, rebuilt when its settings changed.
    fn pooled(&self, tenant_id: Uuid, config: &SmtpConfig) -> Result<Transport, SendError> {
        let fingerprint = config.fingerprint();
        let mut pools = self
            .pools
            .lock()
            .map_err(|_| SendError::Transient("mailer lock poisoned".to_owned()))?;
        if let Some((known, transport)) = pools.get(&tenant_id)
            && *known == fingerprint
        {
            return Ok(transport.clone());
        }
        let transport = Transport::smtp(config, self.timeout)?;
        pools.insert(tenant_id, (fingerprint, transport.clone()));
        Ok(transport)
    }
}

/// The DKIM configuration, if `mail.dkim.domain` is set: RSA (PKCS#1 PEM),
/// relaxed/relaxed, signing the headers a receiver shows or acts on.
fn dkim_config(settings: &MailSettings) -> anyhow::Result<Option<DkimConfig>> {
    let dkim = &settings.dkim;
    if dkim.domain.is_empty() {
        return Ok(None);
    }
    let key = DkimSigningKey::new(dkim.private_key.expose_secret(), DkimSigningAlgorithm::Rsa)
        .map_err(|e| anyhow::anyhow!("mail.dkim.private_key: {e}"))?;
    let headers = [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
    ]
    .into_iter()
    .map(HeaderName::new_from_ascii_str)
    .collect();
    Ok(Some(DkimConfig::new(
        dkim.selector.clone(),
        dkim.domain.clone(),
        key,
        headers,
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    )))
}
