//! The intake record (a profile and maybe a stay, from the front desk, the
//! API or a daily import file) and how a newer profile is folded into a
//! known guest's.

use serde::Serialize;

use super::{GuestProfile, StayDetails, profile::push_unique};
use crate::text::fold;

/// A validated intake: who arrived, and the stay if there is one. Identity
/// resolution (`guestcare_db::guests::resolve_intake`) finds the guest it
/// belongs to or creates one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeRecord {
    pub profile: GuestProfile,
    pub stay: Option<StayDetails>,
}

/// What identity resolution did with an intake record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// No known guest matched: a new one was created.
    Created,
    /// A known guest matched and got new data (fields, contact points or a stay).
    Merged,
    /// A known guest matched and the record held nothing new.
    Unchanged,
}

/// Which side wins when both profiles hold a different value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    /// The incoming (newer) value replaces the current one: intake.
    Incoming,
    /// The current value stays: a manual merge into a chosen guest.
    Current,
}

/// One field changed (or kept against a different value) by [`GuestProfile::absorb`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    #[serde(flatten)]
    pub change: Change,
}

/// How a field changed. Values are shown as stored, except national ID
/// numbers, which are masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Was empty, now set.
    Filled,
    /// A conflict: the incoming value replaced `previous`.
    Replaced { previous: String },
    /// A conflict: the current value was kept and `discarded` dropped.
    Kept { discarded: String },
    /// A list got new items.
    Extended,
}

struct Absorb {
    prefer: Prefer,
    changes: Vec<FieldChange>,
}

impl Absorb {
    fn scalar<T: Clone + PartialEq>(
        &mut self,
        field: &'static str,
        current: &mut Option<T>,
        incoming: &Option<T>,
        show: impl Fn(&T) -> String,
    ) {
        let Some(new) = incoming else { return };
        let change = match current {
            None => Change::Filled,
            Some(old) if old == new => return,
            Some(old) => match self.prefer {
                Prefer::Incoming => Change::Replaced {
                    previous: show(old),
                },
                Prefer::Current => {
                    self.changes.push(FieldChange {
                        field,
                        change: Change::Kept {
                            discarded: show(new),
                        },
                    });
                    return;
                }
            },
        };
        *current = Some(new.clone());
        self.changes.push(FieldChange { field, change });
    }

    fn list<T: Clone + PartialEq>(
        &mut self,
        field: &'static str,
        current: &mut Vec<T>,
        incoming: &[T],
    ) {
        let before = current.len();
        for item in incoming {
            push_unique(current, item.clone());
        }
        if current.len() > before {
            self.changes.push(FieldChange {
                field,
                change: Change::Extended,
            });
        }
    }
}

fn has_marks(name: &str) -> bool {
    fold(name) != name.to_lowercase()
}

