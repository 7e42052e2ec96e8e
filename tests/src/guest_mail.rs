//! Guests' mail as it really arrives: encoded words, legacy charsets,
//! quoted-printable and base64, HTML with attachments, and the automated
//! mail a care mailbox also receives.

use base64::{Engine, engine::general_purpose::STANDARD};

fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Vietnamese in UTF-8: RFC 2047 encoded words and a base64 body.
pub fn vietnamese_utf8(id: &str) -> Vec<u8> {
    format!(
        "From: =?UTF-8?B?{name}?= <lan.nguyen@example.com>\r\nTo: gopy@sunrise.example.com\r\n\
         Subject: =?UTF-8?B?{subject}?=\r\nMessage-ID: <{id}@mail.example.com>\r\n\
         Date: Thu, 03 Dec 2026 09:00:00 +0700\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n",
        name = b64("Nguyễn Thị Lan".as_bytes()),
        subject = b64("Phòng 204 bị dột nước".as_bytes()),
        body = b64("Chào khách sạn, trần phòng 204 bị dột nước từ tối qua.".as_bytes()),
    )
    .into_bytes()
}

/// Vietnamese in windows-1258 (combining tone marks), quoted-printable.
pub fn vietnamese_legacy(id: &str) -> Vec<u8> {
    // "Phòng tốt" — o + U+0300 (0xCC); ô (0xF4) + U+0301 (0xEC).
    format!(
        "From: Tran Van Binh <binh.tran@example.vn>\r\nTo: gopy@sunrise.example.com\r\n\
         Subject: =?windows-1258?Q?Ph=6F=CCng_t=F4=ECt?=\r\nMessage-ID: <{id}@example.vn>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-1258\r\n\
         Content-Transfer-Encoding: quoted-printable\r\n\r\nPho=CCng t=F4=ECt, nh=E2n vi=EAn th=E2n thi=EA=F2n.\r\n"
    )
    .into_bytes()
}

/// Traditional Chinese in Big5, base64.
pub fn chinese_big5(id: &str) -> Vec<u8> {
    // 房間很乾淨 in Big5.
    let body: &[u8] = &[0xA9, 0xD0, 0xB6, 0xA1, 0xAB, 0xDC, 0xB0, 0xAE, 0xB2, 0x62];
    format!(
        "From: =?Big5?B?{name}?= <mei.chen@example.tw>\r\nTo: gopy@sunrise.example.com\r\n\
         Subject: =?Big5?B?{subject}?=\r\nMessage-ID: <{id}@example.tw>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n",
        name = b64(&[0xB3, 0xAF, 0xAC, 0xFC, 0xAC, 0x79]),
        subject = b64(&[0xA9, 0xD0, 0xB6, 0xA1]),
        body = b64(body),
    )
    .into_bytes()
}

/// HTML (with a script that must not survive) and a PDF attachment.
pub fn html_with_attachment(id: &str) -> Vec<u8> {
    format!(
        "From: John Smith <john.smith@example.org>\r\nTo: gopy@sunrise.example.com\r\n\
         Subject: Invoice question\r\nMessage-ID: <{id}@example.org>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"MIX\"\r\n\r\n\
         --MIX\r\nContent-Type: multipart/alternative; boundary=\"ALT\"\r\n\r\n\
         --ALT\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease check the attached invoice.\r\n\
         --ALT\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
         <p onclick=\"x()\">Please check the <b>attached</b> invoice.<script>alert(1)</script></p>\r\n\
         --ALT--\r\n\
         --MIX\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"invoice.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n--MIX--\r\n",
        pdf = b64(b"%PDF-1.4 invoice 2026-12-01"),
    )
    .into_bytes()
}

/// Not a message at all: binary noise without a header.
pub fn malformed() -> Vec<u8> {
    let mut raw = b"\x00\x01garbage without any header\r\n\r\n".to_vec();
    raw.extend((0..512u32).map(|i| (i * 7 % 251) as u8));
    raw
}

/// An out-of-office answer.
pub fn auto_reply(id: &str) -> Vec<u8> {
    format!(
        "From: Lan Nguyen <lan.nguyen@example.com>\r\nTo: gopy@sunrise.example.com\r\n\
         Subject: Out of office\r\nMessage-ID: <{id}@mail.example.com>\r\nAuto-Submitted: auto-replied\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nI am away until Monday.\r\n"
    )
    .into_bytes()
}

/// A hard bounce (RFC 3464) of our message `<{original}>`.
pub fn bounce(id: &str, original: &str, recipient: &str) -> Vec<u8> {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\nTo: care@sunrise.example.com\r\n\
         Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <{id}@mx.example.net>\r\n\
         Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n\
         --R\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver your message.\r\n\
         --R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n\
         Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n\
         --R\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: care@sunrise.example.com\r\n\
         To: {recipient}\r\nMessage-ID: <{original}>\r\n\r\n--R--\r\n"
    )
    .into_bytes()
}

/// A guest's reply to our message `<{in_reply_to}>`.
pub fn reply(id: &str, from: &str, in_reply_to: &str, subject: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: gopy@sunrise.example.com\r\nSubject: {subject}\r\n\
         Message-ID: <{id}@mail.example.com>\r\nIn-Reply-To: <{in_reply_to}>\r\n\
         References: <{in_reply_to}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Cảm ơn, tôi chờ tin.\r\n"
    )
    .into_bytes()
}

/// A plain guest message from `from` (for volume and kill tests).
pub fn plain(id: &str, from: &str, n: usize) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: gopy@sunrise.example.com\r\nSubject: =?UTF-8?Q?G=C3=B3p_=C3=BD_{n}?=\r\n\
         Message-ID: <{id}@mail.example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\nGóp ý số {n}: bữa sáng rất ngon, nhưng nước hồ bơi hơi lạnh.\r\n"
    )
    .into_bytes()
}
