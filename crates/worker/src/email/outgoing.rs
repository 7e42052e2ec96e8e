//! [`OutgoingEmail`]: one message as guestcare sends it, built into a MIME
//! message with the headers that make retries recognisable (Message-ID from
//! the message id), unsubscribing easy (RFC 8058) and loops impossible
//! (RFC 3834 `Auto-Submitted`, `X-Loop`).

use lettre::{
    Message,
    message::{
        Attachment, Mailbox, MultiPart, SinglePart,
        header::{ContentType, HeaderName, HeaderValue},
    },
};
use uuid::Uuid;

/// Why an e-mail cannot be built; retrying cannot help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("invalid recipient address")]
    InvalidRecipient,
    #[error("invalid sender address")]
    InvalidSender,
    #[error("invalid content type of part {0}")]
    InvalidContentType(String),
    #[error("the message cannot be built: {0}")]
    Message(String),
}

/// A binary part: an inline image (referenced as `cid:{content_id}` in the
/// HTML) or an attachment.
#[derive(Debug, Clone)]
struct Part {
    content_id: Option<String>,
    filename: String,
    content_type: String,
    data: Vec<u8>,
}

/// One e-mail to send. Build with [`OutgoingEmail::new`] and the setters;
/// [`OutgoingEmail::build`] checks everything.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    message_id: Uuid,
    id_domain: String,
    loop_identity: String,
    from: String,
    to: String,
    subject: String,
    text: String,
    html: Option<String>,
    parts: Vec<Part>,
    unsubscribe_url: Option<String>,
    auto_reply: bool,
    in_reply_to: Option<String>,
}

impl OutgoingEmail {
    /// A plain-text e-mail for message `message_id`. Its Message-ID is
    /// `<{message_id}@{id_domain}>`: the same on every retry.
    pub fn new(
        message_id: Uuid,
        id_domain: &str,
        from: &str,
        to: &str,
        subject: &str,
        text: &str,
    ) -> OutgoingEmail {
        OutgoingEmail {
            message_id,
            id_domain: id_domain.to_owned(),
            loop_identity: format!("guestcare@{id_domain}"),
            from: from.to_owned(),
            to: to.to_owned(),
            subject: subject.to_owned(),
            text: text.to_owned(),
            html: None,
            parts: Vec::new(),
            unsubscribe_url: None,
            auto_reply: false,
            in_reply_to: None,
        }
    }

    /// The `X-Loop` value identifying this system (default
    /// `guestcare@{id_domain}`).
    #[must_use]
    pub fn loop_identity(mut self, identity: &str) -> OutgoingEmail {
        identity.clone_into(&mut self.loop_identity);
        self
    }

    /// An HTML alternative to the text.
    #[must_use]
    pub fn html(mut self, html: &str) -> OutgoingEmail {
        self.html = Some(html.to_owned());
        self
    }

    /// An image the HTML shows as `<img src="cid:{content_id}">`.
    #[must_use]
    pub fn inline_image(
        mut self,
        content_id: &str,
        filename: &str,
        content_type: &str,
        data: Vec<u8>,
    ) -> OutgoingEmail {
        self.parts.push(Part {
            content_id: Some(content_id.to_owned()),
            filename: filename.to_owned(),
            content_type: content_type.to_owned(),
            data,
        });
        self
    }

    #[must_use]
    pub fn attachment(
        mut self,
        filename: &str,
        content_type: &str,
        data: Vec<u8>,
    ) -> OutgoingEmail {
        self.parts.push(Part {
            content_id: None,
            filename: filename.to_owned(),
            content_type: content_type.to_owned(),
            data,
        });
        self
    }

    /// Marks the e-mail as marketing: `List-Unsubscribe: <{url}>` and
    /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
    #[must_use]
    pub fn marketing(mut self, unsubscribe_url: &str) -> OutgoingEmail {
        self.unsubscribe_url = Some(unsubscribe_url.to_owned());
        self
    }

    /// Marks the e-mail as an automatic reply (`Auto-Submitted: auto-replied`).
    #[must_use]
    pub fn auto_reply(mut self) -> OutgoingEmail {
        self.auto_reply = true;
        self
    }

    /// Answers the e-mail with Message-ID `message_id` (`<…>`):
    /// `In-Reply-To` and `References` name it, so mail programs thread the
    /// answer under the guest's message.
    #[must_use]
    pub fn in_reply_to(mut self, message_id: &str) -> OutgoingEmail {
        self.in_reply_to = Some(message_id.to_owned());
        self
    }

    /// The recipient, checked as guestcare checks addresses.
    pub fn recipient(&self) -> Result<Mailbox, BuildError> {
        let email: guestcare_domain::Email =
            self.to.parse().map_err(|_| BuildError::InvalidRecipient)?;
        email
            .as_str()
            .parse::<Mailbox>()
            .map_err(|_| BuildError::InvalidRecipient)
    }

