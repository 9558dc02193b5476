//! IAM groups of an account and their members: names unique per account whatever their case,
//! each group with IAM's unique id (`AGPA…`) and a path. Every change bumps the account's
//! `iam_version` ([`super::bump`]) in the caller's transaction.

use super::lower;
use super::users::User;
use crate::schema::{iam_group_members, iam_groups, iam_users};
use crate::Result;
use chrono::{DateTime, Utc};
use diesel::prelude::*;

/// One group.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = iam_groups)]
pub struct Group {
    pub id: i64,
    pub account_id: String,
    pub name: String,
    /// IAM's unique id: `AGPA` and 17 characters.
    pub group_id: String,
    /// `/` or `/division/…/`.
    pub path: String,
    pub created_at: DateTime<Utc>,
}

impl Group {
    /// `arn:aws:iam::<account>:group<path><name>`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:group{}{}",
            self.account_id, self.path, self.name
        )
    }
}

/// `account`'s group of this name, whatever its case.
pub fn find(conn: &mut PgConnection, account: &str, name: &str) -> Result<Option<Group>> {
    Ok(iam_groups::table
        .filter(iam_groups::account_id.eq(account))
        .filter(lower(iam_groups::name).eq(name.to_lowercase()))
        .select(Group::as_select())
        .first(conn)
        .optional()?)
}

/// A new group of `account`; `None` when the account has one of that name, whatever its case
/// (the unique index decides, so two creates at once cannot both succeed).
pub fn create(
    conn: &mut PgConnection,
    account: &str,
    name: &str,
    path: &str,
) -> Result<Option<Group>> {
    let group = diesel::insert_into(iam_groups::table)
        .values((
            iam_groups::account_id.eq(account),
            iam_groups::name.eq(name),
            iam_groups::group_id.eq(super::unique_id("AGPA")),
            iam_groups::path.eq(path),
        ))
        .on_conflict_do_nothing()
        .returning(Group::as_returning())
        .get_result(conn)
        .optional()?;
    if group.is_some() {
        super::bump(conn, account)?;
    }
    Ok(group)
}

/// Remove `group`, which the caller found empty and holding no policy, under its lock.
pub fn delete(conn: &mut PgConnection, group: &Group) -> Result<()> {
    diesel::delete(iam_groups::table.find(group.id)).execute(conn)?;
    super::bump(conn, &group.account_id)
}

/// The members of `group`, by name.
pub fn members(conn: &mut PgConnection, group: &Group) -> Result<Vec<User>> {
    let mut users: Vec<User> = iam_group_members::table
        .inner_join(iam_users::table)
        .filter(iam_group_members::group_id.eq(group.id))
        .select(User::as_select())
        .load(conn)?;
    // Byte order, the order the lists' markers compare in.
    users.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(users)
}

/// The groups `user` is a member of, by name.
pub fn of_user(conn: &mut PgConnection, user: &User) -> Result<Vec<Group>> {
    let mut groups: Vec<Group> = iam_group_members::table
        .inner_join(iam_groups::table)
        .filter(iam_group_members::user_id.eq(user.id))
        .select(Group::as_select())
        .load(conn)?;
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(groups)
}

/// Make `user` a member of `group`; `false` when it was one already.
pub fn add(conn: &mut PgConnection, group: &Group, user: &User) -> Result<bool> {
    let added = diesel::insert_into(iam_group_members::table)
        .values((
            iam_group_members::group_id.eq(group.id),
            iam_group_members::user_id.eq(user.id),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?
        > 0;
    if added {
        super::bump(conn, &group.account_id)?;
    }
    Ok(added)
}

/// Take `user` out of `group`; `false` when it was not a member.
pub fn remove(conn: &mut PgConnection, group: &Group, user: &User) -> Result<bool> {
    let removed = diesel::delete(
        iam_group_members::table
            .filter(iam_group_members::group_id.eq(group.id))
            .filter(iam_group_members::user_id.eq(user.id)),
    )
    .execute(conn)?
        > 0;
    if removed {
        super::bump(conn, &group.account_id)?;
    }
    Ok(removed)
}
