//! The policies of a user, as the request path loads them (the groups API replaces this).
use crate::schema::{iam_attached_policies, iam_inline_policies};
use crate::Result;
use diesel::prelude::*;
pub struct UserPolicies {
    pub documents: Vec<String>,
    pub managed: Vec<String>,
}
pub fn for_user(conn: &mut PgConnection, user_id: i64) -> Result<UserPolicies> {
    let documents = iam_inline_policies::table
        .filter(iam_inline_policies::user_id.eq(user_id))
        .select(iam_inline_policies::document)
        .load(conn)?;
    let managed = iam_attached_policies::table
        .filter(iam_attached_policies::user_id.eq(user_id))
        .select(iam_attached_policies::policy_arn)
        .load(conn)?;
    Ok(UserPolicies { documents, managed })
}