    /// The MIME message: multipart/mixed (attachments) around
    /// multipart/alternative (text, HTML) whose HTML sits in
    /// multipart/related with its inline images.
    pub fn build(self) -> Result<Message, BuildError> {
        let to = self.recipient()?;
        let from: Mailbox = self.from.parse().map_err(|_| BuildError::InvalidSender)?;
        let mut builder = Message::builder()
            .from(from)
            .to(to)
            .subject(self.subject.as_str())
            .message_id(Some(format!("<{}@{}>", self.message_id, self.id_domain)))
            .raw_header(raw("X-Loop", &self.loop_identity));
        if let Some(url) = &self.unsubscribe_url {
            builder = builder
                .raw_header(raw("List-Unsubscribe", &format!("<{url}>")))
                .raw_header(raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
        }
        if self.auto_reply {
            builder = builder.raw_header(raw("Auto-Submitted", "auto-replied"));
        }
        if let Some(id) = self.in_reply_to {
            builder = builder.in_reply_to(id.clone()).references(id);
        }
        let (inline, attachments): (Vec<Part>, Vec<Part>) =
            self.parts.into_iter().partition(|p| p.content_id.is_some());
        let text = SinglePart::plain(self.text);
        let body = match self.html {
            None => MultiPart::mixed().singlepart(text),
            Some(html) => {
                let html = SinglePart::html(html);
                let alternative = MultiPart::alternative().singlepart(text);
                let alternative = if inline.is_empty() {
                    alternative.singlepart(html)
                } else {
                    let mut related = MultiPart::related().singlepart(html);
                    for part in inline {
                        related = related.singlepart(binary(part)?);
                    }
                    alternative.multipart(related)
                };
                MultiPart::mixed().multipart(alternative)
            }
        };
        let mut body = body;
        for part in attachments {
            body = body.singlepart(binary(part)?);
        }
        builder
            .multipart(body)
            .map_err(|e| BuildError::Message(e.to_string()))
    }
}

fn raw(name: &'static str, value: &str) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_owned())
}

fn binary(part: Part) -> Result<SinglePart, BuildError> {
    let content_type = ContentType::parse(&part.content_type)
        .map_err(|_| BuildError::InvalidContentType(part.filename.clone()))?;
    Ok(match part.content_id {
        Some(cid) => Attachment::new_inline_with_name(cid, part.filename),
        None => Attachment::new(part.filename),
    }
    .body(part.data, content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> OutgoingEmail {
        OutgoingEmail::new(
            Uuid::nil(),
            "resort.example.com",
            "Resort <care@resort.example.com>",
            "lan@example.com",
            "Chào mừng quý khách",
            "Xin chào",
        )
    }

    #[test]
    fn headers_follow_the_message_and_its_category() {
        let text = String::from_utf8(
            email()
                .marketing("https://resort.example.com/u/abc")
                .auto_reply()
                .build()
                .unwrap()
                .formatted(),
        )
        .unwrap();
        assert!(
            text.contains("Message-ID: <00000000-0000-0000-0000-000000000000@resort.example.com>")
        );
        assert!(text.contains("List-Unsubscribe: <https://resort.example.com/u/abc>"));
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(text.contains("Auto-Submitted: auto-replied"));
        assert!(text.contains("X-Loop: guestcare@resort.example.com"));
        let plain = String::from_utf8(email().build().unwrap().formatted()).unwrap();
        assert!(!plain.contains("List-Unsubscribe"));
        assert!(!plain.contains("Auto-Submitted"));
        assert!(!plain.contains("In-Reply-To"));
    }

    #[test]
    fn answers_carry_threading_headers() {
        let text = String::from_utf8(
            email()
                .in_reply_to("<guest-1@mail.example.net>")
                .build()
                .unwrap()
                .formatted(),
        )
        .unwrap();
        assert!(text.contains("In-Reply-To: <guest-1@mail.example.net>"));
        assert!(text.contains("References: <guest-1@mail.example.net>"));
    }

    #[test]
    fn html_with_images_and_attachments_nests_parts() {
        let text = String::from_utf8(
            email()
                .html("<p><img src=\"cid:logo\"></p>")
                .inline_image("logo", "logo.png", "image/png", vec![137, 80, 78, 71])
                .attachment("menu.pdf", "application/pdf", b"%PDF-1.4".to_vec())
                .build()
                .unwrap()
                .formatted(),
        )
        .unwrap();
        let mixed = text.find("multipart/mixed").unwrap();
        let alternative = text.find("multipart/alternative").unwrap();
        let related = text.find("multipart/related").unwrap();
        assert!(mixed < alternative && alternative < related);
        assert!(text.contains("Content-ID: <logo>"));
        assert!(text.contains("filename=\"menu.pdf\""));
    }

    #[test]
    fn invalid_addresses_are_refused_before_sending() {
        let bad = OutgoingEmail::new(
            Uuid::nil(),
            "h.example",
            "a@b.example",
            "not an address",
            "s",
            "t",
        );
        assert_eq!(bad.build().unwrap_err(), BuildError::InvalidRecipient);
        let bad = OutgoingEmail::new(
            Uuid::nil(),
            "h.example",
            "nobody",
            "lan@example.com",
            "s",
            "t",
        );
        assert_eq!(bad.build().unwrap_err(), BuildError::InvalidSender);
    }
}
