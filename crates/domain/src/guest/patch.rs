//! Partial updates of a profile: the stored profile as input, overlaid with
//! the fields a client sent.

use super::{ChatHandleInput, GuestProfile, NationalIdInput, ProfileInput};

fn text(value: &Option<String>) -> Option<String> {
    value.clone()
}

fn shown<T: ToString>(value: &Option<T>) -> Option<String> {
    value.as_ref().map(ToString::to_string)
}

fn all<T: ToString>(items: &[T]) -> Option<Vec<String>> {
    Some(items.iter().map(ToString::to_string).collect())
}

impl From<&GuestProfile> for ProfileInput {
    /// The input that parses back to `profile` (relay addresses aside,
    /// which [`ProfileInput`] cannot carry; [`ProfileInput::overlay`]'s
    /// callers keep them).
    fn from(profile: &GuestProfile) -> Self {
        ProfileInput {
            full_name: Some(profile.full_name.clone()),
            national_id: profile.national_id.as_ref().map(|id| NationalIdInput {
                kind: id.kind.as_str().to_owned(),
                number: id.number().to_owned(),
            }),
            birth_date: shown(&profile.birth_date),
            gender: shown(&profile.gender),
            hometown: text(&profile.hometown),
            permanent_address: text(&profile.permanent_address),
            current_address: text(&profile.current_address),
            phones: all(&profile.phones),
            email: shown(&profile.email),
            chat_handles: Some(
                profile
                    .chat_handles
                    .iter()
                    .map(|h| ChatHandleInput {
                        kind: h.kind.as_str().to_owned(),
                        handle: h.handle.clone(),
                    })
                    .collect(),
            ),
            occupation: text(&profile.occupation),
            workplace: text(&profile.workplace),
            emergency_contact: profile.emergency_contact.clone(),
            nationality: shown(&profile.nationality),
            language: shown(&profile.language),
            time_zone: shown(&profile.time_zone),
            source: text(&profile.source),
            needs: text(&profile.needs),
            notes: text(&profile.notes),
            tags: Some(profile.tags.clone()),
        }
    }
}

impl ProfileInput {
    /// This input with every field `patch` holds replaced (absent or `null`
    /// fields stay; a blank text clears a field, an empty list a list).
    #[must_use]
    pub fn overlay(self, patch: ProfileInput) -> ProfileInput {
        ProfileInput {
            full_name: patch.full_name.or(self.full_name),
            national_id: patch.national_id.or(self.national_id),
            birth_date: patch.birth_date.or(self.birth_date),
            gender: patch.gender.or(self.gender),
            hometown: patch.hometown.or(self.hometown),
            permanent_address: patch.permanent_address.or(self.permanent_address),
            current_address: patch.current_address.or(self.current_address),
            phones: patch.phones.or(self.phones),
            email: patch.email.or(self.email),
            chat_handles: patch.chat_handles.or(self.chat_handles),
            occupation: patch.occupation.or(self.occupation),
            workplace: patch.workplace.or(self.workplace),
            emergency_contact: patch.emergency_contact.or(self.emergency_contact),
            nationality: patch.nationality.or(self.nationality),
            language: patch.language.or(self.language),
            time_zone: patch.time_zone.or(self.time_zone),
            source: patch.source.or(self.source),
            needs: patch.needs.or(self.needs),
            notes: patch.notes.or(self.notes),
            tags: patch.tags.or(self.tags),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_profile_round_trips_and_patches_replace_fields() {
        let vn = "VN".parse().unwrap();
        let input: ProfileInput = serde_json::from_value(serde_json::json!({
            "full_name": "Nguyễn Văn A",
            "national_id": { "type": "cccd", "number": "079123456789" },
            "birth_date": "12/03/1990",
            "phones": ["0903 123 456"],
            "chat_handles": [{ "kind": "zalo", "handle": "0903123456" }],
            "nationality": "VN",
            "tags": ["golf"]
        }))
        .unwrap();
        let profile = input.parse(vn).unwrap();
        assert_eq!(ProfileInput::from(&profile).parse(vn).unwrap(), profile);
        let patch = ProfileInput {
            occupation: Some("Kỹ sư".into()),
            tags: Some(Vec::new()),
            nationality: Some(String::new()),
            ..ProfileInput::default()
        };
        let patched = ProfileInput::from(&profile)
            .overlay(patch)
            .parse(vn)
            .unwrap();
        assert_eq!(patched.occupation.as_deref(), Some("Kỹ sư"));
        assert!(patched.tags.is_empty());
        assert_eq!(patched.nationality, None);
        assert_eq!(patched.phones, profile.phones);
    }
}
