//! What the pgcluster backup tests share: a source instance with data of every kind, where its
//! dumps are, and small queries.

#![allow(clippy::unwrap_used)] // tests may unwrap

use super::shared::Shared;
use super::{connect, spec};
use cornac_domain::{BackupKey, InstanceSpec, Provider, ResourceId, RestorePoint, RestoreSource};
use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::RunQueryDsl;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub fn run(conn: &mut PgConnection, statement: &str) {
    diesel::sql_query(statement).execute(conn).unwrap();
}

pub fn text(conn: &mut PgConnection, expression: &str) -> String {
    diesel::select(diesel::dsl::sql::<Text>(expression))
        .get_result(conn)
        .unwrap()
}

pub fn count(conn: &mut PgConnection, expression: &str) -> i64 {
    diesel::select(diesel::dsl::sql::<BigInt>(expression))
        .get_result(conn)
        .unwrap()
}

/// The directory of `instance`'s dumps.
pub fn dumps_of(s: &Shared, instance: &ResourceId) -> PathBuf {
    s.state
        .path()
        .join("backups/pgcluster")
        .join(instance.slug())
}

pub fn from(instance: &InstanceSpec, key: &BackupKey) -> RestoreSource {
    RestoreSource {
        instance: instance.resource_id.clone(),
        point: RestorePoint::Backup(key.clone()),
    }
}

/// The rows of `items` in order, as `1,2,3`.
pub fn rows(conn: &mut PgConnection) -> String {
    text(
        conn,
        "(SELECT coalesce(string_agg(n::text, ',' ORDER BY n), '') FROM items)",
    )
}

/// An instance `alice`/`shop` with rows 1 to 3 in a table with a sequence, an index, a view, a
/// comment and a grant, a schema of its own with a type and a function, and a trusted
/// extension, and a large object (4242).
pub fn source(s: &Shared) -> InstanceSpec {
    let a = spec("alice", "alice-pw-1", Some("shop"));
    s.provider.create(&a).unwrap();
    let mut conn = connect(s.port, "alice", "alice-pw-1", "shop").unwrap();
    for statement in [
        "CREATE TABLE items (id serial PRIMARY KEY, n int NOT NULL UNIQUE)",
        "CREATE VIEW big AS SELECT n FROM items WHERE n > 1",
        "COMMENT ON TABLE items IS 'the first rows'",
        "GRANT SELECT ON items TO PUBLIC",
        "INSERT INTO items (n) VALUES (1), (2), (3)",
        "CREATE SCHEMA app",
        "CREATE TABLE app.notes AS SELECT 'kept' AS note",
        "CREATE TYPE app.mood AS ENUM ('ok', 'fine')",
        "CREATE FUNCTION app.twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2'",
        "CREATE EXTENSION pgcrypto",
        "SELECT lo_from_bytea(4242, 'a large object')",
    ] {
        run(&mut conn, statement);
    }
    a
}

/// The restorable window of `instance` once its latest time is past `written`, read every
/// `pause` for up to `patience`.
pub fn window_past(
    provider: &dyn Provider,
    instance: &ResourceId,
    written: chrono::DateTime<chrono::Utc>,
    patience: Duration,
    pause: Duration,
) -> cornac_domain::RestorableWindow {
    let deadline = Instant::now() + patience;
    loop {
        let window = provider.restorable_window(instance).unwrap().unwrap();
        if window.latest > written {
            return window;
        }
        assert!(
            Instant::now() < deadline,
            "the window stays behind {written}: {window:?}"
        );
        std::thread::sleep(pause);
    }
}
