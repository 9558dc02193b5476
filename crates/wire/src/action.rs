//! The actions this endpoint serves, by their wire names, with the API version each belongs to.

/// RDS's API version; STS's is `2011-06-15`, IAM's `2010-05-08`.
pub const RDS_VERSION: &str = "2014-10-31";
pub const STS_VERSION: &str = "2011-06-15";
pub const IAM_VERSION: &str = "2010-05-08";

macro_rules! actions {
    ($($variant:ident => $name:literal, $version:ident;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant,)* }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The wire name, e.g. `CreateDBInstance`.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name,)* }
            }

            /// The API version the action belongs to.
            pub fn version(self) -> &'static str {
                match self { $(Action::$variant => $version,)* }
            }
        }
    };
}

actions! {
    CreateDbInstance => "CreateDBInstance", RDS_VERSION;
    DescribeDbInstances => "DescribeDBInstances", RDS_VERSION;
    DeleteDbInstance => "DeleteDBInstance", RDS_VERSION;
    StartDbInstance => "StartDBInstance", RDS_VERSION;
    StopDbInstance => "StopDBInstance", RDS_VERSION;
    RebootDbInstance => "RebootDBInstance", RDS_VERSION;
    ModifyDbInstance => "ModifyDBInstance", RDS_VERSION;
    AddTagsToResource => "AddTagsToResource", RDS_VERSION;
    RemoveTagsFromResource => "RemoveTagsFromResource", RDS_VERSION;
    ListTagsForResource => "ListTagsForResource", RDS_VERSION;
    DescribeDbEngineVersions => "DescribeDBEngineVersions", RDS_VERSION;
    DescribeOrderableDbInstanceOptions => "DescribeOrderableDBInstanceOptions", RDS_VERSION;
    DescribeAccountAttributes => "DescribeAccountAttributes", RDS_VERSION;
    DescribeEvents => "DescribeEvents", RDS_VERSION;
    CreateDbSnapshot => "CreateDBSnapshot", RDS_VERSION;
    DescribeDbSnapshots => "DescribeDBSnapshots", RDS_VERSION;
    DeleteDbSnapshot => "DeleteDBSnapshot", RDS_VERSION;
    CopyDbSnapshot => "CopyDBSnapshot", RDS_VERSION;
    RestoreDbInstanceFromDbSnapshot => "RestoreDBInstanceFromDBSnapshot", RDS_VERSION;
    RestoreDbInstanceToPointInTime => "RestoreDBInstanceToPointInTime", RDS_VERSION;
    DescribeDbInstanceAutomatedBackups => "DescribeDBInstanceAutomatedBackups", RDS_VERSION;
    DeleteDbInstanceAutomatedBackup => "DeleteDBInstanceAutomatedBackup", RDS_VERSION;
    GetCallerIdentity => "GetCallerIdentity", STS_VERSION;
    CreateUser => "CreateUser", IAM_VERSION;
    GetUser => "GetUser", IAM_VERSION;
    ListUsers => "ListUsers", IAM_VERSION;
    DeleteUser => "DeleteUser", IAM_VERSION;
    TagUser => "TagUser", IAM_VERSION;
    UntagUser => "UntagUser", IAM_VERSION;
    ListUserTags => "ListUserTags", IAM_VERSION;
    CreateAccessKey => "CreateAccessKey", IAM_VERSION;
    ListAccessKeys => "ListAccessKeys", IAM_VERSION;
    UpdateAccessKey => "UpdateAccessKey", IAM_VERSION;
    DeleteAccessKey => "DeleteAccessKey", IAM_VERSION;
    GetAccessKeyLastUsed => "GetAccessKeyLastUsed", IAM_VERSION;
    CreateGroup => "CreateGroup", IAM_VERSION;
    GetGroup => "GetGroup", IAM_VERSION;
    DeleteGroup => "DeleteGroup", IAM_VERSION;
    AddUserToGroup => "AddUserToGroup", IAM_VERSION;
    RemoveUserFromGroup => "RemoveUserFromGroup", IAM_VERSION;
    ListGroupsForUser => "ListGroupsForUser", IAM_VERSION;
    PutUserPolicy => "PutUserPolicy", IAM_VERSION;
    GetUserPolicy => "GetUserPolicy", IAM_VERSION;
    ListUserPolicies => "ListUserPolicies", IAM_VERSION;
    DeleteUserPolicy => "DeleteUserPolicy", IAM_VERSION;
    PutGroupPolicy => "PutGroupPolicy", IAM_VERSION;
    GetGroupPolicy => "GetGroupPolicy", IAM_VERSION;
    ListGroupPolicies => "ListGroupPolicies", IAM_VERSION;
    DeleteGroupPolicy => "DeleteGroupPolicy", IAM_VERSION;
    AttachUserPolicy => "AttachUserPolicy", IAM_VERSION;
    DetachUserPolicy => "DetachUserPolicy", IAM_VERSION;
    ListAttachedUserPolicies => "ListAttachedUserPolicies", IAM_VERSION;
    AttachGroupPolicy => "AttachGroupPolicy", IAM_VERSION;
    DetachGroupPolicy => "DetachGroupPolicy", IAM_VERSION;
    ListAttachedGroupPolicies => "ListAttachedGroupPolicies", IAM_VERSION;
}

impl Action {
    /// The action named `name` in `version`; `None` for anything else.
    pub fn parse(name: &str, version: &str) -> Option<Action> {
        Action::ALL
            .iter()
            .copied()
            .find(|a| a.name() == name && a.version() == version)
    }

    /// The SigV4 service the request must be signed for, which is also the prefix of the
    /// action's name in policies (`rds:DeleteDBInstance`).
    pub fn service(self) -> &'static str {
        match self.version() {
            STS_VERSION => "sts",
            IAM_VERSION => "iam",
            _ => "rds",
        }
    }

    /// The XML namespace of the answer.
    pub fn namespace(self) -> &'static str {
        match self.version() {
            STS_VERSION => "https://sts.amazonaws.com/doc/2011-06-15/",
            IAM_VERSION => "https://iam.amazonaws.com/doc/2010-05-08/",
            _ => crate::RDS_NAMESPACE,
        }
    }

    /// The action as policies name it: `rds:DeleteDBInstance`.
    pub fn policy_name(self) -> String {
        format!("{}:{}", self.service(), self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_versions_and_services() {
        assert_eq!(
            Action::parse("CreateDBInstance", "2014-10-31"),
            Some(Action::CreateDbInstance)
        );
        assert_eq!(Action::parse("CreateDBInstance", "2011-06-15"), None);
        assert_eq!(Action::parse("createdbinstance", "2014-10-31"), None);
        assert_eq!(
            Action::parse("GetCallerIdentity", "2011-06-15").map(Action::service),
            Some("sts")
        );
        for a in Action::ALL {
            assert_eq!(Action::parse(a.name(), a.version()), Some(*a));
        }
    }
}
