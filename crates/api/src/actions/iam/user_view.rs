//! IAM's `User` shape of an inventory user, or of the account root (no name or path; the
//! account's id as its id, `arn:aws:iam::<account>:root` as its ARN).

use cornac_inventory::accounts::Account;
use cornac_inventory::iam::users::User;
use cornac_wire::actions::iam::user::UserShape;
use cornac_wire::actions::iam::{date, tags, Members};

/// `user`, with `tags` where the action shows them (shown only when there are some).
pub(super) fn shape(user: &User, tags: Option<Vec<(String, String)>>) -> UserShape {
    UserShape {
        path: Some(user.path.clone()),
        name: Some(user.name.clone()),
        user_id: user.user_id.clone(),
        arn: user.arn(),
        create_date: date(user.created_at),
        tags: tags.filter(|t| !t.is_empty()).map(tags::shape),
    }
}

/// A page of users as a list's `Users` member, without their tags (as `ListUsers` and
/// `GetGroup` answer).
pub(super) fn members(users: &[User]) -> Members<UserShape> {
    users
        .iter()
        .map(|u| shape(u, None))
        .collect::<Vec<_>>()
        .into()
}

/// The root of `account`.
pub(super) fn root(account: &Account) -> UserShape {
    UserShape {
        path: None,
        name: None,
        user_id: account.id.clone(),
        arn: format!("arn:aws:iam::{}:root", account.id),
        create_date: date(account.created_at),
        tags: None,
    }
}
