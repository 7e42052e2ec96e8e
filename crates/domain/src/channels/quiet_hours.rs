//! Quiet hours: when SMS and calls may reach a guest, in the guest's own
//! time zone.

use chrono::{DateTime, Days, LocalResult, NaiveDate, NaiveTime, TimeZone as _, Utc};
use chrono_tz::Tz;

/// The daily window in which messages may be delivered, in local time.
/// `start == end` means all day; `start > end` wraps past midnight
/// (22:00–06:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowedHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for AllowedHours {
    /// 08:00–21:00.
    fn default() -> Self {
        AllowedHours {
            start: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN),
            end: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

impl AllowedHours {
    /// Whether a local wall-clock time lies inside the window (start
    /// inclusive, end exclusive).
    pub fn contains(self, time: NaiveTime) -> bool {
        match self.start.cmp(&self.end) {
            std::cmp::Ordering::Equal => true,
            std::cmp::Ordering::Less => self.start <= time && time < self.end,
            std::cmp::Ordering::Greater => time >= self.start || time < self.end,
        }
    }
}

/// The first instant of `date` at `time` in `tz`: the earlier of two when the
/// clock goes back, and the first valid time after the gap when it jumps
/// forward (e.g. 02:30 on a spring-forward night becomes 03:00).
fn first_instant(tz: Tz, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let local = date.and_time(time);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => (1..=180).find_map(|minutes| {
            let later = local + chrono::Duration::minutes(minutes);
            match tz.from_local_datetime(&later) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                    Some(t.with_timezone(&Utc))
                }
                LocalResult::None => None,
            }
        }),
    }
}

/// `now` if it lies in the allowed window in `tz`, else the next instant the
/// window opens. Safe across daylight-saving changes: a window start that
/// falls in a skipped hour opens at the first valid instant after it.
pub fn next_allowed(now: DateTime<Utc>, tz: Tz, window: AllowedHours) -> DateTime<Utc> {
    let local = now.with_timezone(&tz);
    if window.contains(local.time()) {
        return now;
    }
    let today = local.date_naive();
    [Some(today), today.checked_add_days(Days::new(1))]
        .into_iter()
        .flatten()
        .filter_map(|date| first_instant(tz, date, window.start))
        .find(|start| *start > now)
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn hours(start: u32, end: u32) -> AllowedHours {
        AllowedHours {
            start: NaiveTime::from_hms_opt(start, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(end, 0, 0).unwrap(),
        }
    }

    #[test]
    fn inside_the_window_is_now() {
        let now = utc("2026-11-24T03:00:00Z"); // 10:00 in Hồ Chí Minh City
        assert_eq!(
            next_allowed(now, chrono_tz::Asia::Ho_Chi_Minh, AllowedHours::default()),
            now
        );
    }

    #[test]
    fn evening_waits_for_next_morning_and_early_morning_for_today() {
        let tz = chrono_tz::Asia::Ho_Chi_Minh;
        // 22:30 local → 08:00 next day local = 01:00Z.
        assert_eq!(
            next_allowed(utc("2026-11-24T15:30:00Z"), tz, AllowedHours::default()),
            utc("2026-11-25T01:00:00Z")
        );
        // 05:00 local → 08:00 the same day.
        assert_eq!(
            next_allowed(utc("2026-11-23T22:00:00Z"), tz, AllowedHours::default()),
            utc("2026-11-24T01:00:00Z")
        );
        // Exactly 21:00 is outside (end exclusive).
        assert_eq!(
            next_allowed(utc("2026-11-24T14:00:00Z"), tz, AllowedHours::default()),
            utc("2026-11-25T01:00:00Z")
        );
    }

    #[test]
    fn the_guests_time_zone_decides() {
        // 03:00Z is 10:00 in Vietnam but 22:00 the day before in New York.
        let now = utc("2026-11-24T03:00:00Z");
        assert_eq!(
            next_allowed(now, chrono_tz::America::New_York, AllowedHours::default()),
            utc("2026-11-24T13:00:00Z")
        );
    }

    #[test]
    fn a_start_in_the_spring_forward_gap_opens_after_it() {
        // Europe/Berlin skips 02:00–03:00 on 2026-03-29.
        let tz = chrono_tz::Europe::Berlin;
        let window = AllowedHours {
            start: NaiveTime::from_hms_opt(2, 30, 0).unwrap(),
            end: NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
        };
        // 23:00 local on the 28th (UTC+1).
        let next = next_allowed(utc("2026-03-28T22:00:00Z"), tz, window);
        assert_eq!(next, utc("2026-03-29T01:00:00Z")); // 03:00 CEST
    }

    #[test]
    fn fall_back_uses_the_first_occurrence_and_wrapping_windows_work() {
        // America/New_York repeats 01:00–02:00 on 2026-11-01.
        let tz = chrono_tz::America::New_York;
        let window = hours(1, 5);
        let next = next_allowed(utc("2026-11-01T03:00:00Z"), tz, window); // 23:00 EDT on Oct 31
        assert_eq!(next, utc("2026-11-01T05:00:00Z")); // 01:00 EDT
        let night = hours(22, 6);
        assert!(night.contains(NaiveTime::from_hms_opt(23, 0, 0).unwrap()));
        assert!(night.contains(NaiveTime::from_hms_opt(5, 59, 0).unwrap()));
        assert!(!night.contains(NaiveTime::from_hms_opt(12, 0, 0).unwrap()));
        assert!(hours(0, 0).contains(NaiveTime::from_hms_opt(3, 0, 0).unwrap()));
    }
}
