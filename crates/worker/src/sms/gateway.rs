//! A generic HTTP SMS gateway described by configuration: URL, method, a
//! form or JSON body template, an auth header and a success rule.

use futures::{FutureExt, future::BoxFuture};
use guestcare_domain::channels::sms_config::{BodyFormat, GatewayConfig, GatewayMethod};
use secrecy::{ExposeSecret, SecretString};

use super::{OutgoingSms, SmsError, SmsProvider, SmsReceipt, http_error, request_error};
use crate::guarded_http::GuardedClient;

#[derive(Debug)]
pub struct HttpGateway {
    pub client: GuardedClient,
    pub config: GatewayConfig,
    /// The value of `config.auth_header`.
    pub credential: Option<SecretString>,
}

impl HttpGateway {
    async fn call(&self, sms: &OutgoingSms) -> Result<SmsReceipt, SmsError> {
        let rendered = self.config.render(&sms.to, &sms.text, &sms.reference);
        let target = match self.config.method {
            GatewayMethod::Get => {
                let joiner = if self.config.url.contains('?') {
                    '&'
                } else {
                    '?'
                };
                format!("{}{joiner}{rendered}", self.config.url)
            }
            GatewayMethod::Post => self.config.url.clone(),
        };
        let (client, url) = self
            .client
            .check(&target)
            .map_err(|e| SmsError::Permanent(format!("SMS gateway {e}")))?;
        let mut request = match self.config.method {
            GatewayMethod::Get => client.get(url),
            GatewayMethod::Post => {
                let content_type = match self.config.body_format {
                    BodyFormat::Form => "application/x-www-form-urlencoded",
                    BodyFormat::Json => "application/json",
                };
                client
                    .post(url)
                    .header(reqwest::header::CONTENT_TYPE, content_type)
                    .body(rendered)
            }
        };
        if let (Some(name), Some(value)) = (&self.config.auth_header, &self.credential) {
            request = request.header(name.as_str(), value.expose_secret());
        }
        let response = request
            .send()
            .await
            .map_err(|e| request_error(&e, "SMS gateway"))?;
        let status = response.status();
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(http_error(status, "SMS gateway"));
        }
        let body: Option<serde_json::Value> = response.json().await.ok();
        if self.config.accepted(status.as_u16(), body.as_ref()) {
            Ok(SmsReceipt {
                provider_id: self.config.provider_id(body.as_ref()),
            })
        } else if status.is_success() {
            Err(SmsError::Permanent(format!(
                "SMS gateway answered {status} without the success value"
            )))
        } else {
            Err(http_error(status, "SMS gateway"))
        }
    }
}

impl SmsProvider for HttpGateway {
    fn send<'a>(&'a self, sms: &'a OutgoingSms) -> BoxFuture<'a, Result<SmsReceipt, SmsError>> {
        self.call(sms).boxed()
    }
}
