//! IAM's actions on the same endpoint (version `2010-05-08`), one module each, and what they
//! share: a user or group of the caller's account by name, or `NoSuchEntity` (404); the lock a
//! change takes on it first; the shapes of users and groups. The inline and attached policy
//! actions of users and groups run the same code (`inline`, `attached`) on either.

pub(crate) mod add_user_to_group;
pub(crate) mod attach_group_policy;
pub(crate) mod attach_user_policy;
mod attached;
pub(crate) mod create_group;
pub(crate) mod delete_group;
pub(crate) mod delete_group_policy;
pub(crate) mod delete_user_policy;
pub(crate) mod detach_group_policy;
pub(crate) mod detach_user_policy;
pub(crate) mod get_group;
pub(crate) mod get_group_policy;
pub(crate) mod get_user_policy;
mod inline;
pub(crate) mod list_attached_group_policies;
pub(crate) mod list_attached_user_policies;
pub(crate) mod list_group_policies;
pub(crate) mod list_groups_for_user;
pub(crate) mod list_user_policies;
pub(crate) mod put_group_policy;
pub(crate) mod put_user_policy;
pub(crate) mod remove_user_from_group;

pub(super) mod create_access_key;
pub(super) mod create_user;
pub(super) mod delete_access_key;
pub(super) mod delete_user;
pub(super) mod get_access_key_last_used;
pub(super) mod get_user;
mod keys;
pub(super) mod list_access_keys;
pub(super) mod list_user_tags;
pub(super) mod list_users;
pub(super) mod tag_user;
pub(super) mod untag_user;
pub(super) mod update_access_key;
mod user_view;

use super::Ctx;
use crate::error::ApiError;
use cornac_inventory::iam::groups::{self, Group};
use cornac_inventory::iam::holder::Holder;
use cornac_inventory::iam::users::{self, User};
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::date;
use cornac_wire::actions::iam::holder::Holder as Named;
use cornac_wire::actions::iam::shapes::GroupShape;
use cornac_wire::{AwsError, ErrorCode};

/// `The user with name X cannot be found.` (or group).
pub(crate) fn missing(kind: &str, name: &str) -> ApiError {
    AwsError::new(
        ErrorCode::NoSuchEntity,
        format!("The {kind} with name {name} cannot be found."),
    )
    .into()
}

/// `DeleteConflict` (409): the user or group still has something it must `what` first.
pub(crate) fn delete_conflict(what: &str) -> ApiError {
    AwsError::new(
        ErrorCode::DeleteConflict,
        format!("Cannot delete entity, must {what} first."),
    )
    .into()
}

/// The caller's account's user `name`.
pub(crate) fn user(ctx: &Ctx, conn: &mut PgConnection, name: &str) -> Result<User, ApiError> {
    users::find(conn, ctx.account_id, name)?.ok_or_else(|| missing("user", name))
}

/// The caller's account's group `name`.
pub(crate) fn group(ctx: &Ctx, conn: &mut PgConnection, name: &str) -> Result<Group, ApiError> {
    groups::find(conn, ctx.account_id, name)?.ok_or_else(|| missing("group", name))
}

/// Lock `holder`'s row until the transaction ends (see `Holder::lock`); one deleted since it
/// was found is `NoSuchEntity`.
pub(crate) fn lock(conn: &mut PgConnection, holder: Holder) -> Result<(), ApiError> {
    if holder.lock(conn)? {
        Ok(())
    } else {
        Err(missing(holder.kind(), holder.name()))
    }
}

/// Run `f` on the user or group `named` names in the caller's account.
fn with_holder<T>(
    ctx: &Ctx,
    conn: &mut PgConnection,
    named: &Named,
    f: impl FnOnce(&mut PgConnection, Holder) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    match named {
        Named::User(name) => {
            let user = user(ctx, conn, name)?;
            f(conn, Holder::User(&user))
        }
        Named::Group(name) => {
            let group = group(ctx, conn, name)?;
            f(conn, Holder::Group(&group))
        }
    }
}

/// The `Group` shape of `group`.
fn group_shape(group: &Group) -> GroupShape {
    GroupShape {
        path: group.path.clone(),
        group_name: group.name.clone(),
        group_id: group.group_id.clone(),
        arn: group.arn(),
        create_date: date(group.created_at),
    }
}

/// [`user`], locked until the transaction ends (see `users::find_locked`).
pub(crate) fn user_locked(
    ctx: &Ctx,
    conn: &mut PgConnection,
    name: &str,
) -> Result<User, ApiError> {
    users::find_locked(conn, ctx.account_id, name)?.ok_or_else(|| missing("user", name))
}
