//! A Twilio-compatible REST API (Twilio itself, or any service that speaks
//! its `Messages.json` resource).

use futures::{FutureExt, future::BoxFuture};
use guestcare_domain::channels::sms_config::TwilioConfig;
use secrecy::{ExposeSecret, SecretString};

use super::{OutgoingSms, SmsError, SmsProvider, SmsReceipt, http_error, request_error};
use crate::guarded_http::GuardedClient;

#[derive(Debug)]
pub struct Twilio {
    pub client: GuardedClient,
    pub config: TwilioConfig,
    pub auth_token: SecretString,
}

impl Twilio {
    async fn post(&self, sms: &OutgoingSms) -> Result<SmsReceipt, SmsError> {
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            self.config.base_url.trim_end_matches('/'),
            self.config.account_sid
        );
        let (client, url) = self
            .client
            .check(&url)
            .map_err(|e| SmsError::Permanent(format!("SMS provider {e}")))?;
        let response = client
            .post(url)
            .basic_auth(
                &self.config.account_sid,
                Some(self.auth_token.expose_secret()),
            )
            .form(&[
                ("To", sms.to.as_str()),
                ("From", self.config.from.as_str()),
                ("Body", sms.text.as_str()),
            ])
            .send()
            .await
            .map_err(|e| request_error(&e, "SMS provider"))?;
        let status = response.status();
        if !status.is_success() {
            return Err(http_error(status, "SMS provider"));
        }
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        Ok(SmsReceipt {
            provider_id: body.get("sid").and_then(|s| s.as_str()).map(str::to_owned),
        })
    }
}

impl SmsProvider for Twilio {
    fn send<'a>(&'a self, sms: &'a OutgoingSms) -> BoxFuture<'a, Result<SmsReceipt, SmsError>> {
        self.post(sms).boxed()
    }
}
