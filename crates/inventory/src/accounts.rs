//! Accounts: each has a 12-digit id and a unique name, and owns instances, snapshots, events
//! and access keys. The migration makes `000000000000` ("default", the owner of every row an
//! older version made) and the system account (the inventory instance's, whose keys the API
//! refuses); [`adopt`] gives the default account the configured id.

use crate::schema::accounts;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rand::Rng;

/// The account the migration gives every row an older version made.
pub const DEFAULT: &str = "000000000000";

/// The account that owns system instances; no access key of it is accepted.
pub const SYSTEM: &str = "000000000001";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub system: bool,
    pub created_at: DateTime<Utc>,
}

/// Whether `name` is one an account may have (IAM's account alias characters, 1 to 64).
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
}

/// A new account named `name`, under a random id no account has; `None` when the name is
/// taken.
pub fn create(conn: &mut PgConnection, name: &str) -> Result<Option<Account>> {
    if !valid_name(name) {
        return Err(Error::Credentials(format!(
            "account name {name:?} must be 1 to 64 letters, digits or +=,.@_-"
        )));
    }
    conn.transaction(|conn| {
        let taken: i64 = accounts::table
            .filter(accounts::name.eq(name))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Ok(None);
        }
        loop {
            let id = format!(
                "{:012}",
                rand::thread_rng().gen_range(2..1_000_000_000_000u64)
            );
            let inserted = diesel::insert_into(accounts::table)
                .values((accounts::id.eq(&id), accounts::name.eq(name)))
                .on_conflict(accounts::id)
                .do_nothing()
                .returning(Account::as_returning())
                .get_result(conn)
                .optional()?;
            if let Some(account) = inserted {
                return Ok(Some(account));
            }
        }
    })
}

/// Every account, the oldest first (the system account too).
pub fn list(conn: &mut PgConnection) -> Result<Vec<Account>> {
    Ok(accounts::table
        .order((accounts::created_at.asc(), accounts::id.asc()))
        .select(Account::as_select())
        .load(conn)?)
}

/// The account with this id, the system account too.
pub fn get(conn: &mut PgConnection, id: &str) -> Result<Option<Account>> {
    Ok(accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
        .optional()?)
}

/// The first account made (not the system account): bootstrap's, and postgraas's unless the
/// config names another.
pub fn first(conn: &mut PgConnection) -> Result<Account> {
    accounts::table
        .filter(accounts::system.eq(false))
        .order((accounts::created_at.asc(), accounts::id.asc()))
        .select(Account::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| Error::Credentials("the inventory has no account".into()))
}

/// Give the default account the configured id (`service.account_id`), so the ARNs older
/// versions made with it name their owner; true when that changed it. Nothing changes when
/// an account has that id already or the default account was renamed before.
pub fn adopt(conn: &mut PgConnection, configured: &str) -> Result<bool> {
    if configured == SYSTEM {
        return Err(Error::Credentials(format!(
            "service.account_id {SYSTEM} is the system account's"
        )));
    }
    if configured == DEFAULT || get(conn, configured)?.is_some() {
        return Ok(false);
    }
    let changed = diesel::update(accounts::table.find(DEFAULT))
        .set(accounts::id.eq(configured))
        .execute(conn)?;
    Ok(changed > 0)
}
