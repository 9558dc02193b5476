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

fn terminate(url: &str, pids: &[i32]) {
    let mut admin = PgConnection::establish(url).unwrap();
    for pid in pids {
        diesel::sql_query(format!("SELECT pg_terminate_backend({pid})"))
            .execute(&mut admin)
            .unwrap();
    }
}

#[test]
fn a_closed_connection_fails_one_request_then_is_dropped() {
    let db = TestDatabase::cloned("empty", |_| {});
    let pool = cornac_inventory::pool(&db.url(), 1);
    let first = pid(&mut pool.get().unwrap());
    assert_eq!(pid(&mut pool.get().unwrap()), first, "the pool reuses it");
    terminate(&db.url(), &[first]);
    let mut dead = pool.get().unwrap();
    assert!(
        dead.ping().is_err(),
        "no test at check-out: the dead connection is handed out once"
    );
    drop(dead);
    let mut fresh = pool.get().unwrap();
    assert_ne!(pid(&mut fresh), first, "the pool dropped the dead one");
}

/// After a restart every idle connection is dead: the request that finds the first one fails,
/// and the others are tested at their check-out, so the next request works.
#[test]
fn one_failure_has_the_other_idle_connections_tested() {
    let db = TestDatabase::cloned("empty", |_| {});
    let pool = cornac_inventory::pool(&db.url(), 3);
    let held: Vec<_> = (0..3).map(|_| pool.get().unwrap()).collect();
    let mut pids: Vec<i32> = Vec::new();
    for mut conn in held {
        pids.push(pid(&mut conn));
    }
    terminate(&db.url(), &pids);
    let mut dead = pool.get().unwrap();
    assert!(dead.ping().is_err(), "the first request finds a dead one");
    drop(dead);
    for _ in 0..3 {
        let mut conn = pool.get().unwrap();
        conn.ping().expect("every later check-out is alive");
        assert!(!pids.contains(&pid(&mut conn)));
    }
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
