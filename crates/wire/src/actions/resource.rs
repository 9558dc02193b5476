//! What a request acts on, as policies see it: each action's resources ([`Input::resources`]),
//! named by ARN for the policy evaluation and its `AccessDenied` message. An action on no
//! resource in particular (`DescribeEvents`) acts on `*`; a list of instances or snapshots on
//! the type's wildcard ARN (`…:db:*`), as RDS evaluates it. See
//! <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html>.

use super::restore_db_instance_to_point_in_time::SourceInstance;
use super::{Input, TaggedResource};
use cornac_domain::{InstanceIdentifier, ResourceId, SnapshotIdentifier};

/// One resource a request acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// `*`: no resource in particular.
    Any,
    Instance(InstanceIdentifier),
    /// Every instance (`…:db:*`), as a list of them is evaluated.
    Instances,
    Snapshot(SnapshotIdentifier),
    Snapshots,
    AutomatedBackups(ResourceId),
    AllAutomatedBackups,
    /// An IAM user by name; `None`: the caller itself (IAM's actions default to it).
    User(Option<String>),
    /// Every user (`…:user/`), as `ListUsers` is evaluated.
    Users,
    Group(String),
}

impl Resource {
    /// Its ARN in `region` and `account`; an IAM user's or group's path is the caller's to
    /// find (`path`, `/` for one that does not exist), and `caller` is the calling user's ARN.
    pub fn arn(&self, region: &str, account: &str, path: &str, caller: &str) -> String {
        let rds = |kind: &str, name: &str| format!("arn:aws:rds:{region}:{account}:{kind}:{name}");
        match self {
            Resource::Any => "*".to_owned(),
            Resource::Instance(id) => id.arn(region, account),
            Resource::Instances => rds("db", "*"),
            Resource::Snapshot(id) => id.arn(region, account),
            Resource::Snapshots => rds("snapshot", "*"),
            Resource::AutomatedBackups(id) => id.automated_backups_arn(region, account),
            Resource::AllAutomatedBackups => rds("auto-backup", "*"),
            Resource::User(None) => caller.to_owned(),
            Resource::User(Some(name)) => format!("arn:aws:iam::{account}:user{path}{name}"),
            Resource::Users => format!("arn:aws:iam::{account}:user/"),
            Resource::Group(name) => format!("arn:aws:iam::{account}:group{path}{name}"),
        }
    }
}

impl From<&TaggedResource> for Resource {
    fn from(tagged: &TaggedResource) -> Self {
        match tagged {
            TaggedResource::Instance(id) => Resource::Instance(id.clone()),
            TaggedResource::Snapshot(id) => Resource::Snapshot(id.clone()),
        }
    }
}

