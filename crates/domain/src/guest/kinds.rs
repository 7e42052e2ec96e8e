//! Small closed sets of a guest profile: gender, tier, chat applications.

use serde::{Deserialize, Serialize};

use crate::{FieldError, bounded_text};

text_enum! {
    /// A guest's gender, as the guest states it.
    Gender, "invalid_gender", "Gender" {
        Female = "female",
        Male = "male",
        Other = "other",
    }
}

text_enum! {
    /// The care tier staff give a guest (with history).
    Tier, "invalid_tier", "Tier" {
        /// Agent levels 1–4: how much attention the care team gives.
        Level1 = "level_1",
        Level2 = "level_2",
        Level3 = "level_3",
        Level4 = "level_4",
        Loyal = "loyal",
        HighPotential = "high_potential",
        LowValue = "low_value",
        Negative = "negative",
        Vip = "vip",
    }
}

text_enum! {
    /// A chat application a guest can be reached on.
    ChatKind, "invalid_chat_kind", "Chat application" {
        Zalo = "zalo",
        Facebook = "facebook",
        Whatsapp = "whatsapp",
        Wechat = "wechat",
        Line = "line",
        Skype = "skype",
    }
}

/// A guest's account on a chat application (user name, link or number as
/// the guest gave it, NFC, 1–200 characters).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
pub struct ChatHandle {
    pub kind: ChatKind,
    pub handle: String,
}

impl ChatHandle {
    /// Validates a handle; errors carry the field (`kind` or `handle`).
    pub fn parse(kind: &str, handle: &str) -> Result<ChatHandle, FieldError> {
        let kind = kind.parse::<ChatKind>().map_err(|e| e.at("kind"))?;
        let handle = bounded_text(handle, 1, 200).map_err(|e| e.at("handle"))?;
        Ok(ChatHandle { kind, handle })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for tier in Tier::ALL {
            assert_eq!(tier.as_str().parse::<Tier>(), Ok(*tier));
        }
        assert_eq!("ZALO".parse::<ChatKind>(), Ok(ChatKind::Zalo));
        let error = "telegram".parse::<ChatKind>().unwrap_err();
        assert_eq!(error.code, "invalid_chat_kind");
        assert!(error.message.contains("zalo, facebook"));
    }

    #[test]
    fn handles_need_text() {
        assert_eq!(ChatHandle::parse("line", " ").unwrap_err().field, "handle");
        assert_eq!(ChatHandle::parse("icq", "x").unwrap_err().field, "kind");
    }
}
