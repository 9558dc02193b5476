//! The access keys of an account's root or of one of its users, as IAM's key actions see them
//! (`CreateAccessKey`, `ListAccessKeys`, `UpdateAccessKey`, `DeleteAccessKey`,
//! `GetAccessKeyLastUsed`): never a secret; a key is stored by `credentials::save`. Keys are
//! not IAM's policies: no change here bumps `iam_version`.

use super::users::{self, User};
use crate::credentials::{self, AccessKey, EncryptionKey};
use crate::schema::{access_keys, accounts, iam_users};
use crate::Result;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::PgExpressionMethods;

/// The most keys a user (or an account's root) may have, active or not.
pub const MAX_KEYS: usize = 2;

/// Whose keys: an account root's, or a user's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    Root { account: String },
    User(User),
}

impl Holder {
    pub fn account(&self) -> &str {
        match self {
            Holder::Root { account } => account,
            Holder::User(user) => &user.account_id,
        }
    }

    /// The user's row id; `None` for the root.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Holder::Root { .. } => None,
            Holder::User(user) => Some(user.id),
        }
    }

    /// The user's name; `None` for the root.
    pub fn user_name(&self) -> Option<&str> {
        match self {
            Holder::Root { .. } => None,
            Holder::User(user) => Some(&user.name),
        }
    }
}

/// What IAM shows of a key.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = access_keys)]
pub struct Key {
    pub access_key_id: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_service: Option<String>,
}

/// What [`create`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// Stored, at this time.
    At(DateTime<Utc>),
    /// Not stored: the holder has [`MAX_KEYS`] already.
    Full,
    /// Not stored: the user is gone.
    Gone,
}

/// Store `access_key` as a new key of `holder`, unless it has [`MAX_KEYS`] already (counted
/// with the holder locked, so two at once cannot both pass), in one transaction.
pub fn create(
    conn: &mut PgConnection,
    key: &EncryptionKey,
    access_key: &AccessKey,
    holder: &Holder,
    description: &str,
) -> Result<Created> {
    conn.transaction(|conn| {
        if !lock(conn, holder)? {
            return Ok(Created::Gone);
        }
        if of(conn, holder)?.len() >= MAX_KEYS {
            return Ok(Created::Full);
        }
        let at = credentials::save(
            conn,
            key,
            access_key,
            holder.account(),
            holder.user_id(),
            description,
        )?;
        Ok(Created::At(at))
    })
}

/// Lock `holder` (a user's row, or the root's account row) until the transaction ends, so its
/// keys are counted and added one change at a time. False when the user is gone.
fn lock(conn: &mut PgConnection, holder: &Holder) -> Result<bool> {
    match holder {
        Holder::Root { account } => {
            let locked: Option<String> = accounts::table
                .find(account)
                .select(accounts::id)
                .for_update()
                .first(conn)
                .optional()?;
            Ok(locked.is_some())
        }
        Holder::User(user) => Ok(users::lock(conn, user.id)?.is_some()),
    }
}

/// `holder`'s keys, by id.
pub fn of(conn: &mut PgConnection, holder: &Holder) -> Result<Vec<Key>> {
    Ok(held_by(holder.account(), holder.user_id())
        .order(access_keys::access_key_id.asc())
        .select(Key::as_select())
        .load(conn)?)
}

/// Make `holder`'s key `id` active or inactive; false when `holder` has no such key.
pub fn set_active(
    conn: &mut PgConnection,
    holder: &Holder,
    id: &str,
    active: bool,
) -> Result<bool> {
    let changed = diesel::update(
        held_by(holder.account(), holder.user_id()).filter(access_keys::access_key_id.eq(id)),
    )
    .set(access_keys::active.eq(active))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Remove `holder`'s key `id`; false when `holder` has no such key.
pub fn delete(conn: &mut PgConnection, holder: &Holder, id: &str) -> Result<bool> {
    let removed = diesel::delete(
        held_by(holder.account(), holder.user_id()).filter(access_keys::access_key_id.eq(id)),
    )
    .execute(conn)?;
    Ok(removed > 0)
}

/// The keys of `account`'s `user` (`None`: its root).
#[diesel::dsl::auto_type(no_type_alias)]
fn held_by<'a>(account: &'a str, user: Option<i64>) -> _ {
    access_keys::table
        .filter(access_keys::account_id.eq(account))
        .filter(access_keys::user_id.is_not_distinct_from(user))
}

/// `account`'s key `id`, with its user's name (`None` for a root key).
pub fn find(
    conn: &mut PgConnection,
    account: &str,
    id: &str,
) -> Result<Option<(Key, Option<String>)>> {
    Ok(access_keys::table
        .left_join(iam_users::table)
        .filter(access_keys::access_key_id.eq(id))
        .filter(access_keys::account_id.eq(account))
        .select((Key::as_select(), iam_users::name.nullable()))
        .first(conn)
        .optional()?)
}
