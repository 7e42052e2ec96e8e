use super::*;

const LIMITS: Limits = Limits {
    max_attachment_bytes: 64,
    max_parts: 20,
};

fn parsed(raw: &[u8]) -> Parsed {
    parse(raw, LIMITS).expect("parses")
}

#[test]
fn utf8_vietnamese_in_encoded_words_and_quoted_printable() {
    let raw = "From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBBbg==?= <an@gmail.com>\r\n\
        Subject: =?UTF-8?Q?Ph=C3=B2ng_204_b=E1=BB=8B_d=E1=BB=99t?=\r\n\
        Message-ID: <m1@gmail.com>\r\n\
        In-Reply-To: <x@mail.resort.vn>\r\n\
        References: <w@gmail.com> <x@mail.resort.vn>\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\
        Content-Transfer-Encoding: quoted-printable\r\n\r\n\
        C=E1=BA=A3m =C6=A1n kh=C3=A1ch s=E1=BA=A1n\r\n";
    let m = parsed(raw.as_bytes());
    assert_eq!(m.from_name.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(m.from_address, "an@gmail.com");
    assert_eq!(m.subject.as_deref(), Some("Phòng 204 bị dột"));
    assert_eq!(m.message_id.as_deref(), Some("m1@gmail.com"));
    assert_eq!(m.in_reply_to, vec!["x@mail.resort.vn"]);
    assert_eq!(m.references, vec!["w@gmail.com", "x@mail.resort.vn"]);
    assert!(m.text.starts_with("Cảm ơn khách sạn"));
    assert!(m.bounce.is_none());
}

#[test]
fn windows_1258_vietnamese_is_nfc() {
    // "Phòng tốt" in windows-1258: ò is 'o' + combining grave (0xCC), ố is ô (0xF4) + acute (0xEC).
    let mut raw = b"From: an@gmail.com\r\nSubject: x\r\nContent-Type: text/plain; charset=windows-1258\r\nContent-Transfer-Encoding: 8bit\r\n\r\nPho\xCCng t\xF4\xECt\r\n".to_vec();
    raw.extend_from_slice(b"");
    let m = parsed(&raw);
    assert_eq!(m.text.trim(), "Phòng tốt");
    assert_eq!(m.text.trim(), crate::text::nfc("Phòng tốt"));
}

#[test]
fn big5_gb2312_and_latin1() {
    // 房間 in Big5: A9D0 B6A1; 房间 in GB2312: B7BF BCE4; "café" in ISO-8859-1.
    let big5 = b"From: a@b.tw\r\nContent-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: base64\r\n\r\nqdC2oQ==\r\n";
    assert_eq!(parsed(big5).text.trim(), "房間");
    let gb = b"From: a@b.cn\r\nSubject: =?GB2312?B?t7+85A==?=\r\nContent-Type: text/plain; charset=gb2312\r\n\r\n\xB7\xBF\xBC\xE4\r\n";
    let m = parsed(gb);
    assert_eq!(m.subject.as_deref(), Some("房间"));
    assert_eq!(m.text.trim(), "房间");
    let latin = b"From: a@b.fr\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\ncaf\xE9\r\n";
    assert_eq!(parsed(latin).text.trim(), "café");
}

#[test]
fn html_is_sanitised_and_attachments_bounded() {
    let raw = "From: a@b.com\r\n\
        Content-Type: multipart/mixed; boundary=XX\r\n\r\n\
        --XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
        <p onclick=\"steal()\">Hi<script>alert(1)</script><a href=\"javascript:x()\">l</a><img src=x onerror=y></p>\r\n\
        --XX\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"small.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
        --XX\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"big.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        .to_owned()
        + &"QUFB".repeat(40)
        + "\r\n--XX--\r\n";
    let m = parsed(raw.as_bytes());
    let html = m.html.expect("html body");
    assert!(html.contains("Hi"));
    for bad in ["script", "onclick", "javascript:", "onerror"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert!(m.text.contains("Hi"));
    assert_eq!(m.attachments.len(), 2);
    assert_eq!(m.attachments[0].filename, "small.png");
    assert_eq!(m.attachments[0].content_type, "image/png");
    assert!(m.attachments[0].data.is_some());
    assert_eq!(m.attachments[1].size, 120);
    assert!(m.attachments[1].data.is_none());
}

#[test]
fn unreadable_messages_are_quarantined() {
    assert_eq!(parse(b"", LIMITS).err(), Some(Quarantine::Unparseable));
    assert_eq!(
        parse(b"Subject: no sender\r\n\r\nbody", LIMITS).err(),
        Some(Quarantine::NoSender)
    );
    assert_eq!(
        parse(b"From: not an address\r\n\r\nbody", LIMITS).err(),
        Some(Quarantine::NoSender)
    );
    let mut many = "From: a@b.com\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n".to_owned();
    for _ in 0..30 {
        many.push_str("--B\r\nContent-Type: text/plain\r\n\r\nx\r\n");
    }
    many.push_str("--B--\r\n");
    assert_eq!(
        parse(many.as_bytes(), LIMITS).err(),
        Some(Quarantine::TooManyParts)
    );
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    assert!(parse(&binary, LIMITS).is_err());
}

#[test]
fn delivery_status_notifications_are_read() {
    let raw = "From: MAILER-DAEMON@mx.example\r\n\
        Subject: Undelivered Mail Returned to Sender\r\n\
        Auto-Submitted: auto-replied\r\n\
        Content-Type: multipart/report; report-type=delivery-status; boundary=R\r\n\r\n\
        --R\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you...\r\n\
        --R\r\nContent-Type: message/delivery-status\r\n\r\n\
        Reporting-MTA: dns; mx.example\r\n\r\n\
        Final-Recipient: rfc822; gone@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n\
        --R\r\nContent-Type: text/rfc822-headers\r\n\r\n\
        From: care@resort.vn\r\nMessage-ID: <0193a1b2-0000-7000-8000-000000000001@mail.resort.vn>\r\n\r\n\
        --R--\r\n";
    let bounce = parsed(raw.as_bytes()).bounce.expect("a bounce");
    assert_eq!(bounce.recipient.as_deref(), Some("gone@example.com"));
    assert_eq!(bounce.status.as_deref(), Some("5.1.1"));
    assert!(bounce.is_hard());
    assert_eq!(
        bounce.original_message_id.as_deref(),
        Some("0193a1b2-0000-7000-8000-000000000001@mail.resort.vn")
    );
    let delayed = raw
        .replace("Action: failed", "Action: delayed")
        .replace("5.1.1", "4.4.1");
    let report = parsed(delayed.as_bytes()).bounce.expect("still a report");
    assert!(!report.is_hard() && !report.is_soft());
    let soft = raw.replace("5.1.1", "4.2.2");
    assert!(parsed(soft.as_bytes()).bounce.expect("a bounce").is_soft());
}
