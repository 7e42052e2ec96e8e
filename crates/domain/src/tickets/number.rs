//! Ticket numbers: per tenant, shown `T-{n}`, carried in e-mail subjects as
//! the token `[#T-{n}]` so that a guest's reply finds its ticket even when
//! their mail program drops `In-Reply-To`.

use std::fmt;

/// A ticket's number within its tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TicketNumber(pub i64);

impl TicketNumber {
    /// The subject token, `[#T-{n}]`.
    pub fn token(self) -> String {
        format!("[#{self}]")
    }

    /// `subject` with the token appended unless it already carries it.
    pub fn tag_subject(self, subject: &str) -> String {
        if number_in_subject(subject) == Some(self) {
            subject.to_owned()
        } else if subject.trim().is_empty() {
            self.token()
        } else {
            format!("{} {}", subject.trim_end(), self.token())
        }
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T-{}", self.0)
    }
}

/// The number of the first `[#T-{n}]` token in `subject` (case-insensitive
/// `t`, up to 18 digits), if any.
pub fn number_in_subject(subject: &str) -> Option<TicketNumber> {
    let mut rest = subject;
    while let Some(at) = rest.find("[#") {
        rest = &rest[at + 2..];
        let Some(tail) = rest
            .strip_prefix(['T', 't'])
            .and_then(|r| r.strip_prefix('-'))
        else {
            continue;
        };
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        if (1..=18).contains(&digits) && tail[digits..].starts_with(']') {
            return tail[..digits].parse().ok().map(TicketNumber);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_found_in_replies_and_added_once() {
        let n = TicketNumber(1234);
        assert_eq!(n.to_string(), "T-1234");
        assert_eq!(n.token(), "[#T-1234]");
        assert_eq!(number_in_subject("Re: Phòng ồn [#T-1234]"), Some(n));
        assert_eq!(number_in_subject("AW: [#t-7] noise"), Some(TicketNumber(7)));
        assert_eq!(number_in_subject("[#T-] [#T-12a] [#X-1] #T-5"), None);
        assert_eq!(number_in_subject("[# [#T-9]"), Some(TicketNumber(9)));
        assert_eq!(n.tag_subject("Noise"), "Noise [#T-1234]");
        assert_eq!(n.tag_subject("Re: Noise [#T-1234]"), "Re: Noise [#T-1234]");
        assert_eq!(n.tag_subject(""), "[#T-1234]");
    }
}
