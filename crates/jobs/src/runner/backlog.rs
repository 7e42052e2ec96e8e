//! Jobs a runner has claimed ahead of free slots, waiting to start.

use std::{
    collections::VecDeque,
    time::{Duration, Instant},
};

use crate::{ClaimedJob, Lease};

/// Claimed jobs in claim order (priority, then due time). A job held
/// longer than half its lease is not started: its lease could run out
/// mid-run and the reaper hand it to another worker, so it is given back.
#[derive(Debug)]
pub(super) struct Backlog {
    jobs: VecDeque<(ClaimedJob, Instant)>,
    /// How long a job may wait here.
    max_hold: Duration,
}

impl Backlog {
    pub fn new(lease: Duration) -> Backlog {
        Backlog {
            jobs: VecDeque::new(),
            max_hold: lease / 2,
        }
    }

    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn extend(&mut self, jobs: Vec<ClaimedJob>) {
        let now = Instant::now();
        self.jobs.extend(jobs.into_iter().map(|job| (job, now)));
    }

    /// The next job still safe to start; leases of jobs held too long are
    /// added to `expired`.
    pub fn next(&mut self, expired: &mut Vec<Lease>) -> Option<ClaimedJob> {
        while let Some((job, held_since)) = self.jobs.pop_front() {
            if held_since.elapsed() <= self.max_hold {
                return Some(job);
            }
            expired.push(job.lease());
        }
        None
    }

    /// Empties the backlog; the leases to give back.
    pub fn drain(&mut self) -> Vec<Lease> {
        self.jobs.drain(..).map(|(job, _)| job.lease()).collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use uuid::Uuid;

    use super::*;

    fn job(attempts: i32) -> ClaimedJob {
        ClaimedJob {
            id: Uuid::new_v4(),
            tenant_id: None,
            queue: "q".to_owned(),
            kind: "k".to_owned(),
            payload: serde_json::Value::Null,
            attempts,
            max_attempts: 3,
            locked_by: "w".to_owned(),
            created_at: Utc::now(),
            run_at: Utc::now(),
            priority: 0,
        }
    }

    #[test]
    fn jobs_start_in_claim_order() {
        let mut backlog = Backlog::new(Duration::from_secs(60));
        let (a, b) = (job(1), job(2));
        backlog.extend(vec![a.clone(), b.clone()]);
        let mut expired = Vec::new();
        assert_eq!(backlog.next(&mut expired).map(|j| j.id), Some(a.id));
        assert_eq!(backlog.next(&mut expired).map(|j| j.id), Some(b.id));
        assert!(backlog.next(&mut expired).is_none());
        assert!(expired.is_empty());
    }

    #[test]
    fn a_job_held_past_half_its_lease_is_given_back() {
        let mut backlog = Backlog::new(Duration::from_millis(20));
        let held = job(1);
        backlog.extend(vec![held.clone()]);
        std::thread::sleep(Duration::from_millis(15));
        let mut expired = Vec::new();
        assert!(backlog.next(&mut expired).is_none());
        assert_eq!(expired, vec![held.lease()]);
    }

    #[test]
    fn draining_returns_every_lease() {
        let mut backlog = Backlog::new(Duration::from_secs(60));
        backlog.extend(vec![job(1), job(1), job(2)]);
        assert_eq!(backlog.drain().len(), 3);
        assert_eq!(backlog.len(), 0);
    }
}
