//! One module per action. Each reads its parameters, validates them with `domain`, makes its
//! change in one inventory transaction (enqueueing the worker's job in it too), and answers
//! the action's XML.

mod add_tags_to_resource;
mod create_db_instance;
mod delete_db_instance;
mod describe_account_attributes;
mod describe_db_engine_versions;
mod describe_db_instances;
mod describe_events;
mod describe_orderable_db_instance_options;
mod get_caller_identity;
mod list_tags_for_resource;
mod modify_db_instance;
mod reboot_db_instance;
mod remove_tags_from_resource;
mod start_db_instance;
mod state_change;
mod stop_db_instance;

pub use delete_db_instance::refuse_protected;

use crate::error::ApiError;
use crate::AppState;
use cornac_inventory::PgConnection;
use cornac_wire::{envelope, Action, Params};
use serde::Serialize;

/// Who asks, and with what.
pub struct Ctx<'a> {
    pub state: &'a AppState,
    pub action: Action,
    pub access_key_id: &'a str,
    pub request_id: &'a str,
}

/// An action's answer: the XML document.
pub type Reply = String;

impl Ctx<'_> {
    pub fn reply<T: Serialize>(&self, result: &T) -> Reply {
        envelope::success(self.action, Some(result), self.request_id)
    }

    /// For actions whose answer has no result element.
    pub fn reply_empty(&self) -> Reply {
        envelope::success::<()>(self.action, None, self.request_id)
    }
}

pub fn dispatch(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    match ctx.action {
        Action::CreateDbInstance => create_db_instance::handle(ctx, conn, params),
        Action::DescribeDbInstances => describe_db_instances::handle(ctx, conn, params),
        Action::DeleteDbInstance => delete_db_instance::handle(ctx, conn, params),
        Action::StartDbInstance => start_db_instance::handle(ctx, conn, params),
        Action::StopDbInstance => stop_db_instance::handle(ctx, conn, params),
        Action::RebootDbInstance => reboot_db_instance::handle(ctx, conn, params),
        Action::ModifyDbInstance => modify_db_instance::handle(ctx, conn, params),
        Action::AddTagsToResource => add_tags_to_resource::handle(ctx, conn, params),
        Action::RemoveTagsFromResource => remove_tags_from_resource::handle(ctx, conn, params),
        Action::ListTagsForResource => list_tags_for_resource::handle(ctx, conn, params),
        Action::DescribeDbEngineVersions => describe_db_engine_versions::handle(ctx, params),
        Action::DescribeOrderableDbInstanceOptions => {
            describe_orderable_db_instance_options::handle(ctx, params)
        }
        Action::DescribeAccountAttributes => describe_account_attributes::handle(ctx, conn),
        Action::DescribeEvents => describe_events::handle(ctx, conn, params),
        Action::GetCallerIdentity => get_caller_identity::handle(ctx),
    }
}
