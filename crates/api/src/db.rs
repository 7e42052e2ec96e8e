//! Running diesel work from async handlers.
//!
//! Diesel is synchronous, so database work runs on actix's blocking thread
//! pool. A pool checkout that times out means the database is unreachable or
//! saturated: 503, never 500.

use actix_web::web;
use diesel::{Connection, PgConnection};
use guestcare_db::PgPool;

use crate::error::ApiError;

/// Runs `work` with a pooled connection, outside any transaction.
pub async fn run<T, F>(pool: &PgPool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(|_| ApiError::Unavailable)?;
        work(&mut conn)
    })
    .await
    .map_err(|_| ApiError::Unavailable)?
}

/// Runs `work` in one transaction: committed if it returns `Ok`, rolled back
/// otherwise, so a failed request never leaves a half-written record.
pub async fn transaction<T, F>(pool: &PgPool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    run(pool, move |conn| conn.transaction(work)).await
}
