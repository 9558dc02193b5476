//! `Input`, the typed input of any action, read from the form before any inventory work, so a
//! bad parameter costs no inventory connection.

use super::add_tags_to_resource::AddTagsToResourceInput;
use super::copy_db_snapshot::CopyDbSnapshotInput;
use super::create_db_instance::CreateDbInstanceInput;
use super::create_db_snapshot::CreateDbSnapshotInput;
use super::delete_db_instance::DeleteDbInstanceInput;
use super::delete_db_instance_automated_backup::DeleteDbInstanceAutomatedBackupInput;
use super::delete_db_snapshot::DeleteDbSnapshotInput;
use super::describe_db_engine_versions::DescribeDbEngineVersionsInput;
use super::describe_db_instance_automated_backups::DescribeDbInstanceAutomatedBackupsInput;
use super::describe_db_instances::DescribeDbInstancesInput;
use super::describe_db_snapshots::DescribeDbSnapshotsInput;
use super::describe_events::DescribeEventsInput;
use super::describe_orderable_db_instance_options::DescribeOrderableDbInstanceOptionsInput;
use super::iam::add_user_to_group::MembershipInput;
use super::iam::attached::{AttachPolicyInput, DetachPolicyInput, ListAttachedPoliciesInput};
use super::iam::create_access_key::CreateAccessKeyInput;
use super::iam::create_group::CreateGroupInput;
use super::iam::create_user::CreateUserInput;
use super::iam::delete_access_key::DeleteAccessKeyInput;
use super::iam::delete_group::DeleteGroupInput;
use super::iam::delete_user::DeleteUserInput;
use super::iam::get_access_key_last_used::GetAccessKeyLastUsedInput;
use super::iam::get_user::GetUserInput;
use super::iam::holder::{Holder, HolderListInput};
use super::iam::inline::{PolicyNameInput, PutPolicyInput};
use super::iam::list_access_keys::ListAccessKeysInput;
use super::iam::list_user_tags::ListUserTagsInput;
use super::iam::list_users::ListUsersInput;
use super::iam::tag_user::TagUserInput;
use super::iam::untag_user::UntagUserInput;
use super::iam::update_access_key::UpdateAccessKeyInput;
use super::list_tags_for_resource::ListTagsForResourceInput;
use super::modify_db_instance::ModifyDbInstanceInput;
use super::reboot_db_instance::RebootDbInstanceInput;
use super::remove_tags_from_resource::RemoveTagsFromResourceInput;
use super::restore_db_instance_from_db_snapshot::RestoreDbInstanceFromDbSnapshotInput;
use super::restore_db_instance_to_point_in_time::RestoreDbInstanceToPointInTimeInput;
use super::start_db_instance::StartDbInstanceInput;
use super::stop_db_instance::StopDbInstanceInput;
use super::Service;
use crate::{Action, AwsError, Params};

/// One variant an action, holding its input (none for the actions that take no parameters).
#[derive(Debug)]
pub enum Input {
    CreateDbInstance(CreateDbInstanceInput),
    DescribeDbInstances(DescribeDbInstancesInput),
    DeleteDbInstance(DeleteDbInstanceInput),
    StartDbInstance(StartDbInstanceInput),
    StopDbInstance(StopDbInstanceInput),
    RebootDbInstance(RebootDbInstanceInput),
    ModifyDbInstance(ModifyDbInstanceInput),
    AddTagsToResource(AddTagsToResourceInput),
    RemoveTagsFromResource(RemoveTagsFromResourceInput),
    ListTagsForResource(ListTagsForResourceInput),
    DescribeDbEngineVersions(DescribeDbEngineVersionsInput),
    DescribeOrderableDbInstanceOptions(DescribeOrderableDbInstanceOptionsInput),
    DescribeAccountAttributes,
    DescribeEvents(DescribeEventsInput),
    CreateDbSnapshot(CreateDbSnapshotInput),
    DescribeDbSnapshots(DescribeDbSnapshotsInput),
    DeleteDbSnapshot(DeleteDbSnapshotInput),
    CopyDbSnapshot(CopyDbSnapshotInput),
    RestoreDbInstanceFromDbSnapshot(RestoreDbInstanceFromDbSnapshotInput),
    RestoreDbInstanceToPointInTime(RestoreDbInstanceToPointInTimeInput),
    DescribeDbInstanceAutomatedBackups(DescribeDbInstanceAutomatedBackupsInput),
    DeleteDbInstanceAutomatedBackup(DeleteDbInstanceAutomatedBackupInput),
    GetCallerIdentity,
    CreateUser(CreateUserInput),
    GetUser(GetUserInput),
    ListUsers(ListUsersInput),
    DeleteUser(DeleteUserInput),
    TagUser(TagUserInput),
    UntagUser(UntagUserInput),
    ListUserTags(ListUserTagsInput),
    CreateAccessKey(CreateAccessKeyInput),
    ListAccessKeys(ListAccessKeysInput),
    UpdateAccessKey(UpdateAccessKeyInput),
    DeleteAccessKey(DeleteAccessKeyInput),
    GetAccessKeyLastUsed(GetAccessKeyLastUsedInput),
    CreateGroup(CreateGroupInput),
    GetGroup(HolderListInput),
    DeleteGroup(DeleteGroupInput),
    AddUserToGroup(MembershipInput),
    RemoveUserFromGroup(MembershipInput),
    ListGroupsForUser(HolderListInput),
    PutUserPolicy(PutPolicyInput),
    GetUserPolicy(PolicyNameInput),
    ListUserPolicies(HolderListInput),
    DeleteUserPolicy(PolicyNameInput),
    PutGroupPolicy(PutPolicyInput),
    GetGroupPolicy(PolicyNameInput),
    ListGroupPolicies(HolderListInput),
    DeleteGroupPolicy(PolicyNameInput),
    AttachUserPolicy(AttachPolicyInput),
    DetachUserPolicy(DetachPolicyInput),
    ListAttachedUserPolicies(ListAttachedPoliciesInput),
    AttachGroupPolicy(AttachPolicyInput),
    DetachGroupPolicy(DetachPolicyInput),
    ListAttachedGroupPolicies(ListAttachedPoliciesInput),
}

