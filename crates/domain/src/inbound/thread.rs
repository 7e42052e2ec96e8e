//! Which ticket a guest's message continues.
//!
//! Two signs, in this order: our own Message-IDs in `In-Reply-To` /
//! `References` (we write `<{message uuid}@{id_domain}>`, so the uuid names
//! the outbound message, and through it the ticket), and a ticket token
//! `[#T-1234]` in the subject (`tickets::number_in_subject`). The guest's
//! own earlier Message-IDs in those headers are looked up among stored
//! inbound messages by the caller.

use uuid::Uuid;

/// The outbound message ids among `ids` (Message-IDs without brackets) whose
/// right-hand side is one of our `id_domains`, newest reference first
/// (`References` lists oldest first; `In-Reply-To` is the newest).
pub fn own_message_ids(ids: &[String], id_domains: &[String]) -> Vec<Uuid> {
    ids.iter()
        .rev()
        .filter_map(|id| {
            let (local, domain) = id.rsplit_once('@')?;
            id_domains
                .iter()
                .any(|d| d.eq_ignore_ascii_case(domain))
                .then(|| Uuid::parse_str(local).ok())
                .flatten()
        })
        .collect()
}

/// Whether `message_id` is one we generated (`{uuid}@{one of id_domains}`).
pub fn is_own_message_id(message_id: &str, id_domains: &[String]) -> bool {
    !own_message_ids(&[message_id.to_owned()], id_domains).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_ids_are_ours_by_domain_newest_first() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let ids = vec![
            format!("{a}@mail.resort.vn"),
            "CAF=abc@mail.gmail.com".to_owned(),
            format!("{b}@MAIL.resort.vn"),
            format!("{a}@elsewhere.example"),
        ];
        let domains = vec!["mail.resort.vn".to_owned()];
        assert_eq!(own_message_ids(&ids, &domains), vec![b, a]);
        assert!(is_own_message_id(&ids[0], &domains));
        assert!(!is_own_message_id(&ids[1], &domains));
    }
}