impl GuestProfile {
    /// Folds `other` into this profile: empty fields are filled, lists
    /// (phones, relay e-mails, chat handles, tags) are joined, and where
    /// both hold different values `prefer` decides. A name that differs only
    /// by diacritics or case keeps the form with diacritics. Returns every
    /// change; empty when `other` held nothing new.
    pub fn absorb(&mut self, other: &GuestProfile, prefer: Prefer) -> Vec<FieldChange> {
        let mut a = Absorb {
            prefer,
            changes: Vec::new(),
        };
        if self.full_name != other.full_name {
            if fold(&self.full_name) != fold(&other.full_name) {
                let mut name = Some(self.full_name.clone());
                a.scalar(
                    "full_name",
                    &mut name,
                    &Some(other.full_name.clone()),
                    Clone::clone,
                );
                self.full_name = name.unwrap_or_default();
            } else if !has_marks(&self.full_name) && has_marks(&other.full_name) {
                let previous = std::mem::replace(&mut self.full_name, other.full_name.clone());
                a.changes.push(FieldChange {
                    field: "full_name",
                    change: Change::Replaced { previous },
                });
            }
        }
        a.scalar(
            "national_id",
            &mut self.national_id,
            &other.national_id,
            |id| id.masked(),
        );
        a.scalar(
            "birth_date",
            &mut self.birth_date,
            &other.birth_date,
            ToString::to_string,
        );
        a.scalar(
            "gender",
            &mut self.gender,
            &other.gender,
            ToString::to_string,
        );
        a.scalar(
            "hometown",
            &mut self.hometown,
            &other.hometown,
            Clone::clone,
        );
        a.scalar(
            "permanent_address",
            &mut self.permanent_address,
            &other.permanent_address,
            Clone::clone,
        );
        a.scalar(
            "current_address",
            &mut self.current_address,
            &other.current_address,
            Clone::clone,
        );
        a.list("phones", &mut self.phones, &other.phones);
        a.scalar("email", &mut self.email, &other.email, ToString::to_string);
        a.list("relay_emails", &mut self.relay_emails, &other.relay_emails);
        a.list("chat_handles", &mut self.chat_handles, &other.chat_handles);
        a.scalar(
            "occupation",
            &mut self.occupation,
            &other.occupation,
            Clone::clone,
        );
        a.scalar(
            "workplace",
            &mut self.workplace,
            &other.workplace,
            Clone::clone,
        );
        a.scalar(
            "emergency_contact",
            &mut self.emergency_contact,
            &other.emergency_contact,
            |c| {
                [&c.name, &c.relation, &c.phone, &c.address]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
        a.scalar(
            "nationality",
            &mut self.nationality,
            &other.nationality,
            ToString::to_string,
        );
        a.scalar(
            "language",
            &mut self.language,
            &other.language,
            ToString::to_string,
        );
        a.scalar(
            "time_zone",
            &mut self.time_zone,
            &other.time_zone,
            ToString::to_string,
        );
        a.scalar("source", &mut self.source, &other.source, Clone::clone);
        a.scalar("needs", &mut self.needs, &other.needs, Clone::clone);
        a.scalar("notes", &mut self.notes, &other.notes, Clone::clone);
        a.list("tags", &mut self.tags, &other.tags);
        a.changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::ProfileInput;

    fn profile(json: serde_json::Value) -> GuestProfile {
        serde_json::from_value::<ProfileInput>(json)
            .unwrap()
            .parse("VN".parse().unwrap())
            .unwrap()
    }

    #[test]
    fn newer_values_win_and_conflicts_are_reported() {
        let mut current = profile(serde_json::json!({
            "full_name": "Nguyen Van A", "phones": ["0903123456"], "occupation": "Kỹ sư"
        }));
        let newer = profile(serde_json::json!({
            "full_name": "Nguyễn Văn A", "phones": ["+84 90 312 3456", "0912 000 111"],
            "occupation": "Giáo viên", "hometown": "Huế"
        }));
        let changes = current.absorb(&newer, Prefer::Incoming);
        assert_eq!(current.full_name, "Nguyễn Văn A");
        assert_eq!(current.phones.len(), 2);
        assert_eq!(current.occupation.as_deref(), Some("Giáo viên"));
        let fields: Vec<&str> = changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, ["full_name", "hometown", "phones", "occupation"]);
        assert_eq!(
            changes[3].change,
            Change::Replaced {
                previous: "Kỹ sư".into()
            }
        );
        assert!(
            current.absorb(&newer, Prefer::Incoming).is_empty(),
            "nothing new twice"
        );
    }

    #[test]
    fn a_manual_merge_keeps_the_chosen_guests_values() {
        let mut current =
            profile(serde_json::json!({ "full_name": "Trần Thị B", "occupation": "Bác sĩ" }));
        let other = profile(
            serde_json::json!({ "full_name": "Tran B", "occupation": "Y tá", "tags": ["vip"] }),
        );
        let changes = current.absorb(&other, Prefer::Current);
        assert_eq!(current.full_name, "Trần Thị B");
        assert_eq!(current.occupation.as_deref(), Some("Bác sĩ"));
        assert_eq!(current.tags, ["vip"]);
        assert_eq!(
            changes[0].change,
            Change::Kept {
                discarded: "Tran B".into()
            }
        );
    }
}
