//! Care tasks: what the care team owes a guest (a call, a gift, a visit, a
//! follow-up), its status and the outcome of the last contact attempt.

use std::str::FromStr;

use crate::FieldError;

/// Defines a closed string vocabulary: `ALL`, `as_str` and a `FromStr`
/// whose error lists the accepted values.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $code:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = FieldError;

            fn from_str(s: &str) -> Result<Self, FieldError> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| {
                        let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        FieldError::new($code, format!("Use one of: {}.", names.join(", ")))
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(
    /// What the task asks of the care team.
    TaskKind, "invalid_kind" {
        Call => "call",
        Gift => "gift",
        Visit => "visit",
        FollowUp => "follow_up",
    }
);

vocabulary!(
    /// `open` until closed: `done`, or `cancelled` when no longer needed.
    TaskStatus, "invalid_status" {
        Open => "open",
        Done => "done",
        Cancelled => "cancelled",
    }
);

vocabulary!(
    /// What came of a contact attempt.
    Outcome, "invalid_outcome" {
        Reached => "reached",
        NoAnswer => "no_answer",
        CallBack => "call_back",
        WrongNumber => "wrong_number",
    }
);

impl Outcome {
    /// The status a task takes after this outcome: reaching the guest, or
    /// learning the number is wrong, finishes the task; no answer or a
    /// call-back leaves it open.
    pub fn resulting_status(self) -> TaskStatus {
        match self {
            Outcome::Reached | Outcome::WrongNumber => TaskStatus::Done,
            Outcome::NoAnswer | Outcome::CallBack => TaskStatus::Open,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip_and_name_the_choices() {
        for kind in TaskKind::ALL {
            assert_eq!(kind.as_str().parse::<TaskKind>().unwrap(), *kind);
        }
        let error = "phone".parse::<TaskKind>().unwrap_err();
        assert_eq!(error.code, "invalid_kind");
        assert!(error.message.contains("follow_up"));
        assert_eq!("call_back".parse::<Outcome>().unwrap(), Outcome::CallBack);
    }

    #[test]
    fn only_reaching_or_a_wrong_number_finishes_a_task() {
        assert_eq!(Outcome::Reached.resulting_status(), TaskStatus::Done);
        assert_eq!(Outcome::WrongNumber.resulting_status(), TaskStatus::Done);
        assert_eq!(Outcome::NoAnswer.resulting_status(), TaskStatus::Open);
        assert_eq!(Outcome::CallBack.resulting_status(), TaskStatus::Open);
    }
}
