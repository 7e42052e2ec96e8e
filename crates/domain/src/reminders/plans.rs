//! Periodic contact plans: which day a guest's contact falls on.
//!
//! A plan of period `every_days` contacts each guest of its segment once per
//! period, on the day whose number (days since 1 January of year 1) modulo
//! the period equals the guest's phase in that plan. Phases come from the
//! ids' random bits, so a plan's guests spread evenly over the period
//! instead of all falling on the day the plan starts, and the whole future
//! is known in advance (the forecast needs no state).

use chrono::{Datelike, NaiveDate};

use crate::Language;

/// The guest's phase in the plan: a day in `0..every_days`.
pub fn phase(plan_id: u128, guest_id: u128, every_days: u32) -> u32 {
    let every = u128::from(every_days.max(1));
    // UUIDv7's last 62 bits are random; xor keeps them random per plan.
    u32::try_from((plan_id ^ guest_id) % every).unwrap_or(0)
}

/// Whether the guest's contact in the plan falls on `date`.
pub fn is_due(plan_id: u128, guest_id: u128, every_days: u32, date: NaiveDate) -> bool {
    let every = every_days.max(1);
    let day = u32::try_from(date.num_days_from_ce()).unwrap_or(0);
    day % every == phase(plan_id, guest_id, every)
}

/// A plan call task's title, in the staff's language.
pub fn call_title(staff_language: Language, full_name: &str, plan_name: &str) -> String {
    match staff_language {
        Language::Vi => format!("Gọi chăm sóc định kỳ: {full_name} ({plan_name})"),
        Language::En => format!("Periodic care call: {full_name} ({plan_name})"),
        Language::ZhHant => format!("定期關懷來電：{full_name}（{plan_name}）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guest_is_due_exactly_once_per_period() {
        let start: NaiveDate = "2027-01-01".parse().unwrap();
        for (guest, every) in [(0x1234_5678_9abc_u128, 14), (u128::MAX - 5, 30), (7, 1)] {
            let days: Vec<NaiveDate> = start
                .iter_days()
                .take(365)
                .filter(|d| is_due(99, guest, every, *d))
                .collect();
            assert!(
                days.windows(2)
                    .all(|w| (w[1] - w[0]).num_days() == i64::from(every))
            );
            assert_eq!(
                days.len(),
                (365 + every as usize - 1 - days[0].ordinal0() as usize) / every as usize
            );
        }
    }
}
