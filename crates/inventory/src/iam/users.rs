//! IAM users of an account: names unique per account whatever their case, each with IAM's
//! unique id (`AIDA…`) and a path.

use crate::schema::iam_users;
use crate::Result;
use chrono::{DateTime, Utc};
use diesel::prelude::*;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

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
    Ok(iam_users::table
        .filter(iam_users::account_id.eq(account))
        .filter(lower(iam_users::name).eq(name.to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}
