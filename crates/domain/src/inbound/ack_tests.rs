use chrono::{TimeDelta, TimeZone, Utc};

use super::*;
use crate::inbound::parse::{Limits, parse};

const LIMITS: Limits = Limits {
    max_attachment_bytes: 1024,
    max_parts: 50,
};

fn message(extra_headers: &str, from: &str) -> Parsed {
    let raw = format!(
        "From: {from}\r\nTo: care@resort.vn\r\nSubject: Phòng\r\nMessage-ID: <a1@mail.gmail.com>\r\n{extra_headers}\r\nXin chào\r\n"
    );
    parse(raw.as_bytes(), LIMITS).expect("parses")
}

fn identity() -> Identity {
    Identity {
        loop_ids: vec!["guestcare@mail.resort.vn".to_owned()],
        id_domains: vec!["mail.resort.vn".to_owned()],
        own_addresses: vec!["care@resort.vn".to_owned()],
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0)
        .single()
        .expect("a time")
}

fn verdict(headers: &str, from: &str) -> Result<(), NoAck> {
    decide(
        &message(headers, from),
        &identity(),
        None,
        now(),
        TimeDelta::hours(24),
    )
}

#[test]
fn a_guest_message_is_acknowledged() {
    assert_eq!(verdict("", "an@gmail.com"), Ok(()));
    assert_eq!(verdict("Auto-Submitted: no\r\n", "an@gmail.com"), Ok(()));
    assert_eq!(
        verdict("Precedence: first-class\r\n", "an@gmail.com"),
        Ok(())
    );
}

#[test]
fn automated_messages_are_never_acknowledged() {
    let guest = "an@gmail.com";
    for (headers, why) in [
        ("Auto-Submitted: auto-replied\r\n", NoAck::AutoSubmitted),
        (
            "Auto-Submitted: auto-generated; owner-email=x@y\r\n",
            NoAck::AutoSubmitted,
        ),
        (
            "X-Auto-Response-Suppress: All\r\n",
            NoAck::AutoResponseSuppress,
        ),
        ("Precedence: bulk\r\n", NoAck::Precedence),
        ("Precedence: List\r\n", NoAck::Precedence),
        ("Precedence: junk\r\n", NoAck::Precedence),
        ("X-Loop: guestcare@mail.resort.vn\r\n", NoAck::OurLoop),
        (
            "List-Id: Guests <guests.lists.example>\r\n",
            NoAck::MailingList,
        ),
    ] {
        assert_eq!(verdict(headers, guest), Err(why), "{headers}");
    }
    assert_eq!(verdict("X-Loop: helpdesk@other.example\r\n", guest), Ok(()));
}

#[test]
fn automated_and_own_senders_are_never_acknowledged() {
    for from in [
        "MAILER-DAEMON@mx.gmail.com",
        "postmaster@resort.vn",
        "no-reply@booking.example",
        "noreply+x@agoda.example",
        "owner-guests@lists.example",
        "guests-request@lists.example",
    ] {
        assert_eq!(verdict("", from), Err(NoAck::AutomatedSender), "{from}");
    }
    assert_eq!(verdict("", "Care <CARE@resort.vn>"), Err(NoAck::OwnMessage));
    let ours = message("", "an@gmail.com");
    let ours = Parsed {
        message_id: Some(format!("{}@mail.resort.vn", uuid::Uuid::now_v7())),
        ..ours
    };
    assert_eq!(
        decide(&ours, &identity(), None, now(), TimeDelta::hours(24)),
        Err(NoAck::OwnMessage)
    );
}

#[test]
fn one_acknowledgement_per_sender_per_window() {
    let m = message("", "an@gmail.com");
    let window = TimeDelta::hours(24);
    let recent = now() - TimeDelta::hours(23);
    let old = now() - TimeDelta::hours(25);
    assert_eq!(
        decide(&m, &identity(), Some(recent), now(), window),
        Err(NoAck::RecentlyAcknowledged)
    );
    assert_eq!(decide(&m, &identity(), Some(old), now(), window), Ok(()));
}
