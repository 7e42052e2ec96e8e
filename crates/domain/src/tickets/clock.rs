//! Complaint clocks: the first reply and the resolution each have a budget
//! of working time that runs from the clock's start, stands still while the
//! ticket waits for the guest, and is warned about before it runs out.
//! Also the window within which a complaint is accepted. Pure arithmetic on
//! explicit instants: nothing here reads the wall clock.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::ComplaintType;

/// A tenant's complaint rules (defaults: 48 h first reply, 20 days
/// resolution, warnings 12 h before, windows of 90 days for service quality
/// and 30 days for business matters, satisfaction e-mail 72 h after
/// resolution).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub first_reply: Duration,
    pub resolution: Duration,
    pub warn_before: Duration,
    pub service_window_days: i64,
    pub business_window_days: i64,
    pub satisfaction_after: Duration,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            first_reply: Duration::hours(48),
            resolution: Duration::days(20),
            warn_before: Duration::hours(12),
            service_window_days: 90,
            business_window_days: 30,
            satisfaction_after: Duration::hours(72),
        }
    }
}

impl Policy {
    /// Whether a complaint of `kind` about an incident on `incident_on`,
    /// received on `received_on`, is within its window (the incident day
    /// itself counts as day 0; an incident after receipt is not).
    pub fn within_window(
        self,
        kind: ComplaintType,
        incident_on: NaiveDate,
        received_on: NaiveDate,
    ) -> bool {
        let days = match kind {
            ComplaintType::ServiceQuality => self.service_window_days,
            ComplaintType::Business => self.business_window_days,
        };
        let age = (received_on - incident_on).num_days();
        (0..=days).contains(&age)
    }
}

/// One run of a clock: when it started, how long it stood still, and since
/// when it stands still now (waiting for the guest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub started_at: DateTime<Utc>,
    pub paused: Duration,
    pub paused_since: Option<DateTime<Utc>>,
}

/// Where a clock stands against its budget at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// More than the warning margin left.
    Running { due_at: DateTime<Utc> },
    /// Within the warning margin of `due_at`.
    Warning { due_at: DateTime<Utc> },
    /// `due_at` has passed.
    Breached { due_at: DateTime<Utc> },
    /// Waiting for the guest: the budget does not shrink.
    Paused,
}

impl Clock {
    /// A clock started at `at`.
    pub fn start(at: DateTime<Utc>) -> Clock {
        Clock {
            started_at: at,
            paused: Duration::zero(),
            paused_since: None,
        }
    }

    /// The clock standing still from `at` (no change if it already is).
    #[must_use]
    pub fn pause(self, at: DateTime<Utc>) -> Clock {
        Clock {
            paused_since: self.paused_since.or(Some(at)),
            ..self
        }
    }

    /// The clock running again from `at`, the pause added to `paused`.
    #[must_use]
    pub fn resume(self, at: DateTime<Utc>) -> Clock {
        match self.paused_since {
            Some(since) => Clock {
                paused: self.paused + (at - since).max(Duration::zero()),
                paused_since: None,
                ..self
            },
            None => self,
        }
    }

    /// When `budget` runs out if the clock keeps running; `None` while paused.
    pub fn due_at(self, budget: Duration) -> Option<DateTime<Utc>> {
        self.paused_since
            .is_none()
            .then(|| self.started_at + self.paused + budget)
    }

    /// The clock's state at `now` against `budget`, warning `warn_before`.
    pub fn state(self, budget: Duration, warn_before: Duration, now: DateTime<Utc>) -> ClockState {
        match self.due_at(budget) {
            None => ClockState::Paused,
            Some(due_at) if now >= due_at => ClockState::Breached { due_at },
            Some(due_at) if now >= due_at - warn_before => ClockState::Warning { due_at },
            Some(due_at) => ClockState::Running { due_at },
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn a_running_clock_warns_then_breaches() {
        let policy = Policy::default();
        let clock = Clock::start(at(1, 8));
        let state = |now| clock.state(policy.first_reply, policy.warn_before, now);
        assert_eq!(state(at(2, 19)), ClockState::Running { due_at: at(3, 8) });
        assert_eq!(state(at(2, 20)), ClockState::Warning { due_at: at(3, 8) });
        assert_eq!(state(at(3, 8)), ClockState::Breached { due_at: at(3, 8) });
    }

    #[test]
    fn waiting_for_the_guest_stops_the_clock() {
        let budget = Duration::hours(48);
        let clock = Clock::start(at(1, 8)).pause(at(2, 8));
        assert_eq!(
            clock.state(budget, Duration::hours(12), at(20, 0)),
            ClockState::Paused
        );
        assert_eq!(
            clock.pause(at(3, 8)),
            clock,
            "a second pause keeps the first start"
        );
        let resumed = clock.resume(at(5, 8));
        assert_eq!(resumed.paused, Duration::days(3));
        assert_eq!(resumed.due_at(budget), Some(at(6, 8)));
        assert_eq!(resumed.resume(at(9, 8)), resumed);
        let twice = resumed.pause(at(6, 0)).resume(at(6, 10));
        assert_eq!(twice.due_at(budget), Some(at(6, 18)));
    }

    #[test]
    fn windows_depend_on_the_complaint_type() {
        let policy = Policy::default();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let received = day(12, 3);
        assert!(policy.within_window(ComplaintType::ServiceQuality, day(9, 4), received));
        assert!(!policy.within_window(ComplaintType::ServiceQuality, day(9, 3), received));
        assert!(policy.within_window(ComplaintType::Business, day(11, 3), received));
        assert!(!policy.within_window(ComplaintType::Business, day(11, 2), received));
        assert!(policy.within_window(ComplaintType::Business, received, received));
        assert!(!policy.within_window(ComplaintType::Business, day(12, 4), received));
    }
}
