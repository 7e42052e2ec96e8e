//! What job bodies share: the mailer, the guarded HTTP client, SMS providers
//! by tenant, and the sealers that open tenants' secrets.

use std::time::Duration;

use guestcare_db::channel_settings::ChannelSettings;
use guestcare_domain::{
    channels::{
        purposes::{SMS_SECRET, WEBHOOK_SECRET},
        sms_config::{GatewayConfig, TwilioConfig},
    },
    sealed::Sealer,
    settings::{Settings, SmsTransport},
    signed_token::GuestLinks,
};
use secrecy::SecretString;
use uuid::Uuid;

use crate::{
    email::Mailer,
    guarded_http::GuardedClient,
    sent_recorder::SentRecorder,
    settings_cache::SettingsCache,
    sms::{HttpGateway, LogFile, SmsError, SmsProvider, Twilio},
};

/// How long a tenant's channel settings are used before being read again.
const TENANT_SETTINGS_TTL: Duration = Duration::from_secs(5);

#[derive(Debug)]
pub struct Channels {
    pub settings: Settings,
    pub mailer: Mailer,
    pub http: GuardedClient,
    pub webhook_sealer: Sealer,
    /// Tenants' channel settings, re-read every few seconds.
    pub tenant_settings: SettingsCache,
    /// Records sent messages in batches.
    pub sent: SentRecorder,
    /// Signs the links guests follow (unsubscribe).
    pub links: GuestLinks,
    sms_sealer: Sealer,
}

impl Channels {
    pub fn new(settings: &Settings) -> anyhow::Result<Channels> {
        let master = settings.security.master_key();
        Ok(Channels {
            mailer: Mailer::new(&settings.mail, &master)?,
            http: GuardedClient::new(
                &settings.security.webhook_allow_hosts,
                Duration::from_secs(settings.worker.http_timeout_secs),
            )?,
            webhook_sealer: Sealer::new(&master, WEBHOOK_SECRET),
            sms_sealer: Sealer::new(&master, SMS_SECRET),
            tenant_settings: SettingsCache::new(TENANT_SETTINGS_TTL),
            sent: SentRecorder::default(),
            links: GuestLinks::new(&master, &settings.api.public_url),
            settings: settings.clone(),
        })
    }

    /// The tenant's SMS provider: the log file when `sms.transport = log`,
    /// else the provider in its settings.
    pub fn sms_provider(
        &self,
        tenant_id: Uuid,
        own: Option<&ChannelSettings>,
    ) -> Result<Box<dyn SmsProvider>, SmsError> {
        if self.settings.sms.transport == SmsTransport::Log {
            return Ok(Box::new(LogFile {
                path: self.settings.sms.log_path.clone(),
            }));
        }
        let unusable = |what: &str| SmsError::Permanent(format!("SMS provider: {what}"));
        let own = own.ok_or_else(|| unusable("none configured"))?;
        let secret = own
            .sms_secret_sealed
            .as_ref()
            .map(|sealed| self.sms_sealer.open_string(sealed, tenant_id.as_bytes()))
            .transpose()
            .map_err(|_| unusable("the secret cannot be opened"))?
            .map(SecretString::from);
        match own.sms_provider.as_deref() {
            Some("twilio") => Ok(Box::new(Twilio {
                client: self.http.clone(),
                config: serde_json::from_value::<TwilioConfig>(own.sms_config.clone())
                    .map_err(|_| unusable("invalid Twilio settings"))?,
                auth_token: secret.ok_or_else(|| unusable("no auth token"))?,
            })),
            Some("http") => Ok(Box::new(HttpGateway {
                client: self.http.clone(),
                config: serde_json::from_value::<GatewayConfig>(own.sms_config.clone())
                    .map_err(|_| unusable("invalid gateway settings"))?,
                credential: secret,
            })),
            _ => Err(unusable("none configured")),
        }
    }
}
