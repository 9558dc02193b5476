//! IAM users of an account: names unique per account whatever their case, each with IAM's
//! unique id (`AIDA…`) and a path; made, found (locked for a change), listed a page at a time
//! and removed once nothing holds them ([`dependent`]).

use super::lower;
use crate::schema::{
    access_keys, iam_attached_policies, iam_group_members, iam_inline_policies, iam_users,
};
use crate::Result;
use chrono::{DateTime, Utc};
use diesel::dsl::exists;
use diesel::prelude::*;

/// One user.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = iam_users)]
pub struct User {
    pub id: i64,
    pub account_id: String,
    pub name: String,
    /// IAM's unique id: `AIDA` and 17 characters.
    pub user_id: String,
    /// `/` or `/division/…/`.
    pub path: String,
    pub created_at: DateTime<Utc>,
}

impl User {
    /// `arn:aws:iam::<account>:user<path><name>`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:user{}{}",
            self.account_id, self.path, self.name
        )
    }
}

/// `account`'s user of this name, whatever its case.
pub fn find(conn: &mut PgConnection, account: &str, name: &str) -> Result<Option<User>> {
    Ok(named(account, name)
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// [`find`], the row locked until the transaction ends, so no key, tag, policy or membership
/// is added to a user being deleted, and quotas are counted one change at a time.
pub fn find_locked(conn: &mut PgConnection, account: &str, name: &str) -> Result<Option<User>> {
    Ok(named(account, name)
        .select(User::as_select())
        .for_update()
        .first(conn)
        .optional()?)
}

/// The user `id`, locked as [`find_locked`] locks it; `None` once it is gone.
pub fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<User>> {
    Ok(iam_users::table
        .find(id)
        .select(User::as_select())
        .for_update()
        .first(conn)
        .optional()?)
}

/// `account`'s users named `name`, whatever its case (one at most).
#[diesel::dsl::auto_type(no_type_alias)]
fn named<'a>(account: &'a str, name: &str) -> _ {
    let lowered: String = name.to_lowercase();
    iam_users::table
        .filter(iam_users::account_id.eq(account))
        .filter(lower(iam_users::name).eq(lowered))
}

/// A new user of `account` named `name` under `path`, with a new unique id; `None` when the
/// account has a user of that name, whatever its case (a concurrent create of it included).
pub fn create(
    conn: &mut PgConnection,
    account: &str,
    name: &str,
    path: &str,
) -> Result<Option<User>> {
    Ok(diesel::insert_into(iam_users::table)
        .values((
            iam_users::account_id.eq(account),
            iam_users::name.eq(name),
            iam_users::user_id.eq(super::unique_id("AIDA")),
            iam_users::path.eq(path),
        ))
        .on_conflict_do_nothing()
        .returning(User::as_returning())
        .get_result(conn)
        .optional()?)
}

/// Up to `limit` of `account`'s users whose path starts with `path_prefix`, by name whatever
/// its case, after the user named `after` (a page's marker).
pub fn list(
    conn: &mut PgConnection,
    account: &str,
    path_prefix: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<User>> {
    let mut query = iam_users::table
        .filter(iam_users::account_id.eq(account))
        .filter(iam_users::path.like(format!("{}%", like_escaped(path_prefix))))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(lower(iam_users::name).gt(after.to_lowercase()));
    }
    Ok(query
        .order(lower(iam_users::name).asc())
        .limit(limit)
        .select(User::as_select())
        .load(conn)?)
}

/// `text` matched literally by `LIKE` (whose escape character is `\`).
fn like_escaped(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '\\' | '%' | '_' => vec!['\\', c],
            _ => vec![c],
        })
        .collect()
}

/// What keeps a user from being deleted, in the order IAM names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dependent {
    AccessKeys,
    InlinePolicies,
    AttachedPolicies,
    Groups,
}

/// The first thing that still holds the user `id`, if any (one query).
pub fn dependent(conn: &mut PgConnection, id: i64) -> Result<Option<Dependent>> {
    let held: (bool, bool, bool, bool) = diesel::select((
        exists(access_keys::table.filter(access_keys::user_id.eq(id))),
        exists(iam_inline_policies::table.filter(iam_inline_policies::user_id.eq(id))),
        exists(iam_attached_policies::table.filter(iam_attached_policies::user_id.eq(id))),
        exists(iam_group_members::table.filter(iam_group_members::user_id.eq(id))),
    ))
    .get_result(conn)?;
    Ok(match held {
        (true, ..) => Some(Dependent::AccessKeys),
        (_, true, ..) => Some(Dependent::InlinePolicies),
        (_, _, true, _) => Some(Dependent::AttachedPolicies),
        (.., true) => Some(Dependent::Groups),
        _ => None,
    })
}

/// Remove the user `id` and its tags (nothing else may hold it: see [`dependent`]).
pub fn delete(conn: &mut PgConnection, id: i64) -> Result<()> {
    diesel::delete(iam_users::table.find(id)).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_match_the_prefix_literally() {
        assert_eq!(like_escaped("/a_b%c\\/"), "/a\\_b\\%c\\\\/");
        assert_eq!(like_escaped("/"), "/");
    }
}
