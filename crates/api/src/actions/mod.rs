//! One module per action. The endpoint reads the action's typed input from the form
//! (`wire::actions::Input`, before any inventory work); the handler makes its change in one
//! inventory transaction (enqueueing the worker's job in it too) and returns the typed output;
//! the dispatcher renders that output's XML once the transaction has committed.

mod add_tags_to_resource;
mod copy_db_snapshot;
mod create_db_instance;
mod create_db_snapshot;
mod delete_db_instance;
mod delete_db_instance_automated_backup;
mod delete_db_snapshot;
mod describe_account_attributes;
mod describe_db_engine_versions;
mod describe_db_instance_automated_backups;
mod describe_db_instances;
mod describe_db_snapshots;
mod describe_events;
mod describe_orderable_db_instance_options;
mod get_caller_identity;
mod iam;
mod list_tags_for_resource;
mod modify_db_instance;
mod reboot_db_instance;
mod remove_tags_from_resource;
mod restore_db_instance_from_db_snapshot;
mod restore_db_instance_to_point_in_time;
mod snapshot_quota;
mod start_db_instance;
mod state_change;
mod stop_db_instance;

use crate::error::ApiError;
use crate::view::Scope;
use crate::AppState;
use cornac_inventory::iam::users::User;
use cornac_inventory::PgConnection;
use cornac_wire::actions::{Input, Output};

/// Who asks: the key's account, which owns everything the request may see, and its IAM
/// user (`None` for the account's root key).
pub struct Ctx<'a> {
    pub state: &'a AppState,
    pub account_id: &'a str,
    pub user: Option<&'a User>,
}

impl Ctx<'_> {
    pub fn scope(&self) -> Scope<'_> {
        self.state.scope(self.account_id)
    }
}

/// Cut `rows`, fetched with one more than `limit`, to a page of `limit`, and give the marker of
/// the next page (the `marker` of the page's last row) when there is one.
fn page<T>(rows: &mut Vec<T>, limit: i64, marker: impl Fn(&T) -> String) -> Option<String> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    (rows.len() > limit).then(|| {
        rows.truncate(limit);
        rows.last().map(marker).unwrap_or_default()
    })
}

/// A selector of identifiers as the inventory's list filters take it.
fn strings<T: ToString>(selector: Option<Vec<T>>) -> Option<Vec<String>> {
    selector.map(|values| values.iter().map(ToString::to_string).collect())
}

