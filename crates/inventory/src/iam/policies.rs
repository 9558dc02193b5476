//! The policies users and groups hold: inline documents by name, and AWS-managed policies
//! attached by ARN, each query written once for both kinds of holder ([`Holder`]); and
//! everything a user is granted, its groups' policies included, in two queries
//! ([`for_user`]), for the request path's authorization. Every change bumps the account's
//! `iam_version` ([`super::bump`]) in the caller's transaction.

use super::holder::Holder;
use crate::schema::{iam_attached_policies, iam_group_members, iam_inline_policies};
use crate::Result;
use diesel::prelude::*;

/// The rows of `$table` that `$holder` holds: `user_id = $1 OR group_id = $2`, where the id of
/// the other kind is NULL and so matches nothing.
macro_rules! held_by {
    ($table:ident, $holder:expr) => {{
        let (user, group) = $holder.ids();
        $table::user_id.eq(user).or($table::group_id.eq(group))
    }};
}

/// One inline policy.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Inline {
    pub name: String,
    pub document: String,
}

/// `holder`'s inline policies, by name.
pub fn inline(conn: &mut PgConnection, holder: Holder) -> Result<Vec<Inline>> {
    let mut all: Vec<Inline> = iam_inline_policies::table
        .filter(held_by!(iam_inline_policies, holder))
        .select((iam_inline_policies::name, iam_inline_policies::document))
        .load(conn)?;
    // Byte order, the order the lists' markers compare in.
    all.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(all)
}

/// The document of `holder`'s inline policy `name` (names match exactly).
pub fn inline_document(
    conn: &mut PgConnection,
    holder: Holder,
    name: &str,
) -> Result<Option<String>> {
    Ok(iam_inline_policies::table
        .filter(held_by!(iam_inline_policies, holder))
        .filter(iam_inline_policies::name.eq(name))
        .select(iam_inline_policies::document)
        .first(conn)
        .optional()?)
}

/// Set `holder`'s inline policy `name` to `document`, replacing one of that name. The caller
/// holds `holder`'s lock ([`Holder::lock`]), so no other put of the name runs meanwhile.
pub fn put_inline(
    conn: &mut PgConnection,
    holder: Holder,
    name: &str,
    document: &str,
) -> Result<()> {
    let replaced = diesel::update(
        iam_inline_policies::table
            .filter(held_by!(iam_inline_policies, holder))
            .filter(iam_inline_policies::name.eq(name)),
    )
    .set(iam_inline_policies::document.eq(document))
    .execute(conn)?;
    if replaced == 0 {
        let (user, group) = holder.ids();
        diesel::insert_into(iam_inline_policies::table)
            .values((
                iam_inline_policies::user_id.eq(user),
                iam_inline_policies::group_id.eq(group),
                iam_inline_policies::name.eq(name),
                iam_inline_policies::document.eq(document),
            ))
            .execute(conn)?;
    }
    super::bump(conn, holder.account())
}

/// Remove `holder`'s inline policy `name`; `false` when it has none of that name.
pub fn delete_inline(conn: &mut PgConnection, holder: Holder, name: &str) -> Result<bool> {
    let deleted = diesel::delete(
        iam_inline_policies::table
            .filter(held_by!(iam_inline_policies, holder))
            .filter(iam_inline_policies::name.eq(name)),
    )
    .execute(conn)?
        > 0;
    if deleted {
        super::bump(conn, holder.account())?;
    }
    Ok(deleted)
}

/// The ARNs of the managed policies attached to `holder`, in order.
pub fn attached(conn: &mut PgConnection, holder: Holder) -> Result<Vec<String>> {
    let mut arns: Vec<String> = iam_attached_policies::table
        .filter(held_by!(iam_attached_policies, holder))
        .select(iam_attached_policies::policy_arn)
        .load(conn)?;
    arns.sort();
    Ok(arns)
}

/// Attach the managed policy `arn` to `holder`; `false` when it was attached already.
pub fn attach(conn: &mut PgConnection, holder: Holder, arn: &str) -> Result<bool> {
    let (user, group) = holder.ids();
    let attached = diesel::insert_into(iam_attached_policies::table)
        .values((
            iam_attached_policies::user_id.eq(user),
            iam_attached_policies::group_id.eq(group),
            iam_attached_policies::policy_arn.eq(arn),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?
        > 0;
    if attached {
        super::bump(conn, holder.account())?;
    }
    Ok(attached)
}

/// Detach the managed policy `arn` from `holder`; `false` when it was not attached.
pub fn detach(conn: &mut PgConnection, holder: Holder, arn: &str) -> Result<bool> {
    let detached = diesel::delete(
        iam_attached_policies::table
            .filter(held_by!(iam_attached_policies, holder))
            .filter(iam_attached_policies::policy_arn.eq(arn)),
    )
    .execute(conn)?
        > 0;
    if detached {
        super::bump(conn, holder.account())?;
    }
    Ok(detached)
}

/// Everything a user is granted: its own policies and those of its groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserPolicies {
    /// The inline documents of the user and of its groups, the user's first, then in the order
    /// they were put.
    pub documents: Vec<String>,
    /// The ARNs attached to the user or to any of its groups, each once, in order.
    pub managed: Vec<String>,
}

/// The policies of the user whose row id is `user_id` (`User::id`), in two queries.
pub fn for_user(conn: &mut PgConnection, user_id: i64) -> Result<UserPolicies> {
    let groups = || {
        iam_group_members::table
            .filter(iam_group_members::user_id.eq(user_id))
            .select(iam_group_members::group_id.nullable())
    };
    let documents = iam_inline_policies::table
        .filter(
            iam_inline_policies::user_id
                .eq(user_id)
                .or(iam_inline_policies::group_id.eq_any(groups())),
        )
        .order((
            iam_inline_policies::user_id.is_null(),
            iam_inline_policies::id,
        ))
        .select(iam_inline_policies::document)
        .load(conn)?;
    let managed = iam_attached_policies::table
        .filter(
            iam_attached_policies::user_id
                .eq(user_id)
                .or(iam_attached_policies::group_id.eq_any(groups())),
        )
        .select(iam_attached_policies::policy_arn)
        .distinct()
        .order(iam_attached_policies::policy_arn)
        .load(conn)?;
    Ok(UserPolicies { documents, managed })
}
