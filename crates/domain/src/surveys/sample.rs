//! The seeded random sample of a segment: the same seed over the same
//! guests picks the same guests, on any machine and in any order given.

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// `size` of `ids`, chosen by ranking each id by SHA-256(seed ‖ id) and
/// keeping the lowest ranks; returned in id order. A guest's rank depends
/// only on the seed and its own id, so guests joining or leaving the
/// segment move the sample by at most those guests.
pub fn sample(ids: &[Uuid], seed: u64, size: usize) -> Vec<Uuid> {
    let mut ranked: Vec<([u8; 32], Uuid)> = ids
        .iter()
        .map(|id| {
            let mut hash = Sha256::new();
            hash.update(seed.to_be_bytes());
            hash.update(id.as_bytes());
            (hash.finalize().into(), *id)
        })
        .collect();
    ranked.sort_unstable();
    let mut picked: Vec<Uuid> = ranked.into_iter().take(size).map(|(_, id)| id).collect();
    picked.sort_unstable();
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_guests_whatever_the_order() {
        let ids: Vec<Uuid> = (0..100u128).map(Uuid::from_u128).collect();
        let first = sample(&ids, 42, 10);
        let mut reversed = ids.clone();
        reversed.reverse();
        assert_eq!(sample(&reversed, 42, 10), first);
        assert_eq!(first.len(), 10);
        assert_ne!(sample(&ids, 43, 10), first);
        assert_eq!(sample(&ids, 42, 1000).len(), 100);
    }
}
