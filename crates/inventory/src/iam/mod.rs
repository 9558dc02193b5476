//! IAM's entities in an account: users, groups, their policies and memberships. Every change
//! bumps the account's `iam_version` in its transaction ([`bump`]), so the API, which reads
//! the version with the access key, drops the caller's cached policies at once.

pub mod groups;
pub mod holder;
pub mod keys;
pub mod policies;
pub mod user_tags;
pub mod users;

use crate::credentials::{random_text, ID_ALPHABET};
use crate::schema::accounts;
use crate::Result;
use diesel::prelude::*;

diesel::define_sql_function!(
    /// SQL's `lower(text)`: names are unique whatever their case.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Mark `account`'s users, groups or policies changed (call it in the change's transaction).
pub fn bump(conn: &mut PgConnection, account: &str) -> Result<()> {
    diesel::update(accounts::table.find(account))
        .set(accounts::iam_version.eq(accounts::iam_version + 1))
        .execute(conn)?;
    Ok(())
}

/// IAM's unique id of a new entity: `prefix` (`AIDA` a user, `AGPA` a group) and 17 characters
/// of `[A-Z2-7]`.
pub fn unique_id(prefix: &str) -> String {
    format!("{prefix}{}", random_text(ID_ALPHABET, 17))
}
