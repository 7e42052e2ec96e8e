//! Percentages that add up, and rating averages.
//!
//! Rounding: shares are given in tenths of a percent by the largest
//! remainder method (Hamilton): every count gets the floor of its exact
//! share, then the tenths still missing go to the largest remainders (ties
//! to the earlier option). So the shares of a question whose answers are
//! exclusive (single choice, ratings) add up to exactly 100.0 whenever it
//! has an answer, and no share is off by a full tenth from its exact value.

/// Each count's share of `total` in tenths of a percent (`1000` = 100.0 %),
/// adding up to exactly 1000 when the counts add up to `total` > 0; all
/// zero when `total` is 0. Counts that overlap (multiple choice) may add
/// up to more: each is then its own share, rounded to the nearest tenth.
pub fn shares_in_tenths(counts: &[u64], total: u64) -> Vec<u64> {
    if total == 0 {
        return vec![0; counts.len()];
    }
    let exact: Vec<(u64, u64)> = counts
        .iter()
        .map(|&c| ((c * 1000) / total, (c * 1000) % total))
        .collect();
    if counts.iter().sum::<u64>() != total {
        return exact
            .iter()
            .map(|&(q, r)| q + u64::from(2 * r >= total))
            .collect();
    }
    let mut shares: Vec<u64> = exact.iter().map(|&(q, _)| q).collect();
    let missing = 1000 - shares.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
    for &i in order.iter().take(usize::try_from(missing).unwrap_or(0)) {
        shares[i] += 1;
    }
    shares
}

/// A share in tenths as a percentage (`425` → `42.5`).
pub fn percent(tenths: u64) -> f64 {
    // Tenths of a percent stay far below 2^52, so the conversion is exact.
    tenths as f64 / 10.0
}

/// The mean of a rating distribution (`distribution[i]` answers of rating
/// `i + 1`), rounded to two decimals; `None` without answers.
pub fn rating_average(distribution: &[u64]) -> Option<f64> {
    let count: u64 = distribution.iter().sum();
    if count == 0 {
        return None;
    }
    let sum: u64 = distribution
        .iter()
        .zip(1u64..)
        .map(|(&n, rating)| n * rating)
        .sum();
    // Counts and sums of ratings stay far below 2^52.
    let mean = sum as f64 / count as f64;
    Some((mean * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirds_add_up_to_one_hundred() {
        assert_eq!(shares_in_tenths(&[1, 1, 1], 3), vec![334, 333, 333]);
        assert_eq!(shares_in_tenths(&[2, 1, 0, 4], 7), vec![286, 143, 0, 571]);
        for total in 1..60u64 {
            let counts = [total / 3, total / 7, total - total / 3 - total / 7];
            assert_eq!(shares_in_tenths(&counts, total).iter().sum::<u64>(), 1000);
        }
        assert_eq!(shares_in_tenths(&[0, 0], 0), vec![0, 0]);
    }

    #[test]
    fn overlapping_counts_round_each_share() {
        assert_eq!(shares_in_tenths(&[2, 2, 1], 3), vec![667, 667, 333]);
    }

    #[test]
    fn averages_round_to_two_decimals() {
        assert_eq!(rating_average(&[0, 0, 1, 1, 1]), Some(4.0));
        assert_eq!(rating_average(&[1, 0, 0, 0, 2]), Some(3.67));
        assert_eq!(rating_average(&[0; 5]), None);
    }
}
