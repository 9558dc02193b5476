//! Tags of DB instances and DB snapshots (`AddTagsToResource`, `RemoveTagsFromResource`,
//! `ListTagsForResource`, and the `TagList` of each shape). Each kind has its own table; every
//! query below is written once, for both.

use crate::Result;
use diesel::prelude::*;
use diesel::upsert::excluded;
use std::collections::HashMap;

/// Which kind of resource tags belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Instance,
    Snapshot,
}

/// The resource tags belong to: its kind and its row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub kind: Kind,
    pub id: i64,
}

impl Owner {
    pub fn instance(id: i64) -> Self {
        Self {
            kind: Kind::Instance,
            id,
        }
    }

    pub fn snapshot(id: i64) -> Self {
        Self {
            kind: Kind::Snapshot,
            id,
        }
    }
}

/// Run `$body` with `$t` the tag table of `$kind` and `$owner` its owner column.
macro_rules! on_table {
    ($kind:expr, $t:ident, $owner:ident, $body:expr) => {
        match $kind {
            Kind::Instance => {
                use crate::schema::db_instance_tags as $t;
                let $owner = $t::db_instance_id;
                $body
            }
            Kind::Snapshot => {
                use crate::schema::db_snapshot_tags as $t;
                let $owner = $t::db_snapshot_id;
                $body
            }
        }
    };
}

/// The tags of a resource, by key.
pub fn list(conn: &mut PgConnection, owner: Owner) -> Result<Vec<(String, String)>> {
    Ok(on_table!(
        owner.kind,
        t,
        of,
        t::table
            .filter(of.eq(owner.id))
            .order(t::key.asc())
            .select((t::key, t::value))
            .load(conn)?
    ))
}

/// Add or overwrite tags.
pub fn put(conn: &mut PgConnection, owner: Owner, tags: &[(String, String)]) -> Result<()> {
    if tags.is_empty() {
        return Ok(());
    }
    on_table!(owner.kind, t, of, {
        let rows: Vec<_> = tags
            .iter()
            .map(|(k, v)| (of.eq(owner.id), t::key.eq(k), t::value.eq(v)))
            .collect();
        diesel::insert_into(t::table)
            .values(rows)
            .on_conflict((of, t::key))
            .do_update()
            .set(t::value.eq(excluded(t::value)))
            .execute(conn)?
    });
    Ok(())
}

/// Remove tags by key; absent keys are ignored, as RDS does.
pub fn remove(conn: &mut PgConnection, owner: Owner, keys: &[String]) -> Result<()> {
    on_table!(
        owner.kind,
        t,
        of,
        diesel::delete(t::table.filter(of.eq(owner.id)).filter(t::key.eq_any(keys)))
            .execute(conn)?
    );
    Ok(())
}

/// How many tags a resource would have after adding `keys`.
pub fn count_with(conn: &mut PgConnection, owner: Owner, keys: &[String]) -> Result<usize> {
    let mut existing: Vec<String> = on_table!(
        owner.kind,
        t,
        of,
        t::table.filter(of.eq(owner.id)).select(t::key).load(conn)?
    );
    existing.extend(keys.iter().cloned());
    existing.sort();
    existing.dedup();
    Ok(existing.len())
}

/// The tags of several resources of one kind at once, by row id.
pub fn for_many(
    conn: &mut PgConnection,
    kind: Kind,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<(String, String)>>> {
    let rows: Vec<(i64, String, String)> = on_table!(
        kind,
        t,
        of,
        t::table
            .filter(of.eq_any(ids))
            .order((of, t::key))
            .select((of, t::key, t::value))
            .load(conn)?
    );
    let mut out: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (id, key, value) in rows {
        out.entry(id).or_default().push((key, value));
    }
    Ok(out)
}
