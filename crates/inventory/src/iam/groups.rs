//! IAM groups of an account (the request path reads a group's path; the groups API replaces this).
use crate::schema::iam_groups;
use crate::Result;
use diesel::prelude::*;
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = iam_groups)]
pub struct Group {
    pub id: i64,
    pub path: String,
}
pub fn find(conn: &mut PgConnection, account: &str, name: &str) -> Result<Option<Group>> {
    Ok(iam_groups::table
        .filter(iam_groups::account_id.eq(account))
        .filter(iam_groups::name.eq(name))
        .select(Group::as_select())
        .first(conn)
        .optional()?)
}
