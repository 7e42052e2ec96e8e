//! Tenants' SMS provider settings (the non-secret part, stored as JSON) and
//! the body templates of generic HTTP gateways.
//!
//! A gateway template names the values it needs as `{to}`, `{text}` and
//! `{reference}` (the message id, so a retried send is recognisable). In a
//! form or query template each value is percent-encoded; in a JSON template
//! it is JSON-escaped, so the template puts it inside quotes:
//! `{"phone": "{to}", "sms": "{text}", "requestId": "{reference}"}`.

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// A Twilio-compatible REST API: `POST {base_url}/2010-04-01/Accounts/
/// {account_sid}/Messages.json` with a form body, HTTP basic auth with the
/// account SID and the (secret) auth token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwilioConfig {
    /// Default `https://api.twilio.com`.
    #[serde(default = "twilio_base")]
    pub base_url: String,
    pub account_sid: String,
    /// The sender number or alphanumeric sender id.
    pub from: String,
}

fn twilio_base() -> String {
    "https://api.twilio.com".to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GatewayMethod {
    Get,
    Post,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyFormat {
    /// `application/x-www-form-urlencoded` (or the query string for GET).
    Form,
    Json,
}

/// A generic HTTP gateway (Vietnamese brandname SMS gateways and the like).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayConfig {
    pub url: String,
    pub method: GatewayMethod,
    pub body_format: BodyFormat,
    /// With `{to}`, `{text}`, `{reference}` placeholders.
    pub body_template: String,
    /// The header that carries the (secret) credential, e.g.
    /// `Authorization`; the value is stored sealed.
    #[serde(default)]
    pub auth_header: Option<String>,
    /// The status code of an accepted message (default 200).
    #[serde(default = "ok_status")]
    pub success_status: u16,
    /// A JSON pointer into the answer that must equal `success_value`
    /// (e.g. `/CodeResult` = `"100"`).
    #[serde(default)]
    pub success_pointer: Option<String>,
    #[serde(default)]
    pub success_value: Option<serde_json::Value>,
    /// A JSON pointer to the gateway's id for the message.
    #[serde(default)]
    pub id_pointer: Option<String>,
}

fn ok_status() -> u16 {
    200
}

impl GatewayConfig {
    /// Checks what can be checked without sending.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !(self.url.starts_with("http://") || self.url.starts_with("https://")) {
            errors
                .push(FieldError::new("invalid_url", "Use an http:// or https:// URL.").at("url"));
        }
        if !self.body_template.contains("{to}") || !self.body_template.contains("{text}") {
            errors.push(
                FieldError::new(
                    "invalid_template",
                    "The template must contain {to} and {text}.",
                )
                .at("body_template"),
            );
        }
        if !(100..600).contains(&self.success_status) {
            errors.push(
                FieldError::new("out_of_range", "Use an HTTP status code.").at("success_status"),
            );
        }
        for (field, pointer) in [
            ("success_pointer", &self.success_pointer),
            ("id_pointer", &self.id_pointer),
        ] {
            if pointer.as_deref().is_some_and(|p| !p.starts_with('/')) {
                errors.push(
                    FieldError::new("invalid_pointer", "A JSON pointer starts with /.").at(field),
                );
            }
        }
        if self.success_pointer.is_some() != self.success_value.is_some() {
            errors.push(
                FieldError::new(
                    "incomplete_rule",
                    "Give both success_pointer and success_value, or neither.",
                )
                .at("success_value"),
            );
        }
        errors
    }

    /// The request body (or query string for GET) for one message.
    pub fn render(&self, to: &str, text: &str, reference: &str) -> String {
        let escape = |value: &str| match self.body_format {
            BodyFormat::Form => form_escape(value),
            BodyFormat::Json => {
                let quoted = serde_json::Value::from(value).to_string();
                quoted[1..quoted.len() - 1].to_owned()
            }
        };
        self.body_template
            .replace("{to}", &escape(to))
            .replace("{text}", &escape(text))
            .replace("{reference}", &escape(reference))
    }

    /// Whether the gateway accepted the message, by the success rule.
    pub fn accepted(&self, status: u16, body: Option<&serde_json::Value>) -> bool {
        status == self.success_status
            && match (&self.success_pointer, &self.success_value) {
                (Some(pointer), Some(expected)) => {
                    body.and_then(|b| b.pointer(pointer)) == Some(expected)
                }
                _ => true,
            }
    }

    /// The gateway's id for the message, if the answer carries one.
    pub fn provider_id(&self, body: Option<&serde_json::Value>) -> Option<String> {
        let value = body?.pointer(self.id_pointer.as_deref()?)?;
        Some(match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }
}

/// Percent-encoding for `application/x-www-form-urlencoded` values.
fn form_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gateway(format: BodyFormat, template: &str) -> GatewayConfig {
        GatewayConfig {
            url: "https://sms.example.vn/send".to_owned(),
            method: GatewayMethod::Post,
            body_format: format,
            body_template: template.to_owned(),
            auth_header: None,
            success_status: 200,
            success_pointer: Some("/CodeResult".to_owned()),
            success_value: Some(serde_json::json!("100")),
            id_pointer: Some("/SMSID".to_owned()),
        }
    }

    #[test]
    fn json_templates_escape_values() {
        let g = gateway(
            BodyFormat::Json,
            r#"{"Phone": "{to}", "Content": "{text}", "RequestId": "{reference}"}"#,
        );
        let body = g.render("+84912345678", "Chào \"Lan\"\nhẹn gặp lại", "m-1");
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["Content"], "Chào \"Lan\"\nhẹn gặp lại");
        assert_eq!(parsed["RequestId"], "m-1");
    }

    #[test]
    fn form_templates_percent_encode_values() {
        let g = gateway(BodyFormat::Form, "to={to}&msg={text}&ref={reference}");
        assert_eq!(
            g.render("+84912345678", "Xin chào & cảm ơn", "m-1"),
            "to=%2B84912345678&msg=Xin+ch%C3%A0o+%26+c%E1%BA%A3m+%C6%A1n&ref=m-1"
        );
    }

    #[test]
    fn success_rule_and_provider_id() {
        let g = gateway(BodyFormat::Json, "{to}{text}");
        let ok = serde_json::json!({"CodeResult": "100", "SMSID": 42});
        let refused = serde_json::json!({"CodeResult": "99"});
        assert!(g.accepted(200, Some(&ok)));
        assert!(!g.accepted(200, Some(&refused)));
        assert!(!g.accepted(201, Some(&ok)));
        assert!(!g.accepted(200, None));
        assert_eq!(g.provider_id(Some(&ok)).as_deref(), Some("42"));
        assert!(g.validate().is_empty());
        let mut bad = g.clone();
        bad.url = "ftp://x".to_owned();
        bad.body_template = "{text}".to_owned();
        bad.success_value = None;
        let fields: Vec<String> = bad.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["url", "body_template", "success_value"]);
    }
}
