//! The inventory's pool against a real PostgreSQL cluster: no test query at check-out, yet a
//! dead connection is dropped after the one request that found it.

#![allow(clippy::unwrap_used)] // tests may unwrap

use cornac_test_support::TestDatabase;
use diesel::prelude::*;
use diesel::r2d2::R2D2Connection;
use diesel::sql_types::{Integer, Text};

fn pid(conn: &mut PgConnection) -> i32 {
    diesel::select(diesel::dsl::sql::<Integer>("pg_backend_pid()"))
        .get_result(conn)
        .unwrap()
}

#[test]
fn a_closed_connection_fails_one_request_then_is_dropped() {
    let db = TestDatabase::cloned("empty", |_| {});
    let pool = cornac_inventory::pool(&db.url(), 1);
    let first = pid(&mut pool.get().unwrap());
    assert_eq!(pid(&mut pool.get().unwrap()), first, "the pool reuses it");
    let mut admin = PgConnection::establish(&db.url()).unwrap();
    diesel::sql_query(format!("SELECT pg_terminate_backend({first})"))
        .execute(&mut admin)
        .unwrap();
    let mut dead = pool.get().unwrap();
    assert!(
        dead.ping().is_err(),
        "no test at check-out: the dead connection is handed out once"
    );
    drop(dead);
    let mut fresh = pool.get().unwrap();
    assert_ne!(pid(&mut fresh), first, "the pool dropped the dead one");
}

#[test]
fn a_failed_query_on_a_live_connection_keeps_it() {
    let db = TestDatabase::cloned("empty", |_| {});
    let pool = cornac_inventory::pool(&db.url(), 1);
    let first = pid(&mut pool.get().unwrap());
    assert!(diesel::sql_query("SELECT no_such_column")
        .execute(&mut pool.get().unwrap())
        .is_err());
    assert_eq!(pid(&mut pool.get().unwrap()), first);
}

#[test]
fn connections_plan_statements_once() {
    let db = TestDatabase::cloned("empty", |_| {});
    let pool = cornac_inventory::pool(&db.url(), 1);
    let mode: String = diesel::select(diesel::dsl::sql::<Text>(
        "current_setting('plan_cache_mode')",
    ))
    .get_result(&mut pool.get().unwrap())
    .unwrap();
    assert_eq!(mode, "force_generic_plan");
}
