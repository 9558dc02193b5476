//! What holds IAM policies, a user or a group, as the policy and membership queries take it,
//! and the row lock every change to what it holds takes first: changes to one user or group
//! then run one at a time, so a size quota counts every policy committed before, and a delete
//! that found nothing held cannot race a put.

use super::groups::Group;
use super::users::User;
use crate::schema::iam_groups;
use crate::Result;
use diesel::prelude::*;

/// A user or a group.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    User(&'a User),
    Group(&'a Group),
}

impl Holder<'_> {
    pub fn account(&self) -> &str {
        match self {
            Holder::User(u) => &u.account_id,
            Holder::Group(g) => &g.account_id,
        }
    }

    /// `user` or `group`, as IAM's messages name the kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Holder::User(_) => "user",
            Holder::Group(_) => "group",
        }
    }

    /// Its name, as created.
    pub fn name(&self) -> &str {
        match self {
            Holder::User(u) => &u.name,
            Holder::Group(g) => &g.name,
        }
    }

    /// The `(user_id, group_id)` of a row it holds: one is `None`.
    pub(crate) fn ids(&self) -> (Option<i64>, Option<i64>) {
        match self {
            Holder::User(u) => (Some(u.id), None),
            Holder::Group(g) => (None, Some(g.id)),
        }
    }

    /// Lock its row until the transaction ends; `false` when it is gone.
    pub fn lock(&self, conn: &mut PgConnection) -> Result<bool> {
        Ok(match self {
            Holder::User(u) => super::users::lock(conn, u.id)?.is_some(),
            Holder::Group(g) => iam_groups::table
                .find(g.id)
                .select(iam_groups::id)
                .for_update()
                .first::<i64>(conn)
                .optional()?
                .is_some(),
        })
    }
}
