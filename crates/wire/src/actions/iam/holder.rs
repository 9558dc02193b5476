//! Who an IAM policy action acts on: a user (`UserName`) or a group (`GroupName`). The
//! inline and attached policy actions of users and groups read the same parameters but this
//! one, so each input is written once and holds a [`Holder`].

use super::{Name, Paging};
use crate::actions::Resource;
use crate::{AwsError, Params};

/// A user or a group, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    User(String),
    Group(String),
}

impl Holder {
    /// The required `UserName`.
    pub fn user(params: &Params) -> Result<Self, AwsError> {
        Ok(Self::User(Name::User.required(params)?))
    }

    /// The required `GroupName`.
    pub fn group(params: &Params) -> Result<Self, AwsError> {
        Ok(Self::Group(Name::Group.required(params)?))
    }

    pub fn name(&self) -> &str {
        match self {
            Holder::User(name) | Holder::Group(name) => name,
        }
    }
}

impl From<&Holder> for Resource {
    fn from(holder: &Holder) -> Self {
        match holder {
            Holder::User(name) => Resource::User(Some(name.clone())),
            Holder::Group(name) => Resource::Group(name.clone()),
        }
    }
}

/// A list of what a holder has: `ListUserPolicies`, `ListGroupPolicies`, `GetGroup`,
/// `ListGroupsForUser`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderListInput {
    pub holder: Holder,
    pub paging: Paging,
}

impl HolderListInput {
    /// `holder` (read by [`Holder::user`] or [`Holder::group`]) and the paging.
    pub fn from_params(
        holder: fn(&Params) -> Result<Holder, AwsError>,
        params: &Params,
    ) -> Result<Self, AwsError> {
        Ok(Self {
            holder: holder(params)?,
            paging: Paging::from_params(params)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn users_and_groups_by_name() {
        let user =
            HolderListInput::from_params(Holder::user, &form("UserName=al&MaxItems=3")).unwrap();
        assert_eq!(user.holder, Holder::User("al".into()));
        assert_eq!(user.paging.max_items, 3);
        assert_eq!(
            Resource::from(&Holder::Group("ops".into())),
            Resource::Group("ops".into())
        );
        assert_eq!(
            Resource::from(&user.holder),
            Resource::User(Some("al".into()))
        );
        refused(
            HolderListInput::from_params(Holder::group, &form("UserName=al")),
            ErrorCode::MissingParameter,
            400,
            "GroupName",
        );
        refused(
            HolderListInput::from_params(Holder::group, &form("GroupName=a&MaxItems=0")),
            ErrorCode::ValidationError,
            400,
            "maxItems",
        );
    }
}
