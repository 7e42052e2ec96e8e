//! Consent to be contacted: per channel and purpose, given or withdrawn.
//! Marketing sends check the current state; the history says when, how and
//! by whom each change was made.

text_enum! {
    /// How a guest may be contacted.
    ConsentChannel, "invalid_channel", "Channel" {
        Email = "email",
        Sms = "sms",
        Phone = "phone",
        Zalo = "zalo",
    }
}

text_enum! {
    /// Why a guest is contacted: service messages (about a stay) or marketing.
    ConsentPurpose, "invalid_purpose", "Purpose" {
        Service = "service",
        Marketing = "marketing",
    }
}

text_enum! {
    /// The state of one channel × purpose.
    ConsentStatus, "invalid_consent_status", "Status" {
        Granted = "granted",
        Withdrawn = "withdrawn",
    }
}
