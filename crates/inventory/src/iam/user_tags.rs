//! Tags of IAM users (`TagUser`, `UntagUser`, `ListUserTags`, a new user's `Tags`). IAM's tag
//! keys are case-insensitive: a key given again in another case replaces the tag, and takes
//! the case it was given in this time.

use super::lower;
use crate::schema::iam_user_tags;
use crate::Result;
use diesel::prelude::*;

/// The tags of the user `user`, by key (its bytes, as a page's marker compares them).
pub fn list(conn: &mut PgConnection, user: i64) -> Result<Vec<(String, String)>> {
    let mut tags: Vec<(String, String)> = iam_user_tags::table
        .filter(iam_user_tags::user_id.eq(user))
        .select((iam_user_tags::key, iam_user_tags::value))
        .load(conn)?;
    tags.sort();
    Ok(tags)
}

/// How many tags the user would have with `keys` added (whatever their case).
pub fn count_with(conn: &mut PgConnection, user: i64, keys: &[String]) -> Result<usize> {
    let kept: i64 = iam_user_tags::table
        .filter(iam_user_tags::user_id.eq(user))
        .filter(diesel::dsl::not(
            lower(iam_user_tags::key).eq_any(lowered(keys)),
        ))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(kept).unwrap_or(usize::MAX) + keys.len())
}

/// Add tags, each replacing the user's tag of its key in any case.
pub fn put(conn: &mut PgConnection, user: i64, tags: &[(String, String)]) -> Result<()> {
    let keys: Vec<String> = tags.iter().map(|(k, _)| k.clone()).collect();
    remove(conn, user, &keys)?;
    let rows: Vec<_> = tags
        .iter()
        .map(|(k, v)| {
            (
                iam_user_tags::user_id.eq(user),
                iam_user_tags::key.eq(k),
                iam_user_tags::value.eq(v),
            )
        })
        .collect();
    diesel::insert_into(iam_user_tags::table)
        .values(rows)
        .execute(conn)?;
    Ok(())
}

/// Remove the user's tags of `keys`, whatever their case; absent keys are ignored.
pub fn remove(conn: &mut PgConnection, user: i64, keys: &[String]) -> Result<()> {
    diesel::delete(
        iam_user_tags::table
            .filter(iam_user_tags::user_id.eq(user))
            .filter(lower(iam_user_tags::key).eq_any(lowered(keys))),
    )
    .execute(conn)?;
    Ok(())
}

fn lowered(keys: &[String]) -> Vec<String> {
    keys.iter().map(|k| k.to_lowercase()).collect()
}
