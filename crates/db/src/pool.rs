//! The r2d2 connection pool.

use std::time::Duration;

use diesel::{
    PgConnection,
    r2d2::{ConnectionManager, Pool, PooledConnection},
};

pub type PgPool = Pool<ConnectionManager<PgConnection>>;
pub type PooledConn = PooledConnection<ConnectionManager<PgConnection>>;

/// Builds a pool of `size` connections to `url`. Connections are opened
/// lazily, so this succeeds even while the database is down; callers see
/// the outage as a checkout timeout after `checkout_timeout`.
pub fn build_pool(url: &str, size: u32, checkout_timeout: Duration) -> PgPool {
    Pool::builder()
        .max_size(size)
        .min_idle(Some(0))
        .connection_timeout(checkout_timeout)
        .test_on_check_out(false)
        .build_unchecked(ConnectionManager::new(url))
}
