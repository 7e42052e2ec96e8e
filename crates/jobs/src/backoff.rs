//! Retry delays: capped exponential backoff with full jitter.

use std::time::Duration;

use rand::Rng;

/// The base delay, doubled per attempt.
pub const BASE: Duration = Duration::from_secs(2);
/// No retry waits longer than this.
pub const CAP: Duration = Duration::from_secs(3600);

/// The ceiling of the delay before retrying after failed attempt `attempt`
/// (1-based): `BASE * 2^(attempt-1)`, at most [`CAP`].
pub fn ceiling(attempt: i32) -> Duration {
    let exponent = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    BASE.saturating_mul(1 << exponent).min(CAP)
}

/// A random delay in `[ceiling/2, ceiling]`: jitter spreads retries of jobs
/// that failed together (an SMTP outage) while keeping a floor.
pub fn delay(attempt: i32) -> Duration {
    let ceiling = ceiling(attempt);
    let half = ceiling / 2;
    let spread = u64::try_from((ceiling - half).as_millis()).unwrap_or(u64::MAX);
    half + Duration::from_millis(rand::rng().random_range(0..=spread))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_then_caps() {
        assert_eq!(ceiling(1), Duration::from_secs(2));
        assert_eq!(ceiling(2), Duration::from_secs(4));
        assert_eq!(ceiling(5), Duration::from_secs(32));
        assert_eq!(ceiling(30), CAP);
        assert_eq!(ceiling(0), BASE);
    }

    #[test]
    fn delay_stays_within_half_and_full_ceiling() {
        for attempt in 1..15 {
            for _ in 0..50 {
                let d = delay(attempt);
                assert!(
                    d >= ceiling(attempt) / 2 && d <= ceiling(attempt),
                    "{attempt}: {d:?}"
                );
            }
        }
    }
}
