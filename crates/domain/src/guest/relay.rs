//! Relay addresses of booking platforms: masked e-mails that forward to the
//! guest and change with each booking. They are kept as contact points but
//! never used to recognise a guest.

use crate::Email;

/// Domains (and their sub-domains) that booking platforms relay through.
const RELAY_DOMAINS: [&str; 7] = [
    "guest.booking.com",
    "m.expediapartnercentral.com",
    "guest.airbnb.com",
    "reply.airbnb.com",
    "agoda-messaging.com",
    "messaging.agoda.com",
    "guest.trip.com",
];

/// Whether `email` is a booking platform's relay address.
pub fn is_relay_email(email: &Email) -> bool {
    let domain = email.domain();
    RELAY_DOMAINS.iter().any(|relay| {
        domain == *relay
            || domain
                .strip_suffix(relay)
                .is_some_and(|head| head.ends_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relay(s: &str) -> bool {
        is_relay_email(&s.parse().unwrap())
    }

    #[test]
    fn recognises_platform_relays() {
        assert!(relay("lnguyen.123456@guest.booking.com"));
        assert!(relay("abc123@m.expediapartnercentral.com"));
        assert!(relay("x@guest.airbnb.com"));
        assert!(relay("x@agoda-messaging.com"));
        assert!(relay("x@eu.guest.booking.com"));
    }

    #[test]
    fn ordinary_addresses_are_not_relays() {
        assert!(!relay("lan@booking.com"));
        assert!(!relay("lan@gmail.com"));
        assert!(!relay("lan@notguest.booking.com"));
    }
}