impl Input {
    /// `action`'s input, read from `params` and checked against what `service` offers.
    pub fn from_params(
        action: Action,
        params: &Params,
        service: &Service,
    ) -> Result<Self, AwsError> {
        let (p, s) = (params, service);
        Ok(match action {
            Action::CreateDbInstance => {
                Self::CreateDbInstance(CreateDbInstanceInput::from_params(p, s)?)
            }
            Action::DescribeDbInstances => {
                Self::DescribeDbInstances(DescribeDbInstancesInput::from_params(p, s)?)
            }
            Action::DeleteDbInstance => {
                Self::DeleteDbInstance(DeleteDbInstanceInput::from_params(p, s)?)
            }
            Action::StartDbInstance => {
                Self::StartDbInstance(StartDbInstanceInput::from_params(p, s)?)
            }
            Action::StopDbInstance => Self::StopDbInstance(StopDbInstanceInput::from_params(p, s)?),
            Action::RebootDbInstance => {
                Self::RebootDbInstance(RebootDbInstanceInput::from_params(p, s)?)
            }
            Action::ModifyDbInstance => {
                Self::ModifyDbInstance(ModifyDbInstanceInput::from_params(p, s)?)
            }
            Action::AddTagsToResource => {
                Self::AddTagsToResource(AddTagsToResourceInput::from_params(p, s)?)
            }
            Action::RemoveTagsFromResource => {
                Self::RemoveTagsFromResource(RemoveTagsFromResourceInput::from_params(p, s)?)
            }
            Action::ListTagsForResource => {
                Self::ListTagsForResource(ListTagsForResourceInput::from_params(p, s)?)
            }
            Action::DescribeDbEngineVersions => {
                Self::DescribeDbEngineVersions(DescribeDbEngineVersionsInput::from_params(p)?)
            }
            Action::DescribeOrderableDbInstanceOptions => Self::DescribeOrderableDbInstanceOptions(
                DescribeOrderableDbInstanceOptionsInput::from_params(p)?,
            ),
            Action::DescribeAccountAttributes => Self::DescribeAccountAttributes,
            Action::DescribeEvents => Self::DescribeEvents(DescribeEventsInput::from_params(p, s)?),
            Action::CreateDbSnapshot => {
                Self::CreateDbSnapshot(CreateDbSnapshotInput::from_params(p, s)?)
            }
            Action::DescribeDbSnapshots => {
                Self::DescribeDbSnapshots(DescribeDbSnapshotsInput::from_params(p, s)?)
            }
            Action::DeleteDbSnapshot => {
                Self::DeleteDbSnapshot(DeleteDbSnapshotInput::from_params(p)?)
            }
            Action::CopyDbSnapshot => Self::CopyDbSnapshot(CopyDbSnapshotInput::from_params(p, s)?),
            Action::RestoreDbInstanceFromDbSnapshot => Self::RestoreDbInstanceFromDbSnapshot(
                RestoreDbInstanceFromDbSnapshotInput::from_params(p, s)?,
            ),
            Action::RestoreDbInstanceToPointInTime => Self::RestoreDbInstanceToPointInTime(
                RestoreDbInstanceToPointInTimeInput::from_params(p, s)?,
            ),
            Action::DescribeDbInstanceAutomatedBackups => Self::DescribeDbInstanceAutomatedBackups(
                DescribeDbInstanceAutomatedBackupsInput::from_params(p, s)?,
            ),
            Action::DeleteDbInstanceAutomatedBackup => Self::DeleteDbInstanceAutomatedBackup(
                DeleteDbInstanceAutomatedBackupInput::from_params(p, s)?,
            ),
            Action::GetCallerIdentity => Self::GetCallerIdentity,
            Action::CreateUser => Self::CreateUser(CreateUserInput::from_params(p)?),
            Action::GetUser => Self::GetUser(GetUserInput::from_params(p)?),
            Action::ListUsers => Self::ListUsers(ListUsersInput::from_params(p)?),
            Action::DeleteUser => Self::DeleteUser(DeleteUserInput::from_params(p)?),
            Action::TagUser => Self::TagUser(TagUserInput::from_params(p)?),
            Action::UntagUser => Self::UntagUser(UntagUserInput::from_params(p)?),
            Action::ListUserTags => Self::ListUserTags(ListUserTagsInput::from_params(p)?),
            Action::CreateAccessKey => Self::CreateAccessKey(CreateAccessKeyInput::from_params(p)?),
            Action::ListAccessKeys => Self::ListAccessKeys(ListAccessKeysInput::from_params(p)?),
            Action::UpdateAccessKey => Self::UpdateAccessKey(UpdateAccessKeyInput::from_params(p)?),
            Action::DeleteAccessKey => Self::DeleteAccessKey(DeleteAccessKeyInput::from_params(p)?),
            Action::GetAccessKeyLastUsed => {
                Self::GetAccessKeyLastUsed(GetAccessKeyLastUsedInput::from_params(p)?)
            }
            Action::CreateGroup => Self::CreateGroup(CreateGroupInput::from_params(p)?),
            Action::GetGroup => Self::GetGroup(HolderListInput::from_params(Holder::group, p)?),
            Action::DeleteGroup => Self::DeleteGroup(DeleteGroupInput::from_params(p)?),
            Action::AddUserToGroup => Self::AddUserToGroup(MembershipInput::from_params(p)?),
            Action::RemoveUserFromGroup => {
                Self::RemoveUserFromGroup(MembershipInput::from_params(p)?)
            }
            Action::ListGroupsForUser => {
                Self::ListGroupsForUser(HolderListInput::from_params(Holder::user, p)?)
            }
            Action::PutUserPolicy => {
                Self::PutUserPolicy(PutPolicyInput::from_params(Holder::user(p)?, p)?)
            }
            Action::GetUserPolicy => {
                Self::GetUserPolicy(PolicyNameInput::from_params(Holder::user(p)?, p)?)
            }
            Action::ListUserPolicies => {
                Self::ListUserPolicies(HolderListInput::from_params(Holder::user, p)?)
            }
            Action::DeleteUserPolicy => {
                Self::DeleteUserPolicy(PolicyNameInput::from_params(Holder::user(p)?, p)?)
            }
            Action::PutGroupPolicy => {
                Self::PutGroupPolicy(PutPolicyInput::from_params(Holder::group(p)?, p)?)
            }
            Action::GetGroupPolicy => {
                Self::GetGroupPolicy(PolicyNameInput::from_params(Holder::group(p)?, p)?)
            }
            Action::ListGroupPolicies => {
                Self::ListGroupPolicies(HolderListInput::from_params(Holder::group, p)?)
            }
            Action::DeleteGroupPolicy => {
                Self::DeleteGroupPolicy(PolicyNameInput::from_params(Holder::group(p)?, p)?)
            }
            Action::AttachUserPolicy => {
                Self::AttachUserPolicy(AttachPolicyInput::from_params(Holder::user(p)?, p)?)
            }
            Action::DetachUserPolicy => {
                Self::DetachUserPolicy(DetachPolicyInput::from_params(Holder::user(p)?, p)?)
            }
            Action::ListAttachedUserPolicies => Self::ListAttachedUserPolicies(
                ListAttachedPoliciesInput::from_params(Holder::user(p)?, p)?,
            ),
            Action::AttachGroupPolicy => {
                Self::AttachGroupPolicy(AttachPolicyInput::from_params(Holder::group(p)?, p)?)
            }
            Action::DetachGroupPolicy => {
                Self::DetachGroupPolicy(DetachPolicyInput::from_params(Holder::group(p)?, p)?)
            }
            Action::ListAttachedGroupPolicies => Self::ListAttachedGroupPolicies(
                ListAttachedPoliciesInput::from_params(Holder::group(p)?, p)?,
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::form;
    use crate::ErrorCode;

    #[test]
    fn every_action_reads_its_own_input() {
        for &action in Action::ALL {
            match Input::from_params(action, &form(""), &service()) {
                // With no parameters, an action either needs none or names the one it misses.
                // The variants share the actions' names.
                Ok(input) => assert!(
                    format!("{input:?}").starts_with(&format!("{action:?}")),
                    "{action:?} read as {input:?}"
                ),
                Err(e) => assert_eq!(e.code, ErrorCode::MissingParameter, "{action:?}"),
            }
        }
        let input = Input::from_params(
            Action::StopDbInstance,
            &form("DBInstanceIdentifier=db1"),
            &service(),
        )
        .unwrap();
        assert!(matches!(input, Input::StopDbInstance(i) if i.identifier.as_str() == "db1"));
        let err = Input::from_params(
            Action::RebootDbInstance,
            &form("ForceFailover=x"),
            &service(),
        )
        .unwrap_err();
        assert!(
            err.message.contains("DBInstanceIdentifier"),
            "{}",
            err.message
        );
    }
}
