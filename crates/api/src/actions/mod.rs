//! One module per action. The dispatcher reads the action's typed input from the form
//! (`wire::actions`, before any inventory work), the handler makes its change in one inventory
//! transaction (enqueueing the worker's job in it too) and returns the typed output, and the
//! dispatcher renders that output's XML once the transaction has committed.

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
use crate::view::Scope;
use crate::AppState;
use cornac_inventory::PgConnection;
use cornac_wire::actions::{self as wire, Output};
use cornac_wire::{Action, Params};

/// Who asks.
pub struct Ctx<'a> {
    pub state: &'a AppState,
    pub access_key_id: &'a str,
}

impl Ctx<'_> {
    pub fn scope(&self) -> Scope<'_> {
        self.state.scope()
    }
}

/// Run `action` with the input read from `params`, and answer its output's XML.
pub fn dispatch(
    ctx: &Ctx,
    conn: &mut PgConnection,
    action: Action,
    params: &Params,
    request_id: &str,
) -> Result<String, ApiError> {
    use wire::{
        add_tags_to_resource::AddTagsToResourceInput as AddTags,
        create_db_instance::CreateDbInstanceInput as Create,
        delete_db_instance::DeleteDbInstanceInput as Delete,
        describe_db_engine_versions::DescribeDbEngineVersionsInput as EngineVersions,
        describe_db_instances::DescribeDbInstancesInput as Describe,
        describe_events::DescribeEventsInput as Events,
        describe_orderable_db_instance_options::DescribeOrderableDbInstanceOptionsInput as Orderable,
        list_tags_for_resource::ListTagsForResourceInput as ListTags,
        modify_db_instance::ModifyDbInstanceInput as Modify,
        reboot_db_instance::RebootDbInstanceInput as Reboot,
        remove_tags_from_resource::RemoveTagsFromResourceInput as RemoveTags,
        start_db_instance::StartDbInstanceInput as Start,
        stop_db_instance::StopDbInstanceInput as Stop,
    };
    let (p, r) = (params, request_id);
    Ok(match action {
        Action::CreateDbInstance => {
            create_db_instance::handle(ctx, conn, Create::from_params(p)?)?.to_xml(r)
        }
        Action::DescribeDbInstances => {
            describe_db_instances::handle(ctx, conn, Describe::from_params(p)?)?.to_xml(r)
        }
        Action::DeleteDbInstance => {
            delete_db_instance::handle(ctx, conn, Delete::from_params(p)?)?.to_xml(r)
        }
        Action::StartDbInstance => {
            start_db_instance::handle(ctx, conn, Start::from_params(p)?)?.to_xml(r)
        }
        Action::StopDbInstance => {
            stop_db_instance::handle(ctx, conn, Stop::from_params(p)?)?.to_xml(r)
        }
        Action::RebootDbInstance => {
            reboot_db_instance::handle(ctx, conn, Reboot::from_params(p)?)?.to_xml(r)
        }
        Action::ModifyDbInstance => {
            modify_db_instance::handle(ctx, conn, Modify::from_params(p)?)?.to_xml(r)
        }
        Action::AddTagsToResource => {
            add_tags_to_resource::handle(ctx, conn, AddTags::from_params(p)?)?.to_xml(r)
        }
        Action::RemoveTagsFromResource => {
            remove_tags_from_resource::handle(ctx, conn, RemoveTags::from_params(p)?)?.to_xml(r)
        }
        Action::ListTagsForResource => {
            list_tags_for_resource::handle(ctx, conn, ListTags::from_params(p)?)?.to_xml(r)
        }
        Action::DescribeDbEngineVersions => {
            describe_db_engine_versions::handle(ctx, EngineVersions::from_params(p)?).to_xml(r)
        }
        Action::DescribeOrderableDbInstanceOptions => {
            describe_orderable_db_instance_options::handle(ctx, Orderable::from_params(p)?)
                .to_xml(r)
        }
        Action::DescribeAccountAttributes => {
            describe_account_attributes::handle(ctx, conn)?.to_xml(r)
        }
        Action::DescribeEvents => describe_events::handle(conn, Events::from_params(p)?)?.to_xml(r),
        Action::GetCallerIdentity => get_caller_identity::handle(ctx).to_xml(r),
    })
}
