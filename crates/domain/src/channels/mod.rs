//! Rules of outbound channels that both the API and the worker need: message
//! vocabulary, suppression digests, quiet hours, the marketing cap, webhook events and their
//! Standard Webhooks signatures, and which network addresses webhooks may
//! never reach.

pub mod cap;
pub mod events;
pub mod net_guard;
pub mod quiet_hours;
pub mod signature;
pub mod sms_config;

use sha2::{Digest, Sha256};

/// Sealing purposes (`guestcare_domain::sealed::Sealer`) of channel secrets.
pub mod purposes {
    /// A tenant's SMTP password; context: the tenant id.
    pub const SMTP_PASSWORD: &str = "smtp-password";
    /// A tenant's SMS auth token or gateway credential; context: the tenant id.
    pub const SMS_SECRET: &str = "sms-secret";
    /// A webhook endpoint's `whsec_` secret; context:
    /// `guestcare_db::webhooks::secret_context`.
    pub const WEBHOOK_SECRET: &str = "webhook-secret";
    /// An IMAP mailbox's password; context: tenant id ‖ mailbox id.
    pub const IMAP_PASSWORD: &str = "imap-password";
}

/// How a message reaches its recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// Why a message matters to the guest, which decides its headers:
/// marketing carries `List-Unsubscribe`, automatic replies carry
/// `Auto-Submitted: auto-replied`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Service,
    Marketing,
    AutoReply,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Service, Category::Marketing, Category::AutoReply];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Service => "service",
            Category::Marketing => "marketing",
            Category::AutoReply => "auto_reply",
        }
    }

    pub fn parse(text: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// Where a message is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageStatus {
    Queued,
    Sent,
    Failed,
    Suppressed,
    Bounced,
}

impl MessageStatus {
    pub const ALL: [MessageStatus; 5] = [
        MessageStatus::Queued,
        MessageStatus::Sent,
        MessageStatus::Failed,
        MessageStatus::Suppressed,
        MessageStatus::Bounced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Queued => "queued",
            MessageStatus::Sent => "sent",
            MessageStatus::Failed => "failed",
            MessageStatus::Suppressed => "suppressed",
            MessageStatus::Bounced => "bounced",
        }
    }

    pub fn parse(text: &str) -> Option<MessageStatus> {
        MessageStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Why an address must not be written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionReason {
    HardBounce,
    /// Soft bounces reached the tenant's threshold (`inbound.soft_bounce_threshold`).
    SoftBounces,
    Unsubscribe,
    Manual,
}

impl SuppressionReason {
    pub const ALL: [SuppressionReason; 4] = [
        SuppressionReason::HardBounce,
        SuppressionReason::SoftBounces,
        SuppressionReason::Unsubscribe,
        SuppressionReason::Manual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionReason::HardBounce => "hard_bounce",
            SuppressionReason::SoftBounces => "soft_bounces",
            SuppressionReason::Unsubscribe => "unsubscribe",
            SuppressionReason::Manual => "manual",
        }
    }

    pub fn parse(text: &str) -> Option<SuppressionReason> {
        SuppressionReason::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// Why a message to a guest was recorded as `suppressed` instead of queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithheldReason {
    /// A marketing message without the guest's marketing consent on the channel.
    NoConsent,
    /// The address is on the tenant's suppression list.
    SuppressedAddress,
    /// The guest already got the tenant's maximum of marketing messages.
    FrequencyCap,
    /// The guest has no address on the channel (or was erased).
    NoAddress,
}

impl WithheldReason {
    pub fn as_str(self) -> &'static str {
        match self {
            WithheldReason::NoConsent => "no_consent",
            WithheldReason::SuppressedAddress => "suppressed_address",
            WithheldReason::FrequencyCap => "frequency_cap",
            WithheldReason::NoAddress => "no_address",
        }
    }
}

/// Whether `number` is an E.164 phone number (`+` and 8–15 digits, no
/// leading zero): what SMS providers accept.
pub fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len())
            && !digits.starts_with('0')
            && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// SHA-256 of the canonical address (trimmed, lower-cased; for SMS only the
/// digits and a leading `+`): how suppressions are looked up without keeping
/// the address.
pub fn address_digest(channel: Channel, address: &str) -> [u8; 32] {
    let canonical: String = match channel {
        Channel::Email => address.trim().to_lowercase(),
        Channel::Sms => address
            .trim()
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect(),
    };
    let mut hasher = Sha256::new();
    hasher.update(channel.as_str().as_bytes());
    hasher.update([0]);
    hasher.update(canonical.as_bytes());
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_ignore_case_and_formatting_but_not_channel() {
        assert_eq!(
            address_digest(Channel::Email, " Lan@Example.COM "),
            address_digest(Channel::Email, "lan@example.com")
        );
        assert_eq!(
            address_digest(Channel::Sms, "+84 912 345 678"),
            address_digest(Channel::Sms, "+84912345678")
        );
        assert_ne!(
            address_digest(Channel::Sms, "+84912345678"),
            address_digest(Channel::Email, "+84912345678")
        );
    }

    #[test]
    fn e164_numbers() {
        assert!(is_e164("+84912345678"));
        assert!(!is_e164("0912345678"));
        assert!(!is_e164("+84 912 345 678"));
        assert!(!is_e164("+0123456789"));
    }

    #[test]
    fn names_round_trip() {
        for s in MessageStatus::ALL {
            assert_eq!(MessageStatus::parse(s.as_str()), Some(s));
        }
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        assert_eq!(Channel::parse("fax"), None);
    }
}
