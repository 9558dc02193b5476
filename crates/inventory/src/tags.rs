//! Tags of DB instances (`AddTagsToResource`, `RemoveTagsFromResource`, `ListTagsForResource`).

use crate::schema::db_instance_tags;
use crate::Result;
use diesel::prelude::*;
use diesel::upsert::excluded;
use std::collections::HashMap;

/// The tags of an instance, by key.
pub fn list(conn: &mut PgConnection, instance_id: i64) -> Result<Vec<(String, String)>> {
    Ok(db_instance_tags::table
        .filter(db_instance_tags::db_instance_id.eq(instance_id))
        .order(db_instance_tags::key.asc())
        .select((db_instance_tags::key, db_instance_tags::value))
        .load(conn)?)
}

/// Add or overwrite tags.
pub fn put(conn: &mut PgConnection, instance_id: i64, tags: &[(String, String)]) -> Result<()> {
    let rows: Vec<_> = tags
        .iter()
        .map(|(k, v)| {
            (
                db_instance_tags::db_instance_id.eq(instance_id),
                db_instance_tags::key.eq(k),
                db_instance_tags::value.eq(v),
            )
        })
        .collect();
    diesel::insert_into(db_instance_tags::table)
        .values(rows)
        .on_conflict((db_instance_tags::db_instance_id, db_instance_tags::key))
        .do_update()
        .set(db_instance_tags::value.eq(excluded(db_instance_tags::value)))
        .execute(conn)?;
    Ok(())
}

/// Remove tags by key; absent keys are ignored, as RDS does.
pub fn remove(conn: &mut PgConnection, instance_id: i64, keys: &[String]) -> Result<()> {
    diesel::delete(
        db_instance_tags::table
            .filter(db_instance_tags::db_instance_id.eq(instance_id))
            .filter(db_instance_tags::key.eq_any(keys)),
    )
    .execute(conn)?;
    Ok(())
}

/// How many tags an instance would have after adding `keys`.
pub fn count_with(conn: &mut PgConnection, instance_id: i64, keys: &[String]) -> Result<usize> {
    let mut existing: Vec<String> = db_instance_tags::table
        .filter(db_instance_tags::db_instance_id.eq(instance_id))
        .select(db_instance_tags::key)
        .load(conn)?;
    existing.extend(keys.iter().cloned());
    existing.sort();
    existing.dedup();
    Ok(existing.len())
}

/// The tags of several instances at once, by instance id.
pub fn for_instances(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<(String, String)>>> {
    let rows: Vec<(i64, String, String)> = db_instance_tags::table
        .filter(db_instance_tags::db_instance_id.eq_any(ids))
        .order((db_instance_tags::db_instance_id, db_instance_tags::key))
        .select((
            db_instance_tags::db_instance_id,
            db_instance_tags::key,
            db_instance_tags::value,
        ))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (id, key, value) in rows {
        out.entry(id).or_default().push((key, value));
    }
    Ok(out)
}
