//! Every migration applies to an empty database and its `down.sql` really
//! reverses it.

use diesel::{RunQueryDsl, sql_types::BigInt};
use guestcare_db::migrations;
use guestcare_tests::TestDb;

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn user_objects(conn: &mut diesel::PgConnection) -> i64 {
    let count: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relname <> '__diesel_schema_migrations' \
         AND c.relname NOT LIKE '__diesel_schema_migrations%'",
    )
    .get_result(conn)
    .unwrap();
    let types: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')",
    )
    .get_result(conn)
    .unwrap();
    let functions: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname = 'public' AND p.proname NOT LIKE 'diesel_%'",
    )
    .get_result(conn)
    .unwrap();
    count.n + types.n + functions.n
}

#[test]
fn migrations_apply_revert_and_reapply_cleanly() {
    let db = TestDb::empty();
    let mut conn = db.connect();
    let applied = migrations::run_pending(&mut conn).unwrap();
    assert!(!applied.is_empty());
    assert_eq!(migrations::pending_count(&mut conn).unwrap(), 0);
    assert!(user_objects(&mut conn) > 0);

    let reverted = migrations::revert_all(&mut conn).unwrap();
    assert_eq!(reverted.len(), applied.len());
    assert_eq!(
        user_objects(&mut conn),
        0,
        "down.sql files left objects behind"
    );

    let reapplied = migrations::run_pending(&mut conn).unwrap();
    assert_eq!(reapplied, applied);
}
