//! Failed logins, counted to slow down password guessing.

use chrono::{TimeDelta, Utc};
use diesel::prelude::*;

use crate::schema::login_failures;

/// Recent failures for one account and one client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureCounts {
    pub account: i64,
    pub client_ip: i64,
}

/// Records a failed login. `account` is a digest of tenant and e-mail.
pub fn record_login_failure(
    conn: &mut PgConnection,
    account: &[u8],
    client_ip: &str,
) -> QueryResult<()> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::account.eq(account),
            login_failures::client_ip.eq(client_ip),
        ))
        .execute(conn)
        .map(drop)
}

/// Failures in the last `window_secs` seconds.
pub fn count_login_failures(
    conn: &mut PgConnection,
    account: &[u8],
    client_ip: &str,
    window_secs: i32,
) -> QueryResult<FailureCounts> {
    let since = Utc::now() - TimeDelta::seconds(i64::from(window_secs));
    let recent = login_failures::table.filter(login_failures::failed_at.gt(since));
    let by_account = recent
        .filter(login_failures::account.eq(account))
        .count()
        .get_result(conn)?;
    let by_ip = recent
        .filter(login_failures::client_ip.eq(client_ip))
        .count()
        .get_result(conn)?;
    Ok(FailureCounts {
        account: by_account,
        client_ip: by_ip,
    })
}

/// Forgets an account's failures after a successful login.
pub fn clear_login_failures(conn: &mut PgConnection, account: &[u8]) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::account.eq(account))).execute(conn)
}
