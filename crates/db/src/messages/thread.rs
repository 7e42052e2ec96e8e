//! [`Thread`]: how a message to a guest answers what they wrote, for
//! [`send_threaded`](super::send_threaded).

/// How a message answers an earlier e-mail of the guest.
#[derive(Debug, Clone, Default)]
pub struct Thread {
    /// The guest's Message-ID (`<…>`) the e-mail answers: kept in
    /// `messages.in_reply_to`, sent as `In-Reply-To` and `References`.
    pub in_reply_to: Option<String>,
    /// A token the subject must carry (e.g. `[#T-1234]`), appended when the
    /// rendered subject lacks it.
    pub subject_token: Option<String>,
    /// An automatic answer (category `auto_reply`, `Auto-Submitted:
    /// auto-replied`) rather than a person's.
    pub auto_reply: bool,
}

impl Thread {
    /// `subject` carrying the token.
    pub(super) fn subject(&self, subject: String) -> String {
        match &self.subject_token {
            Some(token) if !subject.contains(token.as_str()) => {
                format!("{} {token}", subject.trim_end())
                    .trim_start()
                    .to_owned()
            }
            _ => subject,
        }
    }
}