/// Run the action `input` is for, and answer its output's XML, rendered after the handler
/// (and so its transaction) is done.
pub fn dispatch(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: Input,
    request_id: &str,
) -> Result<String, ApiError> {
    let r = request_id;
    Ok(match input {
        Input::CreateDbInstance(i) => create_db_instance::handle(ctx, conn, i)?.to_xml(r),
        Input::DescribeDbInstances(i) => describe_db_instances::handle(ctx, conn, i)?.to_xml(r),
        Input::DeleteDbInstance(i) => delete_db_instance::handle(ctx, conn, i)?.to_xml(r),
        Input::StartDbInstance(i) => start_db_instance::handle(ctx, conn, i)?.to_xml(r),
        Input::StopDbInstance(i) => stop_db_instance::handle(ctx, conn, i)?.to_xml(r),
        Input::RebootDbInstance(i) => reboot_db_instance::handle(ctx, conn, i)?.to_xml(r),
        Input::ModifyDbInstance(i) => modify_db_instance::handle(ctx, conn, i)?.to_xml(r),
        Input::AddTagsToResource(i) => add_tags_to_resource::handle(ctx, conn, i)?.to_xml(r),
        Input::RemoveTagsFromResource(i) => {
            remove_tags_from_resource::handle(ctx, conn, i)?.to_xml(r)
        }
        Input::ListTagsForResource(i) => list_tags_for_resource::handle(ctx, conn, i)?.to_xml(r),
        Input::DescribeDbEngineVersions(i) => describe_db_engine_versions::handle(ctx, i).to_xml(r),
        Input::DescribeOrderableDbInstanceOptions(i) => {
            describe_orderable_db_instance_options::handle(ctx, i).to_xml(r)
        }
        Input::DescribeAccountAttributes => {
            describe_account_attributes::handle(ctx, conn)?.to_xml(r)
        }
        Input::DescribeEvents(i) => describe_events::handle(ctx, conn, i)?.to_xml(r),
        Input::CreateDbSnapshot(i) => create_db_snapshot::handle(ctx, conn, i)?.to_xml(r),
        Input::DescribeDbSnapshots(i) => describe_db_snapshots::handle(ctx, conn, i)?.to_xml(r),
        Input::DeleteDbSnapshot(i) => delete_db_snapshot::handle(ctx, conn, i)?.to_xml(r),
        Input::CopyDbSnapshot(i) => copy_db_snapshot::handle(ctx, conn, i)?.to_xml(r),
        Input::RestoreDbInstanceFromDbSnapshot(i) => {
            restore_db_instance_from_db_snapshot::handle(ctx, conn, i)?.to_xml(r)
        }
        Input::RestoreDbInstanceToPointInTime(i) => {
            restore_db_instance_to_point_in_time::handle(ctx, conn, i)?.to_xml(r)
        }
        Input::DescribeDbInstanceAutomatedBackups(i) => {
            describe_db_instance_automated_backups::handle(ctx, conn, i)?.to_xml(r)
        }
        Input::DeleteDbInstanceAutomatedBackup(i) => {
            delete_db_instance_automated_backup::handle(ctx, conn, i)?.to_xml(r)
        }
        Input::GetCallerIdentity => get_caller_identity::handle(ctx).to_xml(r),
        Input::CreateGroup(i) => iam::create_group::handle(ctx, conn, i)?.to_xml(r),
        Input::GetGroup(i) => iam::get_group::handle(ctx, conn, i)?.to_xml(r),
        Input::DeleteGroup(i) => iam::delete_group::handle(ctx, conn, i)?.to_xml(r),
        Input::AddUserToGroup(i) => iam::add_user_to_group::handle(ctx, conn, i)?.to_xml(r),
        Input::RemoveUserFromGroup(i) => {
            iam::remove_user_from_group::handle(ctx, conn, i)?.to_xml(r)
        }
        Input::ListGroupsForUser(i) => iam::list_groups_for_user::handle(ctx, conn, i)?.to_xml(r),
        Input::PutUserPolicy(i) => iam::put_user_policy::handle(ctx, conn, i)?.to_xml(r),
        Input::GetUserPolicy(i) => iam::get_user_policy::handle(ctx, conn, i)?.to_xml(r),
        Input::ListUserPolicies(i) => iam::list_user_policies::handle(ctx, conn, i)?.to_xml(r),
        Input::DeleteUserPolicy(i) => iam::delete_user_policy::handle(ctx, conn, i)?.to_xml(r),
        Input::PutGroupPolicy(i) => iam::put_group_policy::handle(ctx, conn, i)?.to_xml(r),
        Input::GetGroupPolicy(i) => iam::get_group_policy::handle(ctx, conn, i)?.to_xml(r),
        Input::ListGroupPolicies(i) => iam::list_group_policies::handle(ctx, conn, i)?.to_xml(r),
        Input::DeleteGroupPolicy(i) => iam::delete_group_policy::handle(ctx, conn, i)?.to_xml(r),
        Input::AttachUserPolicy(i) => iam::attach_user_policy::handle(ctx, conn, i)?.to_xml(r),
        Input::DetachUserPolicy(i) => iam::detach_user_policy::handle(ctx, conn, i)?.to_xml(r),
        Input::ListAttachedUserPolicies(i) => {
            iam::list_attached_user_policies::handle(ctx, conn, i)?.to_xml(r)
        }
        Input::AttachGroupPolicy(i) => iam::attach_group_policy::handle(ctx, conn, i)?.to_xml(r),
        Input::DetachGroupPolicy(i) => iam::detach_group_policy::handle(ctx, conn, i)?.to_xml(r),
        Input::ListAttachedGroupPolicies(i) => {
            iam::list_attached_group_policies::handle(ctx, conn, i)?.to_xml(r)
        }
        Input::CreateUser(i) => iam::create_user::handle(ctx, conn, i)?.to_xml(r),
        Input::GetUser(i) => iam::get_user::handle(ctx, conn, i)?.to_xml(r),
        Input::ListUsers(i) => iam::list_users::handle(ctx, conn, i)?.to_xml(r),
        Input::DeleteUser(i) => iam::delete_user::handle(ctx, conn, i)?.to_xml(r),
        Input::TagUser(i) => iam::tag_user::handle(ctx, conn, i)?.to_xml(r),
        Input::UntagUser(i) => iam::untag_user::handle(ctx, conn, i)?.to_xml(r),
        Input::ListUserTags(i) => iam::list_user_tags::handle(ctx, conn, i)?.to_xml(r),
        Input::CreateAccessKey(i) => iam::create_access_key::handle(ctx, conn, i)?.to_xml(r),
        Input::ListAccessKeys(i) => iam::list_access_keys::handle(ctx, conn, i)?.to_xml(r),
        Input::UpdateAccessKey(i) => iam::update_access_key::handle(ctx, conn, i)?.to_xml(r),
        Input::DeleteAccessKey(i) => iam::delete_access_key::handle(ctx, conn, i)?.to_xml(r),
        Input::GetAccessKeyLastUsed(i) => {
            iam::get_access_key_last_used::handle(ctx, conn, i)?.to_xml(r)
        }
    })
}