impl Input {
    /// The resources the request acts on; each must be allowed.
    pub fn resources(&self) -> Vec<Resource> {
        use Resource as R;
        let instance = |id: &InstanceIdentifier| R::Instance(id.clone());
        let snapshot = |id: &SnapshotIdentifier| R::Snapshot(id.clone());
        let user = |name: &String| R::User(Some(name.clone()));
        match self {
            Input::CreateDbInstance(i) => vec![instance(&i.identifier)],
            Input::DescribeDbInstances(i) => vec![i.named.as_ref().map_or(R::Instances, instance)],
            Input::DeleteDbInstance(i) => {
                let mut all = vec![instance(&i.identifier)];
                all.extend(i.final_snapshot.as_ref().map(snapshot));
                all
            }
            Input::StartDbInstance(i) => vec![instance(&i.identifier)],
            Input::StopDbInstance(i) => {
                let mut all = vec![instance(&i.identifier)];
                all.extend(i.snapshot.as_ref().map(snapshot));
                all
            }
            Input::RebootDbInstance(i) => vec![instance(&i.identifier)],
            Input::ModifyDbInstance(i) => vec![instance(&i.identifier)],
            Input::AddTagsToResource(i) => vec![R::from(&i.resource_name)],
            Input::RemoveTagsFromResource(i) => vec![R::from(&i.resource_name)],
            Input::ListTagsForResource(i) => vec![R::from(&i.resource_name)],
            Input::DescribeDbEngineVersions(_)
            | Input::DescribeOrderableDbInstanceOptions(_)
            | Input::DescribeAccountAttributes
            | Input::DescribeEvents(_)
            | Input::GetCallerIdentity => vec![R::Any],
            Input::CreateDbSnapshot(i) => vec![instance(&i.instance), snapshot(&i.snapshot)],
            Input::DescribeDbSnapshots(i) => vec![i.named.as_ref().map_or(R::Snapshots, snapshot)],
            Input::DeleteDbSnapshot(i) => vec![snapshot(&i.snapshot)],
            Input::CopyDbSnapshot(i) => vec![snapshot(&i.source), snapshot(&i.target)],
            Input::RestoreDbInstanceFromDbSnapshot(i) => {
                vec![instance(&i.identifier), snapshot(&i.snapshot)]
            }
            Input::RestoreDbInstanceToPointInTime(i) => {
                let source = match &i.source {
                    SourceInstance::Identifier(id) => instance(id),
                    SourceInstance::ResourceId(id) | SourceInstance::AutomatedBackups(id) => {
                        R::AutomatedBackups(id.clone())
                    }
                };
                vec![instance(&i.target), source]
            }
            Input::DescribeDbInstanceAutomatedBackups(_) => vec![R::AllAutomatedBackups],
            Input::DeleteDbInstanceAutomatedBackup(i) => {
                vec![R::AutomatedBackups(i.resource_id.clone())]
            }
            Input::CreateUser(i) => vec![user(&i.name)],
            Input::GetUser(i) => vec![R::User(i.name.clone())],
            Input::ListUsers(_) => vec![R::Users],
            Input::DeleteUser(i) => vec![user(&i.name)],
            Input::TagUser(i) => vec![user(&i.name)],
            Input::UntagUser(i) => vec![user(&i.name)],
            Input::ListUserTags(i) => vec![user(&i.name)],
            Input::CreateAccessKey(i) => vec![R::User(i.user.clone())],
            Input::ListAccessKeys(i) => vec![R::User(i.user.clone())],
            Input::UpdateAccessKey(i) => vec![R::User(i.user.clone())],
            Input::DeleteAccessKey(i) => vec![R::User(i.user.clone())],
            // The key's user is not known before the key is found: every user.
            Input::GetAccessKeyLastUsed(_) => vec![R::Users],
            Input::CreateGroup(i) => vec![R::Group(i.group_name.clone())],
            Input::DeleteGroup(i) => vec![R::Group(i.group_name.clone())],
            Input::AddUserToGroup(i) | Input::RemoveUserFromGroup(i) => {
                vec![R::Group(i.group_name.clone())]
            }
            Input::GetGroup(i)
            | Input::ListGroupsForUser(i)
            | Input::ListUserPolicies(i)
            | Input::ListGroupPolicies(i) => vec![R::from(&i.holder)],
            Input::PutUserPolicy(i) | Input::PutGroupPolicy(i) => vec![R::from(&i.holder)],
            Input::GetUserPolicy(i)
            | Input::DeleteUserPolicy(i)
            | Input::GetGroupPolicy(i)
            | Input::DeleteGroupPolicy(i) => vec![R::from(&i.holder)],
            Input::AttachUserPolicy(i) | Input::AttachGroupPolicy(i) => vec![R::from(&i.holder)],
            Input::DetachUserPolicy(i) | Input::DetachGroupPolicy(i) => vec![R::from(&i.holder)],
            Input::ListAttachedUserPolicies(i) | Input::ListAttachedGroupPolicies(i) => {
                vec![R::from(&i.holder)]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::form;
    use crate::Action;

    fn arns(action: Action, body: &str) -> Vec<String> {
        let input = Input::from_params(action, &form(body), &service()).unwrap();
        let caller = "arn:aws:iam::000000000000:user/me";
        input
            .resources()
            .iter()
            .map(|r| r.arn("local", "000000000000", "/", caller))
            .collect()
    }

    #[test]
    fn actions_name_their_resources() {
        let db = "arn:aws:rds:local:000000000000:db:";
        let snap = "arn:aws:rds:local:000000000000:snapshot:";
        assert_eq!(
            arns(Action::DescribeDbInstances, ""),
            vec![format!("{db}*")]
        );
        assert_eq!(
            arns(Action::DescribeDbInstances, "DBInstanceIdentifier=a"),
            vec![format!("{db}a")]
        );
        assert_eq!(
            arns(
                Action::DeleteDbInstance,
                "DBInstanceIdentifier=a&FinalDBSnapshotIdentifier=s"
            ),
            vec![format!("{db}a"), format!("{snap}s")]
        );
        assert_eq!(
            arns(
                Action::CreateDbSnapshot,
                "DBInstanceIdentifier=a&DBSnapshotIdentifier=s"
            ),
            vec![format!("{db}a"), format!("{snap}s")]
        );
        assert_eq!(
            arns(
                Action::ListTagsForResource,
                &format!("ResourceName={snap}s")
            ),
            vec![format!("{snap}s")]
        );
        assert_eq!(arns(Action::DescribeEvents, ""), vec!["*"]);
        let iam = "arn:aws:iam::000000000000:";
        for (action, body, arn) in [
            (Action::CreateGroup, "GroupName=ops", "group/ops"),
            (
                Action::AddUserToGroup,
                "GroupName=ops&UserName=al",
                "group/ops",
            ),
            (Action::ListGroupsForUser, "UserName=al", "user/al"),
            (
                Action::PutGroupPolicy,
                "GroupName=ops&PolicyName=p&PolicyDocument={\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}",
                "group/ops",
            ),
            (
                Action::AttachUserPolicy,
                "UserName=al&PolicyArn=arn:aws:iam::aws:policy/AdministratorAccess",
                "user/al",
            ),
            (
                Action::ListAttachedGroupPolicies,
                "GroupName=ops",
                "group/ops",
            ),
        ] {
            assert_eq!(
                arns(action, body),
                vec![format!("{iam}{arn}")],
                "{action:?}"
            );
        }
        let user = Resource::User(Some("bob".into()));
        assert_eq!(
            user.arn("local", "000000000000", "/ops/", "x"),
            "arn:aws:iam::000000000000:user/ops/bob"
        );
        assert_eq!(Resource::User(None).arn("local", "1", "/", "me"), "me");
        let iam = "arn:aws:iam::000000000000:user/";
        assert_eq!(
            arns(
                Action::TagUser,
                "UserName=bob&Tags.member.1.Key=k&Tags.member.1.Value=v"
            ),
            vec![format!("{iam}bob")]
        );
        assert_eq!(arns(Action::ListUsers, ""), vec![iam]);
        assert_eq!(
            arns(Action::CreateAccessKey, ""),
            vec!["arn:aws:iam::000000000000:user/me"]
        );
        assert_eq!(
            arns(
                Action::GetAccessKeyLastUsed,
                "AccessKeyId=AKIAABCDEFGHIJKLMNOP"
            ),
            vec![iam]
        );
    }
}
